/* check_unix.c - the console follows the center's conventions: times in the
 * center's time zone (settings 'timezone'), not the server's or UTC; its
 * language from the locale (LANG=ko_KR.UTF-8: Korean, po/ko.po). */
#include "config.h"

#include <check.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "console.h"

/* ccterm as login in a terminal whose locale is lang (the catalogs: the
 * build tree's, found by the fallback, nothing installed needed). */
static struct vt *console_lang(const char *login, int rows, int cols, const char *lang)
{
	static char bin[512], pgdb[96], pguser[96], cfg[128], state[128], pghost[256], lang_env[64], lc_all[64];
	const char *argv[] = { bin, NULL };
	const char *env[] = { pgdb, pguser, cfg, state, pghost, lang_env, lc_all, NULL };
	struct vt *vt;

	snprintf(bin, sizeof(bin), "%s/ccterm", testdb_builddir());
	snprintf(pgdb, sizeof(pgdb), "PGDATABASE=%s", dbname);
	snprintf(pguser, sizeof(pguser), "PGUSER=%s", login);
	snprintf(cfg, sizeof(cfg), "XDG_CONFIG_HOME=%s/config", xdg);
	snprintf(state, sizeof(state), "XDG_STATE_HOME=%s/state", xdg);
	snprintf(pghost, sizeof(pghost), "PGHOST=%s", getenv("PGHOST") ? getenv("PGHOST") : "");
	snprintf(lang_env, sizeof(lang_env), "LANG=%s", lang);
	snprintf(lc_all, sizeof(lc_all), "LC_ALL=%s", lang);
	vt = vt_spawn(argv, env, rows, cols);
	ck_assert_ptr_nonnull(vt);
	return vt;
}

static void setup(void)
{
	console_setup();
	console_sql("insert into branch (code, name) values ('SEL', '서울 본점') on conflict do nothing");
}

/* 01:15 UTC is 10:15 in Seoul: the timeline, the item in full and the
 * status bar's clock all read center time; the session's own TimeZone too. */
START_TEST(times_are_drawn_in_the_centers_timezone)
{
	struct vt *vt;
	char clock1[8], clock2[8];
	time_t now;
	struct tm tm;
	long long id;

	console_sql("update settings set value = 'Asia/Seoul' where key = 'timezone'");
	testdb_agent(db, "ux_a1", "상담원 하나", "agent");
	id = console_customer("박서준", "registered", "+821033334444", 0);
	{
		char q[512];

		snprintf(q, sizeof(q), "insert into interaction (customer_id, occurred_at, channel, kind, subject) "
			 "values (%lld, '2026-11-20 01:15:00+00', 'phone', 'inquiry', 'Known time')", id);
		console_sql(q);
	}
	vt = console("ux_a1", 24, 80);
	VT_ASSERT_WAIT(vt, "Waiting for calls", 5000);
	/* The clock on the status bar: Seoul's hour and minute (this one or the next). */
	now = time(NULL) + 9 * 3600;
	gmtime_r(&now, &tm);
	strftime(clock1, sizeof(clock1), "%H:%M:", &tm);
	now += 60;
	gmtime_r(&now, &tm);
	strftime(clock2, sizeof(clock2), "%H:%M:", &tm);
	ck_assert_msg(vt_wait_for(vt, clock1, 2000) || vt_wait_for(vt, clock2, 1000), "no Seoul clock %s", clock1);
	console_call("+821033334444", "ux_a1");
	VT_ASSERT_WAIT(vt, "박서준", 3000);
	VT_ASSERT_WAIT(vt, "Known time", 2000);
	VT_ASSERT_WAIT(vt, "11-20 10:15", 1000);
	/* the item's row, not the screen: the status bar's clock reads "01:15"
	 * at 01:15 Seoul time (16:15 UTC) and at every hh:01:15 */
	{
		char row[4096];
		int r;

		ck_assert(vt_find(vt, "Known time", &r, NULL));
		vt_row(vt, r, row, sizeof(row));
		ck_assert_msg(strstr(row, "11-20 10:15") && !strstr(row, "01:15"), "row: %s", row);
	}
	ck_assert_int_eq(vt_type(vt, "<F4>"), 0);
	ck_assert_int_eq(vt_type(vt, "<Enter>"), 0);
	VT_ASSERT_WAIT(vt, "2026-11-20 10:15:00", 2000);
	vt_free(vt);
}
END_TEST

/* The session's TimeZone follows the setting; a name PostgreSQL does not
 * know falls back to Asia/Seoul instead of failing the connection. */
START_TEST(the_sessions_timezone_is_the_centers)
{
	char *v;

	console_sql("update settings set value = 'America/New_York' where key = 'timezone'");
	v = testdb_value(db, "select session_use_center_timezone() || ' ' || "
			     "to_char(timestamptz '2026-11-20 01:15:00+00', 'MM-DD HH24:MI')");
	ck_assert_str_eq(v, "America/New_York 11-19 20:15");
	free(v);
	console_sql("update settings set value = 'Mars/Olympus' where key = 'timezone'");
	v = testdb_value(db, "select session_use_center_timezone() || ' ' || "
			     "to_char(timestamptz '2026-11-20 01:15:00+00', 'MM-DD HH24:MI')");
	ck_assert_str_eq(v, "Asia/Seoul 11-20 10:15");
	free(v);
}
END_TEST

/* LANG=ko_KR.UTF-8: the home screen, the bars and the contact form in
 * Korean; the form's first column of labels (유형, 처리 결과, 채널: one, two
 * and four syllables, each two columns wide) keeps its values lined up. */
START_TEST(korean_locale_gives_a_korean_console_with_aligned_labels)
{
	struct vt *vt;
	int r1, c1, r2, c2, r3, c3, kr, kc, chr, chc;

	ck_assert_msg(setlocale(LC_ALL, "ko_KR.UTF-8") != NULL,
		      "the locale ko_KR.UTF-8 is missing: scripts/deps generates it (localedef -i ko_KR -f UTF-8)");
	setlocale(LC_ALL, "C");
	testdb_agent(db, "ux_k1", "김지아", "agent");
	console_customer("이민호", "platinum", "+821055556666", 0);
	console_customer("이민호 ", "all", "+821055550000", 0);   /* the same person again? */
	console_sql("update customer set birth_date = '1988-08-08' where btrim(name) = '이민호'");
	vt = console_lang("ux_k1", 24, 80, "ko_KR.UTF-8");
	VT_ASSERT_WAIT(vt, "통화를 기다리는 중입니다", 5000);
	VT_ASSERT_WAIT(vt, "ccterm │ 홈", 1000);
	VT_ASSERT_WAIT(vt, "상담원: 김지아 (ux_k1)", 1000);
	VT_ASSERT_WAIT(vt, "F1 도움말", 1000);
	VT_ASSERT_WAIT(vt, "대기콜 0", 1000);
	VT_ASSERT_WAIT(vt, "통화 없음", 1000);
	VT_ASSERT_GONE(vt, "Waiting for calls", 200);
	console_call("+821055556666", "ux_k1");
	VT_ASSERT_WAIT(vt, "이민호", 3000);
	VT_ASSERT_WAIT(vt, "플래티넘", 1000);
	VT_ASSERT_WAIT(vt, "! 중복 의심: 이름과 생년월일 같음", 3000);
	VT_ASSERT_WAIT(vt, "유형:", 2000);
	VT_ASSERT_WAIT(vt, "메모 (Enter 줄바꿈", 1000);
	ck_assert(vt_find(vt, "유형:", &r1, &c1));
	ck_assert(vt_find(vt, "처리 결과:", &r2, &c2));
	ck_assert(vt_find(vt, "채널:", &r3, &c3));
	ck_assert_int_eq(r2, r1 + 1);
	ck_assert_int_eq(r3, r2 + 1);
	ck_assert_int_eq(c1, c2);
	ck_assert_int_eq(c2, c3);
	/* The values after the labels start in one column: inquiry and phone. */
	ck_assert(vt_find(vt, "문의", &kr, &kc));
	ck_assert(vt_find(vt, "전화", &chr, &chc));
	ck_assert_int_eq(kr, r1);
	ck_assert_int_eq(chr, r3);
	ck_assert_int_eq(kc, chc);
	/* Help: the actions' texts in Korean. */
	ck_assert_int_eq(vt_type(vt, "<Esc><F1>"), 0);
	VT_ASSERT_WAIT(vt, "단축키 (Esc: 돌아가기", 2000);
	VT_ASSERT_WAIT(vt, "고객 검색", 1000);
	vt_free(vt);
}
END_TEST

/* LANG=ko_KR.UTF-8 for a supervisor: the floor board (its tabs, the queue
 * board's headers, the agent board's line) and the case list and a case in
 * Korean; translated headers, two columns a syllable, stay over their
 * columns (the boards fit columns by display width). */
START_TEST(korean_locale_gives_korean_boards_and_case_screens)
{
	struct vt *vt;
	long long k;
	char buf[64], row[1024];
	int hr, hc, vr, vc;

	testdb_agent(db, "ux_ks", "관리자 김", "supervisor");
	console_sql("insert into queue (name, sla_seconds, sla_target_pct) values ('ux_general', 20, 80)");
	console_sql("insert into agent_queue (login, queue_id) select 'ux_ks', id from queue where name = 'ux_general'");
	console_customer("홍길동", "platinum", "+821012345678", 2);
	k = value("insert into cases (customer_id, subject, status, priority, owner_login, due_at) "
		  "select id, '배송 지연', 'open', 'high', 'ux_ks', now() + interval '2 hours' from customer "
		  "order by id limit 1 returning id");
	vt = console_lang("ux_ks", 24, 80, "ko_KR.UTF-8");
	VT_ASSERT_WAIT(vt, "통화를 기다리는 중입니다", 5000);
	ck_assert_int_eq(vt_type(vt, "<F9>"), 0);
	VT_ASSERT_WAIT(vt, "ccterm │ 현황판", 2000);
	VT_ASSERT_WAIT(vt, "1 대기열", 2000);
	VT_ASSERT_WAIT(vt, "2 상담원", 1000);
	VT_ASSERT_WAIT(vt, "4 케이스", 1000);
	VT_ASSERT_WAIT(vt, "ux_general", 3000);
	VT_ASSERT_WAIT(vt, "Enter: 대기 통화와 상담원", 1000);
	VT_ASSERT_GONE(vt, "1 Queues", 200);
	/* the queue column's header over its names (the first row under the tabs) */
	ck_assert(vt_find(vt, "ux_general", &vr, &vc));
	ck_assert_int_eq(vc, 1);
	ck_assert_ptr_nonnull(vt_row(vt, vr - 1, row, sizeof(row)));
	ck_assert_msg(strncmp(row, " 대기열 ", strlen(" 대기열 ")) == 0 && strstr(row, "대기"), "header: %s", row);
	ck_assert_int_eq(vt_type(vt, "2"), 0);
	VT_ASSERT_WAIT(vt, "상담원 1명 · 정렬: 상태 (s)", 3000);
	VT_ASSERT_WAIT(vt, "관리자 김", 2000);
	ck_assert(vt_find(vt, "이름", &hr, &hc));
	ck_assert(vt_find(vt, "관리자 김", &vr, &vc));
	ck_assert_int_eq(vc, hc);
	VT_ASSERT_WAIT(vt, "수신 불가", 1000);    /* the legend: the short forms told in full */
	/* the case list and one case */
	ck_assert_int_eq(vt_type(vt, "<F11>"), 0);
	VT_ASSERT_WAIT(vt, "ccterm │ 케이스", 2000);
	VT_ASSERT_WAIT(vt, "케이스: 내 것 · 미종결 · 모든 SLA", 2000);
	snprintf(buf, sizeof(buf), "C-%lld", k);
	VT_ASSERT_WAIT(vt, buf, 2000);
	VT_ASSERT_WAIT(vt, "접수", 1000);
	VT_ASSERT_WAIT(vt, "높음", 1000);
	/* the owner's header over the owners, after five translated headers */
	ck_assert(vt_find(vt, "담당자", &hr, &hc));
	ck_assert(vt_find(vt, "ux_ks", &vr, &vc));
	ck_assert_int_eq(vr, hr + 1);
	ck_assert_int_eq(vc, hc);
	ck_assert_int_eq(vt_type(vt, "<Enter>"), 0);
	VT_ASSERT_WAIT(vt, "고객 홍길동", 3000);
	VT_ASSERT_WAIT(vt, "담당자 ux_ks (관리자 김)", 1000);
	VT_ASSERT_WAIT(vt, "n 메모 · e 에스컬레이션", 1000);
	VT_ASSERT_WAIT(vt, "이력 (", 1000);
	VT_ASSERT_GONE(vt, "Customer ", 200);
	vt_free(vt);
}
END_TEST

/* Unknown caller -> search -> the customer -> "link this number?" -> y:
 * the number is theirs (audited), and the next call from it pops them. */
START_TEST(linking_an_unknown_callers_number_pops_that_customer_next_time)
{
	struct vt *vt;
	long long kim;

	testdb_agent(db, "ux_l1", "Agent Link", "agent");
	kim = console_customer("KIM Jia", "registered", "+821011112222", 2);
	vt = console("ux_l1", 24, 80);
	VT_ASSERT_WAIT(vt, "Waiting for calls", 5000);
	console_call("+821099998888", "ux_l1");
	VT_ASSERT_WAIT(vt, "Unknown caller 010-9999-8888", 3000);
	ck_assert_int_eq(vt_type(vt, "<F2>"), 0);
	VT_ASSERT_WAIT(vt, "Search:", 2000);
	ck_assert_int_eq(vt_type(vt, "KIM Jia<Enter>"), 0);
	VT_ASSERT_WAIT(vt, "1 customer for", 3000);
	ck_assert_int_eq(vt_type(vt, "<Enter>"), 0);
	VT_ASSERT_WAIT(vt, "Link 010-9999-8888 to KIM Jia? y links the number", 3000);
	/* Nothing is linked before the agent says so. */
	ck_assert_int_eq(value("select count(*) from contact_point where value = '+821099998888'"), 0);
	ck_assert_int_eq(vt_type(vt, "y"), 0);
	VT_ASSERT_WAIT(vt, "010-9999-8888 is now KIM Jia's number", 3000);
	VT_ASSERT_GONE(vt, "Link 010-9999-8888", 1000);
	{
		char q[512];

		snprintf(q, sizeof(q), "select count(*) from customer_contact cc join contact_point cp on cp.id = "
			 "cc.contact_point_id where cc.customer_id = %lld and cp.kind = 'phone' and cp.value = '+821099998888'",
			 kim);
		ck_assert_int_eq(value(q), 1);
		snprintf(q, sizeof(q), "select count(*) from audit_log where login = 'ux_l1' and customer_id = %lld "
			 "and detail like 'link: phone +821099998888%%'", kim);
		ck_assert_int_eq(value(q), 1);
	}
	/* The call ends; the contact is logged; the next call from that number pops KIM Jia. */
	ck_assert_int_eq(vt_type(vt, "<F3>"), 0);
	VT_ASSERT_WAIT(vt, "Notes (Enter new line", 2000);
	ck_assert_int_eq(vt_type(vt, "번호 연결<F10>"), 0);
	VT_ASSERT_WAIT(vt, "Saved as interaction #", 3000);
	ck_assert_int_eq(vt_type(vt, "<F12>"), 0);
	VT_ASSERT_WAIT(vt, "wrap-up", 3000);
	console_sql("update call set state = 'ended', ended_at = coalesce(ended_at, now()) where state <> 'ended'");
	console_call("+821099998888", "ux_l1");
	VT_ASSERT_WAIT(vt, "KIM Jia [registered]", 5000);
	VT_ASSERT_GONE(vt, "Unknown caller", 1000);
	vt_free(vt);
}
END_TEST

/* Two records of one person (same name and birth date): the pop flags it
 * with the reason; a supervisor opens the pair side by side, keeps one,
 * and the other is merged into it (a tombstone, audited, reversible). */
START_TEST(a_duplicate_is_flagged_and_a_supervisor_merges_it_side_by_side)
{
	struct vt *vt;
	long long a, b;
	char q[512];

	testdb_agent(db, "ux_s1", "Supervisor One", "supervisor");
	a = console_customer("최유리", "registered", "+821044445555", 3);
	b = console_customer("최유리 ", "all", "+821066667777", 1);   /* (its own external id) */
	snprintf(q, sizeof(q), "update customer set birth_date = '1990-05-05' where id in (%lld, %lld)", a, b);
	console_sql(q);
	vt = console("ux_s1", 24, 80);
	VT_ASSERT_WAIT(vt, "Waiting for calls", 5000);
	console_call("+821044445555", "ux_s1");
	VT_ASSERT_WAIT(vt, "최유리 [registered]", 3000);
	VT_ASSERT_WAIT(vt, "! possible duplicate: same name and birth date", 3000);
	ck_assert_int_eq(vt_type(vt, "<F4>"), 0);
	snprintf(q, sizeof(q), "Looks like #%lld 최유리", b);
	VT_ASSERT_WAIT(vt, q, 3000);
	ck_assert_int_eq(vt_type(vt, "D"), 0);
	VT_ASSERT_WAIT(vt, "Possible duplicate (1 of 1): same name and birth date, score 70", 3000);
	VT_ASSERT_WAIT(vt, "010-6666-7777", 3000);    /* the other one's column */
	VT_ASSERT_WAIT(vt, "010-4444-5555", 1000);
	ck_assert_int_eq(vt_type(vt, "1"), 0);
	snprintf(q, sizeof(q), "Merge #%lld into #%lld?", b, a);
	VT_ASSERT_WAIT(vt, q, 2000);
	ck_assert_int_eq(vt_type(vt, "y"), 0);
	snprintf(q, sizeof(q), "Customer #%lld merged into #%lld", b, a);
	VT_ASSERT_WAIT(vt, q, 3000);
	VT_ASSERT_GONE(vt, "possible duplicate", 2000);
	snprintf(q, sizeof(q), "select count(*) from customer where id = %lld and merged_into = %lld", b, a);
	ck_assert_int_eq(value(q), 1);
	/* The other one's history and number came along. */
	snprintf(q, sizeof(q), "select count(*) from interaction where customer_id = %lld", a);
	ck_assert_int_eq(value(q), 4);
	snprintf(q, sizeof(q), "select count(*) from audit_log where login = 'ux_s1' and detail like 'merge:%%'");
	ck_assert_int_ge(value(q), 1);
	vt_free(vt);
}
END_TEST

/* An agent sees the flag and the pair, but merging is for supervisors. */
START_TEST(an_agent_sees_the_duplicate_but_may_not_merge)
{
	struct vt *vt;
	long long a, b;
	char q[256];

	testdb_agent(db, "ux_a2", "Agent Two", "agent");
	a = console_customer("한지민", "registered", "+821077778888", 1);
	b = console_customer("한지민 ", "registered", "+821077779999", 1);   /* (its own external id) */
	snprintf(q, sizeof(q), "update customer set birth_date = '1985-01-02' where id in (%lld, %lld)", a, b);
	console_sql(q);
	vt = console("ux_a2", 24, 80);
	VT_ASSERT_WAIT(vt, "Waiting for calls", 5000);
	console_call("+821077778888", "ux_a2");
	VT_ASSERT_WAIT(vt, "! possible duplicate: same name and birth date", 3000);
	ck_assert_int_eq(vt_type(vt, "<F4>"), 0);
	VT_ASSERT_WAIT(vt, "D side by side", 3000);
	ck_assert_int_eq(vt_type(vt, "D"), 0);
	VT_ASSERT_WAIT(vt, "Possible duplicate (1 of 1)", 3000);
	ck_assert_int_eq(vt_type(vt, "1"), 0);
	VT_ASSERT_WAIT(vt, "Only supervisors merge customers.", 2000);
	vt_free(vt);
	ck_assert_int_eq(value("select count(*) from customer where merged_into is not null"), 0);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("unix");
	TCase *tc = tcase_create("conventions");

	tcase_add_checked_fixture(tc, setup, console_teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, times_are_drawn_in_the_centers_timezone);
	tcase_add_test(tc, the_sessions_timezone_is_the_centers);
	tcase_add_test(tc, korean_locale_gives_a_korean_console_with_aligned_labels);
	tcase_add_test(tc, korean_locale_gives_korean_boards_and_case_screens);
	tcase_add_test(tc, linking_an_unknown_callers_number_pops_that_customer_next_time);
	tcase_add_test(tc, a_duplicate_is_flagged_and_a_supervisor_merges_it_side_by_side);
	tcase_add_test(tc, an_agent_sees_the_duplicate_but_may_not_merge);
	suite_add_tcase(s, tc);
	return console_main(s);
}
