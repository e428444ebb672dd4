/* check_vt.c - the screen harness proves itself on sh, stty, od and tput. */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <check.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "vt.h"

static struct vt *vt;

static void vt_teardown(void)
{
	vt_free(vt);
	vt = NULL;
}

static struct vt *spawn_sh(const char *script, const char *const env[])
{
	const char *argv[] = { "sh", "-c", script, NULL };
	struct vt *t = vt_spawn(argv, env, 24, 80);

	ck_assert_msg(t != NULL, "vt_spawn: %s", strerror(errno));
	return t;
}

static long elapsed_ms(const struct timespec *since)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (now.tv_sec - since->tv_sec) * 1000 + (now.tv_nsec - since->tv_nsec) / 1000000;
}

START_TEST(test_hello_appears)
{
	char *screen;
	int row, col;

	vt = spawn_sh("printf 'hello\\n'; sleep 5", NULL);
	VT_ASSERT_WAIT(vt, "hello", 2000);
	VT_ASSERT_ROW(vt, 0, "hello");
	VT_ASSERT_ROW(vt, 1, "");
	/* the pty's ONLCR turned \n into \r\n, as on a real terminal */
	vt_cursor(vt, &row, &col);
	ck_assert_int_eq(row, 1);
	ck_assert_int_eq(col, 0);
	ck_assert(!vt_wait_for(vt, "goodbye", 100));

	screen = vt_screen(vt);
	ck_assert_ptr_nonnull(screen);
	ck_assert_int_eq(strncmp(screen, "hello\n\n\n", 8), 0);
	ck_assert_uint_eq(strlen(screen), strlen("hello") + 23); /* 24 rows, 23 newlines */
	free(screen);
}
END_TEST

START_TEST(test_wide_characters)
{
	char buf[VT_ROW_MAX(80)];
	int row = -1, col = -1;

	vt = spawn_sh("printf '홍길동 고객\\n'; sleep 5", NULL);
	VT_ASSERT_WAIT(vt, "홍길동 고객", 2000);
	ck_assert_str_eq(vt_row(vt, 0, buf, sizeof(buf)), "홍길동 고객");
	/* three Hangul syllables take two cells each: the space is column 6 */
	ck_assert_int_eq(vt_find(vt, "고객", &row, &col), 1);
	ck_assert_int_eq(row, 0);
	ck_assert_int_eq(col, 7);
	ck_assert_int_eq(vt_find(vt, "길동", NULL, &col), 1);
	ck_assert_int_eq(col, 2);
	/* a buffer too small for the row is cut between characters, not inside one */
	ck_assert_str_eq(vt_row(vt, 0, buf, 8), "홍길");
	ck_assert_ptr_null(vt_row(vt, 24, buf, sizeof(buf)));
}
END_TEST

START_TEST(test_find_all)
{
	const char *both[] = { "홍길동 [gold]", "ANI 010-1234" }, *one_missing[] = { "ANI 010-1234", "nowhere" },
		   *across[] = { "[gold] ANI" };

	vt = spawn_sh("printf '\\033[3;5H홍길동 [gold]\\033[20;1HANI 010-1234-5678'; sleep 5", NULL);
	VT_ASSERT_WAIT(vt, "ANI 010", 2000);
	ck_assert(vt_find_all(vt, both, 2));
	ck_assert(!vt_find_all(vt, one_missing, 2));
	ck_assert(!vt_find_all(vt, across, 1));   /* a text is found within one row */
	ck_assert(vt_find_all(vt, both, 0));
}
END_TEST

START_TEST(test_cursor_addressing)
{
	int row = -1, col = -1;

	vt = spawn_sh("printf '\\033[5;10HX'; sleep 5", NULL);
	VT_ASSERT_WAIT(vt, "X", 2000);
	ck_assert_int_eq(vt_find(vt, "X", &row, &col), 1);
	ck_assert_int_eq(row, 4);
	ck_assert_int_eq(col, 9);
	VT_ASSERT_ROW(vt, 4, "         X");
	VT_ASSERT_ROW(vt, 3, "");
}
END_TEST

/* A child that reports the first n bytes of its keyboard in hex. */
static const char *hexdump_script(int n, const char *before)
{
	static char script[256];

	snprintf(script, sizeof(script),
		"stty raw -echo; %s echo ready; head -c %d | od -An -tx1; sleep 5", before, n);
	return script;
}

START_TEST(test_type_f10)
{
	vt = spawn_sh(hexdump_script(5, ""), NULL);
	VT_ASSERT_WAIT(vt, "ready", 2000);
	ck_assert_int_eq(vt_type(vt, "<F10>"), 0);
	VT_ASSERT_WAIT(vt, "1b 5b 32 31 7e", 2000);
}
END_TEST

START_TEST(test_type_text_and_keys)
{
	vt = spawn_sh(hexdump_script(14, ""), NULL);
	VT_ASSERT_WAIT(vt, "ready", 2000);
	ck_assert_int_eq(vt_type(vt, "<C-a><lt>é<S-Tab><Up><enter><F1>"), 0);
	VT_ASSERT_WAIT(vt, "01 3c c3 a9 1b 5b 5a 1b 5b 41 0d 1b 4f 50", 2000);
}
END_TEST

START_TEST(test_type_application_cursor_keys)
{
	/* DECCKM on, as curses' keypad(TRUE) does for xterm: arrows become ESC O x */
	vt = spawn_sh(hexdump_script(6, "printf '\\033[?1h';"), NULL);
	VT_ASSERT_WAIT(vt, "ready", 2000);
	ck_assert_int_eq(vt_type(vt, "<Up><Home>"), 0);
	VT_ASSERT_WAIT(vt, "1b 4f 41 1b 4f 48", 2000);
}
END_TEST

START_TEST(test_type_esc_pauses)
{
	struct timespec start;

	vt = spawn_sh(hexdump_script(3, ""), NULL);
	VT_ASSERT_WAIT(vt, "ready", 2000);
	/* curses must see the lone ESC time out before the next key arrives */
	clock_gettime(CLOCK_MONOTONIC, &start);
	ck_assert_int_eq(vt_type(vt, "<Esc>x<ESC>"), 0);
	ck_assert_int_ge(elapsed_ms(&start), 2 * VT_ESC_PAUSE_MS);
	VT_ASSERT_WAIT(vt, "1b 78 1b", 2000);
}
END_TEST

START_TEST(test_type_rejects_unknown_key)
{
	vt = spawn_sh(hexdump_script(3, ""), NULL);
	VT_ASSERT_WAIT(vt, "ready", 2000);
	errno = 0;
	ck_assert_int_eq(vt_type(vt, "abc<F13>"), -1);
	ck_assert_int_eq(errno, EINVAL);
	ck_assert_int_eq(vt_type(vt, "a<Enter"), -1);
	ck_assert_int_eq(vt_type(vt, "<>"), -1);
	/* nothing of the bad specs went out: the first three bytes are these */
	ck_assert_int_eq(vt_send(vt, "xyz"), 0);
	VT_ASSERT_WAIT(vt, "78 79 7a", 2000);
}
END_TEST

START_TEST(test_terminal_replies_reach_child)
{
	/* a cursor position request: libvterm's answer must be written back to the pty */
	vt = spawn_sh("stty raw -echo; printf '\\033[3;7H\\033[6n'; head -c 6 | od -An -tx1;"
		" sleep 5", NULL);
	VT_ASSERT_WAIT(vt, "1b 5b 33 3b 37 52", 2000);
}
END_TEST

START_TEST(test_environment)
{
	const char *script = "echo \"T=$TERM L=$LC_ALL E=$ESCDELAY C=${COLUMNS-none}"
		" N=${LINES-none} X=$CCTERM_X\"; stty size; sleep 5";
	const char *env[] = { "TERM=vt100", "CCTERM_X=42", NULL };

	setenv("COLUMNS", "999", 1);
	setenv("LINES", "99", 1);
	vt = spawn_sh(script, NULL);
	unsetenv("COLUMNS");
	unsetenv("LINES");
	VT_ASSERT_WAIT(vt, "T=xterm-256color L=C.UTF-8 E=25 C=none N=none X=", 2000);
	VT_ASSERT_WAIT(vt, "24 80", 2000);
	vt_free(vt);

	vt = spawn_sh(script, env);
	VT_ASSERT_WAIT(vt, "T=vt100 L=C.UTF-8 E=25 C=none N=none X=42", 2000);

	errno = 0;
	ck_assert_ptr_null(vt_spawn((const char *[]){ "true", NULL },
		(const char *[]){ "NOEQUALS", NULL }, 24, 80));
	ck_assert_int_eq(errno, EINVAL);
}
END_TEST

START_TEST(test_resize)
{
	char buf[VT_ROW_MAX(100)];

	vt = spawn_sh("trap 'stty size' WINCH; stty size; while :; do sleep 0.05; done", NULL);
	VT_ASSERT_WAIT(vt, "24 80", 2000);
	ck_assert_ptr_null(vt_row(vt, 29, buf, sizeof(buf)));
	ck_assert_int_eq(vt_resize(vt, 30, 100), 0);
	/* only a delivered SIGWINCH makes the shell print again */
	VT_ASSERT_WAIT(vt, "30 100", 2000);
	ck_assert_ptr_nonnull(vt_row(vt, 29, buf, sizeof(buf)));
	ck_assert_ptr_null(vt_row(vt, 30, buf, sizeof(buf)));
	ck_assert_int_eq(vt_resize(vt, 0, 100), -1);
}
END_TEST

START_TEST(test_hangup_sends_sighup)
{
	char path[] = "/tmp/check_vt_hupXXXXXX";
	char var[64], got[16] = "";
	const char *env[] = { var, NULL };
	int fd = mkstemp(path);
	int status = 0;
	FILE *f;

	ck_assert_int_ge(fd, 0);
	close(fd);
	snprintf(var, sizeof(var), "HUPFILE=%s", path);
	vt = spawn_sh("trap 'echo HUP > \"$HUPFILE\"; exit 7' HUP; echo ready;"
		" while :; do sleep 0.05; done", env);
	VT_ASSERT_WAIT(vt, "ready", 2000);
	ck_assert(vt_hangup(vt));
	ck_assert(!vt_hangup(vt));
	ck_assert_int_eq(vt_pump(vt, 10), -1);
	ck_assert_int_eq(vt_wait_exit(vt, 3000, &status), 1);
	ck_assert(WIFEXITED(status));
	ck_assert_int_eq(WEXITSTATUS(status), 7);
	f = fopen(path, "r");
	ck_assert_ptr_nonnull(f);
	ck_assert_ptr_nonnull(fgets(got, sizeof(got), f));
	fclose(f);
	unlink(path);
	ck_assert_str_eq(got, "HUP\n");
	/* the screen still reads as last seen */
	VT_ASSERT_ROW(vt, 0, "ready");
	ck_assert_int_eq(vt_send(vt, "x"), -1);
}
END_TEST

START_TEST(test_tput_positions_and_attributes)
{
	int row = -1, col = -1;

	vt = spawn_sh("tput clear; tput cup 10 20; printf Z; tput bold; printf B; tput sgr0;"
		" tput rev; printf R; tput sgr0; sleep 5", NULL);
	VT_ASSERT_WAIT(vt, "ZBR", 2000);
	ck_assert_int_eq(vt_find(vt, "ZBR", &row, &col), 1);
	ck_assert_int_eq(row, 10);
	ck_assert_int_eq(col, 20);
	ck_assert(!vt_cell_reverse_or_bold(vt, 10, 20));
	ck_assert_uint_eq(vt_cell_attrs(vt, 10, 21), VT_ATTR_BOLD);
	ck_assert_uint_eq(vt_cell_attrs(vt, 10, 22), VT_ATTR_REVERSE);
	ck_assert(vt_cell_reverse_or_bold(vt, 10, 22));
	ck_assert_uint_eq(vt_cell_attrs(vt, 99, 0), 0);
}
END_TEST

START_TEST(test_exit_status_and_exec_failure)
{
	int status = -1;

	vt = spawn_sh("echo bye; exit 3", NULL);
	ck_assert_int_eq(vt_wait_exit(vt, 2000, &status), 1);
	ck_assert(WIFEXITED(status));
	ck_assert_int_eq(WEXITSTATUS(status), 3);
	/* output written just before exiting is not lost */
	VT_ASSERT_WAIT(vt, "bye", 1000);
	vt_free(vt);

	vt = vt_spawn((const char *[]){ "/nonexistent/ccterm", NULL }, NULL, 24, 80);
	ck_assert_ptr_nonnull(vt);
	ck_assert_int_eq(vt_wait_exit(vt, 2000, &status), 1);
	ck_assert_int_eq(WEXITSTATUS(status), 127);
	VT_ASSERT_WAIT(vt, "cannot run /nonexistent/ccterm", 1000);
}
END_TEST

START_TEST(test_signal)
{
	int status = 0;

	vt = spawn_sh("echo ready; sleep 5", NULL);
	VT_ASSERT_WAIT(vt, "ready", 2000);
	ck_assert_int_eq(vt_wait_exit(vt, 50, &status), 0);
	ck_assert_int_eq(vt_signal(vt, SIGTERM), 0);
	ck_assert_int_eq(vt_wait_exit(vt, 2000, &status), 1);
	ck_assert(WIFSIGNALED(status));
	ck_assert_int_eq(WTERMSIG(status), SIGTERM);
	errno = 0;
	ck_assert_int_eq(vt_signal(vt, SIGTERM), -1);
	ck_assert_int_eq(errno, ESRCH);
}
END_TEST

START_TEST(test_wait_gone_and_quiet)
{
	vt = spawn_sh("printf busy; sleep 0.3; printf '\\r    \\rdone'; sleep 5", NULL);
	VT_ASSERT_WAIT(vt, "busy", 2000);
	VT_ASSERT_GONE(vt, "busy", 2000);
	VT_ASSERT_ROW(vt, 0, "done");
	ck_assert(vt_wait_quiet(vt, 100, 1000));
	vt_free(vt);

	/* (from its first line on: a loaded box may take a while to start the
	 * shell, and that silence is not what is measured) */
	vt = spawn_sh("while :; do echo x; sleep 0.02; done", NULL);
	VT_ASSERT_WAIT(vt, "x", 2000);
	ck_assert(!vt_wait_quiet(vt, 500, 1000));
}
END_TEST

START_TEST(test_free_kills_stubborn_child)
{
	struct timespec start;
	int row, col;
	long pid;
	char buf[VT_ROW_MAX(80)];

	vt = spawn_sh("trap '' TERM; echo pid=$$; while :; do sleep 0.05; done", NULL);
	VT_ASSERT_WAIT(vt, "pid=", 2000);
	ck_assert_int_eq(vt_find(vt, "pid=", &row, &col), 1);
	pid = strtol(vt_row(vt, row, buf, sizeof(buf)) + 4, NULL, 10);
	ck_assert_int_gt(pid, 1);
	clock_gettime(CLOCK_MONOTONIC, &start);
	vt_free(vt);
	vt = NULL;
	ck_assert_int_lt(elapsed_ms(&start), 3000);
	/* killed and reaped: no such process, not even a zombie */
	ck_assert_int_eq(kill((pid_t)pid, 0), -1);
	ck_assert_int_eq(errno, ESRCH);
}
END_TEST

START_TEST(test_dump)
{
	char *text = NULL, want[128];
	size_t len = 0;
	FILE *out;

	vt = spawn_sh("printf '고객 목록\\n'; sleep 5", NULL);
	VT_ASSERT_WAIT(vt, "고객 목록", 2000);
	out = open_memstream(&text, &len);
	ck_assert_ptr_nonnull(out);
	vt_dump(vt, out);
	fclose(out);
	ck_assert_ptr_nonnull(strstr(text, "screen 24x80, cursor 1,0"));
	/* 9 columns of text, 71 of padding: the right border lines up */
	snprintf(want, sizeof(want), " 0 |고객 목록%*s|\n", 71, "");
	ck_assert_ptr_nonnull(strstr(text, want));
	ck_assert_ptr_nonnull(strstr(text, "23 |"));
	free(text);
}
END_TEST

static Suite *vt_suite(void)
{
	Suite *s = suite_create("vt");
	TCase *tc = tcase_create("harness");

	tcase_add_checked_fixture(tc, NULL, vt_teardown);
	tcase_set_timeout(tc, 10);
	tcase_add_test(tc, test_hello_appears);
	tcase_add_test(tc, test_wide_characters);
	tcase_add_test(tc, test_cursor_addressing);
	tcase_add_test(tc, test_find_all);
	tcase_add_test(tc, test_type_f10);
	tcase_add_test(tc, test_type_text_and_keys);
	tcase_add_test(tc, test_type_application_cursor_keys);
	tcase_add_test(tc, test_type_esc_pauses);
	tcase_add_test(tc, test_type_rejects_unknown_key);
	tcase_add_test(tc, test_terminal_replies_reach_child);
	tcase_add_test(tc, test_environment);
	tcase_add_test(tc, test_resize);
	tcase_add_test(tc, test_hangup_sends_sighup);
	tcase_add_test(tc, test_tput_positions_and_attributes);
	tcase_add_test(tc, test_exit_status_and_exec_failure);
	tcase_add_test(tc, test_signal);
	tcase_add_test(tc, test_wait_gone_and_quiet);
	tcase_add_test(tc, test_free_kills_stubborn_child);
	tcase_add_test(tc, test_dump);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(vt_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
