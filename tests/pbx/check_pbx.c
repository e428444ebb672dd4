/* check_pbx.c - the PBX adapters end to end: a fake Asterisk (AMI) and a
 * fake FreeSWITCH (event socket) replay recorded transcripts
 * (tests/fixtures/pbx/, made by tests/pbx/fake_pbx.c) to the real
 * `ccterm-cti ami` / `esl`, which runs as a ccterm_cti login against a real
 * database; `ccterm-cti events` reads JSON lines from stdin and a socket.
 * Each test then reads the calls and the agents' states from the database. */
#include "config.h"

#include <check.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ccterm/admin.h"
#include "ccterm/pbx.h"
#include "integration/testdb.h"

/* Roles are cluster-wide and other test programs run at the same time:
 * every login here starts with pb_. */

static struct db *db;
static char dbname[64];

static void exec(const char *sql)
{
	ck_assert_msg(db_exec_script(db, sql) == 0, "%s: %s", sql, db_error(db));
}

static void value_is(const char *sql, const char *want)
{
	char *v = testdb_value(db, sql);

	ck_assert_msg(strcmp(v ? v : "(null)", want) == 0, "%s\n  got  %s\n  want %s", sql, v ? v : "(null)", want);
	free(v);
}

/* Waits up to ms for sql to return "t". */
static bool becomes(const char *sql, int ms)
{
	for (int t = 0; t < ms; t += 50) {
		char *v = testdb_value(db, sql);
		bool ok = v && strcmp(v, "t") == 0;

		free(v);
		if (ok)
			return true;
		usleep(50 * 1000);
	}
	return false;
}

static void setup(void)
{
	db = testdb_create(dbname);
	exec("do $$ begin create role pb_cti login; exception when duplicate_object then null; end $$;"
	     "grant ccterm_cti to pb_cti");
	ck_assert_int_eq(admin_queue_add(db, "support", 20, 80), 0);
	ck_assert_int_eq(admin_queue_add(db, "billing", 30, 80), 0);
	testdb_agent(db, "pb_kim", "Kim Minji", "agent");
	testdb_agent(db, "pb_lee", "Lee Jiho", "agent");
	ck_assert_msg(db_agent_extension(db, "pb_kim", "SIP/777") == 0, "%s", db_error(db));
	ck_assert_msg(db_agent_extension(db, "pb_lee", "SIP/778") == 0, "%s", db_error(db));
	exec("select agent_set_state_for('pb_kim', 'ready', 'test'); select agent_set_state_for('pb_lee', 'ready', 'test')");
}

static void teardown(void) { testdb_drop(db, dbname); }

static char *fixture(const char *name)
{
	static char path[4096];

	snprintf(path, sizeof(path), "%s/tests/fixtures/pbx/%s", getenv("CCTERM_TOP_SRCDIR"), name);
	return path;
}

/* ccterm-cti's role here, in every program's environment (testdb_spawn). */
static const char *const cti_user[] = { "PGUSER", "pb_cti", NULL };

static char *file_text(const char *path)
{
	static char buf[16384];
	FILE *f = fopen(path, "r");
	size_t n = f ? fread(buf, 1, sizeof(buf) - 1, f) : 0;

	buf[n] = '\0';
	if (f)
		fclose(f);
	return buf;
}

struct run {
	char dir[64];
	char port[4200], cti_log[4200], pbx_log[4200], secret[4200];
	pid_t pbx, cti;
};

/* Starts the fake PBX on a transcript and the adapter (ami or esl) on it. */
static void start(struct run *r, const char *proto, const char *transcript)
{
	char hostport[64], portnum[16] = "";
	FILE *f;

	snprintf(r->dir, sizeof(r->dir), "/tmp/ccterm-pbx-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(r->dir));
	snprintf(r->port, sizeof(r->port), "%s/port", r->dir);
	snprintf(r->cti_log, sizeof(r->cti_log), "%s/cti.log", r->dir);
	snprintf(r->pbx_log, sizeof(r->pbx_log), "%s/pbx.log", r->dir);
	snprintf(r->secret, sizeof(r->secret), "%s/secret", r->dir);
	f = fopen(r->secret, "w");
	ck_assert_ptr_nonnull(f);
	fputs(strcmp(proto, "ami") == 0 ? "s3cret\n" : "ClueCon\n", f);
	fclose(f);
	{
		const char *args[] = { strcmp(proto, "ami") == 0 ? "--crlf" : r->port,
				       strcmp(proto, "ami") == 0 ? r->port : fixture(transcript),
				       strcmp(proto, "ami") == 0 ? fixture(transcript) : NULL, NULL };

		r->pbx = testdb_spawn(dbname, "tests/pbx/fake_pbx", args, cti_user, r->pbx_log);
	}
	for (int i = 0; i < 200 && !*portnum; i++) {
		if ((f = fopen(r->port, "r"))) {
			if (!fgets(portnum, sizeof(portnum), f))
				portnum[0] = '\0';
			fclose(f);
		}
		if (!*portnum)
			usleep(20 * 1000);
	}
	ck_assert_msg(*portnum, "the fake PBX did not start: %s", file_text(r->pbx_log));
	portnum[strcspn(portnum, "\n")] = '\0';
	snprintf(hostport, sizeof(hostport), "127.0.0.1:%s", portnum);
	if (strcmp(proto, "ami") == 0) {
		const char *args[] = { "ami", hostport, "--user", "ccterm", "--secret-file", r->secret, NULL };

		r->cti = testdb_spawn(dbname, "ccterm-cti", args, cti_user, r->cti_log);
	} else {
		const char *args[] = { "esl", hostport, "--password-file", r->secret, NULL };

		r->cti = testdb_spawn(dbname, "ccterm-cti", args, cti_user, r->cti_log);
	}
}

/* Stops both; the adapter must have run until stopped, and the fake PBX
 * must have heard what it expected. */
static void finish(struct run *r)
{
	int cti = testdb_stop(r->cti), pbx;

	pbx = testdb_stop(r->pbx);
	ck_assert_msg(cti == 0, "ccterm-cti exit %d:\n%s", cti, file_text(r->cti_log));
	/* The PBX ends (0) when the adapter closes; killed (-1) is fine too, 1 is not. */
	ck_assert_msg(pbx != 1, "fake PBX: %s", file_text(r->pbx_log));
}

static void cleanup(struct run *r)
{
	unlink(r->port);
	unlink(r->cti_log);
	unlink(r->pbx_log);
	unlink(r->secret);
	rmdir(r->dir);
}

static void wait_for(struct run *r, const char *sql)
{
	ck_assert_msg(becomes(sql, 10000), "%s\nccterm-cti:\n%s\nfake PBX:\n%s", sql, file_text(r->cti_log),
		      file_text(r->pbx_log));
}

/* What the agent went through, in order: "ringing,on_call,wrap_up". */
static char *history(const char *login)
{
	static char sql[512];

	snprintf(sql, sizeof(sql),
		 "select string_agg(state, ',' order by started_at, id) from agent_state "
		 "where login = '%s' and coalesce(reason, '') <> 'test'", login);
	return sql;
}

START_TEST(ami_call_offered_answered_ended)
{
	struct run r;

	start(&r, "ami", "ami-answered.txt");
	wait_for(&r, "select exists (select 1 from call where pbx_id = '1764578400.101' and state = 'ended')");
	finish(&r);
	value_is("select concat_ws('|', c.ani, c.dnis, q.name, c.agent_login, c.answered_at is not null, c.routed) "
		 "from call c join queue q on q.id = c.queue_id where c.pbx_id = '1764578400.101'",
		 "01012345678|15881234|support|pb_kim|t|t");
	value_is(history("pb_kim"), "ringing,on_call,wrap_up");
	value_is("select count(*) from call", "1");
	value_is("select answered from queue_stat s join queue q on q.id = s.queue_id where q.name = 'support'", "1");
	/* The agent's own hangup after the caller's changed nothing more. */
	value_is("select ring_deadline is null from call", "t");
	cleanup(&r);
}
END_TEST

START_TEST(ami_caller_abandons_in_the_queue)
{
	struct run r;

	start(&r, "ami", "ami-abandon.txt");
	wait_for(&r, "select exists (select 1 from call where pbx_id = '1764578500.201' and state = 'abandoned')");
	finish(&r);
	value_is("select concat_ws('|', c.ani, c.dnis, q.name, coalesce(c.agent_login, '-')) from call c "
		 "join queue q on q.id = c.queue_id", "0221234567|15881234|support|-");
	value_is("select abandoned from queue_stat s join queue q on q.id = s.queue_id where q.name = 'support'", "1");
	cleanup(&r);
}
END_TEST

START_TEST(ami_ring_no_answer_requeues_and_the_next_agent_answers)
{
	struct run r;

	start(&r, "ami", "ami-ring-no-answer.txt");
	wait_for(&r, "select exists (select 1 from call where pbx_id = '1764578600.301' and state = 'ended')");
	finish(&r);
	/* One call: kim's unanswered ring (and its leg's hangup) did not end it. */
	value_is("select count(*) from call", "1");
	value_is("select concat_ws('|', agent_login, answered_at is not null, dnis) from call", "pb_lee|t|15889999");
	value_is("select state || '/' || state_reason from agent where login = 'pb_kim'", "not_ready/no answer");
	value_is(history("pb_kim"), "ringing,not_ready");
	value_is(history("pb_lee"), "ringing,on_call,wrap_up");
	cleanup(&r);
}
END_TEST

START_TEST(ami_transfer_to_another_queue_gives_each_agent_a_call)
{
	struct run r;

	start(&r, "ami", "ami-transfer.txt");
	wait_for(&r, "select count(*) = 2 and bool_and(state = 'ended') from call where pbx_id = '1764578700.401'");
	finish(&r);
	value_is("select string_agg(concat_ws('|', c.agent_login, q.name, c.ani, c.answered_at is not null), ' ' "
		 "order by c.id) from call c join queue q on q.id = c.queue_id",
		 "pb_kim|support|01055556666|t pb_lee|billing|01055556666|t");
	value_is(history("pb_kim"), "ringing,on_call,wrap_up");
	value_is(history("pb_lee"), "ringing,on_call,wrap_up");
	cleanup(&r);
}
END_TEST

START_TEST(ami_connection_dropped_mid_call_the_adapter_reconnects_and_carries_on)
{
	struct run r;

	start(&r, "ami", "ami-drop.txt");
	wait_for(&r, "select exists (select 1 from call where pbx_id = '1764578800.501' and state = 'ended')");
	finish(&r);
	value_is("select concat_ws('|', agent_login, answered_at is not null, ani) from call", "pb_kim|t|01077778888");
	ck_assert_msg(strstr(file_text(r.cti_log), "connection to the PBX lost; reconnecting"), "%s", file_text(r.cti_log));
	/* Logged in twice: once per connection. */
	{
		const char *log = file_text(r.cti_log), *p = log;
		int n = 0;

		while ((p = strstr(p, "logged in"))) {
			n++;
			p++;
		}
		ck_assert_msg(n == 2, "%s", log);
	}
	cleanup(&r);
}
END_TEST

START_TEST(ami_direct_transfer_to_an_extension_moves_the_call_to_that_agent)
{
	struct run r;

	testdb_agent(db, "pb_park", "Park Sora", "agent");
	ck_assert_msg(db_agent_extension(db, "pb_park", "SIP/8002") == 0, "%s", db_error(db));
	exec("select agent_set_state_for('pb_park', 'ready', 'test')");
	start(&r, "ami", "ami-transfer-direct.txt");
	wait_for(&r, "select count(*) = 2 and bool_and(state = 'ended') from call where pbx_id = '1764579100.801'");
	/* the call between two extensions (dialled, answered, hung up) comes after */
	usleep(300 * 1000);
	finish(&r);
	/* kim's part ended with her leg; park was offered the caller and answered */
	value_is("select string_agg(concat_ws('|', c.agent_login, c.ani, c.dnis, c.answered_at is not null), ' ' "
		 "order by c.id) from call c",
		 "pb_kim|01024681357|15881234|t pb_park|01024681357|15881234|t");
	value_is(history("pb_kim"), "ringing,on_call,wrap_up");
	value_is(history("pb_park"), "ringing,on_call,wrap_up");
	cleanup(&r);
}
END_TEST

START_TEST(ami_after_a_link_outage_the_adapter_resyncs_from_core_show_channels)
{
	struct run r;
	const char *log;

	start(&r, "ami", "ami-resync.txt");
	/* B ended while the link was down: closed; C arrived meanwhile: queued;
	 * A rang at 777 meanwhile: offered, then answered and ended live */
	wait_for(&r, "select exists (select 1 from call where pbx_id = '1764579200.601' and state = 'ended')");
	wait_for(&r, "select exists (select 1 from call where pbx_id = '1764579200.801' and state = 'queued')");
	finish(&r);
	value_is("select concat_ws('|', state, agent_login, answered_at is not null) from call "
		 "where pbx_id = '1764579200.701'", "ended|pb_lee|t");
	value_is("select concat_ws('|', state, agent_login, answered_at is not null) from call "
		 "where pbx_id = '1764579200.601'", "ended|pb_kim|t");
	value_is("select concat_ws('|', c.state, c.ani, q.name) from call c join queue q on q.id = c.queue_id "
		 "where c.pbx_id = '1764579200.801'", "queued|01011110003|support");
	value_is(history("pb_kim"), "ringing,on_call,wrap_up");
	value_is(history("pb_lee"), "ringing,on_call,wrap_up");
	log = file_text(r.cti_log);
	ck_assert_msg(strstr(log, "resync: 2 calls under way, 1 ended while the link was down"), "%s", log);
	cleanup(&r);
}
END_TEST

START_TEST(ami_hostile_frames_are_data_never_a_crash)
{
	struct run r;

	start(&r, "ami", "ami-hostile.txt");
	wait_for(&r, "select exists (select 1 from call where pbx_id = '1764578900.601' and state = 'ended')");
	finish(&r);
	/* Only the good call: the frames without ids, the unknown agent, the cut frames moved nothing. */
	value_is("select string_agg(pbx_id || ' ' || state || ' ' || coalesce(agent_login, '-'), ',' order by id) from call",
		 "1764578900.601 ended pb_kim");
	ck_assert_msg(strstr(file_text(r.cti_log), "no agent has extension or login SIP/999"), "%s", file_text(r.cti_log));
	cleanup(&r);
}
END_TEST

START_TEST(ami_without_a_pbx_says_so_and_keeps_trying)
{
	char log[] = "/tmp/ccterm-pbx-log-XXXXXX";
	/* The secret from the environment, never argv. */
	const char *args[] = { "ami", "127.0.0.1:1", "--user", "ccterm", NULL };
	const char *env[] = { "PGUSER", "pb_cti", "CCTERM_AMI_SECRET", "x", NULL };
	pid_t pid;

	ck_assert_int_ge(mkstemp(log), 0);
	pid = testdb_spawn(dbname, "ccterm-cti", args, env, log);
	usleep(400 * 1000);
	ck_assert_int_eq(testdb_stop(pid), 0);
	ck_assert_msg(strstr(file_text(log), "cannot connect to 127.0.0.1:1"), "%s", file_text(log));
	unlink(log);
}
END_TEST

START_TEST(esl_callcenter_events_answered_no_answer_abandon_and_a_drop)
{
	struct run r;

	/* FreeSWITCH agents are names: kim's is 1000@default, lee's "lee". */
	ck_assert_msg(db_agent_extension(db, "pb_kim", "1000@default") == 0, "%s", db_error(db));
	ck_assert_msg(db_agent_extension(db, "pb_lee", "lee") == 0, "%s", db_error(db));
	start(&r, "esl", "esl-callcenter.txt");
	wait_for(&r, "select count(*) = 2 and bool_and(state in ('ended', 'abandoned')) from call");
	finish(&r);
	value_is("select string_agg(concat_ws('|', c.pbx_id, c.state, coalesce(c.agent_login, '-'), c.ani, c.dnis, q.name), "
		 "' ' order by c.id) from call c join queue q on q.id = c.queue_id",
		 "b2e1d4f3-0001-4c8b-8e4f-6d2e3f4a5b01|ended|pb_kim|01012345678|15881234|support "
		 "b2e1d4f3-0002-4c8b-8e4f-6d2e3f4a5b02|abandoned|-|0221234567|15889999|support");
	value_is(history("pb_kim"), "ringing,on_call,wrap_up");
	value_is("select state || '/' || state_reason from agent where login = 'pb_lee'", "not_ready/no answer");
	ck_assert_msg(strstr(file_text(r.cti_log), "reconnecting"), "%s", file_text(r.cti_log));
	cleanup(&r);
}
END_TEST

/* Runs `ccterm-cti events` as the CTI login on input; its output into out. */
static int events_stdin(const char *input, char *out, size_t outsz)
{
	char *path = testdb_file(input), cmd[4200];
	FILE *p;
	size_t n;
	int rc;

	snprintf(cmd, sizeof(cmd), "PGDATABASE=%s PGUSER=pb_cti %s/ccterm-cti events < %s 2>&1", dbname,
		 testdb_builddir(), path);
	p = popen(cmd, "r");
	ck_assert_ptr_nonnull(p);
	n = fread(out, 1, outsz - 1, p);
	out[n] = '\0';
	rc = WEXITSTATUS(pclose(p));
	unlink(path);
	free(path);
	return rc;
}

START_TEST(events_json_lines_on_stdin)
{
	char out[8192];
	char *huge = malloc(100000);
	size_t n;

	ck_assert_ptr_nonnull(huge);
	n = (size_t)snprintf(huge, 100000, "{\"event\":\"offered\",\"call_id\":\"big\",\"agent\":\"");
	memset(huge + n, 'a', 90000);
	strcpy(huge + n + 90000, "\"}\n"
	       "not json at all\n"
	       "{\"event\":\"offered\"}\n"
	       "{\"event\":\"exploded\",\"call_id\":\"z\"}\n"
	       "{\"event\":\"offered\",\"call_id\":7,\"ani\":[1]}\n"
	       "[1,2,3]\n"
	       "{\"event\":\"offered\",\"call_id\":\"c-1\",\"ani\":\"010-1234-5678\",\"dnis\":\"1588-1234\","
	       "\"queue\":\"support\",\"agent\":\"SIP/777\"}\n"
	       "{\"event\":\"answered\",\"call_id\":\"c-1\",\"agent\":\"pb_kim\"}\n"
	       "{\"event\":\"ended\",\"call_id\":\"c-1\"}\n"
	       "{\"event\":\"offered\",\"call_id\":42,\"ani\":\"0212345678\",\"agent\":\"pb_lee\"}\n"
	       "{\"event\":\"abandoned\",\"call_id\":42}\n"
	       "{\"event\":\"ended\",\"call_id\":\"never-seen\"}\n"
	       "{\"event\":\"offered\",\"call_id\":\"c-2\",\"agent\":\"pb_kim\"}");
	ck_assert_int_eq(events_stdin(huge, out, sizeof(out)), 0);
	free(huge);
	value_is("select string_agg(concat_ws('|', pbx_id, state, agent_login, ani, dnis), ' ' order by id) from call",
		 "c-1|ended|pb_kim|010-1234-5678|1588-1234 42|abandoned|pb_lee|0212345678 c-2|offered|pb_kim");
	ck_assert_msg(strstr(out, "a line longer than 65536 bytes skipped"), "%s", out);
	ck_assert_msg(strstr(out, "line skipped: not JSON"), "%s", out);
	ck_assert_msg(strstr(out, "\"call_id\" (a string or an integer) is missing"), "%s", out);
	ck_assert_msg(strstr(out, "\"ani\" must be a string"), "%s", out);
	ck_assert_msg(strstr(out, "never-seen ended: no such call"), "%s", out);
	value_is(history("pb_lee"), "ringing,ready");
}
END_TEST

START_TEST(events_from_clients_of_a_unix_socket)
{
	char dir[] = "/tmp/ccterm-ev-XXXXXX", path[200], log[200];
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	const char *args[] = { "events", "--socket", path, NULL };
	static const char lines[] =
		"{\"event\":\"offered\",\"call_id\":\"s-1\",\"ani\":\"01012345678\",\"agent\":\"SIP/778\"}\n"
		"\x01\x02\xff garbage\n"
		"{\"event\":\"answered\",\"call_id\":\"s-1\",\"agent\":\"SIP/778\"}\n";
	pid_t pid;
	int fd = -1;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/events.sock", dir);
	snprintf(log, sizeof(log), "%s/log", dir);
	pid = testdb_spawn(dbname, "ccterm-cti", args, cti_user, log);
	strcpy(sa.sun_path, path);
	for (int i = 0; i < 200; i++) {
		fd = socket(AF_UNIX, SOCK_STREAM, 0);
		if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0)
			break;
		close(fd);
		fd = -1;
		usleep(20 * 1000);
	}
	ck_assert_msg(fd >= 0, "%s", file_text(log));
	ck_assert_int_eq(write(fd, lines, sizeof(lines) - 1), (ssize_t)(sizeof(lines) - 1));
	ck_assert_msg(becomes("select exists (select 1 from call where pbx_id = 's-1' and state = 'answered')", 10000),
		      "%s", file_text(log));
	close(fd);
	ck_assert_int_eq(testdb_stop(pid), 0);
	value_is("select agent_login from call", "pb_lee");
	ck_assert_msg(access(path, F_OK) != 0, "the socket is removed at the end");
	unlink(log);
	rmdir(dir);
}
END_TEST

/* Agents without table rights cannot drive PBX calls: the functions are the CTI's. */
START_TEST(only_the_cti_login_acts_on_pbx_calls)
{
	struct db *kim = testdb_connect(dbname, "pb_kim");

	ck_assert_ptr_nonnull(kim);
	ck_assert_ptr_null(db_query(kim, "select pbx_call_hungup('x')", 0, NULL));
	ck_assert_str_eq(db_sqlstate(kim), "42501");
	db_close(kim);
}
END_TEST

START_TEST(admin_sets_and_changes_extensions)
{
	char out[1024];

	ck_assert_int_eq(testdb_run(dbname, "ccterm-admin agent add pb_park --name Park --branch SEL --extension PJSIP/779",
				    out, sizeof(out)), 0);
	value_is("select extension from agent where login = 'pb_park'", "PJSIP/779");
	/* Another agent's extension is refused, saying whose it is. */
	ck_assert_int_eq(testdb_run(dbname, "ccterm-admin agent extension pb_park sip/777", out, sizeof(out)), 1);
	ck_assert_msg(strstr(out, "extension sip/777 is agent pb_kim's already"), "%s", out);
	ck_assert_int_eq(testdb_run(dbname, "ccterm-admin agent extension pb_park SIP/780", out, sizeof(out)), 0);
	value_is("select extension from agent where login = 'pb_park'", "SIP/780");
	/* agent add again without --extension keeps it. */
	ck_assert_int_eq(testdb_run(dbname, "ccterm-admin agent add pb_park --name Park --branch SEL", out, sizeof(out)), 0);
	value_is("select extension from agent where login = 'pb_park'", "SIP/780");
	ck_assert_int_eq(testdb_run(dbname, "ccterm-admin agent extension pb_park -", out, sizeof(out)), 0);
	value_is("select extension from agent where login = 'pb_park'", "(null)");
	ck_assert_int_eq(testdb_run(dbname, "ccterm-admin agent extension pb_nobody SIP/1", out, sizeof(out)), 1);
	ck_assert_msg(strstr(out, "no agent pb_nobody"), "%s", out);
}
END_TEST

/* The PBX routes its calls: ccterm neither offers them nor times their ring. */
START_TEST(pbx_calls_are_not_routed_nor_timed_by_ccterm)
{
	exec("insert into agent_queue (login, queue_id) select 'pb_kim', id from queue where name = 'support'");
	exec("insert into settings (key, value) values ('ring_timeout_seconds', '1') "
	     "on conflict (key) do update set value = excluded.value");
	exec("select pbx_call_queued('q-1', '01012345678', '+821012345678', '1588', 'support')");
	/* kim is ready and serves support, yet the call waits for the PBX. */
	value_is("select state from call where pbx_id = 'q-1'", "queued");
	exec("select agent_set_state_for('pb_kim', 'not_ready', 'test'); select agent_set_state_for('pb_kim', 'ready', 'test')");
	value_is("select state from call where pbx_id = 'q-1'", "queued");
	exec("select pbx_call_offered('q-1', 'SIP/777', null, null, null, null, null)");
	value_is("select state || ' ' || (ring_deadline is null) from call where pbx_id = 'q-1'", "offered true");
	usleep(1200 * 1000);
	value_is("select call_ring_expire()", "0");
	/* The same event again changes nothing. */
	exec("select pbx_call_offered('q-1', 'SIP/777', null, null, null, null, null)");
	value_is(history("pb_kim"), "ringing");
}
END_TEST

/* --- a database restart under a running adapter ----------------------------- */

static void restart_cluster_stop(void)
{
	testdb_pg("restart-pbx", "stop");
}

/* Sends lines to the socket of a running `events --socket`; -1 when it cannot connect. */
static int send_lines(const char *path, const char *lines)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd = -1;

	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", path);
	for (int i = 0; i < 200; i++) {
		fd = socket(AF_UNIX, SOCK_STREAM, 0);
		if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0)
			break;
		close(fd);
		fd = -1;
		usleep(20 * 1000);
	}
	if (fd < 0)
		return -1;
	if (write(fd, lines, strlen(lines)) != (ssize_t)strlen(lines)) {
		close(fd);
		return -1;
	}
	close(fd);
	return 0;
}

START_TEST(an_adapter_waits_out_a_database_restart_and_applies_the_event_it_held)
{
	char dir[] = "/tmp/ccterm-ev-XXXXXX", path[200], log[200];
	const char *args[] = { "events", "--socket", path, NULL };
	pid_t pid;

	testdb_private_cluster("restart-pbx");
	setup();
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/events.sock", dir);
	snprintf(log, sizeof(log), "%s/log", dir);
	pid = testdb_spawn(dbname, "ccterm-cti", args, cti_user, log);
	ck_assert_int_eq(send_lines(path, "{\"event\":\"offered\",\"call_id\":\"r-1\",\"agent\":\"SIP/777\"}\n"), 0);
	ck_assert_msg(becomes("select exists (select 1 from call where pbx_id = 'r-1')", 10000), "%s", file_text(log));
	db_close(db);
	db = NULL;
	ck_assert_int_eq(testdb_pg("restart-pbx", "restart"), 0);
	db = testdb_connect(dbname, NULL);
	/* The first event after the restart finds the connection gone: the adapter reconnects and applies it. */
	ck_assert_int_eq(send_lines(path, "{\"event\":\"answered\",\"call_id\":\"r-1\",\"agent\":\"SIP/777\"}\n"), 0);
	ck_assert_msg(becomes("select exists (select 1 from call where pbx_id = 'r-1' and state = 'answered')", 15000),
		      "%s", file_text(log));
	ck_assert_int_eq(testdb_stop(pid), 0);
	ck_assert_msg(strstr(file_text(log), "reconnected after"), "%s", file_text(log));
	unlink(log);
	rmdir(dir);
	teardown();
	db = NULL;
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("pbx");
	TCase *tc = tcase_create("adapters");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, ami_call_offered_answered_ended);
	tcase_add_test(tc, ami_caller_abandons_in_the_queue);
	tcase_add_test(tc, ami_ring_no_answer_requeues_and_the_next_agent_answers);
	tcase_add_test(tc, ami_transfer_to_another_queue_gives_each_agent_a_call);
	tcase_add_test(tc, ami_connection_dropped_mid_call_the_adapter_reconnects_and_carries_on);
	tcase_add_test(tc, ami_direct_transfer_to_an_extension_moves_the_call_to_that_agent);
	tcase_add_test(tc, ami_after_a_link_outage_the_adapter_resyncs_from_core_show_channels);
	tcase_add_test(tc, ami_hostile_frames_are_data_never_a_crash);
	tcase_add_test(tc, ami_without_a_pbx_says_so_and_keeps_trying);
	tcase_add_test(tc, esl_callcenter_events_answered_no_answer_abandon_and_a_drop);
	tcase_add_test(tc, events_json_lines_on_stdin);
	tcase_add_test(tc, events_from_clients_of_a_unix_socket);
	tcase_add_test(tc, only_the_cti_login_acts_on_pbx_calls);
	tcase_add_test(tc, admin_sets_and_changes_extensions);
	tcase_add_test(tc, pbx_calls_are_not_routed_nor_timed_by_ccterm);
	suite_add_tcase(s, tc);
	tc = tcase_create("restart");
	tcase_set_timeout(tc, 90);
	tcase_add_unchecked_fixture(tc, NULL, restart_cluster_stop);
	tcase_add_test(tc, an_adapter_waits_out_a_database_restart_and_applies_the_event_it_held);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
