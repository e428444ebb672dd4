/* side_server.h - a second server beside the test cluster (a streaming
 * standby, a PgBouncer), run by a control script of tests/integration
 * (`standby-ctl start|stop DIR`, `pgbouncer-ctl start|stop DIR`) in a
 * directory named after the test runner: every forked test of one runner
 * finds the same one, and test programs running in parallel do not meet. */
#ifndef CCTERM_TESTS_SIDE_SERVER_H
#define CCTERM_TESTS_SIDE_SERVER_H

struct side_server {
	const char *script;   /* the control script's name in tests/integration */
	char dir[64];         /* its directory, the server's socket directory */
};

/* In main(), before the suite runs (the forked tests inherit it): the
 * directory is prefix.PID, PID the test runner's. */
void side_server_name(struct side_server *s, const char *script, const char *prefix);

/* Runs the script with verb on the directory; fails the test unless it
 * exits 0. */
void side_server_ctl(const struct side_server *s, const char *verb);

/* Stopped and its directory removed: one a failed test left (its forked
 * process ends at the failure, before its teardown), or at the end. */
void side_server_gone(const struct side_server *s);

#endif
