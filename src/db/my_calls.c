/* my_calls.c - the agent's own calls and state, read from the database. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db_priv.h"
#include "ccterm/my_calls.h"

#define COPY DB_COPY

static long long number(const PGresult *res, int row, int col, long long fallback)
{
	return PQgetisnull(res, row, col) ? fallback : atoll(PQgetvalue(res, row, col));
}

void db_my_calls_request(struct db_request *rq)
{
	db_request_init(rq, "select id, state, ani, customer_id, customer, queue, "
			    "extract(epoch from offered_at)::bigint, extract(epoch from answered_at)::bigint, "
			    "seconds_in_state, ring_seconds_left from my_calls()");
}

int db_my_calls_read(const struct pg_result *res, void *out, char *err, size_t errsz)
{
	struct my_calls *m = out;
	int n = PQntuples(res);

	m->n = 0;
	for (int i = 0; i < n && m->n < MY_CALLS_MAX; i++) {
		struct my_call *c = &m->calls[m->n++];

		memset(c, 0, sizeof(*c));
		c->id = number(res, i, 0, 0);
		COPY(c->state, res, i, 1);
		COPY(c->ani, res, i, 2);
		c->customer_id = number(res, i, 3, 0);
		COPY(c->customer, res, i, 4);
		COPY(c->queue, res, i, 5);
		c->offered_at = (time_t)number(res, i, 6, 0);
		c->answered_at = (time_t)number(res, i, 7, 0);
		c->seconds_in_state = (long)number(res, i, 8, 0);
		c->ring_seconds_left = (long)number(res, i, 9, -1);
	}
	(void)err;
	(void)errsz;
	return 0;
}

int db_my_calls(struct db *db, struct my_call *out, size_t max)
{
	struct db_request rq;
	struct my_calls *m = malloc(sizeof(*m));
	int rc;

	if (!m) {
		db_set_error(db, "out of memory");
		return -1;
	}
	db_my_calls_request(&rq);
	rc = db_run(db, &rq, db_my_calls_read, m);
	if (rc == 0) {
		rc = (int)(m->n < max ? m->n : max);
		memcpy(out, m->calls, (size_t)rc * sizeof(out[0]));
	}
	free(m);
	return rc;
}

int db_my_state(struct db *db, struct my_state *out)
{
	PGresult *res = db_query(db,
		"select state, reason, extract(epoch from state_since)::bigint, seconds_in_state from my_state()",
		0, NULL);
	int found;

	if (!res)
		return -1;
	memset(out, 0, sizeof(*out));
	found = PQntuples(res) == 1;
	if (found) {
		COPY(out->state, res, 0, 0);
		COPY(out->reason, res, 0, 1);
		out->since = (time_t)number(res, 0, 2, 0);
		out->seconds_in_state = (long)number(res, 0, 3, 0);
	}
	PQclear(res);
	return found;
}
