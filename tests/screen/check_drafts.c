/* check_drafts.c - what an agent typed is never lost, in the real console:
 * text typed after F10 survives kill -9 and a dropped SSH session like text
 * before it, F10 again updates the same row, a save racing a database
 * restart leaves one row with the latest text, a second console of the same
 * login refuses and says why without touching the first one's journal, and
 * a journal written by something else (control characters, damage) is
 * restored as far as it checks out and says what it skipped. */
#include "config.h"

#include <check.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ccterm/action.h"
#include "ccterm/journal.h"
#include "console.h"

static void setup(void)
{
	console_setup();
	ck_assert_int_eq(db_exec(db, "insert into branch (code, name) values ('SEL', '서울 본점') "
				     "on conflict do nothing", 0, NULL), 0);
}

/* A customer with this phone; returns the id. */
static long long customer(const char *name, const char *phone)
{
	const char *p[2] = { name, phone };
	PGresult *res = db_query(db, "with c as (insert into customer (external_id, name, tier, branch_code) "
				     "values ('D' || md5($1), $1, 'registered', 'SEL') returning id), "
				     "cp as (insert into contact_point (kind, value) values ('phone', $2) returning id), "
				     "l as (insert into customer_contact (customer_id, contact_point_id, is_primary) "
				     "select c.id, cp.id, true from c, cp) select id from c", 2, p);
	long long id;

	ck_assert_msg(res != NULL, "%s", db_error(db));
	id = atoll(PQgetvalue(res, 0, 0));
	PQclear(res);
	return id;
}

static void call_to(const char *ani_e164, const char *agent)
{
	const char *p[2] = { ani_e164, agent };
	PGresult *res = db_query(db, "select call_arrive($1, $1, '+8215881234', null, $2)", 2, p);

	ck_assert_msg(res != NULL, "%s", db_error(db));
	PQclear(res);
}

/* The number of this agent's interactions whose body is exactly body. */
static long long rows_with_body(const char *login, const char *body)
{
	const char *p[2] = { login, body };
	PGresult *res = db_query(db, "select count(*) from interaction where agent_login = $1 and body = $2", 2, p);
	long long n;

	ck_assert_msg(res != NULL, "%s", db_error(db));
	n = atoll(PQgetvalue(res, 0, 0));
	PQclear(res);
	return n;
}

static long long rows_of(const char *login)
{
	const char *p[1] = { login };
	PGresult *res = db_query(db, "select count(*) from interaction where agent_login = $1", 1, p);
	long long n;

	ck_assert_msg(res != NULL, "%s", db_error(db));
	n = atoll(PQgetvalue(res, 0, 0));
	PQclear(res);
	return n;
}

static void end_sigkill(struct vt *vt) { ck_assert_int_eq(vt_signal(vt, SIGKILL), 0); }
static void end_hangup(struct vt *vt) { ck_assert(vt_hangup(vt)); }

/*
 * Saves a contact, types on in the same form, ends the console with how:
 * at the next start the draft is back with the text typed after the save,
 * and F10 updates the row saved first (one row, the latest text).
 */
static void typed_after_save_survives(const char *login, void (*end)(struct vt *))
{
	struct vt *vt;
	int status;

	testdb_agent(db, login, "Agent Drafts", "agent");
	customer("박지성", "+821055556666");
	vt = console(login, 24, 80);
	VT_ASSERT_WAIT(vt, "Waiting for calls", 5000);
	call_to("+821055556666", login);
	VT_ASSERT_WAIT(vt, "Notes (Enter new line", 3000);
	ck_assert_int_eq(vt_type(vt, "저장 전<F10>"), 0);
	VT_ASSERT_WAIT(vt, "Saved as interaction #", 3000);
	ck_assert_int_eq(rows_with_body(login, "저장 전"), 1);
	ck_assert_int_eq(vt_type(vt, "<Enter>저장 후 추가"), 0);
	VT_ASSERT_WAIT(vt, "저장 후 추가", 2000);
	end(vt);
	ck_assert_int_eq(vt_wait_exit(vt, 3000, &status), 1);
	vt_free(vt);

	vt = console(login, 24, 80);
	VT_ASSERT_WAIT(vt, "restored from the journal", 5000);
	VT_ASSERT_WAIT(vt, "저장 전", 1000);
	VT_ASSERT_WAIT(vt, "저장 후 추가", 1000);
	ck_assert_int_eq(vt_type(vt, "!<F10>"), 0);
	VT_ASSERT_WAIT(vt, "Saved as interaction #", 3000);
	/* Saved again with nothing typed since: still the one row. */
	ck_assert_int_eq(vt_type(vt, "<F10>"), 0);
	VT_ASSERT_WAIT(vt, "Contact saved", 2000);
	vt_free(vt);
	ck_assert_int_eq(rows_of(login), 1);
	ck_assert_int_eq(rows_with_body(login, "저장 전\n저장 후 추가!"), 1);

	/* Saved with nothing after: nothing to restore at the next start. */
	vt = console(login, 24, 80);
	VT_ASSERT_WAIT(vt, "Agent Drafts", 5000);
	ck_assert(!vt_wait_for(vt, "restored from the journal", 1000));
	vt_free(vt);
	ck_assert_int_eq(rows_of(login), 1);
}

START_TEST(typed_after_save_survives_sigkill) { typed_after_save_survives("cc_d1", end_sigkill); }
END_TEST

START_TEST(typed_after_save_survives_ssh_drop) { typed_after_save_survives("cc_d2", end_hangup); }
END_TEST

/* F10, typing on, F10 again in one session: one row, the latest text;
 * changes after that discarded leave the row as saved. */
START_TEST(second_f10_updates_the_same_row)
{
	struct vt *vt;

	testdb_agent(db, "cc_d3", "Agent Again", "agent");
	customer("Emily Clark", "+821022223333");
	vt = console("cc_d3", 24, 80);
	VT_ASSERT_WAIT(vt, "Waiting for calls", 5000);
	call_to("+821022223333", "cc_d3");
	VT_ASSERT_WAIT(vt, "Notes (Enter new line", 3000);
	ck_assert_int_eq(vt_type(vt, "first<F10>"), 0);
	VT_ASSERT_WAIT(vt, "Saved as interaction #", 3000);
	ck_assert_int_eq(vt_type(vt, " second"), 0);
	VT_ASSERT_GONE(vt, "Saved as interaction #", 2000);   /* the form says it is not saved */
	ck_assert_int_eq(vt_type(vt, "<F10>"), 0);
	VT_ASSERT_WAIT(vt, "Saved as interaction #", 3000);
	/* Typed on and thrown away: the row keeps what was saved, and says so. */
	ck_assert_int_eq(vt_type(vt, " third<F8><F8>"), 0);
	VT_ASSERT_WAIT(vt, "Changes since the save discarded; interaction #", 2000);
	vt_free(vt);
	ck_assert_int_eq(rows_of("cc_d3"), 1);
	ck_assert_int_eq(rows_with_body("cc_d3", "first second"), 1);
}
END_TEST

/* scripts/pg on a cluster of this file's own, so restarting it disturbs no other test. */
static int pg(const char *what)
{
	char cmd[1024];
	const char *top = getenv("CCTERM_TOP_SRCDIR");

	snprintf(cmd, sizeof(cmd), "CCTERM_PGDATA='%s/.pgdata-restart-drafts' '%s/scripts/pg' %s >/dev/null 2>&1",
		 testdb_builddir(), top ? top : ".", what);
	return system(cmd);
}

static void restart_setup(void)
{
	char cmd[1024], *host;
	const char *top = getenv("CCTERM_TOP_SRCDIR");
	FILE *p;

	ck_assert_int_eq(pg("start"), 0);
	snprintf(cmd, sizeof(cmd), "CCTERM_PGDATA='%s/.pgdata-restart-drafts' '%s/scripts/pg' conninfo",
		 testdb_builddir(), top ? top : ".");
	p = popen(cmd, "r");
	ck_assert_ptr_nonnull(p);
	ck_assert_ptr_nonnull(fgets(cmd, sizeof(cmd), p));
	pclose(p);
	host = strstr(cmd, "host=");
	ck_assert_ptr_nonnull(host);
	host += 5;
	host[strcspn(host, " \n")] = '\0';
	setenv("PGHOST", host, 1);
	setup();
}

static void restart_teardown(void)
{
	if (!db)
		db = testdb_connect(dbname, NULL);
	console_teardown();
	pg("stop");
}

/*
 * F10 and a database restart at the same moment: whether the save got in
 * before the server went, or its answer was lost with the connection, or it
 * waited for the server to come back, the end is one row with the latest
 * text, and after the last save nothing is left to restore.
 */
START_TEST(save_racing_a_database_restart)
{
	struct vt *vt;
	int status;

	testdb_agent(db, "cc_d4", "Agent Race", "agent");
	customer("정우성", "+821044445555");
	vt = console("cc_d4", 24, 80);
	VT_ASSERT_WAIT(vt, "Waiting for calls", 5000);
	call_to("+821044445555", "cc_d4");
	VT_ASSERT_WAIT(vt, "Notes (Enter new line", 3000);
	ck_assert_int_eq(vt_type(vt, "경주"), 0);
	VT_ASSERT_WAIT(vt, "경주", 2000);
	db_close(db);
	db = NULL;
	ck_assert_int_eq(vt_type(vt, "<F10>"), 0);
	ck_assert_int_eq(pg("restart"), 0);
	/* Typed while the save is in doubt: kept, and saved too. */
	ck_assert_int_eq(vt_type(vt, " 중"), 0);
	VT_ASSERT_WAIT(vt, "경주 중", 2000);
	ck_assert_int_eq(vt_type(vt, "<F10>"), 0);
	VT_ASSERT_WAIT(vt, "Saved as interaction #", 15000);
	VT_ASSERT_WAIT(vt, "DB ok", 5000);
	db = testdb_connect(dbname, NULL);
	/* "Saved as" may be the first save's answer (it got in before the
	 * server went): the second, with the latest text, follows it. */
	for (int waited = 0; waited < 10000 && rows_with_body("cc_d4", "경주 중") == 0; waited += 100)
		usleep(100 * 1000);
	ck_assert_int_eq(rows_with_body("cc_d4", "경주 중"), 1);
	ck_assert_int_eq(rows_of("cc_d4"), 1);
	end_sigkill(vt);
	ck_assert_int_eq(vt_wait_exit(vt, 3000, &status), 1);
	vt_free(vt);

	vt = console("cc_d4", 24, 80);
	VT_ASSERT_WAIT(vt, "Agent Race", 5000);
	ck_assert(!vt_wait_for(vt, "restored from the journal", 1000));
	vt_free(vt);
	ck_assert_int_eq(rows_of("cc_d4"), 1);
}
END_TEST

/*
 * Two consoles of one login on two terminals of one machine: the second
 * refuses, saying why, and leaves the first one's journal alone (the first
 * keeps typing; after a kill -9 all of it comes back).
 */
START_TEST(second_console_of_a_login_refuses_and_says_why)
{
	struct vt *a, *b;
	int status;

	testdb_agent(db, "cc_d5", "Agent Twice", "agent");
	customer("김영희", "+821077778888");
	a = console("cc_d5", 24, 80);
	VT_ASSERT_WAIT(a, "Waiting for calls", 5000);
	call_to("+821077778888", "cc_d5");
	VT_ASSERT_WAIT(a, "Notes (Enter new line", 3000);
	ck_assert_int_eq(vt_type(a, "첫 번째 콘솔"), 0);
	VT_ASSERT_WAIT(a, "첫 번째 콘솔", 2000);

	b = console("cc_d5", 24, 80);
	VT_ASSERT_WAIT(b, "another ccterm of this login is running", 5000);
	ck_assert_int_eq(vt_wait_exit(b, 3000, &status), 1);
	ck_assert(WIFEXITED(status));
	ck_assert_int_eq(WEXITSTATUS(status), 1);
	vt_free(b);

	ck_assert_int_eq(vt_type(a, " 계속"), 0);
	VT_ASSERT_WAIT(a, "첫 번째 콘솔 계속", 2000);
	end_sigkill(a);
	ck_assert_int_eq(vt_wait_exit(a, 3000, &status), 1);
	vt_free(a);

	a = console("cc_d5", 24, 80);
	VT_ASSERT_WAIT(a, "restored from the journal", 5000);
	VT_ASSERT_WAIT(a, "첫 번째 콘솔 계속", 1000);
	vt_free(a);
}
END_TEST

/* The journal of login as ccterm names it in this test's state directory. */
static void journal_path_of(const char *login, char *path, size_t size)
{
	char state[128], *old = getenv("XDG_STATE_HOME") ? strdup(getenv("XDG_STATE_HOME")) : NULL;

	snprintf(state, sizeof(state), "%s/state", xdg);
	setenv("XDG_STATE_HOME", state, 1);
	ck_assert_int_eq(journal_default_path(login, path, size), 0);
	if (old)
		setenv("XDG_STATE_HOME", old, 1);
	else
		unsetenv("XDG_STATE_HOME");
	free(old);
}

/*
 * A journal holding notes with control characters (written by something
 * else: the console never journals them) and a damaged end: the notes come
 * back visible, not dropped, the message says what was skipped, and F10
 * saves what is on screen.
 */
START_TEST(hostile_journal_is_restored_as_far_as_it_checks_out)
{
	char path[4096], err[256], id[JOURNAL_UUID_LEN + 1], num[32];
	struct journal *j;
	struct vt *vt;
	FILE *f;
	long long cust;

	testdb_agent(db, "cc_d6", "Agent Hostile", "agent");
	cust = customer("Mallory", "+821088889999");
	journal_path_of("cc_d6", path, sizeof(path));
	j = journal_open(path, err, sizeof(err));
	ck_assert_msg(j != NULL, "%s", err);
	/* Not a UUID: contact_save could never take it as the draft's key. */
	snprintf(id, sizeof(id), "hostile-draft\x1b[1m");
	ck_assert_int_eq(journal_begin(j, id), 0);
	snprintf(num, sizeof(num), "%lld", cust);
	ck_assert_int_eq(journal_set(j, "customer_id", num), 0);
	ck_assert_int_eq(journal_set(j, "notes", "bell\a esc\x1b[2J tab\tend"), 0);
	ck_assert_int_eq(journal_set(j, "subject", "sub\x1b[2Jject"), 0);
	journal_close(j);
	f = fopen(path, "ab");
	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(fwrite("\xFEJ\x03\x00garbage", 1, 11, f), 11);   /* a torn record */
	fclose(f);

	vt = console("cc_d6", 24, 200);
	VT_ASSERT_WAIT(vt, "Draft restored from the journal", 5000);
	VT_ASSERT_WAIT(vt, "control characters in the notes shown as symbols", 1000);
	VT_ASSERT_WAIT(vt, "11 damaged bytes skipped (a torn end)", 1000);
	VT_ASSERT_WAIT(vt, "bell␇ esc␛[2J tab end", 2000);
	VT_ASSERT_WAIT(vt, "sub␛[2Jject", 1000);        /* drawn inert, never obeyed */
	ck_assert_int_eq(vt_type(vt, "<F10>"), 0);
	VT_ASSERT_WAIT(vt, "Saved as interaction #", 3000);
	vt_free(vt);
	ck_assert_int_eq(rows_with_body("cc_d6", "bell␇ esc␛[2J tab end"), 1);
}
END_TEST

/* A state directory ccterm cannot use: it says which path and why, and stops. */
START_TEST(unusable_state_directory_says_which_and_why)
{
	char state[128];
	struct vt *vt;
	FILE *f;
	int status;

	testdb_agent(db, "cc_d7", "Agent Nowhere", "agent");
	/* A file where the directory should be (root may write anywhere, but not under a file). */
	snprintf(state, sizeof(state), "%s/state", xdg);
	f = fopen(state, "w");
	ck_assert_ptr_nonnull(f);
	fclose(f);
	vt = console("cc_d7", 24, 200);
	VT_ASSERT_WAIT(vt, "ccterm: draft journal /tmp/ccterm-xdg-", 5000);
	VT_ASSERT_WAIT(vt, "/state/ccterm/cc_d7.journal: Not a directory", 1000);
	ck_assert_int_eq(vt_wait_exit(vt, 3000, &status), 1);
	ck_assert(WIFEXITED(status));
	ck_assert_int_eq(WEXITSTATUS(status), 1);
	vt_free(vt);
}
END_TEST

/* keymaps/README.md sends the reader to `ccterm --actions`: it lists every action. */
START_TEST(actions_lists_every_action_with_its_help)
{
	char cmd[600], line[256];
	int seen = 0;
	FILE *p;

	snprintf(cmd, sizeof(cmd), "'%s/ccterm' --actions </dev/null", testdb_builddir());
	p = popen(cmd, "r");
	ck_assert_ptr_nonnull(p);
	while (fgets(line, sizeof(line), p)) {
		char want[256];

		ck_assert_int_lt(seen, ACTION_COUNT);
		snprintf(want, sizeof(want), "%-18s %s\n", action_name((enum action)seen),
			 action_help((enum action)seen));
		ck_assert_str_eq(line, want);
		seen++;
	}
	ck_assert_int_eq(pclose(p), 0);
	ck_assert_int_eq(seen, ACTION_COUNT);
}
END_TEST

/*
 * The call after a saved contact: the saved draft left an empty journal,
 * and the next pop's new draft is appended to that same file (not a
 * rewrite: path.tmp, fdatasync, rename, before the frame), holding the new
 * call and customer.
 */
START_TEST(next_call_after_a_save_journals_in_place)
{
	char path[512], want[64];
	struct draft_state d;
	struct stat st;
	long long second, call;
	ino_t ino;
	struct vt *vt;

	testdb_agent(db, "cc_d8", "Agent Next", "agent");
	customer("김연아", "+821077778888");
	second = customer("손흥민", "+821099990000");
	journal_path_of("cc_d8", path, sizeof(path));
	vt = console("cc_d8", 24, 80);
	VT_ASSERT_WAIT(vt, "Waiting for calls", 5000);
	call_to("+821077778888", "cc_d8");
	VT_ASSERT_WAIT(vt, "Notes (Enter new line", 3000);
	ck_assert_int_eq(vt_type(vt, "첫 통화<F10>"), 0);
	VT_ASSERT_WAIT(vt, "Saved as interaction #", 3000);
	ck_assert_int_eq(stat(path, &st), 0);
	ck_assert_int_eq(st.st_size, 0);                /* saved: nothing to restore */
	ino = st.st_ino;

	console_sql("select call_hangup(id) from call where agent_login = 'cc_d8'");
	call_to("+821099990000", "cc_d8");
	call = value("select max(id) from call where agent_login = 'cc_d8'");
	snprintf(want, sizeof(want), "Incoming call #%lld waiting", call);
	VT_ASSERT_WAIT(vt, want, 3000);         /* the form is open: the call waits */
	ck_assert_int_eq(vt_type(vt, "<C-t>"), 0);
	VT_ASSERT_WAIT(vt, "손흥민", 3000);
	VT_ASSERT_WAIT(vt, " · journaled · F10 save", 3000);
	ck_assert_int_eq(stat(path, &st), 0);
	ck_assert_int_eq(st.st_ino, ino);               /* appended, not rewritten */
	ck_assert_int_gt(st.st_size, 0);
	ck_assert_int_eq(journal_recover(path, &d), 1);
	snprintf(want, sizeof(want), "%lld", second);
	ck_assert_str_eq(draft_state_get(&d, "customer_id"), want);
	snprintf(want, sizeof(want), "%lld", call);
	ck_assert_str_eq(draft_state_get(&d, "call_id"), want);
	ck_assert_str_eq(draft_state_get(&d, "channel"), "phone");
	draft_state_free(&d);
	vt_free(vt);
}
END_TEST

static Suite *drafts_suite(void)
{
	Suite *s = suite_create("drafts");
	TCase *tc = tcase_create("after_save");

	tcase_add_checked_fixture(tc, setup, console_teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, typed_after_save_survives_sigkill);
	tcase_add_test(tc, typed_after_save_survives_ssh_drop);
	tcase_add_test(tc, second_f10_updates_the_same_row);
	tcase_add_test(tc, second_console_of_a_login_refuses_and_says_why);
	tcase_add_test(tc, hostile_journal_is_restored_as_far_as_it_checks_out);
	tcase_add_test(tc, unusable_state_directory_says_which_and_why);
	tcase_add_test(tc, next_call_after_a_save_journals_in_place);
	tcase_add_test(tc, actions_lists_every_action_with_its_help);
	suite_add_tcase(s, tc);
	tc = tcase_create("restart");
	tcase_add_checked_fixture(tc, restart_setup, restart_teardown);
	tcase_set_timeout(tc, 90);
	tcase_add_test(tc, save_racing_a_database_restart);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return console_main(drafts_suite());
}
