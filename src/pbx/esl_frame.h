/* esl_frame.h - FreeSWITCH event socket frames: "Key: Value" header lines
 * ending in LF, a blank line, then Content-Length bytes of body when the
 * headers say so. A text/event-plain body is itself header lines, their
 * values url-encoded: they are decoded into the frame's event. Bodies longer
 * than ESL_BODY_MAX are skipped (the frame says it was cut); an overlong
 * header line is dropped; a bad Content-Length is none. Pure C. */
#ifndef CCTERM_PBX_ESL_FRAME_H
#define CCTERM_PBX_ESL_FRAME_H

#include <stdbool.h>
#include <stddef.h>

#include "pbx/kv.h"

#define ESL_LINE_MAX 2048
#define ESL_BODY_MAX 65536

struct esl_frame {
	struct kv head;    /* Content-Type, Reply-Text, Content-Length ... */
	struct kv event;   /* the event-plain body's headers (url-decoded) */
	const char *body;  /* the raw body ("" when none), NUL-terminated */
	size_t body_len;
	bool cut;          /* part of the frame did not fit */
};

struct esl_parser {
	char line[ESL_LINE_MAX];
	size_t len;
	bool overlong;
	size_t want;       /* body bytes still to come */
	size_t skip;       /* body bytes to throw away (too long) */
	bool in_body;
	char body[ESL_BODY_MAX + 1];
	struct esl_frame frame;
};

typedef void (*esl_frame_fn)(const struct esl_frame *frame, void *arg);

void esl_parser_init(struct esl_parser *p);
void esl_feed(struct esl_parser *p, const char *buf, size_t n, esl_frame_fn fn, void *arg);

#endif
