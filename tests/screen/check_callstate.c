/* check_callstate.c - the call state on screen is the database's: a call
 * whose caller hung up leaves the banner and cannot be taken, a hang-up stops
 * the timers, the status bar and the home screen say what the database says
 * after a take, Ctrl-Q asks before leaving a call or a contact, and quitting
 * one of two consoles of a login does not log the other out. */
#include "config.h"

#include <check.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ccterm/admin.h"
#include "console.h"

/* An agent with the queue "general" and a routed call to them, ringing. */
static void routed_agent(const char *login, const char *name)
{
	ck_assert_int_eq(admin_queue_add(db, "general", 20, 80), 0);
	testdb_agent_in(db, login, name, "agent", "general");
}

static long long routed_call(const char *ani_e164)
{
	char q[256];

	snprintf(q, sizeof(q), "select call_arrive('%s', '%s', null, 'general', null)", ani_e164, ani_e164);
	return value(q);
}

static void hang_up(long long id)
{
	char q[96];

	snprintf(q, sizeof(q), "select call_hangup(%lld)", id);
	console_sql(q);
}

START_TEST(a_call_whose_caller_hung_up_leaves_the_banner)
{
	struct vt *vt;
	long long id;
	char want[96];

	routed_agent("cs_a1", "Agent Banner");
	console_customer("김하늘", "registered", "+821012120000", 2);
	vt = console("cs_a1", 24, 80);
	VT_ASSERT_WAIT(vt, "Waiting for calls", 5000);
	ck_assert_int_eq(vt_type(vt, "<F5>"), 0);
	VT_ASSERT_WAIT(vt, "│ ready", 2000);
	/* The agent is typing a note: the call waits in the banner. */
	ck_assert_int_eq(vt_type(vt, "<F3>지난 통화 메모"), 0);
	VT_ASSERT_WAIT(vt, "지난 통화 메모", 2000);
	id = routed_call("+821012120000");
	snprintf(want, sizeof(want), "Incoming call #%lld waiting", id);
	VT_ASSERT_WAIT(vt, want, 3000);
	VT_ASSERT_WAIT(vt, "│ ringing", 2000);
	/* The caller hangs up: the banner goes, and Ctrl-T takes nothing. */
	hang_up(id);
	VT_ASSERT_GONE(vt, "Incoming call #", 2000);
	ck_assert_int_eq(vt_type(vt, "<C-t>"), 0);
	VT_ASSERT_WAIT(vt, "No call waiting.", 2000);
	VT_ASSERT_WAIT(vt, "지난 통화 메모", 1000);
	VT_ASSERT_GONE(vt, "│ ringing", 2000);
	vt_free(vt);
	/* never popped: no 'view'; the offer's 'offer' row says the record was put before the agent */
	ck_assert_int_eq(value("select count(*) from audit_log where login = 'cs_a1' and action = 'view'"), 0);
	ck_assert_int_eq(value("select count(*) from audit_log where login = 'cs_a1' and action = 'offer'"), 1);
}
END_TEST

START_TEST(a_call_not_answered_in_time_leaves_the_banner)
{
	struct vt *vt;
	long long id;
	char want[96];

	routed_agent("cs_a6", "Agent Slow");
	console_customer("서하늘", "registered", "+821012120006", 2);
	vt = console("cs_a6", 24, 80);
	VT_ASSERT_WAIT(vt, "Waiting for calls", 5000);
	ck_assert_int_eq(vt_type(vt, "<F5>"), 0);
	VT_ASSERT_WAIT(vt, "│ ready", 2000);
	ck_assert_int_eq(vt_type(vt, "<F2>"), 0);   /* in the search field: the call waits */
	VT_ASSERT_WAIT(vt, "Search:", 2000);
	id = routed_call("+821012120006");
	snprintf(want, sizeof(want), "Incoming call #%lld waiting", id);
	VT_ASSERT_WAIT(vt, want, 3000);
	/* Ring no answer (ccterm-cti no-answer): back to the queue, the agent not ready. */
	snprintf(want, sizeof(want), "select call_no_answer(%lld)", id);
	console_sql(want);
	VT_ASSERT_GONE(vt, "Incoming call #", 2000);
	VT_ASSERT_WAIT(vt, "│ not_ready", 2000);
	VT_ASSERT_WAIT(vt, "Q 1", 2000);   /* the call waits in the queue again */
	vt_free(vt);
}
END_TEST

START_TEST(taking_a_call_whose_caller_hung_up_says_so)
{
	struct vt *vt;
	long long id;
	char want[256];

	testdb_agent(db, "cs_a5", "Agent Late", "agent");
	console_customer("윤하늘", "registered", "+821012120005", 2);
	vt = console("cs_a5", 24, 80);
	VT_ASSERT_WAIT(vt, "Waiting for calls", 5000);
	ck_assert_int_eq(vt_type(vt, "<F2>"), 0);   /* in the search field: the call waits */
	VT_ASSERT_WAIT(vt, "Search:", 2000);
	id = console_call("+821012120005", "cs_a5");
	snprintf(want, sizeof(want), "Incoming call #%lld waiting", id);
	VT_ASSERT_WAIT(vt, want, 3000);
	/* The caller hangs up and the console is not told (the notification is
	 * lost): taking the call reads the truth first and says so. */
	console_sql("set session_replication_role = replica");
	snprintf(want, sizeof(want), "update call set state = 'abandoned', ended_at = now() where id = %lld", id);
	console_sql(want);
	console_sql("set session_replication_role = origin");
	ck_assert_int_eq(vt_type(vt, "<C-t>"), 0);
	snprintf(want, sizeof(want), "Call #%lld: the caller hung up.", id);
	VT_ASSERT_WAIT(vt, want, 3000);
	VT_ASSERT_GONE(vt, "Incoming call #", 1000);
	VT_ASSERT_WAIT(vt, "ccterm │ Search", 1000);   /* nothing opened */
	vt_free(vt);
	ck_assert_int_eq(value("select count(*) from call where state = 'abandoned' and answered_at is null"), 1);
}
END_TEST

START_TEST(a_hang_up_stops_the_timers_and_the_bar_follows_the_database)
{
	struct vt *vt;
	long long id;
	char want[96];

	routed_agent("cs_a2", "Agent Timer");
	console_customer("박하늘", "platinum", "+821012120001", 2);
	vt = console("cs_a2", 24, 80);
	VT_ASSERT_WAIT(vt, "Waiting for calls", 5000);
	ck_assert_int_eq(vt_type(vt, "<F2>"), 0);   /* in the search field: the call waits */
	VT_ASSERT_WAIT(vt, "Search:", 2000);
	ck_assert_int_eq(vt_type(vt, "<F5>"), 0);
	VT_ASSERT_WAIT(vt, "│ ready", 2000);
	id = routed_call("+821012120001");
	snprintf(want, sizeof(want), "Incoming call #%lld waiting", id);
	VT_ASSERT_WAIT(vt, want, 3000);
	VT_ASSERT_WAIT(vt, "│ ringing", 2000);
	ck_assert_int_eq(vt_type(vt, "<C-t>"), 0);
	VT_ASSERT_WAIT(vt, "Notes (Enter new line", 3000);
	/* Taken: the database says on call, and so does the bar. */
	VT_ASSERT_WAIT(vt, "│ on_call", 3000);
	ck_assert_int_eq(value("select count(*) from agent where login = 'cs_a2' and state = 'on_call'"), 1);
	snprintf(want, sizeof(want), "call #%lld 00:0", id);
	VT_ASSERT_WAIT(vt, want, 2000);
	/* Back to where the agent was (the search), then home: it says the agent
	 * is on a call, not waiting for one. */
	ck_assert_int_eq(vt_type(vt, "<Esc>"), 0);
	VT_ASSERT_WAIT(vt, "ccterm │ Search", 2000);
	ck_assert_int_eq(vt_type(vt, "<Esc>"), 0);
	VT_ASSERT_WAIT(vt, "ccterm │ Home", 2000);
	snprintf(want, sizeof(want), "On call #%lld", id);
	VT_ASSERT_WAIT(vt, want, 2000);
	VT_ASSERT_GONE(vt, "Waiting for calls", 1000);
	/* The caller hangs up (ccterm-cti hangup): timers stop, wrap-up shows. */
	hang_up(id);
	VT_ASSERT_WAIT(vt, "│ wrap_up", 3000);
	VT_ASSERT_WAIT(vt, "│ no call", 2000);
	VT_ASSERT_WAIT(vt, "Waiting for calls", 2000);
	ck_assert_int_eq(vt_type(vt, "<F4>"), 0);
	snprintf(want, sizeof(want), "Call #%lld ", id);
	VT_ASSERT_WAIT(vt, want, 2000);
	VT_ASSERT_WAIT(vt, " ended  from", 2000);
	vt_free(vt);
}
END_TEST

START_TEST(quitting_asks_with_a_call_or_a_contact_open_and_logs_out)
{
	struct vt *vt;
	int status;

	testdb_agent(db, "cs_a3", "Agent Quit", "agent");
	console_customer("이하늘", "registered", "+821012120002", 2);
	vt = console("cs_a3", 24, 80);
	VT_ASSERT_WAIT(vt, "Waiting for calls", 5000);
	console_call("+821012120002", "cs_a3");
	VT_ASSERT_WAIT(vt, "Notes (Enter new line", 3000);
	VT_ASSERT_WAIT(vt, "│ on_call", 3000);
	ck_assert_int_eq(vt_type(vt, "반쯤 쓴 메모<C-q>"), 0);
	VT_ASSERT_WAIT(vt, "Call open, contact not saved: Ctrl-Q again ends the call and quits.", 2000);
	ck_assert_int_eq(vt_wait_exit(vt, 500, &status), 0);   /* still running */
	/* Anything else in between asks again. */
	ck_assert_int_eq(vt_type(vt, "!<C-q>"), 0);
	VT_ASSERT_WAIT(vt, "Ctrl-Q again ends the call and quits.", 2000);
	ck_assert_int_eq(vt_wait_exit(vt, 500, &status), 0);
	ck_assert_int_eq(vt_type(vt, "<C-q>"), 0);
	ck_assert_int_eq(vt_wait_exit(vt, 3000, &status), 1);
	ck_assert_int_eq(status, 0);
	vt_free(vt);
	ck_assert_int_eq(value("select count(*) from agent where login = 'cs_a3' and state = 'logged_out'"), 1);
	/* no call stays answered by an agent who is gone */
	ck_assert_int_eq(value("select count(*) from call where agent_login = 'cs_a3' and state = 'ended' "
			       "and ended_at is not null"), 1);
}
END_TEST

START_TEST(quitting_one_of_two_consoles_keeps_the_other_logged_in)
{
	char other[96];
	struct vt *a, *b;
	int status;

	testdb_agent(db, "cs_a4", "Agent Twice", "agent");
	console_customer("최하늘", "registered", "+821012120003", 2);
	snprintf(other, sizeof(other), "%s/second", xdg);
	a = console("cs_a4", 24, 80);
	VT_ASSERT_WAIT(a, "Waiting for calls", 5000);
	b = console_at("cs_a4", 24, 80, other);
	VT_ASSERT_WAIT(b, "Waiting for calls", 5000);
	console_call("+821012120003", "cs_a4");
	VT_ASSERT_WAIT(a, "│ on_call", 5000);
	/* The second terminal quits mid-call: the first stays on its call. */
	ck_assert_int_eq(vt_type(b, "<C-q><C-q>"), 0);
	ck_assert_int_eq(vt_wait_exit(b, 3000, &status), 1);
	vt_free(b);
	ck_assert_int_eq(value("select count(*) from agent where login = 'cs_a4' and state = 'logged_out'"), 0);
	ck_assert_int_eq(value("select count(*) from call where agent_login = 'cs_a4' and state = 'answered'"), 1);
	VT_ASSERT_WAIT(a, "│ on_call", 1000);
	/* The last one out logs the agent out. */
	ck_assert_int_eq(vt_type(a, "<C-q><C-q>"), 0);
	ck_assert_int_eq(vt_wait_exit(a, 3000, &status), 1);
	vt_free(a);
	ck_assert_int_eq(value("select count(*) from agent where login = 'cs_a4' and state = 'logged_out'"), 1);
	ck_assert_int_eq(value("select count(*) from call where agent_login = 'cs_a4' and state = 'ended'"), 1);
}
END_TEST

/* A console killed mid-call comes back with the call; it cannot go ready
 * until the call is ended (no new call could be offered to it anyway). */
START_TEST(ready_is_refused_while_a_restored_call_is_open)
{
	struct vt *vt;
	char want[128];
	long long id;
	int status;

	testdb_agent(db, "cs_a5", "Agent Restored", "agent");
	console_customer("정하늘", "registered", "+821012120004", 2);
	vt = console("cs_a5", 24, 80);
	VT_ASSERT_WAIT(vt, "Waiting for calls", 5000);
	id = console_call("+821012120004", "cs_a5");
	VT_ASSERT_WAIT(vt, "│ on_call", 3000);
	ck_assert_int_eq(vt_signal(vt, SIGKILL), 0);
	ck_assert_int_eq(vt_wait_exit(vt, 3000, &status), 1);
	vt_free(vt);
	vt = console("cs_a5", 24, 80);
	VT_ASSERT_WAIT(vt, "│ on_call", 5000);
	ck_assert_int_eq(vt_type(vt, "<F5>"), 0);
	snprintf(want, sizeof(want), "call %lld is still open: end it (F12) before going ready", id);
	VT_ASSERT_WAIT(vt, want, 3000);
	ck_assert_int_eq(value("select count(*) from agent where login = 'cs_a5' and state = 'ready'"), 0);
	ck_assert_int_eq(vt_type(vt, "<F12>"), 0);
	VT_ASSERT_WAIT(vt, "│ wrap_up", 3000);
	ck_assert_int_eq(vt_type(vt, "<F5>"), 0);
	VT_ASSERT_WAIT(vt, "│ ready", 3000);
	vt_free(vt);
}
END_TEST

static Suite *callstate_suite(void)
{
	Suite *s = suite_create("callstate");
	TCase *tc = tcase_create("truth");

	tcase_add_checked_fixture(tc, console_setup, console_teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, a_call_whose_caller_hung_up_leaves_the_banner);
	tcase_add_test(tc, a_call_not_answered_in_time_leaves_the_banner);
	tcase_add_test(tc, taking_a_call_whose_caller_hung_up_says_so);
	tcase_add_test(tc, a_hang_up_stops_the_timers_and_the_bar_follows_the_database);
	tcase_add_test(tc, quitting_asks_with_a_call_or_a_contact_open_and_logs_out);
	tcase_add_test(tc, quitting_one_of_two_consoles_keeps_the_other_logged_in);
	tcase_add_test(tc, ready_is_refused_while_a_restored_call_is_open);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return console_main(callstate_suite());
}
