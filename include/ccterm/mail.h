/* mail.h - the e-mail outbox from the sender's side (sql/repeatable/77_mail.sql):
 * claim the next due message, record what the MTA said. Used by
 * `ccterm-admin mail-send`. The agent's side (render a template, queue a
 * reply) is SQL the screens call directly: mail_render(), mail_queue(). */
#ifndef CCTERM_MAIL_H
#define CCTERM_MAIL_H

#include <stdbool.h>
#include "ccterm/db.h"

/* One claimed message; every string malloc'd (mail_msg_free). */
struct mail_msg {
	long long id;
	char *to, *from, *subject, *body;
	char *message_id;    /* "<...@...>", fixed when queued */
	char *in_reply_to;   /* "<...>" or NULL */
	int attempts;        /* this one included */
};
void mail_msg_free(struct mail_msg *m);

/* Claims the next due message (queued -> sending, committed): 1 with *m
 * filled, 0 when nothing is due, -1 on error. */
int mail_claim(struct db *db, struct mail_msg *m);
/* The MTA took it: sent, and the outbound interaction on the timeline. */
int mail_record_sent(struct db *db, long long id);
/* The MTA did not take it: failure is "temporary" (queued again later with
 * backoff, until mail_max_attempts), "permanent" or "unknown" (failed, not
 * retried); *status (16 bytes) says which became of it: queued or failed. */
int mail_record_failed(struct db *db, long long id, const char *error, const char *failure, char *status);
/* Messages left 'sending' by a crash become failed (never resent): how many. */
int mail_recover_stale(struct db *db, int *n);
/* Milliseconds until the next queued message is due (0: now), -1 when none
 * is queued; -2 on error. */
long mail_next_due_ms(struct db *db);
/* The sendmail program (setting mail_sendmail_path), malloc'd; NULL on error. */
char *mail_sendmail_path(struct db *db);

#endif
