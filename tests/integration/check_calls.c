/* check_calls.c - a call's state is the database's: one call per agent, a
 * NOTIFY to the agent for every change of a call or of the agent's state
 * (payloads "call <id> <state>" and "state <agent_state> <reason>", parsed
 * by agent_event_parse: tests/unit/check_agent_event.c), the
 * agent's calls and state with server-computed durations, ring-no-answer
 * timed by the database and run by `ccterm-cti timers`, and the long-lived
 * CTI processes carrying on through a database restart. */
#include "config.h"

#include <check.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "ccterm/admin.h"
#include "ccterm/agent.h"
#include "ccterm/floor.h"
#include "ccterm/my_calls.h"
#include "testdb.h"

/* Roles are cluster-wide and other test programs run at the same time:
 * every login here starts with cl_. */

static struct db *db;   /* superuser: fixtures, CTI and checks */
static char dbname[64];

static void setup(void) { db = testdb_create(dbname); }
static void teardown(void) { testdb_drop(db, dbname); }

static void exec(const char *sql)
{
	ck_assert_msg(db_exec_script(db, sql) == 0, "%s: %s", sql, db_error(db));
}

/* The setting 'ring_timeout_seconds' (no row until set). */
static void ring_timeout(int secs)
{
	char v[16];
	const char *p[1] = { v };

	snprintf(v, sizeof(v), "%d", secs);
	ck_assert_msg(db_exec(db, "insert into settings (key, value) values ('ring_timeout_seconds', $1) "
			      "on conflict (key) do update set value = excluded.value", 1, p) == 0, "%s", db_error(db));
}

static long count(const char *sql)
{
	char *v = testdb_value(db, sql);
	long n = v ? atol(v) : -1;

	free(v);
	return n;
}

static void value_is(const char *sql, const char *want)
{
	char *v = testdb_value(db, sql);

	ck_assert_msg(strcmp(v ? v : "", want) == 0, "%s\n  got  %s\n  want %s", sql, v ? v : "(null)", want);
	free(v);
}

static void queue(const char *name)
{
	ck_assert_int_eq(admin_queue_add(db, name, 20, 80), 0);
}

/* An agent row (no login role: CTI and the tests drive it) with skills. */
static void agent(const char *login, const char *queues)
{
	const char *p[2] = { login, queues };

	ck_assert_msg(db_exec(db, "insert into agent (login, name) values ($1, 'Agent ' || $1)", 1, p) == 0,
		      "%s", db_error(db));
	ck_assert_msg(db_exec(db, "insert into agent_queue (login, queue_id) select $1, id from queue "
			      "where name = any(string_to_array($2, ','))", 2, p) == 0, "%s", db_error(db));
}

static void set_state(const char *login, const char *state)
{
	ck_assert_msg(db_agent_set_state_for(db, login, state, "test") == 0, "%s", db_error(db));
}

static long long arrive(const char *queue_name, const char *agent_login)
{
	long long id = 0;

	ck_assert_msg(db_call_arrive(db, "010-5555-0000", NULL, queue_name, agent_login, &id) == 0, "%s",
		      db_error(db));
	ck_assert_int_gt(id, 0);
	return id;
}

static void call_is(long long id, const char *want)
{
	char state[16], who[64], got[96];

	ck_assert_int_eq(db_call_state(db, id, state, who), 1);
	snprintf(got, sizeof(got), "%s/%s", state, who);
	ck_assert_msg(strcmp(got, want) == 0, "call %lld is %s, want %s", id, got, want);
}

static void agent_is(const char *login, const char *want)
{
	char sql[160];

	snprintf(sql, sizeof(sql), "select state || '/' || coalesce(state_reason, '') from agent where login = '%s'",
		 login);
	value_is(sql, want);
}

/* --- one call per agent ------------------------------------------------------ */

START_TEST(a_busy_agent_is_offered_no_second_call)
{
	long long c1, c2, c3;

	queue("cl_q");
	agent("cl_a1", "cl_q");
	/* The PBX names the agent: offered. A second call to the same agent is
	 * refused with a message naming the call it already has. */
	c1 = arrive("cl_q", "cl_a1");
	call_is(c1, "offered/cl_a1");
	ck_assert_int_eq(db_call_arrive(db, "010-5555-0001", NULL, "cl_q", "cl_a1", &c2), -1);
	ck_assert_str_eq(db_sqlstate(db), "CC001");
	ck_assert_msg(strstr(db_error(db), "agent cl_a1 already has call") != NULL, "%s", db_error(db));
	/* Answered, still busy. */
	ck_assert_int_eq(db_call_answer(db, c1), 1);
	ck_assert_int_eq(db_call_arrive(db, "010-5555-0001", NULL, NULL, "cl_a1", &c2), -1);
	ck_assert_str_eq(db_sqlstate(db), "CC001");
	ck_assert_int_eq(count("select count(*) from call where agent_login = 'cl_a1'"), 1);
	/* The table itself refuses a second open call, whoever writes it. */
	ck_assert_int_eq(db_exec(db, "insert into call (agent_login, state, offered_at) "
				     "values ('cl_a1', 'offered', now())", 0, NULL), -1);
	ck_assert_str_eq(db_sqlstate(db), "23505");
	/* Once the call ended, the agent can be offered the next. */
	ck_assert_int_eq(db_call_hangup(db, c1, NULL), 1);
	c3 = arrive("cl_q", "cl_a1");
	call_is(c3, "offered/cl_a1");
}
END_TEST

START_TEST(routing_passes_over_an_agent_holding_a_direct_call)
{
	long long direct, routed;

	queue("cl_q");
	agent("cl_b1", "cl_q");
	agent("cl_b2", "cl_q");
	set_state("cl_b1", "ready");
	/* A direct call leaves the agent's state alone (ready) ... */
	direct = arrive(NULL, "cl_b1");
	call_is(direct, "offered/cl_b1");
	/* ... but routing does not give that agent a second call. */
	routed = arrive("cl_q", NULL);
	call_is(routed, "queued/");
	set_state("cl_b2", "ready");
	call_is(routed, "offered/cl_b2");
	ck_assert_int_eq(db_call_answer(db, routed), 1);
	ck_assert_int_eq(count("select count(*) from call where state in ('offered', 'answered')"), 2);
}
END_TEST

static int run_tool(const char *cmd, char *out, size_t outsz)
{
	return testdb_run(dbname, cmd, out, outsz);
}

START_TEST(cti_call_to_a_busy_agent_is_refused)
{
	char out[512];
	long long first;

	agent("cl_c1", "");
	ck_assert_int_eq(run_tool("ccterm-cti call --ani 010-1234-5678 --agent cl_c1", out, sizeof(out)), 0);
	first = atoll(out);
	ck_assert_int_gt(first, 0);
	ck_assert_int_eq(run_tool("ccterm-cti call --ani 010-1234-9999 --agent cl_c1", out, sizeof(out)), 1);
	ck_assert_msg(strstr(out, "agent cl_c1 already has call") != NULL, "%s", out);
	ck_assert_int_eq(count("select count(*) from call"), 1);
}
END_TEST

/* --- notifications ------------------------------------------------------------ */

/* A second connection listening on agent_<login>, like the agent's console. */
static struct db *listener(const char *login)
{
	struct db *l = testdb_connect(dbname, NULL);
	char sql[96];

	snprintf(sql, sizeof(sql), "listen agent_%s", login);
	ck_assert_int_eq(db_exec(l, sql, 0, NULL), 0);
	return l;
}

/* Appends what arrived on l within ms to buf as "payload|payload|...". */
static void collect(struct db *l, char *buf, size_t size, int ms)
{
	struct pollfd pfd = { .fd = PQsocket(db_pg(l)), .events = POLLIN };
	PGnotify *n;

	if (ms > 0)
		poll(&pfd, 1, ms);
	ck_assert(PQconsumeInput(db_pg(l)));
	while ((n = PQnotifies(db_pg(l)))) {
		size_t len = strlen(buf);

		snprintf(buf + len, size - len, "%s%s", len ? "|" : "", n->extra);
		PQfreemem(n);
	}
}

/* Waits (up to 3 s) until exactly want has arrived on l. */
static void expect(struct db *l, const char *want)
{
	char got[2048] = "";

	for (int i = 0; i < 60 && strcmp(got, want) != 0; i++)
		collect(l, got, sizeof(got), strlen(got) < strlen(want) ? 50 : 0);
	if (strcmp(got, want) == 0)
		collect(l, got, sizeof(got), 100);   /* and nothing more */
	ck_assert_msg(strcmp(got, want) == 0, "\n  got  %s\n  want %s", got, want);
}

/* want, formatted with the call id once or twice. */
#define FMT1(buf, f, a) (snprintf((buf), sizeof(buf), (f), (a)), (buf))
#define FMT2(buf, f, a) (snprintf((buf), sizeof(buf), (f), (a), (a)), (buf))

START_TEST(every_change_reaches_the_agent_with_its_new_state)
{
	struct db *l;
	char want[512];
	long long c;

	queue("cl_q");
	agent("cl_n1", "cl_q");
	l = listener("cl_n1");
	set_state("cl_n1", "ready");
	expect(l, "state ready test");
	/* Routed, answered, ended. */
	c = arrive("cl_q", NULL);
	expect(l, FMT2(want, "call %lld offered|state ringing call %lld", c));
	ck_assert_int_eq(db_call_answer(db, c), 1);
	expect(l, FMT2(want, "call %lld answered|state on_call call %lld", c));
	ck_assert_int_eq(db_call_hangup(db, c, NULL), 1);
	expect(l, FMT2(want, "call %lld ended|state wrap_up call %lld", c));
	/* The caller hangs up while it rings. */
	set_state("cl_n1", "ready");
	expect(l, "state ready test");
	c = arrive("cl_q", NULL);
	expect(l, FMT2(want, "call %lld offered|state ringing call %lld", c));
	ck_assert_int_eq(db_call_hangup(db, c, NULL), 1);
	expect(l, FMT2(want, "call %lld abandoned|state ready abandoned %lld", c));
	/* Ring no answer: the call goes back to the queue, the agent not ready. */
	c = arrive("cl_q", NULL);
	expect(l, FMT2(want, "call %lld offered|state ringing call %lld", c));
	ck_assert_int_eq(db_call_no_answer(db, c), 1);
	expect(l, FMT1(want, "call %lld requeued|state not_ready no answer", c));
	call_is(c, "queued/");
	ck_assert_int_eq(db_call_hangup(db, c, NULL), 1);
	/* The agent leaves while it rings: the call is handed back. */
	set_state("cl_n1", "ready");
	expect(l, "state ready test");
	c = arrive("cl_q", NULL);
	expect(l, FMT2(want, "call %lld offered|state ringing call %lld", c));
	set_state("cl_n1", "break");
	expect(l, FMT1(want, "state break test|call %lld requeued", c));
	ck_assert_int_eq(db_call_hangup(db, c, NULL), 1);
	/* A direct call: offered, then abandoned. */
	c = arrive(NULL, "cl_n1");
	expect(l, FMT1(want, "call %lld offered", c));
	ck_assert_int_eq(db_call_hangup(db, c, NULL), 1);
	expect(l, FMT1(want, "call %lld abandoned", c));
	/* Sent at commit, not before. */
	c = arrive(NULL, "cl_n1");
	expect(l, FMT1(want, "call %lld offered", c));
	exec("begin");
	ck_assert_int_eq(db_call_answer(db, c), 1);
	expect(l, "");
	exec("commit");
	expect(l, FMT2(want, "call %lld answered|state on_call call %lld", c));
	/* The floor and the queue channels keep their notifications. */
	ck_assert_int_eq(db_exec(l, "listen floor", 0, NULL), 0);
	ck_assert_int_eq(db_exec(l, "unlisten agent_cl_n1", 0, NULL), 0);
	ck_assert_int_eq(db_call_hangup(db, c, NULL), 1);
	expect(l, "call|agent");
	db_close(l);
}
END_TEST


/* --- what the console reads: the truth, timed by the server -------------------- */

START_TEST(my_calls_and_my_state_come_from_the_server)
{
	struct db *me;
	struct my_call calls[4];
	struct my_state st;
	long long c;

	queue("cl_q");
	testdb_agent(db, "cl_m1", "Agent Mine", "agent");
	exec("insert into agent_queue select 'cl_m1', id from queue where name = 'cl_q';"
	     "insert into customer (name) values ('고객 하나');"
	     "insert into contact_point (kind, value) values ('phone', '+821055550000');"
	     "insert into customer_contact (customer_id, contact_point_id) "
	     "select c.id, p.id from customer c, contact_point p");
	me = testdb_connect(dbname, "cl_m1");
	ck_assert_int_eq(db_my_calls(me, calls, 4), 0);
	{
		time_t since;

		ck_assert_int_eq(db_agent_set_state(me, "ready", NULL, &since), 0);
	}
	ck_assert_int_eq(db_my_state(me, &st), 1);
	ck_assert_str_eq(st.state, "ready");
	ck_assert_int_ge(st.seconds_in_state, 0);

	c = arrive("cl_q", NULL);
	ck_assert_int_eq(db_my_calls(me, calls, 4), 1);
	ck_assert_int_eq(calls[0].id, c);
	ck_assert_str_eq(calls[0].state, "offered");
	ck_assert_str_eq(calls[0].ani, "010-5555-0000");
	ck_assert_str_eq(calls[0].customer, "고객 하나");
	ck_assert_int_gt(calls[0].customer_id, 0);
	ck_assert_str_eq(calls[0].queue, "cl_q");
	ck_assert_int_ge(calls[0].seconds_in_state, 0);
	ck_assert_int_le(calls[0].seconds_in_state, 2);
	ck_assert_int_gt(calls[0].ring_seconds_left, 15);
	ck_assert_int_le(calls[0].ring_seconds_left, 20);
	ck_assert_int_eq(db_my_state(me, &st), 1);
	ck_assert_str_eq(st.state, "ringing");

	/* Answered: its time counts from the answer; the ring is over. */
	exec("update call set offered_at = offered_at - interval '90 seconds'");
	ck_assert_int_eq(db_call_answer(me, c), 1);
	ck_assert_int_eq(db_my_calls(me, calls, 4), 1);
	ck_assert_str_eq(calls[0].state, "answered");
	ck_assert_int_le(calls[0].seconds_in_state, 2);
	ck_assert_int_eq(calls[0].ring_seconds_left, -1);
	ck_assert_int_ge(calls[0].answered_at, calls[0].offered_at + 89);
	ck_assert_int_eq(db_my_state(me, &st), 1);
	ck_assert_str_eq(st.state, "on_call");
	{
		char want[64];

		ck_assert_str_eq(st.reason, FMT1(want, "call %lld", c));
	}

	/* A timestamp ahead of the server's clock (written by a host whose
	 * clock runs fast) never makes a negative duration. */
	exec("update call set answered_at = clock_timestamp() + interval '30 seconds';"
	     "update agent set state_since = clock_timestamp() + interval '30 seconds'");
	ck_assert_int_eq(db_my_calls(me, calls, 4), 1);
	ck_assert_int_eq(calls[0].seconds_in_state, 0);
	ck_assert_int_eq(db_my_state(me, &st), 1);
	ck_assert_int_eq(st.seconds_in_state, 0);
	/* Time in state is the server's, whatever the client's clock says. */
	exec("update agent set state_since = clock_timestamp() - interval '75 seconds'");
	ck_assert_int_eq(db_my_state(me, &st), 1);
	ck_assert_int_ge(st.seconds_in_state, 75);
	ck_assert_int_le(st.seconds_in_state, 77);

	/* Ended: no open call any more; only this agent's calls are listed. */
	ck_assert_int_eq(db_call_hangup(me, c, NULL), 1);
	ck_assert_int_eq(db_my_calls(me, calls, 4), 0);
	agent("cl_m2", "cl_q");
	arrive(NULL, "cl_m2");
	ck_assert_int_eq(db_my_calls(me, calls, 4), 0);
	db_close(me);
}
END_TEST

START_TEST(answering_a_call_whose_caller_hung_up_says_so)
{
	long long c;

	agent("cl_h1", "");
	c = arrive(NULL, "cl_h1");
	ck_assert_int_eq(db_call_hangup(db, c, NULL), 1);
	ck_assert_int_eq(db_call_answer(db, c), -1);
	ck_assert_str_eq(db_error(db), "the caller hung up");
	ck_assert_str_eq(db_sqlstate(db), "CC002");
	/* Ended after an answer: the same. */
	c = arrive(NULL, "cl_h1");
	ck_assert_int_eq(db_call_answer(db, c), 1);
	ck_assert_int_eq(db_call_hangup(db, c, NULL), 1);
	ck_assert_int_eq(db_call_answer(db, c), -1);
	ck_assert_str_eq(db_sqlstate(db), "CC002");
	/* Answering twice is still just "no" (false). */
	c = arrive(NULL, "cl_h1");
	ck_assert_int_eq(db_call_answer(db, c), 1);
	ck_assert_int_eq(db_call_answer(db, c), 0);
}
END_TEST

/* --- ring no answer --------------------------------------------------------------- */

START_TEST(ring_no_answer_goes_to_the_next_agent)
{
	long long c, d;
	double next;

	queue("cl_q");
	queue("cl_fast");
	agent("cl_r1", "cl_q,cl_fast");
	agent("cl_r2", "cl_q");
	/* The default ring timeout is 20 s (no setting), per call from its offer. */
	value_is("select count(*) from settings where key = 'ring_timeout_seconds'", "0");
	set_state("cl_r1", "ready");
	c = arrive("cl_q", NULL);
	call_is(c, "offered/cl_r1");
	value_is("select extract(epoch from ring_deadline - offered_at)::integer from call", "20");
	ck_assert_int_eq(db_call_ring_next(db, &next), 1);
	ck_assert_msg(next > 18 && next <= 20, "%f", next);
	ck_assert_int_eq(db_call_ring_expire(db), 0);
	ck_assert_int_eq(db_call_hangup(db, c, NULL), 1);
	ck_assert_int_eq(db_call_ring_next(db, &next), 0);

	/* A short timeout: not taken in time, the call goes back to the queue and
	 * straight to the next ready agent; the first is not ready, "no answer". */
	ring_timeout(1);
	set_state("cl_r1", "ready");
	c = arrive("cl_q", NULL);
	call_is(c, "offered/cl_r1");
	set_state("cl_r2", "ready");
	ck_assert_int_eq(db_call_ring_expire(db), 0);
	usleep(1100 * 1000);
	ck_assert_int_eq(db_call_ring_expire(db), 1);
	call_is(c, "offered/cl_r2");
	agent_is("cl_r1", "not_ready/no answer");
	{
		char want[64];

		agent_is("cl_r2", FMT1(want, "ringing/call %lld", c));
	}
	ck_assert_int_eq(db_call_answer(db, c), 1);
	/* After an answer there is no deadline. */
	ck_assert_int_eq(db_call_ring_next(db, &next), 0);
	ck_assert_int_eq(count("select count(*) from call where ring_deadline is not null"), 0);

	/* Per queue: cl_fast rings 1 s whatever the setting; the next arrival in
	 * the queue takes back an offer whose time is up, with nobody to run the
	 * timer, and waits behind it. */
	ring_timeout(20);
	exec("update queue set ring_seconds = 1 where name = 'cl_fast'");
	set_state("cl_r1", "ready");
	d = arrive("cl_fast", NULL);
	call_is(d, "offered/cl_r1");
	value_is("select extract(epoch from ring_deadline - offered_at)::integer from call where id = "
		 "(select max(id) from call)", "1");
	usleep(1100 * 1000);
	c = arrive("cl_fast", NULL);
	call_is(d, "queued/");
	call_is(c, "queued/");
	agent_is("cl_r1", "not_ready/no answer");
	/* The requeued call kept its arrival time and counts once on the board. */
	ck_assert_int_eq(count("select offered_today from wallboard_queues() where name = 'cl_fast'"), 2);
	{
		char want[64];

		snprintf(want, sizeof(want), "%lld,%lld", d, c);
		value_is("select string_agg(id::text, ',' order by created_at, id) from call where state = 'queued'",
			 want);
	}
}
END_TEST

/* An offer whose row is locked (an answer or a hangup in flight) is passed
 * over, never waited for, and taken back at the next turn. */
START_TEST(ring_expiry_passes_over_a_locked_offer)
{
	struct db *other;
	long long c;
	char sql[128];

	queue("cl_q");
	agent("cl_l1", "cl_q");
	ring_timeout(1);
	set_state("cl_l1", "ready");
	c = arrive("cl_q", NULL);
	usleep(1100 * 1000);
	other = testdb_connect(dbname, NULL);
	snprintf(sql, sizeof(sql), "select 1 from call where id = %lld for no key update", c);
	ck_assert_int_eq(db_exec(other, "begin", 0, NULL), 0);
	ck_assert_int_eq(db_exec(other, sql, 0, NULL), 0);
	ck_assert_int_eq(db_call_ring_expire(db), 0);
	call_is(c, "offered/cl_l1");
	/* The agent's row locked instead: the same. */
	ck_assert_int_eq(db_exec(other, "rollback", 0, NULL), 0);
	ck_assert_int_eq(db_exec(other, "begin", 0, NULL), 0);
	ck_assert_int_eq(db_exec(other, "select 1 from agent where login = 'cl_l1' for no key update", 0, NULL), 0);
	ck_assert_int_eq(db_call_ring_expire(db), 0);
	ck_assert_int_eq(db_exec(other, "rollback", 0, NULL), 0);
	ck_assert_int_eq(db_call_ring_expire(db), 1);
	call_is(c, "queued/");
	db_close(other);
}
END_TEST

/* A directly offered call with a queue is timed too; without a queue it has
 * nowhere to go back to and rings until the PBX hangs up. */
START_TEST(ring_no_answer_of_direct_calls)
{
	long long c, d;

	queue("cl_q");
	agent("cl_d1", "cl_q");
	agent("cl_d2", "");
	ring_timeout(1);
	set_state("cl_d1", "ready");
	c = arrive("cl_q", "cl_d1");
	d = arrive(NULL, "cl_d2");
	value_is("select count(*) from call where ring_deadline is not null", "1");
	usleep(1100 * 1000);
	ck_assert_int_eq(db_call_ring_expire(db), 1);
	call_is(c, "queued/");
	agent_is("cl_d1", "not_ready/no answer");
	call_is(d, "offered/cl_d2");
	/* An agent on break or logged out keeps that state: not ready would
	 * put a logged-out agent back on the floor. */
	set_state("cl_d1", "break");
	ck_assert_int_eq(db_call_hangup(db, c, NULL), 1);
	c = arrive("cl_q", "cl_d1");
	usleep(1100 * 1000);
	ck_assert_int_eq(db_call_ring_expire(db), 1);
	call_is(c, "queued/");
	agent_is("cl_d1", "break/test");
	ck_assert_int_eq(db_call_hangup(db, c, NULL), 1);
	set_state("cl_d1", "logged_out");
	c = arrive("cl_q", "cl_d1");
	usleep(1100 * 1000);
	ck_assert_int_eq(db_call_ring_expire(db), 1);
	call_is(c, "queued/");
	agent_is("cl_d1", "logged_out/test");
}
END_TEST

/* --- ccterm-cti timers: the process that runs the clock ------------------------ */

/* Waits up to ms for the call to reach state/agent. */
static bool call_becomes(long long id, const char *want, int ms)
{
	char state[16], who[64], got[96];

	for (int t = 0; t < ms; t += 50) {
		ck_assert_int_eq(db_call_state(db, id, state, who), 1);
		snprintf(got, sizeof(got), "%s/%s", state, who);
		if (strcmp(got, want) == 0)
			return true;
		usleep(50 * 1000);
	}
	return false;
}

static char *file_text(const char *path)
{
	static char buf[8192];
	FILE *f = fopen(path, "r");
	size_t n = f ? fread(buf, 1, sizeof(buf) - 1, f) : 0;

	buf[n] = '\0';
	if (f)
		fclose(f);
	return buf;
}

START_TEST(timers_take_back_unanswered_offers)
{
	const char *args[] = { "timers", NULL };
	char log[] = "/tmp/ccterm-timers-XXXXXX";
	long long c, d;
	pid_t pid;

	ck_assert_int_ge(mkstemp(log), 0);
	queue("cl_q");
	agent("cl_t1", "cl_q");
	agent("cl_t2", "cl_q");
	ring_timeout(1);
	pid = testdb_spawn(dbname, "ccterm-cti", args, NULL, log);
	usleep(300 * 1000);
	set_state("cl_t1", "ready");
	c = arrive("cl_q", NULL);
	call_is(c, "offered/cl_t1");
	/* Nobody touches the database: the timer takes the call back. */
	ck_assert_msg(call_becomes(c, "queued/", 3000), "%s", file_text(log));
	agent_is("cl_t1", "not_ready/no answer");
	{
		char *late = testdb_value(db, "select round(extract(epoch from n.started_at - r.started_at)::numeric * 1000 "
					  "- 1000) from agent_state r, agent_state n where r.login = 'cl_t1' "
					  "and r.state = 'ringing' and n.login = 'cl_t1' and n.reason = 'no answer'");

		fprintf(stderr, "timers: a 1 s ring taken back %s ms after its deadline\n", late);
		free(late);
	}
	/* It then sleeps until the next deadline, however far: a 3 s one. */
	ring_timeout(3);
	set_state("cl_t2", "ready");
	call_is(c, "offered/cl_t2");
	d = arrive("cl_q", NULL);
	call_is(d, "queued/");
	ck_assert_msg(call_becomes(c, "queued/", 8000), "%s", file_text(log));
	/* not before its deadline: the ring lasted its 3 s by the server's clock
	 * (a check that it is still offered after a 2 s sleep failed whenever a
	 * loaded box let more than 3 s pass between the offer and the look) */
	ck_assert_int_eq(count("select count(*) from agent_state r, agent_state n where r.login = 'cl_t2' "
			       "and r.state = 'ringing' and n.login = 'cl_t2' and n.reason = 'no answer' "
			       "and n.started_at - r.started_at >= interval '3 seconds'"), 1);
	ck_assert_int_eq(testdb_stop(pid), 0);
	unlink(log);
}
END_TEST

/* The PBX adapter's login (a member of ccterm_cti, no superuser) runs the timers. */
START_TEST(timers_run_as_a_cti_login)
{
	char out[256], line[512];
	long long c;
	FILE *p;
	size_t n;

	exec("do $$ begin create role cl_pbx login; exception when duplicate_object then null; end $$;"
	     "grant ccterm_cti to cl_pbx");
	queue("cl_q");
	agent("cl_p1", "cl_q");
	ring_timeout(1);
	set_state("cl_p1", "ready");
	c = arrive("cl_q", NULL);
	usleep(1100 * 1000);
	snprintf(line, sizeof(line), "PGDATABASE=%s PGUSER=cl_pbx %s/ccterm-cti timers --once 2>&1", dbname,
		 testdb_builddir());
	p = popen(line, "r");
	ck_assert_ptr_nonnull(p);
	n = fread(out, 1, sizeof(out) - 1, p);
	out[n] = '\0';
	ck_assert_msg(WEXITSTATUS(pclose(p)) == 0, "%s", out);
	ck_assert_str_eq(out, "1\n");
	call_is(c, "queued/");
}
END_TEST

/* Ring timeouts falling due while workers route, answer, hang up and leave
 * calls unanswered on their own connections, with the timer process
 * running: no statement fails (no deadlock between the timer and routing),
 * no offer stays past its deadline, no call waits beside an idle ready agent. */
#define RACE_WORKERS 3
#define RACE_SECONDS 4.0

static double mono(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static int race_worker(int k)
{
	char conninfo[128], err[256], login[2][32];
	struct db *w;
	int errors = 0;
	double end = mono() + RACE_SECONDS;

	snprintf(conninfo, sizeof(conninfo), "dbname=%s", dbname);
	if (!(w = db_open(conninfo, err, sizeof(err))))
		return 1;
	snprintf(login[0], sizeof(login[0]), "cl_x%d", 2 * k + 1);
	snprintf(login[1], sizeof(login[1]), "cl_x%d", 2 * k + 2);
	for (int i = 0; mono() < end; i++) {
		long long id;

		if (i % 3 == 0 && db_call_arrive(w, "010-5555-1234", NULL, i % 2 ? "cl_x1" : "cl_x2", NULL, &id) < 0) {
			fprintf(stderr, "race worker %d: arrive: %s\n", k, db_error(w));
			errors++;
		}
		for (int j = 0; j < 2; j++) {
			const char *p[1] = { login[j] };
			PGresult *res = db_query(w, "select a.state, coalesce((select c.id from call c where c.agent_login "
						    "= a.login and c.state in ('offered', 'answered')), 0) "
						    "from agent a where a.login = $1", 1, p);
			char state[16];
			long long open;
			int rc = 0;

			if (!res) {
				errors++;
				continue;
			}
			snprintf(state, sizeof(state), "%s", PQgetvalue(res, 0, 0));
			open = atoll(PQgetvalue(res, 0, 1));
			PQclear(res);
			/* Every other offer is left to ring out. */
			if (strcmp(state, "ringing") == 0 && open && (open + j) % 2 == 0)
				rc = db_call_answer(w, open);
			else if (strcmp(state, "on_call") == 0 && open)
				rc = db_call_hangup(w, open, NULL);
			else if (strcmp(state, "ringing") != 0 && strcmp(state, "ready") != 0)
				rc = db_agent_set_state_for(w, login[j], "ready", "worker");
			if (rc < 0 && strcmp(db_sqlstate(w), "CC002") != 0) {
				fprintf(stderr, "race worker %d: %s: %s (%s)\n", k, login[j], db_error(w), db_sqlstate(w));
				errors++;
			}
		}
		usleep(20 * 1000);
	}
	db_close(w);
	return errors ? 1 : 0;
}

START_TEST(ring_timeouts_race_routing_cleanly)
{
	const char *args[] = { "timers", "--quiet", NULL };
	char log[] = "/tmp/ccterm-timers-XXXXXX";
	pid_t pids[RACE_WORKERS], timers;
	int failed = 0;

	ck_assert_int_ge(mkstemp(log), 0);
	queue("cl_x1");
	queue("cl_x2");
	for (int i = 1; i <= 2 * RACE_WORKERS; i++) {
		char login[16];

		snprintf(login, sizeof(login), "cl_x%d", i);
		agent(login, i % 2 ? "cl_x1,cl_x2" : "cl_x1");
	}
	ring_timeout(1);
	timers = testdb_spawn(dbname, "ccterm-cti", args, NULL, log);
	for (int k = 0; k < RACE_WORKERS; k++) {
		pids[k] = fork();
		ck_assert_int_ge(pids[k], 0);
		if (pids[k] == 0)
			_exit(race_worker(k));
	}
	for (int k = 0; k < RACE_WORKERS; k++) {
		int status;

		waitpid(pids[k], &status, 0);
		failed += !WIFEXITED(status) || WEXITSTATUS(status) != 0;
	}
	ck_assert_msg(failed == 0, "%d race workers saw errors", failed);
	/* Some offers did ring out, and the timer kept up with them. */
	ck_assert_int_gt(count("select count(*) from agent_state where reason = 'no answer'"), 0);
	ck_assert_int_eq(count("select count(*) from call where state = 'offered' "
			       "and ring_deadline < clock_timestamp() - interval '1.5 seconds'"), 0);
	/* Quiet now: whatever waits, waits for want of a ready idle agent. */
	usleep(1500 * 1000);
	ck_assert_int_eq(count("select count(*) from call c join agent_queue aq on aq.queue_id = c.queue_id "
			       "join agent a on a.login = aq.login where c.state = 'queued' and a.state = 'ready' "
			       "and not exists (select 1 from call o where o.agent_login = a.login "
			       "and o.state in ('offered', 'answered'))"), 0);
	ck_assert_msg(testdb_stop(timers) == 0, "%s", file_text(log));
	ck_assert_msg(strstr(file_text(log), "deadlock") == NULL, "%s", file_text(log));
	unlink(log);
}
END_TEST

/* --- a database restart under the long-lived processes ---------------------------- */

/* Run once after the restart test, whatever became of it (in the runner, not
 * the forked test): the private cluster is not left running. */
static void restart_cluster_stop(void)
{
	testdb_pg("restart-cti", "stop");
}

START_TEST(simulate_and_timers_carry_on_through_a_restart)
{
	const char *sim_args[] = { "simulate", "--rate", "10", "--duration", "80", "--agents", "4", "--speed", "20",
				   "--queue", "cl_sim", "--prefix", "cl_sim_", "--seed", "5", NULL };
	const char *timer_args[] = { "timers", NULL };
	char sim_log[] = "/tmp/ccterm-sim-XXXXXX", timer_log[] = "/tmp/ccterm-timers-XXXXXX";
	char *t0;
	pid_t sim, timers;
	int status = 0;
	long long c;

	testdb_private_cluster("restart-cti");
	setup();
	ck_assert_int_ge(mkstemp(sim_log), 0);
	ck_assert_int_ge(mkstemp(timer_log), 0);

	queue("cl_sim");
	queue("cl_ring");
	agent("cl_ring1", "cl_ring");
	ring_timeout(1);
	timers = testdb_spawn(dbname, "ccterm-cti", timer_args, NULL, timer_log);
	sim = testdb_spawn(dbname, "ccterm-cti", sim_args, NULL, sim_log);
	/* Restarted once the simulator is at work (its calls coming), not after a
	 * fixed while: a loaded box may still have it setting up. */
	{
		bool working = false;

		for (int i = 0; i < 300 && !working; i++) {
			working = count("select count(*) from call c join queue q on q.id = c.queue_id "
					"where q.name = 'cl_sim'") > 3;
			if (!working)
				usleep(100 * 1000);
		}
		ck_assert_msg(working, "the simulator made no calls: %s", file_text(sim_log));
	}
	db_close(db);
	db = NULL;
	ck_assert_int_eq(testdb_pg("restart-cti", "restart"), 0);
	db = testdb_connect(dbname, NULL);
	t0 = testdb_value(db, "select now()::text");

	/* It carries on after the restart: calls keep coming (its run is long,
	 * so however long the restart took it is still running; then stopped). */
	{
		char sql[256];
		bool more = false;

		snprintf(sql, sizeof(sql), "select count(*) from call c join queue q on q.id = c.queue_id "
			 "where q.name = 'cl_sim' and c.created_at > '%s'", t0);
		for (int i = 0; i < 300 && !more; i++) {
			more = count(sql) > 3;
			if (!more)
				usleep(100 * 1000);
		}
		ck_assert_msg(more, "too few calls after the restart: %s", file_text(sim_log));
	}
	/* Stopped, it ends cleanly, says what it did, and leaves a quiet floor. */
	kill(sim, SIGTERM);
	for (int i = 0; i < 300 && waitpid(sim, &status, WNOHANG) != sim; i++)
		usleep(100 * 1000);
	ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0, "simulate: %s", file_text(sim_log));
	ck_assert_msg(strstr(file_text(sim_log), "calls offered") != NULL, "%s", file_text(sim_log));
	fprintf(stderr, "simulate through a restart:\n%s", file_text(sim_log));
	/* It did lose the connection, and waited for the server. */
	ck_assert_msg(strstr(file_text(sim_log), "reconnected after") != NULL, "%s", file_text(sim_log));
	ck_assert_int_eq(count("select count(*) from call c join queue q on q.id = c.queue_id "
			       "where q.name = 'cl_sim' and c.state in ('queued', 'offered', 'answered')"), 0);
	ck_assert_int_eq(count("select count(*) from agent where login like 'cl\\_sim\\_%' and state <> 'logged_out'"),
			 0);
	/* The timer reconnected: an unanswered offer still goes back (nothing
	 * else runs now that would take it back in passing). */
	set_state("cl_ring1", "ready");
	c = arrive("cl_ring", NULL);
	call_is(c, "offered/cl_ring1");
	ck_assert_msg(call_becomes(c, "queued/", 8000), "timers: %s", file_text(timer_log));
	ck_assert_msg(strstr(file_text(timer_log), "reconnected after") != NULL, "%s", file_text(timer_log));

	ck_assert_int_eq(testdb_stop(timers), 0);
	free(t0);
	unlink(sim_log);
	unlink(timer_log);
	teardown();
	db = NULL;
}
END_TEST

static Suite *calls_suite(void)
{
	Suite *s = suite_create("calls");
	TCase *tc = tcase_create("calls");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, a_busy_agent_is_offered_no_second_call);
	tcase_add_test(tc, routing_passes_over_an_agent_holding_a_direct_call);
	tcase_add_test(tc, cti_call_to_a_busy_agent_is_refused);
	tcase_add_test(tc, every_change_reaches_the_agent_with_its_new_state);
	tcase_add_test(tc, my_calls_and_my_state_come_from_the_server);
	tcase_add_test(tc, answering_a_call_whose_caller_hung_up_says_so);
	tcase_add_test(tc, ring_no_answer_goes_to_the_next_agent);
	tcase_add_test(tc, ring_expiry_passes_over_a_locked_offer);
	tcase_add_test(tc, ring_no_answer_of_direct_calls);
	tcase_add_test(tc, timers_take_back_unanswered_offers);
	tcase_add_test(tc, timers_run_as_a_cti_login);
	tcase_add_test(tc, ring_timeouts_race_routing_cleanly);
	suite_add_tcase(s, tc);
	tc = tcase_create("restart");
	tcase_set_timeout(tc, 90);
	tcase_add_unchecked_fixture(tc, NULL, restart_cluster_stop);
	tcase_add_test(tc, simulate_and_timers_carry_on_through_a_restart);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(calls_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
