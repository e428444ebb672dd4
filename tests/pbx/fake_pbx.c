/* fake_pbx.c - a PBX for the tests: listens on 127.0.0.1 (an ephemeral
 * port, written to PORTFILE) and replays a transcript to whoever connects.
 *
 *   fake_pbx [--crlf] PORTFILE TRANSCRIPT
 *
 * A transcript is the protocol's text, line by line, sent as it is (with
 * --crlf, each line ends in CRLF, as AMI's do), and directives:
 *   ## ...            a comment, not sent
 *   #! expect TEXT    waits until what the client sent holds TEXT (10 s at most)
 *   #! drop           closes the connection and waits for the next one
 *   #! sleep MS
 *   #! event ... #! end-event   the lines between are an event-plain body: sent
 *                     after "Content-Length: N\nContent-Type: text/event-plain\n\n"
 *   #! junk N         N bytes of binary junk (NUL, control, invalid UTF-8)
 *   #! long N         one line of N bytes
 * At the end it waits for the client to close (60 s at most). Exit 0, or 1
 * when the client did not send what was expected. */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static char got[65536];
static size_t got_len;

static void send_all(int fd, const char *s, size_t n)
{
	while (n > 0) {
		ssize_t w = send(fd, s, n, MSG_NOSIGNAL);

		if (w <= 0)
			return;
		s += w;
		n -= (size_t)w;
	}
}

/* Reads what the client sends until it holds text; false after 10 s or a close. */
static bool expect(int fd, const char *text)
{
	for (int waited = 0; waited < 10000;) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		ssize_t n;

		got[got_len] = '\0';
		if (strstr(got, text)) {
			/* What matched is used up: the next expect looks further on. */
			char *at = strstr(got, text) + strlen(text);

			got_len -= (size_t)(at - got);
			memmove(got, at, got_len);
			return true;
		}
		if (poll(&p, 1, 100) == 0) {
			waited += 100;
			continue;
		}
		if (got_len >= sizeof(got) - 1)
			got_len = 0;
		n = recv(fd, got + got_len, sizeof(got) - 1 - got_len, 0);
		if (n <= 0)
			return false;
		got_len += (size_t)n;
	}
	return false;
}

static int accept_one(int lfd)
{
	struct pollfd p = { .fd = lfd, .events = POLLIN };

	if (poll(&p, 1, 20000) != 1)
		return -1;
	got_len = 0;
	return accept(lfd, NULL, NULL);
}

int main(int argc, char **argv)
{
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t len = sizeof(sa);
	bool crlf = argc > 1 && strcmp(argv[1], "--crlf") == 0;
	char line[8192], body[65536];
	size_t body_len = 0;
	bool in_event = false;
	int lfd, fd, lineno = 0;
	FILE *t, *pf;

	if (crlf) {
		argc--;
		argv++;
	}
	if (argc != 3) {
		fputs("usage: fake_pbx [--crlf] PORTFILE TRANSCRIPT\n", stderr);
		return 2;
	}
	if (!(t = fopen(argv[2], "r"))) {
		perror(argv[2]);
		return 2;
	}
	lfd = socket(AF_INET, SOCK_STREAM, 0);
	if (lfd < 0 || bind(lfd, (struct sockaddr *)&sa, sizeof(sa)) < 0 || listen(lfd, 4) < 0 ||
	    getsockname(lfd, (struct sockaddr *)&sa, &len) < 0) {
		perror("fake_pbx: listen");
		return 2;
	}
	/* Written whole, then renamed: the test never reads half a number. */
	{
		char tmp[4096];

		snprintf(tmp, sizeof(tmp), "%s.tmp", argv[1]);
		if (!(pf = fopen(tmp, "w")))
			return 2;
		fprintf(pf, "%d\n", ntohs(sa.sin_port));
		fclose(pf);
		rename(tmp, argv[1]);
	}
	if ((fd = accept_one(lfd)) < 0)
		return 1;
	srand(13);
	while (fgets(line, sizeof(line), t)) {
		size_t n = strcspn(line, "\n");

		lineno++;
		line[n] = '\0';
		if (strncmp(line, "##", 2) == 0)
			continue;
		if (in_event) {
			if (strcmp(line, "#! end-event") == 0) {
				char head[128];
				int h;

				body[body_len++] = '\n';
				h = snprintf(head, sizeof(head), "Content-Length: %zu\nContent-Type: text/event-plain\n\n",
					     body_len);
				send_all(fd, head, (size_t)h);
				send_all(fd, body, body_len);
				in_event = false;
			} else if (body_len + n + 2 < sizeof(body)) {
				memcpy(body + body_len, line, n);
				body_len += n;
				body[body_len++] = '\n';
			}
			continue;
		}
		if (strncmp(line, "#! expect ", 10) == 0) {
			if (!expect(fd, line + 10)) {
				fprintf(stderr, "fake_pbx: %s:%d: the client did not send \"%s\"\n", argv[2], lineno, line + 10);
				return 1;
			}
		} else if (strcmp(line, "#! drop") == 0) {
			close(fd);
			if ((fd = accept_one(lfd)) < 0)
				return 1;
		} else if (strncmp(line, "#! sleep ", 9) == 0) {
			usleep((useconds_t)atoi(line + 9) * 1000);
		} else if (strcmp(line, "#! event") == 0) {
			in_event = true;
			body_len = 0;
		} else if (strncmp(line, "#! junk ", 8) == 0) {
			for (int i = atoi(line + 8); i > 0; i--) {
				char c = (char)(rand() % 256);

				send_all(fd, &c, 1);
			}
		} else if (strncmp(line, "#! long ", 8) == 0) {
			for (int i = atoi(line + 8); i > 0; i--)
				send_all(fd, "A", 1);
			send_all(fd, crlf ? "\r\n" : "\n", crlf ? 2 : 1);
		} else {
			send_all(fd, line, n);
			send_all(fd, crlf ? "\r\n" : "\n", crlf ? 2 : 1);
		}
	}
	fclose(t);
	/* Until the client goes. */
	for (int i = 0; i < 600; i++) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		char buf[4096];

		if (poll(&p, 1, 100) == 1 && recv(fd, buf, sizeof(buf), 0) <= 0)
			break;
	}
	close(fd);
	close(lfd);
	return 0;
}
