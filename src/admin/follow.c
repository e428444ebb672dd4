/* follow.c - sleeping on NOTIFY with a deadline, and reconnecting. */
#include "config.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <libpq-fe.h>

#include "follow.h"

volatile sig_atomic_t follow_stop;

static void on_signal(int sig)
{
	(void)sig;
	follow_stop = 1;
}

void follow_signals(void)
{
	struct sigaction sa = { .sa_handler = on_signal };

	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
}

int follow_listen(struct db *db, const char *channel)
{
	char sql[128];

	snprintf(sql, sizeof(sql), "listen \"%s\"", channel);
	return db_exec(db, sql, 0, NULL);
}

static void nap_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (!follow_stop && nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

static int reconnect(struct db *db, const char *channel, const char *who)
{
	long backoff = 1000;

	while (!follow_stop) {
		fprintf(stderr, "%s: connection lost (%s); reconnecting in %ld s\n", who, db_error(db), backoff / 1000);
		for (long slept = 0; slept < backoff && !follow_stop; slept += 100)
			nap_ms(100);
		if (follow_stop)
			break;
		if (db_reset(db) && follow_listen(db, channel) == 0) {
			fprintf(stderr, "%s: reconnected\n", who);
			return 1;
		}
		backoff = backoff * 2 > 30000 ? 30000 : backoff * 2;
	}
	return -1;
}

int follow_wait(struct db *db, const char *channel, long timeout_ms, const char *who)
{
	PGconn *pg = db_pg(db);
	struct pollfd p = { .fd = db_ok(db) ? PQsocket(pg) : -1, .events = POLLIN };
	int got = 0, rc;
	PGnotify *n;

	if (p.fd < 0)
		return reconnect(db, channel, who);
	/* something may have arrived with the last query's answer */
	while ((n = PQnotifies(pg))) {
		PQfreemem(n);
		got = 1;
	}
	if (got)
		return 1;
	rc = poll(&p, 1, timeout_ms < 0 ? -1 : (int)(timeout_ms > 3600000 ? 3600000 : timeout_ms));
	if (rc < 0 && errno == EINTR)
		return 0;
	if (rc <= 0)
		return 0;
	if (!PQconsumeInput(pg) || !db_ok(db))
		return reconnect(db, channel, who);
	while ((n = PQnotifies(pg))) {
		PQfreemem(n);
		got = 1;
	}
	return got;
}
