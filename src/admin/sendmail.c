/* sendmail.c - hands a message to the MTA: `PATH -t -i`, the message on
 * stdin, what it says on stdout/stderr kept for the outbox's last_error,
 * and how its refusal reads (permanent, temporary, unknown: ccterm/mta_error.h). */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "ccterm/mta_error.h"
#include "mail_out.h"

static long ms_since(const struct timespec *t0)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (t.tv_sec - t0->tv_sec) * 1000L + (t.tv_nsec - t0->tv_nsec) / 1000000L;
}

/* Makes what the MTA printed one line: control characters become spaces. */
static void one_line(char *s)
{
	size_t n = strlen(s);

	while (n && (s[n - 1] == '\n' || s[n - 1] == '\r' || s[n - 1] == ' '))
		s[--n] = '\0';
	for (char *p = s; *p; p++)
		if ((unsigned char)*p < 0x20)
			*p = ' ';
}

int sendmail_run(const char *path, const char *msg, size_t len, int timeout_s, char *err, size_t errsz,
		 enum mta_failure *failure)
{
	int in[2], out[2], status = 0;
	size_t sent = 0, said = 0;
	char said_buf[1024];
	struct timespec t0;
	pid_t pid;
	bool killed = false, whole = false;
	char reply[512];

	*failure = MTA_TEMPORARY;
	err[0] = '\0';
	if (pipe2(in, O_CLOEXEC) < 0 || pipe2(out, O_CLOEXEC) < 0) {
		snprintf(err, errsz, "pipe: %s", strerror(errno));
		return -1;
	}
	pid = fork();
	if (pid < 0) {
		snprintf(err, errsz, "fork: %s", strerror(errno));
		close(in[0]); close(in[1]); close(out[0]); close(out[1]);
		return -1;
	}
	if (pid == 0) {
		dup2(in[0], 0);
		dup2(out[1], 1);
		dup2(out[1], 2);
		execl(path, path, "-t", "-i", (char *)NULL);
		fprintf(stderr, "cannot run %s: %s", path, strerror(errno));
		_exit(127);
	}
	/* The read end of its input stays open here until it has ended, so what
	 * it left unread can be counted (FIONREAD): a message written into the
	 * pipe is not yet a message the MTA had. */
	close(out[1]);
	fcntl(in[1], F_SETFL, O_NONBLOCK);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (;;) {
		struct pollfd fds[2] = { { .fd = out[0], .events = POLLIN }, { .fd = in[1], .events = POLLOUT } };
		long left = timeout_s * 1000L - ms_since(&t0);
		int nfds = in[1] >= 0 ? 2 : 1;

		if (left <= 0) {
			kill(pid, SIGKILL);
			killed = true;
			break;
		}
		if (poll(fds, (nfds_t)nfds, (int)left) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (nfds == 2 && (fds[1].revents & (POLLOUT | POLLERR | POLLHUP))) {
			ssize_t w = write(in[1], msg + sent, len - sent);

			if (w > 0)
				sent += (size_t)w;
			if (w < 0 && errno != EAGAIN && errno != EINTR)
				sent = len;   /* it stopped reading (EPIPE): its status says why */
			if (sent >= len) {
				close(in[1]);
				in[1] = -1;
			}
		}
		if (fds[0].revents & (POLLIN | POLLHUP | POLLERR)) {
			char buf[512];
			ssize_t r = read(out[0], buf, sizeof(buf));

			if (r <= 0)
				break;   /* it closed its output: it is exiting */
			if (said < sizeof(said_buf) - 1) {
				size_t k = (size_t)r < sizeof(said_buf) - 1 - said ? (size_t)r : sizeof(said_buf) - 1 - said;

				memcpy(said_buf + said, buf, k);
				said += k;
			}
		}
	}
	if (in[1] >= 0)
		close(in[1]);
	close(out[0]);
	said_buf[said] = '\0';
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	{
		int unread = 0;

		whole = sent >= len && ioctl(in[0], FIONREAD, &unread) == 0 && unread == 0;
		close(in[0]);
	}
	if (!killed && WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return 0;
	*failure = mta_failure_of(!killed && WIFEXITED(status), WIFEXITED(status) ? WEXITSTATUS(status) : -1, whole,
				  said_buf, reply, sizeof(reply));
	one_line(said_buf);
	if (killed || !WIFEXITED(status)) {
		snprintf(err, errsz, "%s%s%s %s after %ld ms%s%s%s", reply, reply[0] ? "; " : "", path,
			 killed ? "timed out" : "was killed", ms_since(&t0),
			 *failure == MTA_UNKNOWN ? " (outcome unknown: it had the whole message)"
						 : " (before it had the whole message)",
			 said ? ": " : "", said_buf);
	} else {
		const char *meaning = mta_exit_meaning(WEXITSTATUS(status));

		snprintf(err, errsz, "%s%s%s exited %d%s%s%s%s%s", reply, reply[0] ? "; " : "", path, WEXITSTATUS(status),
			 meaning ? " (" : "", meaning ? meaning : "", meaning ? ")" : "", said ? ": " : "", said_buf);
	}
	return -1;
}
