/* console.h - the screen tests' fixture: a fresh database, private config
 * and state directories, and the real ccterm spawned as an agent in a pty. */
#ifndef CCTERM_TESTS_CONSOLE_H
#define CCTERM_TESTS_CONSOLE_H

#include <check.h>
#include "../integration/testdb.h"
#include "vt.h"

extern struct db *db;          /* superuser connection to the test database */
extern char dbname[64];
extern char xdg[64];           /* XDG_CONFIG_HOME=xdg/config, XDG_STATE_HOME=xdg/state */

void console_setup(void);
void console_teardown(void);

/* ccterm as login in a rows x cols terminal (PGHOST from this environment). */
struct vt *console(const char *login, int rows, int cols);

/* One value of a query as a number (-1 for NULL). */
long long value(const char *sql);

/* Runs the suite; the exit status for main(). */
int console_main(Suite *s);

#endif
