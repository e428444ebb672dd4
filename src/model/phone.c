/* phone.c - phone numbers as people write them, to E.164 and back. */
#include "config.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <regex.h>
#include <stdint.h>

#include "ccterm/phone.h"

/* Most digits we keep while scanning; E.164 allows 15, prefixes add a few. */
#define SCAN_MAX 24

struct country {
	const char *iso2;
	int cc;
	const char *const *idd;  /* international prefixes, longest first */
	bool trunk0;             /* national numbers are dialled with a leading 0 */
	int nsn_min, nsn_max;    /* national significant number length */
	unsigned lengths;        /* when not 0: the lengths libphonenumber calls possible */
};

#define L(n) (1u << (n))

/* Korea's carrier prefixes (libphonenumber: 00(?:[125689]|3(?:[46]5|91)|7(?:00|27|3|55|6[126])))
 * and the bare 00, which counts only written apart (idd_len). */
static const char *const idd_kr[] = { "00345", "00365", "00391", "00700", "00727", "00755", "00761", "00762",
				      "00766", "0073", "001", "002", "005", "006", "008", "009", "00", NULL };
static const char *const idd_nanp[] = { "011", NULL };
static const char *const idd_jp[] = { "010", NULL };
static const char *const idd_au[] = { "0011", NULL };
static const char *const idd_tw[] = { "002", NULL };
static const char *const idd_hk[] = { "001", NULL };
static const char *const idd_sg[] = { "000", "001", NULL };
static const char *const idd_th[] = { "001", NULL };
static const char *const idd_00[] = { "00", NULL };

static const struct country countries[] = {
	{ "KR", 82, idd_kr, true, 8, 11, 0 },   /* checked by kr_valid */
	{ "US", 1, idd_nanp, false, 10, 10, 0 },
	{ "CA", 1, idd_nanp, false, 10, 10, 0 },
	{ "JP", 81, idd_jp, true, 7, 13, L(9) | L(10) },
	{ "CN", 86, idd_00, true, 7, 12, 0 },
	{ "GB", 44, idd_00, true, 7, 13, L(7) | L(9) | L(10) },
	{ "DE", 49, idd_00, true, 4, 13, 0 },
	{ "FR", 33, idd_00, true, 7, 13, L(9) },
	{ "VN", 84, idd_00, true, 7, 13, L(7) | L(8) | L(9) | L(10) },
	{ "PH", 63, idd_00, true, 7, 13, L(8) | L(9) | L(10) | L(11) | L(12) | L(13) },
	{ "TH", 66, idd_th, true, 7, 13, L(8) | L(9) | L(10) | L(13) },
	{ "SG", 65, idd_sg, false, 7, 12 },
	{ "HK", 852, idd_hk, false, 7, 12, L(7) | L(8) | L(9) | L(11) },
	{ "TW", 886, idd_tw, true, 7, 11, 0 },
	{ "AU", 61, idd_au, true, 7, 12, L(7) | L(8) | L(9) | L(10) | L(12) },
};
#define NCOUNTRIES (sizeof(countries) / sizeof(countries[0]))

static const struct country *country_by_iso(const char *iso2)
{
	for (size_t i = 0; i < NCOUNTRIES; i++)
		if (strcasecmp(countries[i].iso2, iso2) == 0)
			return &countries[i];
	return NULL;
}

static const struct country *country_by_cc(int cc)
{
	for (size_t i = 0; i < NCOUNTRIES; i++)
		if (countries[i].cc == cc)
			return &countries[i];
	return NULL;
}

int phone_country_code(const char *iso2)
{
	const struct country *c = iso2 ? country_by_iso(iso2) : NULL;

	return c ? c->cc : 0;
}

/*
 * Length of the calling code at the start of digits. Calling codes form a
 * prefix-free set: 1 and 7 are one digit, the two-digit ones are listed,
 * every other code has three digits. This lets us split numbers of
 * countries that are not in our table. 0 when digits start with 0.
 */
static int calling_code_len(const char *d)
{
	static const char *const two[] = {
		"20", "27", "30", "31", "32", "33", "34", "36", "39", "40", "41", "43", "44",
		"45", "46", "47", "48", "49", "51", "52", "53", "54", "55", "56", "57", "58",
		"60", "61", "62", "63", "64", "65", "66", "81", "82", "84", "86", "90", "91",
		"92", "93", "94", "95", "98", NULL
	};

	if (d[0] < '1' || d[0] > '9')
		return 0;
	if (d[0] == '1' || d[0] == '7')
		return 1;
	for (const char *const *t = two; *t; t++)
		if (d[0] == (*t)[0] && d[1] == (*t)[1])
			return 2;
	return 3;
}

struct scanned {
	char d[SCAN_MAX + 1];
	size_t n;
	size_t first_group;     /* digits before the first separator */
	bool plus;
};

/*
 * The characters people (and other systems' exports) put between digits,
 * as libphonenumber reads them: ASCII - . ( ) / [ ] ~ space tab, and the
 * Unicode hyphens and dashes U+2010..U+2015, minus U+2212, the Japanese
 * long vowel mark U+30FC, full-width - / ( ) [ ] ~ and space (U+3000),
 * no-break space, soft hyphen, zero-width space and word joiner, swung
 * dashes U+2053, U+223C.
 */
static bool is_separator_cp(uint32_t cp)
{
	static const uint32_t wide[] = {
		0x00A0, 0x00AD, 0x200B, 0x2060, 0x2053, 0x2212, 0x223C, 0x3000, 0x30FC,
		0xFF08, 0xFF09, 0xFF0D, 0xFF0F, 0xFF3B, 0xFF3D, 0xFF5E,
	};

	if (cp < 0x80)
		return cp == ' ' || cp == '\t' || cp == '-' || cp == '.' || cp == '(' || cp == ')' ||
		       cp == '/' || cp == '[' || cp == ']' || cp == '~';
	if (cp >= 0x2010 && cp <= 0x2015)
		return true;
	for (size_t i = 0; i < sizeof(wide) / sizeof(wide[0]); i++)
		if (wide[i] == cp)
			return true;
	return false;
}

/* One UTF-8 character at p: its code point and length, 0 when malformed. */
static size_t next_cp(const char *p, uint32_t *cp)
{
	const unsigned char *s = (const unsigned char *)p;

	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if ((s[0] & 0xE0) == 0xC0 && (s[1] & 0xC0) == 0x80) {
		*cp = (uint32_t)(s[0] & 0x1F) << 6 | (s[1] & 0x3F);
		return *cp >= 0x80 ? 2 : 0;
	}
	if ((s[0] & 0xF0) == 0xE0 && (s[1] & 0xC0) == 0x80 && (s[2] & 0xC0) == 0x80) {
		*cp = (uint32_t)(s[0] & 0x0F) << 12 | (uint32_t)(s[1] & 0x3F) << 6 | (s[2] & 0x3F);
		return *cp >= 0x800 ? 3 : 0;
	}
	return 0;
}

/* Collects the digits (ASCII or full-width); false on anything but digits,
 * separators and one leading '+' (or full-width '＋'). */
static bool phone_scan(const char *in, struct scanned *sc)
{
	const char *p = in;
	bool started = false;
	uint32_t cp;
	size_t len;

	memset(sc, 0, sizeof(*sc));
	for (; *p; p += len) {
		if (!(len = next_cp(p, &cp)))
			return false;
		if (cp >= 0xFF10 && cp <= 0xFF19)
			cp = '0' + (cp - 0xFF10);
		if (cp >= '0' && cp <= '9') {
			if (sc->n == SCAN_MAX)
				return false;
			sc->d[sc->n++] = (char)cp;
			started = true;
		} else if ((cp == '+' || cp == 0xFF0B) && !started && !sc->plus) {
			sc->plus = true;
		} else if (is_separator_cp(cp)) {
			if (sc->first_group == 0 && sc->n > 0)
				sc->first_group = sc->n;
			if (cp != '(' && cp != 0xFF08 && cp != ' ' && cp != '\t' && cp != 0x3000 && !started && sc->plus)
				return false;   /* "+-82" */
		} else {
			return false;
		}
	}
	if (sc->first_group == 0)
		sc->first_group = sc->n;
	return sc->n > 0;
}

/*
 * Korea's number plan as libphonenumber 8.12 (metadata of region KR) has it,
 * as POSIX extended expressions matched against the whole national
 * significant number (no trunk 0): what a national number may look like
 * at all, and the numbers that are valid (fixed lines, mobiles, free 080,
 * 060, 050x personal, 070 internet, 015 pagers, 15xx/16xx/18xx service).
 */
static const char kr_general[] =
	"^(00[1-9][0-9]{8,11}|([12]|5[0-9]{3})[0-9]{7}|[13-6][0-9]{9}|([1-6][0-9]|80)[0-9]{7}|[3-6][0-9]{4,5}|(00|7)0[0-9]{8})$";
static const char kr_valid[] =
	"^((2|3[1-3]|[46][1-4]|5[1-5])[1-9][0-9]{6,7}|(3[1-3]|[46][1-4]|5[1-5])1[0-9]{2,3}"
	"|1(05([0-8][0-9]|9[0-6])|22[13][0-9])[0-9]{4,5}|1(0[1-46-9]|[16-9][0-9]|2[013-9])[0-9]{6,7}"
	"|00(308[0-9]{6,7}|798[0-9]{7,9})|(00368|80)[0-9]{7}"
	"|60[2-9][0-9]{6}|50[0-9]{8,9}|70[0-9]{8}|15[0-9]{7,8}"
	"|1(5(22|33|44|66|77|88|99)|6([07]0|44|6[168]|88)|8(00|33|55|77|99))[0-9]{4})$";
/* The trunk prefix 0, with the carrier codes 081..088 (not 085) and 085NN. */
static const char kr_trunk[] = "^0(8([1-46-8]|5[0-9][0-9]))?";
/* Lengths of a national number libphonenumber calls possible; 3, 4, 7 only locally. */
static const unsigned kr_lengths = 1u << 5 | 1u << 6 | 1u << 8 | 1u << 9 | 1u << 10 | 1u << 11 | 1u << 12 |
				   1u << 13 | 1u << 14;
static const unsigned kr_local_lengths = 1u << 3 | 1u << 4 | 1u << 7;

enum { KR_GENERAL, KR_VALID, KR_TRUNK, KR_NRE };
static regex_t kr_re[KR_NRE];
static int kr_re_state;         /* 0 not yet, 1 compiled, -1 failed */

static bool kr_re_ready(void)
{
	const char *const src[KR_NRE] = { kr_general, kr_valid, kr_trunk };

	if (kr_re_state == 0) {
		kr_re_state = 1;
		for (int i = 0; i < KR_NRE; i++)
			if (regcomp(&kr_re[i], src[i], REG_EXTENDED | (i == KR_TRUNK ? 0 : REG_NOSUB)) != 0)
				kr_re_state = -1;
	}
	return kr_re_state == 1;
}

static bool kr_matches(int which, const char *nsn)
{
	return regexec(&kr_re[which], nsn, 0, NULL, 0) == 0;
}

/* The national number with its trunk prefix (and carrier code) taken off,
 * unless what is left could not be a Korean number while the whole could. */
static const char *kr_strip_trunk(const char *d)
{
	regmatch_t m[1];
	size_t rest_len;

	if (regexec(&kr_re[KR_TRUNK], d, 1, m, 0) != 0 || m[0].rm_eo <= 0)
		return d;
	if (kr_matches(KR_GENERAL, d) && !kr_matches(KR_GENERAL, d + m[0].rm_eo))
		return d;
	/* too short, or a length only dialled locally: the 0 was part of the number */
	rest_len = strlen(d + m[0].rm_eo);
	if (rest_len > 31 || (kr_local_lengths >> rest_len & 1) || rest_len < 5 ||
	    (rest_len <= 14 && !(kr_lengths >> rest_len & 1)))
		return d;
	return d + m[0].rm_eo;
}

static int kr_emit(const char *nsn, char *out, size_t outsz)
{
	if (!kr_matches(KR_VALID, nsn))
		return -1;
	if (snprintf(out, outsz, "+82%s", nsn) >= (int)outsz)
		return -1;
	return 0;
}

/* The international prefix that starts the digits, preferring one written
 * as its own group: "00 1 415..." is 00 + 1, "001-1-415..." is 001 + 1.
 * A first group of 00 and a whole calling code ("0081 90 1234 5678") is
 * 00 + 81, the way people abroad write it, never the carrier prefix 008
 * and 1. A prefix is never followed by 0 (no calling code starts with it). */
static size_t idd_len(const struct country *c, const struct scanned *sc)
{
	size_t best = 0;

	if (sc->first_group >= 3 && sc->first_group <= 5 && strncmp(sc->d, "00", 2) == 0 &&
	    sc->d[2] != '0' && (size_t)calling_code_len(sc->d + 2) == sc->first_group - 2) {
		bool carrier = false;

		for (const char *const *p = c->idd; *p; p++)
			if (strlen(*p) == sc->first_group && strncmp(sc->d, *p, sc->first_group) == 0)
				carrier = true;
		if (!carrier)
			return 2;
	}
	for (const char *const *p = c->idd; *p; p++) {
		size_t len = strlen(*p);

		if (len >= sc->n || strncmp(sc->d, *p, len) != 0 || sc->d[len] == '0')
			continue;
		if (len == sc->first_group)
			return len;
		if (len > best && !(len == 2 && c->cc == 82))
			best = len;   /* in Korea a bare 00 counts only written apart */
	}
	return best;
}

/* Checks the national part and writes "+<cc><nsn>". */
static int phone_emit(int cc, const char *nsn, char *out, size_t outsz)
{
	const struct country *c = country_by_cc(cc);
	size_t len = strlen(nsn), cclen = cc >= 100 ? 3 : cc >= 10 ? 2 : 1;
	size_t min = c ? (size_t)c->nsn_min : 7, max = c ? (size_t)c->nsn_max : 15;

	if (cc == 82)
		return kr_emit(nsn, out, outsz);
	if (len < min || len > max || cclen + len > 15)
		return -1;
	if (c && c->lengths && !(c->lengths >> len & 1))
		return -1;
	/* North America: area code and exchange never start with 0 or 1 */
	if (cc == 1 && (nsn[0] < '2' || nsn[3] < '2'))
		return -1;
	if (snprintf(out, outsz, "+%d%s", cc, nsn) >= (int)outsz)
		return -1;
	return 0;
}

static int phone_international(const char *d, char *out, size_t outsz)
{
	int cclen = calling_code_len(d);
	int cc = 0;
	const struct country *c;

	if (cclen == 0 || strlen(d) <= (size_t)cclen)
		return -1;
	for (int i = 0; i < cclen; i++)
		cc = cc * 10 + (d[i] - '0');
	d += cclen;
	if (cc == 82)
		return kr_emit(kr_strip_trunk(d), out, outsz);
	/* "+44 (0)20 ...": the national trunk 0 does not belong in E.164, but
	 * only where 0 is a trunk prefix (not in Italy). */
	c = country_by_cc(cc);
	if (c && c->trunk0 && d[0] == '0')
		d++;
	/* one trunk 0 at most: "+44 00 20..." is no number, and E.164 keeps
	 * none, so what comes out reads back as itself */
	if (c && c->trunk0 && d[0] == '0')
		return -1;
	return phone_emit(cc, d, out, outsz);
}

/* A Korean number without '+' or a prefix: "82 10 ..." is the country code
 * written without '+' when the digits make no Korean number as they stand
 * but do without the 82 (or are too long for one). */
static int phone_national_kr(const struct scanned *sc, char *out, size_t outsz)
{
	const char *d = sc->d;

	if (strncmp(d, "82", 2) == 0) {
		const char *rest = kr_strip_trunk(d + 2);

		if ((!kr_matches(KR_GENERAL, d) && kr_matches(KR_GENERAL, rest)) || sc->n > 14)
			return kr_emit(rest, out, outsz);
	}
	return kr_emit(kr_strip_trunk(d), out, outsz);
}

int phone_normalize(const char *in, const char *default_country, char *out, size_t outsz)
{
	const struct country *c = country_by_iso(default_country ? default_country : "KR");
	struct scanned sc;
	const char *d;
	size_t skip;
	int rc = -1;

	if (!out || outsz == 0)
		return -1;
	out[0] = '\0';
	if (!in || !c || !phone_scan(in, &sc) || !kr_re_ready())
		return -1;
	if (sc.plus) {
		rc = phone_international(sc.d, out, outsz);
	} else if ((skip = idd_len(c, &sc)) > 0) {
		rc = phone_international(sc.d + skip, out, outsz);
	} else if (c->cc == 82) {
		rc = phone_national_kr(&sc, out, outsz);
	} else {
		d = sc.d;
		if (c->trunk0 && d[0] == '0' && d[1] != '0')
			d++;
		else if (c->trunk0 && d[0] == '0')
			return -1;
		else if (c->cc == 1 && sc.n == 11 && d[0] == '1')
			d++;    /* NANP "1 415 555 0100" */
		rc = phone_emit(c->cc, d, out, outsz);
	}
	if (rc < 0)
		out[0] = '\0';
	return rc;
}

/* Splits a well-formed E.164 string; false for anything else. */
static bool e164_split(const char *e164, int *cc, const char **nsn)
{
	size_t len;
	int cclen;

	if (!e164 || e164[0] != '+')
		return false;
	len = strlen(e164 + 1);
	if (len < 8 || len > 15 || strspn(e164 + 1, "0123456789") != len)
		return false;
	cclen = calling_code_len(e164 + 1);
	if (cclen == 0)
		return false;
	*cc = 0;
	for (int i = 1; i <= cclen; i++)
		*cc = *cc * 10 + (e164[i] - '0');
	*nsn = e164 + 1 + cclen;
	return true;
}

/* Korean national form: "010-1234-5678", "02-312-4567", "1588-1234". */
static void phone_format_kr(const char *nsn, char *out, size_t outsz)
{
	size_t len = strlen(nsn), plen;
	char nat[20];

	if (len == 8 && nsn[0] == '1') {        /* 1588-, 1644-, 1800- service numbers */
		snprintf(out, outsz, "%.4s-%s", nsn, nsn + 4);
		return;
	}
	snprintf(nat, sizeof(nat), "0%s", nsn);
	len++;
	if (nat[1] == '2')
		plen = 2;                       /* Seoul */
	else if (strncmp(nat, "050", 3) == 0)
		plen = 4;                       /* 0505-123-4567 personal numbers */
	else
		plen = 3;                       /* 010, 031, 051, 070 ... */
	if (len - plen == 7)
		snprintf(out, outsz, "%.*s-%.3s-%s", (int)plen, nat, nat + plen, nat + plen + 3);
	else if (len - plen == 8)
		snprintf(out, outsz, "%.*s-%.4s-%s", (int)plen, nat, nat + plen, nat + plen + 4);
	else
		snprintf(out, outsz, "%s", nat);
}

char *phone_format(const char *e164, char *out, size_t outsz)
{
	const char *nsn;
	int cc;

	if (outsz == 0)
		return out;
	if (!e164_split(e164, &cc, &nsn))
		snprintf(out, outsz, "%s", e164 ? e164 : "");
	else if (cc == 82)
		phone_format_kr(nsn, out, outsz);
	else
		snprintf(out, outsz, "+%d %s", cc, nsn);
	return out;
}

/* Hides digits [2, n-4) of s (or all but the last 2 of a short number). */
static void mask_digits(char *s)
{
	size_t n = 0, i = 0, from, to;

	for (char *p = s; *p; p++)
		if (*p >= '0' && *p <= '9')
			n++;
	from = n > 6 ? 2 : 0;
	to = n > 6 ? n - 4 : (n > 2 ? n - 2 : 0);
	for (char *p = s; *p; p++) {
		if (*p < '0' || *p > '9')
			continue;
		if (i >= from && i < to)
			*p = '*';
		i++;
	}
}

char *phone_mask(const char *e164, char *out, size_t outsz)
{
	char *first, *last;

	if (outsz == 0)
		return out;
	phone_format(e164, out, outsz);
	first = strchr(out, '-');
	last = strrchr(out, '-');
	if (out[0] == '0' && first && last != first) {
		for (char *p = first + 1; p < last; p++)
			*p = '*';
	} else if (out[0] == '+' && strchr(out, ' ')) {
		mask_digits(strchr(out, ' ') + 1);  /* keep the country code */
	} else {
		mask_digits(out);
	}
	return out;
}
