/* check_draw_output.c - a frame reaches the terminal in one write (draw.c:
 * draw_whole_frames). curses writes into a SOCK_SEQPACKET socket here,
 * which keeps each write(2) a message of its own, so they can be counted. */
#include "config.h"

#include <check.h>
#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

#include "ui/draw.h"

static int sv[2];
static FILE *out, *in;
static SCREEN *scr;

static void start(void)
{
	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv), 0);
	out = fdopen(sv[0], "w");
	in = fopen("/dev/null", "r");
	ck_assert_ptr_nonnull(out);
	ck_assert_ptr_nonnull(in);
	scr = newterm("xterm-256color", out, in);
	ck_assert_ptr_nonnull(scr);
}

static void stop(void)
{
	endwin();
	delscreen(scr);
	fclose(out);
	fclose(in);
	close(sv[1]);
}

/* The writes made so far (each one message), their bytes in *bytes. */
static int writes(size_t *bytes)
{
	char buf[65536];
	ssize_t n;
	int count = 0;

	*bytes = 0;
	while ((n = recv(sv[1], buf, sizeof(buf), MSG_DONTWAIT)) > 0) {
		count++;
		*bytes += (size_t)n;
	}
	return count;
}

/* A screen of the pop's kind: every row changed, text in several styles. */
static void a_full_frame(int round)
{
	erase();
	for (int y = 0; y < 24; y++)
		for (int x = 0; x < 80; x += 20) {
			attrset((x / 20 + y + round) % 3 ? A_NORMAL : A_BOLD);
			mvprintw(y, x, "%c%02d 홍길동 field", 'a' + (x + y + round) % 26, y);
		}
	refresh();
}

START_TEST(a_frame_goes_out_in_one_write)
{
	size_t bytes;
	int n;

	start();
	draw_whole_frames();
	a_full_frame(0);
	writes(&bytes);            /* the start and the first frame */
	for (int round = 1; round <= 3; round++) {
		a_full_frame(round);
		n = writes(&bytes);
		ck_assert_msg(n >= 1 && n <= 2, "frame %d: %d writes (%zu bytes)", round, n, bytes);
		ck_assert_uint_gt(bytes, 1000);
	}
	stop();
}
END_TEST

int main(void)
{
	Suite *s = suite_create("draw_output");
	TCase *tc = tcase_create("frames");
	SRunner *sr;
	int failed;

	setenv("TERM", "xterm-256color", 1);
	tcase_add_test(tc, a_frame_goes_out_in_one_write);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
