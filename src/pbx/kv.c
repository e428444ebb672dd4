/* kv.c - a frame's headers in a bounded store. */
#include "config.h"

#include <string.h>
#include <strings.h>

#include "pbx/kv.h"

void kv_clear(struct kv *kv)
{
	kv->n = 0;
	kv->cut = false;
	kv->used = 0;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Copies n bytes into the store, NUL-terminated; NULL when full. */
static char *store(struct kv *kv, const char *s, size_t n, bool url_decode)
{
	char *out = kv->store + kv->used;
	size_t o = 0;

	if (kv->used + n + 1 > KV_STORE)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		int hi, lo;

		if (url_decode && s[i] == '%' && i + 2 < n &&
		    (hi = hexval(s[i + 1])) >= 0 && (lo = hexval(s[i + 2])) >= 0) {
			out[o++] = (char)(hi * 16 + lo);
			i += 2;
		} else if (url_decode && s[i] == '+') {
			out[o++] = ' ';
		} else {
			out[o++] = s[i];
		}
	}
	out[o] = '\0';
	kv->used += o + 1;
	return out;
}

void kv_add_line(struct kv *kv, const char *line, size_t len, bool url_decode)
{
	const char *colon = memchr(line, ':', len);
	size_t klen, vstart;
	const char *k, *v;

	if (!colon || colon == line)
		return;
	klen = (size_t)(colon - line);
	vstart = klen + 1;
	while (vstart < len && (line[vstart] == ' ' || line[vstart] == '\t'))
		vstart++;
	if (kv->n >= KV_MAX) {
		kv->cut = true;
		return;
	}
	k = store(kv, line, klen, false);
	v = k ? store(kv, line + vstart, len - vstart, url_decode) : NULL;
	if (!k || !v) {
		kv->cut = true;
		return;
	}
	kv->key[kv->n] = k;
	kv->value[kv->n] = v;
	kv->n++;
}

const char *kv_get(const struct kv *kv, const char *key)
{
	for (int i = 0; i < kv->n; i++)
		if (strcasecmp(kv->key[i], key) == 0)
			return kv->value[i];
	return NULL;
}
