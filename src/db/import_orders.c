/* import_orders.c - ccterm-admin import orders FILE.csv: store POS orders
 * with their lines, one CSV row per order line with the order's fields
 * repeated (README "Imports"). An order is loaded whole or not at all: a
 * bad line rejects its order's other lines too, so no total is wrong. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "db_priv.h"
#include "import_job.h"
#include "ccterm/channel_rows.h"
#include "ccterm/import_channels.h"
#include "ccterm/utf8.h"

static const char stage_sql[] =
	"create temp table stage (at text, line bigint, bad boolean, order_no text, ordered_at timestamptz, "
	"customer text, phone text, email text, branch text, channel text, status text, total numeric, "
	"line_no integer, sku text, name text, qty integer, price numeric) on commit drop";

static const char *const pre_steps[] = {
	"analyze stage",      /* the steps' plans need its size and spread */
	"delete from stage s where not s.bad and s.order_no in (select order_no from stage where bad) "
	"returning s.at, 'order ' || s.order_no || ': another of its lines is rejected (' || "
	"(select min(b.at) from stage b where b.bad and b.order_no = s.order_no) || ')'",
	"delete from stage where bad",
	"with o as (select order_no from stage group by order_no having count(distinct (ordered_at, customer, "
	"coalesce(branch, ''), channel, status, coalesce(total::text, ''))) > 1) "
	"delete from stage s using o where s.order_no = o.order_no "
	"returning s.at, 'order ' || s.order_no || ': its lines do not agree on ordered_at, customer, branch, "
	"channel, status or total'",
	"update stage s set line_no = x.n from (select line, row_number() over (partition by order_no order by line) n "
	"from stage) x where s.line = x.line and s.line_no is null",
	"with o as (select order_no from stage group by order_no having count(*) <> count(distinct line_no)) "
	"delete from stage s using o where s.order_no = o.order_no "
	"returning s.at, 'order ' || s.order_no || ': a line_no repeats'",
	"delete from stage s where exists (select 1 from orders o where o.order_no = s.order_no) "
	"returning s.at, 'order ' || s.order_no || ' is already on the record'",
};

static const char *const post_steps[] = {
	import_job_unmatched_sql,
	"delete from stage s where s.branch is not null and not exists (select 1 from branch b where b.code = s.branch) "
	"returning s.at, 'unknown branch ''' || s.branch || ''' (ccterm-admin branch add)'",
	"alter table stage add column order_id bigint",
	"with o as materialized (select order_no, nextval(pg_get_serial_sequence('orders', 'id')) id "
	"from (select distinct order_no from stage) d) "
	"update stage s set order_id = o.id from o where o.order_no = s.order_no",
	"insert into orders (id, order_no, customer_id, ordered_at, channel, status, total_won, branch_code) "
	"select order_id, order_no, min(customer_id), min(ordered_at), min(channel), min(status), "
	"round(coalesce(min(total), sum(qty * price)))::bigint, min(branch) from stage group by order_id, order_no "
	"order by min(customer_id), min(ordered_at)",
	"insert into order_line (order_id, line_no, sku, name, qty, price_won) "
	"select order_id, line_no, sku, name, qty, round(price)::bigint from stage",
	/* on the timeline: one interaction per order, as the console shows orders */
	"insert into interaction (customer_id, occurred_at, channel, direction, kind, subject, status, amount_won, "
	"branch_code, order_id) "
	"select o.customer_id, o.ordered_at, o.channel, 'in', case when o.status = 'returned' then 'return' else 'order' end, "
	"'Order ' || o.order_no || ': ' || x.first || case when x.n > 1 then ' +' || (x.n - 1) || ' more' else '' end, "
	"o.status, o.total_won, o.branch_code, o.id "
	"from orders o join (select order_id, (array_agg(name order by line_no))[1] first, count(*) n from stage "
	"group by order_id) x on x.order_id = o.id order by o.customer_id, o.ordered_at",
};

#define N(a) (sizeof(a) / sizeof((a)[0]))

static int order_row(struct import_job *j, long line, char *const *f, size_t n)
{
	struct order_row r;
	char why[512], where[4200], num[24];

	import_job_where(j, line, where, sizeof(where));
	snprintf(num, sizeof(num), "%ld", line);
	if (order_row_check(f, n, j->country, &r, why, sizeof(why)) < 0) {
		import_job_reject(j, where, why);
		/* its order's other lines go with it, when the order can be told */
		if (n > 0 && f[0][0] && strlen(f[0]) <= 64 && utf8_valid(f[0], strlen(f[0]))) {
			const char *v[] = { where, num, "t", f[0], NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
					    NULL, NULL, NULL, NULL, NULL };

			return import_job_copy_row(j, v, N(v));
		}
		return 0;
	}
	const char *v[] = { where, num, "f", r.order_no, r.ordered_at, r.customer.text,
			    r.customer.phone[0] ? r.customer.phone : NULL, r.customer.email[0] ? r.customer.email : NULL,
			    r.branch, r.channel, r.status, r.total[0] ? r.total : NULL, r.line_no, r.sku, r.name, r.qty,
			    r.price };
	return import_job_copy_row(j, v, N(v));
}

int admin_import_orders(struct db *db, const char *path, struct import_result *r)
{
	struct import_job j;
	int rc;

	if (import_job_begin(&j, db, path, r) < 0)
		return -1;
	rc = import_job_copy_begin(&j, stage_sql);
	if (rc == 0) {
		rc = import_job_csv(&j, ORDER_COLUMNS, order_row);
		if (import_job_copy_end(&j) < 0)
			rc = -1;
	}
	if (rc == 0)
		rc = import_job_steps(&j, pre_steps, N(pre_steps));
	if (rc == 0)
		rc = import_job_steps(&j, import_job_match_customer, import_job_match_customer_n);
	if (rc == 0)
		rc = import_job_steps(&j, post_steps, N(post_steps));
	if (rc == 0) {
		PGresult *res = db_query(db, "select count(distinct order_id) from stage", 0, NULL);

		if (!res)
			rc = -1;
		else
			snprintf(r->summary, sizeof(r->summary), "%s orders with their lines, each on the customer's timeline",
				 PQgetvalue(res, 0, 0));
		PQclear(res);
	}
	return import_job_finish(&j, rc, "orders", "select count(*) from stage");
}
