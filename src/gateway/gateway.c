/* gateway.c - the console's asynchronous connection (gateway.h): a queue of
 * requests sent in pipeline mode, each followed by a sync so that every one
 * is its own transaction and a failure fails only itself; results matched
 * to requests in order; notifications parsed and handed on. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <libpq-fe.h>

#include "gateway.h"

#define GW_QUEUE 64
#define GW_CONNECT_MS 5000
#define GW_RETRY_MS 1000

enum link { LINK_DOWN, LINK_CONNECTING, LINK_UP };

struct request {
	char *sql;
	int nparams;
	char *params[DB_MAX_PARAMS];
	db_read_fn *read;
	void *out;
	gw_done_fn *done;
	void *arg;
	long long sent_ms;       /* 0: not sent yet */
	PGresult *res;           /* the first result of the statement */
};

struct gateway {
	char *conninfo;
	PGconn *conn;
	enum link link;
	PostgresPollingStatusType want;  /* while connecting */
	long long connect_started_ms, retry_at_ms, heartbeat_ms;
	struct request q[GW_QUEUE];      /* a ring: head is the oldest; sent ones first */
	size_t head, count, nsent;
	bool want_write;
	bool held;                       /* gateway_hold: sends wait for the next gateway_pollfd */
	bool pooled;                     /* a pooler refused our options: timeouts are its own */
	char error[256];
	struct gw_hooks hooks;
};

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void one_line(char *dst, size_t size, const char *msg)
{
	snprintf(dst, size, "%s", msg && *msg ? msg : "unknown database error");
	dst[strcspn(dst, "\n")] = '\0';
}

static struct request *at(struct gateway *gw, size_t i)
{
	return &gw->q[(gw->head + i) % GW_QUEUE];
}

static void request_free(struct request *r)
{
	free(r->sql);
	for (int i = 0; i < r->nparams; i++)
		free(r->params[i]);
	PQclear(r->res);
	memset(r, 0, sizeof(*r));
}

/* Takes the oldest request off the queue and ends it (the callback last:
 * it may queue more). */
static void finish_head(struct gateway *gw, int rc, bool lost, const char *error, const char *sqlstate)
{
	struct request r = *at(gw, 0);
	struct gw_reply reply = { .rc = rc, .lost = lost, .error = error ? error : "", .sqlstate = sqlstate ? sqlstate : "" };

	memset(at(gw, 0), 0, sizeof(r));
	gw->head = (gw->head + 1) % GW_QUEUE;
	gw->count--;
	if (gw->nsent)
		gw->nsent--;
	PQclear(r.res);
	r.res = NULL;
	if (r.done)
		r.done(r.arg, &reply);
	request_free(&r);
}

/* A statement's results are in (its sync arrived): read them, then tell. */
static void complete_head(struct gateway *gw)
{
	struct request *r = at(gw, 0);
	PGresult *res = r->res;
	ExecStatusType st = res ? PQresultStatus(res) : PGRES_FATAL_ERROR;
	char err[256] = "", state[6] = "";
	int rc = 0;

	if (st == PGRES_TUPLES_OK || st == PGRES_COMMAND_OK) {
		if (r->read && r->read(res, r->out, err, sizeof(err)) < 0) {
			rc = -1;
			if (!err[0])
				snprintf(err, sizeof(err), "unexpected reply from the database");
		}
	} else {
		const char *msg = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) : NULL;
		const char *code = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;

		one_line(err, sizeof(err), msg && *msg ? msg : PQerrorMessage(gw->conn));
		snprintf(state, sizeof(state), "%s", code ? code : "");
		rc = -1;
	}
	PQclear(res);
	r->res = NULL;
	finish_head(gw, rc, false, err, state);
}

static void fail_all(struct gateway *gw, const char *why)
{
	while (gw->count)
		finish_head(gw, -1, true, why, "");
	gw->nsent = 0;
}

static void connection_lost(struct gateway *gw, const char *why)
{
	one_line(gw->error, sizeof(gw->error), why);
	if (gw->conn)
		PQfinish(gw->conn);
	gw->conn = NULL;
	gw->link = LINK_DOWN;
	gw->want_write = false;
	gw->retry_at_ms = now_ms() + GW_RETRY_MS;
	fail_all(gw, gw->error);
	if (gw->hooks.lost)
		gw->hooks.lost(gw->hooks.arg, gw->error);
}

/* Server notices (and a FATAL on an idle connection) are kept as the last
 * error instead of going to stderr, which is the agent's screen. */
static void notice_keep(void *arg, const char *message)
{
	struct gateway *gw = arg;

	one_line(gw->error, sizeof(gw->error), message);
}

static void connect_start(struct gateway *gw)
{
	/* Ours first; the caller's conninfo (expanded from dbname) overrides
	 * them, except the name other consoles of this login look for. */
	static const char *const keys[] = {
		"connect_timeout", "keepalives", "keepalives_idle", "keepalives_interval", "keepalives_count",
		"tcp_user_timeout", "options", "dbname", "application_name", NULL,
	};
	/* PgBouncer (1.18) refuses the options startup parameter; behind it the
	 * timeouts are its query_timeout and idle_transaction_timeout (docs/SCALE.md). */
	const char *values[] = {
		"5", "1", "10", "5", "3", "20000",
		gw->pooled ? "" : "-c statement_timeout=15s -c idle_in_transaction_session_timeout=60s",
		gw->conninfo, "ccterm", NULL,
	};

	gw->conn = PQconnectStartParams(keys, values, 1);
	gw->connect_started_ms = now_ms();
	if (!gw->conn || PQstatus(gw->conn) == CONNECTION_BAD) {
		one_line(gw->error, sizeof(gw->error), gw->conn ? PQerrorMessage(gw->conn) : "out of memory");
		if (gw->conn)
			PQfinish(gw->conn);
		gw->conn = NULL;
		gw->link = LINK_DOWN;
		gw->retry_at_ms = now_ms() + GW_RETRY_MS;
		return;
	}
	PQsetNoticeProcessor(gw->conn, notice_keep, gw);
	gw->link = LINK_CONNECTING;
	gw->want = PGRES_POLLING_WRITING;
}

static void send_waiting(struct gateway *gw);

static void connect_step(struct gateway *gw)
{
	gw->want = PQconnectPoll(gw->conn);
	if (gw->want == PGRES_POLLING_FAILED) {
		bool pooler = !gw->pooled && strstr(PQerrorMessage(gw->conn), "unsupported startup parameter: options");

		one_line(gw->error, sizeof(gw->error), PQerrorMessage(gw->conn));
		PQfinish(gw->conn);
		gw->conn = NULL;
		gw->link = LINK_DOWN;
		gw->retry_at_ms = now_ms() + GW_RETRY_MS;
		if (pooler) {
			gw->pooled = true;   /* at once, without the options */
			connect_start(gw);
		}
		return;
	}
	if (gw->want != PGRES_POLLING_OK)
		return;
	if (PQsetnonblocking(gw->conn, 1) != 0 || PQenterPipelineMode(gw->conn) != 1) {
		one_line(gw->error, sizeof(gw->error), PQerrorMessage(gw->conn));
		PQfinish(gw->conn);
		gw->conn = NULL;
		gw->link = LINK_DOWN;
		gw->retry_at_ms = now_ms() + GW_RETRY_MS;
		return;
	}
	gw->link = LINK_UP;
	gw->error[0] = '\0';
	if (gw->hooks.connected)
		gw->hooks.connected(gw->hooks.arg);
	send_waiting(gw);
}

static void flush(struct gateway *gw)
{
	int rc = PQflush(gw->conn);

	if (rc < 0)
		connection_lost(gw, PQerrorMessage(gw->conn));
	else
		gw->want_write = rc == 1;
}

static void send_waiting(struct gateway *gw)
{
	bool sent = false;

	if (gw->held)
		return;
	while (gw->link == LINK_UP && gw->nsent < gw->count) {
		struct request *r = at(gw, gw->nsent);

		if (!PQsendQueryParams(gw->conn, r->sql, r->nparams, NULL, (const char *const *)r->params, NULL, NULL,
				       0) ||
		    !PQpipelineSync(gw->conn)) {
			connection_lost(gw, PQerrorMessage(gw->conn));
			return;
		}
		r->sent_ms = now_ms();
		gw->nsent++;
		sent = true;
	}
	if (sent && gw->link == LINK_UP)
		flush(gw);
}

struct gateway *gateway_open(const char *conninfo, char *err, size_t errsz)
{
	struct gateway *gw = calloc(1, sizeof(*gw));

	if (!gw || (conninfo && !(gw->conninfo = strdup(conninfo)))) {
		free(gw);
		snprintf(err, errsz, "out of memory");
		return NULL;
	}
	connect_start(gw);
	while (gw->link == LINK_CONNECTING && now_ms() - gw->connect_started_ms < GW_CONNECT_MS) {
		struct pollfd pfd;

		gateway_pollfd(gw, &pfd);
		if (poll(&pfd, 1, 100) < 0 && errno != EINTR)
			break;
		if (pfd.revents)
			connect_step(gw);
	}
	if (gw->link != LINK_UP) {
		snprintf(err, errsz, "cannot connect to PostgreSQL: %s",
			 gw->error[0] ? gw->error : "timed out");
		gateway_close(gw);
		return NULL;
	}
	return gw;
}

void gateway_close(struct gateway *gw)
{
	if (!gw)
		return;
	gw->hooks = (struct gw_hooks){ 0 };
	fail_all(gw, "closing");
	if (gw->conn)
		PQfinish(gw->conn);
	free(gw->conninfo);
	free(gw);
}

void gateway_set_hooks(struct gateway *gw, const struct gw_hooks *hooks)
{
	gw->hooks = *hooks;
}

int gateway_send(struct gateway *gw, const struct db_request *rq, db_read_fn *read, void *out, gw_done_fn *done,
		 void *arg)
{
	struct request *r;

	if (gw->link != LINK_UP || gw->count == GW_QUEUE)
		return -1;
	r = at(gw, gw->count);
	memset(r, 0, sizeof(*r));
	r->sql = strdup(rq->sql);
	r->nparams = rq->nparams;
	for (int i = 0; i < rq->nparams; i++)
		r->params[i] = rq->params[i] ? strdup(rq->params[i]) : NULL;
	r->read = read;
	r->out = out;
	r->done = done;
	r->arg = arg;
	gw->count++;
	/* Taken: from here on done tells the outcome exactly once, even when the
	 * connection is lost in this very send (it has then been called). */
	send_waiting(gw);
	return 0;
}

void gateway_heartbeat(struct gateway *gw)
{
	struct db_request rq;
	long long now = now_ms();

	if (gw->link != LINK_UP || gw->count || now - gw->heartbeat_ms < GW_HEARTBEAT_MS)
		return;
	gw->heartbeat_ms = now;
	db_request_init(&rq, "select 1");
	gateway_send(gw, &rq, NULL, NULL, NULL, NULL);
}

void gateway_hold(struct gateway *gw)
{
	gw->held = true;
}

void gateway_pollfd(struct gateway *gw, struct pollfd *pfd)
{
	if (gw->held) {
		gw->held = false;
		send_waiting(gw);
	}
	pfd->fd = gw->conn && gw->link != LINK_DOWN ? PQsocket(gw->conn) : -1;
	pfd->revents = 0;
	if (gw->link == LINK_CONNECTING)
		pfd->events = gw->want == PGRES_POLLING_READING ? POLLIN : POLLOUT;
	else
		pfd->events = POLLIN | (gw->want_write ? POLLOUT : 0);
}

int gateway_timeout(struct gateway *gw)
{
	long long now = now_ms(), due = -1;

	if (gw->link == LINK_DOWN)
		due = gw->retry_at_ms;
	else if (gw->link == LINK_CONNECTING)
		due = gw->connect_started_ms + GW_CONNECT_MS;
	else if (gw->nsent) {
		long long sent = at(gw, 0)->sent_ms;

		due = now - sent < GW_STALL_MS ? sent + GW_STALL_MS : sent + GW_GIVE_UP_MS;
	}
	if (due < 0)
		return -1;
	return due <= now ? 0 : (int)(due - now);
}

static void take_results(struct gateway *gw)
{
	PGnotify *n;
	int nulls = 0;

	if (!PQconsumeInput(gw->conn)) {
		connection_lost(gw, PQerrorMessage(gw->conn));
		return;
	}
	while (gw->nsent && !PQisBusy(gw->conn)) {
		PGresult *res = PQgetResult(gw->conn);
		struct request *r = at(gw, 0);

		if (!res) {             /* the end of one statement's results */
			if (++nulls > 1)
				break;
			continue;
		}
		nulls = 0;
		if (PQresultStatus(res) == PGRES_PIPELINE_SYNC) {
			PQclear(res);
			complete_head(gw);
			if (gw->link != LINK_UP)
				return;
			continue;
		}
		if (!r->res)
			r->res = res;
		else
			PQclear(res);
	}
	while (gw->link == LINK_UP && (n = PQnotifies(gw->conn))) {
		struct notice nt;

		/* freed after the hook: a sealed pop (nt.sealed) points into n->extra */
		notice_parse(n->relname, n->extra, &nt);
		if (gw->hooks.notice)
			gw->hooks.notice(gw->hooks.arg, &nt);
		PQfreemem(n);
	}
	if (gw->link == LINK_UP && PQstatus(gw->conn) != CONNECTION_OK)
		connection_lost(gw, PQerrorMessage(gw->conn));
}

void gateway_work(struct gateway *gw, short revents)
{
	long long now = now_ms();

	switch (gw->link) {
	case LINK_DOWN:
		if (now >= gw->retry_at_ms)
			connect_start(gw);
		break;
	case LINK_CONNECTING:
		if (revents)
			connect_step(gw);
		else if (now - gw->connect_started_ms >= GW_CONNECT_MS) {
			PQfinish(gw->conn);
			gw->conn = NULL;
			gw->link = LINK_DOWN;
			snprintf(gw->error, sizeof(gw->error), "connecting timed out");
			gw->retry_at_ms = now + GW_RETRY_MS;
		}
		break;
	case LINK_UP:
		if (revents & POLLOUT)
			flush(gw);
		if (gw->link == LINK_UP && (revents & (POLLIN | POLLERR | POLLHUP)))
			take_results(gw);
		if (gw->link == LINK_UP && gw->nsent && now - at(gw, 0)->sent_ms >= GW_GIVE_UP_MS)
			connection_lost(gw, "the database stopped answering");
		break;
	}
}

bool gateway_drain(struct gateway *gw, int ms)
{
	long long end = now_ms() + ms;

	while (gw->link == LINK_UP && gw->count && now_ms() < end) {
		struct pollfd pfd;

		gateway_pollfd(gw, &pfd);
		if (poll(&pfd, 1, (int)(end - now_ms())) < 0 && errno != EINTR)
			break;
		gateway_work(gw, pfd.revents);
	}
	return gw->count == 0;
}

bool gateway_up(const struct gateway *gw)
{
	return gw->link == LINK_UP;
}

bool gateway_stalled(const struct gateway *gw)
{
	return gw->link == LINK_UP && gw->nsent && now_ms() - gw->q[gw->head].sent_ms >= GW_STALL_MS;
}

size_t gateway_pending(const struct gateway *gw)
{
	return gw->count;
}

const char *gateway_error(const struct gateway *gw)
{
	return gw->error;
}

const char *gateway_dbname(const struct gateway *gw)
{
	const char *db = gw->conn && gw->link == LINK_UP ? PQdb(gw->conn) : NULL;

	return db ? db : "";
}
