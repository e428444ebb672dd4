/* phone.c - phone numbers as people write them, to E.164 and back. */
#include "config.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "ccterm/phone.h"

/* Most digits we keep while scanning; E.164 allows 15, prefixes add a few. */
#define SCAN_MAX 24

struct country {
	const char *iso2;
	int cc;
	const char *const *idd;  /* international prefixes, longest first */
	bool trunk0;             /* national numbers are dialled with a leading 0 */
	int nsn_min, nsn_max;    /* national significant number length */
};

static const char *const idd_kr[] = { "00700", "001", "002", "005", "006", "008", "00", NULL };
static const char *const idd_nanp[] = { "011", NULL };
static const char *const idd_jp[] = { "010", NULL };
static const char *const idd_au[] = { "0011", NULL };
static const char *const idd_tw[] = { "002", NULL };
static const char *const idd_hk[] = { "001", NULL };
static const char *const idd_sg[] = { "000", "001", NULL };
static const char *const idd_th[] = { "001", NULL };
static const char *const idd_00[] = { "00", NULL };

static const struct country countries[] = {
	{ "KR", 82, idd_kr, true, 8, 11 },
	{ "US", 1, idd_nanp, false, 10, 10 },
	{ "CA", 1, idd_nanp, false, 10, 10 },
	{ "JP", 81, idd_jp, true, 7, 13 },
	{ "CN", 86, idd_00, true, 7, 13 },
	{ "GB", 44, idd_00, true, 7, 13 },
	{ "DE", 49, idd_00, true, 7, 13 },
	{ "FR", 33, idd_00, true, 7, 13 },
	{ "VN", 84, idd_00, true, 7, 13 },
	{ "PH", 63, idd_00, true, 7, 13 },
	{ "TH", 66, idd_th, true, 7, 13 },
	{ "SG", 65, idd_sg, false, 7, 12 },
	{ "HK", 852, idd_hk, false, 7, 12 },
	{ "TW", 886, idd_tw, true, 7, 12 },
	{ "AU", 61, idd_au, true, 7, 13 },
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

static bool is_separator(char c)
{
	return c == ' ' || c == '\t' || c == '-' || c == '.' || c == '(' || c == ')' || c == '/';
}

/* Collects the digits; false on anything but digits, separators and one leading '+'. */
static bool phone_scan(const char *in, struct scanned *sc)
{
	const char *p = in;

	memset(sc, 0, sizeof(*sc));
	while (*p == ' ' || *p == '\t')
		p++;
	if (*p == '+') {
		sc->plus = true;
		p++;
	}
	for (; *p; p++) {
		if (*p >= '0' && *p <= '9') {
			if (sc->n == SCAN_MAX)
				return false;
			sc->d[sc->n++] = *p;
		} else if (is_separator(*p)) {
			if (sc->first_group == 0)
				sc->first_group = sc->n;
		} else {
			return false;
		}
	}
	if (sc->first_group == 0)
		sc->first_group = sc->n;
	return sc->n > 0;
}

/* The international prefix that starts the digits, preferring one written
 * as its own group: "00 1 415..." is 00 + 1, "001-1-415..." is 001 + 1. */
static size_t idd_len(const struct country *c, const struct scanned *sc)
{
	size_t best = 0;

	for (const char *const *p = c->idd; *p; p++) {
		size_t len = strlen(*p);

		if (len > sc->n || strncmp(sc->d, *p, len) != 0)
			continue;
		if (len == sc->first_group)
			return len;
		if (len > best)
			best = len;
	}
	return best;
}

/* Checks the national part and writes "+<cc><nsn>". */
static int phone_emit(int cc, const char *nsn, char *out, size_t outsz)
{
	const struct country *c = country_by_cc(cc);
	size_t len = strlen(nsn), cclen = cc >= 100 ? 3 : cc >= 10 ? 2 : 1;
	size_t min = c ? (size_t)c->nsn_min : 7, max = c ? (size_t)c->nsn_max : 15;

	if (len < min || len > max || cclen + len > 15)
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
	/* "+82 010-..." and "+44 (0)20 ...": the national trunk 0 does not
	 * belong in E.164, but only where 0 is a trunk prefix (not in Italy). */
	c = country_by_cc(cc);
	if (c && c->trunk0 && d[0] == '0')
		d++;
	return phone_emit(cc, d, out, outsz);
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
	if (!in || !c || !phone_scan(in, &sc))
		return -1;
	if (sc.plus) {
		rc = phone_international(sc.d, out, outsz);
	} else if ((skip = idd_len(c, &sc)) > 0) {
		rc = phone_international(sc.d + skip, out, outsz);
	} else {
		d = sc.d;
		if (c->trunk0 && d[0] == '0')
			d++;
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
