/* record_check.c - the rules a customer or interaction CSV row must meet. */
#include "config.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ccterm/record.h"
#include "ccterm/utf8.h"

static const char *const channels[] = {
	"phone", "web", "email", "store", "mobile", "chat", "mail", "fax", "sms", NULL
};
static const char *const kinds[] = {
	"inquiry", "complaint", "order", "return", "visit", "survey",
	"campaign_response", "web_event", "payment", "callback", "note", NULL
};
static const char *const directions[] = { "in", "out", "internal", NULL };
static const char *const tiers[] = { "all", "registered", "contracted", "platinum", NULL };
static const char *const maritals[] = { "single", "married", "divorced", "widowed", NULL };

static bool in_list(const char *s, const char *const *list)
{
	for (; *list; list++)
		if (strcmp(s, *list) == 0)
			return true;
	return false;
}

bool record_channel_ok(const char *s) { return in_list(s, channels); }
bool record_kind_ok(const char *s) { return in_list(s, kinds); }

static const char *opt(const char *s) { return s && *s ? s : NULL; }

bool record_header_ok(char *const *fields, size_t n, const char *expected, char *why, size_t whysz)
{
	char names[256];
	size_t i = 0;

	snprintf(names, sizeof(names), "%s", expected);
	for (char *save, *name = strtok_r(names, ",", &save); name; name = strtok_r(NULL, ",", &save), i++) {
		const char *f = i < n ? fields[i] : NULL;
		size_t len;

		if (!f) {
			snprintf(why, whysz, "column %zu should be '%s' but the header ends; expected: %s",
				 i + 1, name, expected);
			return false;
		}
		while (isspace((unsigned char)*f))
			f++;
		len = strlen(f);
		while (len && isspace((unsigned char)f[len - 1]))
			len--;
		if (len != strlen(name) || strncasecmp(f, name, len) != 0) {
			snprintf(why, whysz, "column %zu is '%.*s' but should be '%s'; expected: %s",
				 i + 1, (int)(len > 40 ? 40 : len), f, name, expected);
			return false;
		}
	}
	if (i != n) {
		snprintf(why, whysz, "%zu columns where %zu are expected: %s", n, i, expected);
		return false;
	}
	return true;
}

static bool digits(const char *s, int n)
{
	for (int i = 0; i < n; i++)
		if (!isdigit((unsigned char)s[i]))
			return false;
	return true;
}

bool record_date_ok(const char *s)
{
	static const int mdays[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int y, m, d;

	if (strlen(s) < 10 || !digits(s, 4) || s[4] != '-' || !digits(s + 5, 2) || s[7] != '-' ||
	    !digits(s + 8, 2))
		return false;
	y = atoi(s);
	m = atoi(s + 5);
	d = atoi(s + 8);
	if (y < 1900 || y > 2200 || m < 1 || m > 12 || d < 1 || d > mdays[m - 1])
		return false;
	if (m == 2 && d == 29 && !((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return false;
	return s[10] == '\0' || s[10] == ' ' || s[10] == 'T';
}

/* After "YYYY-MM-DD[T ]": HH:MM[:SS[.frac]] then an optional zone. */
static bool time_ok(const char *t)
{
	if (!digits(t, 2) || t[2] != ':' || !digits(t + 3, 2) || atoi(t) > 23 || atoi(t + 3) > 59)
		return false;
	t += 5;
	if (*t == ':') {
		if (!digits(t + 1, 2) || atoi(t + 1) > 60)
			return false;
		t += 3;
		if (*t == '.') {
			if (!isdigit((unsigned char)t[1]))
				return false;
			for (t++; isdigit((unsigned char)*t); t++)
				;
		}
	}
	if (*t == ' ')
		t++;
	if (*t == '\0' || strcmp(t, "Z") == 0 || strcmp(t, "UTC") == 0)
		return true;
	/* +HH, +HH:MM or +HHMM; atoi would read "0500" whole, so take two digits */
	if ((*t != '+' && *t != '-') || !digits(t + 1, 2) || (t[1] - '0') * 10 + (t[2] - '0') > 14)
		return false;
	t += 3;
	if (*t == ':')
		t++;
	return *t == '\0' || (digits(t, 2) && (t[0] - '0') * 10 + (t[1] - '0') < 60 && t[2] == '\0');
}

bool record_timestamp_ok(const char *s)
{
	if (!record_date_ok(s))
		return false;
	return s[10] == '\0' || time_ok(s + 11);
}

bool record_amount_ok(const char *s)
{
	const char *p = s;

	if (*p == '-')
		p++;
	if (!isdigit((unsigned char)*p) || strlen(p) > 15)
		return false;
	while (isdigit((unsigned char)*p))
		p++;
	if (*p == '.') {
		if (!isdigit((unsigned char)p[1]))
			return false;
		for (p++; isdigit((unsigned char)*p); p++)
			;
	}
	return *p == '\0';
}

bool record_email_normalize(const char *s, char *out, size_t outsz)
{
	const char *at = strchr(s, '@');
	size_t len = strlen(s);

	if (!at || at == s || strchr(at + 1, '@') || !strchr(at + 1, '.') || at[1] == '.' ||
	    s[len - 1] == '.' || len >= outsz)
		return false;
	for (size_t i = 0; i <= len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c && (c <= ' ' || c == 0x7f || c == ',' || c == '<' || c == '>'))
			return false;
		out[i] = (char)tolower(c);
	}
	return true;
}

/* Every field must be well-formed UTF-8 and of a sane size. */
static int fields_ok(char *const *f, size_t n, char *why, size_t whysz)
{
	for (size_t i = 0; i < n; i++) {
		size_t len = strlen(f[i]);

		if (!utf8_valid(f[i], len)) {
			snprintf(why, whysz, "column %zu is not valid UTF-8", i + 1);
			return -1;
		}
		if (len > RECORD_TEXT_MAX) {
			snprintf(why, whysz, "column %zu is %zu bytes, more than %d", i + 1, len, RECORD_TEXT_MAX);
			return -1;
		}
	}
	return 0;
}

#define REJECT(...) do { snprintf(why, whysz, __VA_ARGS__); return -1; } while (0)

int customer_row_check(char *const *f, size_t n, const char *country, struct customer_row *row,
		       char *why, size_t whysz)
{
	memset(row, 0, sizeof(*row));
	if (n != CUSTOMER_NCOLS)
		REJECT("%zu fields where %d are expected", n, CUSTOMER_NCOLS);
	if (fields_ok(f, n, why, whysz) < 0)
		return -1;
	row->external_id = opt(f[0]);
	row->name = opt(f[1]);
	row->tier = opt(f[4]);
	row->segment = opt(f[5]);
	row->branch = opt(f[6]);
	row->birth_date = opt(f[7]);
	row->gender = opt(f[8]);
	row->marital_status = opt(f[9]);
	row->rrn = opt(f[10]);
	if (!row->external_id)
		REJECT("external_id is empty");
	if (!row->name)
		REJECT("name is empty");
	if (strlen(row->name) > 200)
		REJECT("name is longer than 200 bytes");
	if (*f[2] && phone_normalize(f[2], country, row->phone, sizeof(row->phone)) < 0)
		REJECT("phone '%.40s' is not a phone number", f[2]);
	if (*f[3] && !record_email_normalize(f[3], row->email, sizeof(row->email)))
		REJECT("email '%.60s' is not an e-mail address", f[3]);
	if (row->tier && !in_list(row->tier, tiers))
		REJECT("tier '%.20s' is not one of all, registered, contracted, platinum", row->tier);
	if (row->birth_date && (strlen(row->birth_date) != 10 || !record_date_ok(row->birth_date)))
		REJECT("birth_date '%.20s' is not a date (YYYY-MM-DD)", row->birth_date);
	if (row->gender && strcmp(row->gender, "M") && strcmp(row->gender, "F") && strcmp(row->gender, "X"))
		REJECT("gender '%.10s' is not M, F or X", row->gender);
	if (row->marital_status && !in_list(row->marital_status, maritals))
		REJECT("marital_status '%.20s' is not single, married, divorced or widowed", row->marital_status);
	if (row->rrn) {
		size_t len = strlen(row->rrn);
		bool ok = (len == 13 && digits(row->rrn, 13)) ||
			  (len == 14 && digits(row->rrn, 6) && row->rrn[6] == '-' && digits(row->rrn + 7, 7));

		if (!ok)
			REJECT("rrn is not 13 digits (YYMMDD-NNNNNNN)");
	}
	return 0;
}

int interaction_row_check(char *const *f, size_t n, const char *country, struct interaction_row *row,
			  char *why, size_t whysz)
{
	memset(row, 0, sizeof(*row));
	if (n != INTERACTION_NCOLS)
		REJECT("%zu fields where %d are expected", n, INTERACTION_NCOLS);
	if (fields_ok(f, n, why, whysz) < 0)
		return -1;
	row->occurred_at = f[0];
	row->channel = f[1];
	row->direction = opt(f[2]) ? f[2] : "in";
	row->kind = f[3];
	row->customer = f[4];
	row->subject = opt(f[5]);
	row->body = opt(f[6]);
	row->amount = opt(f[7]);
	if (!record_timestamp_ok(row->occurred_at))
		REJECT("occurred_at '%.40s' is not a date-time (YYYY-MM-DD HH:MM[:SS][+09:00])", row->occurred_at);
	if (!record_channel_ok(row->channel))
		REJECT("channel '%.20s' is not one of phone, web, email, store, mobile, chat, mail, fax, sms",
		       row->channel);
	if (!in_list(row->direction, directions))
		REJECT("direction '%.20s' is not in, out or internal", row->direction);
	if (!record_kind_ok(row->kind))
		REJECT("kind '%.30s' is not a known interaction kind", row->kind);
	if (!*row->customer)
		REJECT("customer is empty");
	if (row->amount && !record_amount_ok(row->amount))
		REJECT("amount '%.20s' is not a number", row->amount);
	/* The customer may be written as an external id, a phone number or an
	 * e-mail; the database tries them in that order. */
	if (strchr(row->customer, '@'))
		record_email_normalize(row->customer, row->customer_email, sizeof(row->customer_email));
	else if (phone_normalize(row->customer, country, row->customer_phone, sizeof(row->customer_phone)) < 0)
		row->customer_phone[0] = '\0';
	return 0;
}
