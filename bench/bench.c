/* bench.c - errors, queries, options and a scratch directory for the benchmarks. */
#include "config.h"

#include <errno.h>
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

void bench_print_value(PGconn *c, const char *label, const char *sql)
{
	PGresult *res = bench_query(c, sql, 0, NULL);

	printf("%s%s", label, PQntuples(res) ? PQgetvalue(res, 0, 0) : "?");
	PQclear(res);
}

void bench_notice_quiet(void *arg, const char *message)
{
	(void)arg;
	(void)message;
}

int bench_int_arg(const char *name, const char *v, int min)
{
	char *end;
	long n = strtol(v, &end, 10);

	if (*v == '\0' || *end != '\0' || n < min || n > 10000000) {
		fprintf(stderr, "%s: %s: '%s' is not a number >= %d\n", prog, name, v, min);
		exit(2);
	}
	return (int)n;
}

void bench_loadavg(char *buf, size_t size)
{
	FILE *fp = fopen("/proc/loadavg", "r");

	snprintf(buf, size, "?");
	if (fp) {
		if (fgets(buf, (int)size, fp))
			buf[strcspn(buf, "\n")] = '\0';
		fclose(fp);
	}
}

void bench_tmpdir_make(char *dir, size_t size, const char *name)
{
	snprintf(dir, size, "/tmp/ccterm-%s-XXXXXX", name);
	if (!mkdtemp(dir))
		bench_die("mkdtemp: %s", strerror(errno));
}

void bench_tmpdir_remove(char *dir)
{
	char cmd[128];

	if (!dir[0])
		return;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		fprintf(stderr, "%s: could not remove %s\n", prog, dir);
	dir[0] = '\0';
}
