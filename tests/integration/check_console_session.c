/* check_console_session.c - the consoles' leases (console_session, sql/380;
 * sql/repeatable/45_agents.sql) at the size of a large floor: a beat costs
 * the same with 1,000 consoles open as with one, a plain renewal does not
 * wait for the WAL, and a lease that ran out is still let go by the next
 * beat when no ccterm-cti timers run. (Quitting and kill -9 through the
 * real console: check_pgbouncer.) Real PostgreSQL, real logins. */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testdb.h"

/* Roles are cluster-wide: every login here starts with cs_. */
#define AGENT "cs_agent"
#define MANY "cs_many"
#define GONE "cs_gone"

static struct db *db;      /* superuser: fixtures and checks */
static struct db *ag;      /* the agent whose console beats */
static char dbname[64];

static void setup(void)
{
	db = testdb_create(dbname);
	testdb_agent(db, AGENT, "Beating Agent", "agent");
	testdb_agent(db, MANY, "Many Consoles", "agent");
	testdb_agent(db, GONE, "Gone Agent", "agent");
	ag = testdb_connect(dbname, AGENT);
}

static void teardown(void)
{
	db_close(ag);
	testdb_drop(db, dbname);
}

static void exec_ok(struct db *d, const char *sql)
{
	ck_assert_msg(db_exec(d, sql, 0, NULL) == 0, "%s: %s", sql, db_error(d));
}

/* 1,000 open consoles beside the agent's, all of them in their lease. */
static void floor_of_consoles(void)
{
	exec_ok(db, "insert into console_session (login) select '" MANY "' from generate_series(1, 1000)");
	exec_ok(db, "update agent set state = 'not_ready' where login in ('" MANY "', '" AGENT "')");
}

/* The agent's console's first beat, committed: its id. */
static char *first_beat(void)
{
	char *id = testdb_value(ag, "select console_session_beat(null)");

	ck_assert_ptr_nonnull(id);
	return id;
}

/* Rows of console_session this transaction read so far (by scan or by index). */
static long rows_read(struct db *d)
{
	char *v = testdb_value(d, "select coalesce(seq_tup_read, 0) + coalesce(idx_tup_fetch, 0) "
				  "from pg_stat_xact_user_tables where relname = 'console_session'");
	long n = v ? atol(v) : -1;

	free(v);
	return n;
}

START_TEST(a_beat_reads_its_own_row_not_every_open_console)
{
	char sql[128], *id, *again;
	long read;

	floor_of_consoles();
	id = first_beat();
	snprintf(sql, sizeof(sql), "select console_session_beat(%s)", id);
	exec_ok(ag, "begin");
	again = testdb_value(ag, sql);
	read = rows_read(ag);
	exec_ok(ag, "commit");
	ck_assert_str_eq(again, id);
	/* Its own row and the oldest beat; not the 1,001 rows (it read every
	 * one, asking the lease setting once each, 50,000 times a second at
	 * 1,000 consoles: bench/RELAY.md). */
	ck_assert_msg(read >= 0 && read <= 10, "a beat read %ld rows of console_session", read);
	free(again);
	free(id);
}
END_TEST

START_TEST(the_timers_expiry_reads_nothing_when_no_lease_ran_out)
{
	char *n;
	long read;

	floor_of_consoles();
	exec_ok(db, "begin");
	n = testdb_value(db, "select console_sessions_expire()");
	read = rows_read(db);
	exec_ok(db, "commit");
	ck_assert_str_eq(n, "0");
	ck_assert_msg(read >= 0 && read <= 10, "the expiry read %ld rows of console_session", read);
	free(n);
}
END_TEST

START_TEST(a_renewal_commits_without_waiting_for_the_wal_a_new_lease_waits)
{
	char sql[128], *id, *sync;

	exec_ok(ag, "begin");
	id = testdb_value(ag, "select console_session_beat(null)");
	sync = testdb_value(ag, "show synchronous_commit");
	exec_ok(ag, "commit");
	/* a new row (and an agent who may be logged back in): durable */
	ck_assert_str_eq(sync, "on");
	free(sync);

	snprintf(sql, sizeof(sql), "select console_session_beat(%s)", id);
	exec_ok(ag, "begin");
	free(testdb_value(ag, sql));
	sync = testdb_value(ag, "show synchronous_commit");
	exec_ok(ag, "commit");
	ck_assert_str_eq(sync, "off");
	free(sync);
	/* only that transaction */
	sync = testdb_value(ag, "show synchronous_commit");
	ck_assert_str_eq(sync, "on");
	free(sync);

	/* A beat that lets a lapsed console go logs its agent out: durable. */
	exec_ok(db, "insert into console_session (login, seen_at) values ('" GONE "', clock_timestamp() - interval '10 minutes')");
	exec_ok(db, "update agent set state = 'not_ready' where login = '" GONE "'");
	exec_ok(ag, "begin");
	free(testdb_value(ag, sql));
	sync = testdb_value(ag, "show synchronous_commit");
	exec_ok(ag, "commit");
	ck_assert_str_eq(sync, "on");
	free(sync);
	free(id);
}
END_TEST

START_TEST(without_the_timers_the_next_beat_lets_a_lapsed_console_go)
{
	char sql[128], *id, *v;

	floor_of_consoles();
	id = first_beat();
	/* GONE's only console stopped beating 10 minutes ago (killed). */
	exec_ok(db, "insert into console_session (login, seen_at) values ('" GONE "', clock_timestamp() - interval '10 minutes')");
	exec_ok(db, "update agent set state = 'ready' where login = '" GONE "'");
	snprintf(sql, sizeof(sql), "select console_session_beat(%s)", id);
	v = testdb_value(ag, sql);
	ck_assert_str_eq(v, id);
	free(v);
	v = testdb_value(db, "select count(*) from console_session where login = '" GONE "'");
	ck_assert_str_eq(v, "0");
	free(v);
	v = testdb_value(db, "select state || ' ' || coalesce(state_reason, '') from agent where login = '" GONE "'");
	ck_assert_str_eq(v, "logged_out lapsed");
	free(v);
	/* the consoles in their lease stay, and so do their agents */
	v = testdb_value(db, "select count(*) from console_session where login = '" MANY "'");
	ck_assert_str_eq(v, "1000");
	free(v);
	v = testdb_value(db, "select state from agent where login = '" MANY "'");
	ck_assert_str_eq(v, "not_ready");
	free(v);
	free(id);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("console_session");
	TCase *tc = tcase_create("lease");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, a_beat_reads_its_own_row_not_every_open_console);
	tcase_add_test(tc, the_timers_expiry_reads_nothing_when_no_lease_ran_out);
	tcase_add_test(tc, a_renewal_commits_without_waiting_for_the_wal_a_new_lease_waits);
	tcase_add_test(tc, without_the_timers_the_next_beat_lets_a_lapsed_console_go);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
