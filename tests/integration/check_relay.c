/* check_relay.c - ccterm-relayd against a real PostgreSQL, with consoles
 * played by sockets connected under several uids (seteuid: the relay
 * knows them by SO_PEERCRED, so the test runs as root): a call offered to
 * one agent reaches that agent's console only, the floor reaches
 * supervisors only; a forged hello or subscription is refused and logged;
 * garbage, a NUL, a line too long; a console that stops reading is dropped
 * and the others go on; thousands of connections that never read; a
 * console that dies mid-stream; the relay's database connection killed:
 * the consoles are told "resync" and hear the next call. */
#include "config.h"

#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "testdb.h"

#define UID_ALICE 20001
#define UID_BOB 20002
#define UID_SUP 20003
#define UID_GHOST 20004      /* mapped to a login that is no agent */
#define UID_NOBODY 20099     /* not in the map */

static struct db *db;
static char dbname[64], dir[64], sock[96], logpath[128];
static pid_t relay;

static void relay_start(void)
{
	char bin[512], conninfo[128], map[128];
	sigset_t term, was;

	snprintf(bin, sizeof(bin), "%s/ccterm-relayd", testdb_builddir());
	snprintf(conninfo, sizeof(conninfo), "dbname=%s", dbname);
	snprintf(map, sizeof(map), "%s/map", dir);
	/* Check's SIGTERM handler (it stops the test's whole process group)
	 * must never run in the child: a stop that comes before the exec
	 * kills only the child. */
	sigemptyset(&term);
	sigaddset(&term, SIGTERM);
	sigaddset(&term, SIGINT);
	sigprocmask(SIG_BLOCK, &term, &was);
	relay = fork();
	if (relay == 0) {
		int fd = open(logpath, O_WRONLY | O_CREAT | O_APPEND, 0644);

		signal(SIGTERM, SIG_DFL);
		signal(SIGINT, SIG_DFL);
		sigprocmask(SIG_SETMASK, &was, NULL);

		dup2(fd, 2);
		execl(bin, bin, "-d", conninfo, "-s", sock, "--map", map, "--buffer", "16384", "-v", (char *)NULL);
		_exit(127);
	}
	sigprocmask(SIG_SETMASK, &was, NULL);
	ck_assert_int_ge(relay, 0);
}

/* The relay told to stop: true when it has exited within ms (else it is
 * killed, so no test waits on it for ever). */
static bool relay_stop_within(int ms)
{
	bool exited = true;
	int st;

	if (relay > 0) {
		kill(relay, SIGTERM);
		for (int waited = 0; waitpid(relay, &st, WNOHANG) == 0; waited += 5) {
			if (waited >= ms) {
				exited = false;
				kill(relay, SIGKILL);
				waitpid(relay, &st, 0);
				break;
			}
			usleep(5000);
		}
	}
	relay = 0;
	return exited;
}

static void relay_stop(void)
{
	ck_assert_msg(relay_stop_within(5000), "the relay did not stop within 5 s of its SIGTERM");
}

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* A console's socket, connected as uid (-1 when the relay is not there). */
static int cl_open(uid_t uid)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd, rc;

	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", sock);
	ck_assert_int_eq(seteuid(uid), 0);
	fd = socket(AF_UNIX, SOCK_STREAM, 0);
	rc = fd >= 0 ? connect(fd, (struct sockaddr *)&sa, sizeof(sa)) : -1;
	ck_assert_int_eq(seteuid(0), 0);
	if (rc < 0) {
		if (fd >= 0)
			close(fd);
		return -1;
	}
	return fd;
}

static void cl_send(int fd, const char *text)
{
	ck_assert_int_eq(send(fd, text, strlen(text), MSG_NOSIGNAL), (ssize_t)strlen(text));
}

/* The next line from the relay within ms: 1, 0 on a timeout, -1 on EOF. */
static int cl_line(int fd, char *out, size_t size, int ms)
{
	size_t n = 0;
	long long end = now_ms() + ms;

	while (n + 1 < size) {
		struct pollfd pfd = { .fd = fd, .events = POLLIN };
		int left = (int)(end - now_ms());

		if (left < 0 || poll(&pfd, 1, left) <= 0)
			return 0;
		if (read(fd, out + n, 1) != 1)
			return -1;
		if (out[n] == '\n') {
			out[n] = '\0';
			return 1;
		}
		n++;
	}
	out[n] = '\0';
	return 1;
}

/* Skips lines until one starting with prefix; true when it came. */
static bool cl_expect(int fd, const char *prefix, int ms, char *got, size_t size)
{
	char line[16384];
	long long end = now_ms() + ms;

	while (now_ms() < end) {
		int rc = cl_line(fd, line, sizeof(line), (int)(end - now_ms()));

		if (rc <= 0)
			return false;
		if (strncmp(line, prefix, strlen(prefix)) == 0) {
			if (got)
				snprintf(got, size, "%.*s", (int)(size - 1), line);
			return true;
		}
	}
	return false;
}

/* A console of uid that said hello as login and was told ready. */
static int cl_ready(uid_t uid, const char *login)
{
	char hello[96], want[160];
	int fd = -1;
	long long end = now_ms() + 10000;

	while (fd < 0 && now_ms() < end) {   /* the relay may still be starting */
		fd = cl_open(uid);
		if (fd < 0)
			usleep(50000);
	}
	ck_assert_msg(fd >= 0, "the relay does not answer on %s", sock);
	snprintf(hello, sizeof(hello), "hello %s\n", login);
	cl_send(fd, hello);
	snprintf(want, sizeof(want), "ready %s %s", login, dbname);
	ck_assert_msg(cl_expect(fd, want, 10000, NULL, 0), "%s was not told ready", login);
	return fd;
}

static bool eof_within(int fd, int ms)
{
	char line[16384];
	long long end = now_ms() + ms;
	int rc;

	while ((rc = cl_line(fd, line, sizeof(line), (int)(end - now_ms()))) == 1)
		;
	return rc < 0;
}

static bool log_has(const char *text)
{
	FILE *fp = fopen(logpath, "r");
	char line[1024];
	bool found = false;

	if (!fp)
		return false;
	while (!found && fgets(line, sizeof(line), fp))
		found = strstr(line, text) != NULL;
	fclose(fp);
	return found;
}

static long long call_to(const char *agent)
{
	char q[256], *v;
	long long id;

	snprintf(q, sizeof(q), "select call_arrive('+821055501234', '+821055501234', '+8215881234', null, '%s')", agent);
	v = testdb_value(db, q);
	ck_assert_ptr_nonnull(v);
	id = atoll(v);
	free(v);
	return id;
}

static void setup(void)
{
	char path[160];
	FILE *fp;

	db = testdb_create(dbname);
	testdb_agent(db, "alice", "Alice", "agent");
	testdb_agent(db, "bob", "Bob", "agent");
	testdb_agent(db, "sup", "Sup", "supervisor");
	snprintf(dir, sizeof(dir), "/tmp/ccterm-relay-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	chmod(dir, 0755);   /* the consoles' uids reach the socket */
	snprintf(sock, sizeof(sock), "%s/relay.sock", dir);
	snprintf(logpath, sizeof(logpath), "%s/relay.log", dir);
	snprintf(path, sizeof(path), "%s/map", dir);
	fp = fopen(path, "w");
	ck_assert_ptr_nonnull(fp);
	fprintf(fp, "# uid login\n%d alice\n%d bob\n%d sup\n%d ghost\n", UID_ALICE, UID_BOB, UID_SUP, UID_GHOST);
	fclose(fp);
	relay_start();
}

static void teardown(void)
{
	char cmd[160];

	relay_stop();
	if (getenv("CCTERM_KEEP_RELAY_LOG") == NULL) {
		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
		if (system(cmd) != 0)
			fprintf(stderr, "could not remove %s\n", dir);
	}
	testdb_drop(db, dbname);
}

START_TEST(a_call_reaches_only_its_agents_console)
{
	int a = cl_ready(UID_ALICE, "alice"), b = cl_ready(UID_BOB, "bob"), s = cl_ready(UID_SUP, "sup");
	char got[256], want[128], line[256];
	long long id = call_to("alice");

	snprintf(want, sizeof(want), "n agent_alice call %lld offered", id);
	ck_assert_msg(cl_expect(a, want, 5000, got, sizeof(got)), "alice did not hear call %lld", id);
	ck_assert_msg(cl_expect(s, "n floor ", 5000, NULL, 0), "the supervisor did not hear the floor");
	/* Bob hears nothing of it: no agent_alice, no floor. */
	ck_assert_int_eq(cl_line(b, line, sizeof(line), 500), 0);
	id = call_to("bob");
	snprintf(want, sizeof(want), "n agent_bob call %lld offered", id);
	ck_assert_msg(cl_expect(b, want, 5000, NULL, 0), "bob did not hear his call");
	/* Alice's next line, if any, is not Bob's call. */
	while (cl_line(a, line, sizeof(line), 300) == 1)
		ck_assert_msg(strstr(line, "agent_bob") == NULL, "alice heard %s", line);
	/* A payload's newline and backslash travel escaped. */
	db_exec(db, "select pg_notify('agent_alice', E'state a\\nb\\\\c')", 0, NULL);
	ck_assert(cl_expect(a, "n agent_alice ", 5000, got, sizeof(got)));
	ck_assert_str_eq(got, "n agent_alice state a\\nb\\\\c");
	/* A changed list (31_lists.sql) reaches every console, agent or not. */
	db_exec(db, "update pause_reason set label = label || '.' where code = 'lunch'", 0, NULL);
	ck_assert_msg(cl_expect(b, "n lists pause_reason", 5000, NULL, 0), "bob did not hear the lists change");
	ck_assert_msg(cl_expect(s, "n lists pause_reason", 5000, NULL, 0), "the supervisor did not hear it");
	close(a);
	close(b);
	close(s);
}
END_TEST

START_TEST(a_forged_hello_or_subscription_is_refused_and_logged)
{
	char got[256];
	int f, a, n, g;

	close(cl_ready(UID_BOB, "bob"));   /* the relay is up */
	/* Alice's uid says it is Bob. */
	f = cl_open(UID_ALICE);
	ck_assert_int_ge(f, 0);
	cl_send(f, "hello bob\n");
	ck_assert(cl_expect(f, "refused bob", 5000, NULL, 0));
	ck_assert(eof_within(f, 2000));
	close(f);
	ck_assert(log_has("refused: uid 20001 (alice) asked for login bob"));
	/* As herself she may not add Bob's channel, nor the floor. */
	a = cl_ready(UID_ALICE, "alice");
	cl_send(a, "sub agent_bob\nsub floor\nsub agent_alice\n");
	ck_assert(cl_expect(a, "refused agent_bob", 5000, NULL, 0));
	ck_assert(cl_expect(a, "refused floor", 5000, NULL, 0));
	ck_assert(cl_expect(a, "ok agent_alice", 5000, NULL, 0));
	ck_assert(log_has("asked for channel agent_bob"));
	call_to("bob");
	ck_assert_int_eq(cl_line(a, got, sizeof(got), 500), 0);
	/* A uid the map does not know, a login that is no agent. */
	n = cl_open(UID_NOBODY);
	cl_send(n, "hello alice\n");
	ck_assert(cl_expect(n, "refused alice", 5000, NULL, 0));
	g = cl_open(UID_GHOST);
	cl_send(g, "hello ghost\n");
	ck_assert(cl_expect(g, "refused ghost", 5000, NULL, 0));
	ck_assert(log_has("(ghost) is not an agent"));
	close(n);
	close(g);
	close(a);
}
END_TEST

START_TEST(garbage_and_a_huge_line_drop_only_their_sender)
{
	int a = cl_ready(UID_ALICE, "alice"), g = cl_open(UID_BOB), h = cl_open(UID_BOB), z = cl_open(UID_BOB);

	ck_assert(g >= 0 && h >= 0 && z >= 0);
	char big[4096], want[128];
	long long id;

	cl_send(g, "what is this\n");
	ck_assert(cl_expect(g, "err unknown command", 5000, NULL, 0));
	for (int i = 0; i < 20; i++)
		send(g, "\x01\x02garbage\xff\n", 11, MSG_NOSIGNAL);
	ck_assert_msg(eof_within(g, 5000), "a console sending garbage is not dropped");
	memset(big, 'x', sizeof(big));
	send(h, big, sizeof(big), MSG_NOSIGNAL);   /* no newline: one endless line */
	ck_assert_msg(eof_within(h, 5000), "a huge line is not refused");
	send(z, "hello \0bob\n", 11, MSG_NOSIGNAL);
	ck_assert(cl_expect(z, "err NUL in a line", 5000, NULL, 0));
	ck_assert(log_has("a line longer than the protocol allows"));
	/* Alice never noticed. */
	id = call_to("alice");
	snprintf(want, sizeof(want), "n agent_alice call %lld offered", id);
	ck_assert(cl_expect(a, want, 5000, NULL, 0));
	close(a);
	close(g);
	close(h);
	close(z);
}
END_TEST

START_TEST(a_console_that_stops_reading_is_dropped_and_the_others_go_on)
{
	int a = cl_ready(UID_ALICE, "alice"), slow[15], dead = cl_ready(UID_BOB, "bob");
	char want[128];
	long long id, t0;

	for (int i = 0; i < 15; i++)
		slow[i] = cl_ready(UID_BOB, "bob");   /* never read again */
	/* One dies mid-stream. */
	db_exec(db, "select pg_notify('agent_bob', 'state ' || g) from generate_series(1, 50) g", 0, NULL);
	close(dead);
	/* 800 KB for each of Bob's consoles: more than a socket and a buffer hold. */
	for (int i = 0; i < 4; i++)
		ck_assert_int_eq(db_exec(db, "select pg_notify('agent_bob', repeat('x', 7000) || g) from generate_series(1, 30) g",
					 0, NULL), 0);
	t0 = now_ms();
	id = call_to("alice");
	snprintf(want, sizeof(want), "n agent_alice call %lld offered", id);
	ck_assert_msg(cl_expect(a, want, 5000, NULL, 0), "alice did not hear her call while bob's consoles stalled");
	fprintf(stderr, "alice's call heard %lld ms after the commit, 15 stalled consoles beside\n", now_ms() - t0);
	for (int i = 0; i < 15; i++) {
		ck_assert_msg(eof_within(slow[i], 5000), "stalled console %d not dropped", i);
		close(slow[i]);
	}
	ck_assert(log_has("too slow: its output buffer is full"));
	close(a);
}
END_TEST

START_TEST(thousands_of_idle_connections_do_not_stop_the_relay)
{
	struct rlimit rl = { 8192, 8192 };
	static int fds[3000];
	int n = 0, refused = 0, a;
	char want[128], line[128];
	long long id;

	setrlimit(RLIMIT_NOFILE, &rl);
	close(cl_ready(UID_BOB, "bob"));   /* the relay is up */
	for (int i = 0; i < 3000; i++) {
		fds[i] = cl_open(30000 + i % 150);   /* 150 uids, 20 each: 16 a uid are let in */
		if (fds[i] >= 0)
			n++;
	}
	ck_assert_int_ge(n, 2000);
	/* The relay still answers a real console at once. */
	a = cl_ready(UID_ALICE, "alice");
	id = call_to("alice");
	snprintf(want, sizeof(want), "n agent_alice call %lld offered", id);
	ck_assert(cl_expect(a, want, 5000, NULL, 0));
	/* The 17th and later of a uid were told so and closed (accepted, and
	 * so told, before Alice's console was: what is waiting is read whole,
	 * however slowly a busy machine hands it over). */
	for (int i = 0; i < 3000; i++) {
		struct pollfd pfd = { .fd = fds[i], .events = POLLIN };

		if (fds[i] >= 0 && poll(&pfd, 1, 0) == 1 && cl_line(fds[i], line, sizeof(line), 2000) == 1 &&
		    strncmp(line, "err too many", 12) == 0)
			refused++;
	}
	ck_assert_int_ge(refused, 100);
	ck_assert(log_has("too many consoles of that uid"));
	for (int i = 0; i < 3000; i++)
		if (fds[i] >= 0)
			close(fds[i]);
	close(a);
}
END_TEST

START_TEST(the_relay_reconnecting_tells_consoles_to_resync)
{
	int a = cl_ready(UID_ALICE, "alice"), s = cl_ready(UID_SUP, "sup");
	char want[128];
	long long id;

	ck_assert_int_eq(db_exec(db, "select pg_terminate_backend(pid) from pg_stat_activity "
				 "where application_name = 'ccterm-relayd' and datname = current_database()", 0, NULL), 0);
	ck_assert_msg(cl_expect(a, "resync", 10000, NULL, 0), "alice was not told to resync");
	ck_assert_msg(cl_expect(s, "resync", 10000, NULL, 0), "the supervisor was not told to resync");
	/* LISTENing again before the resync: the next call is heard. */
	id = call_to("alice");
	snprintf(want, sizeof(want), "n agent_alice call %lld offered", id);
	ck_assert(cl_expect(a, want, 5000, NULL, 0));
	ck_assert(cl_expect(s, "n floor", 5000, NULL, 0));
	close(a);
	close(s);
}
END_TEST

START_TEST(a_restarted_relay_takes_consoles_again)
{
	int a = cl_ready(UID_ALICE, "alice");
	char want[128];
	long long id;

	relay_stop();
	ck_assert(eof_within(a, 5000));
	close(a);
	ck_assert_int_lt(cl_open(UID_ALICE), 0);   /* gone with its socket */
	relay_start();
	a = cl_ready(UID_ALICE, "alice");
	id = call_to("alice");
	snprintf(want, sizeof(want), "n agent_alice call %lld offered", id);
	ck_assert(cl_expect(a, want, 5000, NULL, 0));
	close(a);
}
END_TEST

/* The hang of issue 13: a SIGTERM that came after the loop had looked at
 * its stop flag and before it slept in poll() was lost, and with nothing
 * more to wake it (every console ready, no deadline) the relay slept for
 * ever. The test's last console leaving and the stop right behind it is
 * when that happens: here many times, the stop at varied moments after the
 * close, while the relay handles it. */
START_TEST(the_relay_stops_when_told_however_busy)
{
	int stuck = 0;

	for (int i = 0; i < 30; i++) {
		int a = cl_ready(UID_ALICE, "alice");
		struct timespec t0, t;

		close(a);
		/* 0 to 116 us: a sleep would not be as short */
		clock_gettime(CLOCK_MONOTONIC, &t0);
		do
			clock_gettime(CLOCK_MONOTONIC, &t);
		while ((t.tv_sec - t0.tv_sec) * 1000000000L + t.tv_nsec - t0.tv_nsec < i * 4000L);
		if (!relay_stop_within(2000))
			stuck++;
		relay_start();
	}
	ck_assert_msg(stuck == 0, "the relay did not stop on SIGTERM %d times in 30", stuck);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("relay");
	TCase *tc = tcase_create("relay");
	SRunner *sr;
	int failed;

	if (geteuid() != 0) {
		fprintf(stderr, "check_relay: skipped: the consoles' uids need root (seteuid)\n");
		return 77;
	}
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, a_call_reaches_only_its_agents_console);
	tcase_add_test(tc, a_forged_hello_or_subscription_is_refused_and_logged);
	tcase_add_test(tc, garbage_and_a_huge_line_drop_only_their_sender);
	tcase_add_test(tc, a_console_that_stops_reading_is_dropped_and_the_others_go_on);
	tcase_add_test(tc, thousands_of_idle_connections_do_not_stop_the_relay);
	tcase_add_test(tc, the_relay_reconnecting_tells_consoles_to_resync);
	tcase_add_test(tc, a_restarted_relay_takes_consoles_again);
	tcase_add_test(tc, the_relay_stops_when_told_however_busy);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
