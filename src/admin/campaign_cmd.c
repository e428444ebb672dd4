/* campaign_cmd.c - `ccterm-admin campaign add|build|list|board`: planning an
 * outbound campaign and reading its board. Every rule is SQL's
 * (sql/repeatable/78_campaigns.sql), so a console screen agrees. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libpq-fe.h>

#include "opts.h"

/* The file's lines (customer ids, external ids or e-mails) as one
 * newline-separated string, malloc'd; NULL with a message. */
static char *read_list(const char *path)
{
	FILE *f = fopen(path, "r");
	char *buf = NULL;
	size_t cap = 0, len = 0, n;
	char chunk[4096];

	if (!f) {
		perror(path);
		return NULL;
	}
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
		if (len + n + 1 > cap) {
			char *b;

			cap = (len + n + 1) * 2;
			b = realloc(buf, cap);
			if (!b) {
				free(buf);
				fclose(f);
				return NULL;
			}
			buf = b;
		}
		memcpy(buf + len, chunk, n);
		len += n;
	}
	fclose(f);
	if (!buf)
		buf = calloc(1, 1);
	else
		buf[len] = '\0';
	return buf;
}

static int campaign_add(struct db *db, const struct opts *o, const char *name)
{
	static const char *const known[] = { "--offer", "--segment", "--rule", "--list", "--from", "--until",
		"--script", "--control", "--seed", "--response-days", "--product", "--reason", NULL };
	const char *segment = opt_get(o, "--segment"), *rule = opt_get(o, "--rule"), *list = opt_get(o, "--list");
	const char *kind = segment ? "segment" : rule ? "rule" : "list";
	const char *p[12] = { name, opt_need(o, "--offer"), kind, segment ? segment : rule, opt_need(o, "--from"),
			      opt_get(o, "--until"), opt_get(o, "--script"), opt_get(o, "--control"),
			      opt_get(o, "--seed"), opt_get(o, "--response-days"), opt_get(o, "--product"),
			      opt_get(o, "--reason") };
	PGresult *res;
	char *refs = NULL;
	long id;

	if (opt_check(o, known) < 0 || !p[1] || !p[4] || (!!segment + !!rule + !!list) != 1) {
		fprintf(stderr, "ccterm-admin: campaign add NAME --offer TEXT (--segment CODE | --rule NAME | --list FILE) "
				"--from DATE [--until DATE] [--script TEXT] [--control PCT] [--seed N] [--response-days N] "
				"[--product SKU] [--reason CODE]\n");
		return 2;
	}
	if (list && !(refs = read_list(list)))
		return 2;
	if (db_exec(db, "begin", 0, NULL) < 0) {
		free(refs);
		return -1;
	}
	res = db_query(db, "select campaign_save($1, $2, $3, $4, $5::date, $6::date, coalesce($7, ''), "
			   "coalesce($8::numeric, 10), coalesce($9::integer, 1), coalesce($10::integer, 14), $11, $12)", 12, p);
	if (!res) {
		free(refs);
		return db_rollback(db);
	}
	id = atol(PQgetvalue(res, 0, 0));
	PQclear(res);
	if (refs) {
		char sid[24];
		const char *q[2] = { sid, refs };

		snprintf(sid, sizeof(sid), "%ld", id);
		res = db_query(db, "select added, array_to_string(unknown, ', ') from "
				   "campaign_list_add($1::integer, string_to_array(replace($2, E'\\r', ''), E'\\n'))", 2, q);
		free(refs);
		if (!res)
			return db_rollback(db);
		printf("%s added to the list", PQgetvalue(res, 0, 0));
		if (*PQgetvalue(res, 0, 1))
			printf("; matched nobody: %s", PQgetvalue(res, 0, 1));
		putchar('\n');
		PQclear(res);
	}
	if (db_exec(db, "commit", 0, NULL) < 0)
		return -1;
	printf("campaign \"%s\" saved (id %ld); `ccterm-admin campaign build` makes its list\n", name, id);
	return 0;
}

static int campaign_build(struct db *db, const char *name)
{
	const char *p[1] = { name };
	PGresult *res = db_query(db, "select members, control from campaign_build(campaign_by_name($1))", 1, p);

	if (!res)
		return -1;
	printf("campaign \"%s\": %s members, %s of them held out as the control group\n", name,
	       PQgetvalue(res, 0, 0), PQgetvalue(res, 0, 1));
	PQclear(res);
	return 0;
}

static int campaign_list(struct db *db)
{
	static const char *const head[] = { "CAMPAIGN", "TARGET", "FROM", "UNTIL", "STATE", "CALL LIST", "CONTROL",
					    "DONE", "ACCEPTED" };
	static const int maxw[] = { 28, 24, 10, 10, 9, 9, 7, 6, 8 };
	PGresult *res = db_query(db, "select name, target, starts, coalesce(ends::text, '-'), "
				     "case when not active then 'off' when not built then 'not built' else 'on' end, "
				     "members, control, done, accepted from campaign_list_all()", 0, NULL);

	if (!res)
		return -1;
	print_table(res, head, maxw, 9);
	PQclear(res);
	return 0;
}

static const char *pct(const PGresult *res, int col, char *buf, size_t sz)
{
	if (PQgetisnull(res, 0, col))
		return "-";
	snprintf(buf, sz, "%.1f%%", 100.0 * atof(PQgetvalue(res, 0, col)));
	return buf;
}

static int campaign_board(struct db *db, const char *name)
{
	const char *p[1] = { name };
	PGresult *res = db_query(db, "select b.*, c.response_days from campaign_board(campaign_by_name($1)) b "
				     "join campaign c on c.id = campaign_by_name($1)", 1, p);
	char a[32], b[32], c[32], d[32];

	if (!res)
		return -1;
	printf("campaign \"%s\"\n", name);
	printf("  call list %s (control group %s held out), called %s, done %s: progress %s%%\n",
	       PQgetvalue(res, 0, 0), PQgetvalue(res, 0, 1), PQgetvalue(res, 0, 2), PQgetvalue(res, 0, 7),
	       PQgetisnull(res, 0, 8) ? "-" : (snprintf(a, sizeof(a), "%.1f", atof(PQgetvalue(res, 0, 8))), a));
	printf("  reached %s: contact rate %s; accepted %s, refused %s: acceptance %s; call-backs pending %s\n",
	       PQgetvalue(res, 0, 3), pct(res, 9, b, sizeof(b)), PQgetvalue(res, 0, 4), PQgetvalue(res, 0, 5),
	       pct(res, 10, c, sizeof(c)), PQgetvalue(res, 0, 6));
	printf("  response (an order or an inbound reply within %s days): contacted %s of %s = %s, control %s of %s = %s\n",
	       PQgetvalue(res, 0, 20), PQgetvalue(res, 0, 12), PQgetvalue(res, 0, 11), pct(res, 13, a, sizeof(a)),
	       PQgetvalue(res, 0, 15), PQgetvalue(res, 0, 14), pct(res, 16, d, sizeof(d)));
	if (PQgetisnull(res, 0, 17))
		printf("  difference: - (needs reached members and a control group)\n");
	else
		printf("  difference %+.1f points, 95%% confidence interval %+.1f to %+.1f\n",
		       100.0 * atof(PQgetvalue(res, 0, 17)), 100.0 * atof(PQgetvalue(res, 0, 18)),
		       100.0 * atof(PQgetvalue(res, 0, 19)));
	PQclear(res);
	return 0;
}

int cmd_campaign(struct db *db, const struct opts *o)
{
	const char *sub = o->argc > 1 ? o->argv[1] : "", *name = o->argc > 2 ? o->argv[2] : NULL;

	if (strcmp(sub, "list") == 0)
		return campaign_list(db);
	if (!name || !*name || strncmp(name, "--", 2) == 0) {
		fprintf(stderr, "ccterm-admin: campaign add|build|board NAME (or campaign list)\n");
		return 2;
	}
	if (strcmp(sub, "add") == 0)
		return campaign_add(db, o, name);
	if (strcmp(sub, "build") == 0)
		return campaign_build(db, name);
	if (strcmp(sub, "board") == 0)
		return campaign_board(db, name);
	fprintf(stderr, "ccterm-admin: campaign add|build|list|board\n");
	return 2;
}
