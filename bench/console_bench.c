/* console_bench.c - the console's own figures, beside the pop's (pop_bench):
 * start to first screen (exec -> the home screen with the agent on the
 * status bar) beside a bare libpq program's exec -> connect + select 1 and
 * the same connect + select 1 in this process; resident memory at the home
 * screen and after a pop, per mapping, beside a bare libpq program and a
 * bare curses program; and key press to the key drawn with the database
 * idle, while calls are offered and taken back, and while the server
 * process serving the console is stopped (SIGSTOP). Prints them; asserts
 * nothing. See bench/README.md. */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ccterm/admin.h"
#include "ccterm/floor.h"
#include "bench.h"
#include "series.h"
#include "smaps.h"
#include "../tests/screen/vt.h"

#define AGENT "bench_keys"
#define ROWS 24
#define COLS 80

static const char usage[] =
	"usage: bench/console_bench [-d CONNINFO] [--starts N] [--keys N] [--ccterm PATH] [--bare DIR]\n"
	"  -d CONNINFO  a migrated database, as a role that may create roles (else the libpq environment)\n"
	"  --starts N   consoles (and bare programs) started to measure start-up and memory (50)\n"
	"  --keys N     keys typed in each of the three conditions (200)\n"
	"  --ccterm PATH  the console ($CCTERM_BUILDDIR/ccterm, else ./ccterm)\n"
	"  --lang LOCALE  the consoles' LANG and LC_ALL (e.g. ko_KR.UTF-8): the starts and the pop, no keys\n"
	"  --bare DIR   where bare_libpq, bare_libpq_skip and bare_curses are ($CCTERM_BUILDDIR/bench, else ./bench)\n";

static struct {
	struct db *db;
	PGconn *pg;
	const char *ccterm;
	const char *lang;       /* --lang: the consoles' locale (else C.UTF-8, vt.h) */
	char bare_libpq[4096], bare_skip[4096], bare_curses[4096];
	char tmpdir[64];
	struct vt *vt;
	pid_t stopped;
	long long call;
} B;

static void cleanup(void *arg)
{
	char cmd[128];

	(void)arg;
	if (B.stopped > 0)
		kill(B.stopped, SIGCONT);
	if (B.call)
		db_call_hangup(B.db, B.call, NULL);
	vt_free(B.vt);
	B.vt = NULL;
	if (B.tmpdir[0]) {
		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", B.tmpdir);
		if (system(cmd) != 0)
			fprintf(stderr, "console_bench: could not remove %s\n", B.tmpdir);
	}
}

static struct vt *spawn_prog(const char *prog)
{
	static char host[600], port[64], dbname[300], user[64], cfg[128], state[128], lang[96], lc_all[96];
	const char *argv[] = { prog, NULL };
	const char *env[] = { host, port, dbname, user, cfg, state, NULL, NULL, NULL };
	struct vt *vt;

	if (B.lang) {   /* else vt.h's C.UTF-8 */
		env[6] = lang;
		env[7] = lc_all;
	}
	snprintf(lang, sizeof(lang), "LANG=%s", B.lang ? B.lang : "");
	snprintf(lc_all, sizeof(lc_all), "LC_ALL=%s", B.lang ? B.lang : "");
	snprintf(host, sizeof(host), "PGHOST=%s", PQhost(B.pg));
	snprintf(port, sizeof(port), "PGPORT=%s", PQport(B.pg));
	snprintf(dbname, sizeof(dbname), "PGDATABASE=%s", PQdb(B.pg));
	snprintf(user, sizeof(user), "PGUSER=%s", AGENT);
	snprintf(cfg, sizeof(cfg), "XDG_CONFIG_HOME=%s/config", B.tmpdir);
	snprintf(state, sizeof(state), "XDG_STATE_HOME=%s/state", B.tmpdir);
	vt = vt_spawn(argv, env, ROWS, COLS);
	if (!vt)
		bench_die("cannot start %s: %s", prog, strerror(errno));
	return vt;
}

static struct vt *spawn(void)
{
	return spawn_prog(B.ccterm);
}

/* The largest of several readings of a kind of process; its RSS (0: none). */
static long keep_largest(struct smaps *most, int pid)
{
	struct smaps m;
	long rss;

	if (!smaps_read(pid, &m))
		return 0;
	rss = m.rss;
	if (m.rss > most->rss) {
		smaps_free(most);
		*most = m;
	} else {
		smaps_free(&m);
	}
	return rss;
}

/* The home screen drawn: its line and the agent on the status bar (in
 * another language: the agent on the status bar, drawn in the same frame). */
static bool home_drawn(struct vt *vt)
{
	return (B.lang || vt_wait_for(vt, "Waiting for calls", 10000)) && vt_wait_for(vt, " Bench Keys │", 10000);
}

struct starts {
	struct series console, bare, inproc, inproc_agent;
	struct smaps console_mem, libpq_mem, skip_mem, curses_mem;
	long console_rss_sum;   /* kB, over console_rss_n starts */
	int console_rss_n;
};

/* One console start: exec -> home screen; its memory once settled. */
static void start_console(struct starts *st)
{
	double t0 = now_ms();
	struct vt *vt = spawn();
	long rss;

	if (!home_drawn(vt)) {
		vt_dump(vt, stderr);
		bench_die("the console did not start");
	}
	series_add(&st->console, now_ms() - t0);
	vt_wait_quiet(vt, 200, 2000);
	rss = keep_largest(&st->console_mem, vt_pid(vt));
	if (rss > 0) {
		st->console_rss_sum += rss;
		st->console_rss_n++;
	}
	vt_type(vt, "<C-q>");
	vt_wait_exit(vt, 3000, NULL);
	vt_free(vt);
}

/* The floor: a program with libpq alone, exec -> connected + select 1
 * (timed when t is not NULL). */
static void start_bare_libpq(const char *prog, struct series *t, struct smaps *mem)
{
	double t0 = now_ms();
	struct vt *vt = spawn_prog(prog);

	if (!vt_wait_for(vt, "connected", 10000)) {
		vt_dump(vt, stderr);
		bench_die("%s did not connect", prog);
	}
	if (t)
		series_add(t, now_ms() - t0);
	keep_largest(mem, vt_pid(vt));
	vt_type(vt, "<Enter>");
	vt_wait_exit(vt, 3000, NULL);
	vt_free(vt);
}

static void start_bare_curses(struct starts *st)
{
	struct vt *vt = spawn_prog(B.bare_curses);

	if (!vt_wait_for(vt, "bare curses ready", 10000)) {
		vt_dump(vt, stderr);
		bench_die("%s did not start", B.bare_curses);
	}
	vt_wait_quiet(vt, 100, 2000);
	keep_largest(&st->curses_mem, vt_pid(vt));
	vt_type(vt, "q");
	vt_wait_exit(vt, 3000, NULL);
	vt_free(vt);
}

/* The same connect + one statement in this process: no exec, no dynamic
 * linking. sql: select 1, or the console's first read (its agent: a fresh
 * server process's first look at the catalog for agent_me). */
static void start_inproc(struct series *t, const char *sql)
{
	char conninfo[1200];
	double t0 = now_ms();
	PGconn *c;
	PGresult *r;

	snprintf(conninfo, sizeof(conninfo), "host='%s' port='%s' dbname='%s' user=" AGENT, PQhost(B.pg), PQport(B.pg),
		 PQdb(B.pg));
	c = PQconnectdb(conninfo);
	if (PQstatus(c) != CONNECTION_OK)
		bench_die("connect as " AGENT ": %s", PQerrorMessage(c));
	r = PQexec(c, sql);
	if (PQresultStatus(r) != PGRES_TUPLES_OK)
		bench_die("%s: %s", sql, PQerrorMessage(c));
	series_add(t, now_ms() - t0);
	PQclear(r);
	PQfinish(c);
}

/* The machine's load average over the last minute, -1 when unreadable. */
static double loadavg(void)
{
	FILE *fp = fopen("/proc/loadavg", "r");
	double l = -1;

	if (fp) {
		if (fscanf(fp, "%lf", &l) != 1)
			l = -1;
		fclose(fp);
	}
	return l;
}

/* Interleaved, so that the load of the machine weighs on all alike. */
static void starts(int n, struct starts *st)
{
	for (int i = 0; i < n; i++) {
		start_console(st);
		start_bare_libpq(B.bare_libpq, &st->bare, &st->libpq_mem);
		start_inproc(&st->inproc, "select 1");
		start_inproc(&st->inproc_agent, "select login, name from agent_me");
		if (i < 5) {
			start_bare_libpq(B.bare_skip, NULL, &st->skip_mem);
			start_bare_curses(st);
		}
	}
}

/* The console's RSS by where it comes from: the files a bare libpq program
 * maps (libc, libpq and what Debian's libpq pulls in), those a bare curses
 * program maps besides, the console's own binary, its heap, stack and
 * anonymous pages, and the rest (libedit, locale files ...). */
static void print_memory(const char *what, const struct smaps *m, const struct starts *st, const char *self)
{
	long libpq = 0, curses = 0, own = 0, anon = 0, rest = 0, libpq_priv = 0;

	for (size_t i = 0; i < m->n; i++) {
		const struct smaps_entry *e = &m->e[i];

		if (e->name[0] == '[')
			anon += e->rss;
		else if (strcmp(e->name, self) == 0)
			own += e->rss;
		else if (smaps_find(&st->libpq_mem, e->name)) {
			libpq += e->rss;
			libpq_priv += e->dirty;
		} else if (smaps_find(&st->curses_mem, e->name))
			curses += e->rss;
		else
			rest += e->rss;
	}
	printf("%s: RSS %ld kB (target <= 8 MB = 8192 kB: %s), PSS %ld kB, private (USS) %ld kB, private dirty %ld kB\n",
	       what, m->rss, m->rss > 0 && m->rss <= 8192 ? "met" : "MISSED", m->pss, m->priv, m->dirty);
	printf("  by origin, RSS kB: libraries a bare libpq program maps %ld (of which written: %ld), ncurses %ld, "
	       "ccterm's binary %ld, heap + stack + anonymous %ld, the rest (libedit, locale ...) %ld\n",
	       libpq, libpq_priv, curses, own, anon, rest);
}

/* Types one printable key into the search field; the ms until it shows. */
static double key(struct vt *vt, char *shown, size_t *len)
{
	char k[2] = { (char)('a' + (int)(*len % 26)), '\0' };
	double t0;

	if (*len >= 40) {   /* the field is full enough: clear it */
		vt_type(vt, "<C-u>");
		if (!vt_wait_gone(vt, shown, 2000))
			bench_die("the search field did not clear");
		*len = 0;
		k[0] = 'a';
	}
	shown[(*len)++] = k[0];
	shown[*len] = '\0';
	t0 = now_ms();
	vt_type(vt, k);
	if (!vt_wait_for(vt, shown, 10000)) {
		vt_dump(vt, stderr);
		bench_die("a key did not show within 10 s");
	}
	return now_ms() - t0;
}

static int backend_pid(void)
{
	PGresult *res = bench_query(B.pg, "select pid from pg_stat_activity where usename = '" AGENT "' "
				    "and application_name = 'ccterm'", 0, NULL);
	int pid = PQntuples(res) == 1 ? atoi(PQgetvalue(res, 0, 0)) : -1;

	PQclear(res);
	return pid;
}

/* A call from a customer with a phone of their own: the pop drawn (the
 * contact form with the customer's header), then the console's memory. */
static void pop_once(struct smaps *m)
{
	PGresult *res = bench_query(B.pg,
		"select c.name, c.tier, cp.value from customer c "
		"join customer_contact cc on cc.customer_id = c.id "
		"join contact_point cp on cp.id = cc.contact_point_id and cp.kind = 'phone' "
		"where (select count(*) from customer_contact z where z.contact_point_id = cp.id) = 1 "
		"  and c.name ~ '^[[:alnum:] .가-힣-]{1,30}$' order by c.id limit 1", 0, NULL);
	char want[300];

	if (PQntuples(res) != 1)
		bench_die("no customer with a phone of their own: load data first (ccterm-admin demo-data)");
	/* In another language the tier is translated: the name and its bracket. */
	if (B.lang)
		snprintf(want, sizeof(want), "%s [", PQgetvalue(res, 0, 0));
	else
		snprintf(want, sizeof(want), "%s [%s]", PQgetvalue(res, 0, 0), PQgetvalue(res, 0, 1));
	if (db_call_arrive(B.db, PQgetvalue(res, 0, 2), NULL, NULL, AGENT, &B.call) < 0)
		bench_die("call: %s", db_error(B.db));
	PQclear(res);
	if (!vt_wait_for(B.vt, want, 10000)) {
		vt_dump(B.vt, stderr);
		bench_die("the pop (\"%s\") was not drawn", want);
	}
	vt_wait_quiet(B.vt, 300, 3000);
	if (!smaps_read(vt_pid(B.vt), m))
		bench_die("cannot read the console's memory");
}

static int int_arg(const char *name, const char *v, int min)
{
	char *end;
	long n = strtol(v, &end, 10);

	if (*v == '\0' || *end != '\0' || n < min || n > 1000000) {
		fprintf(stderr, "console_bench: %s: '%s' is not a number >= %d\n", name, v, min);
		exit(2);
	}
	return (int)n;
}

/* The last measurement of a run: one pop, the memory after it; then all is freed. */
static int pop_and_finish(struct starts *st, const char *self)
{
	struct smaps popped = { 0 };

	pop_once(&popped);
	print_memory("console after a pop (the contact form open)", &popped, st, self);
	smaps_print_top(&popped, 8, "  ");
	smaps_free(&popped);
	smaps_free(&st->console_mem);
	smaps_free(&st->libpq_mem);
	smaps_free(&st->skip_mem);
	smaps_free(&st->curses_mem);
	cleanup(NULL);
	db_close(B.db);
	return 0;
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "starts", required_argument, NULL, 's' },
		{ "keys", required_argument, NULL, 'k' },
		{ "ccterm", required_argument, NULL, 'c' },
		{ "bare", required_argument, NULL, 'b' },
		{ "lang", required_argument, NULL, 'l' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct agent_spec a = { .login = AGENT, .name = "Bench Keys", .branch = "CALL", .role = "agent" };
	static struct starts st;
	struct series idle, offered, stopped;
	char self[4096];
	double load0;
	const char *conninfo = NULL, *bd = getenv("CCTERM_BUILDDIR");
	static char ccterm[4096], shown[64];
	int nstarts = 50, nkeys = 200, opt;
	size_t len = 0;
	char err[512];

	snprintf(ccterm, sizeof(ccterm), "%s/ccterm", bd && *bd ? bd : ".");
	B.ccterm = ccterm;
	snprintf(B.bare_libpq, sizeof(B.bare_libpq), "%s/bench/bare_libpq", bd && *bd ? bd : ".");
	snprintf(B.bare_skip, sizeof(B.bare_skip), "%s/bench/bare_libpq_skip", bd && *bd ? bd : ".");
	snprintf(B.bare_curses, sizeof(B.bare_curses), "%s/bench/bare_curses", bd && *bd ? bd : ".");
	while ((opt = getopt_long(argc, argv, "d:h", longopts, NULL)) != -1) {
		switch (opt) {
		case 'd': conninfo = optarg; break;
		case 's': nstarts = int_arg("--starts", optarg, 1); break;
		case 'k': nkeys = int_arg("--keys", optarg, 1); break;
		case 'c': B.ccterm = optarg; break;
		case 'l': B.lang = optarg; break;
		case 'b':
			snprintf(B.bare_libpq, sizeof(B.bare_libpq), "%s/bare_libpq", optarg);
			snprintf(B.bare_skip, sizeof(B.bare_skip), "%s/bare_libpq_skip", optarg);
			snprintf(B.bare_curses, sizeof(B.bare_curses), "%s/bare_curses", optarg);
			break;
		case 'h': fputs(usage, stdout); return 0;
		default: fputs(usage, stderr); return 2;
		}
	}
	bench_on_die("console_bench", cleanup, NULL);
	B.db = db_open(conninfo, err, sizeof(err));
	if (!B.db)
		bench_die("%s", err);
	B.pg = db_pg(B.db);
	if (admin_branch_add(B.db, "CALL", "Call center", "Seoul") < 0 || admin_agent_add(B.db, &a) < 0)
		bench_die("agent add: %s", db_error(B.db));
	snprintf(B.tmpdir, sizeof(B.tmpdir), "/tmp/ccterm-keys-XXXXXX");
	if (!mkdtemp(B.tmpdir))
		bench_die("mkdtemp: %s", strerror(errno));

	if (!realpath(B.ccterm, self))
		bench_die("%s: %s", B.ccterm, strerror(errno));
	series_init(&st.console, "console: exec -> home screen drawn", (size_t)nstarts);
	series_init(&st.bare, "bare libpq: exec -> connect + select 1", (size_t)nstarts);
	series_init(&st.inproc, "in process: connect + select 1", (size_t)nstarts);
	series_init(&st.inproc_agent, "in process: connect + read agent_me", (size_t)nstarts);
	series_init(&idle, "key -> drawn, database idle", (size_t)nkeys);
	series_init(&offered, "key -> drawn, a call offered each key", (size_t)nkeys);
	series_init(&stopped, "key -> drawn, server process stopped", (size_t)nkeys);
	load0 = loadavg();
	starts(nstarts, &st);
	printf("ccterm console benchmark: %s, %d starts, %d keys each, %dx%d, %s; load average %.2f at start, %.2f "
	       "after the starts\n", B.ccterm, nstarts, nkeys, COLS, ROWS, B.lang ? B.lang : "C.UTF-8", load0, loadavg());
	printf("times in ms                                      n       p50       p90       p99       max\n");
	series_print(&st.console, 44);
	series_print(&st.bare, 44);
	series_print(&st.inproc, 44);
	series_print(&st.inproc_agent, 44);
	printf("target start -> first screen <= 100 ms: %s (p99 %.1f ms; the console's p50 is %.1f ms over a bare "
	       "libpq program's)\n", pct(&st.console, 0.99) <= 100 ? "met" : "MISSED", pct(&st.console, 0.99),
	       pct(&st.console, 0.5) - pct(&st.bare, 0.5));
	printf("\nmemory (the largest RSS of each kind; kB):\n");
	print_memory("console at the home screen", &st.console_mem, &st, self);
	printf("  RSS over the %d starts: mean %ld kB, largest %ld kB\n", st.console_rss_n,
	       st.console_rss_n ? st.console_rss_sum / st.console_rss_n : 0, st.console_mem.rss);
	printf("  bare libpq program (connect + select 1): RSS %ld, USS %ld; the same skipping GnuTLS's implicit init "
	       "as the console does: RSS %ld, USS %ld; bare curses program: RSS %ld, USS %ld\n",
	       st.libpq_mem.rss, st.libpq_mem.priv, st.skip_mem.rss, st.skip_mem.priv, st.curses_mem.rss,
	       st.curses_mem.priv);
	printf("  the console itself over the bare libpq program that skips GnuTLS's init: RSS %+ld kB, USS %+ld kB\n",
	       st.console_mem.rss - st.skip_mem.rss, st.console_mem.priv - st.skip_mem.priv);
	printf("  the console's largest mappings:\n");
	smaps_print_top(&st.console_mem, 16, "  ");
	fflush(stdout);
	if (B.lang) {   /* the keys' screens are waited for by English texts: the pop alone */
		B.vt = spawn();
		if (!home_drawn(B.vt))
			bench_die("the console did not start");
		vt_wait_quiet(B.vt, 200, 2000);
		printf("\n");
		return pop_and_finish(&st, self);
	}

	B.vt = spawn();
	if (!vt_wait_for(B.vt, "Waiting for calls", 10000))
		bench_die("the console did not start");
	vt_type(B.vt, "<F2>");
	if (!vt_wait_for(B.vt, "Search:", 3000))
		bench_die("no search field");
	for (int i = 0; i < nkeys; i++)
		series_add(&idle, key(B.vt, shown, &len));
	/* A call committed just before each key: its notification, the truth
	 * read and the banner race the key. */
	for (int i = 0; i < nkeys; i++) {
		if (db_call_arrive(B.db, "+821099990001", NULL, NULL, AGENT, &B.call) < 0)
			bench_die("call: %s", db_error(B.db));
		series_add(&offered, key(B.vt, shown, &len));
		if (db_call_hangup(B.db, B.call, NULL) < 0)
			bench_die("hangup: %s", db_error(B.db));
		B.call = 0;
	}
	B.stopped = backend_pid();
	if (B.stopped <= 0 || kill(B.stopped, SIGSTOP) != 0)
		bench_die("cannot stop the console's server process");
	for (int i = 0; i < nkeys; i++)
		series_add(&stopped, key(B.vt, shown, &len));
	kill(B.stopped, SIGCONT);
	B.stopped = 0;

	/* Out of the search field: a pop never takes the screen while the agent types. */
	vt_type(B.vt, "<C-u><Esc>");
	if (!vt_wait_for(B.vt, "Waiting for calls", 5000)) {
		vt_dump(B.vt, stderr);
		bench_die("the console did not go back to the home screen");
	}
	printf("\n");
	series_print(&idle, 44);
	series_print(&offered, 44);
	series_print(&stopped, 44);
	printf("\n");
	return pop_and_finish(&st, self);
}
