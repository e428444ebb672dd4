/* gateway.h - the console's only way to the database. Requests built by db/
 * (struct db_request) go out with libpq's asynchronous API in pipeline mode;
 * their results are taken in the console's one poll() loop and handed to
 * db/'s readers, then to the asker's callback. Nothing here ever waits on the
 * server: a server that stops answering is noticed (gateway_stalled) and the
 * loop goes on; a lost connection fails what was in flight and reconnects in
 * the background (PQconnectStart / PQconnectPoll), with connect and
 * statement timeouts and TCP keepalives set. */
#ifndef CCTERM_GATEWAY_H
#define CCTERM_GATEWAY_H

#include <poll.h>
#include <stdbool.h>
#include <stddef.h>

#include "ccterm/db.h"
#include "ccterm/notice.h"

struct gateway;

/* A request's end: rc 0 when it ran and its reader took the rows, -1 when it
 * failed (error: one line; sqlstate "" when the connection was lost before
 * the reply, which also sets lost). */
struct gw_reply {
	int rc;
	bool lost;
	const char *error;
	const char *sqlstate;
};
typedef void gw_done_fn(void *arg, const struct gw_reply *reply);

struct gw_hooks {
	void *arg;
	/* Connected (first time and after every reconnect). */
	void (*connected)(void *arg);
	/* The connection was lost; reconnecting. */
	void (*lost)(void *arg, const char *why);
	/* A notification arrived. */
	void (*notice)(void *arg, const struct notice *n);
};

/* Replies later than this make the gateway "not responding". */
#define GW_STALL_MS 1000
/* A reply this late gives the connection up (and reconnects). */
#define GW_GIVE_UP_MS 30000
/* With nothing in flight for this long a heartbeat goes out, so a server
 * that stopped answering is noticed even while nobody asks anything. */
#define GW_HEARTBEAT_MS 2000

/* Connects (waiting at most the connect timeout: the console cannot start
 * without its agent row). NULL with a message in err. */
struct gateway *gateway_open(const char *conninfo, char *err, size_t errsz);
void gateway_close(struct gateway *gw);
void gateway_set_hooks(struct gateway *gw, const struct gw_hooks *hooks);

/* Queues a request; read (may be NULL) fills out from the rows, then done
 * (may be NULL) runs, exactly once (it may already have run, as lost, when
 * the connection broke while sending). The request's text is copied. 0, or
 * -1 when it was not taken (down, or the queue full): done is not called. */
int gateway_send(struct gateway *gw, const struct db_request *rq, db_read_fn *read, void *out, gw_done_fn *done,
		 void *arg);

/* Requests sent from now on wait until the loop is about to sleep (its next
 * gateway_pollfd) and then go out together, in order: what a frame leads to
 * (the answer after a pop) is asked once the frame is drawn, so the server's
 * work on it does not compete with the drawing. */
void gateway_hold(struct gateway *gw);

/* The loop: fill pfd before poll() (fd -1 when nothing to wait on) and get
 * the longest sleep in ms (-1 forever); after poll() call gateway_work with
 * the revents (0 on a timeout). */
void gateway_pollfd(struct gateway *gw, struct pollfd *pfd);
int gateway_timeout(struct gateway *gw);
void gateway_work(struct gateway *gw, short revents);

/* Runs the loop on the database alone until nothing is in flight or ms have
 * passed; for before the screen starts and after it ends. true when idle. */
bool gateway_drain(struct gateway *gw, int ms);

/* The agent is active: with nothing in flight for GW_HEARTBEAT_MS, a
 * "select 1" goes out, so a server that stopped answering shows while the
 * agent works (an idle console sends nothing). */
void gateway_heartbeat(struct gateway *gw);

bool gateway_up(const struct gateway *gw);
/* Up, but a reply is overdue: "the database is not responding". */
bool gateway_stalled(const struct gateway *gw);
/* Requests in flight or waiting to go out. */
size_t gateway_pending(const struct gateway *gw);
/* The database's name ("" while down). */
const char *gateway_dbname(const struct gateway *gw);
/* Why it is down (last error), one line. */
const char *gateway_error(const struct gateway *gw);

#endif
