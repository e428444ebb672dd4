/* offers.c - requests and readers for the console's offer rules, offer
 * responses and the at-risk board (ccterm/offers.h). The rule JSON is built
 * by offer_rule_spec() in SQL, from the words the supervisor typed. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db_priv.h"
#include "ccterm/offers.h"

#define field db_field
#define COPY DB_COPY

void db_offer_record_request(struct db_request *rq, const char *rule_id, const char *customer_id,
			     const char *call_id, const char *response)
{
	db_request_init(rq, "select offer_record($1::integer, $2::bigint, $3::bigint, $4)");
	db_request_text(rq, rule_id);
	db_request_text(rq, customer_id);
	db_request_text(rq, call_id);
	db_request_text(rq, response);
}

void db_rule_list_request(struct db_request *rq)
{
	db_request_init(rq,
		"select l.id, l.name, l.offer, l.priority, "
		"case when not l.active then 'off' when not l.valid then 'expired' else 'on' end, l.conditions, "
		"l.offered, l.accepted, l.declined, l.accept_rate, l.active, "
		"array_to_string(r.tiers, ','), array_to_string(r.segments, ','), "
		"case when r.age_min is not null or r.age_max is not null "
		"     then coalesce(r.age_min::text, '') || '-' || coalesce(r.age_max::text, '') end, "
		"array_to_string(r.genders, ','), array_to_string(r.marital, ','), "
		"array_to_string(r.has_products, ','), array_to_string(r.lacks_products, ','), r.min_value, "
		"array_to_string(r.channels, ','), r.valid_from, r.valid_until "
		"from offer_rules_list() l join offer_rule r on r.id = l.id "
		"order by l.active desc, l.priority, l.id");
}

int db_rule_list_read(const struct pg_result *res, void *out, char *err, size_t errsz)
{
	struct rule_list *l = out;

	l->n = 0;
	for (int i = 0; i < PQntuples(res) && l->n < RULES_MAX; i++) {
		struct rule_row *r = &l->rows[l->n++];

		memset(r, 0, sizeof(*r));
		r->id = atoi(field(res, i, 0));
		COPY(r->f.name, res, i, 1);
		COPY(r->f.offer, res, i, 2);
		COPY(r->f.priority, res, i, 3);
		COPY(r->state, res, i, 4);
		COPY(r->conditions, res, i, 5);
		r->offered = atol(field(res, i, 6));
		r->accepted = atol(field(res, i, 7));
		r->declined = atol(field(res, i, 8));
		r->accept_rate = PQgetisnull(res, i, 9) ? -1 : atof(field(res, i, 9));
		r->f.active = strcmp(field(res, i, 10), "t") == 0;
		COPY(r->f.tiers, res, i, 11);
		COPY(r->f.segments, res, i, 12);
		COPY(r->f.age, res, i, 13);
		COPY(r->f.genders, res, i, 14);
		COPY(r->f.marital, res, i, 15);
		COPY(r->f.has, res, i, 16);
		COPY(r->f.lacks, res, i, 17);
		COPY(r->f.min_value, res, i, 18);
		COPY(r->f.channels, res, i, 19);
		COPY(r->f.from, res, i, 20);
		COPY(r->f.until, res, i, 21);
	}
	(void)err;
	(void)errsz;
	return 0;
}

/* The rule as typed, as JSON: what the editor does not show is kept from the
 * rule as it was ($16, its name when the editor opened). */
#define RULE_JSON \
	"coalesce((select to_jsonb(r) from offer_rule r where lower(r.name) = lower($16)) - array['id', 'updated_at', " \
	"'updated_by', 'name', 'offer', 'priority', 'tiers', 'segments', 'age_min', " \
	"'age_max', 'genders', 'marital', 'has_products', 'lacks_products', 'min_value', 'channels', 'valid_from', " \
	"'valid_until', 'active'], '{}'::jsonb) " \
	"|| offer_rule_spec($1, $2, null, $3, $4, $5, $6, $7, $8, $9, $10, $11, null, null, false, $12, $13, $14) " \
	"|| jsonb_build_object('active', $15::boolean)"

static void rule_params(struct db_request *rq, const struct rule_fields *f, const char *orig)
{
	const char *v[] = { f->name, f->offer, f->priority, f->tiers, f->segments, f->age, f->genders, f->marital,
			    f->has, f->lacks, f->min_value, f->channels, f->from, f->until };

	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++)
		db_request_text(rq, v[i]);
	db_request_text(rq, f->active ? "true" : "false");
	db_request_text(rq, orig && *orig ? orig : NULL);
}

void db_rule_hits_request(struct db_request *rq, const struct rule_fields *f, const char *orig)
{
	db_request_init(rq, "select offer_rule_hits(" RULE_JSON ")");
	rule_params(rq, f, orig);
}

void db_rule_save_request(struct db_request *rq, const struct rule_fields *f, const char *orig)
{
	db_request_init(rq, "with j as (select " RULE_JSON " as j) select offer_rule_save(j.j), offer_rule_hits(j.j) "
			    "from j");
	rule_params(rq, f, orig);
}

int db_long_read(const struct pg_result *res, void *out, char *err, size_t errsz)
{
	long *v = out;

	if (PQntuples(res) != 1 || PQnfields(res) < 1) {
		snprintf(err, errsz, "expected one row");
		return -1;
	}
	*v = atol(field(res, 0, PQnfields(res) - 1));
	return 0;
}

void db_rule_set_active_request(struct db_request *rq, const char *name, bool active)
{
	db_request_init(rq, "select offer_rule_set_active($1, $2::boolean)");
	db_request_text(rq, name);
	db_request_text(rq, active ? "true" : "false");
}

void db_at_risk_request(struct db_request *rq, const char *sort)
{
	db_request_init(rq, "select customer_id, name, tier, value_won, churn_score, coalesce(reasons, ''), "
			    "coalesce(owner, ''), coalesce(extract(epoch from last_contact_at)::bigint, 0) "
			    "from customers_at_risk($1, 100)");
	db_request_text(rq, sort);
}

int db_at_risk_read(const struct pg_result *res, void *out, char *err, size_t errsz)
{
	struct at_risk_list *l = out;

	l->n = 0;
	for (int i = 0; i < PQntuples(res) && l->n < AT_RISK_MAX; i++) {
		struct at_risk_row *r = &l->rows[l->n++];

		memset(r, 0, sizeof(*r));
		r->customer_id = atoll(field(res, i, 0));
		COPY(r->name, res, i, 1);
		COPY(r->tier, res, i, 2);
		r->value_won = atoll(field(res, i, 3));
		r->churn = atof(field(res, i, 4));
		COPY(r->reasons, res, i, 5);
		COPY(r->owner, res, i, 6);
		r->last_contact = (time_t)atoll(field(res, i, 7));
	}
	(void)err;
	(void)errsz;
	return 0;
}
