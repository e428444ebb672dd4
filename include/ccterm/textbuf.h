/* textbuf.h - a multi-line UTF-8 text buffer with a cursor: the notes
 * editor's model. No curses here.
 *
 * The text is always valid UTF-8 without control characters other than
 * '\n'. The cursor is a byte offset that only ever stands between
 * characters: it moves by character (a code point together with the
 * combining marks that follow it), never by byte. Every change is reported
 * through the on_edit callback (before the call returns) with its byte
 * offset and bytes, so the caller can journal it.
 *
 * Soft wrap (textbuf_layout, textbuf_up/down): a row breaks after the last
 * space that lets the next word start the following row; a word longer
 * than the row is broken between characters, never inside one (a wide
 * character that does not fit starts the next row). A space that does not
 * fit starts the next row. A row that is exactly full is followed by a new
 * row, so the cursor column is always < width.
 */
#ifndef CCTERM_TEXTBUF_H
#define CCTERM_TEXTBUF_H

#include <stdbool.h>
#include <stddef.h>

#define TEXTBUF_MAX_DEFAULT (64 * 1024)   /* bytes */

enum textbuf_status {
	TEXTBUF_OK = 0,
	TEXTBUF_FULL = -1,      /* the change would pass the maximum size; nothing changed */
	TEXTBUF_INVALID = -2,   /* not UTF-8, or a control character other than '\n' */
	TEXTBUF_NOMEM = -3,
};

/* Called for each change once it is sure to succeed: insert true ->
 * bytes[0..len) now stand at off (called right after the insertion);
 * insert false -> bytes[0..len), which start at off, are being removed
 * (called just before; bytes point into the text). It must not change
 * the buffer. */
typedef void (*textbuf_edit_fn)(void *arg, bool insert, size_t off, const char *bytes, size_t len);

struct textbuf;

/* An empty buffer holding at most max_bytes (0: TEXTBUF_MAX_DEFAULT). NULL when out of memory. */
struct textbuf *textbuf_new(size_t max_bytes);
void textbuf_free(struct textbuf *tb);

void textbuf_set_on_edit(struct textbuf *tb, textbuf_edit_fn fn, void *arg);

/* Replaces the whole text (e.g. a draft restored from the journal), the
 * cursor at the end. Not reported to on_edit: journal it as a whole value.
 * Invalid text (see TEXTBUF_INVALID) is refused; pass it through
 * utf8_sanitize(..., SANITIZE_KEEP_NEWLINES) first if it may be. */
int textbuf_set_text(struct textbuf *tb, const char *s);

const char *textbuf_text(const struct textbuf *tb);     /* NUL-terminated */
size_t textbuf_len(const struct textbuf *tb);           /* bytes */
size_t textbuf_max(const struct textbuf *tb);
size_t textbuf_cursor(const struct textbuf *tb);        /* byte offset */

/* Puts the cursor at byte offset off, moved back to a character boundary. */
void textbuf_set_cursor(struct textbuf *tb, size_t off);

/* Inserts s[0..len) at the cursor and moves the cursor after it. All or
 * nothing: TEXTBUF_FULL when it does not fit in the maximum size. */
int textbuf_insert(struct textbuf *tb, const char *s, size_t len);
int textbuf_newline(struct textbuf *tb);

/* Delete the character before / at the cursor. Return true when one was. */
bool textbuf_backspace(struct textbuf *tb);
bool textbuf_delete(struct textbuf *tb);

/* Cursor moves; they return true when the cursor moved. left/right cross
 * line ends; home/end go to the start / end of the logical line (between
 * '\n's). */
bool textbuf_left(struct textbuf *tb);
bool textbuf_right(struct textbuf *tb);
bool textbuf_home(struct textbuf *tb);
bool textbuf_end(struct textbuf *tb);

/*
 * Up / down one row of the text wrapped at width columns (width <= 0: one
 * logical line, no wrapping), keeping a goal column in display columns:
 * consecutive up/down moves aim at the column where the first one started,
 * through shorter rows; any other move or edit forgets it. The cursor lands
 * on the last character boundary at or before the goal column (never
 * inside a wide character). False at the first / last row (the cursor
 * stays), or when out of memory.
 */
bool textbuf_up(struct textbuf *tb, int width);
bool textbuf_down(struct textbuf *tb, int width);

struct textbuf_row {
	size_t start, end;      /* bytes of the row: text[start..end), no '\n' */
	int cols;               /* display columns of those bytes */
	bool hard;              /* ends at a '\n' or the end of the text (else soft-wrapped) */
};

struct textbuf_layout {
	struct textbuf_row *rows;
	size_t nrows, cap;      /* nrows >= 1 */
	int width;              /* the width used (at least 2) */
	size_t cur_row;         /* where the cursor is */
	int cur_col;            /* 0 <= cur_col < width */
};

/*
 * Wraps the text at width columns (less than 2 counts as 2, so any
 * character fits) into lo. Zero-initialize lo once; it is reused by later
 * calls and freed with textbuf_layout_free. Returns TEXTBUF_OK or TEXTBUF_NOMEM.
 */
int textbuf_layout(const struct textbuf *tb, int width, struct textbuf_layout *lo);
void textbuf_layout_free(struct textbuf_layout *lo);

/* The first row to show in a window of height rows, given the one shown
 * before (top): moved as little as needed to show the cursor's row, and
 * never past the point where the last row is at the bottom. */
size_t textbuf_scroll(const struct textbuf_layout *lo, size_t top, size_t height);

#endif
