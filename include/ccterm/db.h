/* db.h - one connection to PostgreSQL: open, run parameterized SQL, report
 * errors in one place, reconnect. The tools (ccterm-admin, ccterm-cti) and
 * the tests use it synchronously; the console goes through the gateway
 * (src/gateway/), which sends the same requests (struct db_request) and
 * hands the results to the same readers. This header does not include
 * libpq: the result and connection types are opaque here. */
#ifndef CCTERM_DB_H
#define CCTERM_DB_H

#include <stdbool.h>
#include <stddef.h>

struct db;
struct pg_conn;      /* libpq's PGconn */
struct pg_result;    /* libpq's PGresult */

/* One parameterized statement, as db/ builds it: the SQL text and its text
 * parameters ($1..$n; NULL is SQL NULL). Numbers are formatted into num[]
 * and pointed at, so send a request before copying it. */
#define DB_MAX_PARAMS 16
struct db_request {
	const char *sql;
	int nparams;
	const char *params[DB_MAX_PARAMS];
	char num[4][24];
};

/* Sets a request's SQL and no parameters. */
void db_request_init(struct db_request *rq, const char *sql);
/* Appends a text parameter (NULL for SQL NULL) / a number. */
void db_request_text(struct db_request *rq, const char *value);
void db_request_int(struct db_request *rq, long long value);

/* Turns a successful result into plain data (out's type is the reader's).
 * 0, or -1 with a message in err (when the rows are not what was expected). */
typedef int db_read_fn(const struct pg_result *res, void *out, char *err, size_t errsz);

/* conninfo NULL or "" means the libpq environment (PGHOST, PGSERVICE, .pgpass ...).
 * Returns NULL and a message in err when the server cannot be reached. */
struct db *db_open(const char *conninfo, char *err, size_t errsz);
void db_close(struct db *db);

struct pg_conn *db_pg(struct db *db);
/* The last error, one line, for the status bar or stderr. */
const char *db_error(const struct db *db);
/* The connected role, i.e. the agent's login. */
const char *db_user(const struct db *db);

/*
 * Runs sql with text parameters ($1..$n). Returns the result when its
 * status is COMMAND_OK or TUPLES_OK; otherwise NULL, with db_error() set
 * (and the connection checked, so a lost server is noticed at once).
 */
struct pg_result *db_query(struct db *db, const char *sql, int nparams, const char *const *params);
/*
 * Runs `before` and then sql, each in a transaction of its own, in one round
 * trip (libpq's pipeline mode): before has committed when sql starts.
 * before is best effort: its result and any error of it are dropped. Inside
 * an open transaction (or when pipeline mode cannot start) sql runs alone.
 * Returns as db_query() does, for sql.
 */
struct pg_result *db_query_after(struct db *db, const struct db_request *before, const char *sql, int nparams,
				 const char *const *params);
/* Runs a request and hands its result to read (NULL: none needed). 0 or -1. */
int db_run(struct db *db, const struct db_request *rq, db_read_fn *read, void *out);
/* The same for statements whose result is not needed: 0 or -1. */
int db_exec(struct db *db, const char *sql, int nparams, const char *const *params);
/* Several statements without parameters (migrations): 0 or -1. */
int db_exec_script(struct db *db, const char *script);

/* Rolls back the open transaction keeping the error that caused it; returns -1,
 * so a failure path reads `return db_rollback(db);`. */
int db_rollback(struct db *db);

/* The SQLSTATE of the last error ("23505"), "" when none. */
const char *db_sqlstate(const struct db *db);

/* true while the connection is usable; db_reset() tries to reconnect once. */
bool db_ok(const struct db *db);
bool db_reset(struct db *db);

/* Server notices (and a FATAL on an idle connection) are kept for
 * db_error() instead of being printed on stderr, which a full-screen
 * program cannot have written over its screen. */
void db_quiet_notices(struct db *db);

/* While set, db_query() and everything built on it send the query and wait
 * for it in a poll() loop that calls hook(arg) every every_ms (<= 0: 250):
 * a long job's progress line keeps its clock moving while one statement
 * runs. NULL hook: plain PQexecParams again. */
typedef void db_wait_fn(void *arg);
void db_set_wait_hook(struct db *db, db_wait_fn *hook, void *arg, int every_ms);

/* Records an error message produced outside libpq (e.g. validation). */
void db_set_error(struct db *db, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Migrations (migrate.c): applies the embedded numbered sql/NNN_*.sql files not
 * yet recorded in schema_migrations, each in its own transaction (a recorded one
 * whose text changed is an error), then the sql/repeatable/ files when any of
 * them changed or a numbered one ran. Returns 0 or -1 (db_error says which file
 * and why). */
struct migrate_result {
	int applied;        /* numbered migrations run now */
	int repeatables;    /* repeatable files applied now (all of them, or 0) */
};
int db_migrate_full(struct db *db, struct migrate_result *r);
/* The checksum recorded for a migration's text (16 hex digits). */
void migrate_checksum(const char *text, char out[17]);
/* The same as db_migrate_full, counting only the numbered migrations run. */
int db_migrate(struct db *db, int *applied);

#endif
