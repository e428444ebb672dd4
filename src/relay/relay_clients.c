/* relay_clients.c - the consoles on the relay's socket. Each is known by
 * the uid of its connection (SO_PEERCRED), mapped to a login; it may hear
 * only that login's channels, as the database lists them. Reads and
 * writes never block: a console's output waits in a buffer of at most
 * out_max bytes, and a console that lets it fill (slow, stopped, gone) is
 * dropped, so it never holds up the others. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "relayd.h"

static const struct relay_opts *O;
static struct client **slots;
static int nslots, nclients;
static unsigned next_gen = 1;

void clients_init(const struct relay_opts *o)
{
	O = o;
	slots = calloc((size_t)o->max_clients, sizeof(*slots));
	nslots = slots ? o->max_clients : 0;
}

struct client *client_at(int slot)
{
	return slot >= 0 && slot < nslots ? slots[slot] : NULL;
}

int clients_count(void)
{
	return nclients;
}

static const char *who(const struct client *c)
{
	static char buf[128];

	snprintf(buf, sizeof(buf), "uid %u (%s)", (unsigned)c->uid, c->login[0] ? c->login : "no login");
	return buf;
}

static void drop(int slot, const char *why)
{
	struct client *c = slots[slot];

	if (!c)
		return;
	if (why)
		relay_log("dropped %s: %s", who(c), why);
	for (int i = 0; i < c->nchans; i++)
		chan_at(c->chans[i])->subs--;
	close(c->fd);
	free(c->out);
	free(c);
	slots[slot] = NULL;
	nclients--;
}

/* Writes what waits, as far as the socket takes it. */
static void out_flush(int slot)
{
	struct client *c = slots[slot];

	while (c->outlen) {
		ssize_t n = send(c->fd, c->out, c->outlen, MSG_NOSIGNAL | MSG_DONTWAIT);

		if (n < 0) {
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				return;
			if (errno == EINTR)
				continue;
			drop(slot, strerror(errno));
			return;
		}
		memmove(c->out, c->out + n, c->outlen - (size_t)n);
		c->outlen -= (size_t)n;
	}
}

/* Queues one line (without its '\n') for the console; drops a console
 * whose buffer would overflow. false when dropped. */
static bool say(int slot, const char *line, size_t len)
{
	struct client *c = slots[slot];

	if (c->outlen + len + 1 > O->out_max) {
		drop(slot, "too slow: its output buffer is full");
		return false;
	}
	if (c->outlen + len + 1 > c->outcap) {
		size_t cap = c->outcap ? c->outcap : 1024;
		char *nb;

		while (cap < c->outlen + len + 1)
			cap *= 2;
		if (cap > O->out_max)
			cap = O->out_max;
		nb = realloc(c->out, cap);
		if (!nb) {
			drop(slot, "out of memory");
			return false;
		}
		c->out = nb;
		c->outcap = cap;
	}
	memcpy(c->out + c->outlen, line, len);
	c->out[c->outlen + len] = '\n';
	c->outlen += len + 1;
	out_flush(slot);
	return slots[slot] != NULL;
}

static bool sayf(int slot, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static bool sayf(int slot, const char *fmt, ...)
{
	char line[256];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (n < 0)
		return true;
	return say(slot, line, (size_t)n < sizeof(line) ? (size_t)n : sizeof(line) - 1);
}

void clients_accept(int listen_fd)
{
	for (int tries = 0; tries < 64; tries++) {
		struct ucred cred;
		socklen_t len = sizeof(cred);
		struct client *c;
		int fd = accept4(listen_fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC), slot = -1, same = 0;

		if (fd < 0) {
			if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)
				relay_log("accept: %s", strerror(errno));
			return;
		}
		if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) < 0) {
			relay_log("SO_PEERCRED: %s", strerror(errno));
			close(fd);
			continue;
		}
		for (int i = 0; i < nslots; i++) {
			if (!slots[i]) {
				if (slot < 0)
					slot = i;
			} else if (slots[i]->uid == cred.uid) {
				same++;
			}
		}
		if (slot < 0 || same >= O->max_per_uid) {
			static long long said_ms;
			long long now = relay_now_ms();

			if (now - said_ms >= 1000) {   /* a flood is logged once a second */
				said_ms = now;
				relay_log("refused a connection of uid %u: %s", (unsigned)cred.uid,
					  slot < 0 ? "too many consoles" : "too many consoles of that uid");
			}
			(void)!write(fd, "err too many connections\n", 25);
			close(fd);
			continue;
		}
		c = calloc(1, sizeof(*c));
		if (!c) {
			close(fd);
			return;
		}
		c->fd = fd;
		c->gen = next_gen++;
		c->uid = cred.uid;
		c->since_ms = relay_now_ms();
		peer_login(cred.uid, c->login, sizeof(c->login));
		slots[slot] = c;
		nclients++;
		if (O->verbose)
			relay_log("connected: %s", who(c));
	}
}

int clients_pollfds(struct pollfd *fds, int *slot, int max)
{
	int n = 0;

	for (int i = 0; i < nslots && n < max; i++) {
		struct client *c = slots[i];

		if (!c)
			continue;
		fds[n].fd = c->fd;
		/* A hello being answered is not read further: one thing at a time. */
		fds[n].events = (c->st == CL_NEW || c->st == CL_READY ? POLLIN : 0) | (c->outlen ? POLLOUT : 0);
		fds[n].revents = 0;
		slot[n++] = i;
	}
	return n;
}

static bool has_channel(const struct client *c, int ch)
{
	for (int i = 0; i < c->nchans; i++)
		if (c->chans[i] == ch)
			return true;
	return false;
}

/* Told "ready" once every channel of the console is LISTENed. */
static void maybe_ready(int slot)
{
	struct client *c = slots[slot];

	if (!c || c->st != CL_LISTEN)
		return;
	for (int i = 0; i < c->nchans; i++)
		if (chan_at(c->chans[i])->st != CHAN_ACTIVE)
			return;
	c->st = CL_READY;
	if (O->verbose)
		relay_log("ready: %s, %d channels", who(c), c->nchans);
	sayf(slot, "ready %s %s", c->login, rdb_dbname());
}

static void refuse(int slot, const char *what, const char *arg)
{
	struct client *c = slots[slot];

	relay_log("refused: %s asked for %s %.*s", who(c), what, RELAY_CHANNEL_MAX, arg);
	sayf(slot, "refused %.*s", RELAY_CHANNEL_MAX, arg);
}

static bool bad_line(int slot, const char *what)
{
	struct client *c = slots[slot];

	if (++c->errors > RELAY_MAX_ERRORS) {
		drop(slot, "too many bad lines");
		return false;
	}
	return sayf(slot, "err %s", what);
}

/* One line from a console. false when the console is gone. */
static bool line(int slot, char *text)
{
	struct client *c = slots[slot];
	char *arg;
	const char *verb = relay_split(text, &arg);

	if (strcmp(verb, "ping") == 0)
		return sayf(slot, "pong");
	if (strcmp(verb, "hello") == 0) {
		if (c->st != CL_NEW)
			return bad_line(slot, "hello again");
		if (!c->login[0] || strcmp(arg, c->login) != 0) {
			refuse(slot, "login", arg);
			drop(slot, NULL);
			return false;
		}
		c->st = CL_QUERY;
		rdb_ask_channels(slot, c->gen, c->login);
		return true;
	}
	if (strcmp(verb, "sub") == 0) {
		int ch = relay_name_ok(arg) ? chan_find(arg, false) : -1;

		if (c->st != CL_READY)
			return bad_line(slot, "hello first");
		if (ch < 0 || !has_channel(c, ch)) {
			refuse(slot, "channel", arg);
			return slots[slot] != NULL;
		}
		return sayf(slot, "ok %s", arg);
	}
	return bad_line(slot, "unknown command");
}

/* The whole lines waiting in the console's input. false when it is gone
 * or waits for its hello's answer. */
static bool take_lines(int slot)
{
	struct client *c = slots[slot];
	char *nl;

	while (c->st != CL_QUERY && (nl = memchr(c->in, '\n', c->inlen))) {
		size_t len = (size_t)(nl - c->in) + 1;

		*nl = '\0';
		if (len > 1 && nl[-1] == '\r')
			nl[-1] = '\0';
		if (memchr(c->in, '\0', len - 1)) {
			if (!bad_line(slot, "NUL in a line"))
				return false;
		} else if (!line(slot, c->in)) {
			return false;
		}
		c = slots[slot];
		memmove(c->in, c->in + len, c->inlen - len);
		c->inlen -= len;
	}
	return c->st != CL_QUERY;
}

static void read_input(int slot)
{
	struct client *c = slots[slot];

	for (;;) {
		ssize_t n = recv(c->fd, c->in + c->inlen, sizeof(c->in) - c->inlen, MSG_DONTWAIT);

		if (n == 0) {
			drop(slot, O->verbose ? "closed" : NULL);
			return;
		}
		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno != EAGAIN && errno != EWOULDBLOCK)
				drop(slot, strerror(errno));
			return;
		}
		c->inlen += (size_t)n;
		if (!take_lines(slot))
			return;
		c = slots[slot];
		if (c->inlen == sizeof(c->in)) {
			drop(slot, "a line longer than the protocol allows");
			return;
		}
	}
}

void clients_work(int slot, short revents)
{
	struct client *c = slots[slot];

	if (!c)
		return;
	if (revents & POLLOUT)
		out_flush(slot);
	if (slots[slot] && (revents & POLLIN))
		read_input(slot);
	if (slots[slot] && (revents & (POLLERR | POLLHUP | POLLNVAL)) && !(revents & POLLIN))
		drop(slot, O->verbose ? "hung up" : NULL);
}

int clients_expire(long long now)
{
	long long next = -1;

	for (int i = 0; i < nslots; i++) {
		struct client *c = slots[i];

		if (!c || c->st != CL_NEW)
			continue;
		if (now - c->since_ms >= RELAY_HELLO_MS) {
			drop(i, "no hello in time");
			continue;
		}
		if (next < 0 || c->since_ms + RELAY_HELLO_MS < next)
			next = c->since_ms + RELAY_HELLO_MS;
	}
	return next < 0 ? -1 : (int)(next - now);
}

void clients_notify(const char *channel, const char *payload)
{
	static char buf[RELAY_LINE_MAX];
	int ch = chan_find(channel, false), n, e;

	if (ch < 0)
		return;
	n = snprintf(buf, sizeof(buf), "n %s ", channel);
	e = relay_escape(payload ? payload : "", buf + n, sizeof(buf) - (size_t)n);
	if (e < 0) {
		relay_log("a notification on %s too long to relay", channel);
		return;
	}
	for (int i = 0; i < nslots; i++)
		if (slots[i] && slots[i]->st == CL_READY && has_channel(slots[i], ch))
			say(i, buf, (size_t)(n + e));
}

void clients_resync(void)
{
	for (int i = 0; i < nslots; i++)
		if (slots[i] && slots[i]->st == CL_READY)
			sayf(i, "resync");
}

void clients_channels(int slot, unsigned gen, char names[][RELAY_CHANNEL_MAX + 1], int n, bool failed)
{
	struct client *c = client_at(slot);

	if (!c || c->gen != gen || c->st != CL_QUERY)
		return;   /* gone meanwhile */
	if (failed || n == 0) {
		relay_log("refused: %s is not an agent the database knows", who(c));
		sayf(slot, "refused %s", c->login);
		drop(slot, NULL);
		return;
	}
	for (int i = 0; i < n && c->nchans < RELAY_CLIENT_CHANNELS; i++) {
		int ch = relay_name_ok(names[i]) ? chan_find(names[i], true) : -1;

		if (ch < 0 || has_channel(c, ch))
			continue;
		c->chans[c->nchans++] = ch;
		chan_at(ch)->subs++;
		rdb_listen(ch);
	}
	c->st = CL_LISTEN;
	maybe_ready(slot);
	/* Lines that came behind the hello. */
	if (slots[slot] && slots[slot]->st == CL_READY && slots[slot]->inlen)
		take_lines(slot);
}

void clients_listened(void)
{
	for (int i = 0; i < nslots; i++)
		if (slots[i] && slots[i]->st == CL_LISTEN)
			maybe_ready(i);
}

void clients_requery(void)
{
	for (int i = 0; i < nslots; i++)
		if (slots[i] && slots[i]->st == CL_QUERY)
			rdb_ask_channels(i, slots[i]->gen, slots[i]->login);
}

void clients_close_all(void)
{
	for (int i = 0; i < nslots; i++)
		drop(i, NULL);
	free(slots);
	slots = NULL;
	nslots = 0;
}
