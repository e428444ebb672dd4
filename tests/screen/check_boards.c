/* check_boards.c - the supervisors' boards at 80x24, as a supervisor sees
 * them: no header or state cut, pause reasons and time in state, a queue's
 * drill-down and the way back, the selection staying on its agent while
 * another's change re-sorts the list, a grid of 60+ agents, sparklines
 * drawn from calls set up here, and an escalated case arriving unasked.
 * Logins start with bd_. */
#include "config.h"

#include <check.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ccterm/admin.h"
#include "console.h"

static void sup(void)
{
	testdb_agent(db, "bd_sup", "Supervisor", "supervisor");
}

/* An agent row with a state, a reason and a time in it (no login role). */
static void agent(const char *login, const char *name, const char *state, const char *reason, int secs_ago,
		  const char *queue)
{
	char sql[768];

	snprintf(sql, sizeof(sql),
		 "insert into agent (login, name, state, state_reason, state_since) values "
		 "('%s', '%s', '%s', %s%s%s, now() - interval '%d seconds');"
		 "insert into agent_queue (login, queue_id) select '%s', id from queue where name = '%s'",
		 login, name, state, reason ? "'" : "", reason ? reason : "null", reason ? "'" : "", secs_ago, login,
		 queue ? queue : "");
	ck_assert_msg(db_exec_script(db, sql) == 0, "%s", db_error(db));
}

static void no_cut_on_screen(struct vt *vt)
{
	char *s = vt_screen(vt);

	ck_assert_ptr_nonnull(s);
	ck_assert_msg(!strstr(s, "logged_ou") && !strstr(s, "rdy…"), "%s", s);
	free(s);
}

/* The header row holding text: every header whole, no ellipsis. */
static void header_whole(struct vt *vt, const char *first, const char *const *want)
{
	char row[4096];
	int r;

	ck_assert(vt_find(vt, first, &r, NULL));
	vt_row(vt, r, row, sizeof(row));
	ck_assert_msg(!strstr(row, "…"), "header cut: %s", row);
	for (; *want; want++)
		ck_assert_msg(strstr(row, *want), "header \"%s\" missing: %s", *want, row);
}

/* The row holding want[0] holds every other text of want (NULL-ended) too:
 * a frame arrives in pieces (ncurses sends what changed), so a row is read
 * once it is whole. */
static bool row_holds(struct vt *vt, void *arg)
{
	const char *const *want = arg;
	char row[4096];
	int r;

	if (!vt_find(vt, want[0], &r, NULL))
		return false;
	vt_row(vt, r, row, sizeof(row));
	for (want++; *want; want++)
		if (!strstr(row, *want))
			return false;
	return true;
}

/* A time in state of mm minutes and some seconds ("12:05") on the row. */
static bool row_has_minutes(const char *row, const char *mm)
{
	const char *p = strstr(row, mm);

	return p && p[2] == ':' && isdigit((unsigned char)p[3]) && isdigit((unsigned char)p[4]);
}

/* The row of name is the selected one (reverse video in column 2). */
static bool selected(struct vt *vt, void *name)
{
	int r;

	return vt_find(vt, name, &r, NULL) && (vt_cell_attrs(vt, r, 2) & VT_ATTR_REVERSE);
}

/* The row of the name is row, and selected. */
struct selected_row {
	const char *name;
	int row;
};

static bool selected_at(struct vt *vt, void *arg)
{
	const struct selected_row *want = arg;
	int r;

	return vt_find(vt, want->name, &r, NULL) && r == want->row && (vt_cell_attrs(vt, r, 2) & VT_ATTR_REVERSE);
}

START_TEST(boards_fit_80x24_with_reasons_and_times)
{
	static const char *const qh[] = { "queue", "wait", "longest", "SL", "SL by 15 min", "offer", "calls by 15 min", NULL };
	static const char *const ah[] = { "name", "state", "in state", "reason", "login", NULL };
	struct vt *vt;
	char row[4096];
	int r1, c1, r2, c2;

	ck_assert_int_eq(admin_queue_add(db, "bd_general", 20, 80), 0);
	sup();
	/* times early in the minute (hour) they show, so a slow start cannot tip them over */
	agent("bd_long", "김민지박서연이하늘최", "break", "lunch", 725, "bd_general");
	agent("bd_train", "Kim Trainee", "not_ready", "training", 62, "bd_general");
	agent("bd_gone", "Gone Home", "logged_out", NULL, 3665, "bd_general");
	agent("bd_ready", "Ready Lee", "ready", NULL, 5, "bd_general");
	vt = console("bd_sup", 24, 80);
	VT_ASSERT_WAIT(vt, "Waiting for calls", 5000);
	ck_assert_int_eq(vt_type(vt, "<F9>"), 0);
	VT_ASSERT_WAIT(vt, "bd_general", 3000);
	header_whole(vt, "calls by 15 min", qh);
	ck_assert_int_eq(vt_type(vt, "2"), 0);
	VT_ASSERT_WAIT(vt, "5 agents · sorted by state", 3000);
	/* states whole (abbreviated, with the legend), the reason and the time beside them */
	{
		static const char *const lunch[] = { "Lunch", " brk ", " 12:", NULL };
		static const char *const training[] = { "Training", " nrdy ", " 01:", "bd_train", NULL };
		static const char *const gone[] = { "Gone Home", " off ", " 1h01", NULL };

		VT_ASSERT_UNTIL(vt, row_holds, (void *)lunch, 3000, "the row of Lunch whole");
		VT_ASSERT_UNTIL(vt, row_holds, (void *)training, 3000, "the row of Training whole");
		VT_ASSERT_UNTIL(vt, row_holds, (void *)gone, 3000, "the row of Gone Home whole");
	}
	VT_ASSERT_WAIT(vt, "nrdy not ready", 1000);
	VT_ASSERT_WAIT(vt, "off logged out", 1000);
	header_whole(vt, "in state", ah);
	ck_assert(vt_find(vt, "Lunch", &r1, NULL));
	vt_row(vt, r1, row, sizeof(row));
	ck_assert_msg(row_has_minutes(row, "12"), "row: %s", row);
	ck_assert(vt_find(vt, "Training", &r2, NULL));
	vt_row(vt, r2, row, sizeof(row));
	ck_assert_msg(row_has_minutes(row, "01"), "row: %s", row);
	no_cut_on_screen(vt);
	/* the wide name is cut at a character with an ellipsis, and the columns still line up */
	ck_assert(vt_find(vt, "김민지박서연이…", &r1, NULL));
	ck_assert(vt_find(vt, " brk ", &r1, &c1));
	ck_assert(vt_find(vt, " nrdy ", &r2, &c2));
	ck_assert_int_ne(r1, r2);
	ck_assert_int_eq(c1, c2);
	ck_assert(vt_find(vt, "Lunch", &r1, &c1));
	ck_assert(vt_find(vt, "Training", &r2, &c2));
	ck_assert_int_eq(c1, c2);
	/* wider, the states are written out and the legend goes */
	ck_assert_int_eq(vt_resize(vt, 30, 120), 0);
	VT_ASSERT_WAIT(vt, " logged_out ", 2000);
	VT_ASSERT_WAIT(vt, " not_ready ", 1000);
	VT_ASSERT_GONE(vt, "nrdy not ready", 1000);
	header_whole(vt, "in state", ah);
	vt_free(vt);
}
END_TEST

/* Seven calls waiting in one of three queues: Enter shows them (callers
 * masked) and the queue's agents; Esc comes back to the same queue. */
START_TEST(queue_drills_down_and_comes_back)
{
	struct vt *vt;
	int r, c;

	setenv("NO_COLOR", "1", 1);
	ck_assert_int_eq(admin_queue_add(db, "bd_a", 20, 80), 0);
	ck_assert_int_eq(admin_queue_add(db, "bd_b", 20, 80), 0);
	ck_assert_int_eq(admin_queue_add(db, "bd_c", 20, 80), 0);
	sup();
	agent("bd_p1", "Paused Park", "break", "short_break", 30, "bd_b");
	agent("bd_p2", "Other Queue", "ready", NULL, 30, "bd_c");
	console_sql("select call_arrive('010-1111-0001', '+821011110001', null, 'bd_b', null)");
	console_sql("select call_arrive('010-1111-0002', '+821011110002', null, 'bd_b', null)");
	vt = console("bd_sup", 24, 80);
	VT_ASSERT_WAIT(vt, "Waiting for calls", 5000);
	ck_assert_int_eq(vt_type(vt, "<F9>"), 0);
	VT_ASSERT_WAIT(vt, "bd_c", 3000);
	ck_assert_int_eq(vt_type(vt, "<Down><Enter>"), 0);
	VT_ASSERT_WAIT(vt, "Queue bd_b · 2 waiting · 1 agent ·", 3000);
	VT_ASSERT_WAIT(vt, "***-****-0001", 1000);
	VT_ASSERT_WAIT(vt, "***-****-0002", 1000);
	VT_ASSERT_WAIT(vt, "Short break", 1000);
	ck_assert(!vt_find(vt, "1111-0001", NULL, NULL));
	ck_assert(!vt_find(vt, "Other Queue", NULL, NULL));
	/* a third caller arrives while the supervisor looks: pushed */
	console_sql("select call_arrive('010-1111-0003', '+821011110003', null, 'bd_b', null)");
	VT_ASSERT_WAIT(vt, "Queue bd_b · 3 waiting", 2000);
	VT_ASSERT_WAIT(vt, "***-****-0003", 1000);
	ck_assert_int_eq(vt_type(vt, "<Esc>"), 0);
	VT_ASSERT_WAIT(vt, "calls by 15 min", 2000);
	VT_ASSERT_WAIT(vt, "bd_c", 2000);
	VT_ASSERT_UNTIL(vt, selected, "bd_b", 3000, "bd_b selected");
	ck_assert(vt_find(vt, "bd_a", &r, &c));
	ck_assert(!(vt_cell_attrs(vt, r, 2) & VT_ATTR_REVERSE));
	vt_free(vt);
	unsetenv("NO_COLOR");
}
END_TEST

/* Sorted by state, the selection is on Ready Lee; another agent going on a
 * call moves to the top and pushes every row down: the selection stays on
 * Ready Lee. */
START_TEST(selection_stays_on_its_agent_when_the_list_resorts)
{
	struct vt *vt;
	int r, before;

	setenv("NO_COLOR", "1", 1);
	ck_assert_int_eq(admin_queue_add(db, "bd_s", 20, 80), 0);
	sup();
	agent("bd_r1", "Ready Lee", "ready", NULL, 300, "bd_s");
	agent("bd_r2", "Ready Choi", "ready", NULL, 200, "bd_s");
	agent("bd_b1", "Break Han", "break", "lunch", 100, "bd_s");
	vt = console("bd_sup", 24, 80);
	VT_ASSERT_WAIT(vt, "Waiting for calls", 5000);
	ck_assert_int_eq(vt_type(vt, "<F9>2"), 0);
	VT_ASSERT_WAIT(vt, "Break Han", 3000);
	/* ready (longest first), then not ready (the supervisor), break */
	ck_assert_int_eq(vt_type(vt, "<Down>"), 0);
	VT_ASSERT_UNTIL(vt, selected, "Ready Choi", 3000, "Ready Choi selected");
	ck_assert(vt_find(vt, "Ready Choi", &r, NULL));
	before = r;
	/* Break Han takes a call: on_call sorts first, everyone above moves down
	 * (the list is read again on the floor's NOTIFY: wait for that frame). */
	console_sql("update agent set state = 'on_call', state_since = now() where login = 'bd_b1'");
	{
		static const char *const on_call[] = { "Break Han", " call ", NULL };

		VT_ASSERT_UNTIL(vt, row_holds, (void *)on_call, 3000, "Break Han on a call");
	}
	ck_assert(vt_find(vt, "Break Han", &r, NULL));
	ck_assert_int_lt(r, before);
	{
		/* (the rows below Break Han's may still be on their way) */
		struct selected_row choi = { "Ready Choi", before + 1 };

		VT_ASSERT_UNTIL(vt, selected_at, &choi, 3000, "Ready Choi one row down and still selected");
	}
	ck_assert(vt_find(vt, "Ready Lee", &r, NULL));
	ck_assert(!(vt_cell_attrs(vt, r, 2) & VT_ATTR_REVERSE));
	vt_free(vt);
	unsetenv("NO_COLOR");
}
END_TEST

/* 64 agents fit a grid at 80x24: every name on screen, with a state letter. */
START_TEST(grid_holds_64_agents_at_80x24)
{
	struct vt *vt;
	char name[32], row[4096];
	int r, c;

	sup();
	console_sql("insert into agent (login, name, state, state_since) "
		    "select 'bd_g' || i, 'Grid ' || lpad(i::text, 2, '0'), "
		    "(array['ready', 'on_call', 'break', 'not_ready', 'wrap_up', 'ringing', 'logged_out'])[1 + i % 7], "
		    "now() - i * interval '1 minute' from generate_series(1, 64) i");
	vt = console("bd_sup", 24, 80);
	VT_ASSERT_WAIT(vt, "Waiting for calls", 5000);
	ck_assert_int_eq(vt_type(vt, "<F9>2g"), 0);
	VT_ASSERT_WAIT(vt, "C on call", 3000);
	VT_ASSERT_WAIT(vt, "65 agents", 3000);
	for (int i = 1; i <= 64; i++) {
		snprintf(name, sizeof(name), "Grid %02d", i);
		VT_ASSERT_WAIT(vt, name, 2000);   /* the grid may still be on its way */
		ck_assert(vt_find(vt, name, &r, &c));
		/* its state letter two columns before the name */
		vt_row(vt, r, row, sizeof(row));
		ck_assert_int_ge(c, 2);
		/* (the row is ASCII: a byte a column) */
		ck_assert_msg(row[c - 2] && strchr("CGWRNBO", row[c - 2]) && row[c - 1] == ' ', "%s: %s", name, row);
	}
	/* the states of the insert: i % 7 picks them, so 1 is on a call, 6 logged out, 7 ready */
	ck_assert(vt_find(vt, "C Grid 01", NULL, NULL));
	ck_assert(vt_find(vt, "R Grid 07", NULL, NULL));
	ck_assert(vt_find(vt, "O Grid 06", NULL, NULL));
	/* g again: the list */
	ck_assert_int_eq(vt_type(vt, "g"), 0);
	VT_ASSERT_WAIT(vt, "in state", 2000);
	vt_free(vt);
}
END_TEST

/* Calls in the last four quarter hours: service level 100 %, 0 %, none,
 * 50 %; calls offered 1, 1, 0, 2. The sparklines are those figures, and a
 * call arriving changes them without a key. */
#define QUARTER(k) "date_bin('15 minutes', now(), timestamptz '2000-01-01 00:00+00') - interval '" #k " minutes' + interval '1 second'"
static void spark_calls(void)
{
	/* a zone where it is not near midnight now, so the four quarters are today's */
	console_sql("insert into settings (key, value) select 'timezone', case when extract(hour from now() at time zone "
		    "'UTC') between 2 and 21 then 'UTC' else 'Asia/Seoul' end on conflict (key) do update set value = excluded.value");
	ck_assert_int_eq(admin_queue_add(db, "bd_spark", 20, 80), 0);
	console_sql("insert into call (queue_id, state, created_at, answered_at, ended_at) "
		    "select q.id, 'ended', v.c, v.c + v.w, v.c + interval '3 minutes' from queue q, (values "
		    "  (" QUARTER(45) ", interval '5 seconds'),"
		    "  (" QUARTER(30) ", interval '60 seconds'),"
		    "  (" QUARTER(0) ", interval '5 seconds'),"
		    "  (" QUARTER(0) ", interval '60 seconds')"
		    ") v(c, w) where q.name = 'bd_spark'");
}

START_TEST(sparklines_show_the_quarters)
{
	struct vt *vt;

	sup();
	spark_calls();
	vt = console("bd_sup", 24, 80);
	VT_ASSERT_WAIT(vt, "Waiting for calls", 5000);
	ck_assert_int_eq(vt_type(vt, "<F9>"), 0);
	VT_ASSERT_WAIT(vt, "bd_spark", 3000);
	/* SL on 0-100 %: 100 █, 0 ▁, none blank, 50 ▅ (3.5 rounds up) */
	VT_ASSERT_WAIT(vt, "█▁ ▅", 2000);
	/* calls scaled to the busiest (2): 1 ▅, 1 ▅, 0 ▁, 2 █ */
	VT_ASSERT_WAIT(vt, "▅▅▁█", 2000);
	VT_ASSERT_WAIT(vt, " 50.0%", 1000);
	/* a call in the empty quarter, answered in 5 s: pushed */
	console_sql("insert into call (queue_id, state, created_at, answered_at, ended_at) "
		    "select id, 'ended', " QUARTER(15) ", " QUARTER(15) " + interval '5 seconds', "
		    QUARTER(15) " + interval '1 minute' from queue where name = 'bd_spark'");
	VT_ASSERT_WAIT(vt, "█▁█▅", 2000);
	VT_ASSERT_WAIT(vt, "▅▅▅█", 2000);
	vt_free(vt);
}
END_TEST

START_TEST(sparklines_in_ascii_without_color)
{
	struct vt *vt;

	setenv("NO_COLOR", "1", 1);
	sup();
	spark_calls();
	console_sql("insert into branch (code, name) values ('BD-1', 'Gangnam')");
	console_sql("insert into customer (name) values ('Survey')");
	console_sql("insert into interaction (customer_id, occurred_at, channel, kind, score, branch_code) "
		    "select (select id from customer limit 1), now() - v.d * interval '1 day', 'phone', 'survey', v.s, 'BD-1' "
		    "from (values (6, 5), (4, 1), (1, 3), (0, 4)) v(d, s)");
	vt = console("bd_sup", 24, 80);
	VT_ASSERT_WAIT(vt, "Waiting for calls", 5000);
	ck_assert_int_eq(vt_type(vt, "<F9>"), 0);
	VT_ASSERT_WAIT(vt, "bd_spark", 3000);
	VT_ASSERT_WAIT(vt, "#_ =", 2000);
	VT_ASSERT_WAIT(vt, "==_#", 2000);
	/* a branch's week on 1-5: 5 '#', none, 1 '_', none, none, 3 ':' (3.5 -> 4 '='), 4 (5.25 -> '+') */
	ck_assert_int_eq(vt_type(vt, "3"), 0);
	VT_ASSERT_WAIT(vt, "Gangnam", 3000);
	VT_ASSERT_WAIT(vt, "# _  =+", 2000);
	vt_free(vt);
	unsetenv("NO_COLOR");
}
END_TEST

/* On the cases board a case escalated elsewhere appears by itself; Enter opens it. */
START_TEST(escalated_case_arrives_unasked)
{
	struct vt *vt;
	char want[32];
	long long id;

	sup();
	testdb_agent(db, "bd_own", "Owner Kim", "agent");
	console_sql("insert into customer (name, branch_code) values ('홍길동', 'SEL')");
	console_sql("insert into cases (customer_id, subject, owner_login, opened_at, due_at) "
		    "select id, 'Broken fridge', 'bd_own', now(), now() + interval '2 days' from customer where name = '홍길동'");
	id = value("select max(id) from cases");
	vt = console("bd_sup", 24, 80);
	VT_ASSERT_WAIT(vt, "Waiting for calls", 5000);
	ck_assert_int_eq(vt_type(vt, "<F9>4"), 0);
	VT_ASSERT_WAIT(vt, "no case escalated or near its due time", 3000);
	console_sql("update cases set status = 'escalated' where subject = 'Broken fridge'");
	snprintf(want, sizeof(want), "C-%lld", id);
	VT_ASSERT_WAIT(vt, want, 2000);
	VT_ASSERT_WAIT(vt, "홍**", 1000);
	VT_ASSERT_WAIT(vt, "Owner Kim", 1000);
	VT_ASSERT_WAIT(vt, "escalated", 1000);
	VT_ASSERT_WAIT(vt, "4 Cases (1)", 1000);
	ck_assert(!vt_find(vt, "홍길동", NULL, NULL));
	/* the queues' tab still says there is one */
	ck_assert_int_eq(vt_type(vt, "1"), 0);
	VT_ASSERT_WAIT(vt, "calls by 15 min", 2000);
	VT_ASSERT_WAIT(vt, "4 Cases (1)", 1000);
	ck_assert_int_eq(vt_type(vt, "4<Enter>"), 0);
	VT_ASSERT_WAIT(vt, "n note · e escalate", 3000);
	VT_ASSERT_WAIT(vt, "Broken fridge", 1000);
	vt_free(vt);
}
END_TEST

static Suite *boards_suite(void)
{
	Suite *s = suite_create("boards");
	TCase *tc = tcase_create("floor");

	tcase_add_checked_fixture(tc, console_setup, console_teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, boards_fit_80x24_with_reasons_and_times);
	tcase_add_test(tc, queue_drills_down_and_comes_back);
	tcase_add_test(tc, selection_stays_on_its_agent_when_the_list_resorts);
	tcase_add_test(tc, grid_holds_64_agents_at_80x24);
	tcase_add_test(tc, sparklines_show_the_quarters);
	tcase_add_test(tc, sparklines_in_ascii_without_color);
	tcase_add_test(tc, escalated_case_arrives_unasked);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return console_main(boards_suite());
}
