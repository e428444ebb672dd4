/* import_job.c - the frame every channel importer runs in (import_job.h). */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "db_priv.h"
#include "import_job.h"
#include "ccterm/csv.h"
#include "ccterm/interrupt.h"
#include "ccterm/progress.h"
#include "ccterm/record.h"

static double now_seconds(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* The transaction, with the default country and the center's timezone. */
static int begin(struct import_job *j)
{
	PGresult *res;

	if (db_exec(j->db, "begin", 0, NULL) < 0)
		return -1;
	res = db_query(j->db, "select coalesce((select value from settings where key = 'default_country'), 'KR'), "
			      "set_config('client_min_messages', 'warning', true), "
			      "set_config('timezone', coalesce((select value from settings where key = 'timezone'), "
			      "current_setting('timezone')), true)", 0, NULL);
	if (!res)
		return -1;
	snprintf(j->country, sizeof(j->country), "%s", PQgetvalue(res, 0, 0));
	PQclear(res);
	return 0;
}

const char *import_job_where(const struct import_job *j, long n, char *buf, size_t bufsz)
{
	snprintf(buf, bufsz, "%s:%ld", j->path, n);
	return buf;
}

void import_job_reject(struct import_job *j, const char *where, const char *why)
{
	rejects_file_add(&j->rejects, where, why);
	j->r->rejected++;
}

static int interrupted(struct db *db)
{
	if (!db_interrupted())
		return 0;
	db_set_error(db, "interrupted");
	return -1;
}

int import_job_record(struct import_job *j)
{
	progress_tick(j->progress, ++j->records, j->total);
	return interrupted(j->db);
}

int import_job_copy_row(struct import_job *j, const char *const *fields, size_t n)
{
	return copy_stream_row(&j->copy, fields, n);
}

int import_job_steps(struct import_job *j, const char *const *steps, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (interrupted(j->db) < 0)
			return -1;
		if (strstr(steps[i], "returning")) {
			PGresult *res = db_query(j->db, steps[i], 0, NULL);

			if (!res)
				return -1;
			for (int k = 0; k < PQntuples(res); k++)
				import_job_reject(j, PQgetvalue(res, k, 0), PQgetvalue(res, k, 1));
			PQclear(res);
		} else if (db_exec(j->db, steps[i], 0, NULL) < 0) {
			return -1;
		}
	}
	return 0;
}

/* As import interactions: an external id, else a phone number, else an
 * e-mail; shared numbers and addresses are ambiguous, never guessed. */
const char *const import_job_match_customer[] = {
	"alter table stage add column customer_id bigint",
	/* a merged customer's id leads to the survivor */
	"update stage s set customer_id = coalesce(c.merged_into, c.id) from customer c where c.external_id = s.customer",
	"update stage s set customer_id = m.customer_id from ("
	" select cp.value, min(cc.customer_id) customer_id, count(distinct cc.customer_id) n from contact_point cp"
	" join customer_contact cc on cc.contact_point_id = cp.id where cp.kind = 'phone'"
	" and cp.value in (select phone from stage where customer_id is null) group by cp.value) m "
	"where s.customer_id is null and s.phone = m.value and m.n = 1",
	"update stage s set customer_id = m.customer_id from ("
	" select cp.value, min(cc.customer_id) customer_id, count(distinct cc.customer_id) n from contact_point cp"
	" join customer_contact cc on cc.contact_point_id = cp.id where cp.kind = 'email'"
	" and cp.value in (select email from stage where customer_id is null) group by cp.value) m "
	"where s.customer_id is null and s.email = m.value and m.n = 1",
};
const size_t import_job_match_customer_n = sizeof(import_job_match_customer) / sizeof(import_job_match_customer[0]);

const char import_job_unmatched_sql[] =
	"delete from stage s where customer_id is null returning s.at, "
	"case when (select count(distinct cc.customer_id) from contact_point cp join customer_contact cc "
	"on cc.contact_point_id = cp.id where cp.kind = 'phone' and cp.value = s.phone) > 1 "
	"then 'phone ' || s.phone || ' is shared by several customers; use the customer id' "
	"when (select count(distinct cc.customer_id) from contact_point cp join customer_contact cc "
	"on cc.contact_point_id = cp.id where cp.kind = 'email' and cp.value = s.email) > 1 "
	"then 'e-mail ' || s.email || ' is shared by several customers; use the customer id' "
	"else 'customer ''' || left(s.customer, 60) || ''' not found (customer id, phone or e-mail)' end";

int import_job_csv(struct import_job *j, const char *columns, import_job_row_fn row)
{
	FILE *fp = fopen(j->path, "r");
	struct csv_reader *rd;
	struct csv_record rec;
	char why[512], where[4200];
	int rc = -1, got;

	if (!fp) {
		db_set_error(j->db, "cannot read %s: %s", j->path, strerror(errno));
		return -1;
	}
	if (!(rd = csv_reader_new(fp))) {
		fclose(fp);
		db_set_error(j->db, "out of memory");
		return -1;
	}
	got = csv_next(rd, &rec);
	if (got <= 0) {
		db_set_error(j->db, "%s: %s", j->path, got == 0 ? "empty file, no header" : csv_error(rd));
		goto out;
	}
	if (!record_header_ok(rec.fields, rec.nfields, columns, why, sizeof(why))) {
		db_set_error(j->db, "%s: refused, wrong header: %s", j->path, why);
		goto out;
	}
	rc = 0;
	while (rc == 0 && (got = csv_next(rd, &rec)) != 0) {
		if (got < 0)
			import_job_reject(j, import_job_where(j, rec.line, where, sizeof(where)), csv_error(rd));
		else
			rc = row(j, rec.line, rec.fields, rec.nfields);
		if (rc == 0)
			rc = import_job_record(j);
	}
out:
	csv_reader_free(rd);
	fclose(fp);
	return rc;
}

long import_job_csv_count(const char *path)
{
	long lines = csv_lines_in_file(path);

	return lines > 1 ? lines - 1 : 0;
}

/* Reading: the stage, COPY, the importer's reader. */
static int load_stage(struct import_job *j, const struct import_job_spec *spec)
{
	int rc;

	if (db_exec(j->db, spec->stage_sql, 0, NULL) < 0 ||
	    copy_stream_begin(&j->copy, j->db, "copy stage from stdin") < 0)
		return -1;
	progress_unit(j->progress, spec->unit);
	progress_phase(j->progress, "reading");
	rc = spec->read(j);
	if (copy_stream_end(&j->copy) < 0)
		rc = -1;
	return rc;
}

/* The steps after reading, each phase named on the progress line (the
 * counts stay the records read). */
static int settle(struct import_job *j, const struct import_job_spec *spec)
{
	progress_phase(j->progress, "checking");
	if (import_job_steps(j, spec->pre_steps, spec->npre) < 0)
		return -1;
	progress_phase(j->progress, "matching customers");
	if (import_job_steps(j, import_job_match_customer, import_job_match_customer_n) < 0)
		return -1;
	/* the figures' trigger would report its own steps (job_progress) on the
	 * line: not the records it counts (as import interactions) */
	progress_phase(j->progress, "loading");
	if (db_exec(j->db, "set local ccterm.progress = off", 0, NULL) < 0 ||
	    import_job_steps(j, spec->post_steps, spec->npost) < 0)
		return -1;
	return spec->summary ? spec->summary(j) : 0;
}

static long count_of(struct db *db, const char *sql)
{
	PGresult *res = db_query(db, sql, 0, NULL);
	long n = res ? atol(PQgetvalue(res, 0, 0)) : -1;

	PQclear(res);
	return n;
}

/* The count, the audit row, the commit: the last moment Ctrl-C can undo it
 * all; once the commit is sent it counts. */
static int finish(struct import_job *j, const struct import_job_spec *spec)
{
	char detail[4400];
	const char *p[1] = { detail };

	if ((j->r->loaded = count_of(j->db, spec->count_sql)) < 0)
		return -1;
	snprintf(detail, sizeof(detail), "import %s %s: %ld loaded, %ld rejected", spec->what, j->path,
		 j->r->loaded, j->r->rejected);
	if (db_exec(j->db, "insert into audit_log (action, detail) values ('import', $1)", 1, p) < 0 ||
	    interrupted(j->db) < 0)
		return -1;
	progress_phase(j->progress, "committing");
	return db_exec(j->db, "commit", 0, NULL);
}

int import_job_run(struct db *db, const char *path, const struct import_options *opt, struct import_result *r,
		   const struct import_job_spec *spec)
{
	struct import_job j = { .db = db, .path = path, .r = r, .progress = opt ? opt->progress : NULL };
	double t0 = now_seconds();
	int rc;

	memset(r, 0, sizeof(*r));
	snprintf(r->rejects_path, sizeof(r->rejects_path), "%s.rejects", path);
	rejects_file_open(&j.rejects, r->rejects_path);
	if (spec->count && progress_shown(j.progress))
		j.total = spec->count(path);
	rc = begin(&j);
	if (rc == 0)
		rc = load_stage(&j, spec);
	if (rc == 0)
		rc = settle(&j, spec);
	if (rc == 0)
		rc = finish(&j, spec);
	if (rc < 0) {
		char why[1024];

		snprintf(why, sizeof(why), "%s", db_error(db));
		PQclear(PQexec(db_pg(db), "rollback"));
		if (db_interrupted())
			db_set_error(db, "interrupted: rolled back, nothing was loaded");
		else
			db_set_error(db, "%s", why);
		r->loaded = 0;
		r->rejected = 0;
		r->summary[0] = '\0';
		r->interrupted = db_interrupted();
		rejects_file_drop(&j.rejects);   /* nothing was loaded, so nothing was rejected either */
	} else {
		rejects_file_publish(&j.rejects);
	}
	r->seconds = now_seconds() - t0;
	return rc;
}
