/* fuzz_pop.c - libFuzzer target: any bytes as a sealed pop's plaintext
 * (pop_plain_parse: every field inside the input, 13 a row) and as a seal
 * (pop_unseal with a fixed key: refused unless its MAC holds, which random
 * input never does; what opens is NUL-ended at its length). */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ccterm/pop_seal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct span {
	const char *start, *end;
	int fields;
};

static int field_inside(void *arg, int row, int col, const char *value, size_t len)
{
	struct span *s = arg;

	if (col < 0 || col >= POP_SEAL_COLUMNS || row != s->fields / POP_SEAL_COLUMNS ||
	    col != s->fields % POP_SEAL_COLUMNS)
		abort();
	if (value && (value < s->start || value + len > s->end))
		abort();
	if (!value && len)
		abort();
	s->fields++;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const unsigned char key[POP_KEY_LEN] = { 1, 2, 3, 4, 5, 6, 7, 8 };
	struct span s = { (const char *)data, (const char *)data + size, 0 };
	struct pop_plain_head head;
	char *text, *plain;
	size_t len;
	int rows;

	rows = pop_plain_parse((const char *)data, size, &head, field_inside, &s);
	if (rows >= 0 && (rows * POP_SEAL_COLUMNS != s.fields || head.call_id <= 0))
		abort();
	if (!(text = malloc(size + 1)))
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	if (pop_unseal(key, text, &plain, &len) == 0) {
		if (plain[len] != '\0')
			abort();
		free(plain);
	}
	free(text);
	return 0;
}
