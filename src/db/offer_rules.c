/* offer_rules.c - next-best-offer rules and the customer figures from the
 * command line: every check and the JSON of a rule are SQL's
 * (sql/repeatable/70_offers.sql), so the console's editor agrees. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "db_priv.h"
#include "ccterm/admin.h"

/* The spec as offer_rule_spec()'s parameters, $1..$18. */
#define RULE_SPEC_SQL "offer_rule_spec($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, " \
		      "$15::boolean, $16, $17, $18)"

static void rule_params(const struct rule_spec *r, const char *p[18])
{
	const char *v[18] = {
		r->name, r->offer, r->product, r->priority, r->tiers, r->segments, r->age, r->genders,
		r->marital, r->has, r->lacks, r->min_value, r->max_value, r->rfm_min,
		r->no_open_complaint ? "true" : "false", r->channels, r->from, r->until,
	};

	for (int i = 0; i < 18; i++)
		p[i] = v[i];
}

int admin_rule_save(struct db *db, const struct rule_spec *r, long *hits)
{
	const char *p[18];
	PGresult *res;

	rule_params(r, p);
	res = db_query(db, "select offer_rule_save(" RULE_SPEC_SQL "), offer_rule_hits(" RULE_SPEC_SQL ")", 18, p);
	if (!res)
		return -1;
	*hits = atol(PQgetvalue(res, 0, 1));
	PQclear(res);
	return 0;
}

int admin_rule_set_active(struct db *db, const char *name, bool active)
{
	const char *p[2] = { name, active ? "true" : "false" };

	return db_exec(db, "select offer_rule_set_active($1, $2::boolean)", 2, p);
}

PGresult *admin_rule_list(struct db *db)
{
	return db_query(db, "select name, priority, case when not active then 'off' when not valid then 'expired' "
			    "else 'on' end, offer, conditions, offered, accepted, declined, "
			    "coalesce(to_char(100 * accept_rate, 'FM990.0') || '%', '-') from offer_rules_list()", 0, NULL);
}

PGresult *admin_rule_test(struct db *db, const char *name, long *hits)
{
	const char *p[1] = { name };
	PGresult *res = db_query(db, "select offer_rule_hits(offer_rule_json($1))", 1, p);

	if (!res)
		return NULL;
	if (PQgetisnull(res, 0, 0)) {
		PQclear(res);
		db_set_error(db, "no rule \"%s\" (ccterm-admin rule list)", name);
		return NULL;
	}
	*hits = atol(PQgetvalue(res, 0, 0));
	PQclear(res);
	return db_query(db, "select customer_id, name, tier, coalesce(age::text, '-'), coalesce(segment, '-'), value_won "
			    "from offer_rule_sample(offer_rule_json($1), 5)", 1, p);
}

int admin_recompute(struct db *db, long *customers)
{
	PGresult *res = db_query(db, "select customer_metrics_refresh(null, true)", 0, NULL);

	if (!res)
		return -1;
	*customers = atol(PQgetvalue(res, 0, 0));
	PQclear(res);
	return 0;
}
