/* channel_rows.c - the rules a POS order line or a survey answer CSV row
 * must meet (README "Imports"); dates, amounts and words as record.h reads
 * them for interactions. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ccterm/channel_rows.h"
#include "ccterm/record.h"
#include "ccterm/utf8.h"

static const char *const order_statuses[] = {
	"placed", "paid", "shipped", "delivered", "returned", "cancelled", NULL
};

#define REJECT(...) do { snprintf(why, whysz, __VA_ARGS__); return -1; } while (0)

/* At most cols columns of s for a message, never half a character. */
#define CLIP(s, cols) clip_text((s), (cols), (char[200]){ 0 }, 200)
static const char *clip_text(const char *s, int cols, char *buf, size_t bufsz)
{
	utf8_fit(s, cols, true, buf, bufsz);
	return buf;
}

static const char *opt(const char *s) { return s && *s ? s : NULL; }

static int fields_ok(char *const *f, size_t n, size_t expected, char *why, size_t whysz)
{
	if (n != expected)
		REJECT("%zu fields where %zu are expected", n, expected);
	for (size_t i = 0; i < n; i++) {
		size_t len = strlen(f[i]);

		if (!utf8_valid(f[i], len))
			REJECT("column %zu is not valid UTF-8", i + 1);
		if (len > RECORD_TEXT_MAX)
			REJECT("column %zu is %zu bytes, more than %d", i + 1, len, RECORD_TEXT_MAX);
	}
	return 0;
}

static void customer_ref_fill(struct customer_ref *c, const char *s, const char *country)
{
	c->text = s;
	c->phone[0] = c->email[0] = '\0';
	if (strchr(s, '@'))
		record_email_normalize(s, c->email, sizeof(c->email));
	else if (phone_normalize(s, country, c->phone, sizeof(c->phone)) < 0)
		c->phone[0] = '\0';
}

/* A whole number in [min, max], written plainly (thousands separators allowed). */
static bool whole_in(const char *s, long min, long max, char *out, size_t outsz)
{
	char buf[32], *end;
	long v;

	if (!record_amount_normalize(s, buf, sizeof(buf)) || strchr(buf, '.'))
		return false;
	v = strtol(buf, &end, 10);
	if (*end || v < min || v > max)
		return false;
	snprintf(out, outsz, "%ld", v);
	return true;
}

static bool in_list(const char *s, const char *const *list)
{
	for (; *list; list++)
		if (strcmp(s, *list) == 0)
			return true;
	return false;
}

static bool branch_code_ok(const char *s)
{
	size_t n = strlen(s);

	if (n < 1 || n > 16)
		return false;
	for (; *s; s++)
		if (!((*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') || *s == '_' || *s == '-'))
			return false;
	return true;
}

int order_row_check(char *const *f, size_t n, const char *country, struct order_row *row, char *why, size_t whysz)
{
	char amount[32];

	memset(row, 0, sizeof(*row));
	if (fields_ok(f, n, ORDER_NCOLS, why, whysz) < 0)
		return -1;
	row->order_no = opt(f[0]);
	row->branch = opt(f[3]);
	row->line_no = opt(f[7]);
	row->sku = opt(f[8]);
	row->name = opt(f[9]);
	if (!row->order_no)
		REJECT("order_no is empty");
	if (strlen(row->order_no) > 64)
		REJECT("order_no is longer than 64 bytes");
	if (!record_timestamp_normalize(f[1], row->ordered_at, sizeof(row->ordered_at)))
		REJECT("ordered_at '%s' is not a date-time (YYYY-MM-DD HH:MM[:SS][+09:00])", CLIP(f[1], 40));
	if (!*f[2])
		REJECT("customer is empty");
	customer_ref_fill(&row->customer, f[2], country);
	if (row->branch && !branch_code_ok(row->branch))
		REJECT("branch '%s' is not a branch code (A-Z, 0-9, _ and -, 16 at most)", CLIP(row->branch, 20));
	if (!(row->channel = opt(f[4]) ? record_channel_word(f[4]) : "store"))
		REJECT("channel '%s' is not one of phone, web, email, store, mobile, chat, mail, fax, sms", CLIP(f[4], 20));
	row->status = opt(f[5]) ? f[5] : "paid";
	if (!in_list(row->status, order_statuses))
		REJECT("status '%s' is not one of placed, paid, shipped, delivered, returned, cancelled", CLIP(f[5], 20));
	if (opt(f[6])) {
		if (!record_amount_normalize(f[6], amount, sizeof(amount)))
			REJECT("total '%s' is not an amount (12000, 12,000, \xe2\x82\xa9" "12,000, 12,000\xec\x9b\x90)", CLIP(f[6], 20));
		snprintf(row->total, sizeof(row->total), "%s", amount);
	}
	if (row->line_no && !whole_in(row->line_no, 1, 100000, amount, sizeof(amount)))
		REJECT("line_no '%s' is not a whole number from 1", CLIP(row->line_no, 20));
	if (!row->sku)
		REJECT("sku is empty");
	if (strlen(row->sku) > 64)
		REJECT("sku is longer than 64 bytes");
	if (!row->name)
		row->name = row->sku;
	if (!whole_in(f[10], 1, 1000000, row->qty, sizeof(row->qty)))
		REJECT("qty '%s' is not a whole number from 1 to 1,000,000", CLIP(f[10], 20));
	if (!record_amount_normalize(f[11], row->price, sizeof(row->price)))
		REJECT("price '%s' is not an amount (12000, 12,000, \xe2\x82\xa9" "12,000, 12,000\xec\x9b\x90)", CLIP(f[11], 20));
	return 0;
}

int survey_row_check(char *const *f, size_t n, const char *country, struct survey_row *row, char *why, size_t whysz)
{
	memset(row, 0, sizeof(*row));
	if (fields_ok(f, n, SURVEY_NCOLS, why, whysz) < 0)
		return -1;
	row->branch = opt(f[2]);
	row->survey_id = opt(f[5]);
	row->question = opt(f[6]);
	row->comment = opt(f[7]);
	if (!record_timestamp_normalize(f[0], row->answered_at, sizeof(row->answered_at)))
		REJECT("answered_at '%s' is not a date-time (YYYY-MM-DD HH:MM[:SS][+09:00])", CLIP(f[0], 40));
	if (!*f[1])
		REJECT("customer is empty");
	customer_ref_fill(&row->customer, f[1], country);
	if (row->branch && !branch_code_ok(row->branch))
		REJECT("branch '%s' is not a branch code (A-Z, 0-9, _ and -, 16 at most)", CLIP(row->branch, 20));
	if (!(row->channel = opt(f[3]) ? record_channel_word(f[3]) : "phone"))
		REJECT("channel '%s' is not one of phone, web, email, store, mobile, chat, mail, fax, sms", CLIP(f[3], 20));
	if (!whole_in(f[4], 1, 5, row->score, sizeof(row->score)))
		REJECT("score '%s' is not a whole number from 1 to 5", CLIP(f[4], 20));
	if (row->survey_id && strlen(row->survey_id) > 128)
		REJECT("survey_id is longer than 128 bytes");
	return 0;
}
