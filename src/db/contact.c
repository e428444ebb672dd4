/* contact.c - the contact the agent logs (contact_save() in sql/010_pop.sql),
 * the lists its form offers, and the calls waiting for this agent. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ccterm/customer.h"

long long db_contact_save(struct db *db, const struct contact_draft *d)
{
	char customer[24], call[24];
	const char *p[11];
	PGresult *res;
	long long id;

	if (!d->draft_id[0]) {
		db_set_error(db, "the contact has no draft id");
		return -1;
	}
	if (d->customer_id <= 0) {
		db_set_error(db, "link the contact to a customer before saving it");
		return -1;
	}
	snprintf(customer, sizeof(customer), "%lld", d->customer_id);
	snprintf(call, sizeof(call), "%lld", d->call_id);
	p[0] = d->draft_id;
	p[1] = customer;
	p[2] = d->call_id > 0 ? call : NULL;
	p[3] = d->channel;
	p[4] = d->direction;
	p[5] = d->kind;
	p[6] = d->reason;
	p[7] = d->disposition;
	p[8] = d->subject;
	p[9] = d->notes;
	p[10] = d->open_case ? "true" : "false";
	res = db_query(db, "select contact_save($1::uuid, $2::bigint, $3::bigint, $4, $5, $6, $7, $8, $9, $10, "
			   "$11::boolean)", 11, p);
	if (!res)
		return -1;
	id = atoll(PQgetvalue(res, 0, 0));
	PQclear(res);
	return id;
}

static int code_labels(struct db *db, const char *sql, int nparams, const char *const *params,
		       struct code_label *out, size_t max)
{
	PGresult *res = db_query(db, sql, nparams, params);
	int n;

	if (!res)
		return -1;
	n = PQntuples(res);
	if ((size_t)n > max)
		n = (int)max;
	for (int r = 0; r < n; r++) {
		snprintf(out[r].code, sizeof(out[r].code), "%s", PQgetvalue(res, r, 0));
		snprintf(out[r].label, sizeof(out[r].label), "%s", PQgetvalue(res, r, 1));
	}
	PQclear(res);
	return n;
}

int db_reason_codes(struct db *db, const char *kind, struct code_label *out, size_t max)
{
	const char *p[1] = { kind && *kind ? kind : NULL };

	/* The kind's own reasons first, then those for any kind. */
	return code_labels(db, "select code, label from reason_code "
			       "where $1::text is null or kind is null or kind = $1 "
			       "order by kind is null, kind, label", 1, p, out, max);
}

int db_dispositions(struct db *db, struct code_label *out, size_t max)
{
	return code_labels(db, "select code, label from disposition order by label", 0, NULL, out, max);
}

int db_calls_offered(struct db *db, long long *ids, size_t max)
{
	PGresult *res = db_query(db, "select id from calls_offered()", 0, NULL);
	int n;

	if (!res)
		return -1;
	n = PQntuples(res);
	if ((size_t)n > max)
		n = (int)max;
	for (int r = 0; r < n; r++)
		ids[r] = atoll(PQgetvalue(res, r, 0));
	PQclear(res);
	return n;
}
