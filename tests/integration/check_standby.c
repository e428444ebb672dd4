/* check_standby.c - the supervisors' boards on a real streaming standby
 * (pg_basebackup -R of the test cluster, started here by
 * tests/integration/standby-ctl): with the board's conninfo naming the
 * standby then the primary and target_session_attrs=prefer-standby, the
 * board's gateway reads the standby, says it is one and how stale, shows a
 * call queued on the primary once replayed, and when the standby goes down
 * reconnects to the primary and says so. */
#include "config.h"

#include <check.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "ccterm/board_source.h"
#include "ccterm/floor.h"
#include "gateway/gateway.h"
#include "side_server.h"
#include "testdb.h"

static struct db *db;
static char dbname[64];
static struct side_server sby;   /* its dir is the socket directory */
static struct gateway *gw;

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* In the runner, after the tests: no standby left running. */
static void standby_gone(void)
{
	side_server_gone(&sby);
}

static void setup(void)
{
	char out[1024], conninfo[320], err[256];
	const char *primary = getenv("PGHOST");

	db = testdb_create(dbname);
	testdb_agent(db, "sby_sup", "Floor Lead", "supervisor");
	ck_assert_msg(testdb_run(dbname, "ccterm-admin queue add SBYQ --sla 20", out, sizeof(out)) == 0, "%s", out);
	side_server_gone(&sby);   /* one a failed test left */
	side_server_ctl(&sby, "start");
	/* what a supervisor's console is given with -b */
	snprintf(conninfo, sizeof(conninfo),
		 "host=%s,%s port=5433,%s dbname=%s user=sby_sup target_session_attrs=prefer-standby", sby.dir,
		 primary ? primary : "/tmp", getenv("PGPORT") ? getenv("PGPORT") : "5432", dbname);
	gw = gateway_open(conninfo, err, sizeof(err));
	ck_assert_msg(gw != NULL, "%s", err);
}

static void teardown(void)
{
	gateway_close(gw);
	side_server_gone(&sby);
	testdb_drop(db, dbname);
}

static int ndone, last_rc;

static void done(void *arg, const struct gw_reply *r)
{
	(void)arg;
	last_rc = r->rc;
	ndone++;
}

/* The console's loop, for ms: reconnecting happens in here. */
static void pump(int ms)
{
	long long end = now_ms() + ms;

	while (now_ms() < end) {
		struct pollfd pfd;

		gateway_pollfd(gw, &pfd);
		poll(&pfd, pfd.fd >= 0 ? 1 : 0, 20);
		gateway_work(gw, pfd.fd >= 0 ? pfd.revents : 0);
	}
}

/* The board's two requests, as the wallboard sends them; true when both ran. */
static bool board_read(struct board_source *src, struct queue_stat *q, int *nq)
{
	struct queue_stat rows[16];
	struct floor_queues fq = { .rows = rows, .max = 16 };
	struct db_request rq;
	long long end = now_ms() + 5000;
	bool ok = true;

	ndone = 0;
	db_board_source_request(&rq);
	if (gateway_send(gw, &rq, db_board_source_read, src, done, NULL) < 0)
		return false;
	while (ndone < 1 && now_ms() < end) {
		struct pollfd pfd;

		gateway_pollfd(gw, &pfd);
		poll(&pfd, pfd.fd >= 0 ? 1 : 0, 50);
		gateway_work(gw, pfd.fd >= 0 ? pfd.revents : 0);
	}
	ok = ndone == 1 && last_rc == 0;
	ndone = 0;
	db_wallboard_queues_request(&rq);
	if (gateway_send(gw, &rq, db_wallboard_queues_read, &fq, done, NULL) < 0)
		return false;
	while (ndone < 1 && now_ms() < end) {
		struct pollfd pfd;

		gateway_pollfd(gw, &pfd);
		poll(&pfd, pfd.fd >= 0 ? 1 : 0, 50);
		gateway_work(gw, pfd.fd >= 0 ? pfd.revents : 0);
	}
	ok = ok && ndone == 1 && last_rc == 0;
	*nq = 0;
	for (int i = 0; i < fq.n; i++)
		if (strcmp(rows[i].name, "SBYQ") == 0)
			q[(*nq)++] = rows[i];
	return ok;
}

START_TEST(the_board_reads_the_standby_and_shows_what_the_primary_wrote)
{
	struct board_source src = { 0 };
	struct queue_stat q[2];
	char out[256], label[128];
	long long end;
	int nq = 0;
	bool seen = false;

	ck_assert(board_read(&src, q, &nq));
	ck_assert(src.known);
	ck_assert_msg(src.standby, "the board's gateway is on the primary");
	ck_assert_int_eq(nq, 1);
	ck_assert_int_eq(q[0].waiting, 0);
	/* a caller queues on the primary (nobody is ready) */
	ck_assert_msg(testdb_run(dbname, "ccterm-cti call --ani 01033334444 --queue SBYQ", out, sizeof(out)) == 0,
		      "%s", out);
	/* Generous: the test cluster is shared by every test at once, and each
	 * of their CREATE DATABASE copies a template the standby replays too. */
	end = now_ms() + 90000;
	while (!seen && now_ms() < end) {
		ck_assert(board_read(&src, q, &nq));
		ck_assert(src.standby);
		seen = nq == 1 && q[0].waiting == 1;
		if (!seen)
			usleep(100 * 1000);
	}
	ck_assert_msg(seen, "the call queued on the primary never showed on the standby's board");
	ck_assert(src.streaming);
	ck_assert_msg(src.lag_secs >= 0 && src.lag_secs < 90, "lag %.1f s", src.lag_secs);
	board_source_label(&src, label, sizeof(label));
	ck_assert_msg(strncmp(label, "standby, ", 9) == 0, "%s", label);
}
END_TEST

START_TEST(with_the_standby_down_the_board_reads_the_primary)
{
	struct board_source src = { 0 };
	struct queue_stat q[2];
	char out[256], label[128];
	long long end;
	int nq = 0;
	bool back = false;

	ck_assert(board_read(&src, q, &nq));
	ck_assert(src.standby);
	side_server_ctl(&sby, "stop");
	ck_assert_msg(testdb_run(dbname, "ccterm-cti call --ani 01055556666 --queue SBYQ", out, sizeof(out)) == 0,
		      "%s", out);
	/* the first read fails as lost; the gateway reconnects, libpq skips the
	 * dead standby for the primary */
	end = now_ms() + 60000;
	while (!back && now_ms() < end) {
		memset(&src, 0, sizeof(src));
		back = board_read(&src, q, &nq) && src.known && !src.standby;
		if (!back)
			pump(200);
	}
	ck_assert_msg(back, "the board never came back on the primary: %s (known %d standby %d)", gateway_error(gw), src.known, src.standby);
	ck_assert_int_eq(nq, 1);
	ck_assert_int_eq(q[0].waiting, 1);
	ck_assert(src.lag_secs == 0);
	board_source_label(&src, label, sizeof(label));
	ck_assert_str_eq(label, "primary");
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("standby");
	TCase *tc = tcase_create("boards");

	tcase_add_unchecked_fixture(tc, NULL, standby_gone);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 300);
	tcase_add_test(tc, the_board_reads_the_standby_and_shows_what_the_primary_wrote);
	tcase_add_test(tc, with_the_standby_down_the_board_reads_the_primary);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr;
	int failed;

	side_server_name(&sby, "standby-ctl", "/tmp/ccterm-sby");
	sr = srunner_create(suite());
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
