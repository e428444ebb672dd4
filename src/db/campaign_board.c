/* campaign_board.c - requests and readers of the supervisors' campaign board
 * (ccterm/campaign_board.h; SQL in sql/repeatable/79_campaign_board.sql). */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db_priv.h"
#include "ccterm/campaign_board.h"

#define field db_field
#define COPY DB_COPY

/* The figures' columns, in campaign_board()'s order. */
#define FIGURES "members, control, called, reached, accepted, refused, callbacks, done, progress_pct, " \
	"contact_rate, acceptance_rate, contacted_n, contacted_responded, contacted_rate, control_n, " \
	"control_responded, control_rate, lift, lift_low, lift_high"

static double rate(const PGresult *res, int row, int col)
{
	return PQgetisnull(res, row, col) ? NAN : atof(PQgetvalue(res, row, col));
}

/* The figures from column col on. */
static void read_figures(const PGresult *res, int row, int col, struct campaign_figures *f)
{
	long *counts[] = { &f->members, &f->control, &f->called, &f->reached, &f->accepted, &f->refused,
			   &f->callbacks, &f->done };

	for (size_t i = 0; i < sizeof(counts) / sizeof(counts[0]); i++)
		*counts[i] = atol(field(res, row, col++));
	f->progress_pct = rate(res, row, col++);
	f->contact_rate = rate(res, row, col++);
	f->acceptance_rate = rate(res, row, col++);
	f->contacted_n = atol(field(res, row, col++));
	f->contacted_responded = atol(field(res, row, col++));
	f->contacted_rate = rate(res, row, col++);
	f->control_n = atol(field(res, row, col++));
	f->control_responded = atol(field(res, row, col++));
	f->control_rate = rate(res, row, col++);
	f->lift = rate(res, row, col++);
	f->lift_low = rate(res, row, col++);
	f->lift_high = rate(res, row, col);
}

void db_campaign_boards_request(struct db_request *rq)
{
	db_request_init(rq, "select id, name, status, starts, coalesce(ends::text, ''), " FIGURES
			    " from campaign_boards()");
}

int db_campaign_boards_read(const struct pg_result *res, void *out, char *err, size_t errsz)
{
	struct campaign_boards *b = out;

	b->n = 0;
	for (int i = 0; i < PQntuples(res) && b->n < CAMPAIGN_BOARD_MAX; i++) {
		struct campaign_figures *f = &b->rows[b->n++];

		memset(f, 0, sizeof(*f));
		f->id = atoi(field(res, i, 0));
		COPY(f->name, res, i, 1);
		COPY(f->status, res, i, 2);
		COPY(f->starts, res, i, 3);
		COPY(f->ends, res, i, 4);
		read_figures(res, i, 5, f);
	}
	(void)err;
	(void)errsz;
	return 0;
}

void db_campaign_figures_request(struct db_request *rq, int campaign_id)
{
	db_request_init(rq, "select " FIGURES " from campaign_board($1::integer)");
	db_request_int(rq, campaign_id);
}

int db_campaign_figures_read(const struct pg_result *res, void *out, char *err, size_t errsz)
{
	struct campaign_detail *d = out;

	if (PQntuples(res) != 1) {
		snprintf(err, errsz, "no such campaign");
		return -1;
	}
	read_figures(res, 0, 0, &d->f);
	return 0;
}

void db_campaign_detail_request(struct db_request *rq, int campaign_id)
{
	db_request_init(rq, "select name, status, offer, target, starts, coalesce(ends::text, ''), script, "
			    "response_days, coalesce(response_product, ''), coalesce(response_reason, ''), not_called, "
			    "reached_only, not_reached_retry, not_reached_done, callbacks_due from campaign_detail($1::integer)");
	db_request_int(rq, campaign_id);
}

int db_campaign_detail_read(const struct pg_result *res, void *out, char *err, size_t errsz)
{
	struct campaign_detail *d = out;

	if (PQntuples(res) != 1) {
		snprintf(err, errsz, "no such campaign");
		return -1;
	}
	COPY(d->f.name, res, 0, 0);
	COPY(d->f.status, res, 0, 1);
	COPY(d->offer, res, 0, 2);
	COPY(d->target, res, 0, 3);
	COPY(d->f.starts, res, 0, 4);
	COPY(d->f.ends, res, 0, 5);
	COPY(d->script, res, 0, 6);
	d->response_days = atoi(field(res, 0, 7));
	COPY(d->response_product, res, 0, 8);
	COPY(d->response_reason, res, 0, 9);
	d->not_called = atol(field(res, 0, 10));
	d->reached_only = atol(field(res, 0, 11));
	d->not_reached_retry = atol(field(res, 0, 12));
	d->not_reached_done = atol(field(res, 0, 13));
	d->callbacks_due = atol(field(res, 0, 14));
	return 0;
}

void db_campaign_callbacks_request(struct db_request *rq, int campaign_id)
{
	db_request_init(rq, "select customer_id, customer_name, "
			    "to_char(callback_at at time zone campaign_tz(), 'MM-DD HH24:MI'), coalesce(owner_login, ''), due "
			    "from campaign_callbacks($1::integer, 20)");
	db_request_int(rq, campaign_id);
}

int db_campaign_callbacks_read(const struct pg_result *res, void *out, char *err, size_t errsz)
{
	struct campaign_detail *d = out;

	d->ncallbacks = 0;
	for (int i = 0; i < PQntuples(res) && d->ncallbacks < CAMPAIGN_CALLBACKS_MAX; i++) {
		struct campaign_callback_row *c = &d->callbacks[d->ncallbacks++];

		c->customer_id = atoll(field(res, i, 0));
		COPY(c->customer, res, i, 1);
		COPY(c->at, res, i, 2);
		COPY(c->login, res, i, 3);
		c->due = strcmp(field(res, i, 4), "t") == 0;
	}
	(void)err;
	(void)errsz;
	return 0;
}

void campaign_pct_text(double rate, char *out, size_t size)
{
	if (isnan(rate))
		snprintf(out, size, "-");
	else
		snprintf(out, size, "%.1f%%", 100.0 * rate);
}

void campaign_lift_text(const struct campaign_figures *f, char *out, size_t size)
{
	if (f->control_n == 0)
		snprintf(out, size, "no control group");
	else if (f->contacted_n == 0)
		snprintf(out, size, "nobody reached yet");
	else if (isnan(f->lift) || isnan(f->lift_low) || isnan(f->lift_high))
		snprintf(out, size, "-");
	else
		snprintf(out, size, "%+.1f pts, 95%% CI %+.1f to %+.1f", 100.0 * f->lift, 100.0 * f->lift_low,
			 100.0 * f->lift_high);
}
