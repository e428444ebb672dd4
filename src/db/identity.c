/* identity.c - link, duplicates, merge and unmerge: thin calls of the SQL
 * functions in sql/repeatable/22_identity.sql, which check who may. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db_priv.h"
#include "ccterm/identity.h"
#include "ccterm/phone.h"

static int one_id(struct db *db, const char *sql, int n, const char *const *p, long *out)
{
	PGresult *res = db_query(db, sql, n, p);

	if (!res)
		return -1;
	if (out)
		*out = PQntuples(res) == 1 ? atol(PQgetvalue(res, 0, 0)) : 0;
	PQclear(res);
	return 0;
}

int db_contact_link(struct db *db, long customer_id, const char *kind, const char *value)
{
	char id[24], e164[PHONE_E164_MAX], country[8] = "KR";
	const char *p[3] = { id, kind, value };
	PGresult *res;

	if (!kind || !value) {
		db_set_error(db, "nothing to link");
		return -1;
	}
	if (strcmp(kind, "phone") == 0) {
		res = db_query(db, "select value from settings where key = 'default_country'", 0, NULL);
		if (!res)
			return -1;
		if (PQntuples(res) == 1)
			snprintf(country, sizeof(country), "%s", PQgetvalue(res, 0, 0));
		PQclear(res);
		if (phone_normalize(value, country, e164, sizeof(e164)) < 0) {
			db_set_error(db, "'%.40s' is not a phone number", value);
			return -1;
		}
		p[2] = e164;
	}
	snprintf(id, sizeof(id), "%ld", customer_id);
	return one_id(db, "select contact_link($1::bigint, $2, $3)", 3, p, NULL);
}

PGresult *db_duplicates(struct db *db, int limit)
{
	char n[16];
	const char *p[1] = { n };

	snprintf(n, sizeof(n), "%d", limit);
	return db_query(db, "select keep_id, keep_name, drop_id, drop_name, score, reasons "
			    "from duplicate_candidates($1::integer)", 1, p);
}

PGresult *db_duplicates_of(struct db *db, long customer_id)
{
	char id[24];
	const char *p[1] = { id };

	snprintf(id, sizeof(id), "%ld", customer_id);
	return db_query(db, "select other_id, name, score, reasons from customer_duplicates_of($1::bigint)", 1, p);
}

int db_customer_merge(struct db *db, long keep, long drop, long *merge_id)
{
	char k[24], d[24];
	const char *p[2] = { k, d };

	snprintf(k, sizeof(k), "%ld", keep);
	snprintf(d, sizeof(d), "%ld", drop);
	return one_id(db, "select customer_merge($1::bigint, $2::bigint)", 2, p, merge_id);
}

int db_customer_unmerge(struct db *db, long drop, long *merge_id)
{
	char d[24];
	const char *p[1] = { d };

	snprintf(d, sizeof(d), "%ld", drop);
	return one_id(db, "select customer_unmerge($1::bigint)", 1, p, merge_id);
}

void db_contact_link_request(struct db_request *rq, long long customer_id, const char *kind, const char *value)
{
	db_request_init(rq, "select contact_link($1::bigint, $2, $3)");
	db_request_int(rq, customer_id);
	db_request_text(rq, kind);
	db_request_text(rq, value);
}

void db_duplicates_of_request(struct db_request *rq, long long customer_id)
{
	db_request_init(rq, "select other_id, name, score, reasons from customer_duplicates_of($1::bigint)");
	db_request_int(rq, customer_id);
}

int db_duplicates_of_read(const struct pg_result *res, void *out, char *err, size_t errsz)
{
	struct duplicate_reply *r = out;
	int n = PQntuples(res);

	(void)err;
	(void)errsz;
	r->n = 0;
	for (int i = 0; i < n && r->n < DUP_MAX; i++) {
		struct duplicate_hit *h = &r->hits[r->n++];

		h->other_id = atoll(db_field(res, i, 0));
		DB_COPY(h->name, res, i, 1);
		h->score = atoi(db_field(res, i, 2));
		DB_COPY(h->reasons, res, i, 3);
	}
	return 0;
}

void db_customer_merge_request(struct db_request *rq, long long keep, long long drop)
{
	db_request_init(rq, "select customer_merge($1::bigint, $2::bigint)");
	db_request_int(rq, keep);
	db_request_int(rq, drop);
}
