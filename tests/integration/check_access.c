/* check_access.c - access is enforced by PostgreSQL itself: logged in as
 * each role (libpq, user=<login>), try to read and write past the policy.
 *
 *   - the superuser escalation through a temp object shadowing a table,
 *     tried against every SECURITY DEFINER function of the schema;
 *   - every SECURITY DEFINER function owned by a non-superuser with a safe
 *     search_path, TEMP revoked from PUBLIC;
 *   - branch staff see their own branch's customers only, in every table
 *     and through every function; nobody but admins reads a clear RRN;
 *   - agents write only through functions, in their own name, on their own
 *     calls; reads of a customer record are audited by the database;
 *   - agent add: a lesser role drops the old memberships; logins whose
 *     NOTIFY channel would not fit an identifier are refused;
 *   - customer edits carry a row version: a stale one is a conflict. */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ccterm/admin.h"
#include "ccterm/floor.h"
#include "testdb.h"

/* Roles are cluster-wide and other test programs run at the same time:
 * every login here starts with ac_. */
#define AGENT  "ac_agent"
#define AGENT2 "ac_agent2"
#define BRANCH "ac_branch"
#define SUPER  "ac_super"
#define ADMIN  "ac_admin"
#define CTI    "ac_cti"
#define EVIL   "ac_evil"

static struct db *db;      /* superuser: fixtures and checks */
static char dbname[64];

/* Two branches. S1 lives in Seoul (SEL, the branch of every login here);
 * B1 in Busan, with a secret, phone, e-mail, order, case, alert and a call;
 * B2 lives in Busan but was served in Seoul (a store visit at SEL); N1 has
 * no branch at all. */
static const char fixture[] =
	"insert into branch (code, name) values ('BUS', '부산점') on conflict do nothing;"
	"insert into customer (external_id, name, tier, branch_code) values "
	"  ('S1', '서울고객', 'registered', 'SEL'), ('B1', '부산고객', 'platinum', 'BUS'), "
	"  ('B2', '부산방문', 'registered', 'BUS'), ('N1', '무지점', 'registered', null);"
	"insert into customer_secret (customer_id, rrn) select id, '800301-1234567' from customer;"
	"insert into contact_point (kind, value) values ('phone', '+821011110001'), ('phone', '+821099990001'), "
	"  ('email', 'b1@example.kr'), ('phone', '+821099990002'), ('phone', '+821055550001');"
	"insert into customer_contact (customer_id, contact_point_id, label, is_primary) "
	"  select c.id, p.id, 'mobile', true from (values ('S1', '+821011110001'), ('B1', '+821099990001'), "
	"    ('B1', 'b1@example.kr'), ('B2', '+821099990002'), ('N1', '+821055550001')) v(ext, val) "
	"  join customer c on c.external_id = v.ext join contact_point p on p.value = v.val;"
	"insert into interaction (customer_id, occurred_at, channel, kind, subject, body, branch_code) "
	"  select c.id, now() - interval '1 day', v.ch, 'inquiry', 'subject ' || v.ext, 'secret body ' || v.ext, v.br "
	"  from (values ('S1', 'store', 'SEL'), ('B1', 'store', 'BUS'), ('B2', 'store', 'SEL'), ('N1', 'phone', null)) "
	"    v(ext, ch, br) join customer c on c.external_id = v.ext;"
	"insert into orders (order_no, customer_id, ordered_at, channel, total_won, branch_code) "
	"  select 'ORD-B1', id, now(), 'store', 1000, 'BUS' from customer where external_id = 'B1';"
	"insert into order_line (order_id, line_no, sku, name, qty, price_won) "
	"  select id, 1, 'SKU', 'thing', 1, 1000 from orders;"
	"insert into cases (customer_id, subject) select id, 'B1 complaint' from customer where external_id = 'B1';"
	"insert into alert (customer_id, kind, message) select id, 'note', 'B1 note' from customer where external_id = 'B1';"
	"insert into campaign (name, offer, starts) values ('camp', 'offer', current_date);"
	"insert into campaign_member (campaign_id, customer_id) select k.id, c.id from campaign k, customer c;"
	"insert into queue (name) values ('ac_q') on conflict do nothing;";

static void exec(const char *sql)
{
	ck_assert_msg(db_exec_script(db, sql) == 0, "%s: %s", sql, db_error(db));
}

static long long id_of(const char *external_id)
{
	char sql[128];

	snprintf(sql, sizeof(sql), "select id from customer where external_id = '%s'", external_id);
	return testdb_count(db, sql);
}

static void login(const char *name, const char *role)
{
	testdb_agent(db, name, name, role);
}

/* A plain login role that belongs to the given group roles (comma list). */
static void group_login(const char *name, const char *groups)
{
	char sql[512];

	snprintf(sql, sizeof(sql),
		 "do $$ begin create role %s login; exception when duplicate_object then null; end $$;"
		 "alter role %s nosuperuser; grant %s to %s;", name, name, groups, name);
	exec(sql);
}

static void setup(void)
{
	int applied;

	db = testdb_create(dbname);
	/* The migrator is run again on the copy: what it sets on the database
	 * itself (not copied from a template) is then in place too. */
	ck_assert_msg(db_migrate(db, &applied) == 0, "migrate: %s", db_error(db));
	login(AGENT, "agent");
	login(AGENT2, "agent");
	login(BRANCH, "branch");
	login(SUPER, "supervisor");
	login(ADMIN, "admin");
	group_login(CTI, "ccterm_cti");
	exec(fixture);
}

static void teardown(void)
{
	/* in case an attack worked: never leave a superuser behind */
	db_exec(db, "alter role " EVIL " nosuperuser", 0, NULL);
	testdb_drop(db, dbname);
}

static struct db *as(const char *user)
{
	return testdb_connect(dbname, user);
}

/* sql must fail for this login, with this SQLSTATE when one is given. */
static void refused(struct db *c, const char *sql, const char *state)
{
	int rc = db_exec(c, sql, 0, NULL);

	ck_assert_msg(rc < 0, "%s: allowed as %s", sql, db_user(c));
	if (state)
		ck_assert_msg(strcmp(db_sqlstate(c), state) == 0, "%s as %s: %s %s (want %s)", sql, db_user(c),
			      db_sqlstate(c), db_error(c), state);
}

/* The one value of sql run as this login ("" for NULL); aborts on error. */
static char *value_as(struct db *c, const char *sql)
{
	PGresult *res = db_query(c, sql, 0, NULL);
	char *v;

	ck_assert_msg(res != NULL, "%s as %s: %s", sql, db_user(c), db_error(c));
	ck_assert_msg(PQntuples(res) == 1, "%s as %s: %d rows", sql, db_user(c), PQntuples(res));
	v = strdup(PQgetisnull(res, 0, 0) ? "" : PQgetvalue(res, 0, 0));
	PQclear(res);
	return v;
}

static long long number_as(struct db *c, const char *sql)
{
	char *v = value_as(c, sql);
	long long n = atoll(v);

	free(v);
	return n;
}

/* --- the schema's owner and its SECURITY DEFINER functions ------------------- */

START_TEST(definer_functions_are_owned_safely)
{
	char *v;

	/* Every function and relation of the schema belongs to ccterm_owner,
	 * which is no superuser and cannot log in. */
	ck_assert_int_eq(testdb_count(db, "select count(*) from pg_roles where rolname = 'ccterm_owner' "
			       "and not rolsuper and not rolcanlogin and not rolcreaterole and not rolbypassrls"), 1);
	v = testdb_value(db, "select string_agg(p.oid::regprocedure::text || ' ' || pg_get_userbyid(p.proowner), ', ') "
			     "from pg_proc p where p.pronamespace = 'public'::regnamespace "
			     "and pg_get_userbyid(p.proowner) <> 'ccterm_owner'");
	ck_assert_msg(v == NULL, "functions not owned by ccterm_owner: %s", v);
	v = testdb_value(db, "select string_agg(c.relname || ' ' || pg_get_userbyid(c.relowner), ', ') "
			     "from pg_class c where c.relnamespace = 'public'::regnamespace "
			     "and c.relkind in ('r', 'v', 'S', 'm', 'p') and c.relname not in ('schema_migrations', 'schema_repeatables') "
			     "and pg_get_userbyid(c.relowner) <> 'ccterm_owner'");
	ck_assert_msg(v == NULL, "relations not owned by ccterm_owner: %s", v);
	/* Every SECURITY DEFINER function: pg_temp last, and not executable by PUBLIC. */
	ck_assert_int_gt(testdb_count(db, "select count(*) from pg_proc where prosecdef and pronamespace = 'public'::regnamespace"),
			 10);
	v = testdb_value(db, "select string_agg(p.oid::regprocedure::text || ' ' || coalesce(p.proconfig::text, '-'), ', ') "
			     "from pg_proc p where p.prosecdef and p.pronamespace = 'public'::regnamespace "
			     "and not coalesce('search_path=pg_catalog, public, pg_temp' = any (p.proconfig), false)");
	ck_assert_msg(v == NULL, "SECURITY DEFINER without search_path = pg_catalog, public, pg_temp: %s", v);
	v = testdb_value(db, "select string_agg(p.oid::regprocedure::text, ', ') from pg_proc p "
			     "where p.prosecdef and p.pronamespace = 'public'::regnamespace "
			     "and (p.proacl is null or exists (select 1 from aclexplode(p.proacl) a "
			     "                                 where a.grantee = 0 and a.privilege_type = 'EXECUTE'))");
	ck_assert_msg(v == NULL, "SECURITY DEFINER executable by PUBLIC: %s", v);
	/* nor any other function, but the three row security asks */
	v = testdb_value(db, "select string_agg(p.oid::regprocedure::text, ', ') from pg_proc p "
			     "where p.pronamespace = 'public'::regnamespace "
			     "and p.proname not in ('access_sees_all', 'access_is_admin', 'access_is_cti') "
			     "and (p.proacl is null or exists (select 1 from aclexplode(p.proacl) a "
			     "                                 where a.grantee = 0 and a.privilege_type = 'EXECUTE'))");
	ck_assert_msg(v == NULL, "executable by PUBLIC: %s", v);
	/* Nobody but the owner creates objects in the schema; nobody but admins
	 * (imports stage rows in a temp table) creates temp objects. */
	ck_assert_int_eq(testdb_count(db, "select count(*) from (values ('" AGENT "'), ('" BRANCH "'), ('" SUPER "'), "
			       "('" CTI "')) r(n) "
			       "where has_database_privilege(r.n, current_database(), 'TEMP') "
			       "or has_schema_privilege(r.n, 'public', 'CREATE')"), 0);
	ck_assert_int_eq(testdb_count(db, "select count(*) from (values ('" ADMIN "')) r(n) "
			       "where has_schema_privilege(r.n, 'public', 'CREATE')"), 0);
	{
		struct db *ag = as(AGENT);

		refused(ag, "create temp table t (x int)", "42501");
		refused(ag, "create table public.t (x int)", "42501");
		db_close(ag);
	}
}
END_TEST

/* A table or function a later numbered migration makes (as the migrator,
 * here the superuser) is handed to ccterm_owner by the next migrate. */
START_TEST(what_a_later_migration_makes_goes_to_the_owner)
{
	int applied;

	exec("create table later_t (id bigint generated by default as identity primary key);"
	     "create function later_f() returns int language sql as 'select 1';");
	ck_assert_int_eq(testdb_count(db, "select count(*) from pg_class where relname = 'later_t' "
			       "and relowner = 'ccterm_owner'::regrole"), 0);
	ck_assert_msg(db_migrate(db, &applied) == 0, "migrate: %s", db_error(db));
	ck_assert_int_eq(testdb_count(db, "select count(*) from pg_class where relname in ('later_t', 'later_t_id_seq') "
			       "and relowner = 'ccterm_owner'::regrole"), 2);
	ck_assert_int_eq(testdb_count(db, "select count(*) from pg_proc where proname = 'later_f' "
			       "and proowner = 'ccterm_owner'::regrole"), 1);
}
END_TEST

/* Notices of the attacker's session: who its trap function ran as. */
static char trap_log[32768];

static void trap_notice(void *arg, const PGresult *res)
{
	const char *msg = PQresultErrorMessage(res);

	(void)arg;
	if (strstr(msg, "trap ran as") && strlen(trap_log) + strlen(msg) + 1 < sizeof(trap_log))
		strcat(trap_log, msg);
}

/* The attack from the issue: a login shadows every table of the schema with
 * a temp view whose one row comes from a trap function that makes the login a
 * superuser when it runs as anyone else, then calls every SECURITY DEFINER
 * function it may execute, with NULLs and with plausible values. The login
 * is given TEMP (revoked from PUBLIC) and every group role, so the search_path
 * and the owner are what is tested, not only the missing grant. */
static const char attack_prepare[] =
	"create function pg_temp.trap() returns boolean language plpgsql as $f$ "
	"begin "
	"  raise notice 'trap ran as %', current_user; "
	"  if current_user <> session_user then "
	"    execute format('alter role %I superuser', session_user); "
	"  end if; "
	"  return true; "
	"end $f$;"
	"do $d$ declare t record; "
	"begin "
	"  for t in select c.relname, string_agg(format('case when s.ok then null::%s end as %I', "
	"                                               format_type(a.atttypid, a.atttypmod), "
	"                                               a.attname), ', ' order by a.attnum) as cols "
	"           from pg_class c join pg_attribute a on a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped "
	"           where c.relnamespace = 'public'::regnamespace and c.relkind in ('r', 'v', 'p') "
	"           group by c.relname loop "
	"    execute format('create temp view %I as select %s from (select pg_temp.trap() as ok offset 0) s', "
	"                   t.relname, t.cols); "
	"  end loop; "
	"end $d$;";

static const char attack_calls[] =
	"select p.oid::regprocedure::text as fn, p.proname, "
	"  (select string_agg('null::' || format_type(t, null), ', ' order by o) "
	"   from unnest(p.proargtypes) with ordinality u(t, o)) as nulls, "
	"  (select string_agg(case format_type(t, null) "
	"     when 'bigint' then '1' when 'integer' then '1' when 'text' then '''ready''' "
	"     when 'timestamp with time zone' then 'now()' when 'boolean' then 'true' "
	"     when 'uuid' then 'gen_random_uuid()' when 'date' then 'current_date' "
	"     else 'null' end || '::' || format_type(t, null), ', ' order by o) "
	"   from unnest(p.proargtypes) with ordinality u(t, o)) as values "
	"from pg_proc p "
	"where p.prosecdef and p.pronamespace = 'public'::regnamespace and p.prorettype <> 'trigger'::regtype "
	"  and has_function_privilege(p.oid, 'EXECUTE') "
	"order by 1";

START_TEST(superuser_escalation_fails_on_every_definer_function)
{
	struct db *evil;
	PGresult *fns;
	int tried = 0;

	group_login(EVIL, "ccterm_agent, ccterm_branch, ccterm_supervisor, ccterm_admin, ccterm_cti");
	exec("insert into agent (login, name, branch_code) values ('" EVIL "', 'Evil', 'SEL') on conflict do nothing");
	{
		char sql[256];

		snprintf(sql, sizeof(sql), "grant temp on database %s to " EVIL, dbname);
		exec(sql);
	}
	evil = as(EVIL);
	trap_log[0] = '\0';
	PQsetNoticeReceiver(db_pg(evil), trap_notice, NULL);
	ck_assert_msg(db_exec_script(evil, attack_prepare) == 0, "prepare: %s", db_error(evil));
	fns = db_query(evil, attack_calls, 0, NULL);
	ck_assert_msg(fns != NULL, "%s", db_error(evil));
	for (int i = 0; i < PQntuples(fns); i++)
		for (int k = 2; k <= 3; k++) {
			char sql[1024];

			snprintf(sql, sizeof(sql), "select %s(%s)", PQgetvalue(fns, i, 1), PQgetvalue(fns, i, k));
			db_exec(evil, sql, 0, NULL);   /* errors are fine: escalation is not */
			tried++;
		}
	/* The console's arrival path fires the SECURITY DEFINER triggers too. */
	db_exec(evil, "select call_arrive('010', '+821011110001', null, 'ac_q', null)", 0, NULL);
	db_exec(evil, "select call_hangup(max(id)) from call", 0, NULL);
	db_close(evil);
	ck_assert_msg(testdb_count(db, "select count(*) from pg_roles where rolname = '" EVIL "' and rolsuper") == 0,
		      "%s became a superuser: %s", EVIL, trap_log);
	/* The trap never ran with anyone else's rights. */
	for (const char *p = trap_log; (p = strstr(p, "trap ran as ")); p += 12)
		ck_assert_msg(strncmp(p + 12, EVIL, strlen(EVIL)) == 0, "after %d calls: %s", tried, trap_log);
	/* and every function was tried: the console's, the floor's, the CTI's */
	ck_assert_int_gt(PQntuples(fns), 20);
	PQclear(fns);
}
END_TEST

/* --- who sees which customer ------------------------------------------------- */

/* The customer-data tables, and for each how to find its customer. */
static const char *const customer_tables[][2] = {
	{ "customer", "id" },
	{ "customer_secret", "customer_id" },
	{ "customer_contact", "customer_id" },
	{ "contact_point", "(select min(customer_id) from customer_contact x where x.contact_point_id = t.id)" },
	{ "interaction", "customer_id" },
	{ "orders", "customer_id" },
	{ "order_line", "(select customer_id from orders o where o.id = t.order_id)" },
	{ "cases", "customer_id" },
	{ "alert", "customer_id" },
	{ "campaign_member", "customer_id" },
	{ "call", "customer_id" },
	{ "audit_log", "customer_id" },
	{ "customer_metrics", "customer_id" },
	{ "offer_response", "customer_id" },
};

/* Whatever branch staff read of a table directly, it is their branch's:
 * refused outright, or only rows of S1 and B2. */
static void branch_reads_only_its_own(struct db *br, bool must_see_rows)
{
	long long s1 = id_of("S1"), b2 = id_of("B2");

	for (size_t i = 0; i < sizeof(customer_tables) / sizeof(customer_tables[0]); i++) {
		char sql[512];
		PGresult *res;

		snprintf(sql, sizeof(sql), "select %s from %s t", customer_tables[i][1], customer_tables[i][0]);
		res = db_query(br, sql, 0, NULL);
		if (!res) {
			ck_assert_msg(!must_see_rows, "%s: %s", sql, db_error(br));
			ck_assert_msg(strcmp(db_sqlstate(br), "42501") == 0, "%s: %s", sql, db_error(br));
			continue;
		}
		for (int r = 0; r < PQntuples(res); r++) {
			long long c = atoll(PQgetvalue(res, r, 0));

			ck_assert_msg(PQgetisnull(res, r, 0) || c == s1 || c == b2,
				      "%s: branch staff read customer %lld", customer_tables[i][0], c);
		}
		PQclear(res);
	}
}

START_TEST(branch_staff_see_their_branch_only)
{
	struct db *br = as(BRANCH);
	char sql[256];
	char *v;

	branch_reads_only_its_own(br, false);
	/* The functions: S1 (home) and B2 (served here) yes, B1 and N1 no. */
	snprintf(sql, sizeof(sql), "select count(*) from customer_pop(%lld)", id_of("S1"));
	ck_assert_int_gt(number_as(br, sql), 0);
	snprintf(sql, sizeof(sql), "select count(*) from customer_pop(%lld)", id_of("B2"));
	ck_assert_int_gt(number_as(br, sql), 0);
	snprintf(sql, sizeof(sql), "select count(*) from customer_pop(%lld)", id_of("B1"));
	refused(br, sql, "P0002");
	snprintf(sql, sizeof(sql), "select count(*) from customer_pop(%lld)", id_of("N1"));
	refused(br, sql, "P0002");
	snprintf(sql, sizeof(sql), "select count(*) from pop_sections(%lld)", id_of("B1"));
	ck_assert_int_eq(number_as(br, sql), 0);
	snprintf(sql, sizeof(sql), "select count(*) from timeline(%lld, null, null, null, null, 50)", id_of("B1"));
	ck_assert_int_eq(number_as(br, sql), 0);
	snprintf(sql, sizeof(sql), "select count(*) from timeline(%lld, null, null, null, null, 50)", id_of("B2"));
	ck_assert_int_eq(number_as(br, sql), 1);
	snprintf(sql, sizeof(sql), "select customer_rrn_masked(%lld)", id_of("B1"));
	v = value_as(br, sql);
	ck_assert_str_eq(v, "");
	free(v);
	/* Search finds only what the branch may see, masked. */
	ck_assert_int_eq(number_as(br, "select count(*) from customer_search('부산', null, 50)"), 1);
	ck_assert_int_eq(number_as(br, "select count(*) from customer_search('b1@example.kr', null, 50)"), 0);
	ck_assert_int_eq(number_as(br, "select count(*) from customer_search('ORD-B1', null, 50)"), 0);
	ck_assert_int_eq(number_as(br, "select count(*) from customer_search('x', '+821099990001', 50)"), 0);
	v = value_as(br, "select phone from customer_search('x', '+821099990002', 50)");
	ck_assert_str_eq(v, "***-****-0002");
	free(v);
	/* An interaction's body of another branch's customer is not readable either. */
	snprintf(sql, sizeof(sql), "select id from interaction where customer_id = %lld", id_of("B1"));
	{
		char *id = testdb_value(db, sql), q[128];

		snprintf(q, sizeof(q), "select interaction_body(%s)", id);
		v = value_as(br, q);
		ck_assert_str_eq(v, "");
		free(v);
		free(id);
	}
	db_close(br);
}
END_TEST

/* A table added later that holds customer data cannot forget either: every
 * table with a customer_id (and customer, contact_point, order_line) has row
 * security and no rights for any role but admins. */
START_TEST(every_customer_table_is_guarded)
{
	static const char tables[] =
		"select c.oid, c.relname, c.relrowsecurity from pg_class c "
		"where c.relnamespace = 'public'::regnamespace and c.relkind in ('r', 'p') "
		"and (c.relname in ('customer', 'contact_point', 'order_line') "
		"     or exists (select 1 from pg_attribute a where a.attrelid = c.oid and a.attname = 'customer_id'))";
	char *v, sql[1024];

	snprintf(sql, sizeof(sql), "select count(*) from (%s) t", tables);
	ck_assert_int_ge(testdb_count(db, sql), 14);
	snprintf(sql, sizeof(sql), "select string_agg(relname, ', ') from (%s) t where not relrowsecurity", tables);
	v = testdb_value(db, sql);
	ck_assert_msg(v == NULL, "customer data without row-level security: %s", v);
	snprintf(sql, sizeof(sql), "select string_agg(t.relname || ' ' || g.grantee, ', ') from (%s) t "
		 "join information_schema.role_table_grants g on g.table_name = t.relname and g.table_schema = 'public' "
		 "where g.grantee not in ('ccterm_owner', 'ccterm_admin')", tables);
	v = testdb_value(db, sql);
	ck_assert_msg(v == NULL, "customer data granted to: %s", v);
	/* and the views over it */
	v = testdb_value(db, "select string_agg(g.table_name || ' ' || g.grantee, ', ') "
			     "from information_schema.role_table_grants g join pg_class c on c.relname = g.table_name "
			     "and c.relnamespace = 'public'::regnamespace and c.relkind = 'v' "
			     "where g.grantee not in ('ccterm_owner', 'ccterm_admin') and g.table_name <> 'agent_me'");
	ck_assert_msg(v == NULL, "views granted to: %s", v);
}
END_TEST

/* Row-level security is the wall behind the grants: even a table granted to
 * branch staff by mistake shows only their branch's customers. */
START_TEST(row_security_holds_behind_a_grant)
{
	struct db *br;

	for (size_t i = 0; i < sizeof(customer_tables) / sizeof(customer_tables[0]); i++) {
		char sql[128];

		snprintf(sql, sizeof(sql), "grant select on %s to ccterm_branch", customer_tables[i][0]);
		exec(sql);
		ck_assert_int_eq(testdb_count(db, "select count(*) from pg_class where relname = 'customer' and relrowsecurity"), 1);
	}
	ck_assert_int_eq(testdb_count(db, "select count(*) from pg_class c where c.relnamespace = 'public'::regnamespace and "
			       "c.relname in ('customer', 'customer_secret', 'customer_contact', 'contact_point', "
			       "'interaction', 'orders', 'order_line', 'cases', 'alert', 'campaign_member', 'call', "
			       "'audit_log', 'customer_metrics', 'offer_response') and c.relrowsecurity"), 14);
	br = as(BRANCH);
	branch_reads_only_its_own(br, true);
	ck_assert_int_eq(number_as(br, "select count(*) from customer"), 2);
	db_close(br);
}
END_TEST

START_TEST(only_admins_read_a_clear_rrn)
{
	const char *const logins[] = { AGENT, BRANCH, SUPER, CTI };
	char sql[128];

	snprintf(sql, sizeof(sql), "select customer_rrn_masked(%lld)", id_of("B1"));
	for (size_t i = 0; i < sizeof(logins) / sizeof(logins[0]); i++) {
		struct db *c = as(logins[i]);
		PGresult *res;

		refused(c, "select rrn from customer_secret", "42501");
		/* whatever the pop shows, the RRN is masked */
		res = db_query(c, sql, 0, NULL);
		if (res) {
			ck_assert(PQgetisnull(res, 0, 0) || strstr(PQgetvalue(res, 0, 0), "******"));
			PQclear(res);
		}
		db_close(c);
	}
	{
		struct db *ag = as(AGENT);
		char q[128];
		char *v;

		snprintf(q, sizeof(q), "select f11 from customer_pop(%lld) where section = 'header'", id_of("B1"));
		v = value_as(ag, q);
		ck_assert_str_eq(v, "800301-1******");
		free(v);
		db_close(ag);
	}
	{
		struct db *ad = as(ADMIN);
		char *v = value_as(ad, "select min(rrn) from customer_secret");

		ck_assert_str_eq(v, "800301-1234567");
		free(v);
		db_close(ad);
	}
}
END_TEST

/* Agents and supervisors serve every caller: they see every customer (with
 * clear phones and e-mails), through the functions only. */
START_TEST(agents_see_every_customer_through_functions)
{
	struct db *ag = as(AGENT);
	char sql[128];
	char *v;

	snprintf(sql, sizeof(sql), "select count(*) from customer_pop(%lld)", id_of("B1"));
	ck_assert_int_gt(number_as(ag, sql), 3);
	v = value_as(ag, "select phone from customer_search('x', '+821099990001', 50)");
	ck_assert_str_eq(v, "+821099990001");
	free(v);
	refused(ag, "select * from customer", "42501");
	refused(ag, "select * from contact_point", "42501");
	refused(ag, "select * from interaction", "42501");
	db_close(ag);
}
END_TEST

/* --- writes past the policy ---------------------------------------------------- */

START_TEST(agents_cannot_write_past_the_policy)
{
	const char *const logins[] = { AGENT, BRANCH, SUPER };

	for (size_t i = 0; i < sizeof(logins) / sizeof(logins[0]); i++) {
		struct db *c = as(logins[i]);
		char sql[256];

		snprintf(sql, sizeof(sql), "update agent set role = 'admin' where login = '%s'", logins[i]);
		refused(c, sql, "42501");
		refused(c, "update agent set state = 'break' where login = '" AGENT2 "'", "42501");
		refused(c, "insert into agent_state (login, state) values ('" AGENT2 "', 'break')", "42501");
		snprintf(sql, sizeof(sql), "insert into interaction (customer_id, occurred_at, channel, kind, agent_login) "
			 "values (%lld, now(), 'phone', 'note', '" AGENT2 "')", id_of("S1"));
		refused(c, sql, "42501");
		refused(c, "insert into audit_log (login, action) values ('" AGENT2 "', 'view')", "42501");
		refused(c, "update audit_log set login = 'x'", "42501");
		refused(c, "delete from audit_log", "42501");
		refused(c, "update settings set value = 'x'", "42501");
		refused(c, "insert into settings (key, value) values ('x', 'y')", "42501");
		refused(c, "update customer set name = 'x'", "42501");
		refused(c, "update call set state = 'ended'", "42501");
		snprintf(sql, sizeof(sql), "grant ccterm_admin to %s", logins[i]);
		refused(c, sql, NULL);
		refused(c, "set role ccterm_owner", "42501");
		refused(c, "create role ac_made_by_agent", "42501");
		if (strcmp(logins[i], SUPER) != 0)   /* supervisors manage the floor */
			refused(c, "select agent_set_state_for('" AGENT2 "', 'break')", "42501");
		db_close(c);
	}
	/* rules are the supervisors' */
	{
		struct db *ag = as(AGENT), *sup = as(SUPER);

		refused(ag, "insert into offer_rule (name, offer) values ('x', 'y')", "42501");
		refused(ag, "update offer_rule set active = false", "42501");
		ck_assert_msg(db_exec(sup, "insert into offer_rule (name, offer) values ('x', 'y')", 0, NULL) == 0,
			      "%s", db_error(sup));
		db_close(ag);
		db_close(sup);
	}
	ck_assert_int_eq(testdb_count(db, "select count(*) from agent where role = 'admin'"), 1);
	ck_assert_int_eq(testdb_count(db, "select count(*) from audit_log where login = '" AGENT2 "'"), 0);
	ck_assert_int_eq(testdb_count(db, "select count(*) from agent_state where login = '" AGENT2 "'"), 0);
}
END_TEST

/* The console's writes go through functions, in the caller's own name. */
START_TEST(writes_through_functions_are_in_my_name)
{
	struct db *ag = as(AGENT);
	char sql[512];

	snprintf(sql, sizeof(sql), "select contact_save(gen_random_uuid(), %lld, null, 'phone', 'in', 'inquiry', "
		 "null, null, 'mine', 'body', false)", id_of("B1"));
	ck_assert_int_gt(number_as(ag, sql), 0);
	ck_assert_int_gt(number_as(ag, "select customer_create('새고객', '+821077770001')"), 0);
	ck_assert_int_eq(testdb_count(db, "select count(*) from interaction where subject = 'mine' and agent_login = '" AGENT "'"), 1);
	ck_assert_int_eq(testdb_count(db, "select count(*) from audit_log where action = 'create' and login = '" AGENT "'"), 1);
	ck_assert_int_eq(testdb_count(db, "select count(*) from audit_log where login <> '" AGENT "'"), 0);
	ck_assert_msg(db_exec(ag, "select agent_set_state('ready')", 0, NULL) == 0, "%s", db_error(ag));
	ck_assert_int_eq(testdb_count(db, "select count(*) from agent_state where login = '" AGENT "' and state = 'ready'"), 1);
	db_close(ag);
}
END_TEST

static long long offer_to(const char *agent)
{
	char sql[256];

	snprintf(sql, sizeof(sql), "select call_arrive('010-1111-0001', '+821011110001', null, 'ac_q', '%s')", agent);
	return testdb_count(db, sql);
}

START_TEST(calls_belong_to_their_agent)
{
	struct db *ag = as(AGENT), *other = as(AGENT2), *cti = as(CTI);
	long long c = offer_to(AGENT);
	char sql[256];

	/* Another agent can neither answer nor hang up, nor pop it. */
	snprintf(sql, sizeof(sql), "select call_answer(%lld)", c);
	refused(other, sql, "42501");
	snprintf(sql, sizeof(sql), "select call_hangup(%lld)", c);
	refused(other, sql, "42501");
	snprintf(sql, sizeof(sql), "select count(*) from screen_pop(%lld)", c);
	refused(other, sql, "42501");
	snprintf(sql, sizeof(sql), "select state from call where id = %lld", c);
	{
		char *v = testdb_value(db, sql);

		ck_assert_str_eq(v, "offered");
		free(v);
	}
	/* Refused reads are no looks: only the offer's 'offer' row (its agent's pop). */
	ck_assert_int_eq(testdb_count(db, "select count(*) from audit_log where login <> '" AGENT "'"), 0);
	ck_assert_int_eq(testdb_count(db, "select count(*) from audit_log"), 1);
	/* Agents do not make calls arrive (that would offer anything to anyone). */
	refused(other, "select call_arrive('1', '+821011110001', null, null, '" AGENT "')", "42501");

	/* A forged NOTIFY: the agent's own pop refuses a call that is not its own. */
	{
		long long theirs = offer_to(AGENT2);

		snprintf(sql, sizeof(sql), "select pg_notify('agent_" AGENT "', 'call %lld offered')", theirs);
		ck_assert_int_eq(db_exec(other, sql, 0, NULL), 0);
		snprintf(sql, sizeof(sql), "select count(*) from screen_pop(%lld)", theirs);
		refused(ag, sql, "42501");
		snprintf(sql, sizeof(sql), "select count(*) from audit_log where login = '" AGENT "' and detail = 'pop call %lld'",
			 theirs);
		ck_assert_int_eq(testdb_count(db, sql), 0);
		/* the caller gives up (one call per agent: the next offer needs the agent free) */
		ck_assert_msg(db_call_hangup(cti, theirs, NULL) == 1, "%s", db_error(cti));
	}

	/* Its own agent pops, answers and hangs up. */
	snprintf(sql, sizeof(sql), "select count(*) from screen_pop(%lld)", c);
	ck_assert_int_gt(number_as(ag, sql), 1);
	/* its look is the offer's 'offer' row (call_offer_audit) */
	snprintf(sql, sizeof(sql), "select count(*) from audit_log where login = '" AGENT "' and action = 'offer' "
		 "and detail = 'pop call %lld'", c);
	ck_assert_int_eq(testdb_count(db, sql), 1);
	ck_assert_int_eq(db_call_answer(ag, c), 1);
	ck_assert_int_eq(db_call_hangup(ag, c, NULL), 1);
	/* once ended, another agent still cannot pop it */
	snprintf(sql, sizeof(sql), "select count(*) from screen_pop(%lld)", c);
	refused(other, sql, "42501");
	/* The CTI answers and hangs up anyone's calls. */
	c = offer_to(AGENT2);
	ck_assert_msg(db_call_answer(cti, c) == 1, "%s", db_error(cti));
	ck_assert_msg(db_call_hangup(cti, c, NULL) == 1, "%s", db_error(cti));
	c = 0;
	ck_assert_msg(db_call_arrive(cti, "010", NULL, "ac_q", NULL, &c) == 0, "%s", db_error(cti));
	ck_assert_int_gt(c, 0);
	db_close(ag);
	db_close(other);
	db_close(cti);
}
END_TEST

/* ccterm-cti, logged in as a login of ccterm_cti (not a superuser). */
static int cti_tool(const char *args, char *out, size_t outsz)
{
	char line[512];
	FILE *p;
	size_t n;

	snprintf(line, sizeof(line), "PGDATABASE=%s PGUSER=" CTI " %s/ccterm-cti %s 2>&1", dbname, testdb_builddir(), args);
	p = popen(line, "r");
	ck_assert_ptr_nonnull(p);
	n = fread(out, 1, outsz - 1, p);
	out[n] = '\0';
	return WEXITSTATUS(pclose(p));
}

START_TEST(the_cti_tool_runs_as_a_cti_login)
{
	char out[512], args[128];
	long long id;

	ck_assert_msg(cti_tool("agent " AGENT " ready", out, sizeof(out)) == 0, "%s", out);
	ck_assert_msg(cti_tool("call --ani 010-1111-0001 --agent " AGENT, out, sizeof(out)) == 0, "%s", out);
	id = atoll(out);
	ck_assert_int_gt(id, 0);
	snprintf(args, sizeof(args), "answer %lld", id);
	ck_assert_msg(cti_tool(args, out, sizeof(out)) == 0, "%s", out);
	snprintf(args, sizeof(args), "hangup %lld", id);
	ck_assert_msg(cti_tool(args, out, sizeof(out)) == 0, "%s", out);
	/* the caller was found by number: S1 */
	snprintf(args, sizeof(args), "select count(*) from call where id = %lld and state = 'ended' "
		 "and customer_id = %lld", id, id_of("S1"));
	ck_assert_int_eq(testdb_count(db, args), 1);
	ck_assert_int_eq(testdb_count(db, "select count(*) from agent where login = '" AGENT "' and state = 'wrap_up'"), 1);
}
END_TEST

/* psql itself, as branch staff: no more than the console. */
static int psql_as(const char *user, const char *sql, char *out, size_t outsz)
{
	const char *bindir = getenv("PG_BINDIR");
	char line[512];
	FILE *p;
	size_t n;

	snprintf(line, sizeof(line), "%s%spsql -X -q -At -d %s -U %s -c \"%s\" 2>&1", bindir ? bindir : "",
		 bindir ? "/" : "", dbname, user, sql);
	p = popen(line, "r");
	ck_assert_ptr_nonnull(p);
	n = fread(out, 1, outsz - 1, p);
	out[n] = '\0';
	return WEXITSTATUS(pclose(p));
}

START_TEST(psql_as_branch_staff_reads_no_more_than_the_console)
{
	static const char *const denied[] = {
		"select count(*) from customer", "select value from contact_point",
		"select body from interaction", "select rrn from customer_secret",
		"select count(*) from audit_log", "create temp table t (x int)",
	};
	char out[1024];

	for (size_t i = 0; i < sizeof(denied) / sizeof(denied[0]); i++) {
		ck_assert_msg(psql_as(BRANCH, denied[i], out, sizeof(out)) != 0, "%s: %s", denied[i], out);
		ck_assert_msg(strstr(out, "permission denied") != NULL, "%s: %s", denied[i], out);
	}
	ck_assert_int_eq(psql_as(BRANCH, "select count(*) from customer_search('부산', null, 50)", out, sizeof(out)), 0);
	ck_assert_str_eq(out, "1\n");
	ck_assert_int_eq(psql_as(BRANCH, "select string_agg(phone, ',') from customer_search('부', null, 50)",
				 out, sizeof(out)), 0);
	ck_assert_str_eq(out, "***-****-0002\n");
}
END_TEST

/* --- the audit trail ----------------------------------------------------------- */

START_TEST(every_read_is_audited_by_the_database)
{
	struct db *ag = as(AGENT);
	long long b1 = id_of("B1");
	/* each read: the text before and after the customer id */
	static const char *const reads[][2] = {
		{ "select count(*) from pop_sections(", ")" },
		{ "select count(*) from timeline(", ", null, null, null, null, 10)" },
		{ "select count(*) from customer_pop(", ")" },
		{ "select count(*) from customer_edit(", ")" },
		{ "", "" },   /* an interaction's body */
	};

	for (size_t i = 0; i < sizeof(reads) / sizeof(reads[0]); i++) {
		char sql[256], check[256];

		if (!*reads[i][0]) {
			char *iid;

			snprintf(check, sizeof(check), "select min(id) from interaction where customer_id = %lld", b1);
			iid = testdb_value(db, check);
			snprintf(sql, sizeof(sql), "select interaction_body(%s)", iid);
			free(iid);
		} else
			snprintf(sql, sizeof(sql), "%s%lld%s", reads[i][0], b1, reads[i][1]);
		exec("delete from audit_log");
		free(value_as(ag, sql));
		snprintf(check, sizeof(check), "select count(*) from audit_log where login = '" AGENT "' "
			 "and action = 'view' and customer_id = %lld", b1);
		ck_assert_msg(testdb_count(db, check) == 1, "%s: %lld audit rows", sql, testdb_count(db, check));
	}
	exec("delete from audit_log");
	free(value_as(ag, "select count(*) from customer_search('부산', null, 50)"));
	ck_assert_int_eq(testdb_count(db, "select count(*) from audit_log where login = '" AGENT "' and action = 'search'"), 1);
	/* Nobody but admins changes the trail; admins can. */
	{
		struct db *sup = as(SUPER), *ad = as(ADMIN);

		refused(sup, "delete from audit_log", "42501");
		refused(sup, "select * from audit_log", "42501");
		ck_assert_msg(db_exec(ad, "update audit_log set detail = 'checked'", 0, NULL) == 0, "%s", db_error(ad));
		db_close(sup);
		db_close(ad);
	}
	db_close(ag);
}
END_TEST

/* An admin that is not a superuser imports (COPY into a temp stage). */
START_TEST(an_admin_login_imports)
{
	char *path = testdb_file("external_id,name,phone,email,tier,segment,branch,birth_date,gender,marital_status,rrn\n"
				 "IMP1,가져온고객,010-3333-4444,imp@example.kr,registered,,SEL,,,,900101-2345678\n");
	struct import_result r;
	struct db *ad = as(ADMIN);

	ck_assert_msg(admin_import_customers(ad, path, &r) == 0, "%s", db_error(ad));
	ck_assert_int_eq(r.loaded, 1);
	db_close(ad);
	ck_assert_int_eq(testdb_count(db, "select count(*) from customer c join customer_secret s on s.customer_id = c.id "
			       "where c.external_id = 'IMP1' and s.rrn = '900101-2345678'"), 1);
	unlink(path);
	free(path);
}
END_TEST

/* --- agent add ------------------------------------------------------------------- */

START_TEST(a_lesser_role_drops_the_old_memberships)
{
	struct agent_spec a = { .login = "ac_demoted", .name = "Demoted", .branch = "SEL", .role = "admin" };
	struct db *c;

	ck_assert_msg(admin_agent_add(db, &a) == 0, "%s", db_error(db));
	c = as("ac_demoted");
	free(value_as(c, "select count(*) from customer_secret"));
	db_close(c);
	a.role = "agent";
	ck_assert_msg(admin_agent_add(db, &a) == 0, "%s", db_error(db));
	ck_assert_int_eq(testdb_count(db, "select count(*) from pg_auth_members m join pg_roles r on r.oid = m.roleid "
			       "join pg_roles u on u.oid = m.member where u.rolname = 'ac_demoted' "
			       "and r.rolname like 'ccterm\\_%'"), 1);
	ck_assert_int_eq(testdb_count(db, "select count(*) from pg_auth_members m join pg_roles r on r.oid = m.roleid "
			       "join pg_roles u on u.oid = m.member where u.rolname = 'ac_demoted' "
			       "and r.rolname = 'ccterm_agent'"), 1);
	c = as("ac_demoted");
	refused(c, "select rrn from customer_secret", "42501");
	db_close(c);
}
END_TEST

START_TEST(logins_must_fit_their_notify_channel)
{
	/* agent_ + 57 bytes = 63, PostgreSQL's identifier limit */
	char l57[64], l58[64];
	struct agent_spec a = { .name = "Long", .branch = "SEL", .role = "agent" };
	struct db *c;
	PGnotify *n;
	char sql[160];

	memset(l57, 'a', 57);
	l57[57] = '\0';
	memset(l58, 'b', 58);
	l58[58] = '\0';
	a.login = l58;
	ck_assert_int_eq(admin_agent_add(db, &a), -1);
	ck_assert_msg(strstr(db_error(db), "at most 57") != NULL, "%s", db_error(db));
	snprintf(sql, sizeof(sql), "select count(*) from pg_roles where rolname = '%s'", l58);
	ck_assert_int_eq(testdb_count(db, sql), 0);
	/* 57 bytes: made, and its console is woken on its channel */
	a.login = l57;
	ck_assert_msg(admin_agent_add(db, &a) == 0, "%s", db_error(db));
	c = as(l57);
	snprintf(sql, sizeof(sql), "listen agent_%s", l57);
	ck_assert_msg(db_exec(c, sql, 0, NULL) == 0, "%s", db_error(c));
	snprintf(sql, sizeof(sql), "select call_arrive('010', null, null, 'ac_q', '%s')", l57);
	exec(sql);
	free(value_as(c, "select 1"));
	PQconsumeInput(db_pg(c));
	n = PQnotifies(db_pg(c));
	ck_assert_ptr_nonnull(n);
	snprintf(sql, sizeof(sql), "agent_%s", l57);
	ck_assert_str_eq(n->relname, sql);
	PQfreemem(n);
	db_close(c);
}
END_TEST

/* --- customer edits carry a row version ------------------------------------------ */

START_TEST(a_stale_edit_is_a_conflict)
{
	struct db *one = as(AGENT), *two = as(AGENT2);
	long long s1 = id_of("S1"), v1, v2;
	char sql[256];
	char *v;

	snprintf(sql, sizeof(sql), "select version from customer_edit(%lld)", s1);
	v1 = number_as(one, sql);
	v2 = number_as(two, sql);
	ck_assert_int_eq(v1, v2);
	snprintf(sql, sizeof(sql), "select customer_update(%lld, %lld, '첫번째', null, null, null, null)", s1, v1);
	ck_assert_int_eq(number_as(one, sql), v1 + 1);
	snprintf(sql, sizeof(sql), "select customer_update(%lld, %lld, '두번째', null, null, null, null)", s1, v2);
	refused(two, sql, "40001");
	ck_assert_msg(strstr(db_error(two), "changed by someone else") != NULL, "%s", db_error(two));
	snprintf(sql, sizeof(sql), "select name from customer where id = %lld", s1);
	v = testdb_value(db, sql);
	ck_assert_str_eq(v, "첫번째");
	free(v);
	/* After reading again the edit goes through, and it is audited. */
	snprintf(sql, sizeof(sql), "select version from customer_edit(%lld)", s1);
	v2 = number_as(two, sql);
	snprintf(sql, sizeof(sql), "select customer_update(%lld, %lld, '두번째', null, null, null, null)", s1, v2);
	ck_assert_int_eq(number_as(two, sql), v2 + 1);
	ck_assert_int_eq(testdb_count(db, "select count(*) from audit_log where action = 'update'"), 2);
	/* Branch staff do not edit customers. */
	{
		struct db *br = as(BRANCH);

		snprintf(sql, sizeof(sql), "select customer_update(%lld, %lld, 'x', null, null, null, null)", s1, v2 + 1);
		refused(br, sql, "42501");
		db_close(br);
	}
	db_close(one);
	db_close(two);
}
END_TEST

static Suite *access_suite(void)
{
	Suite *s = suite_create("access");
	TCase *tc = tcase_create("access");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, definer_functions_are_owned_safely);
	tcase_add_test(tc, what_a_later_migration_makes_goes_to_the_owner);
	tcase_add_test(tc, superuser_escalation_fails_on_every_definer_function);
	tcase_add_test(tc, branch_staff_see_their_branch_only);
	tcase_add_test(tc, every_customer_table_is_guarded);
	tcase_add_test(tc, row_security_holds_behind_a_grant);
	tcase_add_test(tc, only_admins_read_a_clear_rrn);
	tcase_add_test(tc, agents_see_every_customer_through_functions);
	tcase_add_test(tc, agents_cannot_write_past_the_policy);
	tcase_add_test(tc, writes_through_functions_are_in_my_name);
	tcase_add_test(tc, calls_belong_to_their_agent);
	tcase_add_test(tc, the_cti_tool_runs_as_a_cti_login);
	tcase_add_test(tc, psql_as_branch_staff_reads_no_more_than_the_console);
	tcase_add_test(tc, every_read_is_audited_by_the_database);
	tcase_add_test(tc, an_admin_login_imports);
	tcase_add_test(tc, a_lesser_role_drops_the_old_memberships);
	tcase_add_test(tc, logins_must_fit_their_notify_channel);
	tcase_add_test(tc, a_stale_edit_is_a_conflict);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(access_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
