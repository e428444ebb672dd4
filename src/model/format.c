/* format.c - numbers, money, durations and times the way the screens show them. */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "ccterm/format.h"

/* Magnitude of v without the overflow of -LLONG_MIN. */
static unsigned long long magnitude(long long v)
{
	return v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;
}

char *fmt_thousands(long long v, char *out, size_t outsz)
{
	char tmp[32];   /* 20 digits, 6 commas, a sign */
	unsigned long long m = magnitude(v);
	size_t i = sizeof(tmp);
	int digits = 0;

	if (outsz == 0)
		return out;
	tmp[--i] = '\0';
	do {
		if (digits > 0 && digits % 3 == 0)
			tmp[--i] = ',';
		tmp[--i] = (char)('0' + m % 10);
		m /= 10;
		digits++;
	} while (m > 0);
	if (v < 0)
		tmp[--i] = '-';
	snprintf(out, outsz, "%s", tmp + i);
	return out;
}

char *fmt_money(long long won, char *out, size_t outsz)
{
	char num[32];

	if (outsz == 0)
		return out;
	fmt_thousands(won, num, sizeof(num));
	/* The sign goes before the currency: "-₩1,000". */
	if (won < 0)
		snprintf(out, outsz, "-\u20A9%s", num + 1);
	else
		snprintf(out, outsz, "\u20A9%s", num);
	return out;
}

/*
 * One decimal below 100 of a unit ("12.5K", "3.4M"), none above ("125K").
 * Amounts are truncated, never rounded up: a column never shows more money
 * than there is.
 */
char *fmt_money_short(long long won, char *out, size_t outsz)
{
	static const struct {
		unsigned long long size;
		char suffix;
	} units[] = {
		{ 1000000000000ULL, 'T' }, { 1000000000ULL, 'B' }, { 1000000ULL, 'M' }, { 1000ULL, 'K' },
	};
	unsigned long long m = magnitude(won);
	const char *sign = won < 0 ? "-" : "";

	if (outsz == 0)
		return out;
	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		unsigned long long whole, tenths;

		if (m < units[i].size)
			continue;
		whole = m / units[i].size;
		tenths = m % units[i].size / (units[i].size / 10);
		if (whole < 100 && tenths > 0)
			snprintf(out, outsz, "%s%llu.%llu%c", sign, whole, tenths, units[i].suffix);
		else
			snprintf(out, outsz, "%s%llu%c", sign, whole, units[i].suffix);
		return out;
	}
	snprintf(out, outsz, "%s%llu", sign, m);
	return out;
}

char *fmt_duration(long secs, char *out, size_t outsz)
{
	unsigned long m = secs < 0 ? 0UL - (unsigned long)secs : (unsigned long)secs;
	const char *sign = secs < 0 ? "-" : "";

	if (outsz == 0)
		return out;
	if (m >= 3600)
		snprintf(out, outsz, "%s%lu:%02lu:%02lu", sign, m / 3600, m / 60 % 60, m % 60);
	else
		snprintf(out, outsz, "%s%02lu:%02lu", sign, m / 60, m % 60);
	return out;
}

char *fmt_age(time_t then, time_t now, char *out, size_t outsz)
{
	static const struct {
		long long size;
		char suffix;
	} units[] = {
		{ 365LL * 86400, 'y' }, { 7 * 86400, 'w' }, { 86400, 'd' }, { 3600, 'h' }, { 60, 'm' },
	};
	long long d = (long long)now - (long long)then;

	if (outsz == 0)
		return out;
	/* A moment slightly in the future (clock skew with the server) is "now". */
	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		if (d >= units[i].size) {
			snprintf(out, outsz, "%lld%c", d / units[i].size, units[i].suffix);
			return out;
		}
	}
	snprintf(out, outsz, "now");
	return out;
}

char *fmt_when(time_t t, time_t now, char *out, size_t outsz)
{
	struct tm tt, tn;

	if (outsz == 0)
		return out;
	if (!localtime_r(&t, &tt) || !localtime_r(&now, &tn)) {
		snprintf(out, outsz, "?");
		return out;
	}
	if (tt.tm_year == tn.tm_year && tt.tm_yday == tn.tm_yday) {
		if (strftime(out, outsz, "%H:%M", &tt) == 0)
			out[0] = '\0';
	} else if (strftime(out, outsz, "%Y-%m-%d %H:%M", &tt) == 0) {
		out[0] = '\0';
	}
	return out;
}

/*
 * Keeps the birth date and the first digit of the back half (century and
 * sex), hides the rest. Anything that is not 13 digits (with or without the
 * hyphen) has every digit hidden: a mask must never leak by failing open.
 */
char *fmt_rrn_mask(const char *rrn, char *out, size_t outsz)
{
	size_t len, nd = 0;

	if (outsz == 0)
		return out;
	if (!rrn)
		rrn = "";
	len = strlen(rrn);
	for (size_t i = 0; i < len; i++)
		if (rrn[i] >= '0' && rrn[i] <= '9')
			nd++;
	if (nd == 13 && len == 14 && rrn[6] == '-') {
		snprintf(out, outsz, "%.8s******", rrn);
	} else if (nd == 13 && len == 13) {
		snprintf(out, outsz, "%.6s-%c******", rrn, rrn[6]);
	} else {
		size_t i;

		for (i = 0; i < len && i + 1 < outsz; i++)
			out[i] = (rrn[i] >= '0' && rrn[i] <= '9') ? '*' : rrn[i];
		out[i] = '\0';
	}
	return out;
}
