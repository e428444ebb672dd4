/* reconnect.c - waiting out a database restart, with backoff. */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "cti/reconnect.h"

static double mono_now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* Sleeps secs, cut short by a signal (which may have set *stop). */
static void nap(double secs)
{
	struct timespec t = { .tv_sec = (time_t)secs, .tv_nsec = (long)((secs - (double)(time_t)secs) * 1e9) };

	nanosleep(&t, NULL);
}

int cti_reconnect(struct db *db, volatile sig_atomic_t *stop, const char *who)
{
	double wait = 0.1, t0 = mono_now();
	int tries = 0;
	const char *why = *db_error(db) ? db_error(db) : "no reason given";

	/* libpq's messages run over several lines: the first says it. */
	fprintf(stderr, "%s: connection to the database lost (%.*s); reconnecting\n", who,
		(int)strcspn(why, "\n"), why);
	fflush(stderr);
	while (!*stop) {
		tries++;
		if (db_reset(db)) {
			fprintf(stderr, "%s: reconnected after %.1f s (%d attempt%s)\n", who, mono_now() - t0, tries,
				tries == 1 ? "" : "s");
			fflush(stderr);
			return 0;
		}
		nap(wait);
		wait = wait * 2 > 5.0 ? 5.0 : wait * 2;
	}
	return -1;
}
