/* check_gateway.c - the console's asynchronous connection against a real
 * PostgreSQL: requests in a pipeline end in order, a failing one fails only
 * itself, held requests wait for the loop's next wait, notifications arrive
 * parsed, a stopped server is "not responding" and then answers, a killed
 * connection fails what was in flight as lost and comes back by itself. */
#include "config.h"

#include <check.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "gateway/gateway.h"
#include "testdb.h"

static struct db *db;
static char dbname[64];
static struct gateway *gw;

struct seen {
	int n;
	int rc[8];
	char sqlstate[8][6];
	bool lost[8];
	int connected, lost_hook, notices;
	struct notice last;
};
static struct seen seen;

static void setup(void)
{
	char conninfo[128], err[256];

	memset(&seen, 0, sizeof(seen));
	db = testdb_create(dbname);
	snprintf(conninfo, sizeof(conninfo), "dbname=%s", dbname);
	gw = gateway_open(conninfo, err, sizeof(err));
	ck_assert_msg(gw != NULL, "%s", err);
}

static void teardown(void)
{
	gateway_close(gw);
	testdb_drop(db, dbname);
}

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* The console's loop, for ms or until cond holds. */
static bool run_until(int ms, bool (*cond)(void))
{
	long long end = now_ms() + ms;

	while (now_ms() < end) {
		struct pollfd pfd;
		int t = gateway_timeout(gw);

		if (cond && cond())
			return true;
		gateway_pollfd(gw, &pfd);
		if (t < 0 || t > 50)
			t = 50;
		poll(&pfd, pfd.fd >= 0 ? 1 : 0, t);
		gateway_work(gw, pfd.fd >= 0 ? pfd.revents : 0);
	}
	return cond ? cond() : true;
}

static void done(void *arg, const struct gw_reply *r)
{
	int i = seen.n++;

	(void)arg;
	seen.rc[i] = r->rc;
	seen.lost[i] = r->lost;
	snprintf(seen.sqlstate[i], sizeof(seen.sqlstate[i]), "%s", r->sqlstate);
}

static void on_connected(void *arg) { (void)arg; seen.connected++; }
static void on_lost(void *arg, const char *why) { (void)arg; (void)why; seen.lost_hook++; }
static void on_notice(void *arg, const struct notice *n) { (void)arg; seen.notices++; seen.last = *n; }

static int read_int(const struct pg_result *res, void *out, char *err, size_t errsz)
{
	(void)err;
	(void)errsz;
	*(int *)out = atoi(PQgetvalue((const PGresult *)res, 0, 0));
	return 0;
}

static void send(const char *sql, int *out)
{
	struct db_request rq;

	db_request_init(&rq, sql);
	ck_assert_int_eq(gateway_send(gw, &rq, out ? read_int : NULL, out, done, NULL), 0);
}

static bool three_done(void) { return seen.n >= 3; }
static bool one_done(void) { return seen.n >= 1; }
static bool two_done(void) { return seen.n >= 2; }
static bool noticed(void) { return seen.notices >= 1; }
static bool reconnected(void) { return seen.connected >= 1 && gateway_up(gw); }

START_TEST(a_pipeline_ends_in_order_and_a_failure_fails_only_itself)
{
	int a = 0, c = 0;

	send("select 41 + 1", &a);
	send("select 1 / 0", NULL);
	send("select 7", &c);
	ck_assert_uint_eq(gateway_pending(gw), 3);   /* all three out before any reply */
	ck_assert(run_until(5000, three_done));
	ck_assert_int_eq(seen.rc[0], 0);
	ck_assert_int_eq(a, 42);
	ck_assert_int_eq(seen.rc[1], -1);
	ck_assert_str_eq(seen.sqlstate[1], "22012");
	ck_assert(!seen.lost[1]);
	ck_assert_int_eq(seen.rc[2], 0);
	ck_assert_int_eq(c, 7);
	ck_assert_uint_eq(gateway_pending(gw), 0);
}
END_TEST

/* Held requests wait for the loop's next gateway_pollfd (after the frame),
 * then go out in order. The server's reply to a request sent at once would
 * be taken by gateway_work well within the wait. */
START_TEST(held_requests_go_out_when_the_loop_next_waits)
{
	int a = 0, b = 0;
	long long end;

	gateway_hold(gw);
	send("select 1", &a);
	send("select 2", &b);
	end = now_ms() + 300;
	while (now_ms() < end) {
		usleep(10000);
		gateway_work(gw, POLLIN);
	}
	ck_assert_int_eq(seen.n, 0);
	ck_assert(run_until(5000, two_done));
	ck_assert_int_eq(a, 1);
	ck_assert_int_eq(b, 2);
	ck_assert_int_eq(seen.rc[0], 0);
	ck_assert_int_eq(seen.rc[1], 0);
	/* The hold lasts one wait: what is sent next goes out at once. */
	send("select 3", NULL);
	ck_assert_uint_eq(gateway_pending(gw), 1);
	ck_assert(run_until(5000, three_done));
}
END_TEST

START_TEST(notifications_arrive_parsed)
{
	struct gw_hooks hooks = { .notice = on_notice };

	gateway_set_hooks(gw, &hooks);
	send("listen agent_kim", NULL);
	ck_assert(run_until(5000, one_done));
	ck_assert_int_eq(db_exec(db, "select pg_notify('agent_kim', 'call 12 abandoned')", 0, NULL), 0);
	ck_assert(run_until(5000, noticed));
	ck_assert_int_eq(seen.last.kind, NOTICE_CALL);
	ck_assert_int_eq(seen.last.call_id, 12);
	ck_assert_str_eq(seen.last.state, "abandoned");
	ck_assert_str_eq(seen.last.login, "kim");
}
END_TEST

START_TEST(a_stopped_server_is_not_responding_and_then_answers)
{
	char q[160];
	long long pid;
	int v = 0;

	send("select pg_backend_pid()", &v);
	ck_assert(run_until(5000, one_done));
	pid = v;
	ck_assert_int_gt(pid, 0);
	ck_assert_int_eq(kill((pid_t)pid, SIGSTOP), 0);
	send("select 5", &v);
	ck_assert(!gateway_stalled(gw));
	run_until(GW_STALL_MS + 300, NULL);   /* the loop goes on; nothing comes */
	ck_assert(gateway_stalled(gw));
	ck_assert(gateway_up(gw));
	ck_assert_int_eq(seen.n, 1);
	ck_assert_int_eq(kill((pid_t)pid, SIGCONT), 0);
	ck_assert(run_until(5000, two_done));
	ck_assert_int_eq(seen.rc[1], 0);
	ck_assert_int_eq(v, 5);
	ck_assert(!gateway_stalled(gw));
	snprintf(q, sizeof(q), "select count(*) from pg_stat_activity where pid = %lld and application_name = 'ccterm'",
		 pid);
	{
		char *n = testdb_value(db, q);

		ck_assert_str_eq(n, "1");   /* the console says who it is */
		free(n);
	}
}
END_TEST

START_TEST(a_killed_connection_fails_as_lost_and_comes_back)
{
	struct gw_hooks hooks = { .connected = on_connected, .lost = on_lost };
	char q[128];
	int v = 0;

	gateway_set_hooks(gw, &hooks);
	send("select pg_backend_pid()", &v);
	ck_assert(run_until(5000, one_done));
	send("select pg_sleep(10)", NULL);
	run_until(200, NULL);
	snprintf(q, sizeof(q), "select pg_terminate_backend(%d)", v);
	ck_assert_int_eq(db_exec(db, q, 0, NULL), 0);
	ck_assert(run_until(5000, two_done));
	ck_assert_int_eq(seen.rc[1], -1);
	ck_assert(seen.lost[1]);
	ck_assert_int_eq(seen.lost_hook, 1);
	ck_assert(!gateway_up(gw));
	/* Asked while down: refused at once, nothing waits. */
	{
		struct db_request rq;

		db_request_init(&rq, "select 1");
		ck_assert_int_eq(gateway_send(gw, &rq, NULL, NULL, done, NULL), -1);
	}
	ck_assert(run_until(8000, reconnected));
	send("select 3", &v);
	ck_assert(run_until(5000, three_done));
	ck_assert_int_eq(v, 3);
}
END_TEST

static Suite *gateway_suite(void)
{
	Suite *s = suite_create("gateway");
	TCase *tc = tcase_create("pipeline");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, a_pipeline_ends_in_order_and_a_failure_fails_only_itself);
	tcase_add_test(tc, held_requests_go_out_when_the_loop_next_waits);
	tcase_add_test(tc, notifications_arrive_parsed);
	tcase_add_test(tc, a_stopped_server_is_not_responding_and_then_answers);
	tcase_add_test(tc, a_killed_connection_fails_as_lost_and_comes_back);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(gateway_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
