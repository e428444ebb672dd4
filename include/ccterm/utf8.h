/* utf8.h - UTF-8 validation, display width, truncation and the sanitizer that
 * makes untrusted text inert before it reaches the terminal. */
#ifndef CCTERM_UTF8_H
#define CCTERM_UTF8_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* True when s[0..len) is well-formed UTF-8 (no overlongs, surrogates, > U+10FFFF). */
bool utf8_valid(const char *s, size_t len);

/*
 * Decodes one code point from s (at most len bytes). Returns the number of
 * bytes used (1..4) and sets *cp; on malformed input returns 1 and sets
 * *cp = 0xFFFD. Returns 0 when len == 0.
 */
int utf8_decode(const char *s, size_t len, uint32_t *cp);

/*
 * For input arriving in pieces (a keyboard): decodes one code point from
 * s[0..len) into *cp and returns the bytes used, 0 when the sequence is
 * not complete yet, -1 when it is not UTF-8.
 */
int utf8_decode_stream(const char *s, size_t len, uint32_t *cp);

/* Encodes cp into out (>= 4 bytes); returns the byte count. */
int utf8_encode(uint32_t cp, char *out);

/* Terminal columns of one code point: 0, 1 or 2 (never negative; East Asian wide = 2). */
int utf8_cp_width(uint32_t cp);

/* Columns of a whole (sanitized) string. */
int utf8_width(const char *s);

/* Number of code points in s. */
size_t utf8_len(const char *s);

/* Byte offset of the code point before / after byte offset off (cursor moves by character). */
size_t utf8_prev(const char *s, size_t off);
size_t utf8_next(const char *s, size_t off);

/*
 * Copies as much of s as fits in maxcols columns into out (outsz bytes,
 * always NUL-terminated), never splitting a character; when s does not fit
 * and ellipsis is true, the last column shows "…". Returns the columns used.
 */
int utf8_fit(const char *s, int maxcols, bool ellipsis, char *out, size_t outsz);

/*
 * Appends s to out (outsz bytes, NUL-terminated, never splitting a
 * character), padded with blanks to width columns, on the right or (right
 * true) on the left: printf's %-*s / %*s by display width, for columns that
 * hold translated or wide text. Text wider than width is kept whole.
 */
void utf8_pad_cat(char *out, size_t outsz, const char *s, int width, bool right);

enum sanitize_flags {
	SANITIZE_KEEP_NEWLINES = 1 << 0,    /* keep '\n' (multi-line text); otherwise shown as ⏎ */
};

/*
 * Makes untrusted text safe to draw: C0 controls become their visible
 * Control Pictures (ESC -> ␛, NUL -> ␀, ...), DEL -> ␡, C1 controls and
 * bidi overrides/isolates -> U+FFFD, invalid UTF-8 bytes -> U+FFFD, tab -> a
 * space; a CRLF line end counts as one '\n'. The result is valid UTF-8
 * containing no byte < 0x20 (except '\n' with SANITIZE_KEEP_NEWLINES) and
 * no 0x7F. Returns a malloc'd string (NULL only when out of memory). At
 * most max_bytes of input are read; a longer input ends in "…".
 */
char *utf8_sanitize(const char *s, size_t max_bytes, unsigned flags);

/*
 * What a view draws of one field: utf8_fit(utf8_sanitize(s, max_bytes, 0),
 * maxcols, true, ...) in one pass and no allocation, as code points into
 * out (cap of them; a text that needs more is cut with "…" too). Sets *n to
 * the code points written; returns the columns used.
 */
int utf8_fit_clean(const char *s, size_t max_bytes, int maxcols, uint32_t *out, size_t cap, size_t *n);

#endif
