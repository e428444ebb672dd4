/* relay_link.c - the console's side of the relay's line protocol
 * (relay_link.h, ccterm/relay_proto.h). */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "ccterm/relay_proto.h"
#include "relay_link.h"

enum rl_state { RL_OFF, RL_HELLO, RL_READY };

struct relay_link {
	char path[108];
	char login[RELAY_CHANNEL_MAX + 1];
	char dbname[128];
	int fd;
	enum rl_state st;
	long long deadline_ms;      /* RL_HELLO: give up; RL_OFF: try again; RL_READY: ping */
	bool pinged;                /* RL_READY: a ping waits for its pong until deadline_ms */
	char in[RELAY_LINE_MAX];
	size_t inlen;
	struct relay_hooks hooks;
};

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void link_close(struct relay_link *rl, const char *why, int again_ms)
{
	bool was = rl->st != RL_OFF;

	if (rl->fd >= 0)
		close(rl->fd);
	rl->fd = -1;
	rl->st = RL_OFF;
	rl->inlen = 0;
	rl->deadline_ms = now_ms() + again_ms;
	if (was && rl->hooks.down)
		rl->hooks.down(rl->hooks.arg, why);
}

static void link_try(struct relay_link *rl)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	char hello[RELAY_IN_MAX];
	int n;

	rl->deadline_ms = now_ms() + RELAY_LINK_RETRY_MS;
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", rl->path);
	rl->fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (rl->fd < 0)
		return;
	n = snprintf(hello, sizeof(hello), "hello %s\n", rl->login);
	/* A UNIX socket connects at once or not at all; the hello fits its buffer. */
	if (connect(rl->fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 ||
	    send(rl->fd, hello, (size_t)n, MSG_NOSIGNAL) != n) {
		close(rl->fd);
		rl->fd = -1;
		return;
	}
	rl->st = RL_HELLO;
	rl->deadline_ms = now_ms() + RELAY_LINK_HELLO_MS;
}

struct relay_link *relay_link_new(const char *path, const char *login, const char *dbname)
{
	struct relay_link *rl = calloc(1, sizeof(*rl));

	if (!rl)
		return NULL;
	snprintf(rl->path, sizeof(rl->path), "%s", path);
	snprintf(rl->login, sizeof(rl->login), "%s", login);
	snprintf(rl->dbname, sizeof(rl->dbname), "%s", dbname ? dbname : "");
	rl->fd = -1;
	link_try(rl);
	return rl;
}

void relay_link_free(struct relay_link *rl)
{
	if (!rl)
		return;
	rl->hooks = (struct relay_hooks){ 0 };
	if (rl->fd >= 0)
		close(rl->fd);
	free(rl);
}

void relay_link_set_hooks(struct relay_link *rl, const struct relay_hooks *hooks)
{
	rl->hooks = *hooks;
}

bool relay_link_ready(const struct relay_link *rl)
{
	return rl && rl->st == RL_READY;
}

bool relay_link_trying(const struct relay_link *rl)
{
	return rl && rl->st == RL_HELLO;
}

/* One line from the relay; false when the link was closed. */
static bool link_line(struct relay_link *rl, char *line)
{
	char *rest;
	const char *verb = relay_split(line, &rest);

	if (strcmp(verb, "n") == 0 && rl->st == RL_READY) {
		char *channel = rest, *payload;
		struct notice n;

		relay_split(channel, &payload);
		relay_unescape(payload);
		notice_parse(channel, payload, &n);
		if (rl->hooks.notice)
			rl->hooks.notice(rl->hooks.arg, &n);
	} else if (strcmp(verb, "ready") == 0 && rl->st == RL_HELLO) {
		char *db;
		const char *login = relay_split(rest, &db);

		if (strcmp(login, rl->login) != 0 || strcmp(db, rl->dbname) != 0) {
			link_close(rl, "the relay serves another login or database", RELAY_LINK_REFUSED_MS);
			return false;
		}
		rl->st = RL_READY;
		rl->pinged = false;
		rl->deadline_ms = now_ms() + RELAY_LINK_PING_MS;
		if (rl->hooks.up)
			rl->hooks.up(rl->hooks.arg);
	} else if (strcmp(verb, "pong") == 0 && rl->st == RL_READY) {
		rl->pinged = false;
		rl->deadline_ms = now_ms() + RELAY_LINK_PING_MS;
	} else if (strcmp(verb, "resync") == 0 && rl->st == RL_READY) {
		if (rl->hooks.up)
			rl->hooks.up(rl->hooks.arg);
	} else if (strcmp(verb, "refused") == 0 || strcmp(verb, "err") == 0) {
		link_close(rl, "the relay refused this console", RELAY_LINK_REFUSED_MS);
		return false;
	}
	return true;   /* anything else: a newer relay's, ignored */
}

static void link_read(struct relay_link *rl)
{
	for (;;) {
		ssize_t n = recv(rl->fd, rl->in + rl->inlen, sizeof(rl->in) - rl->inlen, MSG_DONTWAIT);
		char *nl;

		if (n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)) {
			link_close(rl, n == 0 ? "the relay closed the connection" : strerror(errno), RELAY_LINK_RETRY_MS / 2);
			return;
		}
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return;
		}
		rl->inlen += (size_t)n;
		while ((nl = memchr(rl->in, '\n', rl->inlen))) {
			size_t len = (size_t)(nl - rl->in) + 1;

			*nl = '\0';
			if (!link_line(rl, rl->in))
				return;
			memmove(rl->in, rl->in + len, rl->inlen - len);
			rl->inlen -= len;
		}
		if (rl->inlen == sizeof(rl->in)) {
			link_close(rl, "a line from the relay too long", RELAY_LINK_RETRY_MS);
			return;
		}
	}
}

void relay_link_pollfd(struct relay_link *rl, struct pollfd *pfd)
{
	pfd->fd = rl && rl->fd >= 0 ? rl->fd : -1;
	pfd->events = POLLIN;
	pfd->revents = 0;
}

int relay_link_timeout(struct relay_link *rl)
{
	long long now = now_ms();

	if (!rl)
		return -1;
	return rl->deadline_ms <= now ? 0 : (int)(rl->deadline_ms - now);
}

void relay_link_work(struct relay_link *rl, short revents)
{
	if (!rl)
		return;
	if (rl->st != RL_OFF && (revents & (POLLIN | POLLERR | POLLHUP)))
		link_read(rl);
	if (rl->st == RL_READY && now_ms() >= rl->deadline_ms) {
		if (rl->pinged) {
			link_close(rl, "the relay stopped answering", RELAY_LINK_RETRY_MS);
		} else if (send(rl->fd, "ping\n", 5, MSG_NOSIGNAL | MSG_DONTWAIT) != 5) {
			link_close(rl, "the relay does not take a ping", RELAY_LINK_RETRY_MS);
		} else {
			rl->pinged = true;
			rl->deadline_ms = now_ms() + RELAY_LINK_HELLO_MS;
		}
	}
	if (rl->st == RL_HELLO && now_ms() >= rl->deadline_ms)
		link_close(rl, "the relay did not answer", RELAY_LINK_RETRY_MS);
	else if (rl->st == RL_OFF && now_ms() >= rl->deadline_ms)
		link_try(rl);
}
