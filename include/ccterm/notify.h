/* notify.h - how a call offered to this agent reaches the console: today one
 * LISTEN per console on channel agent_<login>. The rest of the console only
 * sees these calls, so a per-host relay (one LISTEN, fan-out over a UNIX
 * socket) can replace direct LISTEN without touching it. Notifications are
 * a hint (payloads: ccterm/agent_event.h): the call table is the truth,
 * re-read after every (re)connect. */
#ifndef CCTERM_NOTIFY_H
#define CCTERM_NOTIFY_H

#include <stdbool.h>
#include <stddef.h>
#include "ccterm/db.h"

/* LISTEN on this agent's channel and its queues' channels; call after
 * every (re)connect, before re-reading the offered calls and the queue
 * counts, so nothing falls between the two. */
int notify_listen(struct db *db, const char *login);
/* Also LISTEN for every change on the floor (supervisors' boards). */
int notify_listen_floor(struct db *db);

/* The socket to poll() for notifications, -1 while disconnected. */
int notify_fd(struct db *db);

/* Reads what arrived and collects the call ids offered to this agent (up
 * to max); *changed tells whether anything else moved: a queue this agent
 * serves, the agent's own state, or (for a supervisor) the floor.
 * Returns how many calls, or -1 when the connection is lost. Never blocks. */
int notify_drain(struct db *db, long long *call_ids, size_t max, bool *changed);

#endif
