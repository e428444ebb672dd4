/* agent.h - the agent at this console, as plain data, and the requests that
 * read and change it. Durations are the server's: seconds counted by the
 * database at the read, to which the console adds its own monotonic time
 * since (so a client clock set wrong never shows a negative timer). */
#ifndef CCTERM_AGENT_H
#define CCTERM_AGENT_H

#include <time.h>
#include "ccterm/db.h"

struct agent_info {
	char login[64];
	char name[128];
	char branch[32];
	char branch_name[128];
	char role[16];
	char state[16];
	char reason[64];          /* why (a pause reason's code: lunch), "" none */
	long state_secs;          /* in this state, by the server's clock, at the read */
	time_t state_since;       /* the same as a time on this machine's clock */
};

/* The agent row of the connected role (current_user). Returns 0, 1 when the
 * role is no agent (ccterm-admin agent add), -1 on a database error. */
int db_agent_self(struct db *db, struct agent_info *a);
void db_agent_self_request(struct db_request *rq);
/* out: struct agent_info; fails ("not a ccterm agent") when there is no row. */
db_read_fn db_agent_self_read;

/* Changes this agent's state (ready, not_ready, break ...), kept with its
 * time; since gets when the current state began. 0 or -1. */
int db_agent_set_state(struct db *db, const char *state, const char *reason, time_t *since);
/* The same as a request whose reply is the agent row afterwards
 * (db_agent_self_read). */
void db_agent_set_state_request(struct db_request *rq, const char *state, const char *reason);
/* Break or not ready for a reason of the pause list (its state is the
 * reason's); refused naming the valid ones. Reply as above. */
void db_agent_pause_request(struct db_request *rq, const char *reason);
/* A console connecting logs its agent in (not ready, reason "login") when
 * they were logged out; otherwise changes nothing. */
void db_agent_login_request(struct db_request *rq);
/* This console quits: its console_session row (id, 0 when it never got
 * one) goes, and the agent is logged out unless another console of the
 * login holds a lease there (quitting one of two consoles must not log the
 * other out; asked of the table, so it holds behind PgBouncer and the
 * relay). Replies one boolean: logged out. */
void db_agent_logout_request(struct db_request *rq, long long console_id, const char *reason);
/* This console is open (console_session_beat(), sql/380): sent at every
 * connect (id 0: none yet) and every CONSOLE_BEAT_MS; the reply
 * (db_console_beat_read, out: struct console_beat) is the id to beat with
 * next, and the session's key when the id is new (console_session_key():
 * the offers' sealed pops, pop_seal.h). A console that stops beating
 * lapses after console_lease_seconds (90). */
#define CONSOLE_BEAT_MS 20000
struct console_beat {
	long long id;                    /* 0: not an agent */
	bool has_key;                    /* a new id, with its key */
	unsigned char key[64];
};
void db_console_beat_request(struct db_request *rq, long long console_id);
db_read_fn db_console_beat_read;
/* Consoles that stopped beating are let go, and agents left with none are
 * logged out (ccterm-cti timers): how many, or -1. */
int db_console_sessions_expire(struct db *db);

/* Calls waiting in this agent's queues, or -1. */
long db_queue_waiting(struct db *db);
void db_queue_waiting_request(struct db_request *rq);
db_read_fn db_count_read;                 /* out: long, one count */

#endif
