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
};

int admin_branch_add(struct db *db, const char *code, const char *name, const char *region);
int admin_queue_add(struct db *db, const char *name, int sla_seconds, double target_pct);
/* Creates the login role (if missing), grants its group role, and (re)writes
 * the agent row and its queues, all in one transaction. */
int admin_agent_add(struct db *db, const struct agent_spec *a);

struct import_result {
	long loaded;
	long rejected;
	char rejects_path[4096];   /* FILE.rejects, written only when rejected > 0 */
};

/* Loads a customers or interactions CSV (see README for the columns) with
 * COPY in one transaction. Bad rows are rejected and written with their
 * line number and reason to FILE.rejects; a file whose header is wrong is
 * refused whole. Returns 0, or -1 with db_error() saying why. */
int admin_import_customers(struct db *db, const char *path, struct import_result *r);
int admin_import_interactions(struct db *db, const char *path, struct import_result *r);

/* Deterministic synthetic data (sql/090_demo_data.sql). */
int admin_demo_data(struct db *db, long customers, long interactions, long seed);

#endif
