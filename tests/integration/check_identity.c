/* check_identity.c - one customer per person against a real PostgreSQL:
 * linking an unknown caller's number, duplicate candidates with their
 * reasons, merge into a survivor (tombstone, audited) and unmerge. */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>

#include "ccterm/admin.h"
#include "ccterm/identity.h"
#include "testdb.h"

static struct db *db;
static char dbname[64];

static void sql(const char *q)
{
	ck_assert_msg(db_exec(db, q, 0, NULL) == 0, "%s: %s", q, db_error(db));
}

static long count(const char *q)
{
	char *v = testdb_value(db, q);
	long n = v ? atol(v) : -1;

	free(v);
	return n;
}

static long id_of(const char *external_id)
{
	char q[160];

	snprintf(q, sizeof(q), "select id from customer where external_id = '%s'", external_id);
	return count(q);
}

/* D1 and D2: one person entered twice (same phone and name, same e-mail);
 * D3 and D4: same name and birth date; D5 and D6: same RRN; D7 alone. */
static void setup(void)
{
	db = testdb_create(dbname);
	testdb_agent(db, "it_i1", "Agent One", "agent");
	testdb_agent(db, "it_sup", "Super", "supervisor");
	sql("insert into customer (external_id, name, tier, branch_code, birth_date) values "
	    "('D1', '김지아', 'registered', 'SEL', '1990-05-01'), ('D2', '김지아 ', 'registered', 'SEL', null), "
	    "('D3', 'Park Minho', 'registered', 'SEL', '1985-02-03'), ('D4', 'park minho', 'registered', 'SEL', '1985-02-03'), "
	    "('D5', '이서준', 'registered', 'SEL', null), ('D6', '이서쥰', 'registered', 'SEL', null), "
	    "('D7', '최유나', 'registered', 'SEL', null)");
	sql("insert into contact_point (kind, value) values ('phone', '+821040001111'), "
	    "('email', 'jia.kim@example.com'), ('phone', '+821040002222')");
	sql("insert into customer_contact (customer_id, contact_point_id, label, is_primary) "
	    "select c.id, cp.id, 'mobile', true from customer c, contact_point cp "
	    "where c.external_id in ('D1', 'D2') and cp.value in ('+821040001111', 'jia.kim@example.com')");
	sql("insert into customer_contact (customer_id, contact_point_id, label, is_primary) "
	    "select c.id, cp.id, 'mobile', true from customer c, contact_point cp "
	    "where c.external_id = 'D2' and cp.value = '+821040002222'");
	sql("insert into customer_secret (customer_id, rrn) select id, '900101-1234567' from customer "
	    "where external_id in ('D5', 'D6')");
}

static void teardown(void) { testdb_drop(db, dbname); }

START_TEST(duplicates_listed_with_reasons)
{
	struct db *sup = testdb_connect(dbname, "it_sup");
	struct db *agent = testdb_connect(dbname, "it_i1");
	PGresult *res = db_duplicates(sup, 50);
	char want[3][200];

	ck_assert_msg(res != NULL, "%s", db_error(sup));
	ck_assert_int_eq(PQntuples(res), 3);
	snprintf(want[0], sizeof(want[0]), "%ld %ld 100 same RRN", id_of("D5"), id_of("D6"));
	snprintf(want[1], sizeof(want[1]), "%ld %ld 95 same phone and name, same e-mail", id_of("D1"), id_of("D2"));
	snprintf(want[2], sizeof(want[2]), "%ld %ld 70 same name and birth date", id_of("D3"), id_of("D4"));
	for (int i = 0; i < 3; i++) {
		char got[200];

		snprintf(got, sizeof(got), "%s %s %s %s", PQgetvalue(res, i, 0), PQgetvalue(res, i, 2),
			 PQgetvalue(res, i, 4), PQgetvalue(res, i, 5));
		ck_assert_str_eq(got, want[i]);
	}
	PQclear(res);
	/* an agent may not list them, but sees what one customer may duplicate */
	ck_assert_ptr_null(db_duplicates(agent, 50));
	res = db_duplicates_of(agent, id_of("D2"));
	ck_assert_msg(res != NULL, "%s", db_error(agent));
	ck_assert_int_eq(PQntuples(res), 1);
	ck_assert_int_eq(atol(PQgetvalue(res, 0, 0)), id_of("D1"));
	PQclear(res);
	db_close(agent);
	db_close(sup);
}
END_TEST

START_TEST(merge_moves_everything_and_unmerge_restores)
{
	struct db *sup = testdb_connect(dbname, "it_sup");
	struct db *agent = testdb_connect(dbname, "it_i1");
	long keep = id_of("D1"), drop = id_of("D2"), m = 0, m2 = 0;
	char q[400];

	snprintf(q, sizeof(q),
		 "insert into interaction (customer_id, occurred_at, channel, kind, subject) values "
		 "(%ld, now(), 'phone', 'inquiry', 'a'), (%ld, now(), 'web', 'complaint', 'b'), "
		 "(%ld, now(), 'phone', 'inquiry', 'keep''s own')", drop, drop, keep);
	sql(q);
	snprintf(q, sizeof(q), "insert into orders (order_no, customer_id, ordered_at, channel, total_won) "
		 "values ('O-1', %ld, now(), 'web', 1000)", drop);
	sql(q);
	snprintf(q, sizeof(q), "insert into cases (customer_id, subject) values (%ld, 'late')", drop);
	sql(q);
	snprintf(q, sizeof(q), "insert into mail_outbox (customer_id, to_addr, subject, body, message_id) "
		 "values (%ld, 'jia.kim@example.com', 's', 'b', '<m1@x>')", drop);
	sql(q);
	sql("insert into campaign (name, offer, starts) values ('c1', 'o', current_date), ('c2', 'o', current_date)");
	snprintf(q, sizeof(q), "insert into campaign_member (campaign_id, customer_id) select id, %ld from campaign", drop);
	sql(q);
	snprintf(q, sizeof(q), "insert into campaign_member (campaign_id, customer_id) select id, %ld from campaign "
		 "where name = 'c1'", keep);
	sql(q);

	/* agents may not merge */
	ck_assert_int_eq(db_customer_merge(agent, keep, drop, &m), -1);
	ck_assert_str_eq(db_sqlstate(agent), "42501");

	ck_assert_msg(db_customer_merge(sup, keep, drop, &m) == 0, "%s", db_error(sup));
	ck_assert_int_gt(m, 0);
	snprintf(q, sizeof(q), "select count(*) from interaction where customer_id = %ld", keep);
	ck_assert_int_eq(count(q), 3);
	snprintf(q, sizeof(q), "select count(*) from orders where customer_id = %ld", keep);
	ck_assert_int_eq(count(q), 1);
	snprintf(q, sizeof(q), "select count(*) from cases where customer_id = %ld", keep);
	ck_assert_int_eq(count(q), 1);
	snprintf(q, sizeof(q), "select count(*) from campaign_member where customer_id = %ld", keep);
	ck_assert_int_eq(count(q), 2);
	snprintf(q, sizeof(q), "select count(*) from mail_outbox where customer_id = %ld", keep);
	ck_assert_int_eq(count(q), 1);
	snprintf(q, sizeof(q), "select count(*) from customer_contact where customer_id = %ld", drop);
	ck_assert_int_eq(count(q), 0);
	/* the number they shared is no longer shared: it pops the survivor */
	snprintf(q, sizeof(q), "select string_agg(c::text, ',') from customers_by_contact('phone', '+821040001111') c");
	{
		char *v = testdb_value(db, q), want[24];

		snprintf(want, sizeof(want), "%ld", keep);
		ck_assert_str_eq(v, want);
		free(v);
	}
	snprintf(q, sizeof(q), "select merged_into from customer where id = %ld", drop);
	ck_assert_int_eq(count(q), keep);
	snprintf(q, sizeof(q), "select count(*) from audit_log where action = 'update' and detail like 'merge: %%' and customer_id in (%ld, %ld) "
		 "and login = 'it_sup'", keep, drop);
	ck_assert_int_eq(count(q), 2);
	/* a tombstone is no duplicate, and cannot be merged again */
	ck_assert_int_eq(count("select count(*) from duplicate_candidates(50)"), 2);
	ck_assert_int_eq(db_customer_merge(sup, keep, drop, &m2), -1);

	ck_assert_msg(db_customer_unmerge(sup, drop, &m2) == 0, "%s", db_error(sup));
	ck_assert_int_eq(m2, m);
	snprintf(q, sizeof(q), "select count(*) from interaction where customer_id = %ld", drop);
	ck_assert_int_eq(count(q), 2);
	snprintf(q, sizeof(q), "select count(*) from orders where customer_id = %ld", drop);
	ck_assert_int_eq(count(q), 1);
	snprintf(q, sizeof(q), "select count(*) from campaign_member where customer_id = %ld", drop);
	ck_assert_int_eq(count(q), 2);
	snprintf(q, sizeof(q), "select count(*) from mail_outbox where customer_id = %ld", drop);
	ck_assert_int_eq(count(q), 1);
	snprintf(q, sizeof(q), "select count(*) from customer_contact where customer_id = %ld", drop);
	ck_assert_int_eq(count(q), 3);
	snprintf(q, sizeof(q), "select count(*) from customer where id = %ld and merged_into is null", drop);
	ck_assert_int_eq(count(q), 1);
	ck_assert_int_eq(db_customer_unmerge(sup, drop, &m2), -1);   /* nothing left to undo */
	db_close(agent);
	db_close(sup);
}
END_TEST

/* Issue 12: choosing an existing customer for an unknown caller links the
 * number, so the next call from it pops that customer. */
START_TEST(link_unknown_caller)
{
	struct db *agent = testdb_connect(dbname, "it_i1");
	long d7 = id_of("D7");
	char q[200], want[24];
	char *v;

	ck_assert_int_eq(count("select count(*) from customers_by_contact('phone', '+821055557777')"), 0);
	ck_assert_msg(db_contact_link(agent, d7, "phone", "010-5555-7777") == 0, "%s", db_error(agent));
	ck_assert_msg(db_contact_link(agent, d7, "phone", "+82 10 5555 7777") == 0, "%s", db_error(agent));  /* again: no-op */
	ck_assert_msg(db_contact_link(agent, d7, "email", "Yuna@Example.com") == 0, "%s", db_error(agent));
	v = testdb_value(db, "select string_agg(c::text, ',') from customers_by_contact('phone', '+821055557777') c");
	snprintf(want, sizeof(want), "%ld", d7);
	ck_assert_str_eq(v, want);
	free(v);
	ck_assert_int_eq(count("select count(*) from customers_by_contact('email', 'yuna@example.com')"), 1);
	/* the next call from that number pops them */
	{
		long call = count("select call_arrive('010-5555-7777', '+821055557777', null, null, 'it_i1')");

		snprintf(q, sizeof(q), "select customer_id from call where id = %ld", call);
		ck_assert_int_eq(count(q), d7);
	}
	snprintf(q, sizeof(q), "select count(*) from audit_log where action = 'update' and detail like 'link: %%' and customer_id = %ld "
		 "and login = 'it_i1'", d7);
	ck_assert_int_eq(count(q), 2);
	ck_assert_int_eq(db_contact_link(agent, d7, "phone", "call me"), -1);
	ck_assert_int_eq(db_contact_link(agent, 999999, "phone", "010-5555-7778"), -1);
	ck_assert_str_eq(db_sqlstate(agent), "42501");
	db_close(agent);
}
END_TEST

START_TEST(admin_commands)
{
	char out[4096], cmd[200];

	ck_assert_int_eq(testdb_run(dbname, "ccterm-admin duplicates", out, sizeof(out)), 0);
	ck_assert_msg(strstr(out, "same RRN") && strstr(out, "same phone and name, same e-mail"), "%s", out);
	snprintf(cmd, sizeof(cmd), "ccterm-admin merge %ld %ld", id_of("D3"), id_of("D4"));
	ck_assert_int_eq(testdb_run(dbname, cmd, out, sizeof(out)), 0);
	ck_assert_msg(strstr(out, "merged"), "%s", out);
	snprintf(cmd, sizeof(cmd), "ccterm-admin unmerge %ld", id_of("D4"));
	ck_assert_int_eq(testdb_run(dbname, cmd, out, sizeof(out)), 0);
	ck_assert_msg(strstr(out, "unmerged"), "%s", out);
	ck_assert_int_ne(testdb_run(dbname, "ccterm-admin merge 1", out, sizeof(out)), 0);
}
END_TEST

/* ccterm-admin quality: D1..D6 are in duplicate pairs; D7 has a stored
 * phone that is no number (it re-normalizes to nothing). */
START_TEST(quality_report)
{
	char out[4096];

	sql("insert into contact_point (kind, value) values ('phone', '+82012345678')");
	sql("insert into customer_contact (customer_id, contact_point_id) select c.id, cp.id from customer c, "
	    "contact_point cp where c.external_id = 'D7' and cp.value = '+82012345678'");
	ck_assert_int_eq(testdb_run(dbname, "ccterm-admin quality", out, sizeof(out)), 0);
	ck_assert_msg(strstr(out, "customer data quality, 7 live customers"), "%s", out);
	ck_assert_msg(strstr(out, "possible duplicates                        6   85.71 %"), "%s", out);
	ck_assert_msg(strstr(out, "a phone that is not a number               1   14.29 %"), "%s", out);
	ck_assert_msg(strstr(out, "wrong (any of the three)                   7  100.00 %"), "%s", out);
	ck_assert_msg(strstr(out, "without a phone                            4"), "%s", out);
	ck_assert_msg(strstr(out, "without an e-mail                          5"), "%s", out);
	ck_assert_msg(strstr(out, "above the target of under 3 %"), "%s", out);
}
END_TEST

/* An import that brings the same person again flags it, never silently. */
START_TEST(import_flags_duplicates)
{
	static const char csv[] =
		"external_id,name,phone,email,tier,segment,branch,birth_date,gender,marital_status,rrn\n"
		"N1,최유나,,,,,SEL,,,,\n"
		"N2,새사람,010-4000-9999,,,,SEL,,,,\n"
		"N3,김지아,010-4000-1111,,,,SEL,,,,\n"
		"N4,Park Minho,,,,,SEL,1985-02-03,,,\n";
	struct import_result r;
	char *path = testdb_file(csv);

	ck_assert_msg(admin_import_customers(db, path, &r) == 0, "%s", db_error(db));
	ck_assert_int_eq(r.loaded, 4);
	ck_assert_int_eq(r.duplicates, 2);    /* N3 (phone and name), N4 (name and birth date) */
	ck_assert_str_eq(r.duplicate_examples, "line 4 (N3) looks like customer D1: same phone and name; "
			 "line 4 (N3) looks like customer D2: same phone and name; "
			 "line 5 (N4) looks like customer D3: same name and birth date; "
			 "line 5 (N4) looks like customer D4: same name and birth date");
	free(path);
}
END_TEST

static Suite *identity_suite(void)
{
	Suite *s = suite_create("identity");
	TCase *tc = tcase_create("identity");

	tcase_set_timeout(tc, 60);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, duplicates_listed_with_reasons);
	tcase_add_test(tc, merge_moves_everything_and_unmerge_restores);
	tcase_add_test(tc, link_unknown_caller);
	tcase_add_test(tc, admin_commands);
	tcase_add_test(tc, quality_report);
	tcase_add_test(tc, import_flags_duplicates);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(identity_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
