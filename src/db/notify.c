/* notify.c - LISTEN/NOTIFY for offered calls, behind one small interface. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ccterm/agent_event.h"
#include "ccterm/notify.h"

static int listen_on(struct db *db, const char *channel)
{
	char *ident = PQescapeIdentifier(db_pg(db), channel, strlen(channel)), sql[160];

	if (!ident) {
		db_set_error(db, "cannot quote channel %s", channel);
		return -1;
	}
	snprintf(sql, sizeof(sql), "listen %s", ident);
	PQfreemem(ident);
	return db_exec(db, sql, 0, NULL);
}

int notify_listen(struct db *db, const char *login)
{
	char channel[96];
	PGresult *res;
	int rc;

	snprintf(channel, sizeof(channel), "agent_%s", login);
	if (listen_on(db, channel) < 0)
		return -1;
	res = db_query(db, "select queue_channels_mine()", 0, NULL);
	if (!res)
		return -1;
	rc = 0;
	for (int i = 0; i < PQntuples(res) && rc == 0; i++)
		rc = listen_on(db, PQgetvalue(res, i, 0));
	PQclear(res);
	return rc;
}

int notify_listen_floor(struct db *db)
{
	return listen_on(db, "floor");
}

int notify_fd(struct db *db)
{
	return db_ok(db) ? PQsocket(db_pg(db)) : -1;
}

int notify_drain(struct db *db, long long *call_ids, size_t max, bool *changed)
{
	PGnotify *n;
	size_t got = 0;

	*changed = false;
	if (!db_ok(db) || !PQconsumeInput(db_pg(db)) || !db_ok(db))
		return -1;
	while ((n = PQnotifies(db_pg(db)))) {
		struct agent_event ev;

		/* "call <id> offered" on agent_<login> is an offer; anything else
		 * (queue_N, floor, the agent's other call and state events) only
		 * says that something moved. */
		if (strncmp(n->relname, "agent_", 6) != 0 || agent_event_parse(n->extra, &ev) < 0 ||
		    ev.kind != AGENT_EVENT_CALL || strcmp(ev.call_state, "offered") != 0)
			*changed = true;
		else if (got < max)
			call_ids[got++] = ev.call_id;
		PQfreemem(n);
	}
	return (int)got;
}
