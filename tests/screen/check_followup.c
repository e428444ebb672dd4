/* check_followup.c - the supervisors' campaign board in a real 80x24
 * terminal (the figures of a fixture worked out by hand, Korean names
 * aligned, one campaign's detail, the board moving when an agent records an
 * outcome: pushed, not polled; agents are told it is the supervisors'), and
 * a reply the MTA refused for good shown to the agent who wrote it. */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "console.h"

static void setup(void)
{
	console_setup();
	ck_assert_int_eq(db_exec(db, "insert into branch (code, name) values ('SEL', '서울 본점') "
				     "on conflict do nothing", 0, NULL), 0);
}

/*
 * The fixture, as check_campaign's board test: a call list of 12 and a
 * control group of 8, plus one member not called yet (13 on the list).
 * Of the 12 called: 4 accepted, 3 refused, 3 reached, 2 not reached (a
 * retry waits), so reached 10, done 10.
 *   done 10 / 13 = 76.9 %, contact rate 10 / 12 = 83.3 %, acceptance 4 / 10 = 40.0 %.
 * Response within 14 days: 4 of the reached answered by e-mail (inbound
 * campaign_response) 2 days after the contact: 4 / 10 = 40.0 %; 1 of the
 * control group ordered 3 days after the start: 1 / 8 = 12.5 %.
 *   difference +27.5 points, se = sqrt(0.4 x 0.6 / 10 + 0.125 x 0.875 / 8)
 *   = 0.194092, 95 %: -10.5 to +65.5.
 * Then an agent pulls the 13th and records "accepted":
 *   done 11 / 13 = 84.6 %, contact 11 / 13 = 84.6 %, acceptance 5 / 11 = 45.5 %,
 *   contacted 4 / 11 = 36.4 %, difference +23.9, 95 % -12.7 to +60.4.
 */
static void campaign_fixture(void)
{
	console_sql("insert into customer (name, external_id, branch_code) "
		    "select '고객' || g, 'FB' || lpad(g::text, 2, '0'), 'SEL' from generate_series(1, 21) g");
	console_sql("insert into campaign (name, offer, starts, target_kind, script, control_pct, response_days, built_at) "
		    "values ('가을 카드 발급 캠페인', '카드 발급 권유', current_date - 10, 'list', "
		    "'안녕하세요, {customer_name}님. 카드 발급을 안내해 드립니다.', 40, 14, now()), "
		    "('Spring', 'savings', current_date + 5, 'list', '', 0, 14, now())");
	/* FB01..FB08 control; FB09..FB20 called (outcomes below); FB21 not called yet */
	console_sql("insert into campaign_member (campaign_id, customer_id, is_control) "
		    "select c.id, cu.id, cu.external_id <= 'FB08' from campaign c, customer cu "
		    "where c.name = '가을 카드 발급 캠페인'");
	console_sql("update campaign_member m set attempts = 1, last_attempt_at = now() - interval '10 days', "
		    "outcome = x.o, contacted_at = case when x.o <> 'not_reached' then now() - interval '10 days' end, "
		    "done_at = case when x.o <> 'not_reached' then now() - interval '10 days' end, "
		    "next_at = case when x.o = 'not_reached' then now() + interval '1 hour' end "
		    "from customer cu, (values ('FB09', 'accepted'), ('FB10', 'accepted'), ('FB11', 'accepted'), "
		    "('FB12', 'accepted'), ('FB13', 'refused'), ('FB14', 'refused'), ('FB15', 'refused'), ('FB16', 'reached'), "
		    "('FB17', 'reached'), ('FB18', 'reached'), ('FB19', 'not_reached'), ('FB20', 'not_reached')) x(ext, o) "
		    "where cu.id = m.customer_id and cu.external_id = x.ext");
	/* the responses: replies from four of the reached, an order from one of the control group */
	console_sql("insert into interaction (customer_id, occurred_at, channel, direction, kind, subject) "
		    "select m.customer_id, m.contacted_at + interval '2 days', 'email', 'in', 'campaign_response', '신청합니다' "
		    "from campaign_member m join customer cu on cu.id = m.customer_id "
		    "where cu.external_id in ('FB09', 'FB13', 'FB16', 'FB17')");
	console_sql("insert into orders (order_no, customer_id, ordered_at, channel, status, total_won) "
		    "select 'FB-1', cu.id, (current_date - 10)::timestamp at time zone 'Asia/Seoul' + interval '3 days', "
		    "'web', 'paid', 10000 from customer cu where cu.external_id = 'FB01'");
}

START_TEST(campaign_board_shows_the_fixture_and_moves_when_an_outcome_is_recorded)
{
	struct vt *vt;
	int r1, c1, r2, c2;

	testdb_agent(db, "fb_boss", "감독 박", "supervisor");
	testdb_agent(db, "fb_kim", "상담 김", "agent");
	campaign_fixture();
	vt = console("fb_boss", 24, 80);
	VT_ASSERT_WAIT(vt, "Waiting for calls", 5000);
	ck_assert_int_eq(vt_type(vt, ":campaigns<Enter>"), 0);
	VT_ASSERT_WAIT(vt, "ccterm │ Campaigns", 2000);
	VT_ASSERT_WAIT(vt, "2 campaigns", 3000);
	/* the running one first: status, list + control, done, contact, acceptance */
	VT_ASSERT_WAIT(vt, "가을 카드 발급 캠페인", 2000);
	VT_ASSERT_WAIT(vt, "running", 1000);
	VT_ASSERT_WAIT(vt, "13+8  76.9%  83.3%  40.0%", 1000);
	VT_ASSERT_WAIT(vt, "response 40.0% vs control 12.5%: +27.5 pts, 95% CI -10.5 to +65.5", 1000);
	VT_ASSERT_WAIT(vt, "planned", 1000);
	VT_ASSERT_WAIT(vt, "response - vs control -: no control group", 1000);
	/* a Korean name (two columns a character) and a Latin one: the columns line up */
	ck_assert(vt_find(vt, "running", &r1, &c1));
	ck_assert(vt_find(vt, "planned", &r2, &c2));
	ck_assert_int_lt(r1, r2);
	ck_assert_int_eq(c1, c2);
	ck_assert(vt_find(vt, "가을", &r2, &c2));
	ck_assert_int_eq(r2, r1);
	ck_assert_int_lt(c2, c1);

	/* Enter: the campaign's outcomes, response, script */
	ck_assert_int_eq(vt_type(vt, "<Enter>"), 0);
	VT_ASSERT_WAIT(vt, "Offer 카드 발급 권유", 3000);
	VT_ASSERT_WAIT(vt, "Call list 13 (control 8 held out) · called 12 · done 10: progress 76.9%", 1000);
	VT_ASSERT_WAIT(vt, "Outcomes: accepted 4 · refused 3 · reached 3 · call-back 0", 1000);
	VT_ASSERT_WAIT(vt, "not reached 2 (2 to try again) · not called yet 1", 1000);
	VT_ASSERT_WAIT(vt, "Contact rate 83.3% (10 of 12 called) · acceptance 40.0% (4 of 10 reached)", 1000);
	VT_ASSERT_WAIT(vt, "contacted 40.0% (4 of 10) · control 12.5% (1 of 8)", 1000);
	VT_ASSERT_WAIT(vt, "difference +27.5 pts, 95% CI -10.5 to +65.5", 1000);
	VT_ASSERT_WAIT(vt, "Responded within 14 days", 1000);
	VT_ASSERT_WAIT(vt, "안녕하세요, {customer_name}님.", 1000);
	ck_assert_int_eq(vt_type(vt, "<Esc>"), 0);
	VT_ASSERT_WAIT(vt, "2 campaigns", 2000);

	/* an agent pulls the one not called yet and records "accepted": the board
	 * moves by NOTIFY (its tick is 30 s away) */
	{
		struct db *kim = testdb_connect(dbname, "fb_kim");

		ck_assert_msg(db_exec(kim, "select campaign_record(campaign_id, customer_id, 'accepted') "
					   "from campaign_next(null)", 0, NULL) == 0, "%s", db_error(kim));
		db_close(kim);
	}
	VT_ASSERT_WAIT(vt, "13+8  84.6%  84.6%  45.5%", 5000);
	VT_ASSERT_WAIT(vt, "response 36.4% vs control 12.5%: +23.9 pts, 95% CI -12.7 to +60.4", 1000);
	vt_free(vt);

	/* agents are told it is the supervisors' */
	vt = console("fb_kim", 24, 80);
	VT_ASSERT_WAIT(vt, "Waiting for calls", 5000);
	ck_assert_int_eq(vt_type(vt, ":campaigns<Enter>"), 0);
	VT_ASSERT_WAIT(vt, "The campaign board is for supervisors", 2000);
	VT_ASSERT_GONE(vt, "ccterm │ Campaigns", 500);
	vt_free(vt);
}
END_TEST

START_TEST(a_reply_refused_for_good_is_shown_to_its_author)
{
	struct vt *vt;
	long long k, m;
	char q[768], buf[128];

	testdb_agent(db, "fb_mail", "상담 메일", "agent");
	console_customer("홍길동", "platinum", "+821012345678", 1);
	k = value("insert into cases (customer_id, subject, status, priority, owner_login, due_at) "
		  "select id, '배송 지연', 'open', 'high', 'fb_mail', now() + interval '3 hours' from customer "
		  "order by id limit 1 returning id");
	/* what the sender recorded when the server said 550 (check_mail does it for real) */
	snprintf(q, sizeof(q), "insert into mail_outbox (customer_id, case_id, to_addr, subject, body, status, attempts, "
		 "failure, last_error, message_id, created_by) select customer_id, id, 'bad@example.com', '답변', '본문', "
		 "'failed', 1, 'permanent', '550 5.1.1 <bad@example.com>: Recipient address rejected: User unknown; "
		 "sendmail exited 65', '<fb-1@ccterm.example>', 'fb_mail' from cases where id = %lld", k);
	console_sql(q);
	vt = console("fb_mail", 24, 80);
	VT_ASSERT_WAIT(vt, "Waiting for calls", 5000);
	ck_assert_int_eq(vt_type(vt, "<F11>"), 0);
	VT_ASSERT_WAIT(vt, "Cases: mine", 2000);
	snprintf(buf, sizeof(buf), "C-%lld", k);
	VT_ASSERT_WAIT(vt, buf, 2000);
	ck_assert_int_eq(vt_type(vt, "<Enter>"), 0);
	VT_ASSERT_WAIT(vt, "Replies (1)", 3000);
	VT_ASSERT_WAIT(vt, "to bad@example.com · not delivered: 550 5.1.1 <bad@example.com>: Recipient", 1000);
	/* another reply refused while the agent looks elsewhere: pushed to the
	 * status bar and on the case when it is opened */
	ck_assert_int_eq(vt_type(vt, "<Esc><Esc>"), 0);
	VT_ASSERT_WAIT(vt, "Waiting for calls", 2000);
	snprintf(q, sizeof(q), "insert into mail_outbox (customer_id, case_id, to_addr, subject, body, status, attempts, "
		 "message_id, created_by, claimed_at) select customer_id, id, 'gone@example.com', '재답변', '본문', "
		 "'sending', 1, '<fb-2@ccterm.example>', 'fb_mail', now() from cases where id = %lld returning id", k);
	m = value(q);
	snprintf(q, sizeof(q), "select mail_failed(%lld, '550 5.1.1 <gone@example.com>: mailbox unavailable', "
		 "'permanent')", m);
	console_sql(q);
	/* the message line in full; the status bar keeps it, as far as 80 columns leave room */
	snprintf(buf, sizeof(buf), "Your reply on case C-%lld was not delivered: the case shows why.", k);
	VT_ASSERT_WAIT(vt, buf, 3000);
	snprintf(buf, sizeof(buf), "! C-%lld reply", k);
	VT_ASSERT_WAIT(vt, buf, 1000);
	ck_assert_int_eq(vt_type(vt, "<F11>"), 0);
	snprintf(buf, sizeof(buf), "C-%lld", k);
	VT_ASSERT_WAIT(vt, buf, 2000);
	ck_assert_int_eq(vt_type(vt, "<Enter>"), 0);
	VT_ASSERT_WAIT(vt, "Replies (2)", 3000);
	VT_ASSERT_WAIT(vt, "to gone@example.com · not delivered: 550 5.1.1 <gone@example.com>: mailbox", 1000);
	VT_ASSERT_WAIT(vt, "mail_failed", 1000);   /* the history has it too */
	vt_free(vt);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("followup");
	TCase *tc = tcase_create("screen");

	tcase_add_checked_fixture(tc, setup, console_teardown);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, campaign_board_shows_the_fixture_and_moves_when_an_outcome_is_recorded);
	tcase_add_test(tc, a_reply_refused_for_good_is_shown_to_its_author);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return console_main(suite());
}
