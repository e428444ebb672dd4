/* pbx.h - a PBX's events into the call's state (sql/repeatable/47_pbx.sql),
 * by the PBX's call id; and agents' extensions. */
#ifndef CCTERM_PBX_H
#define CCTERM_PBX_H

#include "ccterm/db.h"
#include "ccterm/pbx_event.h"

/* Applies one event in its own transaction. 1 with *call set to ccterm's
 * call id; 0 when it moved nothing (a hangup of a call ccterm never had);
 * -1 with db_error() (an unknown agent, a busy agent: SQLSTATE CC001, the
 * connection lost: db_ok() false). */
int db_pbx_apply(struct db *db, const struct pbx_event *e, long long *call);

/* After the link to the PBX was down: ends every open PBX call whose id is
 * not among the n alive ones (pbx_resync, 47_pbx.sql). How many it ended,
 * or -1 with db_error(). */
int db_pbx_resync(struct db *db, const char *const *alive, size_t n);

/* Sets (ext NULL: clears) the extension the PBX rings this agent at.
 * -1 with db_error() when there is no such agent or another has it. */
int db_agent_extension(struct db *db, const char *login, const char *ext);

#endif
