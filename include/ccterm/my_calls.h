/* my_calls.h - the connected agent's open calls and own state, as the
 * database has them (my_calls(), my_state() in sql/repeatable/40_calls.sql,
 * 45_agents.sql). Durations are computed by the server from its own
 * timestamps and never negative, so a client's clock does not matter:
 * show seconds_in_state plus the time elapsed since the read. */
#ifndef CCTERM_MY_CALLS_H
#define CCTERM_MY_CALLS_H

#include <stddef.h>
#include <time.h>
#include "ccterm/db.h"

struct my_call {
	long long id;
	char state[16];           /* offered or answered */
	char ani[40];             /* as received */
	long long customer_id;    /* 0 when the number matched no one customer */
	char customer[128];       /* "" then */
	char queue[40];           /* "" for a call without a queue */
	time_t offered_at;        /* 0 when never offered */
	time_t answered_at;       /* 0 before the answer */
	long seconds_in_state;    /* since offered_at, or answered_at once answered; >= 0 */
	long ring_seconds_left;   /* until the ring timeout takes it back; -1 when none */
};

/* This agent's offered and answered calls, oldest first, up to max
 * (one, by the one-call rule). Count or -1. */
int db_my_calls(struct db *db, struct my_call *out, size_t max);

/* The same as a request (the console's gateway): the reader fills a
 * struct my_calls. */
#define MY_CALLS_MAX 16
struct my_calls {
	struct my_call calls[MY_CALLS_MAX];
	size_t n;
};
void db_my_calls_request(struct db_request *rq);
db_read_fn db_my_calls_read;

struct my_state {
	char state[16];           /* ready, not_ready, ringing, on_call, wrap_up, break, logged_out */
	char reason[128];         /* "" when none: "no answer", "call 12" ... */
	time_t since;
	long seconds_in_state;    /* >= 0 */
};

/* 1 and *out, 0 when the connected role is no agent, -1. */
int db_my_state(struct db *db, struct my_state *out);

#endif
