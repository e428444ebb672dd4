/* migrate.c - bring a database to the code's schema.
 *
 * Two kinds of embedded SQL files (shared/STYLE.md, "versioned vs repeatable"):
 * - sql/NNN_*.sql, numbered migrations: tables, columns, indexes. Each runs
 *   once, is recorded in schema_migrations with its checksum, and is history:
 *   a recorded file whose text differs from the one built in is an error that
 *   stops the run, since that database never saw the edit.
 * - sql/repeatable/NN_name.sql: functions, views, triggers, grants, policies. They
 *   are re-created from source, so after the numbered ones they are applied
 *   again, all of them in order, whenever any of them changed or a numbered
 *   migration ran (which may have dropped what they define). Every database
 *   converges to the code's definitions.
 * Every step is one transaction that first takes a transaction-scoped
 * advisory lock and then looks at what is recorded, so concurrent migrators
 * on a database are serialized step by step; nothing is left on the session
 * (no session lock, no SET), so a migrator works through PgBouncer in
 * transaction mode, where each transaction may run on another server
 * connection (docs/SCALE.md). */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db_priv.h"
#include "ccterm/embedded.h"

#define MIGRATE_LOCK "7734001"

/* FNV-1a: enough to notice a file edited after it ran. */
void migrate_checksum(const char *text, char out[17])
{
	uint64_t h = 14695981039346656037ULL;

	for (const unsigned char *p = (const unsigned char *)text; *p; p++) {
		h ^= *p;
		h *= 1099511628211ULL;
	}
	snprintf(out, 17, "%016llx", (unsigned long long)h);
}

/* Opens a step's transaction: the migrators' lock, and quiet notices
 * ("already exists, skipping"), both ending with it. 0 or -1. */
static int step_begin(struct db *db)
{
	if (db_exec(db, "begin", 0, NULL) < 0)
		return -1;
	if (db_exec(db, "select pg_advisory_xact_lock(" MIGRATE_LOCK "), "
			"set_config('client_min_messages', 'warning', true)", 0, NULL) < 0)
		return db_rollback(db);
	return 0;
}

/* Rolls back, naming what failed before the server's reason. */
static int fail_rollback(struct db *db, const char *what)
{
	char why[512];

	snprintf(why, sizeof(why), "%s", db_error(db));
	db_rollback(db);
	db_set_error(db, "%s: %s", what, why);
	return -1;
}

/* 1 when it ran now, 0 when it had run before, -1 on error. */
static int migration_apply(struct db *db, const struct embedded_file *m)
{
	char version[16], sum[17], what[160];
	const char *params[3] = { version, m->name, sum };
	PGresult *res;
	int done;

	snprintf(version, sizeof(version), "%d", atoi(m->name));
	migrate_checksum(m->text, sum);
	if (step_begin(db) < 0)
		return -1;
	res = db_query(db, "select checksum, name from schema_migrations where version = $1", 1, params);
	if (!res)
		return db_rollback(db);
	done = PQntuples(res) > 0;
	if (done && strcmp(PQgetvalue(res, 0, 0), sum) != 0) {
		db_set_error(db, "migration %s differs from the one this database ran (as %s): "
			     "numbered migrations are history; put the change in a new numbered "
			     "file or a repeatable one", m->name, PQgetvalue(res, 0, 1));
		PQclear(res);
		return db_rollback(db);
	}
	PQclear(res);
	if (done)
		return db_exec(db, "commit", 0, NULL) < 0 ? db_rollback(db) : 0;

	snprintf(what, sizeof(what), "migration %s failed", m->name);
	if (db_exec_script(db, m->text) < 0 ||
	    db_exec(db, "insert into schema_migrations (version, name, checksum) values ($1, $2, $3)",
		    3, params) < 0 || db_exec(db, "commit", 0, NULL) < 0)
		return fail_rollback(db, what);
	return 1;
}

/* true when a repeatable file is missing from schema_repeatables or differs. */
static int repeatables_changed(struct db *db)
{
	PGresult *res = db_query(db, "select name, checksum from schema_repeatables", 0, NULL);
	int changed;

	if (!res)
		return -1;
	changed = PQntuples(res) != (int)sql_repeatables_count;
	for (size_t i = 0; i < sql_repeatables_count && !changed; i++) {
		char sum[17];
		int found = 0;

		migrate_checksum(sql_repeatables[i].text, sum);
		for (int r = 0; r < PQntuples(res); r++)
			if (strcmp(PQgetvalue(res, r, 0), sql_repeatables[i].name) == 0)
				found = strcmp(PQgetvalue(res, r, 1), sum) == 0;
		changed = !found;
	}
	PQclear(res);
	return changed;
}

/* All repeatable files in order, in the step's transaction, as the schema's
 * owner (sql/110_owner.sql): what they create belongs to ccterm_owner, so no
 * SECURITY DEFINER function runs with the migrator's (superuser) rights. */
static int repeatables_apply(struct db *db)
{
	if (db_exec(db, "delete from schema_repeatables", 0, NULL) < 0)
		return fail_rollback(db, "repeatable files");
	for (size_t i = 0; i < sql_repeatables_count; i++) {
		const struct embedded_file *f = &sql_repeatables[i];
		char sum[17], what[160];
		const char *params[2] = { f->name, sum };

		migrate_checksum(f->text, sum);
		snprintf(what, sizeof(what), "repeatable %s failed", f->name);
		if (db_exec(db, "set local role ccterm_owner", 0, NULL) < 0 || db_exec_script(db, f->text) < 0 ||
		    db_exec(db, "reset role", 0, NULL) < 0 ||
		    db_exec(db, "insert into schema_repeatables (name, checksum) values ($1, $2)", 2, params) < 0)
			return fail_rollback(db, what);
	}
	return db_exec(db, "commit", 0, NULL) < 0 ? fail_rollback(db, "repeatable files") : 0;
}

/* Every table, view, sequence and function of the schema belongs to
 * ccterm_owner (sql/110_owner.sql), including those a later numbered
 * migration made as the migrator; run before the repeatable files, which
 * act as that owner. Sequences owned by a table follow it. */
static const char ownership_sweep_sql[] =
	"do $$ declare o record; begin "
	"for o in select format('alter %s %s owner to ccterm_owner', "
	"    case c.relkind when 'v' then 'view' when 'm' then 'materialized view' "
	"                   when 'S' then 'sequence' else 'table' end, c.oid::regclass) as sql "
	"  from pg_class c "
	"  where c.relnamespace = 'public'::regnamespace and c.relkind in ('r', 'p', 'v', 'm', 'S') "
	"    and c.relowner <> 'ccterm_owner'::regrole "
	"    and not exists (select 1 from pg_depend d where d.classid = 'pg_class'::regclass "
	"                    and d.objid = c.oid and d.deptype in ('a', 'i')) "
	"  union all "
	"  select format('alter routine %s owner to ccterm_owner', p.oid::regprocedure) "
	"  from pg_proc p "
	"  where p.pronamespace = 'public'::regnamespace and p.proowner <> 'ccterm_owner'::regrole "
	"    and not exists (select 1 from pg_depend d where d.classid = 'pg_proc'::regclass "
	"                    and d.objid = p.oid and d.deptype = 'e') "
	"loop execute o.sql; end loop; end $$";

/* What is set on the database itself, on every run: a database made from a
 * template does not inherit it. No temporary objects for PUBLIC: they are how
 * a caller shadows a table a SECURITY DEFINER function reads. Admins keep
 * them (the imports stage their rows in a temp table). */
static const char database_settings_sql[] =
	"do $$ begin "
	"execute format('revoke temporary on database %I from public', current_database()); "
	"execute format('grant temporary on database %I to ccterm_admin', current_database()); "
	"end $$";

/* One step's statement in its own locked transaction. 0 or -1. */
static int step_exec(struct db *db, const char *sql)
{
	if (step_begin(db) < 0)
		return -1;
	if (db_exec(db, sql, 0, NULL) < 0 || db_exec(db, "commit", 0, NULL) < 0)
		return db_rollback(db);
	return 0;
}

int db_migrate_full(struct db *db, struct migrate_result *r)
{
	int changed;

	memset(r, 0, sizeof(*r));
	if (step_exec(db, "create table if not exists schema_migrations ("
			  "version integer primary key, name text not null, checksum text not null, "
			  "applied_at timestamptz not null default now())") < 0 ||
	    step_exec(db, "create table if not exists schema_repeatables ("
			  "name text primary key, checksum text not null, "
			  "applied_at timestamptz not null default now())") < 0)
		return -1;
	for (size_t i = 0; i < sql_migrations_count; i++) {
		int ran = migration_apply(db, &sql_migrations[i]);

		if (ran < 0)
			return -1;
		r->applied += ran;
	}
	if (step_exec(db, ownership_sweep_sql) < 0) {
		char why[512];

		snprintf(why, sizeof(why), "%s", db_error(db));
		db_set_error(db, "handing the schema to ccterm_owner: %s", why);
		return -1;
	}
	/* Looked at and applied under the same lock: a concurrent migrator
	 * that got there first leaves nothing changed. */
	if (step_begin(db) < 0)
		return -1;
	changed = repeatables_changed(db);
	if (changed < 0)
		return db_rollback(db);
	if (changed || r->applied > 0) {
		if (repeatables_apply(db) < 0)
			return -1;
		r->repeatables = (int)sql_repeatables_count;
	} else if (db_exec(db, "commit", 0, NULL) < 0) {
		return db_rollback(db);
	}
	return step_exec(db, database_settings_sql);
}

int db_migrate(struct db *db, int *applied)
{
	struct migrate_result r;
	int rc = db_migrate_full(db, &r);

	*applied = r.applied;
	return rc;
}
