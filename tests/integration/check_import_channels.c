/* check_import_channels.c - the importers of the record's other channels on
 * the real files of tests/fixtures/import/: e-mail (an mbox with Korean in
 * UTF-8, EUC-KR and ISO-2022-KR, quoted-printable and base64, a
 * multipart/alternative, an HTML-only message and a thread of three; a
 * Maildir continuing the thread), POS orders, web events and survey answers,
 * and the hostile ones (binary garbage, a truncated mbox, a 1 MB header line,
 * JSON with wrong types, CSV with unbalanced quotes, unknown customers).
 * What is loaded shows on the customer's timeline (timeline()) and the
 * survey scores on the floor's satisfaction index (branch_satisfaction()). */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ccterm/admin.h"
#include "ccterm/import_channels.h"
#include "ccterm/mail_message.h"
#include "ccterm/utf8.h"
#include "testdb.h"

static struct db *db;
static char dbname[64];

static const char *fixture(const char *name)
{
	static char path[4][4096];
	static int k;

	k = (k + 1) % 4;
	snprintf(path[k], sizeof(path[k]), "%s/tests/fixtures/import/%s", getenv("CCTERM_TOP_SRCDIR"), name);
	return path[k];
}

static void sql(const char *q)
{
	ck_assert_msg(db_exec(db, q, 0, NULL) == 0, "%s: %s", q, db_error(db));
}

static long count(const char *q)
{
	char *v = testdb_value(db, q);
	long n = v ? atol(v) : -1;

	free(v);
	return n;
}

/* The one value of q, "" for NULL; the caller frees. */
static char *value(const char *q)
{
	char *v = testdb_value(db, q);

	return v ? v : strdup("");
}

static char *slurp(const char *path)
{
	FILE *fp = fopen(path, "r");
	char *buf = calloc(1, 1 << 20);

	if (fp) {
		buf[fread(buf, 1, (1 << 20) - 1, fp)] = '\0';
		fclose(fp);
	}
	return buf;
}

/* The rejects file says this (and is whole UTF-8: no character cut). */
static void rejects_say(const struct import_result *r, const char *const *expected, size_t n)
{
	char *rej = slurp(r->rejects_path);

	ck_assert_msg(utf8_valid(rej, strlen(rej)), "rejects are not valid UTF-8: %s", rej);
	for (size_t i = 0; i < n; i++)
		ck_assert_msg(strstr(rej, expected[i]) != NULL, "rejects lack \"%s\":\n%s", expected[i], rej);
	free(rej);
}

#define REJECTS_SAY(r, ...) do { \
	static const char *const e_[] = { __VA_ARGS__ }; \
	rejects_say((r), e_, sizeof(e_) / sizeof(e_[0])); } while (0)

static void setup(void)
{
	struct import_result r;

	db = testdb_create(dbname);
	sql("insert into settings (key, value) values ('timezone', 'Asia/Seoul') "
	    "on conflict (key) do update set value = excluded.value");
	sql("insert into branch (code, name) values ('GANGNAM', '강남점'), ('BUSAN', '부산점')");
	ck_assert_msg(admin_import_customers(db, fixture("customers.csv"), &r) == 0, "%s", db_error(db));
	ck_assert_int_eq(r.loaded, 5);
}

static void teardown(void)
{
	unlink(fixture("inbox.mbox.rejects"));
	unlink(fixture("hostile.mbox.rejects"));
	unlink(fixture("Maildir.rejects"));
	unlink(fixture("orders.csv.rejects"));
	unlink(fixture("web.jsonl.rejects"));
	unlink(fixture("surveys.csv.rejects"));
	testdb_drop(db, dbname);
}

static long long cust(const char *ext)
{
	char q[200];

	snprintf(q, sizeof(q), "select id from customer where external_id = '%s'", ext);
	return count(q);
}

/* What interaction column col holds for the e-mail with this Message-ID. */
static char *mail_field(const char *col, const char *msgid)
{
	char q[512];

	snprintf(q, sizeof(q), "select %s from interaction i where i.message_id = '%s'", col, msgid);
	return value(q);
}

#define FIELD_HAS(col, msgid, text) do { \
	char *v_ = mail_field((col), (msgid)); \
	ck_assert_msg(strstr(v_, (text)) != NULL, "%s of %s is \"%s\", not with \"%s\"", (col), (msgid), v_, (text)); \
	free(v_); } while (0)
#define FIELD_LACKS(col, msgid, text) do { \
	char *v_ = mail_field((col), (msgid)); \
	ck_assert_msg(strstr(v_, (text)) == NULL, "%s of %s is \"%s\", with \"%s\"", (col), (msgid), v_, (text)); \
	free(v_); } while (0)

#define MSG_A "<20261120091200.A1@mail.example.com>"
#define MSG_B "<ccterm.20261120100300.b2@ccterm.example>"
#define MSG_C "<20261120104000.C3@mail.example.com>"

START_TEST(mbox_loads_korean_mail_in_threads)
{
	struct import_result r;
	char q[512];

	ck_assert_msg(admin_import_mail(db, fixture("inbox.mbox"), &r) == 0, "%s", db_error(db));
	ck_assert_int_eq(r.loaded, 8);
	ck_assert_int_eq(r.rejected, 1);
	/* line 94 is the stranger's From line */
	REJECTS_SAY(&r, "inbox.mbox:", ": sender stranger@spam.example is not the e-mail address of a customer");

	/* UTF-8, RFC 2047 subject, quoted-printable body; the time in its own zone */
	FIELD_HAS("subject", MSG_A, "배송 지연 문의 (주문 POS-20261120-0001)");
	FIELD_HAS("body", MSG_A, "11월 20일에 주문한 키보드가 아직 도착하지 않았습니다.\n언제 받을 수 있을까요?");
	FIELD_HAS("direction || ' ' || kind || ' ' || channel", MSG_A, "in inquiry email");
	ck_assert_int_eq(count("select count(*) from interaction where message_id = '" MSG_A "' "
			       "and occurred_at = '2026-11-20 09:12+09'"), 1);
	/* the center's reply (From mail_from's address): outbound, the customer is its To */
	FIELD_HAS("direction || ' ' || kind", MSG_B, "out reply");
	FIELD_HAS("body", MSG_B, "내일 도착 예정입니다");
	snprintf(q, sizeof(q), "select count(*) from interaction where customer_id = %lld and channel = 'email'",
		 cust("C1001"));
	ck_assert_int_eq(count(q), 3);
	/* ">From " in a body is mboxrd's quoting of "From " */
	FIELD_HAS("body", MSG_C, "\nFrom the day I ordered it I waited");
	FIELD_LACKS("body", MSG_C, ">From");
	/* the thread of three is one thread, named by its first message */
	ck_assert_int_eq(count("select count(distinct thread_id) from email_message where message_id in ('" MSG_A "', '"
			       MSG_B "', '" MSG_C "')"), 1);
	ck_assert_int_eq(count("select count(*) from email_message e join interaction i on i.message_id = '" MSG_A "' "
			       "where e.message_id = '" MSG_C "' and e.thread_id = i.id and e.in_reply_to = '" MSG_B "' "
			       "and e.refs = array['" MSG_A "', '" MSG_B "']"), 1);
	/* EUC-KR: a raw 8-bit Subject and an 8-bit body */
	FIELD_HAS("subject", "<euckr.20261121@mail.example.com>", "환불 요청드립니다");
	FIELD_HAS("body", "<euckr.20261121@mail.example.com>", "지난주에 산 마우스 패드가 불량입니다. 환불 부탁드립니다.\n최유리");
	/* ISO-2022-KR */
	FIELD_HAS("subject", "<iso2022kr.20261121@mail.example.com>", "주소 변경");
	FIELD_HAS("body", "<iso2022kr.20261121@mail.example.com>", "배송지 주소를 부산으로 바꿔 주세요.\n정하늘");
	/* multipart/alternative: the text/plain part (base64), not the HTML */
	FIELD_HAS("body", "<alt.20261122@mail.example.com>", "지난 주문의 포인트가 적립되지 않았어요.\n확인 부탁드립니다.");
	FIELD_LACKS("body", "<alt.20261122@mail.example.com>", "HTML");
	/* HTML only: its text, no markup, style, script or comment */
	FIELD_HAS("body", "<html.20261122@mail.example.com>", "안녕하세요,\n강남점에 KD-1016 재고가 있나요?");
	FIELD_HAS("body", "<html.20261122@mail.example.com>", "가격 & 할인 여부도 알려 주세요 한글 <급함>");
	FIELD_LACKS("body", "<html.20261122@mail.example.com>", "alert");
	FIELD_LACKS("body", "<html.20261122@mail.example.com>", "color");
	FIELD_LACKS("body", "<html.20261122@mail.example.com>", "<p>");
	FIELD_LACKS("body", "<html.20261122@mail.example.com>", "tracking");
	/* no Message-ID: one made of its bytes, so a second import finds it */
	ck_assert_int_eq(count("select count(*) from interaction where message_id like '<%@ccterm.invalid>' "
			       "and subject = 'Message-ID 없음'"), 1);

	/* the customer's timeline, through the console's function: newest first */
	snprintf(q, sizeof(q), "select string_agg(direction || ':' || subject, ' | ' order by occurred_at desc) "
		 "from timeline(%lld, 'email', null, null, null, 50)", cust("C1001"));
	{
		char *t = value(q);

		ck_assert_str_eq(t, "in:RE: RE: 배송 지연 문의 (주문 POS-20261120-0001) | "
				 "out:RE: 배송 지연 문의 (주문 POS-20261120-0001) | in:배송 지연 문의 (주문 POS-20261120-0001)");
		free(t);
	}

	/* again: everything is already on the record, nothing doubles */
	ck_assert_msg(admin_import_mail(db, fixture("inbox.mbox"), &r) == 0, "%s", db_error(db));
	ck_assert_int_eq(r.loaded, 0);
	ck_assert_int_eq(r.rejected, 9);
	REJECTS_SAY(&r, "already on the record (Message-ID " MSG_A ")");
	ck_assert_int_eq(count("select count(*) from interaction where channel = 'email'"), 8);
}
END_TEST

START_TEST(maildir_reply_joins_the_thread_and_its_case)
{
	struct import_result r;
	char q[512];

	ck_assert_msg(admin_import_mail(db, fixture("inbox.mbox"), &r) == 0, "%s", db_error(db));
	/* the first message became a case */
	snprintf(q, sizeof(q), "with c as (insert into cases (customer_id, kind, subject) values (%lld, 'complaint', "
		 "'배송 지연') returning id) update interaction set case_id = (select id from c) "
		 "where message_id = '" MSG_A "'", cust("C1001"));
	sql(q);
	ck_assert_msg(admin_import_mail(db, fixture("Maildir/"), &r) == 0, "%s", db_error(db));
	ck_assert_int_eq(r.loaded, 2);
	ck_assert_int_eq(r.rejected, 0);
	/* References only (no In-Reply-To), to messages of the earlier import */
	ck_assert_int_eq(count("select count(*) from email_message j join email_message a on a.message_id = '" MSG_A "' "
			       "join interaction ij on ij.id = j.interaction_id join interaction ia on ia.id = a.interaction_id "
			       "where j.message_id = '<20261125090000.J4@mail.example.com>' and j.thread_id = a.thread_id "
			       "and ij.case_id = ia.case_id and j.source like '%/import/Maildir/new/1795splitJ.M1P100.mx1'"), 1);
	ck_assert_str_eq(r.rejects_path + strlen(r.rejects_path) - strlen("/import/Maildir.rejects"), "/import/Maildir.rejects");
	/* the other starts its own thread, without a case */
	ck_assert_int_eq(count("select count(*) from email_message e join interaction i on i.id = e.interaction_id "
			       "where e.message_id = '<maildir.k5@mail.example.com>' and e.thread_id = i.id "
			       "and i.case_id is null and i.subject = '영업시간 문의'"), 1);
}
END_TEST

START_TEST(hostile_mail_is_rejected_whole_and_the_rest_loads)
{
	struct import_result r;
	char *path, *big;
	size_t n = 1024 * 1024;
	FILE *fp;

	ck_assert_msg(admin_import_mail(db, fixture("hostile.mbox"), &r) == 0, "%s", db_error(db));
	ck_assert_int_eq(r.loaded, 1);
	ck_assert_int_eq(r.rejected, 3);
	REJECTS_SAY(&r, "hostile.mbox:11: not an e-mail message", "hostile.mbox:25: a NUL byte in the body",
		    ": the file ends inside this message (truncated)");
	ck_assert_int_eq(count("select count(*) from interaction where subject = '정상 메일'"), 1);
	ck_assert_int_eq(count("select count(*) from interaction where subject in ('nul', 'cut')"), 0);

	/* not a mailbox at all: refused, nothing written */
	ck_assert_int_eq(admin_import_mail(db, fixture("garbage.bin"), &r), -1);
	ck_assert_msg(strstr(db_error(db), "not an mbox") != NULL, "%s", db_error(db));
	ck_assert_int_eq(access(r.rejects_path, F_OK), -1);

	/* a 1 MB header line: loaded when it is any header, rejected (not cut) when it is the Subject */
	path = strdup("/tmp/ccterm-bigheader-XXXXXX");
	ck_assert_int_ge(mkstemp(path), 0);
	fp = fopen(path, "w");
	big = malloc(n + 1);
	memset(big, 'x', n);
	big[n] = '\0';
	fprintf(fp, "From jia.kim@example.com Tue Nov 24 00:00:00 2026\nFrom: jia.kim@example.com\n"
		"Subject: long header\nX-Junk: %s\nDate: Tue, 24 Nov 2026 12:00:00 +0900\n"
		"Message-ID: <big1@mail.example.com>\n\nbody one\n\n", big);
	fprintf(fp, "From jia.kim@example.com Tue Nov 24 00:00:00 2026\nFrom: jia.kim@example.com\n"
		"Subject: %s\nDate: Tue, 24 Nov 2026 12:01:00 +0900\nMessage-ID: <big2@mail.example.com>\n\nbody two\n", big);
	fclose(fp);
	free(big);
	ck_assert_msg(admin_import_mail(db, path, &r) == 0, "%s", db_error(db));
	ck_assert_int_eq(r.loaded, 1);
	ck_assert_int_eq(r.rejected, 1);
	REJECTS_SAY(&r, ":10: the Subject is 1048576 bytes, more than 65536");
	ck_assert_int_eq(count("select count(*) from interaction where message_id = '<big1@mail.example.com>' "
			       "and subject = 'long header' and body = 'body one'"), 1);
	unlink(r.rejects_path);
	unlink(path);
	free(path);
}
END_TEST

/* Found by fuzz_mail: a text part with nothing in it (memcpy from NULL). */
START_TEST(an_empty_body_is_no_body)
{
	static const char msg[] = "From: jia.kim@example.com\nDate: Tue, 24 Nov 2026 12:00:00 +0900\n"
				  "Subject: empty\nContent-Type: text/plain; charset=utf-8\n\n";
	struct mail_message m;
	char why[256];

	ck_assert_msg(mail_message_parse(msg, sizeof(msg) - 1, &m, why, sizeof(why)) == 0, "%s", why);
	ck_assert_ptr_null(m.body);
	ck_assert_str_eq(m.subject, "empty");
	mail_message_free(&m);
}
END_TEST

START_TEST(orders_load_whole_with_their_lines)
{
	struct import_result r;
	char q[512], *t;

	ck_assert_msg(admin_import_orders(db, fixture("orders.csv"), &r) == 0, "%s", db_error(db));
	REJECTS_SAY(&r, "orders.csv:7: customer 'C9999' not found",
		    "orders.csv:8: order POS-20261120-0005: another of its lines is rejected (",
		    "orders.csv:9: qty '0' is not a whole number from 1",
		    "orders.csv:10: order POS-20261120-0006: its lines do not agree",
		    "orders.csv:11: order POS-20261120-0006: its lines do not agree",
		    "orders.csv:12: unknown branch 'NOWHERE'",
		    "orders.csv:13: text after a closing quote",
		    "orders.csv:14: status 'refunded' is not one of");
	ck_assert_int_eq(r.loaded, 6);
	ck_assert_int_eq(r.rejected, 8);
	ck_assert_int_eq(count("select count(*) from orders"), 4);
	/* the given total; the time in the center's zone */
	ck_assert_int_eq(count("select count(*) from orders o join order_line l on l.order_id = o.id "
			       "where o.order_no = 'POS-20261120-0001' and o.total_won = 45000 and o.status = 'paid' "
			       "and o.branch_code = 'GANGNAM' and o.channel = 'store' "
			       "and o.ordered_at = '2026-11-20 10:15+09'"), 2);
	ck_assert_int_eq(count("select count(*) from order_line l join orders o on o.id = l.order_id "
			       "where o.order_no = 'POS-20261120-0001' and l.line_no = 2 and l.name = '마우스 패드, 대형' "
			       "and l.qty = 2 and l.price_won = 3000"), 1);
	/* by phone; no total: the sum of the lines; no status: paid; line numbers in file order */
	snprintf(q, sizeof(q), "select count(*) from orders where order_no = 'POS-20261120-0002' and customer_id = %lld "
		 "and total_won = 16500 and status = 'paid' and ordered_at = '2026-11-20 11:02+09'", cust("C1002"));
	ck_assert_int_eq(count(q), 1);
	t = value("select string_agg(line_no || ':' || sku, ',' order by line_no) "
		  "from order_line l join orders o on o.id = l.order_id where o.order_no = 'POS-20261120-0002'");
	ck_assert_str_eq(t, "1:SAV-LIFE,2:X-1");
	free(t);
	snprintf(q, sizeof(q), "select count(*) from orders where order_no = 'POS-20261120-0003' and customer_id = %lld "
		 "and total_won = 39000", cust("C1003"));
	ck_assert_int_eq(count(q), 1);
	ck_assert_int_eq(count("select count(*) from orders where order_no = 'POS-20261120-0010' and total_won = -1500 "
			       "and status = 'returned'"), 1);
	/* nothing of a rejected order */
	ck_assert_int_eq(count("select count(*) from orders where order_no in ('POS-20261120-0004', 'POS-20261120-0005', "
			       "'POS-20261120-0006', 'POS-20261120-0007', 'POS-20261120-0008', 'POS-20261120-0009')"), 0);
	/* on the timeline */
	snprintf(q, sizeof(q), "select string_agg(kind || ':' || subject || ':' || amount_won, ' | ') "
		 "from timeline(%lld, null, 'order', null, null, 50)", cust("C1001"));
	t = value(q);
	ck_assert_str_eq(t, "order:Order POS-20261120-0001: 키보드 (무선) +1 more:45000");
	free(t);
	snprintf(q, sizeof(q), "select string_agg(kind || ':' || subject, ' | ') from timeline(%lld, null, 'return', "
		 "null, null, 50)", cust("C1005"));
	t = value(q);
	ck_assert_str_eq(t, "return:Order POS-20261120-0010: 물티슈 반품");
	free(t);

	/* again: every order is already on the record */
	ck_assert_msg(admin_import_orders(db, fixture("orders.csv"), &r) == 0, "%s", db_error(db));
	ck_assert_int_eq(r.loaded, 0);
	REJECTS_SAY(&r, "orders.csv:2: order POS-20261120-0001 is already on the record");
	ck_assert_int_eq(count("select count(*) from orders"), 4);
}
END_TEST

START_TEST(web_events_kept_and_contacts_on_the_timeline)
{
	struct import_result r;
	char q[512], *t;

	ck_assert_msg(admin_import_web(db, fixture("web.jsonl"), &r) == 0, "%s", db_error(db));
	ck_assert_int_eq(r.loaded, 7);
	ck_assert_int_eq(r.rejected, 12);
	REJECTS_SAY(&r, "web.jsonl:7: visitor v-unknown is not known",
		    "web.jsonl:8: customer 'C9999' not found",
		    "web.jsonl:9: \"at\" is an int, not a string",
		    "web.jsonl:10: \"type\" is an array, not a string",
		    "web.jsonl:11: \"data\" is a string, not an object",
		    "web.jsonl:12: not a JSON object but an array",
		    "web.jsonl:13: not JSON",
		    "web.jsonl:14: \"title\" holds a NUL character",
		    "web.jsonl:15: type \"teleport\" is not a web event type",
		    "web.jsonl:16: event_id w-0002 repeats",
		    "web.jsonl:17: customer '1001' not found",
		    "web.jsonl:19: a NUL byte in the line");
	/* the login tied the browser to the customer: its anonymous events are theirs */
	snprintf(q, sizeof(q), "select count(*) from contact_point cp join customer_contact cc on cc.contact_point_id = cp.id "
		 "where cp.kind = 'web' and cp.value = 'v-7f3a' and cc.customer_id = %lld", cust("C1001"));
	ck_assert_int_eq(count(q), 1);
	snprintf(q, sizeof(q), "select string_agg(type, ',' order by occurred_at) from web_event where customer_id = %lld",
		 cust("C1001"));
	t = value(q);
	ck_assert_str_eq(t, "page_view,login,cart_add,checkout,logout");
	free(t);
	ck_assert_int_eq(count("select count(*) from web_event where type = 'cart_add' and data = "
			       "'{\"sku\": \"KD-1016\", \"qty\": 1, \"price\": 39000}'::jsonb "
			       "and occurred_at = '2026-11-20 10:01+09'"), 1);
	/* contacts on the timeline; page views and the logout not */
	snprintf(q, sizeof(q), "select string_agg(subject, ' | ' order by occurred_at) from timeline(%lld, 'web', null, "
		 "null, null, 50)", cust("C1001"));
	t = value(q);
	ck_assert_str_eq(t, "Signed in on the web site | Added to the cart: 무선 키보드 KD-1016 | Checkout on the web site");
	free(t);
	snprintf(q, sizeof(q), "select t.kind || '|' || t.subject || '|' || i.body from timeline(%lld, 'web', null, null, null, 5) t "
		 "join interaction i using (id)", cust("C1002"));
	t = value(q);
	ck_assert_str_eq(t, "inquiry|Web form: 1:1 문의|subject: 배송 문의\nmessage: 주문한 물건이 아직 안 왔어요");
	free(t);
	snprintf(q, sizeof(q), "select count(*) from web_event where customer_id = %lld and type = 'page_view' "
		 "and interaction_id is null", cust("C1003"));
	ck_assert_int_eq(count(q), 1);
	ck_assert_int_eq(count("select count(*) from web_event"), 7);

	/* again: nothing doubles */
	ck_assert_msg(admin_import_web(db, fixture("web.jsonl"), &r) == 0, "%s", db_error(db));
	ck_assert_int_eq(r.loaded, 0);
	REJECTS_SAY(&r, "web.jsonl:1: already on the record (event_id w-0001)");
	ck_assert_int_eq(count("select count(*) from web_event"), 7);
}
END_TEST

START_TEST(survey_scores_feed_the_satisfaction_index)
{
	struct import_result r;
	char *t;

	ck_assert_msg(admin_import_surveys(db, fixture("surveys.csv"), &r) == 0, "%s", db_error(db));
	ck_assert_int_eq(r.loaded, 4);
	ck_assert_int_eq(r.rejected, 6);
	REJECTS_SAY(&r, "surveys.csv:5: score '4/5' is not a whole number from 1 to 5",
		    "surveys.csv:6: customer 'C9999' not found",
		    "surveys.csv:7: score '6' is not a whole number from 1 to 5",
		    "surveys.csv:8: survey_id SV-0001 repeats",
		    "surveys.csv:9: unterminated quoted field",
		    "surveys.csv:11: channel '아주아주아주아주아");
	/* the board's own function, at 18:00 that day in Seoul: GANGNAM's two
	 * answers, BUSAN's one today (from the customer's home branch) and one
	 * the week before */
	t = value("select string_agg(branch_code || ' ' || coalesce(today_avg::text, '-') || ' ' || today_n || ' ' || "
		  "coalesce(week_avg::text, '-') || ' ' || week_n, ' | ') from branch_satisfaction('2026-11-20 18:00+09')");
	ck_assert_str_eq(t, "BUSAN 2.00 1 4.00 1 | GANGNAM 4.50 2 - 0");
	free(t);
	t = value("select subject || '|' || coalesce(body, '') from interaction where kind = 'survey' "
		  "and occurred_at = '2026-11-20 10:30+09'");
	ck_assert_str_eq(t, "매장 만족도 2/5|대기 시간이 너무 길었어요, 개선 부탁드립니다");
	free(t);
	/* again: nothing counts twice */
	ck_assert_msg(admin_import_surveys(db, fixture("surveys.csv"), &r) == 0, "%s", db_error(db));
	ck_assert_int_eq(r.loaded, 0);
	ck_assert_int_eq(count("select count(*) from interaction where kind = 'survey'"), 4);
}
END_TEST

/* A merge takes the imported e-mails' threading and the web events along, an unmerge brings them back. */
START_TEST(merge_moves_imported_channels)
{
	struct import_result r;
	char q[512];
	long long keep = cust("C1003"), drop = cust("C1001");

	ck_assert_msg(admin_import_mail(db, fixture("inbox.mbox"), &r) == 0, "%s", db_error(db));
	ck_assert_msg(admin_import_web(db, fixture("web.jsonl"), &r) == 0, "%s", db_error(db));
	snprintf(q, sizeof(q), "select customer_merge(%lld, %lld)", keep, drop);
	sql(q);
	snprintf(q, sizeof(q), "select (select count(*) from email_message where customer_id = %lld) * 10 + "
		 "(select count(*) from web_event where customer_id = %lld)", drop, drop);
	ck_assert_int_eq(count(q), 0);
	snprintf(q, sizeof(q), "select count(*) from email_message e join interaction i on i.id = e.interaction_id "
		 "where e.customer_id = i.customer_id and i.customer_id = %lld", keep);
	ck_assert_int_eq(count(q), 4);       /* the thread of three and the alternative one */
	snprintf(q, sizeof(q), "select customer_unmerge(%lld)", drop);
	sql(q);
	snprintf(q, sizeof(q), "select (select count(*) from email_message where customer_id = %lld) * 10 + "
		 "(select count(*) from web_event where customer_id = %lld)", drop, drop);
	ck_assert_int_eq(count(q), 35);
}
END_TEST

START_TEST(a_wrong_file_is_refused_whole)
{
	struct import_result r;

	/* a survey file given as orders: the header says so, nothing is written */
	ck_assert_int_eq(admin_import_orders(db, fixture("surveys.csv"), &r), -1);
	ck_assert_msg(strstr(db_error(db), "wrong header") != NULL, "%s", db_error(db));
	ck_assert_int_eq(access(r.rejects_path, F_OK), -1);
	ck_assert_int_eq(admin_import_web(db, "/nonexistent/web.jsonl", &r), -1);
	ck_assert_int_eq(count("select count(*) from orders"), 0);
	ck_assert_int_eq(count("select count(*) from audit_log where action = 'import' and detail like 'import orders%'"), 0);
}
END_TEST

START_TEST(new_tables_have_row_security_and_no_agent_rights)
{
	ck_assert_int_eq(count("select count(*) from pg_class where relname in ('email_message', 'web_event') "
			       "and relrowsecurity"), 2);
	ck_assert_int_eq(count("select count(*) from (values ('ccterm_agent'), ('ccterm_branch'), ('ccterm_supervisor'), "
			       "('ccterm_cti')) r(role), (values ('email_message'), ('web_event')) t(tab) "
			       "where has_table_privilege(r.role, t.tab, 'select') or has_table_privilege(r.role, t.tab, 'insert')"), 0);
}
END_TEST

START_TEST(the_command_says_what_it_loaded)
{
	char cmd[8400], out[8192];

	snprintf(cmd, sizeof(cmd), "ccterm-admin import web '%s'", fixture("web.jsonl"));
	ck_assert_int_eq(testdb_run(dbname, cmd, out, sizeof(out)), 0);
	ck_assert_msg(strstr(out, "7 loaded, 12 rejected") != NULL, "%s", out);
	ck_assert_msg(strstr(out, "4 contacts (forms, logins") != NULL, "%s", out);
	snprintf(cmd, sizeof(cmd), "ccterm-admin import mail '%s'", fixture("inbox.mbox"));
	ck_assert_int_eq(testdb_run(dbname, cmd, out, sizeof(out)), 0);
	ck_assert_msg(strstr(out, "8 loaded, 1 rejected") != NULL, "%s", out);
	ck_assert_int_eq(testdb_run(dbname, "ccterm-admin import faxes x.csv", out, sizeof(out)), 2);
}
END_TEST

static Suite *import_channels_suite(void)
{
	Suite *s = suite_create("import_channels");
	TCase *tc = tcase_create("import_channels");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, mbox_loads_korean_mail_in_threads);
	tcase_add_test(tc, maildir_reply_joins_the_thread_and_its_case);
	tcase_add_test(tc, hostile_mail_is_rejected_whole_and_the_rest_loads);
	tcase_add_test(tc, an_empty_body_is_no_body);
	tcase_add_test(tc, orders_load_whole_with_their_lines);
	tcase_add_test(tc, web_events_kept_and_contacts_on_the_timeline);
	tcase_add_test(tc, survey_scores_feed_the_satisfaction_index);
	tcase_add_test(tc, merge_moves_imported_channels);
	tcase_add_test(tc, a_wrong_file_is_refused_whole);
	tcase_add_test(tc, new_tables_have_row_security_and_no_agent_rights);
	tcase_add_test(tc, the_command_says_what_it_loaded);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(import_channels_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
