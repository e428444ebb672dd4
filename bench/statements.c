/* statements.c - the server's time by statement over a stretch (statements.h). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"
#include "series.h"
#include "statements.h"

/* Commits, WAL flushes, writes, records, bytes; the ms spent flushing
 * (0 unless track_wal_io_timing). */
static double counters(struct statements *s, long long v[5])
{
	PGresult *res = bench_query(s->pg,
		"select (select sum(xact_commit) from pg_stat_database), wal_sync, wal_write, wal_records, wal_bytes, "
		"wal_sync_time from pg_stat_wal", 0, NULL);
	double sync_ms = atof(PQgetvalue(res, 0, 5));

	for (int i = 0; i < 5; i++)
		v[i] = atoll(PQgetvalue(res, 0, i));
	PQclear(res);
	return sync_ms;
}

void statements_begin(struct statements *s, PGconn *pg)
{
	PGresult *res;
	long long v[5];

	s->pg = pg;
	res = bench_query(pg, "select quote_ident(extnamespace::regnamespace::text) from pg_extension "
			      "where extname = 'pg_stat_statements' "
			      "and current_setting('shared_preload_libraries') like '%pg_stat_statements%'", 0, NULL);
	s->pgss = PQntuples(res) == 1;
	snprintf(s->schema, sizeof(s->schema), "%s", s->pgss ? PQgetvalue(res, 0, 0) : "");
	PQclear(res);
	/* Counted from here: the statistics of what ran before are flushed first. */
	bench_exec(pg, "select pg_stat_clear_snapshot()", 0, NULL);
	if (s->pgss) {
		char sql[160];

		snprintf(sql, sizeof(sql), "select %s.pg_stat_statements_reset()", s->schema);
		bench_exec(pg, sql, 0, NULL);
	}
	s->sync_ms = counters(s, v);
	s->commits = v[0];
	s->wal_syncs = v[1];
	s->wal_writes = v[2];
	s->wal_records = v[3];
	s->wal_bytes = v[4];
	s->t0_ms = now_ms();
}

/* The statement's text on one line, at most width characters. */
static void one_line(const char *q, char *out, size_t width)
{
	size_t n = 0;
	bool space = false;

	for (; *q && n + 1 < width; q++) {
		if (*q == ' ' || *q == '\n' || *q == '\t' || *q == '\r') {
			space = n > 0;
			continue;
		}
		if (space && n + 2 < width)
			out[n++] = ' ';
		space = false;
		out[n++] = *q;
	}
	out[n] = '\0';
}

void statements_print(struct statements *s, const char *label, int top)
{
	double secs = (now_ms() - s->t0_ms) / 1000, sync_ms;
	long long v[5];
	char n[16], sql[512];
	const char *p[1] = { n };
	PGresult *res;

	/* The backends report their counts at most once a second. */
	bench_exec(s->pg, "select pg_sleep(1.1), pg_stat_clear_snapshot()", 0, NULL);
	sync_ms = counters(s, v) - s->sync_ms;
	secs += 1.1;
	/* (backends report these when idle up to 10 s late: a blur at the edges) */
	printf("  %s: %.0f commits/s, WAL %.0f flushes/s, %.0f writes/s, %.0f records/s, %.0f kB/s over %.0f s\n", label,
	       (double)(v[0] - s->commits) / secs, (double)(v[1] - s->wal_syncs) / secs,
	       (double)(v[2] - s->wal_writes) / secs, (double)(v[3] - s->wal_records) / secs,
	       (double)(v[4] - s->wal_bytes) / 1024 / secs, secs);
	if (sync_ms > 0 && v[1] > s->wal_syncs)
		printf("  %s: a WAL flush took %.2f ms on average (track_wal_io_timing)\n", label,
		       sync_ms / (double)(v[1] - s->wal_syncs));
	fflush(stdout);
	if (!s->pgss || top <= 0)
		return;
	snprintf(n, sizeof(n), "%d", top);
	snprintf(sql, sizeof(sql),
		 "select calls, total_exec_time, total_exec_time / greatest(calls, 1), toplevel, query "
		 "from %s.pg_stat_statements where dbid = (select oid from pg_database where datname = current_database()) "
		 "and query not like '%%pg_stat_clear_snapshot%%' order by total_exec_time desc limit $1::integer",
		 s->schema);
	res = bench_query(s->pg, sql, 1, p);
	printf("  %s: top statements by server time (top: sent by a client; nested: inside a function)\n", label);
	printf("    %9s %10s %8s %7s  %-6s %s\n", "calls", "total ms", "mean ms", "core", "level", "statement");
	for (int i = 0; i < PQntuples(res); i++) {
		char q[112];
		double total = atof(PQgetvalue(res, i, 1));

		one_line(PQgetvalue(res, i, 4), q, sizeof(q));
		printf("    %9s %10.0f %8.3f %6.1f%%  %-6s %s\n", PQgetvalue(res, i, 0), total, atof(PQgetvalue(res, i, 2)),
		       100.0 * total / 1000 / secs, strcmp(PQgetvalue(res, i, 3), "t") == 0 ? "top" : "nested", q);
	}
	PQclear(res);
	snprintf(sql, sizeof(sql),
		 "select coalesce(sum(total_exec_time), 0), coalesce(sum(calls), 0) from %s.pg_stat_statements "
		 "where toplevel and dbid = (select oid from pg_database where datname = current_database()) "
		 "and query not like '%%pg_stat_clear_snapshot%%'", s->schema);
	res = bench_query(s->pg, sql, 0, NULL);
	printf("    all top-level: %s calls, %.0f ms (%.1f%% of a core)\n", PQgetvalue(res, 0, 1),
	       atof(PQgetvalue(res, 0, 0)), 100.0 * atof(PQgetvalue(res, 0, 0)) / 1000 / secs);
	PQclear(res);
	fflush(stdout);
}
