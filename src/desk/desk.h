/* desk.h - the agent's work at hand, as data, and the controller that keeps
 * it: the agent's state and calls as the database says them, the customer
 * on screen, the timeline scrolled so far, the draft being typed, the calls
 * waiting to be taken, search hits, the open interaction. Everything that
 * needs the database is asked of the gateway and arrives later; what changed
 * is told to the screen as events (desk_events). No curses here. */
#ifndef CCTERM_DESK_H
#define CCTERM_DESK_H

#include <stdbool.h>
#include <time.h>

#include "ccterm/agent.h"
#include "ccterm/customer.h"
#include "ccterm/identity.h"
#include "ccterm/journal.h"
#include "ccterm/notice.h"
#include "ccterm/textbuf.h"

struct gateway;
struct relay_link;

enum save_state {
	SAVE_NONE,       /* nothing to save yet */
	SAVE_SAVING,     /* sent, the reply not in yet */
	SAVE_WAITING,    /* the database is down: saved when it is back */
	SAVE_DONE,
};

/* What changed, for the screen (a bit set, taken with desk_events()). */
enum desk_event {
	DESK_CHANGED = 1 << 0,     /* redraw */
	DESK_OFFERED = 1 << 1,     /* a call waits to be taken */
	DESK_POPPED = 1 << 2,      /* a taken call's pop is in: the form (or the picker) */
	DESK_CUSTOMER = 1 << 3,    /* a customer opened (search, picker, create) */
	DESK_DETAIL = 1 << 4,      /* an interaction's body is in */
	DESK_SEARCHED = 1 << 5,    /* search hits are in */
	DESK_FLOOR = 1 << 6,       /* the floor moved (supervisors' boards) */
	DESK_CONNECTED = 1 << 7,   /* (re)connected */
	DESK_MESSAGE = 1 << 8,     /* desk->message has news for the message line */
	DESK_LOST = 1 << 9,        /* the connection is lost */
	DESK_CASE = 1 << 10,       /* one of my cases moved (NOTIFY "case <id> <event>") */
	DESK_REPLY = 1 << 11,      /* the e-mail reply was queued (or refused) */
	DESK_CAMPAIGN = 1 << 12,   /* a campaign's figures moved (NOTIFY campaign: the campaign board) */
};

#define DESK_MAX_PENDING 16

/* The e-mail reply being written from a case (desk_reply.c), journaled in a
 * file of its own beside the contact's. */
struct mail_reply {
	bool open;                   /* being written (or restored), not queued */
	bool restored;               /* came back from the journal at start */
	bool queuing;                /* F10 sent, the reply not in yet */
	char draft_id[40];           /* the idempotency key of mail_queue */
	long long case_id;
	long long queued_id;         /* the outbox id, once queued */
	char template_code[40];
	char to[256], subject[512];
	struct textbuf *body;
	struct journal *journal;
};

/* The one state of the agent and their call that the status bar, the home
 * screen and the headers draw from, fed only by the database. Durations are
 * the server's seconds at the read plus this machine's monotonic time since. */
struct desk_now {
	struct agent_info agent;
	long long agent_read_ms;
	bool agent_known;
	long queue_waiting;        /* calls waiting in my queues, -1 unknown */
	/* the call the agent holds (answered) or was last given, by the database */
	long long call_id;         /* 0: none */
	char call_state[16];       /* offered, answered, or ended when gone */
	long call_secs;            /* since answered (offered while not) at the read */
	long long call_read_ms;
};

struct desk {
	struct gateway *gw;
	/* ccterm-relayd, when its socket answers (NULL: never); while it is
	 * ready the console does not LISTEN itself (listening_direct false). */
	struct relay_link *relay;
	bool listening_direct;
	/* Asked when an offer arrives: may its pop take the screen now? */
	bool (*may_pop)(void *ui);
	void *ui;
	unsigned events;
	char message[256];
	struct desk_now now;
	char country[8];             /* default_country for phone numbers typed */

	/* the call and who it is */
	bool has_call;
	struct call_info call;
	bool has_customer;
	struct customer_pop pop;
	size_t offer_sel;            /* the offer the one-key responses are for */
	struct customer_hit cands[SEARCH_MAX];   /* a shared number's customers */
	size_t ncands;
	long long taking;            /* the call whose take is on its way, 0 none */
	char taking_gone[16];        /* ... and it went meanwhile: abandoned, requeued ... */

	/* the timeline as far as the agent scrolled: pages appended by keyset */
	struct timeline_item *items;
	size_t nitems, cap;
	bool more, fetching;
	struct timeline_cursor next;
	struct timeline_filter filter;
	size_t sel, top;
	size_t sel_goal;             /* where the agent scrolled to, loaded or not */
	unsigned timeline_gen;       /* replies for an older filter are dropped */

	/* the contact being logged; every edit is journaled before it shows */
	bool draft_open;
	bool draft_restored;         /* came back from the journal at start */
	bool draft_dirty;            /* the agent typed or chose something */
	struct contact_draft draft;
	struct textbuf *notes;
	enum save_state save;
	long long saved_id;
	struct journal *journal;
	char restore_note[240];      /* what restoring changed or skipped ("" when nothing) */
	bool edited_while_saving;    /* typed after the save's text left */
	unsigned save_seq;           /* the latest save sent: only its reply counts */
	struct form_lists lists;

	/* this console's console_session row (desk_session.c): 0 none yet */
	long long console_id;
	/* its key, for the pops sealed into offers (pop_seal.h), and the last
	 * seal taken: one not above it is a replay */
	bool has_pop_key;
	unsigned char pop_key[64];
	long long pop_seq;
	long long beat_ms;
	bool beat_inflight;

	/* reads on their way: one of each at a time, again when asked meanwhile */
	bool agent_inflight, agent_again, calls_inflight, calls_again;
	bool wrap_up_asked;

	/* offered calls not taken yet (shown in a banner while typing) */
	long long pending[DESK_MAX_PENDING];
	size_t npending;
	long long last_popped;

	/* search and the interaction opened in full */
	struct search_reply hits;
	char searched[256];
	bool searching;
	unsigned search_gen;
	struct timeline_item detail;
	char *detail_body;

	/* cases: the last case event pushed to me ("case C-7 escalated"), and the reply */
	long long case_moved;        /* the case of the last "case <id> ..." notification */
	char case_alert[64];         /* shown on the status bar; "" when none */
	struct mail_reply reply;

	/* one customer per person (desk_identity.c) */
	long long link_customer;     /* asked: link the unknown caller's number to this customer? 0: no question */
	struct duplicate_reply dups; /* the possible duplicates of the customer on screen ... */
	long long dups_of;           /* ... that one */
	bool has_compare;            /* the other customer of a pair, side by side */
	struct customer_pop compare;
	bool merging;
};

/* d must be all zero (static, or calloc'd): desk_init does not clear it, so
 * that the ~180 kB of pops, hits and lists it holds cost no resident memory
 * until a screen fills them. */
int desk_init(struct desk *d, const char *journal_path, char *err, size_t errsz);
void desk_free(struct desk *d);
/* The agent as read before the screen started. */
void desk_set_agent(struct desk *d, const struct agent_info *a);
/* The gateway's hooks go to the desk from here on. */
void desk_attach(struct desk *d, struct gateway *gw);
/* Notifications come from the relay while it is ready, else from the
 * console's own LISTEN; both ways the state is re-read at every switch. */
void desk_attach_relay(struct desk *d, struct relay_link *rl);
/* What changed since the last call (enum desk_event bits). */
unsigned desk_events(struct desk *d);

/* The agent's state and call durations now, never negative. */
long desk_state_secs(const struct desk *d);
long desk_call_secs(const struct desk *d);
/* true while the agent holds a call the database has not ended. */
bool desk_on_call(const struct desk *d);
bool desk_is_supervisor(const struct desk *d);

/* Takes the oldest offered call: its pop (one read), then the answer. */
void desk_take_call(struct desk *d);
/* Opens a customer without a call (search, picker). */
void desk_open_customer(struct desk *d, long long customer_id);
/* The highlighted offer: the next one (wraps); what the customer said to it
 * (offered, accepted, declined), recorded for the rule's figures and shown
 * beside it when the database has it. */
void desk_offer_next(struct desk *d);
void desk_offer_record(struct desk *d, const char *response);
/* Timeline: a filter (reloads from the newest), the next page. */
void desk_filter(struct desk *d, const char *channel, const char *kind);
void desk_timeline_more(struct desk *d);
void desk_open_detail(struct desk *d, const struct timeline_item *it);
void desk_search(struct desk *d, const char *query);
/* The agent's own state; the hang-up (F12); quitting (logs out unless
 * another console of this login is open, by console_session; waits at most
 * ms). */
void desk_set_state(struct desk *d, const char *state, const char *reason);
/* Break or not ready for a reason of the pause list (desk.lists.pauses). */
void desk_pause(struct desk *d, const char *reason);
/* The label of a pause reason's code, or the code itself. */
const char *desk_pause_label(const struct desk *d, const char *code);
void desk_hangup(struct desk *d);
void desk_quit(struct desk *d, const char *reason, int ms);
/* Once a second: wrap-up ends by itself after 30 s; the console's beat. */
void desk_tick(struct desk *d);

/* Draft: a new one prefilled from the call; fields set and notes edited
 * through these so the journal sees every change first. */
void desk_draft_new(struct desk *d);
void desk_draft_set(struct desk *d, const char *field, const char *value);
/* true when closing would lose what was typed. */
bool desk_draft_unsaved(const struct desk *d);
/* Saves (idempotent by draft id); the outcome arrives as d->save. */
void desk_draft_save(struct desk *d);
void desk_draft_close(struct desk *d);
/* Quick-create for the unknown caller, then link the draft to them. */
void desk_quick_create(struct desk *d, const char *name);

/* The unknown caller's number becomes the customer's (link) or not: the
 * question desk.link_customer asks is answered. Audited by the database. */
void desk_link_caller(struct desk *d, bool link);
/* The other customer of a possible duplicate pair, for the side by side. */
void desk_open_compare(struct desk *d, long long other_id);
/* Supervisors: drop merged into keep (customer_merge); keep opens after. */
void desk_merge(struct desk *d, long long keep, long long drop);

/* The e-mail reply (desk_reply.c): a new one prefilled from a rendered
 * template, fields set through desk_reply_set and the body edited in
 * reply.body (both journaled first), queued once (F10), or discarded. */
int desk_reply_init(struct desk *d, const char *journal_path, char *err, size_t errsz);
void desk_reply_free(struct desk *d);
void desk_reply_new(struct desk *d, long long case_id, const char *template_code, const char *to,
		    const char *subject, const char *body);
void desk_reply_set(struct desk *d, const char *field, const char *value);
void desk_reply_queue(struct desk *d);
void desk_reply_discard(struct desk *d);

/* The journals' batched fsync: pending tells whether a sync is owed (or in
 * flight: keep waking for it), sync hands it to the journal's thread when
 * due (never waiting for the disk), or does it at once with force (exit). */
bool desk_sync_pending(const struct desk *d);
void desk_sync(struct desk *d, bool force);

#endif
