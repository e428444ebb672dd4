/* fuzz_keymap.c - libFuzzer target: the key file parser on any text, then
 * lookups and key names of what it bound. */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ccterm/keymap.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void count_error(void *arg, const char *message)
{
	(*(int *)arg)++;
	if (!message || !message[0])
		abort();        /* every error says what is wrong */
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1), name[64];
	struct keymap *km = keymap_new();
	int errors = 0, bad, keys[16];

	if (!text || !km) {
		free(text);
		keymap_free(km);
		return 0;
	}
	memcpy(text, data, size);
	text[size] = '\0';
	bad = keymap_load_text(km, text, "fuzz.keys", count_error, &errors);
	if (bad != errors)
		abort();
	for (int ctx = 0; ctx < KEYCTX_COUNT; ctx++) {
		for (int key = 0; key < 300; key += 7)
			keymap_lookup(km, (enum keyctx)ctx, key);
		keymap_keys_for(km, (enum keyctx)ctx, ACTION_SAVE, keys, 16);
	}
	/* A key name parses back to the same key. */
	{
		int key = keymap_key_parse(text);

		if (key >= 0 && keymap_key_name(key, name, sizeof(name)) &&
		    keymap_key_parse(name) != key)
			abort();
	}
	keymap_free(km);
	free(text);
	return 0;
}
