/* import.c - customers and interactions from CSV: every row checked, good
 * rows COPY'd into a staging table and resolved in SQL, all in one
 * transaction; bad rows go to FILE.rejects with their line and reason. */
#include "config.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "db_priv.h"
#include "ccterm/admin.h"
#include "ccterm/csv.h"
#include "ccterm/record.h"

struct import {
	struct db *db;
	const char *path;
	struct import_result *result;
	FILE *rejects;              /* the rejects so far, in rejects_tmp */
	char rejects_tmp[4200];
	bool rejects_failed;
	char country[8];
	char *buf;          /* COPY data waiting to be sent */
	size_t len, cap;
};

/* Rejects go to a temporary file beside FILE.rejects, renamed over it once
 * the import has committed: a killed or failed import never leaves a
 * partial list behind (at most a FILE.rejects.XXXXXX nobody reads). */
static void reject(struct import *im, long line, const char *why)
{
	if (!im->rejects && !im->rejects_failed) {
		int fd;

		snprintf(im->rejects_tmp, sizeof(im->rejects_tmp), "%s.XXXXXX", im->result->rejects_path);
		fd = mkstemp(im->rejects_tmp);
		if (fd >= 0 && !(im->rejects = fdopen(fd, "w")))
			close(fd);
		if (!im->rejects) {
			fprintf(stderr, "ccterm-admin: cannot write %s: %s\n", im->rejects_tmp, strerror(errno));
			if (fd >= 0)
				unlink(im->rejects_tmp);
			im->rejects_failed = true;
		}
	}
	if (im->rejects)
		fprintf(im->rejects, "%s:%ld: %s\n", im->path, line, why);
	im->result->rejected++;
}

/* After the commit: the rejects take their name, whole and synced. */
static int rejects_publish(struct import *im)
{
	FILE *f = im->rejects;
	int rc = 0;

	im->rejects = NULL;
	if (!f)
		return 0;
	if (fflush(f) != 0 || fsync(fileno(f)) < 0 || fchmod(fileno(f), 0644) < 0)
		rc = -1;
	if (fclose(f) != 0)
		rc = -1;
	if (rc == 0 && rename(im->rejects_tmp, im->result->rejects_path) < 0)
		rc = -1;
	if (rc < 0) {
		fprintf(stderr, "ccterm-admin: cannot write %s: %s\n", im->result->rejects_path, strerror(errno));
		unlink(im->rejects_tmp);
	}
	return rc;
}

static void rejects_drop(struct import *im)
{
	if (!im->rejects)
		return;
	fclose(im->rejects);
	im->rejects = NULL;
	unlink(im->rejects_tmp);
}

static int copy_flush(struct import *im)
{
	if (im->len && PQputCopyData(db_pg(im->db), im->buf, (int)im->len) != 1) {
		db_set_error(im->db, "COPY failed: %s", PQerrorMessage(db_pg(im->db)));
		return -1;
	}
	im->len = 0;
	return 0;
}

static int copy_put(struct import *im, const char *s, size_t n)
{
	if (im->len + n > im->cap) {
		size_t cap = im->cap ? im->cap * 2 : 65536;
		char *nb;

		while (cap < im->len + n)
			cap *= 2;
		nb = realloc(im->buf, cap);
		if (!nb) {
			db_set_error(im->db, "out of memory");
			return -1;
		}
		im->buf = nb;
		im->cap = cap;
	}
	memcpy(im->buf + im->len, s, n);
	im->len += n;
	return im->len > 256 * 1024 ? copy_flush(im) : 0;
}

/* One field in COPY's text format: NULL as \N, specials backslash-escaped. */
static int copy_field(struct import *im, const char *s, bool last)
{
	int rc = 0;

	if (!s) {
		rc = copy_put(im, "\\N", 2);
	} else {
		for (const char *p = s; *p && rc == 0; p++) {
			switch (*p) {
			case '\\': rc = copy_put(im, "\\\\", 2); break;
			case '\t': rc = copy_put(im, "\\t", 2); break;
			case '\n': rc = copy_put(im, "\\n", 2); break;
			case '\r': rc = copy_put(im, "\\r", 2); break;
			default: rc = copy_put(im, p, 1); break;
			}
		}
	}
	return rc ? rc : copy_put(im, last ? "\n" : "\t", 1);
}

static int copy_row(struct import *im, long line, const char *const *fields, size_t n)
{
	char num[32];

	snprintf(num, sizeof(num), "%ld", line);
	if (copy_field(im, num, false) < 0)
		return -1;
	for (size_t i = 0; i < n; i++)
		if (copy_field(im, fields[i], i + 1 == n) < 0)
			return -1;
	return 0;
}

static int copy_end(struct import *im)
{
	PGresult *res;
	int rc = 0;

	if (copy_flush(im) < 0 || PQputCopyEnd(db_pg(im->db), NULL) != 1) {
		db_set_error(im->db, "COPY failed: %s", PQerrorMessage(db_pg(im->db)));
		return -1;
	}
	while ((res = PQgetResult(db_pg(im->db)))) {
		if (PQresultStatus(res) != PGRES_COMMAND_OK) {
			db_set_error(im->db, "COPY failed: %s", PQresultErrorMessage(res));
			rc = -1;
		}
		PQclear(res);
	}
	return rc;
}

/* Runs sql, whose rows are (line, reason), and writes each as a reject. */
static int rejects_from(struct import *im, const char *sql)
{
	PGresult *res = db_query(im->db, sql, 0, NULL);

	if (!res)
		return -1;
	for (int i = 0; i < PQntuples(res); i++)
		reject(im, atol(PQgetvalue(res, i, 0)), PQgetvalue(res, i, 1));
	PQclear(res);
	return 0;
}

static long count_loaded(struct db *db, const char *sql)
{
	PGresult *res = db_query(db, sql, 0, NULL);
	long n = res ? atol(PQgetvalue(res, 0, 0)) : -1;

	PQclear(res);
	return n;
}

typedef int (*row_fn)(struct import *im, long line, char *const *fields, size_t n);

/* Opens the file, checks the header, and streams every good row to COPY. */
static int import_stream(struct import *im, const char *columns, const char *stage_sql, row_fn row)
{
	FILE *fp = fopen(im->path, "r");
	struct csv_reader *rd;
	struct csv_record rec;
	char why[512];
	int rc = -1, got;

	if (!fp) {
		db_set_error(im->db, "cannot read %s: %s", im->path, strerror(errno));
		return -1;
	}
	rd = csv_reader_new(fp);
	if (!rd) {
		fclose(fp);
		db_set_error(im->db, "out of memory");
		return -1;
	}
	got = csv_next(rd, &rec);
	if (got <= 0) {
		db_set_error(im->db, "%s: %s", im->path, got == 0 ? "empty file, no header" : csv_error(rd));
		goto out;
	}
	if (!record_header_ok(rec.fields, rec.nfields, columns, why, sizeof(why))) {
		db_set_error(im->db, "%s: refused, wrong header: %s", im->path, why);
		goto out;
	}
	if (db_exec(im->db, stage_sql, 0, NULL) < 0)
		goto out;
	{
		PGresult *res = PQexec(db_pg(im->db), "copy stage from stdin");

		if (PQresultStatus(res) != PGRES_COPY_IN) {
			db_set_error(im->db, "COPY failed: %s", PQresultErrorMessage(res));
			PQclear(res);
			goto out;
		}
		PQclear(res);
	}
	rc = 0;
	while (rc == 0 && (got = csv_next(rd, &rec)) != 0) {
		if (got < 0)
			reject(im, rec.line, csv_error(rd));
		else
			rc = row(im, rec.line, rec.fields, rec.nfields);
	}
	if (copy_end(im) < 0)
		rc = -1;
out:
	csv_reader_free(rd);
	fclose(fp);
	return rc;
}

static int customer_row(struct import *im, long line, char *const *f, size_t n)
{
	struct customer_row r;
	char why[512];

	if (customer_row_check(f, n, im->country, &r, why, sizeof(why)) < 0) {
		reject(im, line, why);
		return 0;
	}
	const char *v[] = { r.external_id, r.name, r.phone[0] ? r.phone : NULL,
			    r.email[0] ? r.email : NULL, r.tier, r.segment, r.branch, r.birth_date,
			    r.gender, r.marital_status, r.rrn };
	return copy_row(im, line, v, sizeof(v) / sizeof(v[0]));
}

static int interaction_row(struct import *im, long line, char *const *f, size_t n)
{
	struct interaction_row r;
	char why[512];

	if (interaction_row_check(f, n, im->country, &r, why, sizeof(why)) < 0) {
		reject(im, line, why);
		return 0;
	}
	const char *v[] = { r.occurred_at, r.channel, r.direction, r.kind, r.customer,
			    r.customer_phone[0] ? r.customer_phone : NULL,
			    r.customer_email[0] ? r.customer_email : NULL, r.subject, r.body, r.amount };
	return copy_row(im, line, v, sizeof(v) / sizeof(v[0]));
}

static const char customer_stage[] =
	"create temp table stage (line bigint, external_id text, name text, phone text, email text, "
	"tier text, segment text, branch text, birth_date date, gender text, marital_status text, "
	"rrn text) on commit drop";

/* Set-based after COPY: later duplicates and unknown branches are rejected,
 * the rest upserted by external_id with their phones and e-mails. */
static const char *const customer_steps[] = {
	"with d as (select line, external_id, min(line) over (partition by external_id) first from stage) "
	"delete from stage s using d where s.line = d.line and d.line <> d.first "
	"returning s.line, 'external_id ' || s.external_id || ' repeats line ' || d.first",
	"delete from stage s where branch is not null and not exists "
	"(select 1 from branch b where b.code = s.branch) "
	"returning line, 'unknown branch ''' || branch || ''''",
};
static const char *const customer_load[] = {
	/* A tier in the file overrides the computed one (sql/repeatable/60_value.sql);
	 * an empty one leaves the tier to the record. */
	"insert into customer (external_id, name, tier, tier_override, segment, branch_code, birth_date, gender, "
	"marital_status) "
	"select external_id, name, coalesce(tier, 'registered'), tier, segment, branch, birth_date, gender, marital_status "
	"from stage order by line on conflict (external_id) do update set name = excluded.name, "
	"tier_override = excluded.tier_override, segment = excluded.segment, branch_code = excluded.branch_code, "
	"birth_date = excluded.birth_date, gender = excluded.gender, marital_status = excluded.marital_status, "
	"updated_at = now(), version = customer.version + 1",
	"insert into customer_secret (customer_id, rrn) select c.id, s.rrn from stage s "
	"join customer c using (external_id) where s.rrn is not null "
	"on conflict (customer_id) do update set rrn = excluded.rrn",
	"insert into contact_point (kind, value) select distinct 'phone', phone from stage "
	"where phone is not null on conflict do nothing",
	"insert into contact_point (kind, value) select distinct 'email', email from stage "
	"where email is not null on conflict do nothing",
	"insert into customer_contact (customer_id, contact_point_id, label, is_primary) "
	"select c.id, cp.id, case when cp.kind = 'email' then 'email' "
	"when cp.value like '+8210%' then 'mobile' else 'home' end, true "
	"from stage s join customer c using (external_id) "
	"join contact_point cp on (cp.kind = 'phone' and cp.value = s.phone) "
	"or (cp.kind = 'email' and cp.value = s.email) on conflict do nothing",
};

static const char interaction_stage[] =
	"create temp table stage (line bigint, occurred_at timestamptz, channel text, direction text, "
	"kind text, customer text, phone text, email text, subject text, body text, amount numeric) "
	"on commit drop";

/* The customer column is an external id, else a phone number, else an
 * e-mail; a number or an address shared by several customers is ambiguous
 * and rejected: the import never guesses. */
static const char *const interaction_steps[] = {
	"alter table stage add column customer_id bigint",
	"update stage s set customer_id = c.id from customer c where c.external_id = s.customer",
	"update stage s set customer_id = m.customer_id from ("
	" select cp.value, min(cc.customer_id) customer_id, count(*) n from contact_point cp"
	" join customer_contact cc on cc.contact_point_id = cp.id where cp.kind = 'phone'"
	" and cp.value in (select phone from stage where customer_id is null) group by cp.value) m "
	"where s.customer_id is null and s.phone = m.value and m.n = 1",
	"update stage s set customer_id = m.customer_id from ("
	" select cp.value, min(cc.customer_id) customer_id, count(distinct cc.customer_id) n from contact_point cp"
	" join customer_contact cc on cc.contact_point_id = cp.id where cp.kind = 'email'"
	" and cp.value in (select email from stage where customer_id is null) group by cp.value) m "
	"where s.customer_id is null and s.email = m.value and m.n = 1",
	"delete from stage s where customer_id is null returning line, "
	"case when (select count(distinct cc.customer_id) from contact_point cp join customer_contact cc "
	"on cc.contact_point_id = cp.id where cp.kind = 'phone' and cp.value = s.phone) > 1 "
	"then 'phone ' || s.phone || ' is shared by several customers; use the external_id' "
	"when (select count(distinct cc.customer_id) from contact_point cp join customer_contact cc "
	"on cc.contact_point_id = cp.id where cp.kind = 'email' and cp.value = s.email) > 1 "
	"then 'e-mail ' || s.email || ' is shared by several customers; use the external_id' "
	"else 'customer ''' || left(s.customer, 60) || ''' not found (external_id, phone or e-mail)' end",
};
static const char *const interaction_load[] = {
	"insert into interaction (customer_id, occurred_at, channel, direction, kind, subject, body, amount_won) "
	"select customer_id, occurred_at, channel, direction, kind, subject, body, round(amount)::bigint "
	"from stage order by line",
};

static int import_run(struct db *db, const char *path, struct import_result *r, const char *columns,
		      const char *stage_sql, row_fn row, const char *const *steps, size_t nsteps,
		      const char *const *load, size_t nload)
{
	struct import im = { .db = db, .path = path, .result = r };
	PGresult *res;
	int rc = -1;

	memset(r, 0, sizeof(*r));
	snprintf(r->rejects_path, sizeof(r->rejects_path), "%s.rejects", path);
	remove(r->rejects_path);   /* a stale one would mislead */
	if (db_exec(db, "begin", 0, NULL) < 0)
		return -1;
	res = db_query(db, "select coalesce((select value from settings where key = 'default_country'), 'KR'), "
			   "set_config('client_min_messages', 'warning', true), "
			   "set_config('timezone', coalesce((select value from settings where key = 'timezone'), "
			   "current_setting('timezone')), true)", 0, NULL);
	if (!res)
		goto out;
	snprintf(im.country, sizeof(im.country), "%s", PQgetvalue(res, 0, 0));
	PQclear(res);
	if (import_stream(&im, columns, stage_sql, row) < 0)
		goto out;
	for (size_t i = 0; i < nsteps; i++)
		if ((strstr(steps[i], "returning") ? rejects_from(&im, steps[i]) : db_exec(db, steps[i], 0, NULL)) < 0)
			goto out;
	for (size_t i = 0; i < nload; i++)
		if (db_exec(db, load[i], 0, NULL) < 0)
			goto out;
	r->loaded = count_loaded(db, "select count(*) from stage");
	{
		char detail[4200];
		const char *p[1] = { detail };

		snprintf(detail, sizeof(detail), "%s: %ld loaded, %ld rejected", path, r->loaded, r->rejected);
		if (db_exec(db, "insert into audit_log (action, detail) values ('import', $1)", 1, p) < 0)
			goto out;
	}
	rc = db_exec(db, "commit", 0, NULL);
out:
	if (rc < 0) {
		char why[512];

		snprintf(why, sizeof(why), "%s", db_error(db));
		PQclear(PQexec(db_pg(db), "rollback"));
		db_set_error(db, "%s", why);
		r->loaded = 0;
	}
	if (rc < 0)
		rejects_drop(&im);          /* nothing was loaded, so nothing was rejected either */
	else
		rejects_publish(&im);
	free(im.buf);
	return rc;
}

#define N(a) (sizeof(a) / sizeof((a)[0]))

int admin_import_customers(struct db *db, const char *path, struct import_result *r)
{
	return import_run(db, path, r, CUSTOMER_COLUMNS, customer_stage, customer_row,
			  customer_steps, N(customer_steps), customer_load, N(customer_load));
}

int admin_import_interactions(struct db *db, const char *path, struct import_result *r)
{
	return import_run(db, path, r, INTERACTION_COLUMNS, interaction_stage, interaction_row,
			  interaction_steps, N(interaction_steps), interaction_load, N(interaction_load));
}
