/* import_job.h - what the channel importers (import_mail.c, import_orders.c,
 * import_web.c, import_surveys.c) share: one transaction in the center's
 * timezone, good records COPY'd into a temporary table "stage" and settled
 * in SQL, rejects written to FILE.rejects once the import has committed. */
#ifndef CCTERM_IMPORT_JOB_H
#define CCTERM_IMPORT_JOB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "ccterm/admin.h"

struct import_job {
	struct db *db;
	const char *path;
	struct import_result *r;
	char country[8];
	FILE *rejects;
	char rejects_tmp[4200];
	bool rejects_failed;
	char *buf;          /* COPY data waiting to be sent */
	size_t len, cap;
	double t0;
};

/* Begins the transaction (timezone and default country from settings). */
int import_job_begin(struct import_job *j, struct db *db, const char *path, struct import_result *r);
/* A rejected record: "where: why" in FILE.rejects, counted. */
void import_job_reject(struct import_job *j, const char *where, const char *why);
/* "PATH:N" into buf. */
const char *import_job_where(const struct import_job *j, long n, char *buf, size_t bufsz);

/* Runs stage_sql (create temp table stage ... on commit drop) and starts
 * COPY into it; rows are then fields in the table's column order (NULL:
 * SQL NULL); copy_end finishes it. */
int import_job_copy_begin(struct import_job *j, const char *stage_sql);
int import_job_copy_row(struct import_job *j, const char *const *fields, size_t n);
int import_job_copy_end(struct import_job *j);

/* Reads the CSV file at j->path whose header must be columns, and calls row
 * for every record (a malformed one is rejected with the reader's reason).
 * Returns 0, or -1 (a wrong header refuses the whole file). */
typedef int (*import_job_row_fn)(struct import_job *j, long line, char *const *fields, size_t n);
int import_job_csv(struct import_job *j, const char *columns, import_job_row_fn row);

/* The reject step for rows left without a customer (after import_job_match_customer). */
extern const char import_job_unmatched_sql[];

/* Runs steps in order: one whose text has "returning" gives rows (where,
 * reason) that are rejects; the others are run. */
int import_job_steps(struct import_job *j, const char *const *steps, size_t n);

/* The SQL steps that set stage.customer_id from stage.customer (an external
 * id), stage.phone (E.164) and stage.email (lower case), and reject the rows
 * left without one (a number or an address several customers share is
 * ambiguous: never guessed). stage needs columns at, customer, phone, email. */
extern const char *const import_job_match_customer[];
extern const size_t import_job_match_customer_n;

/* Counts the loaded rows with count_sql, writes the audit row, commits (or
 * rolls back when rc < 0 or anything fails: then nothing is loaded and no
 * rejects file is left). Returns 0 or -1. */
int import_job_finish(struct import_job *j, int rc, const char *what, const char *count_sql);

#endif
