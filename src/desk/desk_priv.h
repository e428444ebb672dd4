/* desk_priv.h - what the desk's files (desk.c: the agent and their calls;
 * desk_call.c: the call and customer on screen; desk_draft.c: the contact
 * being logged) share, and nobody else sees. */
#ifndef CCTERM_DESK_PRIV_H
#define CCTERM_DESK_PRIV_H

#include <stdbool.h>

#include "gateway/gateway.h"
#include "desk.h"

/* One request on its way: the desk, what it was about, its reply buffer. */
struct ask {
	struct desk *d;
	long long id;
	unsigned gen;
	bool flag;
	char key[40];
	void *buf;
};

/* A new ask with a zeroed reply buffer of bufsize (0: none); NULL (said)
 * when out of memory. */
struct ask *desk_ask_new(struct desk *d, size_t bufsize);
void desk_ask_free(struct ask *a);
/* Sends; on failure (down, queue full) frees a and says so. 0 or -1. */
int desk_ask_send(struct desk *d, const struct db_request *rq, db_read_fn *read, void *out, gw_done_fn *done,
		  struct ask *a);
/* A failed reply on the message line. */
void desk_reply_error(struct desk *d, const struct gw_reply *r);
/* The message line gets news. */
void desk_say(struct desk *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
long long desk_mono_ms(void);

/* Re-reads (one at a time, once more when asked meanwhile). */
void desk_read_agent(struct desk *d);
void desk_read_calls(struct desk *d);
/* The held call is over: its timer stops where it is. */
void desk_call_ended(struct desk *d);
void desk_pending_drop(struct desk *d, long long id);
/* Pops a call (resume: a restored draft's, not answered, no new draft;
 * confirmed: the database said it was offered to this agent, not only a
 * notification). */
void desk_pop_call(struct desk *d, long long id, bool resume, bool confirmed);
/* An offer's pop sealed into its notification, for this console: drawn
 * from it, with no round trip. false when it is not for this console or
 * does not open (the pop is then read with desk_pop_call). */
bool desk_pop_sealed(struct desk *d, const struct notice *n);
/* A restored draft's call and customer back on screen. */
void desk_resume(struct desk *d);
void desk_timeline_reset(struct desk *d);
/* desk_identity.c: the possible duplicates of the customer on screen (read
 * after every pop); the link question for an unknown caller's customer. */
void desk_read_duplicates(struct desk *d);
void desk_ask_link(struct desk *d, long long customer_id, bool unknown_caller);
/* desk_session.c: this console's console_session row, beaten at every
 * connect and every CONSOLE_BEAT_MS (tick). */
void desk_session_beat(struct desk *d);
void desk_session_tick(struct desk *d);

#endif
