/* reconnect.c - waiting without losing a signal, and waiting out a database
 * restart with backoff. */
#include "config.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "cti/reconnect.h"

static volatile sig_atomic_t *stop_flag;
static sigset_t wait_mask;   /* the mask while waiting: stop signals let through */

static void on_stop(int sig)
{
	(void)sig;
	if (stop_flag)
		*stop_flag = 1;
}

void cti_signals(volatile sig_atomic_t *stop)
{
	struct sigaction sa = { .sa_handler = on_stop };
	sigset_t block;

	stop_flag = stop;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGHUP);
	sigprocmask(SIG_BLOCK, &block, &wait_mask);
	sigdelset(&wait_mask, SIGINT);
	sigdelset(&wait_mask, SIGTERM);
	sigdelset(&wait_mask, SIGHUP);
}

int cti_wait_fds(struct pollfd *fds, int nfds, int ms)
{
	struct timespec ts = { .tv_sec = ms / 1000, .tv_nsec = (long)(ms % 1000) * 1000000L };

	for (int i = 0; i < nfds; i++)
		fds[i].revents = 0;
	if (stop_flag && *stop_flag)
		return 0;
	if (ppoll(nfds > 0 ? fds : NULL, (nfds_t)nfds, ms >= 0 ? &ts : NULL, stop_flag ? &wait_mask : NULL) < 0 &&
	    errno != EINTR)
		return -1;
	return 0;
}

int cti_wait(int fd, int ms)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };

	return cti_wait_fds(&pfd, fd >= 0 ? 1 : 0, ms);
}

static double mono_now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
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
		cti_wait(-1, (int)(wait * 1000));
		wait = wait * 2 > 2.0 ? 2.0 : wait * 2;
	}
	return -1;
}
