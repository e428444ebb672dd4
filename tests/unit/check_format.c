/* check_format.c - numbers, money, timers and dates as the screens show them. */
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ccterm/format.h"
#include "suites.h"

/* 2026-11-23 14:05:00 in Seoul (05:05 UTC). */
#define T_1405 ((time_t)1795410300)

static void tz_seoul(void)
{
	/* A POSIX zone string needs no tzdata installed. */
	setenv("TZ", "KST-9", 1);
	tzset();
}

START_TEST(test_thousands)
{
	char out[32];

	ck_assert_str_eq(fmt_thousands(0, out, sizeof(out)), "0");
	ck_assert_str_eq(fmt_thousands(999, out, sizeof(out)), "999");
	ck_assert_str_eq(fmt_thousands(1000, out, sizeof(out)), "1,000");
	ck_assert_str_eq(fmt_thousands(1234567, out, sizeof(out)), "1,234,567");
	ck_assert_str_eq(fmt_thousands(-1234567, out, sizeof(out)), "-1,234,567");
	ck_assert_str_eq(fmt_thousands(-999, out, sizeof(out)), "-999");
	ck_assert_str_eq(fmt_thousands(LLONG_MAX, out, sizeof(out)), "9,223,372,036,854,775,807");
	ck_assert_str_eq(fmt_thousands(LLONG_MIN, out, sizeof(out)), "-9,223,372,036,854,775,808");
	/* a short buffer is cut, not overrun */
	ck_assert_str_eq(fmt_thousands(1234567, out, 4), "1,2");
}
END_TEST

START_TEST(test_money)
{
	char out[40];

	ck_assert_str_eq(fmt_money(1234500, out, sizeof(out)), "₩1,234,500");
	ck_assert_str_eq(fmt_money(0, out, sizeof(out)), "₩0");
	ck_assert_str_eq(fmt_money(-1000, out, sizeof(out)), "-₩1,000");
	ck_assert_str_eq(fmt_money(LLONG_MIN, out, sizeof(out)), "-₩9,223,372,036,854,775,808");
}
END_TEST

START_TEST(test_money_short)
{
	static const struct {
		long long v;
		const char *want;
	} t[] = {
		{ 0, "0" }, { 950, "950" }, { 999, "999" }, { 1000, "1K" }, { 12500, "12.5K" },
		{ 12999, "12.9K" }, { 125000, "125K" }, { 999999, "999K" }, { 1000000, "1M" },
		{ 3400000, "3.4M" }, { 1500000000, "1.5B" }, { -12500, "-12.5K" }, { -950, "-950" },
		{ 2000000000000LL, "2T" }, { LLONG_MIN, "-9223372T" },
	};
	char out[32];

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		ck_assert_str_eq(fmt_money_short(t[i].v, out, sizeof(out)), t[i].want);
}
END_TEST

START_TEST(test_duration)
{
	char out[32];

	ck_assert_str_eq(fmt_duration(0, out, sizeof(out)), "00:00");
	ck_assert_str_eq(fmt_duration(65, out, sizeof(out)), "01:05");
	ck_assert_str_eq(fmt_duration(3599, out, sizeof(out)), "59:59");
	ck_assert_str_eq(fmt_duration(3600, out, sizeof(out)), "1:00:00");
	ck_assert_str_eq(fmt_duration(3725, out, sizeof(out)), "1:02:05");
	ck_assert_str_eq(fmt_duration(360000, out, sizeof(out)), "100:00:00");
	ck_assert_str_eq(fmt_duration(-5, out, sizeof(out)), "-00:05");
	ck_assert_str_eq(fmt_duration(-3725, out, sizeof(out)), "-1:02:05");
#if LONG_MAX == 0x7fffffffffffffffL
	/* the most negative long has no positive counterpart; no overflow */
	ck_assert_str_eq(fmt_duration(LONG_MIN, out, sizeof(out)), "-2562047788015215:30:08");
#endif
}
END_TEST

START_TEST(test_age)
{
	char out[16];
	time_t now = T_1405;

	ck_assert_str_eq(fmt_age(now, now, out, sizeof(out)), "now");
	ck_assert_str_eq(fmt_age(now - 59, now, out, sizeof(out)), "now");
	ck_assert_str_eq(fmt_age(now - 60, now, out, sizeof(out)), "1m");
	ck_assert_str_eq(fmt_age(now - 5 * 60 - 30, now, out, sizeof(out)), "5m");
	ck_assert_str_eq(fmt_age(now - 3 * 3600, now, out, sizeof(out)), "3h");
	ck_assert_str_eq(fmt_age(now - 2 * 86400 - 5, now, out, sizeof(out)), "2d");
	ck_assert_str_eq(fmt_age(now - 6 * 86400, now, out, sizeof(out)), "6d");
	ck_assert_str_eq(fmt_age(now - 4 * 7 * 86400, now, out, sizeof(out)), "4w");
	ck_assert_str_eq(fmt_age(now - 2 * 365 * 86400 - 100, now, out, sizeof(out)), "2y");
	/* clock skew: a moment in the future is still "now" */
	ck_assert_str_eq(fmt_age(now + 30, now, out, sizeof(out)), "now");
}
END_TEST

START_TEST(test_when)
{
	char out[32];

	ck_assert_str_eq(fmt_when(T_1405, T_1405 + 3600, out, sizeof(out)), "14:05");
	/* 23:59 yesterday and 00:01 today are different days */
	ck_assert_str_eq(fmt_when((time_t)1795359540, (time_t)1795359660, out, sizeof(out)),
			 "2026-11-22 23:59");
	ck_assert_str_eq(fmt_when((time_t)1795359660, T_1405, out, sizeof(out)), "00:01");
	/* the same day of another year is not today */
	ck_assert_str_eq(fmt_when((time_t)1763874300, T_1405, out, sizeof(out)), "2025-11-23 14:05");
	/* too small a buffer gives an empty string, not half a date */
	ck_assert_str_eq(fmt_when((time_t)1763874300, T_1405, out, 8), "");
}
END_TEST

START_TEST(test_rrn_mask)
{
	char out[32];

	ck_assert_str_eq(fmt_rrn_mask("900101-1234567", out, sizeof(out)), "900101-1******");
	ck_assert_str_eq(fmt_rrn_mask("9001011234567", out, sizeof(out)), "900101-1******");
	/* anything else: every digit hidden, never shown by mistake */
	ck_assert_str_eq(fmt_rrn_mask("900101-123456", out, sizeof(out)), "******-******");
	ck_assert_str_eq(fmt_rrn_mask("12345", out, sizeof(out)), "*****");
	ck_assert_str_eq(fmt_rrn_mask("", out, sizeof(out)), "");
	ck_assert_str_eq(fmt_rrn_mask(NULL, out, sizeof(out)), "");
	/* a short buffer cuts the masked form, it does not reveal more */
	ck_assert_str_eq(fmt_rrn_mask("900101-1234567", out, 9), "900101-1");
	ck_assert_str_eq(fmt_rrn_mask("900101-12345678", out, 9), "******-*");
}
END_TEST

Suite *format_suite(void)
{
	Suite *s = suite_create("format");
	TCase *tc = tcase_create("numbers");

	tcase_add_test(tc, test_thousands);
	tcase_add_test(tc, test_money);
	tcase_add_test(tc, test_money_short);
	tcase_add_test(tc, test_rrn_mask);
	suite_add_tcase(s, tc);

	tc = tcase_create("time");
	tcase_add_unchecked_fixture(tc, tz_seoul, NULL);
	tcase_add_test(tc, test_duration);
	tcase_add_test(tc, test_age);
	tcase_add_test(tc, test_when);
	suite_add_tcase(s, tc);
	return s;
}
