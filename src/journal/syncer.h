/* syncer.h - a thread that runs one data sync at a time for the journal
 * (journal.c), so the console's loop never waits for the disk. Private to
 * src/journal/. */
#ifndef CCTERM_JOURNAL_SYNCER_H
#define CCTERM_JOURNAL_SYNCER_H

#include <pthread.h>
#include <stdbool.h>

/* Everything here is under mu; the thread touches nothing else and
 * allocates nothing (a thread that mallocs gets an arena of its own,
 * megabytes of the console's RSS). Zeroed, it is not started. */
struct syncer {
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t cv;              /* work handed over, work done, quit */
	bool running;                   /* thread, mu and cv exist */
	bool todo;                      /* fd handed over, not yet synced */
	bool done;                      /* synced: rc and err say how */
	bool quit;
	int fd;
	int (*fn)(int fd);
	int rc, err;
};

/* Starts the thread once (a small stack, every signal blocked); 0, or -1
 * with errno. */
int syncer_start(struct syncer *sy);
/* Joins the thread (after the sync in hand, if any). */
void syncer_stop(struct syncer *sy);
/* Hands fd over: the thread runs fn(fd), then keeps the outcome (and fd)
 * for syncer_take. One at a time. */
void syncer_hand(struct syncer *sy, int fd, int (*fn)(int fd));
/* Whether the sync handed over has finished and failed. */
bool syncer_failed(struct syncer *sy);
/* Takes the outcome of the sync handed over (waiting for it when wait) and
 * closes its fd: false when it has not finished; *rc and *err say how. */
bool syncer_take(struct syncer *sy, bool wait, int *rc, int *err);

#endif
