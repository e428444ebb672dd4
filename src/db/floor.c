/* floor.c - the call floor: a call's life, agents' states, the supervisor's
 * boards and what the simulator needs (sql/020_routing.sql). */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db_priv.h"
#include "ccterm/floor.h"
#include "ccterm/notify.h"
#include "ccterm/phone.h"

#define field db_field
#define COPY DB_COPY

/* A number, or fallback for SQL NULL. */
static double number_or(const PGresult *res, int row, int col, double fallback)
{
	return PQgetisnull(res, row, col) ? fallback : atof(PQgetvalue(res, row, col));
}

static void id_text(long long id, char *buf, size_t size)
{
	snprintf(buf, size, "%lld", id);
}

/* A one-dimensional numeric[] / integer[] as text ("{1.5,NULL,3}") into
 * out (NAN for NULL), at most max elements; how many. "" (SQL NULL) is none. */
static int number_array(const char *text, double *out, int max)
{
	const char *p = text;
	int n = 0;

	if (*p != '{')
		return 0;
	p++;
	while (*p && *p != '}' && n < max) {
		char *end;

		if (strncmp(p, "NULL", 4) == 0) {
			out[n++] = NAN;
			p += 4;
		} else {
			out[n++] = strtod(p, &end);
			if (end == p)
				break;
			p = end;
		}
		if (*p == ',')
			p++;
	}
	return n;
}

/* A PostgreSQL text[] literal of n strings, every element quoted; malloc'd. */
static char *array_literal(const char *const *items, size_t n)
{
	size_t len = 3;
	char *buf, *p;

	for (size_t i = 0; i < n; i++)
		len += 2 * strlen(items[i]) + 3;
	buf = malloc(len);
	if (!buf)
		return NULL;
	p = buf;
	*p++ = '{';
	for (size_t i = 0; i < n; i++) {
		if (i)
			*p++ = ',';
		*p++ = '"';
		for (const char *s = items[i]; *s; s++) {
			if (*s == '"' || *s == '\\')
				*p++ = '\\';
			*p++ = *s;
		}
		*p++ = '"';
	}
	*p++ = '}';
	*p = '\0';
	return buf;
}

/* --- a call's life ------------------------------------------------------ */

int db_call_arrive(struct db *db, const char *ani, const char *dnis, const char *queue, const char *agent,
		   long long *id)
{
	char e164[PHONE_E164_MAX];
	const char *p[5];
	PGresult *res;

	/* An unparseable caller id (withheld, "anonymous") is still a call. */
	p[0] = ani;
	p[1] = ani && phone_normalize(ani, NULL, e164, sizeof(e164)) == 0 ? e164 : NULL;
	p[2] = dnis;
	p[3] = queue;
	p[4] = agent;
	if (p[1]) {
		/* The caller's pop is prepared first, committed in its own
		 * transaction before the call can be offered (32_prepared_pop.sql);
		 * one round trip for both. */
		struct db_request prepare;

		db_request_init(&prepare, "select pop_prepare($1)");
		db_request_text(&prepare, p[1]);
		res = db_query_after(db, &prepare, "select call_arrive($1, $2, $3, $4, $5)", 5, p);
	} else {
		res = db_query(db, "select call_arrive($1, $2, $3, $4, $5)", 5, p);
	}
	if (!res)
		return -1;
	*id = atoll(PQgetvalue(res, 0, 0));
	PQclear(res);
	return 0;
}

/* Runs a one-value statement on a call id; the value is copied to out (may be NULL). */
static int call_fn(struct db *db, const char *sql, long long id, char *out, size_t outsz)
{
	char idbuf[24];
	const char *p[1] = { idbuf };
	PGresult *res;
	int rc;

	id_text(id, idbuf, sizeof(idbuf));
	res = db_query(db, sql, 1, p);
	if (!res)
		return -1;
	rc = PQntuples(res) == 1 && !PQgetisnull(res, 0, 0) && strcmp(PQgetvalue(res, 0, 0), "f") != 0;
	if (out)
		snprintf(out, outsz, "%s", rc ? PQgetvalue(res, 0, 0) : "");
	PQclear(res);
	return rc;
}

void db_call_answer_request(struct db_request *rq, long long id)
{
	db_request_init(rq, "select call_answer($1::bigint)::text");
	db_request_int(rq, id);
}

void db_call_hangup_request(struct db_request *rq, long long id)
{
	db_request_init(rq, "select coalesce(call_hangup($1::bigint), '')");
	db_request_int(rq, id);
}

int db_text_read(const struct pg_result *res, void *out, char *err, size_t errsz)
{
	char *text = out;   /* 16 bytes */

	if (PQntuples(res) != 1) {
		snprintf(err, errsz, "expected one value");
		return -1;
	}
	snprintf(text, 16, "%s", field(res, 0, 0));
	return 0;
}

int db_call_answer(struct db *db, long long id)
{
	return call_fn(db, "select call_answer($1::bigint)", id, NULL, 0);
}

int db_call_hangup(struct db *db, long long id, char *state)
{
	return call_fn(db, "select call_hangup($1::bigint)", id, state, 16);
}

int db_call_no_answer(struct db *db, long long id)
{
	return call_fn(db, "select call_no_answer($1::bigint)", id, NULL, 0);
}

int db_call_ring_expire(struct db *db)
{
	PGresult *res = db_query(db, "select call_ring_expire()", 0, NULL);
	int n;

	if (!res)
		return -1;
	n = atoi(PQgetvalue(res, 0, 0));
	PQclear(res);
	return n;
}

int db_call_ring_next(struct db *db, double *secs)
{
	PGresult *res = db_query(db, "select call_ring_next()", 0, NULL);
	int found;

	if (!res)
		return -1;
	found = !PQgetisnull(res, 0, 0);
	*secs = found ? atof(PQgetvalue(res, 0, 0)) : 0;
	PQclear(res);
	return found;
}

int db_call_state(struct db *db, long long id, char *state, char *agent)
{
	char idbuf[24];
	const char *p[1] = { idbuf };
	PGresult *res;
	int found;

	id_text(id, idbuf, sizeof(idbuf));
	res = db_query(db, "select state, coalesce(agent_login, '') from call where id = $1::bigint", 1, p);
	if (!res)
		return -1;
	found = PQntuples(res) == 1;
	snprintf(state, 16, "%s", found ? PQgetvalue(res, 0, 0) : "");
	snprintf(agent, 64, "%s", found ? PQgetvalue(res, 0, 1) : "");
	PQclear(res);
	return found;
}

/* --- agents --------------------------------------------------------------- */

int db_agent_set_state_for(struct db *db, const char *login, const char *state, const char *reason)
{
	const char *p[3] = { login, state, reason };

	return db_exec(db, "select agent_set_state_for($1, $2, $3)", 3, p);
}

int db_route_pending(struct db *db, const char *queue)
{
	const char *p[1] = { queue };
	PGresult *res = db_query(db, "select route_pending(id) from queue where name = $1", 1, p);
	int n;

	if (!res)
		return -1;
	if (PQntuples(res) == 0) {
		PQclear(res);
		db_set_error(db, "unknown queue %s", queue);
		return -1;
	}
	n = atoi(PQgetvalue(res, 0, 0));
	PQclear(res);
	return n;
}

/* --- the boards ------------------------------------------------------------- */

void db_wallboard_queues_request(struct db_request *rq)
{
	db_request_init(rq,
		"select queue_id, name, sla_seconds, sla_target_pct, waiting_now, longest_wait_secs, "
		"offered_today, answered_today, abandoned_today, answered_in_sla, abandoned_after_sla, "
		"service_level_pct, asa_secs, agents_ready, agents_ringing, agents_on_call, agents_wrap_up, "
		"agents_break, agents_not_ready from wallboard_queues() order by name");
}

int db_wallboard_queues_read(const struct pg_result *res, void *out, char *err, size_t errsz)
{
	struct floor_queues *fq = out;
	int n = PQntuples(res);

	if ((size_t)n > fq->max)
		n = (int)fq->max;
	for (int r = 0; r < n; r++) {
		struct queue_stat *q = &fq->rows[r];

		memset(q, 0, sizeof(*q));
		q->id = atoi(field(res, r, 0));
		COPY(q->name, res, r, 1);
		q->sla_seconds = atoi(field(res, r, 2));
		q->sla_target_pct = atof(field(res, r, 3));
		q->waiting = atol(field(res, r, 4));
		q->longest_wait_secs = atol(field(res, r, 5));
		q->offered = atol(field(res, r, 6));
		q->answered = atol(field(res, r, 7));
		q->abandoned = atol(field(res, r, 8));
		q->answered_in_sla = atol(field(res, r, 9));
		q->abandoned_after_sla = atol(field(res, r, 10));
		q->service_level_pct = number_or(res, r, 11, -1);
		q->asa_secs = number_or(res, r, 12, -1);
		q->agents_ready = atol(field(res, r, 13));
		q->agents_ringing = atol(field(res, r, 14));
		q->agents_on_call = atol(field(res, r, 15));
		q->agents_wrap_up = atol(field(res, r, 16));
		q->agents_break = atol(field(res, r, 17));
		q->agents_not_ready = atol(field(res, r, 18));
	}
	fq->n = n;
	(void)err;
	(void)errsz;
	return 0;
}

void db_queue_trends_request(struct db_request *rq)
{
	/* quarters as call_stat_of buckets them (40_calls.sql) */
	db_request_init(rq, "select queue_id, sl_15m, offered_15m, extract(epoch from date_bin('15 minutes', now(), "
			    "timestamptz '2000-01-01 00:00:00+00') + interval '15 minutes')::bigint "
			    "from queue_trends(now(), " TREND_DRAWN ")");
}

int db_queue_trends_read(const struct pg_result *res, void *out, char *err, size_t errsz)
{
	struct floor_trends *ft = out;
	int n = PQntuples(res);

	if ((size_t)n > ft->max)
		n = (int)ft->max;
	ft->quarter_end = 0;
	for (int r = 0; r < n; r++) {
		struct queue_trend *t = &ft->rows[r];

		t->queue_id = atoi(field(res, r, 0));
		t->quarters = number_array(field(res, r, 1), t->sl_15m, TREND_QUARTERS);
		if (number_array(field(res, r, 2), t->offered_15m, TREND_QUARTERS) != t->quarters)
			t->quarters = 0;
		ft->quarter_end = atoll(field(res, r, 3));
	}
	ft->n = n;
	(void)err;
	(void)errsz;
	return 0;
}

int db_wallboard_queues(struct db *db, struct queue_stat *out, size_t max)
{
	struct db_request rq;
	struct floor_queues fq = { .rows = out, .max = max };

	db_wallboard_queues_request(&rq);
	return db_run(db, &rq, db_wallboard_queues_read, &fq) < 0 ? -1 : fq.n;
}

void db_wallboard_agents_request(struct db_request *rq, enum agent_sort sort, long offset, size_t max)
{
	static const char *const sorts[] = {
		[AGENT_SORT_STATE] = "state", [AGENT_SORT_TIME] = "time", [AGENT_SORT_LOGIN] = "login",
		[AGENT_SORT_NAME] = "name", [AGENT_SORT_HANDLED] = "handled",
	};

	/* The count row is there even when the page is past the end. */
	db_request_init(rq, "select w.login, w.name, coalesce(w.branch_code, ''), w.state, w.state_secs, w.call_id, "
			    "w.call_state, w.customer_id, w.customer_name, w.handled_today, t.n, w.reason "
			    "from (select count(*) as n from agent) t "
			    "left join wallboard_agents($1, $2::integer, $3::integer) w on true");
	db_request_text(rq, sorts[sort]);
	db_request_int(rq, (long long)max);
	db_request_int(rq, offset < 0 ? 0 : offset);
}

int db_wallboard_agents_read(const struct pg_result *res, void *out, char *err, size_t errsz)
{
	struct floor_agents *fa = out;
	int n = 0;

	fa->total = 0;
	for (int r = 0; r < PQntuples(res); r++) {
		struct agent_stat *a;

		fa->total = atol(field(res, r, 10));
		if (PQgetisnull(res, r, 0) || (size_t)n >= fa->max)
			continue;
		a = &fa->rows[n++];
		memset(a, 0, sizeof(*a));
		COPY(a->login, res, r, 0);
		COPY(a->name, res, r, 1);
		COPY(a->branch, res, r, 2);
		COPY(a->state, res, r, 3);
		a->state_secs = atol(field(res, r, 4));
		a->call_id = atoll(field(res, r, 5));
		COPY(a->call_state, res, r, 6);
		a->customer_id = atoll(field(res, r, 7));
		COPY(a->customer, res, r, 8);
		a->handled_today = atol(field(res, r, 9));
		COPY(a->reason, res, r, 11);
	}
	fa->n = n;
	(void)err;
	(void)errsz;
	return 0;
}

int db_wallboard_agents(struct db *db, enum agent_sort sort, long offset, struct agent_stat *out, size_t max,
			long *total)
{
	struct db_request rq;
	struct floor_agents fa = { .rows = out, .max = max };

	db_wallboard_agents_request(&rq, sort, offset, max);
	if (db_run(db, &rq, db_wallboard_agents_read, &fa) < 0)
		return -1;
	*total = fa.total;
	return fa.n;
}

void db_branch_satisfaction_request(struct db_request *rq)
{
	db_request_init(rq, "select branch_code, branch_name, today_avg, today_n, week_avg, week_n, avg_7d, n_7d "
			    "from branch_board()");
}

int db_branch_satisfaction_read(const struct pg_result *res, void *out, char *err, size_t errsz)
{
	struct floor_branches *fb = out;
	int n = PQntuples(res);

	if ((size_t)n > fb->max)
		n = (int)fb->max;
	for (int r = 0; r < n; r++) {
		struct branch_sat *b = &fb->rows[r];

		memset(b, 0, sizeof(*b));
		COPY(b->code, res, r, 0);
		COPY(b->name, res, r, 1);
		b->today_avg = number_or(res, r, 2, -1);
		b->today_n = atol(field(res, r, 3));
		b->week_avg = number_or(res, r, 4, -1);
		b->week_n = atol(field(res, r, 5));
		{
			double answers[TREND_DAYS];

			if (number_array(field(res, r, 6), b->avg_7d, TREND_DAYS) != TREND_DAYS ||
			    number_array(field(res, r, 7), answers, TREND_DAYS) != TREND_DAYS)
				for (int d = 0; d < TREND_DAYS; d++)
					b->avg_7d[d] = NAN, answers[d] = 0;
			for (int d = 0; d < TREND_DAYS; d++)
				b->n_7d[d] = (long)answers[d];
		}
	}
	fb->n = n;
	(void)err;
	(void)errsz;
	return 0;
}

int db_branch_satisfaction(struct db *db, struct branch_sat *out, size_t max)
{
	struct db_request rq;
	struct floor_branches fb = { .rows = out, .max = max };

	db_branch_satisfaction_request(&rq);
	return db_run(db, &rq, db_branch_satisfaction_read, &fb) < 0 ? -1 : fb.n;
}

void db_agent_day_request(struct db_request *rq, const char *login)
{
	db_request_init(rq, "select state, secs from agent_day($1)");
	db_request_text(rq, login);
}

int db_agent_day_read(const struct pg_result *res, void *arg, char *err, size_t errsz)
{
	struct agent_day *out = arg;

	memset(out, 0, sizeof(*out));
	for (int r = 0; r < PQntuples(res); r++) {
		const char *s = PQgetvalue(res, r, 0);
		long secs = atol(PQgetvalue(res, r, 1));

		if (strcmp(s, "ready") == 0)
			out->ready = secs;
		else if (strcmp(s, "ringing") == 0)
			out->ringing = secs;
		else if (strcmp(s, "on_call") == 0)
			out->on_call = secs;
		else if (strcmp(s, "wrap_up") == 0)
			out->wrap_up = secs;
		else if (strcmp(s, "not_ready") == 0)
			out->not_ready = secs;
		else if (strcmp(s, "break") == 0)
			out->on_break = secs;
		else
			out->logged_out = secs;
	}
	(void)err;
	(void)errsz;
	return 0;
}

int db_agent_day(struct db *db, const char *login, struct agent_day *out)
{
	struct db_request rq;

	db_agent_day_request(&rq, login);
	return db_run(db, &rq, db_agent_day_read, out);
}

double agent_day_occupancy(const struct agent_day *d)
{
	long busy = d->ringing + d->on_call + d->wrap_up;

	return busy + d->ready > 0 ? 100.0 * (double)busy / (double)(busy + d->ready) : -1;
}

/* --- for the simulator ---------------------------------------------------- */

int db_queue_names(struct db *db, char (*names)[40], size_t max)
{
	PGresult *res = db_query(db, "select name from queue order by name", 0, NULL);
	int n;

	if (!res)
		return -1;
	n = PQntuples(res);
	if ((size_t)n > max)
		n = (int)max;
	for (int r = 0; r < n; r++)
		snprintf(names[r], sizeof(names[r]), "%s", PQgetvalue(res, r, 0));
	PQclear(res);
	return n;
}

int db_sim_agents(struct db *db, const char *const *logins, size_t n, char (*queues)[40], size_t nq)
{
	const char **qv = malloc((nq ? nq : 1) * sizeof(*qv));
	char *la, *qa;
	const char *p[2];
	int rc = -1;

	if (!qv)
		return -1;
	for (size_t i = 0; i < nq; i++)
		qv[i] = queues[i];
	la = array_literal(logins, n);
	qa = array_literal(qv, nq);
	free(qv);
	p[0] = la;
	p[1] = qa;
	if (!la || !qa || db_exec(db, "begin", 0, NULL) < 0)
		goto out;
	if (db_exec(db, "insert into agent (login, name, branch_code) "
			"select u.login, 'Simulated agent ' || u.ord, (select code from branch where code = 'CALL') "
			"from unnest($1::text[]) with ordinality u(login, ord) on conflict (login) do nothing", 1, p) < 0 ||
	    db_exec(db, "insert into agent_queue (login, queue_id) "
			"select u.login, q.id "
			"from unnest($1::text[]) with ordinality u(login, ord) "
			"cross join generate_series(0, least(cardinality($2::text[]), 3) - 1) k "
			"join queue q on q.name = ($2::text[])[1 + ((u.ord - 1) * least(cardinality($2::text[]), 3) + k) "
			"% cardinality($2::text[])] "
			"on conflict do nothing", 2, p) < 0 ||
	    db_exec(db, "select count(call_hangup(c.id)) from call c "
			"where c.agent_login = any($1::text[]) and c.state in ('offered', 'answered')", 1, p) < 0 ||
	    db_exec(db, "select count(agent_set_state_for(u.login, 'logged_out', 'simulator start')) "
			"from unnest($1::text[]) u(login)", 1, p) < 0 ||
	    db_exec(db, "commit", 0, NULL) < 0) {
		db_exec(db, "rollback", 0, NULL);
		goto out;
	}
	rc = 0;
out:
	free(la);
	free(qa);
	return rc;
}

int db_phone_sample(struct db *db, char (*out)[17], size_t max)
{
	char lim[24];
	const char *p[1] = { lim };
	PGresult *res;
	int n;

	snprintf(lim, sizeof(lim), "%zu", max);
	res = db_query(db, "select value from contact_point where kind = 'phone' order by random() limit $1::integer",
		       1, p);
	if (!res)
		return -1;
	n = PQntuples(res);
	for (int r = 0; r < n; r++)
		snprintf(out[r], sizeof(out[r]), "%s", PQgetvalue(res, r, 0));
	PQclear(res);
	return n;
}

int db_offers_listen(struct db *db, const char *login)
{
	char channel[96];

	snprintf(channel, sizeof(channel), "agent_%s", login);
	return notify_listen_channel(db, channel);
}

int db_offers_drain(struct db *db, struct call_offer *out, size_t max)
{
	struct notice n[64];
	size_t got = 0;
	int k = 0;

	/* Only offers count here; what else arrived is read and dropped. */
	while (got < max && (k = notify_drain(db, n, max - got < 64 ? max - got : 64)) > 0) {
		for (int i = 0; i < k; i++)
			if (n[i].kind == NOTICE_CALL && strcmp(n[i].state, "offered") == 0) {
				snprintf(out[got].login, sizeof(out[got].login), "%s", n[i].login);
				out[got].call_id = n[i].call_id;
				got++;
			}
	}
	return k < 0 ? -1 : (int)got;
}

int db_offers_open(struct db *db, const char *prefix, struct call_offer *out, size_t max)
{
	const char *p[1] = { prefix };
	PGresult *res = db_query(db, "select id, agent_login from call "
				     "where state = 'offered' and starts_with(agent_login, $1) order by id", 1, p);
	int n;

	if (!res)
		return -1;
	n = PQntuples(res);
	if ((size_t)n > max)
		n = (int)max;
	for (int i = 0; i < n; i++) {
		out[i].call_id = atoll(PQgetvalue(res, i, 0));
		snprintf(out[i].login, sizeof(out[i].login), "%s", PQgetvalue(res, i, 1));
	}
	PQclear(res);
	return n;
}

int db_call_summary(struct db *db, const long long *ids, size_t n, struct call_summary *out)
{
	char *arr = malloc(n * 21 + 3), *p = arr;
	const char *params[1];
	PGresult *res;

	memset(out, 0, sizeof(*out));
	if (!arr)
		return -1;
	*p++ = '{';
	for (size_t i = 0; i < n; i++)
		p += sprintf(p, "%s%lld", i ? "," : "", ids[i]);
	*p++ = '}';
	*p = '\0';
	params[0] = arr;
	res = db_query(db,
		"select count(*), count(v.answered) filter (where v.answered = 1), "
		"count(*) filter (where v.abandoned = 1), coalesce(sum(v.in_sla), 0), "
		"coalesce(sum(v.abandoned_late), 0), count(*) filter (where c.state in ('queued', 'offered', 'answered')), "
		"round(100.0 * sum(v.in_sla) / nullif(sum(v.answered) + sum(v.abandoned_late), 0), 1), "
		"round(sum(v.answer_ms) / 1000.0 / nullif(sum(v.answered), 0), 1) "
		"from call c, call_stat_of(c) v where c.id = any($1::bigint[])", 1, params);
	free(arr);
	if (!res)
		return -1;
	out->calls = atol(field(res, 0, 0));
	out->answered = atol(field(res, 0, 1));
	out->abandoned = atol(field(res, 0, 2));
	out->answered_in_sla = atol(field(res, 0, 3));
	out->abandoned_after_sla = atol(field(res, 0, 4));
	out->open = atol(field(res, 0, 5));
	out->service_level_pct = number_or(res, 0, 6, -1);
	out->asa_secs = number_or(res, 0, 7, -1);
	PQclear(res);
	return 0;
}
