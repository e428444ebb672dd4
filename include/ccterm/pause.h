/* pause.h - break and not ready with a reason from the list, and each
 * agent's figures of the day (sql/repeatable/48_pause.sql): for the console's
 * state picker and the supervisor's boards. */
#ifndef CCTERM_PAUSE_H
#define CCTERM_PAUSE_H

#include "ccterm/db.h"

struct pause_reason {
	char code[33];
	char label[64];
	char state[16];   /* break or not_ready */
};

/* The active reasons in the list's order; how many (at most max), or -1. */
int db_pause_reasons(struct db *db, struct pause_reason *out, int max);
/* The connected agent pauses with this reason's code. 0, or -1 with
 * db_error() (an unknown reason: SQLSTATE 22023, naming the valid ones). */
int db_agent_pause(struct db *db, const char *code);
/* Someone else pauses an agent (a supervisor, the CTI). */
int db_agent_pause_for(struct db *db, const char *login, const char *code);

struct agent_today {
	char login[64], name[128], state[16], reason[128];
	int state_secs;
	long handled, missed;
	double aht_secs;        /* < 0: none yet */
	double occupancy_pct;   /* < 0: never available today */
	int paused_secs;
};

/* Every agent's day so far, by login; how many (at most max), or -1. */
int db_agent_floor_today(struct db *db, struct agent_today *out, int max);

#endif
