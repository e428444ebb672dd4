/* boards.c - a queue's drill-down and the cases to watch (boards.h). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db_priv.h"
#include "ccterm/boards.h"

void db_queue_drill_request(struct db_request *rq, int queue_id)
{
	db_request_init(rq, "select kind, id, name, state, reason, secs from queue_drill($1::integer)");
	db_request_int(rq, queue_id);
}

int db_queue_drill_read(const struct pg_result *res, void *out, char *err, size_t errsz)
{
	struct queue_drill *qd = out;
	int n = PQntuples(res);

	if ((size_t)n > qd->max)
		n = (int)qd->max;
	qd->calls = 0;
	for (int r = 0; r < n; r++) {
		struct drill_row *d = &qd->rows[r];

		memset(d, 0, sizeof(*d));
		d->is_call = strcmp(db_field(res, r, 0), "call") == 0;
		qd->calls += d->is_call;
		DB_COPY(d->id, res, r, 1);
		DB_COPY(d->name, res, r, 2);
		DB_COPY(d->state, res, r, 3);
		DB_COPY(d->reason, res, r, 4);
		d->secs = atol(db_field(res, r, 5));
	}
	qd->n = n;
	(void)err;
	(void)errsz;
	return 0;
}

int db_queue_drill(struct db *db, int queue_id, struct queue_drill *out)
{
	struct db_request rq;

	db_queue_drill_request(&rq, queue_id);
	return db_run(db, &rq, db_queue_drill_read, out) < 0 ? -1 : out->n;
}

void db_floor_cases_request(struct db_request *rq, size_t max)
{
	db_request_init(rq, "select id, case_no, status, sla_state, owner_login, owner_name, customer_masked, "
			    "subject, minutes_left from floor_cases($1::integer)");
	db_request_int(rq, (long long)max);
}

int db_floor_cases_read(const struct pg_result *res, void *out, char *err, size_t errsz)
{
	struct floor_cases *fc = out;
	int n = PQntuples(res);

	if ((size_t)n > fc->max)
		n = (int)fc->max;
	for (int r = 0; r < n; r++) {
		struct floor_case *c = &fc->rows[r];

		memset(c, 0, sizeof(*c));
		c->id = atoll(db_field(res, r, 0));
		DB_COPY(c->case_no, res, r, 1);
		DB_COPY(c->status, res, r, 2);
		DB_COPY(c->sla_state, res, r, 3);
		DB_COPY(c->owner, res, r, 4);
		DB_COPY(c->owner_name, res, r, 5);
		DB_COPY(c->customer, res, r, 6);
		DB_COPY(c->subject, res, r, 7);
		c->has_due = !PQgetisnull(res, r, 8);
		c->minutes_left = atol(db_field(res, r, 8));
	}
	fc->n = n;
	(void)err;
	(void)errsz;
	return 0;
}

int db_floor_cases(struct db *db, struct floor_cases *out)
{
	struct db_request rq;

	db_floor_cases_request(&rq, out->max);
	return db_run(db, &rq, db_floor_cases_read, out) < 0 ? -1 : out->n;
}
