/* check_relay_proto.c - the relay's line protocol (relay_proto.h) and where
 * its socket is (relay_path.h). */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "ccterm/relay_path.h"
#include "ccterm/relay_proto.h"
#include "suites.h"

START_TEST(payloads_round_trip_escaped_on_one_line)
{
	const char *const cases[] = { "call 7 offered", "a\nb", "back\\slash", "\\n is not a newline", "cr\r\n",
				      "", "state break 점심 식사", NULL };
	char esc[64], back[64];

	for (int i = 0; cases[i]; i++) {
		ck_assert_int_ge(relay_escape(cases[i], esc, sizeof(esc)), 0);
		ck_assert_ptr_null(strchr(esc, '\n'));
		ck_assert_ptr_null(strchr(esc, '\r'));
		strcpy(back, esc);
		relay_unescape(back);
		ck_assert_str_eq(back, cases[i]);
	}
	ck_assert_int_eq(relay_escape("a\nb", esc, sizeof(esc)), 4);
	ck_assert_str_eq(esc, "a\\nb");
	/* Too long for the buffer: refused, never cut. */
	ck_assert_int_eq(relay_escape("\n\n\n", esc, 6), -1);
	ck_assert_str_eq(esc, "");
	/* A lone or unknown escape stays as it came. */
	strcpy(back, "x\\q\\");
	relay_unescape(back);
	ck_assert_str_eq(back, "x\\q\\");
}
END_TEST

START_TEST(names_are_logins_and_channels_only)
{
	char name[80];

	ck_assert(relay_name_ok("agent_kim"));
	ck_assert(relay_name_ok("agent_kim.lee"));
	ck_assert(relay_name_ok("floor"));
	ck_assert(!relay_name_ok(""));
	ck_assert(!relay_name_ok(NULL));
	ck_assert(!relay_name_ok("Agent_kim"));
	ck_assert(!relay_name_ok("agent kim"));
	ck_assert(!relay_name_ok("agent_kim\n"));
	ck_assert(!relay_name_ok("\"floor\""));
	memset(name, 'a', 63);
	name[63] = '\0';
	ck_assert(relay_name_ok(name));
	name[63] = 'a';
	name[64] = '\0';
	ck_assert(!relay_name_ok(name));
}
END_TEST

START_TEST(a_line_splits_at_its_first_space)
{
	char line[] = "n agent_kim call 7 offered", bare[] = "resync", *rest;

	ck_assert_str_eq(relay_split(line, &rest), "n");
	ck_assert_str_eq(rest, "agent_kim call 7 offered");
	ck_assert_str_eq(relay_split(bare, &rest), "resync");
	ck_assert_str_eq(rest, "");
}
END_TEST

START_TEST(the_socket_path_comes_from_the_option_the_environment_or_the_default)
{
	char p[108];

	setenv("CCTERM_RELAY", "/tmp/env.sock", 1);
	ck_assert_int_eq(relay_path_console("/tmp/arg.sock", p, sizeof(p)), 0);
	ck_assert_str_eq(p, "/tmp/arg.sock");
	ck_assert_int_eq(relay_path_console(NULL, p, sizeof(p)), 0);
	ck_assert_str_eq(p, "/tmp/env.sock");
	ck_assert_int_eq(relay_path_console("off", p, sizeof(p)), 1);
	setenv("CCTERM_RELAY", "off", 1);
	ck_assert_int_eq(relay_path_console(NULL, p, sizeof(p)), 1);
	unsetenv("CCTERM_RELAY");
	setenv("XDG_RUNTIME_DIR", "/run/user/1000", 1);
	ck_assert_int_eq(relay_path_console(NULL, p, sizeof(p)), 0);
	ck_assert(strcmp(p, "/run/user/1000/" RELAY_USER_NAME) == 0 || strcmp(p, RELAY_SYSTEM_PATH) == 0);
	unsetenv("XDG_RUNTIME_DIR");
	ck_assert_int_eq(relay_path_console(NULL, p, sizeof(p)), 0);
	ck_assert_str_eq(p, RELAY_SYSTEM_PATH);
	/* A path that does not fit a socket address is none. */
	memset(p, 0, sizeof(p));
	{
		char longpath[200];

		memset(longpath, 'x', sizeof(longpath) - 1);
		longpath[sizeof(longpath) - 1] = '\0';
		ck_assert_int_eq(relay_path_console(longpath, p, sizeof(p)), -1);
	}
}
END_TEST

Suite *relay_proto_suite(void)
{
	Suite *s = suite_create("relay_proto");
	TCase *tc = tcase_create("lines");

	tcase_add_test(tc, payloads_round_trip_escaped_on_one_line);
	tcase_add_test(tc, names_are_logins_and_channels_only);
	tcase_add_test(tc, a_line_splits_at_its_first_space);
	tcase_add_test(tc, the_socket_path_comes_from_the_option_the_environment_or_the_default);
	suite_add_tcase(s, tc);
	return s;
}
