/* check_nav.c - the console's two screen rules, without curses: a pop never
 * steals focus while the agent types, and back returns to where they were. */
#include <check.h>

#include "ui/nav.h"
#include "suites.h"

START_TEST(back_returns_to_where_you_were)
{
	struct nav n;

	nav_init(&n);
	ck_assert_int_eq(nav_current(&n), VIEW_HOME);
	nav_show(&n, VIEW_POP);
	nav_show(&n, VIEW_DETAIL);
	ck_assert_int_eq(nav_back(&n), VIEW_POP);        /* detail -> the customer it came from */
	nav_show(&n, VIEW_FORM);
	nav_show(&n, VIEW_SEARCH);
	ck_assert_int_eq(nav_back(&n), VIEW_FORM);       /* search -> the form it was opened from */
	ck_assert_int_eq(nav_back(&n), VIEW_POP);
	ck_assert_int_eq(nav_back(&n), VIEW_HOME);
	ck_assert_int_eq(nav_back(&n), VIEW_HOME);       /* home stays home */
}
END_TEST

START_TEST(help_goes_back_to_the_screen_it_explains)
{
	struct nav n;

	nav_init(&n);
	nav_show(&n, VIEW_FORM);
	nav_show(&n, VIEW_HELP);
	ck_assert_int_eq(nav_previous(&n), VIEW_FORM);   /* help lists the form's keys */
	ck_assert_int_eq(nav_back(&n), VIEW_FORM);
}
END_TEST

START_TEST(showing_a_screen_on_the_way_back_never_cycles)
{
	struct nav n;

	nav_init(&n);
	nav_show(&n, VIEW_POP);
	nav_show(&n, VIEW_FORM);
	nav_show(&n, VIEW_POP);                          /* F4 from the form */
	ck_assert_int_eq(nav_current(&n), VIEW_POP);
	ck_assert_int_eq(nav_back(&n), VIEW_HOME);       /* not back into the form and round */
	nav_show(&n, VIEW_POP);
	nav_show(&n, VIEW_POP);
	ck_assert_int_eq(n.depth, 2);
}
END_TEST

START_TEST(a_deep_path_keeps_home_at_the_bottom)
{
	static const enum view_id path[] = { VIEW_POP, VIEW_DETAIL, VIEW_FORM, VIEW_SEARCH, VIEW_PICKER,
					     VIEW_WALLBOARD, VIEW_HELP };
	struct nav n;

	nav_init(&n);
	for (int round = 0; round < 3; round++)
		for (size_t i = 0; i < sizeof(path) / sizeof(path[0]); i++)
			nav_show(&n, path[i]);
	ck_assert_int_le(n.depth, NAV_DEPTH);
	for (int i = 0; i < NAV_DEPTH + 2; i++)
		nav_back(&n);
	ck_assert_int_eq(nav_current(&n), VIEW_HOME);
}
END_TEST

START_TEST(a_pop_never_steals_focus_while_typing)
{
	struct focus idle = { 0 };
	struct focus f;

	ck_assert(nav_pop_may_take_focus(&idle));       /* home, nothing typed: the pop opens */
	f = idle;
	f.view_takes_text = true;                        /* in the search field or the form */
	ck_assert(!nav_pop_may_take_focus(&f));
	f = idle;
	f.in_command = true;                             /* typing a ':' command */
	ck_assert(!nav_pop_may_take_focus(&f));
	f = idle;
	f.draft_unsaved = true;                          /* a contact typed, not saved, on another screen */
	ck_assert(!nav_pop_may_take_focus(&f));
	f = idle;
	f.taking = true;                                 /* one take at a time */
	ck_assert(!nav_pop_may_take_focus(&f));
}
END_TEST

Suite *nav_suite(void)
{
	Suite *s = suite_create("nav");
	TCase *tc = tcase_create("rules");

	tcase_add_test(tc, back_returns_to_where_you_were);
	tcase_add_test(tc, help_goes_back_to_the_screen_it_explains);
	tcase_add_test(tc, showing_a_screen_on_the_way_back_never_cycles);
	tcase_add_test(tc, a_deep_path_keeps_home_at_the_bottom);
	tcase_add_test(tc, a_pop_never_steals_focus_while_typing);
	suite_add_tcase(s, tc);
	return s;
}
