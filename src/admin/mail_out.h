/* mail_out.h - a reply as MIME (GMime) and its hand-over to the MTA through
 * the sendmail interface. Only ccterm-admin links GMime. */
#ifndef CCTERM_ADMIN_MAIL_OUT_H
#define CCTERM_ADMIN_MAIL_OUT_H

#include <stdbool.h>
#include <stddef.h>
#include "ccterm/mail.h"
#include "ccterm/mta_error.h"

/* The message as RFC 5322 bytes: From, To, Subject (RFC 2047 encoded when
 * not ASCII), Date, Message-ID, In-Reply-To and References when answering,
 * MIME-Version, a text/plain UTF-8 body in a 7-bit safe transfer encoding.
 * Returns malloc'd bytes and their length, or NULL with err set. */
char *mime_build(const struct mail_msg *m, size_t *len, char *err, size_t errsz);

/* Runs `path -t -i` with the message on its standard input and waits at
 * most timeout_s seconds. 0 when it exited 0 (the MTA took the message);
 * -1 otherwise, with what it printed (or why it could not run) in err (the
 * SMTP reply first when it printed one) and how that reads in *failure:
 * permanent, temporary, or unknown (killed or timed out after it had the
 * whole message: it may have passed it on). */
int sendmail_run(const char *path, const char *msg, size_t len, int timeout_s, char *err, size_t errsz,
		 enum mta_failure *failure);

#endif
