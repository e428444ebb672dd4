/* my_calls.c - the agent's own calls and state, read from the database. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ccterm/my_calls.h"

static const char *field(const PGresult *res, int row, int col)
{
	return PQgetisnull(res, row, col) ? "" : PQgetvalue(res, row, col);
}

#define COPY(dst, res, row, col) snprintf((dst), sizeof(dst), "%s", field((res), (row), (col)))

static long long number(const PGresult *res, int row, int col, long long fallback)
{
	return PQgetisnull(res, row, col) ? fallback : atoll(PQgetvalue(res, row, col));
}

int db_my_calls(struct db *db, struct my_call *out, size_t max)
{
	PGresult *res = db_query(db,
		"select id, state, ani, customer_id, customer, queue, "
		"extract(epoch from offered_at)::bigint, extract(epoch from answered_at)::bigint, "
		"seconds_in_state, ring_seconds_left from my_calls()", 0, NULL);
	int n;

	if (!res)
		return -1;
	n = PQntuples(res);
	if ((size_t)n > max)
		n = (int)max;
	for (int i = 0; i < n; i++) {
		struct my_call *c = &out[i];

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
	PQclear(res);
	return n;
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
