/* check_report.c - the daily report on screen (:report, src/ui/report.c) for
 * a supervisor, on the scripted day of tests/fixtures/report/day.sql (its
 * figures are worked out in tests/integration/check_report.c), in the real
 * console at 80x24; an agent is refused. */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "console.h"

/* Roles are cluster-wide: every login here starts with rs_. */

static void setup(void)
{
	char path[1024], *sql;
	const char *top = getenv("CCTERM_TOP_SRCDIR");
	FILE *f;
	long n;

	console_setup();
	testdb_agent(db, "rs_boss", "Boss", "supervisor");
	testdb_agent(db, "rs_agent", "상담원", "agent");
	snprintf(path, sizeof(path), "%s/tests/fixtures/report/day.sql", top ? top : ".");
	f = fopen(path, "r");
	ck_assert_msg(f != NULL, "%s", path);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	sql = calloc(1, (size_t)n + 1);
	ck_assert_int_eq(fread(sql, 1, (size_t)n, f), n);
	fclose(f);
	ck_assert_msg(db_exec_script(db, sql) == 0, "fixture: %s", db_error(db));
	free(sql);
}

/* The supervisor asks for the 20th: queues first, with the figures and a
 * bar; Tab and the digits go from section to section; < shows the day
 * before; a day to come is refused. */
START_TEST(supervisor_reads_the_day)
{
	struct vt *vt = console("rs_boss", 24, 80);
	int r1, c1, r2, c2;

	VT_ASSERT_WAIT(vt, "Waiting for calls", 5000);
	ck_assert_int_eq(vt_type(vt, ":report 2026-11-20<Enter>"), 0);
	VT_ASSERT_WAIT(vt, "ccterm │ Daily report", 2000);
	VT_ASSERT_WAIT(vt, "Daily report 2026-11-20 (Asia/Seoul) · queue all · branch all", 3000);
	VT_ASSERT_WAIT(vt, "Queues: service level", 1000);
	VT_ASSERT_WAIT(vt, "sales          5         2          3       1  33.3   20.0  285.0  ▇▇▇▇", 1000);
	VT_ASSERT_WAIT(vt, "support        2         2          0       1  50.0   27.5  465.0  ▇▇▇▇▇▇", 1000);
	/* The agents, Korean names in line with their figures. */
	VT_ASSERT_WAIT(vt, "김민지  SEL           3       0  410.0   10.0  1:30:00", 1000);
	VT_ASSERT_WAIT(vt, "이서준  BSN           1       1  270.0    3.3  9:14:40", 1000);
	ck_assert(vt_find(vt, "410.0", &r1, &c1));
	ck_assert(vt_find(vt, "270.0", &r2, &c2));
	ck_assert_int_eq(c1, c2);
	ck_assert_int_eq(r2, r1 + 1);

	/* 4: the branches' section at the top (the queues scrolled away). */
	ck_assert_int_eq(vt_type(vt, "4"), 0);
	VT_ASSERT_WAIT(vt, "Branches: satisfaction", 1000);
	VT_ASSERT_WAIT(vt, "SEL     서울 본점   4.00  3    1.00  1", 1000);
	VT_ASSERT_WAIT(vt, "savings  적금 우대금리      5         2         1    66.7", 1000);
	VT_ASSERT_WAIT(vt, "winter          2         1      3    66.7    25.0  41.7  -26.5..109.8", 1000);
	VT_ASSERT_GONE(vt, "sales          5", 1000);
	/* Shift-Tab back a section, Home to the top. */
	ck_assert_int_eq(vt_type(vt, "<S-Tab>"), 0);
	VT_ASSERT_WAIT(vt, "Pause time by reason", 1000);
	VT_ASSERT_WAIT(vt, "이서준  Meeting      8:30:00", 1000);
	ck_assert_int_eq(vt_type(vt, "<Home>"), 0);
	VT_ASSERT_WAIT(vt, "sales          5", 1000);
	/* The day before: nothing answered, the campaign's 903 reached. */
	ck_assert_int_eq(vt_send(vt, "<"), 0);
	VT_ASSERT_WAIT(vt, "Daily report 2026-11-19 (Asia/Seoul)", 3000);
	VT_ASSERT_WAIT(vt, "sales          0         0          0       0     -      -      -", 1000);
	VT_ASSERT_GONE(vt, "김민지  SEL", 1000);
	/* A day to come is refused, and the 19th stays. */
	ck_assert_int_eq(vt_type(vt, ":report 2099-01-01<Enter>"), 0);
	VT_ASSERT_WAIT(vt, "has not begun", 3000);
	VT_ASSERT_WAIT(vt, "Daily report 2026-11-19", 1000);
	vt_free(vt);
}
END_TEST

/* Today's report follows the floor: a call that arrives and is abandoned
 * after the SLA shows within the refresh interval (5 s), the place kept.
 * The call began 30 s before now: in Seoul time that was yesterday's in the
 * first 30 s after midnight (15:00 UTC), so the center is where it is about
 * noon. */
START_TEST(today_follows_the_floor)
{
	struct vt *vt;

	testdb_center_at_noon(db);
	vt = console("rs_boss", 24, 80);

	VT_ASSERT_WAIT(vt, "Waiting for calls", 5000);
	ck_assert_int_eq(vt_type(vt, ":report<Enter>"), 0);
	VT_ASSERT_WAIT(vt, "sales          0         0          0       0     -", 3000);
	console_sql("insert into call (ani, queue_id, state, created_at, ended_at) "
		    "select '010', id, 'abandoned', now() - interval '30 seconds', now() from queue where name = 'sales'");
	VT_ASSERT_WAIT(vt, "sales          1         0          1       0   0.0", 8000);
	vt_free(vt);
}
END_TEST

/* An agent: the console says it is for supervisors, and stays where it was. */
START_TEST(agent_is_refused)
{
	struct vt *vt = console("rs_agent", 24, 80);

	VT_ASSERT_WAIT(vt, "Waiting for calls", 5000);
	ck_assert_int_eq(vt_type(vt, ":report<Enter>"), 0);
	VT_ASSERT_WAIT(vt, "The daily report is for supervisors only.", 2000);
	VT_ASSERT_GONE(vt, "ccterm │ Daily report", 500);
	VT_ASSERT_GONE(vt, "김민지", 100);
	vt_free(vt);
}
END_TEST

static Suite *report_screen_suite(void)
{
	Suite *s = suite_create("report screen");
	TCase *tc = tcase_create("daily report");

	tcase_add_checked_fixture(tc, setup, console_teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, supervisor_reads_the_day);
	tcase_add_test(tc, today_follows_the_floor);
	tcase_add_test(tc, agent_is_refused);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return console_main(report_screen_suite());
}
