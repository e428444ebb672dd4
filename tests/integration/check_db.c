/* check_db.c - migrations, imports, agents and CTI against a real PostgreSQL. */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ccterm/admin.h"
#include "ccterm/embedded.h"
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

static const char customers_csv[] =
	"external_id,name,phone,email,tier,segment,branch,birth_date,gender,marital_status,rrn\n"
	"C1,홍길동,010-1234-5678,Gil.Dong@Example.KR,platinum,family,SEL,1980-03-01,M,married,800301-1234567\n"
	"C2,Emily Clark,+82 10 2222 3333,emily@example.com,registered,young_single,SEL,1995-07-21,F,single,\n"
	"C3,김영희,02-312-4567,,contracted,,SEL,,F,,\n"
	"C4,김철수,(02) 312 4567,,all,,,,M,,\n"
	"\"C5\",\"Park, Ji-sung\",01099998888,,,,,,,,\n";

START_TEST(migrate_twice_changes_nothing)
{
	int applied = -1;

	/* The template was migrated already: a second run applies nothing. */
	ck_assert_int_eq(db_migrate(db, &applied), 0);
	ck_assert_int_eq(applied, 0);
	ck_assert_int_eq(count("select count(*) from schema_migrations"), (long)sql_migrations_count);
	ck_assert_int_eq(db_migrate(db, &applied), 0);
	ck_assert_int_eq(applied, 0);
	ck_assert_int_eq(count("select count(*) from information_schema.tables where table_schema = 'public' "
			       "and table_name in ('customer', 'contact_point', 'interaction', 'orders', 'cases', "
			       "'call', 'queue', 'agent', 'agent_state', 'offer_rule', 'alert', 'campaign', "
			       "'audit_log', 'settings')"), 14);
}
END_TEST

START_TEST(migrate_fresh_database)
{
	struct db *admin = testdb_connect("postgres", NULL), *fresh;
	char sql[128], name[80];
	int applied = 0;

	snprintf(name, sizeof(name), "%s_fresh", dbname);
	snprintf(sql, sizeof(sql), "create database %s", name);
	ck_assert_int_eq(db_exec(admin, sql, 0, NULL), 0);
	fresh = testdb_connect(name, NULL);
	ck_assert_msg(db_migrate(fresh, &applied) == 0, "%s", db_error(fresh));
	ck_assert_int_eq(applied, (int)sql_migrations_count);
	ck_assert_int_eq(db_migrate(fresh, &applied), 0);
	ck_assert_int_eq(applied, 0);
	db_close(fresh);
	snprintf(sql, sizeof(sql), "drop database %s with (force)", name);
	db_exec(admin, sql, 0, NULL);
	db_close(admin);
}
END_TEST

START_TEST(import_customers_good_file)
{
	char *path = testdb_file(customers_csv), *v;
	struct import_result r;

	ck_assert_int_eq(admin_branch_add(db, "SEL", "서울", NULL), 0);
	ck_assert_msg(admin_import_customers(db, path, &r) == 0, "%s", db_error(db));
	ck_assert_int_eq(r.loaded, 5);
	ck_assert_int_eq(r.rejected, 0);
	ck_assert_int_ne(access(r.rejects_path, F_OK), 0);
	ck_assert_int_eq(count("select count(*) from customer"), 5);
	/* Phones are stored in E.164 whatever way they were written. */
	ck_assert_int_eq(count("select count(*) from contact_point where kind = 'phone' and value in "
			       "('+821012345678', '+821022223333', '+8223124567', '+821099998888')"), 4);
	/* The landline written two ways is one contact point shared by two customers. */
	ck_assert_int_eq(count("select count(*) from customers_by_contact('phone', '+8223124567')"), 2);
	ck_assert_int_eq(count("select count(*) from contact_point where kind = 'email' "
			       "and value = 'gil.dong@example.kr'"), 1);
	v = testdb_value(db, "select name from customer where external_id = 'C5'");
	ck_assert_str_eq(v, "Park, Ji-sung");
	free(v);
	v = testdb_value(db, "select customer_rrn_masked(id) from customer where external_id = 'C1'");
	ck_assert_str_eq(v, "800301-1******");
	free(v);
	/* Importing again updates, never duplicates. */
	ck_assert_int_eq(admin_import_customers(db, path, &r), 0);
	ck_assert_int_eq(count("select count(*) from customer"), 5);
	ck_assert_int_eq(count("select max(version) from customer"), 2);
	unlink(path);
	free(path);
}
END_TEST

START_TEST(import_customers_rejects_bad_rows)
{
	static const char csv[] =
		"external_id,name,phone,email,tier,segment,branch,birth_date,gender,marital_status,rrn\n"
		"C1,Good One,010-1111-2222,,,,,,,,\n"
		"C2,,010-1111-3333,,,,,,,,\n"                       /* line 3: no name */
		"C3,Bad Phone,call me,,,,,,,,\n"                    /* line 4 */
		"C4,Bad Tier,,,gold,,,,,,\n"                        /* line 5 */
		"C5,Bad Date,,,,,,1999-02-30,,,\n"                  /* line 6 */
		"C6,Unknown Branch,,,,,NOPE,,,,\n"                  /* line 7 */
		"C1,Duplicate,,,,,,,,,\n"                           /* line 8 */
		"C7,Too,Few\n"                                      /* line 9 */
		"C8,\"Unterminated,,,,,,,,,,\n";                    /* line 10 */
	char *path = testdb_file(csv), *rej;
	struct import_result r;

	ck_assert_msg(admin_import_customers(db, path, &r) == 0, "%s", db_error(db));
	ck_assert_int_eq(r.loaded, 1);
	ck_assert_int_eq(r.rejected, 8);
	ck_assert_int_eq(count("select count(*) from customer"), 1);
	ck_assert_int_eq(count("select count(*) from contact_point"), 1);
	rej = file_slurp(r.rejects_path);
	ck_assert_ptr_nonnull(strstr(rej, ":3: name is empty"));
	ck_assert_ptr_nonnull(strstr(rej, ":4: phone 'call me'"));
	ck_assert_ptr_nonnull(strstr(rej, ":5: tier 'gold'"));
	ck_assert_ptr_nonnull(strstr(rej, ":6: birth_date"));
	ck_assert_ptr_nonnull(strstr(rej, ":7: unknown branch 'NOPE'"));
	ck_assert_ptr_nonnull(strstr(rej, ":8: external_id C1 repeats line 2"));
	ck_assert_ptr_nonnull(strstr(rej, ":9: 3 fields"));
	ck_assert_ptr_nonnull(strstr(rej, ":10: "));
	free(rej);
	unlink(r.rejects_path);
	unlink(path);
	free(path);
}
END_TEST

START_TEST(import_refuses_wrong_header)
{
	char *path = testdb_file("id,name,phone\n1,x,010-1234-5678\n");
	struct import_result r;

	ck_assert_int_eq(admin_import_customers(db, path, &r), -1);
	ck_assert_ptr_nonnull(strstr(db_error(db), "wrong header"));
	ck_assert_ptr_nonnull(strstr(db_error(db), "external_id"));
	ck_assert_int_eq(r.loaded, 0);
	ck_assert_int_eq(count("select count(*) from customer"), 0);
	ck_assert_int_ne(access(r.rejects_path, F_OK), 0);
	unlink(path);
	free(path);
}
END_TEST

static void customers_loaded(void)
{
	char *path = testdb_file(customers_csv);
	struct import_result r;

	ck_assert_int_eq(admin_branch_add(db, "SEL", "서울", NULL), 0);
	ck_assert_msg(admin_import_customers(db, path, &r) == 0, "%s", db_error(db));
	unlink(path);
	free(path);
}

START_TEST(import_interactions_resolves_contacts)
{
	static const char csv[] =
		"occurred_at,channel,direction,kind,customer,subject,body,amount\n"
		"2025-01-02 10:00,phone,in,inquiry,C1,배송 문의,언제 오나요?,\n"          /* external id */
		"2025-01-03 11:30:00+09:00,web,in,order,+82 10 1234 5678,Order,,129000\n" /* phone, E.164 form */
		"2025-01-04,email,in,complaint,GIL.DONG@example.kr,Late,\"two\nlines\",\n"/* e-mail, any case */
		"2025-01-05T09:15:00Z,store,in,visit,01022223333,Visit,,\n"               /* phone, national */
		"2025-01-06 09:00,phone,in,inquiry,02-312-4567,Shared,,\n"                /* line 7: shared */
		"2025-01-07 09:00,phone,in,inquiry,C999,Nobody,,\n"                       /* line 8: unknown */
		"2025-02-30 09:00,phone,in,inquiry,C1,Bad date,,\n"                       /* line 9 */
		"2025-01-08 09:00,pigeon,in,inquiry,C1,Bad channel,,\n"                   /* line 10 */
		"2025-01-09 09:00,chat,in,inquiry,C2,Escape \x1b[2J here,\x1b]0;pwned\x07,\n";
	char *path, *rej, *v;
	struct import_result r;

	customers_loaded();
	path = testdb_file(csv);
	ck_assert_msg(admin_import_interactions(db, path, &r) == 0, "%s", db_error(db));
	ck_assert_int_eq(r.loaded, 5);
	ck_assert_int_eq(r.rejected, 4);
	ck_assert_int_eq(count("select count(*) from interaction i join customer c on c.id = i.customer_id "
			       "where c.external_id = 'C1'"), 3);
	ck_assert_int_eq(count("select amount_won from interaction where kind = 'order'"), 129000);
	v = testdb_value(db, "select body from interaction where kind = 'complaint'");
	ck_assert_str_eq(v, "two\nlines");
	free(v);
	/* Control characters are kept exactly as received; drawing makes them inert. */
	v = testdb_value(db, "select body from interaction where channel = 'chat'");
	ck_assert_str_eq(v, "\x1b]0;pwned\x07");
	free(v);
	rej = file_slurp(r.rejects_path);
	ck_assert_ptr_nonnull(strstr(rej, ":7: phone +8223124567 is shared by several customers"));
	ck_assert_ptr_nonnull(strstr(rej, ":8: customer 'C999' not found"));
	ck_assert_ptr_nonnull(strstr(rej, ":9: occurred_at"));
	ck_assert_ptr_nonnull(strstr(rej, ":10: channel 'pigeon'"));
	free(rej);
	unlink(r.rejects_path);
	unlink(path);
	free(path);
}
END_TEST

START_TEST(import_rejects_invalid_utf8)
{
	static const char csv[] =
		"occurred_at,channel,direction,kind,customer,subject,body,amount\n"
		"2025-01-02 10:00,phone,in,inquiry,C1,ok,fine,\n"
		"2025-01-02 10:00,phone,in,inquiry,C1,bad \xc3\x28 bytes,,\n"
		"2025-01-02 10:00,phone,in,inquiry,C1,overlong \xc0\xaf,,\n";
	char *path, *rej;
	struct import_result r;

	customers_loaded();
	path = testdb_file(csv);
	ck_assert_msg(admin_import_interactions(db, path, &r) == 0, "%s", db_error(db));
	ck_assert_int_eq(r.loaded, 1);
	ck_assert_int_eq(r.rejected, 2);
	rej = file_slurp(r.rejects_path);
	ck_assert_ptr_nonnull(strstr(rej, ":3: column 6 is not valid UTF-8"));
	ck_assert_ptr_nonnull(strstr(rej, ":4: column 6 is not valid UTF-8"));
	free(rej);
	unlink(r.rejects_path);
	unlink(path);
	free(path);
}
END_TEST

START_TEST(agent_add_makes_a_login_role)
{
	struct db *as_agent;
	char *v;
	PGresult *res;

	testdb_agent(db, "it_agent1", "이순신", "agent");
	as_agent = testdb_connect(dbname, "it_agent1");
	ck_assert_str_eq(db_user(as_agent), "it_agent1");
	v = testdb_value(as_agent, "select name || '/' || branch_name || '/' || role from agent_me");
	ck_assert_str_eq(v, "이순신/서울 본점/agent");
	free(v);
	/* An agent never reads resident numbers in clear. */
	res = db_query(as_agent, "select rrn from customer_secret", 0, NULL);
	ck_assert_ptr_null(res);
	ck_assert_str_eq(db_sqlstate(as_agent), "42501");
	db_close(as_agent);
}
END_TEST

START_TEST(agent_add_is_all_or_nothing)
{
	struct agent_spec a = { .login = "it_agent2", .name = "x", .branch = "NOPE", .role = "agent" };

	ck_assert_int_eq(admin_agent_add(db, &a), -1);
	ck_assert_ptr_nonnull(strstr(db_error(db), "unknown branch 'NOPE'"));
	ck_assert_int_eq(count("select count(*) from agent"), 0);
	ck_assert_int_eq(admin_branch_add(db, "SEL", "서울", NULL), 0);
	a.branch = "SEL";
	a.queues = "general,nosuch";
	ck_assert_int_eq(admin_queue_add(db, "general", 20, 80), 0);
	ck_assert_int_eq(admin_agent_add(db, &a), -1);
	ck_assert_ptr_nonnull(strstr(db_error(db), "unknown queue 'nosuch'"));
	ck_assert_int_eq(count("select count(*) from agent"), 0);
	a.queues = "general";
	a.role = "boss";
	ck_assert_int_eq(admin_agent_add(db, &a), -1);
	a.role = "supervisor";
	ck_assert_msg(admin_agent_add(db, &a) == 0, "%s", db_error(db));
	ck_assert_int_eq(count("select count(*) from agent_queue where login = 'it_agent2'"), 1);
	ck_assert_int_eq(count("select count(*) from pg_auth_members m join pg_roles r on r.oid = m.roleid "
			       "join pg_roles u on u.oid = m.member "
			       "where u.rolname = 'it_agent2' and r.rolname = 'ccterm_supervisor'"), 1);
	ck_assert_int_eq(admin_queue_add(db, "bad", 0, 80), -1);
}
END_TEST

static int run_tool(const char *cmd, char *out, size_t outsz)
{
	return testdb_run(dbname, cmd, out, outsz);
}

START_TEST(cti_call_notifies_the_agent_at_commit)
{
	char out[256], channel[64];
	PGnotify *n;
	long id;

	customers_loaded();
	testdb_agent(db, "it_agent3", "Agent Three", "agent");
	snprintf(channel, sizeof(channel), "listen agent_it_agent3");
	ck_assert_int_eq(db_exec(db, channel, 0, NULL), 0);
	ck_assert_int_eq(run_tool("ccterm-cti call --ani 010-1234-5678 --dnis 1588-1234 --agent it_agent3",
				  out, sizeof(out)), 0);
	id = atol(out);
	ck_assert_int_gt(id, 0);
	/* The caller is found through the normalized number. */
	ck_assert_int_eq(count("select count(*) from call c join customer u on u.id = c.customer_id "
			       "where u.external_id = 'C1' and c.state = 'offered'"), 1);
	PQconsumeInput(db_pg(db));
	n = PQnotifies(db_pg(db));
	ck_assert_ptr_nonnull(n);
	ck_assert_str_eq(n->relname, "agent_it_agent3");
	snprintf(out, sizeof(out), "call %ld offered", id);
	ck_assert_str_eq(n->extra, out);
	PQfreemem(n);
	snprintf(channel, sizeof(channel), "ccterm-cti answer %ld", id);
	ck_assert_int_eq(run_tool(channel, NULL, 0), 0);
	snprintf(channel, sizeof(channel), "ccterm-cti hangup %ld", id);
	ck_assert_int_eq(run_tool(channel, NULL, 0), 0);
	ck_assert_int_eq(count("select count(*) from call where state = 'ended' and answered_at is not null"), 1);
	/* Hanging up twice is an error with a message, not a crash. */
	ck_assert_int_eq(run_tool(channel, out, sizeof(out)), 1);
	ck_assert_ptr_nonnull(strstr(out, "no such call"));
	ck_assert_int_eq(run_tool("ccterm-cti call --ani 010 --queue nosuch", out, sizeof(out)), 1);
	ck_assert_ptr_nonnull(strstr(out, "unknown queue nosuch"));
}
END_TEST

START_TEST(admin_cli_reports_counts)
{
	char out[512], cmd[600];
	char *path = testdb_file(customers_csv);

	ck_assert_int_eq(run_tool("ccterm-admin branch add SEL --name 서울", out, sizeof(out)), 0);
	snprintf(cmd, sizeof(cmd), "ccterm-admin import customers %s", path);
	ck_assert_int_eq(run_tool(cmd, out, sizeof(out)), 0);
	ck_assert_ptr_nonnull(strstr(out, "5 loaded, 0 rejected"));
	ck_assert_int_eq(run_tool("ccterm-admin migrate", out, sizeof(out)), 0);
	ck_assert_ptr_nonnull(strstr(out, "0 migrations applied"));
	ck_assert_int_eq(run_tool("ccterm-admin queue add vip --sla 10", out, sizeof(out)), 0);
	ck_assert_int_eq(run_tool("ccterm-admin agent add it_agent4 --name 'A Four' --branch SEL --queues vip",
				  out, sizeof(out)), 0);
	ck_assert_int_eq(run_tool("ccterm-admin agent add it_agent4 --name X --bogus 1", out, sizeof(out)), 2);
	ck_assert_ptr_nonnull(strstr(out, "unknown option --bogus"));
	ck_assert_int_eq(run_tool("ccterm-admin import customers /nonexistent.csv", out, sizeof(out)), 1);
	ck_assert_ptr_nonnull(strstr(out, "cannot read /nonexistent.csv"));
	unlink(path);
	free(path);
}
END_TEST

static Suite *db_suite(void)
{
	Suite *s = suite_create("db");
	TCase *tc = tcase_create("db");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, migrate_twice_changes_nothing);
	tcase_add_test(tc, migrate_fresh_database);
	tcase_add_test(tc, import_customers_good_file);
	tcase_add_test(tc, import_customers_rejects_bad_rows);
	tcase_add_test(tc, import_refuses_wrong_header);
	tcase_add_test(tc, import_interactions_resolves_contacts);
	tcase_add_test(tc, import_rejects_invalid_utf8);
	tcase_add_test(tc, agent_add_makes_a_login_role);
	tcase_add_test(tc, agent_add_is_all_or_nothing);
	tcase_add_test(tc, cti_call_notifies_the_agent_at_commit);
	tcase_add_test(tc, admin_cli_reports_counts);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(db_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
