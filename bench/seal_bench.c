/* seal_bench.c - what sealing the pop into the offer's notification
 * (sql/repeatable/33_pop_seal.sql) costs the CTI: the time of the CTI's
 * call_arrive() (autocommit: the offer, its audit row, its notifications
 * and the commit), the pop prepared before it in a transaction of its own
 * as ccterm-cti does, with settings 'pop_sealed' on and off, call by call
 * in turn. The CTI is a login of ccterm_cti (no superuser); the agent has
 * --sessions console sessions and a connection listening on its channel,
 * drained after each call (and the sealed payloads counted: a run whose
 * "on" calls were not sealed says so and fails).
 *
 *   bench/seal_bench [--calls N] [--sessions S]   (libpq environment: the
 *   superuser on a migrated database with customers, e.g. demo-data)
 */
#include "config.h"

#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>

#include "ccterm/admin.h"
#include "ccterm/db.h"
#include "bench.h"
#include "series.h"

#define AGENT "seal_bench_agent"
#define CTI "seal_bench_cti"
#define BRANCH "CALL"

static struct db *db;      /* superuser: set-up */
static PGconn *cti, *listener;

static void cleanup(void *arg)
{
	(void)arg;
	if (db) {
		db_exec(db, "delete from settings where key = 'pop_sealed'", 0, NULL);
		db_exec(db, "delete from console_session where login = '" AGENT "'", 0, NULL);
	}
}

static PGconn *connect_as(const char *user)
{
	const char *keys[] = { "host", "port", "dbname", "user", "application_name", NULL };
	const char *vals[] = { PQhost(db_pg(db)), PQport(db_pg(db)), PQdb(db_pg(db)), user, "seal_bench", NULL };
	PGconn *c = PQconnectdbParams(keys, vals, 0);

	if (PQstatus(c) != CONNECTION_OK)
		bench_die("connect as %s: %s", user, PQerrorMessage(c));
	PQsetNoticeProcessor(c, bench_notice_quiet, NULL);
	return c;
}

/* Reads the listener's notifications up to the hang-up's "call <id> abandoned"
 * (waiting for it at most 2 s): the number of sealed offers and their bytes. */
static int drain(const char *id, long long *bytes)
{
	char last[48];
	int sealed = 0, done = 0;

	snprintf(last, sizeof(last), "call %s ", id);
	for (int waits = 0; !done && waits < 40; waits++) {
		struct pollfd pfd = { .fd = PQsocket(listener), .events = POLLIN };
		PGnotify *n;

		if (!PQconsumeInput(listener))
			bench_die("listener: %s", PQerrorMessage(listener));
		while ((n = PQnotifies(listener))) {
			if (strstr(n->extra, " offered pop ")) {
				sealed++;
				*bytes += (long long)strlen(n->extra);
			}
			done |= strncmp(n->extra, last, strlen(last)) == 0 && !strstr(n->extra, " offered");
			PQfreemem(n);
		}
		if (!done)
			poll(&pfd, 1, 50);
	}
	if (!done)
		bench_die("the listener got no \"%s...\" but an offer", last);
	return sealed;
}

int main(int argc, char **argv)
{
	int calls = 2000, sessions = 1, sealed_on = 0, sealed_off = 0;
	long long bytes = 0;
	char err[512], load0[128], load1[128];
	struct series on, off;
	PGresult *res;
	int nphones;

	bench_on_die("seal_bench", cleanup, NULL);
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--calls") == 0 && i + 1 < argc)
			calls = bench_int_arg("--calls", argv[++i], 2);
		else if (strcmp(argv[i], "--sessions") == 0 && i + 1 < argc)
			sessions = bench_int_arg("--sessions", argv[++i], 1);
		else
			bench_die("usage: seal_bench [--calls N] [--sessions S]");
	}
	db = db_open(NULL, err, sizeof(err));
	if (!db)
		bench_die("%s", err);
	db_quiet_notices(db);
	res = bench_query(db_pg(db), "select 1 from pg_proc where proname = 'pop_seal_offer'", 0, NULL);
	if (PQntuples(res) == 0)
		bench_die("database %s is not migrated with the sealed pop (ccterm-admin migrate)", PQdb(db_pg(db)));
	PQclear(res);
	res = bench_query(db_pg(db), "select 1 from branch where code = '" BRANCH "'", 0, NULL);
	if (PQntuples(res) == 0 && admin_branch_add(db, BRANCH, "콜센터", "서울") < 0)
		bench_die("branch add: %s", db_error(db));
	PQclear(res);
	{
		struct agent_spec a = { .login = AGENT, .name = "Seal Bench", .branch = BRANCH, .role = "agent" };

		if (admin_agent_add(db, &a) < 0)
			bench_die("agent add: %s", db_error(db));
	}
	bench_exec(db_pg(db), "do $$ begin create role " CTI " login; exception when duplicate_object then null; end $$", 0,
		   NULL);
	bench_exec(db_pg(db), "grant ccterm_cti to " CTI, 0, NULL);
	bench_exec(db_pg(db), "update call set state = 'ended', ended_at = now() "
			      "where agent_login = '" AGENT "' and state in ('offered', 'answered')", 0, NULL);
	bench_exec(db_pg(db), "delete from console_session where login = '" AGENT "'", 0, NULL);
	for (int s = 0; s < sessions; s++)
		bench_exec(db_pg(db), "insert into console_session (login) values ('" AGENT "')", 0, NULL);
	cti = connect_as(CTI);
	listener = connect_as(AGENT);
	PQclear(bench_query(listener, "listen agent_" AGENT, 0, NULL));

	/* callers with a number of their own (their pop can be sealed) */
	res = bench_query(db_pg(db),
		"select cp.value from contact_point cp join customer_contact cc on cc.contact_point_id = cp.id "
		"where cp.kind = 'phone' group by cp.value having count(*) = 1 order by min(cc.customer_id) limit 500",
		0, NULL);
	nphones = PQntuples(res);
	if (nphones == 0)
		bench_die("no customer with a number of their own: load data first (ccterm-admin demo-data)");
	series_init(&on, "sealed on", (size_t)calls);
	series_init(&off, "sealed off", (size_t)calls);
	bench_loadavg(load0, sizeof(load0));
	for (int i = 0; i < calls + 20; i++) {
		int sealed = i % 2 == 0;
		const char *phone = PQgetvalue(res, i % nphones, 0);
		const char *p[2] = { phone, AGENT };
		PGresult *r;
		double t0, t1;
		char id[24];
		const char *hp[1] = { id };

		bench_exec(db_pg(db), sealed ? "delete from settings where key = 'pop_sealed'"
					     : "insert into settings (key, value) values ('pop_sealed', 'off') "
					       "on conflict (key) do update set value = 'off'", 0, NULL);
		PQclear(bench_query(cti, "select pop_prepare($1)", 1, p));
		t0 = now_ms();
		r = bench_query(cti, "select call_arrive($1, $1, '+8215881234', null, $2)", 2, p);
		t1 = now_ms();
		snprintf(id, sizeof(id), "%s", PQgetvalue(r, 0, 0));
		PQclear(r);
		bench_exec(cti, "select call_hangup($1::bigint)", 1, hp);
		{
			int got = drain(id, &bytes);

			if (i >= 20) {
				series_add(sealed ? &on : &off, t1 - t0);
				if (sealed)
					sealed_on += got;
				else
					sealed_off += got;
			}
		}
	}
	bench_loadavg(load1, sizeof(load1));
	PQclear(res);

	printf("seal_bench: %d calls (%d sealed on, %d off, in turn), %d console session%s, %d callers\n", calls,
	       (int)on.n, (int)off.n, sessions, sessions == 1 ? "" : "s", nphones);
	printf("  call_arrive as the CTI (ms):      n     p50     p90     p99     max\n");
	series_print(&on, 30);
	series_print(&off, 30);
	printf("  sealed notifications: %d on (%.1f a call, %lld bytes each on average), %d off\n", sealed_on,
	       on.n ? (double)sealed_on / (double)on.n : 0.0, sealed_on ? bytes / sealed_on : 0, sealed_off);
	printf("  load average before: %s\n  load average after:  %s\n", load0, load1);
	if (sealed_off != 0 || sealed_on < (int)on.n * sessions * 9 / 10)
		bench_die("the calls with the seal on were not all sealed, or those with it off were");
	cleanup(NULL);
	PQfinish(cti);
	PQfinish(listener);
	db_close(db);
	db = NULL;
	return 0;
}
