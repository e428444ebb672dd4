/* relayd.h - what ccterm-relayd's files share (main.c: options and the poll
 * loop; relay_db.c: the one PostgreSQL connection; relay_clients.c: the
 * consoles on the socket; relay_peer.c: who a connecting uid is; and
 * relay_channels.c: the channels LISTENed). One thread, one poll(). */
#ifndef CCTERM_RELAYD_H
#define CCTERM_RELAYD_H

#include <poll.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "ccterm/relay_proto.h"

#define RELAY_CLIENT_CHANNELS 64    /* an agent's own channel, its queues, the floor */
#define RELAY_HELLO_MS 10000        /* a console says hello within this, or is dropped */
#define RELAY_MAX_ERRORS 16         /* bad lines before a console is dropped */

struct relay_opts {
	const char *conninfo;       /* NULL: the libpq environment */
	char socket_path[108];
	const char *map_path;       /* NULL: the uid's user name is the login */
	size_t out_max;             /* a console's output buffer, bytes */
	int max_clients, max_per_uid;
	bool verbose;
};

/* --- the channels (relay_channels.c) ------------------------------------- */

enum chan_state { CHAN_NONE, CHAN_PENDING, CHAN_ACTIVE };

struct channel {
	char name[RELAY_CHANNEL_MAX + 1];
	enum chan_state st;
	int subs;                   /* consoles subscribed */
};

/* The index of a channel, made (CHAN_NONE) when new; -1 when out of memory. */
int chan_find(const char *name, bool make);
struct channel *chan_at(int i);
int chan_count(void);
void chan_free_all(void);

/* --- the consoles (relay_clients.c) -------------------------------------- */

enum client_state {
	CL_NEW,          /* connected, no hello yet */
	CL_QUERY,        /* hello: its channels are being asked of the database */
	CL_LISTEN,       /* its channels known, some LISTEN not done yet */
	CL_READY,        /* told "ready": gets its notifications */
};

struct client {
	int fd;
	unsigned gen;               /* told apart from an earlier client of the slot */
	uid_t uid;
	char login[RELAY_CHANNEL_MAX + 1];   /* "" when the uid maps to none */
	enum client_state st;
	int chans[RELAY_CLIENT_CHANNELS], nchans;
	char in[RELAY_IN_MAX];
	size_t inlen;
	char *out;
	size_t outlen, outcap;
	int errors;
	long long since_ms;
};

void clients_init(const struct relay_opts *o);
/* A connection accepted on the socket. */
void clients_accept(int listen_fd);
int clients_count(void);
/* The poll() entries: fills up to max from fds, returns how many; slot[i]
 * is the client of fds[i]. */
int clients_pollfds(struct pollfd *fds, int *slot, int max);
void clients_work(int slot, short revents);
/* Drops consoles that never said hello in time; the ms to the next such. */
int clients_expire(long long now_ms);
/* A notification from the database to every console on its channel. */
void clients_notify(const char *channel, const char *payload);
/* Every ready console is told "resync". */
void clients_resync(void);
/* The channels of a hello are in (the database answered): n names, or
 * failed. */
void clients_channels(int slot, unsigned gen, char names[][RELAY_CHANNEL_MAX + 1], int n, bool failed);
/* A LISTEN is done: consoles whose every channel is active are told ready. */
void clients_listened(void);
/* The database is back: every hello not answered yet is asked again. */
void clients_requery(void);
void clients_close_all(void);
struct client *client_at(int slot);

/* --- the database (relay_db.c) ------------------------------------------- */

void rdb_init(const struct relay_opts *o);
void rdb_close(void);
/* Queue a LISTEN of channel index c; the channels of a console's login. */
void rdb_listen(int c);
void rdb_ask_channels(int slot, unsigned gen, const char *login);
bool rdb_up(void);
/* The database's name, told with "ready" (a console checks it is its own). */
const char *rdb_dbname(void);
void rdb_pollfd(struct pollfd *pfd);
int rdb_timeout(long long now_ms);
void rdb_work(short revents, long long now_ms);

/* --- who connects (relay_peer.c) ----------------------------------------- */

/* Reads the map file (NULL: none). 0, or -1 with a message on stderr. */
int peer_map_load(const char *path);
/* The login of uid, into out (64 bytes); false when none. */
bool peer_login(uid_t uid, char *out, size_t size);

/* --- main.c -------------------------------------------------------------- */

long long relay_now_ms(void);
void relay_log(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
