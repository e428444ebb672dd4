/* pop_bench.c - the screen pop end to end: from the commit of the CTI's call
 * to the caller drawn on the agent's terminal, next to the floor of the same
 * statements over raw libpq, in the same run, on the same data.
 *
 * The console is the real ccterm in a pty (tests/screen/vt.c reads its
 * screen through libvterm), logged in as the agent bench_agent. For each
 * call: commit call_arrive() for a customer with one phone nobody else has,
 * t0 when PQexec returns, t1 when the terminal shows the contact form of
 * that call: "NAME [tier]" and "ANI 010-...". The floor: a second connection
 * (agent bench_floor) LISTENs, commits call_arrive() the same way, waits on
 * its socket for the notification and runs the console's screen_pop()
 * statement: t1 when the result is in hand. See bench/README.md.
 *
 * Each is measured twice in the same run: "live", the CTI committing
 * call_arrive() alone (screen_pop builds every section), and "prepared", the
 * CTI's own path (as db_call_arrive: pop_prepare() in a transaction of its
 * own, then call_arrive(), pipelined; screen_pop serves the prepared rows,
 * 32_prepared_pop.sql). The CTI side's cost is the difference of the two
 * call_arrive round trips, and pop_prepare's own server time. A prepared
 * offer carries its pop sealed for the console's session (33_pop_seal.sql),
 * which draws it with no round trip; --seal off turns that off for the run
 * (settings 'pop_sealed'), so the console reads screen_pop as the floor does. */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <getopt.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <libpq-fe.h>

#include "ccterm/admin.h"
#include "ccterm/agent_event.h"
#include "ccterm/db.h"
#include "ccterm/phone.h"
#include "bench.h"
#include "bench_console.h"
#include "series.h"

#define AGENT "bench_agent"
#define FLOOR_AGENT "bench_floor"
#define AGENT_BRANCH "CALL"
#define DNIS "+8215881234"
#define ROWS 24
#define COLS 80
#define TARGET_P99_MS 5.0
#define TARGET_RATIO 3.0

/* The console's own pop statement (src/db/pop.c), so the floor runs the same. */
#define POP_SQL "select section, f1, f2, f3, f4, f5, f6, f7, f8, f9, f10, f11, f12 from screen_pop($1::bigint)"
#define ARRIVE_SQL "select call_arrive($1, $1, '" DNIS "', null, $2)"
#define PREPARE_SQL "select pop_prepare($1)"
#define HANGUP_SQL "update call set state = 'ended', ended_at = now() where id = $1::bigint"

struct opts {
	int calls;
	int warmup;
	int explain;        /* calls whose screen_pop is run under EXPLAIN ANALYZE */
	int gap_ms;         /* from one console pop to the next */
	int timeout_ms;     /* one pop at most */
	int seed;
	bool seal;          /* the prepared offers carry their pop sealed */
	const char *conninfo;
	const char *ccterm;
};

struct sample {
	long long id;
	char name[256];
	char tier[16];
	char phone[32];     /* E.164 */
};

struct bench {
	struct opts o;
	struct db *db;          /* superuser: set-up and the CTI's call_arrive */
	PGconn *cti;            /* = db_pg(db) */
	PGconn *floor;          /* bench_floor: LISTEN + screen_pop */
	struct vt *vt;
	char tmpdir[64];
	struct sample *s;
	size_t ns, next;
	long long *calls;       /* every call made, hung up at the end */
	size_t ncalls, capcalls;
	struct series arrive, console, notified, floor_total, floor_pop, server, raw;
	/* the same, the pop prepared when the call arrived */
	struct series arrive_prep, console_prep, notified_prep, floor_total_prep, floor_pop_prep, server_prep,
		server_prepare;
};


static void cleanup(struct bench *b);

/* ---- the database ------------------------------------------------------------------ */

static void remember_call(struct bench *b, long long id)
{
	if (b->ncalls == b->capcalls) {
		size_t cap = b->capcalls ? b->capcalls * 2 : 1024;
		long long *n = realloc(b->calls, cap * sizeof(*n));

		if (!n)
			bench_die("out of memory");
		b->calls = n;
		b->capcalls = cap;
	}
	b->calls[b->ncalls++] = id;
}

/* The CTI's call, live: call_arrive() alone, in autocommit, so PQexec
 * returns after the commit. A pop prepared for this customer before (a
 * customer drawn twice) is removed first, out of the timed part. */
static long long arrive(struct bench *b, const char *phone, const char *agent)
{
	const char *p[2] = { phone, agent };
	PGresult *res;
	long long id;

	bench_exec(b->cti, "delete from prepared_pop where customer_id in "
			   "(select c from customers_by_contact('phone', $1) c)", 1, p);
	res = bench_query(b->cti, ARRIVE_SQL, 2, p);
	id = atoll(PQgetvalue(res, 0, 0));
	PQclear(res);
	remember_call(b, id);
	return id;
}

/* The CTI's call as ccterm-cti makes it (db_call_arrive): the pop prepared,
 * then call_arrive(), each committed, in one round trip (db_query_after);
 * the sampled number is passed as it is, as ARRIVE_SQL passes it. */
static long long arrive_prepared(struct bench *b, const char *phone, const char *agent, double *ms)
{
	const char *p[2] = { phone, agent };
	struct db_request prepare;
	PGresult *res;
	long long id;
	double t0;

	bench_exec(b->cti, "delete from prepared_pop where customer_id in "
			   "(select c from customers_by_contact('phone', $1) c)", 1, p);
	db_request_init(&prepare, PREPARE_SQL);
	db_request_text(&prepare, phone);
	t0 = now_ms();
	res = db_query_after(b->db, &prepare, ARRIVE_SQL, 2, p);
	*ms = now_ms() - t0;
	if (!res)
		bench_die("call_arrive: %s", db_error(b->db));
	id = atoll(PQgetvalue(res, 0, 0));
	PQclear(res);
	remember_call(b, id);
	return id;
}

static void hang_up(struct bench *b, long long id)
{
	char v[24];
	const char *p[1] = { v };

	snprintf(v, sizeof(v), "%lld", id);
	bench_exec(b->cti, HANGUP_SQL, 1, p);
}

static void agent_ensure(struct bench *b, const char *login, const char *name)
{
	struct agent_spec a = { .login = login, .name = name, .branch = AGENT_BRANCH, .role = "agent" };

	if (admin_agent_add(b->db, &a) < 0)
		bench_die("agent add %s: %s", login, db_error(b->db));
}

static void setup_db(struct bench *b)
{
	char err[512];
	PGresult *res;
	const char *p[1] = { AGENT_BRANCH };

	b->db = db_open(b->o.conninfo, err, sizeof(err));
	if (!b->db)
		bench_die("%s", err);
	b->cti = db_pg(b->db);
	PQsetNoticeProcessor(b->cti, bench_notice_quiet, NULL);
	res = bench_query(b->cti, "select 1 from pg_proc where proname = 'screen_pop'", 0, NULL);
	if (PQntuples(res) == 0)
		bench_die("database %s is not migrated (ccterm-admin migrate)", PQdb(b->cti));
	PQclear(res);
	res = bench_query(b->cti, "select 1 from branch where code = $1", 1, p);
	if (PQntuples(res) == 0 && admin_branch_add(b->db, AGENT_BRANCH, "콜센터", "서울") < 0)
		bench_die("branch add: %s", db_error(b->db));
	PQclear(res);
	agent_ensure(b, AGENT, "Bench Agent");
	agent_ensure(b, FLOOR_AGENT, "Bench Floor");
	/* Calls left over by an interrupted run would pop first. */
	bench_exec(b->cti, "update call set state = 'ended', ended_at = now() "
			"where agent_login in ('" AGENT "', '" FLOOR_AGENT "') and state in ('offered', 'answered')",
	     0, NULL);
}

/* Customers with exactly one phone that no one else has, named plainly enough
 * to be found on the screen, in random order. */
static void sample_load(struct bench *b, size_t need)
{
	char seed[32], draw[32], lim[32];
	const char *p[2] = { draw, lim };
	PGresult *res;

	snprintf(seed, sizeof(seed), "%.6f", (double)(b->o.seed % 1000) / 1000.0);
	{
		const char *sp[1] = { seed };

		bench_exec(b->cti, "select setseed($1::float8)", 1, sp);
	}
	snprintf(draw, sizeof(draw), "%zu", need * 2 + 100);
	snprintf(lim, sizeof(lim), "%zu", need);
	res = bench_query(b->cti,
		"select c.id, c.name, c.tier, cp.value "
		"from (select distinct (1 + floor(random() * m.hi))::bigint as id "
		"      from (select max(id) as hi from customer) m, generate_series(1, $1::int)) r "
		"join customer c on c.id = r.id "
		"join customer_contact cc on cc.customer_id = c.id "
		"join contact_point cp on cp.id = cc.contact_point_id and cp.kind = 'phone' "
		"where (select count(*) from customer_contact x join contact_point y on y.id = x.contact_point_id "
		"       where x.customer_id = c.id and y.kind = 'phone') = 1 "
		"  and (select count(*) from customer_contact z where z.contact_point_id = cp.id) = 1 "
		"  and c.name ~ '^[[:alnum:] .가-힣-]{1,30}$' "
		"order by random() limit $2::int",
		2, p);
	b->ns = (size_t)PQntuples(res);
	if (b->ns == 0)
		bench_die("no customer with a phone of their own: load data first (ccterm-admin demo-data)");
	b->s = calloc(b->ns, sizeof(*b->s));
	if (!b->s)
		bench_die("out of memory");
	for (size_t i = 0; i < b->ns; i++) {
		struct sample *s = &b->s[i];

		s->id = atoll(PQgetvalue(res, (int)i, 0));
		snprintf(s->name, sizeof(s->name), "%s", PQgetvalue(res, (int)i, 1));
		snprintf(s->tier, sizeof(s->tier), "%s", PQgetvalue(res, (int)i, 2));
		snprintf(s->phone, sizeof(s->phone), "%s", PQgetvalue(res, (int)i, 3));
	}
	PQclear(res);
	if (b->ns < need)
		fprintf(stderr, "pop_bench: only %zu customers qualify for %zu calls: some are called twice\n",
			b->ns, need);
}

static const struct sample *sample_next(struct bench *b)
{
	return &b->s[b->next++ % b->ns];
}

static void setup_floor(struct bench *b)
{
	const char *keys[] = { "host", "port", "dbname", "user", "application_name", NULL };
	const char *vals[] = { PQhost(b->cti), PQport(b->cti), PQdb(b->cti), FLOOR_AGENT, "pop_bench floor", NULL };

	b->floor = PQconnectdbParams(keys, vals, 0);
	if (PQstatus(b->floor) != CONNECTION_OK)
		bench_die("connecting as %s: %s", FLOOR_AGENT, PQerrorMessage(b->floor));
	bench_exec(b->floor, "listen agent_" FLOOR_AGENT, 0, NULL);
	/* as the console does after every connect (the prepared rows are for its zone) */
	bench_exec(b->floor, "select session_use_center_timezone()", 0, NULL);
}

/* ---- the console ------------------------------------------------------------------- */

static void setup_console(struct bench *b)
{
	bench_tmpdir_make(b->tmpdir, sizeof(b->tmpdir), "bench");
	b->vt = bench_console(b->o.ccterm, b->cti, AGENT, PQdb(b->cti), b->tmpdir, ROWS, COLS);
	if (!vt_wait_for(b->vt, "Waiting for calls", 15000)) {
		vt_dump(b->vt, stderr);
		bench_die("%s did not come up as %s", b->o.ccterm, AGENT);
	}
}

/* Pump the terminal until both texts are on screen; the time they were seen, or < 0. */
static double wait_both(struct vt *vt, const char *a, const char *c, double deadline)
{
	for (;;) {
		double left;

		const char *both[] = { a, c };

		if (vt_find_all(vt, both, 2))
			return now_ms();
		left = deadline - now_ms();
		if (left <= 0 || vt_pump(vt, (int)left + 1) < 0)
			return -1;
	}
}

/* Keep reading the terminal until t (so the console never blocks on output). */
static void pump_until(struct vt *vt, double t)
{
	double left;

	while ((left = t - now_ms()) > 0)
		if (vt_pump(vt, (int)left + 1) < 0)
			return;
}

static void console_pop(struct bench *b, const struct sample *s, bool record, bool prepared)
{
	char want_ani[64], num[40], want_name[300];
	double t_pre, t0, t1, arrive_ms = 0;
	long long id;

	t_pre = now_ms();
	if (prepared)
		id = arrive_prepared(b, s->phone, AGENT, &arrive_ms);
	else
		id = arrive(b, s->phone, AGENT);
	t0 = now_ms();
	snprintf(want_ani, sizeof(want_ani), "ANI %s", phone_format(s->phone, num, sizeof(num)));
	snprintf(want_name, sizeof(want_name), "%s [%s]", s->name, s->tier);
	t1 = wait_both(b->vt, want_ani, want_name, t0 + b->o.timeout_ms);
	if (t1 < 0) {
		vt_dump(b->vt, stderr);
		bench_die("call #%lld (customer %lld, %s): \"%s\" not drawn within %d ms", id, s->id, s->phone,
		    want_name, b->o.timeout_ms);
	}
	if (record) {
		series_add(prepared ? &b->arrive_prep : &b->arrive, prepared ? arrive_ms : t0 - t_pre);
		series_add(prepared ? &b->console_prep : &b->console, t1 - t0);
	}
	/* Out of the timed part: back to the customer view (the form takes typing,
	 * so a pop would wait in the banner), and the caller hangs up. */
	if (vt_type(b->vt, "<F4>") < 0 || !vt_wait_for(b->vt, "ccterm │ Customer", b->o.timeout_ms)) {
		vt_dump(b->vt, stderr);
		bench_die("the console did not go to the customer view");
	}
	hang_up(b, id);
}

/* ---- the floor: the same statements, nothing drawn ---------------------------------- */

/* Waits on the socket for call id's notification; false on timeout. */
static bool floor_wait_notify(struct bench *b, long long id, double deadline)
{
	for (;;) {
		PGnotify *n;
		bool got = false;
		struct pollfd pfd = { .fd = PQsocket(b->floor), .events = POLLIN };
		double left;

		if (!PQconsumeInput(b->floor))
			bench_die("floor connection: %s", PQerrorMessage(b->floor));
		while ((n = PQnotifies(b->floor))) {
			struct agent_event ev;

			got |= agent_event_parse(n->extra, &ev) == 0 && ev.kind == AGENT_EVENT_CALL && ev.call_id == id &&
			       strcmp(ev.call_state, "offered") == 0;
			PQfreemem(n);
		}
		if (got)
			return true;
		left = deadline - now_ms();
		if (left <= 0)
			return false;
		if (poll(&pfd, 1, (int)left + 1) < 0 && errno != EINTR)
			bench_die("poll: %s", strerror(errno));
	}
}

static void floor_pop(struct bench *b, const struct sample *s, bool record, bool prepared)
{
	char v[24];
	const char *p[1] = { v };
	double t_pre, t0, tn, t1, arrive_ms = 0;
	PGresult *res;
	long long id;
	bool drawn = false;

	t_pre = now_ms();
	if (prepared)
		id = arrive_prepared(b, s->phone, FLOOR_AGENT, &arrive_ms);
	else
		id = arrive(b, s->phone, FLOOR_AGENT);
	t0 = now_ms();
	if (!floor_wait_notify(b, id, t0 + b->o.timeout_ms))
		bench_die("floor: no notification for call #%lld within %d ms", id, b->o.timeout_ms);
	tn = now_ms();
	snprintf(v, sizeof(v), "%lld", id);
	res = bench_query(b->floor, POP_SQL, 1, p);
	t1 = now_ms();
	for (int r = 0; r < PQntuples(res); r++)
		drawn |= strcmp(PQgetvalue(res, r, 0), "header") == 0 && strcmp(PQgetvalue(res, r, 3), s->name) == 0;
	PQclear(res);
	if (!drawn)
		bench_die("floor: call #%lld did not pop customer %lld (%s)", id, s->id, s->name);
	if (record) {
		series_add(prepared ? &b->arrive_prep : &b->arrive, prepared ? arrive_ms : t0 - t_pre);
		series_add(prepared ? &b->notified_prep : &b->notified, tn - t0);
		series_add(prepared ? &b->floor_total_prep : &b->floor_total, t1 - t0);
		series_add(prepared ? &b->floor_pop_prep : &b->floor_pop, t1 - tn);
	}
	hang_up(b, id);
}

/* The least any pop can cost: the notification, then one indexed lookup of
 * the caller's row (its name by primary key), over raw libpq. */
static void raw_pop(struct bench *b, const struct sample *s, bool record)
{
	char v[24];
	const char *p[1] = { v };
	double t0, t1;
	PGresult *res;
	long long id;

	id = arrive(b, s->phone, FLOOR_AGENT);
	t0 = now_ms();
	if (!floor_wait_notify(b, id, t0 + b->o.timeout_ms))
		bench_die("raw: no notification for call #%lld within %d ms", id, b->o.timeout_ms);
	snprintf(v, sizeof(v), "%lld", s->id);
	res = bench_query(b->cti, "select name from customer where id = $1", 1, p);   /* agents read no table */
	t1 = now_ms();
	if (PQntuples(res) != 1 || strcmp(PQgetvalue(res, 0, 0), s->name) != 0)
		bench_die("raw: customer %lld is not %s", s->id, s->name);
	PQclear(res);
	if (record)
		series_add(&b->raw, t1 - t0);
	hang_up(b, id);
}

/* A statement's execution time from EXPLAIN ANALYZE (timing off: the plan
 * is one function scan; the figure is its execution time), or -1. */
static double explained_ms(PGconn *conn, const char *sql, const char *param)
{
	char q[512];
	const char *p[1] = { param };
	PGresult *res;
	double ms = -1;

	snprintf(q, sizeof(q), "explain (analyze, costs off, timing off) %s", sql);
	res = bench_query(conn, q, 1, p);
	for (int r = 0; r < PQntuples(res); r++)
		if (sscanf(PQgetvalue(res, r, 0), " Execution Time: %lf ms", &ms) == 1)
			break;
	PQclear(res);
	return ms;
}

/* The server's own time for screen_pop, live and prepared (alternating),
 * and for pop_prepare (run by itself, as the CTI runs it, then the call). */
static void server_times(struct bench *b)
{
	bench_exec(b->floor, "unlisten *", 0, NULL);
	for (int i = 0; i < 2 * b->o.explain; i++) {
		const struct sample *s = sample_next(b);
		bool prepared = i % 2 == 1;
		const char *p[1] = { s->phone };
		char v[24];
		long long id;
		double ms;

		bench_exec(b->cti, "delete from prepared_pop where customer_id in "
				   "(select c from customers_by_contact('phone', $1) c)", 1, p);
		if (prepared) {
			/* in autocommit, as the CTI's own transaction */
			ms = explained_ms(b->cti, PREPARE_SQL, s->phone);
			if (ms >= 0)
				series_add(&b->server_prepare, ms);
		}
		id = arrive(b, s->phone, FLOOR_AGENT);
		if (prepared)
			bench_exec(b->cti, PREPARE_SQL, 1, p);   /* arrive() removed it: prepare again, untimed */
		snprintf(v, sizeof(v), "%lld", id);
		ms = explained_ms(b->floor, POP_SQL, v);
		if (ms >= 0)
			series_add(prepared ? &b->server_prep : &b->server, ms);
		hang_up(b, id);
	}
}

/* ---- report -------------------------------------------------------------------------- */

static void report_head(struct bench *b)
{
	char when[64], la[128];
	time_t t = time(NULL);

	strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S %z", localtime(&t));
	bench_loadavg(la, sizeof(la));
	printf("ccterm screen-pop benchmark, %s\n", when);
	bench_print_value(b->cti, "dataset: customers ~",
		    "select to_char(reltuples, 'FM999999999999') from pg_class where oid = 'customer'::regclass");
	bench_print_value(b->cti, ", interactions ~",
		    "select to_char(reltuples, 'FM999999999999') from pg_class where oid = 'interaction'::regclass");
	bench_print_value(b->cti, " (pg_class.reltuples); database ", "select current_database()");
	bench_print_value(b->cti, ", ", "select pg_size_pretty(pg_database_size(current_database()))");
	printf("\n");
	bench_print_value(b->cti, "server: PostgreSQL ", "select current_setting('server_version')");
	bench_print_value(b->cti, ", shared_buffers ", "select current_setting('shared_buffers')");
	bench_print_value(b->cti, ", synchronous_commit ", "select current_setting('synchronous_commit')");
	printf("\nhost: %ld CPUs, load average at start %s\n", sysconf(_SC_NPROCESSORS_ONLN), la);
	printf("console: %s in a %dx%d pty as %s; %d calls after %d warm-up, a console, a floor and a raw call every %d ms\n",
	       b->o.ccterm, COLS, ROWS, AGENT, b->o.calls, b->o.warmup, b->o.gap_ms);
	printf("         (customers: %zu drawn at random, each with one phone of their own)\n", b->ns);
	printf("         prepared offers %s\n\n", b->o.seal ? "carry the pop sealed for the console (no round trip)"
						   : "do not carry the pop (--seal off): the console reads screen_pop");
	fflush(stdout);
}

/* The targets, for one kind of pop (live or prepared). */
static void report_targets(struct bench *b, const char *kind, struct series *console, struct series *floor_total)
{
	double c50 = pct(console, 0.5), c99 = pct(console, 0.99), f50 = pct(floor_total, 0.5),
	       f99 = pct(floor_total, 0.99), r50 = pct(&b->raw, 0.5);

	printf("\n%s: console / floor: p50 %.2fx, p99 %.2fx\n", kind, f50 > 0 ? c50 / f50 : 0, f99 > 0 ? c99 / f99 : 0);
	printf("%s: target console p50 <= 3x raw NOTIFY + one lookup p50: %s (%.3f ms = %.2fx %.3f ms)\n", kind,
	       c50 <= 3 * r50 ? "met" : "MISSED", c50, r50 > 0 ? c50 / r50 : 0, r50);
	printf("%s: target console p99 <= %.0f ms:        %s (%.3f ms)\n", kind, TARGET_P99_MS,
	       c99 <= TARGET_P99_MS ? "met" : "MISSED", c99);
	printf("%s: target console p99 <= %.0fx floor p99: %s (%.3f ms <= %.3f ms)\n", kind, TARGET_RATIO,
	       c99 <= TARGET_RATIO * f99 ? "met" : "MISSED", c99, TARGET_RATIO * f99);
}

static void ratio_line(const char *what, struct series *live, struct series *prep)
{
	double l50 = pct(live, 0.5), l99 = pct(live, 0.99), p50 = pct(prep, 0.5), p99 = pct(prep, 0.99);

	printf("  %-36s p50 %.3f -> %.3f ms (%.2fx), p99 %.3f -> %.3f ms (%.2fx)\n", what, l50, p50,
	       l50 > 0 ? p50 / l50 : 0, l99, p99, l99 > 0 ? p99 / l99 : 0);
}

static void report(struct bench *b)
{
	char la[128];

	bench_loadavg(la, sizeof(la));
	printf("%-38s %6s %9s %9s %9s %9s\n", "times in ms (live: call_arrive alone)", "n", "p50", "p90", "p99", "max");
	series_print(&b->console, 36);
	series_print(&b->floor_total, 36);
	series_print(&b->notified, 36);
	series_print(&b->floor_pop, 36);
	series_print(&b->server, 36);
	series_print(&b->arrive, 36);
	series_print(&b->raw, 36);
	printf("%-38s\n", "prepared (pop_prepare, then call_arrive)");
	series_print(&b->console_prep, 36);
	series_print(&b->floor_total_prep, 36);
	series_print(&b->notified_prep, 36);
	series_print(&b->floor_pop_prep, 36);
	series_print(&b->server_prep, 36);
	series_print(&b->arrive_prep, 36);
	series_print(&b->server_prepare, 36);
	printf("\nlive -> prepared, same run:\n");
	ratio_line("console: commit -> customer drawn", &b->console, &b->console_prep);
	ratio_line("floor: commit -> pop in hand", &b->floor_total, &b->floor_total_prep);
	ratio_line("server: screen_pop execution", &b->server, &b->server_prep);
	ratio_line("CTI: call_arrive round trip", &b->arrive, &b->arrive_prep);
	printf("  CTI cost of preparing: p50 +%.3f ms, p99 +%.3f ms a call (pop_prepare alone: p50 %.3f ms)\n",
	       pct(&b->arrive_prep, 0.5) - pct(&b->arrive, 0.5), pct(&b->arrive_prep, 0.99) - pct(&b->arrive, 0.99),
	       pct(&b->server_prepare, 0.5));
	report_targets(b, "live", &b->console, &b->floor_total);
	report_targets(b, "prepared", &b->console_prep, &b->floor_total_prep);
	printf("load average at end %s\n", la);
	fflush(stdout);
}

/* ---- main ---------------------------------------------------------------------------- */

/* settings 'pop_sealed' for the run: 'off', or the default (no row) again. */
static void seal_set(struct bench *b, bool on)
{
	bench_exec(b->cti, on ? "delete from settings where key = 'pop_sealed'"
			      : "insert into settings (key, value) values ('pop_sealed', 'off') "
				"on conflict (key) do update set value = excluded.value", 0, NULL);
}

static void cleanup(struct bench *b)
{
	if (b->vt) {
		struct vt *vt = b->vt;

		b->vt = NULL;
		if (vt_type(vt, "<C-q>") == 0)
			vt_wait_exit(vt, 3000, NULL);
		vt_free(vt);
	}
	if (b->db && PQstatus(b->cti) == CONNECTION_OK && !b->o.seal)
		seal_set(b, true);
	if (b->db && PQstatus(b->cti) == CONNECTION_OK && b->ncalls) {
		/* Every call made, in one statement, whatever state the run stopped in. */
		size_t len = b->ncalls * 21 + 3, off = 0;
		char *arr = malloc(len);

		if (arr) {
			const char *p[1] = { arr };
			PGresult *res;

			off += (size_t)snprintf(arr + off, len - off, "{");
			for (size_t i = 0; i < b->ncalls; i++)
				off += (size_t)snprintf(arr + off, len - off, "%s%lld", i ? "," : "", b->calls[i]);
			snprintf(arr + off, len - off, "}");
			res = PQexecParams(b->cti, "update call set state = 'ended', ended_at = coalesce(ended_at, now()) "
					   "where id = any ($1::bigint[]) and state <> 'ended'", 1, NULL, p, NULL, NULL, 0);
			PQclear(res);
			/* The console saves nothing unless told to; anything it did save goes. */
			res = PQexecParams(b->cti, "delete from interaction where call_id = any ($1::bigint[])",
					   1, NULL, p, NULL, NULL, 0);
			PQclear(res);
			free(arr);
		}
		b->ncalls = 0;
	}
	if (b->floor) {
		PQfinish(b->floor);
		b->floor = NULL;
	}
	if (b->db) {
		db_close(b->db);
		b->db = NULL;
	}
	bench_tmpdir_remove(b->tmpdir);
}

static const char usage[] =
	"usage: pop_bench [--calls N] [--warmup W] [--explain M] [--gap-ms MS] [--seed S]\n"
	"                 [--seal on|off] [-d CONNINFO] [--ccterm PATH]\n"
	"  -d CONNINFO   a migrated database with data, as a role that may create roles\n"
	"                (default: the libpq environment)\n"
	"  --calls N     calls measured, console and floor each (1000)\n"
	"  --warmup W    calls made first and not counted (50)\n"
	"  --explain M   calls whose screen_pop runs under EXPLAIN ANALYZE (200)\n"
	"  --gap-ms MS   two console, two floor calls (live, prepared) and a raw one per MS (1000):\n"
	"                each meets an idle system\n"
	"  --seal off    prepared offers without their pop sealed in (default on)\n"
	"  --ccterm PATH the console (default $CCTERM_BUILDDIR/ccterm, else ./ccterm)\n";

static void cleanup_hook(void *b)
{
	cleanup(b);
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "calls", required_argument, NULL, 'n' },
		{ "warmup", required_argument, NULL, 'w' },
		{ "explain", required_argument, NULL, 'e' },
		{ "gap-ms", required_argument, NULL, 'g' },
		{ "timeout-ms", required_argument, NULL, 't' },
		{ "seed", required_argument, NULL, 's' },
		{ "ccterm", required_argument, NULL, 'c' },
		{ "seal", required_argument, NULL, 'S' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	static struct bench bench;
	static char ccterm[4096];
	struct bench *b = &bench;
	const char *bd = getenv("CCTERM_BUILDDIR");
	size_t n;
	int opt;

	bench_on_die("pop_bench", cleanup_hook, b);

	b->o = (struct opts){ .calls = 1000, .warmup = 50, .explain = 200, .gap_ms = 1000, .timeout_ms = 5000,
			      .seed = 1, .seal = true };
	snprintf(ccterm, sizeof(ccterm), "%s/ccterm", bd && *bd ? bd : ".");
	b->o.ccterm = ccterm;
	while ((opt = getopt_long(argc, argv, "d:h", longopts, NULL)) != -1) {
		switch (opt) {
		case 'd': b->o.conninfo = optarg; break;
		case 'n': b->o.calls = bench_int_arg("--calls", optarg, 1); break;
		case 'w': b->o.warmup = bench_int_arg("--warmup", optarg, 0); break;
		case 'e': b->o.explain = bench_int_arg("--explain", optarg, 0); break;
		case 'g': b->o.gap_ms = bench_int_arg("--gap-ms", optarg, 0); break;
		case 't': b->o.timeout_ms = bench_int_arg("--timeout-ms", optarg, 100); break;
		case 's': b->o.seed = bench_int_arg("--seed", optarg, 0); break;
		case 'c': b->o.ccterm = optarg; break;
		case 'S':
			if (strcmp(optarg, "on") != 0 && strcmp(optarg, "off") != 0) {
				fputs(usage, stderr);
				return 2;
			}
			b->o.seal = strcmp(optarg, "on") == 0;
			break;
		case 'h': fputs(usage, stdout); return 0;
		default: fputs(usage, stderr); return 2;
		}
	}
	if (optind != argc) {
		fputs(usage, stderr);
		return 2;
	}
	if (access(b->o.ccterm, X_OK) != 0) {
		fprintf(stderr, "pop_bench: %s: %s (build it, or --ccterm PATH)\n", b->o.ccterm, strerror(errno));
		return 2;
	}

	setup_db(b);
	if (!b->o.seal)
		seal_set(b, false);
	n = 5 * ((size_t)b->o.calls + (size_t)b->o.warmup) + 2 * (size_t)b->o.explain;
	sample_load(b, n);
	series_init(&b->console, "console: commit -> customer drawn", (size_t)b->o.calls);
	series_init(&b->floor_total, "floor: commit -> pop in hand", (size_t)b->o.calls);
	series_init(&b->notified, "floor: commit -> notified", (size_t)b->o.calls);
	series_init(&b->floor_pop, "floor: screen_pop round trip", (size_t)b->o.calls);
	series_init(&b->server, "server: screen_pop execution", (size_t)b->o.explain);
	series_init(&b->arrive, "call_arrive round trip (w/ commit)", 2 * (size_t)b->o.calls);
	series_init(&b->raw, "raw: commit -> notified + 1 lookup", (size_t)b->o.calls);
	series_init(&b->console_prep, "console: commit -> customer drawn", (size_t)b->o.calls);
	series_init(&b->floor_total_prep, "floor: commit -> pop in hand", (size_t)b->o.calls);
	series_init(&b->notified_prep, "floor: commit -> notified", (size_t)b->o.calls);
	series_init(&b->floor_pop_prep, "floor: screen_pop round trip", (size_t)b->o.calls);
	series_init(&b->server_prep, "server: screen_pop execution", (size_t)b->o.explain);
	series_init(&b->arrive_prep, "prepare + call_arrive round trip", 2 * (size_t)b->o.calls);
	series_init(&b->server_prepare, "server: pop_prepare execution", (size_t)b->o.explain);
	setup_floor(b);
	setup_console(b);
	report_head(b);

	for (int i = 0; i < b->o.warmup + b->o.calls; i++) {
		bool record = i >= b->o.warmup;
		double start = now_ms();

		/* Each pop meets an idle system, the console's as well as the floor's:
		 * the journal's fsync (200 ms after the pop wrote the new draft) is
		 * over before the floor's call, as it is between real calls. */
		/* live and prepared take turns going first */
		bool first = i % 2 == 1;

		console_pop(b, sample_next(b), record, first);
		pump_until(b->vt, start + b->o.gap_ms / 5.0);
		console_pop(b, sample_next(b), record, !first);
		pump_until(b->vt, start + 2 * b->o.gap_ms / 5.0);
		floor_pop(b, sample_next(b), record, first);
		pump_until(b->vt, start + 3 * b->o.gap_ms / 5.0);
		floor_pop(b, sample_next(b), record, !first);
		pump_until(b->vt, start + 4 * b->o.gap_ms / 5.0);
		raw_pop(b, sample_next(b), record);
		pump_until(b->vt, start + b->o.gap_ms);
	}
	server_times(b);
	report(b);
	cleanup(b);
	return 0;
}
