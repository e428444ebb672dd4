/* check_report.c - the daily report (sql/repeatable/90_report.sql,
 * `ccterm-admin report day`) on a scripted day, tests/fixtures/report/day.sql:
 * Friday 2026-11-20 in Asia/Seoul. Every figure below is worked out by hand
 * from that script; the report must also agree with the boards' own
 * functions, refuse agents, and say what is wrong with a date, a queue or a
 * branch. */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ccterm/csv.h"
#include "ccterm/utf8.h"
#include "testdb.h"

/* Roles are cluster-wide: every login here starts with rq_. */

static struct db *db;      /* superuser: the fixture and checks */
static struct db *boss;    /* a supervisor: the report */
static char dbname[64];

static void load_fixture(void)
{
	char path[1024], *sql;
	const char *top = getenv("CCTERM_TOP_SRCDIR");
	FILE *f;
	long n;

	snprintf(path, sizeof(path), "%s/tests/fixtures/report/day.sql", top ? top : ".");
	f = fopen(path, "r");
	ck_assert_msg(f != NULL, "%s", path);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	sql = calloc(1, (size_t)n + 1);
	ck_assert_int_eq(fread(sql, 1, (size_t)n, f), n);
	fclose(f);
	ck_assert_msg(db_exec_script(db, sql) == 0, "fixture: %s", db_error(db));
	free(sql);
}

static void setup(void)
{
	db = testdb_create(dbname);
	testdb_agent(db, "rq_boss", "Boss", "supervisor");
	testdb_agent(db, "rq_agent", "Agent", "agent");
	load_fixture();
	boss = testdb_connect(dbname, "rq_boss");
}

static void teardown(void)
{
	db_close(boss);
	testdb_drop(db, dbname);
}

/* One row of a query run as the supervisor, its columns joined by '|'. */
static void row_is(const char *sql, const char *want)
{
	PGresult *res = db_query(boss, sql, 0, NULL);
	char got[1024] = "";
	size_t o = 0;

	ck_assert_msg(res != NULL, "%s: %s", sql, db_error(boss));
	ck_assert_msg(PQntuples(res) == 1, "%s: %d rows", sql, PQntuples(res));
	for (int c = 0; c < PQnfields(res); c++)
		o += (size_t)snprintf(got + o, sizeof(got) - o, "%s%s", c ? "|" : "",
				      PQgetisnull(res, 0, c) ? "-" : PQgetvalue(res, 0, c));
	PQclear(res);
	ck_assert_msg(strcmp(got, want) == 0, "%s\n  got  %s\n  want %s", sql, got, want);
}

static void value_is(struct db *d, const char *sql, const char *want)
{
	char *v = testdb_value(d, sql);

	ck_assert_msg(strcmp(v ? v : "-", want) == 0, "%s\n  got  %s\n  want %s", sql, v ? v : "-", want);
	free(v);
}

/* sales (SLA 20 s) that day, arrival -> answer (wait), answer -> end (talk),
 * the agent's wrap-up after it:
 *   1  09:00:00 -> 09:00:10 (10 s)  talk 300  wrap 30   in SLA
 *   2  09:10:00 -> 09:10:30 (30 s)  talk 210  wrap 30   not in SLA
 *   3  09:20:00 abandoned 09:20:05 (5 s: within the SLA, counts neither way)
 *   4  09:30:00 abandoned 09:31:00 (60 s: after the SLA)
 *   7  23:59:00 abandoned 23:59:10 (10 s: within; the day's last minute)
 *   8  2026-11-21 00:01:00 abandoned 00:01:30: the next day's
 * offered 5, answered 2, abandoned 3, in SLA 1, abandoned after SLA 1;
 * service level = 1 / (2 + 1) = 33.3 %; ASA = (10 + 30) / 2 = 20.0 s;
 * AHT = ((300 + 30) + (210 + 30)) / 2 = 285.0 s.
 * support (SLA 30 s):
 *   5  10:00:00, rang at 이서준 10:00:00-10:00:20 (no answer), offered to
 *      김민지 10:00:25, answered 10:00:40 (40 s: not in SLA), talk 600, wrap 60
 *   6  11:00:00 -> 11:00:15 (15 s, in SLA) by 이서준, talk 240, wrap 30
 * offered 2, answered 2, abandoned 0, in SLA 1: service level 1 / 2 = 50.0 %;
 * ASA (40 + 15) / 2 = 27.5 s; AHT ((600 + 60) + (240 + 30)) / 2 = 465.0 s. */
START_TEST(queues_by_hand)
{
	row_is("select concat_ws(' ', offered, answered, abandoned, answered_in_sla, abandoned_after_sla, "
	       "service_level_pct, asa_secs, aht_secs) from report_queues('2026-11-20') where queue = 'sales'",
	       "5 2 3 1 1 33.3 20.0 285.0");
	row_is("select concat_ws(' ', offered, answered, abandoned, answered_in_sla, abandoned_after_sla, "
	       "service_level_pct, asa_secs, aht_secs) from report_queues('2026-11-20') where queue = 'support'",
	       "2 2 0 1 0 50.0 27.5 465.0");
	/* The date boundary in Asia/Seoul: 23:59 is the 20th's, 00:01 the 21st's
	 * (15:01 UTC on the 20th: a UTC day would have put it on the 20th). */
	row_is("select concat_ws(' ', offered, abandoned, abandoned_after_sla, service_level_pct, "
	       "coalesce(asa_secs::text, '-')) from report_queues('2026-11-21', 'sales')", "1 1 1 0.0 -");
	row_is("select count(*) from report_queues('2026-11-19') where offered > 0", "0");
	/* One queue asked: only it. */
	row_is("select string_agg(queue, ',') from report_queues('2026-11-20', 'support')", "support");
	/* The queue board read at the day's last instant says the same. */
	row_is("select count(*) from report_queues('2026-11-20') r "
	       "join wallboard_queues('2026-11-20 23:59:59.999999+09') w on w.name = r.queue "
	       "where (r.offered, r.answered, r.abandoned, r.answered_in_sla, r.service_level_pct, r.asa_secs) "
	       "is not distinct from (w.offered_today, w.answered_today, w.abandoned_today, w.answered_in_sla, "
	       "w.service_level_pct, w.asa_secs)", "2");
}
END_TEST

/* 김민지's day (state spans):
 *   ready     08:00:00-09:00:00 3600, 09:05:40-09:10:20 280, 09:14:30-09:30:00 930,
 *             10:00:00-10:00:25 25, 10:11:40-12:00:00 6500          = 11335
 *   ringing   10 + 10 + 15 = 35; on call 300 + 210 + 600 = 1110; wrap-up 30 + 30 + 60 = 120
 *   break lunch 09:30-10:00 1800; not ready training 12:00-13:00 3600; logged out at 13:00
 * handled 3 (calls 1, 2, 5), missed 0, AHT (1110 + 120) / 3 = 410.0 s,
 * occupancy (35 + 1110 + 120) / (1265 + 11335) = 1265 / 12600 = 10.0 %,
 * paused 1800 + 3600 = 5400 s = 1:30:00.
 * 이서준's: not ready "meeting" since 23:30 the day before (counts from
 * midnight: 00:00-08:30 = 30600), ready 08:30-10:00 5400, ringing 10:00:00-
 * 10:00:20 (call 5: no answer) 20, not ready "no answer" 10:00:20-10:30:00
 * 1780, ready 10:30:00-11:00:05 1805, ringing 10, on call 240, wrap 30,
 * ready 11:04:45-11:30:00 1515, short break 11:30-11:45 900, logged out.
 * handled 1, missed 1, AHT (240 + 30) / 1 = 270.0 s, occupancy
 * (20 + 10 + 240 + 30) / (300 + 5400 + 1805 + 1515) = 300 / 9020 = 3.3 %,
 * paused 30600 + 1780 + 900 = 33280 s = 9:14:40. */
START_TEST(agents_and_pauses_by_hand)
{
	row_is("select concat_ws(' ', name, branch_code, handled, missed, aht_secs, occupancy_pct, paused_secs) "
	       "from report_agents('2026-11-20') where login = 'rp_kim'", "김민지 SEL 3 0 410.0 10.0 5400");
	row_is("select concat_ws(' ', name, branch_code, handled, missed, aht_secs, occupancy_pct, paused_secs) "
	       "from report_agents('2026-11-20') where login = 'rp_lee'", "이서준 BSN 1 1 270.0 3.3 33280");
	/* Only who worked: not the supervisor nor the idle agent. */
	row_is("select string_agg(login, ',' order by login) from report_agents('2026-11-20')", "rp_kim,rp_lee");
	/* Pause time by reason, in the list's order, then reasons off the list. */
	row_is("select string_agg(label || '=' || secs, ',') from report_pauses('2026-11-20') where login = 'rp_kim'",
	       "Lunch=1800,Training=3600");
	row_is("select string_agg(label || '=' || secs, ',') from report_pauses('2026-11-20') where login = 'rp_lee'",
	       "Short break=900,Meeting=30600,no answer=1780");
	/* They add up to each agent's time paused. */
	row_is("select count(*) from report_agents('2026-11-20') a "
	       "where a.paused_secs <> (select sum(p.secs) from report_pauses('2026-11-20') p where p.login = a.login)",
	       "0");
	/* The agent board read at the day's last instant says the same. */
	row_is("select count(*) from report_agents('2026-11-20') r "
	       "join agent_floor_today('2026-11-20 23:59:59.999999+09') f on f.login = r.login "
	       "where (r.handled, r.missed, r.aht_secs, r.occupancy_pct, r.paused_secs) "
	       "is not distinct from (f.handled, f.missed, f.aht_secs, f.occupancy_pct, f.paused_secs)", "2");
	/* Filters: the queue's skilled agents, the branch's agents. */
	row_is("select string_agg(login, ',' order by login) from report_agents('2026-11-20', 'sales')", "rp_kim");
	row_is("select string_agg(login, ',' order by login) from report_agents('2026-11-20', 'support')",
	       "rp_kim,rp_lee");
	row_is("select string_agg(login, ',' order by login) from report_agents('2026-11-20', null, 'BSN')", "rp_lee");
	row_is("select string_agg(distinct login, ',') from report_pauses('2026-11-20', null, 'BSN')", "rp_lee");
	/* The next day: the meeting was the 20th's only (the 21st sees logged out). */
	row_is("select count(*) from report_agents('2026-11-21')", "0");
}
END_TEST

/* Surveys: SEL 5 (09:00), 4 (12:00), 3 (18:00) = 4.00 of 3; the 18th's 1 is
 * the seven days before (1.00 of 1). BSN 2 at 23:59:30 = 2.00 of 1; its 5 at
 * 00:00:30 is the 21st's.
 * Offers that day: savings offered + accepted (901), offered + declined
 * (902), accepted (903): shown 5, accepted 2, declined 1, rate 2 / 3 = 66.7 %;
 * card offered twice: shown 2, no rate. The accepted savings at 00:30 the
 * next day is the 21st's.
 * Campaign winter (from the 15th, 14 days' response): reached that day 901
 * (accepted) and 902 (refused), 903 the day before; 904 not reached;
 * control 905-908. Ordered within 14 days: 901, 903 of the reached (2 / 3
 * = 66.7 %), 905 of the control (1 / 4 = 25.0 %): +41.7 points, 95 %
 * interval 41.7 -+ 1.96 sqrt(2/3 1/3 / 3 + 1/4 3/4 / 4) = 41.7 -+ 68.2:
 * -26.5..109.8. spring starts 12-01: not that day's. */
START_TEST(branches_offers_campaigns_by_hand)
{
	row_is("select concat_ws(' ', branch_name, satisfaction, n, week_avg, week_n) "
	       "from report_branches('2026-11-20') where branch_code = 'SEL'", "서울 본점 4.00 3 1.00 1");
	row_is("select concat_ws(' ', satisfaction, n, week_n) from report_branches('2026-11-20') "
	       "where branch_code = 'BSN'", "2.00 1 0");
	row_is("select concat_ws(' ', satisfaction, n, week_avg, week_n) from report_branches('2026-11-21', null, 'BSN')",
	       "5.00 1 2.00 1");
	row_is("select string_agg(branch_code, ',') from report_branches('2026-11-20', null, 'SEL')", "SEL");

	row_is("select concat_ws(' ', shown, accepted, declined, accept_rate_pct) from report_offers('2026-11-20') "
	       "where rule = 'savings'", "5 2 1 66.7");
	row_is("select concat_ws(' ', shown, accepted, declined, coalesce(accept_rate_pct::text, '-')) "
	       "from report_offers('2026-11-20') where rule = 'card'", "2 0 0 -");
	row_is("select concat_ws(' ', shown, accepted) from report_offers('2026-11-21')", "1 1");
	/* BSN's agent (이서준) recorded savings accepted (903) and card offered. */
	row_is("select string_agg(rule || '=' || shown || '/' || accepted, ',') from report_offers('2026-11-20', null, 'BSN')",
	       "savings=1/1,card=1/0");
	/* On support's calls (5, 6): savings accepted (call 6), card twice. */
	row_is("select string_agg(rule || '=' || shown, ',') from report_offers('2026-11-20', 'support')",
	       "savings=1,card=2");

	row_is("select concat_ws(' ', campaign, contacted_day, accepted_day, reached, accepted, response_pct, "
	       "control_pct, lift_pts, lift_low_pts, lift_high_pts) from report_campaigns('2026-11-20')",
	       "winter 2 1 3 1 66.7 25.0 41.7 -26.5 109.8");
	row_is("select concat_ws(' ', contacted_day, accepted_day) from report_campaigns('2026-11-19')", "1 0");
	row_is("select count(*) from report_campaigns('2026-11-14')", "0");
	/* The campaign board says the same. */
	row_is("select count(*) from report_campaigns('2026-11-20') r, campaign_board(71) b "
	       "where r.reached = b.reached and r.accepted = b.accepted "
	       "and r.response_pct = round((100 * b.contacted_rate)::numeric, 1) "
	       "and r.lift_pts = round((100 * b.lift)::numeric, 1)", "1");
}
END_TEST

/* Agents are told why not; a bad date, an unknown queue or branch, a day
 * still to come are named. */
START_TEST(refusals_say_why)
{
	struct db *agent = testdb_connect(dbname, "rq_agent");
	static const char *const fns[] = { "report_queues", "report_agents", "report_pauses", "report_branches",
					   "report_offers", "report_campaigns" };
	char sql[256], out[4096];

	for (size_t i = 0; i < sizeof(fns) / sizeof(fns[0]); i++) {
		snprintf(sql, sizeof(sql), "select * from %s('2026-11-20')", fns[i]);
		ck_assert_int_eq(db_exec(agent, sql, 0, NULL), -1);
		ck_assert_str_eq(db_sqlstate(agent), "42501");
		ck_assert_msg(strstr(db_error(agent), "the daily report is for supervisors"), "%s", db_error(agent));
	}
	db_close(agent);
	ck_assert_int_eq(db_exec(boss, "select * from report_queues('2026-11-31')", 0, NULL), -1);
	ck_assert_msg(strstr(db_error(boss), "not a date: \"2026-11-31\" (YYYY-MM-DD)"), "%s", db_error(boss));
	ck_assert_int_eq(db_exec(boss, "select * from report_queues('20/11/2026')", 0, NULL), -1);
	ck_assert_msg(strstr(db_error(boss), "not a date: \"20/11/2026\""), "%s", db_error(boss));
	ck_assert_int_eq(db_exec(boss, "select * from report_queues(null, 'billing')", 0, NULL), -1);
	ck_assert_msg(strstr(db_error(boss), "unknown queue \"billing\" (queues: sales, support)"), "%s", db_error(boss));
	ck_assert_int_eq(db_exec(boss, "select * from report_agents(null, null, 'GANGNAM')", 0, NULL), -1);
	ck_assert_msg(strstr(db_error(boss), "unknown branch \"GANGNAM\" (branches: BSN, SEL)"), "%s", db_error(boss));
	ck_assert_int_eq(db_exec(boss, "select * from report_offers((current_date + 2)::text)", 0, NULL), -1);
	ck_assert_msg(strstr(db_error(boss), "has not begun"), "%s", db_error(boss));
	/* Today (no date) is fine, and is the center's today. */
	value_is(boss, "select d::text = (now() at time zone 'Asia/Seoul')::date::text from report_check(null, null, null) d",
		 "t");

	/* The same through ccterm-admin: exit 1 and the reason on stderr. */
	ck_assert_int_eq(testdb_run(dbname, "ccterm-admin -d user=rq_agent report day", out, sizeof(out)), 1);
	ck_assert_msg(strstr(out, "ccterm-admin: the daily report is for supervisors"), "%s", out);
	ck_assert_int_eq(testdb_run(dbname, "ccterm-admin report day --date 2026-02-30", out, sizeof(out)), 1);
	ck_assert_msg(strstr(out, "not a date: \"2026-02-30\""), "%s", out);
	ck_assert_int_eq(testdb_run(dbname, "ccterm-admin report day --queue billing", out, sizeof(out)), 1);
	ck_assert_msg(strstr(out, "unknown queue \"billing\""), "%s", out);
	ck_assert_int_eq(testdb_run(dbname, "ccterm-admin report day --branch GANGNAM", out, sizeof(out)), 1);
	ck_assert_msg(strstr(out, "unknown branch \"GANGNAM\""), "%s", out);
	ck_assert_int_eq(testdb_run(dbname, "ccterm-admin report day --format pdf", out, sizeof(out)), 2);
	ck_assert_msg(strstr(out, "report day [--date YYYY-MM-DD]"), "%s", out);
}
END_TEST

/* The display column at which needle ends in line (wide characters two). */
static int end_col(const char *line, const char *needle)
{
	const char *p = strstr(line, needle);
	char *prefix;
	int w;

	ck_assert_msg(p != NULL, "\"%s\" not in \"%s\"", needle, line);
	prefix = strndup(line, (size_t)(p - line) + strlen(needle));
	w = utf8_width(prefix);
	free(prefix);
	return w;
}

/* The display column at which needle starts in line. */
static int start_col(const char *line, const char *needle)
{
	return end_col(line, needle) - utf8_width(needle);
}

/* The line of out starting with start (its copy in buf). */
static const char *line_of(const char *out, const char *start, char *buf, size_t sz)
{
	const char *p = out;

	while (p && *p) {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) : strlen(p);

		if (strncmp(p, start, strlen(start)) == 0) {
			snprintf(buf, sz, "%.*s", (int)n, p);
			return buf;
		}
		p = nl ? nl + 1 : NULL;
	}
	ck_abort_msg("no line starting \"%s\" in:\n%s", start, out);
	return NULL;
}

static int count_of(const char *s, const char *what)
{
	int n = 0;

	for (const char *p = strstr(s, what); p; p = strstr(p + strlen(what), what))
		n++;
	return n;
}

/* The text: columns aligned by display width whatever the names' widths
 * (김민지 is six columns, AGENT five), numbers right-aligned under their
 * heads, bars scaled to the section's largest (handled 3 -> 20 blocks, 1 ->
 * 7), '#' when the locale is not UTF-8, and 80 columns at most. */
START_TEST(text_is_aligned_with_korean_names)
{
	static char out[16384];
	char head[512], kim[512], lee[512], q[512];

	setenv("LC_ALL", "C.UTF-8", 1);
	ck_assert_int_eq(testdb_run(dbname, "ccterm-admin report day --date 2026-11-20", out, sizeof(out)), 0);
	ck_assert_msg(strstr(out, "Daily report 2026-11-20 (Asia/Seoul) · queue all · branch all"), "%s", out);
	line_of(out, "AGENT ", head, sizeof(head));
	line_of(out, "김민지  SEL", kim, sizeof(kim));
	line_of(out, "이서준  BSN", lee, sizeof(lee));
	ck_assert_int_eq(start_col(kim, "SEL"), start_col(head, "BRANCH"));
	ck_assert_int_eq(start_col(lee, "BSN"), start_col(head, "BRANCH"));
	ck_assert_int_eq(end_col(kim, "  3"), end_col(head, "HANDLED"));
	ck_assert_int_eq(end_col(lee, "  1"), end_col(head, "HANDLED"));
	ck_assert_int_eq(end_col(kim, "410.0"), end_col(head, "AHT s"));
	ck_assert_int_eq(end_col(lee, "270.0"), end_col(head, "AHT s"));
	ck_assert_int_eq(end_col(kim, "1:30:00"), end_col(head, "PAUSED"));
	ck_assert_int_eq(end_col(lee, "9:14:40"), end_col(head, "PAUSED"));
	ck_assert_int_eq(count_of(kim, "▇"), 20);
	ck_assert_int_eq(count_of(lee, "▇"), 7);
	/* Service level 33.3 % of a full scale of 100 % in the queues' bar. */
	line_of(out, "sales ", q, sizeof(q));
	ck_assert_msg(strstr(q, "sales          5         2          3       1  33.3   20.0  285.0  ▇"), "%s", q);
	/* Every line fits 80 columns. */
	for (char *p = out, *nl; (nl = strchr(p, '\n')); p = nl + 1) {
		*nl = '\0';
		ck_assert_msg(utf8_width(p) <= 80, "%d columns: %s", utf8_width(p), p);
		*nl = '\n';
	}
	/* Not a UTF-8 locale: the bars in ASCII. */
	setenv("LC_ALL", "C", 1);
	ck_assert_int_eq(testdb_run(dbname, "ccterm-admin report day --date 2026-11-20 --branch SEL", out, sizeof(out)), 0);
	line_of(out, "김민지  SEL", kim, sizeof(kim));
	ck_assert_msg(strstr(kim, "  ####################") && !strstr(kim, "▇"), "%s", kim);
	ck_assert_msg(!strstr(out, "이서준  BSN"), "%s", out);
	unsetenv("LC_ALL");
}
END_TEST

/* The CSV reads back with an RFC 4180 reader: a head record per section,
 * every row as long as its head, the values SQL computed (seconds, not
 * h:mm:ss), a comma and quotes in an offer's text quoted. */
START_TEST(csv_reads_back)
{
	static char out[16384];
	char *path;
	FILE *f;
	struct csv_reader *r;
	struct csv_record rec;
	size_t head_n = 0;
	char section[32] = "";
	int rows = 0, heads = 0;
	bool saw_kim = false, saw_card = false, saw_sales = false;

	ck_assert_int_eq(testdb_run(dbname, "ccterm-admin report day --date 2026-11-20 --format csv", out, sizeof(out)), 0);
	{
		const char *start = "section,day,timezone,queue,branch\r\nreport,2026-11-20,Asia/Seoul,,\r\n";

		ck_assert_msg(strncmp(out, start, strlen(start)) == 0, "%s", out);
	}
	path = testdb_file(out);
	f = fopen(path, "r");
	r = csv_reader_new(f);
	while (csv_next(r, &rec) == 1) {
		if (strcmp(rec.fields[0], "section") == 0) {
			head_n = rec.nfields;
			heads++;
			continue;
		}
		ck_assert_uint_eq(rec.nfields, head_n);
		snprintf(section, sizeof(section), "%s", rec.fields[0]);
		rows++;
		if (strcmp(section, "agents") == 0 && strcmp(rec.fields[1], "rp_kim") == 0) {
			ck_assert_str_eq(rec.fields[2], "김민지");
			ck_assert_str_eq(rec.fields[8], "5400");
			saw_kim = true;
		}
		if (strcmp(section, "offers") == 0 && strcmp(rec.fields[1], "card") == 0) {
			ck_assert_str_eq(rec.fields[2], "Card, \"gold\"");
			ck_assert_str_eq(rec.fields[6], "");
			saw_card = true;
		}
		if (strcmp(section, "queues") == 0 && strcmp(rec.fields[1], "sales") == 0) {
			ck_assert_str_eq(rec.fields[9], "33.3");
			saw_sales = true;
		}
	}
	ck_assert_msg(csv_error(r) == NULL || !*csv_error(r), "%s", csv_error(r));
	csv_reader_free(r);
	fclose(f);
	unlink(path);
	free(path);
	/* report + six sections; rows: 1 + 2 queues, 2 agents, 5 pauses, 2 branches, 2 offers, 1 campaign */
	ck_assert_int_eq(heads, 7);
	ck_assert_int_eq(rows, 15);
	ck_assert(saw_kim && saw_card && saw_sales);
	ck_assert_msg(strstr(out, "offers,card,\"Card, \"\"gold\"\"\",2,0,0,\r\n"), "%s", out);
}
END_TEST

static Suite *report_suite(void)
{
	Suite *s = suite_create("report");
	TCase *tc = tcase_create("a scripted day");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, queues_by_hand);
	tcase_add_test(tc, agents_and_pauses_by_hand);
	tcase_add_test(tc, branches_offers_campaigns_by_hand);
	tcase_add_test(tc, refusals_say_why);
	tcase_add_test(tc, text_is_aligned_with_korean_names);
	tcase_add_test(tc, csv_reads_back);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(report_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
