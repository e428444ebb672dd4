/* relay_db.c - the relay's one PostgreSQL connection: non-blocking connect
 * with backoff, a queue of commands sent one at a time (LISTEN a channel;
 * ask which channels a login may hear; the "resync" mark), and every
 * notification handed to the consoles. After a reconnect every channel in
 * use is LISTENed again, then the consoles are told "resync": what was
 * notified meanwhile is lost, and the tables are the truth. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libpq-fe.h>

#include "relayd.h"

#define RDB_CONNECT_MS 5000
#define RDB_BACKOFF_MIN_MS 100
#define RDB_BACKOFF_MAX_MS 5000

enum cmd_kind { CMD_LISTEN, CMD_CHANNELS, CMD_RESYNC };

struct cmd {
	enum cmd_kind kind;
	int chan;                   /* CMD_LISTEN */
	int slot;                   /* CMD_CHANNELS: the console asking, ... */
	unsigned gen;
	char login[RELAY_CHANNEL_MAX + 1];
};

enum link { LINK_DOWN, LINK_CONNECTING, LINK_UP };

static struct {
	const struct relay_opts *o;
	PGconn *conn;
	enum link link;
	PostgresPollingStatusType want;
	long long started_ms, retry_at_ms;
	int backoff_ms;
	bool was_up;                /* connected before: a reconnect resyncs */
	bool want_write;
	struct cmd *q;
	size_t head, count, cap;    /* q[head .. head+count) */
	bool inflight;              /* q[head] is sent */
	char (*names)[RELAY_CHANNEL_MAX + 1];   /* a CMD_CHANNELS reply */
	int nnames;
	bool failed;
} R;

static void lost(const char *why);

static void q_push(const struct cmd *c)
{
	if (R.head + R.count == R.cap) {
		if (R.head > 0) {
			memmove(R.q, R.q + R.head, R.count * sizeof(*R.q));
			R.head = 0;
		} else {
			size_t cap = R.cap ? R.cap * 2 : 64;
			struct cmd *nq = realloc(R.q, cap * sizeof(*nq));

			if (!nq) {
				relay_log("out of memory: a database command is dropped");
				return;
			}
			R.q = nq;
			R.cap = cap;
		}
	}
	R.q[R.head + R.count++] = *c;
}

static void q_pop(void)
{
	R.head++;
	R.count--;
	R.inflight = false;
	if (!R.count)
		R.head = 0;
}

void rdb_listen(int c)
{
	struct channel *ch = chan_at(c);
	struct cmd cmd = { .kind = CMD_LISTEN, .chan = c };

	if (!ch || ch->st != CHAN_NONE || R.link != LINK_UP)
		return;   /* done, on its way, or LISTENed at the connect */
	ch->st = CHAN_PENDING;
	q_push(&cmd);
}

void rdb_ask_channels(int slot, unsigned gen, const char *login)
{
	struct cmd cmd = { .kind = CMD_CHANNELS, .slot = slot, .gen = gen };

	if (R.link != LINK_UP)
		return;   /* asked at the connect (clients_requery) */
	snprintf(cmd.login, sizeof(cmd.login), "%s", login);
	q_push(&cmd);
}

bool rdb_up(void)
{
	return R.link == LINK_UP;
}

const char *rdb_dbname(void)
{
	const char *db = R.conn && R.link == LINK_UP ? PQdb(R.conn) : NULL;

	return db ? db : "";
}

/* The server's notices (and the FATAL of a terminated connection) go to
 * the log like everything else. */
static void notice_log(void *arg, const char *message)
{
	char line[256];

	(void)arg;
	snprintf(line, sizeof(line), "%s", message);
	line[strcspn(line, "\n")] = '\0';
	relay_log("PostgreSQL says: %s", line);
}

static void connect_start(void)
{
	static const char *const keys[] = {
		"connect_timeout", "keepalives", "keepalives_idle", "keepalives_interval", "keepalives_count",
		"tcp_user_timeout", "dbname", "application_name", NULL,
	};
	const char *values[] = { "5", "1", "10", "5", "3", "20000", R.o->conninfo, "ccterm-relayd", NULL };

	R.conn = PQconnectStartParams(keys, values, 1);
	R.started_ms = relay_now_ms();
	if (!R.conn || PQstatus(R.conn) == CONNECTION_BAD) {
		lost(R.conn ? PQerrorMessage(R.conn) : "out of memory");
		return;
	}
	PQsetNoticeProcessor(R.conn, notice_log, NULL);
	R.link = LINK_CONNECTING;
	R.want = PGRES_POLLING_WRITING;
}

/* Connected: every channel in use LISTENed again, every hello asked again,
 * then (after a reconnect) the consoles resync. */
static void connected(void)
{
	R.link = LINK_UP;
	R.backoff_ms = RDB_BACKOFF_MIN_MS;
	relay_log("connected to PostgreSQL%s", R.was_up ? " again: consoles resync" : "");
	for (int c = 0; c < chan_count(); c++)
		if (chan_at(c)->subs > 0)
			rdb_listen(c);
	clients_requery();
	if (R.was_up) {
		struct cmd cmd = { .kind = CMD_RESYNC };

		q_push(&cmd);
	}
	R.was_up = true;
}

static void lost(const char *why)
{
	char line[256];

	snprintf(line, sizeof(line), "%s", why && *why ? why : "connection lost");
	line[strcspn(line, "\n")] = '\0';
	if (R.link != LINK_DOWN || R.conn)
		relay_log("PostgreSQL: %s; again in %d ms", line, R.backoff_ms);
	if (R.conn)
		PQfinish(R.conn);
	R.conn = NULL;
	R.link = LINK_DOWN;
	R.want_write = false;
	R.retry_at_ms = relay_now_ms() + R.backoff_ms;
	R.backoff_ms = R.backoff_ms * 2 > RDB_BACKOFF_MAX_MS ? RDB_BACKOFF_MAX_MS : R.backoff_ms * 2;
	R.head = R.count = 0;
	R.inflight = false;
	R.nnames = 0;
	R.failed = false;
	for (int c = 0; c < chan_count(); c++)
		chan_at(c)->st = CHAN_NONE;
}

void rdb_init(const struct relay_opts *o)
{
	memset(&R, 0, sizeof(R));
	R.o = o;
	R.backoff_ms = RDB_BACKOFF_MIN_MS;
	R.names = calloc(RELAY_CLIENT_CHANNELS, sizeof(*R.names));
	connect_start();
}

void rdb_close(void)
{
	if (R.conn)
		PQfinish(R.conn);
	free(R.q);
	free(R.names);
	memset(&R, 0, sizeof(R));
}

static void flush(void)
{
	int rc = PQflush(R.conn);

	if (rc < 0)
		lost(PQerrorMessage(R.conn));
	else
		R.want_write = rc == 1;
}

/* Sends the next command when none is on its way. */
static void send_next(void)
{
	while (R.link == LINK_UP && R.count && !R.inflight) {
		struct cmd *c = &R.q[R.head];
		int ok;

		if (c->kind == CMD_RESYNC) {
			q_pop();
			clients_resync();
			continue;
		}
		if (c->kind == CMD_LISTEN) {
			struct channel *ch = chan_at(c->chan);
			char *ident = PQescapeIdentifier(R.conn, ch->name, strlen(ch->name));
			char sql[160];

			if (!ident) {
				lost(PQerrorMessage(R.conn));
				return;
			}
			snprintf(sql, sizeof(sql), "listen %s", ident);
			PQfreemem(ident);
			ok = PQsendQuery(R.conn, sql);
		} else {
			const char *p[1] = { c->login };

			R.nnames = 0;
			R.failed = false;
			ok = PQsendQueryParams(R.conn, "select relay_channels($1)", 1, NULL, p, NULL, NULL, 0);
		}
		if (!ok) {
			lost(PQerrorMessage(R.conn));
			return;
		}
		R.inflight = true;
		flush();
	}
}

static void take_result(PGresult *res)
{
	struct cmd *c = &R.q[R.head];
	ExecStatusType st = PQresultStatus(res);

	if (st != PGRES_TUPLES_OK && st != PGRES_COMMAND_OK) {
		char msg[256];

		snprintf(msg, sizeof(msg), "%s", PQresultErrorMessage(res));
		msg[strcspn(msg, "\n")] = '\0';
		relay_log("PostgreSQL refused %s: %s", c->kind == CMD_LISTEN ? "a LISTEN" : "relay_channels()", msg);
		R.failed = true;
		return;
	}
	if (c->kind != CMD_CHANNELS)
		return;
	for (int i = 0; i < PQntuples(res); i++) {
		if (R.nnames == RELAY_CLIENT_CHANNELS) {
			relay_log("login %s has more than %d channels: the rest are not relayed", c->login,
				  RELAY_CLIENT_CHANNELS);
			break;
		}
		snprintf(R.names[R.nnames++], RELAY_CHANNEL_MAX + 1, "%s", PQgetvalue(res, i, 0));
	}
}

/* The command on its way is done (all its results are in). */
static void command_done(void)
{
	struct cmd c = R.q[R.head];

	q_pop();
	if (c.kind == CMD_LISTEN) {
		struct channel *ch = chan_at(c.chan);

		/* A refused LISTEN is tried again with the next console. */
		ch->st = R.failed ? CHAN_NONE : CHAN_ACTIVE;
		if (!R.failed)
			clients_listened();
	} else if (c.kind == CMD_CHANNELS) {
		clients_channels(c.slot, c.gen, R.names, R.nnames, R.failed);
	}
	R.failed = false;
}

static void take_input(void)
{
	PGnotify *n;

	if (!PQconsumeInput(R.conn)) {
		lost(PQerrorMessage(R.conn));
		return;
	}
	while (R.inflight && !PQisBusy(R.conn)) {
		PGresult *res = PQgetResult(R.conn);

		if (!res) {
			command_done();
			continue;
		}
		take_result(res);
		PQclear(res);
	}
	while ((n = PQnotifies(R.conn))) {
		clients_notify(n->relname, n->extra);
		PQfreemem(n);
	}
	if (PQstatus(R.conn) != CONNECTION_OK)
		lost(PQerrorMessage(R.conn));
}

void rdb_pollfd(struct pollfd *pfd)
{
	pfd->fd = R.conn && R.link != LINK_DOWN ? PQsocket(R.conn) : -1;
	pfd->revents = 0;
	if (R.link == LINK_CONNECTING)
		pfd->events = R.want == PGRES_POLLING_READING ? POLLIN : POLLOUT;
	else
		pfd->events = POLLIN | (R.want_write ? POLLOUT : 0);
}

int rdb_timeout(long long now)
{
	long long due = R.link == LINK_DOWN ? R.retry_at_ms :
			R.link == LINK_CONNECTING ? R.started_ms + RDB_CONNECT_MS : -1;

	if (due < 0)
		return -1;
	return due <= now ? 0 : (int)(due - now);
}

void rdb_work(short revents, long long now)
{
	switch (R.link) {
	case LINK_DOWN:
		if (now >= R.retry_at_ms)
			connect_start();
		break;
	case LINK_CONNECTING:
		if (revents) {
			R.want = PQconnectPoll(R.conn);
			if (R.want == PGRES_POLLING_FAILED)
				lost(PQerrorMessage(R.conn));
			else if (R.want == PGRES_POLLING_OK) {
				if (PQsetnonblocking(R.conn, 1) != 0)
					lost(PQerrorMessage(R.conn));
				else
					connected();
			}
		} else if (now - R.started_ms >= RDB_CONNECT_MS) {
			lost("connecting timed out");
		}
		break;
	case LINK_UP:
		if (revents & POLLOUT)
			flush();
		if (R.link == LINK_UP && (revents & (POLLIN | POLLERR | POLLHUP)))
			take_input();
		break;
	}
	send_next();
}
