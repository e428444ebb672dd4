/* check_unix.c - the console follows the center's conventions: times in the
 * center's time zone (settings 'timezone'), not the server's or UTC. */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "console.h"

static void setup(void)
{
	console_setup();
	console_sql("insert into branch (code, name) values ('SEL', '서울 본점') on conflict do nothing");
}

/* 01:15 UTC is 10:15 in Seoul: the timeline, the item in full and the
 * status bar's clock all read center time; the session's own TimeZone too. */
START_TEST(times_are_drawn_in_the_centers_timezone)
{
	struct vt *vt;
	char clock1[8], clock2[8];
	time_t now;
	struct tm tm;
	long long id;

	console_sql("update settings set value = 'Asia/Seoul' where key = 'timezone'");
	testdb_agent(db, "ux_a1", "상담원 하나", "agent");
	id = console_customer("박서준", "registered", "+821033334444", 0);
	{
		char q[512];

		snprintf(q, sizeof(q), "insert into interaction (customer_id, occurred_at, channel, kind, subject) "
			 "values (%lld, '2026-11-20 01:15:00+00', 'phone', 'inquiry', 'Known time')", id);
		console_sql(q);
	}
	vt = console("ux_a1", 24, 80);
	VT_ASSERT_WAIT(vt, "Waiting for calls", 5000);
	/* The clock on the status bar: Seoul's hour and minute (this one or the next). */
	now = time(NULL) + 9 * 3600;
	gmtime_r(&now, &tm);
	strftime(clock1, sizeof(clock1), "%H:%M:", &tm);
	now += 60;
	gmtime_r(&now, &tm);
	strftime(clock2, sizeof(clock2), "%H:%M:", &tm);
	ck_assert_msg(vt_wait_for(vt, clock1, 2000) || vt_wait_for(vt, clock2, 1000), "no Seoul clock %s", clock1);
	console_call("+821033334444", "ux_a1");
	VT_ASSERT_WAIT(vt, "박서준", 3000);
	VT_ASSERT_WAIT(vt, "Known time", 2000);
	VT_ASSERT_WAIT(vt, "11-20 10:15", 1000);
	VT_ASSERT_GONE(vt, "01:15", 500);
	ck_assert_int_eq(vt_type(vt, "<F4>"), 0);
	ck_assert_int_eq(vt_type(vt, "<Enter>"), 0);
	VT_ASSERT_WAIT(vt, "2026-11-20 10:15:00", 2000);
	vt_free(vt);
}
END_TEST

/* The session's TimeZone follows the setting; a name PostgreSQL does not
 * know falls back to Asia/Seoul instead of failing the connection. */
START_TEST(the_sessions_timezone_is_the_centers)
{
	char *v;

	console_sql("update settings set value = 'America/New_York' where key = 'timezone'");
	v = testdb_value(db, "select session_use_center_timezone() || ' ' || "
			     "to_char(timestamptz '2026-11-20 01:15:00+00', 'MM-DD HH24:MI')");
	ck_assert_str_eq(v, "America/New_York 11-19 20:15");
	free(v);
	console_sql("update settings set value = 'Mars/Olympus' where key = 'timezone'");
	v = testdb_value(db, "select session_use_center_timezone() || ' ' || "
			     "to_char(timestamptz '2026-11-20 01:15:00+00', 'MM-DD HH24:MI')");
	ck_assert_str_eq(v, "Asia/Seoul 11-20 10:15");
	free(v);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("unix");
	TCase *tc = tcase_create("conventions");

	tcase_add_checked_fixture(tc, setup, console_teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, times_are_drawn_in_the_centers_timezone);
	tcase_add_test(tc, the_sessions_timezone_is_the_centers);
	suite_add_tcase(s, tc);
	return console_main(s);
}
