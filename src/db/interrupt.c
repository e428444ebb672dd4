/* interrupt.c - Ctrl-C during a long job: the handler only sets a flag and
 * sends the server a cancel request (PQcancel is async-signal-safe with a
 * buffer on the handler's stack), so the statement running now fails with
 * "canceling statement due to user request", the job's error path rolls its
 * transaction back, and the loops that stream rows check the flag. */
#include "config.h"

#include <signal.h>
#include <string.h>

#include "db_priv.h"
#include "ccterm/interrupt.h"

static volatile sig_atomic_t got_signal;
static PGcancel *volatile cancel_obj;

static void on_interrupt(int sig)
{
	char err[256];
	PGcancel *c = cancel_obj;

	got_signal = sig;
	if (c)
		PQcancel(c, err, sizeof(err));
}

int db_interrupt_catch(struct db *db)
{
	struct sigaction sa;
	PGcancel *c = PQgetCancel(db_pg(db));

	if (!c) {
		db_set_error(db, "cannot make a cancel request for this connection");
		return -1;
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_interrupt;
	sigemptyset(&sa.sa_mask);
	got_signal = 0;
	cancel_obj = c;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	return 0;
}

void db_interrupt_release(void)
{
	PGcancel *c = cancel_obj;
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = SIG_DFL;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	cancel_obj = NULL;
	if (c)
		PQfreeCancel(c);
}

bool db_interrupted(void)
{
	return got_signal != 0;
}

int db_interrupt_signal(void)
{
	return got_signal;
}
