/* fuzz_events.c - libFuzzer target: any bytes as the JSON lines of
 * `ccterm-cti events`, through the line reader and the json-c parser. A
 * line is parsed or refused with a reason; a parsed event has a kind, a
 * call id, and fields that fit. */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "pbx/events_json.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct line_reader reader;

static void on_line(const char *line, size_t len, void *arg)
{
	struct pbx_event e;
	char err[160] = "";

	(void)arg;
	if (!line)
		return;
	if (len > EVENTS_LINE_MAX)
		abort();
	if (events_json_parse(line, len, &e, err, sizeof(err)) == 0) {
		if (e.kind == PBX_NONE || !*e.call_id || strlen(e.call_id) >= PBX_FIELD_MAX || strlen(e.agent) >= PBX_FIELD_MAX)
			abort();
	} else if (!*err || e.kind != PBX_NONE) {
		abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	reader.len = 0;
	reader.overlong = 0;
	line_reader_feed(&reader, (const char *)data, size, on_line, NULL);
	/* And the whole input as one line. */
	on_line((const char *)data, size, NULL);
	return 0;
}
