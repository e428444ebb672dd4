/* check_board_standby.c - a supervisor's console with its boards on a real
 * streaming standby (ccterm -b, tests/integration/standby-ctl): the floor
 * says it reads the standby and how current it is, shows a call queued on
 * the primary, and when the standby stops reads the primary and says so. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ccterm/admin.h"
#include "console.h"
#include "../integration/side_server.h"

static struct side_server sby;   /* its dir is the socket directory */

/* In the runner, after the tests: no standby left running. */
static void standby_gone(void)
{
	char cmd[256];

	/* what the standby said, for the log of a test that failed with it running */
	snprintf(cmd, sizeof(cmd), "[ -f %s/standby.log ] && tail -n 40 %s/standby.log >&2", sby.dir, sby.dir);
	if (system(cmd) != 0)
		fprintf(stderr, "(no standby log)\n");
	side_server_gone(&sby);
}

static void setup(void)
{
	console_setup();
	ck_assert_int_eq(db_exec(db, "insert into branch (code, name) values ('SEL', '서울 본점') "
				     "on conflict do nothing", 0, NULL), 0);
	side_server_gone(&sby);   /* one a failed test left */
}

static void teardown(void)
{
	side_server_gone(&sby);
	console_teardown();
}

/* ccterm as login with -b board (the fixture's environment otherwise). */
static struct vt *console_with_board(const char *login, const char *board)
{
	static char bin[512], pgdb[96], pguser[96], cfg[128], state[128], pghost[256];
	const char *argv[] = { bin, "-b", board, NULL };
	const char *env[] = { pgdb, pguser, cfg, state, pghost, NULL };
	struct vt *vt;

	snprintf(bin, sizeof(bin), "%s/ccterm", testdb_builddir());
	snprintf(pgdb, sizeof(pgdb), "PGDATABASE=%s", dbname);
	snprintf(pguser, sizeof(pguser), "PGUSER=%s", login);
	snprintf(cfg, sizeof(cfg), "XDG_CONFIG_HOME=%s/config", xdg);
	snprintf(state, sizeof(state), "XDG_STATE_HOME=%s/state", xdg);
	snprintf(pghost, sizeof(pghost), "PGHOST=%s", getenv("PGHOST") ? getenv("PGHOST") : "");
	vt = vt_spawn(argv, env, 24, 80);
	ck_assert_ptr_nonnull(vt);
	return vt;
}

START_TEST(the_floor_reads_the_standby_and_falls_back_to_the_primary)
{
	char board[320];
	struct vt *vt;

	ck_assert_int_eq(admin_queue_add(db, "general", 20, 80), 0);
	testdb_agent(db, "sb_s1", "Standby Lead", "supervisor");
	side_server_ctl(&sby, "start");
	snprintf(board, sizeof(board), "host=%s,%s port=5433,%s dbname=%s target_session_attrs=prefer-standby",
		 sby.dir, getenv("PGHOST"), getenv("PGPORT") ? getenv("PGPORT") : "5432", dbname);
	vt = console_with_board("sb_s1", board);
	VT_ASSERT_WAIT(vt, "Waiting for calls", 5000);
	ck_assert_int_eq(vt_type(vt, "<F9>"), 0);
	/* (the WAL receiver may start a moment after the standby accepts
	 * connections: "cut off from the primary" until then) */
	VT_ASSERT_WAIT(vt, "standby, ", 10000);
	VT_ASSERT_WAIT(vt, "general        0   ", 2000);
	/* written on the primary, read back from the standby */
	console_sql("select call_arrive('010-1111-0001', '+821011110001', null, 'general', null)");
	/* (the shared test cluster's other tests make the standby replay a lot:
	 * every CREATE DATABASE copies a template) */
	VT_ASSERT_WAIT(vt, "general        1   ", 90000);
	/* the source is read again every 5 s, events or not */
	VT_ASSERT_WAIT(vt, "standby, current", 30000);
	/* the standby goes away: the boards read the primary, and say it */
	side_server_ctl(&sby, "stop");
	/* (whenever the board notices, it reads the primary afresh: the call is in it) */
	console_sql("select call_arrive('010-1111-0002', '+821011110002', null, 'general', null)");
	VT_ASSERT_WAIT(vt, "Cases  primary", 20000);
	VT_ASSERT_WAIT(vt, "general        2   ", 10000);
	vt_free(vt);
}
END_TEST

static Suite *board_suite(void)
{
	Suite *s = suite_create("board_standby");
	TCase *tc = tcase_create("floor");

	tcase_add_unchecked_fixture(tc, NULL, standby_gone);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 300);
	tcase_add_test(tc, the_floor_reads_the_standby_and_falls_back_to_the_primary);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	side_server_name(&sby, "standby-ctl", "/tmp/ccterm-sbs");
	return console_main(board_suite());
}
