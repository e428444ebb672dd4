/* contact.c - the contact the agent logs (contact_save() in sql/010_pop.sql),
 * the lists its form offers, and the calls waiting for this agent. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db_priv.h"
#include "ccterm/customer.h"

void db_contact_save_request(struct db_request *rq, const struct contact_draft *d)
{
	db_request_init(rq, "select contact_save($1::uuid, $2::bigint, $3::bigint, $4, $5, $6, $7, $8, $9, $10, "
			    "$11::boolean)");
	db_request_text(rq, d->draft_id);
	db_request_int(rq, d->customer_id);
	if (d->call_id > 0)
		db_request_int(rq, d->call_id);
	else
		db_request_text(rq, NULL);
	db_request_text(rq, d->channel);
	db_request_text(rq, d->direction);
	db_request_text(rq, d->kind);
	db_request_text(rq, d->reason);
	db_request_text(rq, d->disposition);
	db_request_text(rq, d->subject);
	db_request_text(rq, d->notes ? d->notes : "");
	db_request_text(rq, d->open_case ? "true" : "false");
}

int db_contact_check(const struct contact_draft *d, char *err, size_t errsz)
{
	if (!d->draft_id[0]) {
		snprintf(err, errsz, "the contact has no draft id");
		return -1;
	}
	if (d->customer_id <= 0) {
		snprintf(err, errsz, "link the contact to a customer before saving it");
		return -1;
	}
	return 0;
}

long long db_contact_save(struct db *db, const struct contact_draft *d)
{
	struct db_request rq;
	char err[128];
	long long id;

	if (db_contact_check(d, err, sizeof(err)) < 0) {
		db_set_error(db, "%s", err);
		return -1;
	}
	db_contact_save_request(&rq, d);
	return db_run(db, &rq, db_id_read, &id) < 0 ? -1 : id;
}

/* Rows of (code, label[, kind]) into a form_lists' array. */
static size_t code_labels_read(const PGresult *res, struct code_label *out, size_t max)
{
	size_t n = (size_t)PQntuples(res);

	if (n > max)
		n = max;
	for (size_t r = 0; r < n; r++) {
		memset(&out[r], 0, sizeof(out[r]));
		DB_COPY(out[r].code, res, (int)r, 0);
		DB_COPY(out[r].label, res, (int)r, 1);
		if (PQnfields(res) > 2)
			DB_COPY(out[r].kind, res, (int)r, 2);
	}
	return n;
}

/* The three lists in one statement: reasons (with their kind), pause
 * reasons (with their state) in the list's order, then outcomes. */
void db_form_lists_request(struct db_request *rq)
{
	db_request_init(rq, "select 'r', code, label, coalesce(kind, ''), 0::bigint from reason_code "
			    "union all select 'p', code, label, state, row_number() over () from pause_reasons() "
			    "union all select 'd', code, label, '', 0 from disposition order by 1 desc, 5, 4, 3");
}

int db_form_lists_read(const struct pg_result *res, void *out, char *err, size_t errsz)
{
	struct form_lists *l = out;

	/* Only the rows read are written: the struct is 37 kB and mostly
	 * unused, and every page written stays resident (bench/CONSOLE.md). */
	l->loaded = false;
	l->nreasons = l->ndispositions = l->npauses = 0;
	for (int r = 0; r < PQntuples(res); r++) {
		struct code_label *c;

		if (*PQgetvalue(res, r, 0) == 'r' && l->nreasons < FORM_LIST_MAX)
			c = &l->reasons[l->nreasons++];
		else if (*PQgetvalue(res, r, 0) == 'd' && l->ndispositions < FORM_LIST_MAX)
			c = &l->dispositions[l->ndispositions++];
		else if (*PQgetvalue(res, r, 0) == 'p' && l->npauses < FORM_LIST_MAX)
			c = &l->pauses[l->npauses++];
		else
			continue;
		DB_COPY(c->code, res, r, 1);
		DB_COPY(c->label, res, r, 2);
		DB_COPY(c->kind, res, r, 3);
	}
	l->loaded = true;
	(void)err;
	(void)errsz;
	return 0;
}

static int code_labels(struct db *db, const char *sql, int nparams, const char *const *params,
		       struct code_label *out, size_t max)
{
	PGresult *res = db_query(db, sql, nparams, params);
	size_t n;

	if (!res)
		return -1;
	n = code_labels_read(res, out, max);
	PQclear(res);
	return (int)n;
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
