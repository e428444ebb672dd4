/* statements.h - where the server's time goes over a stretch of a benchmark:
 * pg_stat_statements (when the server preloads it: bench/run-relay with
 * BENCH_STATEMENTS=1) and the server's commits and WAL flushes. */
#ifndef CCTERM_BENCH_STATEMENTS_H
#define CCTERM_BENCH_STATEMENTS_H

#include <stdbool.h>

#include <libpq-fe.h>

struct statements {
	PGconn *pg;
	bool pgss;                /* pg_stat_statements is there */
	char schema[64];          /* in this schema (quoted) */
	double t0_ms;             /* when the stretch began */
	long long commits, wal_syncs, wal_writes, wal_records, wal_bytes;
	double sync_ms;           /* pg_stat_wal's wal_sync_time */
};

/* Begins a stretch: counters read, pg_stat_statements emptied. */
void statements_begin(struct statements *s, PGconn *pg);
/* Ends it: commits and WAL flushes a second, and the top statements by
 * total execution time (top-level and nested alike), each as a share of
 * one core over the stretch. */
void statements_print(struct statements *s, const char *label, int top);

#endif
