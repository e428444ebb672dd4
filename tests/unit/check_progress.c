/* check_progress.c - the progress line: its figures, its width, its throttle
 * (a clock the test moves by hand), and silence when it is not shown. */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "suites.h"
#include "ccterm/progress.h"
#include "ccterm/utf8.h"

static double fake_now;

static double fake_clock(void *arg)
{
	(void)arg;
	return fake_now;
}

struct capture {
	char *buf;
	size_t len;
	FILE *f;
};

static struct progress *capture_progress(struct capture *c, bool show, int columns)
{
	struct progress_config cfg = {
		.what = "import interactions", .show = show, .columns = columns, .clock = fake_clock,
	};

	c->buf = NULL;
	c->len = 0;
	c->f = open_memstream(&c->buf, &c->len);
	ck_assert_ptr_nonnull(c->f);
	cfg.out = c->f;
	return progress_new(&cfg);
}

static int count(const char *s, const char *what)
{
	int n = 0;

	for (const char *p = s; (p = strstr(p, what)); p += strlen(what))
		n++;
	return n;
}

START_TEST(test_group_and_duration)
{
	char b[32];

	progress_group(b, sizeof(b), 0);
	ck_assert_str_eq(b, "0");
	progress_group(b, sizeof(b), 999);
	ck_assert_str_eq(b, "999");
	progress_group(b, sizeof(b), 1000);
	ck_assert_str_eq(b, "1,000");
	progress_group(b, sizeof(b), 1234567);
	ck_assert_str_eq(b, "1,234,567");
	progress_group(b, sizeof(b), 12345678);
	ck_assert_str_eq(b, "12,345,678");
	progress_group(b, sizeof(b), -4500);
	ck_assert_str_eq(b, "-4,500");
	progress_duration(b, sizeof(b), 7.4);
	ck_assert_str_eq(b, "0:07");
	progress_duration(b, sizeof(b), 754);
	ck_assert_str_eq(b, "12:34");
	progress_duration(b, sizeof(b), 3723);
	ck_assert_str_eq(b, "1:02:03");
	progress_duration(b, sizeof(b), -1);
	ck_assert_str_eq(b, "?");
}
END_TEST

START_TEST(test_rate_and_eta)
{
	ck_assert(progress_rate(0, 5.0) == 0.0);
	ck_assert(progress_rate(100, 0.0) == 0.0);
	ck_assert(progress_rate(1000, 4.0) == 250.0);
	ck_assert(progress_eta(250, 1000, 250.0) == 3.0);
	ck_assert(progress_eta(250, 0, 250.0) < 0);      /* total unknown */
	ck_assert(progress_eta(0, 1000, 0.0) < 0);       /* no rate yet */
	ck_assert(progress_eta(1200, 1000, 10.0) == 0.0);
}
END_TEST

START_TEST(test_format_full_line)
{
	char b[256];

	progress_format(b, sizeof(b), 120, "import interactions", "rows", NULL, 250000, 1000000, 5.0, 50000.0, 15.0);
	ck_assert_str_eq(b, "import interactions: 250,000/1,000,000 rows 25% 50,000/s 0:05 ETA 0:15");
	progress_format(b, sizeof(b), 120, "demo-data", "interactions", "inserting", 30000, 0, 2.0, 15000.0, -1);
	ck_assert_str_eq(b, "demo-data: 30,000 interactions 15,000/s 0:02 - inserting");
	/* nothing counted (one long statement): the clock and the phase, never "0/s" */
	progress_format(b, sizeof(b), 120, "merge", "rows", "moving interactions", 0, 0, 3.0, -1, -1);
	ck_assert_str_eq(b, "merge: 0:03 - moving interactions");
	progress_format(b, sizeof(b), 120, "recompute", "steps", "scores", 0, 4, 3.0, -1, -1);
	ck_assert_str_eq(b, "recompute: 0/4 steps 0% 0:03 - scores");
}
END_TEST

START_TEST(test_format_width)
{
	char b[256];

	/* never more than columns - 1: the terminal never wraps it */
	for (int cols = 1; cols <= 100; cols++) {
		progress_format(b, sizeof(b), cols, "import interactions", "rows", "resolving customers",
				1234567, 20000000, 61.0, 20238.0, 927.0);
		ck_assert_int_le(utf8_width(b), cols - 1);
	}
	/* at 80 columns the counts, percentage, rate, elapsed and ETA all fit */
	progress_format(b, sizeof(b), 80, "import interactions", "rows", "resolving customers", 1234567, 20000000,
			61.0, 20238.0, 927.0);
	ck_assert_ptr_nonnull(strstr(b, "ETA 15:27"));
	ck_assert_int_le(utf8_width(b), 79);
	/* narrower: the ETA goes before the rate, the rate before the percentage */
	progress_format(b, sizeof(b), 60, "import interactions", "rows", NULL, 1234567, 20000000, 61.0, 20238.0, 927.0);
	ck_assert_str_eq(b, "import interactions: 1,234,567/20,000,000 rows 6% 20,238/s");
	/* wide characters count twice */
	progress_format(b, sizeof(b), 30, "가져오기", "rows", NULL, 5, 10, 1.0, 5.0, 1.0);
	ck_assert_int_le(utf8_width(b), 29);
}
END_TEST

START_TEST(test_throttle_and_rewrite)
{
	struct capture c;
	struct progress *p;

	fake_now = 100.0;
	p = capture_progress(&c, true, 80);
	progress_tick(p, 1, 100);           /* the first tick draws */
	for (int i = 2; i <= 100; i++) {    /* 99 ticks within 0.2 s: no redraw */
		fake_now += 0.002;
		progress_tick(p, i, 100);
	}
	ck_assert_int_eq(progress_redraws(p), 1);
	fake_now += 0.06;                   /* 0.258 s after the first: due */
	progress_tick(p, 100, 100);
	ck_assert_int_eq(progress_redraws(p), 2);
	/* one second of ticks every millisecond: 4 redraws, not 1000 */
	for (int i = 0; i < 1000; i++) {
		fake_now += 0.001;
		progress_tick(p, 100 + i, 2000);
	}
	ck_assert_int_le(progress_redraws(p), 2 + 4);
	ck_assert_int_ge(progress_redraws(p), 2 + 3);
	progress_finish(p);
	fclose(c.f);
	/* each draw is \r, the line, clear to end of line; no newline at all */
	ck_assert_int_eq(count(c.buf, "\r"), count(c.buf, "\033[K"));
	ck_assert_ptr_null(strchr(c.buf, '\n'));
	/* it ends cleared, for the summary to be printed */
	ck_assert(c.len >= 4 && strcmp(c.buf + c.len - 4, "\r\033[K") == 0);
	ck_assert_ptr_nonnull(strstr(c.buf, "100/100 rows 100%"));
	free(c.buf);
}
END_TEST

START_TEST(test_not_shown_is_silent)
{
	struct capture c;
	struct progress *p;

	fake_now = 5.0;
	p = capture_progress(&c, false, 80);
	for (int i = 0; i < 100; i++) {
		fake_now += 1.0;
		progress_tick(p, i, 100);
	}
	progress_phase(p, "inserting");
	progress_idle(p);
	ck_assert(!progress_shown(p));
	ck_assert_int_eq(progress_redraws(p), 0);
	progress_finish(p);
	fclose(c.f);
	ck_assert_uint_eq(c.len, 0);
	free(c.buf);
	/* and NULL is accepted everywhere */
	progress_tick(NULL, 1, 2);
	progress_phase(NULL, "x");
	progress_idle(NULL);
	progress_clear(NULL);
	progress_finish(NULL);
}
END_TEST

START_TEST(test_rate_from_clock)
{
	struct capture c;
	struct progress *p;

	fake_now = 0.0;
	p = capture_progress(&c, true, 100);
	fake_now = 4.0;
	progress_tick(p, 200000, 1000000);   /* 50,000/s, 16 s left */
	fflush(c.f);
	ck_assert_ptr_nonnull(strstr(c.buf, "200,000/1,000,000 rows 20% 50,000/s 0:04 ETA 0:16"));
	/* a phase redraws at once, even within the interval; its rate is its
	 * own, none until its counts move */
	progress_phase(p, "inserting");
	fflush(c.f);
	ck_assert_ptr_nonnull(strstr(c.buf, "200,000/1,000,000 rows 20% 0:04 - inserting"));
	fake_now = 6.0;
	progress_tick(p, 300000, 1000000);   /* 100,000 in 2 s */
	fflush(c.f);
	ck_assert_ptr_nonnull(strstr(c.buf, "300,000/1,000,000 rows 30% 50,000/s 0:06 ETA 0:14 - inserting"));
	/* counting from 0 again (a new pass): the rate starts over too */
	fake_now = 7.0;
	progress_tick(p, 0, 500);
	fake_now = 8.0;
	progress_tick(p, 100, 500);
	fflush(c.f);
	ck_assert_ptr_nonnull(strstr(c.buf, "100/500 rows 20% 100/s 0:08 ETA 0:04 - inserting"));
	/* idle: elapsed moves on while one long statement runs */
	fake_now = 9.0;
	progress_idle(p);
	fflush(c.f);
	ck_assert_ptr_nonnull(strstr(c.buf, "0:09"));
	progress_finish(p);
	fclose(c.f);
	free(c.buf);
}
END_TEST

START_TEST(test_mode_from_args)
{
	char *a[] = { "import", "interactions", "f.csv", "--quiet" };
	char *b[] = { "demo-data", "--progress", "--customers", "5" };
	char *c[] = { "recompute" };
	char *d[] = { "x", "--quiet", "--progress" };

	ck_assert_int_eq(progress_mode_from_args(4, a), PROGRESS_OFF);
	ck_assert_int_eq(progress_mode_from_args(4, b), PROGRESS_ON);
	ck_assert_int_eq(progress_mode_from_args(1, c), PROGRESS_AUTO);
	ck_assert_int_eq(progress_mode_from_args(3, d), PROGRESS_ON);
}
END_TEST

Suite *progress_suite(void)
{
	Suite *s = suite_create("progress");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_group_and_duration);
	tcase_add_test(tc, test_rate_and_eta);
	tcase_add_test(tc, test_format_full_line);
	tcase_add_test(tc, test_format_width);
	tcase_add_test(tc, test_throttle_and_rewrite);
	tcase_add_test(tc, test_not_shown_is_silent);
	tcase_add_test(tc, test_rate_from_clock);
	tcase_add_test(tc, test_mode_from_args);
	suite_add_tcase(s, tc);
	return s;
}
