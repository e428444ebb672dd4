/* session.h - what a session sets up once connected: the center's time zone
 * (sql/repeatable/24_session.sql), for the server's timestamp text and for
 * the times the client formats itself. */
#ifndef CCTERM_SESSION_H
#define CCTERM_SESSION_H

#include <stddef.h>

#include "ccterm/db.h"

#define SESSION_TZ_MAX 64

/* Sets the session's TimeZone to the center's; out: the zone's name
 * (char[SESSION_TZ_MAX]). Sent after every (re)connect. */
void db_session_timezone_request(struct db_request *rq);
db_read_fn db_session_timezone_read;

/* The process draws local times (localtime_r, strftime) in zone from now
 * on: TZ set and tzset(). 0, or -1 for a name that cannot be a zone. */
int session_timezone_apply(const char *zone);

/* db_session_timezone_request, run now and applied (for the blocking
 * connection of the command-line programs). */
int db_session_use_center_timezone(struct db *db);

#endif
