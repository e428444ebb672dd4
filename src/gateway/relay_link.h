/* relay_link.h - the console's line to ccterm-relayd (README "The relay"):
 * when the relay's socket answers, the console's notifications come from
 * it instead of from its own LISTEN. It says hello with the agent's login,
 * and is "ready" once the relay has LISTENed on every channel of that
 * agent; then notifications arrive as from the gateway. Lost (the relay
 * stopped, refused, or said nothing for RELAY_LINK_HELLO_MS), it tells so
 * and tries again every RELAY_LINK_RETRY_MS; a ready relay is pinged every
 * RELAY_LINK_PING_MS and one that does not answer within
 * RELAY_LINK_HELLO_MS (stopped, hung) is lost too. The console listens directly
 * meanwhile and comes back to the relay when it answers again. Never
 * blocks; driven by the console's one poll() loop. */
#ifndef CCTERM_RELAY_LINK_H
#define CCTERM_RELAY_LINK_H

#include <poll.h>
#include <stdbool.h>

#include "ccterm/notice.h"

#define RELAY_LINK_HELLO_MS 3000
#define RELAY_LINK_RETRY_MS 2000
#define RELAY_LINK_PING_MS 5000
#define RELAY_LINK_REFUSED_MS 30000

struct relay_link;

struct relay_hooks {
	void *arg;
	/* Ready, or told "resync": the state is to be read again. */
	void (*up)(void *arg);
	/* It was ready or being tried, and is not any more. */
	void (*down)(void *arg, const char *why);
	void (*notice)(void *arg, const struct notice *n);
};

/* A link to the socket at path, for login on database dbname (the relay
 * must say the same two). It tries at once. */
struct relay_link *relay_link_new(const char *path, const char *login, const char *dbname);
void relay_link_free(struct relay_link *rl);
void relay_link_set_hooks(struct relay_link *rl, const struct relay_hooks *hooks);

/* Notifications come through the relay. */
bool relay_link_ready(const struct relay_link *rl);
/* Connected and waiting for "ready". */
bool relay_link_trying(const struct relay_link *rl);

void relay_link_pollfd(struct relay_link *rl, struct pollfd *pfd);
int relay_link_timeout(struct relay_link *rl);
void relay_link_work(struct relay_link *rl, short revents);

#endif
