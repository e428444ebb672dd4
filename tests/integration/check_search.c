/* check_search.c - search as agents type it (customer_search, db_search):
 * last four digits, partial numbers, an e-mail's local part, Latin names
 * in any case, Korean initial consonants; ranked, and each hit told apart. */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ccterm/customer.h"
#include "testdb.h"

static struct db *db, *agent;
static char dbname[64];

static void sql(const char *q)
{
	ck_assert_msg(db_exec(db, q, 0, NULL) == 0, "%s: %s", q, db_error(db));
}

static void setup(void)
{
	db = testdb_create(dbname);
	testdb_agent(db, "it_s1", "Agent One", "agent");
	sql("insert into branch (code, name) values ('BUS', '부산') on conflict do nothing");
	sql("insert into customer (external_id, name, tier, branch_code, birth_date) values "
	    "('S1', '김지아', 'registered', 'SEL', '1990-05-01'), ('S2', '김지아', 'registered', 'BUS', '1978-11-02'), "
	    "('S3', '김지훈', 'registered', 'SEL', null), ('S4', 'Park Minho', 'registered', 'SEL', null), "
	    "('S5', '박민호', 'registered', 'SEL', null), ('S6', 'Lee Parker', 'registered', 'SEL', null)");
	sql("insert into contact_point (kind, value) values ('phone', '+821022222817'), ('phone', '+821033334444'), "
	    "('email', 'jia.kim@example.com'), ('phone', '+8223124567')");
	sql("insert into customer_contact (customer_id, contact_point_id, label, is_primary) "
	    "select c.id, cp.id, 'mobile', true from customer c join contact_point cp on "
	    "(c.external_id = 'S1' and cp.value in ('+821022222817', 'jia.kim@example.com')) or "
	    "(c.external_id = 'S2' and cp.value = '+821033334444') or (c.external_id = 'S3' and cp.value = '+8223124567')");
	/* S2 was in touch yesterday, S1 a month ago: S2 first among equals */
	sql("insert into interaction (customer_id, occurred_at, channel, kind, subject) "
	    "select id, now() - interval '1 day', 'phone', 'inquiry', 'x' from customer where external_id = 'S2' union all "
	    "select id, now() - interval '30 days', 'phone', 'inquiry', 'x' from customer where external_id = 'S1'");
	agent = testdb_connect(dbname, "it_s1");
}

static void teardown(void)
{
	db_close(agent);
	testdb_drop(db, dbname);
}

/* The external ids of the hits for q, in order: "S1,S2". */
static void ids(const char *q, char *out, size_t outsz)
{
	struct customer_hit h[SEARCH_MAX];
	int n = db_search(agent, q, h, SEARCH_MAX);

	ck_assert_msg(n >= 0, "%s: %s", q, db_error(agent));
	out[0] = '\0';
	for (int i = 0; i < n; i++)
		snprintf(out + strlen(out), outsz - strlen(out), "%s%s", i ? "," : "", h[i].external_id);
}

#define EXPECT(q, want) do { char got_[512]; ids((q), got_, sizeof(got_)); \
	ck_assert_msg(strcmp(got_, (want)) == 0, "search '%s': got '%s', want '%s'", (q), got_, (want)); } while (0)

START_TEST(numbers_as_typed)
{
	EXPECT("2817", "S1");                  /* the last four digits */
	EXPECT("2222-2817", "S1");             /* a partial number */
	EXPECT("010-2222", "S1");              /* the start of one */
	EXPECT("010-2222-2817", "S1");         /* the whole */
	EXPECT("4444", "S2");
	EXPECT("4567", "S3");
	EXPECT("31245", "S3");                 /* five digits or more: anywhere in the number */
	EXPECT("312", "");                     /* three or four: the last ones only */
}
END_TEST

START_TEST(names_and_email_as_typed)
{
	EXPECT("jia.kim", "S1");               /* the e-mail's local part */
	EXPECT("park", "S4,S6");               /* case-insensitive, first word before a later one */
	EXPECT("PARK MINHO", "S4");
	EXPECT("\xe3\x84\xb1\xe3\x85\x88\xe3\x85\x87", "S2,S1");   /* ㄱㅈㅇ: 김지아 twice, recent contact first */
	EXPECT("\xe3\x84\xb1\xe3\x85\x88", "S2,S1,S3");             /* ㄱㅈ: and 김지훈 */
	EXPECT("김지아", "S2,S1");
	EXPECT("김지", "S2,S1,S3");
}
END_TEST

START_TEST(hits_told_apart)
{
	struct customer_hit h[SEARCH_MAX];
	int n = db_search(agent, "김지아", h, SEARCH_MAX);

	ck_assert_int_eq(n, 2);
	ck_assert_str_eq(h[0].external_id, "S2");
	ck_assert_int_eq(h[0].birth_year, 1978);
	ck_assert_str_eq(h[0].branch, "BUS");
	ck_assert_str_eq(h[0].phone_masked, "010-****-4444");
	ck_assert_int_gt(h[0].last_contact, 0);
	ck_assert_int_eq(h[1].birth_year, 1990);
	ck_assert_str_eq(h[1].phone_masked, "010-****-2817");
	ck_assert_int_lt(h[1].last_contact, h[0].last_contact);
	n = db_search(agent, "Park Minho", h, SEARCH_MAX);
	ck_assert_int_eq(n, 1);
	ck_assert_int_eq(h[0].birth_year, 0);
	ck_assert_int_eq(h[0].last_contact, 0);
	ck_assert_str_eq(h[0].phone_masked, "");
}
END_TEST

static Suite *search_suite(void)
{
	Suite *s = suite_create("search");
	TCase *tc = tcase_create("search");

	tcase_set_timeout(tc, 60);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, numbers_as_typed);
	tcase_add_test(tc, names_and_email_as_typed);
	tcase_add_test(tc, hits_told_apart);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(search_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
