/* db_progress.h - a progress line fed by the server (src/db/progress_notice.c):
 * notices "ccterm-progress DONE TOTAL UNIT PHASE" go to it (other notices to stderr
 * above it), its clock keeps moving while a statement runs, and the session
 * says ccterm.progress = on, so SQL knows someone is watching. */
#ifndef CCTERM_DB_PROGRESS_H
#define CCTERM_DB_PROGRESS_H

#include "ccterm/db.h"

struct progress;

/* p NULL: nothing. 0 or -1 (db_error). */
int db_progress_follow(struct db *db, struct progress *p);
void db_progress_unfollow(struct db *db);

#endif
