/* check_lists.c - the lists the console offers (pause reasons, contact
 * outcomes) come from the database, and a change to them reaches a running
 * console without a restart (the 'lists' NOTIFY); a break is taken with a
 * reason from the list, and the status bar says which. */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <string.h>

#include "console.h"

START_TEST(a_break_is_taken_with_a_reason_from_the_list)
{
	struct vt *vt;

	testdb_agent(db, "pl_a1", "Agent Pause", "agent");
	vt = console("pl_a1", 24, 80);
	VT_ASSERT_WAIT(vt, "Waiting for calls", 5000);
	ck_assert_int_eq(vt_type(vt, "<F6>"), 0);
	VT_ASSERT_WAIT(vt, "Pause: why?", 2000);
	/* the list of 241_pause_reasons, in its order, each with its state */
	VT_ASSERT_WAIT(vt, "1 Lunch", 1000);
	VT_ASSERT_WAIT(vt, "3 After-call work", 1000);
	VT_ASSERT_WAIT(vt, "4 Training", 1000);
	ck_assert_int_eq(vt_type(vt, "4"), 0);
	VT_ASSERT_WAIT(vt, "not_ready: Training", 2000);
	ck_assert_int_eq(value("select count(*) from agent where login = 'pl_a1' and state = 'not_ready' "
			       "and state_reason = 'training'"), 1);
	/* Esc in the list changes nothing */
	ck_assert_int_eq(vt_type(vt, "<F6>"), 0);
	VT_ASSERT_WAIT(vt, "Pause: why?", 2000);
	ck_assert_int_eq(vt_type(vt, "<Down><Esc>"), 0);
	VT_ASSERT_WAIT(vt, "Waiting for calls", 2000);
	ck_assert_int_eq(value("select count(*) from agent where login = 'pl_a1' and state_reason = 'training'"), 1);
	/* by name on the command line; an unknown one is refused naming the list */
	ck_assert_int_eq(vt_type(vt, ":break lunch<Enter>"), 0);
	VT_ASSERT_WAIT(vt, "break: Lunch", 2000);
	ck_assert_int_eq(value("select count(*) from agent where login = 'pl_a1' and state = 'break' "
			       "and state_reason = 'lunch'"), 1);
	ck_assert_int_eq(vt_type(vt, ":break nap<Enter>"), 0);
	VT_ASSERT_WAIT(vt, "unknown pause reason nap (one of: lunch, short_break", 2000);
	ck_assert_int_eq(value("select count(*) from agent where login = 'pl_a1' and state_reason = 'lunch'"), 1);
	vt_free(vt);
}
END_TEST

START_TEST(a_changed_list_reaches_a_running_console)
{
	struct vt *vt;

	testdb_agent(db, "pl_a2", "Agent Lists", "agent");
	console_customer("Lists Caller", "registered", "+821044448888", 1);
	vt = console("pl_a2", 24, 80);
	VT_ASSERT_WAIT(vt, "Waiting for calls", 5000);
	/* a supervisor adds a reason and retires one while the console runs */
	console_sql("insert into pause_reason (code, label, state, sort) values ('fire_drill', 'Fire drill', "
		    "'break', 5)");
	console_sql("update pause_reason set active = false where code = 'coaching'");
	ck_assert_int_eq(vt_type(vt, "<F6>"), 0);
	VT_ASSERT_WAIT(vt, "1 Fire drill", 3000);
	VT_ASSERT_WAIT(vt, "2 Lunch", 1000);
	ck_assert(!vt_find(vt, "Coaching", NULL, NULL));
	ck_assert_int_eq(vt_type(vt, "<Esc>"), 0);
	/* an outcome added now is offered by the next contact's form */
	console_sql("insert into disposition (code, label) values ('aaa_survey', 'A survey was offered')");
	console_call("+821044448888", "pl_a2");
	VT_ASSERT_WAIT(vt, "Notes (Enter new line", 3000);
	/* Notes -> Kind -> Reason -> Outcome; the outcomes in label order, the new one first */
	ck_assert_int_eq(vt_type(vt, "<Tab><Tab><Tab><Right>"), 0);
	VT_ASSERT_WAIT(vt, "◂A survey was offered▸", 2000);
	vt_free(vt);
}
END_TEST

static Suite *lists_suite(void)
{
	Suite *s = suite_create("lists");
	TCase *tc = tcase_create("lists");

	tcase_add_checked_fixture(tc, console_setup, console_teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, a_break_is_taken_with_a_reason_from_the_list);
	tcase_add_test(tc, a_changed_list_reaches_a_running_console);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return console_main(lists_suite());
}
