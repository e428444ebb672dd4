/* reconnect.h - the long-lived ccterm-cti processes (simulate, timers) wait
 * out a database restart instead of dying: reconnect with backoff. */
#ifndef CCTERM_CTI_RECONNECT_H
#define CCTERM_CTI_RECONNECT_H

#include <signal.h>
#include "ccterm/db.h"

/* Tries to reconnect, waiting 0.1 s, then twice as long each time up to 5 s,
 * until the server answers or *stop is set. Says on stderr (prefixed with
 * who) that the connection was lost and when it is back. 0 when connected
 * again (LISTENs are gone: listen again), -1 when stopped. */
int cti_reconnect(struct db *db, volatile sig_atomic_t *stop, const char *who);

#endif
