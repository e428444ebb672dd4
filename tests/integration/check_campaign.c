/* check_campaign.c - outbound campaigns: the member list from a segment, a
 * rule or a list, the control group held out exactly and reproducibly, the
 * next member (SKIP LOCKED: never one member to two agents), call-backs
 * coming back to their agent, and the board on a fixture worked out by hand. */
#include "config.h"

#include <check.h>
#include <math.h>
#include <signal.h>
#include <stdbool.h>
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

static void exec_ok(struct db *d, const char *sql)
{
	ck_assert_msg(db_exec(d, sql, 0, NULL) == 0, "%s: %s", sql, db_error(d));
}

static void value_is(struct db *d, const char *sql, const char *want)
{
	char *v = testdb_value(d, sql);

	ck_assert_msg(v && strcmp(v, want) == 0, "%s: got %s, want %s", sql, v ? v : "NULL", want);
	free(v);
}

static char *value(struct db *d, const char *sql)
{
	char *v = testdb_value(d, sql);

	ck_assert_msg(v != NULL, "%s: NULL", sql);
	return v;
}

static void setup(void)
{
	db = testdb_create(dbname);
	testdb_agent(db, "cp_kim", "김민지", "agent");
	testdb_agent(db, "cp_lee", "이영희", "agent");
	testdb_agent(db, "cp_park", "박팀장", "supervisor");
	ck_assert_msg(db_exec_script(db,
		"insert into customer (name, external_id, segment) "
		"  select '고객' || g, 'CP' || lpad(g::text, 3, '0'), case when g <= 100 then 'cp_vip' end "
		"  from generate_series(1, 120) g;") == 0, "%s", db_error(db));
}

static void teardown(void) { testdb_drop(db, dbname); }

/* Pulls the next member for this agent: its customer id, 0 when none. */
static long pull(struct db *d, const char *campaign)
{
	const char *p[1] = { campaign };
	PGresult *res = db_query(d, "select customer_id from campaign_next(campaign_by_name($1))", 1, p);
	long id;

	ck_assert_msg(res != NULL, "%s", db_error(d));
	id = PQntuples(res) ? atol(PQgetvalue(res, 0, 0)) : 0;
	PQclear(res);
	return id;
}

static void record(struct db *d, const char *campaign, long customer, const char *outcome, const char *callback_at)
{
	char sid[24];
	const char *p[4] = { campaign, sid, outcome, callback_at };

	snprintf(sid, sizeof(sid), "%ld", customer);
	ck_assert_msg(db_exec(d, "select campaign_record(campaign_by_name($1), $2::bigint, $3, $4::timestamptz, null)",
			      4, p) == 0, "%s %ld: %s", outcome, customer, db_error(d));
}

START_TEST(the_control_group_is_held_out_exactly_and_reproducibly)
{
	struct db *boss = testdb_connect(dbname, "cp_park");
	struct db *kim = testdb_connect(dbname, "cp_kim");
	char *first, *again, *other;

	exec_ok(boss, "select campaign_save('봄 적금', '적금 가입 권유', 'segment', 'cp_vip', current_date, null, "
		      "'안녕하세요, 국민은행입니다.', 20, 7, 14)");
	value_is(boss, "select members || '/' || control from campaign_build(campaign_by_name('봄 적금'))", "100/20");
	first = value(db, "select string_agg(customer_id::text, ',' order by customer_id) from campaign_member where is_control");
	/* built again with the same seed: the same 20 */
	value_is(boss, "select members || '/' || control from campaign_build(campaign_by_name('봄 적금'))", "100/20");
	again = value(db, "select string_agg(customer_id::text, ',' order by customer_id) from campaign_member where is_control");
	ck_assert_str_eq(first, again);
	/* another seed: another 20 */
	exec_ok(boss, "select campaign_save('봄 적금', '적금 가입 권유', 'segment', 'cp_vip', current_date, null, '', 20, 8, 14)");
	value_is(boss, "select members || '/' || control from campaign_build(campaign_by_name('봄 적금'))", "100/20");
	other = value(db, "select string_agg(customer_id::text, ',' order by customer_id) from campaign_member where is_control");
	ck_assert_str_ne(first, other);
	/* 15 % of 100 is 15, of a 7-member list round(1.05) = 1 */
	exec_ok(boss, "select campaign_save('봄 적금', '적금 가입 권유', 'segment', 'cp_vip', current_date, null, '', 15, 8, 14)");
	value_is(boss, "select members || '/' || control from campaign_build(campaign_by_name('봄 적금'))", "100/15");
	exec_ok(boss, "select campaign_save('명단', '방문 권유', 'list', null, current_date, null, '', 15, 1, 14)");
	value_is(boss, "select added || '/' || array_to_string(unknown, ',') from campaign_list_add(campaign_by_name('명단'), "
		       "array['CP101', 'CP102', 'CP103', 'CP104', 'CP105', 'CP106', 'CP107', 'CP107', 'nobody'])", "7/nobody");
	value_is(boss, "select members || '/' || control from campaign_build(campaign_by_name('명단'))", "7/1");
	/* an offer rule as the target: whoever it fits (here: the cp_vip segment) */
	exec_ok(db, "insert into offer_rule (name, offer, segments) values ('VIP 적금', '적금', '{cp_vip}')");
	exec_ok(boss, "select campaign_save('규칙', '적금', 'rule', 'VIP 적금', current_date, null, '', 10, 1, 14)");
	value_is(boss, "select members || '/' || control from campaign_build(campaign_by_name('규칙'))", "100/10");
	/* planning is for supervisors */
	ck_assert_int_eq(db_exec(kim, "select campaign_build(campaign_by_name('규칙'))", 0, NULL), -1);
	ck_assert_str_eq(db_sqlstate(kim), "42501");
	free(first);
	free(again);
	free(other);
	db_close(boss);
	db_close(kim);
}
END_TEST

START_TEST(two_agents_never_get_the_same_member_and_call_backs_come_back)
{
	struct db *boss = testdb_connect(dbname, "cp_park");
	struct db *kim = testdb_connect(dbname, "cp_kim");
	struct db *lee = testdb_connect(dbname, "cp_lee");
	long a, b, m, n, seen = 0;
	char sql[256];

	exec_ok(boss, "select campaign_save('봄 적금', '적금 가입 권유', 'segment', 'cp_vip', current_date, null, "
		      "'{customer_name}님, {company_name} {agent_name}입니다', 20, 7, 14)");
	exec_ok(boss, "select campaign_build(campaign_by_name('봄 적금'))");
	/* the script comes filled in for the member and the agent */
	{
		PGresult *res = db_query(kim, "select script, customer_name from campaign_next(campaign_by_name('봄 적금'))",
					 0, NULL);
		char want[256];

		ck_assert_msg(res && PQntuples(res) == 1, "%s", db_error(kim));
		snprintf(want, sizeof(want), "%s님, ccterm demo 김민지입니다", PQgetvalue(res, 0, 1));
		ck_assert_str_eq(PQgetvalue(res, 0, 0), want);
		PQclear(res);
		exec_ok(db, "update campaign_member set claimed_by = null, claimed_until = null");
	}
	/* kim's pull is not committed yet: its row is locked, lee skips it */
	exec_ok(kim, "begin");
	a = pull(kim, "봄 적금");
	b = pull(lee, "봄 적금");
	ck_assert(a && b && a != b);
	exec_ok(kim, "commit");
	/* each gets their own pulled member back until they record it */
	ck_assert_int_eq(pull(kim, "봄 적금"), a);
	ck_assert_int_eq(pull(lee, "봄 적금"), b);
	/* one only records one's own */
	snprintf(sql, sizeof(sql), "select campaign_record(campaign_by_name('봄 적금'), %ld, 'reached', null, null)", a);
	ck_assert_int_eq(db_exec(lee, sql, 0, NULL), -1);

	/* kim promises a call-back in an hour: nobody gets it before */
	record(kim, "봄 적금", a, "callback", "2099-01-01 10:00+09");
	ck_assert_int_eq(db_exec(kim, "select campaign_record(campaign_by_name('봄 적금'), 1, 'callback', now() - interval '1 s', null)",
				 0, NULL), -1);
	exec_ok(db, "update campaign_member set next_at = now() + interval '1 hour', callback_at = now() + interval '1 hour' "
		    "where outcome = 'callback'");
	m = pull(kim, "봄 적금");
	ck_assert(m != a && m != b);
	record(kim, "봄 적금", m, "reached", NULL);
	/* the hour has passed: it is kim's, first; never lee's */
	exec_ok(db, "update campaign_member set next_at = now() - interval '1 s' where outcome = 'callback'");
	record(lee, "봄 적금", b, "refused", NULL);
	n = pull(lee, "봄 적금");
	ck_assert(n != a);
	ck_assert_int_eq(pull(kim, "봄 적금"), a);
	record(kim, "봄 적금", a, "accepted", NULL);
	record(lee, "봄 적금", n, "reached", NULL);

	/* everyone on the call list exactly once, nobody of the control group */
	for (int i = 0; i < 200; i++) {
		struct db *who = i % 2 ? kim : lee;
		long c = pull(who, "봄 적금");

		if (!c)
			break;
		record(who, "봄 적금", c, "reached", NULL);
		seen++;
	}
	ck_assert_int_eq(seen, 80 - 4);
	value_is(db, "select count(*)::text from campaign_member where is_control and attempts > 0", "0");
	value_is(db, "select count(*)::text from campaign_member where not is_control and done_at is not null", "80");
	value_is(db, "select count(*)::text from campaign_attempt", "81");
	/* a call that reached the customer is on their timeline */
	value_is(db, "select count(*)::text from interaction where kind = 'campaign_response' and direction = 'out'", "81");
	db_close(boss);
	db_close(kim);
	db_close(lee);
}
END_TEST

/*
 * The board, worked out by hand. A list of 20 with 40 % held out: 8 in the
 * control group, 12 to call. Calls in pull order: 4 accepted, 3 refused,
 * 3 reached, 2 not reached (tried again later). So called 12, reached 10:
 * contact rate 10/12; accepted 4 of 10 reached: 40 %; done 10 of 12.
 * The first contacts moved 10 days back; orders (response window 14 days):
 *   reached: 4 order 5 days after their contact (count); 1 ordered the day
 *   before the contact, 1 ordered but cancelled (do not): 4 / 10 = 0.4;
 *   control (from the start, 10 days ago): 1 orders 3 days after the start
 *   (counts), 1 ordered 5 days before it, 1 cancelled: 1 / 8 = 0.125.
 * Difference 0.275; se = sqrt(0.4 x 0.6 / 10 + 0.125 x 0.875 / 8)
 *   = sqrt(0.024 + 0.013671875) = 0.194092...; 95 %: 0.275 -+ 0.380421.
 */
START_TEST(the_board_measures_the_response_against_the_control_group)
{
	struct db *boss = testdb_connect(dbname, "cp_park");
	struct db *kim = testdb_connect(dbname, "cp_kim");
	static const char *const outcomes[12] = { "accepted", "accepted", "accepted", "accepted", "refused", "refused",
						  "refused", "reached", "reached", "reached", "not_reached", "not_reached" };
	char refs[512] = "", out[4096], *v;
	PGresult *res;
	double se = sqrt(0.4 * 0.6 / 10 + 0.125 * 0.875 / 8);

	for (int i = 1; i <= 20; i++)
		snprintf(refs + strlen(refs), sizeof(refs) - strlen(refs), "%sCP%03d", i > 1 ? "," : "", i);
	exec_ok(boss, "select campaign_save('가을 카드', '카드 발급 권유', 'list', null, current_date - 10, null, '', 40, 3, 14)");
	{
		const char *p[1] = { refs };

		ck_assert(db_exec(boss, "select campaign_list_add(campaign_by_name('가을 카드'), string_to_array($1, ','))",
				  1, p) == 0);
	}
	value_is(boss, "select members || '/' || control from campaign_build(campaign_by_name('가을 카드'))", "20/8");
	for (int i = 0; i < 12; i++) {
		long c = pull(kim, "가을 카드");

		ck_assert_msg(c != 0, "pull %d found nobody", i + 1);
		record(kim, "가을 카드", c, outcomes[i], NULL);
	}
	ck_assert_int_eq(pull(kim, "가을 카드"), 0);   /* the two not reached wait for their retry */
	ck_assert_msg(db_exec_script(db,
		"update campaign_member set contacted_at = contacted_at - interval '10 days' where contacted_at is not null;"
		"insert into orders (order_no, customer_id, ordered_at, channel, status, total_won) "
		"  select 'R' || customer_id, customer_id, contacted_at + interval '5 days', 'web', 'paid', 10000 "
		"  from (select * from campaign_member where contacted_at is not null order by customer_id limit 4) m;"
		"insert into orders (order_no, customer_id, ordered_at, channel, status, total_won) "
		"  select 'B' || customer_id, customer_id, contacted_at - interval '1 day', 'web', 'paid', 10000 "
		"  from (select * from campaign_member where contacted_at is not null order by customer_id offset 4 limit 1) m;"
		"insert into orders (order_no, customer_id, ordered_at, channel, status, total_won) "
		"  select 'X' || customer_id, customer_id, contacted_at + interval '2 days', 'web', 'cancelled', 10000 "
		"  from (select * from campaign_member where contacted_at is not null order by customer_id offset 5 limit 1) m;"
		"insert into orders (order_no, customer_id, ordered_at, channel, status, total_won) "
		"  select 'N' || customer_id, customer_id, now() - interval '1 day', 'web', 'paid', 10000 "
		"  from campaign_member where not is_control and contacted_at is null;"
		"insert into orders (order_no, customer_id, ordered_at, channel, status, total_won) "
		"  select o.* from (select 'C' || m.customer_id, m.customer_id, "
		"         (c.starts::timestamp at time zone 'Asia/Seoul') + make_interval(days => d), 'web', s, 10000 "
		"         from (select *, row_number() over (order by customer_id) as rn from campaign_member where is_control) m "
		"         join campaign c on c.id = m.campaign_id "
		"         join (values (1, 3, 'paid'), (2, -5, 'paid'), (3, 2, 'cancelled')) x(rn, d, s) on x.rn = m.rn) o;")
		== 0, "%s", db_error(db));

	res = db_query(boss, "select * from campaign_board(campaign_by_name('가을 카드'))", 0, NULL);
	ck_assert_msg(res != NULL, "%s", db_error(boss));
	/* members control called reached accepted refused callbacks done */
	ck_assert_str_eq(PQgetvalue(res, 0, 0), "12");
	ck_assert_str_eq(PQgetvalue(res, 0, 1), "8");
	ck_assert_str_eq(PQgetvalue(res, 0, 2), "12");
	ck_assert_str_eq(PQgetvalue(res, 0, 3), "10");
	ck_assert_str_eq(PQgetvalue(res, 0, 4), "4");
	ck_assert_str_eq(PQgetvalue(res, 0, 5), "3");
	ck_assert_str_eq(PQgetvalue(res, 0, 6), "0");
	ck_assert_str_eq(PQgetvalue(res, 0, 7), "10");
	ck_assert_double_eq_tol(atof(PQgetvalue(res, 0, 8)), 100.0 * 10 / 12, 1e-9);
	ck_assert_double_eq_tol(atof(PQgetvalue(res, 0, 9)), 10.0 / 12, 1e-9);
	ck_assert_double_eq_tol(atof(PQgetvalue(res, 0, 10)), 0.4, 1e-9);
	/* contacted n, responded, rate; control n, responded, rate */
	ck_assert_str_eq(PQgetvalue(res, 0, 11), "10");
	ck_assert_str_eq(PQgetvalue(res, 0, 12), "4");
	ck_assert_double_eq_tol(atof(PQgetvalue(res, 0, 13)), 0.4, 1e-9);
	ck_assert_str_eq(PQgetvalue(res, 0, 14), "8");
	ck_assert_str_eq(PQgetvalue(res, 0, 15), "1");
	ck_assert_double_eq_tol(atof(PQgetvalue(res, 0, 16)), 0.125, 1e-9);
	/* the difference and its 95 % interval */
	ck_assert_double_eq_tol(atof(PQgetvalue(res, 0, 17)), 0.275, 1e-9);
	ck_assert_double_eq_tol(se, 0.19409244, 1e-7);
	ck_assert_double_eq_tol(atof(PQgetvalue(res, 0, 18)), 0.275 - 1.96 * se, 1e-9);
	ck_assert_double_eq_tol(atof(PQgetvalue(res, 0, 19)), 0.275 + 1.96 * se, 1e-9);
	ck_assert_double_eq_tol(atof(PQgetvalue(res, 0, 18)), -0.105421, 1e-6);
	PQclear(res);

	/* the same on the command line */
	ck_assert_int_eq(testdb_run(dbname, "ccterm-admin campaign board 가을\\ 카드", out, sizeof(out)), 0);
	ck_assert_msg(strstr(out, "call list 12 (control group 8 held out), called 12, done 10: progress 83.3%"), "%s", out);
	ck_assert_msg(strstr(out, "reached 10: contact rate 83.3%; accepted 4, refused 3: acceptance 40.0%"), "%s", out);
	ck_assert_msg(strstr(out, "contacted 4 of 10 = 40.0%, control 1 of 8 = 12.5%"), "%s", out);
	ck_assert_msg(strstr(out, "difference +27.5 points, 95% confidence interval -10.5 to +65.5"), "%s", out);
	v = value(db, "select count(*) from campaign_attempt where outcome = 'not_reached'");
	ck_assert_str_eq(v, "2");
	free(v);
	db_close(boss);
	db_close(kim);
}
END_TEST

/*
 * The response counts inbound contacts as well as orders, worked out by
 * hand. A list of 20 with 40 % held out: 8 in the control group, 12 to
 * call: 5 accepted, 3 refused, 2 reached, 2 not reached, so 10 reached.
 * The campaign measures 7 days, product SAV (SAV-LIFE and SAV-1 count,
 * KD-1016 does not), reason cp_savings. Its start is 12 days ago; the
 * first contacts are moved 10 days back. The reached, by customer id:
 *   r1  order SAV-LIFE 2 days after the contact ............ responded
 *   r2  order KD-1016 only, 2 days after .................... no (not the product)
 *   r3  inbound e-mail, kind campaign_response, 1 day after .. responded
 *   r4  inbound inquiry, reason cp_savings, 3 days after .... responded
 *   r5  inbound inquiry, another reason, 3 days after ....... no
 *   r6  outbound campaign_response 1 day after (our call) ... no (not inbound)
 *   r7  inbound campaign_response 8 days after .............. no (window 7 days)
 *   r8  order SAV-LIFE the day before the contact ........... no
 *   r9  order SAV-LIFE 2 days after, cancelled .............. no
 *   r10 order SAV-1 3 days after and a reply 4 days after ... responded (once)
 *   contacted: 4 of 10 = 0.4 (orders of the product alone: 2 of 10; any order: 3 of 10).
 * The control group, from the start (local midnight 12 days ago):
 *   c1 inbound campaign_response 2 days after ............... responded
 *   c2 order SAV-LIFE 6 days after .......................... responded
 *   c3 inbound inquiry, reason cp_savings, 8 days after ..... no (window)
 *   c4 order SAV-LIFE 2 days before the start ............... no
 *   c5..c8 nothing
 *   control: 2 of 8 = 0.25.
 * Difference 0.15; se = sqrt(0.4 x 0.6 / 10 + 0.25 x 0.75 / 8)
 *   = sqrt(0.024 + 0.0234375) = sqrt(0.0474375) = 0.2178015...;
 *   95 %: 0.15 -+ 1.96 x 0.2178015 = -0.2768910 to +0.5768910.
 */
START_TEST(the_response_counts_inbound_contacts_and_orders_of_the_product)
{
	struct db *boss = testdb_connect(dbname, "cp_park");
	struct db *kim = testdb_connect(dbname, "cp_kim");
	static const char *const outcomes[12] = { "accepted", "accepted", "accepted", "accepted", "accepted", "refused",
						  "refused", "refused", "reached", "reached", "not_reached", "not_reached" };
	char refs[512] = "", out[4096];
	PGresult *res;
	double se = sqrt(0.4 * 0.6 / 10 + 0.25 * 0.75 / 8);

	exec_ok(db, "insert into reason_code (code, label, kind) values ('cp_savings', '적금 문의', 'inquiry'), "
		    "('cp_other', '기타 문의', 'inquiry')");
	for (int i = 1; i <= 20; i++)
		snprintf(refs + strlen(refs), sizeof(refs) - strlen(refs), "%sCP%03d", i > 1 ? "," : "", i);
	/* an unknown reason is refused */
	ck_assert_int_eq(db_exec(boss, "select campaign_save('겨울 적금', '적금 권유', 'list', null, current_date - 12, null, "
				       "'', 40, 5, 7, 'SAV', 'nosuch')", 0, NULL), -1);
	exec_ok(boss, "select campaign_save('겨울 적금', '적금 권유', 'list', null, current_date - 12, null, '', 40, 5, 7, "
		      "'SAV', 'cp_savings')");
	{
		const char *p[1] = { refs };

		ck_assert(db_exec(boss, "select campaign_list_add(campaign_by_name('겨울 적금'), string_to_array($1, ','))",
				  1, p) == 0);
	}
	value_is(boss, "select members || '/' || control from campaign_build(campaign_by_name('겨울 적금'))", "20/8");
	for (int i = 0; i < 12; i++) {
		long c = pull(kim, "겨울 적금");

		ck_assert_msg(c != 0, "pull %d found nobody", i + 1);
		record(kim, "겨울 적금", c, outcomes[i], NULL);
	}
	ck_assert_msg(db_exec_script(db,
		"update campaign_member set contacted_at = contacted_at - interval '10 days' where contacted_at is not null;"
		"create temp table r as select customer_id, contacted_at as t0, row_number() over (order by customer_id) as n "
		"  from campaign_member where contacted_at is not null;"
		"create temp table k as select m.customer_id, c.starts::timestamp at time zone campaign_tz() as t0, "
		"  row_number() over (order by m.customer_id) as n "
		"  from campaign_member m join campaign c on c.id = m.campaign_id where m.is_control;"
		"create temp table ev (who text, n int, what text, days numeric, sku text, status text, reason text);"
		"insert into ev values "
		"  ('r', 1, 'order', 2, 'SAV-LIFE', 'paid', null), ('r', 2, 'order', 2, 'KD-1016', 'paid', null),"
		"  ('r', 3, 'reply', 1, null, null, null), ('r', 4, 'inquiry', 3, null, null, 'cp_savings'),"
		"  ('r', 5, 'inquiry', 3, null, null, 'cp_other'), ('r', 6, 'outbound', 1, null, null, null),"
		"  ('r', 7, 'reply', 8, null, null, null), ('r', 8, 'order', -1, 'SAV-LIFE', 'paid', null),"
		"  ('r', 9, 'order', 2, 'SAV-LIFE', 'cancelled', null), ('r', 10, 'order', 3, 'SAV-1', 'paid', null),"
		"  ('r', 10, 'reply', 4, null, null, null),"
		"  ('k', 1, 'reply', 2, null, null, null), ('k', 2, 'order', 6, 'SAV-LIFE', 'paid', null),"
		"  ('k', 3, 'inquiry', 8, null, null, 'cp_savings'), ('k', 4, 'order', -2, 'SAV-LIFE', 'paid', null);"
		"create temp table at as select e.*, coalesce(r.customer_id, k.customer_id) as customer_id, "
		"  coalesce(r.t0, k.t0) + make_interval(secs => e.days * 86400) as t "
		"  from ev e left join r on e.who = 'r' and r.n = e.n left join k on e.who = 'k' and k.n = e.n;"
		"insert into orders (order_no, customer_id, ordered_at, channel, status, total_won) "
		"  select 'RS' || customer_id || '-' || days, customer_id, t, 'web', status, 10000 from at where what = 'order';"
		"insert into order_line (order_id, line_no, sku, name, qty, price_won) "
		"  select o.id, 1, a.sku, a.sku, 1, 10000 from at a join orders o on o.order_no = 'RS' || a.customer_id || '-' || a.days "
		"  where a.what = 'order';"
		"insert into interaction (customer_id, occurred_at, channel, direction, kind, subject, reason_code) "
		"  select customer_id, t, case what when 'reply' then 'email' else 'phone' end, "
		"         case what when 'outbound' then 'out' else 'in' end, "
		"         case what when 'inquiry' then 'inquiry' else 'campaign_response' end, '답신', reason "
		"  from at where what <> 'order';"
		"insert into orders (order_no, customer_id, ordered_at, channel, status, total_won) "
		"  select 'NR' || customer_id, customer_id, now() - interval '1 hour', 'web', 'paid', 10000 "
		"  from campaign_member where not is_control and contacted_at is null;")
		== 0, "%s", db_error(db));

	res = db_query(boss, "select contacted_n, contacted_responded, contacted_rate, control_n, control_responded, "
			     "control_rate, lift, lift_low, lift_high, reached, accepted "
			     "from campaign_board(campaign_by_name('겨울 적금'))", 0, NULL);
	ck_assert_msg(res != NULL, "%s", db_error(boss));
	ck_assert_str_eq(PQgetvalue(res, 0, 0), "10");
	ck_assert_str_eq(PQgetvalue(res, 0, 1), "4");
	ck_assert_double_eq_tol(atof(PQgetvalue(res, 0, 2)), 0.4, 1e-9);
	ck_assert_str_eq(PQgetvalue(res, 0, 3), "8");
	ck_assert_str_eq(PQgetvalue(res, 0, 4), "2");
	ck_assert_double_eq_tol(atof(PQgetvalue(res, 0, 5)), 0.25, 1e-9);
	ck_assert_double_eq_tol(atof(PQgetvalue(res, 0, 6)), 0.15, 1e-9);
	ck_assert_double_eq_tol(se, 0.2178015, 1e-7);
	ck_assert_double_eq_tol(atof(PQgetvalue(res, 0, 7)), -0.2768910, 1e-6);
	ck_assert_double_eq_tol(atof(PQgetvalue(res, 0, 8)), 0.5768910, 1e-6);
	ck_assert_str_eq(PQgetvalue(res, 0, 9), "10");
	ck_assert_str_eq(PQgetvalue(res, 0, 10), "5");
	PQclear(res);
	/* which ones: r1 r3 r4 r10 and c1 c2 (the definition, member by member) */
	value_is(db, "select string_agg(who || n, ' ' order by who desc, n) from ("
		     " select 'r' as who, r.n from r join campaign_member m using (customer_id) join campaign c on c.id = m.campaign_id"
		     " where campaign_responded(c, r.customer_id, m.contacted_at)"
		     " union all select 'k', k.n from k join campaign c on c.name = '겨울 적금'"
		     " where campaign_responded(c, k.customer_id, k.t0)) x", "r1 r3 r4 r10 k1 k2");

	/* the command line says the same */
	ck_assert_int_eq(testdb_run(dbname, "ccterm-admin campaign board 겨울\\ 적금", out, sizeof(out)), 0);
	ck_assert_msg(strstr(out, "contacted 4 of 10 = 40.0%, control 2 of 8 = 25.0%"), "%s", out);
	ck_assert_msg(strstr(out, "difference +15.0 points, 95% confidence interval -27.7 to +57.7"), "%s", out);

	/* the console's board: every campaign, its detail, its call-backs; supervisors only */
	value_is(boss, "select name || '|' || status || '|' || members || '+' || control || '|' || contacted_responded || '/' "
		       "|| contacted_n || '|' || control_responded || '/' || control_n from campaign_boards()",
		 "겨울 적금|running|12+8|4/10|2/8");
	value_is(boss, "select not_called || '/' || reached_only || '/' || not_reached_retry || '/' || not_reached_done || '/' "
		       "|| response_days || '/' || response_product || '/' || response_reason "
		       "from campaign_detail(campaign_by_name('겨울 적금'))", "0/2/2/0/7/SAV/적금 문의");
	value_is(boss, "select count(*)::text from campaign_callbacks(campaign_by_name('겨울 적금'), 20)", "0");
	ck_assert_int_eq(db_exec(kim, "select * from campaign_boards()", 0, NULL), -1);
	ck_assert_str_eq(db_sqlstate(kim), "42501");
	ck_assert_int_eq(db_exec(kim, "select * from campaign_detail(1)", 0, NULL), -1);
	ck_assert_str_eq(db_sqlstate(kim), "42501");
	db_close(boss);
	db_close(kim);
}
END_TEST

/* Every outcome, save and build tells the supervisors' board (NOTIFY campaign '<id>'). */
START_TEST(the_board_is_told_of_every_outcome)
{
	struct db *boss = testdb_connect(dbname, "cp_park");
	struct db *kim = testdb_connect(dbname, "cp_kim");
	char *camp;
	int got = 0;
	long m;

	exec_ok(boss, "listen campaign");
	exec_ok(boss, "select campaign_save('봄 적금', '적금 가입 권유', 'segment', 'cp_vip', current_date, null, '', 20, 7, 14)");
	exec_ok(boss, "select campaign_build(campaign_by_name('봄 적금'))");
	camp = value(db, "select id from campaign where name = '봄 적금'");
	m = pull(kim, "봄 적금");
	record(kim, "봄 적금", m, "reached", NULL);
	for (int i = 0; i < 30 && got < 3; i++) {
		PGnotify *n;

		PQconsumeInput(db_pg(boss));
		while ((n = PQnotifies(db_pg(boss)))) {
			got += strcmp(n->relname, "campaign") == 0 && strcmp(n->extra, camp) == 0;
			PQfreemem(n);
		}
		if (got < 3)
			usleep(100 * 1000);
	}
	ck_assert_int_eq(got, 3);   /* saved, built, an outcome */
	/* a call-back promised shows on the board's detail, and is due once its time has come */
	m = pull(kim, "봄 적금");
	record(kim, "봄 적금", m, "callback", "2099-01-01 10:00+09");
	{
		char sql[160], want[192], *name;

		snprintf(sql, sizeof(sql), "select name from customer where id = %ld", m);
		name = value(db, sql);
		snprintf(want, sizeof(want), "%s|cp_kim|false|2099-01-01 10:00", name);
		value_is(boss, "select customer_name || '|' || owner_login || '|' || due::text || '|' || "
			       "to_char(callback_at at time zone 'Asia/Seoul', 'YYYY-MM-DD HH24:MI') "
			       "from campaign_callbacks(campaign_by_name('봄 적금'), 20)", want);
		free(name);
	}
	exec_ok(db, "update campaign_member set callback_at = now() - interval '1 minute' where outcome = 'callback'");
	value_is(boss, "select count(*) || '/' || bool_and(due)::text || '/' || min(owner_login) "
		       "from campaign_callbacks(campaign_by_name('봄 적금'), 20)", "1/true/cp_kim");
	value_is(boss, "select callbacks_due::text from campaign_detail(campaign_by_name('봄 적금'))", "1");
	free(camp);
	db_close(boss);
	db_close(kim);
}
END_TEST

/* A call-back is pushed to its agent when it comes due, by the watch. */
START_TEST(a_due_call_back_is_pushed_to_its_agent)
{
	struct db *boss = testdb_connect(dbname, "cp_park");
	struct db *kim = testdb_connect(dbname, "cp_kim");
	char cmd[512], want[96], *camp;
	long m;
	pid_t pid;
	bool got = false;
	struct timespec t0, t1;

	exec_ok(boss, "select campaign_save('봄 적금', '적금 가입 권유', 'segment', 'cp_vip', current_date, null, '', 20, 7, 14)");
	exec_ok(boss, "select campaign_build(campaign_by_name('봄 적금'))");
	camp = value(db, "select id from campaign where name = '봄 적금'");
	exec_ok(kim, "listen agent_cp_kim");
	snprintf(cmd, sizeof(cmd), "%s/ccterm-admin", testdb_builddir());
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		prctl(PR_SET_PDEATHSIG, SIGTERM);   /* dies with the test */
		setenv("PGDATABASE", dbname, 1);
		execl(cmd, cmd, "case-watch", "--quiet", (char *)NULL);
		_exit(127);
	}
	usleep(300 * 1000);
	m = pull(kim, "봄 적금");
	{
		char sid[24];
		const char *p[2] = { camp, sid };

		snprintf(sid, sizeof(sid), "%ld", m);
		ck_assert_msg(db_exec(kim, "select campaign_record($1::integer, $2::bigint, 'callback', now() + interval '2 s', null)",
				      2, p) == 0, "%s", db_error(kim));
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	snprintf(want, sizeof(want), "campaign %s callback %ld", camp, m);
	for (int i = 0; i < 100 && !got; i++) {
		PGnotify *n;

		usleep(100 * 1000);
		PQconsumeInput(db_pg(kim));
		while ((n = PQnotifies(db_pg(kim)))) {
			got |= strcmp(n->relname, "agent_cp_kim") == 0 && strcmp(n->extra, want) == 0;
			PQfreemem(n);
		}
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	kill(pid, SIGTERM);
	waitpid(pid, NULL, 0);
	ck_assert_msg(got, "no '%s' within 10 s", want);
	{
		long ms = (t1.tv_sec - t0.tv_sec) * 1000L + (t1.tv_nsec - t0.tv_nsec) / 1000000L;

		ck_assert_msg(ms >= 1500, "pushed after %ld ms, before the call-back was due", ms);
		printf("call-back pushed %ld ms after it was promised for 2 s later\n", ms);
	}
	/* and it is the agent's next member now, pushed once */
	ck_assert_int_eq(pull(kim, "봄 적금"), m);
	value_is(db, "select count(*)::text from campaign_member where reminded_at is not null", "1");
	free(camp);
	db_close(boss);
	db_close(kim);
}
END_TEST

START_TEST(campaign_commands)
{
	char out[4096];
	char *list = testdb_file("CP101\nCP102\ncp-none\n");
	char cmd[512];

	ck_assert_int_eq(testdb_run(dbname, "ccterm-admin campaign add 봄적금 --offer 적금 --segment cp_vip --from 2026-01-01 "
				    "--control 20 --seed 7 --script '안녕하세요'", out, sizeof(out)), 0);
	ck_assert_msg(strstr(out, "campaign \"봄적금\" saved"), "%s", out);
	ck_assert_int_eq(testdb_run(dbname, "ccterm-admin campaign build 봄적금", out, sizeof(out)), 0);
	ck_assert_msg(strstr(out, "100 members, 20 of them held out as the control group"), "%s", out);
	snprintf(cmd, sizeof(cmd), "ccterm-admin campaign add 명단 --offer 방문 --list %s --from 2026-01-01 --control 0", list);
	ck_assert_int_eq(testdb_run(dbname, cmd, out, sizeof(out)), 0);
	ck_assert_msg(strstr(out, "2 added to the list; matched nobody: cp-none"), "%s", out);
	ck_assert_int_eq(testdb_run(dbname, "ccterm-admin campaign list", out, sizeof(out)), 0);
	ck_assert_msg(strstr(out, "봄적금") && strstr(out, "segment cp_vip") && strstr(out, "not built"), "%s", out);
	ck_assert_int_eq(testdb_run(dbname, "ccterm-admin campaign board 봄적금", out, sizeof(out)), 0);
	ck_assert_msg(strstr(out, "call list 80 (control group 20 held out), called 0"), "%s", out);
	ck_assert_int_eq(testdb_run(dbname, "ccterm-admin campaign add x --offer y --from 2026-01-01", out, sizeof(out)), 2);
	ck_assert_int_eq(testdb_run(dbname, "ccterm-admin campaign add x --offer y --segment nosuch --from 2026-01-01",
				    out, sizeof(out)), 1);
	ck_assert_msg(strstr(out, "no such segment nosuch"), "%s", out);
	unlink(list);
	free(list);
}
END_TEST

static Suite *campaign_suite(void)
{
	Suite *s = suite_create("campaign");
	TCase *tc = tcase_create("campaign");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, the_control_group_is_held_out_exactly_and_reproducibly);
	tcase_add_test(tc, two_agents_never_get_the_same_member_and_call_backs_come_back);
	tcase_add_test(tc, the_board_measures_the_response_against_the_control_group);
	tcase_add_test(tc, the_response_counts_inbound_contacts_and_orders_of_the_product);
	tcase_add_test(tc, the_board_is_told_of_every_outcome);
	tcase_add_test(tc, a_due_call_back_is_pushed_to_its_agent);
	tcase_add_test(tc, campaign_commands);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(campaign_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
