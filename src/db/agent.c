/* agent.c - the agent at this console. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db_priv.h"
#include "ccterm/agent.h"

#define AGENT_COLUMNS \
	"login, name, coalesce(branch_code, ''), coalesce(branch_name, ''), role, state, " \
	"greatest(extract(epoch from clock_timestamp() - state_since), 0)::bigint, coalesce(state_reason, '')"

void db_agent_self_request(struct db_request *rq)
{
	db_request_init(rq, "select " AGENT_COLUMNS " from agent_me");
}

int db_agent_self_read(const struct pg_result *res, void *out, char *err, size_t errsz)
{
	struct agent_info *a = out;

	if (PQntuples(res) == 0) {
		snprintf(err, errsz, "this role is not a ccterm agent (ccterm-admin agent add LOGIN --name NAME)");
		return -1;
	}
	DB_COPY(a->login, res, 0, 0);
	DB_COPY(a->name, res, 0, 1);
	DB_COPY(a->branch, res, 0, 2);
	DB_COPY(a->branch_name, res, 0, 3);
	DB_COPY(a->role, res, 0, 4);
	DB_COPY(a->state, res, 0, 5);
	a->state_secs = atol(db_field(res, 0, 6));
	if (a->state_secs < 0)
		a->state_secs = 0;
	a->state_since = time(NULL) - a->state_secs;
	DB_COPY(a->reason, res, 0, 7);
	return 0;
}

int db_agent_self(struct db *db, struct agent_info *a)
{
	struct db_request rq;
	PGresult *res;

	db_agent_self_request(&rq);
	res = db_query(db, rq.sql, 0, NULL);
	if (!res)
		return -1;
	if (PQntuples(res) == 0) {
		PQclear(res);
		db_set_error(db, "role %s is not a ccterm agent (ccterm-admin agent add %s --name NAME)",
			     db_user(db), db_user(db));
		return 1;
	}
	db_agent_self_read(res, a, NULL, 0);
	PQclear(res);
	return 0;
}

void db_agent_set_state_request(struct db_request *rq, const char *state, const char *reason)
{
	/* The state set and its start as the function returns them: agent_me,
	 * read in the same statement, still sees the row as it was before. */
	db_request_init(rq, "select login, name, coalesce(branch_code, ''), coalesce(branch_name, ''), role, "
			    "$1::text, greatest(extract(epoch from clock_timestamp() - s.since), 0)::bigint, "
			    "coalesce($2, '') from (select agent_set_state($1, $2) as since) s, agent_me");
	db_request_text(rq, state);
	db_request_text(rq, reason);
}

void db_agent_pause_request(struct db_request *rq, const char *reason)
{
	db_request_init(rq, "select login, name, coalesce(branch_code, ''), coalesce(branch_name, ''), role, "
			    "r.state, greatest(extract(epoch from clock_timestamp() - s.since), 0)::bigint, r.code "
			    "from (select agent_pause($1) as since) s, agent_me, pause_reasons() r where r.code = $1");
	db_request_text(rq, reason);
}

void db_agent_login_request(struct db_request *rq)
{
	db_request_init(rq, "select agent_set_state('not_ready', 'login') from agent_me where state = 'logged_out'");
}

void db_agent_logout_request(struct db_request *rq, long long console_id, const char *reason)
{
	db_request_init(rq, "select console_session_close(nullif($1::bigint, 0), $2)");
	db_request_int(rq, console_id);
	db_request_text(rq, reason);
}

void db_console_beat_request(struct db_request *rq, long long console_id)
{
	/* the key only for an id this console has not had: a renewal carries none */
	db_request_init(rq, "select b.id, case when b.id <> $1::bigint then encode(console_session_key(b.id), 'hex') end "
			    "from (select coalesce(console_session_beat(nullif($1::bigint, 0)), 0) as id) b");
	db_request_int(rq, console_id);
}

int db_console_sessions_expire(struct db *db)
{
	PGresult *res = db_query(db, "select console_sessions_expire()", 0, NULL);
	int n;

	if (!res)
		return -1;
	n = atoi(db_field(res, 0, 0));
	PQclear(res);
	return n;
}

static int hex_digit(char c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

int db_console_beat_read(const struct pg_result *res, void *out, char *err, size_t errsz)
{
	struct console_beat *b = out;
	const char *hex;

	memset(b, 0, sizeof(*b));
	if (PQntuples(res) != 1 || PQnfields(res) != 2) {
		snprintf(err, errsz, "expected one console id");
		return -1;
	}
	b->id = atoll(db_field(res, 0, 0));
	hex = db_field(res, 0, 1);
	if (strlen(hex) == 2 * sizeof(b->key)) {
		b->has_key = true;
		for (size_t i = 0; i < sizeof(b->key) && b->has_key; i++) {
			int hi = hex_digit(hex[2 * i]), lo = hex_digit(hex[2 * i + 1]);

			b->has_key = hi >= 0 && lo >= 0;
			b->key[i] = (unsigned char)(hi << 4 | lo);
		}
	}
	return 0;
}

int db_agent_set_state(struct db *db, const char *state, const char *reason, time_t *since)
{
	const char *p[2] = { state, reason };
	PGresult *res = db_query(db, "select greatest(extract(epoch from clock_timestamp() - "
				     "agent_set_state($1, $2)), 0)::bigint", 2, p);

	if (!res)
		return -1;
	*since = time(NULL) - (time_t)atoll(db_field(res, 0, 0));
	PQclear(res);
	return 0;
}

void db_queue_waiting_request(struct db_request *rq)
{
	db_request_init(rq, "select queue_waiting_mine()");
}

int db_count_read(const struct pg_result *res, void *out, char *err, size_t errsz)
{
	long *n = out;

	if (PQntuples(res) != 1) {
		snprintf(err, errsz, "expected one count");
		return -1;
	}
	*n = atol(db_field(res, 0, 0));
	return 0;
}

long db_queue_waiting(struct db *db)
{
	struct db_request rq;
	long n;

	db_queue_waiting_request(&rq);
	return db_run(db, &rq, db_count_read, &n) < 0 ? -1 : n;
}
