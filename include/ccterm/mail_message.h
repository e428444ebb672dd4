/* mail_message.h - one e-mail (RFC 5322 / MIME bytes) read with GMime into
 * what the record keeps: addresses, date, subject and text body in UTF-8,
 * Message-ID and the thread's references. Pure: no database. */
#ifndef CCTERM_MAIL_MESSAGE_H
#define CCTERM_MAIL_MESSAGE_H

#include <stddef.h>

/* Longest body kept; a longer one is a reject, never a cut. */
#define MAIL_BODY_MAX (1024 * 1024)

struct mail_message {
	char *from;           /* lower-case address */
	char *to;             /* the To addresses, lower case, comma-separated ("" when none) */
	char *date;           /* "2026-11-20 10:15:00+09:00" */
	char *subject;        /* UTF-8, "" when none */
	char *body;           /* UTF-8 text (text/plain, else HTML as text), NULL when none */
	char *message_id;     /* "<id@host>"; a message without one gets "<sha256.@ccterm.invalid>" of its bytes */
	char *in_reply_to;    /* "<id@host>" or NULL */
	char *references;     /* "<a@h> <b@h>", oldest first, or NULL */
};

/* 0 and *m filled (free with mail_message_free), or -1 with why. */
int mail_message_parse(const char *data, size_t len, struct mail_message *m, char *why, size_t whysz);
void mail_message_free(struct mail_message *m);

#endif
