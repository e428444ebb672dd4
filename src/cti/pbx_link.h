/* pbx_link.h - what the PBX adapters (ami, esl, events) share: a TCP
 * connection to the PBX that is made again with backoff whenever it drops,
 * and putting each event into the database (db_pbx_apply), waiting out a
 * database restart (cti_reconnect) and logging, never stopping, on an event
 * the database refuses. */
#ifndef CCTERM_CTI_PBX_LINK_H
#define CCTERM_CTI_PBX_LINK_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>

#include "ccterm/db.h"
#include "ccterm/pbx_event.h"

struct pbx_link {
	const char *who;         /* "ccterm-cti ami": prefixes every message */
	const char *hostport;    /* HOST:PORT, [V6]:PORT */
	bool quiet;              /* no line per event on stdout */
	struct db *db;
	volatile sig_atomic_t *stop;
	/* the protocol: a new connection (reset the parser, nothing sent yet),
	 * bytes that came. Either may call pbx_link_send, or set drop. */
	void (*start)(struct pbx_link *l);
	void (*feed)(struct pbx_link *l, const char *buf, size_t n);
	void *proto;
	int fd;
	bool drop;               /* close this connection (and connect again) */
	bool up;                 /* logged in: the backoff starts afresh after it */
};

/* Connects, runs the protocol, connects again with backoff (0.1 s doubling
 * to 5 s) until *stop. 0 when stopped. */
int pbx_link_run(struct pbx_link *l);
/* Sends all of buf; on failure the connection is dropped. */
void pbx_link_send(struct pbx_link *l, const char *buf, size_t n);
/* Puts one event into the database (see above). */
void pbx_deliver(struct pbx_link *l, const struct pbx_event *e);
/* The first line of a file (a secret), or of the environment variable env
 * when file is NULL. 0, or -1 with a message on stderr. */
int pbx_secret(const char *who, const char *file, const char *env, char *out, size_t outsz);

#endif
