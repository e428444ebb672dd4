/* kv.h - the "Key: Value" headers of one AMI or event-socket frame, in a
 * bounded store: a frame with too many or too long headers keeps what fits
 * and says it was cut. Pure C. */
#ifndef CCTERM_PBX_KV_H
#define CCTERM_PBX_KV_H

#include <stdbool.h>
#include <stddef.h>

#define KV_MAX 96          /* headers kept of one frame */
#define KV_STORE 16384     /* bytes of keys and values kept of one frame */

struct kv {
	int n;
	bool cut;                       /* something did not fit, or a line was too long */
	const char *key[KV_MAX], *value[KV_MAX];
	size_t used;
	char store[KV_STORE];
};

void kv_clear(struct kv *kv);
/* Adds a header from one line (no line end): "Key: Value", the value's
 * leading blanks skipped; url_decode: %XX and '+' are decoded (FreeSWITCH's
 * event-plain bodies). A line without ':' or with an empty key is ignored. */
void kv_add_line(struct kv *kv, const char *line, size_t len, bool url_decode);
/* The value of the first header of this name (case aside), NULL when none. */
const char *kv_get(const struct kv *kv, const char *key);

#endif
