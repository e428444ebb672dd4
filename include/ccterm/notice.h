/* notice.h - a NOTIFY as the console reads it. Notifications are hints: the
 * console re-reads the truth (its calls, its agent row) before it shows
 * anything, so a forged or stale payload changes nothing on its own.
 * Payloads on agent_<login>:
 *   "call <id> <state>"      offered | answered | abandoned | ended | requeued
 *   "state <state> <reason>" the agent's own state changed
 *   "<id>"                   (older servers) call <id> offered
 *   "state"                  (older servers) the agent's state changed
 *   "case <id> <event>"      a case of mine: escalated, assigned, warning ...
 * queue_<n> carries a call id whose state moved in that queue; "floor" says
 * that something on the floor moved (supervisors' boards); "campaign"
 * carries the id of a campaign whose figures moved (the campaign board). Pure C. */
#ifndef CCTERM_NOTICE_H
#define CCTERM_NOTICE_H

#include <stdbool.h>

enum notice_kind {
	NOTICE_OTHER,    /* not for the console, or unreadable */
	NOTICE_CALL,     /* one of this agent's calls changed */
	NOTICE_STATE,    /* this agent's state changed */
	NOTICE_QUEUE,    /* a call in one of this agent's queues moved */
	NOTICE_FLOOR,    /* something on the floor moved */
	NOTICE_CASE,     /* one of this agent's cases moved: "case <id> <event>" */
	NOTICE_CAMPAIGN, /* a campaign's figures moved: channel campaign, payload its id (0 when unreadable) */
	NOTICE_LISTS,    /* a list the console offers changed: read them again */
};

struct notice {
	enum notice_kind kind;
	long long call_id;      /* NOTICE_CALL, NOTICE_QUEUE (0 when unknown); the case id of NOTICE_CASE,
	                           the campaign id of NOTICE_CAMPAIGN */
	char state[16];         /* the new call or agent state, the case event; "" when not said */
	char reason[128];       /* NOTICE_STATE */
	char login[64];         /* whose channel (agent_<login>) */
	long long pop_session;  /* NOTICE_CALL offered with a sealed pop: for this console session */
	const char *sealed;     /* and its seal (inside the payload: valid while the hook runs) */
};

/* Reads one notification; returns its kind (also in n->kind). */
enum notice_kind notice_parse(const char *channel, const char *payload, struct notice *n);

/* true for the call states after which a call can no longer be taken. */
bool notice_call_gone(const char *state);

#endif
