/* testdb.c - fresh databases for tests, cloned from one migrated template. */
#include "config.h"

#include <check.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ccterm/admin.h"
#include "ccterm/embedded.h"
#include "testdb.h"

#define TEMPLATE "ccterm_test_template"

struct db *testdb_connect(const char *name, const char *user)
{
	char conninfo[256], err[512];
	struct db *db;

	snprintf(conninfo, sizeof(conninfo), "dbname=%s%s%s", name, user ? " user=" : "", user ? user : "");
	db = db_open(conninfo, err, sizeof(err));
	if (!db)
		ck_abort_msg("%s", err);
	return db;
}

static unsigned long files_hash(unsigned long h, const struct embedded_file *f, size_t n)
{
	for (size_t i = 0; i < n; i++)
		for (const char *p = f[i].text; *p; p++)
			h = h * 33 + (unsigned char)*p;
	return h;
}

/* A hash of the embedded schema files: a stale template is rebuilt. */
static unsigned long migrations_hash(void)
{
	return files_hash(files_hash(5381, sql_migrations, sql_migrations_count),
			  sql_repeatables, sql_repeatables_count);
}

static void template_ensure(void)
{
	struct db *admin = testdb_connect("postgres", NULL);
	char want[32], *have;
	int applied;

	snprintf(want, sizeof(want), "%lu", migrations_hash());
	/* Every test process takes this lock in the same database, so only
	 * one of them builds the template. */
	ck_assert_int_eq(db_exec(admin, "select pg_advisory_lock(7734002)", 0, NULL), 0);
	have = testdb_value(admin, "select (select shobj_description(oid, 'pg_database') from pg_database "
				   "where datname = '" TEMPLATE "')");
	if (!have || strcmp(have, want) != 0) {
		struct db *t;
		char sql[128];

		db_exec(admin, "drop database if exists " TEMPLATE, 0, NULL);
		ck_assert_msg(db_exec(admin, "create database " TEMPLATE, 0, NULL) == 0, "%s", db_error(admin));
		t = testdb_connect(TEMPLATE, NULL);
		ck_assert_msg(db_migrate(t, &applied) == 0, "migrate: %s", db_error(t));
		db_close(t);
		snprintf(sql, sizeof(sql), "comment on database " TEMPLATE " is '%s'", want);
		ck_assert_int_eq(db_exec(admin, sql, 0, NULL), 0);
	}
	free(have);
	db_exec(admin, "select pg_advisory_unlock(7734002)", 0, NULL);
	db_close(admin);
}

struct db *testdb_create(char *name)
{
	static int seq;
	struct db *admin;
	char sql[160];

	template_ensure();
	snprintf(name, 64, "ccterm_t%ld_%d", (long)getpid(), ++seq);
	admin = testdb_connect("postgres", NULL);
	snprintf(sql, sizeof(sql), "drop database if exists %s", name);
	db_exec(admin, sql, 0, NULL);
	snprintf(sql, sizeof(sql), "create database %s template " TEMPLATE, name);
	ck_assert_msg(db_exec(admin, sql, 0, NULL) == 0, "%s", db_error(admin));
	db_close(admin);
	return testdb_connect(name, NULL);
}

void testdb_drop(struct db *db, const char *name)
{
	struct db *admin;
	char sql[160];

	db_close(db);
	admin = testdb_connect("postgres", NULL);
	snprintf(sql, sizeof(sql), "drop database if exists %s with (force)", name);
	db_exec(admin, sql, 0, NULL);
	db_close(admin);
}

void testdb_agent_in(struct db *db, const char *login, const char *name, const char *role, const char *queues)
{
	struct agent_spec a = { .login = login, .name = name, .branch = "SEL", .role = role, .queues = queues };

	ck_assert_int_eq(admin_branch_add(db, "SEL", "서울 본점", "Seoul"), 0);
	ck_assert_msg(admin_agent_add(db, &a) == 0, "agent add %s: %s", login, db_error(db));
}

void testdb_agent(struct db *db, const char *login, const char *name, const char *role)
{
	testdb_agent_in(db, login, name, role, NULL);
}

void testdb_center_at_noon(struct db *db)
{
	static const char sql[] =
		"insert into settings (key, value) select 'timezone', case when o > 0 then 'Etc/GMT-' || o "
		"when o < 0 then 'Etc/GMT+' || -o else 'Etc/GMT' end "
		"from (select 12 - extract(hour from now() at time zone 'UTC')::int o) x "
		"on conflict (key) do update set value = excluded.value";

	ck_assert_msg(db_exec(db, sql, 0, NULL) == 0, "center at noon: %s", db_error(db));
}

char *testdb_file(const char *text)
{
	char *path = strdup("/tmp/ccterm-test-XXXXXX.csv");
	int fd = mkstemps(path, 4);
	size_t len = strlen(text);

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, text, len), (ssize_t)len);
	close(fd);
	return path;
}

char *testdb_value(struct db *db, const char *sql)
{
	PGresult *res = db_query(db, sql, 0, NULL);
	char *v;

	ck_assert_msg(res != NULL, "%s: %s", sql, db_error(db));
	ck_assert_int_eq(PQntuples(res), 1);
	v = PQgetisnull(res, 0, 0) ? NULL : strdup(PQgetvalue(res, 0, 0));
	PQclear(res);
	return v;
}

long long testdb_count(struct db *db, const char *sql)
{
	char *v = testdb_value(db, sql);
	long long n = v ? atoll(v) : -1;

	free(v);
	return n;
}

char *testdb_row_text(const PGresult *res, int row)
{
	size_t len = 1;
	char *out, *p;

	for (int c = 0; c < PQnfields(res); c++)
		len += (PQgetisnull(res, row, c) ? 1 : strlen(PQgetvalue(res, row, c))) + 1;
	out = p = malloc(len);
	ck_assert_ptr_nonnull(out);
	*p = '\0';
	for (int c = 0; c < PQnfields(res); c++)
		p += sprintf(p, "%s%s", c ? "|" : "", PQgetisnull(res, row, c) ? "~" : PQgetvalue(res, row, c));
	return out;
}

const char *testdb_builddir(void)
{
	const char *d = getenv("CCTERM_BUILDDIR");

	return d && *d ? d : ".";
}

int testdb_run(const char *name, const char *cmd, char *out, size_t outsz)
{
	char line[2048];
	FILE *p;
	size_t n = 0;

	snprintf(line, sizeof(line), "PGDATABASE=%s %s/%s 2>&1", name, testdb_builddir(), cmd);
	p = popen(line, "r");
	ck_assert_ptr_nonnull(p);
	if (out) {
		n = fread(out, 1, outsz - 1, p);
		out[n] = '\0';
	}
	/* The rest is read too: a program saying what it did must not die of
	 * SIGPIPE on a pipe closed under it. */
	while (fread(line, 1, sizeof(line), p) > 0)
		;
	return WEXITSTATUS(pclose(p));
}

pid_t testdb_spawn(const char *name, const char *prog, const char *const *args, const char *const *env,
		   const char *log)
{
	pid_t pid = fork();

	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		char bin[4096];
		const char *argv[32];
		int n = 0;

		/* Dies with the test: a failed test leaves nothing running. */
		prctl(PR_SET_PDEATHSIG, SIGTERM);
		snprintf(bin, sizeof(bin), "%s/%s", testdb_builddir(), prog);
		argv[n++] = bin;
		for (; *args && n < 31; args++)
			argv[n++] = *args;
		argv[n] = NULL;
		setenv("PGDATABASE", name, 1);
		for (; env && *env; env += 2)
			setenv(env[0], env[1], 1);
		if (!freopen(log, "w", stdout) || dup2(fileno(stdout), 2) < 0)
			_exit(127);
		execv(bin, (char *const *)argv);
		_exit(127);
	}
	return pid;
}

int testdb_stop(pid_t pid)
{
	int status;

	kill(pid, SIGTERM);
	for (int i = 0; i < 100; i++) {
		if (waitpid(pid, &status, WNOHANG) == pid)
			return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
		usleep(50 * 1000);
	}
	kill(pid, SIGKILL);
	waitpid(pid, &status, 0);
	return -1;
}

int testdb_pg(const char *name, const char *what)
{
	char cmd[1024];
	const char *top = getenv("CCTERM_TOP_SRCDIR");

	snprintf(cmd, sizeof(cmd), "CCTERM_PGDATA='%s/.pgdata-%s' '%s/scripts/pg' %s >/dev/null",
		 testdb_builddir(), name, top ? top : ".", what);
	return system(cmd);
}

void testdb_private_cluster(const char *name)
{
	char env[1024], *host;
	FILE *p;
	const char *top = getenv("CCTERM_TOP_SRCDIR");

	ck_assert_int_eq(testdb_pg(name, "start"), 0);
	snprintf(env, sizeof(env), "CCTERM_PGDATA='%s/.pgdata-%s' '%s/scripts/pg' conninfo",
		 testdb_builddir(), name, top ? top : ".");
	p = popen(env, "r");
	ck_assert_ptr_nonnull(p);
	ck_assert_ptr_nonnull(fgets(env, sizeof(env), p));
	pclose(p);
	host = strstr(env, "host=");
	ck_assert_ptr_nonnull(host);
	host += 5;
	host[strcspn(host, " \n")] = '\0';
	setenv("PGHOST", host, 1);
}
