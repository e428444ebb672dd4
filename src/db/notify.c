/* notify.c - LISTEN and the drain of notifications, behind one small interface. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db_priv.h"
#include "ccterm/notify.h"

int notify_listen_channel(struct db *db, const char *channel)
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
	if (notify_listen_channel(db, channel) < 0)
		return -1;
	res = db_query(db, "select queue_channels_mine()", 0, NULL);
	if (!res)
		return -1;
	rc = 0;
	for (int i = 0; i < PQntuples(res) && rc == 0; i++)
		rc = notify_listen_channel(db, PQgetvalue(res, i, 0));
	PQclear(res);
	return rc;
}

int notify_listen_floor(struct db *db)
{
	return notify_listen_channel(db, "floor");
}

void notify_listen_request(struct db_request *rq, bool floor)
{
	/* One statement, so a reconnect costs one round trip before the re-read. */
	db_request_init(rq, floor ?
		"do $$ declare ch text; begin "
		"execute format('listen %I', 'agent_' || current_user); "
		"for ch in select queue_channels_mine() loop execute format('listen %I', ch); end loop; "
		"listen lists; listen floor; end $$" :
		"do $$ declare ch text; begin "
		"execute format('listen %I', 'agent_' || current_user); "
		"for ch in select queue_channels_mine() loop execute format('listen %I', ch); end loop; "
		"listen lists; end $$");
}

int notify_fd(struct db *db)
{
	return db_ok(db) ? PQsocket(db_pg(db)) : -1;
}

int notify_drain(struct db *db, struct notice *out, size_t max)
{
	PGnotify *n;
	size_t got = 0;

	if (!db_ok(db) || !PQconsumeInput(db_pg(db)) || !db_ok(db)) {
		db_set_error(db, "%s", PQerrorMessage(db_pg(db)));
		return -1;
	}
	while (got < max && (n = PQnotifies(db_pg(db)))) {
		notice_parse(n->relname, n->extra, &out[got++]);
		PQfreemem(n);
	}
	return (int)got;
}
