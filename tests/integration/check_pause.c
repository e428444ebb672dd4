/* check_pause.c - break and not ready with a reason from the list
 * (pause_reason, 48_pause.sql), and each agent's figures of the day for the
 * boards (agent_floor_today): handled, missed, average handle time,
 * occupancy, time paused. */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ccterm/admin.h"
#include "ccterm/pause.h"
#include "testdb.h"

/* Roles are cluster-wide: every login here starts with pz_. */

static struct db *db;
static char dbname[64];

static void setup(void)
{
	db = testdb_create(dbname);
	testdb_agent(db, "pz_kim", "Kim", "agent");
	testdb_agent(db, "pz_boss", "Boss", "supervisor");
}

static void teardown(void) { testdb_drop(db, dbname); }

static void exec(const char *sql)
{
	ck_assert_msg(db_exec_script(db, sql) == 0, "%s: %s", sql, db_error(db));
}

static void value_is(const char *sql, const char *want)
{
	char *v = testdb_value(db, sql);

	ck_assert_msg(strcmp(v ? v : "(null)", want) == 0, "%s\n  got  %s\n  want %s", sql, v ? v : "(null)", want);
	free(v);
}

START_TEST(reasons_come_from_the_list)
{
	struct pause_reason r[32];
	struct db *kim = testdb_connect(dbname, "pz_kim");
	int n = db_pause_reasons(kim, r, 32);

	ck_assert_int_ge(n, 5);
	ck_assert_str_eq(r[0].code, "lunch");
	ck_assert_str_eq(r[0].label, "Lunch");
	ck_assert_str_eq(r[0].state, "break");
	ck_assert_int_eq(db_agent_pause(kim, "lunch"), 0);
	value_is("select state || '/' || state_reason from agent where login = 'pz_kim'", "break/lunch");
	/* Another reason of the same state is a new span, kept in the history. */
	ck_assert_int_eq(db_agent_pause(kim, "short_break"), 0);
	ck_assert_int_eq(db_agent_pause(kim, "training"), 0);
	value_is("select state || '/' || state_reason from agent where login = 'pz_kim'", "not_ready/training");
	value_is("select string_agg(state || ':' || reason, ',' order by id) from agent_state where login = 'pz_kim'",
		 "break:lunch,break:short_break,not_ready:training");
	/* Not on the list: refused, saying which are. */
	ck_assert_int_eq(db_agent_pause(kim, "nap"), -1);
	ck_assert_str_eq(db_sqlstate(kim), "22023");
	ck_assert_msg(strstr(db_error(kim), "unknown pause reason nap (one of: lunch, short_break, after_call_work"),
		      "%s", db_error(kim));
	/* A retired reason is no longer offered nor taken. */
	exec("update pause_reason set active = false where code = 'meeting'");
	ck_assert_int_eq(db_agent_pause(kim, "meeting"), -1);
	ck_assert_int_eq(db_pause_reasons(kim, r, 32), n - 1);
	/* An agent pauses only itself; a supervisor pauses others. */
	ck_assert_int_eq(db_agent_pause_for(kim, "pz_boss", "lunch"), -1);
	ck_assert_str_eq(db_sqlstate(kim), "42501");
	db_close(kim);
	{
		struct db *boss = testdb_connect(dbname, "pz_boss");

		ck_assert_msg(db_agent_pause_for(boss, "pz_kim", "lunch") == 0, "%s", db_error(boss));
		db_close(boss);
	}
	value_is("select state || '/' || state_reason from agent where login = 'pz_kim'", "break/lunch");
	{
		char out[512];

		ck_assert_int_eq(testdb_run(dbname, "ccterm-cti agent pz_kim not-ready after_call_work", out, sizeof(out)), 0);
		value_is("select state || '/' || state_reason from agent where login = 'pz_kim'", "not_ready/after_call_work");
		ck_assert_int_eq(testdb_run(dbname, "ccterm-cti agent pz_kim break siesta", out, sizeof(out)), 1);
		ck_assert_msg(strstr(out, "unknown pause reason siesta"), "%s", out);
	}
}
END_TEST

/* A day of kim's, by the clock from local midnight (d0):
 *   the day before: ready (held at midnight: counts from d0)
 *   1:00:00 ready, 1:10:00 ringing, 1:10:10 on call (call 1), 1:15:10 wrap-up, 1:15:40 ready,
 *   2:00:00 ringing (call 2), 2:00:20 not ready "no answer", 3:00:00 break lunch; board at 4:00. */
START_TEST(the_day_in_figures)
{
	struct agent_today a[8];
	struct db *boss;
	int n;

	/* The board through db/ reads the day up to now(): the center's day
	 * must be past the script's 4:00 whenever the test runs (in Seoul time
	 * it failed from 00:00 to 04:00, 15:00 to 19:00 UTC). A zone where it
	 * is about noon now. */
	testdb_center_at_noon(db);
	exec("delete from agent_state;"
	     "insert into agent_state (login, state, reason, started_at) select 'pz_kim', s, r, floor_day_start() + t::interval "
	     "from (values ('ready', null, '-1 hour'), ('ready', 'x', '1 hour'), ('ringing', 'call 1', '1:10:00'), "
	     "('on_call', 'call 1', '1:10:10'), ('wrap_up', 'call 1', '1:15:10'), ('ready', null, '1:15:40'), "
	     "('ringing', 'call 2', '2:00:00'), ('not_ready', 'no answer', '2:00:20'), ('break', 'lunch', '3:00:00')) v(s, r, t);"
	     "update agent set state = 'break', state_reason = 'lunch', state_since = floor_day_start() + interval '3 hours' "
	     "where login = 'pz_kim';"
	     "insert into call (ani, state, agent_login, created_at, offered_at, answered_at, ended_at) values "
	     "('0101', 'ended', 'pz_kim', floor_day_start() + interval '1:09:00', floor_day_start() + interval '1:10:00', "
	     " floor_day_start() + interval '1:10:10', floor_day_start() + interval '1:15:10'),"
	     "('0102', 'abandoned', null, floor_day_start() + interval '1:59:00', null, null, floor_day_start() + interval '2:05:00'),"
	     /* yesterday's call counts no more */
	     "('0103', 'ended', 'pz_kim', floor_day_start() - interval '5 hours', null, floor_day_start() - interval '5 hours', "
	     " floor_day_start() - interval '4 hours')");
	value_is("select concat_ws('|', state, reason, state_secs, handled, missed, aht_secs, occupancy_pct, paused_secs) "
		 "from agent_floor_today(floor_day_start() + interval '4 hours') where login = 'pz_kim'",
		 "break|Lunch|3600|1|1|330.0|5.0|7180");
	/* Nobody busy, never available: no occupancy, no handle time. */
	value_is("select concat_ws('|', handled, missed, coalesce(aht_secs::text, '-'), coalesce(occupancy_pct::text, '-')) "
		 "from agent_floor_today(floor_day_start() + interval '4 hours') where login = 'pz_boss'", "0|0|-|-");
	/* The boards are the supervisors': through db/ as the supervisor. */
	boss = testdb_connect(dbname, "pz_boss");
	n = db_agent_floor_today(boss, a, 8);
	ck_assert_msg(n == 2, "%d: %s", n, db_error(boss));
	ck_assert_str_eq(a[1].login, "pz_kim");
	ck_assert_str_eq(a[1].reason, "Lunch");
	ck_assert_int_eq(a[1].handled, 1);
	db_close(boss);
	{
		struct db *kim = testdb_connect(dbname, "pz_kim");

		ck_assert_int_eq(db_agent_floor_today(kim, a, 8), -1);
		ck_assert_str_eq(db_sqlstate(kim), "42501");
		db_close(kim);
	}
}
END_TEST

int main(void)
{
	Suite *s = suite_create("pause");
	TCase *tc = tcase_create("pause");
	SRunner *sr;
	int failed;

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, reasons_come_from_the_list);
	tcase_add_test(tc, the_day_in_figures);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
