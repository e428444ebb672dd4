/* check_prepared_pop.c - the pop prepared when the call arrives (issue 9,
 * sql/repeatable/32_prepared_pop.sql): the CTI's db_call_arrive prepares it
 * in a transaction of its own, screen_pop serves it, and every way it could
 * be wrong falls back to the live pop. Real PostgreSQL, real logins. */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ccterm/admin.h"
#include "ccterm/floor.h"
#include "ccterm/pbx.h"
#include "ccterm/pbx_event.h"
#include "testdb.h"

/* Roles are cluster-wide: every login here starts with pr_. */
#define AGENT "pr_agent"
#define OTHER "pr_other"
#define BRANCH "pr_branch"

static struct db *db;      /* superuser: the CTI, fixtures and checks */
static struct db *ag;      /* the agent the calls are offered to */
static char dbname[64];

/* C1: a platinum caller with history, an open case, orders, alerts, offers
 * (as check_pop's); C3 and C4 share a landline; nobody has 010-9999-0000. */
static const char fixture[] =
	"insert into customer (external_id, name, tier_override, segment, branch_code, value_won, churn_score) values "
	"  ('C1', '홍길동', 'platinum', 'family', 'SEL', 20000000, 0.75), "
	"  ('C3', '김영희', 'contracted', null, 'SEL', 0, null), "
	"  ('C4', '김철수', 'all', null, null, 0, null);"
	"insert into customer_secret (customer_id, rrn) select id, '800301-1234567' from customer where external_id = 'C1';"
	"insert into contact_point (kind, value) values ('phone', '+821012345678'), ('phone', '+8223124567'), "
	"  ('email', 'gil.dong@example.kr');"
	"insert into customer_contact (customer_id, contact_point_id, label, is_primary) "
	"  select c.id, p.id, v.label, v.prim from (values "
	"    ('C1', '+821012345678', 'mobile', true), ('C1', 'gil.dong@example.kr', 'email', true), "
	"    ('C3', '+8223124567', 'home', false), ('C4', '+8223124567', 'home', false)) v(ext, val, label, prim) "
	"  join customer c on c.external_id = v.ext join contact_point p on p.value = v.val;"
	"insert into orders (order_no, customer_id, ordered_at, channel, status, total_won) "
	"  select 'C1-' || k, id, now() - make_interval(days => 150 + 30 * k), 'web', 'delivered', 200000 "
	"  from customer, generate_series(0, 5) k where external_id = 'C1';"
	"insert into interaction (customer_id, occurred_at, channel, kind, subject, body, amount_won, agent_login) "
	"  select c.id, now() - g * interval '1 hour', (array['phone', 'web', 'email'])[1 + g % 3], "
	"         (array['inquiry', 'order', 'complaint'])[1 + g % 3], 'subject ' || g, 'body of ' || g, "
	"         case when g % 3 = 1 then 1000 * g end, 'kim' "
	"  from customer c, generate_series(1, 60) g where c.external_id = 'C1';"
	"insert into cases (customer_id, kind, subject, status, priority, owner_login, due_at) "
	"  select id, 'complaint', 'Late delivery', 'open', 'high', 'kim', now() + interval '3 days' "
	"  from customer where external_id = 'C1';"
	"insert into alert (customer_id, kind, severity, message) "
	"  select id, 'note', 'info', 'Prefers e-mail' from customer where external_id = 'C1';"
	"insert into offer_rule (name, offer, priority, tiers, segments, active) values "
	"  ('Platinum 12m', '12 months interest free', 10, '{platinum}', null, true), "
	"  ('Family', 'family pack', 20, null, '{family}', true);"
	"insert into queue (name) values ('general');";

static void setup(void)
{
	db = testdb_create(dbname);
	testdb_agent(db, AGENT, "Prepared Agent", "agent");
	testdb_agent(db, OTHER, OTHER, "agent");
	testdb_agent(db, BRANCH, BRANCH, "branch");
	ck_assert_msg(db_exec_script(db, fixture) == 0, "fixture: %s", db_error(db));
	ag = testdb_connect(dbname, AGENT);
	/* as the console does after every connect */
	ck_assert_int_eq(db_exec(ag, "select session_use_center_timezone()", 0, NULL), 0);
}

static void teardown(void)
{
	db_close(ag);
	testdb_drop(db, dbname);
}

static long long c1(void)
{
	return testdb_count(db, "select id from customer where external_id = 'C1'");
}

/* A call offered to login, as ccterm-cti makes it (db_call_arrive: the pop
 * prepared first, then call_arrive). */
static long long call_to(const char *ani, const char *login)
{
	char sql[256];
	long long id = 0;

	snprintf(sql, sizeof(sql), "select call_hangup(id) from call where agent_login = '%s' "
		 "and state in ('offered', 'answered')", login);
	ck_assert_int_eq(db_exec(db, sql, 0, NULL), 0);
	ck_assert_msg(db_call_arrive(db, ani, "+8215881234", "general", login, &id) == 0, "%s", db_error(db));
	ck_assert_int_gt(id, 0);
	return id;
}

/* The pop as one text, a row a line, the columns '|'-separated ("~" for NULL). */
static char *pop_text(struct db *who, long long call)
{
	char sql[200];
	PGresult *res;
	size_t cap = 1 << 16, len = 0;
	char *out = malloc(cap);

	ck_assert_ptr_nonnull(out);
	snprintf(sql, sizeof(sql), "select section, f1, f2, f3, f4, f5, f6, f7, f8, f9, f10, f11, f12 "
		 "from screen_pop(%lld)", call);
	res = db_query(who, sql, 0, NULL);
	ck_assert_msg(res != NULL, "%s", db_error(who));
	out[0] = '\0';
	for (int r = 0; r < PQntuples(res); r++) {
		char *line = testdb_row_text(res, r);
		size_t n = strlen(line) + 2;

		if (len + n > cap) {
			cap = 2 * (cap + n);
			out = realloc(out, cap);
			ck_assert_ptr_nonnull(out);
		}
		len += (size_t)snprintf(out + len, cap - len, "%s\n", line);
		free(line);
	}
	PQclear(res);
	return out;
}

static long long prepared(long long customer)
{
	char sql[128];

	snprintf(sql, sizeof(sql), "select count(*) from prepared_pop where customer_id = %lld", customer);
	return testdb_count(db, sql);
}

/* Marks the prepared header's name, so a pop shows whether it was served. */
static void mark_prepared(long long customer)
{
	char sql[256];

	snprintf(sql, sizeof(sql), "update prepared_pop set rows[1].f3 = 'PREPARED' where customer_id = %lld", customer);
	ck_assert_msg(db_exec(db, sql, 0, NULL) == 0, "%s", db_error(db));
}

START_TEST(the_prepared_pop_equals_the_live_one_row_for_row)
{
	long long id = call_to("010-1234-5678", AGENT);
	char *served, *live, sql[128];

	ck_assert_int_eq(prepared(c1()), 1);
	served = pop_text(ag, id);
	/* the same call, built live */
	snprintf(sql, sizeof(sql), "delete from prepared_pop where customer_id = %lld", c1());
	ck_assert_int_eq(db_exec(db, sql, 0, NULL), 0);
	live = pop_text(ag, id);
	/* A case's seconds to its due time are taken when served, so both are
	 * the same but for the second that may have passed between the reads. */
	{
		char *a = served, *b = live;
		int rows = 0, cases = 0;

		while (*a && *b) {
			char *ea = strchr(a, '\n'), *eb = strchr(b, '\n');

			ck_assert_ptr_nonnull(ea);
			ck_assert_ptr_nonnull(eb);
			*ea = *eb = '\0';
			if (strncmp(a, "case|", 5) == 0) {
				long long da, db_;
				char *pa = a, *pb = b;

				for (int f = 0; f < 6; f++) {
					pa = strchr(pa, '|') + 1;
					pb = strchr(pb, '|') + 1;
				}
				da = atoll(pa);
				db_ = atoll(pb);
				ck_assert_msg(llabs(da - db_) <= 2, "case seconds: %lld prepared, %lld live", da, db_);
				ck_assert_int_gt(da, 86400);
				*strchr(pa, '|') = *strchr(pb, '|') = '\0';
				ck_assert_str_eq(a, b);
				cases++;
			} else {
				ck_assert_str_eq(a, b);
			}
			rows++;
			a = ea + 1;
			b = eb + 1;
		}
		ck_assert_msg(!*a && !*b, "prepared and live pops differ in length");
		ck_assert_int_eq(cases, 1);
		/* call, header, alerts, profile, offers, case, total, 51 items */
		ck_assert_int_gt(rows, 55);
	}
	free(served);
	free(live);
}
END_TEST

START_TEST(screen_pop_serves_the_prepared_rows)
{
	long long id = call_to("010-1234-5678", AGENT);
	char *pop;

	mark_prepared(c1());
	pop = pop_text(ag, id);
	ck_assert_msg(strstr(pop, "header|") && strstr(pop, "|PREPARED|"), "%.400s", pop);
	free(pop);
	/* a second call of the same customer keeps the fresh rows */
	id = call_to("010-1234-5678", AGENT);
	pop = pop_text(ag, id);
	ck_assert_msg(strstr(pop, "|PREPARED|"), "%.400s", pop);
	free(pop);
}
END_TEST

/* Any write to what the pop shows, after preparing: the live (new) data. */
START_TEST(a_change_after_preparing_gives_the_live_data)
{
	static const char *const changes[] = {
		"update customer set name = '홍길순' where external_id = 'C1'",
		"insert into interaction (customer_id, occurred_at, channel, kind, subject) "
		"  select id, now(), 'web', 'inquiry', 'just now' from customer where external_id = 'C1'",
		"update cases set subject = 'Very late delivery' where subject = 'Late delivery'",
		"update contact_point set value = '+821012340000' where value = 'gil.dong@example.kr'",
		"insert into alert (customer_id, kind, severity, message) "
		"  select id, 'fraud', 'critical', 'New alert' from customer where external_id = 'C1'",
		"update offer_rule set offer = 'family pack plus' where name = 'Family'",
		"delete from customer_secret",
	};
	static const char *const want[] = {
		"|홍길순|", "|just now|", "|Very late delivery|", "|+821012340000|", "|New alert|", "|family pack plus|",
		NULL,
	};

	for (size_t i = 0; i < sizeof(changes) / sizeof(changes[0]); i++) {
		long long id = call_to("010-1234-5678", AGENT);
		char *pop;

		ck_assert_int_eq(prepared(c1()), 1);
		mark_prepared(c1());
		ck_assert_msg(db_exec(db, changes[i], 0, NULL) == 0, "%s: %s", changes[i], db_error(db));
		ck_assert_msg(prepared(c1()) == 0, "still prepared after: %s", changes[i]);
		pop = pop_text(ag, id);
		ck_assert_msg(!strstr(pop, "|PREPARED|"), "%s: the prepared rows were served", changes[i]);
		if (want[i])
			ck_assert_msg(strstr(pop, want[i]), "%s: %s not in the pop", changes[i], want[i]);
		else
			ck_assert_msg(!strstr(pop, "800301-1******"), "%s: the RRN is still shown", changes[i]);
		free(pop);
	}
}
END_TEST

/* A bulk load (session_replication_role = replica: no ordinary trigger
 * fires) forgets every prepared pop. */
START_TEST(a_bulk_load_forgets_every_prepared_pop)
{
	call_to("010-1234-5678", AGENT);
	ck_assert_int_eq(prepared(c1()), 1);
	ck_assert_int_eq(db_exec_script(db, "begin; set local session_replication_role = replica; "
				       "insert into interaction (customer_id, occurred_at, channel, kind, subject) "
				       "select id, now(), 'web', 'inquiry', 'bulk' from customer where external_id = 'C3'; "
				       "commit"), 0);
	ck_assert_int_eq(testdb_count(db, "select count(*) from prepared_pop"), 0);
}
END_TEST

/* A write in flight to a customer of the same bucket: nothing is prepared
 * (its data could change after the read); once it commits, it is. */
START_TEST(a_write_in_flight_stops_the_preparation)
{
	struct db *w = testdb_connect(dbname, NULL);
	char *v;

	ck_assert_int_eq(db_exec_script(w, "begin; insert into interaction (customer_id, occurred_at, channel, kind, "
				       "subject) select id, now(), 'web', 'inquiry', 'in flight' from customer "
				       "where external_id = 'C1'"), 0);
	v = testdb_value(db, "select pop_prepare('+821012345678')");
	ck_assert_ptr_null(v);
	ck_assert_int_eq(prepared(c1()), 0);
	ck_assert_int_eq(db_exec(w, "commit", 0, NULL), 0);
	v = testdb_value(db, "select pop_prepare('+821012345678')");
	ck_assert_ptr_nonnull(v);
	ck_assert_int_eq(atoll(v), c1());
	free(v);
	ck_assert_int_eq(prepared(c1()), 1);
	db_close(w);
}
END_TEST

/* Branch staff see contacts masked: they get the live pop, masked, and an
 * agent the prepared one, in clear. */
START_TEST(a_viewer_with_other_masking_gets_its_own_masking)
{
	struct db *br = testdb_connect(dbname, BRANCH);
	long long id = call_to("010-1234-5678", BRANCH);
	char *pop;

	/* the console's session, so only the masking differs */
	ck_assert_int_eq(db_exec(br, "select session_use_center_timezone()", 0, NULL), 0);
	ck_assert_int_eq(prepared(c1()), 1);
	/* Branch staff see per row: their offer audits nothing, their pop does. */
	ck_assert_int_eq(testdb_count(db, "select count(*) from audit_log where login = '" BRANCH "'"), 0);
	pop = pop_text(br, id);
	ck_assert_msg(strstr(pop, "|***-****-5678|g***@example.kr|"), "%.400s", pop);
	ck_assert_msg(!strstr(pop, "gil.dong@example.kr") && !strstr(pop, "|+821012345678|gil"), "%.400s", pop);
	free(pop);
	ck_assert_int_eq(testdb_count(db, "select count(*) from audit_log where login = '" BRANCH "' and action = 'view'"), 1);
	db_close(br);
	ck_assert_int_eq(prepared(c1()), 1);
	id = call_to("010-1234-5678", AGENT);
	pop = pop_text(ag, id);
	ck_assert_msg(strstr(pop, "|+821012345678|gil.dong@example.kr|"), "%.400s", pop);
	free(pop);
}
END_TEST

/* Only the agent the call is offered to reads it; nobody reads the table. */
START_TEST(nobody_but_the_offered_agent_reads_it)
{
	struct db *other = testdb_connect(dbname, OTHER);
	long long id = call_to("010-1234-5678", AGENT);
	char sql[128];
	PGresult *res;

	snprintf(sql, sizeof(sql), "select * from screen_pop(%lld)", id);
	res = db_query(other, sql, 0, NULL);
	ck_assert_ptr_null(res);
	ck_assert_str_eq(db_sqlstate(other), "42501");
	res = db_query(other, "select * from prepared_pop", 0, NULL);
	ck_assert_ptr_null(res);
	ck_assert_str_eq(db_sqlstate(other), "42501");
	res = db_query(ag, "select * from prepared_pop", 0, NULL);
	ck_assert_ptr_null(res);
	ck_assert_str_eq(db_sqlstate(ag), "42501");
	/* nor may an agent prepare (and so probe) a number */
	res = db_query(ag, "select pop_prepare('+821012345678')", 0, NULL);
	ck_assert_ptr_null(res);
	ck_assert_str_eq(db_sqlstate(ag), "42501");
	db_close(other);
}
END_TEST

/* The audit trail: the preparation is no one's look; the agent's pop is,
 * once, as the offer's 'offer' row (30_pop.sql, call_offer_audit). */
START_TEST(the_audit_row_is_written_as_for_a_live_pop)
{
	long long id = call_to("010-1234-5678", AGENT);
	char sql[256], *pop;

	snprintf(sql, sizeof(sql), "select count(*) from audit_log where customer_id = %lld and login <> '" AGENT "'",
		 c1());
	ck_assert_int_eq(testdb_count(db, sql), 0);
	mark_prepared(c1());
	pop = pop_text(ag, id);
	ck_assert_msg(strstr(pop, "|PREPARED|"), "%.400s", pop);
	free(pop);
	snprintf(sql, sizeof(sql), "select count(*) from audit_log where customer_id = %lld and login = '" AGENT "' "
		 "and action = 'offer' and detail = 'pop call %lld'", c1(), id);
	ck_assert_int_eq(testdb_count(db, sql), 1);
	snprintf(sql, sizeof(sql), "select count(*) from audit_log where customer_id = %lld", c1());
	ck_assert_int_eq(testdb_count(db, sql), 1);
}
END_TEST

/* Without one known customer nothing is prepared and the pop is as today. */
START_TEST(a_call_without_a_known_customer_pops_as_today)
{
	long long id = call_to("010-9999-0000", AGENT);
	char *pop;

	ck_assert_int_eq(testdb_count(db, "select count(*) from prepared_pop"), 0);
	pop = pop_text(ag, id);
	ck_assert_msg(strncmp(pop, "call|", 5) == 0 && !strstr(pop, "header|"), "%.400s", pop);
	ck_assert_msg(strstr(pop, "|~|0|~|~|~\n"), "unknown caller: %s", pop);   /* no customer, 0 candidates */
	free(pop);
	id = call_to("02-312-4567", AGENT);
	ck_assert_int_eq(testdb_count(db, "select count(*) from prepared_pop"), 0);
	pop = pop_text(ag, id);
	ck_assert_msg(strstr(pop, "candidate|") && strstr(pop, "|김영희|") && strstr(pop, "|김철수|"), "%.400s", pop);
	free(pop);
}
END_TEST

/* Time: the rows are good until the first case falls due at most, and not
 * served past valid_until; old rows go when the next call is prepared. */
START_TEST(the_prepared_rows_expire_before_they_could_differ)
{
	long long id;
	char sql[256], *pop;

	ck_assert_int_eq(db_exec(db, "update cases set due_at = now() + interval '30 seconds'", 0, NULL), 0);
	id = call_to("010-1234-5678", AGENT);
	snprintf(sql, sizeof(sql), "select count(*) from prepared_pop p join cases k on k.customer_id = p.customer_id "
		 "where p.customer_id = %lld and p.valid_until <= k.due_at", c1());
	ck_assert_int_eq(testdb_count(db, sql), 1);
	mark_prepared(c1());
	snprintf(sql, sizeof(sql), "update prepared_pop set valid_until = now() - interval '1 second' "
		 "where customer_id = %lld", c1());
	ck_assert_int_eq(db_exec(db, sql, 0, NULL), 0);
	pop = pop_text(ag, id);
	ck_assert_msg(!strstr(pop, "|PREPARED|") && strstr(pop, "|홍길동|"), "%.400s", pop);
	free(pop);
	/* by age: the next preparation removes it */
	ck_assert_int_eq(db_exec(db, "select pop_prepare('+8223124567')", 0, NULL), 0);
	ck_assert_int_eq(testdb_count(db, "select count(*) from prepared_pop"), 0);
}
END_TEST

/* The PBX adapters' calls are prepared as they join the queue. */
START_TEST(a_pbx_call_is_prepared_when_queued)
{
	struct pbx_event e = { .kind = PBX_QUEUED };
	long long call = 0;

	snprintf(e.call_id, sizeof(e.call_id), "pr-1");
	snprintf(e.ani, sizeof(e.ani), "010-1234-5678");
	snprintf(e.queue, sizeof(e.queue), "general");
	ck_assert_msg(db_pbx_apply(db, &e, &call) == 1, "%s", db_error(db));
	ck_assert_int_gt(call, 0);
	ck_assert_int_eq(prepared(c1()), 1);
}
END_TEST

/* The CTI's two statements: call_arrive's error is the one reported, and a
 * failed preparation does not stop the call. */
START_TEST(call_arrive_reports_its_own_error_after_the_preparation)
{
	long long id = 0;

	ck_assert_int_eq(db_call_arrive(db, "010-1234-5678", NULL, "no_such_queue", NULL, &id), -1);
	ck_assert_msg(strstr(db_error(db), "unknown queue"), "%s", db_error(db));
	ck_assert_int_eq(prepared(c1()), 1);
	/* the preparation fails (a CTI login without the right to it), the call is made */
	ck_assert_int_eq(db_exec_script(db, "do $$ begin if not exists (select 1 from pg_roles where rolname = 'pr_cti') "
				       "then create role pr_cti login in role ccterm_cti; end if; end $$; "
				       "revoke execute on function pop_prepare(text) from ccterm_cti"), 0);
	{
		struct db *cti = testdb_connect(dbname, "pr_cti");
		char *v;

		ck_assert_int_eq(db_exec(db, "delete from prepared_pop", 0, NULL), 0);
		ck_assert_msg(db_call_arrive(cti, "010-1234-5678", NULL, "general", NULL, &id) == 0, "%s", db_error(cti));
		ck_assert_int_gt(id, 0);
		ck_assert_str_eq(db_error(cti), "");
		v = testdb_value(db, "select count(*) from prepared_pop");
		ck_assert_str_eq(v, "0");
		free(v);
		db_close(cti);
	}
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("prepared_pop");
	TCase *tc = tcase_create("prepared");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, the_prepared_pop_equals_the_live_one_row_for_row);
	tcase_add_test(tc, screen_pop_serves_the_prepared_rows);
	tcase_add_test(tc, a_change_after_preparing_gives_the_live_data);
	tcase_add_test(tc, a_bulk_load_forgets_every_prepared_pop);
	tcase_add_test(tc, a_write_in_flight_stops_the_preparation);
	tcase_add_test(tc, a_viewer_with_other_masking_gets_its_own_masking);
	tcase_add_test(tc, nobody_but_the_offered_agent_reads_it);
	tcase_add_test(tc, the_audit_row_is_written_as_for_a_live_pop);
	tcase_add_test(tc, a_call_without_a_known_customer_pops_as_today);
	tcase_add_test(tc, the_prepared_rows_expire_before_they_could_differ);
	tcase_add_test(tc, a_pbx_call_is_prepared_when_queued);
	tcase_add_test(tc, call_arrive_reports_its_own_error_after_the_preparation);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
