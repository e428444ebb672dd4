/* check_agent_event.c - the payloads of the agent_<login> channel, as the
 * database sends them (sql/repeatable/40_calls.sql, 50_floor.sql). */
#include "config.h"

#include <check.h>
#include <string.h>

#include "ccterm/agent_event.h"
#include "suites.h"

START_TEST(payloads_parse)
{
	struct agent_event ev;

	ck_assert_int_eq(agent_event_parse("call 42 offered", &ev), 0);
	ck_assert_int_eq(ev.kind, AGENT_EVENT_CALL);
	ck_assert_int_eq(ev.call_id, 42);
	ck_assert_str_eq(ev.call_state, "offered");
	ck_assert_int_eq(agent_event_parse("call 7 requeued", &ev), 0);
	ck_assert_str_eq(ev.call_state, "requeued");
	ck_assert_int_eq(agent_event_parse("state not_ready no answer", &ev), 0);
	ck_assert_int_eq(ev.kind, AGENT_EVENT_STATE);
	ck_assert_str_eq(ev.agent_state, "not_ready");
	ck_assert_str_eq(ev.reason, "no answer");
	ck_assert_int_eq(agent_event_parse("state ready ", &ev), 0);
	ck_assert_str_eq(ev.agent_state, "ready");
	ck_assert_str_eq(ev.reason, "");
	/* Anything else is no event (a hint the console may ignore). */
	ck_assert_int_eq(agent_event_parse("42", &ev), -1);
	ck_assert_int_eq(agent_event_parse("call x offered", &ev), -1);
	ck_assert_int_eq(agent_event_parse("call 3 exploded", &ev), -1);
	ck_assert_int_eq(agent_event_parse("call 3", &ev), -1);
	ck_assert_int_eq(agent_event_parse("state", &ev), -1);
	ck_assert_int_eq(agent_event_parse("", &ev), -1);
}
END_TEST

START_TEST(long_reasons_are_cut_and_odd_states_refused)
{
	struct agent_event ev;
	char payload[400] = "state break ";

	for (int i = 0; i < 300; i++)
		payload[12 + i] = 'x';
	payload[312] = '\0';
	ck_assert_int_eq(agent_event_parse(payload, &ev), 0);
	ck_assert_uint_eq(strlen(ev.reason), sizeof(ev.reason) - 1);
	ck_assert_int_eq(agent_event_parse("state Ready x", &ev), -1);
	ck_assert_int_eq(agent_event_parse("state a_state_name_too_long ", &ev), -1);
	ck_assert_int_eq(agent_event_parse("call 0 offered", &ev), -1);
	ck_assert_int_eq(agent_event_parse("call -1 offered", &ev), -1);
	ck_assert_int_eq(agent_event_parse("call 99999999999999999999999 offered", &ev), -1);
	ck_assert_int_eq(agent_event_parse("call 5 offered ", &ev), -1);
	ck_assert_int_eq(agent_event_parse(NULL, &ev), -1);
}
END_TEST

START_TEST(an_offer_with_a_sealed_pop)
{
	struct agent_event ev;

	/* sql/repeatable/33_pop_seal.sql: the pop sealed for console session 17 */
	ck_assert_int_eq(agent_event_parse("call 42 offered pop 17 q83vEjRWeJCrze8SNFZ4kA+/AB==", &ev), 0);
	ck_assert_int_eq(ev.kind, AGENT_EVENT_CALL);
	ck_assert_int_eq(ev.call_id, 42);
	ck_assert_str_eq(ev.call_state, "offered");
	ck_assert_int_eq(ev.pop_session, 17);
	ck_assert_str_eq(ev.sealed, "q83vEjRWeJCrze8SNFZ4kA+/AB==");
	/* a plain offer has none */
	ck_assert_int_eq(agent_event_parse("call 12 offered", &ev), 0);
	ck_assert_int_eq(ev.pop_session, 0);
	ck_assert_ptr_null(ev.sealed);
	/* only after "offered", for a session, with a seal of base64 only */
	ck_assert_int_eq(agent_event_parse("call 42 answered pop 17 q83v", &ev), -1);
	ck_assert_int_eq(agent_event_parse("call 42 offered pop 0 q83v", &ev), -1);
	ck_assert_int_eq(agent_event_parse("call 42 offered pop -7 q83v", &ev), -1);
	ck_assert_int_eq(agent_event_parse("call 42 offered pop 17", &ev), -1);
	ck_assert_int_eq(agent_event_parse("call 42 offered pop 17 ", &ev), -1);
	ck_assert_int_eq(agent_event_parse("call 42 offered pop x q83v", &ev), -1);
	ck_assert_int_eq(agent_event_parse("call 42 offered pop  q83v", &ev), -1);
	ck_assert_int_eq(agent_event_parse("call 42 offered pop 17 q83v extra", &ev), -1);
	ck_assert_int_eq(agent_event_parse("call 42 offered pop 17 q8\n3v", &ev), -1);
	ck_assert_int_eq(agent_event_parse("call 42 offered pup 17 q83v", &ev), -1);
	ck_assert_int_eq(agent_event_parse("call 42 offeredpop 17 q83v", &ev), -1);
}
END_TEST

Suite *agent_event_suite(void)
{
	Suite *s = suite_create("agent_event");
	TCase *tc = tcase_create("parse");

	tcase_add_test(tc, payloads_parse);
	tcase_add_test(tc, long_reasons_are_cut_and_odd_states_refused);
	tcase_add_test(tc, an_offer_with_a_sealed_pop);
	suite_add_tcase(s, tc);
	return s;
}
