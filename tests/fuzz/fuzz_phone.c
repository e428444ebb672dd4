/* fuzz_phone.c - libFuzzer target: the phone normalizer, and the display
 * forms of whatever it accepts, on any bytes (tests/fuzz/README.md). */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ccterm/phone.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const countries[] = { "KR", "US", "JP", "GB", "XX", NULL };
	char *in = malloc(size + 1), out[PHONE_E164_MAX], shown[64], masked[64];

	if (!in)
		return 0;
	memcpy(in, data, size);
	in[size] = '\0';
	for (int c = 0; c < 6; c++) {
		if (phone_normalize(in, countries[c], out, sizeof(out)) == 0) {
			if (out[0] != '+' || strlen(out) >= PHONE_E164_MAX)
				abort();        /* E.164 or nothing */
			char again[PHONE_E164_MAX];

			/* canonical: what comes out reads back as itself, so a pop
			 * matching exact E.164 finds the same customer */
			if (phone_normalize(out, "KR", again, sizeof(again)) != 0 || strcmp(again, out) != 0)
				abort();
			phone_format(out, shown, sizeof(shown));
			phone_mask(out, masked, sizeof(masked));
		} else if (out[0] != '\0') {
			abort();                /* a refusal leaves out empty */
		}
	}
	/* The display forms take any text too (a database value). */
	phone_format(in, shown, sizeof(shown));
	phone_mask(in, masked, 5);
	phone_country_code(in);
	free(in);
	return 0;
}
