/* notify.c - LISTEN/NOTIFY for offered calls, behind one small interface. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ccterm/notify.h"

int notify_listen(struct db *db, const char *login)
{
	char channel[96], *ident, sql[160];
	int rc;

	snprintf(channel, sizeof(channel), "agent_%s", login);
	ident = PQescapeIdentifier(db_pg(db), channel, strlen(channel));
	if (!ident) {
		db_set_error(db, "cannot quote channel %s", channel);
		return -1;
	}
	snprintf(sql, sizeof(sql), "listen %s", ident);
	PQfreemem(ident);
	rc = db_exec(db, sql, 0, NULL);
	return rc;
}

int notify_fd(struct db *db)
{
	return db_ok(db) ? PQsocket(db_pg(db)) : -1;
}

int notify_drain(struct db *db, long long *call_ids, size_t max)
{
	PGnotify *n;
	size_t got = 0;

	if (!db_ok(db) || !PQconsumeInput(db_pg(db)) || !db_ok(db))
		return -1;
	while ((n = PQnotifies(db_pg(db)))) {
		long long id = atoll(n->extra);

		if (id > 0 && got < max)
			call_ids[got++] = id;
		PQfreemem(n);
	}
	return (int)got;
}
