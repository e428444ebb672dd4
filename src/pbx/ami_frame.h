/* ami_frame.h - Asterisk Manager Interface frames: "Key: Value" lines ending
 * in CRLF (a bare LF is taken too), a blank line ending the frame; the
 * banner line ("Asterisk Call Manager/5.0.1") comes first. Bytes come in as
 * the socket gives them: a frame may be split anywhere. A line longer than
 * AMI_LINE_MAX is dropped (the frame says it was cut), never a crash. Pure C. */
#ifndef CCTERM_PBX_AMI_FRAME_H
#define CCTERM_PBX_AMI_FRAME_H

#include <stdbool.h>
#include <stddef.h>

#include "pbx/kv.h"

#define AMI_LINE_MAX 2048

struct ami_parser {
	char line[AMI_LINE_MAX];
	size_t len;
	bool overlong;     /* the line being read went past AMI_LINE_MAX: dropped */
	bool banner;       /* the banner was read */
	char banner_text[128];
	struct kv frame;
};

/* Called for each complete frame (at least one header). */
typedef void (*ami_frame_fn)(const struct kv *frame, void *arg);

/* A new connection: expects the banner again. */
void ami_parser_init(struct ami_parser *p);
void ami_feed(struct ami_parser *p, const char *buf, size_t n, ami_frame_fn fn, void *arg);

#endif
