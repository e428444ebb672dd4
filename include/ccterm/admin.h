/* admin.h - administration on the database: branches, queues, agents,
 * CSV imports and the demo data set. Used by ccterm-admin and the tests. */
#ifndef CCTERM_ADMIN_H
#define CCTERM_ADMIN_H

#include <stdbool.h>
#include "ccterm/db.h"

struct agent_spec {
	const char *login;    /* also the PostgreSQL login role */
	const char *name;
	const char *branch;   /* branch code, must exist */
	const char *role;     /* agent, branch, supervisor or admin */
	const char *queues;   /* comma-separated queue names (skills), may be NULL */
	const char *extension;   /* where the PBX rings the agent ("SIP/777"); NULL: kept as it is */
};

int admin_branch_add(struct db *db, const char *code, const char *name, const char *region);
int admin_queue_add(struct db *db, const char *name, int sla_seconds, double target_pct);
/* Creates the login role (if missing), grants its group role, and (re)writes
 * the agent row and its queues, all in one transaction. */
int admin_agent_add(struct db *db, const struct agent_spec *a);

struct import_result {
	long loaded;
	long rejected;
	long branches_created;     /* import customers --create-branches */
	long duplicates;           /* rows flagged as a possible duplicate of another customer */
	char duplicate_examples[1024];  /* "line 4 (N3) looks like customer D1: same phone and name; ..." */
	double seconds;            /* wall time of the whole import */
	char summary[1024];        /* one line for what many rows share (unknown branches), or "" */
	char rejects_path[4096];   /* FILE.rejects, written only when rejected > 0 */
	bool interrupted;          /* Ctrl-C (db_interrupt_catch): rolled back, nothing loaded */
};

struct progress;

struct import_options {
	bool create_branches;      /* branches the file names that do not exist are created */
	struct progress *progress; /* include/ccterm/progress.h; NULL: none */
};

/* Loads a customers or interactions CSV (see README for the columns) with
 * COPY in one transaction. Bad rows are rejected and written with their
 * line number and reason to FILE.rejects; a file whose header is wrong is
 * refused whole. Returns 0, or -1 with db_error() saying why. */
int admin_import_customers(struct db *db, const char *path, struct import_result *r);
int admin_import_customers_with(struct db *db, const char *path, const struct import_options *opt,
				struct import_result *r);
int admin_import_interactions(struct db *db, const char *path, struct import_result *r);
int admin_import_interactions_with(struct db *db, const char *path, const struct import_options *opt,
				   struct import_result *r);

/* Deterministic synthetic data (sql/090_demo_data.sql). */
int admin_demo_data(struct db *db, long customers, long interactions, long seed);

/* Next-best-offer rules (src/db/offer_rules.c). Every field is the text a
 * person typed; NULL or "" means any. Lists are comma-separated. */
struct rule_spec {
	const char *name, *offer, *product, *priority;
	const char *tiers, *segments, *age /* "20-29" */, *genders, *marital;
	const char *has, *lacks, *min_value, *max_value;
	const char *rfm_min;   /* "R,F,M" minimum scores, 0 = any */
	const char *channels, *from, *until;
	bool no_open_complaint;
};
/* Creates or replaces (by name) a rule; *hits: how many customers it reaches. */
int admin_rule_save(struct db *db, const struct rule_spec *r, long *hits);
int admin_rule_set_active(struct db *db, const char *name, bool active);
/* name, priority, state, offer, conditions, offered, accepted, declined, rate. */
struct pg_result *admin_rule_list(struct db *db);
/* *hits, and up to five of the customers: id, name, tier, age, segment, value. */
struct pg_result *admin_rule_test(struct db *db, const char *name, long *hits);
/* Every customer's tier, RFM, value, churn and the quintile cut points. */
int admin_recompute(struct db *db, long *customers);

#endif
