/* fuzz_esl.c - libFuzzer target: any bytes as a FreeSWITCH event-socket
 * stream, cut into reads where the input says (its first byte), through the
 * frame parser and the mod_callcenter mapper. A body never outgrows its
 * buffer; every event has a kind, a call id, and fields that fit. */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "pbx/esl_frame.h"
#include "pbx/esl_map.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct esl_parser parser;

static void on_frame(const struct esl_frame *f, void *arg)
{
	struct pbx_event e;

	(void)arg;
	if (f->body_len > ESL_BODY_MAX || f->head.n <= 0 || f->event.n > KV_MAX)
		abort();
	if (esl_map(f, &e)) {
		const char *fields[] = { e.call_id, e.ani, e.dnis, e.queue, e.agent, e.agent_alt };

		if (e.kind == PBX_NONE || !*e.call_id)
			abort();
		for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++)
			if (strlen(fields[i]) >= PBX_FIELD_MAX)
				abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t step;

	if (size == 0)
		return 0;
	step = data[0] % 64 + 1;
	esl_parser_init(&parser);
	for (size_t i = 1; i < size; i += step)
		esl_feed(&parser, (const char *)data + i, size - i < step ? size - i : step, on_frame, NULL);
	return 0;
}
