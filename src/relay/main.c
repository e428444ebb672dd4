/* ccterm-relayd - one per host: one PostgreSQL connection LISTENs for the
 * consoles of the host and fans their notifications out over a UNIX
 * socket (README "The relay"). On PostgreSQL <= 18 every NOTIFY wakes every
 * listening backend: with a relay per host the server has one listener a
 * host instead of one a console. */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "ccterm/relay_path.h"
#include "relayd.h"

static const char usage[] =
	"usage: ccterm-relayd [-d CONNINFO] [-s PATH] [--map FILE] [--buffer BYTES]\n"
	"                     [--max-clients N] [--max-per-uid N] [-v]\n"
	"  -d, --dbname CONNINFO  PostgreSQL connection (else PGHOST, PGDATABASE, PGUSER ...), as a\n"
	"                         login of the group ccterm_relay\n"
	"  -s, --socket PATH      the consoles' socket (else $CCTERM_RELAY, else " RELAY_SYSTEM_PATH "\n"
	"                         as root, else $XDG_RUNTIME_DIR/" RELAY_USER_NAME ")\n"
	"      --map FILE         \"UID-or-USER LOGIN\" lines: whose console is whose (else the\n"
	"                         connecting uid's user name is the agent's login)\n"
	"      --buffer BYTES     what may wait for one console before it is dropped (65536)\n"
	"      --max-clients N    consoles at once (4096)\n"
	"      --max-per-uid N    consoles of one uid at once (16)\n"
	"  -v, --verbose          log every console that comes and goes\n"
	"      --help, --version\n";

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

long long relay_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void relay_log(const char *fmt, ...)
{
	char stamp[32];
	struct timespec ts;
	struct tm tm;
	va_list ap;

	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	strftime(stamp, sizeof(stamp), "%Y-%m-%d %H:%M:%S", &tm);
	fprintf(stderr, "%s.%03ldZ ccterm-relayd: ", stamp, ts.tv_nsec / 1000000);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

/* The socket: a stale one (nobody answers on it) is replaced; one a live
 * relay answers on is not. Mode 0666: who may do what is SO_PEERCRED's. */
static int socket_open(const char *path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd;

	if (strlen(path) >= sizeof(sa.sun_path)) {
		fprintf(stderr, "ccterm-relayd: socket path too long: %s\n", path);
		return -1;
	}
	strcpy(sa.sun_path, path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0) {
		fprintf(stderr, "ccterm-relayd: a relay already answers on %s\n", path);
		close(fd);
		return -1;
	}
	close(fd);
	unlink(path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 || chmod(path, 0666) < 0 ||
	    listen(fd, 512) < 0) {
		fprintf(stderr, "ccterm-relayd: %s: %s\n", path, strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	return fd;
}

/* A console is a descriptor: as many as the hard limit allows. */
static void files_raise(int want)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < (rlim_t)want) {
		rl.rlim_cur = rl.rlim_max < (rlim_t)want ? rl.rlim_max : (rlim_t)want;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
}

static int parse_count(const char *s, const char *what, long min)
{
	char *end;
	long v = strtol(s, &end, 10);

	if (*s == '\0' || *end || v < min || v > 1L << 30) {
		fprintf(stderr, "ccterm-relayd: %s: not a number >= %ld: %s\n", what, min, s);
		exit(2);
	}
	return (int)v;
}

/* SIGTERM and SIGINT are blocked but while the loop sleeps: one that comes
 * while the loop works waits and ends the next sleep at once. With plain
 * poll() and the signals open, one that came after the loop had looked at
 * `stop` and before it slept was lost, and the relay slept on for ever
 * when nothing else woke it (every console ready, no deadline): the
 * intermittent hang of check_relay (issue 13). */
static sigset_t sleep_mask;

static void signals_block(void)
{
	sigset_t block;

	sigemptyset(&block);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGINT);
	sigprocmask(SIG_BLOCK, &block, &sleep_mask);
	sigdelset(&sleep_mask, SIGTERM);
	sigdelset(&sleep_mask, SIGINT);
}

/* poll() that a stop signal interrupts, wherever it came. */
static int sleep_poll(struct pollfd *fds, nfds_t n, int timeout_ms)
{
	struct timespec ts = { .tv_sec = timeout_ms / 1000, .tv_nsec = (long)(timeout_ms % 1000) * 1000000 };

	return ppoll(fds, n, timeout_ms < 0 ? NULL : &ts, &sleep_mask);
}

static int run(int lfd, const struct relay_opts *o)
{
	int max = o->max_clients + 2;
	struct pollfd *fds = calloc((size_t)max, sizeof(*fds));
	int *slot = calloc((size_t)max, sizeof(*slot));

	if (!fds || !slot) {
		fprintf(stderr, "ccterm-relayd: out of memory\n");
		free(fds);
		free(slot);
		return 1;
	}
	while (!stop) {
		long long now = relay_now_ms();
		int n, timeout = clients_expire(now), t = rdb_timeout(now);

		if (t >= 0 && (timeout < 0 || t < timeout))
			timeout = t;
		fds[0] = (struct pollfd){ .fd = lfd, .events = POLLIN };
		rdb_pollfd(&fds[1]);
		n = 2 + clients_pollfds(fds + 2, slot + 2, max - 2);
		if (sleep_poll(fds, (nfds_t)n, timeout) < 0) {
			if (errno == EINTR)
				continue;
			relay_log("poll: %s", strerror(errno));
			break;
		}
		now = relay_now_ms();
		rdb_work(fds[1].fd >= 0 ? fds[1].revents : 0, now);
		for (int i = 2; i < n; i++)
			if (fds[i].revents)
				clients_work(slot[i], fds[i].revents);
		if (fds[0].revents & POLLIN)
			clients_accept(lfd);
		rdb_work(0, now);   /* what the consoles asked goes out */
	}
	free(fds);
	free(slot);
	return 0;
}

int main(int argc, char **argv)
{
	static const struct option longs[] = {
		{ "dbname", required_argument, NULL, 'd' },
		{ "socket", required_argument, NULL, 's' },
		{ "map", required_argument, NULL, 'm' },
		{ "buffer", required_argument, NULL, 'b' },
		{ "max-clients", required_argument, NULL, 'c' },
		{ "max-per-uid", required_argument, NULL, 'u' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	struct relay_opts o = { .out_max = 65536, .max_clients = 4096, .max_per_uid = 16 };
	const char *socket_arg = NULL;
	struct sigaction sa;
	int opt, lfd, rc;

	while ((opt = getopt_long(argc, argv, "d:s:v", longs, NULL)) != -1) {
		switch (opt) {
		case 'd': o.conninfo = optarg; break;
		case 's': socket_arg = optarg; break;
		case 'm': o.map_path = optarg; break;
		case 'b': o.out_max = (size_t)parse_count(optarg, "--buffer", RELAY_LINE_MAX + 1); break;
		case 'c': o.max_clients = parse_count(optarg, "--max-clients", 1); break;
		case 'u': o.max_per_uid = parse_count(optarg, "--max-per-uid", 1); break;
		case 'v': o.verbose = true; break;
		case 'h': fputs(usage, stdout); return 0;
		case 'V': printf("ccterm-relayd %s\n", PACKAGE_VERSION); return 0;
		default: fputs(usage, stderr); return 2;
		}
	}
	if (optind < argc) {
		fputs(usage, stderr);
		return 2;
	}
	if (relay_path_server(socket_arg, o.socket_path, sizeof(o.socket_path)) < 0) {
		fprintf(stderr, "ccterm-relayd: no socket path: give -s PATH (or set CCTERM_RELAY or XDG_RUNTIME_DIR)\n");
		return 2;
	}
	if (peer_map_load(o.map_path) < 0)
		return 2;
	files_raise(o.max_clients + 64);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	signals_block();
	lfd = socket_open(o.socket_path);
	if (lfd < 0)
		return 1;
	relay_log("listening on %s", o.socket_path);
	clients_init(&o);
	rdb_init(&o);
	rc = run(lfd, &o);
	close(lfd);
	unlink(o.socket_path);
	clients_close_all();
	rdb_close();
	chan_free_all();
	relay_log("stopped");
	return rc;
}
