/* follow.h - the long-lived ccterm-admin processes (case-watch, mail-send
 * --follow): LISTEN on a channel, sleep until a notification or a deadline,
 * and across a lost server reconnect with backoff (1, 2, 4 ... 30 s). */
#ifndef CCTERM_ADMIN_FOLLOW_H
#define CCTERM_ADMIN_FOLLOW_H

#include <signal.h>
#include <stdbool.h>
#include "ccterm/db.h"

/* Set by SIGINT / SIGTERM once follow_signals() ran. */
extern volatile sig_atomic_t follow_stop;
void follow_signals(void);

/* LISTEN channel; 0 or -1. */
int follow_listen(struct db *db, const char *channel);

/* Waits at most timeout_ms (-1: forever) for a notification on the
 * connection. 1: one (or more) arrived, 0: the time passed, or a stop was
 * asked. When the connection is lost it reconnects (with backoff, saying so
 * on stderr as `who`), LISTENs again and returns 1, so the caller re-reads
 * everything; -1 only when stopped while reconnecting. */
int follow_wait(struct db *db, const char *channel, long timeout_ms, const char *who);

#endif
