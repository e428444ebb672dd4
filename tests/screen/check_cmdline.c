/* check_cmdline.c - the ':' command line (libedit inside curses) as an agent uses it:
 * cmdline_host runs in a real pty and these tests type at it and read its screen.
 * The input row is 22 of a 24x80 screen; 21 and 23 are bars, 5 holds a marker. */
#include "config.h"

#include <check.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "vt.h"

#define ROWS 24
#define COLS 80
#define INPUT_ROW (ROWS - 2)
#define WAIT_MS 3000

static struct vt *vt;
static char tmpdir[64];

static void teardown(void)
{
	vt_free(vt);
	vt = NULL;
	if (tmpdir[0]) {
		char cmd[128];

		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
		ck_assert_int_eq(system(cmd), 0);
		tmpdir[0] = '\0';
	}
}

/* cmdline_host with up to 8 options, ready for keys. */
static struct vt *host(const char *opt1, ...)
{
	static char bin[512];
	const char *argv[10] = { bin };
	const char *dir = getenv("CCTERM_BUILDDIR");
	va_list ap;
	int n = 1;
	struct vt *t;

	snprintf(bin, sizeof(bin), "%s/tests/screen/cmdline_host", dir ? dir : ".");
	va_start(ap, opt1);
	for (const char *o = opt1; o && n < 9; o = va_arg(ap, const char *))
		argv[n++] = o;
	va_end(ap);
	argv[n] = NULL;
	t = vt_spawn(argv, NULL, ROWS, COLS);
	ck_assert_msg(t != NULL, "vt_spawn: %s", strerror(errno));
	VT_ASSERT_WAIT(t, "READY", WAIT_MS);
	return t;
}

static void assert_cursor(struct vt *t, int row, int col)
{
	int r, c;

	vt_cursor(t, &r, &c);
	if (r != row || c != col) {
		vt_dump(t, stderr);
		ck_abort_msg("cursor at %d,%d, expected %d,%d", r, c, row, col);
	}
}

/* The rest of the screen as the host drew it. */
static void assert_frame_intact(struct vt *t)
{
	char bars[COLS + 1];

	memset(bars, '=', COLS);
	bars[COLS] = '\0';
	VT_ASSERT_ROW(t, 5, "MARKER 표시 row 5");
	VT_ASSERT_ROW(t, ROWS - 3, bars);
	VT_ASSERT_ROW(t, ROWS - 1, "STATUS BAR 상태");
}

/* Type keys and wait until the host reports read number n. */
static void read_line(struct vt *t, const char *keys, int n, const char *expect)
{
	char reads[64];

	ck_assert_int_eq(vt_type(t, keys), 0);
	snprintf(reads, sizeof(reads), "READS: %d TTY: ok", n);
	VT_ASSERT_WAIT(t, reads, WAIT_MS);
	/* The host repaints all after a read, top to bottom: wait for the last row. */
	VT_ASSERT_WAIT(t, "STATUS BAR 상태", WAIT_MS);
	VT_ASSERT_ROW(t, 0, expect);
}

/* After its last read the host shows DONE and exits on 'q'. */
static void quit(struct vt *t)
{
	int status = -1;

	VT_ASSERT_WAIT(t, "DONE", WAIT_MS);
	ck_assert_int_eq(vt_type(t, "q"), 0);
	ck_assert_int_eq(vt_wait_exit(t, WAIT_MS, &status), 1);
	ck_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

/* Pump until the row reads text and the cursor is at (row, col): a quiet
 * spell is no proof the host has drawn (a loaded box schedules it late), and
 * screens with the idle hook ticking never go quiet. */
static void wait_row_cursor(struct vt *t, int row, const char *text, int col)
{
	char buf[VT_ROW_MAX(COLS)];

	for (int waited = 0; waited < WAIT_MS; waited += 10) {
		int r, c;

		vt_pump(t, 10);
		vt_cursor(t, &r, &c);
		if (r == row && c == col && vt_row(t, row, buf, sizeof(buf)) && strcmp(buf, text) == 0)
			return;
	}
	vt_dump(t, stderr);
	ck_abort_msg("row %d never read \"%s\" with the cursor at column %d", row, text, col);
}

/* Pump until the cursor is at (row, col). */
static void wait_cursor(struct vt *t, int row, int col)
{
	for (int waited = 0; waited < WAIT_MS; waited += 10) {
		int r, c;

		vt_pump(t, 10);
		vt_cursor(t, &r, &c);
		if (r == row && c == col)
			return;
	}
	assert_cursor(t, row, col);
}

START_TEST(korean_text_edits_by_character)
{
	vt = host("-n", "4", NULL);
	/* The prompt replaced the old message on the row; nothing else moved. */
	wait_row_cursor(vt, INPUT_ROW, ":", 1);
	assert_frame_intact(vt);

	ck_assert_int_eq(vt_type(vt, "안녕<Left><Backspace>X"), 0);
	wait_row_cursor(vt, INPUT_ROW, ":X녕", 2);   /* after X, before the wide 녕 */
	assert_frame_intact(vt);
	read_line(vt, "<Enter>", 1, "GOT: X녕");

	read_line(vt, "가나다<Home><Right>Z<End>!<Left><Left><Delete><Enter>", 2, "GOT: 가Z나!");
	/* Emacs keys: ^A/^E, ^B/^F, ^W deletes the Korean word before the cursor. */
	read_line(vt, "  한글 단어<C-w>끝<C-a><C-f><C-f>*<C-e>.   <Enter>", 3, "GOT: *한글 끝.");
	/* U+00A0..U+00FF are text, not libedit's meta keys. */
	read_line(vt, "café ü<Left><Left>ß<Enter>", 4, "GOT: caféß ü");
	assert_frame_intact(vt);
	quit(vt);
}
END_TEST

START_TEST(history_persists_across_runs)
{
	char hist[128], dir[128], text[512];
	struct stat st;
	FILE *f;
	int lines = 0;

	snprintf(tmpdir, sizeof(tmpdir), "/tmp/ccterm-cmdline-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(tmpdir));
	snprintf(hist, sizeof(hist), "%s/state/ccterm/history", tmpdir);

	vt = host("-h", hist, "-n", "4", NULL);
	read_line(vt, "first<Enter>", 1, "GOT: first");
	read_line(vt, "second 둘<Enter>", 2, "GOT: second 둘");
	read_line(vt, "second 둘<Enter>", 3, "GOT: second 둘");   /* not kept twice */
	read_line(vt, "dropped<C-c>", 4, "CANCELLED");             /* not kept */
	quit(vt);
	vt_free(vt);
	vt = NULL;

	/* Missing directories were made private, and so is the file. */
	snprintf(dir, sizeof(dir), "%s/state", tmpdir);
	ck_assert_int_eq(stat(dir, &st), 0);
	ck_assert_int_eq(st.st_mode & 0777, 0700);
	snprintf(dir, sizeof(dir), "%s/state/ccterm", tmpdir);
	ck_assert_int_eq(stat(dir, &st), 0);
	ck_assert_int_eq(st.st_mode & 0777, 0700);
	ck_assert_int_eq(stat(hist, &st), 0);
	ck_assert_int_eq(st.st_mode & 0777, 0600);
	f = fopen(hist, "r");
	ck_assert_ptr_nonnull(f);
	while (fgets(text, sizeof(text), f))
		lines++;
	fclose(f);
	ck_assert_int_eq(lines, 3);   /* libedit's header line and two entries */

	/* A new run recalls them. Accepting "first" again makes it the newest:
	 * history is now first, second 둘, first. */
	vt = host("-h", hist, "-n", "3", NULL);
	read_line(vt, "<Up><Enter>", 1, "GOT: second 둘");
	read_line(vt, "<Up><Up><Enter>", 2, "GOT: first");
	read_line(vt, "<Up><Up><Up><Down><Enter>", 3, "GOT: second 둘");
	quit(vt);
}
END_TEST

START_TEST(tab_completes_words)
{
	char row[VT_ROW_MAX(COLS)];

	vt = host("-n", "5", NULL);
	read_line(vt, "sea<Tab><Enter>", 1, "GOT: search");

	/* Several candidates: listed on the same row, the line keeps "s". */
	ck_assert_int_eq(vt_type(vt, "s<Tab>"), 0);
	VT_ASSERT_WAIT(vt, "search  status  save", WAIT_MS);
	/* libedit's right prompt: flush right, the last column left free. */
	snprintf(row, sizeof(row), ":s%*s", COLS - 1 - 2, "search  status  save");
	wait_row_cursor(vt, INPUT_ROW, row, 2);
	assert_frame_intact(vt);
	/* The next key takes the list away. */
	ck_assert_int_eq(vt_type(vt, "ta"), 0);
	VT_ASSERT_GONE(vt, "search  status", WAIT_MS);
	wait_row_cursor(vt, INPUT_ROW, ":sta", 4);
	ck_assert_int_eq(vt_type(vt, "<Tab>"), 0);
	VT_ASSERT_WAIT(vt, ":status", WAIT_MS);
	read_line(vt, "<Enter>", 2, "GOT: status");

	read_line(vt, "고<Tab><Enter>", 3, "GOT: 고객");

	/* Korean arguments: the common prefix is filled in, the rest listed. */
	ck_assert_int_eq(vt_type(vt, "search 홍<Tab>"), 0);
	VT_ASSERT_WAIT(vt, "홍길동  홍길순", WAIT_MS);
	ck_assert(vt_find(vt, ":search 홍길", NULL, NULL));
	wait_cursor(vt, INPUT_ROW, 12);
	read_line(vt, "순<Enter>", 4, "GOT: search 홍길순");

	/* No candidate: nothing changes. */
	read_line(vt, "xyz<Tab><Enter>", 5, "GOT: xyz");
	quit(vt);
}
END_TEST

START_TEST(cancel_keys_and_empty_line)
{
	vt = host("-n", "6", NULL);
	read_line(vt, "abc<C-c>", 1, "CANCELLED");   /* ^C is a key, not SIGINT */
	read_line(vt, "abc<C-g>", 2, "CANCELLED");
	read_line(vt, "abc<Esc>", 3, "CANCELLED");   /* Esc alone */
	read_line(vt, "   <Enter>", 4, "CANCELLED");  /* empty */
	/* Escape sequences still are keys, and ^S / ^Q do not stop the terminal. */
	read_line(vt, "ok<Left><Right><C-s><C-q>!<Enter>", 5, "GOT: ok!");
	read_line(vt, "<Up><Enter>", 6, "GOT: ok!");  /* cancelled lines are not history */
	assert_frame_intact(vt);
	quit(vt);
}
END_TEST

START_TEST(line_never_leaves_its_row)
{
	char keys[512], expect[512], got[600];

	vt = host("-n", "2", "-p", "명령> ", NULL);
	wait_row_cursor(vt, INPUT_ROW, "명령>", 6);

	/* 100 letters after a 6-column prompt: 73 fit, the last column stays free. */
	memset(keys, 'a', 100);
	keys[100] = '\0';
	ck_assert_int_eq(vt_type(vt, keys), 0);
	strcpy(expect, "명령> ");
	memset(expect + strlen(expect), 'a', 73);
	expect[strlen("명령> ") + 73] = '\0';
	wait_row_cursor(vt, INPUT_ROW, expect, 79);
	assert_frame_intact(vt);
	snprintf(got, sizeof(got), "GOT: %s", expect + strlen("명령> "));
	read_line(vt, "<Enter>", 1, got);

	/* Wide characters: 36 syllables (72 columns) fit after the prompt. */
	keys[0] = '\0';
	for (int i = 0; i < 50; i++)
		strcat(keys, "가");
	ck_assert_int_eq(vt_type(vt, keys), 0);
	strcpy(expect, "명령> ");
	for (int i = 0; i < 36; i++)
		strcat(expect, "가");
	wait_row_cursor(vt, INPUT_ROW, expect, 78);
	assert_frame_intact(vt);
	ck_assert_int_eq(vt_type(vt, "<Enter>"), 0);
	VT_ASSERT_WAIT(vt, "READS: 2 TTY: ok", WAIT_MS);
	quit(vt);
}
END_TEST

START_TEST(made_before_curses_started)
{
	/* el_init() then saw a cooked tty; curses' raw mode must still win. */
	vt = host("-e", "-n", "3", NULL);
	read_line(vt, "abc<C-c>", 1, "CANCELLED");
	read_line(vt, "안녕<Left>X<Enter>", 2, "GOT: 안X녕");
	read_line(vt, "<Up><C-a><C-d><Enter>", 3, "GOT: X녕");
	assert_frame_intact(vt);
	quit(vt);
}
END_TEST

START_TEST(typeahead_after_colon_reaches_the_line)
{
	/* As in the console: curses reads ':', the rest was typed at once. */
	vt = host("-c", "-n", "3", NULL);
	read_line(vt, ":one<Enter>", 1, "GOT: one");
	read_line(vt, ":두 번째<Enter>", 2, "GOT: 두 번째");
	/* Keys before ':' are the console's (the host ignores them), the rest the line's. */
	ck_assert_int_eq(vt_type(vt, "xy:three<Enter>"), 0);
	VT_ASSERT_WAIT(vt, "READS: 3 TTY: ok", WAIT_MS);
	VT_ASSERT_ROW(vt, 0, "GOT: three");
	quit(vt);
}
END_TEST

START_TEST(idle_hook_draws_while_typing)
{
	vt = host("-t", "100", "-n", "1", NULL);
	ck_assert_int_eq(vt_type(vt, "가나"), 0);
	VT_ASSERT_WAIT(vt, "TICK 3", WAIT_MS);
	wait_row_cursor(vt, INPUT_ROW, ":가나", 5);
	ck_assert_int_eq(vt_type(vt, "다<Left>X"), 0);
	wait_row_cursor(vt, INPUT_ROW, ":가나X다", 6);
	/* Ticks draw on row 3; between them the line and its cursor are back. */
	VT_ASSERT_WAIT(vt, "TICK 8", WAIT_MS);
	wait_row_cursor(vt, INPUT_ROW, ":가나X다", 6);
	assert_frame_intact(vt);
	ck_assert_int_eq(vt_type(vt, "Y"), 0);
	wait_row_cursor(vt, INPUT_ROW, ":가나XY다", 7);
	read_line(vt, "<Enter>", 1, "GOT: 가나XY다");
	quit(vt);
}
END_TEST

START_TEST(quiet_idle_hook_leaves_the_line_alone)
{
	char row[VT_ROW_MAX(COLS)];
	int ticks = 0;

	vt = host("-t", "50", "-q", "-n", "1", NULL);
	ck_assert_int_eq(vt_type(vt, "abc<Left>"), 0);
	wait_row_cursor(vt, INPUT_ROW, ":abc", 3);
	usleep(400 * 1000);   /* several ticks, nothing drawn */
	wait_row_cursor(vt, INPUT_ROW, ":abc", 3);
	/* libedit still knows where the cursor is: the insert lands right. */
	ck_assert_int_eq(vt_type(vt, "Z"), 0);
	wait_row_cursor(vt, INPUT_ROW, ":abZc", 4);
	read_line(vt, "<Enter>", 1, "GOT: abZc");
	ck_assert_ptr_nonnull(vt_row(vt, 2, row, sizeof(row)));
	ck_assert_int_eq(sscanf(row, "READY TICKS: %d", &ticks), 1);
	ck_assert_int_ge(ticks, 4);
	quit(vt);
}
END_TEST

START_TEST(idle_hook_can_stop_the_read)
{
	vt = host("-t", "50", "-a", "3", "-n", "1", NULL);
	ck_assert_int_eq(vt_type(vt, "half typed"), 0);
	VT_ASSERT_WAIT(vt, "READS: 1 TTY: ok", WAIT_MS);
	VT_ASSERT_ROW(vt, 0, "CANCELLED");
	quit(vt);
}
END_TEST

static Suite *cmdline_suite(void)
{
	Suite *s = suite_create("cmdline");
	TCase *tc = tcase_create("screen");

	tcase_add_checked_fixture(tc, NULL, teardown);
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, korean_text_edits_by_character);
	tcase_add_test(tc, history_persists_across_runs);
	tcase_add_test(tc, tab_completes_words);
	tcase_add_test(tc, cancel_keys_and_empty_line);
	tcase_add_test(tc, line_never_leaves_its_row);
	tcase_add_test(tc, made_before_curses_started);
	tcase_add_test(tc, typeahead_after_colon_reaches_the_line);
	tcase_add_test(tc, idle_hook_draws_while_typing);
	tcase_add_test(tc, quiet_idle_hook_leaves_the_line_alone);
	tcase_add_test(tc, idle_hook_can_stop_the_read);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(cmdline_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
