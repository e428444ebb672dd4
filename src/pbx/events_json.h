/* events_json.h - the generic protocol of `ccterm-cti events`: one JSON
 * object a line, {"event":"offered|answered|ended|abandoned|queued|requeued",
 * "call_id":..,"ani":..,"dnis":..,"queue":..,"agent":..}; call_id a string
 * or an integer, the others strings (or absent, or null). Parsed with json-c.
 * Pure C (no database): unit-tested and fuzzed. */
#ifndef CCTERM_PBX_EVENTS_JSON_H
#define CCTERM_PBX_EVENTS_JSON_H

#include <stddef.h>

#include "ccterm/pbx_event.h"

#define EVENTS_LINE_MAX 65536   /* a longer line is refused whole */

/* 0 and *out, or -1 with why in err. line: len bytes, any bytes. */
int events_json_parse(const char *line, size_t len, struct pbx_event *out, char *err, size_t errsz);

/* 1 when the n bytes at s are only blanks (spaces, tabs, CR): no NUL needed. */
int events_blank(const char *s, size_t n);

/* Splits a byte stream into lines of at most EVENTS_LINE_MAX bytes; an
 * overlong line is reported once (fn gets NULL) and skipped to its end. */
struct line_reader {
	char buf[EVENTS_LINE_MAX];
	size_t len;
	int overlong;
};
typedef void (*line_fn)(const char *line, size_t len, void *arg);
void line_reader_feed(struct line_reader *r, const char *buf, size_t n, line_fn fn, void *arg);

#endif
