/* testdb.h - a fresh, migrated database per test on the embedded cluster
 * (tests/with-pg exports PGHOST and PGUSER for it). */
#ifndef CCTERM_TESTDB_H
#define CCTERM_TESTDB_H

#include <sys/types.h>
#include <libpq-fe.h>

#include "ccterm/db.h"

/* Creates a new database from a migrated template, connects to it as the
 * superuser and returns the connection; its name goes to name (64 bytes).
 * Aborts the test on failure. */
struct db *testdb_create(char *name);
void testdb_drop(struct db *db, const char *name);

/* Connects to database name as role user (NULL: the superuser). */
struct db *testdb_connect(const char *name, const char *user);

/* A branch "SEL" and an agent with this login, name and role (a login role
 * of that name); testdb_agent_in also gives it the skills queues
 * (comma-separated names of queues that exist). */
void testdb_agent(struct db *db, const char *login, const char *name, const char *role);
void testdb_agent_in(struct db *db, const char *login, const char *name, const char *role, const char *queues);

/* Makes the center's time zone (settings 'timezone') one where it is now
 * between 12:00 and 13:00 (Etc/GMT-N is N hours east of UTC), for a test
 * whose fixture is placed relative to now(): its "today" began hours ago
 * and lasts hours after, whenever the test runs. */
void testdb_center_at_noon(struct db *db);

/* Writes text to a new temporary file; returns its malloc'd path. */
char *testdb_file(const char *text);

/* Runs a query expected to return one value; returns it malloc'd (NULL for SQL NULL). */
char *testdb_value(struct db *db, const char *sql);
/* The same for a number (a count, an id): -1 for SQL NULL. */
long long testdb_count(struct db *db, const char *sql);
/* One row of a result as text, malloc'd: its columns '|'-separated, "~" for NULL. */
char *testdb_row_text(const PGresult *res, int row);

/* The build directory (where ccterm, ccterm-admin and ccterm-cti are). */
const char *testdb_builddir(void);

/* Runs a built program (cmd: "ccterm-admin ...") against database name,
 * its stdout and stderr into out; returns its exit status. */
int testdb_run(const char *name, const char *cmd, char *out, size_t outsz);

/* A cluster of the test's own (scripts/pg on BUILDDIR/.pgdata-NAME), so
 * stopping and restarting it disturbs no other test (test programs run in
 * parallel: one name each): testdb_private_cluster(NAME) starts it and
 * points PGHOST at it; testdb_pg(NAME, "start"|"stop"|"restart") acts on it
 * and returns scripts/pg's exit status. */
void testdb_private_cluster(const char *name);
int testdb_pg(const char *name, const char *what);

/* Starts a program of the build tree (prog: "ccterm-cti", "tests/pbx/fake_pbx")
 * in the background on database name, with args and env (NAME, VALUE pairs;
 * both NULL-terminated, env may be NULL), stdout and stderr into the file
 * log; it dies with the test. testdb_stop sends it SIGTERM and returns its
 * exit status (-1 when it had to be killed, or was killed). */
pid_t testdb_spawn(const char *name, const char *prog, const char *const *args, const char *const *env,
		   const char *log);
int testdb_stop(pid_t pid);

#endif
