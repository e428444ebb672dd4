/* console_bench.c - the console's own figures, beside the pop's (pop_bench):
 * start to first screen, resident memory, and key press to the key drawn
 * with the database idle, while calls are offered and taken back, and while
 * the server process serving the console is stopped (SIGSTOP). Prints them;
 * asserts nothing. See bench/README.md. */
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
#include "../tests/screen/vt.h"

#define AGENT "bench_keys"
#define ROWS 24
#define COLS 80

static const char usage[] =
	"usage: bench/console_bench [-d CONNINFO] [--starts N] [--keys N] [--ccterm PATH]\n"
	"  -d CONNINFO  a migrated database, as a role that may create roles (else the libpq environment)\n"
	"  --starts N   consoles started to measure start-up and memory (20)\n"
	"  --keys N     keys typed in each of the three conditions (200)\n";

static struct {
	struct db *db;
	PGconn *pg;
	const char *ccterm;
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

static struct vt *spawn(void)
{
	static char host[600], port[64], dbname[300], user[64], cfg[128], state[128];
	const char *argv[] = { B.ccterm, NULL };
	const char *env[] = { host, port, dbname, user, cfg, state, NULL };
	struct vt *vt;

	snprintf(host, sizeof(host), "PGHOST=%s", PQhost(B.pg));
	snprintf(port, sizeof(port), "PGPORT=%s", PQport(B.pg));
	snprintf(dbname, sizeof(dbname), "PGDATABASE=%s", PQdb(B.pg));
	snprintf(user, sizeof(user), "PGUSER=%s", AGENT);
	snprintf(cfg, sizeof(cfg), "XDG_CONFIG_HOME=%s/config", B.tmpdir);
	snprintf(state, sizeof(state), "XDG_STATE_HOME=%s/state", B.tmpdir);
	vt = vt_spawn(argv, env, ROWS, COLS);
	if (!vt)
		bench_die("cannot start %s: %s", B.ccterm, strerror(errno));
	return vt;
}

/* A process's memory in kB (-1 when unreadable), from smaps_rollup: RSS
 * counts every shared-library page it touched; what one more console costs
 * a host is its private pages (USS), the libraries being shared by all. */
struct mem {
	long rss, pss, uss, anon;
};

static struct mem mem_kb(int pid)
{
	char path[64], line[256];
	struct mem m = { -1, -1, -1, -1 };
	long clean = 0, dirty = 0, v;
	FILE *fp;

	snprintf(path, sizeof(path), "/proc/%d/smaps_rollup", pid);
	fp = fopen(path, "r");
	if (!fp)
		return m;
	while (fgets(line, sizeof(line), fp)) {
		if (sscanf(line, "Rss: %ld", &v) == 1) m.rss = v;
		else if (sscanf(line, "Pss: %ld", &v) == 1) m.pss = v;
		else if (sscanf(line, "Private_Clean: %ld", &v) == 1) clean = v;
		else if (sscanf(line, "Private_Dirty: %ld", &v) == 1) dirty = v;
		else if (sscanf(line, "Anonymous: %ld", &v) == 1) m.anon = v;
	}
	fclose(fp);
	m.uss = clean + dirty;
	return m;
}

static void starts(int n, struct series *start, struct mem *most)
{
	for (int i = 0; i < n; i++) {
		double t0 = now_ms();
		struct vt *vt = spawn();
		struct mem m;

		if (!vt_wait_for(vt, "Waiting for calls", 10000)) {
			vt_dump(vt, stderr);
			bench_die("the console did not start");
		}
		series_add(start, now_ms() - t0);
		vt_wait_quiet(vt, 200, 2000);
		m = mem_kb(vt_pid(vt));
		if (m.rss > most->rss)
			*most = m;
		vt_type(vt, "<C-q>");
		vt_wait_exit(vt, 3000, NULL);
		vt_free(vt);
	}
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

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "starts", required_argument, NULL, 's' },
		{ "keys", required_argument, NULL, 'k' },
		{ "ccterm", required_argument, NULL, 'c' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct agent_spec a = { .login = AGENT, .name = "Bench Keys", .branch = "CALL", .role = "agent" };
	struct series start, idle, offered, stopped;
	const char *conninfo = NULL, *bd = getenv("CCTERM_BUILDDIR");
	static char ccterm[4096], shown[64];
	int nstarts = 20, nkeys = 200, opt;
	struct mem rss = { -1, -1, -1, -1 };
	size_t len = 0;
	char err[512];

	snprintf(ccterm, sizeof(ccterm), "%s/ccterm", bd && *bd ? bd : ".");
	B.ccterm = ccterm;
	while ((opt = getopt_long(argc, argv, "d:h", longopts, NULL)) != -1) {
		switch (opt) {
		case 'd': conninfo = optarg; break;
		case 's': nstarts = int_arg("--starts", optarg, 1); break;
		case 'k': nkeys = int_arg("--keys", optarg, 1); break;
		case 'c': B.ccterm = optarg; break;
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

	series_init(&start, "start -> first screen", (size_t)nstarts);
	series_init(&idle, "key -> drawn, database idle", (size_t)nkeys);
	series_init(&offered, "key -> drawn, a call offered each key", (size_t)nkeys);
	series_init(&stopped, "key -> drawn, server process stopped", (size_t)nkeys);
	starts(nstarts, &start, &rss);
	printf("ccterm console benchmark: %s, %d starts, %d keys each, %dx%d\n", B.ccterm, nstarts, nkeys, COLS, ROWS);
	printf("times in ms                                      n       p50       p90       p99       max\n");
	series_print(&start, 44);
	printf("memory of a console after start (the largest RSS of the %d): RSS %ld kB (target <= 8 MB: %s), "
	       "PSS %ld kB, private (USS) %ld kB of which heap and stack %ld kB; RSS - USS = shared library pages, "
	       "counted once per host\n", nstarts, rss.rss, rss.rss >= 0 && rss.rss <= 8192 ? "met" : "MISSED", rss.pss,
	       rss.uss, rss.anon);
	printf("target start -> first screen <= 100 ms: %s (p99 %.1f ms)\n", pct(&start, 0.99) <= 100 ? "met" : "MISSED",
	       pct(&start, 0.99));
	fflush(stdout);

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

	series_print(&idle, 44);
	series_print(&offered, 44);
	series_print(&stopped, 44);
	cleanup(NULL);
	db_close(B.db);
	return 0;
}
