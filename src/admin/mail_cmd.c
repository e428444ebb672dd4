/* mail_cmd.c - `ccterm-admin mail-send [--follow]`: empties the outbox
 * through the system MTA (sendmail interface, setting mail_sendmail_path).
 *
 * At most once: each message is claimed (status sending, committed) before
 * the MTA sees it and its outcome recorded after. A message whose sender
 * died in between stays 'sending' and is turned into 'failed' by the next
 * run after mail_stale_seconds, never resent by itself (README).
 * --follow keeps running: it waits on NOTIFY mail_outbox and on the next
 * retry's time, and reconnects with backoff when the server goes away. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ccterm/mail.h"
#include "ccterm/progress.h"
#include "follow.h"
#include "mail_out.h"
#include "opts.h"
#include "ccterm/i18n.h"

#define WHO "ccterm-admin mail-send"
#define MTA_TIMEOUT_S 120
#define MAX_SLEEP_MS 60000L

struct tally {
	int sent, retry, failed;
	struct progress *progress;   /* the batch form's line (NULL: none) */
};

/* Sends one claimed message and records what happened: 0, or -1 when the
 * outcome could not be recorded (the database is gone: the row stays
 * 'sending' and is recovered as failed later, never resent). A permanent
 * refusal fails it at once and says so; a temporary one is retried. */
static int send_one(struct db *db, const char *sendmail, struct mail_msg *m, struct tally *t, bool verbose)
{
	char err[1200], status[16] = "";
	size_t len = 0;
	enum mta_failure failure = MTA_PERMANENT;   /* a message GMime cannot build fails again */
	char *bytes = mime_build(m, &len, err, sizeof(err));
	int rc;

	if (!bytes) {
		rc = -1;
	} else {
		rc = sendmail_run(sendmail, bytes, len, MTA_TIMEOUT_S, err, sizeof(err), &failure);
		free(bytes);
	}
	if (rc == 0) {
		if (mail_record_sent(db, m->id) < 0)
			return -1;
		t->sent++;
		if (verbose) {
			progress_clear(t->progress);
			printf(_("%s: message %lld to %s sent\n"), WHO, m->id, m->to);
			fflush(stdout);
		}
		progress_tick(t->progress, t->sent + t->retry + t->failed, 0);
		return 0;
	}
	if (mail_record_failed(db, m->id, err, mta_failure_name(failure), status) < 0)
		return -1;
	if (strcmp(status, "failed") == 0) {
		t->failed++;
		/* on stdout too: whoever runs the sender sees what was not delivered */
		printf("%s: message %lld to %s not delivered: %s (%s)\n", WHO, m->id, m->to, err,
		       failure == MTA_PERMANENT ? "permanent, not retried"
		       : failure == MTA_UNKNOWN ? "outcome unknown, not resent"
						: "temporary, no attempts left");
	} else {
		t->retry++;
		progress_clear(t->progress);
		fprintf(stderr, "%s: message %lld to %s: %s (temporary, will retry)\n", WHO, m->id, m->to, err);
	}
	progress_tick(t->progress, t->sent + t->retry + t->failed, 0);
	return 0;
}

/* Sends everything due now. 0 or -1. */
static int send_due(struct db *db, struct tally *t, bool verbose)
{
	char *sendmail;
	int stale = 0;

	if (mail_recover_stale(db, &stale) < 0)
		return -1;
	if (stale)
		fprintf(stderr, "%s: %d message%s interrupted while being sent marked failed (not resent)\n", WHO,
			stale, stale == 1 ? "" : "s");
	sendmail = mail_sendmail_path(db);
	if (!sendmail)
		return -1;
	for (;;) {
		struct mail_msg m;
		int got = mail_claim(db, &m);

		if (got <= 0) {
			free(sendmail);
			return got;
		}
		got = send_one(db, sendmail, &m, t, verbose);
		mail_msg_free(&m);
		if (got < 0) {
			free(sendmail);
			return -1;
		}
		if (follow_stop)
			break;
	}
	free(sendmail);
	return 0;
}

int cmd_mail_send(struct db *db, const struct opts *o)
{
	static const char *const known[] = { "--follow", "--quiet", "--progress", NULL };
	bool follow = opt_get(o, "--follow") != NULL, verbose = opt_get(o, "--quiet") == NULL;
	struct tally t = { 0 };

	if (opt_check(o, known) < 0)
		return 2;
	follow_signals();
	if (!follow) {
		/* Ctrl-C stops after the message being sent (follow_signals): what
		 * was sent is sent; nothing to roll back. */
		int rc;

		t.progress = progress_start("mail-send", progress_mode_from_args(o->argc, o->argv));
		progress_unit(t.progress, "messages");
		rc = send_due(db, &t, verbose);
		progress_finish(t.progress);
		if (rc < 0)
			return -1;
		printf(_("%d sent, %d to retry, %d failed\n"), t.sent, t.retry, t.failed);
		return 0;
	}
	if (follow_listen(db, "mail_outbox") < 0)
		return -1;
	while (!follow_stop) {
		long ms;

		if (send_due(db, &t, verbose) < 0) {
			fprintf(stderr, "%s: %s\n", WHO, db_error(db));
			if (follow_wait(db, "mail_outbox", db_ok(db) ? 1000 : 0, WHO) < 0)
				break;
			continue;
		}
		fflush(stdout);
		ms = mail_next_due_ms(db);
		if (ms < 0 || ms > MAX_SLEEP_MS)
			ms = MAX_SLEEP_MS;
		if (follow_wait(db, "mail_outbox", ms + 5, WHO) < 0)
			break;
	}
	return 0;
}

int cmd_mail_requeue(struct db *db, const struct opts *o)
{
	const char *id = o->argc > 1 ? o->argv[1] : NULL;
	long n;
	const char *p[1] = { id };

	if (!number_arg(id, &n)) {
		fprintf(stderr, _("ccterm-admin: mail-requeue ID\n"));
		return 2;
	}
	if (db_exec(db, "select mail_requeue($1::bigint)", 1, p) < 0)
		return -1;
	printf(_("message %ld queued again\n"), n);
	return 0;
}
