/* check_pgbouncer.c - query traffic through PgBouncer in transaction mode
 * (Debian's pgbouncer, started here by tests/integration/pgbouncer-ctl in
 * front of the test cluster, several server connections used in turn): the
 * console's gateway connects and its pipeline ends in order, ccterm-admin
 * migrate leaves no lock and no setting on a pooled server connection, the
 * tools (agent add, a call offered and answered) work through it; two
 * consoles of one login through it: quitting one keeps the agent logged in,
 * quitting the last logs out, and a console killed does not keep its agent
 * logged in for ever (console_session, not pg_stat_activity, where the
 * pool's server connections look like consoles). LISTEN is what does not
 * work through it: it stays on a direct connection (docs/SCALE.md). */
#include "config.h"

#include <check.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "gateway/gateway.h"
#include "side_server.h"
#include "testdb.h"

static struct db *db;
static char dbname[64];
static struct side_server pgb;   /* its dir is the socket directory */

static void setup(void)
{
	side_server_ctl(&pgb, "stop");   /* one a failed test left */
	side_server_ctl(&pgb, "start");
	db = testdb_create(dbname);
}

static void teardown(void)
{
	testdb_drop(db, dbname);
}

/* In the runner, after the tests: no PgBouncer left running. */
static void bouncer_gone(void)
{
	side_server_gone(&pgb);
}

/* Through PgBouncer: the libpq environment pointed at its socket. */
static int run_pooled(const char *cmd, char *out, size_t outsz)
{
	char line[768];
	FILE *p;
	size_t n;
	int st;

	snprintf(line, sizeof(line), "PGHOST=%s PGPORT=6432 PGDATABASE=%s %s/%s 2>&1", pgb.dir, dbname,
		 testdb_builddir(), cmd);
	p = popen(line, "r");
	ck_assert(p != NULL);
	n = fread(out, 1, outsz - 1, p);
	out[n] = '\0';
	st = pclose(p);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

#define N_PIPE 24
static int got[N_PIPE], rcs[N_PIPE], ndone;

static void done(void *arg, const struct gw_reply *r)
{
	rcs[(int)(long)arg] = r->rc;
	ndone++;
}

static int read_int(const struct pg_result *res, void *out, char *err, size_t errsz)
{
	(void)err;
	(void)errsz;
	*(int *)out = atoi(PQgetvalue((const PGresult *)res, 0, 0));
	return 0;
}

/* Several server connections exist and are idle, so that consecutive
 * transactions of one client run on different ones (server_round_robin). */
static void pool_warm(void)
{
	char conninfo[160], err[256];
	struct db *c[4];

	snprintf(conninfo, sizeof(conninfo), "host=%s port=6432 dbname=%s", pgb.dir, dbname);
	for (int i = 0; i < 4; i++) {
		c[i] = db_open(conninfo, err, sizeof(err));
		ck_assert_msg(c[i] != NULL, "%s", err);
		ck_assert_int_eq(db_exec(c[i], "begin", 0, NULL), 0);
		ck_assert_int_eq(db_exec(c[i], "select 1", 0, NULL), 0);
	}
	for (int i = 0; i < 4; i++) {
		ck_assert_int_eq(db_exec(c[i], "commit", 0, NULL), 0);
		db_close(c[i]);
	}
}

START_TEST(the_console_gateway_works_through_pgbouncer)
{
	char conninfo[160], err[256];
	struct gateway *gw;
	long long end;

	pool_warm();
	snprintf(conninfo, sizeof(conninfo), "host=%s port=6432 dbname=%s", pgb.dir, dbname);
	/* PgBouncer 1.18 refuses the "options" startup parameter the gateway
	 * sets its timeouts with: it retries without them (PgBouncer's own
	 * query_timeout then holds). */
	gw = gateway_open(conninfo, err, sizeof(err));
	ck_assert_msg(gw != NULL, "%s", err);
	ndone = 0;
	for (int i = 0; i < N_PIPE; i++) {
		struct db_request rq;

		db_request_init(&rq, i == 7 ? "select 1 / 0" : "select $1::integer");
		if (i != 7)
			db_request_int(&rq, i * 10);
		got[i] = -1;
		ck_assert_int_eq(gateway_send(gw, &rq, i == 7 ? NULL : read_int, &got[i], done, (void *)(long)i), 0);
	}
	end = now_ms() + 10000;
	while (ndone < N_PIPE && now_ms() < end) {
		struct pollfd pfd;

		gateway_pollfd(gw, &pfd);
		poll(&pfd, pfd.fd >= 0 ? 1 : 0, 50);
		gateway_work(gw, pfd.fd >= 0 ? pfd.revents : 0);
	}
	ck_assert_int_eq(ndone, N_PIPE);
	for (int i = 0; i < N_PIPE; i++) {
		if (i == 7) {
			ck_assert_int_eq(rcs[i], -1);   /* fails only itself */
			continue;
		}
		ck_assert_msg(rcs[i] == 0 && got[i] == i * 10, "request %d: rc %d, got %d", i, rcs[i], got[i]);
	}
	ck_assert(gateway_up(gw));
	gateway_close(gw);
}
END_TEST

START_TEST(migrate_through_pgbouncer_leaves_nothing_on_a_pooled_session)
{
	char out[4096], *n;

	/* a database that has not been migrated: every step runs */
	ck_assert_int_eq(db_exec(db, "drop table schema_repeatables", 0, NULL), 0);
	pool_warm();
	for (int round = 0; round < 3; round++) {
		ck_assert_msg(run_pooled("ccterm-admin migrate", out, sizeof(out)) == 0, "migrate: %s", out);
		/* A session advisory lock taken in one transaction and "unlocked"
		 * in another runs on two server connections: the lock stays with
		 * an idle server connection, and the next migrator waits forever. */
		/* (this database's: advisory locks are per database, and other
		 * tests migrate theirs at the same time) */
		n = testdb_value(db, "select count(*) from pg_locks where locktype = 'advisory' and objid = 7734001 "
				     "and database = (select oid from pg_database where datname = current_database())");
		ck_assert_msg(strcmp(n, "0") == 0, "round %d: %s migrator locks left on pooled connections", round, n);
		free(n);
	}
	/* and a direct migrator is not kept waiting */
	ck_assert_int_eq(db_exec(db, "set lock_timeout = '2s'", 0, NULL), 0);
	ck_assert_msg(db_exec(db, "select pg_advisory_lock(7734001)", 0, NULL) == 0, "%s", db_error(db));
	ck_assert_int_eq(db_exec(db, "select pg_advisory_unlock(7734001)", 0, NULL), 0);
	/* no session setting left behind on a server connection either */
	n = testdb_value(db, "select count(*) from pg_stat_activity where datname = current_database() "
			     "and pid <> pg_backend_pid() and state = 'idle in transaction'");
	ck_assert_str_eq(n, "0");
	free(n);
}
END_TEST

START_TEST(the_tools_work_through_pgbouncer)
{
	char out[4096], cmd[256], *v;
	long long call;

	ck_assert_msg(run_pooled("ccterm-admin branch add SEL --name Seoul", out, sizeof(out)) == 0, "%s", out);
	ck_assert_msg(run_pooled("ccterm-admin agent add pgb1 --name 'Pool One' --branch SEL --extension SIP/901",
				 out, sizeof(out)) == 0, "%s", out);
	ck_assert_msg(run_pooled("ccterm-cti agent pgb1 ready", out, sizeof(out)) == 0, "%s", out);
	pool_warm();
	ck_assert_msg(run_pooled("ccterm-cti call --ani 01012345678 --agent pgb1", out, sizeof(out)) == 0, "%s", out);
	call = atoll(out);
	ck_assert_int_gt(call, 0);
	snprintf(cmd, sizeof(cmd), "ccterm-cti answer %lld", call);
	ck_assert_msg(run_pooled(cmd, out, sizeof(out)) == 0, "%s", out);
	snprintf(cmd, sizeof(cmd), "ccterm-cti hangup %lld", call);
	ck_assert_msg(run_pooled(cmd, out, sizeof(out)) == 0, "%s", out);
	v = testdb_value(db, "select state || ' ' || coalesce(agent_login, '-') from call order by id desc limit 1");
	ck_assert_str_eq(v, "ended pgb1");
	free(v);
}
END_TEST

/* A console of login (ccterm --headless: the desk, gateway and loop of the
 * screen, nothing drawn) whose queries go through PgBouncer, no relay, its
 * draft journal in a directory of its own. */
static pid_t console_pooled(const char *login, const char *name)
{
	char conninfo[256], state[160], bin[512];
	pid_t pid;

	snprintf(conninfo, sizeof(conninfo), "host=%s port=6432 dbname=%s user=%s", pgb.dir, dbname, login);
	snprintf(state, sizeof(state), "%s/state-%s", pgb.dir, name);
	mkdir(state, 0700);
	snprintf(bin, sizeof(bin), "%s/ccterm", testdb_builddir());
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		int fd = open("/dev/null", O_WRONLY);

		setenv("XDG_STATE_HOME", state, 1);
		dup2(fd, 1);
		execl(bin, bin, "--headless", "-r", "off", "-d", conninfo, (char *)NULL);
		_exit(127);
	}
	return pid;
}

/* Until the query says want (10 s at most); what it said last. */
static bool value_becomes(const char *sql, const char *want, char *last, size_t size)
{
	long long end = now_ms() + 10000;

	do {
		char *v = testdb_value(db, sql);

		snprintf(last, size, "%s", v ? v : "(null)");
		free(v);
		if (strcmp(last, want) == 0)
			return true;
		usleep(50000);
	} while (now_ms() < end);
	return false;
}

#define WAIT_VALUE(sql, want) \
	do { \
		char got_[256]; \
		ck_assert_msg(value_becomes(sql, want, got_, sizeof(got_)), "%s: %s, not %s", sql, got_, want); \
	} while (0)

/* Ends a console (SIGTERM: it quits as an agent's Ctrl-Q does; SIGKILL: it
 * dies) and waits for it. */
static void console_end(pid_t pid, int sig)
{
	int st;

	ck_assert_int_eq(kill(pid, sig), 0);
	ck_assert_int_eq(waitpid(pid, &st, 0), pid);
	if (sig == SIGTERM)
		ck_assert_msg(WIFEXITED(st) && WEXITSTATUS(st) == 0, "the console ended with status %d", st);
}

START_TEST(two_consoles_through_pgbouncer_the_last_one_out_logs_out)
{
	pid_t a, b;

	testdb_agent(db, "pgb2", "Pool Two", "agent");
	pool_warm();
	a = console_pooled("pgb2", "a");
	WAIT_VALUE("select count(*) from console_session where login = 'pgb2'", "1");
	b = console_pooled("pgb2", "b");
	WAIT_VALUE("select count(*) from console_session where login = 'pgb2'", "2");
	WAIT_VALUE("select state from agent where login = 'pgb2'", "not_ready");
	/* The pool's server connections all look like consoles of pgb2 to
	 * pg_stat_activity (the name its last client set): not asked. */
	console_end(a, SIGTERM);
	WAIT_VALUE("select count(*) from console_session where login = 'pgb2'", "1");
	WAIT_VALUE("select state from agent where login = 'pgb2'", "not_ready");
	console_end(b, SIGTERM);
	WAIT_VALUE("select count(*) from console_session where login = 'pgb2'", "0");
	WAIT_VALUE("select state || ' ' || coalesce(state_reason, '') from agent where login = 'pgb2'", "logged_out exit");
}
END_TEST

START_TEST(a_console_killed_does_not_keep_its_agent_logged_in)
{
	char out[4096];
	pid_t c, d;

	testdb_agent(db, "pgb3", "Pool Three", "agent");
	c = console_pooled("pgb3", "c");
	WAIT_VALUE("select count(*) from console_session where login = 'pgb3'", "1");
	d = console_pooled("pgb3", "d");
	WAIT_VALUE("select count(*) from console_session where login = 'pgb3'", "2");
	console_end(c, SIGKILL);
	/* Within its lease the killed console still counts. */
	ck_assert_msg(run_pooled("ccterm-cti timers --once", out, sizeof(out)) == 0, "%s", out);
	WAIT_VALUE("select count(*) from console_session where login = 'pgb3'", "2");
	/* Its lease over (its row made older than console_lease_seconds, as
	 * 90 s without a beat would): it is let go; the agent stays logged in
	 * for the console that still beats. */
	ck_assert_int_eq(db_exec(db, "update console_session set seen_at = seen_at - interval '10 minutes' "
				 "where id = (select min(id) from console_session where login = 'pgb3')", 0, NULL), 0);
	ck_assert_msg(run_pooled("ccterm-cti timers --once", out, sizeof(out)) == 0, "%s", out);
	WAIT_VALUE("select count(*) from console_session where login = 'pgb3'", "1");
	WAIT_VALUE("select state from agent where login = 'pgb3'", "not_ready");
	/* The last one killed too: once its lease is over the agent is out. */
	console_end(d, SIGKILL);
	ck_assert_int_eq(db_exec(db, "update console_session set seen_at = seen_at - interval '10 minutes' "
				 "where login = 'pgb3'", 0, NULL), 0);
	ck_assert_msg(run_pooled("ccterm-cti timers --once", out, sizeof(out)) == 0, "%s", out);
	WAIT_VALUE("select count(*) from console_session where login = 'pgb3'", "0");
	WAIT_VALUE("select state || ' ' || coalesce(state_reason, '') from agent where login = 'pgb3'", "logged_out lapsed");
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("pgbouncer");
	TCase *tc = tcase_create("transaction mode");

	tcase_add_unchecked_fixture(tc, NULL, bouncer_gone);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, the_console_gateway_works_through_pgbouncer);
	tcase_add_test(tc, migrate_through_pgbouncer_leaves_nothing_on_a_pooled_session);
	tcase_add_test(tc, the_tools_work_through_pgbouncer);
	tcase_add_test(tc, two_consoles_through_pgbouncer_the_last_one_out_logs_out);
	tcase_add_test(tc, a_console_killed_does_not_keep_its_agent_logged_in);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr;
	int failed;

	side_server_name(&pgb, "pgbouncer-ctl", "/tmp/ccterm-pgb");
	sr = srunner_create(suite());
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
