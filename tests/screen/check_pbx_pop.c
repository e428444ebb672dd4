/* check_pbx_pop.c - a call the PBX reports pops the caller on the agent's
 * real console: `ccterm-cti events` (the PBX adapters' shared path into
 * the database, 47_pbx.sql) offers a call to the agent's extension, the
 * console in its terminal shows the customer; the PBX's hangup ends it. */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "ccterm/pbx.h"
#include "console.h"

static void sql(const char *q)
{
	ck_assert_msg(db_exec_script(db, q) == 0, "%s: %s", q, db_error(db));
}

/* Feeds JSON lines to `ccterm-cti events` as the CTI login. */
static void events(const char *lines)
{
	char *path = testdb_file(lines), cmd[4200], out[2048];
	FILE *p;
	size_t n;
	int rc;

	snprintf(cmd, sizeof(cmd), "PGDATABASE=%s PGUSER=pp_cti %s/ccterm-cti events < %s 2>&1", dbname,
		 testdb_builddir(), path);
	p = popen(cmd, "r");
	ck_assert_ptr_nonnull(p);
	n = fread(out, 1, sizeof(out) - 1, p);
	out[n] = '\0';
	rc = WEXITSTATUS(pclose(p));
	unlink(path);
	free(path);
	ck_assert_msg(rc == 0 && !strstr(out, "skipped"), "%s", out);
}

START_TEST(a_pbx_offer_to_the_agents_extension_pops_the_caller)
{
	struct vt *vt;

	sql("do $$ begin create role pp_cti login; exception when duplicate_object then null; end $$;"
	    "grant ccterm_cti to pp_cti");
	testdb_agent(db, "pp_a1", "상담원 하나", "agent");
	ck_assert_msg(db_agent_extension(db, "pp_a1", "PJSIP/701") == 0, "%s", db_error(db));
	sql("with c as (insert into customer (external_id, name, branch_code) values ('PP-1', '김철수', 'SEL') returning id), "
	    "cp as (insert into contact_point (kind, value) values ('phone', '+821055512345') returning id) "
	    "insert into customer_contact (customer_id, contact_point_id, is_primary) select c.id, cp.id, true from c, cp");
	vt = console("pp_a1", 24, 80);
	VT_ASSERT_WAIT(vt, "Waiting for calls", 5000);
	events("{\"event\":\"queued\",\"call_id\":\"1764579000.11\",\"ani\":\"010-5551-2345\",\"dnis\":\"15881234\"}\n"
	       "{\"event\":\"offered\",\"call_id\":\"1764579000.11\",\"agent\":\"pjsip/701\"}\n");
	VT_ASSERT_WAIT(vt, "김철수", 5000);
	/* The console takes the pop (it answers): the PBX's answer that follows is a repeat and changes nothing. */
	ck_assert_int_eq(value("select count(*) from call where pbx_id = '1764579000.11' and state in ('offered', 'answered') "
			       "and agent_login = 'pp_a1'"), 1);
	events("{\"event\":\"answered\",\"call_id\":\"1764579000.11\",\"agent\":\"PJSIP/701\"}\n"
	       "{\"event\":\"ended\",\"call_id\":\"1764579000.11\"}\n");
	ck_assert_int_eq(value("select count(*) from call where state = 'ended'"), 1);
	vt_free(vt);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("pbx_pop");
	TCase *tc = tcase_create("pop");

	tcase_add_checked_fixture(tc, console_setup, console_teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, a_pbx_offer_to_the_agents_extension_pops_the_caller);
	suite_add_tcase(s, tc);
	return console_main(s);
}
