/* ami.c - `ccterm-cti ami HOST:PORT --user U --secret-file F`: Asterisk's
 * Manager Interface. Logs in (Action: Login, Events: on), then turns every
 * event into the call's state (src/pbx/ami_map.c says which); the
 * connection is made again with backoff when it drops (pbx_link.c). */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "cti/adapters.h"
#include "cti/pbx_link.h"
#include "cti/reconnect.h"
#include "pbx/ami_frame.h"
#include "pbx/ami_map.h"

struct ami {
	struct ami_parser parser;
	struct ami_tracker tracker;   /* kept across reconnects: the numbers of calls under way */
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

static void on_frame(const struct kv *f, void *arg)
{
	struct pbx_link *l = arg;
	struct ami *a = l->proto;
	const char *resp = kv_get(f, "Response");
	struct pbx_event e;

	if (!a->sent_login)
		send_login(l);
	if (resp) {
		const char *id = kv_get(f, "ActionID"), *msg = kv_get(f, "Message");

		if (id && strcmp(id, "ccterm-login") == 0) {
			if (strcasecmp(resp, "Success") == 0) {
				l->up = true;
				fprintf(stderr, "%s: logged in\n", l->who);
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
