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
	VT_ASSERT_GONE(vt, "01:15", 500);
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

int main(void)
{
	Suite *s = suite_create("unix");
	TCase *tc = tcase_create("conventions");

	tcase_add_checked_fixture(tc, setup, console_teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, times_are_drawn_in_the_centers_timezone);
	tcase_add_test(tc, the_sessions_timezone_is_the_centers);
	tcase_add_test(tc, korean_locale_gives_a_korean_console_with_aligned_labels);
	suite_add_tcase(s, tc);
	return console_main(s);
}
