/* boards.h - the supervisors' boards beyond the current figures
 * (sql/repeatable/55_boards.sql): a queue's waiting calls and agents, and
 * the cases to look at now. Requests for the console's gateway, and the
 * same run directly (tests, benchmarks). The trends come with the boards
 * themselves (floor.h). */
#ifndef CCTERM_BOARDS_H
#define CCTERM_BOARDS_H

#include <stdbool.h>
#include <stddef.h>
#include "ccterm/db.h"

/* One line of a queue's drill-down: a waiting call (caller masked to the
 * last four digits, secs its wait) or an agent with the skill (secs the
 * time in state, reason the pause reason). Calls first, longest wait first. */
struct drill_row {
	bool is_call;
	char id[64];          /* the call id, or the agent's login */
	char name[128];       /* the masked caller, or the agent's name */
	char state[16];
	char reason[64];
	long secs;
};
struct queue_drill { struct drill_row *rows; size_t max; int n; int calls; };
void db_queue_drill_request(struct db_request *rq, int queue_id);
db_read_fn db_queue_drill_read;          /* out: struct queue_drill */
int db_queue_drill(struct db *db, int queue_id, struct queue_drill *out);

/* A case escalated, past its escalation point (warning) or past due
 * (breached), soonest due first; the customer masked. */
struct floor_case {
	long long id;
	char case_no[24];
	char status[16];
	char sla_state[16];     /* ok, warning, breached, none */
	char owner[64];         /* "" when nobody owns it */
	char owner_name[128];
	char customer[128];     /* masked: "김**", "H** K**" */
	char subject[160];
	bool has_due;
	long minutes_left;      /* negative: overdue */
};
struct floor_cases { struct floor_case *rows; size_t max; int n; };
void db_floor_cases_request(struct db_request *rq, size_t max);
db_read_fn db_floor_cases_read;          /* out: struct floor_cases */
int db_floor_cases(struct db *db, struct floor_cases *out);

#endif
