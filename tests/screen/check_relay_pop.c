/* check_relay_pop.c - the real console with ccterm-relayd: a call pops
 * through the relay; the relay killed, the next call still pops (the
 * console LISTENs itself); the relay back, the console returns to it and
 * calls pop through it again; the relay's database connection lost while
 * a call is offered, the relay's "resync" makes the console re-read and
 * show it; a relay that hangs (stopped) is left for the console's own
 * LISTEN. A pop sealed into the offer draws with the console's own server
 * process stopped; a forged seal is refused. */
#include "config.h"

#include <check.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "console.h"
#include "../../src/gateway/relay_link.h"

/* A ping's interval, its wait, and a second to spare. */
#define RELAY_PING_WAIT_MS (RELAY_LINK_PING_MS + RELAY_LINK_HELLO_MS + 1000)

static char rdir[64], sock[96], logpath[128];
static pid_t relay;

static void relay_start(void)
{
	char bin[512], conninfo[128], map[128];
	FILE *fp;

	snprintf(bin, sizeof(bin), "%s/ccterm-relayd", testdb_builddir());
	snprintf(conninfo, sizeof(conninfo), "dbname=%s", dbname);
	snprintf(map, sizeof(map), "%s/map", rdir);
	fp = fopen(map, "w");
	ck_assert_ptr_nonnull(fp);
	fprintf(fp, "%u rp_a1\n", (unsigned)geteuid());   /* the console runs as this test's uid */
	fclose(fp);
	relay = fork();
	ck_assert_int_ge(relay, 0);
	if (relay == 0) {
		int fd = open(logpath, O_WRONLY | O_CREAT | O_APPEND, 0644);

		dup2(fd, 2);
		execl(bin, bin, "-d", conninfo, "-s", sock, "--map", map, "-v", (char *)NULL);
		_exit(127);
	}
}

static void relay_kill(int sig)
{
	int st;

	if (relay > 0) {
		kill(relay, sig);
		kill(relay, SIGCONT);   /* a stopped one too */
		waitpid(relay, &st, 0);
	}
	relay = 0;
}

/* How many times the log says text. */
static int log_count(const char *text)
{
	FILE *fp = fopen(logpath, "r");
	char line[1024];
	int n = 0;

	if (!fp)
		return 0;
	while (fgets(line, sizeof(line), fp))
		n += strstr(line, text) != NULL;
	fclose(fp);
	return n;
}

static bool log_reaches(const char *text, int count, int ms)
{
	for (int waited = 0; waited < ms; waited += 50) {
		if (log_count(text) >= count)
			return true;
		usleep(50000);
	}
	return log_count(text) >= count;
}

static void setup(void)
{
	console_setup();
	snprintf(rdir, sizeof(rdir), "/tmp/ccterm-rpop-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(rdir));
	snprintf(sock, sizeof(sock), "%s/relay.sock", rdir);
	snprintf(logpath, sizeof(logpath), "%s/relay.log", rdir);
	console_relay = sock;
	testdb_agent(db, "rp_a1", "Agent Relay", "agent");
	relay_start();
}

static void teardown(void)
{
	char cmd[128];

	relay_kill(SIGTERM);
	console_relay = NULL;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", rdir);
	ck_assert_int_eq(system(cmd), 0);
	console_teardown();
}

static void hang_up(long long id)
{
	char q[64];

	snprintf(q, sizeof(q), "select call_hangup(%lld)", id);
	console_sql(q);
}

static void banner(struct vt *vt, long long id, int ms)
{
	char want[64];

	snprintf(want, sizeof(want), "Incoming call #%lld waiting", id);
	VT_ASSERT_WAIT(vt, want, ms);
}

START_TEST(a_call_pops_through_the_relay_and_when_the_relay_is_killed)
{
	struct vt *vt;
	long long c1, c2, c3;

	console_customer("김릴레이", "platinum", "+821077001111", 2);
	vt = console("rp_a1", 24, 80);
	VT_ASSERT_WAIT(vt, "Waiting for calls", 5000);
	ck_assert_msg(log_reaches("ready: uid", 1, 5000), "the console did not subscribe at the relay");
	/* Through the relay: the pop opens with the caller. */
	c1 = console_call("+821077001111", "rp_a1");
	VT_ASSERT_WAIT(vt, "김릴레이", 3000);
	hang_up(c1);   /* an agent is offered one call at a time */
	/* The relay dies: the console listens itself, the next call shows. */
	relay_kill(SIGKILL);
	usleep(500000);   /* after the console's re-read: only a LISTEN hears c2 */
	c2 = console_call("+821077002222", "rp_a1");
	banner(vt, c2, 5000);
	/* The relay is back: the console returns to it (it subscribes again)
	 * and the next call comes through it. */
	relay_start();
	ck_assert_msg(log_reaches("ready: uid", 2, 8000), "the console did not come back to the relay");
	hang_up(c2);
	VT_ASSERT_GONE(vt, "waiting: Ctrl-T", 5000);
	c3 = console_call("+821077003333", "rp_a1");
	banner(vt, c3, 3000);
	hang_up(c3);
	vt_free(vt);
}
END_TEST

START_TEST(the_relays_resync_shows_a_call_offered_while_it_was_away)
{
	struct vt *vt;
	long long c1;

	console_customer("박동기화", "registered", "+821077004444", 1);
	vt = console("rp_a1", 24, 80);
	VT_ASSERT_WAIT(vt, "Waiting for calls", 5000);
	ck_assert_msg(log_reaches("ready: uid", 1, 5000), "the console did not subscribe at the relay");
	/* The relay is frozen and its connection killed: the call's
	 * notification goes nowhere. */
	ck_assert_int_eq(kill(relay, SIGSTOP), 0);
	console_sql("select pg_terminate_backend(pid) from pg_stat_activity "
		    "where application_name = 'ccterm-relayd' and datname = current_database()");
	usleep(200000);
	c1 = console_call("+821077004444", "rp_a1");
	/* Not heard: the console listens through the relay only. */
	ck_assert(!vt_wait_for(vt, "박동기화", 700));
	/* The relay wakes, finds its connection gone, reconnects and says
	 * resync: the console re-reads its calls and pops the one offered. */
	ck_assert_int_eq(kill(relay, SIGCONT), 0);
	VT_ASSERT_WAIT(vt, "박동기화", 5000);
	ck_assert_int_ge(log_count("consoles resync"), 1);
	hang_up(c1);
	vt_free(vt);
}
END_TEST

START_TEST(a_hung_relay_is_left_for_the_consoles_own_listen)
{
	struct vt *vt;
	long long c1;

	console_customer("정멈춤", "registered", "+821077005555", 1);
	vt = console("rp_a1", 24, 80);
	VT_ASSERT_WAIT(vt, "Waiting for calls", 5000);
	ck_assert_msg(log_reaches("ready: uid", 1, 5000), "the console did not subscribe at the relay");
	/* Stopped, the relay keeps its socket open but answers no ping: within a
	 * ping's interval and its wait the console LISTENs itself. */
	ck_assert_int_eq(kill(relay, SIGSTOP), 0);
	usleep((RELAY_PING_WAIT_MS) * 1000);
	c1 = console_call("+821077005555", "rp_a1");
	VT_ASSERT_WAIT(vt, "정멈춤", 3000);
	hang_up(c1);
	vt_free(vt);
}
END_TEST

/* The first notification on l within ms that starts with prefix
 * (malloc'd), NULL when none. */
static char *next_notice(struct db *l, const char *prefix, int ms)
{
	struct pollfd pfd = { .fd = PQsocket(db_pg(l)), .events = POLLIN };
	PGnotify *n;
	char *payload = NULL;

	for (int waited = 0; waited <= ms && !payload; waited += 50) {
		poll(&pfd, 1, 50);
		ck_assert(PQconsumeInput(db_pg(l)));
		while (!payload && (n = PQnotifies(db_pg(l)))) {
			if (strncmp(n->extra, prefix, strlen(prefix)) == 0)
				payload = strdup(n->extra);
			PQfreemem(n);
		}
	}
	return payload;
}

START_TEST(a_sealed_pop_draws_with_the_consoles_server_stopped)
{
	struct db *l = testdb_connect(dbname, NULL);
	char q[256], want[64], *payload;
	long long session, other, c1;
	struct vt *vt;
	pid_t backend, dog;

	console_customer("한봉인", "platinum", "+821077006666", 3);
	console_customer("남의고객", "registered", "+821077007777", 1);
	testdb_agent(db, "rp_b1", "Agent Other", "agent");
	ck_assert_int_eq(db_exec(l, "listen agent_rp_a1", 0, NULL), 0);
	vt = console("rp_a1", 24, 80);
	VT_ASSERT_WAIT(vt, "Waiting for calls", 5000);
	ck_assert_msg(log_reaches("ready: uid", 1, 5000), "the console did not subscribe at the relay");
	for (int waited = 0; (session = value("select max(id) from console_session where login = 'rp_a1'")) <= 0 &&
			     waited < 5000; waited += 50)
		usleep(50000);
	ck_assert_int_gt(session, 0);
	usleep(300000);   /* the beat's reply, with the session's key, reaches the console */

	/* A forged seal (anyone may NOTIFY) opens nothing: the console asks the
	 * database, which refuses another agent's call. */
	console_sql("select pop_prepare('+821077007777')");
	other = console_call("+821077007777", "rp_b1");
	snprintf(q, sizeof(q), "select pg_notify('agent_rp_a1', 'call %lld offered pop %lld "
		 "AAECAwQFBgcICQoLDA0ODwABAgMEBQYHCAkKCwwNDg8AAQIDBAUGBwgJCgsMDQ4PAAECAwQFBgcICQoLDA0ODw==')",
		 other, session);
	console_sql(q);
	snprintf(want, sizeof(want), "call %lld is not offered to you", other);
	VT_ASSERT_WAIT(vt, want, 3000);
	ck_assert(!vt_find(vt, "남의고객", NULL, NULL));

	/* The console's own server process stopped: the offer's notification
	 * comes through the relay with the pop sealed for this console, which
	 * draws it with no round trip. */
	backend = (pid_t)console_backend_pid("rp_a1");
	ck_assert_int_gt(backend, 0);
	console_sql("select pop_prepare('+821077006666')");
	dog = console_freeze(backend, 25);
	c1 = console_call("+821077006666", "rp_a1");
	VT_ASSERT_WAIT(vt, "한봉인", 3000);
	VT_ASSERT_WAIT(vt, "Item 3", 1000);
	ck_assert_msg(console_process_stopped(backend), "the console's server went on before the pop showed");
	snprintf(want, sizeof(want), "call %lld offered pop %lld ", c1, session);
	payload = next_notice(l, want, 2000);
	ck_assert_msg(payload != NULL, "no sealed offer of call %lld", c1);
	ck_assert(strstr(payload, "한봉인") == NULL);   /* sealed: no clear text */
	/* Drawn first, answered right after: once the server goes on. */
	console_thaw(backend, dog);
	VT_ASSERT_WAIT(vt, "on_call", 5000);
	snprintf(q, sizeof(q), "select count(*) from call where id = %lld and state = 'answered'", c1);
	ck_assert_int_eq(value(q), 1);
	/* The offer wrote the look's audit row; the pop read nothing more. */
	snprintf(q, sizeof(q), "select count(*) filter (where action = 'offer') * 10 + count(*) filter (where action = 'view') "
		 "from audit_log where login = 'rp_a1' and detail = 'pop call %lld'", c1);
	ck_assert_int_eq(value(q), 10);
	free(payload);
	hang_up(c1);
	hang_up(other);
	vt_free(vt);
	db_close(l);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("relay_pop");
	TCase *tc = tcase_create("relay_pop");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, a_call_pops_through_the_relay_and_when_the_relay_is_killed);
	tcase_add_test(tc, the_relays_resync_shows_a_call_offered_while_it_was_away);
	tcase_add_test(tc, a_hung_relay_is_left_for_the_consoles_own_listen);
	tcase_add_test(tc, a_sealed_pop_draws_with_the_consoles_server_stopped);
	suite_add_tcase(s, tc);
	return console_main(s);
}
