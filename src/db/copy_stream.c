/* copy_stream.c - COPY FROM STDIN in the text format (copy_stream.h). */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "db_priv.h"
#include "copy_stream.h"

#define FLUSH_AT (256 * 1024)

static int flush(struct copy_stream *cs)
{
	if (cs->len && PQputCopyData(db_pg(cs->db), cs->buf, (int)cs->len) != 1) {
		db_set_error(cs->db, "COPY failed: %s", PQerrorMessage(db_pg(cs->db)));
		return -1;
	}
	cs->len = 0;
	return 0;
}

static int put(struct copy_stream *cs, const char *s, size_t n)
{
	if (n == 0)
		return 0;
	if (cs->len + n > cs->cap) {
		size_t cap = cs->cap ? cs->cap * 2 : 65536;
		char *nb;

		while (cap < cs->len + n)
			cap *= 2;
		if (!(nb = realloc(cs->buf, cap))) {
			db_set_error(cs->db, "out of memory");
			return -1;
		}
		cs->buf = nb;
		cs->cap = cap;
	}
	memcpy(cs->buf + cs->len, s, n);
	cs->len += n;
	return cs->len > FLUSH_AT ? flush(cs) : 0;
}

int copy_stream_begin(struct copy_stream *cs, struct db *db, const char *copy_sql)
{
	PGresult *res;

	memset(cs, 0, sizeof(*cs));
	cs->db = db;
	res = PQexec(db_pg(db), copy_sql);
	if (PQresultStatus(res) != PGRES_COPY_IN) {
		db_set_error(db, "COPY failed: %s", PQresultErrorMessage(res));
		PQclear(res);
		return -1;
	}
	PQclear(res);
	return 0;
}

/* The runs of plain bytes go in whole; only the specials one by one. */
static int put_field(struct copy_stream *cs, const char *s)
{
	size_t from = 0, k = 0;

	if (!s)
		return put(cs, "\\N", 2);
	for (; s[k]; k++) {
		const char *esc = s[k] == '\\' ? "\\\\" : s[k] == '\t' ? "\\t" : s[k] == '\n' ? "\\n"
				  : s[k] == '\r' ? "\\r" : NULL;

		if (!esc)
			continue;
		if (put(cs, s + from, k - from) < 0 || put(cs, esc, 2) < 0)
			return -1;
		from = k + 1;
	}
	return put(cs, s + from, k - from);
}

int copy_stream_row(struct copy_stream *cs, const char *const *fields, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (put_field(cs, fields[i]) < 0 || put(cs, i + 1 == n ? "\n" : "\t", 1) < 0)
			return -1;
	return 0;
}

int copy_stream_end(struct copy_stream *cs)
{
	PGresult *res;
	int rc = 0;

	if (flush(cs) < 0 || PQputCopyEnd(db_pg(cs->db), NULL) != 1) {
		db_set_error(cs->db, "COPY failed: %s", PQerrorMessage(db_pg(cs->db)));
		rc = -1;
	}
	while ((res = PQgetResult(db_pg(cs->db)))) {
		if (PQresultStatus(res) != PGRES_COMMAND_OK) {
			db_set_error(cs->db, "COPY failed: %s", PQresultErrorMessage(res));
			rc = -1;
		}
		PQclear(res);
	}
	free(cs->buf);
	cs->buf = NULL;
	cs->len = cs->cap = 0;
	return rc;
}
