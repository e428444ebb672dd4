/* check_cases.c - the case screen and the e-mail reply editor in a real
 * terminal: the list with its SLA, a case opened with its history, a note
 * and an escalation through the functions, the owner's status bar told by
 * NOTIFY, and a reply from a template edited, kept through a kill -9 and
 * queued once. */
#include "config.h"

#include <check.h>
#include <signal.h>
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

static long long open_case(const char *subject, const char *owner, const char *due)
{
	char q[512];

	snprintf(q, sizeof(q), "insert into cases (customer_id, subject, status, priority, owner_login, due_at) "
		 "select id, '%s', 'open', 'high', '%s', %s from customer order by id limit 1 returning id",
		 subject, owner, due);
	return value(q);
}

START_TEST(case_list_detail_note_escalate_and_pushed_alert)
{
	struct vt *vt;
	long long late, soon;
	char buf[128];

	testdb_agent(db, "cc_k1", "Agent Cases", "agent");
	testdb_agent(db, "cc_k2", "Agent Other", "agent");
	console_customer("홍길동", "platinum", "+821012345678", 3);
	soon = open_case("배송 지연", "cc_k1", "now() + interval '2 hours 30 minutes'");
	late = open_case("환불 요청", "cc_k1", "now() - interval '90 minutes'");
	open_case("남의 일", "cc_k2", "now() + interval '1 hour'");
	vt = console("cc_k1", 24, 100);
	VT_ASSERT_WAIT(vt, "Waiting for calls", 5000);
	ck_assert_int_eq(vt_type(vt, "<F11>"), 0);
	VT_ASSERT_WAIT(vt, "ccterm │ Cases", 2000);
	VT_ASSERT_WAIT(vt, "Cases: mine · not closed", 2000);
	/* Sorted by due time: the overdue one first; another agent's is not mine. */
	snprintf(buf, sizeof(buf), "C-%lld", late);
	VT_ASSERT_WAIT(vt, buf, 2000);
	VT_ASSERT_WAIT(vt, "overdue 1h 3", 1000);
	VT_ASSERT_WAIT(vt, "2h 2", 1000);
	VT_ASSERT_GONE(vt, "남의 일", 500);
	{
		int rlate, rsoon;

		snprintf(buf, sizeof(buf), "C-%lld ", late);
		ck_assert(vt_find(vt, buf, &rlate, NULL));
		snprintf(buf, sizeof(buf), "C-%lld ", soon);
		ck_assert(vt_find(vt, buf, &rsoon, NULL));
		ck_assert_int_lt(rlate, rsoon);
	}
	/* All cases are the supervisors'. */
	ck_assert_int_eq(vt_type(vt, "A"), 0);
	VT_ASSERT_WAIT(vt, "All cases are for supervisors.", 2000);
	/* SLA filter: breached only. */
	ck_assert_int_eq(vt_type(vt, "lll"), 0);
	VT_ASSERT_WAIT(vt, "SLA breached", 2000);
	snprintf(buf, sizeof(buf), "C-%lld ", soon);
	VT_ASSERT_GONE(vt, buf, 2000);
	ck_assert_int_eq(vt_type(vt, "l"), 0);
	VT_ASSERT_WAIT(vt, "any SLA", 2000);
	VT_ASSERT_WAIT(vt, buf, 2000);
	/* Enter opens the first (the overdue one): customer, SLA, history. */
	ck_assert_int_eq(vt_type(vt, "<Enter>"), 0);
	VT_ASSERT_WAIT(vt, "Customer 홍길동", 2000);
	VT_ASSERT_WAIT(vt, "SLA breached", 1000);
	VT_ASSERT_WAIT(vt, "History (", 1000);
	/* A note through case_add_note: an audited row, shown in the history. */
	ck_assert_int_eq(vt_type(vt, "n"), 0);
	VT_ASSERT_WAIT(vt, ":note", 1000);
	ck_assert_int_eq(vt_type(vt, "고객에게 전화함<Enter>"), 0);
	snprintf(buf, sizeof(buf), "Case C-%lld changed.", late);
	VT_ASSERT_WAIT(vt, buf, 2000);
	VT_ASSERT_WAIT(vt, "cc_k1    note", 2000);
	snprintf(buf, sizeof(buf), "select count(*) from case_event where case_id = %lld and event = 'note' "
		 "and note = '고객에게 전화함' and login = 'cc_k1'", late);
	ck_assert_int_eq(value(buf), 1);
	/* Escalation pushed by the database (here a supervisor's): the status bar says it. */
	snprintf(buf, sizeof(buf), "update cases set status = 'escalated' where id = %lld", soon);
	console_sql(buf);
	snprintf(buf, sizeof(buf), "! case C-%lld escalated", soon);
	VT_ASSERT_WAIT(vt, buf, 3000);
	/* Escalating by key: e, a reason. */
	ck_assert_int_eq(vt_type(vt, "e"), 0);
	VT_ASSERT_WAIT(vt, ":escalate", 1000);
	ck_assert_int_eq(vt_type(vt, "두 번째 불만<Enter>"), 0);
	VT_ASSERT_WAIT(vt, "! escalated", 2000);
	snprintf(buf, sizeof(buf), "select count(*) from cases where id = %lld and status = 'escalated'", late);
	ck_assert_int_eq(value(buf), 1);
	/* Reassign with Tab completion of a login seen, then close with a code. */
	ck_assert_int_eq(vt_type(vt, "x"), 0);
	VT_ASSERT_WAIT(vt, ":close", 1000);
	ck_assert_int_eq(vt_type(vt, "refu<Tab>"), 0);
	VT_ASSERT_WAIT(vt, ":close refunded", 2000);
	ck_assert_int_eq(vt_type(vt, "환불 완료<Enter>"), 0);
	VT_ASSERT_WAIT(vt, "closed: refunded", 3000);
	snprintf(buf, sizeof(buf), "select count(*) from cases where id = %lld and status = 'closed' "
		 "and resolution_code = 'refunded'", late);
	ck_assert_int_eq(value(buf), 1);
	/* Esc is the list again; :open of a case id opens the case. */
	ck_assert_int_eq(vt_type(vt, "<Esc>"), 0);
	VT_ASSERT_WAIT(vt, "Cases: mine", 2000);
	/* Seen on the list: the status bar's alert goes when the screen is opened again. */
	ck_assert_int_eq(vt_type(vt, "<Esc><F11>"), 0);
	VT_ASSERT_WAIT(vt, "Cases: mine", 2000);
	snprintf(buf, sizeof(buf), "! case C-%lld escalated", soon);
	VT_ASSERT_GONE(vt, buf, 2000);
	snprintf(buf, sizeof(buf), ":open C-%lld<Enter>", soon);
	ck_assert_int_eq(vt_type(vt, buf), 0);
	VT_ASSERT_WAIT(vt, "배송 지연", 2000);
	VT_ASSERT_WAIT(vt, "Customer 홍길동", 2000);
	ck_assert_int_eq(vt_type(vt, "a"), 0);
	VT_ASSERT_WAIT(vt, ":assign", 1000);
	ck_assert_int_eq(vt_type(vt, "cc_k2 휴가<Enter>"), 0);
	VT_ASSERT_WAIT(vt, "owner cc_k2", 3000);
	snprintf(buf, sizeof(buf), "select count(*) from cases where id = %lld and owner_login = 'cc_k2'", soon);
	ck_assert_int_eq(value(buf), 1);
	vt_free(vt);
}
END_TEST

START_TEST(reply_from_template_survives_kill_and_queues_once)
{
	struct vt *vt;
	long long id;
	char buf[256];

	testdb_agent(db, "cc_m1", "Agent Mail", "agent");
	console_customer("김민지", "platinum", "+821077778888", 2);
	console_sql("insert into contact_point (kind, value) values ('email', 'minji@example.com')");
	console_sql("insert into customer_contact select c.id, p.id from customer c, contact_point p "
		    "where p.value = 'minji@example.com'");
	console_sql("insert into mail_template (code, name, subject, body) values "
		    "('apology', 'Apology', '[{case_no}] 죄송합니다', E'{customer_name}님,\\t불편을 드려 죄송합니다.') "
		    "on conflict (code) do update set subject = excluded.subject, body = excluded.body, active = true");
	id = open_case("파손 배송", "cc_m1", "now() + interval '5 hours'");
	vt = console("cc_m1", 24, 80);
	VT_ASSERT_WAIT(vt, "Waiting for calls", 5000);
	snprintf(buf, sizeof(buf), ":open C-%lld<Enter>", id);
	ck_assert_int_eq(vt_type(vt, buf), 0);
	VT_ASSERT_WAIT(vt, "Customer 김민지", 3000);
	ck_assert_int_eq(vt_type(vt, "r"), 0);
	VT_ASSERT_WAIT(vt, "choose a template", 2000);
	VT_ASSERT_WAIT(vt, "apology", 2000);
	ck_assert_int_eq(vt_type(vt, "<Enter>"), 0);
	/* Prefilled from mail_render: the customer's address and the fields filled
	 * (the template's tab a blank: the editor takes no control characters). */
	VT_ASSERT_WAIT(vt, "minji@example.com", 3000);
	snprintf(buf, sizeof(buf), "[C-%lld] 죄송합니다", id);
	VT_ASSERT_WAIT(vt, buf, 1000);
	VT_ASSERT_WAIT(vt, "김민지님, 불편을 드려 죄송합니다.", 1000);
	ck_assert_int_eq(vt_type(vt, "<End><Enter>교환품을 보내 드립니다."), 0);
	VT_ASSERT_WAIT(vt, "교환품을 보내 드립니다.", 1000);
	/* kill -9: nothing typed is lost. */
	ck_assert_int_eq(vt_signal(vt, SIGKILL), 0);
	vt_free(vt);
	vt = console("cc_m1", 24, 80);
	VT_ASSERT_WAIT(vt, "Waiting for calls", 5000);
	ck_assert_int_eq(vt_type(vt, ":reply<Enter>"), 0);
	VT_ASSERT_WAIT(vt, "(from the journal)", 2000);
	VT_ASSERT_WAIT(vt, "교환품을 보내 드립니다.", 2000);
	ck_assert_int_eq(value("select count(*) from mail_outbox"), 0);
	/* F10 queues it, once, with the text as edited. */
	ck_assert_int_eq(vt_type(vt, "<F10>"), 0);
	VT_ASSERT_WAIT(vt, "Reply queued", 3000);
	ck_assert_int_eq(value("select count(*) from mail_outbox where to_addr = 'minji@example.com' "
			       "and body like '%교환품을 보내 드립니다.' and status = 'queued'"), 1);
	snprintf(buf, sizeof(buf), "select count(*) from mail_outbox where case_id = %lld", id);
	ck_assert_int_eq(value(buf), 1);
	/* Back in the case, whose history says the reply was queued. */
	VT_ASSERT_WAIT(vt, "mail_queued", 3000);
	ck_assert_int_eq(vt_type(vt, "<F10>"), 0);
	ck_assert_int_eq(value(buf), 1);
	vt_free(vt);
	/* A new console restores nothing: the reply was queued. */
	vt = console("cc_m1", 24, 80);
	VT_ASSERT_WAIT(vt, "Waiting for calls", 5000);
	ck_assert_int_eq(vt_type(vt, ":reply<Enter>"), 0);
	VT_ASSERT_WAIT(vt, "Open a case first", 2000);
	vt_free(vt);
}
END_TEST

START_TEST(campaign_pull_next_member_and_outcomes_by_one_key)
{
	struct vt *vt;
	long long first;

	testdb_agent(db, "cc_o1", "Agent Out", "agent");
	first = console_customer("이순신", "platinum", "+821011112222", 2);
	console_customer("강감찬", "platinum", "+821033334444", 2);
	console_sql("insert into campaign (name, offer, starts, target_kind, script, control_pct, built_at) "
		    "values ('봄 적금', '적금', current_date, 'list', '{customer_name}님, 봄 적금을 소개합니다.', 0, now())");
	console_sql("insert into campaign_member (campaign_id, customer_id) select c.id, cu.id "
		    "from campaign c, customer cu where c.name = '봄 적금'");
	vt = console("cc_o1", 24, 100);
	VT_ASSERT_WAIT(vt, "Waiting for calls", 5000);
	/* One key pulls the next member: the pop screen, outbound, with the script filled. */
	ck_assert_int_eq(vt_type(vt, "<C-n>"), 0);
	VT_ASSERT_WAIT(vt, "ccterm │ Campaign call", 2000);
	VT_ASSERT_WAIT(vt, "Outbound · campaign 봄 적금", 3000);
	VT_ASSERT_WAIT(vt, "님, 봄 적금을 소개합니다.", 1000);
	VT_ASSERT_WAIT(vt, "History (2)", 3000);   /* the customer's own pop below */
	ck_assert_int_eq(value("select count(*) from campaign_member where claimed_by = 'cc_o1'"), 1);
	/* Not the next one before an outcome. */
	ck_assert_int_eq(vt_type(vt, "<C-n>"), 0);
	VT_ASSERT_WAIT(vt, "Record an outcome first", 2000);
	/* 3: accepted, one key; an outbound interaction on the timeline. */
	ck_assert_int_eq(vt_type(vt, "3"), 0);
	VT_ASSERT_WAIT(vt, "accepted recorded", 3000);
	ck_assert_int_eq(value("select count(*) from campaign_attempt where login = 'cc_o1' and outcome = 'accepted'"), 1);
	ck_assert_int_eq(value("select count(*) from interaction where agent_login = 'cc_o1' and direction = 'out' "
			       "and kind = 'campaign_response'"), 1);
	/* The next member; 5: a call-back in 30 minutes, to me. */
	ck_assert_int_eq(vt_type(vt, "<C-n>"), 0);
	VT_ASSERT_GONE(vt, "recorded: accepted", 3000);
	VT_ASSERT_WAIT(vt, "attempt 1", 3000);
	ck_assert_int_eq(vt_type(vt, "5"), 0);
	VT_ASSERT_WAIT(vt, ":callback", 1000);
	ck_assert_int_eq(vt_type(vt, "30<Enter>"), 0);
	VT_ASSERT_WAIT(vt, "callback recorded", 3000);
	ck_assert_int_eq(value("select count(*) from campaign_member where owner_login = 'cc_o1' and outcome = 'callback' "
			       "and next_at between now() + interval '29 minutes' and now() + interval '31 minutes'"), 1);
	/* Nobody left to call now. */
	ck_assert_int_eq(vt_type(vt, "<C-n>"), 0);
	VT_ASSERT_WAIT(vt, "Nobody to call now", 3000);
	vt_free(vt);
	(void)first;
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("cases");
	TCase *tc = tcase_create("screen");

	tcase_add_checked_fixture(tc, setup, console_teardown);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, case_list_detail_note_escalate_and_pushed_alert);
	tcase_add_test(tc, reply_from_template_survives_kill_and_queues_once);
	tcase_add_test(tc, campaign_pull_next_member_and_outcomes_by_one_key);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return console_main(suite());
}
