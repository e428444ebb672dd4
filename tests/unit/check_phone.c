/* check_phone.c - phone numbers as agents and import files write them. */
#include <string.h>

#include "ccterm/phone.h"
#include "suites.h"

struct pair {
	const char *in, *want;
};

/* Each input normalized with country must give its wanted E.164. */
static void expect_all(const struct pair *p, size_t n, const char *country)
{
	for (size_t i = 0; i < n; i++) {
		char out[PHONE_E164_MAX];
		int rc = phone_normalize(p[i].in, country, out, sizeof(out));

		ck_assert_msg(rc == 0, "'%s' was rejected", p[i].in);
		ck_assert_msg(strcmp(out, p[i].want) == 0, "'%s' -> '%s', want '%s'", p[i].in, out, p[i].want);
	}
}

#define N(a) (sizeof(a) / sizeof((a)[0]))

START_TEST(test_kr_mobile_forms)
{
	static const struct pair p[] = {
		{ "010-1234-5678", "+821012345678" },
		{ "01012345678", "+821012345678" },
		{ "+82 10 1234 5678", "+821012345678" },
		{ "+82 010-1234-5678", "+821012345678" },
		{ "+82-10-1234-5678", "+821012345678" },
		{ "010.1234.5678", "+821012345678" },
		{ "  010 1234 5678\t", "+821012345678" },
		{ "011-123-4567", "+82111234567" },
	};
	expect_all(p, N(p), "KR");
	expect_all(p, N(p), NULL);  /* NULL means KR */
}
END_TEST

START_TEST(test_kr_landlines_and_service)
{
	static const struct pair p[] = {
		{ "02-312-4567", "+8223124567" },
		{ "(02) 312 4567", "+8223124567" },
		{ "02-3123-4567", "+82231234567" },
		{ "031-123-4567", "+82311234567" },
		{ "064-1234-5678", "+826412345678" },
		{ "070-1234-5678", "+827012345678" },
		{ "1588-1234", "+8215881234" },
	};
	expect_all(p, N(p), "KR");
}
END_TEST

START_TEST(test_international_plus)
{
	static const struct pair p[] = {
		{ "+1 415 555 0100", "+14155550100" },
		{ "+1 (415) 555-0100", "+14155550100" },
		{ "+44 (0)20 7946 0958", "+442079460958" },    /* trunk 0 dropped */
		{ "+81 3-1234-5678", "+81312345678" },
		{ "+39 06 1234 5678", "+390612345678" },       /* Italy keeps its 0 */
		{ "+852 2123 4567", "+85221234567" },
		{ "+7 495 123 45 67", "+74951234567" },        /* not in the table */
	};
	expect_all(p, N(p), "KR");
}
END_TEST

START_TEST(test_kr_international_prefixes)
{
	static const struct pair p[] = {
		{ "00 1 415 555 0100", "+14155550100" },
		{ "001-1-415-555-0100", "+14155550100" },
		{ "002 1 415 555 0100", "+14155550100" },
		{ "005-1-415-555-0100", "+14155550100" },
		{ "00700-1-415-555-0100", "+14155550100" },
		{ "008 81 3 1234 5678", "+81312345678" },
		{ "00 82 10 1234 5678", "+821012345678" },
	};
	expect_all(p, N(p), "KR");
}
END_TEST

/* Issue 12: forms libphonenumber reads as valid Korean numbers, and the
 * international prefixes that used to land in the wrong country. */
START_TEST(test_issue12_forms)
{
	static const struct pair p[] = {
		{ "\xef\xbc\x90\xef\xbc\x91\xef\xbc\x90-\xef\xbc\x96\xef\xbc\x94\xef\xbc\x98\xef\xbc\x95-"
		  "\xef\xbc\x96\xef\xbc\x92\xef\xbc\x98\xef\xbc\x96", "+821064856286" },   /* full-width */
		{ "\xef\xbc\x8b\xef\xbc\x98\xef\xbc\x92 \xef\xbc\x91\xef\xbc\x90 1234 5678", "+821012345678" },
		{ "010\xe2\x80\x93" "6405\xe2\x80\x93" "5535", "+821064055535" },   /* en dash */
		{ "010\xe2\x80\x94" "6405\xe2\x80\x94" "5535", "+821064055535" },   /* em dash */
		{ "010\xe3\x80\x80" "6405\xe3\x80\x80" "5535", "+821064055535" },   /* ideographic space */
		{ "82 10 2168 1521", "+821021681521" },
		{ "821030077827", "+821030077827" },
		{ "0081 90 1234 5678", "+819012345678" },
		{ "0086 138 1234 5678", "+8613812345678" },
		{ "0082 10 1234 5678", "+821012345678" },
		{ "+82 0 2 312 4567", "+8223124567" },
		{ "080-123-4567", "+82801234567" },
		{ "1644-1234", "+8216441234" },
	};
	expect_all(p, N(p), "KR");
}
END_TEST

START_TEST(test_default_us)
{
	static const struct pair p[] = {
		{ "(415) 555-0100", "+14155550100" },
		{ "415.555.0100", "+14155550100" },
		{ "1 415 555 0100", "+14155550100" },
		{ "011 82 10 1234 5678", "+821012345678" },
	};
	expect_all(p, N(p), "US");
	expect_all(p, N(p), "us");
}
END_TEST

START_TEST(test_rejects)
{
	static const char *const bad[] = {
		"", "   ", "call me", "010-1234-567a", "++821012345678", "+82+1012345678",
		"010+1234-5678", "+82 12345", "+44 123456", "12", "+0 123 4567 890",
		"+1234567890123456", "+82 10 1234 5678 9012", "010_1234_5678", "010\xff" "1234",
		"+82 00 1234 5678", "+82 0 0 1234 5678", "010-0123-4567", "1511-1234", "+-82 10 1234 5678",
		"+44 00 20 7946 0958", "+81 00 3 1234 5678",
		"+1 415 555 010", "+",
	};
	for (size_t i = 0; i < N(bad); i++) {
		char out[PHONE_E164_MAX] = "junk";

		ck_assert_msg(phone_normalize(bad[i], "KR", out, sizeof(out)) == -1,
			      "'%s' was accepted as '%s'", bad[i], out);
		ck_assert_msg(out[0] == '\0', "out not emptied for '%s'", bad[i]);
	}
}
END_TEST

START_TEST(test_length_limits)
{
	char out[PHONE_E164_MAX], big[64];

	/* 15 digits in all is the most E.164 allows */
	ck_assert_int_eq(phone_normalize("+49 1381234567890", "KR", out, sizeof(out)), 0);
	ck_assert_str_eq(out, "+491381234567890");
	ck_assert_int_eq(strlen(out), PHONE_E164_MAX - 1);
	ck_assert_int_eq(phone_normalize("+49 13812345678901", "KR", out, sizeof(out)), -1);
	/* China's numbers are 12 digits at most (libphonenumber) */
	ck_assert_int_eq(phone_normalize("+86 1381234567890", "KR", out, sizeof(out)), -1);
	/* the same for a country outside the table (Uzbekistan, +998) */
	ck_assert_int_eq(phone_normalize("+998 123456789012", "KR", out, sizeof(out)), 0);
	ck_assert_str_eq(out, "+998123456789012");
	/* (checked with room to spare: the limit is E.164's, not the buffer's) */
	ck_assert_int_eq(phone_normalize("+998 1234567890123", "KR", big, sizeof(big)), -1);
	ck_assert_int_eq(phone_normalize("+86 13812345678901", "KR", big, sizeof(big)), -1);
	/* seven digits after the country code are enough, six are not */
	ck_assert_int_eq(phone_normalize("+65 1234567", "KR", out, sizeof(out)), 0);
	ck_assert_int_eq(phone_normalize("+65 123456", "KR", out, sizeof(out)), -1);
	/* a very long run of digits does not overflow the scanner */
	ck_assert_int_eq(phone_normalize("0101234567801012345678010123456780101234567801012345678",
					 "KR", out, sizeof(out)), -1);
}
END_TEST

START_TEST(test_country_table)
{
	char out[PHONE_E164_MAX] = "junk";

	ck_assert_int_eq(phone_country_code("KR"), 82);
	ck_assert_int_eq(phone_country_code("kr"), 82);
	ck_assert_int_eq(phone_country_code("US"), 1);
	ck_assert_int_eq(phone_country_code("CA"), 1);
	ck_assert_int_eq(phone_country_code("HK"), 852);
	ck_assert_int_eq(phone_country_code("TW"), 886);
	ck_assert_int_eq(phone_country_code("ZZ"), 0);
	ck_assert_int_eq(phone_country_code(""), 0);
	ck_assert_int_eq(phone_country_code(NULL), 0);
	/* an unknown default country is an error, not a guess */
	ck_assert_int_eq(phone_normalize("010-1234-5678", "ZZ", out, sizeof(out)), -1);
	ck_assert_str_eq(out, "");
	ck_assert_int_eq(phone_normalize("03-1234-5678", "JP", out, sizeof(out)), 0);
	ck_assert_str_eq(out, "+81312345678");
}
END_TEST

START_TEST(test_small_output)
{
	char out[8] = "junk";

	ck_assert_int_eq(phone_normalize("010-1234-5678", "KR", out, sizeof(out)), -1);
	ck_assert_str_eq(out, "");
	ck_assert_int_eq(phone_normalize("010-1234-5678", "KR", out, 0), -1);
	ck_assert_int_eq(phone_normalize(NULL, "KR", out, sizeof(out)), -1);
}
END_TEST

START_TEST(test_format_kr)
{
	static const struct pair p[] = {
		{ "+821012345678", "010-1234-5678" },
		{ "+82111234567", "011-123-4567" },
		{ "+8223124567", "02-312-4567" },
		{ "+82231234567", "02-3123-4567" },
		{ "+82311234567", "031-123-4567" },
		{ "+82641234567", "064-123-4567" },
		{ "+82516781234", "051-678-1234" },
		{ "+827012345678", "070-1234-5678" },
		{ "+8215881234", "1588-1234" },
		{ "+825051234567", "0505-123-4567" },
	};
	for (size_t i = 0; i < N(p); i++) {
		char out[32];

		ck_assert_str_eq(phone_format(p[i].in, out, sizeof(out)), p[i].want);
	}
}
END_TEST

START_TEST(test_format_other)
{
	char out[32];

	ck_assert_str_eq(phone_format("+14155550100", out, sizeof(out)), "+1 4155550100");
	ck_assert_str_eq(phone_format("+442079460958", out, sizeof(out)), "+44 2079460958");
	ck_assert_str_eq(phone_format("+85221234567", out, sizeof(out)), "+852 21234567");
	/* not E.164: shown as it is */
	ck_assert_str_eq(phone_format("ext. 12", out, sizeof(out)), "ext. 12");
	ck_assert_str_eq(phone_format("+82abc", out, sizeof(out)), "+82abc");
	ck_assert_str_eq(phone_format(NULL, out, sizeof(out)), "");
	/* a short buffer is cut, never overrun */
	ck_assert_str_eq(phone_format("+821012345678", out, 8), "010-123");
}
END_TEST

START_TEST(test_mask)
{
	char out[32];

	ck_assert_str_eq(phone_mask("+821012345678", out, sizeof(out)), "010-****-5678");
	ck_assert_str_eq(phone_mask("+82111234567", out, sizeof(out)), "011-***-4567");
	ck_assert_str_eq(phone_mask("+8223124567", out, sizeof(out)), "02-***-4567");
	ck_assert_str_eq(phone_mask("+14155550100", out, sizeof(out)), "+1 41****0100");
	ck_assert_str_eq(phone_mask("+8215881234", out, sizeof(out)), "15**-1234");
	/* whatever comes in, only the last digits stay visible */
	ck_assert_str_eq(phone_mask("12345678", out, sizeof(out)), "12**5678");
	ck_assert_str_eq(phone_mask("1234", out, sizeof(out)), "**34");
}
END_TEST

START_TEST(test_format_roundtrip)
{
	static const char *const nums[] = {
		"+821012345678", "+8223124567", "+82231234567", "+82311234567",
		"+827012345678", "+8215881234", "+14155550100", "+442079460958",
	};
	for (size_t i = 0; i < N(nums); i++) {
		char shown[32], back[PHONE_E164_MAX];

		phone_format(nums[i], shown, sizeof(shown));
		ck_assert_msg(phone_normalize(shown, "KR", back, sizeof(back)) == 0, "'%s' rejected", shown);
		ck_assert_str_eq(back, nums[i]);
	}
}
END_TEST

Suite *phone_suite(void)
{
	Suite *s = suite_create("phone");
	TCase *tc = tcase_create("normalize");

	tcase_add_test(tc, test_kr_mobile_forms);
	tcase_add_test(tc, test_kr_landlines_and_service);
	tcase_add_test(tc, test_international_plus);
	tcase_add_test(tc, test_kr_international_prefixes);
	tcase_add_test(tc, test_issue12_forms);
	tcase_add_test(tc, test_default_us);
	tcase_add_test(tc, test_rejects);
	tcase_add_test(tc, test_length_limits);
	tcase_add_test(tc, test_country_table);
	tcase_add_test(tc, test_small_output);
	suite_add_tcase(s, tc);

	tc = tcase_create("format");
	tcase_add_test(tc, test_format_kr);
	tcase_add_test(tc, test_format_other);
	tcase_add_test(tc, test_mask);
	tcase_add_test(tc, test_format_roundtrip);
	suite_add_tcase(s, tc);
	return s;
}
