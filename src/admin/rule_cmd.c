/* rule_cmd.c - `ccterm-admin rule ...` and `recompute`. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <libpq-fe.h>

#include "ccterm/admin.h"
#include "ccterm/format.h"
#include "ccterm/utf8.h"
#include "job.h"
#include "opts.h"
#include "ccterm/i18n.h"

#define MAX_COLS 12

void print_table(const PGresult *res, const char *const *head, const int *maxw, int ncols)
{
	int w[MAX_COLS];
	char cell[512];

	for (int c = 0; c < ncols; c++) {
		w[c] = utf8_width(head[c]);
		for (int r = 0; r < PQntuples(res); r++) {
			char *v = utf8_sanitize(PQgetvalue(res, r, c), 4096, 0);
			int cw = v ? utf8_fit(v, maxw[c], true, cell, sizeof(cell)) : 0;

			free(v);
			if (cw > w[c])
				w[c] = cw;
		}
	}
	for (int r = -1; r < PQntuples(res); r++) {
		for (int c = 0; c < ncols; c++) {
			char *v = utf8_sanitize(r < 0 ? head[c] : PQgetvalue(res, r, c), 4096, 0);
			int cw = v ? utf8_fit(v, maxw[c], true, cell, sizeof(cell)) : 0;

			free(v);
			printf("%s%s%*s", c ? "  " : "", cell, c + 1 < ncols ? w[c] - cw : 0, "");
		}
		putchar('\n');
	}
}

static int rule_add(struct db *db, const struct opts *o, const char *name)
{
	static const char *const known[] = { "--offer", "--product", "--priority", "--tier", "--segment", "--age",
		"--gender", "--marital", "--has", "--lacks", "--min-value", "--max-value", "--rfm",
		"--no-open-complaint", "--channel", "--from", "--until", NULL };
	struct rule_spec r = {
		.name = name, .offer = opt_need(o, "--offer"), .product = opt_get(o, "--product"),
		.priority = opt_get(o, "--priority"), .tiers = opt_get(o, "--tier"),
		.segments = opt_get(o, "--segment"), .age = opt_get(o, "--age"), .genders = opt_get(o, "--gender"),
		.marital = opt_get(o, "--marital"), .has = opt_get(o, "--has"), .lacks = opt_get(o, "--lacks"),
		.min_value = opt_get(o, "--min-value"), .max_value = opt_get(o, "--max-value"),
		.rfm_min = opt_get(o, "--rfm"), .channels = opt_get(o, "--channel"),
		.from = opt_get(o, "--from"), .until = opt_get(o, "--until"),
		.no_open_complaint = opt_get(o, "--no-open-complaint") != NULL,
	};
	long hits;

	if (opt_check(o, known) < 0 || !r.offer)
		return 2;
	if (admin_rule_save(db, &r, &hits) < 0)
		return -1;
	printf(ngettext("rule \"%s\" saved: it would reach %ld customer today\n",
			"rule \"%s\" saved: it would reach %ld customers today\n", (unsigned long)hits), name, hits);
	return 0;
}

static int rule_list(struct db *db)
{
	static const char *const head[] = { "RULE", "PRI", "STATE", "OFFER", "CONDITIONS", "OFFERED",
					    "ACCEPTED", "DECLINED", "RATE" };
	static const int maxw[] = { 28, 4, 7, 30, 40, 8, 8, 8, 6 };
	PGresult *res = admin_rule_list(db);

	if (!res)
		return -1;
	print_table(res, head, maxw, 9);
	PQclear(res);
	return 0;
}

static int rule_test(struct db *db, const char *name)
{
	static const char *const head[] = { "ID", "CUSTOMER", "TIER", "AGE", "SEGMENT", "VALUE" };
	static const int maxw[] = { 10, 20, 10, 3, 14, 14 };
	long hits;
	PGresult *res = admin_rule_test(db, name, &hits);

	if (!res)
		return -1;
	printf("rule \"%s\" would reach %ld customer%s%s\n", name, hits, hits == 1 ? "" : "s",
	       hits ? ", for example:" : "");
	if (hits)
		print_table(res, head, maxw, 6);
	PQclear(res);
	return 0;
}

int cmd_rule(struct db *db, const struct opts *o)
{
	const char *sub = o->argc > 1 ? o->argv[1] : "", *name = o->argc > 2 ? o->argv[2] : NULL;

	if (strcmp(sub, "list") == 0)
		return rule_list(db);
	if (!name || !*name || strncmp(name, "--", 2) == 0) {
		fprintf(stderr, _("ccterm-admin: rule add|enable|disable|test NAME (or rule list)\n"));
		return 2;
	}
	if (strcmp(sub, "add") == 0)
		return rule_add(db, o, name);
	if (strcmp(sub, "enable") == 0 || strcmp(sub, "disable") == 0) {
		bool on = strcmp(sub, "enable") == 0;

		if (admin_rule_set_active(db, name, on) < 0)
			return -1;
		printf(on ? _("rule \"%s\" enabled\n") : _("rule \"%s\" disabled\n"), name);
		return 0;
	}
	if (strcmp(sub, "test") == 0)
		return rule_test(db, name);
	fprintf(stderr, _("ccterm-admin: rule add|list|enable|disable|test\n"));
	return 2;
}

int cmd_recompute(struct db *db, const struct opts *o)
{
	static const char *const known[] = { "--quiet", "--progress", NULL };
	struct timespec t0, t1;
	struct progress *p;
	long n;
	int rc;

	if (opt_check(o, known) < 0)
		return 2;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if ((rc = job_begin(db, o, "recompute", &p)) == 0)
		rc = admin_recompute(db, &n);
	if ((rc = job_end(db, p, rc, "changed")) != 0)
		return rc;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	printf(_("%ld customers recomputed (tier, RFM, value, churn risk) in %.1f s\n"), n,
	       (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9);
	return 0;
}
