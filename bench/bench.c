/* bench.c - errors and queries for the benchmarks. */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"

static const char *prog = "bench";
static void (*undo)(void *arg);
static void *undo_arg;

void bench_on_die(const char *name, void (*cleanup)(void *arg), void *arg)
{
	prog = name;
	undo = cleanup;
	undo_arg = arg;
}

void bench_die(const char *fmt, ...)
{
	void (*fn)(void *) = undo;
	va_list ap;

	fprintf(stderr, "%s: ", prog);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	undo = NULL;   /* a failure while cleaning up must not clean up again */
	if (fn)
		fn(undo_arg);
	exit(1);
}

PGresult *bench_query(PGconn *c, const char *sql, int n, const char *const *p)
{
	PGresult *res = PQexecParams(c, sql, n, NULL, p, NULL, NULL, 0);
	ExecStatusType st = PQresultStatus(res);

	if (st != PGRES_TUPLES_OK && st != PGRES_COMMAND_OK) {
		char msg[512];

		snprintf(msg, sizeof(msg), "%s", PQresultErrorMessage(res));
		msg[strcspn(msg, "\n")] = '\0';
		PQclear(res);
		bench_die("%s: %s", sql, msg);
	}
	return res;
}

void bench_exec(PGconn *c, const char *sql, int n, const char *const *p)
{
	PQclear(bench_query(c, sql, n, p));
}
