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
static const char *const tiers[] = { "all", "registered", "contracted", "platinum", NULL };
static const char *const maritals[] = { "single", "married", "divorced", "widowed", NULL };

/*
 * The words other systems' exports use, case-insensitive (ASCII), blanks
 * around ignored, '-' and ' ' read as '_': each maps to one of ours.
 * README "Imports" lists them.
 */
struct synonym {
	const char *word, *value;
};

static const struct synonym direction_words[] = {
	{ "in", "in" }, { "inbound", "in" }, { "incoming", "in" }, { "received", "in" }, { "i", "in" },
	{ "수신", "in" }, { "착신", "in" }, { "인바운드", "in" },
	{ "out", "out" }, { "outbound", "out" }, { "outgoing", "out" }, { "sent", "out" }, { "o", "out" },
	{ "발신", "out" }, { "아웃바운드", "out" },
	{ "internal", "internal" }, { "내부", "internal" }, { NULL, NULL },
};

static const struct synonym channel_words[] = {
	{ "phone", "phone" }, { "call", "phone" }, { "voice", "phone" }, { "tel", "phone" },
	{ "telephone", "phone" }, { "전화", "phone" },
	{ "web", "web" }, { "website", "web" }, { "online", "web" }, { "웹", "web" }, { "홈페이지", "web" },
	{ "email", "email" }, { "e_mail", "email" }, { "이메일", "email" }, { "메일", "email" },
	{ "store", "store" }, { "shop", "store" }, { "branch", "store" }, { "pos", "store" },
	{ "매장", "store" }, { "지점", "store" },
	{ "mobile", "mobile" }, { "app", "mobile" }, { "mobile_app", "mobile" }, { "모바일", "mobile" }, { "앱", "mobile" },
	{ "chat", "chat" }, { "messenger", "chat" }, { "kakao", "chat" }, { "kakaotalk", "chat" },
	{ "채팅", "chat" }, { "카카오톡", "chat" },
	{ "mail", "mail" }, { "post", "mail" }, { "letter", "mail" }, { "우편", "mail" },
	{ "fax", "fax" }, { "팩스", "fax" },
	{ "sms", "sms" }, { "text", "sms" }, { "mms", "sms" }, { "lms", "sms" }, { "문자", "sms" },
	{ NULL, NULL },
};

static const struct synonym kind_words[] = {
	{ "inquiry", "inquiry" }, { "enquiry", "inquiry" }, { "question", "inquiry" }, { "문의", "inquiry" },
	{ "complaint", "complaint" }, { "claim", "complaint" }, { "불만", "complaint" }, { "민원", "complaint" },
	{ "order", "order" }, { "purchase", "order" }, { "주문", "order" }, { "구매", "order" },
	{ "return", "return" }, { "refund", "return" }, { "반품", "return" }, { "환불", "return" },
	{ "visit", "visit" }, { "방문", "visit" },
	{ "survey", "survey" }, { "설문", "survey" },
	{ "campaign_response", "campaign_response" }, { "campaign", "campaign_response" }, { "캠페인", "campaign_response" },
	{ "web_event", "web_event" }, { "event", "web_event" },
	{ "payment", "payment" }, { "결제", "payment" }, { "납부", "payment" },
	{ "callback", "callback" }, { "call_back", "callback" }, { "콜백", "callback" },
	{ "note", "note" }, { "memo", "note" }, { "메모", "note" }, { NULL, NULL },
};

/* The word of ours that s means, or NULL. */
static const char *synonym_of(const char *s, const struct synonym *t)
{
	char w[64];
	size_t n = 0;

	while (*s == ' ' || *s == '\t')
		s++;
	for (; *s && n < sizeof(w) - 1; s++)
		w[n++] = *s == '-' || *s == ' ' ? '_' : (char)tolower((unsigned char)*s);
	if (*s)
		return NULL;
	while (n && w[n - 1] == '_')
		n--;
	w[n] = '\0';
	for (; t->word; t++)
		if (strcmp(w, t->word) == 0)
			return t->value;
	return NULL;
}

const char *record_direction_word(const char *s) { return synonym_of(s, direction_words); }
const char *record_channel_word(const char *s) { return synonym_of(s, channel_words); }
const char *record_kind_word(const char *s) { return synonym_of(s, kind_words); }

/* At most max bytes of s for a message, never half a UTF-8 character. */
static const char *clip(const char *s, size_t max, char *buf, size_t bufsz)
{
	size_t n = strlen(s);

	if (max >= bufsz)
		max = bufsz - 1;
	if (n > max) {
		n = max;
		while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
			n--;
	}
	memcpy(buf, s, n);
	buf[n] = '\0';
	return buf;
}

#define CLIP(s, max) clip((s), (max), (char[128]){ 0 }, 128)

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

/* "2026/11/20 10:15", "2026.1.5 9:05", "2026-11-20T10:15:00+09:00": the
 * date with '-' and two-digit month, day and hour, the rest as written. */
bool record_timestamp_normalize(const char *s, char *out, size_t outsz)
{
	int y, mo, d, h = -1, mi = 0, used = 0;
	char sep1, sep2;

	if (sscanf(s, "%4d%c%2d%c%2d%n", &y, &sep1, &mo, &sep2, &d, &used) != 5 || sep1 != sep2 ||
	    (sep1 != '-' && sep1 != '/' && sep1 != '.') || !isdigit((unsigned char)s[0]) || used < 8)
		return false;
	s += used;
	if (*s == '\0') {
		snprintf(out, outsz, "%04d-%02d-%02d", y, mo, d);
	} else if (*s == ' ' || *s == 'T') {
		char t = *s;
		int u2 = 0;

		if (sscanf(s + 1, "%2d:%2d%n", &h, &mi, &u2) != 2 || !isdigit((unsigned char)s[1]))
			return false;
		if ((size_t)snprintf(out, outsz, "%04d-%02d-%02d%c%02d:%02d%s", y, mo, d, t, h, mi, s + 1 + u2) >= outsz)
			return false;
	} else {
		return false;
	}
	return record_timestamp_ok(out);
}

/* "₩12,000", "12,000원", "KRW 1,234,567", "-500", "1,234.50": whole won
 * with an optional fraction, thousands separated by commas in threes. */
bool record_amount_normalize(const char *s, char *out, size_t outsz)
{
	static const char *const signs[] = { "\xe2\x82\xa9", "\xef\xbf\xa6", "\xec\x9b\x90", "KRW", "krw", "Krw", NULL };
	char b[64];
	size_t n = 0, group = 0;
	bool neg = false, comma = false, sign_seen = false, digit_seen = false;

	for (const char *p = s; *p;) {
		bool matched = false;

		if (*p == ' ' || *p == '\t') {
			p++;
			continue;
		}
		for (const char *const *g = signs; *g; g++)
			if (strncmp(p, *g, strlen(*g)) == 0) {
				if (sign_seen)
					return false;
				sign_seen = matched = true;
				p += strlen(*g);
				break;
			}
		if (matched)
			continue;
		if (*p == '-' && !neg && !digit_seen) {
			neg = true;
		} else if (isdigit((unsigned char)*p) || *p == '.') {
			if (n >= sizeof(b) - 2)
				return false;
			/* the digits of the whole part after a comma come in threes */
			if (*p == '.' && comma && group != 3)
				return false;
			if (isdigit((unsigned char)*p) && !strchr(b, '.'))
				group++;
			if (*p == '.')
				b[n] = '\0';
			b[n++] = *p;
			b[n] = '\0';
			digit_seen = true;
		} else if (*p == ',' && digit_seen && !strchr(b, '.') && (!comma ? group <= 3 : group == 3)) {
			comma = true;
			group = 0;
		} else {
			return false;
		}
		p++;
	}
	b[n] = '\0';
	if (!digit_seen || (comma && !strchr(b, '.') && group != 3))
		return false;
	if ((size_t)snprintf(out, outsz, "%s%s", neg ? "-" : "", b) >= outsz)
		return false;
	return record_amount_ok(out);
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
		REJECT("phone '%s' is not a phone number", CLIP(f[2], 40));
	if (*f[3] && !record_email_normalize(f[3], row->email, sizeof(row->email)))
		REJECT("email '%s' is not an e-mail address", CLIP(f[3], 60));
	if (row->tier && !in_list(row->tier, tiers))
		REJECT("tier '%s' is not one of all, registered, contracted, platinum", CLIP(row->tier, 20));
	if (row->birth_date && (strlen(row->birth_date) != 10 || !record_date_ok(row->birth_date)))
		REJECT("birth_date '%s' is not a date (YYYY-MM-DD)", CLIP(row->birth_date, 20));
	if (row->gender && strcmp(row->gender, "M") && strcmp(row->gender, "F") && strcmp(row->gender, "X"))
		REJECT("gender '%s' is not M, F or X", CLIP(row->gender, 10));
	if (row->marital_status && !in_list(row->marital_status, maritals))
		REJECT("marital_status '%s' is not single, married, divorced or widowed", CLIP(row->marital_status, 20));
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
	row->customer = f[4];
	row->subject = opt(f[5]);
	row->body = opt(f[6]);
	if (!record_timestamp_normalize(f[0], row->occurred_buf, sizeof(row->occurred_buf)))
		REJECT("occurred_at '%s' is not a date-time (YYYY-MM-DD HH:MM[:SS][+09:00], '/' or '.' between the date's parts)",
		       CLIP(f[0], 40));
	row->occurred_at = row->occurred_buf;
	if (!(row->channel = record_channel_word(f[1])))
		REJECT("channel '%s' is not one of phone, web, email, store, mobile, chat, mail, fax, sms",
		       CLIP(f[1], 20));
	if (!(row->direction = opt(f[2]) ? record_direction_word(f[2]) : "in"))
		REJECT("direction '%s' is not in, out or internal (or inbound, outbound, ...)", CLIP(f[2], 20));
	if (!(row->kind = record_kind_word(f[3])))
		REJECT("kind '%s' is not a known interaction kind", CLIP(f[3], 30));
	if (!*row->customer)
		REJECT("customer is empty");
	if (opt(f[7])) {
		if (!record_amount_normalize(f[7], row->amount_buf, sizeof(row->amount_buf)))
			REJECT("amount '%s' is not a number (12000, 12,000, \xe2\x82\xa9" "12,000, 12,000\xec\x9b\x90, KRW 12,000)",
			       CLIP(f[7], 20));
		row->amount = row->amount_buf;
	}
	/* The customer may be written as an external id, a phone number or an
	 * e-mail; the database tries them in that order. */
	if (strchr(row->customer, '@'))
		record_email_normalize(row->customer, row->customer_email, sizeof(row->customer_email));
	else if (phone_normalize(row->customer, country, row->customer_phone, sizeof(row->customer_phone)) < 0)
		row->customer_phone[0] = '\0';
	return 0;
}
