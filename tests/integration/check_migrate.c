/* check_migrate.c - schema upgrades in place: a database made by the first
 * release (tests/fixtures/sql-2483701, its sql/ byte for byte) is upgraded by
 * today's migrate and must then equal a fresh one, data kept; numbered
 * migrations are history; repeatable files converge; migrators may race. */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ccterm/embedded.h"
#include "testdb.h"

/* The first release's migrations, in the order it ran them. */
static const char *const release1[] = {
	"001_roles.sql", "002_customer.sql", "003_interaction.sql", "004_callcenter.sql",
	"005_marketing.sql", "006_grants.sql", "007_functions.sql", "010_pop.sql",
	"011_agent_state.sql", "020_routing.sql", "021_floor_notify.sql", "090_demo_data.sql",
};
#define RELEASE1_N (sizeof(release1) / sizeof(release1[0]))

/* Tables whose rows the upgrade must keep, and how many there were. */
static const char counts_sql[] =
	"select string_agg(format('%s=%s', c.relname, "
	"  (xpath('/row/n/text()', query_to_xml(format('select count(*) as n from %I', c.relname), "
	"   false, true, '')))[1]::text), ' ' order by c.relname) "
	"from pg_class c where c.relnamespace = 'public'::regnamespace and c.relkind in ('r', 'p') "
	"and c.relname not like 'schema\\_%'";

static char *slurp(const char *path)
{
	FILE *fp = fopen(path, "r");
	char *buf;
	long n;

	ck_assert_msg(fp != NULL, "cannot read %s", path);
	fseek(fp, 0, SEEK_END);
	n = ftell(fp);
	rewind(fp);
	buf = malloc((size_t)n + 1);
	ck_assert_int_eq(fread(buf, 1, (size_t)n, fp), (size_t)n);
	buf[n] = '\0';
	fclose(fp);
	return buf;
}

/* "drop database if exists NAME with (force)" or "create database NAME". */
static void admin_sql(const char *verb, const char *name, const char *tail)
{
	struct db *admin = testdb_connect("postgres", NULL);
	char sql[200];

	snprintf(sql, sizeof(sql), "%s %s%s", verb, name, tail);
	ck_assert_msg(db_exec(admin, sql, 0, NULL) == 0, "%s: %s", sql, db_error(admin));
	db_close(admin);
}

static struct db *empty_database(char *name, const char *suffix)
{
	snprintf(name, 64, "ccterm_m%ld_%s", (long)getpid(), suffix);
	admin_sql("drop database if exists", name, " with (force)");
	admin_sql("create database", name, "");
	return testdb_connect(name, NULL);
}

static void drop_database(struct db *db, const char *name)
{
	db_close(db);
	admin_sql("drop database if exists", name, " with (force)");
}

/* What the first release's `ccterm-admin migrate` did: each file once, recorded with its checksum. */
static void release1_migrate(struct db *db)
{
	const char *top = getenv("CCTERM_TOP_SRCDIR");

	ck_assert_msg(top != NULL, "CCTERM_TOP_SRCDIR not set");
	ck_assert_int_eq(db_exec(db, "set client_min_messages = warning", 0, NULL), 0);
	ck_assert_int_eq(db_exec(db, "create table schema_migrations (version integer primary key, "
				     "name text not null, checksum text not null, "
				     "applied_at timestamptz not null default now())", 0, NULL), 0);
	for (size_t i = 0; i < RELEASE1_N; i++) {
		char path[512], version[16], sum[17], *text;
		const char *p[3] = { version, release1[i], sum };

		snprintf(path, sizeof(path), "%s/tests/fixtures/sql-2483701/%s", top, release1[i]);
		text = slurp(path);
		snprintf(version, sizeof(version), "%d", atoi(release1[i]));
		migrate_checksum(text, sum);
		ck_assert_msg(db_exec_script(db, text) == 0, "%s: %s", release1[i], db_error(db));
		ck_assert_int_eq(db_exec(db, "insert into schema_migrations (version, name, checksum) "
					     "values ($1, $2, $3)", 3, p), 0);
		free(text);
	}
}

/* A one-value query's answer is want. */
static void assert_value(struct db *db, const char *sql, const char *want)
{
	char *v = testdb_value(db, sql);

	ck_assert_msg(v && strcmp(v, want) == 0, "%s: got %s, want %s", sql, v ? v : "NULL", want);
	free(v);
}

/* pg_dump --schema-only of a database, as text. */
static char *schema_dump(const char *name)
{
	const char *bindir = getenv("PG_BINDIR");
	char cmd[600], path[] = "/tmp/ccterm-dump-XXXXXX", *text;
	int fd = mkstemp(path);

	ck_assert_int_ge(fd, 0);
	close(fd);
	snprintf(cmd, sizeof(cmd), "'%s/pg_dump' --schema-only --dbname=%s > %s",
		 bindir ? bindir : "/usr/lib/postgresql/15/bin", name, path);
	ck_assert_msg(system(cmd) == 0, "%s failed", cmd);
	text = slurp(path);
	unlink(path);
	/* Newer pg_dump brackets its output with a random \restrict key. */
	{
		char *w = text;

		for (char *line = text; *line;) {
			size_t n = strcspn(line, "\n");

			n += line[n] == '\n';
			if (strncmp(line, "\\restrict ", 10) != 0 && strncmp(line, "\\unrestrict ", 12) != 0) {
				memmove(w, line, n);
				w += n;
			}
			line += n;
		}
		*w = '\0';
	}
	return text;
}

/* The first line where two dumps differ, for the failure message. */
static const char *first_difference(const char *a, const char *b, char *out, size_t outsz)
{
	const char *la = a, *lb = b;

	while (*la && *lb) {
		size_t na = strcspn(la, "\n"), nb = strcspn(lb, "\n");

		if (na != nb || memcmp(la, lb, na) != 0) {
			snprintf(out, outsz, "upgraded: \"%.*s\" / fresh: \"%.*s\"", (int)na, la, (int)nb, lb);
			return out;
		}
		la += na + (la[na] == '\n');
		lb += nb + (lb[nb] == '\n');
	}
	snprintf(out, outsz, "one dump ends early");
	return out;
}

START_TEST(release1_database_upgrades_to_a_fresh_one)
{
	char old_name[64], fresh_name[64], why[600];
	struct db *old = empty_database(old_name, "old"), *fresh;
	struct migrate_result r;
	char *before, *after, *dump_old, *dump_fresh;

	release1_migrate(old);
	/* Data of every kind the first release held, made by its own generator. */
	ck_assert_msg(db_exec(old, "select demo_data(300, 3000)", 0, NULL) == 0, "%s", db_error(old));
	before = testdb_value(old, counts_sql);

	ck_assert_msg(db_migrate_full(old, &r) == 0, "upgrade: %s", db_error(old));
	ck_assert_int_eq(r.applied, (int)(sql_migrations_count - RELEASE1_N));
	ck_assert_int_eq(r.repeatables, (int)sql_repeatables_count);
	after = testdb_value(old, counts_sql);
	ck_assert_msg(strcmp(after, "") != 0, "no tables counted");
	/* Every table the release had keeps its rows (migrations may add some, e.g. settings). */
	for (char *t = strtok(before, " "); t; t = strtok(NULL, " ")) {
		char needle[128], *at, *eq = strchr(t, '=');

		ck_assert_ptr_nonnull(eq);
		snprintf(needle, sizeof(needle), " %.*s=", (int)(eq - t + 0), t);
		snprintf(why, sizeof(why), " %s", after);
		at = strstr(why, needle);
		ck_assert_msg(at != NULL, "after the upgrade table %s is gone: %s", t, after);
		ck_assert_msg(atol(at + strlen(needle)) >= atol(eq + 1), "after the upgrade %s lost rows: %s", t, after);
	}
	/* The upgrade computed the new figures for the customers it found. */
	assert_value(old, "select (select count(*) from customer_metrics) = "
					   "(select count(*) from customer)", "t");
	/* The demo generator is gone from the schema. */
	{
		char *n = testdb_value(old, "select count(*) from pg_proc where proname like 'demo\\_%'");

		ck_assert_str_eq(n, "0");
		free(n);
	}

	fresh = empty_database(fresh_name, "fresh");
	ck_assert_msg(db_migrate_full(fresh, &r) == 0, "fresh: %s", db_error(fresh));
	ck_assert_int_eq(r.applied, (int)sql_migrations_count);

	dump_old = schema_dump(old_name);
	dump_fresh = schema_dump(fresh_name);
	ck_assert_msg(strlen(dump_fresh) > 10000, "the dump looks empty");
	ck_assert_msg(strcmp(dump_old, dump_fresh) == 0, "upgraded and fresh schemas differ: %s",
		      first_difference(dump_old, dump_fresh, why, sizeof(why)));
	free(before);
	free(after);
	free(dump_old);
	free(dump_fresh);
	drop_database(old, old_name);
	drop_database(fresh, fresh_name);
}
END_TEST

/* The first release let one agent hold several open calls (a second direct
 * offer was taken too, and the extras stayed answered for ever): the
 * upgrade ends all but the newest, so the one-call rule can hold. */
START_TEST(release1_extra_open_calls_end_at_the_upgrade)
{
	char name[64];
	struct db *old = empty_database(name, "calls");
	struct migrate_result r;

	release1_migrate(old);
	ck_assert_msg(db_exec_script(old,
		"insert into agent (login, name) values ('mg_a1', 'A1'), ('mg_a2', 'A2');"
		"select call_arrive('010', null, null, null, 'mg_a1');"
		"select call_arrive('011', null, null, null, 'mg_a1');"
		"select call_arrive('012', null, null, null, 'mg_a1');"
		"select call_arrive('013', null, null, null, 'mg_a2');"
		"select call_answer(id) from call where ani in ('010', '012', '013');"
		"select agent_set_state_for('mg_a2', 'break', 'lunch')") == 0, "%s", db_error(old));
	ck_assert_msg(db_migrate_full(old, &r) == 0, "upgrade: %s", db_error(old));
	assert_value(old, "select string_agg(ani || '=' || state, ' ' order by ani) from call",
			 "010=ended 011=abandoned 012=answered 013=answered");
	assert_value(old, "select count(*) from call where state in ('ended', 'abandoned') "
					   "and ended_at is null", "0");
	/* The reason of each agent's current state is carried over. */
	assert_value(old, "select state || '/' || state_reason from agent where login = 'mg_a2'",
			 "break/lunch");
	drop_database(old, name);
}
END_TEST

START_TEST(an_edited_numbered_migration_stops_the_run)
{
	char name[64];
	struct db *db = testdb_create(name);
	int applied;

	ck_assert_int_eq(db_exec(db, "update schema_migrations set checksum = '0123456789abcdef' "
				     "where version = 3", 0, NULL), 0);
	ck_assert_int_eq(db_migrate(db, &applied), -1);
	ck_assert_msg(strstr(db_error(db), "003_interaction.sql") != NULL, "error: %s", db_error(db));
	ck_assert_msg(strstr(db_error(db), "history") != NULL, "error: %s", db_error(db));
	testdb_drop(db, name);
}
END_TEST

/* A database made by an older build keeps an older function body and an
 * older checksum for its file: migrate puts today's definition back. */
START_TEST(changed_repeatables_converge)
{
	char name[64];
	struct db *db = testdb_create(name);
	struct migrate_result r;
	char *want = testdb_value(db, "select md5(pg_get_functiondef('pii_contact(text, text)'::regprocedure))");
	char *now;

	ck_assert_int_eq(db_exec(db, "create or replace function pii_contact(p_kind text, p_value text) "
				     "returns text language sql stable as $$ select p_value $$", 0, NULL), 0);
	/* Unchanged files: nothing is re-applied, even though the body drifted. */
	ck_assert_int_eq(db_migrate_full(db, &r), 0);
	ck_assert_int_eq(r.repeatables, 0);
	ck_assert_int_eq(db_exec(db, "update schema_repeatables set checksum = 'older build' "
				     "where name = '10_masking.sql'", 0, NULL), 0);
	ck_assert_int_eq(db_migrate_full(db, &r), 0);
	ck_assert_int_eq(r.applied, 0);
	ck_assert_int_eq(r.repeatables, (int)sql_repeatables_count);
	now = testdb_value(db, "select md5(pg_get_functiondef('pii_contact(text, text)'::regprocedure))");
	ck_assert_str_eq(now, want);
	ck_assert_int_eq(db_migrate_full(db, &r), 0);
	ck_assert_int_eq(r.repeatables, 0);
	free(want);
	free(now);
	testdb_drop(db, name);
}
END_TEST

/* Several migrators on one fresh database (seen: 2 failures in 5 when
 * schema_migrations was created outside the lock). */
START_TEST(concurrent_migrators_on_a_fresh_database)
{
	enum { N = 5 };
	char name[64];
	struct db *db = empty_database(name, "race");
	pid_t pids[N];
	int ok = 0;

	db_close(db);
	for (int i = 0; i < N; i++) {
		pids[i] = fork();
		ck_assert_int_ge(pids[i], 0);
		if (pids[i] == 0) {
			char conninfo[96], err[256];
			struct db *c;
			int applied;

			snprintf(conninfo, sizeof(conninfo), "dbname=%s", name);
			c = db_open(conninfo, err, sizeof(err));
			_exit(c && db_migrate(c, &applied) == 0 ? 0 : 1);
		}
	}
	for (int i = 0; i < N; i++) {
		int st;

		waitpid(pids[i], &st, 0);
		ok += WIFEXITED(st) && WEXITSTATUS(st) == 0;
	}
	ck_assert_int_eq(ok, N);
	db = testdb_connect(name, NULL);
	{
		char *n = testdb_value(db, "select count(*) from schema_migrations");

		ck_assert_int_eq(atoi(n), (int)sql_migrations_count);
		free(n);
	}
	drop_database(db, name);
}
END_TEST

static Suite *migrate_suite(void)
{
	Suite *s = suite_create("migrate");
	TCase *tc = tcase_create("migrate");

	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, release1_database_upgrades_to_a_fresh_one);
	tcase_add_test(tc, release1_extra_open_calls_end_at_the_upgrade);
	tcase_add_test(tc, an_edited_numbered_migration_stops_the_run);
	tcase_add_test(tc, changed_repeatables_converge);
	tcase_add_test(tc, concurrent_migrators_on_a_fresh_database);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(migrate_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
