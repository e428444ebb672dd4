/* check_textbuf.c - the notes editor: moving by character through Korean
 * text, reporting every edit, wrapping wide characters, up/down. */
#include "config.h"

#include <check.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ccterm/textbuf.h"
#include "ccterm/utf8.h"
#include "suites.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* For checks in long loops: ck_assert costs a message to the runner each time. */
#define CHECK(c) do { if (!(c)) ck_abort_msg("%s:%d: %s", __FILE__, __LINE__, #c); } while (0)

/* A copy of the text kept only from on_edit reports. */
struct mirror {
	char s[8192];
	size_t len;
	int calls;
};

static void mirror_edit(void *arg, bool insert, size_t off, const char *bytes, size_t len)
{
	struct mirror *m = arg;

	m->calls++;
	CHECK(off <= m->len);
	if (insert) {
		CHECK(m->len + len < sizeof(m->s));
		memmove(m->s + off + len, m->s + off, m->len - off + 1);
		memcpy(m->s + off, bytes, len);
		m->len += len;
	} else {
		CHECK(len <= m->len - off);
		CHECK(memcmp(m->s + off, bytes, len) == 0);
		memmove(m->s + off, m->s + off + len, m->len - off - len + 1);
		m->len -= len;
	}
}

static struct textbuf *with_text(const char *s)
{
	struct textbuf *tb = textbuf_new(0);

	ck_assert_ptr_nonnull(tb);
	ck_assert_int_eq(textbuf_set_text(tb, s), TEXTBUF_OK);
	return tb;
}

/* The wrapped rows as "row|row|row" for readable expectations. */
static char *rows_of(const struct textbuf *tb, const struct textbuf_layout *lo, char *out, size_t outsz)
{
	size_t o = 0;

	out[0] = '\0';
	for (size_t r = 0; r < lo->nrows; r++) {
		size_t n = lo->rows[r].end - lo->rows[r].start;

		ck_assert_uint_lt(o + n + 2, outsz);
		if (r > 0)
			out[o++] = '|';
		memcpy(out + o, textbuf_text(tb) + lo->rows[r].start, n);
		o += n;
		out[o] = '\0';
	}
	return out;
}

static void expect_wrap(const char *text, int width, const char *want)
{
	struct textbuf *tb = with_text(text);
	struct textbuf_layout lo = { 0 };
	char got[1024];

	ck_assert_int_eq(textbuf_layout(tb, width, &lo), TEXTBUF_OK);
	rows_of(tb, &lo, got, sizeof(got));
	ck_assert_msg(strcmp(got, want) == 0, "wrap \"%s\" at %d: got \"%s\", want \"%s\"", text, width, got, want);
	for (size_t r = 0; r < lo.nrows; r++)
		ck_assert_int_le(lo.rows[r].cols, lo.width);
	textbuf_layout_free(&lo);
	textbuf_free(tb);
}

/* The cursor's place in the layout at width. */
static void expect_cursor_at(struct textbuf *tb, int width, size_t row, int col)
{
	struct textbuf_layout lo = { 0 };

	ck_assert_int_eq(textbuf_layout(tb, width, &lo), TEXTBUF_OK);
	ck_assert_uint_eq(lo.cur_row, row);
	ck_assert_int_eq(lo.cur_col, col);
	textbuf_layout_free(&lo);
}

START_TEST(korean_moves_by_character)
{
	struct textbuf *tb = textbuf_new(0);
	struct mirror m = { .len = 0 };

	textbuf_set_on_edit(tb, mirror_edit, &m);
	ck_assert_int_eq(textbuf_insert(tb, "한국어", strlen("한국어")), TEXTBUF_OK);
	ck_assert_uint_eq(textbuf_len(tb), 9);
	ck_assert_uint_eq(textbuf_cursor(tb), 9);
	ck_assert(textbuf_left(tb));
	ck_assert_uint_eq(textbuf_cursor(tb), 6);
	ck_assert(textbuf_left(tb));
	ck_assert_uint_eq(textbuf_cursor(tb), 3);
	ck_assert_int_eq(textbuf_insert(tb, "a", 1), TEXTBUF_OK);
	ck_assert_str_eq(textbuf_text(tb), "한a국어");
	ck_assert_uint_eq(textbuf_cursor(tb), 4);
	ck_assert(textbuf_backspace(tb));
	ck_assert(textbuf_backspace(tb));            /* the whole 한, three bytes */
	ck_assert_str_eq(textbuf_text(tb), "국어");
	ck_assert_uint_eq(textbuf_cursor(tb), 0);
	ck_assert(!textbuf_backspace(tb));
	ck_assert(!textbuf_left(tb));
	ck_assert(textbuf_delete(tb));
	ck_assert_str_eq(textbuf_text(tb), "어");
	ck_assert(textbuf_right(tb));
	ck_assert_uint_eq(textbuf_cursor(tb), 3);
	ck_assert(!textbuf_right(tb));
	ck_assert(!textbuf_delete(tb));
	/* A cursor put inside a character goes back to its start. */
	textbuf_set_text(tb, "가나");
	textbuf_set_cursor(tb, 4);
	ck_assert_uint_eq(textbuf_cursor(tb), 3);
	textbuf_set_cursor(tb, 99);
	ck_assert_uint_eq(textbuf_cursor(tb), 6);
	/* What the callback saw rebuilds the text (set_text is not reported). */
	ck_assert_int_eq(m.calls, 5);
	ck_assert_str_eq(m.s, "어");
	textbuf_free(tb);
}
END_TEST

START_TEST(combining_marks_stay_with_their_letter)
{
	/* e + COMBINING ACUTE, then x; and conjoining jamo ᄒ+ᅡ+ᆫ = one syllable. */
	struct textbuf *tb = with_text("e\xCC\x81x\xE1\x84\x92\xE1\x85\xA1\xE1\x86\xAB");

	ck_assert(textbuf_left(tb));
	ck_assert_uint_eq(textbuf_cursor(tb), 4);       /* before the whole jamo syllable */
	ck_assert(textbuf_left(tb));
	ck_assert_uint_eq(textbuf_cursor(tb), 3);
	ck_assert(textbuf_left(tb));
	ck_assert_uint_eq(textbuf_cursor(tb), 0);
	ck_assert(textbuf_delete(tb));
	ck_assert_str_eq(textbuf_text(tb), "x\xE1\x84\x92\xE1\x85\xA1\xE1\x86\xAB");
	textbuf_end(tb);
	ck_assert(textbuf_backspace(tb));
	ck_assert_str_eq(textbuf_text(tb), "x");
	/* A mark typed after a letter joins it; the cursor is never between. */
	ck_assert_int_eq(textbuf_insert(tb, "\xCC\x88", 2), TEXTBUF_OK);
	ck_assert_uint_eq(textbuf_cursor(tb), 3);
	ck_assert(textbuf_left(tb));
	ck_assert_uint_eq(textbuf_cursor(tb), 0);
	textbuf_set_cursor(tb, 1);
	ck_assert_uint_eq(textbuf_cursor(tb), 0);
	textbuf_free(tb);
}
END_TEST

START_TEST(lines_home_end_newline)
{
	struct textbuf *tb = with_text("첫 줄\nsecond");

	ck_assert(textbuf_home(tb));
	ck_assert_uint_eq(textbuf_cursor(tb), strlen("첫 줄\n"));
	ck_assert(!textbuf_home(tb));
	ck_assert(textbuf_left(tb));                 /* over the line end */
	ck_assert_uint_eq(textbuf_cursor(tb), strlen("첫 줄"));
	ck_assert(textbuf_home(tb));
	ck_assert_uint_eq(textbuf_cursor(tb), 0);
	ck_assert(textbuf_end(tb));
	ck_assert_uint_eq(textbuf_cursor(tb), strlen("첫 줄"));
	ck_assert_int_eq(textbuf_newline(tb), TEXTBUF_OK);
	ck_assert_str_eq(textbuf_text(tb), "첫 줄\n\nsecond");
	ck_assert(textbuf_right(tb));
	ck_assert(textbuf_end(tb));
	ck_assert_uint_eq(textbuf_cursor(tb), textbuf_len(tb));
	ck_assert(!textbuf_end(tb));
	textbuf_free(tb);
}
END_TEST

START_TEST(refuses_invalid_and_controls)
{
	static const char *const bad[] = {
		"\xFF", "a\xC3", "\xED\xA0\x80", "tab\there", "esc\x1b[2J", "cr\r", "del\x7F", "c1\xC2\x9B",
	};
	struct textbuf *tb = with_text("ok");
	struct mirror m = { .len = 0 };

	textbuf_set_on_edit(tb, mirror_edit, &m);
	for (size_t i = 0; i < N(bad); i++) {
		ck_assert_int_eq(textbuf_insert(tb, bad[i], strlen(bad[i])), TEXTBUF_INVALID);
		ck_assert_int_eq(textbuf_set_text(tb, bad[i]), TEXTBUF_INVALID);
	}
	ck_assert_int_eq(textbuf_insert(tb, "a\0b", 3), TEXTBUF_INVALID);
	ck_assert_str_eq(textbuf_text(tb), "ok");
	ck_assert_int_eq(m.calls, 0);
	textbuf_free(tb);
}
END_TEST

START_TEST(max_size_refuses_whole_input)
{
	struct textbuf *tb = textbuf_new(10);
	struct mirror m = { .len = 0 };
	char block[1024];

	textbuf_set_on_edit(tb, mirror_edit, &m);
	ck_assert_int_eq(textbuf_insert(tb, "12345678", 8), TEXTBUF_OK);
	ck_assert_int_eq(textbuf_insert(tb, "한", 3), TEXTBUF_FULL);     /* 11 > 10: nothing of it */
	ck_assert_str_eq(textbuf_text(tb), "12345678");
	ck_assert_int_eq(textbuf_insert(tb, "ab", 2), TEXTBUF_OK);
	ck_assert_int_eq(textbuf_newline(tb), TEXTBUF_FULL);
	ck_assert_int_eq(textbuf_set_text(tb, "12345678901"), TEXTBUF_FULL);
	ck_assert(textbuf_backspace(tb));
	ck_assert_int_eq(textbuf_insert(tb, "c", 1), TEXTBUF_OK);
	ck_assert_str_eq(textbuf_text(tb), "12345678ac");
	ck_assert_int_eq(m.calls, 4);
	textbuf_free(tb);

	/* The default: 64 KiB. */
	tb = textbuf_new(0);
	memset(block, 'x', sizeof(block));
	ck_assert_uint_eq(textbuf_max(tb), 65536);
	for (int i = 0; i < 64; i++)
		ck_assert_int_eq(textbuf_insert(tb, block, sizeof(block)), TEXTBUF_OK);
	ck_assert_int_eq(textbuf_insert(tb, "y", 1), TEXTBUF_FULL);
	ck_assert_uint_eq(textbuf_len(tb), 65536);
	textbuf_free(tb);
}
END_TEST

START_TEST(wrap_words_and_long_words)
{
	expect_wrap("", 10, "");
	expect_wrap("hello world foo", 10, "hello |world foo");
	expect_wrap("hello world foo", 11, "hello world| foo");    /* a space that does not fit starts the row */
	expect_wrap("abcdefghij", 4, "abcd|efgh|ij");
	expect_wrap("a bcdefghij", 4, "a |bcde|fghi|j");
	expect_wrap("one\n\ntwo", 10, "one||two");
	expect_wrap("abcd", 4, "abcd|");                       /* exactly full: the cursor gets a row */
	expect_wrap("abcd\nx", 4, "abcd||x");
	expect_wrap("ab cd", 1, "ab| |cd|");                    /* less than 2 counts as 2 */
}
END_TEST

START_TEST(wrap_wide_characters_at_odd_widths)
{
	struct textbuf *tb;

	expect_wrap("가나다라마", 5, "가나|다라|마");
	expect_wrap("가나다라마", 3, "가|나|다|라|마");
	expect_wrap("a가나", 4, "a가|나");
	expect_wrap("a가나", 5, "a가나|");
	expect_wrap("안녕하세요 고객님", 7, "안녕하|세요 |고객님");
	expect_wrap("ab😀c", 3, "ab|😀c|");

	tb = with_text("가나다라마");
	expect_cursor_at(tb, 5, 2, 2);
	textbuf_set_cursor(tb, 6);                      /* before 다: start of row 1, not the end of row 0 */
	expect_cursor_at(tb, 5, 1, 0);
	textbuf_set_cursor(tb, 3);
	expect_cursor_at(tb, 5, 0, 2);
	textbuf_free(tb);
}
END_TEST

START_TEST(up_down_keep_goal_column)
{
	struct textbuf *tb = with_text("abcdefgh\nab\nabcdefgh");

	textbuf_set_cursor(tb, 6);                      /* line 0, column 6 */
	ck_assert(!textbuf_up(tb, 0));
	ck_assert(textbuf_down(tb, 0));
	ck_assert_uint_eq(textbuf_cursor(tb), 11);      /* end of "ab" */
	ck_assert(textbuf_down(tb, 0));
	ck_assert_uint_eq(textbuf_cursor(tb), 18);      /* column 6 again */
	ck_assert(!textbuf_down(tb, 0));
	ck_assert(textbuf_up(tb, 0));
	ck_assert(textbuf_up(tb, 0));
	ck_assert_uint_eq(textbuf_cursor(tb), 6);
	/* Any other move forgets the goal. */
	ck_assert(textbuf_down(tb, 0));
	ck_assert(textbuf_left(tb));                    /* column 1 */
	ck_assert(textbuf_down(tb, 0));
	ck_assert_uint_eq(textbuf_cursor(tb), 13);
	textbuf_free(tb);
}
END_TEST

START_TEST(up_down_through_wide_characters)
{
	struct textbuf *tb = with_text("abcde\n가나다\nxy");

	textbuf_set_cursor(tb, 3);                      /* column 3 */
	ck_assert(textbuf_down(tb, 0));
	ck_assert_uint_eq(textbuf_cursor(tb), 6 + 3);   /* after 가: column 2, not inside 나 */
	ck_assert(textbuf_down(tb, 0));
	ck_assert_uint_eq(textbuf_cursor(tb), strlen("abcde\n가나다\nxy"));
	ck_assert(textbuf_up(tb, 0));
	ck_assert_uint_eq(textbuf_cursor(tb), 6 + 3);
	ck_assert(textbuf_up(tb, 0));
	ck_assert_uint_eq(textbuf_cursor(tb), 3);       /* the goal, 3, survived the wide row */
	textbuf_set_cursor(tb, 5);                      /* column 5 */
	ck_assert(textbuf_down(tb, 0));
	ck_assert_uint_eq(textbuf_cursor(tb), 6 + 6);   /* after 나 (column 4) */
	textbuf_free(tb);
}
END_TEST

START_TEST(up_down_through_wrapped_rows)
{
	struct textbuf *tb = with_text("abcdefghij");

	textbuf_set_cursor(tb, 1);
	ck_assert(textbuf_down(tb, 4));
	ck_assert_uint_eq(textbuf_cursor(tb), 5);
	ck_assert(textbuf_down(tb, 4));
	ck_assert_uint_eq(textbuf_cursor(tb), 9);
	ck_assert(!textbuf_down(tb, 4));
	ck_assert(textbuf_up(tb, 4));
	ck_assert_uint_eq(textbuf_cursor(tb), 5);
	/* Column 3 on a soft row: the row's end is the next row's start. */
	textbuf_set_cursor(tb, 10);                     /* row 2, column 2 */
	ck_assert(textbuf_up(tb, 4));
	ck_assert_uint_eq(textbuf_cursor(tb), 6);
	textbuf_free(tb);

	tb = with_text("hello world");              /* "hello " | "world" at 8 */
	ck_assert(textbuf_up(tb, 8));
	ck_assert_uint_eq(textbuf_cursor(tb), 5);       /* column 5 of "hello ", before the space */
	ck_assert(textbuf_down(tb, 8));
	ck_assert_uint_eq(textbuf_cursor(tb), 11);
	textbuf_free(tb);

	/* Wide characters wrapped at an odd width: column 2 of "a가" -> column 2 of "나다" is after 나. */
	tb = with_text("a가나다");                  /* "a가" | "나다" at 4 */
	textbuf_set_cursor(tb, 1);                      /* after a, column 1 */
	ck_assert(textbuf_down(tb, 4));
	ck_assert_uint_eq(textbuf_cursor(tb), 4);       /* column 0: 나 would pass column 1 */
	textbuf_free(tb);
}
END_TEST

START_TEST(exactly_full_row_cursor)
{
	struct textbuf *tb = with_text("abcd");

	expect_cursor_at(tb, 4, 1, 0);
	ck_assert(textbuf_up(tb, 4));
	ck_assert_uint_eq(textbuf_cursor(tb), 0);       /* column 0 of "abcd" */
	textbuf_set_text(tb, "abcd\nx");
	textbuf_set_cursor(tb, 4);
	expect_cursor_at(tb, 4, 1, 0);
	textbuf_set_cursor(tb, 3);
	expect_cursor_at(tb, 4, 0, 3);
	textbuf_free(tb);
}
END_TEST

START_TEST(scroll_follows_cursor)
{
	struct textbuf *tb = with_text("0\n1\n2\n3\n4\n5\n6\n7\n8\n9");
	struct textbuf_layout lo = { 0 };

	textbuf_set_cursor(tb, 10);                     /* row 5 */
	ck_assert_int_eq(textbuf_layout(tb, 20, &lo), TEXTBUF_OK);
	ck_assert_uint_eq(lo.nrows, 10);
	ck_assert_uint_eq(lo.cur_row, 5);
	ck_assert_uint_eq(textbuf_scroll(&lo, 0, 3), 3);
	ck_assert_uint_eq(textbuf_scroll(&lo, 4, 3), 4);
	ck_assert_uint_eq(textbuf_scroll(&lo, 5, 3), 5);
	ck_assert_uint_eq(textbuf_scroll(&lo, 8, 3), 5);
	ck_assert_uint_eq(textbuf_scroll(&lo, 0, 20), 0);
	textbuf_set_cursor(tb, 18);                     /* row 9 */
	ck_assert_int_eq(textbuf_layout(tb, 20, &lo), TEXTBUF_OK);     /* reused */
	ck_assert_uint_eq(textbuf_scroll(&lo, 0, 3), 7);
	/* The text shrank under a scrolled window: no empty rows at the bottom. */
	textbuf_set_text(tb, "a\nb");
	ck_assert_int_eq(textbuf_layout(tb, 20, &lo), TEXTBUF_OK);
	ck_assert_uint_eq(textbuf_scroll(&lo, 7, 3), 0);
	textbuf_layout_free(&lo);
	textbuf_free(tb);
}
END_TEST

/* --- random editing ------------------------------------------------------ */

static uint64_t rng;

static uint32_t rnd(uint32_t below)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (uint32_t)(rng % below);
}

/* Layout invariants: rows tile the text, fit the width, and the cursor is on one. */
static void check_layout(const struct textbuf *tb, int width)
{
	struct textbuf_layout lo = { 0 };
	const char *t = textbuf_text(tb);

	CHECK(textbuf_layout(tb, width, &lo) == TEXTBUF_OK);
	CHECK(lo.nrows >= 1);
	CHECK(lo.rows[0].start == 0);
	for (size_t r = 0; r < lo.nrows; r++) {
		const struct textbuf_row *row = &lo.rows[r];
		char *piece = strndup(t + row->start, row->end - row->start);

		CHECK(strchr(piece, '\n') == NULL);
		CHECK(utf8_width(piece) == row->cols);
		CHECK(row->cols <= lo.width);
		CHECK(((unsigned char)t[row->start] & 0xC0) != 0x80);
		free(piece);
		if (r + 1 < lo.nrows) {
			if (row->hard) {
				CHECK(t[row->end] == '\n');
				CHECK(lo.rows[r + 1].start == row->end + 1);
			} else {
				CHECK(lo.rows[r + 1].start == row->end);
			}
		} else {
			CHECK(row->hard);
			CHECK(row->end == textbuf_len(tb));
		}
	}
	CHECK(lo.cur_row < lo.nrows);
	CHECK(lo.cur_col >= 0);
	CHECK(lo.cur_col < lo.width);
	textbuf_layout_free(&lo);
}

START_TEST(random_edits_reported_exactly)
{
	static const char *const pieces[] = {
		"a", "xyz", " ", "\n", "한", "국어 ", "é", "e\xCC\x81", "\xCC\x81", "😀", "가나다라마바사",
	};
	struct textbuf *tb = textbuf_new(4000);
	struct mirror m = { .len = 0 };

	rng = 0x9E3779B97F4A7C15ull;
	textbuf_set_on_edit(tb, mirror_edit, &m);
	for (int step = 0; step < 5000; step++) {
		int width = 2 + (int)rnd(12);
		const char *p;

		switch (rnd(10)) {
		case 0: case 1: case 2:
			p = pieces[rnd(N(pieces))];
			CHECK(textbuf_insert(tb, p, strlen(p)) != TEXTBUF_INVALID);
			break;
		case 3: textbuf_backspace(tb); break;
		case 4: textbuf_delete(tb); break;
		case 5: textbuf_left(tb); break;
		case 6: textbuf_right(tb); break;
		case 7: rnd(2) ? textbuf_up(tb, width) : textbuf_down(tb, width); break;
		case 8: rnd(2) ? textbuf_home(tb) : textbuf_end(tb); break;
		default: textbuf_set_cursor(tb, rnd((uint32_t)textbuf_len(tb) + 1)); break;
		}
		CHECK(m.len == textbuf_len(tb));
		CHECK(memcmp(m.s, textbuf_text(tb), m.len) == 0);
		CHECK(utf8_valid(textbuf_text(tb), textbuf_len(tb)));
		CHECK(((unsigned char)textbuf_text(tb)[textbuf_cursor(tb)] & 0xC0) != 0x80);
		if (step % 10 == 0)
			check_layout(tb, width);
	}
	textbuf_free(tb);
}
END_TEST

Suite *textbuf_suite(void)
{
	Suite *s = suite_create("textbuf");
	TCase *tc = tcase_create("editing");

	tcase_add_test(tc, korean_moves_by_character);
	tcase_add_test(tc, combining_marks_stay_with_their_letter);
	tcase_add_test(tc, lines_home_end_newline);
	tcase_add_test(tc, refuses_invalid_and_controls);
	tcase_add_test(tc, max_size_refuses_whole_input);
	tcase_add_test(tc, random_edits_reported_exactly);
	suite_add_tcase(s, tc);

	tc = tcase_create("layout");
	tcase_add_test(tc, wrap_words_and_long_words);
	tcase_add_test(tc, wrap_wide_characters_at_odd_widths);
	tcase_add_test(tc, exactly_full_row_cursor);
	tcase_add_test(tc, scroll_follows_cursor);
	suite_add_tcase(s, tc);

	tc = tcase_create("up_down");
	tcase_add_test(tc, up_down_keep_goal_column);
	tcase_add_test(tc, up_down_through_wide_characters);
	tcase_add_test(tc, up_down_through_wrapped_rows);
	suite_add_tcase(s, tc);
	return s;
}
