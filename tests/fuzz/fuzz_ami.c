/* fuzz_ami.c - libFuzzer target: any bytes as an AMI stream, cut into reads
 * where the input says (its first byte), through the frame parser and the
 * event mapper. Every frame's headers are NUL-terminated strings within the
 * store; every event has a kind, a call id, and fields that fit. */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "pbx/ami_frame.h"
#include "pbx/ami_map.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct ami_parser parser;
static struct ami_tracker tracker;
static struct ami_resync resync;   /* every frame is also read as a resync's channel */

static void check_field(const char *s)
{
	size_t n = strlen(s);

	if (n >= PBX_FIELD_MAX)
		abort();
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			abort();
}

static void check_event(const struct pbx_event *e)
{
	if (e->kind == PBX_NONE || !*e->call_id)
		abort();
	check_field(e->call_id);
	check_field(e->ani);
	check_field(e->dnis);
	check_field(e->queue);
	check_field(e->agent);
	check_field(e->agent_alt);
}

static void on_frame(const struct kv *f, void *arg)
{
	struct pbx_event e;

	(void)arg;
	if (f->n <= 0 || f->n > KV_MAX || f->used > KV_STORE)
		abort();
	for (int i = 0; i < f->n; i++)
		if (strlen(f->key[i]) + strlen(f->value[i]) > KV_STORE)
			abort();
	if (ami_map(&tracker, f, &e))
		check_event(&e);
	if (ami_resync_channel(&tracker, &resync, f, &e))
		check_event(&e);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t step;

	if (size == 0)
		return 0;
	step = data[0] % 64 + 1;
	ami_parser_init(&parser);
	ami_tracker_init(&tracker);
	ami_resync_begin(&resync);
	for (size_t i = 1; i < size; i += step)
		ami_feed(&parser, (const char *)data + i, size - i < step ? size - i : step, on_frame, NULL);
	for (size_t i = 0; i < resync.nlegs; i++) {
		struct pbx_event e;

		if (ami_resync_leg(&tracker, &resync, i, &e))
			check_event(&e);
	}
	return 0;
}
