/* relay_proto.h - the line protocol between ccterm-relayd and the consoles
 * on its UNIX stream socket (README "The relay"). One message a line, with
 * its newline at most RELAY_IN_MAX bytes from a console, RELAY_LINE_MAX from
 * the relay:
 *   console -> relay   "hello LOGIN"    I am LOGIN: subscribe me to my channels
 *                      "sub CHANNEL"    one more channel (checked the same way)
 *                      "ping"
 *   relay -> console   "ready LOGIN DB" subscribed: every channel is LISTENed
 *                                       (DB: the database the relay is on)
 *                      "ok CHANNEL"     a sub is active
 *                      "refused WHAT"   not yours (logged by the relay)
 *                      "n CHANNEL PAYLOAD"   a notification (payload escaped)
 *                      "resync"         the relay's database connection came
 *                                       back: notifications may have been
 *                                       lost, re-read the state
 *                      "pong", "err TEXT"
 * A payload's backslash, newline and carriage return travel as \\, \n, \r.
 * Pure C. */
#ifndef CCTERM_RELAY_PROTO_H
#define CCTERM_RELAY_PROTO_H

#include <stdbool.h>
#include <stddef.h>

#define RELAY_IN_MAX 256            /* a console's line: a longer one drops it */
#define RELAY_LINE_MAX 16200        /* "n CHANNEL PAYLOAD": a payload < 8000 bytes, escaped at most 2x */
#define RELAY_CHANNEL_MAX 63        /* PostgreSQL's NAMEDATALEN - 1 */

/* A channel or login the relay accepts: 1..63 of [a-z0-9_.] (logins as
 * ccterm-admin makes them, and the channels named after them). */
bool relay_name_ok(const char *s);

/* Escapes src into dst (size >= 2 * strlen(src) + 1 always fits); returns
 * the length written, or -1 when it does not fit (dst then ""). */
int relay_escape(const char *src, char *dst, size_t size);
/* Undoes relay_escape in place; an unknown escape is kept as written. */
void relay_unescape(char *s);

/* Splits one line (its '\n' already cut) into a verb and the rest: verb
 * points into line, *rest to what follows the first space ("" when none). */
const char *relay_split(char *line, char **rest);

#endif
