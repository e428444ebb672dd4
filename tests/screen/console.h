/* console.h - the screen tests' fixture: a fresh database, private config
 * and state directories, and the real ccterm spawned as an agent in a pty. */
#ifndef CCTERM_TESTS_CONSOLE_H
#define CCTERM_TESTS_CONSOLE_H

#include <check.h>
#include <stdbool.h>
#include <sys/types.h>
#include "../integration/testdb.h"
#include "vt.h"

extern struct db *db;          /* superuser connection to the test database */
extern char dbname[64];
extern char xdg[64];           /* XDG_CONFIG_HOME=xdg/config, XDG_STATE_HOME=xdg/state */

void console_setup(void);
void console_teardown(void);

/* The relay socket the consoles use (CCTERM_RELAY); NULL: off, so a
 * relay running on the machine is never used by a test's console. */
extern const char *console_relay;

/* ccterm as login in a rows x cols terminal (PGHOST from this environment). */
struct vt *console(const char *login, int rows, int cols);
/* The same with its config and state under dir (a second terminal). */
struct vt *console_at(const char *login, int rows, int cols, const char *dir);

/* One value of a query as a number (-1 for NULL). */
long long value(const char *sql);

/* Runs a statement as the superuser; fails the test on an error. */
void console_sql(const char *q);
/* A customer of branch SEL with a phone and n interactions (every 7th a
 * complaint, every 3rd with an amount); its id. */
long long console_customer(const char *name, const char *tier, const char *phone, int n);
/* A call from ani_e164 offered straight to agent; its id. */
long long console_call(const char *ani_e164, const char *agent);

/* A cluster of the test's own: testdb_private_cluster, testdb_pg (testdb.h). */

/* The server process serving a login's console (-1 when none). */
long long console_backend_pid(const char *login);

/* Stops a process (SIGSTOP) with a watchdog that lets it go on after secs
 * whatever happens to the test (else the database could not be dropped);
 * the watchdog's pid, for console_thaw. */
pid_t console_freeze(pid_t pid, int secs);
void console_thaw(pid_t pid, pid_t watchdog);
/* Whether a process is stopped (state T in /proc/PID/stat). */
bool console_process_stopped(pid_t pid);

/* Runs the suite; the exit status for main(). */
int console_main(Suite *s);

#endif
