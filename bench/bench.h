/* bench.h - what the benchmarks need besides their figures: dying with a
 * message (after undoing what they set up), queries that must work, number
 * options, the load average, a scratch directory. */
#ifndef CCTERM_BENCH_BENCH_H
#define CCTERM_BENCH_BENCH_H

#include <stddef.h>
#include <libpq-fe.h>

/* The program name for messages, and what to undo before exiting on an error. */
void bench_on_die(const char *prog, void (*cleanup)(void *arg), void *arg);
void bench_die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

/* A parameterized statement whose failure ends the benchmark. */
PGresult *bench_query(PGconn *c, const char *sql, int n, const char *const *p);
void bench_exec(PGconn *c, const char *sql, int n, const char *const *p);

/* Prints label and the one value of sql (? when no row). */
void bench_print_value(PGconn *c, const char *label, const char *sql);

/* A notice processor that drops them (a role already in its group ...). */
void bench_notice_quiet(void *arg, const char *message);

/* An option's whole number, min to 10,000,000; otherwise a message and exit 2. */
int bench_int_arg(const char *name, const char *v, int min);

/* /proc/loadavg's line ("?" when unreadable). */
void bench_loadavg(char *buf, size_t size);

/* A new directory /tmp/ccterm-NAME-XXXXXX in dir (dies when it cannot be
 * made); bench_tmpdir_remove removes it, if made, and clears dir. */
void bench_tmpdir_make(char *dir, size_t size, const char *name);
void bench_tmpdir_remove(char *dir);

#endif
