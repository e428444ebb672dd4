/* import_job.c - the frame every channel importer runs in (import_job.h). */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "db_priv.h"
#include "import_job.h"
#include "ccterm/csv.h"
#include "ccterm/record.h"

static double now_seconds(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

int import_job_begin(struct import_job *j, struct db *db, const char *path, struct import_result *r)
{
	PGresult *res;

	memset(j, 0, sizeof(*j));
	memset(r, 0, sizeof(*r));
	j->db = db;
	j->path = path;
	j->r = r;
	j->t0 = now_seconds();
	snprintf(r->rejects_path, sizeof(r->rejects_path), "%s.rejects", path);
	remove(r->rejects_path);   /* a stale one would mislead */
	if (db_exec(db, "begin", 0, NULL) < 0)
		return -1;
	res = db_query(db, "select coalesce((select value from settings where key = 'default_country'), 'KR'), "
			   "set_config('client_min_messages', 'warning', true), "
			   "set_config('timezone', coalesce((select value from settings where key = 'timezone'), "
			   "current_setting('timezone')), true)", 0, NULL);
	if (!res) {
		PQclear(PQexec(db_pg(db), "rollback"));
		return -1;
	}
	snprintf(j->country, sizeof(j->country), "%s", PQgetvalue(res, 0, 0));
	PQclear(res);
	return 0;
}

const char *import_job_where(const struct import_job *j, long n, char *buf, size_t bufsz)
{
	snprintf(buf, bufsz, "%s:%ld", j->path, n);
	return buf;
}

/* Rejects go to a temporary file beside FILE.rejects, renamed over it once
 * the import has committed (as import.c does). */
void import_job_reject(struct import_job *j, const char *where, const char *why)
{
	if (!j->rejects && !j->rejects_failed) {
		int fd;

		snprintf(j->rejects_tmp, sizeof(j->rejects_tmp), "%s.XXXXXX", j->r->rejects_path);
		fd = mkstemp(j->rejects_tmp);
		if (fd >= 0 && !(j->rejects = fdopen(fd, "w")))
			close(fd);
		if (!j->rejects) {
			fprintf(stderr, "ccterm-admin: cannot write %s: %s\n", j->rejects_tmp, strerror(errno));
			if (fd >= 0)
				unlink(j->rejects_tmp);
			j->rejects_failed = true;
		}
	}
	if (j->rejects) {
		/* one line each, whatever the reason quotes */
		fprintf(j->rejects, "%s: ", where);
		for (const char *p = why; *p; p++)
			fputc(*p == '\n' || *p == '\r' ? ' ' : *p, j->rejects);
		fputc('\n', j->rejects);
	}
	j->r->rejected++;
}

static int rejects_publish(struct import_job *j)
{
	FILE *f = j->rejects;
	int rc = 0;

	j->rejects = NULL;
	if (!f)
		return 0;
	if (fflush(f) != 0 || fsync(fileno(f)) < 0 || fchmod(fileno(f), 0644) < 0)
		rc = -1;
	if (fclose(f) != 0)
		rc = -1;
	if (rc == 0 && rename(j->rejects_tmp, j->r->rejects_path) < 0)
		rc = -1;
	if (rc < 0) {
		fprintf(stderr, "ccterm-admin: cannot write %s: %s\n", j->r->rejects_path, strerror(errno));
		unlink(j->rejects_tmp);
	}
	return rc;
}

static void rejects_drop(struct import_job *j)
{
	if (!j->rejects)
		return;
	fclose(j->rejects);
	j->rejects = NULL;
	unlink(j->rejects_tmp);
}

static int copy_flush(struct import_job *j)
{
	if (j->len && PQputCopyData(db_pg(j->db), j->buf, (int)j->len) != 1) {
		db_set_error(j->db, "COPY failed: %s", PQerrorMessage(db_pg(j->db)));
		return -1;
	}
	j->len = 0;
	return 0;
}

static int copy_put(struct import_job *j, const char *s, size_t n)
{
	if (j->len + n > j->cap) {
		size_t cap = j->cap ? j->cap * 2 : 65536;
		char *nb;

		while (cap < j->len + n)
			cap *= 2;
		if (!(nb = realloc(j->buf, cap))) {
			db_set_error(j->db, "out of memory");
			return -1;
		}
		j->buf = nb;
		j->cap = cap;
	}
	memcpy(j->buf + j->len, s, n);
	j->len += n;
	return j->len > 256 * 1024 ? copy_flush(j) : 0;
}

int import_job_copy_begin(struct import_job *j, const char *stage_sql)
{
	PGresult *res;

	if (db_exec(j->db, stage_sql, 0, NULL) < 0)
		return -1;
	res = PQexec(db_pg(j->db), "copy stage from stdin");
	if (PQresultStatus(res) != PGRES_COPY_IN) {
		db_set_error(j->db, "COPY failed: %s", PQresultErrorMessage(res));
		PQclear(res);
		return -1;
	}
	PQclear(res);
	return 0;
}

/* COPY's text format: NULL as \N, specials backslash-escaped. */
int import_job_copy_row(struct import_job *j, const char *const *fields, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const char *s = fields[i];
		size_t from = 0, k = 0;

		if (!s) {
			if (copy_put(j, "\\N", 2) < 0)
				return -1;
		} else {
			for (; s[k]; k++) {
				const char *esc = s[k] == '\\' ? "\\\\" : s[k] == '\t' ? "\\t" : s[k] == '\n' ? "\\n"
						  : s[k] == '\r' ? "\\r" : NULL;

				if (!esc)
					continue;
				if (copy_put(j, s + from, k - from) < 0 || copy_put(j, esc, 2) < 0)
					return -1;
				from = k + 1;
			}
			if (copy_put(j, s + from, k - from) < 0)
				return -1;
		}
		if (copy_put(j, i + 1 == n ? "\n" : "\t", 1) < 0)
			return -1;
	}
	return 0;
}

int import_job_copy_end(struct import_job *j)
{
	PGresult *res;
	int rc = 0;

	if (copy_flush(j) < 0 || PQputCopyEnd(db_pg(j->db), NULL) != 1) {
		db_set_error(j->db, "COPY failed: %s", PQerrorMessage(db_pg(j->db)));
		rc = -1;
	}
	while ((res = PQgetResult(db_pg(j->db)))) {
		if (PQresultStatus(res) != PGRES_COMMAND_OK) {
			db_set_error(j->db, "COPY failed: %s", PQresultErrorMessage(res));
			rc = -1;
		}
		PQclear(res);
	}
	return rc;
}

int import_job_steps(struct import_job *j, const char *const *steps, size_t n)
{
	for (size_t i = 0; i < n; i++) {
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
	}
out:
	csv_reader_free(rd);
	fclose(fp);
	return rc;
}

int import_job_finish(struct import_job *j, int rc, const char *what, const char *count_sql)
{
	struct db *db = j->db;

	if (rc == 0 && count_sql) {
		PGresult *res = db_query(db, count_sql, 0, NULL);

		if (!res)
			rc = -1;
		else
			j->r->loaded = atol(PQgetvalue(res, 0, 0));
		PQclear(res);
	}
	if (rc == 0) {
		char detail[4400];
		const char *p[1] = { detail };

		snprintf(detail, sizeof(detail), "import %s %s: %ld loaded, %ld rejected", what, j->path,
			 j->r->loaded, j->r->rejected);
		if (db_exec(db, "insert into audit_log (action, detail) values ('import', $1)", 1, p) < 0)
			rc = -1;
	}
	if (rc == 0)
		rc = db_exec(db, "commit", 0, NULL);
	if (rc < 0) {
		char why[1024];

		snprintf(why, sizeof(why), "%s", db_error(db));
		PQclear(PQexec(db_pg(db), "rollback"));
		db_set_error(db, "%s", why);
		j->r->loaded = 0;
		j->r->rejected = 0;
		rejects_drop(j);     /* nothing was loaded, so nothing was rejected either */
	} else {
		rejects_publish(j);
	}
	free(j->buf);
	j->buf = NULL;
	j->r->seconds = now_seconds() - j->t0;
	return rc;
}
