/* conn.c - the connection: open, parameterized queries, one place for errors. */
#include "config.h"

#include <poll.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db_priv.h"

struct db {
	PGconn *conn;
	char error[512];
	char sqlstate[6];
	db_wait_fn *wait_hook;   /* called every wait_ms while a query runs */
	void *wait_arg;
	int wait_ms;
};

static void db_take_error(struct db *db, const PGresult *res)
{
	/* The primary message reads best on a status line ("no such call 1"
	 * rather than "ERROR:  no such call 1"). */
	const char *msg = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) : NULL;
	const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;

	if (!msg || !*msg)
		msg = PQerrorMessage(db->conn);
	snprintf(db->error, sizeof(db->error), "%s", msg && *msg ? msg : "unknown database error");
	/* one line for the status bar: cut at the first newline */
	db->error[strcspn(db->error, "\n")] = '\0';
	snprintf(db->sqlstate, sizeof(db->sqlstate), "%s", state ? state : "");
}

struct db *db_open(const char *conninfo, char *err, size_t errsz)
{
	struct db *db = calloc(1, sizeof(*db));

	if (!db) {
		snprintf(err, errsz, "out of memory");
		return NULL;
	}
	db->conn = PQconnectdb(conninfo ? conninfo : "");
	if (PQstatus(db->conn) != CONNECTION_OK) {
		snprintf(err, errsz, "cannot connect to PostgreSQL: %s", PQerrorMessage(db->conn));
		err[strcspn(err, "\n")] = '\0';
		PQfinish(db->conn);
		free(db);
		return NULL;
	}
	return db;
}

void db_close(struct db *db)
{
	if (!db)
		return;
	PQfinish(db->conn);
	free(db);
}

PGconn *db_pg(struct db *db) { return db->conn; }
const char *db_error(const struct db *db) { return db->error; }
const char *db_sqlstate(const struct db *db) { return db->sqlstate; }
const char *db_user(const struct db *db) { return PQuser(db->conn); }
bool db_ok(const struct db *db) { return PQstatus(db->conn) == CONNECTION_OK; }

bool db_reset(struct db *db)
{
	PQreset(db->conn);
	if (PQstatus(db->conn) == CONNECTION_OK)
		return true;
	db_take_error(db, NULL);
	return false;
}

static void notice_keep(void *arg, const char *message)
{
	struct db *db = arg;

	snprintf(db->error, sizeof(db->error), "%s", message);
	db->error[strcspn(db->error, "\n")] = '\0';
}

void db_quiet_notices(struct db *db)
{
	PQsetNoticeProcessor(db->conn, notice_keep, db);
}

void db_set_error(struct db *db, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(db->error, sizeof(db->error), fmt, ap);
	va_end(ap);
	db->sqlstate[0] = '\0';
}

void db_set_wait_hook(struct db *db, db_wait_fn *hook, void *arg, int every_ms)
{
	db->wait_hook = hook;
	db->wait_arg = arg;
	db->wait_ms = every_ms > 0 ? every_ms : 250;
}

/* PQexecParams, but the hook runs every wait_ms while the server works (a
 * progress line's clock, notices read as they come). Like PQexec, the last
 * result is returned, an error one in preference. */
static PGresult *exec_waiting(struct db *db, const char *sql, int nparams, const char *const *params)
{
	PGresult *keep = NULL, *r;

	if (!PQsendQueryParams(db->conn, sql, nparams, NULL, params, NULL, NULL, 0))
		return NULL;
	for (;;) {
		while (!PQisBusy(db->conn)) {
			r = PQgetResult(db->conn);
			if (!r)
				return keep;
			if (keep && PQresultStatus(keep) == PGRES_FATAL_ERROR) {
				PQclear(r);
				continue;
			}
			PQclear(keep);
			keep = r;
			if (PQresultStatus(r) == PGRES_COPY_IN || PQresultStatus(r) == PGRES_COPY_OUT)
				return keep;
		}
		{
			struct pollfd pfd = { .fd = PQsocket(db->conn), .events = POLLIN };
			int n = poll(&pfd, 1, db->wait_ms);

			if (n == 0 || (n < 0 && errno == EINTR)) {
				db->wait_hook(db->wait_arg);
				continue;
			}
			if (n < 0 || !PQconsumeInput(db->conn)) {
				PQclear(keep);
				/* the connection is gone: what PQgetResult has left */
				while ((r = PQgetResult(db->conn)))
					PQclear(r);
				return NULL;
			}
		}
	}
}

PGresult *db_query(struct db *db, const char *sql, int nparams, const char *const *params)
{
	PGresult *res = db->wait_hook ? exec_waiting(db, sql, nparams, params)
				      : PQexecParams(db->conn, sql, nparams, NULL, params, NULL, NULL, 0);
	ExecStatusType st = PQresultStatus(res);

	if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK) {
		db->error[0] = '\0';
		db->sqlstate[0] = '\0';
		return res;
	}
	db_take_error(db, res);
	PQclear(res);
	return NULL;
}

/* Reads one pipelined statement's results up to its sync: the statement's
 * own result (NULL if there was none), the others cleared. */
static PGresult *pipeline_take(PGconn *conn)
{
	PGresult *keep = NULL, *r;
	int ends = 0;

	for (;;) {
		r = PQgetResult(conn);
		if (!r) {
			/* the end of one statement's results; its sync comes next,
			 * unless the connection is gone */
			if (PQstatus(conn) != CONNECTION_OK || ++ends > 1)
				return keep;
			continue;
		}
		ends = 0;
		if (PQresultStatus(r) == PGRES_PIPELINE_SYNC) {
			PQclear(r);
			return keep;
		}
		if (PQresultStatus(r) == PGRES_FATAL_ERROR && PQstatus(conn) != CONNECTION_OK) {
			PQclear(keep);
			return r;   /* the connection is gone: no sync will come */
		}
		if (keep)
			PQclear(keep);
		keep = r;
	}
}

PGresult *db_query_after(struct db *db, const struct db_request *before, const char *sql, int nparams,
			 const char *const *params)
{
	PGresult *first, *res;
	ExecStatusType st;

	if (PQtransactionStatus(db->conn) != PQTRANS_IDLE || PQpipelineStatus(db->conn) != PQ_PIPELINE_OFF ||
	    !PQenterPipelineMode(db->conn))
		return db_query(db, sql, nparams, params);
	if (!PQsendQueryParams(db->conn, before->sql, before->nparams, NULL, before->params, NULL, NULL, 0) ||
	    !PQpipelineSync(db->conn) ||
	    !PQsendQueryParams(db->conn, sql, nparams, NULL, params, NULL, NULL, 0) || !PQpipelineSync(db->conn)) {
		/* nothing half-sent can be taken back: the connection is reset */
		db_take_error(db, NULL);
		PQreset(db->conn);
		return NULL;
	}
	first = pipeline_take(db->conn);
	if (first && PQresultStatus(first) == PGRES_FATAL_ERROR && PQstatus(db->conn) != CONNECTION_OK) {
		db_take_error(db, first);
		PQclear(first);
		return NULL;
	}
	PQclear(first);
	res = pipeline_take(db->conn);
	if (PQstatus(db->conn) == CONNECTION_OK)
		PQexitPipelineMode(db->conn);
	st = PQresultStatus(res);
	if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK) {
		db->error[0] = '\0';
		db->sqlstate[0] = '\0';
		return res;
	}
	db_take_error(db, res);
	PQclear(res);
	return NULL;
}

void db_request_init(struct db_request *rq, const char *sql)
{
	rq->sql = sql;
	rq->nparams = 0;
}

void db_request_text(struct db_request *rq, const char *value)
{
	if (rq->nparams < DB_MAX_PARAMS)
		rq->params[rq->nparams++] = value;
}

void db_request_int(struct db_request *rq, long long value)
{
	/* num[] slots are handed out in order; a request has at most four numbers. */
	int used = 0;

	for (int i = 0; i < rq->nparams; i++)
		for (int k = 0; k < 4; k++)
			used += rq->params[i] == rq->num[k];
	if (used >= 4 || rq->nparams >= DB_MAX_PARAMS)
		return;
	snprintf(rq->num[used], sizeof(rq->num[used]), "%lld", value);
	rq->params[rq->nparams++] = rq->num[used];
}

int db_run(struct db *db, const struct db_request *rq, db_read_fn *read, void *out)
{
	PGresult *res = db_query(db, rq->sql, rq->nparams, rq->params);
	char err[256] = "";
	int rc;

	if (!res)
		return -1;
	rc = read ? read(res, out, err, sizeof(err)) : 0;
	PQclear(res);
	if (rc < 0)
		db_set_error(db, "%s", err[0] ? err : "unexpected reply from the database");
	return rc < 0 ? -1 : 0;
}

int db_exec(struct db *db, const char *sql, int nparams, const char *const *params)
{
	PGresult *res = db_query(db, sql, nparams, params);

	PQclear(res);
	return res ? 0 : -1;
}

int db_exec_script(struct db *db, const char *script)
{
	PGresult *res = PQexec(db->conn, script);
	ExecStatusType st = PQresultStatus(res);
	int rc = 0;

	if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK && st != PGRES_EMPTY_QUERY) {
		db_take_error(db, res);
		rc = -1;
	}
	PQclear(res);
	return rc;
}

int db_rollback(struct db *db)
{
	char error[sizeof(db->error)], state[sizeof(db->sqlstate)];

	memcpy(error, db->error, sizeof(error));
	memcpy(state, db->sqlstate, sizeof(state));
	PQclear(PQexec(db->conn, "rollback"));
	memcpy(db->error, error, sizeof(error));
	memcpy(db->sqlstate, state, sizeof(state));
	return -1;
}
