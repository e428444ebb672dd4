/* check_contact.c - contact_save() against a real PostgreSQL: one row per
 * draft holding the latest text, saved again only by its own agent. */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testdb.h"

static struct db *db;
static char dbname[64];
static long long customer_id;

#define DRAFT "6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b"

static void setup(void)
{
	char *v;

	db = testdb_create(dbname);
	testdb_agent(db, "it_c1", "Agent One", "agent");
	testdb_agent(db, "it_c2", "Agent Two", "agent");
	ck_assert_int_eq(db_exec(db, "insert into customer (external_id, name, tier, branch_code) "
				     "values ('K1', '홍길동', 'platinum', 'SEL')", 0, NULL), 0);
	v = testdb_value(db, "select id from customer where external_id = 'K1'");
	customer_id = atoll(v);
	free(v);
}

static void teardown(void) { testdb_drop(db, dbname); }

/* contact_save as agent as, returning the id (-1 with the error in err). */
static long long save(struct db *as, const char *body, bool open_case, char *err, size_t errsz)
{
	char cust[24];
	const char *p[4] = { DRAFT, cust, body, open_case ? "true" : "false" };
	PGresult *res;
	long long id;

	snprintf(cust, sizeof(cust), "%lld", customer_id);
	res = db_query(as, "select contact_save($1::uuid, $2::bigint, null, 'phone', 'in', 'complaint', '', '', "
			   "'subject', $3, $4::boolean)", 4, p);
	if (!res) {
		snprintf(err, errsz, "%s", db_error(as));
		return -1;
	}
	id = atoll(PQgetvalue(res, 0, 0));
	PQclear(res);
	return id;
}

START_TEST(later_saves_update_the_same_row)
{
	struct db *a = testdb_connect(dbname, "it_c1");
	char err[512] = "";
	long long first, again;

	first = save(a, "first words", false, err, sizeof(err));
	ck_assert_msg(first > 0, "%s", err);
	again = save(a, "first words, and what came after", false, err, sizeof(err));
	ck_assert_int_eq(again, first);
	ck_assert_int_eq(testdb_count(db, "select count(*) from interaction where idempotency_key = '" DRAFT "'"), 1);
	ck_assert_int_eq(testdb_count(db, "select count(*) from interaction where idempotency_key = '" DRAFT "' "
			       "and body = 'first words, and what came after' and agent_login = 'it_c1'"), 1);
	/* A case opened on a later save, once. */
	ck_assert_int_eq(save(a, "with a case", true, err, sizeof(err)), first);
	ck_assert_int_eq(save(a, "with a case, still one", true, err, sizeof(err)), first);
	ck_assert_int_eq(testdb_count(db, "select count(*) from cases where customer_id = (select customer_id from interaction "
			       "where idempotency_key = '" DRAFT "')"), 1);
	ck_assert_int_eq(testdb_count(db, "select count(*) from interaction where idempotency_key = '" DRAFT "' "
			       "and case_id is not null and status = 'open' and body = 'with a case, still one'"), 1);
	db_close(a);
}
END_TEST

START_TEST(another_agent_cannot_overwrite_a_draft)
{
	struct db *a = testdb_connect(dbname, "it_c1"), *b = testdb_connect(dbname, "it_c2");
	char err[512] = "";

	ck_assert_int_gt(save(a, "mine", false, err, sizeof(err)), 0);
	ck_assert_int_eq(save(b, "overwritten", false, err, sizeof(err)), -1);
	ck_assert_msg(strstr(err, "saved by another agent") != NULL, "%s", err);
	ck_assert_int_eq(testdb_count(db, "select count(*) from interaction where body = 'mine'"), 1);
	db_close(a);
	db_close(b);
}
END_TEST

/* The key is unique where it is set, as before sql/370 made it a partial
 * index: a second row with the same key is refused, rows without one (every
 * imported row) are many, and the index holds only the keyed ones. */
START_TEST(the_key_is_unique_where_set_and_keyless_rows_take_no_entry)
{
	char sql[512];

	snprintf(sql, sizeof(sql), "insert into interaction (customer_id, occurred_at, channel, direction, kind, "
		 "idempotency_key) values (%lld, now(), 'phone', 'in', 'inquiry', '" DRAFT "')", customer_id);
	ck_assert_int_eq(db_exec(db, sql, 0, NULL), 0);
	ck_assert_int_lt(db_exec(db, sql, 0, NULL), 0);
	ck_assert_msg(strstr(db_error(db), "duplicate key") != NULL, "%s", db_error(db));
	snprintf(sql, sizeof(sql), "insert into interaction (customer_id, occurred_at, channel, direction, kind) "
		 "select %lld, now(), 'phone', 'in', 'inquiry' from generate_series(1, 3)", customer_id);
	ck_assert_int_eq(db_exec(db, sql, 0, NULL), 0);
	ck_assert_int_eq(testdb_count(db, "select count(*) from interaction where idempotency_key is null"), 3);
	ck_assert_int_eq(testdb_count(db, "select count(*) from pg_index i where i.indrelid = 'interaction'::regclass "
			       "and i.indisunique and pg_get_indexdef(i.indexrelid) like '%(idempotency_key)%' "
			       "and pg_get_expr(i.indpred, i.indrelid) = '(idempotency_key IS NOT NULL)'"), 1);
}
END_TEST

static Suite *contact_suite(void)
{
	Suite *s = suite_create("contact");
	TCase *tc = tcase_create("contact_save");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, later_saves_update_the_same_row);
	tcase_add_test(tc, another_agent_cannot_overwrite_a_draft);
	tcase_add_test(tc, the_key_is_unique_where_set_and_keyless_rows_take_no_entry);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(contact_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
