/* check_mail.c - e-mail replies end to end: a template rendered for a case,
 * queued by an agent, built as MIME by `ccterm-admin mail-send`, handed to
 * msmtp (through the sendmail interface, its own config) which relays it to
 * an SMTP sink (python3-aiosmtpd) on 127.0.0.1; what arrived is decoded by
 * Python's email package and compared. Also: the MTA's error recorded and
 * retried with backoff, a crash between handing over and recording never
 * resent, two senders never sending one message twice, --follow on NOTIFY. */
#include "config.h"

#include <arpa/inet.h>
#include <check.h>
#include <stdbool.h>
#include <dirent.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "testdb.h"

static struct db *db;
static char dbname[64];
static char dir[64];        /* the test's temporary directory */
static char sinkdir[128];   /* what the sink received */
static int port;
static pid_t sink_pid;

static const char subject_tpl[] = "[{case_no}] {customer_name}님, 배송 지연에 대해 사과드립니다";
static const char body_tpl[] =
	"{customer_name}님 안녕하세요.\n\n주문 {order_no} 건의 배송이 늦어져 죄송합니다.\n"
	"보상으로 5,000원 적립금을 드렸습니다.\n\n{company_name} 고객센터 {agent_name} 드림\n";

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

/* The same, waiting up to ms for it: the sender records "sent" just after
 * the sink has the message. */
static void value_becomes(struct db *d, const char *sql, const char *want, int ms)
{
	for (int waited = 0; waited < ms; waited += 50) {
		char *v = testdb_value(d, sql);
		int same = v && strcmp(v, want) == 0;

		free(v);
		if (same)
			return;
		usleep(50 * 1000);
	}
	value_is(d, sql, want);
}

static int free_port(void)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t len = sizeof(a);
	int s = socket(AF_INET, SOCK_STREAM, 0), p;

	ck_assert_int_ge(s, 0);
	ck_assert_int_eq(bind(s, (struct sockaddr *)&a, sizeof(a)), 0);
	ck_assert_int_eq(getsockname(s, (struct sockaddr *)&a, &len), 0);
	p = ntohs(a.sin_port);
	close(s);
	return p;
}

static void write_file(const char *path, const char *text, mode_t mode)
{
	FILE *f = fopen(path, "w");

	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	fclose(f);
	chmod(path, mode);
}

/* The sink, refusing recipients as told (reject=ADDR, defer=ADDR:N; NULL: none). */
static void sink_start_args(const char *a, const char *b)
{
	char script[512], ready[160], sport[16];

	snprintf(script, sizeof(script), "%s/tests/integration/smtp_sink.py",
		 getenv("CCTERM_TOP_SRCDIR") ? getenv("CCTERM_TOP_SRCDIR") : ".");
	snprintf(ready, sizeof(ready), "%s/ready", sinkdir);
	snprintf(sport, sizeof(sport), "%d", port);
	unlink(ready);
	sink_pid = fork();
	ck_assert_int_ge(sink_pid, 0);
	if (sink_pid == 0) {
		prctl(PR_SET_PDEATHSIG, SIGTERM);   /* dies with the test */
		execl("/usr/bin/python3", "python3", script, sport, sinkdir, a, b, (char *)NULL);
		_exit(127);
	}
	for (int i = 0; i < 200 && access(ready, F_OK) != 0; i++)
		usleep(50 * 1000);
	ck_assert_msg(access(ready, F_OK) == 0, "the SMTP sink did not start (python3-aiosmtpd installed?)");
}

static void sink_start(void)
{
	sink_start_args(NULL, NULL);
}

static void sink_stop(void)
{
	if (sink_pid > 0) {
		kill(sink_pid, SIGTERM);
		waitpid(sink_pid, NULL, 0);
		sink_pid = 0;
	}
}

/* How many messages arrived. */
static int sink_count(void)
{
	DIR *d = opendir(sinkdir);
	struct dirent *e;
	int n = 0;

	ck_assert_ptr_nonnull(d);
	while ((e = readdir(d)))
		n += strstr(e->d_name, ".txt") != NULL;
	closedir(d);
	return n;
}

/* How many times the sink answered code to RCPT TO:<addr>. */
static int rcpt_count(int code, const char *addr)
{
	char path[192], line[256], want[256];
	FILE *f;
	int n = 0;

	snprintf(path, sizeof(path), "%s/rcpt.log", sinkdir);
	snprintf(want, sizeof(want), "%d %s\n", code, addr);
	if (!(f = fopen(path, "r")))
		return 0;
	while (fgets(line, sizeof(line), f))
		n += strcmp(line, want) == 0;
	fclose(f);
	return n;
}

/* Message n as the sink decoded it, malloc'd. */
static char *sink_read(int n)
{
	char path[192], *buf = calloc(1, 65536);
	FILE *f;
	size_t len;

	snprintf(path, sizeof(path), "%s/%d.txt", sinkdir, n);
	f = fopen(path, "r");
	ck_assert_msg(f != NULL, "no message %d", n);
	len = fread(buf, 1, 65535, f);
	buf[len] = '\0';
	fclose(f);
	return buf;
}

/* The value of "name: " in a decoded message (up to the line's end), malloc'd. */
static char *field(const char *msg, const char *name)
{
	char key[64];
	const char *p;
	size_t n;

	snprintf(key, sizeof(key), "%s: ", name);
	p = strstr(msg, key);
	ck_assert_msg(p != NULL, "no %s in %s", name, msg);
	p += strlen(key);
	n = strcspn(p, "\n");
	return strndup(p, n);
}

static void field_is(const char *msg, const char *name, const char *want)
{
	char *v = field(msg, name);

	ck_assert_msg(strcmp(v, want) == 0, "%s: got '%s', want '%s'", name, v, want);
	free(v);
}

static void setup(void)
{
	char path[128], text[512];

	db = testdb_create(dbname);
	testdb_agent(db, "ml_kim", "김민지", "agent");
	snprintf(dir, sizeof(dir), "/tmp/ccterm-mail-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(sinkdir, sizeof(sinkdir), "%s/sink", dir);
	mkdir(sinkdir, 0700);
	port = free_port();
	snprintf(path, sizeof(path), "%s/msmtprc", dir);
	snprintf(text, sizeof(text), "account default\nhost 127.0.0.1\nport %d\nfrom support@ccterm.example\n"
		 "auth off\ntls off\ntimeout 5\n", port);
	write_file(path, text, 0600);
	snprintf(path, sizeof(path), "%s/sendmail", dir);
	snprintf(text, sizeof(text), "#!/bin/sh\nexec /usr/bin/msmtp -C %s/msmtprc \"$@\"\n", dir);
	write_file(path, text, 0700);
	snprintf(text, sizeof(text), "update settings set value = '%s/sendmail' where key = 'mail_sendmail_path'", dir);
	exec_ok(db, text);
	ck_assert_msg(db_exec_script(db,
		"insert into customer (name, external_id) values ('홍길동', 'ML1'), ('무메일', 'ML2');"
		"insert into contact_point (kind, value) values ('email', 'hong@example.com');"
		"insert into customer_contact select c.id, p.id from customer c, contact_point p where c.external_id = 'ML1';"
		"insert into orders (order_no, customer_id, ordered_at, channel, total_won) "
		"  select 'O-1001', id, now() - interval '5 days', 'web', 39000 from customer where external_id = 'ML1';"
		"insert into cases (customer_id, kind, subject, owner_login) "
		"  select id, 'complaint', '배송 지연', 'ml_kim' from customer where external_id = 'ML1';"
		"insert into interaction (customer_id, occurred_at, channel, direction, kind, subject, body, case_id, order_id, message_id) "
		"  select c.id, now() - interval '1 day', 'email', 'in', 'complaint', '배송이 안 와요', '언제 오나요?', k.id, o.id, "
		"         '<orig-1@customer.example>' "
		"  from customer c join cases k on k.customer_id = c.id join orders o on o.customer_id = c.id where c.external_id = 'ML1';")
		== 0, "%s", db_error(db));
	{
		const char *p[2] = { subject_tpl, body_tpl };

		ck_assert_msg(db_exec(db, "insert into mail_template (code, name, case_kind, subject, body) "
					  "values ('late_delivery', '배송 지연 사과', 'complaint', $1, $2)", 2, p) == 0,
			      "%s", db_error(db));
	}
}

static void teardown(void)
{
	char cmd[160];

	sink_stop();
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	ck_assert_int_eq(system(cmd), 0);
	testdb_drop(db, dbname);
}

/* Queues the rendered template for the case as ml_kim; returns the outbox id. */
static long queue_reply(const char *key)
{
	struct db *kim = testdb_connect(dbname, "ml_kim");
	char *case_id = testdb_value(db, "select id from cases where subject = '배송 지연'");
	const char *p[2] = { key, case_id };
	PGresult *res = db_query(kim, "select mail_queue($1::uuid, $2::bigint, null, r.to_addr, r.subject, r.body) "
				      "from mail_render('late_delivery', $2::bigint) r", 2, p);
	long id;

	free(case_id);
	ck_assert_msg(res != NULL, "%s", db_error(kim));
	id = atol(PQgetvalue(res, 0, 0));
	PQclear(res);
	db_close(kim);
	return id;
}

/* Queues the rendered template for the case as ml_kim to another address; the outbox id. */
static long queue_to(const char *key, const char *to)
{
	struct db *kim = testdb_connect(dbname, "ml_kim");
	char *case_id = testdb_value(db, "select id from cases where subject = '배송 지연'");
	const char *p[3] = { key, case_id, to };
	PGresult *res = db_query(kim, "select mail_queue($1::uuid, $2::bigint, null, $3, r.subject, r.body) "
				      "from mail_render('late_delivery', $2::bigint) r", 3, p);
	long id;

	free(case_id);
	ck_assert_msg(res != NULL, "%s", db_error(kim));
	id = atol(PQgetvalue(res, 0, 0));
	PQclear(res);
	db_close(kim);
	return id;
}

static int mail_send(char *out, size_t outsz)
{
	return testdb_run(dbname, "ccterm-admin mail-send", out, outsz);
}

START_TEST(a_template_is_rendered_for_the_case)
{
	struct db *kim = testdb_connect(dbname, "ml_kim");
	char want[512], sql[256];
	char *case_id = testdb_value(db, "select id from cases");

	snprintf(want, sizeof(want), "hong@example.com|[C-%s] 홍길동님, 배송 지연에 대해 사과드립니다|<orig-1@customer.example>",
		 case_id);
	snprintf(sql, sizeof(sql), "select r.to_addr || '|' || r.subject || '|' || r.in_reply_to "
		 "from mail_render('late_delivery', %s) r", case_id);
	value_is(kim, sql, want);
	snprintf(sql, sizeof(sql), "select r.body from mail_render('late_delivery', %s) r", case_id);
	value_is(kim, sql,
		 "홍길동님 안녕하세요.\n\n주문 O-1001 건의 배송이 늦어져 죄송합니다.\n"
		 "보상으로 5,000원 적립금을 드렸습니다.\n\nccterm demo 고객센터 김민지 드림\n");
	/* a customer without an e-mail address cannot be written to */
	exec_ok(db, "insert into cases (customer_id, subject, owner_login) select id, '무메일', 'ml_kim' from customer "
		    "where external_id = 'ML2'");
	free(case_id);
	case_id = testdb_value(db, "select id from cases where subject = '무메일'");
	snprintf(sql, sizeof(sql), "select mail_queue(gen_random_uuid(), %s, null, null, 's', 'b')", case_id);
	ck_assert_int_eq(db_exec(kim, sql, 0, NULL), -1);
	ck_assert_msg(strstr(db_error(kim), "no e-mail address") != NULL, "%s", db_error(kim));
	/* agents read no outbox rows directly */
	ck_assert_int_eq(db_exec(kim, "select * from mail_outbox", 0, NULL), -1);
	free(case_id);
	db_close(kim);
}
END_TEST

START_TEST(a_reply_arrives_decoded_intact_once)
{
	char out[2048], sql[256], *msg, *mid;
	long id;

	sink_start();
	id = queue_reply("6f1c1e1a-0000-4000-8000-000000000001");
	/* the console saving the same draft again queues nothing more */
	ck_assert_int_eq(queue_reply("6f1c1e1a-0000-4000-8000-000000000001"), id);
	value_is(db, "select count(*)::text from mail_outbox", "1");

	ck_assert_msg(mail_send(out, sizeof(out)) == 0, "%s", out);
	ck_assert_msg(strstr(out, "1 sent, 0 to retry, 0 failed") != NULL, "%s", out);
	ck_assert_int_eq(sink_count(), 1);
	msg = sink_read(1);
	{
		char *case_id = testdb_value(db, "select id from cases"), want[256];

		snprintf(want, sizeof(want), "[C-%s] 홍길동님, 배송 지연에 대해 사과드립니다", case_id);
		field_is(msg, "subject", want);
		free(case_id);
	}
	field_is(msg, "to", "hong@example.com");
	field_is(msg, "envelope-to", "hong@example.com");
	field_is(msg, "from", "ccterm demo <support@ccterm.example>");
	field_is(msg, "in-reply-to", "<orig-1@customer.example>");
	field_is(msg, "references", "<orig-1@customer.example>");
	field_is(msg, "mime-version", "1.0");
	{
		char *ct = field(msg, "content-type");

		ck_assert_msg(strncmp(ct, "text/plain;", 11) == 0 && strcasestr(ct, "charset=\"utf-8\""), "%s", ct);
		free(ct);
	}
	/* the Korean subject travelled RFC 2047-encoded, the body 7-bit safe:
	 * not one byte of the message as received is outside ASCII */
	{
		char path[192], raw[65536];
		FILE *f;
		size_t n;
		char *cte = field(msg, "content-transfer-encoding");

		snprintf(path, sizeof(path), "%s/1.eml", sinkdir);
		f = fopen(path, "rb");
		ck_assert_ptr_nonnull(f);
		n = fread(raw, 1, sizeof(raw) - 1, f);
		fclose(f);
		raw[n] = '\0';
		for (size_t i = 0; i < n; i++)
			ck_assert_msg((unsigned char)raw[i] < 0x80, "byte %zu of the message is not ASCII", i);
		ck_assert_msg(strcasestr(raw, "\nSubject: [C-") && strcasestr(raw, "=?utf-8?b?"), "%s", raw);
		ck_assert_msg(strcmp(cte, "base64") == 0 || strcmp(cte, "quoted-printable") == 0, "%s", cte);
		free(cte);
	}
	ck_assert_msg(strstr(msg, "body:\n홍길동님 안녕하세요.\n\n주문 O-1001 건의 배송이 늦어져 죄송합니다.\n"
				  "보상으로 5,000원 적립금을 드렸습니다.\n\nccterm demo 고객센터 김민지 드림\n") != NULL, "%s", msg);
	mid = field(msg, "message-id");
	snprintf(sql, sizeof(sql), "select message_id from mail_outbox where id = %ld", id);
	value_is(db, sql, mid);
	/* sent once, and on the customer's timeline as an outbound e-mail with its Message-ID */
	value_is(db, "select status || '/' || attempts || '/' || (sent_at is not null) from mail_outbox", "sent/1/true");
	snprintf(sql, sizeof(sql), "select channel || '/' || direction || '/' || kind || '/' || agent_login || '/' || "
		 "(case_id is not null) from interaction where message_id = '%s'", mid);
	value_is(db, sql, "email/out/reply/ml_kim/true");
	value_is(db, "select string_agg(event, ',' order by id) from case_event where event like 'mail%'",
		 "mail_queued,mail_sent");
	/* another run sends nothing again */
	ck_assert_msg(mail_send(out, sizeof(out)) == 0, "%s", out);
	ck_assert_msg(strstr(out, "0 sent, 0 to retry, 0 failed") != NULL, "%s", out);
	ck_assert_int_eq(sink_count(), 1);
	free(mid);
	free(msg);
}
END_TEST

START_TEST(the_mta_error_is_recorded_and_retried_with_backoff)
{
	char out[2048];

	/* no SMTP server listens: msmtp says so and exits non-zero */
	queue_reply("6f1c1e1a-0000-4000-8000-000000000002");
	ck_assert_msg(mail_send(out, sizeof(out)) == 0, "%s", out);
	ck_assert_msg(strstr(out, "0 sent, 1 to retry, 0 failed") != NULL, "%s", out);
	value_is(db, "select status || '/' || attempts from mail_outbox", "queued/1");
	{
		char *err = testdb_value(db, "select last_error from mail_outbox");

		ck_assert_msg(err && strstr(err, "sendmail exited") && strstr(err, "msmtp"), "%s", err ? err : "NULL");
		free(err);
	}
	/* the first retry after mail_retry_seconds = 60 */
	value_is(db, "select (next_attempt_at - now() between interval '50 s' and interval '61 s')::text from mail_outbox", "true");
	ck_assert_msg(mail_send(out, sizeof(out)) == 0 && strstr(out, "0 sent, 0 to retry"), "%s", out);
	/* when it is due and the server is back: sent, on the second attempt */
	sink_start();
	exec_ok(db, "update mail_outbox set next_attempt_at = now()");
	ck_assert_msg(mail_send(out, sizeof(out)) == 0 && strstr(out, "1 sent, 0 to retry, 0 failed"), "%s", out);
	value_is(db, "select status || '/' || attempts || '/' || coalesce(last_error, '-') from mail_outbox", "sent/2/-");
	ck_assert_int_eq(sink_count(), 1);

	/* after mail_max_attempts the message has failed and the case says so */
	sink_stop();
	exec_ok(db, "update settings set value = '2' where key = 'mail_max_attempts'");
	queue_reply("6f1c1e1a-0000-4000-8000-000000000003");
	ck_assert_msg(mail_send(out, sizeof(out)) == 0 && strstr(out, "0 sent, 1 to retry, 0 failed"), "%s", out);
	/* the second wait is twice the first: 120 s */
	exec_ok(db, "update mail_outbox set next_attempt_at = now() where status = 'queued'");
	ck_assert_msg(mail_send(out, sizeof(out)) == 0 && strstr(out, "0 sent, 0 to retry, 1 failed"), "%s", out);
	value_is(db, "select status || '/' || attempts from mail_outbox order by id desc limit 1", "failed/2");
	value_is(db, "select count(*)::text from case_event where event = 'mail_failed'", "1");
}
END_TEST

START_TEST(a_crash_between_handing_over_and_recording_is_never_resent)
{
	char out[2048];
	FILE *a, *b;
	char cmd[512], line[256];
	int sent = 0;

	sink_start();
	/* a sender died after claiming the message: it may or may not have reached the MTA */
	queue_reply("6f1c1e1a-0000-4000-8000-000000000004");
	exec_ok(db, "update mail_outbox set status = 'sending', attempts = 1, claimed_at = now() - interval '1 hour'");
	ck_assert_msg(mail_send(out, sizeof(out)) == 0, "%s", out);
	ck_assert_msg(strstr(out, "interrupted") && strstr(out, "0 sent"), "%s", out);
	value_is(db, "select status || '/' || (last_error like 'interrupted%')::text from mail_outbox", "failed/true");
	ck_assert_int_eq(sink_count(), 0);
	/* a person decides to resend it: the same Message-ID */
	exec_ok(db, "select mail_requeue(id) from mail_outbox");
	ck_assert_msg(mail_send(out, sizeof(out)) == 0 && strstr(out, "1 sent"), "%s", out);
	ck_assert_int_eq(sink_count(), 1);

	/* two senders at once: every message exactly once */
	exec_ok(db, "insert into mail_outbox (customer_id, to_addr, subject, body, message_id) "
		    "select c.id, 'hong@example.com', '동시 ' || g, '본문 ' || g, '<par-' || g || '@ccterm.example>' "
		    "from customer c, generate_series(1, 6) g where c.external_id = 'ML1'");
	snprintf(cmd, sizeof(cmd), "PGDATABASE=%s %s/ccterm-admin mail-send --quiet 2>&1", dbname, testdb_builddir());
	a = popen(cmd, "r");
	b = popen(cmd, "r");
	ck_assert(a && b);
	while (fgets(line, sizeof(line), a))
		sent += atoi(line);
	while (fgets(line, sizeof(line), b))
		sent += atoi(line);
	ck_assert_int_eq(pclose(a), 0);
	ck_assert_int_eq(pclose(b), 0);
	ck_assert_int_eq(sent, 6);
	ck_assert_int_eq(sink_count(), 7);
	value_is(db, "select count(*)::text from mail_outbox where status = 'sent' and attempts = 1 "
		     "and message_id like '<par-%'", "6");
	value_is(db, "select count(distinct message_id)::text from interaction where message_id like '<par-%'", "6");
}
END_TEST

/* A line break in a subject cannot add a header (msmtp -t would send to a Bcc). */
START_TEST(a_subject_cannot_add_a_recipient)
{
	struct db *kim = testdb_connect(dbname, "ml_kim");
	char *case_id = testdb_value(db, "select id from cases where subject = '배송 지연'"), out[2048], *msg;
	const char *p[2] = { case_id, "답변\r\nBcc: evil@example.com" };

	sink_start();
	ck_assert_msg(db_exec(kim, "select mail_queue(gen_random_uuid(), $1::bigint, null, null, $2, '본문')", 2, p) == 0,
		      "%s", db_error(kim));
	/* even a row written around mail_queue */
	exec_ok(db, "insert into mail_outbox (customer_id, to_addr, subject, body, message_id) "
		    "select id, 'hong@example.com', E'둘째\nBcc: evil2@example.com', '본문', '<inj-2@ccterm.example>' "
		    "from customer where external_id = 'ML1'");
	ck_assert_msg(mail_send(out, sizeof(out)) == 0 && strstr(out, "2 sent"), "%s", out);
	ck_assert_int_eq(sink_count(), 2);
	for (int i = 1; i <= 2; i++) {
		msg = sink_read(i);
		field_is(msg, "envelope-to", "hong@example.com");
		ck_assert_msg(strstr(msg, "evil") == NULL || strstr(msg, "subject: ") < strstr(msg, "evil"), "%s", msg);
		ck_assert_msg(strstr(msg, "\nbcc") == NULL, "%s", msg);
		free(msg);
	}
	free(case_id);
	db_close(kim);
}
END_TEST

/* The sink refuses bad@ for good (550) and slow@ for now (451, twice):
 * through the real msmtp, the one fails at once and says why, never tried
 * again; the other is retried with backoff and arrives once, on the third
 * attempt. (msmtp itself exits 65 for the 550 and 69 for the 451: the SMTP
 * reply is what tells them apart.) */
START_TEST(permanent_refusals_fail_at_once_temporary_ones_are_retried)
{
	struct db *kim = testdb_connect(dbname, "ml_kim");
	char out[4096], sql[512], *v, *case_id = testdb_value(db, "select id from cases where subject = '배송 지연'");
	long good, bad, slow, late;
	bool told = false;

	exec_ok(kim, "listen agent_ml_kim");
	sink_start_args("reject=bad@example.com", "defer=slow@example.com:2");
	good = queue_to("6f1c1e1a-0000-4000-8000-000000000011", "hong@example.com");
	bad = queue_to("6f1c1e1a-0000-4000-8000-000000000012", "bad@example.com");
	slow = queue_to("6f1c1e1a-0000-4000-8000-000000000013", "slow@example.com");
	ck_assert_msg(mail_send(out, sizeof(out)) == 0, "%s", out);
	ck_assert_msg(strstr(out, "1 sent, 1 to retry, 1 failed"), "%s", out);
	snprintf(sql, sizeof(sql), "message %ld to bad@example.com not delivered: 550 5.1.1 <bad@example.com>: "
		 "Recipient address rejected: User unknown", bad);
	ck_assert_msg(strstr(out, sql) && strstr(out, "(permanent, not retried)"), "%s", out);
	snprintf(sql, sizeof(sql), "select status || '/' || attempts || '/' || failure from mail_outbox where id = %ld", bad);
	value_is(db, sql, "failed/1/permanent");
	snprintf(sql, sizeof(sql), "select last_error from mail_outbox where id = %ld", bad);
	v = testdb_value(db, sql);
	ck_assert_msg(v && strncmp(v, "550 5.1.1 <bad@example.com>: Recipient address rejected", 55) == 0 &&
		      strstr(v, "exited 65 (EX_DATAERR"), "%s", v ? v : "NULL");
	free(v);
	snprintf(sql, sizeof(sql), "select status || '/' || attempts || '/' || failure || '/' || "
		 "(last_error like '451 4.3.0 <slow@example.com>: Temporary lookup failure%%')::text || '/' || "
		 "(next_attempt_at - now() between interval '50 s' and interval '61 s')::text "
		 "from mail_outbox where id = %ld", slow);
	value_is(db, sql, "queued/1/temporary/true/true");
	snprintf(sql, sizeof(sql), "select status || '/' || attempts || '/' || coalesce(failure, '-') from mail_outbox "
		 "where id = %ld", good);
	value_is(db, sql, "sent/1/-");
	/* the case says it, and its author is told at once */
	value_is(db, "select count(*)::text || '/' || min(new_value) || '/' || (min(note) like '550 5.1.1%')::text "
		     "from case_event where event = 'mail_failed'", "1/bad@example.com/true");
	for (int i = 0; i < 30 && !told; i++) {
		PGnotify *n;
		char want[64];

		snprintf(want, sizeof(want), "case %s mail_failed", case_id);
		PQconsumeInput(db_pg(kim));
		while ((n = PQnotifies(db_pg(kim)))) {
			told |= strcmp(n->extra, want) == 0;
			PQfreemem(n);
		}
		if (!told)
			usleep(100 * 1000);
	}
	ck_assert_msg(told, "no 'case %s mail_failed' on agent_ml_kim", case_id);
	/* the agent reads why through the case's replies */
	snprintf(sql, sizeof(sql), "select string_agg(status || ':' || coalesce(failure, '-'), ',' order by id) "
		 "from mail_for_case(%s)", case_id);
	value_is(kim, sql, "sent:-,failed:permanent,queued:temporary");

	/* nothing is due: the permanent one is never offered to the server again */
	ck_assert_msg(mail_send(out, sizeof(out)) == 0 && strstr(out, "0 sent, 0 to retry, 0 failed"), "%s", out);
	exec_ok(db, "update mail_outbox set next_attempt_at = now() where status = 'queued'");
	ck_assert_msg(mail_send(out, sizeof(out)) == 0 && strstr(out, "0 sent, 1 to retry, 0 failed"), "%s", out);
	/* the second wait is twice the first */
	snprintf(sql, sizeof(sql), "select status || '/' || attempts || '/' || "
		 "(next_attempt_at - now() between interval '110 s' and interval '121 s')::text from mail_outbox where id = %ld",
		 slow);
	value_is(db, sql, "queued/2/true");
	exec_ok(db, "update mail_outbox set next_attempt_at = now() where status = 'queued'");
	ck_assert_msg(mail_send(out, sizeof(out)) == 0 && strstr(out, "1 sent, 0 to retry, 0 failed"), "%s", out);
	snprintf(sql, sizeof(sql), "select status || '/' || attempts || '/' || coalesce(failure, '-') || '/' || "
		 "coalesce(last_error, '-') from mail_outbox where id = %ld", slow);
	value_is(db, sql, "sent/3/-/-");
	ck_assert_msg(mail_send(out, sizeof(out)) == 0 && strstr(out, "0 sent, 0 to retry, 0 failed"), "%s", out);
	/* at the server: bad@ refused once and never again, slow@ twice and then
	 * taken once; two messages arrived, each once */
	ck_assert_int_eq(rcpt_count(550, "bad@example.com"), 1);
	ck_assert_int_eq(rcpt_count(451, "slow@example.com"), 2);
	ck_assert_int_eq(rcpt_count(250, "slow@example.com"), 1);
	ck_assert_int_eq(rcpt_count(250, "hong@example.com"), 1);
	ck_assert_int_eq(sink_count(), 2);
	for (int i = 1; i <= 2; i++) {
		char *msg = sink_read(i), *mid = field(msg, "message-id");

		snprintf(sql, sizeof(sql), "select count(*)::text from mail_outbox where message_id = '%s' and status = 'sent'",
			 mid);
		value_is(db, sql, "1");
		free(mid);
		free(msg);
	}

	/* a temporary refusal that lasts: given up after mail_max_attempts, and said so */
	sink_stop();
	sink_start_args("defer=late@example.com:99", NULL);
	exec_ok(db, "update settings set value = '2' where key = 'mail_max_attempts'");
	late = queue_to("6f1c1e1a-0000-4000-8000-000000000014", "late@example.com");
	ck_assert_msg(mail_send(out, sizeof(out)) == 0 && strstr(out, "0 sent, 1 to retry, 0 failed"), "%s", out);
	exec_ok(db, "update mail_outbox set next_attempt_at = now() where status = 'queued'");
	ck_assert_msg(mail_send(out, sizeof(out)) == 0 && strstr(out, "0 sent, 0 to retry, 1 failed"), "%s", out);
	ck_assert_msg(strstr(out, "to late@example.com not delivered: 451 4.3.0") &&
		      strstr(out, "(temporary, no attempts left)"), "%s", out);
	snprintf(sql, sizeof(sql), "select status || '/' || attempts || '/' || failure || '/' || "
		 "(last_error like 'gave up after 2 attempts: 451 4.3.0%%')::text from mail_outbox where id = %ld", late);
	value_is(db, sql, "failed/2/temporary/true");
	ck_assert_int_eq(rcpt_count(451, "late@example.com"), 2);
	value_is(db, "select count(*)::text from case_event where event = 'mail_failed'", "2");
	free(case_id);
	db_close(kim);
}
END_TEST

/* The sendmail interface's exit status (sysexits.h) and its death by a
 * signal, through a stand-in sendmail told what to do by a file: a signal
 * before it read the whole message is temporary (it cannot have sent it),
 * after is "unknown" (it may have: never resent by itself). */
START_TEST(exit_statuses_and_signals_are_read_as_sysexits_says)
{
	static const struct { const char *mode, *row, *said; } cases[] = {
		{ "exit 67", "failed/1/permanent", "exited 67 (EX_NOUSER: addressee unknown)" },
		{ "exit 68", "failed/1/permanent", "exited 68 (EX_NOHOST" },
		{ "exit 69", "failed/1/permanent", "exited 69 (EX_UNAVAILABLE" },
		{ "exit 65", "failed/1/permanent", "exited 65 (EX_DATAERR" },
		{ "exit 77", "failed/1/permanent", "exited 77 (EX_NOPERM" },
		{ "exit 75", "queued/1/temporary", "exited 75 (EX_TEMPFAIL" },
		{ "exit 71", "queued/1/temporary", "exited 71 (EX_OSERR" },
		{ "exit 74", "queued/1/temporary", "exited 74 (EX_IOERR" },
		{ "early", "queued/1/temporary", "was killed after" },
		{ "late", "failed/1/unknown", "outcome unknown: it had the whole message" },
	};
	char path[160], text[512], out[4096], sql[256], key[64];

	snprintf(path, sizeof(path), "%s/fake-sendmail", dir);
	snprintf(text, sizeof(text),
		 "#!/bin/sh\n"
		 "mode=$(cat %s/mode)\n"
		 "case \"$mode\" in\n"
		 "early) kill -9 $$ ;;\n"
		 "late) cat >/dev/null; kill -9 $$ ;;\n"
		 "*) cat >/dev/null; echo \"fake-sendmail: $mode\" >&2; $mode ;;\n"
		 "esac\n", dir);
	write_file(path, text, 0700);
	snprintf(text, sizeof(text), "update settings set value = '%s' where key = 'mail_sendmail_path'", path);
	exec_ok(db, text);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		long id;
		char *row, *err;

		snprintf(path, sizeof(path), "%s/mode", dir);
		write_file(path, cases[i].mode, 0600);
		snprintf(key, sizeof(key), "6f1c1e1a-0000-4000-8000-0000000001%02zu", i);
		id = queue_to(key, "hong@example.com");
		ck_assert_msg(mail_send(out, sizeof(out)) == 0, "%s: %s", cases[i].mode, out);
		snprintf(sql, sizeof(sql), "select status || '/' || attempts || '/' || failure from mail_outbox where id = %ld",
			 id);
		row = testdb_value(db, sql);
		ck_assert_msg(row && strcmp(row, cases[i].row) == 0, "%s: %s, want %s", cases[i].mode, row ? row : "NULL",
			      cases[i].row);
		snprintf(sql, sizeof(sql), "select last_error from mail_outbox where id = %ld", id);
		err = testdb_value(db, sql);
		ck_assert_msg(err && strstr(err, cases[i].said), "%s: %s", cases[i].mode, err ? err : "NULL");
		free(row);
		free(err);
		exec_ok(db, "update mail_outbox set status = 'failed' where status = 'queued'");   /* out of the way */
	}
}
END_TEST

START_TEST(follow_sends_on_notify)
{
	char cmd[256];
	pid_t pid;
	int i;

	sink_start();
	snprintf(cmd, sizeof(cmd), "%s/ccterm-admin", testdb_builddir());
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		prctl(PR_SET_PDEATHSIG, SIGTERM);   /* dies with the test */
		setenv("PGDATABASE", dbname, 1);
		execl(cmd, cmd, "mail-send", "--follow", "--quiet", (char *)NULL);
		_exit(127);
	}
	usleep(300 * 1000);
	queue_reply("6f1c1e1a-0000-4000-8000-000000000005");
	for (i = 0; i < 100 && sink_count() == 0; i++)
		usleep(100 * 1000);
	ck_assert_msg(sink_count() == 1, "--follow did not send within 10 s");
	printf("mail-send --follow: queued to received in about %d ms\n", i * 100);
	value_becomes(db, "select status from mail_outbox", "sent", 5000);
	kill(pid, SIGTERM);
	waitpid(pid, NULL, 0);
}
END_TEST

/* --- the sender through a database restart --------------------------------- */

/* scripts/pg on a cluster of this test's own, so restarting it disturbs no other test. */
static int pg(const char *what)
{
	char cmd[1024];
	const char *top = getenv("CCTERM_TOP_SRCDIR");

	snprintf(cmd, sizeof(cmd), "CCTERM_PGDATA='%s/.pgdata-restart-mail' '%s/scripts/pg' %s >/dev/null",
		 testdb_builddir(), top ? top : ".", what);
	return system(cmd);
}

static bool arrives(int n, int timeout_ms)
{
	for (int i = 0; i < timeout_ms / 100 && sink_count() < n; i++)
		usleep(100 * 1000);
	return sink_count() >= n;
}

START_TEST(follow_reconnects_after_a_restart)
{
	char env[1024], cmd[256], log[] = "/tmp/ccterm-mailsend-XXXXXX", text[4096] = "";
	const char *top = getenv("CCTERM_TOP_SRCDIR");
	char *host;
	int fd;
	pid_t pid;
	FILE *p;

	ck_assert_int_eq(pg("start"), 0);
	snprintf(env, sizeof(env), "CCTERM_PGDATA='%s/.pgdata-restart-mail' '%s/scripts/pg' conninfo",
		 testdb_builddir(), top ? top : ".");
	p = popen(env, "r");
	ck_assert_ptr_nonnull(p);
	ck_assert_ptr_nonnull(fgets(env, sizeof(env), p));
	pclose(p);
	host = strstr(env, "host=") + 5;
	host[strcspn(host, " ")] = '\0';
	setenv("PGHOST", host, 1);
	setup();
	sink_start();
	fd = mkstemp(log);
	ck_assert_int_ge(fd, 0);
	snprintf(cmd, sizeof(cmd), "%s/ccterm-admin", testdb_builddir());
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		prctl(PR_SET_PDEATHSIG, SIGTERM);   /* dies with the test */
		setenv("PGDATABASE", dbname, 1);
		dup2(fd, 1);
		dup2(fd, 2);
		execl(cmd, cmd, "mail-send", "--follow", (char *)NULL);
		_exit(127);
	}
	usleep(300 * 1000);
	queue_reply("6f1c1e1a-0000-4000-8000-000000000006");
	ck_assert_msg(arrives(1, 10000), "the first reply did not arrive");
	/* its "sent" follows the sink's copy: a restart in between leaves it
	 * "sending" for good (at most once), which is not what this tests */
	value_becomes(db, "select string_agg(status, ',' order by id) from mail_outbox", "sent", 10000);
	db_close(db);
	ck_assert_int_eq(pg("restart"), 0);
	db = testdb_connect(dbname, NULL);
	queue_reply("6f1c1e1a-0000-4000-8000-000000000007");
	ck_assert_msg(arrives(2, 40000), "the reply queued after the restart did not arrive");
	/* the sender records "sent" just after the sink has the message: wait for it before stopping it */
	value_becomes(db, "select string_agg(status, ',' order by id) from mail_outbox", "sent,sent", 5000);
	kill(pid, SIGTERM);
	waitpid(pid, NULL, 0);
	lseek(fd, 0, SEEK_SET);
	{
		ssize_t n = read(fd, text, sizeof(text) - 1);

		text[n > 0 ? n : 0] = '\0';
	}
	close(fd);
	unlink(log);
	ck_assert_msg(strstr(text, "connection lost") && strstr(text, "reconnected"), "%s", text);
	teardown();
	db = NULL;
	ck_assert_int_eq(pg("stop"), 0);
}
END_TEST

static Suite *mail_suite(void)
{
	Suite *s = suite_create("mail");
	TCase *tc = tcase_create("mail");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 90);
	tcase_add_test(tc, a_template_is_rendered_for_the_case);
	tcase_add_test(tc, a_reply_arrives_decoded_intact_once);
	tcase_add_test(tc, the_mta_error_is_recorded_and_retried_with_backoff);
	tcase_add_test(tc, a_crash_between_handing_over_and_recording_is_never_resent);
	tcase_add_test(tc, a_subject_cannot_add_a_recipient);
	tcase_add_test(tc, permanent_refusals_fail_at_once_temporary_ones_are_retried);
	tcase_add_test(tc, exit_statuses_and_signals_are_read_as_sysexits_says);
	tcase_add_test(tc, follow_sends_on_notify);
	suite_add_tcase(s, tc);
	tc = tcase_create("restart");
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, follow_reconnects_after_a_restart);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(mail_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	pg("stop");   /* the restart test's own cluster, even when that test failed half-way */
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
