/* fuzz_utf8.c - libFuzzer target: the sanitizer every piece of untrusted
 * text passes before it is drawn. Its output is valid UTF-8 with no control
 * byte (but '\n' when kept) whatever the input; width and fitting hold too,
 * and the one-pass fit that draw_text uses gives what fitting the output does. */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ccterm/utf8.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	unsigned flags;
	size_t max;
	char *in, *out, fit[64];

	if (size < 2)
		return 0;
	flags = data[0] & 1 ? SANITIZE_KEEP_NEWLINES : 0;
	max = data[1] ? data[1] : size;       /* sometimes cut short */
	data += 2;
	size -= 2;
	in = malloc(size + 1);
	if (!in)
		return 0;
	memcpy(in, data, size);
	in[size] = '\0';
	out = utf8_sanitize(in, max, flags);
	if (!out)
		abort();
	if (!utf8_valid(out, strlen(out)))
		abort();
	for (const unsigned char *p = (const unsigned char *)out; *p; p++)
		if ((*p < 0x20 && !(*p == '\n' && (flags & SANITIZE_KEEP_NEWLINES))) || *p == 0x7F)
			abort();
	if (utf8_width(out) < 0)
		abort();
	if (utf8_fit(out, (int)(size % 40), size & 1, fit, sizeof(fit)) > (int)(size % 40))
		abort();
	free(out);
	/* What draw_text draws: the same as fitting the sanitized text. */
	{
		int cols = 1 + (int)(size % 40);
		uint32_t cps[256];
		char want[1024], got[256 * 4 + 1];
		size_t n, at = 0;
		int got_cols;

		out = utf8_sanitize(in, max, 0);
		if (!out)
			abort();
		got_cols = utf8_fit_clean(in, max, cols, cps, sizeof(cps) / sizeof(cps[0]), &n);
		for (size_t i = 0; i < n; i++)
			at += (size_t)utf8_encode(cps[i], got + at);
		got[at] = '\0';
		/* (with room for what utf8_fit gives and one more: else it is cut sooner) */
		if (utf8_fit(out, cols, true, want, sizeof(want)) != got_cols && utf8_len(want) + 2 <= 256)
			abort();
		if (strcmp(got, want) != 0 && utf8_len(want) + 2 <= 256)
			abort();
		free(out);
	}
	/* The raw helpers on raw bytes. */
	utf8_valid(in, size);
	for (size_t i = 0; i < size;) {
		uint32_t cp;
		int n = utf8_decode_stream(in + i, size - i, &cp);

		i += n > 0 ? (size_t)n : 1;
	}
	{
		size_t slen = strlen(in);

		for (size_t off = 0; off < slen; off = utf8_next(in, off))
			if (utf8_next(in, off) <= off || utf8_next(in, off) > slen)
				abort();
		for (size_t off = slen; off > 0; off = utf8_prev(in, off))
			if (utf8_prev(in, off) >= off)
				abort();
	}
	utf8_len(in);
	free(in);
	return 0;
}
