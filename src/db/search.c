/* search.c - finding a customer, and quick-creating an unknown caller
 * (customer_search() and customer_create() in sql/010_pop.sql). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ccterm/customer.h"
#include "ccterm/phone.h"

#define COPY(dst, res, row, col) \
	snprintf((dst), sizeof(dst), "%s", PQgetisnull((res), (row), (col)) ? "" : PQgetvalue((res), (row), (col)))

int db_search(struct db *db, const char *query, struct customer_hit *hits, size_t max)
{
	char e164[PHONE_E164_MAX + 8], limit[16], country[8] = "KR";
	const char *p[3];
	PGresult *res;
	int n;

	if (!query || !*query || max == 0)
		return 0;
	/* Numbers without a country code are read the way the site's are. */
	res = db_query(db, "select value from settings where key = 'default_country'", 0, NULL);
	if (!res)
		return -1;
	if (PQntuples(res) == 1)
		snprintf(country, sizeof(country), "%s", PQgetvalue(res, 0, 0));
	PQclear(res);

	snprintf(limit, sizeof(limit), "%zu", max > SEARCH_MAX ? (size_t)SEARCH_MAX : max);
	p[0] = query;
	p[1] = phone_normalize(query, country, e164, sizeof(e164)) == 0 ? e164 : NULL;
	p[2] = limit;
	res = db_query(db, "select id, name, phone, email, tier, branch, external_id, birth_year, "
			   "extract(epoch from last_contact)::bigint, match "
			   "from customer_search($1, $2, $3::integer)", 3, p);
	if (!res)
		return -1;
	n = PQntuples(res);
	if ((size_t)n > max)
		n = (int)max;
	for (int r = 0; r < n; r++) {
		struct customer_hit *h = &hits[r];

		memset(h, 0, sizeof(*h));
		h->id = atoll(PQgetvalue(res, r, 0));
		COPY(h->name, res, r, 1);
		COPY(h->phone, res, r, 2);
		COPY(h->email, res, r, 3);
		COPY(h->tier, res, r, 4);
		COPY(h->branch, res, r, 5);
		COPY(h->external_id, res, r, 6);
		h->birth_year = PQgetisnull(res, r, 7) ? 0 : atoi(PQgetvalue(res, r, 7));
		h->last_contact = PQgetisnull(res, r, 8) ? 0 : (time_t)atoll(PQgetvalue(res, r, 8));
		COPY(h->match, res, r, 9);
		/* masked for telling hits apart; branch staff get it masked already */
		if (h->phone[0] == '+')
			phone_mask(h->phone, h->phone_masked, sizeof(h->phone_masked));
		else
			COPY(h->phone_masked, res, r, 2);
	}
	PQclear(res);
	return n;
}

long long db_customer_create(struct db *db, const char *name, const char *phone_e164)
{
	const char *p[2] = { name, phone_e164 && *phone_e164 ? phone_e164 : NULL };
	PGresult *res;
	long long id;

	if (!name || !*name) {
		db_set_error(db, "a new customer needs a name");
		return -1;
	}
	res = db_query(db, "select customer_create($1, $2)", 2, p);
	if (!res)
		return -1;
	id = atoll(PQgetvalue(res, 0, 0));
	PQclear(res);
	return id;
}
