/* check_trends.c - what the supervisors' boards show beside the current
 * figures, against a real PostgreSQL (sql/repeatable/55_boards.sql): a
 * queue's day by quarter hours and a branch's week by days, worked out by
 * hand, with the center's time zone deciding which quarter and which day a
 * call or an answer falls in; a queue's drill-down; the cases to watch; the
 * agent board's pause reason. Logins start with tr_. */
#include "config.h"

#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ccterm/admin.h"
#include "ccterm/boards.h"
#include "ccterm/floor.h"
#include "testdb.h"

static struct db *db;
static char dbname[64];

static void setup(void) { db = testdb_create(dbname); }
static void teardown(void) { testdb_drop(db, dbname); }

static void exec(const char *sql)
{
	ck_assert_msg(db_exec_script(db, sql) == 0, "%s: %s", sql, db_error(db));
}

static void value_is(const char *sql, const char *want)
{
	char *v = testdb_value(db, sql);

	ck_assert_msg(strcmp(v ? v : "", want) == 0, "%s\n  got  %s\n  want %s", sql, v ? v : "(null)", want);
	free(v);
}

/* Read at 01:10 in Seoul on 10 March 2025: today began at 00:00 +09 (15:00
 * UTC the day before), so the day has five quarters so far. */
#define EARLY "'2025-03-10 01:10:00+09'"

/* Calls of tr_q (SLA 20 s), each one's part worked out beside it. */
static const char early_calls[] =
	"insert into call (queue_id, state, created_at, answered_at, ended_at) "
	"select q.id, v.state, v.c::timestamptz, v.a::timestamptz, v.e::timestamptz "
	"from queue q, (values "
	/* 23:59:59 yesterday in Seoul: not today's (14:59:59 UTC: the 14:45 quarter in UTC) */
	"  ('ended', '2025-03-09 23:59:59+09', '2025-03-10 00:00:04+09', '2025-03-10 00:02:00+09'),"
	/* quarter 1 (00:00): in SLA (10 s), out of it (30 s): 50.0 %, 2 offered */
	"  ('ended', '2025-03-10 00:00:00+09', '2025-03-10 00:00:10+09', '2025-03-10 00:03:00+09'),"
	"  ('ended', '2025-03-10 00:14:59+09', '2025-03-10 00:15:29+09', '2025-03-10 00:20:00+09'),"
	/* quarter 2 (00:15): an abandon within 20 s counts neither way: no level, 1 offered */
	"  ('abandoned', '2025-03-10 00:15:00+09', null, '2025-03-10 00:15:05+09'),"
	/* quarter 3 (00:30): nothing */
	/* quarter 4 (00:45): 19 s in, an abandon after 40 s, 3 s in: 2 / 3 = 66.7 %, 3 offered */
	"  ('ended', '2025-03-10 00:45:00+09', '2025-03-10 00:45:19+09', '2025-03-10 00:50:00+09'),"
	"  ('abandoned', '2025-03-10 00:50:00+09', null, '2025-03-10 00:50:40+09'),"
	"  ('ended', '2025-03-10 00:55:00+09', '2025-03-10 00:55:03+09', '2025-03-10 00:58:00+09'),"
	/* quarter 5 (01:00, now's): 100 %, 1 offered; a call after the reading does not count */
	"  ('ended', '2025-03-10 01:05:00+09', '2025-03-10 01:05:02+09', '2025-03-10 01:08:00+09'),"
	"  ('ended', '2025-03-10 01:20:00+09', '2025-03-10 01:20:02+09', '2025-03-10 01:28:00+09')"
	") v(state, c, a, e) where q.name = 'tr_q'";

START_TEST(queue_day_by_quarter_hours)
{
	ck_assert_int_eq(admin_queue_add(db, "tr_q", 20, 80), 0);
	ck_assert_int_eq(admin_queue_add(db, "tr_quiet", 20, 80), 0);
	exec(early_calls);
	value_is("select sl_15m::text || ' ' || offered_15m::text from queue_trends(" EARLY ") t "
		 "join queue q on q.id = t.queue_id where q.name = 'tr_q'",
		 "{50.0,NULL,NULL,66.7,100.0} {2,1,0,3,1}");
	/* The last quarters only, as many as the day has. */
	value_is("select sl_15m::text || ' ' || offered_15m::text from queue_trends(" EARLY ", 2) t "
		 "join queue q on q.id = t.queue_id where q.name = 'tr_q'", "{66.7,100.0} {3,1}");
	value_is("select sl_15m::text || ' ' || offered_15m::text from queue_trends(" EARLY ", 9) t "
		 "join queue q on q.id = t.queue_id where q.name = 'tr_q'", "{50.0,NULL,NULL,66.7,100.0} {2,1,0,3,1}");
	/* A queue without calls has its quarters too: no level, nothing offered. */
	value_is("select sl_15m::text || ' ' || offered_15m::text from queue_trends(" EARLY ") t "
		 "join queue q on q.id = t.queue_id where q.name = 'tr_quiet'",
		 "{NULL,NULL,NULL,NULL,NULL} {0,0,0,0,0}");
	/* The quarters add up to the board's figures of the day. */
	value_is("select offered_today || ' ' || service_level_pct from wallboard_queues(" EARLY ") where name = 'tr_q'",
		 "7 66.7");
	/* Exactly at a quarter's start the day has that quarter. */
	value_is("select array_length(offered_15m, 1) from queue_trends('2025-03-10 00:15:00+09') t "
		 "join queue q on q.id = t.queue_id where q.name = 'tr_q'", "2");
	value_is("select array_length(offered_15m, 1) from queue_trends('2025-03-10 00:00:00+09') t "
		 "join queue q on q.id = t.queue_id where q.name = 'tr_q'", "1");

	/* In UTC the same moment (16:10 UTC) is quarter 65 of 9 March: the call
	 * at 23:59:59 in Seoul (14:59:59 UTC) is quarter 60's, Seoul's first
	 * quarter is quarter 61. */
	exec("insert into settings (key, value) values ('timezone', 'UTC') "
	     "on conflict (key) do update set value = excluded.value");
	value_is("select array_length(sl_15m, 1) || ' ' || sl_15m[60] || ' ' || offered_15m[60] || ' ' || sl_15m[61] "
		 "|| ' ' || offered_15m[61] || ' ' || coalesce(sl_15m[59]::text, '-') || ' ' || offered_15m[59] "
		 "from queue_trends(" EARLY ") t join queue q on q.id = t.queue_id where q.name = 'tr_q'",
		 "65 100.0 1 50.0 2 - 0");
}
END_TEST

/* The same read through the console's request: NAN where no level, and
 * when the quarter ends (the console asks again then). */
START_TEST(queue_trends_request_carries_the_quarters)
{
	struct queue_trend *ts = calloc(4, sizeof(*ts));
	struct floor_trends ft = { .rows = ts, .max = 4 };
	struct db_request rq;
	const struct queue_trend *t = &ts[0];
	char id[16];

	ck_assert_int_eq(admin_queue_add(db, "tr_now", 20, 80), 0);
	/* Two calls in this quarter, one answered in 5 s and one in 60 s, and
	 * one three quarters ago answered in 1 s (calls of now, whatever the hour).
	 * The fixture and the read in one transaction, so at one now(): in two,
	 * a quarter that turned between them left the read's quarter empty. */
	exec("begin");
	exec("insert into call (queue_id, state, created_at, answered_at, ended_at) "
	     "select q.id, 'ended', v.c, v.c + v.w, v.c + interval '2 minutes' from queue q, (values "
	     "  (date_bin('15 minutes', now(), timestamptz '2000-01-01 00:00+00'), interval '5 seconds'),"
	     "  (date_bin('15 minutes', now(), timestamptz '2000-01-01 00:00+00'), interval '60 seconds'),"
	     "  (date_bin('15 minutes', now(), timestamptz '2000-01-01 00:00+00') - interval '45 minutes', interval '1 second')"
	     ") v(c, w) where q.name = 'tr_now' and v.c >= floor_day_start()");
	db_queue_trends_request(&rq);
	ck_assert_int_eq(db_run(db, &rq, db_queue_trends_read, &ft), 0);
	exec("commit");
	ck_assert_int_eq(ft.n, 1);
	snprintf(id, sizeof(id), "%d", t->queue_id);
	value_is("select id::text from queue where name = 'tr_now'", id);
	ck_assert_int_ge(t->quarters, 1);
	ck_assert_double_eq(t->sl_15m[t->quarters - 1], 50.0);
	ck_assert_double_eq(t->offered_15m[t->quarters - 1], 2);
	if (t->quarters >= 4) {
		ck_assert(isnan(t->sl_15m[t->quarters - 2]));
		ck_assert_double_eq(t->offered_15m[t->quarters - 2], 0);
		ck_assert_double_eq(t->sl_15m[t->quarters - 4], 100.0);
	}
	/* the quarter ends within the next 15 minutes, on a quarter hour */
	ck_assert_int_gt(ft.quarter_end, (long long)time(NULL) - 5);
	ck_assert_int_le(ft.quarter_end, (long long)time(NULL) + 905);
	ck_assert_int_eq(ft.quarter_end % 900, 0);
	free(ts);
}
END_TEST

#define AT "'2025-03-10 15:00:00+09'"

START_TEST(branch_week_by_days)
{
	struct branch_sat *b = calloc(8, sizeof(*b));
	int n;

	exec("insert into branch (code, name) values ('TR-A', 'Alpha'), ('TR-B', 'Beta'), ('TR-C', 'Gamma');"
	     "insert into customer (name) values ('Survey Taker');"
	     "insert into interaction (customer_id, occurred_at, channel, kind, score, branch_code) "
	     "select (select id from customer limit 1), v.t::timestamptz, 'phone', 'survey', v.s, v.b from (values "
	     "  ('2025-03-10 09:00:00+09', 2, 'TR-A'), ('2025-03-10 10:00:00+09', 3, 'TR-A'),"   /* day 7: 2.50, 2 */
	     "  ('2025-03-05 10:00:00+09', 4, 'TR-A'), ('2025-03-05 11:00:00+09', 5, 'TR-A'),"   /* day 2: 4.50, 2 */
	     "  ('2025-03-06 11:00:00+09', 5, 'TR-A'),"                                          /* day 3: 5.00, 1 */
	     "  ('2025-03-04 00:00:00+09', 3, 'TR-B'),"                                          /* day 1: its first second */
	     "  ('2025-03-03 23:59:59+09', 1, 'TR-B'),"                                          /* before: out */
	     "  ('2025-03-09 23:59:00+09', 1, 'TR-B'), ('2025-03-10 11:00:00+09', 4, 'TR-B'),"   /* day 6, day 7 */
	     "  ('2025-03-10 15:30:00+09', 1, 'TR-B'),"                                          /* after 15:00: out */
	     "  ('2025-03-10 08:30:00+09', 5, 'TR-C')"                                           /* day 7 (UTC: day 6) */
	     ") v(t, s, b);"
	     "insert into interaction (customer_id, occurred_at, channel, kind, branch_code) "
	     "select id, '2025-03-10 09:30:00+09', 'phone', 'inquiry', 'TR-A' from customer;");
#define WEEK(code) "select avg_7d::text || ' ' || n_7d::text from branch_board(" AT ") where branch_code = '" code "'"
	value_is(WEEK("TR-A"), "{NULL,4.50,5.00,NULL,NULL,NULL,2.50} {0,2,1,0,0,0,2}");
	value_is(WEEK("TR-B"), "{3.00,NULL,NULL,NULL,NULL,1.00,4.00} {1,0,0,0,0,1,1}");
	value_is(WEEK("TR-C"), "{NULL,NULL,NULL,NULL,NULL,NULL,5.00} {0,0,0,0,0,0,1}");
	/* Beside the week, the figures of branch_satisfaction, in its order. */
	value_is("select count(*) from (select branch_code, branch_name, today_avg, today_n, week_avg, week_n, ordinality "
		 "from branch_board(" AT ") with ordinality except select * "
		 "from branch_satisfaction(" AT ") with ordinality) x", "0");
	value_is("select string_agg(branch_code || ' ' || coalesce(today_avg::text, '-') || ' ' || week_n, '; ') "
		 "from branch_board(" AT ")", "TR-A 2.50 3; TR-B 4.00 3; TR-C 5.00 0");   /* the week is the 7 days before today: 3 March counts */
	/* The console's read (now): the week beside each branch, today last
	 * (the answer and the read at one now(): a midnight between them would
	 * make the answer yesterday's). */
	exec("begin");
	exec("insert into interaction (customer_id, occurred_at, channel, kind, score, branch_code) "
	     "select id, now(), 'phone', 'survey', 4, 'TR-A' from customer");
	n = db_branch_satisfaction(db, b, 8);
	exec("commit");
	ck_assert_int_eq(n, 1);
	ck_assert_str_eq(b[0].code, "TR-A");
	for (int d = 0; d < 6; d++)
		ck_assert(isnan(b[0].avg_7d[d]) && b[0].n_7d[d] == 0);
	ck_assert_double_eq_tol(b[0].avg_7d[6], 4.0, 1e-9);
	ck_assert_int_eq(b[0].n_7d[6], 1);
	/* In UTC 08:30 in Seoul is 23:30 the day before. */
	exec("insert into settings (key, value) values ('timezone', 'UTC') "
	     "on conflict (key) do update set value = excluded.value");
	value_is(WEEK("TR-C"), "{NULL,NULL,NULL,NULL,NULL,5.00,NULL} {0,0,0,0,0,1,0}");
	free(b);
}
END_TEST

START_TEST(queue_drill_down_masks_the_callers)
{
	struct drill_row rows[8];
	struct queue_drill qd = { .rows = rows, .max = 8 };
	char sql[256];
	int qid;

	ck_assert_int_eq(admin_queue_add(db, "tr_d", 20, 80), 0);
	exec("insert into agent (login, name, state, state_since, state_reason) values "
	     "  ('tr_a1', '김민지', 'break', now() - interval '10 minutes', 'lunch'),"
	     "  ('tr_a2', 'Park', 'on_call', now() - interval '2 minutes', null),"
	     "  ('tr_a3', 'Off', 'logged_out', now(), null);"
	     "insert into agent_queue (login, queue_id) select l, (select id from queue where name = 'tr_d') "
	     "from unnest(array['tr_a1', 'tr_a2', 'tr_a3']) l;"
	     "insert into call (queue_id, state, ani, ani_e164, created_at) "
	     "select id, 'queued', '010-1234-5678', '+821012345678', now() - interval '90 seconds' from queue where name = 'tr_d';"
	     "insert into call (queue_id, state, ani, ani_e164, created_at) "
	     "select id, 'queued', null, null, now() - interval '30 seconds' from queue where name = 'tr_d';");
	{
		char *v = testdb_value(db, "select id from queue where name = 'tr_d'");

		qid = v ? atoi(v) : 0;
		free(v);
	}
	ck_assert_int_eq(db_queue_drill(db, qid, &qd), 4);
	ck_assert_int_eq(qd.calls, 2);
	ck_assert(rows[0].is_call);
	ck_assert_str_eq(rows[0].name, "***-****-5678");
	ck_assert_int_ge(rows[0].secs, 90);
	ck_assert_str_eq(rows[1].name, "(withheld)");
	/* agents: working first, logged out not shown, the pause reason's label */
	ck_assert(!rows[2].is_call);
	ck_assert_str_eq(rows[2].id, "tr_a2");
	ck_assert_str_eq(rows[3].id, "tr_a1");
	ck_assert_str_eq(rows[3].reason, "Lunch");
	ck_assert_int_ge(rows[3].secs, 600);
	/* nothing of the number in clear */
	snprintf(sql, sizeof(sql), "select count(*) from queue_drill(%d) where name like '%%1234%%'", qid);
	value_is(sql, "0");
	/* and the agent board says the reason too */
	value_is("select reason from wallboard_agents('login', 10, 0) where login = 'tr_a1'", "Lunch");
	value_is("select reason from wallboard_agents('login', 10, 0) where login = 'tr_a2'", "");
}
END_TEST

START_TEST(cases_to_watch)
{
	struct floor_case rows[8];
	struct floor_cases fc = { .rows = rows, .max = 8 };
	struct db *agent_db, *sup_db;

	testdb_agent(db, "tr_sup", "Boss", "supervisor");
	testdb_agent(db, "tr_own", "Owner Kim", "agent");
	exec("insert into customer (name) values ('홍길동'), ('Jane Doe');"
	     "insert into cases (customer_id, subject, status, owner_login, opened_at, due_at) values "
	     /* escalated by hand, due in 5 hours */
	     "  ((select id from customer where name = '홍길동'), 'Broken fridge', 'escalated', 'tr_own', "
	     "   now() - interval '1 hour', now() + interval '5 hours'),"
	     /* open, 90 % of its SLA gone: warning */
	     "  ((select id from customer where name = 'Jane Doe'), 'Late parcel', 'open', null, "
	     "   now() - interval '9 hours', now() + interval '1 hour'),"
	     /* open, past due: breached */
	     "  ((select id from customer where name = 'Jane Doe'), 'Refund', 'pending', 'tr_own', "
	     "   now() - interval '3 days', now() - interval '2 hours'),"
	     /* open, 10 % gone: not shown; closed past due: not shown */
	     "  ((select id from customer where name = 'Jane Doe'), 'Fine', 'open', 'tr_own', "
	     "   now() - interval '1 hour', now() + interval '9 hours'),"
	     "  ((select id from customer where name = 'Jane Doe'), 'Done', 'closed', 'tr_own', "
	     "   now() - interval '3 days', now() - interval '1 day');");
	sup_db = testdb_connect(dbname, "tr_sup");
	ck_assert_int_eq(db_floor_cases(sup_db, &fc), 3);
	ck_assert_str_eq(rows[0].subject, "Refund");
	ck_assert_str_eq(rows[0].sla_state, "breached");
	ck_assert_int_le(rows[0].minutes_left, -119);
	ck_assert_str_eq(rows[0].customer, "J** D**");
	ck_assert_str_eq(rows[1].subject, "Late parcel");
	ck_assert_str_eq(rows[1].sla_state, "warning");
	ck_assert_str_eq(rows[1].owner, "");
	ck_assert_str_eq(rows[2].subject, "Broken fridge");
	ck_assert_str_eq(rows[2].status, "escalated");
	ck_assert_str_eq(rows[2].customer, "홍**");
	ck_assert_str_eq(rows[2].owner_name, "Owner Kim");
	db_close(sup_db);
	/* Agents do not get the board. */
	agent_db = testdb_connect(dbname, "tr_own");
	ck_assert_int_eq(db_floor_cases(agent_db, &fc), -1);
	db_close(agent_db);
}
END_TEST

static Suite *trends_suite(void)
{
	Suite *s = suite_create("trends");
	TCase *tc = tcase_create("boards");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, queue_day_by_quarter_hours);
	tcase_add_test(tc, queue_trends_request_carries_the_quarters);
	tcase_add_test(tc, branch_week_by_days);
	tcase_add_test(tc, queue_drill_down_masks_the_callers);
	tcase_add_test(tc, cases_to_watch);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(trends_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
