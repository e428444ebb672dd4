/* utf8.c - UTF-8 decoding, display width, fitting and sanitizing.
 *
 * Widths come from our own tables, not wcwidth(3), so they do not depend on
 * the process locale or the C library's Unicode version. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "ccterm/utf8.h"

#define REPLACEMENT 0xFFFDu

struct range {
	uint32_t lo, hi;
};

/* Characters that take no column of their own: combining marks, Hangul
 * medial vowels and final consonants (they join the preceding initial),
 * zero-width spaces and joiners, variation selectors. */
static const struct range zero_width[] = {
	{ 0x0300, 0x036F }, { 0x0483, 0x0489 }, { 0x0591, 0x05BD }, { 0x05BF, 0x05BF },
	{ 0x05C1, 0x05C2 }, { 0x05C4, 0x05C5 }, { 0x05C7, 0x05C7 }, { 0x0610, 0x061A },
	{ 0x064B, 0x065F }, { 0x0670, 0x0670 }, { 0x06D6, 0x06DC }, { 0x06DF, 0x06E4 },
	{ 0x06E7, 0x06E8 }, { 0x06EA, 0x06ED }, { 0x0E31, 0x0E31 }, { 0x0E34, 0x0E3A },
	{ 0x0E47, 0x0E4E }, { 0x1160, 0x11FF }, { 0x1AB0, 0x1AFF }, { 0x1DC0, 0x1DFF },
	{ 0x200B, 0x200F }, { 0x202A, 0x202E }, { 0x2060, 0x2064 }, { 0x20D0, 0x20FF },
	{ 0x302A, 0x302D }, { 0x3099, 0x309A }, { 0xD7B0, 0xD7FF }, { 0xFE00, 0xFE0F },
	{ 0xFE20, 0xFE2F }, { 0xFEFF, 0xFEFF }, { 0xE0000, 0xE007F }, { 0xE0100, 0xE01EF },
};

/* East Asian Wide and Fullwidth, plus the emoji blocks terminals draw wide. */
static const struct range wide[] = {
	{ 0x1100, 0x115F }, { 0x231A, 0x231B }, { 0x2329, 0x232A }, { 0x23E9, 0x23EC },
	{ 0x23F0, 0x23F0 }, { 0x23F3, 0x23F3 }, { 0x25FD, 0x25FE }, { 0x2614, 0x2615 },
	{ 0x2648, 0x2653 }, { 0x267F, 0x267F }, { 0x2693, 0x2693 }, { 0x26A1, 0x26A1 },
	{ 0x26AA, 0x26AB }, { 0x26BD, 0x26BE }, { 0x26C4, 0x26C5 }, { 0x26CE, 0x26CE },
	{ 0x26D4, 0x26D4 }, { 0x26EA, 0x26EA }, { 0x26F2, 0x26F3 }, { 0x26F5, 0x26F5 },
	{ 0x26FA, 0x26FA }, { 0x26FD, 0x26FD }, { 0x2705, 0x2705 }, { 0x270A, 0x270B },
	{ 0x2728, 0x2728 }, { 0x274C, 0x274C }, { 0x274E, 0x274E }, { 0x2753, 0x2755 },
	{ 0x2757, 0x2757 }, { 0x2795, 0x2797 }, { 0x27B0, 0x27B0 }, { 0x27BF, 0x27BF },
	{ 0x2B1B, 0x2B1C }, { 0x2B50, 0x2B50 }, { 0x2B55, 0x2B55 }, { 0x2E80, 0x303E },
	{ 0x3041, 0x33FF }, { 0x3400, 0x4DBF }, { 0x4E00, 0x9FFF }, { 0xA000, 0xA4CF },
	{ 0xA960, 0xA97F }, { 0xAC00, 0xD7A3 }, { 0xF900, 0xFAFF }, { 0xFE10, 0xFE19 },
	{ 0xFE30, 0xFE6F }, { 0xFF00, 0xFF60 }, { 0xFFE0, 0xFFE6 }, { 0x16FE0, 0x16FE4 },
	{ 0x17000, 0x18CFF }, { 0x1B000, 0x1B2FF }, { 0x1F004, 0x1F004 }, { 0x1F0CF, 0x1F0CF },
	{ 0x1F18E, 0x1F18E }, { 0x1F191, 0x1F19A }, { 0x1F200, 0x1F202 }, { 0x1F210, 0x1F23B },
	{ 0x1F240, 0x1F248 }, { 0x1F250, 0x1F251 }, { 0x1F260, 0x1F265 }, { 0x1F300, 0x1F64F },
	{ 0x1F680, 0x1F6FF }, { 0x1F7E0, 0x1F7EB }, { 0x1F900, 0x1F9FF }, { 0x1FA70, 0x1FAFF },
	{ 0x20000, 0x2FFFD }, { 0x30000, 0x3FFFD },
};

static bool in_table(uint32_t cp, const struct range *t, size_t n)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (cp < t[mid].lo)
			hi = mid;
		else if (cp > t[mid].hi)
			lo = mid + 1;
		else
			return true;
	}
	return false;
}

/* Strict decoder: the byte count, or -1 when s does not start with a
 * well-formed sequence (truncated, overlong, surrogate, > U+10FFFF). */
static int decode_strict(const unsigned char *s, size_t len, uint32_t *cp)
{
	unsigned char c = s[0];
	uint32_t v, min;
	int n;

	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if (c >= 0xC2 && c <= 0xDF) {
		n = 2, v = c & 0x1F, min = 0x80;
	} else if (c >= 0xE0 && c <= 0xEF) {
		n = 3, v = c & 0x0F, min = 0x800;
	} else if (c >= 0xF0 && c <= 0xF4) {
		n = 4, v = c & 0x07, min = 0x10000;
	} else {
		return -1;      /* continuation byte, C0/C1 overlong lead, F5..FF */
	}
	if (len < (size_t)n)
		return -1;
	for (int i = 1; i < n; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return -1;
		v = (v << 6) | (s[i] & 0x3F);
	}
	if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))
		return -1;
	*cp = v;
	return n;
}

bool utf8_valid(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;
	uint32_t cp;

	while (i < len) {
		int n = decode_strict(p + i, len - i, &cp);

		if (n < 0)
			return false;
		i += (size_t)n;
	}
	return true;
}

int utf8_decode(const char *s, size_t len, uint32_t *cp)
{
	int n;

	if (len == 0)
		return 0;
	n = decode_strict((const unsigned char *)s, len, cp);
	if (n < 0) {
		*cp = REPLACEMENT;
		return 1;
	}
	return n;
}

int utf8_decode_stream(const char *s, size_t len, uint32_t *cp)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t need;

	if (len == 0)
		return 0;
	need = p[0] >= 0xF0 ? 4 : p[0] >= 0xE0 ? 3 : p[0] >= 0xC2 ? 2 : 1;
	if (len < need && p[0] <= 0xF4) {
		/* A valid start whose rest has not arrived yet. */
		for (size_t i = 1; i < len; i++)
			if ((p[i] & 0xC0) != 0x80)
				return -1;
		return 0;
	}
	return decode_strict(p, len, cp);
}

/* Code points that cannot be encoded (surrogates, > U+10FFFF) become U+FFFD. */
int utf8_encode(uint32_t cp, char *out)
{
	unsigned char *o = (unsigned char *)out;

	if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
		cp = REPLACEMENT;
	if (cp < 0x80) {
		o[0] = (unsigned char)cp;
		return 1;
	}
	if (cp < 0x800) {
		o[0] = (unsigned char)(0xC0 | (cp >> 6));
		o[1] = (unsigned char)(0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp < 0x10000) {
		o[0] = (unsigned char)(0xE0 | (cp >> 12));
		o[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
		o[2] = (unsigned char)(0x80 | (cp & 0x3F));
		return 3;
	}
	o[0] = (unsigned char)(0xF0 | (cp >> 18));
	o[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
	o[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
	o[3] = (unsigned char)(0x80 | (cp & 0x3F));
	return 4;
}

int utf8_cp_width(uint32_t cp)
{
	if (cp < 0x20 || (cp >= 0x7F && cp < 0xA0))
		return 0;       /* controls draw nothing (the sanitizer replaces them) */
	if (cp < 0x300)
		return 1;
	if (in_table(cp, zero_width, sizeof(zero_width) / sizeof(zero_width[0])))
		return 0;
	if (in_table(cp, wide, sizeof(wide) / sizeof(wide[0])))
		return 2;
	return 1;
}

int utf8_width(const char *s)
{
	size_t len = strlen(s), i = 0;
	int cols = 0;

	while (i < len) {
		uint32_t cp;

		i += (size_t)utf8_decode(s + i, len - i, &cp);
		cols += utf8_cp_width(cp);
	}
	return cols;
}

void utf8_pad_cat(char *out, size_t outsz, const char *s, int width, bool right)
{
	size_t at = strlen(out), n = strlen(s);
	int pad = width - utf8_width(s);

	if (pad < 0)
		pad = 0;
	for (; right && pad > 0 && at + 1 < outsz; pad--)
		out[at++] = ' ';
	if (at + n >= outsz) {       /* cut at a character boundary */
		n = outsz - at - 1;
		while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
			n--;
	}
	memcpy(out + at, s, n);
	at += n;
	for (; pad > 0 && at + 1 < outsz; pad--)
		out[at++] = ' ';
	out[at] = '\0';
}

size_t utf8_len(const char *s)
{
	size_t len = strlen(s), i = 0, n = 0;

	while (i < len) {
		uint32_t cp;

		i += (size_t)utf8_decode(s + i, len - i, &cp);
		n++;
	}
	return n;
}

size_t utf8_next(const char *s, size_t off)
{
	uint32_t cp;

	if (s[off] == '\0')
		return off;
	return off + (size_t)utf8_decode(s + off, strnlen(s + off, 4), &cp);
}

size_t utf8_prev(const char *s, size_t off)
{
	size_t start = off;
	uint32_t cp;

	if (off == 0)
		return 0;
	/* Back over at most three continuation bytes to a lead byte, then make
	 * sure the sequence found really ends at off; if not, step one byte,
	 * the same way utf8_next walks malformed input. */
	while (start > 0 && off - start < 4) {
		start--;
		if (((unsigned char)s[start] & 0xC0) != 0x80)
			break;
	}
	if (decode_strict((const unsigned char *)s + start, off - start, &cp) == (int)(off - start))
		return start;
	return off - 1;
}

/* Walks s while characters fit in maxcols columns and room bytes; a
 * malformed byte counts as U+FFFD (3 bytes). Sets *bytes_in (input
 * consumed) and *cols; true when all of s fitted. */
static bool fit_prefix(const char *s, int maxcols, size_t room, size_t *bytes_in, int *cols)
{
	size_t len = strlen(s), i = 0, used = 0;
	int c = 0;

	while (i < len) {
		uint32_t cp;
		int n = utf8_decode(s + i, len - i, &cp);
		int w = utf8_cp_width(cp);
		char tmp[4];
		size_t outn = (size_t)utf8_encode(cp, tmp);

		if (c + w > maxcols || used + outn > room)
			break;
		c += w;
		used += outn;
		i += (size_t)n;
	}
	*bytes_in = i;
	*cols = c;
	return i == len;
}

/* Copies the first in_len bytes of s, replacing malformed bytes. */
static size_t copy_clean(const char *s, size_t in_len, char *out)
{
	size_t i = 0, o = 0;

	while (i < in_len) {
		uint32_t cp;

		i += (size_t)utf8_decode(s + i, in_len - i, &cp);
		o += (size_t)utf8_encode(cp, out + o);
	}
	return o;
}

int utf8_fit(const char *s, int maxcols, bool ellipsis, char *out, size_t outsz)
{
	static const char dots[] = "\xE2\x80\xA6";   /* U+2026 */
	size_t in_len, o;
	int cols;

	if (outsz == 0)
		return 0;
	out[0] = '\0';
	if (maxcols <= 0)
		return 0;
	if (fit_prefix(s, maxcols, outsz - 1, &in_len, &cols) || !ellipsis || outsz < sizeof(dots)) {
		out[copy_clean(s, in_len, out)] = '\0';
		return cols;
	}
	fit_prefix(s, maxcols - 1, outsz - sizeof(dots), &in_len, &cols);
	o = copy_clean(s, in_len, out);
	memcpy(out + o, dots, sizeof(dots));
	return cols + 1;
}

static bool is_bidi_control(uint32_t cp)
{
	return (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069);
}

/* What a decoded code point looks like once it is safe to draw. */
static uint32_t sanitize_cp(uint32_t cp, unsigned flags)
{
	if (cp == '\n')
		return (flags & SANITIZE_KEEP_NEWLINES) ? '\n' : 0x23CE;      /* ⏎ */
	if (cp == '\t')
		return ' ';
	if (cp < 0x20)
		return 0x2400 + cp;     /* Control Pictures: NUL -> ␀, ESC -> ␛ */
	if (cp == 0x7F)
		return 0x2421;          /* ␡ */
	if ((cp >= 0x80 && cp <= 0x9F) || is_bidi_control(cp))
		return REPLACEMENT;
	return cp;
}

char *utf8_sanitize(const char *s, size_t max_bytes, unsigned flags)
{
	size_t len, i = 0, o = 0;
	bool cut;
	char *out;

	if (!s)
		s = "";
	/* s is a C string: peeking at s[max_bytes] tells whether it was cut. */
	len = strnlen(s, max_bytes);
	cut = len == max_bytes && s[len] != '\0';
	if (cut) {
		/* Do not turn a character split by the limit into U+FFFD. */
		size_t back = 0;

		while (len > 0 && back < 3 && ((unsigned char)s[len] & 0xC0) == 0x80) {
			len--;
			back++;
		}
	}
	/* Each input byte yields at most 3 output bytes (U+FFFD, a picture). */
	if (len > (SIZE_MAX - 8) / 3)
		return NULL;
	out = malloc(len * 3 + 4);
	if (!out)
		return NULL;
	while (i < len) {
		uint32_t cp;

		i += (size_t)utf8_decode(s + i, len - i, &cp);
		/* A CRLF line end is one line end, not "␍" plus a newline. */
		if (cp == '\r' && i < len && s[i] == '\n')
			continue;
		o += (size_t)utf8_encode(sanitize_cp(cp, flags), out + o);
	}
	if (cut) {
		memcpy(out + o, "\xE2\x80\xA6", 3);
		o += 3;
	}
	out[o] = '\0';
	return out;
}

int utf8_fit_clean(const char *s, size_t max_bytes, int maxcols, uint32_t *out, size_t cap, size_t *n)
{
	size_t len, i = 0, k = 0, cut_k = 0;
	int cols = 0, cut_cols = 0;
	bool cut, fits = true;

	*n = 0;
	if (maxcols <= 0 || cap < 2)
		return 0;
	if (!s)
		s = "";
	/* the input utf8_sanitize reads, and whether it ends in "…" */
	len = strnlen(s, max_bytes);
	cut = len == max_bytes && s[len] != '\0';
	for (size_t back = 0; cut && len > 0 && back < 3 && ((unsigned char)s[len] & 0xC0) == 0x80; back++)
		len--;
	while (i < len || cut) {
		uint32_t cp;
		int w;

		if (i < len) {
			i += (size_t)utf8_decode(s + i, len - i, &cp);
			if (cp == '\r' && i < len && s[i] == '\n')
				continue;
			cp = sanitize_cp(cp, 0);
		} else {
			cp = 0x2026;
			cut = false;
		}
		w = utf8_cp_width(cp);
		if (cols + w > maxcols || k == cap - 1) {
			fits = false;
			break;
		}
		out[k++] = cp;
		cols += w;
		/* where utf8_fit cuts (maxcols - 1 columns, then "…") if the rest does not fit */
		if (cols <= maxcols - 1) {
			cut_k = k;
			cut_cols = cols;
		}
	}
	if (!fits) {
		k = cut_k;
		out[k++] = 0x2026;
		cols = cut_cols + 1;
	}
	*n = k;
	return cols;
}
