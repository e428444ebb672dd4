/* pbx.c - a PBX's events and agents' extensions: the SQL is in 47_pbx.sql. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "db_priv.h"
#include "ccterm/pbx.h"
#include "ccterm/phone.h"

static const char *or_null(const char *s)
{
	return s && *s ? s : NULL;
}

int db_pbx_apply(struct db *db, const struct pbx_event *e, long long *call)
{
	char e164[PHONE_E164_MAX];
	const char *p[7] = { or_null(e->call_id) };
	const char *sql;
	PGresult *res;
	int n = 1;

	switch (e->kind) {
	case PBX_QUEUED:
		sql = "select pbx_call_queued($1, $2, $3, $4, $5)";
		p[1] = or_null(e->ani);
		p[2] = p[1] && phone_normalize(p[1], NULL, e164, sizeof(e164)) == 0 ? e164 : NULL;
		p[3] = or_null(e->dnis);
		p[4] = or_null(e->queue);
		n = 5;
		break;
	case PBX_OFFERED:
	case PBX_ANSWERED:
		sql = e->kind == PBX_OFFERED ? "select pbx_call_offered($1, $2, $3, $4, $5, $6, $7)"
					     : "select pbx_call_answered($1, $2, $3, $4, $5, $6, $7)";
		p[1] = or_null(e->agent);
		p[2] = or_null(e->agent_alt);
		p[3] = or_null(e->ani);
		p[4] = p[3] && phone_normalize(p[3], NULL, e164, sizeof(e164)) == 0 ? e164 : NULL;
		p[5] = or_null(e->dnis);
		p[6] = or_null(e->queue);
		n = 7;
		break;
	case PBX_REQUEUED:
		sql = "select pbx_call_requeued($1, $2, $3)";
		p[1] = or_null(e->agent);
		p[2] = or_null(e->agent_alt);
		n = 3;
		break;
	case PBX_ABANDONED:
	case PBX_ENDED:
		sql = "select pbx_call_hungup($1)";
		break;
	default:
		db_set_error(db, "no such PBX event");
		return -1;
	}
	if ((e->kind == PBX_QUEUED && p[2]) || ((e->kind == PBX_OFFERED || e->kind == PBX_ANSWERED) && p[4])) {
		/* A call that may be new: its caller's pop is prepared first, in a
		 * transaction of its own, in the same round trip (32_prepared_pop.sql;
		 * a pop prepared at queue entry is found fresh and kept). */
		struct db_request prepare;

		db_request_init(&prepare, "select pop_prepare($1)");
		db_request_text(&prepare, e->kind == PBX_QUEUED ? p[2] : p[4]);
		res = db_query_after(db, &prepare, sql, n, p);
	} else {
		res = db_query(db, sql, n, p);
	}
	if (!res)
		return -1;
	n = !PQgetisnull(res, 0, 0);
	if (n && call)
		*call = atoll(PQgetvalue(res, 0, 0));
	PQclear(res);
	return n;
}

int db_pbx_resync(struct db *db, const char *const *alive, size_t n)
{
	/* a text[] literal: every element quoted, \\ and " escaped */
	size_t cap = 3, len = 0;
	const char *p[1];
	PGresult *res;
	char *lit;
	int closed;

	for (size_t i = 0; i < n; i++)
		cap += 2 * strlen(alive[i]) + 3;
	lit = malloc(cap);
	if (!lit) {
		db_set_error(db, "out of memory");
		return -1;
	}
	lit[len++] = '{';
	for (size_t i = 0; i < n; i++) {
		if (i)
			lit[len++] = ',';
		lit[len++] = '"';
		for (const char *c = alive[i]; *c; c++) {
			if (*c == '"' || *c == '\\')
				lit[len++] = '\\';
			lit[len++] = *c;
		}
		lit[len++] = '"';
	}
	lit[len++] = '}';
	lit[len] = '\0';
	p[0] = lit;
	res = db_query(db, "select count(*) from pbx_resync($1::text[])", 1, p);
	free(lit);
	if (!res)
		return -1;
	closed = atoi(PQgetvalue(res, 0, 0));
	PQclear(res);
	return closed;
}

int db_agent_extension(struct db *db, const char *login, const char *ext)
{
	const char *p[2] = { login, or_null(ext) };
	PGresult *res;
	int n;

	if (p[1]) {
		res = db_query(db, "select login from agent where lower(extension) = lower($2) and login <> $1", 2, p);
		if (!res)
			return -1;
		n = PQntuples(res);
		if (n > 0)
			db_set_error(db, "extension %s is agent %s's already", ext, PQgetvalue(res, 0, 0));
		PQclear(res);
		if (n > 0)
			return -1;
	}
	res = db_query(db, "update agent set extension = $2 where login = $1 returning login", 2, p);
	if (!res)
		return -1;
	n = PQntuples(res);
	PQclear(res);
	if (n == 0) {
		db_set_error(db, "no agent %s", login);
		return -1;
	}
	return 0;
}
