/* notify.h - LISTEN/NOTIFY, the one place in db/ that listens and drains:
 * the console's channel agent_<login> and its queues' channels, the floor,
 * and the simulator's many agent channels all go through these. What a
 * payload means is read by notice_parse() (ccterm/notice.h, with the agent
 * channel's payloads in ccterm/agent_event.h). Notifications
 * are a hint: the call table is the truth, re-read after every (re)connect. */
#ifndef CCTERM_NOTIFY_H
#define CCTERM_NOTIFY_H

#include <stdbool.h>
#include <stddef.h>
#include "ccterm/db.h"
#include "ccterm/notice.h"

/* LISTEN on one channel (quoted here). 0 or -1. */
int notify_listen_channel(struct db *db, const char *channel);
/* LISTEN on this agent's channel and its queues' channels; call after
 * every (re)connect, before re-reading the offered calls and the queue
 * counts, so nothing falls between the two. */
int notify_listen(struct db *db, const char *login);
/* Also LISTEN for every change on the floor (supervisors' boards). */
int notify_listen_floor(struct db *db);
/* The same as one request (for the gateway): LISTEN on agent_<current_user>,
 * the queues' channels and, when floor, the floor and the campaigns. */
void notify_listen_request(struct db_request *rq, bool floor);

/* The socket to poll() for notifications, -1 while disconnected. */
int notify_fd(struct db *db);

/* Reads what arrived, without blocking, into out (up to max; the rest stay
 * for the next call). Returns how many, or -1 when the connection is lost. */
int notify_drain(struct db *db, struct notice *out, size_t max);

#endif
