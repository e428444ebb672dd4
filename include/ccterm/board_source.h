/* board_source.h - where the supervisors' boards read from: the primary, or
 * a streaming standby (ccterm -b CONNINFO, e.g. "host=standby,primary
 * target_session_attrs=prefer-standby": libpq takes the standby while it is
 * up and the primary otherwise), and how stale a standby's figures may be
 * (board_source(), sql/repeatable/57_scale.sql). */
#ifndef CCTERM_BOARD_SOURCE_H
#define CCTERM_BOARD_SOURCE_H

#include <stdbool.h>
#include <stddef.h>

#include "ccterm/db.h"

struct board_source {
	bool known;        /* read at least once */
	bool standby;
	bool streaming;    /* the standby receives WAL from its primary */
	double lag_secs;   /* 0: current; < 0: unknown (nothing replayed yet) */
};

void db_board_source_request(struct db_request *rq);
db_read_fn db_board_source_read;   /* out: struct board_source */
int db_board_source(struct db *db, struct board_source *out);

/* "primary", "standby, current", "standby, 12 s behind", "standby, cut off
 * from the primary, 2 min behind": the line the boards show. */
void board_source_label(const struct board_source *s, char *out, size_t size);

#endif
