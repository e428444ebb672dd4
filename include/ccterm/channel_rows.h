/* channel_rows.h - checking one row of a POS orders or a survey answers CSV
 * (README "Imports"): the file format's rules in one pure place, as
 * record.h does for customers and interactions. */
#ifndef CCTERM_CHANNEL_ROWS_H
#define CCTERM_CHANNEL_ROWS_H

#include <stddef.h>
#include "ccterm/phone.h"

#define ORDER_COLUMNS "order_no,ordered_at,customer,branch,channel,status,total,line_no,sku,name,qty,price"
#define SURVEY_COLUMNS "answered_at,customer,branch,channel,score,survey_id,question,comment"
enum { ORDER_NCOLS = 12, SURVEY_NCOLS = 8 };

/* The customer column as the database tries it: an external id, else the
 * number or the address it reads as. */
struct customer_ref {
	const char *text;
	char phone[PHONE_E164_MAX];
	char email[256];
};

struct order_row {
	const char *order_no, *branch, *channel, *status, *line_no, *sku, *name;
	struct customer_ref customer;
	char ordered_at[64];
	char total[32];       /* "" when the file gives none: the sum of the lines */
	char qty[16];
	char price[32];
};

struct survey_row {
	const char *branch, *channel, *survey_id, *question, *comment;
	struct customer_ref customer;
	char answered_at[64];
	char score[4];
};

/* 0 when valid, -1 with the reason in why. Empty optional fields: NULL. */
int order_row_check(char *const *f, size_t n, const char *country, struct order_row *row, char *why, size_t whysz);
int survey_row_check(char *const *f, size_t n, const char *country, struct survey_row *row, char *why, size_t whysz);

#endif
