/* search_bench.c - customer search as agents type it, as the console sends
 * it (db_search_request: one customer_search round trip; the site's country
 * read once, as the console does at connect), on whatever
 * database the libpq environment names (bench/run-search loads one).
 * Prints p50/p90/p99/max in ms per kind of query. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>

#include "ccterm/customer.h"
#include "ccterm/db.h"
#include "ccterm/phone.h"
#include "bench.h"
#include "series.h"

/* Queries drawn from the data: last four digits, a national start, a
 * whole number, an e-mail local part, a name, its first syllable, its
 * initial consonants, a Latin word, an external id. */
static const char *const kinds[] = {
	"last 4 digits", "010-NNNN", "whole number", "e-mail local", "full name", "name prefix",
	"initials", "latin word", "external id",
};
#define NKINDS (sizeof(kinds) / sizeof(kinds[0]))

static const char sample_sql[] =
	"select right(p.value, 4), '0' || substr(p.value, 4, 2) || '-' || substr(p.value, 6, 4), "
	"       '0' || substr(p.value, 4), split_part(e.value, '@', 1), c.name, left(c.name, 1), "
	"       hangul_initials(c.name), 'park', c.external_id "
	"from (select id, name, external_id from customer where merged_into is null "
	"      order by random() limit $1) c "
	"left join lateral (select cp.value from customer_contact cc join contact_point cp on cp.id = cc.contact_point_id "
	"  where cc.customer_id = c.id and cp.kind = 'phone' and cp.value like '+8210%' limit 1) p on true "
	"left join lateral (select cp.value from customer_contact cc join contact_point cp on cp.id = cc.contact_point_id "
	"  where cc.customer_id = c.id and cp.kind = 'email' limit 1) e on true";

int main(int argc, char **argv)
{
	int rounds = argc > 1 ? atoi(argv[1]) : 200;
	char err[256], n[16];
	const char *p[1] = { n };
	struct db *db = db_open(NULL, err, sizeof(err));
	struct series s[NKINDS];
	struct search_reply *reply = calloc(1, sizeof(*reply));
	char country[8] = "KR", e164[PHONE_E164_MAX + 8];
	struct db_request rq;
	PGresult *res;

	bench_on_die("search_bench", NULL, NULL);
	if (!db)
		bench_die("%s", err);
	if (!reply)
		bench_die("out of memory");
	db_country_request(&rq);
	if (db_run(db, &rq, db_country_read, country) < 0)
		bench_die("%s", db_error(db));
	snprintf(n, sizeof(n), "%d", rounds);
	res = bench_query(db_pg(db), sample_sql, 1, p);
	if (PQntuples(res) == 0)
		bench_die("no customers to search for: load demo data first");
	for (size_t k = 0; k < NKINDS; k++)
		series_init(&s[k], kinds[k], (size_t)PQntuples(res));
	/* one warm-up pass, then the measured one */
	for (int pass = 0; pass < 2; pass++)
		for (int r = 0; r < PQntuples(res); r++)
			for (size_t k = 0; k < NKINDS; k++) {
				const char *q = PQgetvalue(res, r, (int)k);
				double t0;

				if (PQgetisnull(res, r, (int)k) || !*q)
					continue;
				t0 = now_ms();
				/* what the console sends: one request, the country read once */
				db_search_request(&rq, q,
						  phone_normalize(q, country, e164, sizeof(e164)) == 0 ? e164 : NULL,
						  SEARCH_MAX);
				if (db_run(db, &rq, db_search_read, reply) < 0)
					bench_die("search '%s': %s", q, db_error(db));
				if (pass == 1)
					series_add(&s[k], now_ms() - t0);
			}
	PQclear(res);
	printf("customer search as the console sends it (db_search_request), ms per query (%d sampled customers):\n", rounds);
	printf("  %-16s %6s %9s %9s %9s %9s\n", "query", "n", "p50", "p90", "p99", "max");
	for (size_t k = 0; k < NKINDS; k++) {
		series_print(&s[k], 16);
		free(s[k].v);
	}
	free(reply);
	db_close(db);
	return 0;
}
