/* relay_bench.c - N consoles on one database, their notifications through
 * ccterm-relayd and then through their own LISTEN, in the same run, under
 * the load of `ccterm-cti simulate`. The consoles are the real program
 * (`ccterm --headless`: the same desk, gateway and relay link, nothing
 * drawn), each as a uid of its own as on a real host (the relay knows them
 * by SO_PEERCRED), so this runs as root. Prints pop p50/p90/p99 (commit of
 * the call -> the console has its pop in hand), the server's CPU and memory,
 * the relay's and the consoles' resident memory. See bench/RELAY.md. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <grp.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "ccterm/admin.h"
#include "bench.h"
#include "series.h"
#include "statements.h"

#define UID_BASE 40000
#define DNIS "+8215881234"

static const char usage[] =
	"usage: bench/relay_bench [-d CONNINFO] [--consoles N] [--calls M] [--gap-ms G] [--sim-rate R]\n"
	"                         [--rounds K] [--relay-nice N] [--statements T]\n"
	"                         [--ccterm PATH] [--relayd PATH] [--cti PATH]\n"
	"  -d CONNINFO   a migrated database with customers, as a superuser (else the libpq environment)\n"
	"  --consoles N  headless consoles (100)\n"
	"  --calls M     calls measured each way (200)\n"
	"  --gap-ms G    between two calls (50)\n"
	"  --sim-rate R  ccterm-cti simulate --rate R beside, 0: none (50)\n"
	"  --relay-nice N  the relay's nice increment (0; -10 as a service would give it)\n"
	"  --rounds K    relay, then direct, K times (2)\n"
	"  --statements T  each way's commits and WAL flushes a second; with pg_stat_statements\n"
	"                the T statements that took the server's time in the first round (0: none)\n"
	"  --callers K   known (default): each call from a customer's own number, the pop prepared\n"
	"                first as ccterm-cti does, so the offer carries it sealed (no round trip);\n"
	"                unknown: every call from a number nobody has (its pop, the call row, sealed too)\n";

struct console {
	pid_t pid;
	int out;                  /* its stdout */
	char login[32];
	char buf[512];
	size_t len;
	char mode[16];            /* "relay", "direct" or "" */
};

static struct {
	struct db *db;
	PGconn *pg;
	struct console *c;
	int n;
	pid_t relay, sim;
	char dir[64], sock[128];
	const char *ccterm, *relayd, *cti;
	char (*phones)[24];       /* --callers known: numbers of one customer each */
	int nphones;
} B;

/* Numbers one customer each has, for --callers known. */
static void phones_load(int want)
{
	char lim[16];
	const char *p[1] = { lim };
	PGresult *res;

	snprintf(lim, sizeof(lim), "%d", want);
	res = bench_query(B.pg, "select cp.value from contact_point cp join customer_contact cc on cc.contact_point_id = cp.id "
				"where cp.kind = 'phone' group by cp.value having count(*) = 1 order by min(cc.customer_id) "
				"limit $1::integer", 1, p);
	B.nphones = PQntuples(res);
	B.phones = calloc((size_t)B.nphones + 1, sizeof(*B.phones));
	if (!B.phones || B.nphones == 0)
		bench_die("--callers known: no customer has a number of their own");
	for (int i = 0; i < B.nphones; i++)
		snprintf(B.phones[i], sizeof(B.phones[i]), "%s", PQgetvalue(res, i, 0));
	PQclear(res);
}

static void cleanup(void *arg)
{
	char cmd[128];

	(void)arg;
	for (int i = 0; i < B.n; i++)
		if (B.c[i].pid > 0)
			kill(B.c[i].pid, SIGTERM);
	for (int i = 0; i < B.n; i++)
		if (B.c[i].pid > 0)
			waitpid(B.c[i].pid, NULL, 0);
	if (B.sim > 0) {
		kill(B.sim, SIGTERM);
		waitpid(B.sim, NULL, 0);
	}
	if (B.relay > 0) {
		kill(B.relay, SIGTERM);
		waitpid(B.relay, NULL, 0);
	}
	B.n = 0;
	B.sim = B.relay = 0;
	if (B.dir[0]) {
		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", B.dir);
		if (system(cmd) != 0)
			fprintf(stderr, "relay_bench: could not remove %s\n", B.dir);
		B.dir[0] = '\0';
	}
}

/* --- processes ---------------------------------------------------------- */

static int relay_nice;

static pid_t spawn(const char *const argv[], const char *const env[], uid_t uid, int *out, const char *errlog)
{
	int p[2] = { -1, -1 };
	pid_t pid;

	if (out && pipe(p) < 0)
		bench_die("pipe: %s", strerror(errno));
	pid = fork();
	if (pid < 0)
		bench_die("fork: %s", strerror(errno));
	if (pid == 0) {
		int null = open("/dev/null", O_RDWR), err = open(errlog, O_WRONLY | O_CREAT | O_APPEND, 0666);

		dup2(null, 0);
		dup2(out ? p[1] : null, 1);
		dup2(err >= 0 ? err : null, 2);
		for (int i = 0; env && env[i]; i++)
			putenv((char *)env[i]);
		if (!out && !uid && relay_nice && argv[0] == B.relayd && nice(relay_nice) == -1)
			_exit(125);
		if (uid && (setgroups(0, NULL) < 0 || setgid(uid) < 0 || setuid(uid) < 0))
			_exit(126);
		execv(argv[0], (char *const *)argv);
		_exit(127);
	}
	if (out) {
		close(p[1]);
		fcntl(p[0], F_SETFL, O_NONBLOCK);
		*out = p[0];
	}
	return pid;
}

static void relay_start(void)
{
	char map[160], errlog[160];
	const char *argv[] = { B.relayd, "-s", B.sock, "--map", map, "--max-clients", "8192",
			       "--max-per-uid", "4", NULL };
	FILE *fp;

	snprintf(map, sizeof(map), "%s/map", B.dir);
	snprintf(errlog, sizeof(errlog), "%s/relay.log", B.dir);
	fp = fopen(map, "w");
	if (!fp)
		bench_die("%s: %s", map, strerror(errno));
	for (int i = 0; i < B.n; i++)
		fprintf(fp, "%d %s\n", UID_BASE + i, B.c[i].login);
	fclose(fp);
	B.relay = spawn(argv, NULL, 0, NULL, errlog);
}

static void consoles_start(void)
{
	char errlog[160];

	snprintf(errlog, sizeof(errlog), "%s/consoles.log", B.dir);
	for (int i = 0; i < B.n; i++) {
		static char user[64], state[200], relay[200], cfg[200];
		const char *argv[] = { B.ccterm, "--headless", NULL };
		const char *env[] = { user, state, relay, cfg, NULL };
		char sdir[160];

		snprintf(sdir, sizeof(sdir), "%s/s%d", B.dir, i);
		if (mkdir(sdir, 0700) < 0 || chown(sdir, UID_BASE + i, UID_BASE + i) < 0)
			bench_die("%s: %s", sdir, strerror(errno));
		snprintf(user, sizeof(user), "PGUSER=%s", B.c[i].login);
		snprintf(state, sizeof(state), "XDG_STATE_HOME=%s", sdir);
		snprintf(cfg, sizeof(cfg), "XDG_CONFIG_HOME=%s", sdir);
		snprintf(relay, sizeof(relay), "CCTERM_RELAY=%s", B.sock);
		B.c[i].pid = spawn(argv, env, UID_BASE + i, &B.c[i].out, errlog);
	}
}

/* Reads what console i printed; a whole line into line, true when one. */
static bool console_line(int i, char *line, size_t size)
{
	struct console *c = &B.c[i];
	char *nl;
	ssize_t n;

	if (!(nl = memchr(c->buf, '\n', c->len))) {
		n = read(c->out, c->buf + c->len, sizeof(c->buf) - 1 - c->len);
		if (n > 0)
			c->len += (size_t)n;
		nl = memchr(c->buf, '\n', c->len);
	}
	if (!nl)
		return false;
	*nl = '\0';
	snprintf(line, size, "%s", c->buf);
	if (strncmp(line, "listening ", 10) == 0)
		snprintf(c->mode, sizeof(c->mode), "%s", line + 10);
	c->len -= (size_t)(nl + 1 - c->buf);
	memmove(c->buf, nl + 1, c->len);
	return true;
}

/* Every console says it listens the given way, within ms. */
static void wait_mode(const char *mode, int ms)
{
	double end = now_ms() + ms;
	char line[512];

	for (;;) {
		int not = 0;

		for (int i = 0; i < B.n; i++) {
			while (console_line(i, line, sizeof(line)))
				;
			not += strcmp(B.c[i].mode, mode) != 0;
		}
		if (!not)
			return;
		if (now_ms() > end)
			bench_die("%d of %d consoles do not listen %s after %d s (see %s/consoles.log)", not, B.n, mode,
				  ms / 1000, B.dir);
		usleep(50000);
	}
}

/* --- what the server and the processes use -------------------------------- */

struct usage {
	double cpu_s;             /* user + system, the postgres processes */
	double consoles_s;        /* of it, the consoles' backends (application_name ccterm) */
	double background_s;      /* the postmaster and the server's own processes (WAL writer ...) */
	double rss_mb, pss_mb;    /* their resident / proportional memory */
	int procs;
};

static double proc_cpu(pid_t pid)
{
	char path[64], buf[1024], *p;
	unsigned long ut = 0, st = 0;
	FILE *fp;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	fp = fopen(path, "r");
	if (!fp)
		return 0;
	if (!fgets(buf, sizeof(buf), fp))
		buf[0] = '\0';
	fclose(fp);
	p = strrchr(buf, ')');
	if (!p || sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu", &ut, &st) != 2)
		return 0;
	return (double)(ut + st) / (double)sysconf(_SC_CLK_TCK);
}

/* kB of a "Name:   N kB" line of a /proc file. */
static double proc_kb(pid_t pid, const char *file, const char *name)
{
	char path[64], line[256];
	double kb = 0;
	FILE *fp;

	snprintf(path, sizeof(path), "/proc/%d/%s", (int)pid, file);
	fp = fopen(path, "r");
	if (!fp)
		return 0;
	while (fgets(line, sizeof(line), fp))
		if (strncmp(line, name, strlen(name)) == 0) {
			kb = atof(line + strlen(name));
			break;
		}
	fclose(fp);
	return kb;
}

/* The cluster's processes: every one pg_stat_activity lists, and the
 * postmaster (their parent); the server runs on this machine. */
static struct usage server_usage(void)
{
	PGresult *res = bench_query(B.pg, "select pid, max(application_name), bool_or(backend_type <> 'client backend') "
				    "from (select pid, application_name, backend_type from pg_stat_activity "
				    "union all select pg_backend_pid(), '', 'client backend') a group by pid", 0, NULL);
	struct usage u = { 0 };
	pid_t parent = 0;

	for (int i = 0; i < PQntuples(res); i++) {
		pid_t pid = atoi(PQgetvalue(res, i, 0));

		if (!parent)
			parent = (pid_t)proc_kb(pid, "status", "PPid:");
		double cpu = proc_cpu(pid);

		u.cpu_s += cpu;
		if (strcmp(PQgetvalue(res, i, 1), "ccterm") == 0)
			u.consoles_s += cpu;
		else if (strcmp(PQgetvalue(res, i, 2), "t") == 0)
			u.background_s += cpu;
		u.rss_mb += proc_kb(pid, "status", "VmRSS:") / 1024;
		u.pss_mb += proc_kb(pid, "smaps_rollup", "Pss:") / 1024;
		u.procs++;
	}
	PQclear(res);
	if (parent > 1) {
		double cpu = proc_cpu(parent);

		u.cpu_s += cpu;
		u.background_s += cpu;
		u.rss_mb += proc_kb(parent, "status", "VmRSS:") / 1024;
		u.pss_mb += proc_kb(parent, "smaps_rollup", "Pss:") / 1024;
		u.procs++;
	}
	return u;
}

/* --- the measurement ------------------------------------------------------ */

static void measure(const char *via, int calls, int gap_ms, struct series *s)
{
	char line[512];
	int late = 0;

	for (int k = 0; k < calls; k++) {
		int i = k % B.n;
		const char *p[2] = { B.nphones ? B.phones[k % B.nphones] : "+821055500000", B.c[i].login };
		/* as ccterm-cti: the pop prepared in a transaction of its own, then the call */
		if (B.nphones)
			bench_exec(B.pg, "select pop_prepare($1)", 1, p);
		/* t0: the server's clock once the call is in, just before the
		 * commit that sends its notification (the same machine's clock as
		 * the console's; this process may be scheduled late to see its reply). */
		PGresult *res = bench_query(B.pg, "select id, (extract(epoch from clock_timestamp()) * 1000000)::bigint "
					    "from (select call_arrive($1, $1, '" DNIS "', null, $2) as id offset 0) c", 2, p);
		long long t0 = atoll(PQgetvalue(res, 0, 1)), id = atoll(PQgetvalue(res, 0, 0)), got = 0;
		double end = now_ms() + 5000;
		char ids[24];

		PQclear(res);
		while (!got && now_ms() < end) {
			struct pollfd pfd = { .fd = B.c[i].out, .events = POLLIN };
			long long cid, us;
			char how[16];

			if (!console_line(i, line, sizeof(line))) {
				poll(&pfd, 1, 20);
				continue;
			}
			if (sscanf(line, "pop %lld %lld %15s", &cid, &us, how) == 3 && cid == id) {
				got = us;
				if (strcmp(how, via) != 0)
					bench_die("console %s popped call %lld %s, not %s", B.c[i].login, id, how, via);
			}
		}
		if (got)
			series_add(s, (double)(got - t0) / 1000.0);
		else
			late++;
		snprintf(ids, sizeof(ids), "%lld", id);
		{
			const char *hp[1] = { ids };

			bench_exec(B.pg, "select call_hangup($1::bigint)", 1, hp);
		}
		if (gap_ms)
			usleep((useconds_t)gap_ms * 1000);
	}
	if (late)
		printf("  %s: %d of %d pops did not come within 5 s\n", via, late, calls);
}

static void print_usage_line(const char *label, const double cpu_s[3], const struct usage *b, double secs)
{
	printf("  %-8s server CPU %.0f%% of a core (the consoles' backends %.0f%%, the server's own processes %.0f%%, "
	       "the other clients' %.0f%%), %d processes, RSS %.0f MB (PSS %.0f MB)\n", label, 100.0 * cpu_s[0] / secs,
	       100.0 * cpu_s[1] / secs, 100.0 * cpu_s[2] / secs, 100.0 * (cpu_s[0] - cpu_s[1] - cpu_s[2]) / secs, b->procs,
	       b->rss_mb, b->pss_mb);
}

/* What the server used between a and b: all, the consoles', its own. */
static void usage_add(double acc[3], const struct usage *a, const struct usage *b)
{
	acc[0] += b->cpu_s - a->cpu_s;
	acc[1] += b->consoles_s - a->consoles_s;
	acc[2] += b->background_s - a->background_s;
}

static void consoles_rss(void)
{
	double sum = 0, max = 0;

	for (int i = 0; i < B.n; i++) {
		double kb = proc_kb(B.c[i].pid, "status", "VmRSS:");

		sum += kb;
		if (kb > max)
			max = kb;
	}
	printf("  console RSS: mean %.1f MB, max %.1f MB", sum / B.n / 1024, max / 1024);
	if (B.relay > 0)
		printf("; relay RSS %.1f MB, CPU %.2f s since it started", proc_kb(B.relay, "status", "VmRSS:") / 1024,
		       proc_cpu(B.relay));
	printf("\n");
}

int main(int argc, char **argv)
{
	static const struct option longs[] = {
		{ "consoles", required_argument, NULL, 'n' }, { "calls", required_argument, NULL, 'm' },
		{ "gap-ms", required_argument, NULL, 'g' },   { "sim-rate", required_argument, NULL, 'r' },
		{ "ccterm", required_argument, NULL, 'c' },   { "relayd", required_argument, NULL, 'R' },
		{ "cti", required_argument, NULL, 't' },      { "help", no_argument, NULL, 'h' },
		{ "relay-nice", required_argument, NULL, 'N' }, { "rounds", required_argument, NULL, 'o' },
		{ "statements", required_argument, NULL, 'S' }, { "callers", required_argument, NULL, 'K' },
		{ NULL, 0, NULL, 0 },
	};
	const char *conninfo = NULL, *build = getenv("CCTERM_BUILDDIR");
	static char ccterm[512], relayd[512], cti[512], errlog[160];
	int n = 100, calls = 200, gap = 50, opt;
	double rate = 50;
	struct series relay_s, direct_s;
	struct usage u0, u1, u2, u3 = { 0 }, relay_last = { 0 };
	struct { double relay_s[3], relay_wall, direct_s[3], direct_wall; } cpu;
	double t0, t1, t2, t3;
	int rounds = 2, top = 0;
	bool known = true;
	struct statements st;
	char err[256];

	while ((opt = getopt_long(argc, argv, "d:h", longs, NULL)) != -1) {
		switch (opt) {
		case 'd': conninfo = optarg; break;
		case 'n': n = atoi(optarg); break;
		case 'm': calls = atoi(optarg); break;
		case 'g': gap = atoi(optarg); break;
		case 'r': rate = atof(optarg); break;
		case 'c': B.ccterm = optarg; break;
		case 'R': B.relayd = optarg; break;
		case 't': B.cti = optarg; break;
		case 'N': relay_nice = atoi(optarg); break;
		case 'o': rounds = atoi(optarg); break;
		case 'S': top = atoi(optarg); break;
		case 'K':
			if (strcmp(optarg, "known") != 0 && strcmp(optarg, "unknown") != 0) {
				fputs(usage, stderr);
				return 2;
			}
			known = strcmp(optarg, "known") == 0;
			break;
		case 'h': fputs(usage, stdout); return 0;
		default: fputs(usage, stderr); return 2;
		}
	}
	if (n < 1 || calls < 1 || gap < 0 || rate < 0 || rounds < 1 || rounds > calls) {
		fputs(usage, stderr);
		return 2;
	}
	if (geteuid() != 0) {
		fprintf(stderr, "relay_bench: runs as root (each console runs as a uid of its own)\n");
		return 2;
	}
	snprintf(ccterm, sizeof(ccterm), "%s/ccterm", build && *build ? build : ".");
	snprintf(relayd, sizeof(relayd), "%s/ccterm-relayd", build && *build ? build : ".");
	snprintf(cti, sizeof(cti), "%s/ccterm-cti", build && *build ? build : ".");
	B.ccterm = B.ccterm ? B.ccterm : ccterm;
	B.relayd = B.relayd ? B.relayd : relayd;
	B.cti = B.cti ? B.cti : cti;
	bench_on_die("relay_bench", cleanup, NULL);
	signal(SIGPIPE, SIG_IGN);
	B.db = db_open(conninfo, err, sizeof(err));
	if (!B.db)
		bench_die("%s", err);
	B.pg = db_pg(B.db);
	bench_exec(B.pg, "set client_min_messages = warning", 0, NULL);   /* not a notice an agent that exists */
	snprintf(B.dir, sizeof(B.dir), "/tmp/ccterm-relay-bench-XXXXXX");
	if (!mkdtemp(B.dir))
		bench_die("mkdtemp: %s", strerror(errno));
	chmod(B.dir, 0755);
	snprintf(B.sock, sizeof(B.sock), "%s/relay.sock", B.dir);
	B.c = calloc((size_t)n, sizeof(*B.c));
	if (!B.c)
		bench_die("out of memory");

	/* Agents in no queue: a queue's every move would wake all of them. */
	bench_exec(B.pg, "insert into branch (code, name) values ('CALL', 'Call center') on conflict do nothing", 0, NULL);
	for (int i = 0; i < n; i++) {
		struct agent_spec a = { .login = B.c[i].login, .name = "Bench console", .branch = "CALL", .role = "agent" };

		snprintf(B.c[i].login, sizeof(B.c[i].login), "bench_c%04d", i + 1);
		if (admin_agent_add(B.db, &a) < 0)
			bench_die("agent %s: %s", B.c[i].login, db_error(B.db));
	}
	bench_exec(B.pg, "select call_hangup(id) from call where agent_login like 'bench\\_c%' "
			 "and state in ('offered', 'answered')", 0, NULL);
	B.n = n;
	if (known)
		phones_load(4 * calls + n);
	printf("relay_bench: %d consoles, %d calls each way, a call every %d ms, simulate --rate %g, relay nice %d, "
	       "callers %s\n", n, calls, gap, rate, relay_nice,
	       known ? "known (the pop prepared, sealed into the offer)" : "unknown (the call row sealed into the offer)");
	fflush(stdout);
	relay_start();
	usleep(300000);
	consoles_start();
	wait_mode("relay", 60000 + 50 * n);
	if (rate > 0) {
		char r[32];
		const char *argv_s[] = { B.cti, "simulate", "--rate", r, "--duration", "100000", "--agents", "50", NULL };

		snprintf(r, sizeof(r), "%g", rate);
		snprintf(errlog, sizeof(errlog), "%s/simulate.log", B.dir);
		B.sim = spawn(argv_s, NULL, 0, NULL, errlog);
		sleep(3);
	}
	/* Warm: every console's first pop plans its statements. */
	series_init(&relay_s, "relay", (size_t)n);
	measure("relay", n, 0, &relay_s);
	free(relay_s.v);
	series_init(&relay_s, "relay", (size_t)calls);
	series_init(&direct_s, "direct", (size_t)calls);
	memset(&cpu, 0, sizeof(cpu));
	/* Rounds of each, so the floor's load (it ramps up) weighs on both alike:
	 * the relay stopped, the consoles LISTEN themselves; started again, they
	 * come back to it. */
	for (int r = 0; r < rounds; r++) {
		int part = calls / rounds + (r < calls % rounds);

		if (r > 0) {
			relay_start();
			wait_mode("relay", 30000 + 20 * n);
			sleep(1);
		}
		statements_begin(&st, B.pg);
		u0 = server_usage();
		t0 = now_ms();
		measure("relay", part, gap, &relay_s);
		t1 = now_ms();
		u1 = server_usage();
		usage_add(cpu.relay_s, &u0, &u1);
		cpu.relay_wall += (t1 - t0) / 1000;
		relay_last = u1;
		statements_print(&st, "relay", r == 0 ? top : 0);
		if (r == 0)
			consoles_rss();
		kill(B.relay, SIGTERM);
		waitpid(B.relay, NULL, 0);
		B.relay = 0;
		wait_mode("direct", 30000 + 20 * n);
		sleep(1);
		statements_begin(&st, B.pg);
		u2 = server_usage();
		t2 = now_ms();
		measure("direct", part, gap, &direct_s);
		t3 = now_ms();
		u3 = server_usage();
		usage_add(cpu.direct_s, &u2, &u3);
		cpu.direct_wall += (t3 - t2) / 1000;
		statements_print(&st, "direct", r == 0 ? top : 0);
	}

	printf("pop: the call in the database (its commit follows) -> the console has its pop in hand, ms\n");
	printf("  %-8s %6s %8s %8s %8s %8s\n", "via", "n", "p50", "p90", "p99", "max");
	series_print(&relay_s, 8);
	series_print(&direct_s, 8);
	print_usage_line("relay", cpu.relay_s, &relay_last, cpu.relay_wall);
	print_usage_line("direct", cpu.direct_s, &u3, cpu.direct_wall);
	consoles_rss();
	{
		PGresult *res = bench_query(B.pg, "select count(*) from pg_stat_activity where backend_type = 'client backend'",
					    0, NULL);

		printf("  client backends at the end: %s\n", PQgetvalue(res, 0, 0));
		PQclear(res);
	}
	fflush(stdout);
	cleanup(NULL);
	db_close(B.db);
	return 0;
}
