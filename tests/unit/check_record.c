/* check_record.c - the rules an imported CSV row must meet. */
#include "config.h"

#include <check.h>
#include <string.h>

#include "ccterm/record.h"
#include "suites.h"

START_TEST(header_exact_and_forgiving)
{
	char *good[] = { "occurred_at", " Channel ", "direction", "kind", "customer", "subject", "body", "amount" };
	char *short_[] = { "occurred_at", "channel" };
	char *wrong[] = { "occurred_at", "chanel", "direction", "kind", "customer", "subject", "body", "amount" };
	char *extra[] = { "occurred_at", "channel", "direction", "kind", "customer", "subject", "body", "amount", "x" };
	char why[256];

	ck_assert(record_header_ok(good, 8, INTERACTION_COLUMNS, why, sizeof(why)));
	ck_assert(!record_header_ok(short_, 2, INTERACTION_COLUMNS, why, sizeof(why)));
	ck_assert_ptr_nonnull(strstr(why, "column 3 should be 'direction'"));
	ck_assert(!record_header_ok(wrong, 8, INTERACTION_COLUMNS, why, sizeof(why)));
	ck_assert_ptr_nonnull(strstr(why, "column 2 is 'chanel' but should be 'channel'"));
	ck_assert(!record_header_ok(extra, 9, INTERACTION_COLUMNS, why, sizeof(why)));
	ck_assert_ptr_nonnull(strstr(why, "9 columns where 8"));
}
END_TEST

START_TEST(dates_are_calendar_dates)
{
	ck_assert(record_date_ok("2024-02-29"));
	ck_assert(!record_date_ok("2023-02-29"));
	ck_assert(!record_date_ok("1900-02-29"));
	ck_assert(record_date_ok("2000-02-29"));
	ck_assert(!record_date_ok("2024-04-31"));
	ck_assert(!record_date_ok("2024-13-01"));
	ck_assert(!record_date_ok("24-01-01"));
	ck_assert(!record_date_ok("2024/01/01"));
}
END_TEST

START_TEST(timestamps_iso_forms)
{
	ck_assert(record_timestamp_ok("2025-01-02"));
	ck_assert(record_timestamp_ok("2025-01-02 10:00"));
	ck_assert(record_timestamp_ok("2025-01-02T10:00:59"));
	ck_assert(record_timestamp_ok("2025-01-02 10:00:00.123+09:00"));
	ck_assert(record_timestamp_ok("2025-01-02T10:00:00Z"));
	ck_assert(record_timestamp_ok("2025-01-02 10:00:00-0500"));
	ck_assert(!record_timestamp_ok("2025-01-02 24:00"));
	ck_assert(!record_timestamp_ok("2025-01-02 10:60"));
	ck_assert(!record_timestamp_ok("2025-01-02 10"));
	ck_assert(!record_timestamp_ok("2025-01-02 10:00 tomorrow"));
	ck_assert(!record_timestamp_ok("yesterday"));
}
END_TEST

START_TEST(amounts_and_emails)
{
	char out[64];

	ck_assert(record_amount_ok("129000"));
	ck_assert(record_amount_ok("-500"));
	ck_assert(record_amount_ok("12.50"));
	ck_assert(!record_amount_ok("12."));
	ck_assert(!record_amount_ok("1,000"));
	ck_assert(!record_amount_ok("₩1000"));
	ck_assert(!record_amount_ok("1234567890123456"));
	ck_assert(record_email_normalize("Gil.Dong@Example.KR", out, sizeof(out)));
	ck_assert_str_eq(out, "gil.dong@example.kr");
	ck_assert(!record_email_normalize("no-at-sign", out, sizeof(out)));
	ck_assert(!record_email_normalize("a@b@c.kr", out, sizeof(out)));
	ck_assert(!record_email_normalize("a b@c.kr", out, sizeof(out)));
	ck_assert(!record_email_normalize("a@nodot", out, sizeof(out)));
	ck_assert(!record_email_normalize("@c.kr", out, sizeof(out)));
}
END_TEST

START_TEST(customer_row_normalizes_contacts)
{
	char *f[] = { "C1", "홍길동", "010-1234-5678", "A@B.kr", "", "family", "SEL", "1980-03-01", "M", "married",
		      "800301-1234567" };
	struct customer_row r;
	char why[256];

	ck_assert_int_eq(customer_row_check(f, 11, "KR", &r, why, sizeof(why)), 0);
	ck_assert_str_eq(r.phone, "+821012345678");
	ck_assert_str_eq(r.email, "a@b.kr");
	ck_assert_ptr_null(r.tier);
	ck_assert_str_eq(r.segment, "family");
	f[10] = "80030112345";
	ck_assert_int_eq(customer_row_check(f, 11, "KR", &r, why, sizeof(why)), -1);
	ck_assert_ptr_nonnull(strstr(why, "rrn"));
	f[10] = "";
	f[8] = "male";
	ck_assert_int_eq(customer_row_check(f, 11, "KR", &r, why, sizeof(why)), -1);
	ck_assert_ptr_nonnull(strstr(why, "gender 'male'"));
	ck_assert_int_eq(customer_row_check(f, 10, "KR", &r, why, sizeof(why)), -1);
	ck_assert_ptr_nonnull(strstr(why, "10 fields where 11"));
}
END_TEST

START_TEST(interaction_row_customer_forms)
{
	char *f[] = { "2025-01-02 10:00", "phone", "", "inquiry", "+82 10-1234-5678", "s", "b", "" };
	struct interaction_row r;
	char why[256];

	ck_assert_int_eq(interaction_row_check(f, 8, "KR", &r, why, sizeof(why)), 0);
	ck_assert_str_eq(r.direction, "in");
	ck_assert_str_eq(r.customer_phone, "+821012345678");
	ck_assert_str_eq(r.customer_email, "");
	ck_assert_ptr_null(r.amount);
	f[4] = "Kim@Mail.KR";
	ck_assert_int_eq(interaction_row_check(f, 8, "KR", &r, why, sizeof(why)), 0);
	ck_assert_str_eq(r.customer_email, "kim@mail.kr");
	ck_assert_str_eq(r.customer_phone, "");
	f[4] = "C00042";
	ck_assert_int_eq(interaction_row_check(f, 8, "KR", &r, why, sizeof(why)), 0);
	ck_assert_str_eq(r.customer_phone, "");
	f[3] = "gossip";
	ck_assert_int_eq(interaction_row_check(f, 8, "KR", &r, why, sizeof(why)), -1);
	ck_assert_ptr_nonnull(strstr(why, "kind 'gossip'"));
	f[3] = "inquiry";
	f[6] = "\xff\xfe";
	ck_assert_int_eq(interaction_row_check(f, 8, "KR", &r, why, sizeof(why)), -1);
	ck_assert_ptr_nonnull(strstr(why, "column 7 is not valid UTF-8"));
}
END_TEST

START_TEST(interaction_row_keeps_control_characters)
{
	char *f[] = { "2025-01-02 10:00", "chat", "in", "inquiry", "C1", "\x1b[2J", "bell\x07", "1" };
	struct interaction_row r;
	char why[256];

	ck_assert_int_eq(interaction_row_check(f, 8, "KR", &r, why, sizeof(why)), 0);
	ck_assert_str_eq(r.subject, "\x1b[2J");
	ck_assert_str_eq(r.body, "bell\x07");
}
END_TEST

START_TEST(huge_fields_rejected_not_cut)
{
	static char big[RECORD_TEXT_MAX + 2];
	char *f[] = { "2025-01-02 10:00", "chat", "in", "inquiry", "C1", "s", big, "" };
	struct interaction_row r;
	char why[256];

	memset(big, 'x', sizeof(big) - 1);
	ck_assert_int_eq(interaction_row_check(f, 8, "KR", &r, why, sizeof(why)), -1);
	ck_assert_ptr_nonnull(strstr(why, "column 7 is"));
}
END_TEST

Suite *record_suite(void)
{
	Suite *s = suite_create("record");
	TCase *tc = tcase_create("record");

	tcase_add_test(tc, header_exact_and_forgiving);
	tcase_add_test(tc, dates_are_calendar_dates);
	tcase_add_test(tc, timestamps_iso_forms);
	tcase_add_test(tc, amounts_and_emails);
	tcase_add_test(tc, customer_row_normalizes_contacts);
	tcase_add_test(tc, interaction_row_customer_forms);
	tcase_add_test(tc, interaction_row_keeps_control_characters);
	tcase_add_test(tc, huge_fields_rejected_not_cut);
	suite_add_tcase(s, tc);
	return s;
}
