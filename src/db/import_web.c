/* import_web.c - ccterm-admin import web FILE.jsonl: web events, one JSON
 * object a line. Every event is kept in web_event; the ones that are
 * contacts (a form sent, a login, a sign-up, a cart, a checkout, a purchase)
 * are also a web interaction on the customer's timeline (README "Imports"). */
#include "config.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db_priv.h"
#include "import_job.h"
#include "ccterm/csv.h"
#include "ccterm/import_channels.h"
#include "ccterm/web_event.h"

static const char stage_sql[] =
	"create temp table stage (at text, line bigint, occurred_at timestamptz, type text, event_id text, "
	"customer text, phone text, email text, visitor_id text, session_id text, url text, title text, data jsonb, "
	"summary text, contact boolean) on commit drop";

static const char *const pre_steps[] = {
	"analyze stage",      /* the steps' plans need its size and spread */
	"alter table stage add column event_key text",
	"update stage set event_key = coalesce('id:' || event_id, 'md5:' || md5(concat_ws('|', type, occurred_at::text, "
	"customer, email, phone, visitor_id, session_id, url, title, data::text)))",
	"with d as (select line, first_value(line) over w first, first_value(at) over w first_at from stage "
	"window w as (partition by event_key order by line)) "
	"delete from stage s using d where s.line = d.line and d.line <> d.first "
	"returning s.at, coalesce('event_id ' || s.event_id, 'the same event') || ' repeats ' || d.first_at",
	"delete from stage s where exists (select 1 from web_event w where w.event_key = s.event_key) "
	"returning s.at, 'already on the record' || coalesce(' (event_id ' || s.event_id || ')', '')",
};

static const char *const post_steps[] = {
	/* A visitor id seen with a known customer (a login, a form with the
	 * e-mail) becomes that customer's web id, so the same browser's
	 * anonymous events, in this file and later ones, are theirs too. Never
	 * one already someone's, nor one this file gives two customers. */
	"with v as (select visitor_id, min(customer_id) customer_id from stage "
	" where customer_id is not null and visitor_id is not null group by visitor_id having count(distinct customer_id) = 1),"
	" n as (select v.* from v where not exists (select 1 from contact_point cp join customer_contact cc"
	"  on cc.contact_point_id = cp.id where cp.kind = 'web' and cp.value = v.visitor_id)),"
	" cp as (insert into contact_point (kind, value) select 'web', visitor_id from n"
	"  on conflict (kind, value) do update set value = excluded.value returning id, value) "
	"insert into customer_contact (customer_id, contact_point_id, label, is_primary) "
	"select n.customer_id, cp.id, 'web', false from n join cp on cp.value = n.visitor_id on conflict do nothing",
	"update stage s set customer_id = m.customer_id from ("
	" select cp.value, min(cc.customer_id) customer_id, count(distinct cc.customer_id) n from contact_point cp"
	" join customer_contact cc on cc.contact_point_id = cp.id where cp.kind = 'web'"
	" and cp.value in (select visitor_id from stage where customer_id is null) group by cp.value) m "
	"where s.customer_id is null and s.visitor_id = m.value and m.n = 1",
	"delete from stage s where customer_id is null returning s.at, case "
	"when s.customer is null and s.email is null and s.phone is null "
	"then 'visitor ' || left(s.visitor_id, 60) || ' is not known (no event ties it to a customer)' "
	"else 'customer ' || concat_ws(', ', '''' || left(s.customer, 60) || '''', s.email, s.phone) || ' not found' "
	"|| coalesce(', nor visitor ' || left(s.visitor_id, 60), '') end",
	"alter table stage add column interaction_id bigint",
	"update stage set interaction_id = nextval(pg_get_serial_sequence('interaction', 'id')) where contact",
	"insert into interaction (id, customer_id, occurred_at, channel, direction, kind, subject, body) "
	"select interaction_id, customer_id, occurred_at, 'web', 'in', "
	"case when type = 'form_submit' then 'inquiry' else 'web_event' end, "
	"left(case type when 'form_submit' then 'Web form: ' || coalesce(title, url, 'sent') "
	" when 'login' then 'Signed in on the web site' when 'signup' then 'Signed up on the web site' "
	" when 'cart_add' then 'Added to the cart: ' || coalesce(title, url, '') "
	" when 'checkout' then 'Checkout on the web site' when 'purchase' then 'Bought on the web site' "
	" || coalesce(': ' || title, '') else type end, 500), "
	"coalesce(summary, url) from stage where contact order by customer_id, occurred_at, line",
	"insert into web_event (customer_id, occurred_at, type, visitor_id, session_id, url, title, data, event_key, "
	"interaction_id) select customer_id, occurred_at, type, visitor_id, session_id, url, title, data, event_key, "
	"interaction_id from stage order by customer_id, occurred_at, line",
};

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* One line into *buf, at most max bytes kept; *too_long when it was longer
 * (the rest is read and dropped). Returns its length, -1 at the end. */
static long line_read(FILE *fp, char **buf, size_t *cap, size_t max, bool *too_long)
{
	size_t len = 0;
	int c;

	*too_long = false;
	while ((c = getc(fp)) != EOF) {
		if (c == '\n')
			break;
		if (len >= max) {
			*too_long = true;
			continue;
		}
		if (len + 2 > *cap) {
			size_t nc = *cap ? *cap * 2 : 4096;
			char *nb = realloc(*buf, nc);

			if (!nb)
				return -2;
			*buf = nb;
			*cap = nc;
		}
		(*buf)[len++] = (char)c;
	}
	if (c == EOF && len == 0 && !*too_long)
		return -1;
	if (*buf)
		(*buf)[len] = '\0';
	return (long)len;
}

static bool blank(const char *s, long n)
{
	for (long i = 0; i < n; i++)
		if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r')
			return false;
	return true;
}

static int stream(struct import_job *j, FILE *fp)
{
	char *buf = NULL, why[512], where[4200], num[24];
	size_t cap = 0;
	long n = 0, line = 0;
	bool too_long;
	int rc = 0;

	while (rc == 0 && (n = line_read(fp, &buf, &cap, WEB_EVENT_LINE_MAX, &too_long)) >= -1) {
		struct web_event_row ev;

		if (n == -1)
			break;
		line++;
		import_job_where(j, line, where, sizeof(where));
		if (too_long) {
			import_job_reject(j, where, "line longer than 1 MiB");
		} else if (blank(buf ? buf : "", n)) {
			continue;
		} else if (web_event_parse(buf, (size_t)n, j->country, &ev, why, sizeof(why)) < 0) {
			import_job_reject(j, where, why);
		} else {
			snprintf(num, sizeof(num), "%ld", line);
			const char *v[] = { where, num, ev.at, ev.type, ev.event_id, ev.customer,
					    ev.phone[0] ? ev.phone : NULL, ev.email[0] ? ev.email : NULL, ev.visitor_id,
					    ev.session_id, ev.url, ev.title, ev.data, ev.summary, ev.contact ? "t" : "f" };
			rc = import_job_copy_row(j, v, N(v));
			web_event_free(&ev);
		}
		if (rc == 0)
			rc = import_job_record(j);
	}
	if (n == -2) {
		db_set_error(j->db, "out of memory");
		rc = -1;
	}
	free(buf);
	return rc;
}

static int read_web(struct import_job *j)
{
	FILE *fp = fopen(j->path, "r");
	int rc;

	if (!fp) {
		db_set_error(j->db, "cannot read %s: %s", j->path, strerror(errno));
		return -1;
	}
	rc = stream(j, fp);
	fclose(fp);
	return rc;
}

static int web_summary(struct import_job *j)
{
	PGresult *res = db_query(j->db, "select count(*) filter (where contact), count(*) filter (where not contact) "
				 "from stage", 0, NULL);

	if (!res)
		return -1;
	snprintf(j->r->summary, sizeof(j->r->summary),
		 "%s contacts (forms, logins, sign-ups, carts, checkouts, purchases) on the timeline; "
		 "%s page views and other events kept in web_event only",
		 PQgetvalue(res, 0, 0), PQgetvalue(res, 0, 1));
	PQclear(res);
	return 0;
}

static const struct import_job_spec web = {
	.what = "web", .unit = "events", .stage_sql = stage_sql,
	.read = read_web, .count = csv_lines_in_file,   /* a JSON object a line */
	.pre_steps = pre_steps, .npre = N(pre_steps),
	.post_steps = post_steps, .npost = N(post_steps),
	.summary = web_summary, .count_sql = "select count(*) from stage",
};

int admin_import_web_with(struct db *db, const char *path, const struct import_options *opt, struct import_result *r)
{
	return import_job_run(db, path, opt, r, &web);
}

int admin_import_web(struct db *db, const char *path, struct import_result *r)
{
	return import_job_run(db, path, NULL, r, &web);
}
