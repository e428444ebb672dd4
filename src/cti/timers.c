/* timers.c - ring no answer, run on time; and consoles that stopped beating
 * (console_sessions_expire(): their agents logged out), looked at every turn
 * and at least every TIMERS_MAX_SLEEP_MS. The database keeps each offer's
 * ring deadline; this loop takes back every offer past it
 * (call_ring_expire()), asks when the next one falls due (call_ring_next())
 * and sleeps in poll() on the connection until then. A new offer wakes it
 * early: call_notify sends 'call_ring' whenever a deadline is set. Routing
 * also takes back expired offers in passing (at every arrival), so a floor
 * without this process only loses punctuality, not calls.
 *
 * One connection; when the database goes away the loop waits for it with
 * backoff, LISTENs again and looks at the deadlines afresh, so nothing that
 * fell due during the outage is missed. */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "ccterm/agent.h"
#include "ccterm/floor.h"
#include "ccterm/notify.h"
#include "cti/reconnect.h"
#include "cti/timers.h"

#define TIMERS_MAX_SLEEP_MS 30000   /* look again at least this often */

static volatile sig_atomic_t timers_stop;

static int timers_listen(struct db *db)
{
	return db_exec(db, "listen call_ring", 0, NULL);
}

/* Connection lost: wait for it, listen again. 0, -1 when told to stop. */
static int timers_recover(struct db *db)
{
	while (!timers_stop) {
		if (cti_reconnect(db, &timers_stop, "ccterm-cti timers") < 0)
			return -1;
		if (timers_listen(db) == 0)
			return 0;
	}
	return -1;
}

/* One turn: expire what is due; the milliseconds to sleep, or -1 on a
 * database error (db_error says). */
static int timers_turn(struct db *db, bool verbose)
{
	double next;
	int n = db_call_ring_expire(db), has, lapsed;

	if (n < 0 || (lapsed = db_console_sessions_expire(db)) < 0)
		return -1;
	if (lapsed > 0 && verbose) {
		printf("ccterm-cti timers: %d agent%s logged out: their consoles stopped answering\n", lapsed,
		       lapsed == 1 ? "" : "s");
		fflush(stdout);
	}
	if (n > 0 && verbose) {
		printf("ccterm-cti timers: %d unanswered offer%s back to the queue\n", n, n == 1 ? "" : "s");
		fflush(stdout);
	}
	if ((has = db_call_ring_next(db, &next)) < 0)
		return -1;
	if (!has || next * 1000.0 > TIMERS_MAX_SLEEP_MS)
		return TIMERS_MAX_SLEEP_MS;
	/* Due now but nothing taken back: its rows are locked (an answer or a
	 * hangup in flight); look again shortly rather than spin. */
	if (next <= 0)
		return n > 0 ? 0 : 50;
	/* A few ms past the deadline, so the turn finds it due. */
	return (int)ceil(next * 1000.0) + 5;
}

/* The wake-ups only say "look now": read them and let them go. */
static void drain(struct db *db)
{
	struct notice n[32];

	while (notify_drain(db, n, 32) == 32)
		;
}

int timers_main(struct db *db, int argc, char **argv)
{
	bool once = false, verbose = true;

	for (int i = 0; i < argc; i++) {
		if (strcmp(argv[i], "--once") == 0)
			once = true;
		else if (strcmp(argv[i], "--quiet") == 0)
			verbose = false;
		else {
			fputs("usage: ccterm-cti timers [--once] [--quiet]\n", stderr);
			return 2;
		}
	}
	if (once) {
		double next;
		int n = db_call_ring_expire(db);

		if (n < 0 || db_call_ring_next(db, &next) < 0 || db_console_sessions_expire(db) < 0)
			return -1;
		printf("%d\n", n);
		return 0;
	}
	cti_signals(&timers_stop);
	db_quiet_notices(db);
	if (timers_listen(db) < 0)
		return -1;
	while (!timers_stop) {
		int ms = timers_turn(db, verbose);

		if (ms < 0) {
			if (!db_ok(db)) {
				if (timers_recover(db) < 0)
					break;
				continue;
			}
			/* A deadlock or the like: say it, look again shortly. */
			fprintf(stderr, "ccterm-cti timers: %s\n", db_error(db));
			ms = 1000;
		}
		if (cti_wait(notify_fd(db), ms) < 0) {
			db_set_error(db, "poll: %s", strerror(errno));
			return -1;
		}
		drain(db);
		if (!db_ok(db) && timers_recover(db) < 0)
			break;
	}
	return 0;
}
