/* record.h - checking and normalizing one imported CSV row before it goes
 * near the database: the file format's rules in one pure place. */
#ifndef CCTERM_RECORD_H
#define CCTERM_RECORD_H

#include <stdbool.h>
#include <stddef.h>
#include "ccterm/phone.h"

#define CUSTOMER_COLUMNS "external_id,name,phone,email,tier,segment,branch,birth_date,gender,marital_status,rrn"
#define INTERACTION_COLUMNS "occurred_at,channel,direction,kind,customer,subject,body,amount"
enum { CUSTOMER_NCOLS = 11, INTERACTION_NCOLS = 8 };

/* Longest text field accepted (subject, body); longer is a reject, not a cut. */
#define RECORD_TEXT_MAX (64 * 1024)

/*
 * True when the header fields are exactly the comma-separated names in
 * expected (case-insensitive, surrounding blanks ignored); otherwise why
 * says which column is wrong or missing.
 */
bool record_header_ok(char *const *fields, size_t n, const char *expected, char *why, size_t whysz);

/* Normalized fields point into the caller's record or into the row itself. */
struct customer_row {
	const char *external_id, *name, *tier, *segment, *branch;
	const char *birth_date, *gender, *marital_status, *rrn;
	char phone[PHONE_E164_MAX];   /* E.164 or "" */
	char email[256];              /* lower case or "" */
};

struct interaction_row {
	const char *occurred_at, *channel, *direction, *kind, *customer;
	const char *subject, *body, *amount;
	char customer_phone[PHONE_E164_MAX];   /* customer as a phone number, or "" */
	char customer_email[256];              /* customer as an e-mail, or "" */
	char occurred_buf[64];                 /* occurred_at as normalized */
	char amount_buf[32];                   /* amount without separators and signs */
};

/* Fill row from a record's fields; 0 when valid, -1 with the reason in why.
 * Empty optional fields become NULL pointers. */
int customer_row_check(char *const *f, size_t n, const char *country, struct customer_row *row,
		       char *why, size_t whysz);
int interaction_row_check(char *const *f, size_t n, const char *country, struct interaction_row *row,
			  char *why, size_t whysz);

/* "2024-02-29", a real calendar date. */
bool record_date_ok(const char *s);
/* ISO 8601 date-time: "2024-02-29 13:05", "2024-02-29T13:05:09.123+09:00", "...Z", or a date alone. */
bool record_timestamp_ok(const char *s);
/* "12000", "-500", "12000.50": whole won with an optional fraction. */
bool record_amount_ok(const char *s);
/* Lower-cases a plausible e-mail into out; false when it is not one. */
bool record_email_normalize(const char *s, char *out, size_t outsz);

/* "2026/11/20 10:15" -> "2026-11-20 10:15"; false when not a date-time. */
bool record_timestamp_normalize(const char *s, char *out, size_t outsz);
/* "₩12,000" -> "12000"; false when not an amount. */
bool record_amount_normalize(const char *s, char *out, size_t outsz);
/* Our word for a direction, channel or kind as exports write it
 * ("Inbound" -> "in", "call" -> "phone", "문의" -> "inquiry"), or NULL. */
const char *record_direction_word(const char *s);
const char *record_channel_word(const char *s);
const char *record_kind_word(const char *s);

/* The allowed values, for messages and the console's lists. */
bool record_channel_ok(const char *s);
bool record_kind_ok(const char *s);

#endif
