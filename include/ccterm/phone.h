/* phone.h - phone numbers to E.164, the one normalizer used by import, CTI and search. */
#ifndef CCTERM_PHONE_H
#define CCTERM_PHONE_H

#include <stddef.h>

/* Longest E.164 number is '+' and 15 digits. */
#define PHONE_E164_MAX 17

/*
 * Turn a number written the way people write it ("010-1234-5678",
 * "(02) 312 4567", "+82 10 1234 5678", "+1 415 555 0100", "00 1 415 ...")
 * into E.164 ("+821012345678"). default_country is an ISO 3166 alpha-2
 * code ("KR", "US", "JP", ...) used for numbers without a country code;
 * NULL means "KR". Separators ' ', '-', '.', '(', ')', '/' are ignored.
 * Returns 0 and writes out (size >= PHONE_E164_MAX) on success, -1 when
 * the text is not a phone number (letters, too short, too long, unknown
 * country); out is then the empty string.
 */
int phone_normalize(const char *in, const char *default_country, char *out, size_t outsz);

/* Calling code for an ISO alpha-2 country ("KR" -> 82), 0 when unknown. */
int phone_country_code(const char *iso2);

/*
 * How a person reads an E.164 number: a Korean number in national form
 * ("+821012345678" -> "010-1234-5678", "+8223124567" -> "02-312-4567"),
 * others as "+1 4155550100". Writes at most outsz bytes; returns out.
 */
char *phone_format(const char *e164, char *out, size_t outsz);

/* The display form with the middle group hidden: "010-****-5678". */
char *phone_mask(const char *e164, char *out, size_t outsz);

#endif
