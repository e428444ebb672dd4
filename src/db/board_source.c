/* board_source.c - where the boards read from, and how stale (board_source.h). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db_priv.h"
#include "ccterm/board_source.h"

void db_board_source_request(struct db_request *rq)
{
	db_request_init(rq, "select standby, coalesce(lag_secs, -1), streaming from board_source()");
}

int db_board_source_read(const struct pg_result *res, void *out, char *err, size_t errsz)
{
	struct board_source *s = out;

	if (PQntuples(res) != 1) {
		snprintf(err, errsz, "board_source() returned %d rows", PQntuples(res));
		return -1;
	}
	s->known = true;
	s->standby = strcmp(PQgetvalue(res, 0, 0), "t") == 0;
	s->lag_secs = atof(PQgetvalue(res, 0, 1));
	s->streaming = strcmp(PQgetvalue(res, 0, 2), "t") == 0;
	return 0;
}

int db_board_source(struct db *db, struct board_source *out)
{
	struct db_request rq;

	db_board_source_request(&rq);
	return db_run(db, &rq, db_board_source_read, out);
}

static void age(double secs, char *out, size_t size)
{
	if (secs < 90)
		snprintf(out, size, "%.0f s", secs);
	else if (secs < 90 * 60)
		snprintf(out, size, "%.0f min", secs / 60);
	else
		snprintf(out, size, "%.0f h", secs / 3600);
}

void board_source_label(const struct board_source *s, char *out, size_t size)
{
	char a[32];

	if (!s->known) {
		snprintf(out, size, "live");
		return;
	}
	if (!s->standby) {
		snprintf(out, size, "primary");
		return;
	}
	if (s->lag_secs < 0) {
		snprintf(out, size, "standby, nothing replayed yet");
		return;
	}
	age(s->lag_secs, a, sizeof(a));
	if (!s->streaming)
		snprintf(out, size, "standby, cut off from the primary, %s behind", a);
	else if (s->lag_secs < 1)
		snprintf(out, size, "standby, current");
	else
		snprintf(out, size, "standby, %s behind", a);
}
