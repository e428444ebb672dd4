/* check_outage.c - the console never waits on the database: with the server
 * process serving it stopped (SIGSTOP) every keystroke still echoes, the
 * status bar says the database is not responding, nothing typed is lost and
 * the save goes through once it answers again; after a server restart an
 * offered call is on screen at once. */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "console.h"

static long long mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* How long a key may take to show while the server is stopped: half the
 * gateway's GW_STALL_MS (src/gateway/gateway.h), the shortest wait the
 * console has on the database, so a loop that waited on it at all fails;
 * a loop that does not echoes in a few ms even on a loaded box (the
 * measured figure is printed). */
#define ECHO_BOUND_MS 500

/* Types text key by key into Notes, which already show `shown`; returns the
 * slowest echo in ms (>= 1000 when a key did not show within a second). */
static long long type_measured(struct vt *vt, char *shown, size_t size, const char *text)
{
	long long worst = 0;
	size_t n = strlen(shown);

	for (const char *p = text; *p && n + 1 < size; p++) {
		char key[2] = { *p, '\0' };
		long long t0, took;

		shown[n++] = *p;
		shown[n] = '\0';
		ck_assert_int_eq(vt_type(vt, key), 0);
		t0 = mono_ms();
		took = vt_wait_for(vt, shown, 1000) ? mono_ms() - t0 : 1000;
		if (took > worst)
			worst = took;
	}
	return worst;
}

START_TEST(a_stopped_server_never_stops_the_keyboard)
{
	char shown[64] = "";
	struct vt *vt;
	pid_t backend, dog;
	long long before, after;

	testdb_agent(db, "gw_a1", "Agent Stop", "agent");
	console_customer("정지훈", "registered", "+821077778888", 3);
	vt = console("gw_a1", 24, 80);
	VT_ASSERT_WAIT(vt, "Waiting for calls", 5000);
	console_call("+821077778888", "gw_a1");
	VT_ASSERT_WAIT(vt, "Notes (Enter new line", 3000);
	VT_ASSERT_WAIT(vt, "on_call", 3000);
	ck_assert(vt_wait_quiet(vt, 300, 3000));
	backend = (pid_t)console_backend_pid("gw_a1");
	ck_assert_int_gt(backend, 0);
	dog = console_freeze(backend, 25);

	/* Every key shows while the server is stopped (a bound on a blocked
	 * loop, not a benchmark: 50 ms was one, and a loaded box's scheduler
	 * could exceed it): while the agent types, and after F10 sent the save
	 * to a server that does not answer; the server is still stopped after
	 * the last key, so no key waited for it to go on. */
	before = type_measured(vt, shown, sizeof(shown), "before-save,");
	VT_ASSERT_WAIT(vt, "DB not responding", 5000);
	ck_assert_int_eq(vt_type(vt, "<F10>"), 0);
	VT_ASSERT_WAIT(vt, "Saving…", 2000);
	after = type_measured(vt, shown, sizeof(shown), " after-save");
	VT_ASSERT_WAIT(vt, "DB not responding", 1000);
	ck_assert_msg(console_process_stopped(backend), "the server process went on before the last key showed");
	console_thaw(backend, dog);
	fprintf(stderr, "slowest echo with the server stopped: %lld ms typing, %lld ms with a save waiting\n",
		before, after);
	ck_assert_msg(before <= ECHO_BOUND_MS, "a key took %lld ms to show with the server stopped", before);
	ck_assert_msg(after <= ECHO_BOUND_MS, "a key took %lld ms to show with a save waiting on a stopped server",
		      after);
	/* It carries on: the save lands, the bar says the database is fine, and
	 * what was typed after the save is on screen and not taken for saved. */
	VT_ASSERT_WAIT(vt, "what you typed since is not: F10 again", 10000);
	VT_ASSERT_WAIT(vt, "DB ok", 3000);
	VT_ASSERT_WAIT(vt, "before-save, after-save", 1000);
	vt_free(vt);
	ck_assert_int_eq(value("select count(*) from interaction where agent_login = 'gw_a1'"), 1);
	ck_assert_int_eq(value("select count(*) from interaction where agent_login = 'gw_a1' "
			       "and body = 'before-save,'"), 1);
}
END_TEST

START_TEST(offered_calls_show_right_after_a_server_restart)
{
	struct vt *vt;
	long long first, second;
	long long t0, took;
	char want[64];

	testdb_private_cluster("restart-outage");
	console_setup();
	testdb_agent(db, "gw_r1", "Agent Restart", "agent");
	console_customer("유재석", "platinum", "+821066667777", 2);
	console_customer("강호동", "registered", "+821066668888", 2);
	vt = console("gw_r1", 24, 80);
	VT_ASSERT_WAIT(vt, "Waiting for calls", 5000);
	/* The agent is typing a note when a call is offered: it waits in the banner. */
	ck_assert_int_eq(vt_type(vt, "<F3>메모 중"), 0);
	VT_ASSERT_WAIT(vt, "메모 중", 2000);
	first = console_call("+821066667777", "gw_r1");
	snprintf(want, sizeof(want), "Incoming call #%lld waiting", first);
	VT_ASSERT_WAIT(vt, want, 3000);
	/* The server restarts: the console reconnects and re-reads what is offered. */
	db_close(db);
	db = NULL;
	ck_assert_int_eq(testdb_pg("restart-outage", "stop"), 0);
	VT_ASSERT_WAIT(vt, "DB DOWN", 5000);
	ck_assert_int_eq(testdb_pg("restart-outage", "start"), 0);
	VT_ASSERT_WAIT(vt, "DB ok", 10000);
	VT_ASSERT_WAIT(vt, want, 1000);
	VT_ASSERT_WAIT(vt, "메모 중", 1000);
	/* A call offered the moment the server is back shows at once. */
	db = testdb_connect(dbname, NULL);
	ck_assert_int_eq(testdb_pg("restart-outage", "stop"), 0);
	db_close(db);
	db = NULL;
	ck_assert_int_eq(testdb_pg("restart-outage", "start"), 0);
	db = testdb_connect(dbname, NULL);
	snprintf(want, sizeof(want), "select call_hangup(%lld)", first);
	console_sql(want);
	t0 = mono_ms();
	second = console_call("+821066668888", "gw_r1");
	snprintf(want, sizeof(want), "Incoming call #%lld waiting", second);
	VT_ASSERT_WAIT(vt, want, 8000);
	took = mono_ms() - t0;
	fprintf(stderr, "offer after restart shown in %lld ms\n", took);
	ck_assert_msg(took < 5000, "the offer took %lld ms to show after the restart", took);
	vt_free(vt);
	console_teardown();
	testdb_pg("restart-outage", "stop");
}
END_TEST

static Suite *gateway_suite(void)
{
	Suite *s = suite_create("gateway");
	TCase *tc = tcase_create("stopped");

	tcase_add_checked_fixture(tc, console_setup, console_teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, a_stopped_server_never_stops_the_keyboard);
	suite_add_tcase(s, tc);
	tc = tcase_create("restart");
	tcase_set_timeout(tc, 90);
	tcase_add_test(tc, offered_calls_show_right_after_a_server_restart);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return console_main(gateway_suite());
}
