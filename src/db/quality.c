/* quality.c - ccterm-admin quality: duplicates, phones and e-mails that are
 * not what they claim to be, and what is missing, over the live customers.
 * Phones are checked with the one normalizer (a stored value must read back
 * as itself), e-mails with the import's rule, so the report and the imports
 * agree on what "wrong" means. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db_priv.h"
#include "ccterm/identity.h"
#include "ccterm/phone.h"
#include "ccterm/record.h"

struct ids {
	long long *v;
	size_t n, cap;
};

static int ids_add(struct ids *a, long long id)
{
	if (a->n && a->v[a->n - 1] == id)
		return 0;          /* rows come in customer order */
	if (a->n == a->cap) {
		size_t cap = a->cap ? a->cap * 2 : 1024;
		long long *nv = realloc(a->v, cap * sizeof(*nv));

		if (!nv)
			return -1;
		a->v = nv;
		a->cap = cap;
	}
	a->v[a->n++] = id;
	return 0;
}

/* "{1,2,3}" for a bigint[] parameter; malloc'd. */
static char *ids_literal(const struct ids *a)
{
	size_t cap = 3 + a->n * 21, len = 1;
	char *s = malloc(cap);

	if (!s)
		return NULL;
	s[0] = '{';
	for (size_t i = 0; i < a->n; i++)
		len += (size_t)snprintf(s + len, cap - len, "%s%lld", i ? "," : "", a->v[i]);
	snprintf(s + len, cap - len, "}");
	return s;
}

/* Every phone and e-mail of a live customer, row by row (single-row mode:
 * millions of contact points do not have to fit in memory). */
static int scan_contacts(struct db *db, struct quality_report *r, struct ids *bad)
{
	PGconn *pg = db_pg(db);
	PGresult *res;
	int rc = 0;
	long long last_phone = -1, last_email = -1;

	if (!PQsendQuery(pg, "select cc.customer_id, cp.kind, cp.value from customer_contact cc "
			     "join contact_point cp on cp.id = cc.contact_point_id "
			     "join customer c on c.id = cc.customer_id and c.merged_into is null "
			     "where cp.kind in ('phone', 'email') order by cc.customer_id") ||
	    !PQsetSingleRowMode(pg)) {
		db_set_error(db, "%s", PQerrorMessage(pg));
		return -1;
	}
	while ((res = PQgetResult(pg))) {
		if (PQresultStatus(res) == PGRES_SINGLE_TUPLE && rc == 0) {
			long long id = atoll(PQgetvalue(res, 0, 0));
			const char *kind = PQgetvalue(res, 0, 1), *value = PQgetvalue(res, 0, 2);
			char norm[256];
			bool ok;

			if (strcmp(kind, "phone") == 0)
				ok = phone_normalize(value, "KR", norm, sizeof(norm)) == 0 && strcmp(norm, value) == 0;
			else
				ok = record_email_normalize(value, norm, sizeof(norm)) && strcmp(norm, value) == 0;
			if (!ok) {
				long long *last = kind[0] == 'p' ? &last_phone : &last_email;

				if (*last != id) {
					*last = id;
					*(kind[0] == 'p' ? &r->bad_phones : &r->bad_emails) += 1;
				}
				if (ids_add(bad, id) < 0) {
					db_set_error(db, "out of memory");
					rc = -1;
				}
			}
		} else if (PQresultStatus(res) != PGRES_TUPLES_OK && PQresultStatus(res) != PGRES_SINGLE_TUPLE) {
			db_set_error(db, "%s", PQresultErrorMessage(res));
			rc = -1;
		}
		PQclear(res);
	}
	return rc;
}

int db_quality(struct db *db, struct quality_report *r)
{
	struct ids bad = { 0 };
	PGresult *res;
	const char *p[1];
	char *lit;
	int rc = -1;

	memset(r, 0, sizeof(*r));
	res = db_query(db, "select count(*), "
			   "count(*) filter (where not exists (select 1 from customer_contact cc join contact_point cp "
			   "  on cp.id = cc.contact_point_id where cc.customer_id = c.id and cp.kind = 'phone')), "
			   "count(*) filter (where not exists (select 1 from customer_contact cc join contact_point cp "
			   "  on cp.id = cc.contact_point_id where cc.customer_id = c.id and cp.kind = 'email')), "
			   "count(*) filter (where c.branch_code is null) "
			   "from customer c where c.merged_into is null", 0, NULL);
	if (!res)
		return -1;
	r->customers = atol(PQgetvalue(res, 0, 0));
	r->no_phone = atol(PQgetvalue(res, 0, 1));
	r->no_email = atol(PQgetvalue(res, 0, 2));
	r->no_branch = atol(PQgetvalue(res, 0, 3));
	PQclear(res);
	if (scan_contacts(db, r, &bad) < 0)
		goto out;
	lit = ids_literal(&bad);
	if (!lit) {
		db_set_error(db, "out of memory");
		goto out;
	}
	p[0] = lit;
	res = db_query(db, "with dup as (select distinct x from duplicate_pairs(null) d "
			   "  cross join lateral unnest(array[d.a, d.b]) x) "
			   "select (select count(*) from dup), "
			   "(select count(*) from (select x from dup union select unnest($1::bigint[])) u)", 1, p);
	free(lit);
	if (!res)
		goto out;
	r->duplicates = atol(PQgetvalue(res, 0, 0));
	r->wrong = atol(PQgetvalue(res, 0, 1));
	PQclear(res);
	rc = 0;
out:
	free(bad.v);
	return rc;
}
