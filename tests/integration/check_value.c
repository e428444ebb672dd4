/* check_value.c - know the customer: computed tiers, RFM, value, segments,
 * next-best-offer rules and early warning, against figures worked out by hand
 * below for a small fixture (default settings, sql/190_customer_value.sql). */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ccterm/utf8.h"
#include "testdb.h"

static struct db *db;
static char dbname[64];

/*
 * One transaction, so every "now() - N days" shares one now():
 *  S1 steady: single, 25; 12 monthly orders of 100,000 won, the last 10 days
 *     ago (10, 40, ... 340). Median gap 30, 10 days since: no rhythm broken,
 *     churn 0. 12 orders but 1.2 M < 3 M: contracted. Value: 1.2 M in 12
 *     months x 0.25 = 300,000 a year; r = 0.9: 300,000 x 1.1 / 0.2 = 1,650,000.
 *  S2 stopped: married, 45; 12 monthly orders, the last 155 days ago (155,
 *     185, ... 485) and 2 complaints in 30 days. 155 / 30 > 5 gaps: rhythm
 *     0.6; spend 180 days 100,000 < half of the 600,000 before: +0.2; two
 *     complaints: +0.2; churn 1.0. Value: 700,000 x 0.25 x 1.1 / 1.1 = 175,000.
 *  P1 platinum: 10 orders of 400,000 every 80 days (20 .. 740 days ago): 4 M,
 *     10 orders, 740 days of tenure; an open complaint case: churn 0.1,
 *     a VIP complaint. Value 2 M x 0.25 x 1.1 / (1.1 - 0.81) = 1,896,552.
 *  U1 unpaid: one order 'placed' 20 days ago, 50,000 won: payment overdue.
 *  R1 registered: an external id, no orders, 2 inbound contacts: registered,
 *     profit -4,000: class D; 3 late-delivery contacts in 7 days: repeat.
 *  A1: only a phone number (an unknown caller made a customer): tier all.
 *  O1: no orders, but the import said platinum: the override wins.
 */
static const char fixture[] =
	"begin;"
	"insert into customer (external_id, name, birth_date, gender, marital_status) values "
	" ('S1', '김단골', current_date - interval '25 years 2 months', 'F', 'single'),"
	" ('S2', '박이탈', current_date - interval '45 years 1 month', 'M', 'married'),"
	" ('P1', '최우수', current_date - interval '50 years', 'F', 'married'),"
	" ('U1', '이미납', null, null, null),"
	" ('R1', '정가입', null, null, null);"
	"insert into customer (name) values ('전화만');"
	"insert into customer (external_id, name, tier_override) values ('O1', '지정등급', 'platinum');"
	"insert into contact_point (kind, value) values ('phone', '+821055550001');"
	"insert into customer_contact (customer_id, contact_point_id) "
	" select c.id, p.id from customer c, contact_point p where c.name = '전화만' and p.value = '+821055550001';"
	"insert into orders (order_no, customer_id, ordered_at, channel, status, total_won) "
	" select 'O-S1-' || k, (select id from customer where external_id = 'S1'), now() - make_interval(days => 10 + 30 * k),"
	"        'web', 'delivered', 100000 from generate_series(0, 11) k;"
	"insert into orders (order_no, customer_id, ordered_at, channel, status, total_won) "
	" select 'O-S2-' || k, (select id from customer where external_id = 'S2'), now() - make_interval(days => 155 + 30 * k),"
	"        'web', 'delivered', 100000 from generate_series(0, 11) k;"
	"insert into orders (order_no, customer_id, ordered_at, channel, status, total_won) "
	" select 'O-P1-' || k, (select id from customer where external_id = 'P1'), now() - make_interval(days => 20 + 80 * k),"
	"        'store', 'delivered', 400000 from generate_series(0, 9) k;"
	"insert into order_line (order_id, line_no, sku, name, qty, price_won) "
	" select id, 1, 'KD-1016', '유아 카시트', 1, 400000 from orders where order_no = 'O-P1-0';"
	"insert into orders (order_no, customer_id, ordered_at, channel, status, total_won) values "
	" ('O-U1', (select id from customer where external_id = 'U1'), now() - interval '20 days', 'web', 'placed', 50000);"
	"insert into interaction (customer_id, occurred_at, channel, direction, kind, subject) "
	" select id, now() - make_interval(days => d), 'phone', 'in', 'complaint', 'late again'"
	" from customer, unnest(array[5, 12]) d where external_id = 'S2';"
	"insert into interaction (customer_id, occurred_at, channel, direction, kind, subject, reason_code) "
	" select id, now() - make_interval(days => d), 'phone', 'in', 'inquiry', 'where is my parcel', 'late_delivery'"
	" from customer, unnest(array[1, 3, 6]) d where external_id = 'R1';"
	"insert into cases (customer_id, kind, subject) select id, 'complaint', '배송 파손' from customer where external_id = 'P1';"
	"insert into offer_rule (name, offer, priority, age_min, age_max, marital) values "
	" ('근로자 우대저축', '근로자 우대저축 가입 권유', 1, 20, 29, '{single}'),"
	" ('빅맨 평생통장', '빅맨 평생통장 추천', 2, 20, 29, '{single}');"
	"commit;";

static void setup(void)
{
	db = testdb_create(dbname);
	ck_assert_msg(db_exec_script(db, fixture) == 0, "fixture: %s", db_error(db));
	ck_assert_msg(db_exec(db, "select customer_metrics_refresh(null, true)", 0, NULL) == 0, "%s", db_error(db));
}

static void teardown(void) { testdb_drop(db, dbname); }

/* One value of a query with the customer's external id as $1. */
static char *of(const char *sql, const char *ext)
{
	const char *p[1] = { ext };
	PGresult *res = db_query(db, sql, 1, p);
	char *v;

	ck_assert_msg(res != NULL, "%s: %s", sql, db_error(db));
	ck_assert_msg(PQntuples(res) == 1, "%s for %s: %d rows", sql, ext, PQntuples(res));
	v = strdup(PQgetisnull(res, 0, 0) ? "(null)" : PQgetvalue(res, 0, 0));
	PQclear(res);
	return v;
}

/* The terminal column of at on its line (wide characters count two). */
static int display_column(const char *text, const char *at)
{
	const char *line = at;
	char buf[1024];

	while (line > text && line[-1] != '\n')
		line--;
	snprintf(buf, sizeof(buf), "%.*s", (int)(at - line), line);
	return utf8_width(buf);
}

#define ASSERT_OF(sql, ext, want) do { char *v_ = of(sql, ext); \
	ck_assert_msg(strcmp(v_, want) == 0, "%s for %s: got %s, want %s", sql, ext, v_, want); free(v_); } while (0)

#define PROFILE(col) "select " col " from customer_profile((select id from customer where external_id = $1))"
#define ALERTS "select coalesce(string_agg(kind || '|' || severity || '|' || message, ' / '), '') " \
	"from customer_alerts((select id from customer where external_id = $1))"
#define OFFERS "select coalesce(string_agg(name, ',' order by ord), '') from customer_offers(" \
	"(select id from customer where external_id = $1)) with ordinality o(rule_id, name, offer, ord)"

START_TEST(tiers_follow_the_record)
{
	ASSERT_OF(PROFILE("tier"), "S1", "contracted");
	ASSERT_OF(PROFILE("tier"), "S2", "contracted");
	ASSERT_OF(PROFILE("tier"), "P1", "platinum");
	ASSERT_OF(PROFILE("tier"), "U1", "contracted");
	ASSERT_OF(PROFILE("tier"), "R1", "registered");
	ASSERT_OF(PROFILE("tier"), "O1", "platinum");
	ASSERT_OF("select tier from customer where name = $1", "전화만", "all");
	/* The record's own column follows (searches and lists read it). */
	ASSERT_OF("select tier from customer where external_id = $1", "P1", "platinum");
	ASSERT_OF("select tier from customer where external_id = $1", "R1", "registered");
}
END_TEST

START_TEST(rfm_value_and_profit_worked_out_by_hand)
{
	/* R over -days since the last order (-155, -20, -20, -10): S1 is the most recent. */
	ASSERT_OF(PROFILE("r_score || ',' || f_score || ',' || m_score"), "S1", "5,5,4");
	ASSERT_OF(PROFILE("r_score"), "S2", "1");
	ASSERT_OF(PROFILE("m_score"), "P1", "5");
	ASSERT_OF(PROFILE("f_score || ',' || m_score"), "U1", "1,1");
	ASSERT_OF(PROFILE("r_score || ',' || f_score || ',' || m_score"), "R1", "0,0,0");
	ASSERT_OF(PROFILE("value_won"), "S1", "1650000");
	ASSERT_OF(PROFILE("value_won"), "S2", "175000");
	ASSERT_OF(PROFILE("value_won"), "P1", "1896552");
	ASSERT_OF(PROFILE("profit_class"), "R1", "D");
	/* Positive profits 12,500 / 171,000 / 300,000 / 500,000: A from 380,000, B from 235,500. */
	ASSERT_OF(PROFILE("profit_class"), "P1", "A");
	ASSERT_OF(PROFILE("profit_class"), "S1", "B");
	ASSERT_OF(PROFILE("profit_class"), "S2", "C");
	ASSERT_OF("select value_won from customer where external_id = $1", "S1", "1650000");
}
END_TEST

START_TEST(segments_are_rules_and_overlap)
{
	ASSERT_OF(PROFILE("array_to_string(segments, ',')"), "S1", "champions,young_single");
	ASSERT_OF(PROFILE("array_to_string(segments, ',')"), "S2", "family");
	ASSERT_OF(PROFILE("array_to_string(segments, ',')"), "R1", "");
}
END_TEST

START_TEST(steady_buyer_is_not_at_risk_and_the_lapsed_complainer_is)
{
	ASSERT_OF(PROFILE("churn_score"), "S1", "0");
	ASSERT_OF(ALERTS, "S1", "");
	ASSERT_OF(PROFILE("churn_score"), "S2", "1");
	ASSERT_OF(ALERTS, "S2", "churn_risk|critical|Churn risk 1.00: no order for 5 months; usually monthly; "
		  "spend down 83%; 2 complaints in 30 days");
	/* Only S2 is on the at-risk board. */
	ASSERT_OF("select string_agg(name, ',') from customers_at_risk('value', 10) where $1 = $1", "-", "박이탈");
}
END_TEST

START_TEST(early_warnings_say_why)
{
	char *v = of(ALERTS, "P1");

	/* A VIP's open complaint is said once, as the VIP warning. */
	ck_assert_msg(strncmp(v, "vip_complaint|critical|Platinum customer with 1 open complaint (latest #", 72) == 0,
		      "P1: %s", v);
	ck_assert_msg(strstr(v, "open_complaint") == NULL, "P1: %s", v);
	free(v);
	ASSERT_OF(ALERTS, "U1", "payment_overdue|critical|1 unpaid order, oldest O-U1 for 20 days (50,000 won)");
	ASSERT_OF(ALERTS, "R1", "repeat_contact|warn|3 contacts about Late delivery in 7 days");
}
END_TEST

START_TEST(offers_fit_the_seed_example_and_follow_rule_changes)
{
	struct db *sup;
	char sql[256];

	/* A single customer in their 20s: the workers' savings first, then the lifetime account. */
	ASSERT_OF(OFFERS, "S1", "근로자 우대저축,빅맨 평생통장");
	/* A married customer in their 40s sees neither. */
	ASSERT_OF(OFFERS, "S2", "");
	/* A rule that lacks a product the customer bought does not fit. */
	ck_assert_int_eq(db_exec(db, "insert into offer_rule (name, offer, priority, lacks_products) values "
				     "('유아용품 첫 구매', '유아용품 10% 쿠폰', 3, '{KD}'), "
				     "('유아용품 재구매', '카시트 보호 커버 증정', 4, null)", 0, NULL), 0);
	ck_assert_int_eq(db_exec(db, "update offer_rule set has_products = '{KD-1016}' where name = '유아용품 재구매'",
				 0, NULL), 0);
	ASSERT_OF(OFFERS, "P1", "유아용품 재구매");
	ASSERT_OF(OFFERS, "S2", "유아용품 첫 구매");

	/* A supervisor disables a rule: the next read no longer has it. */
	testdb_agent(db, "it_value_sup", "Sup", "supervisor");
	sup = testdb_connect(dbname, "it_value_sup");
	ck_assert_msg(db_exec(sup, "select offer_rule_set_active('근로자 우대저축', false)", 0, NULL) == 0,
		      "%s", db_error(sup));
	db_close(sup);
	ASSERT_OF(OFFERS, "S1", "빅맨 평생통장,유아용품 첫 구매");

	/* An agent may not change rules. */
	testdb_agent(db, "it_value_agent", "Agent", "agent");
	sup = testdb_connect(dbname, "it_value_agent");
	snprintf(sql, sizeof(sql), "select offer_rule_set_active('빅맨 평생통장', false)");
	ck_assert_int_eq(db_exec(sup, sql, 0, NULL), -1);
	ck_assert_msg(strstr(db_error(sup), "permission denied") != NULL, "%s", db_error(sup));
	/* But records what a customer said to one, for the acceptance rate
	 * (agents read no customer table: the id comes from the pop). */
	{
		char *s1 = testdb_value(db, "select id from customer where external_id = 'S1'");
		const char *p1[1] = { s1 };

		ck_assert_msg(db_exec(sup, "select offer_record((select id from offer_rule where name = '빅맨 평생통장'), "
					   "$1::bigint, null, 'accepted')", 1, p1) == 0, "%s", db_error(sup));
		ck_assert_int_eq(db_exec(sup, "select offer_record((select id from offer_rule where name = '빅맨 평생통장'), "
					      "$1::bigint, null, 'maybe')", 1, p1), -1);
		free(s1);
	}
	db_close(sup);
	ASSERT_OF("select accepted || '/' || declined || ' ' || accept_rate from offer_rules_list() where name = $1",
		  "빅맨 평생통장", "1/0 1");
}
END_TEST

START_TEST(figures_follow_new_orders_without_a_recompute)
{
	/* S2 buys again: the statement's trigger refreshes S2 at once. */
	ck_assert_int_eq(db_exec(db, "insert into orders (order_no, customer_id, ordered_at, channel, status, total_won) "
				     "select 'O-S2-new', id, now(), 'phone', 'paid', 100000 from customer where external_id = 'S2'",
				 0, NULL), 0);
	ASSERT_OF(PROFILE("churn_score < 0.5"), "S2", "t");
	ASSERT_OF(ALERTS, "S2", "");
	/* R1 signs a contract: registered -> contracted. */
	ck_assert_int_eq(db_exec(db, "insert into orders (order_no, customer_id, ordered_at, channel, status, total_won) "
				     "select 'O-R1-1', id, now(), 'store', 'paid', 10000 from customer where external_id = 'R1'",
				 0, NULL), 0);
	ASSERT_OF("select tier from customer where external_id = $1", "R1", "contracted");
}
END_TEST

START_TEST(admin_rule_commands)
{
	char out[4096];

	ck_assert_int_eq(testdb_run(dbname, "ccterm-admin rule add '청년 적금' --offer '청년 우대 적금' --priority 7 "
				    "--age 20-29 --marital single --lacks SAV", out, sizeof(out)), 0);
	ck_assert_msg(strstr(out, "would reach 1 customer today") != NULL, "%s", out);
	ck_assert_int_eq(testdb_run(dbname, "ccterm-admin rule test '청년 적금'", out, sizeof(out)), 0);
	ck_assert_msg(strstr(out, "would reach 1 customer") && strstr(out, "김단골"), "%s", out);
	ck_assert_int_eq(testdb_run(dbname, "ccterm-admin rule add bad --offer x --tier gold", out, sizeof(out)), 1);
	ck_assert_msg(strstr(out, "unknown tier \"gold\"") != NULL, "%s", out);
	ck_assert_int_eq(testdb_run(dbname, "ccterm-admin rule add bad --offer x --age 40-30", out, sizeof(out)), 1);
	ck_assert_msg(strstr(out, "age range 40-30") != NULL, "%s", out);
	ck_assert_int_eq(testdb_run(dbname, "ccterm-admin rule disable '청년 적금'", out, sizeof(out)), 0);
	ck_assert_int_eq(testdb_run(dbname, "ccterm-admin rule list", out, sizeof(out)), 0);
	/* Columns line up although the names are Korean (two columns a character):
	 * the rule's priority stands under the header's PRI. */
	{
		const char *row = strstr(out, "청년 적금"), *pri = strstr(out, "PRI"), *seven;

		ck_assert_msg(row && pri && strncmp(out, "RULE", 4) == 0, "%s", out);
		seven = strstr(row, "  7  ");
		ck_assert_ptr_nonnull(seven);
		ck_assert_int_eq(display_column(row, seven + 2), display_column(out, pri));
		ck_assert_msg(strncmp(seven, "  7    off", 10) == 0, "%s", out);
	}
	ck_assert_int_eq(testdb_run(dbname, "ccterm-admin rule enable nosuch", out, sizeof(out)), 1);
	ck_assert_msg(strstr(out, "no rule \"nosuch\"") != NULL, "%s", out);
	ck_assert_int_eq(testdb_run(dbname, "ccterm-admin recompute", out, sizeof(out)), 0);
	ck_assert_msg(strstr(out, "7 customers recomputed") != NULL, "%s", out);
}
END_TEST

static Suite *value_suite(void)
{
	Suite *s = suite_create("value");
	TCase *tc = tcase_create("value");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, tiers_follow_the_record);
	tcase_add_test(tc, rfm_value_and_profit_worked_out_by_hand);
	tcase_add_test(tc, segments_are_rules_and_overlap);
	tcase_add_test(tc, steady_buyer_is_not_at_risk_and_the_lapsed_complainer_is);
	tcase_add_test(tc, early_warnings_say_why);
	tcase_add_test(tc, offers_fit_the_seed_example_and_follow_rule_changes);
	tcase_add_test(tc, figures_follow_new_orders_without_a_recompute);
	tcase_add_test(tc, admin_rule_commands);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(value_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
