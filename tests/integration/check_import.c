/* check_import.c - imports that must not guess or leave half a file: an
 * e-mail several customers share is ambiguous, a NUL byte is no text, and a
 * killed import leaves no partial FILE.rejects. */
#include "config.h"

#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "ccterm/admin.h"
#include "testdb.h"

static struct db *db;
static char dbname[64];

static void setup(void) { db = testdb_create(dbname); }
static void teardown(void) { testdb_drop(db, dbname); }

static long count(const char *sql)
{
	char *v = testdb_value(db, sql);
	long n = v ? atol(v) : -1;

	free(v);
	return n;
}

static char *file_slurp(const char *path)
{
	FILE *fp = fopen(path, "r");
	char *buf = calloc(1, 65536);

	if (!fp)
		return buf;
	buf[fread(buf, 1, 65535, fp)] = '\0';
	fclose(fp);
	return buf;
}

static void sql(const char *q)
{
	ck_assert_msg(db_exec(db, q, 0, NULL) == 0, "%s: %s", q, db_error(db));
}

/* C1 and C2 share family@example.com; C3 alone has solo@example.com. */
static void customers_sharing_an_email(void)
{
	sql("insert into branch (code, name) values ('SEL', '서울') on conflict do nothing");
	sql("insert into customer (external_id, name, tier, branch_code) values "
	    "('C1', '김철수', 'registered', 'SEL'), ('C2', '김영희', 'registered', 'SEL'), "
	    "('C3', '박지성', 'registered', 'SEL')");
	sql("insert into contact_point (kind, value) values ('email', 'family@example.com'), "
	    "('email', 'solo@example.com')");
	sql("insert into customer_contact (customer_id, contact_point_id, is_primary) "
	    "select c.id, cp.id, true from customer c join contact_point cp "
	    "on (cp.value = 'family@example.com' and c.external_id in ('C1', 'C2')) "
	    "or (cp.value = 'solo@example.com' and c.external_id = 'C3')");
}

START_TEST(shared_email_is_ambiguous)
{
	static const char csv[] =
		"occurred_at,channel,direction,kind,customer,subject,body,amount\n"
		"2025-01-02 10:00,email,in,inquiry,Family@Example.com,Whose?,,\n"     /* line 2: shared */
		"2025-01-02 11:00,email,in,inquiry,solo@example.com,Mine,,\n";
	char *path, *rej;
	struct import_result r;

	customers_sharing_an_email();
	path = testdb_file(csv);
	ck_assert_msg(admin_import_interactions(db, path, &r) == 0, "%s", db_error(db));
	ck_assert_int_eq(r.loaded, 1);
	ck_assert_int_eq(r.rejected, 1);
	ck_assert_int_eq(count("select count(*) from interaction i join customer c on c.id = i.customer_id "
			       "where c.external_id = 'C3' and i.subject = 'Mine'"), 1);
	ck_assert_int_eq(count("select count(*) from interaction where subject = 'Whose?'"), 0);
	rej = file_slurp(r.rejects_path);
	ck_assert_msg(strstr(rej, ":2: e-mail family@example.com is shared by several customers") != NULL,
		      "rejects: %s", rej);
	free(rej);
	unlink(r.rejects_path);
	unlink(path);
	free(path);
}
END_TEST

START_TEST(nul_byte_in_a_field_is_rejected)
{
	static const char csv[] =
		"occurred_at,channel,direction,kind,customer,subject,body,amount\n"
		"2025-01-02 10:00,email,in,inquiry,C3,cut here\0 and lost,,\n"
		"2025-01-02 11:00,email,in,inquiry,C3,whole,,\n";
	char *path = strdup("/tmp/ccterm-test-XXXXXX.csv"), *rej;
	struct import_result r;
	int fd = mkstemps(path, 4);

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, csv, sizeof(csv) - 1), (ssize_t)(sizeof(csv) - 1));
	close(fd);
	customers_sharing_an_email();
	ck_assert_msg(admin_import_interactions(db, path, &r) == 0, "%s", db_error(db));
	ck_assert_int_eq(r.loaded, 1);
	ck_assert_int_eq(r.rejected, 1);
	ck_assert_int_eq(count("select count(*) from interaction where subject like 'cut here%'"), 0);
	rej = file_slurp(r.rejects_path);
	ck_assert_msg(strstr(rej, ":2: a NUL byte in a field") != NULL, "rejects: %s", rej);
	free(rej);
	unlink(r.rejects_path);
	unlink(path);
	free(path);
}
END_TEST

/* Bytes of every file in dir whose name starts with prefix. */
static long long bytes_of(const char *dir, const char *prefix, int *nfiles)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	long long total = 0;

	*nfiles = 0;
	ck_assert_ptr_nonnull(d);
	while ((e = readdir(d))) {
		char p[4096];
		struct stat st;

		if (strncmp(e->d_name, prefix, strlen(prefix)) != 0)
			continue;
		snprintf(p, sizeof(p), "%s/%s", dir, e->d_name);
		if (stat(p, &st) == 0) {
			total += st.st_size;
			(*nfiles)++;
		}
	}
	closedir(d);
	return total;
}

/*
 * An import killed half way (its input a pipe that is still being
 * written, so the kill lands while rejects are being written): no
 * FILE.rejects appears, since nothing was committed; a complete import of
 * the same file then writes the whole list.
 */
START_TEST(killed_import_leaves_no_partial_rejects)
{
	char dir[] = "/tmp/ccterm-import-XXXXXX", fifo[128], rejects[160], name[32];
	struct import_result r;
	FILE *w;
	pid_t pid;
	int status, nfiles = 0;
	long long grown = 0;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(fifo, sizeof(fifo), "%s/in.csv", dir);
	snprintf(rejects, sizeof(rejects), "%s.rejects", fifo);
	ck_assert_int_eq(mkfifo(fifo, 0600), 0);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		struct db *child = testdb_connect(dbname, NULL);

		_exit(admin_import_interactions(child, fifo, &r) == 0 ? 0 : 1);
	}
	w = fopen(fifo, "w");
	ck_assert_ptr_nonnull(w);
	fputs("occurred_at,channel,direction,kind,customer,subject,body,amount\n", w);
	/* Bad rows (rejected as read) until the rejects reach the disk. */
	for (int i = 0; i < 200000 && grown < 16384; i++) {
		fprintf(w, "2025-01-02 10:00,pigeon,in,inquiry,C%d,row %d,,\n", i, i);
		if (i % 500 == 499) {
			fflush(w);
			usleep(20000);
			grown = bytes_of(dir, "in.csv.rejects", &nfiles);
		}
	}
	ck_assert_int_ge(grown, 16384);
	ck_assert_int_eq(kill(pid, SIGKILL), 0);
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	fclose(w);
	ck_assert_msg(access(rejects, F_OK) < 0 && errno == ENOENT,
		      "a killed import left %s behind", rejects);

	/* The same data, imported whole: the list appears, complete. */
	unlink(fifo);
	w = fopen(fifo, "w");
	ck_assert_ptr_nonnull(w);
	fputs("occurred_at,channel,direction,kind,customer,subject,body,amount\n", w);
	for (int i = 0; i < 500; i++)
		fprintf(w, "2025-01-02 10:00,pigeon,in,inquiry,C%d,row %d,,\n", i, i);
	fclose(w);
	ck_assert_msg(admin_import_interactions(db, fifo, &r) == 0, "%s", db_error(db));
	ck_assert_int_eq(r.rejected, 500);
	{
		char *rej = file_slurp(rejects);

		snprintf(name, sizeof(name), ":501: ");
		ck_assert_ptr_nonnull(strstr(rej, name));
		free(rej);
	}
	{
		char cmd[200];

		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
		ck_assert_int_eq(system(cmd), 0);
	}
}
END_TEST

/* Issue 12: a file naming branches that do not exist says so once, with
 * the counts, instead of N identical rejects; --create-branches loads it. */
START_TEST(unknown_branches_summarised_or_created)
{
	static const char csv[] =
		"external_id,name,phone,email,tier,segment,branch,birth_date,gender,marital_status,rrn\n"
		"K1,김하나,010-3000-0001,,,,GANGNAM,,,,\n"
		"K2,김두울,010-3000-0002,,,,GANGNAM,,,,\n"
		"K3,김세엣,010-3000-0003,,,,BUSAN,,,,\n"
		"K4,김네엣,010-3000-0004,,,,GANGNAM,,,,\n"
		"K5,김다섯,010-3000-0005,,,,,,,,\n"
		"K6,김여섯,010-3000-0006,,,,bad code!,,,,\n";
	struct import_options opt = { .create_branches = false };
	struct import_result r;
	char *path = testdb_file(csv);

	ck_assert_msg(admin_import_customers_with(db, path, &opt, &r) == 0, "%s", db_error(db));
	ck_assert_int_eq(r.loaded, 1);
	ck_assert_int_eq(r.rejected, 5);
	ck_assert_str_eq(r.summary, "4 rows name unknown branches: GANGNAM (3), BUSAN (1); create them with "
				    "ccterm-admin branch add or --create-branches");
	ck_assert_int_eq(count("select count(*) from branch where code in ('GANGNAM', 'BUSAN')"), 0);

	opt.create_branches = true;
	ck_assert_msg(admin_import_customers_with(db, path, &opt, &r) == 0, "%s", db_error(db));
	ck_assert_int_eq(r.loaded, 5);
	ck_assert_int_eq(r.rejected, 1);    /* "bad code!" cannot be a branch code */
	ck_assert_int_eq(r.branches_created, 2);
	ck_assert_int_eq(count("select count(*) from branch where code in ('GANGNAM', 'BUSAN')"), 2);
	ck_assert_int_eq(count("select count(*) from customer where branch_code = 'GANGNAM'"), 3);
	ck_assert(r.seconds > 0);
	free(path);
}
END_TEST

/* Exports as other systems write them load, in the center's time zone. */
START_TEST(export_vocabulary_loads)
{
	static const char csv[] =
		"occurred_at,channel,direction,kind,customer,subject,body,amount\n"
		"2026/11/20 10:15,Call,Inbound,Complaint,010－3000－0001,a,,\"₩12,000\"\n"
		"2026-11-20T10:15:00+00:00,E-mail,OUT,문의,010-3000-0001,b,,12000원\n"
		"2026-11-20 10:15,voice,수신,order,821030000001,c,,\"KRW 1,234,567\"\n";
	struct import_result r;
	char *path;

	sql("insert into branch (code, name) values ('SEL', '서울') on conflict do nothing");
	sql("insert into customer (external_id, name, tier, branch_code) values ('K1', '김하나', 'registered', 'SEL')");
	sql("insert into contact_point (kind, value) values ('phone', '+821030000001')");
	sql("insert into customer_contact (customer_id, contact_point_id, is_primary) "
	    "select c.id, cp.id, true from customer c, contact_point cp where c.external_id = 'K1'");
	sql("insert into settings (key, value) values ('timezone', 'Asia/Seoul') "
	    "on conflict (key) do update set value = excluded.value");
	path = testdb_file(csv);
	ck_assert_msg(admin_import_interactions(db, path, &r) == 0, "%s", db_error(db));
	ck_assert_int_eq(r.rejected, 0);
	ck_assert_int_eq(r.loaded, 3);
	ck_assert_int_eq(count("select count(*) from interaction where channel = 'phone' and direction = 'in' "
			       "and kind = 'complaint' and amount_won = 12000 "
			       "and occurred_at = '2026-11-20 01:15+00'"), 1);   /* 10:15 in Seoul */
	ck_assert_int_eq(count("select count(*) from interaction where channel = 'email' and direction = 'out' "
			       "and kind = 'inquiry' and occurred_at = '2026-11-20 10:15+00'"), 1);
	ck_assert_int_eq(count("select count(*) from interaction where amount_won = 1234567"), 1);
	free(path);
}
END_TEST

/* The set-based load: the customers' figures follow the import as the
 * per-statement trigger had them (inbound contacts in 12 months, the
 * preferred channel), whether the loader may skip the per-row key checks
 * (a superuser) or not (an admin login); rows naming nobody, a repeated
 * customer value and a mix of id, phone and e-mail resolve the same. */
static void import_as(struct db *as, const char *who)
{
	char csv[2048], *path;
	struct import_result r;
	time_t now = time(NULL);
	struct tm tm;
	char day[16];

	localtime_r(&now, &tm);
	strftime(day, sizeof(day), "%Y-%m-%d", &tm);
	snprintf(csv, sizeof(csv),
		 "occurred_at,channel,direction,kind,customer,subject,body,amount\n"
		 "%s 09:00,chat,in,inquiry,F1,%s 1,,\n"
		 "%s 09:01,chat,in,inquiry,010-5000-0001,%s 2,,\n"
		 "%s 09:02,chat,in,inquiry,f1@example.com,%s 3,,\n"
		 "%s 09:03,phone,in,inquiry,NOBODY,%s 4,,\n"
		 "%s 09:04,chat,in,inquiry,F1,%s 5,,\n",
		 day, who, day, who, day, who, day, who, day, who);
	path = testdb_file(csv);
	ck_assert_msg(admin_import_interactions(as, path, &r) == 0, "%s: %s", who, db_error(as));
	ck_assert_int_eq(r.loaded, 4);
	ck_assert_int_eq(r.rejected, 1);
	{
		char q[256];

		snprintf(q, sizeof(q), "select count(*) from interaction i join customer c on c.id = i.customer_id "
			 "where c.external_id = 'F1' and i.subject like '%s %%'", who);
		ck_assert_int_eq(count(q), 4);
	}
	unlink(r.rejects_path);
	free(path);
}

START_TEST(figures_follow_the_import_either_way)
{
	struct db *admin;

	sql("insert into branch (code, name) values ('SEL', '서울') on conflict do nothing");
	sql("insert into customer (external_id, name, tier, branch_code) values ('F1', '최하나', 'registered', 'SEL')");
	sql("insert into contact_point (kind, value) values ('phone', '+821050000001'), ('email', 'f1@example.com')");
	sql("insert into customer_contact (customer_id, contact_point_id, is_primary) "
	    "select c.id, cp.id, true from customer c, contact_point cp where c.external_id = 'F1'");
	ck_assert_int_eq(count("select contacts_12m from customer_metrics m join customer c on c.id = m.customer_id "
			       "where c.external_id = 'F1'"), 0);
	import_as(db, "super");
	ck_assert_int_eq(count("select contacts_12m from customer_metrics m join customer c on c.id = m.customer_id "
			       "where c.external_id = 'F1'"), 4);
	testdb_agent(db, "imp.admin", "Importer", "admin");
	admin = testdb_connect(dbname, "imp.admin");
	ck_assert_int_eq(count("select rolsuper::int from pg_roles where rolname = 'imp.admin'"), 0);
	import_as(admin, "admin");
	db_close(admin);
	ck_assert_int_eq(count("select contacts_12m from customer_metrics m join customer c on c.id = m.customer_id "
			       "where c.external_id = 'F1'"), 8);
	ck_assert_int_eq(count("select count(*) from customer_metrics m join customer c on c.id = m.customer_id "
			       "where c.external_id = 'F1' and preferred_channel = 'chat'"), 1);
	/* the session is back to normal: triggers on */
	ck_assert_int_eq(count("select (current_setting('session_replication_role') = 'origin')::int"), 1);
}
END_TEST

static Suite *import_suite(void)
{
	Suite *s = suite_create("import");
	TCase *tc = tcase_create("import");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, shared_email_is_ambiguous);
	tcase_add_test(tc, nul_byte_in_a_field_is_rejected);
	tcase_add_test(tc, killed_import_leaves_no_partial_rejects);
	tcase_add_test(tc, unknown_branches_summarised_or_created);
	tcase_add_test(tc, export_vocabulary_loads);
	tcase_add_test(tc, figures_follow_the_import_either_way);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(import_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
