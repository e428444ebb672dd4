/* pbx_event.c - the kinds of PBX events, and making a PBX's text safe to keep. */
#include "config.h"

#include <string.h>

#include "ccterm/pbx_event.h"

static const char *const names[] = {
	[PBX_QUEUED] = "queued", [PBX_OFFERED] = "offered", [PBX_ANSWERED] = "answered",
	[PBX_REQUEUED] = "requeued", [PBX_ABANDONED] = "abandoned", [PBX_ENDED] = "ended",
};

const char *pbx_kind_name(enum pbx_kind k)
{
	return k > PBX_NONE && k <= PBX_ENDED ? names[k] : NULL;
}

enum pbx_kind pbx_kind_of(const char *name)
{
	for (int k = PBX_QUEUED; k <= PBX_ENDED; k++)
		if (name && strcmp(name, names[k]) == 0)
			return (enum pbx_kind)k;
	return PBX_NONE;
}

/* Length of the valid UTF-8 sequence at s (n bytes left), 0 when invalid. */
static size_t utf8_len(const unsigned char *s, size_t n)
{
	size_t len;
	unsigned cp;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		len = 2, cp = s[0] & 0x1f;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		len = 3, cp = s[0] & 0x0f;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		len = 4, cp = s[0] & 0x07;
	else
		return 0;
	if (len > n)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	if ((len == 3 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) || (len == 4 && (cp < 0x10000 || cp > 0x10ffff)))
		return 0;
	return len;
}

void pbx_field_set(char *dst, const char *src, size_t n)
{
	const unsigned char *s = (const unsigned char *)src;
	size_t out = 0, i = 0;

	while (i < n) {
		size_t len = utf8_len(s + i, n - i);

		if (len == 0 || (len == 1 && (s[i] < 0x20 || s[i] == 0x7f))) {
			i++;
			continue;
		}
		if (out + len >= PBX_FIELD_MAX)
			break;
		memcpy(dst + out, s + i, len);
		out += len;
		i += len;
	}
	dst[out] = '\0';
}
