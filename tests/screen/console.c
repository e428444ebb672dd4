/* console.c - the fixture every screen test of ccterm shares. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include "console.h"

struct db *db;
char dbname[64];
char xdg[64];

void console_setup(void)
{
	db = testdb_create(dbname);
	snprintf(xdg, sizeof(xdg), "/tmp/ccterm-xdg-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(xdg));
}

void console_teardown(void)
{
	char cmd[128];

	if (db)
		testdb_drop(db, dbname);
	db = NULL;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", xdg);
	ck_assert_int_eq(system(cmd), 0);
}

struct vt *console(const char *login, int rows, int cols)
{
	return console_at(login, rows, cols, xdg);
}

const char *console_relay;

struct vt *console_at(const char *login, int rows, int cols, const char *dir)
{
	static char bin[512], pgdb[96], pguser[96], cfg[128], state[128], pghost[256], relay[160];
	const char *argv[] = { bin, NULL };
	const char *env[] = { pgdb, pguser, cfg, state, pghost, relay, NULL };
	struct vt *vt;

	snprintf(bin, sizeof(bin), "%s/ccterm", testdb_builddir());
	snprintf(pgdb, sizeof(pgdb), "PGDATABASE=%s", dbname);
	snprintf(pguser, sizeof(pguser), "PGUSER=%s", login);
	snprintf(cfg, sizeof(cfg), "XDG_CONFIG_HOME=%s/config", dir);
	snprintf(state, sizeof(state), "XDG_STATE_HOME=%s/state", dir);
	snprintf(pghost, sizeof(pghost), "PGHOST=%s", getenv("PGHOST") ? getenv("PGHOST") : "");
	/* Never a relay of the machine's: only one a test started. */
	snprintf(relay, sizeof(relay), "CCTERM_RELAY=%s", console_relay ? console_relay : "off");
	vt = vt_spawn(argv, env, rows, cols);
	ck_assert_ptr_nonnull(vt);
	return vt;
}

long long value(const char *sql)
{
	char *v = testdb_value(db, sql);
	long long n = v ? atoll(v) : -1;

	free(v);
	return n;
}

void console_sql(const char *q)
{
	ck_assert_msg(db_exec(db, q, 0, NULL) == 0, "%s: %s", q, db_error(db));
}

/* A customer with a phone and n interactions, one of them hostile. */
long long console_customer(const char *name, const char *tier, const char *phone, int n)
{
	const char *p[4] = { name, tier, phone, NULL };
	char count[16];
	PGresult *res;
	long long id;

	snprintf(count, sizeof(count), "%d", n);
	p[3] = count;
	res = db_query(db, "with c as (insert into customer (external_id, name, tier_override, branch_code, value_won) "
			   "values ('X' || md5($1), $1, $2, 'SEL', 1234500) returning id), "
			   "o as (insert into orders (order_no, customer_id, ordered_at, channel, status, total_won) "
			   "select 'O-' || md5($1), c.id, now() - interval '3 days', 'web', 'delivered', 1000000 from c), "
			   "cp as (insert into contact_point (kind, value) values ('phone', $3) "
			   "on conflict (kind, value) do update set value = excluded.value returning id), "
			   "l as (insert into customer_contact (customer_id, contact_point_id, is_primary) "
			   "select c.id, cp.id, true from c, cp), "
			   "i as (insert into interaction (customer_id, occurred_at, channel, kind, subject, amount_won) "
			   "select c.id, now() - g * interval '1 hour', "
			   "(array['phone','web','email','store','chat'])[1 + g % 5], "
			   "case when g % 7 = 0 then 'complaint' else 'inquiry' end, 'Item ' || g, "
			   "case when g % 3 = 0 then g * 1000 end "
			   "from c, generate_series(1, $4::int) g) select id from c", 4, p);
	ck_assert_msg(res != NULL, "%s", db_error(db));
	id = atoll(PQgetvalue(res, 0, 0));
	PQclear(res);
	return id;
}

long long console_call(const char *ani_e164, const char *agent)
{
	const char *p[2] = { ani_e164, agent };
	PGresult *res = db_query(db, "select call_arrive($1, $1, '+8215881234', null, $2)", 2, p);
	long long id;

	ck_assert_msg(res != NULL, "%s", db_error(db));
	id = atoll(PQgetvalue(res, 0, 0));
	PQclear(res);
	return id;
}

long long console_backend_pid(const char *login)
{
	char q[256];

	snprintf(q, sizeof(q), "select pid from pg_stat_activity where usename = '%s' and application_name = 'ccterm'",
		 login);
	return value(q);
}

pid_t console_freeze(pid_t pid, int secs)
{
	pid_t w = fork();

	ck_assert_int_ge(w, 0);
	if (w == 0) {
		setsid();   /* outlives the test's process group, which check kills when the test fails */
		sleep((unsigned)secs);
		kill(pid, SIGCONT);
		_exit(0);
	}
	ck_assert_int_eq(kill(pid, SIGSTOP), 0);
	return w;
}

void console_thaw(pid_t pid, pid_t watchdog)
{
	ck_assert_int_eq(kill(pid, SIGCONT), 0);
	kill(watchdog, SIGKILL);
	waitpid(watchdog, NULL, 0);
}

bool console_process_stopped(pid_t pid)
{
	char path[64], line[512], *p;
	FILE *f;
	bool stopped = false;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	f = fopen(path, "r");
	if (!f)
		return false;
	if (fgets(line, sizeof(line), f) && (p = strrchr(line, ')')) && p[1] == ' ')
		stopped = p[2] == 'T';
	fclose(f);
	return stopped;
}

int console_main(Suite *s)
{
	SRunner *sr = srunner_create(s);
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
