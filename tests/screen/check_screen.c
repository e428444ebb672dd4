/* check_screen.c - the real ccterm in a real terminal emulator, as an agent sees it. */
#include "config.h"

#include <check.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "console.h"

START_TEST(console_shows_the_agent)
{
	struct vt *vt;
	int row, col;

	testdb_agent(db, "sc_agent1", "홍길동", "agent");
	vt = console("sc_agent1", 24, 80);
	VT_ASSERT_WAIT(vt, " 홍길동 │ not_ready", 5000);
	/* The status bar is the last row; the agent's home screen names the branch. */
	ck_assert(vt_find(vt, " 홍길동 │ not_ready", &row, &col));
	ck_assert_int_eq(row, 23);
	ck_assert_int_eq(col, 0);
	VT_ASSERT_WAIT(vt, "Branch: SEL 서울 본점", 1000);
	/* The home screen reads the same state: not ready, and says what F5 does. */
	VT_ASSERT_WAIT(vt, "You are not ready: F5", 1000);
	vt_free(vt);
}
END_TEST

START_TEST(hostile_text_stays_inert)
{
	struct vt *vt;
	char row[4096];

	/* Clear-screen, a window-title OSC and a bell in a name from the database. */
	testdb_agent(db, "sc_agent2", "Evil\x1b[2J\x1b]0;owned\x07Name", "agent");
	vt = console("sc_agent2", 24, 80);
	VT_ASSERT_WAIT(vt, "Evil␛[2J␛]0;owned␇Name", 5000);
	/* Had the escape reached the terminal, the title bar would be gone. */
	vt_row(vt, 0, row, sizeof(row));
	ck_assert_ptr_nonnull(strstr(row, "ccterm"));
	vt_free(vt);
}
END_TEST

START_TEST(small_terminal_says_what_it_needs)
{
	struct vt *vt;

	testdb_agent(db, "sc_agent3", "Kim Small", "agent");
	vt = console("sc_agent3", 20, 60);
	VT_ASSERT_WAIT(vt, "ccterm needs at least 80x24; this terminal is 60x20.", 5000);
	ck_assert_int_eq(vt_resize(vt, 24, 80), 0);
	VT_ASSERT_WAIT(vt, "Kim Small (sc_agent3)", 3000);
	VT_ASSERT_GONE(vt, "needs at least", 1000);
	/* Larger is fine too: the status bar follows the bottom row. */
	ck_assert_int_eq(vt_resize(vt, 40, 132), 0);
	VT_ASSERT_WAIT(vt, "Kim Small (sc_agent3) │", 3000);   /* the login shows from 100 columns on */
	ck_assert(vt_wait_quiet(vt, 200, 3000));
	{
		int row, col;

		ck_assert(vt_find(vt, "Kim Small (sc_agent3) │", &row, &col));
		ck_assert_int_eq(row, 39);
	}
	vt_free(vt);
}
END_TEST

START_TEST(help_lists_the_keys_and_esc_goes_back)
{
	struct vt *vt;

	testdb_agent(db, "sc_agent4", "Lee Help", "agent");
	vt = console("sc_agent4", 24, 80);
	VT_ASSERT_WAIT(vt, "Waiting for calls", 5000);
	ck_assert_int_eq(vt_type(vt, "<F1>"), 0);
	VT_ASSERT_WAIT(vt, "Keys (Esc to go back", 2000);
	VT_ASSERT_WAIT(vt, "<F10>", 1000);
	VT_ASSERT_WAIT(vt, "Save the current form", 1000);
	ck_assert_int_eq(vt_type(vt, "<Esc>"), 0);
	VT_ASSERT_WAIT(vt, "Waiting for calls", 2000);
	vt_free(vt);
}
END_TEST

START_TEST(bad_keymap_line_is_reported_and_console_starts)
{
	char path[160];
	FILE *fp;
	struct vt *vt;
	int status;

	snprintf(path, sizeof(path), "%s/config", xdg);
	mkdir(path, 0700);
	snprintf(path, sizeof(path), "%s/config/ccterm", xdg);
	mkdir(path, 0700);
	snprintf(path, sizeof(path), "%s/config/ccterm/keys", xdg);
	fp = fopen(path, "w");
	ck_assert_ptr_nonnull(fp);
	fputs("# mine\nbind generic <F11> help\nbind generic <F99> save\n", fp);
	fclose(fp);
	testdb_agent(db, "sc_agent5", "Park Keys", "agent");
	vt = console("sc_agent5", 24, 80);
	VT_ASSERT_WAIT(vt, "keys:3:", 5000);
	VT_ASSERT_WAIT(vt, "Park Keys (sc_agent5)", 1000);
	/* The good line of the same file took effect. */
	ck_assert_int_eq(vt_type(vt, "<F11>"), 0);
	VT_ASSERT_WAIT(vt, "Keys (Esc to go back", 2000);
	ck_assert_int_eq(vt_type(vt, "<C-q>"), 0);
	ck_assert_int_eq(vt_wait_exit(vt, 3000, &status), 1);
	ck_assert(WIFEXITED(status));
	ck_assert_int_eq(WEXITSTATUS(status), 0);
	vt_free(vt);
}
END_TEST

START_TEST(a_role_that_is_no_agent_is_told_why)
{
	struct vt *vt;
	int status;

	vt = console("postgres", 24, 80);
	VT_ASSERT_WAIT(vt, "is not a ccterm agent", 5000);
	ck_assert_int_eq(vt_wait_exit(vt, 3000, &status), 1);
	ck_assert_int_eq(WEXITSTATUS(status), 1);
	vt_free(vt);
}
END_TEST

START_TEST(no_color_still_reads)
{
	struct vt *vt;

	/* The child inherits the test's environment. */
	setenv("NO_COLOR", "1", 1);
	testdb_agent(db, "sc_agent6", "Mono Kim", "agent");
	vt = console("sc_agent6", 24, 80);
	VT_ASSERT_WAIT(vt, " Mono Kim │ not_ready", 5000);
	/* Without colour the bars stand out in reverse video. */
	ck_assert(vt_cell_attrs(vt, 23, 2) & VT_ATTR_REVERSE);
	ck_assert(vt_cell_attrs(vt, 0, 2) & VT_ATTR_REVERSE);
	ck_assert(!(vt_cell_attrs(vt, 3, 2) & VT_ATTR_REVERSE));
	vt_free(vt);
	unsetenv("NO_COLOR");
}
END_TEST

/* Korean names take two columns a character: the board's columns still line
 * up, and a name too long is cut at a character with an ellipsis. */
START_TEST(wide_names_keep_the_board_aligned)
{
	struct vt *vt;
	int r1, c1, r2, c2;
	char row[4096];

	testdb_agent(db, "sc_sup", "Supervisor", "supervisor");
	testdb_agent(db, "sc_long", "김민지박서연이하늘최", "agent");
	testdb_agent(db, "sc_short", "Kim", "agent");
	ck_assert_int_eq(db_exec(db, "select agent_set_state_for('sc_long', 'break', null)", 0, NULL), 0);
	ck_assert_int_eq(db_exec(db, "select agent_set_state_for('sc_short', 'wrap_up', null)", 0, NULL), 0);
	vt = console("sc_sup", 24, 80);
	VT_ASSERT_WAIT(vt, "Waiting for calls", 5000);
	ck_assert_int_eq(vt_type(vt, "<F9>2"), 0);
	VT_ASSERT_WAIT(vt, "3 agents · sorted by state", 3000);
	/* At 80 columns the states are abbreviated, with a legend under the list
	 * ("brk break"): a state in a row is padded to its column ("brk  "), so the
	 * legend is never taken for a row. The frame may arrive in pieces: wait for
	 * each row whole. */
	VT_ASSERT_WAIT(vt, " wrap  ", 3000);
	VT_ASSERT_WAIT(vt, " brk  ", 3000);
	VT_ASSERT_WAIT(vt, "김민지박서연이… ", 2000);
	ck_assert(vt_find(vt, " brk  ", &r1, &c1));
	ck_assert(vt_find(vt, " wrap  ", &r2, &c2));
	ck_assert_int_ne(r1, r2);
	ck_assert_int_eq(c1, c2);
	ck_assert_int_eq(c1, 17);
	vt_row(vt, r1, row, sizeof(row));
	/* at most 16 columns: seven characters (14) and the ellipsis, never half a character */
	ck_assert_msg(strstr(row, "김민지박서연이… ") != NULL, "row: %s", row);
	vt_free(vt);
}
END_TEST

static Suite *screen_suite(void)
{
	Suite *s = suite_create("screen");
	TCase *tc = tcase_create("console");

	tcase_add_checked_fixture(tc, console_setup, console_teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, console_shows_the_agent);
	tcase_add_test(tc, hostile_text_stays_inert);
	tcase_add_test(tc, small_terminal_says_what_it_needs);
	tcase_add_test(tc, help_lists_the_keys_and_esc_goes_back);
	tcase_add_test(tc, bad_keymap_line_is_reported_and_console_starts);
	tcase_add_test(tc, a_role_that_is_no_agent_is_told_why);
	tcase_add_test(tc, no_color_still_reads);
	tcase_add_test(tc, wide_names_keep_the_board_aligned);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return console_main(screen_suite());
}
