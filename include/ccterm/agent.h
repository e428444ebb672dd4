/* agent.h - the agent at this console, as plain data. */
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
	time_t state_since;
};

/* The agent row of the connected role (current_user). Returns 0, 1 when the
 * role is no agent (ccterm-admin agent add), -1 on a database error. */
int db_agent_self(struct db *db, struct agent_info *a);

/* Changes this agent's state (ready, not_ready, break ...), kept with its
 * time; since gets when the current state began. 0 or -1. */
int db_agent_set_state(struct db *db, const char *state, const char *reason, time_t *since);

/* Calls waiting in this agent's queues, or -1. */
long db_queue_waiting(struct db *db);

#endif
