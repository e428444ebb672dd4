/* bench.h - what both benchmarks need besides their figures: dying with a
 * message (after undoing what they set up) and queries that must work. */
#ifndef CCTERM_BENCH_BENCH_H
#define CCTERM_BENCH_BENCH_H

#include <libpq-fe.h>

/* The program name for messages, and what to undo before exiting on an error. */
void bench_on_die(const char *prog, void (*cleanup)(void *arg), void *arg);
void bench_die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

/* A parameterized statement whose failure ends the benchmark. */
PGresult *bench_query(PGconn *c, const char *sql, int n, const char *const *p);
void bench_exec(PGconn *c, const char *sql, int n, const char *const *p);

#endif
