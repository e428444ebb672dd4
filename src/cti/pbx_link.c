/* pbx_link.c - the PBX connection with backoff, and events into the database. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "ccterm/pbx.h"
#include "cti/pbx_link.h"
#include "cti/reconnect.h"

#define PBX_BACKOFF_MIN_MS 100
#define PBX_BACKOFF_MAX_MS 5000
#define PBX_CONNECT_MS 5000

/* Splits HOST:PORT (the host may be [bracketed]). */
static int split(const char *hostport, char *host, size_t hostsz, const char **port)
{
	const char *colon = strrchr(hostport, ':');
	const char *h = hostport;
	size_t len;

	if (!colon || !colon[1])
		return -1;
	len = (size_t)(colon - hostport);
	if (len >= 2 && h[0] == '[' && h[len - 1] == ']') {
		h++;
		len -= 2;
	}
	if (len == 0 || len >= hostsz)
		return -1;
	memcpy(host, h, len);
	host[len] = '\0';
	*port = colon + 1;
	return 0;
}

/* A connected socket, or -1 with why in err. */
static int tcp_connect(const char *hostport, char *err, size_t errsz)
{
	struct addrinfo hints = { .ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM }, *ai, *a;
	char host[256];
	const char *port;
	int fd = -1, rc;

	if (split(hostport, host, sizeof(host), &port) < 0) {
		snprintf(err, errsz, "%s: not HOST:PORT", hostport);
		return -1;
	}
	if ((rc = getaddrinfo(host, port, &hints, &ai)) != 0) {
		snprintf(err, errsz, "%s: %s", hostport, gai_strerror(rc));
		return -1;
	}
	snprintf(err, errsz, "%s: no address", hostport);
	for (a = ai; a; a = a->ai_next) {
		struct pollfd pfd;
		int soerr = 0;
		socklen_t len = sizeof(soerr);

		fd = socket(a->ai_family, a->ai_socktype | SOCK_CLOEXEC | SOCK_NONBLOCK, a->ai_protocol);
		if (fd < 0)
			continue;
		if (connect(fd, a->ai_addr, a->ai_addrlen) == 0)
			break;
		pfd.fd = fd;
		pfd.events = POLLOUT;
		if (errno == EINPROGRESS && poll(&pfd, 1, PBX_CONNECT_MS) == 1 &&
		    getsockopt(fd, SOL_SOCKET, SO_ERROR, &soerr, &len) == 0 && soerr == 0)
			break;
		snprintf(err, errsz, "%s: %s", hostport, strerror(soerr ? soerr : errno ? errno : ETIMEDOUT));
		close(fd);
		fd = -1;
	}
	freeaddrinfo(ai);
	return fd;
}

void pbx_link_send(struct pbx_link *l, const char *buf, size_t n)
{
	while (n > 0 && !l->drop) {
		ssize_t w = send(l->fd, buf, n, MSG_NOSIGNAL);

		if (w > 0) {
			buf += w;
			n -= (size_t)w;
		} else if (w < 0 && (errno == EAGAIN || errno == EINTR)) {
			struct pollfd pfd = { .fd = l->fd, .events = POLLOUT };

			if (poll(&pfd, 1, PBX_CONNECT_MS) != 1)
				l->drop = true;
		} else {
			l->drop = true;
		}
	}
}

int pbx_link_run(struct pbx_link *l)
{
	int backoff = PBX_BACKOFF_MIN_MS;
	bool said_down = false;
	char err[512], buf[16384];

	while (!*l->stop) {
		l->fd = tcp_connect(l->hostport, err, sizeof(err));
		if (l->fd < 0) {
			if (!said_down)
				fprintf(stderr, "%s: cannot connect to %s; trying again\n", l->who, err);
			said_down = true;
			fflush(stderr);
			cti_wait(-1, backoff);
			backoff = backoff * 2 > PBX_BACKOFF_MAX_MS ? PBX_BACKOFF_MAX_MS : backoff * 2;
			continue;
		}
		fprintf(stderr, "%s: connected to %s\n", l->who, l->hostport);
		fflush(stderr);
		said_down = false;
		l->drop = l->up = false;
		l->start(l);
		while (!*l->stop && !l->drop) {
			ssize_t n;

			if (cti_wait(l->fd, 1000) < 0)
				break;
			n = recv(l->fd, buf, sizeof(buf), MSG_DONTWAIT);
			if (n > 0)
				l->feed(l, buf, (size_t)n);
			else if (n == 0 || (errno != EAGAIN && errno != EINTR))
				break;
		}
		close(l->fd);
		l->fd = -1;
		if (*l->stop)
			break;
		fprintf(stderr, "%s: connection to the PBX lost; reconnecting\n", l->who);
		fflush(stderr);
		if (l->up)
			backoff = PBX_BACKOFF_MIN_MS;
		cti_wait(-1, backoff);
		backoff = backoff * 2 > PBX_BACKOFF_MAX_MS ? PBX_BACKOFF_MAX_MS : backoff * 2;
	}
	return 0;
}

void pbx_deliver(struct pbx_link *l, const struct pbx_event *e)
{
	long long id = 0;
	int rc;

	for (int tries = 0; tries < 2; tries++) {
		rc = db_pbx_apply(l->db, e, &id);
		if (rc >= 0 || db_ok(l->db))
			break;
		/* The database went away: wait for it, then this event again. */
		if (cti_reconnect(l->db, l->stop, l->who) < 0)
			return;
	}
	if (rc < 0) {
		fprintf(stderr, "%s: %s %s: %s\n", l->who, e->call_id, pbx_kind_name(e->kind), db_error(l->db));
		fflush(stderr);
	} else if (!l->quiet) {
		if (rc > 0)
			printf("%s %s%s%s -> call %lld\n", e->call_id, pbx_kind_name(e->kind), *e->agent ? " " : "",
			       e->agent, id);
		else
			printf("%s %s: no such call\n", e->call_id, pbx_kind_name(e->kind));
		fflush(stdout);
	}
}

int pbx_secret(const char *who, const char *file, const char *env, char *out, size_t outsz)
{
	const char *v;

	if (file) {
		FILE *f = fopen(file, "r");

		if (!f || !fgets(out, (int)outsz, f)) {
			fprintf(stderr, "%s: %s: %s\n", who, file, f ? "empty" : strerror(errno));
			if (f)
				fclose(f);
			return -1;
		}
		fclose(f);
		out[strcspn(out, "\r\n")] = '\0';
		return 0;
	}
	v = getenv(env);
	if (!v) {
		fprintf(stderr, "%s: no secret: give a file with its option, or set %s\n", who, env);
		return -1;
	}
	snprintf(out, outsz, "%s", v);
	out[strcspn(out, "\r\n")] = '\0';
	return 0;
}
