/* check_notice.c - NOTIFY payloads as the console reads them (notice.h). */
#include <check.h>

#include "ccterm/notice.h"
#include "suites.h"

START_TEST(call_payloads_carry_the_new_state)
{
	struct notice n;

	ck_assert_int_eq(notice_parse("agent_kim", "call 42 abandoned", &n), NOTICE_CALL);
	ck_assert_int_eq(n.call_id, 42);
	ck_assert_str_eq(n.state, "abandoned");
	ck_assert_str_eq(n.login, "kim");
	ck_assert(notice_call_gone(n.state));
	ck_assert_int_eq(notice_parse("agent_kim", "call 7 offered", &n), NOTICE_CALL);
	ck_assert(!notice_call_gone(n.state));
	ck_assert_int_eq(notice_parse("agent_kim", "call 7 requeued", &n), NOTICE_CALL);
	ck_assert(notice_call_gone(n.state));
	/* An unknown state is still a hint that the call moved, with no state. */
	ck_assert_int_eq(notice_parse("agent_kim", "call 7 exploded", &n), NOTICE_CALL);
	ck_assert_str_eq(n.state, "");
	ck_assert(!notice_call_gone(n.state));
}
END_TEST

START_TEST(state_payloads_and_the_old_forms)
{
	struct notice n;

	ck_assert_int_eq(notice_parse("agent_kim", "state not_ready no answer 12", &n), NOTICE_STATE);
	ck_assert_str_eq(n.state, "not_ready");
	ck_assert_str_eq(n.reason, "no answer 12");
	ck_assert_int_eq(notice_parse("agent_kim", "state", &n), NOTICE_STATE);
	ck_assert_str_eq(n.state, "");
	ck_assert_int_eq(notice_parse("agent_kim", "1234", &n), NOTICE_CALL);   /* a bare id: an offer */
	ck_assert_int_eq(n.call_id, 1234);
	ck_assert_str_eq(n.state, "offered");
	ck_assert_int_eq(notice_parse("queue_3", "99", &n), NOTICE_QUEUE);
	ck_assert_int_eq(n.call_id, 99);
	ck_assert_int_eq(notice_parse("floor", "call", &n), NOTICE_FLOOR);
	ck_assert_int_eq(notice_parse("campaign", "17", &n), NOTICE_CAMPAIGN);
	ck_assert_int_eq(n.call_id, 17);
	ck_assert_int_eq(notice_parse("campaign", "x; drop", &n), NOTICE_CAMPAIGN);   /* still a hint to re-read */
	ck_assert_int_eq(n.call_id, 0);
	ck_assert_int_eq(notice_parse("agent_kim", "case 12 mail_failed", &n), NOTICE_CASE);
	ck_assert_str_eq(n.state, "mail_failed");
}
END_TEST

START_TEST(garbage_is_other)
{
	struct notice n;

	ck_assert_int_eq(notice_parse("agent_kim", "call x offered", &n), NOTICE_OTHER);
	ck_assert_int_eq(notice_parse("agent_kim", "call -5 offered", &n), NOTICE_OTHER);
	ck_assert_int_eq(notice_parse("agent_kim", "0", &n), NOTICE_OTHER);
	ck_assert_int_eq(notice_parse("agent_kim", "", &n), NOTICE_OTHER);
	ck_assert_int_eq(notice_parse("agent_", "1", &n), NOTICE_OTHER);
	ck_assert_int_eq(notice_parse("elsewhere", "1", &n), NOTICE_OTHER);
	ck_assert_int_eq(notice_parse(NULL, NULL, &n), NOTICE_OTHER);
	ck_assert_int_eq(notice_parse("agent_kim", NULL, &n), NOTICE_OTHER);
}
END_TEST

/* "case <id> <event>" on agent_<login>: the owner's case moved (76_cases.sql). */
START_TEST(case_payloads_name_the_case_and_event)
{
	struct notice n;

	ck_assert_int_eq(notice_parse("agent_kim", "case 12 escalated", &n), NOTICE_CASE);
	ck_assert_int_eq(n.call_id, 12);
	ck_assert_str_eq(n.state, "escalated");
	ck_assert_str_eq(n.login, "kim");
	ck_assert_int_eq(notice_parse("agent_kim", "case 7 assigned", &n), NOTICE_CASE);
	ck_assert_str_eq(n.state, "assigned");
	ck_assert_int_eq(notice_parse("agent_kim", "case x escalated", &n), NOTICE_OTHER);
	ck_assert_int_eq(notice_parse("agent_kim", "case 0 escalated", &n), NOTICE_OTHER);
	ck_assert_int_eq(notice_parse("queue_3", "case 5 escalated", &n), NOTICE_QUEUE);
}
END_TEST

Suite *notice_suite(void)
{
	Suite *s = suite_create("notice");
	TCase *tc = tcase_create("parse");

	tcase_add_test(tc, call_payloads_carry_the_new_state);
	tcase_add_test(tc, state_payloads_and_the_old_forms);
	tcase_add_test(tc, garbage_is_other);
	tcase_add_test(tc, case_payloads_name_the_case_and_event);
	suite_add_tcase(s, tc);
	return s;
}
