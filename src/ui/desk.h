/* desk.h - the agent's work at hand, as data: the call, the customer on
 * screen, the timeline scrolled so far, the draft being typed, the calls
 * waiting to be taken. Actions here talk to db/; views only read it. */
#ifndef CCTERM_UI_DESK_H
#define CCTERM_UI_DESK_H

#include <stdbool.h>
#include <time.h>

#include "ccterm/customer.h"
#include "ccterm/journal.h"
#include "ccterm/textbuf.h"

enum save_state {
	SAVE_NONE,       /* nothing to save yet */
	SAVE_WAITING,    /* the database is down: retried until it is back */
	SAVE_DONE,
};

#define DESK_MAX_PENDING 16

struct desk {
	/* the call and who it is */
	bool has_call;
	struct call_info call;
	time_t call_started;
	bool has_customer;
	struct customer_pop pop;
	struct customer_hit cands[SEARCH_MAX];   /* a shared number's customers */
	size_t ncands;

	/* the timeline as far as the agent scrolled: pages appended by keyset */
	struct timeline_item *items;
	size_t nitems, cap;
	bool more;
	struct timeline_cursor next;
	struct timeline_filter filter;
	size_t sel, top;

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

	/* offered calls not taken yet (shown in a banner while typing) */
	long long pending[DESK_MAX_PENDING];
	size_t npending;
	long long last_popped;
};

struct db;

int desk_init(struct desk *d, const char *journal_path, char *err, size_t errsz);
void desk_free(struct desk *d);

/* A call offered to us: remembered until taken. */
void desk_offer(struct desk *d, long long call_id);
/* Pops the oldest pending call (one round trip). 0, or -1 with db_error. */
int desk_take_call(struct desk *d, struct db *db);
/* A draft restored from the journal gets its call and customer back on
 * screen (once connected); its call is no longer "waiting". */
int desk_resume(struct desk *d, struct db *db);
/* Opens a customer without a call (search, picker). */
int desk_open_customer(struct desk *d, struct db *db, long long customer_id);

/* Timeline: set a filter (reloads from the newest) and fetch the next page
 * when the selection nears the end of what is loaded. */
int desk_filter(struct desk *d, struct db *db, const char *channel, const char *kind);
int desk_timeline_more(struct desk *d, struct db *db);

/* Draft: a new one prefilled from the call; fields set and notes edited
 * through these so the journal sees every change first. */
void desk_draft_new(struct desk *d);
void desk_draft_set(struct desk *d, const char *field, const char *value);
/* Saves (idempotent by draft id). 0 saved, -1 failed with db_error(): when
 * the connection is lost the draft stays and save becomes SAVE_WAITING. */
int desk_draft_save(struct desk *d, struct db *db);
void desk_draft_close(struct desk *d);

/* The journal's batched fsync: pending tells whether a sync is owed, sync
 * does it when due (or at once with force). */
bool desk_sync_pending(const struct desk *d);
void desk_sync(struct desk *d, bool force);

/* Quick-create for the unknown caller, then link the draft to them. */
int desk_quick_create(struct desk *d, struct db *db, const char *name);

#endif
