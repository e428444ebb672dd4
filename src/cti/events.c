/* events.c - `ccterm-cti events [--socket PATH]`: the generic protocol, one
 * JSON object a line (src/pbx/events_json.c), on standard input (until its
 * end) or from any number of clients of a UNIX socket (until stopped). A
 * line that is not a valid event is said on stderr and skipped. */
#include "config.h"

#include <errno.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "cti/adapters.h"
#include "cti/pbx_link.h"
#include "cti/reconnect.h"
#include "pbx/events_json.h"

#define EVENTS_CLIENTS 32

static volatile sig_atomic_t events_stop;

struct client {
	int fd;
	struct line_reader *r;
};

static void on_line(const char *line, size_t len, void *arg)
{
	struct pbx_link *l = arg;
	struct pbx_event e;
	char err[160];

	if (!line) {
		fprintf(stderr, "%s: a line longer than %d bytes skipped\n", l->who, EVENTS_LINE_MAX);
	} else if (events_blank(line, len)) {
		return;
	} else if (events_json_parse(line, len, &e, err, sizeof(err)) < 0) {
		fprintf(stderr, "%s: line skipped: %s\n", l->who, err);
	} else {
		pbx_deliver(l, &e);
		return;
	}
	fflush(stderr);
}

/* Reads what fd has (until it would block; once: one read, for a blocking
 * standard input): 1 at its end. */
static int pump(struct pbx_link *l, int fd, struct line_reader *r, bool once)
{
	char buf[16384];

	for (;;) {
		ssize_t n = read(fd, buf, sizeof(buf));

		if (n > 0) {
			line_reader_feed(r, buf, (size_t)n, on_line, l);
			if (once)
				return 0;
			continue;
		}
		if (n < 0 && (errno == EAGAIN || errno == EINTR))
			return 0;
		/* A last line without its newline still counts. */
		if (r->len > 0 && !r->overlong)
			on_line(r->buf, r->len, l);
		r->len = 0;
		return 1;
	}
}

static int listen_on(const char *who, const char *path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	struct stat st;
	int fd;

	if (strlen(path) >= sizeof(sa.sun_path)) {
		fprintf(stderr, "%s: %s: path too long for a socket\n", who, path);
		return -1;
	}
	strcpy(sa.sun_path, path);
	/* A socket left by an earlier run goes; anything else is not ours to remove. */
	if (lstat(path, &st) == 0) {
		if (!S_ISSOCK(st.st_mode)) {
			fprintf(stderr, "%s: %s exists and is not a socket\n", who, path);
			return -1;
		}
		unlink(path);
	}
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 || listen(fd, 16) < 0) {
		fprintf(stderr, "%s: %s: %s\n", who, path, strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	return fd;
}

static int serve_socket(struct pbx_link *l, const char *path)
{
	struct client c[EVENTS_CLIENTS] = { 0 };
	struct pollfd pfd[EVENTS_CLIENTS + 1];
	int lfd = listen_on(l->who, path);

	if (lfd < 0)
		return 1;
	fprintf(stderr, "%s: listening on %s\n", l->who, path);
	fflush(stderr);
	for (int i = 0; i < EVENTS_CLIENTS; i++)
		c[i].fd = -1;
	while (!*l->stop) {
		int n = 1;

		pfd[0] = (struct pollfd){ .fd = lfd, .events = POLLIN };
		for (int i = 0; i < EVENTS_CLIENTS; i++)
			pfd[n++] = (struct pollfd){ .fd = c[i].fd, .events = POLLIN };
		if (cti_wait_fds(pfd, n, 1000) < 0)
			break;
		for (int i = 0; i < EVENTS_CLIENTS; i++)
			if (c[i].fd >= 0 && pfd[i + 1].revents && pump(l, c[i].fd, c[i].r, false)) {
				close(c[i].fd);
				c[i].fd = -1;
				free(c[i].r);
				c[i].r = NULL;
			}
		if (pfd[0].revents & POLLIN) {
			int fd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK), i;

			for (i = 0; fd >= 0 && i < EVENTS_CLIENTS && c[i].fd >= 0; i++)
				;
			if (fd >= 0 && (i == EVENTS_CLIENTS || !(c[i].r = calloc(1, sizeof(*c[i].r))))) {
				fprintf(stderr, "%s: too many clients: one refused\n", l->who);
				close(fd);
			} else if (fd >= 0) {
				c[i].fd = fd;
			}
		}
	}
	for (int i = 0; i < EVENTS_CLIENTS; i++)
		if (c[i].fd >= 0) {
			close(c[i].fd);
			free(c[i].r);
		}
	close(lfd);
	unlink(path);
	return 0;
}

int events_main(struct db *db, int argc, char **argv)
{
	struct pbx_link l = { .who = "ccterm-cti events", .db = db, .stop = &events_stop, .fd = -1 };
	const char *path = NULL;
	int rc = 0;

	for (int i = 0; i < argc; i++) {
		if (strcmp(argv[i], "--socket") == 0 && i + 1 < argc)
			path = argv[++i];
		else if (strcmp(argv[i], "--quiet") == 0)
			l.quiet = true;
		else {
			fputs("usage: ccterm-cti events [--socket PATH] [--quiet]   JSON lines:\n"
			      "  {\"event\":\"offered|answered|ended|abandoned|queued|requeued\",\"call_id\":..,\"ani\":..,"
			      "\"dnis\":..,\"queue\":..,\"agent\":..}\n", stderr);
			return 2;
		}
	}
	cti_signals(&events_stop);
	db_quiet_notices(db);
	if (path)
		return serve_socket(&l, path);
	{
		struct line_reader *r = calloc(1, sizeof(*r));

		if (!r) {
			fprintf(stderr, "%s: out of memory\n", l.who);
			return 1;
		}
		while (!events_stop) {
			if (cti_wait(0, 1000) < 0 || pump(&l, 0, r, true))
				break;
		}
		free(r);
	}
	return rc;
}
