/* search.c - finding a customer, and quick-creating an unknown caller
 * (customer_search() and customer_create() in sql/010_pop.sql). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db_priv.h"
#include "ccterm/customer.h"
#include "ccterm/phone.h"

void db_country_request(struct db_request *rq)
{
	db_request_init(rq, "select value from settings where key = 'default_country'");
}

int db_country_read(const struct pg_result *res, void *out, char *err, size_t errsz)
{
	char *country = out;   /* 8 bytes */

	if (PQntuples(res) == 1)
		snprintf(country, 8, "%s", PQgetvalue(res, 0, 0));
	(void)err;
	(void)errsz;
	return 0;
}

void db_search_request(struct db_request *rq, const char *query, const char *e164, size_t max)
{
	db_request_init(rq, "select id, name, phone, email, tier, branch, external_id "
			    "from customer_search($1, $2, $3::integer)");
	db_request_text(rq, query);
	db_request_text(rq, e164 && *e164 ? e164 : NULL);
	db_request_int(rq, (long long)(max > SEARCH_MAX ? SEARCH_MAX : max));
}

int db_search_read(const struct pg_result *res, void *out, char *err, size_t errsz)
{
	struct search_reply *r = out;
	int n = PQntuples(res);

	if (n > SEARCH_MAX)
		n = SEARCH_MAX;
	for (int i = 0; i < n; i++) {
		struct customer_hit *h = &r->hits[i];

		memset(h, 0, sizeof(*h));
		h->id = atoll(PQgetvalue(res, i, 0));
		DB_COPY(h->name, res, i, 1);
		DB_COPY(h->phone, res, i, 2);
		DB_COPY(h->email, res, i, 3);
		DB_COPY(h->tier, res, i, 4);
		DB_COPY(h->branch, res, i, 5);
		DB_COPY(h->external_id, res, i, 6);
	}
	r->n = (size_t)n;
	(void)err;
	(void)errsz;
	return 0;
}

int db_search(struct db *db, const char *query, struct customer_hit *hits, size_t max)
{
	char e164[PHONE_E164_MAX + 8], country[8] = "KR";
	struct db_request rq;
	struct search_reply *r;
	int rc;

	if (!query || !*query || max == 0)
		return 0;
	/* Numbers without a country code are read the way the site's are. */
	db_country_request(&rq);
	if (db_run(db, &rq, db_country_read, country) < 0)
		return -1;
	r = malloc(sizeof(*r));
	if (!r) {
		db_set_error(db, "out of memory");
		return -1;
	}
	db_search_request(&rq, query, phone_normalize(query, country, e164, sizeof(e164)) == 0 ? e164 : NULL, max);
	rc = db_run(db, &rq, db_search_read, r);
	if (rc == 0) {
		rc = (int)(r->n > max ? max : r->n);
		memcpy(hits, r->hits, (size_t)rc * sizeof(hits[0]));
	}
	free(r);
	return rc;
}

void db_customer_create_request(struct db_request *rq, const char *name, const char *phone_e164)
{
	db_request_init(rq, "select customer_create($1, $2)");
	db_request_text(rq, name);
	db_request_text(rq, phone_e164 && *phone_e164 ? phone_e164 : NULL);
}

/* One bigint value (an id): out is a long long. */
int db_id_read(const struct pg_result *res, void *out, char *err, size_t errsz)
{
	long long *id = out;

	if (PQntuples(res) != 1 || PQgetisnull(res, 0, 0)) {
		snprintf(err, errsz, "the database returned no id");
		return -1;
	}
	*id = atoll(PQgetvalue(res, 0, 0));
	return 0;
}

long long db_customer_create(struct db *db, const char *name, const char *phone_e164)
{
	struct db_request rq;
	long long id;

	if (!name || !*name) {
		db_set_error(db, "a new customer needs a name");
		return -1;
	}
	db_customer_create_request(&rq, name, phone_e164);
	return db_run(db, &rq, db_id_read, &id) < 0 ? -1 : id;
}
