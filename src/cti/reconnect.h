/* reconnect.h - how the long-lived ccterm-cti processes (simulate, timers)
 * wait: for their socket or a timeout without missing a stop signal, and for
 * the database to come back after a restart (reconnect with backoff). */
#ifndef CCTERM_CTI_RECONNECT_H
#define CCTERM_CTI_RECONNECT_H

#include <signal.h>
#include "ccterm/db.h"

/* SIGINT, SIGTERM and SIGHUP set *stop. They are held back except while
 * cti_wait() waits, so one arriving during a query is not lost in the gap
 * before the wait (the wait then returns at once). */
void cti_signals(volatile sig_atomic_t *stop);

/* Waits until fd (-1: none) is readable, ms pass, or a stop signal comes.
 * 0, or -1 with errno on a poll error. */
int cti_wait(int fd, int ms);
/* The same on several descriptors (their revents set). */
struct pollfd;
int cti_wait_fds(struct pollfd *fds, int nfds, int ms);

/* Tries to reconnect, waiting 0.1 s, then twice as long each time up to 2 s,
 * until the server answers or *stop is set. Says on stderr (prefixed with
 * who) that the connection was lost and when it is back. 0 when connected
 * again (LISTENs are gone: listen again), -1 when stopped. */
int cti_reconnect(struct db *db, volatile sig_atomic_t *stop, const char *who);

#endif
