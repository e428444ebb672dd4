/* report.c - the daily report's requests and readers (ccterm/report.h): one
 * check, then one request per section, each a function of
 * sql/repeatable/90_report.sql; the cells are kept as SQL's text. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "db_priv.h"
#include "ccterm/report.h"

static const char *const section_sql[REPORT_NSECTIONS] = {
	[REPORT_QUEUES] = "select * from report_queues($1, $2, $3)",
	[REPORT_AGENTS] = "select * from report_agents($1, $2, $3)",
	[REPORT_PAUSES] = "select * from report_pauses($1, $2, $3)",
	[REPORT_BRANCHES] = "select * from report_branches($1, $2, $3)",
	[REPORT_OFFERS] = "select * from report_offers($1, $2, $3)",
	[REPORT_CAMPAIGNS] = "select * from report_campaigns($1, $2, $3)",
};

static void add_args(struct db_request *rq, const char *day, const char *queue, const char *branch)
{
	db_request_text(rq, day && *day ? day : NULL);
	db_request_text(rq, queue && *queue ? queue : NULL);
	db_request_text(rq, branch && *branch ? branch : NULL);
}

void db_report_check_request(struct db_request *rq, const char *day, const char *queue, const char *branch)
{
	db_request_init(rq, "select d::text, report_timezone() from report_check($1, $2, $3) d");
	add_args(rq, day, queue, branch);
}

int db_report_check_read(const struct pg_result *res, void *out, char *err, size_t errsz)
{
	struct report *r = out;

	if (PQntuples(res) != 1 || PQnfields(res) != 2) {
		snprintf(err, errsz, "report_check: unexpected answer");
		return -1;
	}
	DB_COPY(r->day, res, 0, 0);
	DB_COPY(r->timezone, res, 0, 1);
	return 0;
}

void db_report_section_request(struct db_request *rq, enum report_section_id i, const char *day, const char *queue,
			       const char *branch)
{
	db_request_init(rq, section_sql[i < REPORT_NSECTIONS ? i : REPORT_QUEUES]);
	add_args(rq, day, queue, branch);
}

int db_report_section_read(const struct pg_result *res, void *out, char *err, size_t errsz)
{
	struct report_section *s = out, got = { 0 };
	int n;

	got.ncols = PQnfields(res);
	got.nrows = PQntuples(res);
	n = got.ncols * got.nrows;
	got.names = calloc((size_t)got.ncols + 1, sizeof(char *));
	got.cells = calloc((size_t)n + 1, sizeof(char *));
	if (!got.names || !got.cells)
		goto oom;
	for (int c = 0; c < got.ncols; c++)
		if (!(got.names[c] = strdup(PQfname(res, c))))
			goto oom;
	for (int row = 0; row < got.nrows; row++)
		for (int c = 0; c < got.ncols; c++)
			if (!(got.cells[row * got.ncols + c] = strdup(db_field(res, row, c))))
				goto oom;
	/* the section's old rows go only once the new ones are all in */
	{
		struct report tmp = { 0 };

		tmp.sec[0] = *s;
		report_free(&tmp);
	}
	*s = got;
	return 0;
oom:
	{
		struct report tmp = { 0 };

		tmp.sec[0] = got;
		report_free(&tmp);
	}
	snprintf(err, errsz, "out of memory reading the report");
	return -1;
}

int db_report_day(struct db *db, const char *day, const char *queue, const char *branch, struct report *out)
{
	struct db_request rq;

	db_report_check_request(&rq, day, queue, branch);
	if (db_run(db, &rq, db_report_check_read, out) < 0)
		return -1;
	snprintf(out->queue, sizeof(out->queue), "%s", queue ? queue : "");
	snprintf(out->branch, sizeof(out->branch), "%s", branch ? branch : "");
	for (int i = 0; i < REPORT_NSECTIONS; i++) {
		db_report_section_request(&rq, (enum report_section_id)i, out->day, queue, branch);
		if (db_run(db, &rq, db_report_section_read, &out->sec[i]) < 0)
			return -1;
	}
	return 0;
}
