/* esl.c - `ccterm-cti esl HOST:PORT --password-file F`: FreeSWITCH's event
 * socket (inbound). Answers auth/request with the password, subscribes to
 * mod_callcenter's events (event plain CUSTOM callcenter::info) and turns
 * them into the call's state (src/pbx/esl_map.c says which); the connection
 * is made again with backoff when it drops (pbx_link.c). */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "cti/adapters.h"
#include "cti/pbx_link.h"
#include "cti/reconnect.h"
#include "pbx/esl_frame.h"
#include "pbx/esl_map.h"

enum esl_step { ESL_AUTH, ESL_SUBSCRIBE, ESL_EVENTS };

struct esl {
	struct esl_parser parser;
	char password[256];
	enum esl_step step;
};

static volatile sig_atomic_t esl_stop;

static void on_frame(const struct esl_frame *f, void *arg)
{
	struct pbx_link *l = arg;
	struct esl *s = l->proto;
	const char *ct = kv_get(&f->head, "Content-Type"), *reply = kv_get(&f->head, "Reply-Text");
	struct pbx_event e;
	char buf[512];

	if (!ct)
		return;
	if (strcmp(ct, "auth/request") == 0) {
		int n = snprintf(buf, sizeof(buf), "auth %s\n\n", s->password);

		s->step = ESL_AUTH;
		pbx_link_send(l, buf, n > 0 && (size_t)n < sizeof(buf) ? (size_t)n : 0);
	} else if (strcmp(ct, "command/reply") == 0 && s->step != ESL_EVENTS) {
		if (!reply || strncmp(reply, "+OK", 3) != 0) {
			fprintf(stderr, "%s: %s refused: %s\n", l->who, s->step == ESL_AUTH ? "login" : "subscription",
				reply ? reply : "no reply text");
			fflush(stderr);
			l->drop = true;
		} else if (s->step == ESL_AUTH) {
			static const char sub[] = "event plain CUSTOM callcenter::info\n\n";

			s->step = ESL_SUBSCRIBE;
			pbx_link_send(l, sub, sizeof(sub) - 1);
		} else {
			s->step = ESL_EVENTS;
			l->up = true;
			fprintf(stderr, "%s: logged in, callcenter events on\n", l->who);
			fflush(stderr);
		}
	} else if (strcmp(ct, "text/disconnect-notice") == 0) {
		l->drop = true;
	} else if (strcmp(ct, "text/event-plain") == 0 && s->step == ESL_EVENTS && esl_map(f, &e)) {
		pbx_deliver(l, &e);
	}
}

static void start(struct pbx_link *l)
{
	struct esl *s = l->proto;

	esl_parser_init(&s->parser);
	s->step = ESL_AUTH;
}

static void feed(struct pbx_link *l, const char *buf, size_t n)
{
	struct esl *s = l->proto;

	esl_feed(&s->parser, buf, n, on_frame, l);
}

int esl_main(struct db *db, int argc, char **argv)
{
	static struct esl s;
	struct pbx_link l = { .who = "ccterm-cti esl", .db = db, .stop = &esl_stop, .start = start, .feed = feed,
			      .proto = &s, .fd = -1 };
	const char *file = NULL;

	for (int i = 0; i < argc; i++) {
		if (strcmp(argv[i], "--password-file") == 0 && i + 1 < argc)
			file = argv[++i];
		else if (strcmp(argv[i], "--quiet") == 0)
			l.quiet = true;
		else if (!l.hostport && argv[i][0] != '-')
			l.hostport = argv[i];
		else
			goto usage;
	}
	if (!l.hostport)
		goto usage;
	if (pbx_secret(l.who, file, "CCTERM_ESL_PASSWORD", s.password, sizeof(s.password)) < 0)
		return 2;
	if (strpbrk(s.password, "\r\n")) {
		fprintf(stderr, "%s: the password is one line\n", l.who);
		return 2;
	}
	cti_signals(&esl_stop);
	db_quiet_notices(db);
	return pbx_link_run(&l);
usage:
	fputs("usage: ccterm-cti esl HOST:PORT --password-file FILE [--quiet]\n"
	      "       (or the password in the environment: CCTERM_ESL_PASSWORD)\n", stderr);
	return 2;
}
