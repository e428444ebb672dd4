/* relay_proto.c - the relay's line protocol (relay_proto.h). */
#include "config.h"

#include <string.h>

#include "ccterm/relay_proto.h"

bool relay_name_ok(const char *s)
{
	size_t n = 0;

	if (!s)
		return false;
	for (; s[n]; n++)
		if (!((s[n] >= 'a' && s[n] <= 'z') || (s[n] >= '0' && s[n] <= '9') || s[n] == '_' || s[n] == '.'))
			return false;
	return n >= 1 && n <= RELAY_CHANNEL_MAX;
}

int relay_escape(const char *src, char *dst, size_t size)
{
	size_t o = 0;

	for (; *src; src++) {
		const char *e = *src == '\\' ? "\\\\" : *src == '\n' ? "\\n" : *src == '\r' ? "\\r" : NULL;
		size_t n = e ? 2 : 1;

		if (o + n >= size) {
			if (size)
				dst[0] = '\0';
			return -1;
		}
		if (e)
			memcpy(dst + o, e, 2);
		else
			dst[o] = *src;
		o += n;
	}
	if (o >= size)
		return -1;
	dst[o] = '\0';
	return (int)o;
}

void relay_unescape(char *s)
{
	char *o = s;

	for (; *s; s++) {
		if (*s == '\\' && (s[1] == '\\' || s[1] == 'n' || s[1] == 'r')) {
			s++;
			*o++ = *s == 'n' ? '\n' : *s == 'r' ? '\r' : '\\';
		} else {
			*o++ = *s;
		}
	}
	*o = '\0';
}

const char *relay_split(char *line, char **rest)
{
	char *sp = strchr(line, ' ');

	if (sp) {
		*sp = '\0';
		*rest = sp + 1;
	} else {
		*rest = line + strlen(line);
	}
	return line;
}
