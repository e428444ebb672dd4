/* textbuf.c - the notes editor's text, cursor, and soft-wrapped layout. */
#include "config.h"

#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ccterm/textbuf.h"
#include "ccterm/utf8.h"

struct textbuf {
	char *text;             /* NUL-terminated */
	size_t len, cap, max;
	size_t cur;
	bool has_goal;          /* up/down in a row: aim at goal */
	int goal;
	textbuf_edit_fn on_edit;
	void *arg;
};

/* --- characters --------------------------------------------------------- */

static uint32_t cp_at(const struct textbuf *tb, size_t off, size_t *n)
{
	uint32_t cp;

	*n = (size_t)utf8_decode(tb->text + off, tb->len - off, &cp);
	return cp;
}

/* A mark joins the character before it: combining marks, conjoining Hangul
 * vowels and finals, zero-width joiners and the like. */
static bool is_mark(uint32_t cp)
{
	return cp >= 0x300 && utf8_cp_width(cp) == 0;
}

/* Where the character starting at off ends (a '\n' takes no marks). */
static size_t next_char(const struct textbuf *tb, size_t off)
{
	size_t n;
	uint32_t cp;

	if (off >= tb->len)
		return tb->len;
	cp = cp_at(tb, off, &n);
	off += n;
	if (cp == '\n')
		return off;
	while (off < tb->len && is_mark(cp_at(tb, off, &n)))
		off += n;
	return off;
}

/* Where the character ending at off starts. */
static size_t prev_char(const struct textbuf *tb, size_t off)
{
	size_t p, q, n;

	if (off == 0)
		return 0;
	p = utf8_prev(tb->text, off);
	while (p > 0 && is_mark(cp_at(tb, p, &n))) {
		q = utf8_prev(tb->text, p);
		if (tb->text[q] == '\n')
			break;
		p = q;
	}
	return p;
}

/* True when off is between two characters (off is on a code point). */
static bool at_boundary(const struct textbuf *tb, size_t off)
{
	size_t n;

	if (off == 0 || off >= tb->len || tb->text[off - 1] == '\n')
		return true;
	return !is_mark(cp_at(tb, off, &n));
}

/* Columns of text[a..b). */
static int cols_of(const struct textbuf *tb, size_t a, size_t b)
{
	int cols = 0;

	while (a < b) {
		size_t n;

		cols += utf8_cp_width(cp_at(tb, a, &n));
		a += n;
	}
	return cols;
}

/* After an edit the cursor may have come to stand before a mark that now
 * joins the character before it: move it past the whole character. */
static void snap_forward(struct textbuf *tb)
{
	while (!at_boundary(tb, tb->cur))
		tb->cur = utf8_next(tb->text, tb->cur);
}

static int check_text(const char *s, size_t len)
{
	size_t i = 0;

	if (!utf8_valid(s, len))
		return TEXTBUF_INVALID;
	while (i < len) {
		uint32_t cp;

		i += (size_t)utf8_decode(s + i, len - i, &cp);
		if ((cp < 0x20 && cp != '\n') || (cp >= 0x7F && cp <= 0x9F))
			return TEXTBUF_INVALID;
	}
	return TEXTBUF_OK;
}

/* --- the buffer ----------------------------------------------------------- */

struct textbuf *textbuf_new(size_t max_bytes)
{
	struct textbuf *tb = calloc(1, sizeof(*tb));

	if (!tb)
		return NULL;
	tb->max = max_bytes ? max_bytes : TEXTBUF_MAX_DEFAULT;
	tb->cap = 256;
	tb->text = calloc(1, tb->cap);
	if (!tb->text) {
		free(tb);
		return NULL;
	}
	return tb;
}

void textbuf_free(struct textbuf *tb)
{
	if (!tb)
		return;
	free(tb->text);
	free(tb);
}

void textbuf_set_on_edit(struct textbuf *tb, textbuf_edit_fn fn, void *arg)
{
	tb->on_edit = fn;
	tb->arg = arg;
}

static int reserve(struct textbuf *tb, size_t need)
{
	size_t cap = tb->cap;
	char *t;

	if (need + 1 <= cap)
		return TEXTBUF_OK;
	while (cap < need + 1)
		cap *= 2;
	t = realloc(tb->text, cap);
	if (!t)
		return TEXTBUF_NOMEM;
	tb->text = t;
	tb->cap = cap;
	return TEXTBUF_OK;
}

int textbuf_set_text(struct textbuf *tb, const char *s)
{
	size_t len = strlen(s);
	int rc = check_text(s, len);

	if (rc != TEXTBUF_OK)
		return rc;
	if (len > tb->max)
		return TEXTBUF_FULL;
	if ((rc = reserve(tb, len)) != TEXTBUF_OK)
		return rc;
	memcpy(tb->text, s, len + 1);
	tb->len = len;
	tb->cur = len;
	tb->has_goal = false;
	return TEXTBUF_OK;
}

const char *textbuf_text(const struct textbuf *tb)
{
	return tb->text;
}

size_t textbuf_len(const struct textbuf *tb)
{
	return tb->len;
}

size_t textbuf_max(const struct textbuf *tb)
{
	return tb->max;
}

size_t textbuf_cursor(const struct textbuf *tb)
{
	return tb->cur;
}

void textbuf_set_cursor(struct textbuf *tb, size_t off)
{
	if (off > tb->len)
		off = tb->len;
	while (off > 0 && ((unsigned char)tb->text[off] & 0xC0) == 0x80)
		off--;
	while (!at_boundary(tb, off))
		off = utf8_prev(tb->text, off);
	tb->cur = off;
	tb->has_goal = false;
}

int textbuf_insert(struct textbuf *tb, const char *s, size_t len)
{
	size_t at = tb->cur;
	int rc;

	if (len == 0)
		return TEXTBUF_OK;
	if ((rc = check_text(s, len)) != TEXTBUF_OK)
		return rc;
	if (len > tb->max - tb->len)
		return TEXTBUF_FULL;
	if ((rc = reserve(tb, tb->len + len)) != TEXTBUF_OK)
		return rc;
	memmove(tb->text + at + len, tb->text + at, tb->len - at + 1);
	memcpy(tb->text + at, s, len);
	tb->len += len;
	tb->cur = at + len;
	snap_forward(tb);
	tb->has_goal = false;
	if (tb->on_edit)
		tb->on_edit(tb->arg, true, at, tb->text + at, len);
	return TEXTBUF_OK;
}

int textbuf_newline(struct textbuf *tb)
{
	return textbuf_insert(tb, "\n", 1);
}

/* Removes text[a..b) and leaves the cursor at a. */
static void cut(struct textbuf *tb, size_t a, size_t b)
{
	if (tb->on_edit)
		tb->on_edit(tb->arg, false, a, tb->text + a, b - a);
	memmove(tb->text + a, tb->text + b, tb->len - b + 1);
	tb->len -= b - a;
	tb->cur = a;
	snap_forward(tb);
	tb->has_goal = false;
}

bool textbuf_backspace(struct textbuf *tb)
{
	if (tb->cur == 0)
		return false;
	cut(tb, prev_char(tb, tb->cur), tb->cur);
	return true;
}

bool textbuf_delete(struct textbuf *tb)
{
	if (tb->cur >= tb->len)
		return false;
	cut(tb, tb->cur, next_char(tb, tb->cur));
	return true;
}

static bool move_to(struct textbuf *tb, size_t off)
{
	bool moved = off != tb->cur;

	tb->cur = off;
	tb->has_goal = false;
	return moved;
}

bool textbuf_left(struct textbuf *tb)
{
	return move_to(tb, prev_char(tb, tb->cur));
}

bool textbuf_right(struct textbuf *tb)
{
	return move_to(tb, next_char(tb, tb->cur));
}

bool textbuf_home(struct textbuf *tb)
{
	size_t p = tb->cur;

	while (p > 0 && tb->text[p - 1] != '\n')
		p--;
	return move_to(tb, p);
}

bool textbuf_end(struct textbuf *tb)
{
	size_t p = tb->cur;

	while (p < tb->len && tb->text[p] != '\n')
		p++;
	return move_to(tb, p);
}

/* --- layout --------------------------------------------------------------- */

static int push_row(struct textbuf_layout *lo, size_t start, size_t end, int cols, bool hard)
{
	if (lo->nrows == lo->cap) {
		size_t cap = lo->cap ? lo->cap * 2 : 16;
		struct textbuf_row *r = realloc(lo->rows, cap * sizeof(*r));

		if (!r)
			return TEXTBUF_NOMEM;
		lo->rows = r;
		lo->cap = cap;
	}
	lo->rows[lo->nrows++] = (struct textbuf_row){ start, end, cols, hard };
	return TEXTBUF_OK;
}

/* A row ending at a '\n' or the end of the text; an exactly full one is
 * followed by an empty row so that a cursor at its end has a column. */
static int push_hard(struct textbuf_layout *lo, size_t start, size_t end, int cols, int width)
{
	if (cols >= width) {
		if (push_row(lo, start, end, cols, false) != TEXTBUF_OK)
			return TEXTBUF_NOMEM;
		start = end;
		cols = 0;
	}
	return push_row(lo, start, end, cols, true);
}

/* Wraps at width columns (INT_MAX: no wrapping) and finds the cursor. */
static int wrap(const struct textbuf *tb, int width, struct textbuf_layout *lo)
{
	size_t i = 0, start = 0, brk = 0;
	int col = 0, brk_col = 0;
	bool have_brk = false;

	lo->nrows = 0;
	lo->width = width;
	lo->cur_row = 0;
	lo->cur_col = 0;
	while (i < tb->len) {
		size_t next;
		int w;

		if (tb->text[i] == '\n') {
			if (push_hard(lo, start, i, col, width) != TEXTBUF_OK)
				return TEXTBUF_NOMEM;
			start = ++i;
			col = 0;
			have_brk = false;
			continue;
		}
		next = next_char(tb, i);
		w = cols_of(tb, i, next);
		if (col > 0 && w > width - col) {
			if (have_brk && tb->text[i] != ' ') {
				/* Move the word being written to the next row. */
				if (push_row(lo, start, brk, brk_col, false) != TEXTBUF_OK)
					return TEXTBUF_NOMEM;
				start = brk;
				col -= brk_col;
				have_brk = false;
				continue;
			}
			if (push_row(lo, start, i, col, false) != TEXTBUF_OK)
				return TEXTBUF_NOMEM;
			start = i;
			col = 0;
			have_brk = false;
		}
		col += w;
		if (tb->text[i] == ' ') {
			have_brk = true;
			brk = next;
			brk_col = col;
		}
		i = next;
	}
	if (push_hard(lo, start, tb->len, col, width) != TEXTBUF_OK)
		return TEXTBUF_NOMEM;

	/* The cursor's row: a soft row's end belongs to the row after it. */
	for (size_t r = 0; r < lo->nrows; r++) {
		const struct textbuf_row *row = &lo->rows[r];

		if (tb->cur >= row->start && (tb->cur < row->end || (tb->cur == row->end && row->hard))) {
			lo->cur_row = r;
			lo->cur_col = cols_of(tb, row->start, tb->cur);
			break;
		}
	}
	return TEXTBUF_OK;
}

int textbuf_layout(const struct textbuf *tb, int width, struct textbuf_layout *lo)
{
	return wrap(tb, width < 2 ? 2 : width, lo);
}

void textbuf_layout_free(struct textbuf_layout *lo)
{
	free(lo->rows);
	memset(lo, 0, sizeof(*lo));
}

size_t textbuf_scroll(const struct textbuf_layout *lo, size_t top, size_t height)
{
	size_t max_top;

	if (height == 0)
		return lo->cur_row;
	if (lo->cur_row < top)
		top = lo->cur_row;
	else if (lo->cur_row >= top + height)
		top = lo->cur_row - height + 1;
	max_top = lo->nrows > height ? lo->nrows - height : 0;
	return top > max_top ? max_top : top;
}

/* --- up and down ---------------------------------------------------------- */

static bool vertical(struct textbuf *tb, int width, int dir)
{
	struct textbuf_layout lo = { 0 };
	const struct textbuf_row *row;
	size_t off, target;
	int goal, col = 0;

	if (wrap(tb, width <= 0 ? INT_MAX : (width < 2 ? 2 : width), &lo) != TEXTBUF_OK) {
		textbuf_layout_free(&lo);
		return false;
	}
	goal = tb->has_goal ? tb->goal : lo.cur_col;
	if ((dir < 0 && lo.cur_row == 0) || (dir > 0 && lo.cur_row + 1 >= lo.nrows)) {
		textbuf_layout_free(&lo);
		return false;
	}
	target = dir < 0 ? lo.cur_row - 1 : lo.cur_row + 1;
	row = &lo.rows[target];
	off = row->start;
	while (off < row->end) {
		size_t next = next_char(tb, off);
		int w = cols_of(tb, off, next);

		/* A soft row's end is the next row's start. */
		if (w > goal - col || (!row->hard && next >= row->end))
			break;
		col += w;
		off = next;
	}
	textbuf_layout_free(&lo);
	tb->cur = off;
	tb->has_goal = true;
	tb->goal = goal;
	return true;
}

bool textbuf_up(struct textbuf *tb, int width)
{
	return vertical(tb, width, -1);
}

bool textbuf_down(struct textbuf *tb, int width)
{
	return vertical(tb, width, 1);
}
