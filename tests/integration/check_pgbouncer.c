/* check_pgbouncer.c - query traffic through PgBouncer in transaction mode
 * (Debian's pgbouncer, started here by tests/integration/pgbouncer-ctl in
 * front of the test cluster, several server connections used in turn): the
 * console's gateway connects and its pipeline ends in order, ccterm-admin
 * migrate leaves no lock and no setting on a pooled server connection, the
 * tools (agent add, a call offered and answered) work through it. LISTEN is
 * what does not: it stays on a direct connection (docs/SCALE.md). */
#include "config.h"

#include <check.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "gateway/gateway.h"
#include "testdb.h"

static struct db *db;
static char dbname[64];
static char bouncer[64];    /* its socket directory */
static long runner;         /* the test runner's pid: names the directory in every forked test */

static void bouncer_ctl(const char *verb)
{
	char cmd[512];
	const char *top = getenv("CCTERM_TOP_SRCDIR");

	snprintf(cmd, sizeof(cmd), "%s/tests/integration/pgbouncer-ctl %s %s >/dev/null", top ? top : ".", verb,
		 bouncer);
	ck_assert_msg(system(cmd) == 0, "%s failed", cmd);
}

/* One a failed test left is stopped first. */
static void bouncer_restart(void)
{
	bouncer_ctl("stop");
	bouncer_ctl("start");
}

static void setup(void)
{
	snprintf(bouncer, sizeof(bouncer), "/tmp/ccterm-pgb.%ld", runner);
	bouncer_restart();
	db = testdb_create(dbname);
}

static void teardown(void)
{
	testdb_drop(db, dbname);
}

/* In the runner, after the tests: a failed test (its forked process ends
 * at the failure, before its teardown) leaves no PgBouncer running. */
static void bouncer_gone(void)
{
	char cmd[128];

	snprintf(bouncer, sizeof(bouncer), "/tmp/ccterm-pgb.%ld", runner);
	bouncer_ctl("stop");
	snprintf(cmd, sizeof(cmd), "rm -rf %s", bouncer);
	ck_assert_int_eq(system(cmd), 0);
}


/* Through PgBouncer: the libpq environment pointed at its socket. */
static int run_pooled(const char *cmd, char *out, size_t outsz)
{
	char line[768];
	FILE *p;
	size_t n;
	int st;

	snprintf(line, sizeof(line), "PGHOST=%s PGPORT=6432 PGDATABASE=%s %s/%s 2>&1", bouncer, dbname,
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

	snprintf(conninfo, sizeof(conninfo), "host=%s port=6432 dbname=%s", bouncer, dbname);
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
	snprintf(conninfo, sizeof(conninfo), "host=%s port=6432 dbname=%s", bouncer, dbname);
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
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr;
	int failed;

	runner = (long)getpid();
	sr = srunner_create(suite());
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
