/* import.c - customers and interactions from CSV: every row checked, good
 * rows COPY'd into a staging table and resolved in SQL, all in one
 * transaction; bad rows go to FILE.rejects with their line and reason. */
#include "config.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "db_priv.h"
#include "copy_stream.h"
#include "rejects_file.h"
#include "ccterm/admin.h"
#include "ccterm/csv.h"
#include "ccterm/interrupt.h"
#include "ccterm/progress.h"
#include "ccterm/record.h"

struct import {
	struct db *db;
	const struct import_options *opt;
	const char *path;
	struct import_result *result;
	struct rejects_file rejects;
	struct copy_stream copy;
	char country[8];
	struct progress *progress;   /* NULL: none */
	long rows_read, rows_total;  /* rows_total: 0 when not known */
};

static void reject(struct import *im, long line, const char *why)
{
	char where[4200];

	snprintf(where, sizeof(where), "%s:%ld", im->path, line);
	rejects_file_add(&im->rejects, where, why);
	im->result->rejected++;
}

/* The line number first, then the fields. */
static int copy_row(struct import *im, long line, const char *const *fields, size_t n)
{
	const char *v[16];
	char num[32];

	if (n + 1 > sizeof(v) / sizeof(v[0])) {
		db_set_error(im->db, "import: %zu columns", n);
		return -1;
	}
	snprintf(num, sizeof(num), "%ld", line);
	v[0] = num;
	memcpy(v + 1, fields, n * sizeof(*fields));
	return copy_stream_row(&im->copy, v, n + 1);
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

/* The rows a regular file holds, for the progress line's total: its lines
 * but the header (a quoted field with a newline makes it a little high;
 * the final summary has the exact counts). 0 for a pipe, which cannot be
 * read twice, or when no progress is shown. */
static long rows_in_file(const char *path, const struct progress *p)
{
	long lines = progress_shown(p) ? csv_lines_in_file(path) : 0;

	return lines > 1 ? lines - 1 : 0;
}

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
	if (db_exec(im->db, stage_sql, 0, NULL) < 0 || copy_stream_begin(&im->copy, im->db, "copy stage from stdin") < 0)
		goto out;
	rc = 0;
	progress_phase(im->progress, "reading");
	while (rc == 0 && (got = csv_next(rd, &rec)) != 0) {
		if (got < 0)
			reject(im, rec.line, csv_error(rd));
		else
			rc = row(im, rec.line, rec.fields, rec.nfields);
		progress_tick(im->progress, ++im->rows_read, im->rows_total);
		if (db_interrupted()) {
			db_set_error(im->db, "interrupted");
			rc = -1;
		}
	}
	if (copy_stream_end(&im->copy) < 0)
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
	"delete from stage s where branch !~ '^[A-Z0-9_-]{1,16}$' "
	"returning line, 'branch ''' || left(branch, 20) || ''' is not a branch code (A-Z, 0-9, _ and -, 16 at most)'",
};
/* --create-branches: the branches the file names are made first (name = code). */
static const char create_branches_sql[] =
	"with n as (insert into branch (code, name) select distinct branch, branch from stage s "
	"where branch is not null and not exists (select 1 from branch b where b.code = s.branch) "
	"on conflict do nothing returning 1) select count(*) from n";
/* Otherwise: one line for them all, most rows first, then a reject per row. */
static const char unknown_branches_sql[] =
	"select sum(n), string_agg(branch || ' (' || n || ')', ', ' order by n desc, branch) from "
	"(select branch, count(*) n from stage s where branch is not null and not exists "
	"(select 1 from branch b where b.code = s.branch) group by branch) u having count(*) > 0";
static const char unknown_branch_rejects_sql[] =
	"delete from stage s where branch is not null and not exists "
	"(select 1 from branch b where b.code = s.branch) "
	"returning line, 'unknown branch ''' || branch || ''''";
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

/*
 * After the COPY, set-based (bench/IMPORT.md has the figures):
 *  1. the distinct customer values of the file (a few thousand, not a row
 *     each) are resolved: an external id, else a phone number, else an
 *     e-mail; a number or an address shared by several customers is
 *     ambiguous and rejected: the import never guesses;
 *  2. the rows of unresolved values are rejected with the value's reason;
 *  3. the rest goes into interaction in chunks of the staging table's
 *     pages (a TID range scan each), each in customer order (the file's
 *     order within a customer), so the timeline indexes, which lead with
 *     customer_id, are written in runs rather than at random; the progress
 *     line counts the rows really inserted;
 *  4. the figures' statement trigger is held back meanwhile (ccterm.bulk)
 *     and run once at the end for the customers touched, as the trigger
 *     would have for one statement. (Sorting the whole file by customer
 *     first into a table of its own cost more than it saved: bench/IMPORT.md.)
 */
static const char *const interaction_resolve[] = {
	"create temp table stage_key on commit drop as "
	"select customer, min(phone) phone, min(email) email, null::bigint customer_id, null::text why "
	"from stage group by customer",
	"update stage_key k set customer_id = c.id from customer c where c.external_id = k.customer",
	"update stage_key k set customer_id = m.customer_id from ("
	" select cp.value, min(cc.customer_id) customer_id, count(*) n from contact_point cp"
	" join customer_contact cc on cc.contact_point_id = cp.id where cp.kind = 'phone'"
	" and cp.value in (select phone from stage_key where customer_id is null) group by cp.value) m "
	"where k.customer_id is null and k.phone = m.value and m.n = 1",
	"update stage_key k set customer_id = m.customer_id from ("
	" select cp.value, min(cc.customer_id) customer_id, count(distinct cc.customer_id) n from contact_point cp"
	" join customer_contact cc on cc.contact_point_id = cp.id where cp.kind = 'email'"
	" and cp.value in (select email from stage_key where customer_id is null) group by cp.value) m "
	"where k.customer_id is null and k.email = m.value and m.n = 1",
	"update stage_key k set why = "
	"case when (select count(distinct cc.customer_id) from contact_point cp join customer_contact cc "
	"on cc.contact_point_id = cp.id where cp.kind = 'phone' and cp.value = k.phone) > 1 "
	"then 'phone ' || k.phone || ' is shared by several customers; use the external_id' "
	"when (select count(distinct cc.customer_id) from contact_point cp join customer_contact cc "
	"on cc.contact_point_id = cp.id where cp.kind = 'email' and cp.value = k.email) > 1 "
	"then 'e-mail ' || k.email || ' is shared by several customers; use the external_id' "
	"else 'customer ''' || left(k.customer, 60) || ''' not found (external_id, phone or e-mail)' end "
	"where customer_id is null",
};
static const char interaction_rejects_sql[] =
	"select s.line, k.why from stage s join stage_key k using (customer) where k.customer_id is null order by s.line";
/* One chunk: the rows of a range of the staging table's pages, in customer
 * order within it (the file's order within a customer). */
static const char interaction_chunk_sql[] =
	"insert into interaction (customer_id, occurred_at, channel, direction, kind, subject, body, amount_won) "
	"select k.customer_id, s.occurred_at, s.channel, s.direction, s.kind, s.subject, s.body, round(s.amount)::bigint "
	"from stage s join stage_key k using (customer) "
	"where s.ctid >= $1::tid and s.ctid < $2::tid and k.customer_id is not null order by k.customer_id, s.line";
/* What customer_metrics_on_interaction would have done for the statement. */
static const char interaction_metrics_sql[] =
	"select import_metrics_refresh(array(select customer_id from stage_key where customer_id is not null))";

/*
 * The foreign key to customer costs as much as every index together (per
 * row an SPI lookup locking the customer: bench/IMPORT.md). Every
 * customer_id here comes from a join with customer in this transaction, so
 * a superuser (who may, as demo-data does) loads with triggers off
 * (session_replication_role = replica) after locking the few thousand
 * customers FOR KEY SHARE, as the checks would have: none can go away
 * before the commit. Only while interaction has no trigger but the two
 * below, whose work is done here (the figures) or none for an import (the
 * case escalation): any other trigger keeps the checked path.
 */
static const char unchecked_ok_sql[] =
	"select (select rolsuper from pg_roles where rolname = current_user) and not exists "
	"(select 1 from pg_trigger where tgrelid = 'interaction'::regclass and not tgisinternal "
	"and tgname not in ('customer_metrics_on_interaction', 'case_escalate_on_contact'))";
static const char lock_customers_sql[] =
	"with l as (select c.id from customer c where c.id in "
	"(select customer_id from stage_key where customer_id is not null) for key share of c) "
	"select count(*) from l";

#define CHUNK_ROWS 50000L

/* Runs sql; the count of rows its command status reports, or -1. */
static long exec_count(struct db *db, const char *sql, int nparams, const char *const *params)
{
	PGresult *res = db_query(db, sql, nparams, params);
	long n = res ? atol(PQcmdTuples(res)) : -1;

	PQclear(res);
	return n;
}

static int interaction_load(struct import *im)
{
	struct db *db = im->db;
	long blocks, rows, per, done = 0;
	bool unchecked = false;

	progress_phase(im->progress, "resolving customers");
	for (size_t i = 0; i < sizeof(interaction_resolve) / sizeof(interaction_resolve[0]); i++)
		if (db_exec(db, interaction_resolve[i], 0, NULL) < 0)
			return -1;
	if (rejects_from(im, interaction_rejects_sql) < 0)
		return -1;
	rows = count_loaded(db, "select count(*) from stage s join stage_key k using (customer) "
			       "where k.customer_id is not null");
	blocks = count_loaded(db, "select pg_relation_size('stage') / current_setting('block_size')::int");
	if (blocks < 0 || db_exec(db, "set local ccterm.bulk = on", 0, NULL) < 0)
		return -1;
	if (rows > 0 && getenv("CCTERM_IMPORT_CHECKED") == NULL) {   /* the env: the bench's other figure */
		PGresult *res = db_query(db, unchecked_ok_sql, 0, NULL);

		if (!res)
			return -1;
		unchecked = strcmp(PQgetvalue(res, 0, 0), "t") == 0;
		PQclear(res);
		if (unchecked && (count_loaded(db, lock_customers_sql) < 0 ||
				  db_exec(db, "set local session_replication_role = replica", 0, NULL) < 0))
			return -1;
	}
	/* pages per chunk for about CHUNK_ROWS rows */
	per = im->rows_read > 0 ? blocks * CHUNK_ROWS / im->rows_read + 1 : 1;
	progress_phase(im->progress, "inserting");
	progress_tick(im->progress, 0, rows);
	for (long b = 0; rows > 0 && b < blocks; b += per) {
		char lo[32], hi[32];
		const char *p[2] = { lo, hi };
		long n;

		snprintf(lo, sizeof(lo), "(%ld,0)", b);
		snprintf(hi, sizeof(hi), "(%ld,0)", b + per);
		n = exec_count(db, interaction_chunk_sql, 2, p);
		if (n < 0)
			return -1;
		done += n;
		progress_tick(im->progress, done, rows);
		if (db_interrupted()) {
			db_set_error(db, "interrupted");
			return -1;
		}
	}
	if (done != rows) {
		db_set_error(db, "import: %ld rows inserted of %ld", done, rows);
		return -1;
	}
	progress_phase(im->progress, "customers' figures");
	/* (its steps are not this line's rows: not shown) */
	if ((unchecked && db_exec(db, "set local session_replication_role = origin", 0, NULL) < 0) ||
	    db_exec(db, "set local ccterm.bulk = off", 0, NULL) < 0 ||
	    db_exec(db, "set local ccterm.progress = off", 0, NULL) < 0 ||
	    db_exec(db, interaction_metrics_sql, 0, NULL) < 0)
		return -1;
	im->result->loaded = done;
	return 0;
}

/* Unknown branches: created (--create-branches) or summed up in one line. */
static int branches_step(struct import *im)
{
	PGresult *res;

	if (im->opt && im->opt->create_branches) {
		res = db_query(im->db, create_branches_sql, 0, NULL);
		if (!res)
			return -1;
		im->result->branches_created = atol(PQgetvalue(res, 0, 0));
		PQclear(res);
		return 0;
	}
	res = db_query(im->db, unknown_branches_sql, 0, NULL);
	if (!res)
		return -1;
	if (PQntuples(res) == 1) {
		char list[700];
		const char *l = PQgetvalue(res, 0, 1);
		size_t n = strlen(l);

		/* a long list is cut at a whole name */
		if (n >= sizeof(list)) {
			n = sizeof(list) - 6;
			while (n > 0 && l[n] != ',')
				n--;
		}
		snprintf(list, sizeof(list), "%.*s%s", (int)n, l, n < strlen(l) ? ", ..." : "");
		snprintf(im->result->summary, sizeof(im->result->summary),
			 "%s rows name unknown branches: %s; create them with ccterm-admin branch add or --create-branches",
			 PQgetvalue(res, 0, 0), list);
	}
	PQclear(res);
	return rejects_from(im, unknown_branch_rejects_sql);
}

/* The first few flagged rows with the customer each looks like, and why. */
static int duplicate_examples(struct import *im)
{
	static const char sql[] =
		"with s as (select st.line, c.id, c.external_id from stage st join customer c using (external_id)) "
		"select x.line, x.external_id, coalesce(o.external_id, o.id::text), p.reasons "
		"from (select array_agg(id) ids from s) i, duplicate_pairs(i.ids) p "
		"join s x on x.id in (p.a, p.b) "
		"join customer o on o.id = case when x.id = p.a then p.b else p.a end "
		"order by x.line, o.id limit 5";
	PGresult *res = db_query(im->db, sql, 0, NULL);
	char *out = im->result->duplicate_examples;
	size_t sz = sizeof(im->result->duplicate_examples), len;

	if (!res)
		return -1;
	out[0] = '\0';
	for (int i = 0; i < PQntuples(res); i++) {
		len = strlen(out);
		snprintf(out + len, sz - len, "%sline %s (%s) looks like customer %s: %s", i ? "; " : "",
			 PQgetvalue(res, i, 0), PQgetvalue(res, i, 1), PQgetvalue(res, i, 2), PQgetvalue(res, i, 3));
	}
	PQclear(res);
	return 0;
}

static double now_seconds(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

typedef int (*load_fn)(struct import *im);

/* The customers' load: the steps, the branches, the upserts. */
static int customer_load_run(struct import *im)
{
	for (size_t i = 0; i < sizeof(customer_steps) / sizeof(customer_steps[0]); i++)
		if (rejects_from(im, customer_steps[i]) < 0)
			return -1;
	if (branches_step(im) < 0)
		return -1;
	progress_phase(im->progress, "loading");
	for (size_t i = 0; i < sizeof(customer_load) / sizeof(customer_load[0]); i++)
		if (db_exec(im->db, customer_load[i], 0, NULL) < 0)
			return -1;
	im->result->loaded = count_loaded(im->db, "select count(*) from stage");
	return im->result->loaded < 0 ? -1 : 0;
}

static int import_run(struct db *db, const char *path, const struct import_options *opt, struct import_result *r,
		      const char *columns, const char *stage_sql, row_fn row, load_fn load)
{
	struct import im = { .db = db, .opt = opt, .path = path, .result = r,
			     .progress = opt ? opt->progress : NULL };
	PGresult *res;
	double t0 = now_seconds();
	int rc = -1;

	memset(r, 0, sizeof(*r));
	snprintf(r->rejects_path, sizeof(r->rejects_path), "%s.rejects", path);
	rejects_file_open(&im.rejects, r->rejects_path);
	/* The staging tables of a large file stay in memory (the default is
	 * 8 MB): possible only before the session's first temporary table, so
	 * a second import on the same connection keeps what the first had. */
	PQclear(PQexec(db_pg(db), "set temp_buffers = '512MB'"));
	if (db_exec(db, "begin", 0, NULL) < 0)
		return -1;
	res = db_query(db, "select coalesce((select value from settings where key = 'default_country'), 'KR'), "
			   "set_config('client_min_messages', 'warning', true), "
			   "set_config('work_mem', '256MB', true), "   /* the sort by customer, the hash joins */
			   "set_config('timezone', coalesce((select value from settings where key = 'timezone'), "
			   "current_setting('timezone')), true)", 0, NULL);
	if (!res)
		goto out;
	snprintf(im.country, sizeof(im.country), "%s", PQgetvalue(res, 0, 0));
	PQclear(res);
	im.rows_total = rows_in_file(path, im.progress);
	if (import_stream(&im, columns, stage_sql, row) < 0 || load(&im) < 0)
		goto out;
	if (strcmp(columns, CUSTOMER_COLUMNS) == 0 && r->loaded > 0) {
		/* flagged, never merged: ccterm-admin duplicates lists them */
		r->duplicates = count_loaded(db, "select count(distinct case when d.a = any(s.ids) then d.a else d.b end) "
					     "from (select array_agg(c.id) ids from stage join customer c using (external_id)) s, "
					     "duplicate_pairs(s.ids) d");
		if (r->duplicates > 0 && duplicate_examples(&im) < 0)
			goto out;
		if (r->duplicates < 0)
			goto out;
	}
	{
		char detail[4200];
		const char *p[1] = { detail };

		snprintf(detail, sizeof(detail), "%s: %ld loaded, %ld rejected, %ld branches created", path, r->loaded,
			 r->rejected, r->branches_created);
		if (db_exec(db, "insert into audit_log (action, detail) values ('import', $1)", 1, p) < 0)
			goto out;
	}
	/* the last moment Ctrl-C can undo it all; once the commit is sent it counts */
	if (db_interrupted()) {
		db_set_error(db, "interrupted");
		goto out;
	}
	progress_phase(im.progress, "committing");
	rc = db_exec(db, "commit", 0, NULL);
out:
	if (rc < 0) {
		char why[512];

		snprintf(why, sizeof(why), "%s", db_error(db));
		PQclear(PQexec(db_pg(db), "rollback"));
		if (db_interrupted())
			db_set_error(db, "interrupted: rolled back, nothing was loaded");
		else
			db_set_error(db, "%s", why);
		r->loaded = 0;
		r->interrupted = db_interrupted();
	}
	if (rc < 0)
		rejects_file_drop(&im.rejects);   /* nothing was loaded, so nothing was rejected either */
	else
		rejects_file_publish(&im.rejects);
	r->seconds = now_seconds() - t0;
	return rc;
}

int admin_import_customers_with(struct db *db, const char *path, const struct import_options *opt,
				struct import_result *r)
{
	return import_run(db, path, opt, r, CUSTOMER_COLUMNS, customer_stage, customer_row, customer_load_run);
}

int admin_import_customers(struct db *db, const char *path, struct import_result *r)
{
	return admin_import_customers_with(db, path, NULL, r);
}

int admin_import_interactions_with(struct db *db, const char *path, const struct import_options *opt,
				   struct import_result *r)
{
	return import_run(db, path, opt, r, INTERACTION_COLUMNS, interaction_stage, interaction_row, interaction_load);
}

int admin_import_interactions(struct db *db, const char *path, struct import_result *r)
{
	return admin_import_interactions_with(db, path, NULL, r);
}
