/* bare_libpq.c - the floor of the console's start-up and memory: a program
 * linked with libpq alone that connects (the libpq environment), runs
 * `select 1`, says "connected" and waits for a line or end of input.
 * bench/console_bench starts it beside the console. */
#include "config.h"

#include <libpq-fe.h>
#include <stdio.h>

int main(void)
{
	PGconn *c = PQconnectdb("application_name=bare_libpq");
	PGresult *r;
	int ok;

	if (PQstatus(c) != CONNECTION_OK) {
		fprintf(stderr, "bare_libpq: %s", PQerrorMessage(c));
		PQfinish(c);
		return 1;
	}
	r = PQexec(c, "select 1");
	ok = PQresultStatus(r) == PGRES_TUPLES_OK;
	PQclear(r);
	if (!ok) {
		fprintf(stderr, "bare_libpq: %s", PQerrorMessage(c));
		PQfinish(c);
		return 1;
	}
	printf("connected\n");
	fflush(stdout);
	(void)getchar();
	PQfinish(c);
	return 0;
}
