/* agent_event.h - what a NOTIFY on channel agent_<login> says (pure, no libpq).
 *
 * The database sends, at commit, to the agent concerned:
 *   "call <id> <state>"           state: offered answered abandoned ended requeued
 *   "call <id> offered pop <console session id> <base64>"  the pop sealed for
 *                                 that console (sql/repeatable/33_pop_seal.sql):
 *                                 parsed as "offered", the seal not opened here
 *   "state <agent_state> <reason>"  e.g. "state ready ", "state not_ready no answer"
 * A payload is a hint: the console re-reads the truth (my_calls(), my_state()). */
#ifndef CCTERM_AGENT_EVENT_H
#define CCTERM_AGENT_EVENT_H

enum agent_event_kind { AGENT_EVENT_CALL = 1, AGENT_EVENT_STATE };

struct agent_event {
	enum agent_event_kind kind;
	long long call_id;      /* AGENT_EVENT_CALL */
	char call_state[16];    /* offered, answered, abandoned, ended, requeued */
	char agent_state[16];   /* AGENT_EVENT_STATE: ready, not_ready, ringing ... */
	char reason[128];       /* the reason given, "" when none (cut to fit) */
};

/* 0 and *ev filled, or -1 when payload is none of the above. */
int agent_event_parse(const char *payload, struct agent_event *ev);

#endif
