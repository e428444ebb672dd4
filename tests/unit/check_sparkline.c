/* check_sparkline.c - figures drawn as block characters, exactly: the
 * scale, missing quarters, all-equal and all-zero rows, the ASCII fallback,
 * and the columns a board keeps at a given width. */
#include <math.h>
#include <string.h>

#include "ccterm/columns.h"
#include "ccterm/sparkline.h"
#include "suites.h"

START_TEST(test_levels_on_a_scale)
{
	/* 0..100 %: seven steps of 14.29 */
	ck_assert_int_eq(spark_level(0, 0, 100), 0);
	ck_assert_int_eq(spark_level(7, 0, 100), 0);      /* 0.49 -> 0 */
	ck_assert_int_eq(spark_level(8, 0, 100), 1);      /* 0.56 -> 1 */
	ck_assert_int_eq(spark_level(50, 0, 100), 4);     /* 3.5 rounds up */
	ck_assert_int_eq(spark_level(64.3, 0, 100), 5);   /* 4.50 */
	ck_assert_int_eq(spark_level(100, 0, 100), 7);
	ck_assert_int_eq(spark_level(130, 0, 100), 7);    /* clamped */
	ck_assert_int_eq(spark_level(-5, 0, 100), 0);
	ck_assert_int_eq(spark_level(SPARK_MISSING, 0, 100), -1);
	/* all equal: the middle, or the floor for zero */
	ck_assert_int_eq(spark_level(5, 5, 5), 3);
	ck_assert_int_eq(spark_level(0, 0, 0), 0);
}
END_TEST

START_TEST(test_unicode_row)
{
	double v[] = { 0, 25, 50, 75, 100, SPARK_MISSING, 100.0 / 7 };
	char out[SPARK_BYTES(8)];

	ck_assert_uint_eq(sparkline(v, 7, 0, 100, 8, SPARK_UNICODE, out, sizeof(out)), 7);
	/* 25 -> 1.75 -> 2, 75 -> 5.25 -> 5, 14.29 -> 1; the missing quarter a blank */
	ck_assert_str_eq(out, "▁▃▅▆█ ▂");
}
END_TEST

START_TEST(test_ascii_row_and_the_last_figures)
{
	double v[] = { 1, 2, 3, 4, 5, 6, 7, 8, 0, 4 };
	char out[SPARK_BYTES(10)];

	/* counts: 0-based, max 8; the last six of ten */
	ck_assert_uint_eq(sparkline(v, 10, 0, 8, 6, SPARK_ASCII, out, sizeof(out)), 6);
	/* 5 -> 4.375 -> 4 '=', 6 -> 5.25 -> 5 '+', 7 -> 6.125 -> 6 '*', 8 -> 7 '#', 0 '_', 4 -> 3.5 -> 4 '=' */
	ck_assert_str_eq(out, "=+*#_=");
	ck_assert_uint_eq(sparkline(v, 8, 0, 7, 8, SPARK_ASCII, out, sizeof(out)), 8);
	ck_assert_str_eq(out, ".-:=+*##");
	/* too small a buffer writes nothing */
	ck_assert_uint_eq(sparkline(v, 10, 0, 8, 10, SPARK_UNICODE, out, 10), 0);
	ck_assert_str_eq(out, "");
}
END_TEST

START_TEST(test_all_equal_zero_and_missing)
{
	double same[] = { 3, 3, 3 }, zero[] = { 0, 0, 0, 0 }, none[] = { SPARK_MISSING, SPARK_MISSING };
	double lo, hi;
	char out[SPARK_BYTES(4)];

	spark_range(same, 3, false, &lo, &hi);
	ck_assert(lo == 3 && hi == 3);
	sparkline(same, 3, lo, hi, 4, SPARK_UNICODE, out, sizeof(out));
	ck_assert_str_eq(out, "▄▄▄");
	spark_range(zero, 4, true, &lo, &hi);
	ck_assert(lo == 0 && hi == 0);
	sparkline(zero, 4, lo, hi, 4, SPARK_UNICODE, out, sizeof(out));
	ck_assert_str_eq(out, "▁▁▁▁");
	spark_range(none, 2, true, &lo, &hi);
	ck_assert(lo == 0 && hi == 0);
	ck_assert_uint_eq(sparkline(none, 2, lo, hi, 4, SPARK_ASCII, out, sizeof(out)), 2);
	ck_assert_str_eq(out, "  ");
	ck_assert_uint_eq(sparkline(none, 0, lo, hi, 4, SPARK_ASCII, out, sizeof(out)), 0);
	ck_assert_str_eq(out, "");
	/* the range skips missing figures */
	{
		double v[] = { SPARK_MISSING, 40, 90, SPARK_MISSING, 10 };

		spark_range(v, 5, false, &lo, &hi);
		ck_assert(lo == 10 && hi == 90);
		spark_range(v, 5, true, &lo, &hi);
		ck_assert(lo == 0 && hi == 90);
	}
}
END_TEST

START_TEST(test_charset)
{
	ck_assert_int_eq(spark_charset_for("UTF-8", false), SPARK_UNICODE);
	ck_assert_int_eq(spark_charset_for("utf8", false), SPARK_UNICODE);
	ck_assert_int_eq(spark_charset_for("UTF-8", true), SPARK_ASCII);
	ck_assert_int_eq(spark_charset_for("ANSI_X3.4-1968", false), SPARK_ASCII);
	ck_assert_int_eq(spark_charset_for("EUC-KR", false), SPARK_ASCII);
	ck_assert_int_eq(spark_charset_for(NULL, false), SPARK_ASCII);
}
END_TEST

/* An agent board's columns, most important first by priority number. */
static void board(struct column *c)
{
	struct column cols[] = {
		{ .header = "name", .width = 20, .min = 10, .priority = 1, .fill = true },
		{ .header = "state", .width = 10, .priority = 1 },
		{ .header = "time", .width = 8, .priority = 2 },
		{ .header = "reason", .width = 18, .min = 8, .priority = 3 },
		{ .header = "login", .width = 12, .priority = 4 },
		{ .header = "customer", .width = 20, .min = 10, .priority = 6 },
		{ .header = "calls today", .width = 5, .priority = 5 },
	};

	memcpy(c, cols, sizeof(cols));
}

START_TEST(test_columns_by_width)
{
	struct column c[7];

	/* wide: everything at its width, the name takes the rest */
	board(c);
	ck_assert_int_eq(columns_fit(c, 7, 120), 7);
	ck_assert_int_eq(c[1].x, c[0].w + 1);
	ck_assert_int_eq(c[6].w, 11);               /* never narrower than its header */
	ck_assert_int_eq(c[0].w, 120 - (10 + 8 + 18 + 12 + 20 + 11) - 6);
	/* 60: the customer goes first, then the count; reason and login stay */
	board(c);
	ck_assert_int_eq(columns_fit(c, 7, 60), 5);
	ck_assert_ptr_null(columns_find(c, 7, "customer"));
	ck_assert_ptr_null(columns_find(c, 7, "calls today"));
	ck_assert_ptr_nonnull(columns_find(c, 7, "login"));
	ck_assert_int_eq(c[0].w + c[1].w + c[2].w + c[3].w + c[4].w + 4, 60);
	ck_assert_int_eq(c[3].w, 8);                /* the name (more important) got the room left */
	ck_assert_int_eq(c[0].w, 18);
	/* 30: name and state only, at their minimums and then some */
	board(c);
	ck_assert_int_eq(columns_fit(c, 7, 30), 3);
	ck_assert_int_eq(c[0].w + c[1].w + c[2].w + 2, 30);
	ck_assert_int_eq(c[2].x, c[1].x + c[1].w + 1);
	ck_assert_ptr_null(columns_find(c, 7, "reason"));
}
END_TEST

Suite *sparkline_suite(void)
{
	Suite *s = suite_create("sparkline");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_levels_on_a_scale);
	tcase_add_test(tc, test_unicode_row);
	tcase_add_test(tc, test_ascii_row_and_the_last_figures);
	tcase_add_test(tc, test_all_equal_zero_and_missing);
	tcase_add_test(tc, test_charset);
	tcase_add_test(tc, test_columns_by_width);
	suite_add_tcase(s, tc);
	return s;
}
