/* customer.h - what the console shows of a customer, as plain data, and the
 * database calls that fill it. One round trip per screen pop (screen_pop()
 * in sql/010_pop.sql); the timeline pages by keyset, never by offset. */
#ifndef CCTERM_CUSTOMER_H
#define CCTERM_CUSTOMER_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "ccterm/db.h"

/* Text fields are as stored (untrusted: draw them through the sanitizer). */
struct customer_header {
	long long id;
	char external_id[64];
	char name[256];
	char phone[32];          /* primary phone, E.164 ("" when none) */
	char email[256];
	char tier[16];           /* all, registered, contracted, platinum */
	char segment[64];
	char branch[32];
	char branch_name[128];
	long long value_won;
	char rrn_masked[16];     /* "800301-1******" or "" */
	time_t customer_since;
};

struct customer_alert {
	char kind[32];           /* churn_risk, overdue, open_complaint, ... */
	char severity[16];       /* info, warn, critical */
	char message[256];
};

struct customer_offer {
	int rule_id;
	char name[128];
	char offer[256];
	char response[16];       /* offered, accepted, declined in 30 days; "" none */
};

/* The computed figures of the pop's profile line (customer_profile()). */
struct customer_profile {
	bool known;
	char tier[16];
	long long value_won;
	int r, f, m;             /* RFM quintile scores 1..5, 0 unknown */
	char profit_class[8];    /* A .. D */
	double churn;            /* 0 .. 1 */
	char segments[256];      /* comma-separated */
};

struct customer_case {
	long long id;
	char subject[256];
	char status[16];
	char priority[16];
	char owner[64];
	long sla_left_secs;      /* negative: overdue */
	bool has_due;
};

struct timeline_item {
	long long id;
	time_t occurred_at;
	char channel[16];
	char direction[16];
	char kind[32];
	char subject[256];
	char status[32];
	long long amount_won;
	bool has_amount;
	char agent[64];
};

/* Where a timeline page starts: after (occurred_at, id), newest first. */
struct timeline_cursor {
	char occurred_at[40];      /* the key as PostgreSQL wrote it: exact to the microsecond */
	long long id;
	bool at_start;             /* true: the newest page */
};

struct timeline_filter {
	char channel[16];          /* "" for every channel */
	char kind[32];             /* "" for every kind */
};

#define TIMELINE_PAGE 50
#define POP_MAX_ALERTS 8
#define POP_MAX_OFFERS 5
#define POP_MAX_CASES 8

struct timeline_page {
	struct timeline_item items[TIMELINE_PAGE];
	size_t n;
	bool more;                 /* older items exist */
	struct timeline_cursor next;   /* cursor for the next (older) page */
};

/* Everything a pop shows. */
struct customer_pop {
	struct customer_header h;
	struct customer_profile profile;
	struct customer_alert alerts[POP_MAX_ALERTS];
	size_t nalerts;
	struct customer_offer offers[POP_MAX_OFFERS];
	size_t noffers;
	struct customer_case cases[POP_MAX_CASES];
	size_t ncases;
	long long interactions_total;
	struct timeline_page first;   /* first page, no filter */
};

/* The call behind a pop. */
struct call_info {
	long long id;
	char ani[64];              /* as received */
	char ani_e164[32];
	char dnis[32];
	char queue[64];
	char state[16];
	time_t created_at;
	long long customer_id;     /* 0: unknown or shared number */
	size_t ncandidates;        /* customers with this number: 0 unknown, 1 known, >1 shared */
};

/* A search hit or a shared-number candidate. */
struct customer_hit {
	long long id;
	char name[256];
	char phone[32];
	char email[256];
	char tier[16];
	char branch[32];
	char external_id[64];
	/* what tells two hits of one name apart (search only; 0 / "" when unknown) */
	int birth_year;
	char phone_masked[32];     /* "010-****-5678" */
	time_t last_contact;       /* the latest interaction */
	char match[24];            /* why it was found: phone, email, name, initials, partial phone ... */
};

#define SEARCH_MAX 50

struct search_reply {
	struct customer_hit hits[SEARCH_MAX];
	size_t n;
};
/* default_country (8 bytes out), read once: numbers without a country code. */
void db_country_request(struct db_request *rq);
db_read_fn db_country_read;
/* e164: the query as a phone number when it reads as one, else NULL. */
void db_search_request(struct db_request *rq, const char *query, const char *e164, size_t max);
db_read_fn db_search_read;                /* out: struct search_reply */
void db_customer_create_request(struct db_request *rq, const char *name, const char *phone_e164);

/* A pop as it arrives: the call (screen_pop only), the customer, and the
 * customers sharing the caller's number. */
struct pop_reply {
	struct call_info call;
	struct customer_pop pop;
	struct customer_hit cands[SEARCH_MAX];
	size_t ncands;
};

/* The requests and readers the console's gateway sends; the db_* calls
 * below run the same ones synchronously (tools, tests). */
void db_pop_call_request(struct db_request *rq, long long call_id);
void db_pop_customer_request(struct db_request *rq, long long customer_id);
db_read_fn db_pop_read;                   /* out: struct pop_reply */
/* The same reply from a sealed pop's plaintext (pop_seal.h), read by the
 * same code as screen_pop's rows: 0, or -1 when it is not a plaintext or
 * has no call row. head gets its head line. */
struct pop_plain_head;
int db_pop_plain_read(const char *plain, size_t len, struct pop_reply *out, struct pop_plain_head *head);
void db_timeline_request(struct db_request *rq, long long customer_id, const struct timeline_filter *f,
			 const struct timeline_cursor *cur);
db_read_fn db_timeline_read;              /* out: struct timeline_page */
void db_interaction_body_request(struct db_request *rq, long long interaction_id);
db_read_fn db_interaction_body_read;      /* out: char *, malloc'd */

/* The call's data and (when exactly one customer has the number) the whole
 * pop in one round trip; cands get the customers sharing the number (up to
 * SEARCH_MAX) when there are several. Writes an audit 'view' row.
 * Returns 0, or -1 with db_error(). */
int db_pop_call(struct db *db, long long call_id, struct call_info *call, struct customer_pop *pop,
		struct customer_hit *cands, size_t *ncands);

/* The pop of a customer opened without a call (search, picker). */
int db_pop_customer(struct db *db, long long customer_id, struct customer_pop *pop);

/* A timeline page after cur (cur->at_start for the newest). */
int db_timeline(struct db *db, long long customer_id, const struct timeline_filter *f,
		const struct timeline_cursor *cur, struct timeline_page *page);

/* One interaction in full: body is malloc'd (caller frees). */
int db_interaction_body(struct db *db, long long interaction_id, char **body);

/* Search by phone (any form), name prefix (Korean or Latin), e-mail,
 * external id or order number. Returns hits found (0..max) or -1. */
int db_search(struct db *db, const char *query, struct customer_hit *hits, size_t max);

/* Quick-create for an unknown caller: returns the new id or -1. */
long long db_customer_create(struct db *db, const char *name, const char *phone_e164);

/* Calls offered to this agent and not finished, oldest first (re-read after
 * every reconnect: notifications can be lost). Returns count or -1. */
int db_calls_offered(struct db *db, long long *ids, size_t max);

/* The new contact the agent logs. */
struct contact_draft {
	char draft_id[40];       /* uuid: idempotency key, one per draft */
	long long customer_id;   /* 0: not linked yet */
	long long call_id;       /* 0: no call */
	char channel[16];
	char direction[16];
	char kind[32];
	char reason[32];
	char disposition[32];
	char subject[256];
	char *notes;             /* multi-line UTF-8, owned by the caller */
	bool open_case;          /* complaint: open a case */
};

/* Saves the draft: one interaction (plus a case when asked), linked to
 * customer, call and agent. Saving the same draft_id again returns the same
 * row and creates nothing. Returns the interaction id, or -1. */
long long db_contact_save(struct db *db, const struct contact_draft *d);

void db_contact_save_request(struct db_request *rq, const struct contact_draft *d);
/* What db_contact_save refuses before asking: 0, or -1 with a reason. */
int db_contact_check(const struct contact_draft *d, char *err, size_t errsz);
db_read_fn db_id_read;                    /* out: long long, one id */

/* Lists kept in the database for the form. */
struct code_label {
	char code[32];
	char label[128];
	char kind[32];           /* reasons: the kind they belong to, "" any */
};

/* The lists the console offers (the form's reasons and outcomes, the pause
 * reasons with their state as kind), read at connect and again when the
 * 'lists' channel says one changed. */
#define FORM_LIST_MAX 64
struct form_lists {
	bool loaded;
	struct code_label reasons[FORM_LIST_MAX];
	size_t nreasons;
	struct code_label dispositions[FORM_LIST_MAX];
	size_t ndispositions;
	struct code_label pauses[FORM_LIST_MAX];
	size_t npauses;
};
void db_form_lists_request(struct db_request *rq);
db_read_fn db_form_lists_read;            /* out: struct form_lists */

int db_reason_codes(struct db *db, const char *kind, struct code_label *out, size_t max);
int db_dispositions(struct db *db, struct code_label *out, size_t max);

#endif
