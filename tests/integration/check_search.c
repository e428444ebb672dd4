/* check_search.c - search as agents type it (customer_search, db_search):
 * last four digits, partial numbers, an e-mail's local part, Latin names
 * in any case, Korean initial consonants; ranked, and each hit told apart. */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

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

/* A later word of a name by its own index (name_later_words, 360), the
 * third word on and a name starting with a blank by the trigram fallback;
 * never the middle of a word. */
START_TEST(later_words_of_names_exactly)
{
	sql("insert into customer (external_id, name, tier, branch_code) values "
	    "('W1', 'Mary Ann Smith', 'registered', 'SEL'), ('W2', ' Parkinson Lee', 'registered', 'SEL'), "
	    "('W3', 'Sparky Jones', 'registered', 'SEL'), ('W4', 'Ann-Marie Parks', 'registered', 'SEL')");
	EXPECT("smith", "W1");                 /* a third word */
	EXPECT("ann smith", "W1");             /* from the second word on */
	EXPECT("ann", "W4,W1");                /* the start of a name first, then a later word */
	EXPECT("park", "S4,W2,W4,S6");         /* names' start, then later words (and after a blank) by name */
	EXPECT("ark", "");                     /* the middle of a word: no */
	EXPECT("jones", "W3");
	EXPECT("ones", "");
}
END_TEST

/* The e-mail's local part is the whole local part, its . and _ as typed. */
START_TEST(email_local_parts_exactly)
{
	sql("insert into customer (external_id, name, tier, branch_code) values "
	    "('E1', 'Kim One', 'registered', 'SEL'), ('E2', 'Kim Two', 'registered', 'SEL'), ('E3', 'Kim Three', 'registered', 'SEL')");
	sql("insert into contact_point (kind, value) values ('email', 'jia.kim1@example.com'), "
	    "('email', 'xjia.kim@example.com'), ('email', 'jia_kim@example.com')");
	sql("insert into customer_contact (customer_id, contact_point_id, label, is_primary) "
	    "select c.id, cp.id, 'home', true from customer c join contact_point cp on "
	    "(c.external_id = 'E1' and cp.value = 'jia.kim1@example.com') or "
	    "(c.external_id = 'E2' and cp.value = 'xjia.kim@example.com') or "
	    "(c.external_id = 'E3' and cp.value = 'jia_kim@example.com')");
	EXPECT("jia.kim", "S1");
	EXPECT("jia.kim1", "E1");
	EXPECT("JIA_KIM", "E3");               /* _ is not a wildcard */
	EXPECT("xjia.kim", "E2");
	EXPECT("jia%", "");
}
END_TEST

/* The last digits find exactly the numbers ending in them, nothing that
 * holds them elsewhere; ranked by the latest contact. */
START_TEST(last_digits_find_exactly_the_numbers_ending_in_them)
{
	sql("insert into customer (external_id, name, tier, branch_code) values "
	    "('D1', 'Digits One', 'registered', 'SEL'), ('D2', 'Digits Two', 'registered', 'SEL'), "
	    "('D3', 'Digits Three', 'registered', 'SEL')");
	sql("insert into contact_point (kind, value) values ('phone', '+821055552817'), ('phone', '+821028170000'), "
	    "('phone', '+821055552818')");
	sql("insert into customer_contact (customer_id, contact_point_id, label, is_primary) "
	    "select c.id, cp.id, 'mobile', true from customer c join contact_point cp on "
	    "(c.external_id = 'D1' and cp.value = '+821055552817') or "
	    "(c.external_id = 'D2' and cp.value = '+821028170000') or "
	    "(c.external_id = 'D3' and cp.value = '+821055552818')");
	EXPECT("2817", "S1,D1");               /* S1 was in touch, D1 never */
	EXPECT("52817", "D1");                 /* five digits: the end, or anywhere */
	EXPECT("2818", "D3");
	EXPECT("28170", "D2");                 /* anywhere from five digits on */
}
END_TEST

/* Hits are ranked and shown by the latest contact, which follows
 * interactions as they come, go and move with a merge and its undoing. */
START_TEST(ranked_by_the_latest_contact_as_interactions_come_move_and_go)
{
	struct customer_hit h[SEARCH_MAX];
	char q[256];
	char *v = testdb_value(db, "select id from customer where external_id = 'S1'");
	long long s1 = atoll(v), s7;

	free(v);
	EXPECT("김지아", "S2,S1");
	sql("insert into interaction (customer_id, occurred_at, channel, kind, subject) "
	    "select id, now() - interval '1 minute', 'phone', 'inquiry', 'new' from customer where external_id = 'S1'");
	EXPECT("김지아", "S1,S2");
	ck_assert_int_eq(db_search(agent, "김지아", h, SEARCH_MAX), 2);
	ck_assert_int_gt(h[0].last_contact, time(NULL) - 600);
	sql("delete from interaction where subject = 'new'");
	EXPECT("김지아", "S2,S1");
	/* S7, in touch an hour ago, merged into S1: S1 has that contact now */
	sql("insert into customer (external_id, name, tier, branch_code) values ('S7', '김지아', 'registered', 'SEL')");
	sql("insert into interaction (customer_id, occurred_at, channel, kind, subject) "
	    "select id, now() - interval '1 hour', 'phone', 'inquiry', 'x' from customer where external_id = 'S7'");
	EXPECT("김지아", "S7,S2,S1");
	v = testdb_value(db, "select id from customer where external_id = 'S7'");
	s7 = atoll(v);
	free(v);
	snprintf(q, sizeof(q), "select customer_merge(%lld, %lld)", s1, s7);
	sql(q);
	EXPECT("김지아", "S1,S2");
	snprintf(q, sizeof(q), "select customer_unmerge(%lld)", s7);
	sql(q);
	EXPECT("김지아", "S7,S2,S1");
}
END_TEST

/* Branch staff find by a later word only their branch's customers, masked. */
START_TEST(later_words_for_branch_staff_stay_in_the_branch)
{
	struct db *br;
	struct customer_hit h[SEARCH_MAX];
	int n;

	testdb_agent(db, "it_sb", "Branch One", "branch");
	sql("insert into customer (external_id, name, tier, branch_code) values "
	    "('B1', 'Kim Parker', 'registered', 'BUS')");
	sql("insert into contact_point (kind, value) values ('phone', '+821077776666')");
	sql("insert into customer_contact (customer_id, contact_point_id, label, is_primary) "
	    "select c.id, cp.id, 'mobile', true from customer c, contact_point cp "
	    "where c.external_id = 'S6' and cp.value = '+821077776666'");
	EXPECT("parker", "B1,S6");             /* an agent sees both (by name: no contact yet) */
	br = testdb_connect(dbname, "it_sb");
	n = db_search(br, "parker", h, SEARCH_MAX);
	ck_assert_msg(n == 1, "%d hits: %s", n, db_error(br));
	ck_assert_str_eq(h[0].external_id, "S6");
	ck_assert_str_eq(h[0].phone, "***-****-6666");
	db_close(br);
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
	tcase_add_test(tc, later_words_of_names_exactly);
	tcase_add_test(tc, email_local_parts_exactly);
	tcase_add_test(tc, last_digits_find_exactly_the_numbers_ending_in_them);
	tcase_add_test(tc, ranked_by_the_latest_contact_as_interactions_come_move_and_go);
	tcase_add_test(tc, later_words_for_branch_staff_stay_in_the_branch);
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
