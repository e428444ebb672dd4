/* check_utf8.c - decoding, widths, fitting, and the sanitizer between
 * customer data and the terminal. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ccterm/utf8.h"
#include "suites.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))
#define ELLIPSIS "\xE2\x80\xA6"
#define FFFD "\xEF\xBF\xBD"

/* What the sanitizer promises, checked on any output: NULL when it holds,
 * else what is wrong (ck_assert in a loop over bytes would be slow). */
static const char *inert_problem(const char *out, unsigned flags)
{
	size_t len = strlen(out);

	if (!utf8_valid(out, len))
		return "invalid UTF-8";
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)out[i];

		if (c < 0x20 && !(c == '\n' && (flags & SANITIZE_KEEP_NEWLINES)))
			return "a C0 control byte";
		if (c == 0x7F)
			return "DEL";
	}
	for (size_t i = 0; i < len;) {
		uint32_t cp;

		i += (size_t)utf8_decode(out + i, len - i, &cp);
		if (cp >= 0x80 && cp <= 0x9F)
			return "a C1 control";
		if ((cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069))
			return "a bidi control";
	}
	return NULL;
}

/* utf8_sanitize must succeed and give exactly want. */
static void expect_sanitized(const char *in, unsigned flags, const char *want)
{
	char *out = utf8_sanitize(in, 4096, flags);

	ck_assert_ptr_nonnull(out);
	ck_assert_str_eq(out, want);
	ck_assert_ptr_null(inert_problem(out, flags));
	free(out);
}

START_TEST(test_valid)
{
	ck_assert(utf8_valid("", 0));
	ck_assert(utf8_valid("plain ascii", 11));
	ck_assert(utf8_valid("한국어 ₩ 😀", strlen("한국어 ₩ 😀")));
	ck_assert(utf8_valid("\xF4\x8F\xBF\xBF", 4));           /* U+10FFFF */
	ck_assert(!utf8_valid("\xC0\xAF", 2));                  /* overlong '/' */
	ck_assert(!utf8_valid("\xE0\x80\xAF", 3));              /* overlong, 3 bytes */
	ck_assert(!utf8_valid("\xED\xA0\x80", 3));              /* surrogate D800 */
	ck_assert(!utf8_valid("\xF4\x90\x80\x80", 4));          /* above U+10FFFF */
	ck_assert(!utf8_valid("\xED\x95", 2));                  /* truncated 한 */
	ck_assert(!utf8_valid("\x80", 1));
	ck_assert(!utf8_valid("a\xFF", 2));
	/* len bounds the check: a cut character is invalid, the prefix is not */
	ck_assert(utf8_valid("한", 0));
	ck_assert(!utf8_valid("한", 2));
}
END_TEST

START_TEST(test_decode_encode)
{
	static const uint32_t cps[] = { 0x41, 0x7F, 0x80, 0xE9, 0x7FF, 0x800, 0x20A9, 0xD55C, 0xFFFD,
					0x10000, 0x1F600, 0x10FFFF };
	uint32_t cp = 0;
	char buf[4];

	for (size_t i = 0; i < N(cps); i++) {
		int n = utf8_encode(cps[i], buf);

		ck_assert_int_eq(utf8_decode(buf, (size_t)n, &cp), n);
		ck_assert_uint_eq(cp, cps[i]);
	}
	ck_assert_int_eq(utf8_decode("한", 3, &cp), 3);
	ck_assert_uint_eq(cp, 0xD55C);
	ck_assert_int_eq(utf8_decode("한", 2, &cp), 1);        /* cut by len */
	ck_assert_uint_eq(cp, 0xFFFD);
	ck_assert_int_eq(utf8_decode("\xC0\xAF", 2, &cp), 1);
	ck_assert_uint_eq(cp, 0xFFFD);
	ck_assert_int_eq(utf8_decode("x", 0, &cp), 0);
	/* what cannot be encoded becomes U+FFFD */
	ck_assert_int_eq(utf8_encode(0xD800, buf), 3);
	ck_assert_int_eq(memcmp(buf, FFFD, 3), 0);
	ck_assert_int_eq(utf8_encode(0x110000, buf), 3);
	ck_assert_int_eq(memcmp(buf, FFFD, 3), 0);
}
END_TEST

START_TEST(test_cp_width)
{
	static const struct {
		uint32_t cp;
		int w;
	} t[] = {
		{ 'a', 1 }, { 0xE9, 1 }, { 0x20A9, 1 }, { 0x2026, 1 },
		{ 0xD55C, 2 }, { 0xAC00, 2 }, { 0xD7A3, 2 }, { 0xD7A4, 1 },
		{ 0x1100, 2 }, { 0x115F, 2 }, { 0x1160, 0 }, { 0x11A8, 0 }, { 0x11FF, 0 },
		{ 0x3131, 2 },  /* ㄱ compatibility jamo */
		{ 0x4E00, 2 }, { 0x3000, 2 }, { 0x3042, 2 }, { 0xFF21, 2 }, { 0xFFE6, 2 }, { 0xFF61, 1 },
		{ 0x1F600, 2 }, { 0x1F44D, 2 }, { 0x1F914, 2 }, { 0x20000, 2 },
		{ 0x0301, 0 }, { 0x200B, 0 }, { 0x200D, 0 }, { 0xFE0F, 0 }, { 0xFEFF, 0 },
		{ 0x00, 0 }, { 0x07, 0 }, { 0x1B, 0 }, { 0x7F, 0 }, { 0x9B, 0 },
	};
	for (size_t i = 0; i < N(t); i++)
		ck_assert_msg(utf8_cp_width(t[i].cp) == t[i].w, "U+%04X is %d wide, want %d", t[i].cp,
			      utf8_cp_width(t[i].cp), t[i].w);
}
END_TEST

START_TEST(test_width_and_len)
{
	/* The tests run in the C locale, where wcwidth() knows no Hangul. */
	ck_assert_int_eq(utf8_width("한국어"), 6);
	ck_assert_int_eq(utf8_width("abc"), 3);
	ck_assert_int_eq(utf8_width("A한b"), 4);
	ck_assert_int_eq(utf8_width("e\xCC\x81"), 1);                          /* e + U+0301 */
	ck_assert_int_eq(utf8_width("\xE1\x84\x92\xE1\x85\xA1\xE1\x86\xAB"), 2); /* 한 as jamo */
	ck_assert_int_eq(utf8_width("홍길동 님"), 9);
	ck_assert_int_eq(utf8_width(""), 0);
	ck_assert_int_eq(utf8_width("a\xFF"), 2);       /* a bad byte shows as one U+FFFD */
	ck_assert_uint_eq(utf8_len("한국"), 2);
	ck_assert_uint_eq(utf8_len("a😀b"), 3);
	ck_assert_uint_eq(utf8_len("a\xC0\xAF"), 3);
	ck_assert_uint_eq(utf8_len(""), 0);
}
END_TEST

START_TEST(test_next_prev)
{
	const char *s = "a한😀b";      /* offsets 0, 1, 4, 8, 9 */
	static const size_t offs[] = { 0, 1, 4, 8, 9 };

	for (size_t i = 0; i + 1 < N(offs); i++) {
		ck_assert_uint_eq(utf8_next(s, offs[i]), offs[i + 1]);
		ck_assert_uint_eq(utf8_prev(s, offs[i + 1]), offs[i]);
	}
	ck_assert_uint_eq(utf8_next(s, 9), 9);
	ck_assert_uint_eq(utf8_prev(s, 0), 0);
	/* malformed bytes are one step each, both ways */
	ck_assert_uint_eq(utf8_next("\x80\x80\x80\x80\x80", 0), 1);
	ck_assert_uint_eq(utf8_prev("\x80\x80\x80\x80\x80", 5), 4);
	ck_assert_uint_eq(utf8_prev("a\xED\x95", 3), 2);
}
END_TEST

/* Padding by display width: a wide character counts two columns. */
START_TEST(test_pad_cat)
{
	char out[64] = "";

	utf8_pad_cat(out, sizeof(out), "case", 6, false);
	utf8_pad_cat(out, sizeof(out), "|", 0, false);
	ck_assert_str_eq(out, "case  |");
	out[0] = '\0';
	utf8_pad_cat(out, sizeof(out), "케이스", 8, false);
	utf8_pad_cat(out, sizeof(out), "상태", 6, true);
	ck_assert_str_eq(out, "케이스    상태");
	ck_assert_int_eq(utf8_width(out), 14);
	out[0] = '\0';
	utf8_pad_cat(out, sizeof(out), "too wide", 3, false);   /* kept whole, like printf */
	ck_assert_str_eq(out, "too wide");
	{
		char small[6] = "";

		utf8_pad_cat(small, sizeof(small), "한국어", 10, false);   /* never a half character; blanks where room is left */
		ck_assert_str_eq(small, "한  ");
	}
}
END_TEST

START_TEST(test_fit)
{
	char out[64];

	ck_assert_int_eq(utf8_fit("hello", 10, true, out, sizeof(out)), 5);
	ck_assert_str_eq(out, "hello");
	ck_assert_int_eq(utf8_fit("hello", 5, true, out, sizeof(out)), 5);
	ck_assert_str_eq(out, "hello");
	ck_assert_int_eq(utf8_fit("hello!", 5, true, out, sizeof(out)), 5);
	ck_assert_str_eq(out, "hell" ELLIPSIS);
	ck_assert_int_eq(utf8_fit("hello!", 5, false, out, sizeof(out)), 5);
	ck_assert_str_eq(out, "hello");
	/* a wide character is never split */
	ck_assert_int_eq(utf8_fit("한국어입니다", 5, false, out, sizeof(out)), 4);
	ck_assert_str_eq(out, "한국");
	ck_assert_int_eq(utf8_fit("한국어입니다", 5, true, out, sizeof(out)), 5);
	ck_assert_str_eq(out, "한국" ELLIPSIS);
	ck_assert_int_eq(utf8_fit("한국어입니다", 6, true, out, sizeof(out)), 5);
	ck_assert_str_eq(out, "한국" ELLIPSIS);
	/* combining marks stay with their base */
	ck_assert_int_eq(utf8_fit("e\xCC\x81" "e\xCC\x81" "e\xCC\x81", 2, true, out, sizeof(out)), 2);
	ck_assert_str_eq(out, "e\xCC\x81" ELLIPSIS);
}
END_TEST

START_TEST(test_fit_edges)
{
	char out[64], small[4];

	ck_assert_int_eq(utf8_fit("abc", 0, true, out, sizeof(out)), 0);
	ck_assert_str_eq(out, "");
	ck_assert_int_eq(utf8_fit("abc", 1, true, out, sizeof(out)), 1);
	ck_assert_str_eq(out, ELLIPSIS);
	ck_assert_int_eq(utf8_fit("", 5, true, out, sizeof(out)), 0);
	ck_assert_str_eq(out, "");
	/* the byte size limits too, and the result stays whole characters */
	ck_assert_int_eq(utf8_fit("한국", 10, false, small, sizeof(small)), 2);
	ck_assert_str_eq(small, "한");
	ck_assert_int_eq(utf8_fit("abcdef", 10, true, small, sizeof(small)), 1);
	ck_assert_str_eq(small, ELLIPSIS);
	ck_assert_int_eq(utf8_fit("x", 5, true, small, 0), 0);
	/* malformed input comes out as U+FFFD, never as the bad byte */
	ck_assert_int_eq(utf8_fit("a\xFF" "b", 10, false, out, sizeof(out)), 3);
	ck_assert_str_eq(out, "a" FFFD "b");
}
END_TEST

START_TEST(test_sanitize_csi)
{
	expect_sanitized("a\x1b[2Jb", 0, "a\xE2\x90\x9B[2Jb");                  /* ␛[2J */
	expect_sanitized("\x1b[31mred\x1b[0m", 0, "\xE2\x90\x9B[31mred\xE2\x90\x9B[0m");
	/* C1 CSI as the code point U+009B and as a bare byte */
	expect_sanitized("a\xC2\x9B" "2J", 0, "a" FFFD "2J");
	expect_sanitized("a\x9B" "2J", 0, "a" FFFD "2J");
	expect_sanitized("\xC2\x9D" "0;x\xC2\x9C", 0, FFFD "0;x" FFFD);      /* C1 OSC ... ST */
}
END_TEST

START_TEST(test_sanitize_osc52)
{
	/* OSC 52 would write the agent's clipboard; with BEL and with ST */
	expect_sanitized("\x1b]52;c;ZXZpbA==\x07", 0,
			 "\xE2\x90\x9B]52;c;ZXZpbA==\xE2\x90\x87");
	expect_sanitized("\x1b]52;c;ZXZpbA==\x1b\\", 0,
			 "\xE2\x90\x9B]52;c;ZXZpbA==\xE2\x90\x9B\\");
}
END_TEST

START_TEST(test_sanitize_controls)
{
	expect_sanitized("bell\x07", 0, "bell\xE2\x90\x87");            /* ␇ */
	expect_sanitized("ab\bc", 0, "ab\xE2\x90\x88" "c");             /* ␈ */
	expect_sanitized("del\x7F", 0, "del\xE2\x90\xA1");              /* ␡ */
	expect_sanitized("\x01\x1F", 0, "\xE2\x90\x81\xE2\x90\x9F");
	expect_sanitized("a\tb", 0, "a b");
	expect_sanitized("l1\nl2", 0, "l1\xE2\x8F\x8El2");              /* ⏎ */
	expect_sanitized("l1\nl2", SANITIZE_KEEP_NEWLINES, "l1\nl2");
	expect_sanitized("l1\r\nl2", SANITIZE_KEEP_NEWLINES, "l1\nl2");
	expect_sanitized("l1\r\nl2", 0, "l1\xE2\x8F\x8El2");
	expect_sanitized("over\rwrite", SANITIZE_KEEP_NEWLINES, "over\xE2\x90\x8Dwrite");
}
END_TEST

START_TEST(test_sanitize_bidi)
{
	expect_sanitized("abc\xE2\x80\xAE" "fdp.exe", 0, "abc" FFFD "fdp.exe");  /* U+202E */
	expect_sanitized("\xE2\x80\xAA\xE2\x80\xAB\xE2\x80\xAC\xE2\x80\xAD", 0, FFFD FFFD FFFD FFFD);
	expect_sanitized("\xE2\x81\xA6x\xE2\x81\xA9", 0, FFFD "x" FFFD);         /* LRI, PDI */
}
END_TEST

START_TEST(test_sanitize_invalid)
{
	expect_sanitized("\xC0\xAF", 0, FFFD FFFD);                 /* overlong */
	expect_sanitized("\xED\xA0\x80", 0, FFFD FFFD FFFD);        /* surrogate */
	expect_sanitized("\xF4\x90\x80\x80", 0, FFFD FFFD FFFD FFFD);
	expect_sanitized("x\xFFy", 0, "x" FFFD "y");
	expect_sanitized("end\xED\x95", 0, "end" FFFD FFFD);        /* cut at the end */
	/* an overlong ESC must not come back as an ESC */
	expect_sanitized("\xC0\x9B[2J", 0, FFFD FFFD "[2J");
}
END_TEST

START_TEST(test_sanitize_keeps_text)
{
	const char *s = "홍길동 님, ₩12,000 결제 완료 😀 café";

	expect_sanitized(s, 0, s);
	expect_sanitized("", 0, "");
	expect_sanitized("\xEF\xBF\xBD", 0, FFFD);
}
END_TEST

START_TEST(test_sanitize_limit)
{
	size_t big = 1024 * 1024;
	char *s = malloc(big + 1), *out;

	ck_assert_ptr_nonnull(s);
	memset(s, 'x', big);
	s[big] = '\0';
	out = utf8_sanitize(s, 200, 0);
	ck_assert_ptr_nonnull(out);
	ck_assert_uint_eq(strlen(out), 200 + 3);
	ck_assert_uint_eq(strspn(out, "x"), 200);
	ck_assert_str_eq(out + 200, ELLIPSIS);
	free(out);

	/* a Korean text cut mid-character loses the piece, not gains a U+FFFD */
	for (size_t i = 0; i + 3 <= big; i += 3)
		memcpy(s + i, "한", 3);
	s[big - big % 3] = '\0';
	out = utf8_sanitize(s, 200, 0);
	ck_assert_ptr_nonnull(out);
	ck_assert_uint_eq(strlen(out), 66 * 3 + 3);
	ck_assert_ptr_null(strstr(out, FFFD));
	ck_assert_str_eq(out + 66 * 3, ELLIPSIS);
	free(out);
	free(s);
}
END_TEST

START_TEST(test_sanitize_limit_exact)
{
	char *out;

	out = utf8_sanitize("abc", 3, 0);
	ck_assert_str_eq(out, "abc");           /* fits exactly: no ellipsis */
	free(out);
	out = utf8_sanitize("abcd", 3, 0);
	ck_assert_str_eq(out, "abc" ELLIPSIS);
	free(out);
	out = utf8_sanitize("abc", 0, 0);
	ck_assert_str_eq(out, ELLIPSIS);
	free(out);
	out = utf8_sanitize("\x1b\x1b\x1b\x1b", 2, 0);
	ck_assert_str_eq(out, "\xE2\x90\x9B\xE2\x90\x9B" ELLIPSIS);
	free(out);
}
END_TEST

START_TEST(test_sanitize_random)
{
	/* Whatever bytes come in, what comes out is inert. */
	static const unsigned char pick[] = { 0x1B, 0x9B, 0xC2, 0xE2, 0x80, 0xAE, 0x07,
					      0x0A, 0x0D, 0x7F, 0xED, 0xC0, 0xF4, 0x90 };
	uint32_t seed = 12345;
	char in[64];

	for (int round = 0; round < 20000; round++) {
		size_t len = 1 + round % 63;
		unsigned flags = round & 1 ? SANITIZE_KEEP_NEWLINES : 0;
		const char *problem;
		char *out;

		for (size_t i = 0; i < len; i++) {
			unsigned char c;

			seed = seed * 1103515245u + 12345u;
			/* half the bytes are the dangerous ones */
			c = (seed >> 16) & 1 ? pick[(seed >> 17) % sizeof(pick)] : (unsigned char)(seed >> 20);

			in[i] = (char)(c ? c : 'z');
		}
		in[len] = '\0';
		out = utf8_sanitize(in, 40, flags);
		problem = out ? inert_problem(out, flags) : "out of memory";
		free(out);
		if (problem)
			ck_abort_msg("round %d: %s", round, problem);
	}
}
END_TEST

/* utf8_fit_clean is utf8_fit(utf8_sanitize()) in one pass: the same code
 * points and columns for any bytes, width, input limit and room. */
static void fit_clean_same(const char *in, size_t max, int cols, size_t cap, int round)
{
	char *clean = utf8_sanitize(in, max, 0), want[1024], got[1024];
	uint32_t cps[256];
	size_t n = 0, at = 0;
	int want_cols, got_cols;

	ck_assert_ptr_nonnull(clean);
	want_cols = utf8_fit(clean, cols, true, want, sizeof(want));
	got_cols = utf8_fit_clean(in, max, cols, cps, cap, &n);
	for (size_t i = 0; i < n; i++)
		at += (size_t)utf8_encode(cps[i], got + at);
	got[at] = '\0';
	/* with room for what utf8_fit gives and one more, the very same */
	if (utf8_len(want) + 2 <= cap)
		ck_assert_msg(strcmp(got, want) == 0 && got_cols == want_cols,
			      "round %d, %d columns: \"%s\" (%d) against \"%s\" (%d)", round, cols, got, got_cols,
			      want, want_cols);
	ck_assert_int_le(got_cols, cols);
	ck_assert_uint_le(n, cap);
	free(clean);
}

START_TEST(test_fit_clean)
{
	static const char *const words[] = { "홍길동", "a", "\x1b[2J", "\r\n", "\t", "\xe2\x80\xae", "\xcc\x81",
					     "\xed\x95", "\xff", "🙂", " ", "abcdef", "\x9b", "\x7f", "…" };
	uint32_t seed = 4242, cp[4];
	size_t n;
	char in[200];

	for (int round = 0; round < 20000; round++) {
		size_t len = 0;

		seed = seed * 1103515245u + 12345u;
		for (int k = (seed >> 16) % 12; k >= 0; k--) {
			const char *wd;

			seed = seed * 1103515245u + 12345u;
			wd = words[(seed >> 16) % (sizeof(words) / sizeof(words[0]))];
			if (len + strlen(wd) < sizeof(in))
				len += (size_t)snprintf(in + len, sizeof(in) - len, "%s", wd);
		}
		in[len] = '\0';
		seed = seed * 1103515245u + 12345u;
		fit_clean_same(in, 4 + (seed >> 16) % 40, 1 + (int)((seed >> 8) % 30), 256, round);
		fit_clean_same(in, 4096, 1 + (int)((seed >> 4) % 30), 2 + (seed >> 24) % 12, round);
	}
	ck_assert_int_eq(utf8_fit_clean("abc", 4096, 0, cp, 4, &n), 0);
	ck_assert_uint_eq(n, 0);
	ck_assert_int_eq(utf8_fit_clean(NULL, 4096, 5, cp, 4, &n), 0);
	ck_assert_uint_eq(n, 0);
	/* too many code points for the room: cut, with "…" in the last one */
	ck_assert_int_eq(utf8_fit_clean("abcdef", 4096, 10, cp, 4, &n), 4);
	ck_assert_uint_eq(n, 4);
	ck_assert_uint_eq(cp[3], 0x2026);
}
END_TEST

/* Keyboard input arrives byte by byte: incomplete is not invalid. */
START_TEST(test_decode_stream_pieces)
{
	uint32_t cp = 0;

	ck_assert_int_eq(utf8_decode_stream("", 0, &cp), 0);
	ck_assert_int_eq(utf8_decode_stream("\xed", 1, &cp), 0);          /* 한, first byte */
	ck_assert_int_eq(utf8_decode_stream("\xed\x95", 2, &cp), 0);
	ck_assert_int_eq(utf8_decode_stream("\xed\x95\x9c", 3, &cp), 3);
	ck_assert_uint_eq(cp, 0xD55C);
	ck_assert_int_eq(utf8_decode_stream("\xed\x41", 2, &cp), -1);     /* broken continuation */
	ck_assert_int_eq(utf8_decode_stream("\xc0\xaf", 2, &cp), -1);     /* overlong */
	ck_assert_int_eq(utf8_decode_stream("\xff", 1, &cp), -1);
	ck_assert_int_eq(utf8_decode_stream("a\xed", 2, &cp), 1);
	ck_assert_uint_eq(cp, 'a');
}
END_TEST

Suite *utf8_suite(void)
{
	Suite *s = suite_create("utf8");
	TCase *tc = tcase_create("codec");

	tcase_add_test(tc, test_valid);
	tcase_add_test(tc, test_decode_encode);
	tcase_add_test(tc, test_next_prev);
	suite_add_tcase(s, tc);

	tc = tcase_create("width");
	tcase_add_test(tc, test_cp_width);
	tcase_add_test(tc, test_width_and_len);
	tcase_add_test(tc, test_fit);
	tcase_add_test(tc, test_fit_edges);
	tcase_add_test(tc, test_fit_clean);
	suite_add_tcase(s, tc);

	tc = tcase_create("sanitize");
	tcase_add_test(tc, test_sanitize_csi);
	tcase_add_test(tc, test_sanitize_osc52);
	tcase_add_test(tc, test_sanitize_controls);
	tcase_add_test(tc, test_sanitize_bidi);
	tcase_add_test(tc, test_sanitize_invalid);
	tcase_add_test(tc, test_sanitize_keeps_text);
	tcase_add_test(tc, test_sanitize_limit);
	tcase_add_test(tc, test_sanitize_limit_exact);
	tcase_add_test(tc, test_sanitize_random);
	tcase_add_test(tc, test_decode_stream_pieces);
	tcase_add_test(tc, test_pad_cat);
	suite_add_tcase(s, tc);
	return s;
}
