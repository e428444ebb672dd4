/* floor_bench.c - what the supervisor's floor costs: one wallboard refresh
 * (the query of each board through src/db/floor.c, next to the same SQL over
 * raw libpq), the real console's tab switch to the screen settling, the
 * delay from a committed call to the wallboard showing it while
 * `ccterm-cti simulate` keeps the floor busy, and the statements an idle
 * agent console sends. See bench/FLOOR.md. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <libpq-fe.h>

#include "ccterm/boards.h"
#include "ccterm/db.h"
#include "ccterm/floor.h"
#include "bench.h"
#include "bench_console.h"
#include "series.h"

#define SUPERVISOR "fb_super"
#define IDLE_AGENT "fb_idle"
#define BENCH_QUEUE "0_bench"   /* sorts first: always on the visible part of the board */
#define SIM_PREFIX "fs_"
#define ROWS 50
#define COLS 160
#define QUIET_MS 150            /* no output for this long: the screen has settled */
#define TARGET_REFRESH_MS 20.0
#define TARGET_EVENT_MS 1000.0

/* The db layer's statements (src/db/floor.c), for the raw libpq floor. */
#define QUEUES_SQL "select queue_id, name, sla_seconds, sla_target_pct, waiting_now, longest_wait_secs, " \
	"offered_today, answered_today, abandoned_today, answered_in_sla, abandoned_after_sla, " \
	"service_level_pct, asa_secs, agents_ready, agents_ringing, agents_on_call, agents_wrap_up, " \
	"agents_break, agents_not_ready from wallboard_queues() order by name"
/* Until 2026-12-01 the console read the trends with every refresh, in one query. */
#define QUEUES_WITH_TRENDS_SQL "select queue_id, name, sla_seconds, sla_target_pct, waiting_now, longest_wait_secs, " \
	"offered_today, answered_today, abandoned_today, answered_in_sla, abandoned_after_sla, " \
	"service_level_pct, asa_secs, agents_ready, agents_ringing, agents_on_call, agents_wrap_up, " \
	"agents_break, agents_not_ready, t.sl_15m, t.offered_15m " \
	"from wallboard_queues() w left join queue_trends(now(), 48) t using (queue_id) order by w.name"
#define AGENTS_SQL "select login, name, coalesce(branch_code, ''), state, state_secs, call_id, call_state, " \
	"customer_id, customer_name, handled_today, total, reason " \
	"from wallboard_agents($1, $2::integer, $3::integer)"
#define BRANCHES_SQL "select branch_code, branch_name, today_avg, today_n, week_avg, week_n, avg_7d, n_7d " \
	"from branch_board()"

struct opts {
	int runs;           /* per board, db layer and raw each */
	int redraws;        /* tab switches per tab */
	int events;         /* marker calls under load */
	int event_gap_ms;
	int sim_rate, sim_agents;
	int idle_secs;
	const char *conninfo;
	const char *idle_db;
	const char *ccterm, *cti;
};

struct bench {
	struct opts o;
	struct db *su;          /* superuser: set-up, marker calls, pg_stat sampling */
	PGconn *suc;
	struct db *sup;         /* the supervisor, through the db layer */
	PGconn *raw;            /* the supervisor, raw libpq */
	struct vt *vt;
	pid_t sim;
	char tmpdir[64];
	long long *calls;
	size_t ncalls, capcalls;
	struct series q_db, q_raw, a_db, a_raw, b_db, b_raw, a2_db, q_bare, q_trends, c_db;
	struct series redraw_q, redraw_a, redraw_b, event;
	int event_missed;
};

static void cleanup(struct bench *b);


/* ---- the database ------------------------------------------------------------------ */

static long long q_ll(struct bench *b, PGconn *c, const char *sql, int n, const char *const *p)
{
	PGresult *res = bench_query(c, sql, n, p);
	long long v = PQntuples(res) && !PQgetisnull(res, 0, 0) ? atoll(PQgetvalue(res, 0, 0)) : -1;

	PQclear(res);
	return v;
}

/* A conninfo for the same server and database (or dbname) as another role. */
static void conninfo_as(struct bench *b, const char *user, const char *dbname, char *out, size_t size)
{
	snprintf(out, size, "host='%s' port='%s' dbname='%s' user='%s' application_name='floor_bench'",
		 PQhost(b->suc), PQport(b->suc), dbname ? dbname : PQdb(b->suc), user);
}

/* Calls of the bench queue, and the queue, from this or an interrupted run: the
 * simulator must not find the queue when it starts (it would staff it). */
static void drop_bench_queue(struct bench *b)
{
	bench_exec(b->suc, "delete from call where queue_id = (select id from queue where name = '" BENCH_QUEUE "')", 0,
	     NULL);
	bench_exec(b->suc, "delete from queue where name = '" BENCH_QUEUE "'", 0, NULL);
}

static void setup_db(struct bench *b)
{
	char err[512], ci[1024];
	const char *p[1] = { SUPERVISOR };

	b->su = db_open(b->o.conninfo, err, sizeof(err));
	if (!b->su)
		bench_die("%s", err);
	b->suc = db_pg(b->su);
	PQsetNoticeProcessor(b->suc, bench_notice_quiet, NULL);
	if (q_ll(b, b->suc, "select count(*) from agent where login = $1 and role = 'supervisor'", 1, p) != 1)
		bench_die("no supervisor %s in %s: run bench/run-floor", SUPERVISOR, PQdb(b->suc));
	drop_bench_queue(b);
	conninfo_as(b, SUPERVISOR, NULL, ci, sizeof(ci));
	b->sup = db_open(ci, err, sizeof(err));
	if (!b->sup)
		bench_die("as %s: %s", SUPERVISOR, err);
	b->raw = PQconnectdb(ci);
	if (PQstatus(b->raw) != CONNECTION_OK)
		bench_die("as %s: %s", SUPERVISOR, PQerrorMessage(b->raw));
}

/* ---- 1. the queries of one refresh --------------------------------------------------- */

static void time_queries(struct bench *b)
{
	static struct queue_stat qs[200];
	static struct agent_stat as[100];
	static struct branch_sat bs[2000];
	static struct floor_case cs[100];
	struct floor_cases fc = { .rows = cs, .max = 100 };
	static struct queue_trend ts[200];
	struct floor_trends ft = { .rows = ts, .max = 200 };
	struct db_request trq;
	int qn = 0;
	const char *ap[3] = { "state", "100", "0" };
	long total;

	for (int i = -10; i < b->o.runs; i++) {
		double t0, t1;
		PGresult *res;
		int n;

		t0 = now_ms();
		n = qn = db_wallboard_queues(b->sup, qs, 200);
		t1 = now_ms();
		if (n < 0)
			bench_die("db_wallboard_queues: %s", db_error(b->sup));
		if (i >= 0)
			series_add(&b->q_db, t1 - t0);

		t0 = now_ms();
		res = bench_query(b->raw, QUEUES_SQL, 0, NULL);
		t1 = now_ms();
		PQclear(res);
		if (i >= 0)
			series_add(&b->q_raw, t1 - t0);

		t0 = now_ms();
		n = db_wallboard_agents(b->sup, AGENT_SORT_STATE, 0, as, 100, &total);
		t1 = now_ms();
		if (n < 0)
			bench_die("db_wallboard_agents: %s", db_error(b->sup));
		if (i >= 0)
			series_add(&b->a_db, t1 - t0);

		t0 = now_ms();
		res = bench_query(b->raw, AGENTS_SQL, 3, ap);
		t1 = now_ms();
		PQclear(res);
		if (i >= 0)
			series_add(&b->a_raw, t1 - t0);

		/* The costliest sort: calls today counted for every agent before the cut. */
		t0 = now_ms();
		n = db_wallboard_agents(b->sup, AGENT_SORT_HANDLED, 0, as, 100, &total);
		t1 = now_ms();
		if (n < 0)
			bench_die("db_wallboard_agents: %s", db_error(b->sup));
		if (i >= 0)
			series_add(&b->a2_db, t1 - t0);

		t0 = now_ms();
		n = db_branch_satisfaction(b->sup, bs, 2000);
		t1 = now_ms();
		if (n < 0)
			bench_die("db_branch_satisfaction: %s", db_error(b->sup));
		if (i >= 0)
			series_add(&b->b_db, t1 - t0);

		t0 = now_ms();
		res = bench_query(b->raw, BRANCHES_SQL, 0, NULL);
		t1 = now_ms();
		PQclear(res);
		if (i >= 0)
			series_add(&b->b_raw, t1 - t0);

		/* The trends, read apart (at most once a second), and the one query of before. */
		db_queue_trends_request(&trq);
		ft.n = 0;
		t0 = now_ms();
		n = db_run(b->sup, &trq, db_queue_trends_read, &ft);
		t1 = now_ms();
		if (n < 0 || ft.n != qn)
			bench_die("db_queue_trends: %d of %d queues: %s", ft.n, qn, db_error(b->sup));
		if (i >= 0)
			series_add(&b->q_trends, t1 - t0);

		t0 = now_ms();
		res = bench_query(b->raw, QUEUES_WITH_TRENDS_SQL, 0, NULL);
		t1 = now_ms();
		PQclear(res);
		if (i >= 0)
			series_add(&b->q_bare, t1 - t0);

		/* The cases board, read with every refresh of any tab. */
		t0 = now_ms();
		n = db_floor_cases(b->sup, &fc);
		t1 = now_ms();
		if (n < 0)
			bench_die("db_floor_cases: %s", db_error(b->sup));
		if (i >= 0)
			series_add(&b->c_db, t1 - t0);
	}
}

/* ---- the console ------------------------------------------------------------------- */

static struct vt *spawn_console(struct bench *b, const char *user, const char *dbname, const char *sub)
{
	char home[128];

	snprintf(home, sizeof(home), "%s/%s", b->tmpdir, sub);
	return bench_console(b->o.ccterm, b->suc, user, dbname, home, ROWS, COLS);
}

/* Pumps until QUIET_MS pass without output (or timeout); the time of the last
 * read that brought bytes, or t0 if none came after t0. */
static double settle(struct vt *vt, double t0, int timeout_ms)
{
	double last = t0, deadline = t0 + timeout_ms;

	for (;;) {
		double now = now_ms();
		int n;

		if (now - last >= QUIET_MS || now >= deadline)
			return last;
		n = vt_pump(vt, (int)(last + QUIET_MS - now) + 1);
		if (n < 0)
			return last;
		if (n > 0)
			last = now_ms();
	}
}

static void setup_supervisor(struct bench *b)
{
	b->vt = spawn_console(b, SUPERVISOR, PQdb(b->suc), "super");
	if (!vt_wait_for(b->vt, "F1 Help", 15000)) {
		vt_dump(b->vt, stderr);
		bench_die("%s did not come up as %s", b->o.ccterm, SUPERVISOR);
	}
	settle(b->vt, now_ms(), 3000);
	if (vt_type(b->vt, "<F9>") < 0 || !vt_wait_for(b->vt, "1 Queues", 5000) || !vt_wait_for(b->vt, "q001", 5000)) {
		vt_dump(b->vt, stderr);
		bench_die("F9 did not show the queue board");
	}
	settle(b->vt, now_ms(), 3000);
}

/* ---- 2. a tab switch: the board fetched and drawn with what changed ------------------ */

/* Before each tab key the benchmark changes something that tab shows, in a
 * column no trigger watches (so no 'floor' NOTIFY: the console cannot know).
 * On the key the console draws the tab from the figures it has, fetches, and
 * draws again: t1 is when the changed text is on the screen, i.e. key ->
 * fetch -> redraw -> terminal. */
struct redraw_target {
	const char *key;
	char ident[64];        /* the agent's login, the branch's code */
	char restore[256];
};

static void redraw_targets(struct bench *b, struct redraw_target *t)
{
	PGresult *res;
	char login[64], code[32];

	res = bench_query(b->suc, "select login from wallboard_agents('state', 1, 0)", 0, NULL);
	if (PQntuples(res) != 1)
		bench_die("no agents");
	snprintf(login, sizeof(login), "%s", PQgetvalue(res, 0, 0));
	PQclear(res);
	res = bench_query(b->suc, "select branch_code from branch_satisfaction() where branch_code <> '' limit 1", 0, NULL);
	if (PQntuples(res) != 1)
		bench_die("no survey answers by branch");
	snprintf(code, sizeof(code), "%s", PQgetvalue(res, 0, 0));
	PQclear(res);

	t[0].key = "1";
	snprintf(t[0].ident, sizeof(t[0].ident), "q001");
	res = bench_query(b->suc, "select sla_seconds from queue where name = 'q001'", 0, NULL);
	snprintf(t[0].restore, sizeof(t[0].restore), "update queue set sla_seconds = %s where name = 'q001'",
		 PQntuples(res) ? PQgetvalue(res, 0, 0) : "20");
	PQclear(res);

	t[1].key = "2";
	snprintf(t[1].ident, sizeof(t[1].ident), "%s", login);
	res = bench_query(b->suc, "select name from agent where login = $1", 1, (const char *const[]){ login });
	{
		char *esc = PQescapeLiteral(b->suc, PQgetvalue(res, 0, 0), strlen(PQgetvalue(res, 0, 0)));

		snprintf(t[1].restore, sizeof(t[1].restore), "update agent set name = %s where login = '%s'",
			 esc ? esc : "name", login);
		PQfreemem(esc);
	}
	PQclear(res);

	t[2].key = "3";
	snprintf(t[2].ident, sizeof(t[2].ident), "%s", code);
	res = bench_query(b->suc, "select name from branch where code = $1", 1, (const char *const[]){ code });
	{
		char *esc = PQescapeLiteral(b->suc, PQgetvalue(res, 0, 0), strlen(PQgetvalue(res, 0, 0)));

		snprintf(t[2].restore, sizeof(t[2].restore), "update branch set name = %s where code = '%s'",
			 esc ? esc : "name", code);
		PQfreemem(esc);
	}
	PQclear(res);
}

static void time_redraws(struct bench *b)
{
	struct redraw_target t[3];
	double tick = -1, end = now_ms() + 2500;
	int run = 0;

	redraw_targets(b, t);
	/* Left alone, the console writes only when the clocks tick, once a second:
	 * learn when, and send each key well clear of the next tick. */
	while (now_ms() < end) {
		int n = vt_pump(b->vt, (int)(end - now_ms()) + 1);

		if (n < 0)
			bench_die("the console is gone");
		if (n > 0)
			tick = now_ms();
	}
	if (tick < 0)
		bench_die("the console's clock does not tick");
	for (int i = -3; i < b->o.redraws; i++) {
		for (size_t k = 0; k < 3; k++) {
			struct series *s = k == 0 ? &b->redraw_q : k == 1 ? &b->redraw_a : &b->redraw_b;
			char sql[300], want[80];
			double t0, phase;

			run++;
			/* The queue's SLA shows as "80%/1017s", a name as itself. */
			if (k == 0) {
				snprintf(sql, sizeof(sql), "update queue set sla_seconds = %d where name = '%.63s'", 1000 + run,
					 t[k].ident);
				snprintf(want, sizeof(want), "%%/%ds", 1000 + run);
			} else {
				snprintf(sql, sizeof(sql), "update %s set name = 'Bench %d' where %s = '%.63s'",
					 k == 1 ? "agent" : "branch", run, k == 1 ? "login" : "code", t[k].ident);
				snprintf(want, sizeof(want), "Bench %d ", run);
			}
			bench_exec(b->suc, sql, 0, NULL);
			while ((phase = (double)((long long)(now_ms() - tick) % 1000)) < 60 || phase > 300)
				if (vt_pump(b->vt, (int)(phase < 60 ? 60 - phase : 1060 - phase)) < 0)
					bench_die("the console is gone");
			t0 = now_ms();
			if (vt_type(b->vt, t[k].key) < 0)
				bench_die("the console is gone");
			if (!vt_wait_for(b->vt, want, 5000)) {
				vt_dump(b->vt, stderr);
				bench_die("tab %s did not show \"%s\"", t[k].key, want);
			}
			if (i >= 0)
				series_add(s, now_ms() - t0);
			/* Everything drawn, and more than the board's 100 ms coalescing apart. */
			settle(b->vt, now_ms(), 2000);
		}
	}
	for (size_t k = 0; k < 3; k++)
		bench_exec(b->suc, t[k].restore, 0, NULL);
}

/* ---- 3. event to screen under simulate --rate ---------------------------------------- */

static void start_sim(struct bench *b, int duration)
{
	char rate[16], agents[16], dur[16], log[128];
	pid_t pid;

	snprintf(rate, sizeof(rate), "%d", b->o.sim_rate);
	snprintf(agents, sizeof(agents), "%d", b->o.sim_agents);
	snprintf(dur, sizeof(dur), "%d", duration);
	snprintf(log, sizeof(log), "%s/simulate.log", b->tmpdir);
	fflush(NULL);
	pid = fork();
	if (pid < 0)
		bench_die("fork: %s", strerror(errno));
	if (pid == 0) {
		int fd = open(log, O_WRONLY | O_CREAT | O_TRUNC, 0600);

		if (fd >= 0) {
			dup2(fd, 1);
			dup2(fd, 2);
			close(fd);
		}
		execl(b->o.cti, b->o.cti, "-d", b->o.conninfo, "simulate", "--rate", rate, "--duration", dur, "--agents",
		      agents, "--prefix", SIM_PREFIX, (char *)NULL);
		_exit(127);
	}
	b->sim = pid;
}

static long board_waiting(struct vt *vt)
{
	char buf[VT_ROW_MAX(COLS)];
	int row;
	long n = -1;

	if (vt_find(vt, BENCH_QUEUE " ", &row, NULL) && vt_row(vt, row, buf, sizeof(buf))) {
		const char *s = strstr(buf, BENCH_QUEUE);

		if (s && sscanf(s + strlen(BENCH_QUEUE), "%ld", &n) != 1)
			n = -1;
	}
	return n;
}

static void remember_call(struct bench *b, long long id)
{
	if (b->ncalls == b->capcalls) {
		size_t cap = b->capcalls ? b->capcalls * 2 : 256;
		long long *n = realloc(b->calls, cap * sizeof(*n));

		if (!n)
			bench_die("out of memory");
		b->calls = n;
		b->capcalls = cap;
	}
	b->calls[b->ncalls++] = id;
}

static void time_events(struct bench *b, long *sim_calls)
{
	int duration = b->o.events * b->o.event_gap_ms / 1000 + 20;
	long long before, ready = 0;
	double deadline;

	before = q_ll(b, b->suc, "select count(*) from call", 0, NULL);
	start_sim(b, duration);
	/* The simulator is up when its agents are ready; only then the bench queue,
	 * which it therefore neither staffs nor calls. */
	deadline = now_ms() + 20000;
	while (now_ms() < deadline) {
		ready = q_ll(b, b->suc, "select count(*) from agent where login like '" SIM_PREFIX "%' "
					"and state <> 'logged_out'", 0, NULL);
		if (ready >= b->o.sim_agents)
			break;
		vt_pump(b->vt, 200);
	}
	if (ready < b->o.sim_agents)
		bench_die("the simulator did not bring its %d agents in (see %s/simulate.log)", b->o.sim_agents, b->tmpdir);
	bench_exec(b->suc, "insert into queue (name, sla_seconds) values ('" BENCH_QUEUE "', 20)", 0, NULL);
	if (vt_type(b->vt, "1") < 0 || !vt_wait_for(b->vt, BENCH_QUEUE, 5000)) {
		vt_dump(b->vt, stderr);
		bench_die("the board did not show the queue " BENCH_QUEUE);
	}
	settle(b->vt, now_ms(), 2000);
	for (int i = 1; i <= b->o.events; i++) {
		char ani[32];
		const char *p[1] = { ani };
		double t0, t1 = -1, start = now_ms(), end;
		long long id;

		snprintf(ani, sizeof(ani), "+82109%07d", i);
		id = q_ll(b, b->suc, "select call_arrive($1, $1, '+8215889999', '" BENCH_QUEUE "', null)", 1, p);
		t0 = now_ms();
		remember_call(b, id);
		end = t0 + 5000;
		while (now_ms() < end) {
			if (board_waiting(b->vt) >= i) {
				t1 = now_ms();
				break;
			}
			if (vt_pump(b->vt, (int)(end - now_ms()) + 1) < 0)
				bench_die("the console is gone");
		}
		if (t1 < 0)
			b->event_missed++;
		else
			series_add(&b->event, t1 - t0);
		while (now_ms() < start + b->o.event_gap_ms)
			vt_pump(b->vt, (int)(start + b->o.event_gap_ms - now_ms()) + 1);
	}
	*sim_calls = (long)(q_ll(b, b->suc, "select count(*) from call", 0, NULL) - before - b->o.events);
}

static void stop_sim(struct bench *b)
{
	int status;
	double deadline = now_ms() + 5000;

	if (b->sim <= 0)
		return;
	/* Its remaining seconds are of no use: stop it now (it hangs up and logs out). */
	kill(b->sim, SIGTERM);
	while (waitpid(b->sim, &status, WNOHANG) == 0) {
		if (now_ms() > deadline) {
			kill(b->sim, SIGKILL);
			waitpid(b->sim, &status, 0);
			break;
		}
		if (b->vt)
			vt_pump(b->vt, 50);
		else
			usleep(50000);
	}
	b->sim = 0;
}

/* ---- 4. an idle agent console ---------------------------------------------------------- */

struct idle_sample {
	long long commits, rollbacks;
	char query_start[64];
	int backends;
};

static void idle_sample(struct bench *b, struct idle_sample *s)
{
	const char *p[2] = { b->o.idle_db, IDLE_AGENT };
	PGresult *res;

	bench_exec(b->suc, "select pg_stat_clear_snapshot()", 0, NULL);
	res = bench_query(b->suc, "select xact_commit, xact_rollback from pg_stat_database where datname = $1", 1, p);
	s->commits = PQntuples(res) ? atoll(PQgetvalue(res, 0, 0)) : -1;
	s->rollbacks = PQntuples(res) ? atoll(PQgetvalue(res, 0, 1)) : -1;
	PQclear(res);
	res = bench_query(b->suc, "select count(*), coalesce(max(query_start)::text, '') from pg_stat_activity "
			   "where datname = $1 and usename = $2", 2, p);
	s->backends = atoi(PQgetvalue(res, 0, 0));
	snprintf(s->query_start, sizeof(s->query_start), "%s", PQgetvalue(res, 0, 1));
	PQclear(res);
}

static void pump_for(struct vt *vt, int ms)
{
	double end = now_ms() + ms;

	while (now_ms() < end)
		if (vt_pump(vt, (int)(end - now_ms()) + 1) < 0)
			return;
}

/* Pending statistics reach shared memory within ~1 s of a transaction's end,
 * and at the latest 10 s later for a backend that went idle (PostgreSQL 15). */
#define STATS_FLUSH_MS 11000

static void time_idle(struct bench *b)
{
	struct vt *vt = spawn_console(b, IDLE_AGENT, b->o.idle_db, "idle");
	struct idle_sample s0, s1, s2, s3;

	if (!vt_wait_for(vt, "Waiting for calls", 15000)) {
		vt_dump(vt, stderr);
		vt_free(vt);
		bench_die("%s did not come up as %s on %s", b->o.ccterm, IDLE_AGENT, b->o.idle_db);
	}
	pump_for(vt, STATS_FLUSH_MS + 1000);     /* its start-up statements are counted by now */
	idle_sample(b, &s0);
	pump_for(vt, b->o.idle_secs * 1000);
	idle_sample(b, &s1);
	pump_for(vt, STATS_FLUSH_MS);            /* and whatever it sent in the window, too */
	idle_sample(b, &s2);
	/* A positive control: one key that does query (F5: ready), to show the count moves. */
	vt_type(vt, "<F5>");
	pump_for(vt, STATS_FLUSH_MS + 1000);
	idle_sample(b, &s3);
	if (vt_type(vt, "<C-q>") == 0)
		vt_wait_exit(vt, 3000, NULL);
	vt_free(vt);

	printf("\n4. idle agent console: %s as %s, alone on the database %s\n", b->o.ccterm, IDLE_AGENT, b->o.idle_db);
	printf("   backends of %s there: %d; pg_stat_activity.query_start at start of window %s, at end %s (%s)\n",
	       IDLE_AGENT, s1.backends, s0.query_start, s1.query_start,
	       strcmp(s0.query_start, s1.query_start) == 0 ? "unchanged: no statement" : "CHANGED: statements sent");
	printf("   transactions on %s in the %d s window (+ %d s for the stats to land), any backend (autovacuum\n"
	       "   workers count too): %lld committed, %lld rolled back\n",
	       b->o.idle_db, b->o.idle_secs, STATS_FLUSH_MS / 1000, s2.commits - s0.commits,
	       s2.rollbacks - s0.rollbacks);
	printf("   control: after one <F5> (ready) the transaction count moved by %lld, query_start %s\n",
	       s3.commits - s2.commits, strcmp(s2.query_start, s3.query_start) ? "changed" : "did NOT change");
	printf("queries from an idle agent console in %d s: %s (pg_stat_activity.query_start of its backend)   target 0: %s\n",
	       b->o.idle_secs, strcmp(s0.query_start, s1.query_start) == 0 ? "0" : ">= 1",
	       strcmp(s0.query_start, s1.query_start) == 0 ? "met" : "MISSED");
	fflush(stdout);
}

/* ---- report -------------------------------------------------------------------------- */

static void print_head(void)
{
	printf("%-46s %6s %9s %9s %9s %9s\n", "times in ms", "n", "p50", "p90", "p99", "max");
}

static void report_head(struct bench *b)
{
	char when[64], la[128];
	time_t t = time(NULL);

	strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S %z", localtime(&t));
	bench_loadavg(la, sizeof(la));
	printf("ccterm floor benchmark, %s\n", when);
	bench_print_value(b->suc, "dataset: queues ", "select count(*) from queue");
	bench_print_value(b->suc, ", agents ", "select count(*) from agent");
	bench_print_value(b->suc, ", calls today ", "select count(*) from call where created_at >= floor_day_start()");
	bench_print_value(b->suc, " (queue_stat rows today ",
			  "select count(*) from queue_stat where bucket >= floor_day_start()");
	bench_print_value(b->suc, "), survey answers in 8 days ",
			  "select count(*) from interaction where kind = 'survey' and occurred_at >= floor_day_start(now(), 7)");
	bench_print_value(b->suc, ", customers ", "select count(*) from customer");
	bench_print_value(b->suc, "; database ", "select current_database()");
	bench_print_value(b->suc, ", ", "select pg_size_pretty(pg_database_size(current_database()))");
	printf("\n");
	bench_print_value(b->suc, "server: PostgreSQL ", "select current_setting('server_version')");
	bench_print_value(b->suc, ", shared_buffers ", "select current_setting('shared_buffers')");
	printf("\nhost: %ld CPUs, load average at start %s\n\n", sysconf(_SC_NPROCESSORS_ONLN), la);
	fflush(stdout);
}

/* ---- main ---------------------------------------------------------------------------- */

static void cleanup(struct bench *b)
{
	stop_sim(b);
	if (b->vt) {
		struct vt *vt = b->vt;

		b->vt = NULL;
		if (vt_type(vt, "<C-q>") == 0)
			vt_wait_exit(vt, 3000, NULL);
		vt_free(vt);
	}
	if (b->su && PQstatus(b->suc) == CONNECTION_OK) {
		PGresult *res = PQexec(b->suc, "delete from call where queue_id = (select id from queue where name = '"
					       BENCH_QUEUE "')");

		PQclear(res);
		res = PQexec(b->suc, "delete from queue where name = '" BENCH_QUEUE "'");
		PQclear(res);
	}
	if (b->raw) {
		PQfinish(b->raw);
		b->raw = NULL;
	}
	if (b->sup) {
		db_close(b->sup);
		b->sup = NULL;
	}
	if (b->su) {
		db_close(b->su);
		b->su = NULL;
	}
	bench_tmpdir_remove(b->tmpdir);
}

static const char usage[] =
	"usage: floor_bench [-d CONNINFO] [--idle-db DB] [--runs N] [--redraws N] [--events N]\n"
	"                   [--event-gap-ms MS] [--sim-rate R] [--sim-agents N] [--idle-secs S]\n"
	"                   [--ccterm PATH] [--cti PATH]\n"
	"  -d CONNINFO     the floor database (bench/run-floor makes it), as a superuser\n"
	"  --idle-db DB    a migrated database with the agent " IDLE_AGENT " and nothing else going on\n"
	"                  (ccterm_idle_bench; \"\" skips part 4)\n"
	"  --runs N        each board's query, db layer and raw libpq (200)\n"
	"  --redraws N     tab switches per tab in the console (50)\n"
	"  --events N      marker calls under the simulator, one per --event-gap-ms (40, 500)\n"
	"  --sim-rate R    ccterm-cti simulate --rate (50); --sim-agents N its agents (200)\n"
	"  --idle-secs S   how long the idle console is watched (30)\n";

static void cleanup_hook(void *b)
{
	cleanup(b);
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "idle-db", required_argument, NULL, 'i' },
		{ "runs", required_argument, NULL, 'n' },
		{ "redraws", required_argument, NULL, 'r' },
		{ "events", required_argument, NULL, 'e' },
		{ "event-gap-ms", required_argument, NULL, 'g' },
		{ "sim-rate", required_argument, NULL, 'R' },
		{ "sim-agents", required_argument, NULL, 'A' },
		{ "idle-secs", required_argument, NULL, 'I' },
		{ "ccterm", required_argument, NULL, 'c' },
		{ "cti", required_argument, NULL, 'C' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	static struct bench bench;
	static char ccterm[4096], cti[4096];
	struct bench *b = &bench;
	const char *bd = getenv("CCTERM_BUILDDIR");
	long sim_calls = 0;
	char la[128];
	int opt;

	bench_on_die("floor_bench", cleanup_hook, b);

	b->o = (struct opts){ .runs = 200, .redraws = 50, .events = 40, .event_gap_ms = 500, .sim_rate = 50,
			      .sim_agents = 200, .idle_secs = 30, .conninfo = "", .idle_db = "ccterm_idle_bench" };
	snprintf(ccterm, sizeof(ccterm), "%s/ccterm", bd && *bd ? bd : ".");
	snprintf(cti, sizeof(cti), "%s/ccterm-cti", bd && *bd ? bd : ".");
	b->o.ccterm = ccterm;
	b->o.cti = cti;
	while ((opt = getopt_long(argc, argv, "d:h", longopts, NULL)) != -1) {
		switch (opt) {
		case 'd': b->o.conninfo = optarg; break;
		case 'i': b->o.idle_db = optarg; break;
		case 'n': b->o.runs = bench_int_arg("--runs", optarg, 1); break;
		case 'r': b->o.redraws = bench_int_arg("--redraws", optarg, 1); break;
		case 'e': b->o.events = bench_int_arg("--events", optarg, 0); break;
		case 'g': b->o.event_gap_ms = bench_int_arg("--event-gap-ms", optarg, 50); break;
		case 'R': b->o.sim_rate = bench_int_arg("--sim-rate", optarg, 1); break;
		case 'A': b->o.sim_agents = bench_int_arg("--sim-agents", optarg, 1); break;
		case 'I': b->o.idle_secs = bench_int_arg("--idle-secs", optarg, 1); break;
		case 'c': b->o.ccterm = optarg; break;
		case 'C': b->o.cti = optarg; break;
		case 'h': fputs(usage, stdout); return 0;
		default: fputs(usage, stderr); return 2;
		}
	}
	if (optind != argc) {
		fputs(usage, stderr);
		return 2;
	}
	if (access(b->o.ccterm, X_OK) != 0 || access(b->o.cti, X_OK) != 0) {
		fprintf(stderr, "floor_bench: %s or %s: %s (build them, or --ccterm / --cti)\n", b->o.ccterm, b->o.cti,
			strerror(errno));
		return 2;
	}
	bench_tmpdir_make(b->tmpdir, sizeof(b->tmpdir), "floor-bench");

	setup_db(b);
	series_init(&b->q_db, "queues (all): db_wallboard_queues", (size_t)b->o.runs);
	series_init(&b->q_trends, "their trends, read apart: db_queue_trends", (size_t)b->o.runs);
	series_init(&b->q_bare, "queues + trends in one (before): raw libpq", (size_t)b->o.runs);
	series_init(&b->c_db, "cases to watch: db_floor_cases", (size_t)b->o.runs);
	series_init(&b->q_raw, "queues (all): raw libpq", (size_t)b->o.runs);
	series_init(&b->a_db, "agents, page of 100 by state: db layer", (size_t)b->o.runs);
	series_init(&b->a_raw, "agents, page of 100 by state: raw libpq", (size_t)b->o.runs);
	series_init(&b->a2_db, "agents, page of 100 by calls today: db layer", (size_t)b->o.runs);
	series_init(&b->b_db, "satisfaction + week: db_branch_satisfaction", (size_t)b->o.runs);
	series_init(&b->b_raw, "satisfaction: raw libpq", (size_t)b->o.runs);
	series_init(&b->redraw_q, "tab 1 queues: key -> new figures drawn", (size_t)b->o.redraws);
	series_init(&b->redraw_a, "tab 2 agents: key -> new figures drawn", (size_t)b->o.redraws);
	series_init(&b->redraw_b, "tab 3 satisfaction: key -> new figures drawn", (size_t)b->o.redraws);
	series_init(&b->event, "call committed -> waiting count on screen", (size_t)b->o.events);
	report_head(b);

	time_queries(b);
	printf("1. the query of one refresh, as the supervisor %s, %d runs each after 10 warm-up\n", SUPERVISOR,
	       b->o.runs);
	print_head();
	series_print(&b->q_db, 44);
	series_print(&b->q_raw, 44);
	series_print(&b->q_trends, 44);
	series_print(&b->q_bare, 44);
	series_print(&b->a_db, 44);
	series_print(&b->a_raw, 44);
	series_print(&b->a2_db, 44);
	series_print(&b->b_db, 44);
	series_print(&b->b_raw, 44);
	series_print(&b->c_db, 44);
	fflush(stdout);

	setup_supervisor(b);
	time_redraws(b);
	printf("\n2. refresh to screen: %s in a %dx%d pty as %s on F9; from a tab key (the console draws the tab,\n"
	       "   fetches its board at once, draws again) to a change made just before (unnotified) on the screen;\n"
	       "   %d per tab after 3 warm-up\n",
	       b->o.ccterm, COLS, ROWS, SUPERVISOR, b->o.redraws);
	print_head();
	series_print(&b->redraw_q, 44);
	series_print(&b->redraw_a, 44);
	series_print(&b->redraw_b, 44);
	fflush(stdout);

	if (b->o.events > 0) {
		time_events(b, &sim_calls);
		stop_sim(b);
		printf("\n3. event to screen under `ccterm-cti simulate --rate %d --agents %d` (%ld calls by the simulator\n"
		       "   meanwhile): a call committed into the unstaffed queue " BENCH_QUEUE " every %d ms, until the\n"
		       "   queue board shows its waiting count; %d missed (not within 5 s)\n",
		       b->o.sim_rate, b->o.sim_agents, sim_calls, b->o.event_gap_ms, b->event_missed);
		print_head();
		series_print(&b->event, 44);
		fflush(stdout);
	}

	/* The supervisor goes first, so nothing of the floor runs during the idle watch. */
	if (b->vt) {
		struct vt *vt = b->vt;

		b->vt = NULL;
		if (vt_type(vt, "<C-q>") == 0)
			vt_wait_exit(vt, 3000, NULL);
		vt_free(vt);
	}
	if (b->o.idle_db[0])
		time_idle(b);

	{
		double rq = b->q_db.n ? pct(&b->q_db, 0.99) : 0, ra = b->a_db.n ? pct(&b->a_db, 0.99) : 0;
		double rb = b->b_db.n ? pct(&b->b_db, 0.99) : 0, e99 = pct(&b->event, 0.99);
		double sq = pct(&b->redraw_q, 0.99), sa = pct(&b->redraw_a, 0.99), sb = pct(&b->redraw_b, 0.99);

		printf("\ntarget refresh <= %.0f ms (query p99): queues %.2f, agents %.2f, satisfaction %.2f: %s\n",
		       TARGET_REFRESH_MS, rq, ra, rb,
		       rq <= TARGET_REFRESH_MS && ra <= TARGET_REFRESH_MS && rb <= TARGET_REFRESH_MS ? "met" : "MISSED");
		printf("target refresh <= %.0f ms (queue board + trends and the cases read with it, p99 %.2f + %.2f): %s\n",
		       TARGET_REFRESH_MS, rq, pct(&b->c_db, 0.99),
		       rq + pct(&b->c_db, 0.99) <= TARGET_REFRESH_MS ? "met" : "MISSED");
		printf("target refresh <= %.0f ms (key -> new figures drawn p99): queues %.2f, agents %.2f, satisfaction %.2f: %s\n",
		       TARGET_REFRESH_MS, sq, sa, sb,
		       sq <= TARGET_REFRESH_MS && sa <= TARGET_REFRESH_MS && sb <= TARGET_REFRESH_MS ? "met" : "MISSED");
		if (b->o.events > 0)
			printf("target event -> screen <= %.0f ms (p99): %.1f, %d missed: %s\n", TARGET_EVENT_MS, e99,
			       b->event_missed, e99 <= TARGET_EVENT_MS && b->event_missed == 0 ? "met" : "MISSED");
	}
	bench_loadavg(la, sizeof(la));
	printf("load average at end %s\n", la);
	cleanup(b);
	return 0;
}
