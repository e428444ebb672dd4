/* headless.c - ccterm --headless (headless.h): the same desk, gateway and
 * relay link as the screen, in the same kind of loop, with nothing drawn. */
#include "config.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "desk/desk.h"
#include "gateway/gateway.h"
#include "gateway/relay_link.h"
#include "headless.h"

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

/* No screen to keep: an offer may always pop. */
static bool may_pop(void *ui)
{
	(void)ui;
	return true;
}

static void on_events(struct desk *d, unsigned ev)
{
	if (ev & DESK_POPPED) {
		struct timespec ts;

		clock_gettime(CLOCK_REALTIME, &ts);
		printf("pop %lld %lld %s\n", d->call.id, (long long)ts.tv_sec * 1000000 + ts.tv_nsec / 1000,
		       relay_link_ready(d->relay) ? "relay" : "direct");
		fflush(stdout);
	}
	if ((ev & DESK_OFFERED) && d->npending && !d->taking)
		desk_take_call(d);
}

/* Says how notifications come when that changes: "listening relay" or
 * "listening direct" (the benchmark waits for it). */
static void say_mode(const struct desk *d, const char **said)
{
	const char *mode = relay_link_ready(d->relay) ? "relay" : d->listening_direct ? "direct" : NULL;

	if (mode && mode != *said) {
		printf("listening %s\n", mode);
		fflush(stdout);
	}
	if (mode)
		*said = mode;
}

int headless_run(struct gateway *gw, struct desk *d)
{
	struct sigaction sa;
	const char *said = NULL;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	d->may_pop = may_pop;
	d->ui = NULL;
	desk_attach_relay(d, d->relay);
	desk_attach(d, gw);
	while (!stop) {
		struct pollfd fds[2];
		int timeout = 1000, t;

		desk_tick(d);
		on_events(d, desk_events(d));
		say_mode(d, &said);
		t = gateway_timeout(gw);
		if (t >= 0 && t < timeout)
			timeout = t;
		t = relay_link_timeout(d->relay);
		if (t >= 0 && t < timeout)
			timeout = t;
		if (desk_sync_pending(d) && timeout > JOURNAL_SYNC_MS)
			timeout = JOURNAL_SYNC_MS;
		gateway_pollfd(gw, &fds[0]);
		relay_link_pollfd(d->relay, &fds[1]);
		if (poll(fds, 2, timeout) < 0 && errno != EINTR)
			break;
		gateway_work(gw, fds[0].fd >= 0 ? fds[0].revents : 0);
		relay_link_work(d->relay, fds[1].fd >= 0 ? fds[1].revents : 0);
		desk_sync(d, false);
	}
	desk_sync(d, true);
	desk_quit(d, "exit", 2000);
	return 0;
}
