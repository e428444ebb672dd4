/* check_relay_pop.c - the real console with ccterm-relayd: a call pops
 * through the relay; the relay killed, the next call still pops (the
 * console LISTENs itself); the relay back, the console returns to it and
 * calls pop through it again; the relay's database connection lost while
 * a call is offered, the relay's "resync" makes the console re-read and
 * show it; a relay that hangs (stopped) is left for the console's own
 * LISTEN. */
#include "config.h"

#include <check.h>
#include <fcntl.h>
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

int main(void)
{
	Suite *s = suite_create("relay_pop");
	TCase *tc = tcase_create("relay_pop");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, a_call_pops_through_the_relay_and_when_the_relay_is_killed);
	tcase_add_test(tc, the_relays_resync_shows_a_call_offered_while_it_was_away);
	tcase_add_test(tc, a_hung_relay_is_left_for_the_consoles_own_listen);
	suite_add_tcase(s, tc);
	return console_main(s);
}
