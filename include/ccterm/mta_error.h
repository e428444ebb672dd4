/* mta_error.h - how a refusal of the MTA reads: for good (never retried),
 * for now (retried with backoff), or unknown (it may have passed the message
 * on: never resent by itself). Pure C; used by ccterm-admin mail-send
 * (src/admin/sendmail.c) and unit-tested (tests/unit/check_mta_error.c). */
#ifndef CCTERM_MTA_ERROR_H
#define CCTERM_MTA_ERROR_H

#include <stdbool.h>
#include <stddef.h>

enum mta_failure {
	MTA_TEMPORARY,   /* an SMTP 4xx, sysexits 75 71 74 and any other code, killed before it had the message */
	MTA_PERMANENT,   /* an SMTP 5xx, sysexits 64 65 67 68 69 77 */
	MTA_UNKNOWN,     /* killed or timed out after it had the whole message */
};

/* What the sendmail program's end says. exited: it exited with code (else a
 * signal or our timeout ended it); whole: it had read the whole message;
 * said: what it printed (lines). An SMTP reply code in said decides first
 * (a 4xx or 5xx followed by an enhanced status code of the same class, or
 * after "message:" / "said:" / "response:", as msmtp, Exim and Postfix
 * print them), then the exit status (sysexits.h), then how it died. reply
 * gets that SMTP reply's line ("550 5.1.1 <x@y>: no such user"), "" when
 * none was found. */
enum mta_failure mta_failure_of(bool exited, int code, bool whole, const char *said, char *reply, size_t replysz);

/* "permanent", "temporary", "unknown" (the outbox's failure column). */
const char *mta_failure_name(enum mta_failure f);

/* The sysexits.h name and meaning of an exit code ("EX_NOUSER: addressee
 * unknown"), NULL for a code sysexits does not name. */
const char *mta_exit_meaning(int code);

#endif
