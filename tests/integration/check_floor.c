/* check_floor.c - routing, a call's life, agents' states and the supervisor's
 * boards against a real PostgreSQL: a scripted day checked against figures
 * worked out by hand, routing rules one by one, many connections routing at
 * once, and ccterm-cti (agent, simulate) leaving a consistent floor. */
#include "config.h"

#include <check.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ccterm/admin.h"
#include "ccterm/floor.h"
#include "testdb.h"

/* Roles are cluster-wide and other test programs run at the same time:
 * every login here starts with fl_. */

static struct db *db;   /* superuser: fixtures, CTI and checks */
static char dbname[64];

static void setup(void) { db = testdb_create(dbname); }
static void teardown(void) { testdb_drop(db, dbname); }

static void exec(const char *sql)
{
	ck_assert_msg(db_exec_script(db, sql) == 0, "%s: %s", sql, db_error(db));
}

static long count(const char *sql)
{
	char *v = testdb_value(db, sql);
	long n = v ? atol(v) : -1;

	free(v);
	return n;
}

/* The one value of sql, compared as text ("" for NULL). */
static void value_is(const char *sql, const char *want)
{
	char *v = testdb_value(db, sql);

	ck_assert_msg(strcmp(v ? v : "", want) == 0, "%s\n  got  %s\n  want %s", sql, v ? v : "(null)", want);
	free(v);
}

static void queue(const char *name, int sla)
{
	ck_assert_int_eq(admin_queue_add(db, name, sla, 80), 0);
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

static long long arrive(const char *queue_name)
{
	long long id = 0;

	ck_assert_msg(db_call_arrive(db, "010-5555-0000", NULL, queue_name, NULL, &id) == 0, "%s", db_error(db));
	ck_assert_int_gt(id, 0);
	return id;
}

/* "state/agent" of a call. */
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

	snprintf(sql, sizeof(sql), "select state from agent where login = '%s'", login);
	value_is(sql, want);
}

/* Rows of queue_stat that a recomputation from the calls does not give, and
 * the other way round: 0 when the counters are right. */
#define STAT_DRIFT \
	"select count(*) from (" \
	" (select bucket, queue_id, offered, answered, abandoned, answered_in_sla, abandoned_after_sla, answer_ms" \
	"  from queue_stat where (offered, answered, abandoned, answered_in_sla, abandoned_after_sla, answer_ms)" \
	"  <> (0, 0, 0, 0, 0, 0)" \
	"  except select v.bucket, v.queue_id, count(*)::integer, sum(v.answered)::integer, sum(v.abandoned)::integer," \
	"  sum(v.in_sla)::integer, sum(v.abandoned_late)::integer, sum(v.answer_ms)::bigint" \
	"  from call c, call_stat_of(c) v group by 1, 2)" \
	" union all" \
	" (select v.bucket, v.queue_id, count(*)::integer, sum(v.answered)::integer, sum(v.abandoned)::integer," \
	"  sum(v.in_sla)::integer, sum(v.abandoned_late)::integer, sum(v.answer_ms)::bigint" \
	"  from call c, call_stat_of(c) v group by 1, 2" \
	"  except select bucket, queue_id, offered, answered, abandoned, answered_in_sla, abandoned_after_sla, answer_ms" \
	"  from queue_stat)) d"

/* --- a scripted day -------------------------------------------------------- */

/* The board is read at 15:00 in Seoul on 10 March 2025; "today" began at
 * midnight there. Each call's part in the figures is worked out beside it. */
#define AT "'2025-03-10 15:00:00+09'"

static const char day_calls[] =
	"insert into call (queue_id, state, created_at, offered_at, answered_at, ended_at) "
	"select q.id, v.state, v.c::timestamptz, v.o::timestamptz, v.a::timestamptz, v.e::timestamptz "
	"from (values "
	/* fl_sales, SLA 20 s */
	"  ('fl_sales', 'a', 'ended', '2025-03-10 09:00:00+09', null, '2025-03-10 09:00:05+09', '2025-03-10 09:03:00+09'),"
	"  ('fl_sales', 'b', 'ended', '2025-03-10 09:10:00+09', null, '2025-03-10 09:10:20+09', '2025-03-10 09:12:00+09'),"
	"  ('fl_sales', 'c', 'ended', '2025-03-10 09:20:00+09', null, '2025-03-10 09:20:21+09', '2025-03-10 09:22:00+09'),"
	"  ('fl_sales', 'd', 'abandoned', '2025-03-10 10:00:00+09', null, null, '2025-03-10 10:00:05+09'),"
	"  ('fl_sales', 'e', 'abandoned', '2025-03-10 10:30:00+09', null, null, '2025-03-10 10:30:20+09'),"
	"  ('fl_sales', 'f', 'abandoned', '2025-03-10 11:00:00+09', null, null, '2025-03-10 11:00:45+09'),"
	"  ('fl_sales', 'g', 'ended', '2025-03-09 23:59:59+09', null, '2025-03-10 00:00:30+09', '2025-03-10 00:05:00+09'),"
	"  ('fl_sales', 'h', 'ended', '2025-03-10 00:00:00+09', null, '2025-03-10 00:00:40+09', '2025-03-10 00:05:00+09'),"
	"  ('fl_sales', 'i', 'queued', '2025-03-10 14:58:00+09', null, null, null),"
	"  ('fl_sales', 'j', 'queued', '2025-03-09 23:00:00+09', null, null, null),"
	"  ('fl_sales', 'k', 'answered', '2025-03-10 14:00:00+09', null, '2025-03-10 14:00:10+09', null),"
	"  ('fl_sales', 'l', 'offered', '2025-03-10 14:59:00+09', '2025-03-10 14:59:02+09', null, null),"
	/* fl_vip, SLA 10 s */
	"  ('fl_vip', 'm', 'ended', '2025-03-10 12:00:00+09', null, '2025-03-10 12:00:08+09', '2025-03-10 12:01:00+09'),"
	"  ('fl_vip', 'n', 'ended', '2025-03-10 12:05:00+09', null, '2025-03-10 12:05:12+09', '2025-03-10 12:06:00+09'),"
	"  ('fl_vip', 'o', 'abandoned', '2025-03-10 12:10:00+09', null, null, '2025-03-10 12:10:11+09'),"
	"  ('fl_vip', 'p', 'abandoned', '2025-03-10 12:15:00+09', null, null, '2025-03-10 12:15:03+09')"
	") v(q, tag, state, c, o, a, e) join queue q on q.name = v.q";

/* offered/answered/abandoned/in SLA/abandoned after SLA/SL %/ASA/waiting/longest wait */
#define BOARD(q) \
	"select offered_today || '/' || answered_today || '/' || abandoned_today || '/' || answered_in_sla || '/' || " \
	"abandoned_after_sla || '/' || coalesce(service_level_pct::text, '-') || '/' || coalesce(asa_secs::text, '-') " \
	"|| '/' || waiting_now || '/' || longest_wait_secs from wallboard_queues(" AT ") where name = '" q "'"

START_TEST(scripted_day_figures)
{
	queue("fl_sales", 20);
	queue("fl_vip", 10);
	queue("fl_empty", 30);
	exec("insert into agent (login, name, state) values ('fl_d1', 'D1', 'ready'), ('fl_d2', 'D2', 'on_call'), "
	     "('fl_d3', 'D3', 'break'), ('fl_d4', 'D4', 'logged_out'), ('fl_d5', 'D5', 'wrap_up');"
	     "insert into agent_queue select a.login, q.id from agent a, queue q "
	     "where a.login like 'fl\\_d%' and q.name = 'fl_sales';");
	exec(day_calls);

	/* fl_sales today: a b c d e f h i k l arrived today (g yesterday at
	 * 23:59:59, j at 23:00; h on the stroke of midnight counts) = 10.
	 * Answered: a 5 s, b 20 s, c 21 s, h 40 s, k 10 s = 5; within 20 s:
	 * a, b (exactly 20), k = 3. Abandoned: d 5 s, e 20 s, f 45 s = 3; after
	 * 20 s only f = 1 (e at exactly 20 s is not after). Service level
	 * 3 / (5 + 1) = 50.0 %. ASA (5 + 20 + 21 + 40 + 10) / 5 = 19.2 s.
	 * Waiting: i and j (j since yesterday 23:00) = 2, longest 16 h = 57600 s. */
	value_is(BOARD("fl_sales"), "10/5/3/3/1/50.0/19.2/2/57600");
	/* fl_vip: m 8 s in, n 12 s out; o abandoned after 11 s (> 10), p after 3 s.
	 * SL 1 / (2 + 1) = 33.3 %; ASA (8 + 12) / 2 = 10.0 s. */
	value_is(BOARD("fl_vip"), "4/2/2/1/1/33.3/10.0/0/0");
	value_is(BOARD("fl_empty"), "0/0/0/0/0/-/-/0/0");
	/* Agents with the skill, logged-out ones not counted. */
	value_is("select agents_ready || '/' || agents_on_call || '/' || agents_wrap_up || '/' || agents_break "
		 "|| '/' || agents_ringing || '/' || agents_not_ready || ' ' || sla_seconds || ' ' || sla_target_pct "
		 "from wallboard_queues(" AT ") where name = 'fl_sales'", "1/1/1/1/0/0 20 80.00");
	ck_assert_int_eq(count(STAT_DRIFT), 0);

	/* Midnight is the floor's: in UTC, 10 March began at 09:00 in Seoul, so
	 * h (00:00 Seoul) is yesterday there and a (09:00:00) is today. */
	exec("update settings set value = 'UTC' where key = 'timezone'");
	value_is("select offered_today from wallboard_queues(" AT ") where name = 'fl_sales'", "9");
	exec("update settings set value = 'Asia/Seoul' where key = 'timezone'");

	/* The counters follow later changes: i answered after 30 s (out of SLA),
	 * then f's record deleted. SL 3 / (6 + 1) = 42.9; ASA 126 / 6 = 21.0. */
	exec("update call set state = 'answered', answered_at = created_at + interval '30 seconds' "
	     "where created_at = '2025-03-10 14:58:00+09'");
	value_is(BOARD("fl_sales"), "10/6/3/3/1/42.9/21.0/1/57600");
	exec("delete from call where created_at = '2025-03-10 11:00:00+09'");
	value_is(BOARD("fl_sales"), "9/6/2/3/0/50.0/21.0/1/57600");
	ck_assert_int_eq(count(STAT_DRIFT), 0);

	/* A queue's new target applies to calls arriving after the change. */
	exec("update queue set sla_seconds = 60 where name = 'fl_sales'");
	value_is(BOARD("fl_sales"), "9/6/2/3/0/50.0/21.0/1/57600");
	ck_assert_int_eq(count("select queue_stat_rebuild()") > 0, 1);
	value_is(BOARD("fl_sales"), "9/6/2/3/0/50.0/21.0/1/57600");
}
END_TEST

START_TEST(scripted_satisfaction_and_agent_day)
{
	exec("insert into branch (code, name) values ('FL-A', 'Alpha'), ('FL-B', 'Beta'), ('FL-C', 'Gamma');"
	     "insert into customer (name) values ('Survey Taker');"
	     "insert into interaction (customer_id, occurred_at, channel, kind, score, branch_code) "
	     "select (select id from customer limit 1), v.t::timestamptz, 'phone', 'survey', v.s, v.b from (values "
	     "  ('2025-03-10 09:00:00+09', 2, 'FL-A'), ('2025-03-10 10:00:00+09', 3, 'FL-A'),"   /* today 2.50, 2 */
	     "  ('2025-03-05 10:00:00+09', 4, 'FL-A'), ('2025-03-05 11:00:00+09', 5, 'FL-A'),"
	     "  ('2025-03-06 11:00:00+09', 5, 'FL-A'),"                                          /* week 4.67, 3 */
	     "  ('2025-03-10 11:00:00+09', 4, 'FL-B'), ('2025-03-09 23:59:00+09', 1, 'FL-B'),"   /* 4.00, 1; 1.00, 1 */
	     "  ('2025-03-03 00:00:00+09', 3, 'FL-C'), ('2025-03-08 12:00:00+09', 3, 'FL-C'),"   /* none; 3.00, 2 */
	     "  ('2025-03-02 23:59:59+09', 1, 'FL-C'),"                                          /* 8 days ago: out */
	     "  ('2025-03-10 15:30:00+09', 1, 'FL-B'),"                                          /* after 15:00: out */
	     "  ('2025-03-10 12:00:00+09', 5, null)"                                             /* no branch */
	     ") v(t, s, b);"
	     "insert into interaction (customer_id, occurred_at, channel, kind, branch_code) "
	     "select id, '2025-03-10 09:30:00+09', 'phone', 'inquiry', 'FL-A' from customer;");
	/* Lowest today first; a branch without answers today after those with. */
	value_is("select string_agg(branch_code || ' ' || coalesce(today_avg::text, '-') || ' ' || today_n || ' ' "
		 "|| coalesce(week_avg::text, '-') || ' ' || week_n, '; ' order by ordinality) "
		 "from branch_satisfaction(" AT ") with ordinality", 
		 "FL-A 2.50 2 4.67 3; FL-B 4.00 1 1.00 1;  5.00 1 - 0; FL-C - 0 3.00 2");

	/* An agent's day from the stored state changes: ready since yesterday
	 * 22:00, a call 09:00-09:10, wrap-up to 09:12, ready, a break from 10:00.
	 * At 10:30: ready 9 h + 48 min = 35280 s, on call 600, wrap-up 120,
	 * break 1800. */
	exec("insert into agent (login, name) values ('fl_day', 'Day');"
	     "insert into agent_state (login, state, started_at) values "
	     "  ('fl_day', 'not_ready', '2025-03-09 21:00:00+09'), ('fl_day', 'ready', '2025-03-09 22:00:00+09'),"
	     "  ('fl_day', 'on_call', '2025-03-10 09:00:00+09'), ('fl_day', 'wrap_up', '2025-03-10 09:10:00+09'),"
	     "  ('fl_day', 'ready', '2025-03-10 09:12:00+09'), ('fl_day', 'break', '2025-03-10 10:00:00+09');");
	value_is("select string_agg(state || ' ' || secs, ', ' order by ordinality) "
		 "from agent_day('fl_day', '2025-03-10 10:30:00+09') with ordinality",
		 "ready 35280, on_call 600, wrap_up 120, break 1800");
	{
		struct agent_day d = { .ready = 35280, .on_call = 600, .wrap_up = 120, .on_break = 1800 };

		ck_assert_int_eq((int)(agent_day_occupancy(&d) * 100 + 0.5), 200);   /* 720 / 36000 = 2.00 % */
	}
}
END_TEST

/* --- routing, one rule at a time --------------------------------------------- */

START_TEST(routing_waits_then_offers)
{
	long long c1, c2, c3;
	struct call_offer offers[4];

	queue("fl_q", 20);
	queue("fl_other", 20);
	agent("fl_r1", "fl_q");
	agent("fl_r2", "fl_q,fl_other");
	agent("fl_r3", "fl_other");
	ck_assert_int_eq(db_exec(db, "listen agent_fl_r1", 0, NULL), 0);

	/* Nobody ready: the calls wait, in order. */
	c1 = arrive("fl_q");
	c2 = arrive("fl_q");
	call_is(c1, "queued/");
	call_is(c2, "queued/");
	/* Ready without the skill changes nothing. */
	set_state("fl_r3", "ready");
	call_is(c1, "queued/");
	/* The first agent ready with the skill gets the oldest call, and rings. */
	set_state("fl_r1", "ready");
	call_is(c1, "offered/fl_r1");
	call_is(c2, "queued/");
	agent_is("fl_r1", "ringing");
	/* The agent's console is woken with the call's id. */
	ck_assert_int_eq(db_offers_drain(db, offers, 4), 1);
	ck_assert_str_eq(offers[0].login, "fl_r1");
	ck_assert_int_eq(offers[0].call_id, c1);
	set_state("fl_r2", "ready");
	call_is(c2, "offered/fl_r2");
	value_is("select routed::text from call where id = (select max(id) from call)", "true");

	/* The caller hangs up while it rings: an abandon, the agent ready again. */
	ck_assert_int_eq(db_call_hangup(db, c2, NULL), 1);
	call_is(c2, "abandoned/fl_r2");
	agent_is("fl_r2", "ready");
	/* Answer, hang up: on call, then wrap-up; hanging up twice is refused. */
	ck_assert_int_eq(db_call_answer(db, c1), 1);
	agent_is("fl_r1", "on_call");
	ck_assert_int_eq(db_call_answer(db, c1), 0);
	{
		char st[16];

		ck_assert_int_eq(db_call_hangup(db, c1, st), 1);
		ck_assert_str_eq(st, "ended");
		ck_assert_int_eq(db_call_hangup(db, c1, st), 0);
	}
	agent_is("fl_r1", "wrap_up");

	/* The longest idle of the ready agents is chosen: fl_r2 has been ready
	 * since the abandon; fl_r1 becomes ready now. */
	set_state("fl_r1", "ready");
	c3 = arrive("fl_q");
	call_is(c3, "offered/fl_r2");
	c3 = arrive("fl_q");
	call_is(c3, "offered/fl_r1");
	/* A queued call abandoned is an abandon too. */
	c1 = arrive("fl_q");
	call_is(c1, "queued/");
	ck_assert_int_eq(db_call_hangup(db, c1, NULL), 1);
	call_is(c1, "abandoned/");
	ck_assert_int_eq(count("select count(*) from agent_state where login = 'fl_r1' and state = 'ringing'"), 2);
}
END_TEST

START_TEST(routing_takes_back_unanswered_calls)
{
	long long c1, c2, c3, ex;

	queue("fl_q", 20);
	agent("fl_n1", "fl_q");
	agent("fl_n2", "fl_q");
	set_state("fl_n1", "ready");
	c1 = arrive("fl_q");
	call_is(c1, "offered/fl_n1");
	/* Ring no answer: back to the queue, the agent not ready; the call keeps
	 * its place and goes to the next agent ready. */
	ck_assert_int_eq(db_call_no_answer(db, c1), 1);
	call_is(c1, "queued/");
	agent_is("fl_n1", "not_ready");
	ck_assert_int_eq(db_call_no_answer(db, c1), 0);
	c2 = arrive("fl_q");
	set_state("fl_n2", "ready");
	call_is(c1, "offered/fl_n2");
	call_is(c2, "queued/");
	/* An agent leaving while it rings hands the call back, to whoever is ready. */
	set_state("fl_n1", "ready");
	call_is(c2, "offered/fl_n1");
	set_state("fl_n2", "logged_out");
	call_is(c1, "queued/");
	set_state("fl_n2", "break");
	call_is(c1, "queued/");
	/* A supervisor's sweep after a change of skills. */
	exec("insert into agent (login, name, state) values ('fl_n3', 'N3', 'ready')");
	ck_assert_int_eq(db_route_pending(db, "fl_q"), 0);
	exec("insert into agent_queue select 'fl_n3', id from queue where name = 'fl_q'");
	ck_assert_int_eq(db_route_pending(db, "fl_q"), 1);
	call_is(c1, "offered/fl_n3");
	ck_assert_int_eq(db_route_pending(db, "nosuch"), -1);

	/* Going ready while a routed call is still open offers nothing more. */
	ck_assert_int_eq(db_call_answer(db, c1), 1);
	c3 = arrive("fl_q");
	call_is(c3, "queued/");
	set_state("fl_n3", "ready");
	call_is(c3, "queued/");
	ck_assert_int_eq(count("select count(*) from call where agent_login = 'fl_n3' "
			       "and state in ('offered', 'answered')"), 1);

	/* The PBX naming the agent bypasses routing as before: offered at once,
	 * not routed, the agent's state untouched. */
	ck_assert_int_eq(db_call_arrive(db, "010-5555-0001", "+8215881234", "fl_q", "fl_n2", &ex), 0);
	call_is(ex, "offered/fl_n2");
	agent_is("fl_n2", "break");
	value_is("select routed::text from call order by id desc limit 1", "false");

	/* Bad input is an error with a message. */
	ck_assert_int_eq(db_agent_set_state_for(db, "fl_nobody", "ready", NULL), -1);
	ck_assert_ptr_nonnull(strstr(db_error(db), "unknown agent fl_nobody"));
	ck_assert_int_eq(db_agent_set_state_for(db, "fl_n1", "asleep", NULL), -1);
	ck_assert_ptr_nonnull(strstr(db_error(db), "unknown agent state asleep"));
}
END_TEST

/* The console's own path: the agent (a login role) goes ready with
 * agent_set_state() and is offered the waiting call, woken by NOTIFY. */
START_TEST(agent_console_ready_gets_the_waiting_call)
{
	struct db *as_agent, *as_sup;
	struct queue_stat qs[8];
	struct call_offer offers[4];
	PGresult *res;
	long long c;
	int nq;

	queue("fl_q", 20);
	testdb_agent(db, "fl_agent1", "Floor Agent", "agent");
	testdb_agent(db, "fl_super1", "Floor Supervisor", "supervisor");
	exec("insert into agent_queue select 'fl_agent1', id from queue where name = 'fl_q'");
	c = arrive("fl_q");
	as_agent = testdb_connect(dbname, "fl_agent1");
	ck_assert_int_eq(db_exec(as_agent, "listen agent_fl_agent1", 0, NULL), 0);
	ck_assert_int_eq(db_exec(as_agent, "select agent_set_state('ready')", 0, NULL), 0);
	call_is(c, "offered/fl_agent1");
	ck_assert_int_eq(db_offers_drain(as_agent, offers, 4), 1);
	ck_assert_int_eq(offers[0].call_id, c);
	/* The agent may answer and hang up, not set others' states or read the boards. */
	ck_assert_int_eq(db_call_answer(as_agent, c), 1);
	ck_assert_int_eq(db_agent_set_state_for(as_agent, "fl_agent1", "ready", NULL), -1);
	ck_assert_str_eq(db_sqlstate(as_agent), "42501");
	res = db_query(as_agent, "select * from wallboard_queues()", 0, NULL);
	ck_assert_ptr_null(res);
	ck_assert_int_eq(db_call_hangup(as_agent, c, NULL), 1);
	value_is("select state from agent where login = 'fl_agent1'", "wrap_up");
	db_close(as_agent);

	/* A supervisor reads the boards and sets states. */
	as_sup = testdb_connect(dbname, "fl_super1");
	nq = db_wallboard_queues(as_sup, qs, 8);
	ck_assert_msg(nq == 1, "%s", db_error(as_sup));
	ck_assert_str_eq(qs[0].name, "fl_q");
	ck_assert_int_eq(qs[0].offered, 1);
	ck_assert_int_eq(qs[0].answered, 1);
	ck_assert_int_eq(qs[0].answered_in_sla, 1);
	ck_assert(qs[0].service_level_pct == 100.0);
	ck_assert(qs[0].asa_secs >= 0 && qs[0].asa_secs < 20);
	ck_assert_int_eq(qs[0].agents_wrap_up, 1);
	ck_assert_int_eq(db_agent_set_state_for(as_sup, "fl_agent1", "ready", "supervisor"), 0);
	db_close(as_sup);
	value_is("select state from agent where login = 'fl_agent1'", "ready");
}
END_TEST

START_TEST(boards_from_c)
{
	struct agent_stat a[8];
	struct branch_sat b[8];
	struct queue_stat q[4];
	long total = -1;
	long long c;
	int n;

	/* The fixture is placed at now() - 10 s and read as today's: in Seoul
	 * time it was yesterday's in the first 10 s after midnight (15:00 UTC).
	 * A center where it is about noon. */
	testdb_center_at_noon(db);
	queue("fl_b", 20);
	agent("fl_w1", "fl_b");
	agent("fl_w2", "fl_b");
	agent("fl_w3", "fl_b");
	agent("fl_w4", "fl_b");
	exec("insert into branch (code, name) values ('FL-S', 'Store');"
	     "insert into customer (name, branch_code) values ('김고객', 'FL-S');"
	     "insert into contact_point (kind, value) values ('phone', '+821055550000');"
	     "insert into customer_contact (customer_id, contact_point_id) select c.id, p.id from customer c, contact_point p;"
	     /* fl_w1 answered two calls today and one yesterday */
	     "insert into call (queue_id, agent_login, state, created_at, answered_at, ended_at) "
	     "select q.id, 'fl_w1', 'ended', t, t + interval '5 s', t + interval '8 s' from queue q, "
	     "(values (now() - interval '10 s'), (now() - interval '10 s'), (floor_day_start() - interval '1 hour')) v(t);"
	     /* surveys: one today, one three days ago */
	     "insert into interaction (customer_id, occurred_at, channel, kind, score, branch_code) "
	     "select id, now(), 'phone', 'survey', 2, 'FL-S' from customer union all "
	     "select id, floor_day_start() - interval '2 days', 'phone', 'survey', 4, 'FL-S' from customer;");
	set_state("fl_w2", "ready");
	set_state("fl_w1", "ready");
	c = arrive("fl_b");                    /* to fl_w2, the longest idle */
	call_is(c, "offered/fl_w2");
	c = arrive("fl_b");                    /* to fl_w1, answered: on call */
	ck_assert_int_eq(db_call_answer(db, c), 1);
	set_state("fl_w3", "not_ready");

	n = db_wallboard_agents(db, AGENT_SORT_STATE, 0, a, 8, &total);
	ck_assert_msg(n == 4, "%s", db_error(db));
	ck_assert_int_eq(total, 4);
	ck_assert_str_eq(a[0].login, "fl_w1");
	ck_assert_str_eq(a[0].state, "on_call");
	ck_assert_int_eq(a[0].call_id, c);
	ck_assert_str_eq(a[0].call_state, "answered");
	ck_assert_str_eq(a[0].customer, "김고객");
	ck_assert_int_eq(a[0].handled_today, 3);
	ck_assert_str_eq(a[1].login, "fl_w2");
	ck_assert_str_eq(a[1].state, "ringing");
	ck_assert_str_eq(a[2].state, "not_ready");
	ck_assert_str_eq(a[3].login, "fl_w4");
	ck_assert_str_eq(a[3].state, "logged_out");
	ck_assert_int_eq(a[3].call_id, 0);
	ck_assert_int_lt(a[3].state_secs, 60);   /* logged out since its row was made, moments ago */
	n = db_wallboard_agents(db, AGENT_SORT_LOGIN, 2, a, 8, &total);
	ck_assert_int_eq(n, 2);
	ck_assert_str_eq(a[0].login, "fl_w3");
	ck_assert_int_eq(total, 4);
	n = db_wallboard_agents(db, AGENT_SORT_HANDLED, 0, a, 1, &total);
	ck_assert_int_eq(n, 1);
	ck_assert_str_eq(a[0].login, "fl_w1");
	n = db_wallboard_agents(db, AGENT_SORT_NAME, 10, a, 8, &total);
	ck_assert_int_eq(n, 0);
	ck_assert_int_eq(total, 4);

	n = db_wallboard_queues(db, q, 4);
	ck_assert_int_eq(n, 1);
	ck_assert_int_eq(q[0].offered, 4);     /* yesterday's call is not today's */
	ck_assert_int_eq(q[0].answered, 3);
	ck_assert_int_eq(q[0].agents_on_call, 1);
	ck_assert_int_eq(q[0].agents_ringing, 1);
	ck_assert_int_eq(q[0].agents_not_ready, 1);
	ck_assert(q[0].asa_secs >= 3.3 && q[0].asa_secs < 10);

	n = db_branch_satisfaction(db, b, 8);
	ck_assert_int_eq(n, 1);
	ck_assert_str_eq(b[0].code, "FL-S");
	ck_assert_str_eq(b[0].name, "Store");
	ck_assert(b[0].today_avg == 2.0 && b[0].today_n == 1);
	ck_assert(b[0].week_avg == 4.0 && b[0].week_n == 1);
}
END_TEST

/* --- many connections at once ------------------------------------------------- */

#define WORKERS 8
#define CALLS_EACH 50
#define AGENTS (2 * WORKERS)

/* Every agent's state agrees with its open calls: ringing with one offered
 * call, on call with one answered call, otherwise none. */
#define INV_AGENT_CALLS \
	"select count(*) from agent a left join (select agent_login, count(*) filter (where state = 'offered') o," \
	" count(*) filter (where state = 'answered') an from call where state in ('offered', 'answered')" \
	" group by agent_login) c on c.agent_login = a.login where a.login like 'fl\\_c%' and not (" \
	" (a.state = 'ringing' and c.o = 1 and c.an = 0) or (a.state = 'on_call' and c.an = 1 and c.o = 0)" \
	" or (a.state not in ('ringing', 'on_call') and c.agent_login is null))"
/* No agent with two calls. */
#define INV_TWO_CALLS \
	"select count(*) from (select agent_login from call where state in ('offered', 'answered')" \
	" group by agent_login having count(*) > 1) x"
/* No call waiting while an agent with its skill is ready (a lost wake-up). */
#define INV_LOST_WAKEUP \
	"select count(*) from call c join agent_queue aq on aq.queue_id = c.queue_id" \
	" join agent a on a.login = aq.login where c.state = 'queued' and a.state = 'ready'"

/* One worker: its own connection, calls arriving, and its two agents
 * answering, hanging up, wrapping up, going not ready, not answering. */
static int worker(int k)
{
	char conninfo[128], err[256], login[2][32], state[16];
	struct db *w;
	int errors = 0;

	snprintf(conninfo, sizeof(conninfo), "dbname=%s", dbname);
	w = db_open(conninfo, err, sizeof(err));
	if (!w)
		return 1;
	snprintf(login[0], sizeof(login[0]), "fl_c%02d", 2 * k + 1);
	snprintf(login[1], sizeof(login[1]), "fl_c%02d", 2 * k + 2);
	for (int i = 0; i < CALLS_EACH; i++) {
		long long id;

		if (db_call_arrive(w, "010-5555-1234", NULL, (i + k) % 2 ? "fl_c1" : "fl_c2", NULL, &id) < 0) {
			fprintf(stderr, "worker %d: arrive: %s\n", k, db_error(w));
			errors++;
		}
		for (int j = 0; j < 2; j++) {
			const char *p[1] = { login[j] };
			PGresult *res = db_query(w, "select a.state, coalesce((select c.id from call c where c.agent_login "
						    "= a.login and c.state in ('offered', 'answered')), 0) "
						    "from agent a where a.login = $1", 1, p);
			long long open;
			int rc = 0;

			if (!res) {
				fprintf(stderr, "worker %d: %s\n", k, db_error(w));
				errors++;
				continue;
			}
			snprintf(state, sizeof(state), "%s", PQgetvalue(res, 0, 0));
			open = atoll(PQgetvalue(res, 0, 1));
			PQclear(res);
			if (strcmp(state, "ringing") == 0 && open)
				rc = (i + j) % 11 == 0 ? db_call_no_answer(w, open) : db_call_answer(w, open);
			else if (strcmp(state, "on_call") == 0 && open)
				rc = db_call_hangup(w, open, NULL);
			else if (strcmp(state, "ready") == 0 && (i + j) % 7 == 3)
				rc = db_agent_set_state_for(w, login[j], "not_ready", "worker");
			else if (strcmp(state, "ready") != 0)
				rc = db_agent_set_state_for(w, login[j], "ready", "worker");
			/* An answer racing the caller's hangup is refused, and says so. */
			if (rc < 0 && strcmp(db_sqlstate(w), "CC002") != 0) {
				fprintf(stderr, "worker %d: %s: %s\n", k, login[j], db_error(w));
				errors++;
			}
		}
		/* Now and then a waiting caller gives up. */
		if (i % 5 == 4) {
			PGresult *res = db_query(w, "select id from call where state = 'queued' order by id limit 1", 0, NULL);

			if (res && PQntuples(res) == 1 && db_call_hangup(w, atoll(PQgetvalue(res, 0, 0)), NULL) < 0)
				errors++;
			if (res)
				PQclear(res);
			else
				errors++;
		}
	}
	db_close(w);
	return errors ? 1 : 0;
}

START_TEST(concurrent_routing_never_doubles)
{
	pid_t pids[WORKERS];
	long checks = 0, bad_calls = 0, bad_two = 0;
	int running = WORKERS;

	queue("fl_c1", 20);
	queue("fl_c2", 20);
	/* Agents 1-8 serve both queues, 9-16 only the first. */
	for (int i = 1; i <= AGENTS; i++) {
		char login[16];

		snprintf(login, sizeof(login), "fl_c%02d", i);
		agent(login, i <= AGENTS / 2 ? "fl_c1,fl_c2" : "fl_c1");
	}
	for (int k = 0; k < WORKERS; k++) {
		pids[k] = fork();
		ck_assert_int_ge(pids[k], 0);
		if (pids[k] == 0)
			_exit(worker(k));
	}
	/* While they run, every snapshot must be a consistent floor. */
	while (running > 0) {
		int status;
		pid_t done;

		bad_calls += count(INV_AGENT_CALLS);
		bad_two += count(INV_TWO_CALLS);
		checks++;
		while ((done = waitpid(-1, &status, WNOHANG)) > 0) {
			ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0, "a worker saw errors");
			running--;
		}
	}
	ck_assert_int_gt(checks, 0);
	ck_assert_int_eq(bad_calls, 0);
	ck_assert_int_eq(bad_two, 0);
	/* And at the end, also no call left waiting beside a ready agent. (While
	 * the floor is busy one may be passed over for an instant: it is locked
	 * by the hangup that is taking it out of the queue.) */
	ck_assert_int_eq(count(INV_AGENT_CALLS), 0);
	ck_assert_int_eq(count(INV_TWO_CALLS), 0);
	ck_assert_int_eq(count(INV_LOST_WAKEUP), 0);
	ck_assert_int_eq(count("select count(*) from call"), WORKERS * CALLS_EACH);
	ck_assert_int_eq(count("select count(*) from call where state = 'offered' and agent_login is null "
			       "or state = 'queued' and agent_login is not null"), 0);
	/* No call rang at two agents at once: the ringing spans of one call
	 * (from the state history) never overlap. */
	ck_assert_int_eq(count("with r as (select login, state, reason, started_at, lead(started_at) over "
			       "(partition by login order by started_at, id) as until from agent_state) "
			       "select count(*) from r r1 join r r2 on r1.reason = r2.reason and r1.login < r2.login "
			       "where r1.state = 'ringing' and r2.state = 'ringing' "
			       "and r1.started_at < coalesce(r2.until, 'infinity') "
			       "and r2.started_at < coalesce(r1.until, 'infinity')"), 0);
	/* Work was done on every path. */
	ck_assert_int_gt(count("select count(*) from call where state in ('ended', 'answered')"), 0);
	ck_assert_int_gt(count("select count(*) from call where state = 'abandoned'"), 0);
	ck_assert_int_gt(count("select count(*) from agent_state where reason like 'no answer%'"), 0);
	ck_assert_int_eq(count(STAT_DRIFT), 0);
}
END_TEST

/* Runs sql on c without waiting; true while it is still blocked 200 ms later. */
static bool send_blocks(struct db *c, const char *sql)
{
	ck_assert_int_eq(PQsendQuery(db_pg(c), sql), 1);
	usleep(200000);
	ck_assert_int_eq(PQconsumeInput(db_pg(c)), 1);
	return PQisBusy(db_pg(c)) == 1;
}

/* The rest of what was sent: its one value, or NULL on an error. */
static char *send_result(struct db *c)
{
	PGresult *res;
	char *v = NULL;

	while ((res = PQgetResult(db_pg(c)))) {
		if (PQresultStatus(res) == PGRES_TUPLES_OK && PQntuples(res) == 1)
			v = strdup(PQgetvalue(res, 0, 0));
		else if (PQresultStatus(res) != PGRES_COMMAND_OK)
			fprintf(stderr, "%s", PQresultErrorMessage(res));
		PQclear(res);
	}
	return v;
}

/* The two orders of "a call arrives" and "an agent becomes ready", each
 * held open at its worst moment: neither may leave the call waiting. */
START_TEST(routing_race_loses_no_wakeup)
{
	struct db *a, *r;
	long long id;
	char *v;

	queue("fl_x", 20);
	agent("fl_x1", "fl_x");
	a = testdb_connect(dbname, NULL);
	r = testdb_connect(dbname, NULL);

	/* The call is in (nobody ready) but not committed; the agent's ready waits for it. */
	ck_assert_int_eq(db_exec(a, "begin", 0, NULL), 0);
	ck_assert_int_eq(db_call_arrive(a, "010-5555-0002", NULL, "fl_x", NULL, &id), 0);
	ck_assert(send_blocks(r, "select agent_set_state_for('fl_x1', 'ready', 'race')"));
	ck_assert_int_eq(db_exec(a, "commit", 0, NULL), 0);
	v = send_result(r);
	ck_assert_ptr_nonnull(v);
	free(v);
	call_is(id, "offered/fl_x1");

	/* The agent is ready but not committed; the call arriving waits for it. */
	ck_assert_int_eq(db_call_hangup(db, id, NULL), 1);
	set_state("fl_x1", "not_ready");
	ck_assert_int_eq(db_exec(r, "begin", 0, NULL), 0);
	ck_assert_int_eq(db_agent_set_state_for(r, "fl_x1", "ready", "race"), 0);
	ck_assert(send_blocks(a, "select call_arrive('010-5555-0003', null, null, 'fl_x', null)"));
	ck_assert_int_eq(db_exec(r, "commit", 0, NULL), 0);
	v = send_result(a);
	ck_assert_ptr_nonnull(v);
	call_is(atoll(v), "offered/fl_x1");
	free(v);
	db_close(a);
	db_close(r);
}
END_TEST

/* --- ccterm-cti --------------------------------------------------------------- */

static int run_tool(const char *cmd, char *out, size_t outsz)
{
	return testdb_run(dbname, cmd, out, outsz);
}

START_TEST(cti_agent_and_call_route)
{
	char out[512], cmd[128];
	long long id;

	queue("fl_t", 20);
	agent("fl_t1", "fl_t");
	ck_assert_int_eq(run_tool("ccterm-cti call --ani 010-1234-5678 --queue fl_t", out, sizeof(out)), 0);
	id = atoll(out);
	call_is(id, "queued/");
	ck_assert_int_eq(run_tool("ccterm-cti agent fl_t1 ready", out, sizeof(out)), 0);
	call_is(id, "offered/fl_t1");
	snprintf(cmd, sizeof(cmd), "ccterm-cti no-answer %lld", id);
	ck_assert_int_eq(run_tool(cmd, out, sizeof(out)), 0);
	agent_is("fl_t1", "not_ready");
	ck_assert_int_eq(run_tool("ccterm-cti agent fl_t1 break", out, sizeof(out)), 0);
	agent_is("fl_t1", "break");
	ck_assert_int_eq(run_tool("ccterm-cti agent fl_t1 ready", out, sizeof(out)), 0);
	snprintf(cmd, sizeof(cmd), "ccterm-cti answer %lld", id);
	ck_assert_int_eq(run_tool(cmd, out, sizeof(out)), 0);
	agent_is("fl_t1", "on_call");
	snprintf(cmd, sizeof(cmd), "ccterm-cti hangup %lld", id);
	ck_assert_int_eq(run_tool(cmd, out, sizeof(out)), 0);
	agent_is("fl_t1", "wrap_up");
	ck_assert_int_eq(run_tool("ccterm-cti agent fl_t1 logout", out, sizeof(out)), 0);
	agent_is("fl_t1", "logged_out");
	ck_assert_int_eq(count("select count(*) from agent_state where login = 'fl_t1' and reason = 'cti'"), 4);
	ck_assert_int_eq(run_tool("ccterm-cti agent fl_t1 asleep", out, sizeof(out)), 2);
	ck_assert_int_eq(run_tool("ccterm-cti agent fl_nobody ready", out, sizeof(out)), 1);
	ck_assert_ptr_nonnull(strstr(out, "unknown agent fl_nobody"));
	ck_assert_int_eq(run_tool(cmd, out, sizeof(out)), 1);
	ck_assert_ptr_nonnull(strstr(out, "no such call"));
}
END_TEST

START_TEST(cti_simulate_leaves_a_consistent_floor)
{
	char out[1024];

	queue("fl_s1", 20);
	queue("fl_s2", 10);
	exec("insert into customer (name) select 'Caller ' || g from generate_series(1, 20) g;"
	     "insert into contact_point (kind, value) select 'phone', '+82105555' || lpad(g::text, 4, '0') "
	     "from generate_series(1, 20) g;"
	     "insert into customer_contact (customer_id, contact_point_id) "
	     "select c.id, p.id from customer c join contact_point p on p.id = c.id;");
	ck_assert_int_eq(run_tool("ccterm-cti simulate --rate 20 --duration 3 --agents 6 --speed 20 "
				  "--prefix fl_sim_ --seed 7", out, sizeof(out)), 0);
	ck_assert_msg(strstr(out, "calls offered") != NULL, "%s", out);
	/* Callers were found by their numbers; calls were answered and abandoned. */
	ck_assert_int_gt(count("select count(*) from call"), 20);
	ck_assert_int_gt(count("select count(*) from call where customer_id is not null"), 0);
	ck_assert_int_gt(count("select count(*) from call where answered_at is not null"), 0);
	/* Nothing left open, every simulated agent logged out, the counters right. */
	ck_assert_int_eq(count("select count(*) from call where state in ('queued', 'offered', 'answered')"), 0);
	ck_assert_int_eq(count("select count(*) from agent where login like 'fl\\_sim\\_%' and state <> 'logged_out'"), 0);
	ck_assert_int_eq(count("select count(*) from agent where login like 'fl\\_sim\\_%'"), 6);
	ck_assert_int_eq(count(INV_TWO_CALLS), 0);
	ck_assert_int_eq(count(STAT_DRIFT), 0);
	ck_assert_int_eq(count("select sum(offered_today) from wallboard_queues()"), count("select count(*) from call"));
	/* A second run reuses the agents. */
	ck_assert_int_eq(run_tool("ccterm-cti simulate --rate 5 --duration 1 --agents 6 --prefix fl_sim_ --queue fl_s2",
				  out, sizeof(out)), 0);
	ck_assert_int_eq(count("select count(*) from agent where login like 'fl\\_sim\\_%'"), 6);
	ck_assert_int_eq(count("select count(*) from call where state in ('queued', 'offered', 'answered')"), 0);
	ck_assert_int_eq(run_tool("ccterm-cti simulate --rate 5", out, sizeof(out)), 2);
	ck_assert_int_eq(run_tool("ccterm-cti simulate --rate 5 --duration 1 --queue nosuch", out, sizeof(out)), 1);
	ck_assert_ptr_nonnull(strstr(out, "unknown queue nosuch"));
}
END_TEST

static Suite *floor_suite(void)
{
	Suite *s = suite_create("floor");
	TCase *tc = tcase_create("floor");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, scripted_day_figures);
	tcase_add_test(tc, scripted_satisfaction_and_agent_day);
	tcase_add_test(tc, routing_waits_then_offers);
	tcase_add_test(tc, routing_takes_back_unanswered_calls);
	tcase_add_test(tc, agent_console_ready_gets_the_waiting_call);
	tcase_add_test(tc, boards_from_c);
	tcase_add_test(tc, routing_race_loses_no_wakeup);
	tcase_add_test(tc, concurrent_routing_never_doubles);
	tcase_add_test(tc, cti_agent_and_call_route);
	tcase_add_test(tc, cti_simulate_leaves_a_consistent_floor);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(floor_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
