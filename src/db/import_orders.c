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

static int read_orders(struct import_job *j)
{
	return import_job_csv(j, ORDER_COLUMNS, order_row);
}

static int orders_summary(struct import_job *j)
{
	PGresult *res = db_query(j->db, "select count(distinct order_id) from stage", 0, NULL);

	if (!res)
		return -1;
	snprintf(j->r->summary, sizeof(j->r->summary), "%s orders with their lines, each on the customer's timeline",
		 PQgetvalue(res, 0, 0));
	PQclear(res);
	return 0;
}

static const struct import_job_spec orders = {
	.what = "orders", .unit = "lines", .stage_sql = stage_sql,
	.read = read_orders, .count = import_job_csv_count,
	.pre_steps = pre_steps, .npre = N(pre_steps),
	.post_steps = post_steps, .npost = N(post_steps),
	.summary = orders_summary, .count_sql = "select count(*) from stage",
};

int admin_import_orders_with(struct db *db, const char *path, const struct import_options *opt,
			     struct import_result *r)
{
	return import_job_run(db, path, opt, r, &orders);
}

int admin_import_orders(struct db *db, const char *path, struct import_result *r)
{
	return import_job_run(db, path, NULL, r, &orders);
}
