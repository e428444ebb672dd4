/* pause.c - pause reasons and the agents' figures of the day: the SQL is in 48_pause.sql. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "db_priv.h"
#include "ccterm/pause.h"

static void copy(char *dst, size_t n, PGresult *res, int row, int col)
{
	snprintf(dst, n, "%s", PQgetvalue(res, row, col));
}

int db_pause_reasons(struct db *db, struct pause_reason *out, int max)
{
	PGresult *res = db_query(db, "select code, label, state from pause_reasons()", 0, NULL);
	int n;

	if (!res)
		return -1;
	n = PQntuples(res) < max ? PQntuples(res) : max;
	for (int i = 0; i < n; i++) {
		copy(out[i].code, sizeof(out[i].code), res, i, 0);
		copy(out[i].label, sizeof(out[i].label), res, i, 1);
		copy(out[i].state, sizeof(out[i].state), res, i, 2);
	}
	PQclear(res);
	return n;
}

int db_agent_pause(struct db *db, const char *code)
{
	const char *p[1] = { code };

	return db_exec(db, "select agent_pause($1)", 1, p);
}

int db_agent_pause_for(struct db *db, const char *login, const char *code)
{
	const char *p[2] = { login, code };

	return db_exec(db, "select agent_pause_for($1, $2)", 2, p);
}

int db_agent_floor_today(struct db *db, struct agent_today *out, int max)
{
	PGresult *res = db_query(db,
				 "select login, name, state, reason, state_secs, handled, missed, aht_secs, "
				 "occupancy_pct, paused_secs from agent_floor_today()", 0, NULL);
	int n;

	if (!res)
		return -1;
	n = PQntuples(res) < max ? PQntuples(res) : max;
	for (int i = 0; i < n; i++) {
		struct agent_today *a = &out[i];

		copy(a->login, sizeof(a->login), res, i, 0);
		copy(a->name, sizeof(a->name), res, i, 1);
		copy(a->state, sizeof(a->state), res, i, 2);
		copy(a->reason, sizeof(a->reason), res, i, 3);
		a->state_secs = atoi(PQgetvalue(res, i, 4));
		a->handled = atol(PQgetvalue(res, i, 5));
		a->missed = atol(PQgetvalue(res, i, 6));
		a->aht_secs = PQgetisnull(res, i, 7) ? -1 : atof(PQgetvalue(res, i, 7));
		a->occupancy_pct = PQgetisnull(res, i, 8) ? -1 : atof(PQgetvalue(res, i, 8));
		a->paused_secs = atoi(PQgetvalue(res, i, 9));
	}
	PQclear(res);
	return n;
}
