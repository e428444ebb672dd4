/* check_offers.c - know the customer on screen: the pop's profile line and
 * its offers best first, recorded with one key; the supervisor's rule list
 * (figures, the editor's reach, switching a rule off for the next pop) and
 * the at-risk board, in the real console in a terminal emulator. */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ccterm/format.h"
#include "console.h"

/* 김단골: single, 25, a steady monthly buyer (offers for single customers
 * in their 20s fit her); 박이탈: married, 45, monthly orders that stopped
 * five months ago and two complaints since: at risk. */
static const char fixture[] =
	"begin;"
	"insert into customer (external_id, name, birth_date, gender, marital_status, branch_code) values "
	" ('S1', '김단골', current_date - interval '25 years 2 months', 'F', 'single', 'SEL'),"
	" ('S2', '박이탈', current_date - interval '45 years 1 month', 'M', 'married', 'SEL');"
	"insert into contact_point (kind, value) values ('phone', '+821055550001'), ('phone', '+821055550002');"
	"insert into customer_contact (customer_id, contact_point_id, is_primary) "
	" select c.id, p.id, true from customer c, contact_point p "
	" where (c.external_id, p.value) in (('S1', '+821055550001'), ('S2', '+821055550002'));"
	"insert into orders (order_no, customer_id, ordered_at, channel, status, total_won) "
	" select 'O-S1-' || k, (select id from customer where external_id = 'S1'), now() - make_interval(days => 10 + 30 * k),"
	"        'web', 'delivered', 100000 from generate_series(0, 11) k;"
	"insert into orders (order_no, customer_id, ordered_at, channel, status, total_won) "
	" select 'O-S2-' || k, (select id from customer where external_id = 'S2'), now() - make_interval(days => 155 + 30 * k),"
	"        'web', 'delivered', 100000 from generate_series(0, 11) k;"
	"insert into interaction (customer_id, occurred_at, channel, direction, kind, subject, agent_login) "
	" select id, now() - make_interval(days => d), 'phone', 'in', 'complaint', 'late again', 'kim'"
	" from customer, unnest(array[5, 12]) d where external_id = 'S2';"
	"insert into offer_rule (name, offer, priority, age_min, age_max, marital) values "
	" ('빅맨 평생통장', '빅맨 평생통장 추천', 2, 20, 29, '{single}'),"
	" ('근로자 우대저축', '근로자 우대저축 가입 권유', 1, 20, 29, '{single}');"
	"commit;";

static void setup(void)
{
	console_setup();
	ck_assert_int_eq(db_exec(db, "insert into branch (code, name) values ('SEL', '서울 본점') "
				     "on conflict do nothing", 0, NULL), 0);
	ck_assert_msg(db_exec_script(db, fixture) == 0, "fixture: %s", db_error(db));
	ck_assert_msg(db_exec(db, "select customer_metrics_refresh(null, true)", 0, NULL) == 0, "%s", db_error(db));
}

/* The profile line as the database computes it for a customer. */
static void expected_profile(const char *ext, char *out, size_t outsz)
{
	const char *p[1] = { ext };
	PGresult *res = db_query(db, "select upper(f.tier), f.value_won, f.r_score, f.f_score, f.m_score, f.profit_class, "
				     "array_to_string(f.segments, ',') from customer c, customer_profile(c.id) f "
				     "where c.external_id = $1", 1, p);
	char money[32];

	ck_assert_msg(res != NULL && PQntuples(res) == 1, "%s", db_error(db));
	fmt_money_short(atoll(PQgetvalue(res, 0, 1)), money, sizeof(money));
	snprintf(out, outsz, "%s  ₩%s  R%s F%s M%s  %s  %s", PQgetvalue(res, 0, 0), money, PQgetvalue(res, 0, 2),
		 PQgetvalue(res, 0, 3), PQgetvalue(res, 0, 4), PQgetvalue(res, 0, 5),
		 *PQgetvalue(res, 0, 6) ? PQgetvalue(res, 0, 6) : "no segment");
	PQclear(res);
}

static long long response_count(const char *rule, const char *response)
{
	char sql[512];

	snprintf(sql, sizeof(sql), "select count(*) from offer_response r join offer_rule o on o.id = r.rule_id "
				   "where o.name = '%s' and r.response = '%s'", rule, response);
	return value(sql);
}

/* The pop shows the profile line and the offers best first; ^Y records the
 * highlighted one as accepted, ^X ^D the next as declined, each shown beside
 * its offer; the supervisor's rule list counts them. */
START_TEST(pop_offers_best_first_and_one_key_records)
{
	struct vt *vt, *sup;
	char want[256];
	int r1, c1, r2, c2;

	testdb_agent(db, "cc_o1", "상담원 오퍼", "agent");
	testdb_agent(db, "cc_os1", "Supervisor Offers", "supervisor");
	expected_profile("S1", want, sizeof(want));
	ck_assert_msg(strstr(want, "R5 F") != NULL || strstr(want, "R") != NULL, "%s", want);
	vt = console("cc_o1", 24, 80);
	VT_ASSERT_WAIT(vt, "Waiting for calls", 5000);
	console_call("+821055550001", "cc_o1");
	VT_ASSERT_WAIT(vt, "Notes (Enter new line", 3000);
	/* In the contact form: best first, the first highlighted. */
	VT_ASSERT_WAIT(vt, "1 근로자 우대저축", 2000);
	VT_ASSERT_WAIT(vt, "2 빅맨 평생통장", 1000);
	ck_assert(vt_find(vt, "1 근로자 우대저축", &r1, &c1));
	ck_assert(vt_find(vt, "2 빅맨 평생통장", &r2, &c2));
	ck_assert_int_eq(r1, r2);
	ck_assert_int_lt(c1, c2);
	VT_ASSERT_WAIT(vt, "Offers: ▸1 근로자 우대저축 · 2 빅맨 평생통장", 1000);
	/* One key, in the form, without typing into Notes. */
	ck_assert_int_eq(vt_type(vt, "<C-y>"), 0);
	VT_ASSERT_WAIT(vt, "1 근로자 우대저축 ✓accepted", 3000);
	ck_assert_int_eq(response_count("근로자 우대저축", "accepted"), 1);
	ck_assert_int_eq(vt_type(vt, "<C-x><C-d>"), 0);
	VT_ASSERT_WAIT(vt, "▸2 빅맨 평생통장 ✗declined", 3000);
	ck_assert_int_eq(response_count("빅맨 평생통장", "declined"), 1);
	VT_ASSERT_GONE(vt, "Notes are full", 100);
	ck_assert_int_eq(value("select count(*) from offer_response where call_id is not null"), 2);
	/* The customer view: the profile in one line, as computed. */
	ck_assert_int_eq(vt_type(vt, "<F4>"), 0);
	VT_ASSERT_WAIT(vt, "ccterm │ Customer", 2000);
	VT_ASSERT_WAIT(vt, want, 2000);
	VT_ASSERT_WAIT(vt, "✓accepted", 1000);

	/* The supervisor's rule list: offered / accepted / declined and the rate. */
	sup = console("cc_os1", 24, 80);
	VT_ASSERT_WAIT(sup, "Waiting for calls", 5000);
	ck_assert_int_eq(vt_type(sup, ":rules<Enter>"), 0);
	VT_ASSERT_WAIT(sup, "ccterm │ Offer rules", 2000);
	VT_ASSERT_WAIT(sup, "2 offer rules", 2000);
	VT_ASSERT_WAIT(sup, "1/  1/  0  100%", 2000);
	VT_ASSERT_WAIT(sup, "1/  0/  1    0%", 2000);
	ck_assert(vt_find(sup, "근로자 우대저축", &r1, NULL));
	ck_assert(vt_find(sup, "1/  1/  0  100%", &r2, &c1));
	ck_assert_int_eq(r1, r2);
	ck_assert(vt_find(sup, "빅맨 평생통장", &r1, NULL));
	ck_assert(vt_find(sup, "1/  0/  1    0%", &r2, &c2));
	ck_assert_int_eq(r1, r2);
	/* Names of different display widths (Korean counts two): the figures align. */
	ck_assert_int_eq(c1, c2);
	VT_ASSERT_WAIT(sup, "age=20-29 marital=single", 1000);
	vt_free(sup);
	vt_free(vt);
}
END_TEST

/* The editor shows the reach before saving and follows the fields; a rule
 * switched off with d vanishes from the next pop. */
START_TEST(rule_edited_and_disabled_from_the_console)
{
	struct vt *vt, *sup;

	testdb_agent(db, "cc_o2", "Agent Two", "agent");
	testdb_agent(db, "cc_os2", "Supervisor Two", "supervisor");
	sup = console("cc_os2", 24, 80);
	VT_ASSERT_WAIT(sup, "Waiting for calls", 5000);
	/* From the wallboard, r. */
	ck_assert_int_eq(vt_type(sup, "<F9>"), 0);
	VT_ASSERT_WAIT(sup, "1 Queues", 2000);
	ck_assert_int_eq(vt_type(sup, "r"), 0);
	VT_ASSERT_WAIT(sup, "2 offer rules", 2000);
	/* The second rule, 빅맨 평생통장: its age band widened, its reach follows. */
	ck_assert_int_eq(vt_type(sup, "<Down><Enter>"), 0);
	VT_ASSERT_WAIT(sup, "Edit offer rule", 2000);
	VT_ASSERT_WAIT(sup, "Would reach 1 customer today", 3000);
	ck_assert_int_eq(vt_type(sup, "<Down><Down><Down><Down>"), 0);   /* offer -> age */
	ck_assert_int_eq(vt_type(sup, "<C-u>20-49"), 0);
	VT_ASSERT_WAIT(sup, "Would reach 1 customer today", 3000);   /* 박이탈 is married */
	ck_assert_int_eq(vt_type(sup, "<Down><Down><C-u>"), 0);        /* marital: any */
	VT_ASSERT_WAIT(sup, "Would reach 2 customers today", 3000);
	ck_assert_int_eq(vt_type(sup, "<C-u>x-y"), 0);
	VT_ASSERT_WAIT(sup, "Cannot count", 3000);
	ck_assert_int_eq(vt_type(sup, "<C-u>single"), 0);
	VT_ASSERT_WAIT(sup, "Would reach 1 customer today", 3000);
	/* Esc with changes asks first; the fields are still there after it */
	ck_assert_int_eq(vt_type(sup, "<Esc>"), 0);
	VT_ASSERT_WAIT(sup, "unsaved changes: F10 saves, Esc again leaves without saving", 2000);
	VT_ASSERT_WAIT(sup, "Edit offer rule", 1000);
	ck_assert_int_eq(vt_type(sup, "<F10>"), 0);
	VT_ASSERT_WAIT(sup, "saved: it reaches 1 customer", 3000);
	VT_ASSERT_WAIT(sup, "age=20-49 marital=single", 2000);
	ck_assert_int_eq(value("select age_max from offer_rule where name = '빅맨 평생통장'"), 49);
	ck_assert_int_eq(value("select priority from offer_rule where name = '빅맨 평생통장'"), 2);
	/* d on the first rule switches it off. */
	ck_assert_int_eq(vt_type(sup, "<Home>d"), 0);
	VT_ASSERT_WAIT(sup, "disabled: the next pop leaves out", 2000);
	VT_ASSERT_WAIT(sup, " off ", 2000);
	ck_assert_int_eq(value("select count(*) from offer_rule where name = '근로자 우대저축' and not active"), 1);
	/* Esc twice leaves an edit without saving it */
	ck_assert_int_eq(vt_type(sup, "<Down><Enter>"), 0);
	VT_ASSERT_WAIT(sup, "Edit offer rule", 2000);
	ck_assert_int_eq(vt_type(sup, "<End> NOT SAVED<Esc>"), 0);
	VT_ASSERT_WAIT(sup, "Esc again leaves without saving", 2000);
	ck_assert_int_eq(vt_type(sup, "<Esc>"), 0);
	VT_ASSERT_WAIT(sup, "2 offer rules", 2000);
	ck_assert_int_eq(value("select count(*) from offer_rule where offer like '%NOT SAVED%'"), 0);
	vt_free(sup);

	vt = console("cc_o2", 24, 80);
	VT_ASSERT_WAIT(vt, "Waiting for calls", 5000);
	console_call("+821055550001", "cc_o2");
	VT_ASSERT_WAIT(vt, "Notes (Enter new line", 3000);
	VT_ASSERT_WAIT(vt, "Offers: ▸1 빅맨 평생통장", 2000);
	VT_ASSERT_GONE(vt, "근로자 우대저축", 500);
	vt_free(vt);
}
END_TEST

/* The at-risk board lists the lapsed customer, not the steady one; Enter
 * opens them. */
START_TEST(at_risk_board_opens_the_lapsed_customer)
{
	struct vt *sup;

	testdb_agent(db, "cc_os3", "Supervisor Three", "supervisor");
	testdb_agent(db, "cc_o3", "Agent Three", "agent");
	sup = console("cc_os3", 24, 80);
	VT_ASSERT_WAIT(sup, "Waiting for calls", 5000);
	ck_assert_int_eq(vt_type(sup, "<F9>"), 0);
	VT_ASSERT_WAIT(sup, "1 Queues", 2000);
	ck_assert_int_eq(vt_type(sup, "a"), 0);
	VT_ASSERT_WAIT(sup, "ccterm │ At risk", 2000);
	VT_ASSERT_WAIT(sup, "1 customers at risk · sorted by value", 2000);
	VT_ASSERT_WAIT(sup, "박이탈", 1000);
	VT_ASSERT_WAIT(sup, "no order for", 1000);
	VT_ASSERT_GONE(sup, "김단골", 100);
	ck_assert_int_eq(vt_type(sup, "s"), 0);
	VT_ASSERT_WAIT(sup, "sorted by risk", 2000);
	ck_assert_int_eq(vt_type(sup, "<Enter>"), 0);
	VT_ASSERT_WAIT(sup, "ccterm │ Customer", 3000);
	VT_ASSERT_WAIT(sup, "History (2)", 2000);
	VT_ASSERT_WAIT(sup, "late again", 1000);
	/* Esc is back on the board. */
	ck_assert_int_eq(vt_type(sup, "<Esc>"), 0);
	VT_ASSERT_WAIT(sup, "ccterm │ At risk", 2000);
	vt_free(sup);
	/* Agents get neither board. */
	sup = console("cc_o3", 24, 80);
	VT_ASSERT_WAIT(sup, "Waiting for calls", 5000);
	ck_assert_int_eq(vt_type(sup, ":atrisk<Enter>"), 0);
	VT_ASSERT_WAIT(sup, "are for supervisors", 2000);
	vt_free(sup);
	/* ... nor the functions behind them: the grants, not only the screen. */
	{
		struct db *agent = testdb_connect(dbname, "cc_o3");

		ck_assert_int_eq(db_exec(agent, "select * from customers_at_risk('value', 10)", 0, NULL), -1);
		ck_assert_msg(strstr(db_error(agent), "permission denied") != NULL, "%s", db_error(agent));
		ck_assert_int_eq(db_exec(agent, "select * from offer_rules_list()", 0, NULL), -1);
		db_close(agent);
	}
}
END_TEST

static Suite *offers_suite(void)
{
	Suite *s = suite_create("offers");
	TCase *tc = tcase_create("know the customer");

	tcase_add_checked_fixture(tc, setup, console_teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, pop_offers_best_first_and_one_key_records);
	tcase_add_test(tc, rule_edited_and_disabled_from_the_console);
	tcase_add_test(tc, at_risk_board_opens_the_lapsed_customer);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return console_main(offers_suite());
}
