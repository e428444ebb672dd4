/* admin.c - branches, queues and agents (agents are PostgreSQL login roles). */
#include "config.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db_priv.h"
#include "ccterm/admin.h"
#include "ccterm/pbx.h"
#include "ccterm/embedded.h"

int admin_branch_add(struct db *db, const char *code, const char *name, const char *region)
{
	const char *p[3] = { code, name, region };

	return db_exec(db, "insert into branch (code, name, region) values ($1, $2, $3) "
			   "on conflict (code) do update set name = excluded.name, region = excluded.region",
		       3, p);
}

int admin_queue_add(struct db *db, const char *name, int sla_seconds, double target_pct)
{
	char sla[16], target[32];
	const char *p[3] = { name, sla, target };

	if (sla_seconds <= 0 || target_pct < 0 || target_pct > 100) {
		db_set_error(db, "queue %s: --sla must be > 0 seconds and --target 0..100 %%", name);
		return -1;
	}
	snprintf(sla, sizeof(sla), "%d", sla_seconds);
	snprintf(target, sizeof(target), "%.2f", target_pct);
	return db_exec(db, "insert into queue (name, sla_seconds, sla_target_pct) values ($1, $2, $3) "
			   "on conflict (name) do update set sla_seconds = excluded.sla_seconds, "
			   "sla_target_pct = excluded.sla_target_pct", 3, p);
}

/* The console LISTENs on "agent_<login>", an identifier of at most 63 bytes
 * (NAMEDATALEN - 1): a longer login would be a role whose console cannot
 * hear its calls. */
#define AGENT_CHANNEL_PREFIX "agent_"
#define LOGIN_MAX (63 - (sizeof(AGENT_CHANNEL_PREFIX) - 1))

/* A role name we are willing to create: it is quoted anyway, but a login
 * that needs quoting would be a pain to type at a login prompt. */
static bool login_ok(const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || n > LOGIN_MAX || !(islower((unsigned char)s[0]) || s[0] == '_'))
		return false;
	for (; *s; s++)
		if (!islower((unsigned char)*s) && !isdigit((unsigned char)*s) && *s != '_' && *s != '.')
			return false;
	return true;
}

/* The group roles a login can be given (ccterm_<name>), sql/001_roles.sql. */
static const char *const agent_groups[] = { "agent", "branch", "supervisor", "admin" };

static int role_create(struct db *db, const char *login, const char *role)
{
	const char *p[1] = { login };
	PGresult *res = db_query(db, "select 1 from pg_roles where rolname = $1", 1, p);
	char *ident, sql[256];
	int rc = 0;

	if (!res)
		return -1;
	ident = PQescapeIdentifier(db_pg(db), login, strlen(login));
	if (!ident) {
		PQclear(res);
		db_set_error(db, "cannot quote login %s", login);
		return -1;
	}
	if (PQntuples(res) == 0) {
		snprintf(sql, sizeof(sql), "create role %s login", ident);
		rc = db_exec(db, sql, 0, NULL);
	}
	if (rc == 0) {
		/* role is checked against the list below, so it is a known group */
		snprintf(sql, sizeof(sql), "grant ccterm_%s to %s", role, ident);
		rc = db_exec(db, sql, 0, NULL);
	}
	/* One group per login: a demoted admin must not keep reading secrets. */
	for (size_t i = 0; rc == 0 && i < sizeof(agent_groups) / sizeof(agent_groups[0]); i++) {
		const char *p2[2] = { login, agent_groups[i] };
		PGresult *m;

		if (strcmp(agent_groups[i], role) == 0)
			continue;
		m = db_query(db, "select 1 from pg_auth_members a join pg_roles g on g.oid = a.roleid "
				 "join pg_roles u on u.oid = a.member where u.rolname = $1 and g.rolname = 'ccterm_' || $2",
			     2, p2);
		if (!m) {
			rc = -1;
			break;
		}
		if (PQntuples(m) > 0) {
			snprintf(sql, sizeof(sql), "revoke ccterm_%s from %s", agent_groups[i], ident);
			rc = db_exec(db, sql, 0, NULL);
		}
		PQclear(m);
	}
	PQfreemem(ident);
	PQclear(res);
	return rc;
}

static int agent_queues_set(struct db *db, const char *login, const char *queues)
{
	const char *p[2] = { login, queues ? queues : "" };
	PGresult *res;
	int rc = 0;

	if (db_exec(db, "delete from agent_queue where login = $1", 1, p) < 0)
		return -1;
	if (!queues || !*queues)
		return 0;
	res = db_query(db, "select trim(q) from unnest(string_to_array($1, ',')) q "
			   "where trim(q) not in (select name from queue)", 1, &p[1]);
	if (!res)
		return -1;
	if (PQntuples(res) > 0) {
		db_set_error(db, "unknown queue '%s' (ccterm-admin queue add %s --sla SECONDS)",
			     PQgetvalue(res, 0, 0), PQgetvalue(res, 0, 0));
		rc = -1;
	}
	PQclear(res);
	if (rc == 0)
		rc = db_exec(db, "insert into agent_queue (login, queue_id) select $1, id from queue "
				 "where name = any (select trim(q) from unnest(string_to_array($2, ',')) q)", 2, p);
	return rc;
}

int admin_agent_add(struct db *db, const struct agent_spec *a)
{
	/* p[4]: the extension, set after the row (db_agent_extension names who has it already). */
	const char *p[5] = { a->login, a->name, a->branch, a->role, a->extension && *a->extension ? a->extension : NULL };
	bool role_known = false;

	for (size_t i = 0; i < sizeof(agent_groups) / sizeof(agent_groups[0]); i++)
		role_known |= strcmp(a->role, agent_groups[i]) == 0;
	if (!role_known) {
		db_set_error(db, "role '%s' is not one of agent, branch, supervisor, admin", a->role);
		return -1;
	}
	if (!login_ok(a->login)) {
		db_set_error(db, "login '%s' must be at most %zu lower-case letters, digits, '_' or '.', "
			     "starting with a letter", a->login, LOGIN_MAX);
		return -1;
	}
	if (db_exec(db, "begin", 0, NULL) < 0)
		return -1;
	if (a->branch) {
		PGresult *res = db_query(db, "select 1 from branch where code = $1", 1, &p[2]);
		int n = res ? PQntuples(res) : -1;

		PQclear(res);
		if (n == 0)
			db_set_error(db, "unknown branch '%s' (ccterm-admin branch add %s --name NAME)",
				     a->branch, a->branch);
		if (n <= 0)
			goto fail;
	}
	if (role_create(db, a->login, a->role) < 0 ||
	    db_exec(db, "insert into agent (login, name, branch_code, role) values ($1, $2, $3, $4) "
			"on conflict (login) do update set name = excluded.name, "
			"branch_code = excluded.branch_code, role = excluded.role", 4, p) < 0 ||
	    (p[4] && db_agent_extension(db, a->login, p[4]) < 0) ||
	    agent_queues_set(db, a->login, a->queues) < 0)
		goto fail;
	return db_exec(db, "commit", 0, NULL);
fail:
	return db_rollback(db);
}

/* The generator (sql/demo/) is not part of the schema: it is loaded into a
 * scratch schema for this one transaction and dropped with it. */
int admin_demo_data(struct db *db, long customers, long interactions, long seed)
{
	char c[32], i[32], s[32];
	const char *p[3] = { c, i, s };

	snprintf(c, sizeof(c), "%ld", customers);
	snprintf(i, sizeof(i), "%ld", interactions);
	snprintf(s, sizeof(s), "%ld", seed);
	if (db_exec(db, "begin", 0, NULL) < 0)
		return -1;
	if (db_exec(db, "set local client_min_messages = warning", 0, NULL) < 0 ||
	    db_exec(db, "create schema ccterm_demo", 0, NULL) < 0 ||
	    db_exec(db, "set local search_path = ccterm_demo, public", 0, NULL) < 0 ||
	    /* figures are computed once for everyone at the end, not per statement */
	    db_exec(db, "set local ccterm.bulk = on", 0, NULL) < 0)
		goto fail;
	for (size_t k = 0; k < sql_demo_count; k++)
		if (db_exec_script(db, sql_demo[k].text) < 0)
			goto fail;
	if (db_exec(db, "select demo_data($1::int, $2::bigint, $3::int)", 3, p) < 0 ||
	    db_exec(db, "select demo_progress($1::bigint + $2::bigint, $1::bigint + $2::bigint, 'customers'' figures')",
		    2, p) < 0 ||
	    db_exec(db, "drop schema ccterm_demo cascade", 0, NULL) < 0 ||
	    db_exec(db, "set local ccterm.bulk = off", 0, NULL) < 0 ||
	    db_exec(db, "select customer_metrics_refresh(null, true)", 0, NULL) < 0)
		goto fail;
	return db_exec(db, "commit", 0, NULL);
fail:
	return db_rollback(db);
}
