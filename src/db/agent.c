/* agent.c - the agent at this console. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "ccterm/agent.h"

int db_agent_self(struct db *db, struct agent_info *a)
{
	PGresult *res = db_query(db, "select login, name, coalesce(branch_code, ''), coalesce(branch_name, ''), "
				     "role, state, extract(epoch from state_since)::bigint from agent_me", 0, NULL);

	if (!res)
		return -1;
	if (PQntuples(res) == 0) {
		PQclear(res);
		db_set_error(db, "role %s is not a ccterm agent (ccterm-admin agent add %s --name NAME)",
			     db_user(db), db_user(db));
		return 1;
	}
	snprintf(a->login, sizeof(a->login), "%s", PQgetvalue(res, 0, 0));
	snprintf(a->name, sizeof(a->name), "%s", PQgetvalue(res, 0, 1));
	snprintf(a->branch, sizeof(a->branch), "%s", PQgetvalue(res, 0, 2));
	snprintf(a->branch_name, sizeof(a->branch_name), "%s", PQgetvalue(res, 0, 3));
	snprintf(a->role, sizeof(a->role), "%s", PQgetvalue(res, 0, 4));
	snprintf(a->state, sizeof(a->state), "%s", PQgetvalue(res, 0, 5));
	a->state_since = (time_t)atoll(PQgetvalue(res, 0, 6));
	PQclear(res);
	return 0;
}

int db_agent_set_state(struct db *db, const char *state, const char *reason, time_t *since)
{
	const char *p[2] = { state, reason };
	PGresult *res = db_query(db, "select extract(epoch from agent_set_state($1, $2))::bigint", 2, p);

	if (!res)
		return -1;
	*since = (time_t)atoll(PQgetvalue(res, 0, 0));
	PQclear(res);
	return 0;
}

long db_queue_waiting(struct db *db)
{
	PGresult *res = db_query(db, "select queue_waiting_mine()", 0, NULL);
	long n;

	if (!res)
		return -1;
	n = atol(PQgetvalue(res, 0, 0));
	PQclear(res);
	return n;
}
