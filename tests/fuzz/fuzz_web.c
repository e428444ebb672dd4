/* fuzz_web.c - libFuzzer target: any bytes as one web-event line to
 * web_event_parse (json-c, strict). A parsed event has one of our types, a
 * normalized time, an identity, and text fields free of NUL in valid UTF-8;
 * a refused one says why. */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ccterm/utf8.h"
#include "ccterm/web_event.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void text_ok(const char *s)
{
	if (s && !utf8_valid(s, strlen(s)))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct web_event_row ev;
	char why[512];

	if (web_event_parse((const char *)data, size, "KR", &ev, why, sizeof(why)) < 0) {
		if (!why[0])
			abort();
		return 0;
	}
	if (!ev.type || !web_event_type_word(ev.type) || strcmp(web_event_type_word(ev.type), ev.type) != 0)
		abort();
	if (!ev.at[0] || (!ev.customer && !ev.email[0] && !ev.phone[0] && !ev.visitor_id))
		abort();
	if (ev.phone[0] && ev.phone[0] != '+')
		abort();
	text_ok(ev.customer);
	text_ok(ev.visitor_id);
	text_ok(ev.session_id);
	text_ok(ev.url);
	text_ok(ev.title);
	text_ok(ev.data);
	text_ok(ev.summary);
	web_event_free(&ev);
	return 0;
}
