/* check_progress.c - a long import as a user sees it: on a terminal (a pty)
 * one progress line rewritten in place, then the summary; on a pipe the
 * summary alone; --quiet and --progress force either; and Ctrl-C half way
 * rolls everything back, says so and exits 130, with not one row of the file
 * in the database. The channel importers (mail, orders, web, surveys) the
 * same: their line in their unit, the right counts, Ctrl-C. */
#define _GNU_SOURCE
#include "config.h"

#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "ccterm/admin.h"
#include "testdb.h"

static struct db *db;
static char dbname[64];
static char *big;        /* BIG_ROWS interactions of ten customers, made once by main() */

#define BIG_ROWS 120000

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

static char *csv_file(int rows)
{
	char path[] = "/tmp/ccterm-progress-XXXXXX";
	int fd = mkstemp(path);
	FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;

	if (!f)
		return NULL;
	fputs("occurred_at,channel,direction,kind,customer,subject,body,amount\n", f);
	for (int i = 0; i < rows; i++)
		fprintf(f, "2026/11/%02d 10:%02d,Call,Inbound,문의,P%d,bigfile %d,,\"₩1,000\"\n", 1 + i % 28, i % 60,
			i % 10, i);
	if (fclose(f) != 0)
		return NULL;
	return strdup(path);
}

static void setup(void)
{
	db = testdb_create(dbname);
	sql("insert into branch (code, name) values ('SEL', '서울') on conflict do nothing");
	sql("insert into customer (external_id, name, tier, branch_code) "
	    "select 'P' || i, '고객' || i, 'registered', 'SEL' from generate_series(0, 9) i");
}

static void teardown(void)
{
	testdb_drop(db, dbname);
}


/* ccterm-admin on a pty (80 columns): what it wrote, raw. */
struct run {
	pid_t pid;
	int fd;
	char out[1 << 20];
	size_t len;
};

static void run_start(struct run *r, const char *const *args)
{
	struct winsize ws = { .ws_row = 24, .ws_col = 80 };
	char exe[1024], env_db[128];

	snprintf(exe, sizeof(exe), "%s/ccterm-admin", testdb_builddir());
	snprintf(env_db, sizeof(env_db), "PGDATABASE=%s", dbname);
	r->len = 0;
	r->pid = forkpty(&r->fd, NULL, NULL, &ws);
	ck_assert_int_ge(r->pid, 0);
	if (r->pid == 0) {
		char *argv[16];
		int n = 0;

		argv[n++] = exe;
		for (const char *const *a = args; *a && n < 15; a++)
			argv[n++] = (char *)*a;
		argv[n] = NULL;
		putenv(env_db);
		execv(exe, argv);
		_exit(127);
	}
}

/* Reads what came within timeout_ms; true when `text` has appeared. */
static bool run_read_until(struct run *r, const char *text, int timeout_ms)
{
	struct timespec t0, t;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (;;) {
		struct pollfd p = { .fd = r->fd, .events = POLLIN };
		long left;

		r->out[r->len] = '\0';
		if (text && strstr(r->out, text))
			return true;
		clock_gettime(CLOCK_MONOTONIC, &t);
		left = timeout_ms - ((t.tv_sec - t0.tv_sec) * 1000 + (t.tv_nsec - t0.tv_nsec) / 1000000);
		if (left <= 0)
			return false;
		if (poll(&p, 1, (int)left) > 0) {
			ssize_t n = read(r->fd, r->out + r->len, sizeof(r->out) - 1 - r->len);

			if (n <= 0)
				return text == NULL;   /* the other end closed: it exited */
			r->len += (size_t)n;
		}
	}
}

static int run_finish(struct run *r)
{
	int status;

	run_read_until(r, NULL, 120000);
	ck_assert_int_eq(waitpid(r->pid, &status, 0), r->pid);
	close(r->fd);
	r->out[r->len] = '\0';
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

static int occurrences(const char *s, const char *what)
{
	int n = 0;

	for (const char *p = s; (p = strstr(p, what)); p += strlen(what))
		n++;
	return n;
}

/* Every line drawn in place fits in 79 columns: between two \r no more than
 * 79 characters (each one column wide here) and no newline but the summary's. */
static void assert_lines_fit(const char *out)
{
	const char *p = out;

	while ((p = strchr(p, '\r'))) {
		const char *end = p + 1 + strcspn(p + 1, "\r\n\033");
		long cols = 0;

		/* characters, not bytes: the cut phase ends in a one-column "…" */
		for (const char *q = p + 1; q < end; q++)
			cols += ((unsigned char)*q & 0xC0) != 0x80;

		ck_assert_msg(cols <= 79, "a progress line of %ld columns: %.*s", cols, (int)cols, p + 1);
		p++;
	}
}

START_TEST(progress_on_a_terminal_is_one_line_rewritten)
{
	static struct run r;
	const char *args[] = { "import", "interactions", big, NULL };
	int rc;

	run_start(&r, args);
	rc = run_finish(&r);
	ck_assert_msg(rc == 0, "exit %d: %s", rc, r.out);
	ck_assert_msg(strstr(r.out, "120000 loaded, 0 rejected") != NULL, "%s", r.out);
	/* drawn more than once, in place: \r and clear-to-end each time */
	ck_assert_msg(occurrences(r.out, "\rimport interactions: ") >= 3, "%s", r.out);
	ck_assert_int_ge(occurrences(r.out, "\033[K"), occurrences(r.out, "\rimport interactions: "));
	/* with the counts of the total, a rate and the phases */
	ck_assert_msg(strstr(r.out, "/120,000 rows") != NULL, "%s", r.out);
	ck_assert_msg(strstr(r.out, "/s ") != NULL, "no rate: %s", r.out);
	ck_assert_msg(strstr(r.out, "- inserting") != NULL, "%s", r.out);
	/* one line: the only line ends are the summary's (the pty makes \n \r\n) */
	ck_assert_int_eq(occurrences(r.out, "\n"), 1);
	/* the summary comes after the line was cleared */
	ck_assert_ptr_nonnull(strstr(r.out, "\r\033[K120000 loaded"));
	assert_lines_fit(r.out);
	ck_assert_int_eq(count("select count(*) from interaction where subject like 'bigfile %'"), BIG_ROWS);
}
END_TEST

START_TEST(quiet_on_a_terminal_shows_only_the_summary)
{
	static struct run r;
	char *small = csv_file(500);
	const char *args[] = { "import", "interactions", small, "--quiet", NULL };
	int rc;

	ck_assert_ptr_nonnull(small);
	run_start(&r, args);
	rc = run_finish(&r);
	ck_assert_msg(rc == 0, "exit %d: %s", rc, r.out);
	ck_assert_msg(strncmp(r.out, "500 loaded, 0 rejected", 22) == 0, "%s", r.out);
	ck_assert_ptr_null(strchr(r.out, '\033'));
	ck_assert_int_eq(occurrences(r.out, "\n"), 1);
	unlink(small);
	free(small);
}
END_TEST

START_TEST(pipe_gets_the_summary_alone_unless_asked)
{
	char *small = csv_file(500), cmd[512], out[8192];
	int rc;

	ck_assert_ptr_nonnull(small);
	snprintf(cmd, sizeof(cmd), "ccterm-admin import interactions %s", small);
	rc = testdb_run(dbname, cmd, out, sizeof(out));
	ck_assert_msg(rc == 0, "%s", out);
	ck_assert_msg(strncmp(out, "500 loaded, 0 rejected", 22) == 0, "%s", out);
	ck_assert_ptr_null(strchr(out, '\r'));
	ck_assert_ptr_null(strchr(out, '\033'));
	ck_assert_int_eq(occurrences(out, "\n"), 1);
	/* --progress: the line on a pipe too */
	snprintf(cmd, sizeof(cmd), "ccterm-admin import interactions %s --progress", small);
	rc = testdb_run(dbname, cmd, out, sizeof(out));
	ck_assert_msg(rc == 0, "%s", out);
	ck_assert_msg(strstr(out, "\rimport interactions: ") != NULL, "%s", out);
	ck_assert_msg(strstr(out, "\r\033[K500 loaded, 0 rejected") != NULL, "%s", out);
	ck_assert_int_eq(count("select count(*) from interaction where subject like 'bigfile %'"), 1000);
	unlink(small);
	free(small);
}
END_TEST

/* This database's backends still inserting interactions. */
static long long busy_inserts(void)
{
	return count("select count(*) from pg_stat_activity where query like 'insert into interaction%' "
		     "and datname = current_database() and pid <> pg_backend_pid()");
}

/* Ctrl-C once the phase named is on the line: exit 130, the message, and
 * not one row of the file (nor a FILE.rejects) left. */
static void interrupt_at(const char *phase)
{
	static struct run r;
	const char *args[] = { "import", "interactions", big, NULL };
	char rejects[256];
	int rc;

	run_start(&r, args);
	ck_assert_msg(run_read_until(&r, phase, 120000), "never saw %s: %s", phase, r.out);
	/* the terminal's Ctrl-C: SIGINT to the foreground process */
	ck_assert_int_eq(kill(r.pid, SIGINT), 0);
	rc = run_finish(&r);
	ck_assert_msg(rc == 130, "exit %d after Ctrl-C at %s: %s", rc, phase, r.out);
	ck_assert_msg(strstr(r.out, "interrupted: rolled back, nothing was loaded") != NULL, "%s", r.out);
	ck_assert_ptr_null(strstr(r.out, "loaded, 0 rejected"));
	ck_assert_int_eq(count("select count(*) from interaction where subject like 'bigfile %'"), 0);
	ck_assert_int_eq(count("select count(*) from audit_log where action = 'import'"), 0);
	snprintf(rejects, sizeof(rejects), "%s.rejects", big);
	ck_assert_int_ne(access(rejects, F_OK), 0);
	/* the server is not left working on it: the connection goes (its backend
	 * may take a moment to exit after the client has; other tests' imports
	 * run in other databases of the cluster) */
	for (int i = 0; i < 100 && busy_inserts() > 0; i++)
		usleep(100 * 1000);
	ck_assert_int_eq(busy_inserts(), 0);
}

START_TEST(ctrl_c_while_reading_rolls_back)
{
	interrupt_at("- reading");
}
END_TEST

START_TEST(ctrl_c_while_inserting_rolls_back)
{
	interrupt_at("- inserting");
}
END_TEST

/* demo-data counts what the server has written (its notices), and Ctrl-C
 * while the server is busy inside it leaves the database as it was: no
 * customer, no scratch schema. */
START_TEST(demo_data_progress_from_the_server_and_ctrl_c)
{
	static struct run r;
	const char *args[] = { "demo-data", "--customers", "1000", "--interactions", "300000", NULL };
	int rc;

	sql("delete from customer");
	run_start(&r, args);
	/* the customers are written: the server is on to the cases and orders */
	ck_assert_msg(run_read_until(&r, "1,000/301,000 rows", 120000), "%s", r.out);
	ck_assert_msg(run_read_until(&r, "- cases and orders", 60000), "%s", r.out);
	ck_assert_int_eq(kill(r.pid, SIGINT), 0);
	rc = run_finish(&r);
	ck_assert_msg(rc == 130, "exit %d: %s", rc, r.out);
	ck_assert_msg(strstr(r.out, "interrupted: rolled back, nothing was loaded") != NULL, "%s", r.out);
	ck_assert_int_eq(count("select count(*) from customer"), 0);
	ck_assert_int_eq(count("select count(*) from interaction"), 0);
	ck_assert_int_eq(count("select count(*) from pg_namespace where nspname = 'ccterm_demo'"), 0);
}
END_TEST

/* --- the channel importers (mail, orders, web, surveys) ---------------- */

/* The ten customers' e-mail addresses, for the mail import's senders. */
static void customers_with_email(void)
{
	sql("insert into contact_point (kind, value) select 'email', 'p' || i || '@example.com' "
	    "from generate_series(0, 9) i on conflict do nothing");
	sql("insert into customer_contact (customer_id, contact_point_id, label, is_primary) "
	    "select c.id, cp.id, 'email', true from customer c join contact_point cp "
	    "on cp.kind = 'email' and cp.value = lower(c.external_id) || '@example.com' on conflict do nothing");
}

/* A file of `records` records of the kind, every one of the ten customers
 * but the last record's, whose customer NOPE is on no record (a reject). */
static char *channel_file(const char *kind, int records, const char *tag)
{
	char path[] = "/tmp/ccterm-progress-channel-XXXXXX";
	int fd = mkstemp(path);
	FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;

	if (!f)
		return NULL;
	if (strcmp(kind, "orders") == 0)
		fputs("order_no,ordered_at,customer,branch,channel,status,total,line_no,sku,name,qty,price\n", f);
	else if (strcmp(kind, "surveys") == 0)
		fputs("answered_at,customer,branch,channel,score,survey_id,question,comment\n", f);
	for (int i = 0; i < records; i++) {
		char who[16];
		bool last = i == records - 1;

		snprintf(who, sizeof(who), last ? "NOPE" : "P%d", i % 10);
		if (strcmp(kind, "orders") == 0)
			fprintf(f, "%s-%d,2026-11-%02d 10:%02d,%s,SEL,POS,paid,,1,KD-%d,키보드,1,\"₩1,000\"\n", tag, i,
				1 + i % 28, i % 60, who, i % 97);
		else if (strcmp(kind, "surveys") == 0)
			fprintf(f, "2026-11-%02d 10:%02d,%s,SEL,phone,%d,%s-%d,상담 만족도,\n", 1 + i % 28, i % 60, who,
				1 + i % 5, tag, i);
		else if (strcmp(kind, "web") == 0)
			fprintf(f, "{\"event_id\":\"%s-%d\",\"type\":\"%s\",\"at\":\"2026-11-%02dT10:%02d:00+09:00\","
				"\"customer\":\"%s\",\"url\":\"https://shop.example/p/%d\"}\n", tag, i,
				i % 10 ? "page_view" : "cart_add", 1 + i % 28, i % 60, who, i % 500);
		else   /* mail: an mbox, the senders by address */
			fprintf(f, "From %s@example.com Mon Nov 23 10:00:00 2026\nFrom: %s@example.com\n"
				"To: support@ccterm.example\nSubject: %s %d\nDate: Mon, %d Nov 2026 10:%02d:00 +0900\n"
				"Message-ID: <%s-%d@progress.example>\nContent-Type: text/plain; charset=utf-8\n\n"
				"문의드립니다.\n\n", who, who, tag, i, 1 + i % 28, i % 60, tag, i);
	}
	if (fclose(f) != 0)
		return NULL;
	return strdup(path);
}

/* What each kind counts, its total as the line shows it (mail: not known),
 * and how its records are found on the record: count_sql, the file's tag,
 * count_end. */
static const struct channel {
	const char *kind, *unit;
	bool total_known;
	const char *count_sql, *count_end;
} channels[] = {
	{ "orders", "lines", true, "select count(*) from orders where order_no like '", "-%'" },
	{ "surveys", "answers", true, "select count(*) from interaction where kind = 'survey' and idempotency_key in "
				      "(select md5('survey:id:", "-' || i)::uuid from generate_series(0, 300) i)" },
	{ "web", "events", true, "select count(*) from web_event where event_key like 'id:", "-%'" },
	{ "mail", "messages", false, "select count(*) from email_message where message_id like '<", "-%'" },
};

static long count_tagged(const struct channel *c, const char *tag)
{
	char q[512];

	snprintf(q, sizeof(q), "%s%s%s", c->count_sql, tag, c->count_end);
	return count(q);
}

/* --progress on a pipe: the line counts the records read in the kind's
 * unit, of the file's total when it is known, names the steps, and the
 * summary and the audit row have the right counts (one reject). */
static void channel_import_reports(const struct channel *c)
{
	char *file, cmd[512], out[32768], want[128], q[512];
	int rc;

	file = channel_file(c->kind, 301, "PR");
	ck_assert_ptr_nonnull(file);
	snprintf(cmd, sizeof(cmd), "ccterm-admin import %s %s --progress", c->kind, file);
	rc = testdb_run(dbname, cmd, out, sizeof(out));
	ck_assert_msg(rc == 0, "%s: %s", cmd, out);
	snprintf(want, sizeof(want), "\rimport %s: ", c->kind);
	ck_assert_msg(strstr(out, want) != NULL, "%s: %s", c->kind, out);
	snprintf(want, sizeof(want), c->total_known ? "/301 %s" : " %s ", c->unit);
	ck_assert_msg(strstr(out, want) != NULL, "%s: no '%s': %s", c->kind, want, out);
	ck_assert_msg(strstr(out, "- reading") != NULL, "%s: %s", c->kind, out);
	ck_assert_msg(strstr(out, "- matching customers") != NULL, "%s: %s", c->kind, out);
	ck_assert_msg(strstr(out, "- loading") != NULL, "%s: %s", c->kind, out);
	/* the counts stay the records' (not the figures' trigger's steps) */
	ck_assert_msg(strstr(out, " steps ") == NULL, "%s: %s", c->kind, out);
	ck_assert_msg(strstr(out, "\r\033[K300 loaded, 1 rejected") != NULL, "%s: %s", c->kind, out);
	assert_lines_fit(out);
	ck_assert_int_eq(count_tagged(c, "PR"), 300);
	/* the job's row: what, which file, the counts */
	snprintf(q, sizeof(q), "select count(*) from audit_log where action = 'import' and detail = 'import %s %s: "
		 "300 loaded, 1 rejected'", c->kind, file);
	ck_assert_int_eq(count(q), 1);
	/* and without --progress on a pipe, the summary alone */
	snprintf(cmd, sizeof(cmd), "ccterm-admin import %s %s", c->kind, file);
	rc = testdb_run(dbname, cmd, out, sizeof(out));
	ck_assert_msg(rc == 0, "%s", out);
	ck_assert_ptr_null(strchr(out, '\r'));
	snprintf(want, sizeof(want), "\rimport %s: ", c->kind);
	ck_assert_ptr_null(strstr(out, want));
	snprintf(q, sizeof(q), "%s.rejects", file);
	unlink(q);
	unlink(file);
	free(file);
}

/* The four in one database (each test's database is a copy of the template
 * that a standby of the test cluster replays too). */
START_TEST(channel_imports_report_their_progress_and_counts)
{
	customers_with_email();
	for (size_t i = 0; i < sizeof(channels) / sizeof(channels[0]); i++)
		channel_import_reports(&channels[i]);
}
END_TEST

/* Ctrl-C once the phase named is on the line of import orders of a large
 * file: exit 130, said so, and nothing of it left (no order, no timeline
 * row, no audit row, no FILE.rejects, no backend still at it). */
static void channel_interrupt_at(const char *file, const char *phase, bool reading)
{
	static struct run r;
	const char *args[] = { "import", "orders", file, NULL };
	char rejects[256];
	int rc;

	run_start(&r, args);
	ck_assert_msg(run_read_until(&r, phase, 120000), "never saw %s: %s", phase, r.out);
	ck_assert_int_eq(kill(r.pid, SIGINT), 0);
	rc = run_finish(&r);
	ck_assert_msg(rc == 130, "exit %d after Ctrl-C at %s: %s", rc, phase, r.out);
	ck_assert_msg(strstr(r.out, "interrupted: rolled back, nothing was loaded") != NULL, "%s", r.out);
	ck_assert_ptr_null(strstr(r.out, " loaded, "));
	/* stopped reading at once: the steps after it never began */
	if (reading)
		ck_assert_msg(strstr(r.out, "- matching customers") == NULL, "read on after Ctrl-C: %s", r.out);
	ck_assert_int_eq(count("select count(*) from orders where order_no like 'BIG-%'"), 0);
	ck_assert_int_eq(count("select count(*) from interaction where subject like 'Order BIG-%'"), 0);
	ck_assert_int_eq(count("select count(*) from audit_log where action = 'import'"), 0);
	snprintf(rejects, sizeof(rejects), "%s.rejects", file);
	ck_assert_int_ne(access(rejects, F_OK), 0);
	for (int i = 0; i < 100 && count("select count(*) from pg_stat_activity where datname = current_database() "
					 "and state = 'active' and pid <> pg_backend_pid()") > 0; i++)
		usleep(100 * 1000);
	ck_assert_int_eq(count("select count(*) from pg_stat_activity where datname = current_database() "
			       "and state = 'active' and pid <> pg_backend_pid()"), 0);
}

START_TEST(channel_ctrl_c_while_reading_or_loading_rolls_back)
{
	char *file = channel_file("orders", 150000, "BIG");

	ck_assert_ptr_nonnull(file);
	channel_interrupt_at(file, "- reading", true);
	channel_interrupt_at(file, "- loading", false);
	unlink(file);
	free(file);
}
END_TEST

static Suite *progress_suite(void)
{
	Suite *s = suite_create("progress");
	TCase *tc = tcase_create("import");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 300);
	tcase_add_test(tc, progress_on_a_terminal_is_one_line_rewritten);
	tcase_add_test(tc, quiet_on_a_terminal_shows_only_the_summary);
	tcase_add_test(tc, pipe_gets_the_summary_alone_unless_asked);
	tcase_add_test(tc, ctrl_c_while_reading_rolls_back);
	tcase_add_test(tc, ctrl_c_while_inserting_rolls_back);
	tcase_add_test(tc, demo_data_progress_from_the_server_and_ctrl_c);
	suite_add_tcase(s, tc);
	tc = tcase_create("channels");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 300);
	tcase_add_test(tc, channel_imports_report_their_progress_and_counts);
	tcase_add_test(tc, channel_ctrl_c_while_reading_or_loading_rolls_back);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr;
	int failed;

	big = csv_file(BIG_ROWS);
	if (!big) {
		perror("check_progress: cannot write the big file");
		return EXIT_FAILURE;
	}
	sr = srunner_create(progress_suite());
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	unlink(big);
	free(big);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
