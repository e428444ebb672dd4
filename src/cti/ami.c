/* ami.c - `ccterm-cti ami HOST:PORT --user U --secret-file F`: Asterisk's
 * Manager Interface. Logs in (Action: Login, Events: on), then turns every
 * event into the call's state (src/pbx/ami_map.c says which); the
 * connection is made again with backoff when it drops (pbx_link.c). After
 * every login it asks for the channels under way (Action: CoreShowChannels)
 * and puts right what happened while it was not listening: calls that
 * ended are closed, calls waiting or ringing are queued or offered. */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "cti/adapters.h"
#include "cti/pbx_link.h"
#include "cti/reconnect.h"
#include "ccterm/pbx.h"
#include "pbx/ami_frame.h"
#include "pbx/ami_map.h"

struct ami {
	struct ami_parser parser;
	struct ami_tracker tracker;   /* kept across reconnects: the numbers of calls under way */
	struct ami_resync resync;     /* the channels listed after a login */
	const char *user;
	char secret[256];
	bool sent_login;
};

static volatile sig_atomic_t ami_stop;

/* An AMI value may not hold a line end. */
static bool one_line(const char *s)
{
	return !strpbrk(s, "\r\n");
}

static void send_login(struct pbx_link *l)
{
	struct ami *a = l->proto;
	char buf[1024];
	int n = snprintf(buf, sizeof(buf),
			 "Action: Login\r\nActionID: ccterm-login\r\nUsername: %s\r\nSecret: %s\r\nEvents: on\r\n\r\n",
			 a->user, a->secret);

	a->sent_login = true;
	pbx_link_send(l, buf, n > 0 && (size_t)n < sizeof(buf) ? (size_t)n : 0);
}

#define RESYNC_ID "ccterm-resync"

static void send_resync(struct pbx_link *l)
{
	static const char req[] = "Action: CoreShowChannels\r\nActionID: " RESYNC_ID "\r\n\r\n";

	pbx_link_send(l, req, sizeof(req) - 1);
}

/* The list is complete: close what ended, then offer what rings. */
static void resync_done(struct pbx_link *l)
{
	struct ami *a = l->proto;
	const char *alive[AMI_RESYNC_MAX];
	struct pbx_event e;
	int closed;

	a->resync.listing = 0;
	for (size_t i = 0; i < a->resync.nalive; i++)
		alive[i] = a->resync.alive[i];
	closed = db_pbx_resync(l->db, alive, a->resync.nalive);
	if (closed < 0 && !db_ok(l->db) && cti_reconnect(l->db, l->stop, l->who) == 0)
		closed = db_pbx_resync(l->db, alive, a->resync.nalive);
	if (closed < 0)
		fprintf(stderr, "%s: resync: %s\n", l->who, db_error(l->db));
	else
		fprintf(stderr, "%s: resync: %zu calls under way, %d ended while the link was down\n", l->who,
			a->resync.nalive, closed);
	fflush(stderr);
	for (size_t i = 0; i < a->resync.nlegs; i++)
		if (ami_resync_leg(&a->tracker, &a->resync, i, &e))
			pbx_deliver(l, &e);
}

/* The resync's own frames: 1 when f was one of them. */
static int resync_frame(struct pbx_link *l, const struct kv *f)
{
	struct ami *a = l->proto;
	const char *id = kv_get(f, "ActionID"), *ev = kv_get(f, "Event");
	struct pbx_event e;

	if (!id || strcmp(id, RESYNC_ID) != 0)
		return 0;
	if (kv_get(f, "Response")) {
		if (strcasecmp(kv_get(f, "Response"), "Success") == 0)
			ami_resync_begin(&a->resync);
		else
			fprintf(stderr, "%s: CoreShowChannels refused: %s\n", l->who,
				kv_get(f, "Message") ? kv_get(f, "Message") : "");
		return 1;
	}
	if (!ev || !a->resync.listing)
		return 1;
	if (strcasecmp(ev, "CoreShowChannel") == 0) {
		if (ami_resync_channel(&a->tracker, &a->resync, f, &e))
			pbx_deliver(l, &e);
	} else if (strcasecmp(ev, "CoreShowChannelsComplete") == 0) {
		resync_done(l);
	}
	return 1;
}

static void on_frame(const struct kv *f, void *arg)
{
	struct pbx_link *l = arg;
	struct ami *a = l->proto;
	const char *resp = kv_get(f, "Response");
	struct pbx_event e;

	if (!a->sent_login)
		send_login(l);
	if (l->up && resync_frame(l, f))
		return;
	if (resp) {
		const char *id = kv_get(f, "ActionID"), *msg = kv_get(f, "Message");

		if (id && strcmp(id, "ccterm-login") == 0) {
			if (strcasecmp(resp, "Success") == 0) {
				l->up = true;
				fprintf(stderr, "%s: logged in\n", l->who);
				send_resync(l);
			} else {
				fprintf(stderr, "%s: login refused: %s\n", l->who, msg ? msg : resp);
				l->drop = true;
			}
			fflush(stderr);
		}
		return;
	}
	if (l->up && ami_map(&a->tracker, f, &e))
		pbx_deliver(l, &e);
}

static void start(struct pbx_link *l)
{
	struct ami *a = l->proto;

	ami_parser_init(&a->parser);
	a->sent_login = false;
	a->resync.listing = 0;
}

static void feed(struct pbx_link *l, const char *buf, size_t n)
{
	struct ami *a = l->proto;

	/* The banner comes before any frame: log in as soon as it is read. */
	ami_feed(&a->parser, buf, n, on_frame, l);
	if (!a->sent_login && a->parser.banner)
		send_login(l);
}

int ami_main(struct db *db, int argc, char **argv)
{
	static struct ami a;
	struct pbx_link l = { .who = "ccterm-cti ami", .db = db, .stop = &ami_stop, .start = start, .feed = feed,
			      .proto = &a, .fd = -1 };
	const char *secret_file = NULL;

	ami_tracker_init(&a.tracker);
	for (int i = 0; i < argc; i++) {
		if (strcmp(argv[i], "--user") == 0 && i + 1 < argc)
			a.user = argv[++i];
		else if (strcmp(argv[i], "--secret-file") == 0 && i + 1 < argc)
			secret_file = argv[++i];
		else if (strcmp(argv[i], "--quiet") == 0)
			l.quiet = true;
		else if (!l.hostport && argv[i][0] != '-')
			l.hostport = argv[i];
		else
			goto usage;
	}
	if (!l.hostport || !a.user)
		goto usage;
	if (pbx_secret(l.who, secret_file, "CCTERM_AMI_SECRET", a.secret, sizeof(a.secret)) < 0)
		return 2;
	if (!one_line(a.user) || !one_line(a.secret)) {
		fprintf(stderr, "%s: the user and the secret are one line each\n", l.who);
		return 2;
	}
	cti_signals(&ami_stop);
	db_quiet_notices(db);
	return pbx_link_run(&l);
usage:
	fputs("usage: ccterm-cti ami HOST:PORT --user USER --secret-file FILE [--quiet]\n"
	      "       (or the secret in the environment: CCTERM_AMI_SECRET)\n", stderr);
	return 2;
}
