/* check_console_access.c - the real console against a forged NOTIFY: any
 * login may send pg_notify('agent_<login>', 'call <id> offered'); the console takes
 * it as a hint, the database refuses to pop a call that is not the agent's,
 * nothing of that customer is shown or audited, and the agent's real calls
 * still pop after it. */
#include "config.h"

#include <check.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
	char sql[512];

	snprintf(sql, sizeof(sql),
		 "with c as (insert into customer (name, branch_code) values ('%s', 'SEL') returning id), "
		 "cp as (insert into contact_point (kind, value) values ('phone', '%s') returning id), "
		 "l as (insert into customer_contact (customer_id, contact_point_id, is_primary) "
		 "      select c.id, cp.id, true from c, cp) "
		 "select id from c", name, phone);
	return value(sql);
}

static long long call_to(const char *phone, const char *agent)
{
	char sql[256];

	snprintf(sql, sizeof(sql), "select call_arrive('%s', '%s', null, null, '%s')", phone, phone, agent);
	return value(sql);
}

START_TEST(a_forged_notify_pops_nothing)
{
	struct db *other;
	struct vt *vt;
	long long secret, theirs;
	char sql[160];

	testdb_agent(db, "cx_me", "나", "agent");
	testdb_agent(db, "cx_other", "남", "agent");
	secret = customer("비밀고객", "+821099990001");
	customer("진짜고객", "+821099990002");
	theirs = call_to("+821099990001", "cx_other");
	vt = console("cx_me", 24, 80);
	VT_ASSERT_WAIT(vt, "Waiting for calls", 5000);

	/* The other agent tells my console its call is mine. "Waiting for calls"
	 * may show before the console's LISTEN has run, and a notification sent
	 * before it is lost: the forger tries again until the console answers. */
	other = testdb_connect(dbname, "cx_other");
	snprintf(sql, sizeof(sql), "select pg_notify('agent_cx_me', 'call %lld offered')", theirs);
	{
		bool said = false;

		for (int tries = 0; tries < 10 && !said; tries++) {
			ck_assert_msg(db_exec(other, sql, 0, NULL) == 0, "%s", db_error(other));
			said = vt_wait_for(vt, "not offered to you", 500);
		}
		VT_ASSERT_WAIT(vt, "not offered to you", 1000);
	}
	db_close(other);
	ck_assert(!vt_find(vt, "비밀고객", NULL, NULL));
	/* no look by me (the offer to the other agent wrote the other's row) */
	snprintf(sql, sizeof(sql), "select count(*) from audit_log where customer_id = %lld and login = 'cx_me'", secret);
	ck_assert_int_eq(value(sql), 0);
	/* and the other agent's call is still offered to the other agent */
	ck_assert_int_eq(value("select count(*) from call where state = 'offered' and agent_login = 'cx_other'"), 1);

	/* My real call pops: the forged one does not stand in front of it. */
	call_to("+821099990002", "cx_me");
	VT_ASSERT_WAIT(vt, "진짜고객", 3000);
	ck_assert(!vt_find(vt, "비밀고객", NULL, NULL));
	vt_free(vt);
	ck_assert_int_eq(value(sql), 0);
}
END_TEST

static Suite *access_suite(void)
{
	Suite *s = suite_create("console_access");
	TCase *tc = tcase_create("notify");

	tcase_add_checked_fixture(tc, setup, console_teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, a_forged_notify_pops_nothing);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return console_main(access_suite());
}
