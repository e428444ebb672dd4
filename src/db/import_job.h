/* import_job.h - the one frame the channel importers (import_mail.c,
 * import_orders.c, import_web.c, import_surveys.c) run in: one transaction
 * in the center's timezone, the good records COPY'd into a temporary table
 * "stage" and settled in SQL steps, the customers matched between them, the
 * rejects written to FILE.rejects once the import has committed; a progress
 * line counting the records read, then naming the step, and Ctrl-C rolling
 * it all back (as import customers|interactions do: README "Progress and
 * Ctrl-C"). Each importer only says what differs: an import_job_spec. */
#ifndef CCTERM_IMPORT_JOB_H
#define CCTERM_IMPORT_JOB_H

#include <stdbool.h>
#include <stddef.h>

#include "ccterm/admin.h"
#include "copy_stream.h"
#include "rejects_file.h"

struct import_job {
	struct db *db;
	const char *path;
	struct import_result *r;
	char country[8];
	struct rejects_file rejects;
	struct copy_stream copy;
	struct progress *progress;   /* NULL: none */
	long records, total;         /* read so far; total 0 when not known */
};

struct import_job_spec {
	const char *what;        /* "orders": the audit row's word */
	const char *unit;        /* what reading counts: "lines", "messages", "events" */
	const char *stage_sql;   /* create temp table stage (...) on commit drop */
	/* Streams the records with import_job_copy_row, calling import_job_record
	 * for each (rejected ones too). 0, or -1 with db_error(). */
	int (*read)(struct import_job *j);
	/* The records in path, for the progress line's total (0: not known);
	 * called only when progress is shown. NULL: not known. */
	long (*count)(const char *path);
	/* Then stage.customer_id is set from stage.customer (an external id),
	 * .phone and .email (import_job_match_customer); the post steps reject
	 * the rows left without one (e.g. import_job_unmatched_sql). */
	const char *const *pre_steps;    /* before the customers are matched */
	size_t npre;
	const char *const *post_steps;   /* after */
	size_t npost;
	/* r->summary, once the steps have run. NULL: none. */
	int (*summary)(struct import_job *j);
	const char *count_sql;           /* the loaded records: "select count(*) from stage" */
};

/* Runs the import of path described by spec. opt may be NULL (no progress).
 * 0, or -1 with db_error() saying why; nothing is loaded then (an
 * interruption: "interrupted: rolled back, nothing was loaded",
 * r->interrupted). */
int import_job_run(struct db *db, const char *path, const struct import_options *opt, struct import_result *r,
		   const struct import_job_spec *spec);

/* A rejected record: "where: why" in FILE.rejects, counted. */
void import_job_reject(struct import_job *j, const char *where, const char *why);
/* "PATH:N" into buf. */
const char *import_job_where(const struct import_job *j, long n, char *buf, size_t bufsz);
/* One record read (loaded or rejected): the progress line's count. -1
 * (db_error "interrupted") once Ctrl-C has come: the reading stops. */
int import_job_record(struct import_job *j);
/* One row into stage: fields in the table's column order (NULL: SQL NULL). */
int import_job_copy_row(struct import_job *j, const char *const *fields, size_t n);

/* Reads the CSV file at j->path whose header must be columns, and calls row
 * for every record (a malformed one is rejected with the reader's reason).
 * Returns 0, or -1 (a wrong header refuses the whole file). */
typedef int (*import_job_row_fn)(struct import_job *j, long line, char *const *fields, size_t n);
int import_job_csv(struct import_job *j, const char *columns, import_job_row_fn row);
/* For spec.count: the records of a CSV file (its lines but the header). */
long import_job_csv_count(const char *path);

/* Runs steps in order: one whose text has "returning" gives rows (where,
 * reason) that are rejects; the others are run. */
int import_job_steps(struct import_job *j, const char *const *steps, size_t n);

/* The reject step for rows left without a customer (after import_job_match_customer). */
extern const char import_job_unmatched_sql[];

/* The SQL steps that set stage.customer_id from stage.customer (an external
 * id), stage.phone (E.164) and stage.email (lower case) (a number or an
 * address several customers share is ambiguous: never guessed). stage needs
 * columns at, customer, phone, email. */
extern const char *const import_job_match_customer[];
extern const size_t import_job_match_customer_n;

#endif
