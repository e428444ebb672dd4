/* check_record.c - the rules an imported CSV row must meet. */
#include "config.h"

#include <check.h>
#include <string.h>

#include "ccterm/record.h"
#include "ccterm/utf8.h"
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

/* Issue 12: what other systems' exports say, read the way they mean it. */
START_TEST(interaction_vocabulary_synonyms)
{
	static const struct { const char *in, *want; } dir[] = {
		{ "Inbound", "in" }, { "OUT", "out" }, { "incoming", "in" }, { "Outgoing", "out" },
		{ "\xec\x88\x98\xec\x8b\xa0", "in" } /* 수신 */, { "\xeb\xb0\x9c\xec\x8b\xa0", "out" } /* 발신 */,
		{ " IN ", "in" }, { "Internal", "internal" },
	}, chan[] = {
		{ "Call", "phone" }, { "voice", "phone" }, { "E-mail", "email" }, { "EMAIL", "email" },
		{ "SMS", "sms" }, { "Web", "web" }, { "app", "mobile" }, { "\xec\xa0\x84\xed\x99\x94", "phone" } /* 전화 */,
	}, kind[] = {
		{ "Complaint", "complaint" }, { "\xeb\xac\xb8\xec\x9d\x98", "inquiry" } /* 문의 */, { "refund", "return" },
		{ "Question", "inquiry" }, { "campaign response", "campaign_response" }, { "Web-Event", "web_event" },
	};
	char *f[] = { "2026-11-20 10:15", "phone", "in", "inquiry", "C1", "s", "b", "" };
	struct interaction_row r;
	char why[256];

	for (size_t i = 0; i < sizeof(dir) / sizeof(dir[0]); i++) {
		f[2] = (char *)dir[i].in;
		ck_assert_msg(interaction_row_check(f, 8, "KR", &r, why, sizeof(why)) == 0, "%s: %s", dir[i].in, why);
		ck_assert_str_eq(r.direction, dir[i].want);
	}
	f[2] = "in";
	for (size_t i = 0; i < sizeof(chan) / sizeof(chan[0]); i++) {
		f[1] = (char *)chan[i].in;
		ck_assert_msg(interaction_row_check(f, 8, "KR", &r, why, sizeof(why)) == 0, "%s: %s", chan[i].in, why);
		ck_assert_str_eq(r.channel, chan[i].want);
	}
	f[1] = "phone";
	for (size_t i = 0; i < sizeof(kind) / sizeof(kind[0]); i++) {
		f[3] = (char *)kind[i].in;
		ck_assert_msg(interaction_row_check(f, 8, "KR", &r, why, sizeof(why)) == 0, "%s: %s", kind[i].in, why);
		ck_assert_str_eq(r.kind, kind[i].want);
	}
	f[2] = "sideways";
	ck_assert_int_eq(interaction_row_check(f, 8, "KR", &r, why, sizeof(why)), -1);
	ck_assert_ptr_nonnull(strstr(why, "direction 'sideways'"));
}
END_TEST

START_TEST(interaction_timestamps_and_amounts)
{
	static const struct { const char *in, *want; } ts[] = {
		{ "2026-11-20 10:15", "2026-11-20 10:15" }, { "2026/11/20 10:15", "2026-11-20 10:15" },
		{ "2026-11-20T10:15:00+09:00", "2026-11-20T10:15:00+09:00" }, { "2026.11.20 10:15", "2026-11-20 10:15" },
		{ "2026/1/5 9:05", "2026-01-05 09:05" }, { "2026-11-20T01:15:00Z", "2026-11-20T01:15:00Z" },
	}, amt[] = {
		{ "12000", "12000" }, { "12,000", "12000" }, { "\xe2\x82\xa9" "12,000", "12000" } /* ₩ */,
		{ "12,000\xec\x9b\x90", "12000" } /* 원 */, { "KRW 1,234,567", "1234567" }, { "1,234.50", "1234.50" },
		{ "-\xe2\x82\xa9" "500", "-500" }, { "12000 krw", "12000" }, { "\xef\xbf\xa6" "3,000", "3000" } /* ￦ */,
	};
	static const char *const bad_amt[] = { "12,00", "1,2345", "$12", "12원원", ",100", "KRW", "1.2.3" };
	char *f[] = { "", "phone", "in", "order", "C1", "s", "b", "" };
	struct interaction_row r;
	char why[256];

	for (size_t i = 0; i < sizeof(ts) / sizeof(ts[0]); i++) {
		f[0] = (char *)ts[i].in;
		ck_assert_msg(interaction_row_check(f, 8, "KR", &r, why, sizeof(why)) == 0, "%s: %s", ts[i].in, why);
		ck_assert_str_eq(r.occurred_at, ts[i].want);
	}
	f[0] = "2026/13/20 10:15";
	ck_assert_int_eq(interaction_row_check(f, 8, "KR", &r, why, sizeof(why)), -1);
	f[0] = "2026-11-20 10:15";
	for (size_t i = 0; i < sizeof(amt) / sizeof(amt[0]); i++) {
		f[7] = (char *)amt[i].in;
		ck_assert_msg(interaction_row_check(f, 8, "KR", &r, why, sizeof(why)) == 0, "%s: %s", amt[i].in, why);
		ck_assert_str_eq(r.amount, amt[i].want);
	}
	for (size_t i = 0; i < sizeof(bad_amt) / sizeof(bad_amt[0]); i++) {
		f[7] = (char *)bad_amt[i];
		ck_assert_msg(interaction_row_check(f, 8, "KR", &r, why, sizeof(why)) == -1, "%s accepted", bad_amt[i]);
	}
}
END_TEST

/* "０１７�": a reject message never cuts a character in half. */
START_TEST(reject_messages_keep_utf8_whole)
{
	char phone[200] = "", why[256];
	char *f[] = { "C1", "Kim", phone, "", "", "", "", "", "", "", "" };
	struct customer_row r;

	for (size_t shift = 0; shift < 3; shift++) {
		/* 0, 1 or 2 ASCII digits first: the 40-byte cut falls at each
		 * byte of a three-byte character in turn */
		strcpy(phone, shift == 0 ? "" : shift == 1 ? "1" : "12");
		for (int i = 0; i < 20; i++)
			strcat(phone, "\xef\xbc\x90" "7");     /* ０7 */
		ck_assert_int_eq(customer_row_check(f, 11, "KR", &r, why, sizeof(why)), -1);
		ck_assert_ptr_nonnull(strstr(why, "is not a phone number"));
		ck_assert_msg(utf8_valid(why, strlen(why)), "cut UTF-8: %s", why);
	}
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
	tcase_add_test(tc, interaction_vocabulary_synonyms);
	tcase_add_test(tc, interaction_timestamps_and_amounts);
	tcase_add_test(tc, reject_messages_keep_utf8_whole);
	suite_add_tcase(s, tc);
	return s;
}
