/* check_cases.c - cases followed up: the SLA from kind and priority, the
 * escalation at case_escalate_pct pushed by NOTIFY (to the owner and the
 * floor), each change a history row in the login that made it, the lists,
 * the rights, a contact saved as "escalated", and the case-watch process. */
#include "config.h"

#include <check.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "testdb.h"

static struct db *db;
static char dbname[64];

static char cs1[24], cs2[24];

/* The SQL with {CS1} and {CS2} replaced by those customers' ids (agents
 * cannot read the customer table to look them up), malloc'd. */
static char *ids(const char *sql)
{
	char *out = malloc(strlen(sql) + 64), *o = out;

	for (const char *p = sql; *p;) {
		if (strncmp(p, "{CS1}", 5) == 0 || strncmp(p, "{CS2}", 5) == 0) {
			o += sprintf(o, "%s", p[3] == '1' ? cs1 : cs2);
			p += 5;
		} else {
			*o++ = *p++;
		}
	}
	*o = '\0';
	return out;
}

static void setup(void)
{
	db = testdb_create(dbname);
	testdb_agent(db, "cs_kim", "김민지", "agent");
	testdb_agent(db, "cs_lee", "이영희", "agent");
	testdb_agent(db, "cs_park", "박팀장", "supervisor");
	ck_assert_msg(db_exec_script(db,
		"insert into queue (name) values ('cs_general'), ('cs_other');"
		"insert into agent_queue select 'cs_kim', id from queue where name = 'cs_general';"
		"insert into agent_queue select 'cs_lee', id from queue where name = 'cs_general';"
		"insert into agent_queue select 'cs_park', id from queue where name = 'cs_other';"
		"insert into customer (name, external_id, tier) values ('홍길동', 'CS1', 'platinum'), ('김철수', 'CS2', 'registered');")
		== 0, "%s", db_error(db));
	{
		char *v = testdb_value(db, "select id from customer where external_id = 'CS1'");

		snprintf(cs1, sizeof(cs1), "%s", v);
		free(v);
		v = testdb_value(db, "select id from customer where external_id = 'CS2'");
		snprintf(cs2, sizeof(cs2), "%s", v);
		free(v);
	}
}

static void teardown(void) { testdb_drop(db, dbname); }

static void exec_ok(struct db *d, const char *sql)
{
	char *q = ids(sql);

	ck_assert_msg(db_exec(d, q, 0, NULL) == 0, "%s: %s", q, db_error(d));
	free(q);
}

static void value_is(struct db *d, const char *sql, const char *want)
{
	char *q = ids(sql), *v = testdb_value(d, q);

	ck_assert_msg(v && strcmp(v, want) == 0, "%s: got %s, want %s", q, v ? v : "NULL", want);
	free(v);
	free(q);
}

static long value_long(struct db *d, const char *sql)
{
	char *q = ids(sql), *v = testdb_value(d, q);
	long n;

	ck_assert_msg(v != NULL, "%s: NULL", q);
	n = atol(v);
	free(v);
	free(q);
	return n;
}

static long ms_since(const struct timespec *t0)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (t.tv_sec - t0->tv_sec) * 1000L + (t.tv_nsec - t0->tv_nsec) / 1000000L;
}

/* Waits up to timeout_ms for a notification with this channel and payload;
 * the others are dropped. Returns how many ms it took, -1 when none came. */
static long wait_notify(struct db *d, const char *channel, const char *payload, long timeout_ms)
{
	struct timespec t0;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (;;) {
		PGnotify *n;
		struct pollfd p = { .fd = PQsocket(db_pg(d)), .events = POLLIN };
		long left = timeout_ms - ms_since(&t0);

		PQconsumeInput(db_pg(d));
		while ((n = PQnotifies(db_pg(d)))) {
			bool hit = strcmp(n->relname, channel) == 0 && strcmp(n->extra, payload) == 0;

			PQfreemem(n);
			if (hit)
				return ms_since(&t0);
		}
		if (left <= 0)
			return -1;
		poll(&p, 1, (int)left);
	}
}

/* A case opened hours ago (so its SLA is partly gone), via SQL as a fixture. */
static long case_opened_ago(const char *kind, const char *priority, const char *owner, double hours_ago)
{
	char sql[512];

	snprintf(sql, sizeof(sql),
		 "insert into cases (customer_id, kind, subject, priority, owner_login, opened_at) "
		 "select id, '%s', 'fixture', '%s', '%s', now() - make_interval(secs => %f) from customer "
		 "where external_id = 'CS1' returning id", kind, priority, owner, hours_ago * 3600);
	return value_long(db, sql);
}

/* The SLA of a case opened now through case_open (as that login). */
static char *sla_of_new_case(struct db *d, const char *kind, const char *priority, long *id)
{
	const char *p[3] = { kind, priority, cs1 };
	PGresult *res = db_query(d, "select case_open($3::bigint, $1, '사안', $2)", 3, p);
	char sql[160];

	ck_assert_msg(res != NULL, "%s", db_error(d));
	*id = atol(PQgetvalue(res, 0, 0));
	PQclear(res);
	snprintf(sql, sizeof(sql), "select (due_at - opened_at)::text from cases where id = %ld", *id);
	return testdb_value(db, sql);
}

static void sla_is(struct db *d, const char *kind, const char *priority, const char *want, long *id)
{
	char *v = sla_of_new_case(d, kind, priority, id);

	ck_assert_msg(v && strcmp(v, want) == 0, "%s/%s: SLA %s, want %s", kind, priority ? priority : "-", v, want);
	free(v);
}

START_TEST(sla_due_time_follows_kind_priority_and_settings)
{
	struct db *kim = testdb_connect(dbname, "cs_kim");
	long id, contact;
	char sql[512];

	/* complaint / normal: case_sla_complaint_normal = 24 h; inquiry / low:
	 * no kind-specific key, case_sla_low = 120 h; claim / urgent: case_sla_urgent = 8 h */
	sla_is(kim, "complaint", "normal", "1 day", &id);
	sla_is(kim, "inquiry", "low", "5 days", &id);
	sla_is(kim, "claim", "urgent", "08:00:00", &id);
	/* a setting changes the next case's SLA */
	exec_ok(db, "update settings set value = '6' where key = 'case_sla_complaint_normal'");
	sla_is(kim, "complaint", NULL, "06:00:00", &id);
	/* a new priority moves the due time: complaint / urgent = 4 h */
	snprintf(sql, sizeof(sql), "select case_set_priority(%ld, 'urgent', '고객 항의')", id);
	exec_ok(kim, sql);
	snprintf(sql, sizeof(sql), "select (due_at - opened_at)::text from cases where id = %ld", id);
	value_is(db, sql, "04:00:00");
	snprintf(sql, sizeof(sql), "select string_agg(event || ':' || coalesce(old_value, '') || '>' || "
		 "coalesce(new_value, '') || ':' || login || ':' || coalesce(note, ''), ' | ' order by id) "
		 "from case_event where case_id = %ld and event in ('opened', 'priority')", id);
	value_is(db, sql, "opened:>cs_kim:cs_kim: | priority:normal>urgent:cs_kim:고객 항의");
	/* the contact form's case gets its due time from the settings too (complaint / normal, now 6 h) */
	contact = value_long(kim, "select contact_save(gen_random_uuid(), {CS1}, "
				  "null, 'phone', 'in', 'complaint', 'damaged', null, '깨진 상자', '상자가 깨져서 왔어요', true)");
	snprintf(sql, sizeof(sql), "select (k.due_at - k.opened_at)::text from interaction i join cases k on k.id = i.case_id "
		 "where i.id = %ld", contact);
	value_is(db, sql, "06:00:00");
	db_close(kim);
}
END_TEST

START_TEST(escalation_at_eighty_percent_is_pushed_to_owner_and_floor)
{
	struct db *kim = testdb_connect(dbname, "cs_kim");
	struct db *boss = testdb_connect(dbname, "cs_park");
	long before, after, due;
	char sql[256], want[64];

	exec_ok(kim, "listen agent_cs_kim");
	exec_ok(boss, "listen floor");
	/* complaint / normal = 24 h, escalation at 80 % = 19.2 h after opening */
	before = case_opened_ago("complaint", "normal", "cs_kim", 19.1);
	after = case_opened_ago("complaint", "normal", "cs_kim", 19.3);
	due = case_opened_ago("complaint", "normal", "cs_kim", 24.5);
	wait_notify(kim, "none", "", 200);   /* drop the "opened" notifications */
	wait_notify(boss, "none", "", 200);

	/* after: escalated; due: escalated and overdue; before: untouched */
	value_is(db, "select case_sla_check()::text", "3");
	/* 0.1 h = 6 minutes until the next crosses its line */
	value_is(db, "select round(extract(epoch from case_sla_next() - now()) / 60)::text", "6");
	snprintf(sql, sizeof(sql), "select status || '/' || (warned_at is not null) || '/' || (breached_at is not null) "
		 "from cases where id = %ld", before);
	value_is(db, sql, "open/false/false");
	snprintf(sql, sizeof(sql), "select status || '/' || (warned_at is not null) || '/' || (escalated_at is not null) "
		 "from cases where id = %ld", after);
	value_is(db, sql, "escalated/true/true");
	snprintf(sql, sizeof(sql), "select string_agg(event || ':' || login || ':' || note, ' | ' order by id) "
		 "from case_event where case_id = %ld and event <> 'opened'", due);
	value_is(db, sql, "escalated:sla:80% of the SLA elapsed | overdue:sla:past its due time");
	snprintf(want, sizeof(want), "case %ld escalated", after);
	ck_assert_msg(wait_notify(kim, "agent_cs_kim", want, 2000) >= 0, "owner not told: %s", want);
	snprintf(want, sizeof(want), "case %ld overdue", due);
	ck_assert_msg(wait_notify(kim, "agent_cs_kim", want, 2000) >= 0, "owner not told: %s", want);
	ck_assert(wait_notify(boss, "floor", "case", 2000) >= 0);
	/* nothing twice */
	value_is(db, "select case_sla_check()::text", "0");
	/* the SLA states as the lists show them, soonest due first */
	snprintf(sql, sizeof(sql), "select string_agg(id || ':' || sla_state, ',') from case_list('mine', null, null) ");
	snprintf(want, sizeof(want), "%ld:breached,%ld:warning,%ld:ok", due, after, before);
	value_is(kim, sql, want);
	snprintf(want, sizeof(want), "%ld", after);
	value_is(kim, "select string_agg(id::text, ',') from case_list('mine', null, 'warning')", want);
	value_is(kim, "select open || '/' || warning || '/' || breached || '/' || escalated from case_counts_mine()", "3/1/1/2");

	/* an already escalated case that reaches 80 % is 'warned' */
	{
		long esc = case_opened_ago("complaint", "normal", "cs_kim", 1);

		snprintf(sql, sizeof(sql), "select case_escalate(%ld, '고객 요청')", esc);
		exec_ok(kim, sql);
		snprintf(sql, sizeof(sql), "update cases set opened_at = now() - interval '20 hours', "
			 "due_at = now() + interval '4 hours' where id = %ld", esc);
		exec_ok(db, sql);
		value_is(db, "select case_sla_check()::text", "1");
		snprintf(want, sizeof(want), "case %ld warned", esc);
		ck_assert_msg(wait_notify(kim, "agent_cs_kim", want, 2000) >= 0, "owner not told: %s", want);
	}
	db_close(kim);
	db_close(boss);
}
END_TEST

START_TEST(every_change_is_a_history_row_and_rights_hold)
{
	struct db *kim = testdb_connect(dbname, "cs_kim");
	struct db *lee = testdb_connect(dbname, "cs_lee");
	struct db *boss = testdb_connect(dbname, "cs_park");
	long id = value_long(kim, "select case_open({CS2}, "
				  "'complaint', '환불 요청', 'normal')");
	char sql[512];

	exec_ok(lee, "listen agent_cs_lee");
	/* only the owner or a supervisor reassigns, re-prioritises or closes */
	snprintf(sql, sizeof(sql), "select case_close(%ld, 'refunded', null)", id);
	ck_assert_int_eq(db_exec(lee, sql, 0, NULL), -1);
	ck_assert_str_eq(db_sqlstate(lee), "42501");
	/* anyone who sees it adds a note or escalates */
	snprintf(sql, sizeof(sql), "select case_add_note(%ld, '고객과 통화함')", id);
	exec_ok(lee, sql);
	snprintf(sql, sizeof(sql), "select case_assign(%ld, 'cs_lee', '휴가')", id);
	exec_ok(kim, sql);
	snprintf(sql, sizeof(sql), "case %ld assigned", id);
	ck_assert(wait_notify(lee, "agent_cs_lee", sql, 2000) >= 0);
	snprintf(sql, sizeof(sql), "select case_close(%ld, 'refunded', null)", id);
	ck_assert_int_eq(db_exec(kim, sql, 0, NULL), -1);   /* no longer kim's */
	snprintf(sql, sizeof(sql), "select case_close(%ld, 'no_such_code', null)", id);
	ck_assert_int_eq(db_exec(lee, sql, 0, NULL), -1);
	ck_assert_str_eq(db_sqlstate(lee), "23503");
	snprintf(sql, sizeof(sql), "select case_close(%ld, 'refunded', '전액 환불')", id);
	exec_ok(lee, sql);
	ck_assert_int_eq(db_exec(lee, sql, 0, NULL), -1);   /* closed once */
	snprintf(sql, sizeof(sql), "select case_reopen(%ld, '다시 연락옴')", id);
	exec_ok(boss, sql);

	snprintf(sql, sizeof(sql), "select string_agg(event || ':' || login || ':' || coalesce(old_value, '') || '>' || "
		 "coalesce(new_value, '') || ':' || coalesce(note, ''), ' | ' order by at, login) from case_history(%ld)", id);
	value_is(boss, sql,
		 "opened:cs_kim:>cs_kim: | note:cs_lee:>:고객과 통화함 | assigned:cs_kim:cs_kim>cs_lee:휴가 | "
		 "closed:cs_lee:open>refunded:전액 환불 | reopened:cs_park:closed>open:다시 연락옴");
	snprintf(sql, sizeof(sql), "select status || '/' || coalesce(resolution_code, '-') || '/' || (closed_at is null) "
		 "from cases where id = %ld", id);
	value_is(db, sql, "open/-/true");
	/* each change also in the customer's audit trail */
	value_is(db, "select count(*)::text from audit_log where detail like 'case %' "
		     "and customer_id = {CS2}", "5");
	/* the lists: mine, my team's (who share a queue), all only for supervisors */
	snprintf(sql, sizeof(sql), "%ld", id);
	value_is(lee, "select string_agg(id::text, ',') from case_list('mine', null, null)", sql);
	value_is(kim, "select string_agg(id::text, ',') from case_list('team', null, null)", sql);
	value_is(kim, "select count(*)::text from case_list('mine', null, null)", "0");
	value_is(boss, "select count(*)::text from case_list('team', null, null)", "0");
	value_is(boss, "select string_agg(id::text, ',') from case_list('all', 'any', null)", sql);
	ck_assert_int_eq(db_exec(kim, "select * from case_list('all', null, null)", 0, NULL), -1);
	ck_assert_str_eq(db_sqlstate(kim), "42501");
	/* the detail a case screen opens */
	snprintf(sql, sizeof(sql), "select case_no || '/' || customer_name || '/' || owner_name || '/' || sla_state "
		 "from case_detail(%ld)", id);
	{
		char want[128];

		snprintf(want, sizeof(want), "C-%ld/김철수/이영희/ok", id);
		value_is(kim, sql, want);
	}
	/* agents hold no rights on the history table itself */
	ck_assert_int_eq(db_exec(kim, "select * from case_event", 0, NULL), -1);
	db_close(kim);
	db_close(lee);
	db_close(boss);
}
END_TEST

START_TEST(a_contact_saved_as_escalated_escalates_its_case)
{
	struct db *kim = testdb_connect(dbname, "cs_kim");
	long id, contact;
	char sql[512];

	exec_ok(kim, "listen agent_cs_kim");
	/* a new complaint saved with disposition escalated: its new case is escalated at once */
	contact = value_long(kim, "select contact_save(gen_random_uuid(), {CS2}, "
				  "null, 'phone', 'in', 'complaint', 'damaged', 'escalated', '또 파손', '세 번째', true)");
	snprintf(sql, sizeof(sql), "select k.status from cases k join interaction i on i.case_id = k.id where i.id = %ld", contact);
	value_is(db, sql, "escalated");
	/* a follow-up contact on an existing case, saved as escalated */
	id = value_long(kim, "select case_open({CS2}, 'inquiry', '배송', 'low')");
	wait_notify(kim, "none", "", 100);
	snprintf(sql, sizeof(sql), "insert into interaction (customer_id, occurred_at, channel, kind, disposition, case_id) "
		 "select id, now(), 'phone', 'inquiry', 'escalated', %ld from customer where external_id = 'CS2'", id);
	exec_ok(db, sql);
	snprintf(sql, sizeof(sql), "select status || '/' || (escalated_at is not null) from cases where id = %ld", id);
	value_is(db, sql, "escalated/true");
	snprintf(sql, sizeof(sql), "select note from case_event where case_id = %ld and event = 'escalated'", id);
	{
		char *v = testdb_value(db, sql);

		ck_assert_msg(v && strstr(v, "saved as escalated"), "%s", v ? v : "NULL");
		free(v);
	}
	snprintf(sql, sizeof(sql), "case %ld escalated", id);
	ck_assert(wait_notify(kim, "agent_cs_kim", sql, 2000) >= 0);
	/* the contact is on the case's list of interactions */
	snprintf(sql, sizeof(sql), "select count(*)::text from case_interactions(%ld)", id);
	value_is(kim, sql, "1");
	db_close(kim);
}
END_TEST

/* Branch staff see the cases of their branch's customers only, and change none. */
START_TEST(branch_staff_see_only_their_customers_cases)
{
	struct db *store;
	long mine, other;
	char sql[256];

	testdb_agent(db, "cs_store", "최지우", "branch");
	exec_ok(db, "update customer set branch_code = 'SEL' where external_id = 'CS2'");
	mine = value_long(db, "select case_open({CS2}, 'inquiry', '매장 문의', 'normal', 'cs_kim')");
	other = value_long(db, "select case_open({CS1}, 'complaint', '다른 고객', 'normal', 'cs_kim')");
	store = testdb_connect(dbname, "cs_store");
	snprintf(sql, sizeof(sql), "select subject from case_detail(%ld)", mine);
	value_is(store, sql, "매장 문의");
	snprintf(sql, sizeof(sql), "select subject from case_detail(%ld)", other);
	ck_assert_int_eq(db_exec(store, sql, 0, NULL), -1);
	ck_assert_str_eq(db_sqlstate(store), "P0002");
	snprintf(sql, sizeof(sql), "select * from case_history(%ld)", other);
	ck_assert_int_eq(db_exec(store, sql, 0, NULL), -1);
	ck_assert_str_eq(db_sqlstate(store), "P0002");
	snprintf(sql, sizeof(sql), "select case_escalate(%ld, null)", mine);
	ck_assert_int_eq(db_exec(store, sql, 0, NULL), -1);
	ck_assert_str_eq(db_sqlstate(store), "42501");
	ck_assert_int_eq(db_exec(store, "select * from case_event", 0, NULL), -1);
	db_close(store);
}
END_TEST

/* The long-lived watch wakes up on its own when a case crosses its line,
 * and on NOTIFY when a new case is due sooner than anything it knew of. */
START_TEST(case_watch_escalates_on_time)
{
	struct db *kim = testdb_connect(dbname, "cs_kim");
	char cmd[512], want[64];
	long id, late;
	pid_t pid;

	/* urgent complaints: 0.001 h = 3.6 s, escalated at 2.88 s */
	exec_ok(db, "update settings set value = '0.001' where key = 'case_sla_complaint_urgent'");
	exec_ok(kim, "listen agent_cs_kim");
	snprintf(cmd, sizeof(cmd), "%s/ccterm-admin", testdb_builddir());
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		prctl(PR_SET_PDEATHSIG, SIGTERM);   /* dies with the test */
		setenv("PGDATABASE", dbname, 1);
		execl(cmd, cmd, "case-watch", "--quiet", (char *)NULL);
		_exit(127);
	}
	usleep(500 * 1000);   /* it is sleeping on an empty watch list */
	id = value_long(kim, "select case_open({CS1}, 'complaint', '긴급', 'urgent')");
	snprintf(want, sizeof(want), "case %ld escalated", id);
	late = wait_notify(kim, "agent_cs_kim", want, 10000);
	kill(pid, SIGTERM);
	waitpid(pid, NULL, 0);
	ck_assert_msg(late >= 0, "case-watch did not escalate within 10 s");
	/* about 2.9 s after opening, not before */
	ck_assert_msg(late >= 2500, "escalated after %ld ms, before 80 %% of 3.6 s", late);
	printf("case-watch escalated %ld ms after opening (80 %% of 3.6 s = 2880 ms)\n", late);
	snprintf(cmd, sizeof(cmd), "select login from case_event where case_id = %ld and event = 'escalated'", id);
	value_is(db, cmd, "sla");
	db_close(kim);
}
END_TEST

static Suite *cases_suite(void)
{
	Suite *s = suite_create("cases");
	TCase *tc = tcase_create("cases");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, sla_due_time_follows_kind_priority_and_settings);
	tcase_add_test(tc, escalation_at_eighty_percent_is_pushed_to_owner_and_floor);
	tcase_add_test(tc, every_change_is_a_history_row_and_rights_hold);
	tcase_add_test(tc, a_contact_saved_as_escalated_escalates_its_case);
	tcase_add_test(tc, branch_staff_see_only_their_customers_cases);
	tcase_add_test(tc, case_watch_escalates_on_time);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(cases_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
