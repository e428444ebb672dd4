/* floor.h - the call floor as plain data: calls arriving and routed to the
 * longest-idle ready agent, answered, hung up; agents' states set by CTI or a
 * supervisor; and the supervisor's boards, one query each (sql/020_routing.sql). */
#ifndef CCTERM_FLOOR_H
#define CCTERM_FLOOR_H

#include <stdbool.h>
#include <stddef.h>
#include "ccterm/db.h"

/* --- a call's life ------------------------------------------------------ */

/* A call arrives: ani as received (normalized here for the customer match),
 * dnis, queue and agent may be NULL. Without an agent the call is routed in
 * its queue: offered to the longest-idle ready agent with the skill, or left
 * waiting. *id gets the call id. 0 or -1. */
int db_call_arrive(struct db *db, const char *ani, const char *dnis, const char *queue, const char *agent,
		   long long *id);

/* The call is picked up: its agent goes on call. 1, 0 when the call is not
 * queued or offered, -1 on error. */
int db_call_answer(struct db *db, long long id);

/* The caller hangs up: before an answer an abandon (a ringing agent goes back
 * to ready), after it the end of the call (the agent goes to wrap-up). state
 * (16 bytes, may be NULL) gets "abandoned" or "ended". 1, 0 when the call had
 * ended already, -1 on error. */
int db_call_hangup(struct db *db, long long id, char *state);

/* The same two as requests; the reply (db_text_read, 16 bytes) is "true" /
 * "false" for the answer, the new state or "" for the hangup. */
void db_call_answer_request(struct db_request *rq, long long id);
void db_call_hangup_request(struct db_request *rq, long long id);
db_read_fn db_text_read;

/* Ring no answer: the routed call goes back to its queue and is offered to
 * someone else; the agent is set not ready. 1, 0 when it was not a routed
 * call ringing, -1. */
int db_call_no_answer(struct db *db, long long id);

/* Ring no answer, timed by the database: every offer whose ring timeout
 * (queue.ring_seconds, else settings 'ring_timeout_seconds', default 20)
 * has passed goes back to its queue, its agent set not ready ("no answer").
 * How many, or -1. */
int db_call_ring_expire(struct db *db);

/* Seconds until the next offer's ring timeout (may be <= 0: due now): 1 and
 * *secs, 0 when no offer is timed, -1. */
int db_call_ring_next(struct db *db, double *secs);

/* A call's state ("queued", "offered" ...) and agent (64 bytes, "" when none).
 * 1, 0 when there is no such call, -1. */
int db_call_state(struct db *db, long long id, char *state, char *agent);

/* --- agents, as someone else sets them (CTI, supervisor, simulator) ------ */

/* state is one of the agent states (ready, not_ready, break, logged_out ...);
 * going ready offers the agent the oldest waiting call of their queues. */
int db_agent_set_state_for(struct db *db, const char *login, const char *state, const char *reason);

/* Offers a queue's waiting calls to its ready agents; how many, or -1. */
int db_route_pending(struct db *db, const char *queue);

/* --- the boards ---------------------------------------------------------- */

/* Quarter hours in a day (25 hours on the day summer time ends). */
#define TREND_QUARTERS 100
#define TREND_DAYS 7
/* The quarters the board reads (the last of the day): what its widest
 * sparkline draws. */
#define TREND_DRAWN "48"

/* One queue on the wallboard, today (since local midnight, settings
 * 'timezone'). service level = answered within the SLA / (answered +
 * abandoned after the SLA), in %; negative while no call counts. */
struct queue_stat {
	int id;
	char name[40];
	int sla_seconds;
	double sla_target_pct;
	long waiting;              /* queued now */
	long longest_wait_secs;
	long offered, answered, abandoned;
	long answered_in_sla, abandoned_after_sla;
	double service_level_pct;  /* < 0: no call counts yet */
	double asa_secs;           /* average speed of answer; < 0: none answered */
	long agents_ready, agents_ringing, agents_on_call, agents_wrap_up, agents_break, agents_not_ready;
};

/* Every queue by name, up to max. Returns how many, or -1. */
int db_wallboard_queues(struct db *db, struct queue_stat *out, size_t max);
/* The boards as requests: the readers fill rows (up to max) and n. */
struct floor_queues { struct queue_stat *rows; size_t max; int n; };
void db_wallboard_queues_request(struct db_request *rq);
db_read_fn db_wallboard_queues_read;      /* out: struct floor_queues */

/* A queue's day by quarter hours (queue_trends, sql/repeatable/55_boards.sql),
 * the day's last TREND_DRAWN quarters at most, the last one now's. Read apart
 * from the board (the trends cost more than the board itself, and a quarter's
 * figures move only with its calls), so a refresh does not carry them. */
struct queue_trend {
	int queue_id;
	int quarters;                         /* elements below */
	double sl_15m[TREND_QUARTERS];        /* service level %, NAN where no call counts */
	double offered_15m[TREND_QUARTERS];   /* calls arrived */
};
/* quarter_end: when the current quarter ends (the server's clock, Unix time). */
struct floor_trends { struct queue_trend *rows; size_t max; int n; long long quarter_end; };
void db_queue_trends_request(struct db_request *rq);
db_read_fn db_queue_trends_read;          /* out: struct floor_trends */

enum agent_sort { AGENT_SORT_STATE, AGENT_SORT_TIME, AGENT_SORT_LOGIN, AGENT_SORT_NAME, AGENT_SORT_HANDLED };

/* One agent on the agent board. */
struct agent_stat {
	char login[64];
	char name[128];
	char branch[32];
	char state[16];
	long state_secs;           /* time in state */
	long long call_id;         /* the open call, 0 when none */
	char call_state[16];
	long long customer_id;     /* its customer, 0 when unknown */
	char customer[128];
	long handled_today;        /* calls answered today */
	char reason[64];           /* the pause reason's label, "" when none */
};

/* A page of the agent board: rows offset .. offset+max-1 in the sort's
 * order (state: working first, then longest in state); *total gets the
 * number of agents. Returns how many rows, or -1. */
int db_wallboard_agents(struct db *db, enum agent_sort sort, long offset, struct agent_stat *out, size_t max,
			long *total);
struct floor_agents { struct agent_stat *rows; size_t max; int n; long total; };
void db_wallboard_agents_request(struct db_request *rq, enum agent_sort sort, long offset, size_t max);
db_read_fn db_wallboard_agents_read;      /* out: struct floor_agents */

/* Survey satisfaction (score 1-5) of one branch: today and over the seven
 * days before today, with the number of answers; an average is < 0 when
 * there are none. Code "" gathers surveys without a branch. */
struct branch_sat {
	char code[32];
	char name[128];
	double today_avg;
	long today_n;
	double week_avg;
	long week_n;
	/* The seven days ending today (element 6), by day in the center's
	 * time zone (branch_board): average score, NAN on a day without. */
	double avg_7d[TREND_DAYS];
	long n_7d[TREND_DAYS];
};

/* Branches with answers in the last eight days, lowest first. Count or -1. */
int db_branch_satisfaction(struct db *db, struct branch_sat *out, size_t max);
struct floor_branches { struct branch_sat *rows; size_t max; int n; };
void db_branch_satisfaction_request(struct db_request *rq);
db_read_fn db_branch_satisfaction_read;   /* out: struct floor_branches */

/* An agent's day so far: seconds in each state since local midnight, from the
 * stored state changes. */
struct agent_day {
	long ready, ringing, on_call, wrap_up, not_ready, on_break, logged_out;
};

int db_agent_day(struct db *db, const char *login, struct agent_day *out);
void db_agent_day_request(struct db_request *rq, const char *login);
db_read_fn db_agent_day_read;             /* out: struct agent_day */
/* Share of the available time spent with calls: (ringing + on call + wrap-up)
 * / (that + ready), in %; negative when the agent was never available. */
double agent_day_occupancy(const struct agent_day *d);

/* --- for the simulator --------------------------------------------------- */

/* Queue names (40 bytes each) by name, up to max. Count or -1. */
int db_queue_names(struct db *db, char (*names)[40], size_t max);

/* Agent rows (no login roles) for these logins, each with three of the
 * queues as skills (the next three of the list, so the queues are shared out
 * evenly); calls left open by an earlier run are hung up and the agents
 * logged out. 0 or -1. */
int db_sim_agents(struct db *db, const char *const *logins, size_t n, char (*queues)[40], size_t nq);

/* Up to max customers' phone numbers (E.164, 17 bytes each), in random order. */
int db_phone_sample(struct db *db, char (*out)[17], size_t max);

/* LISTEN for calls offered to this agent. 0 or -1. */
int db_offers_listen(struct db *db, const char *login);

/* A call offered to an agent, as the call_notify trigger announced it
 * ("call <id> offered" on agent_<login>). */
struct call_offer {
	char login[64];
	long long call_id;
};

/* Reads what arrived without blocking: offers on the agent_<login>
 * channels, up to max (the rest stay for the next call). Count or -1. */
int db_offers_drain(struct db *db, struct call_offer *out, size_t max);

/* The calls offered now to agents whose login starts with prefix, up to
 * max (after a reconnect: the offers whose notifications were missed).
 * Count or -1. */
int db_offers_open(struct db *db, const char *prefix, struct call_offer *out, size_t max);

/* Figures for a set of calls, by the wallboard's definitions. */
struct call_summary {
	long calls, answered, abandoned, answered_in_sla, abandoned_after_sla, open;
	double service_level_pct;  /* < 0 when no call counts */
	double asa_secs;           /* < 0 when none answered */
};

int db_call_summary(struct db *db, const long long *ids, size_t n, struct call_summary *out);

#endif
