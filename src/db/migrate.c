/* migrate.c - apply the embedded sql/NNN_*.sql files once each, in order. */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db_priv.h"
#include "ccterm/embedded.h"

/* FNV-1a: enough to notice a migration edited after it ran. */
static void text_checksum(const char *text, char out[17])
{
	uint64_t h = 14695981039346656037ULL;

	for (const unsigned char *p = (const unsigned char *)text; *p; p++) {
		h ^= *p;
		h *= 1099511628211ULL;
	}
	snprintf(out, 17, "%016llx", (unsigned long long)h);
}

static int migration_apply(struct db *db, const struct embedded_file *m, int *applied)
{
	char version[16], sum[17];
	const char *params[3] = { version, m->name, sum };
	PGresult *res;
	bool done;

	snprintf(version, sizeof(version), "%d", atoi(m->name));
	text_checksum(m->text, sum);

	if (db_exec(db, "begin", 0, NULL) < 0)
		return -1;
	/* Serializes concurrent migrators on this database. */
	if (db_exec(db, "select pg_advisory_xact_lock(7734001)", 0, NULL) < 0)
		goto fail;
	res = db_query(db, "select checksum from schema_migrations where version = $1", 1, params);
	if (!res)
		goto fail;
	done = PQntuples(res) > 0;
	if (done && strcmp(PQgetvalue(res, 0, 0), sum) != 0)
		fprintf(stderr, "ccterm: warning: migration %s changed after it was applied\n", m->name);
	PQclear(res);
	if (done)
		return db_exec(db, "commit", 0, NULL);

	if (db_exec_script(db, m->text) < 0) {
		char why[512];

		snprintf(why, sizeof(why), "%s", db_error(db));
		db_exec(db, "rollback", 0, NULL);
		db_set_error(db, "migration %s failed: %s", m->name, why);
		return -1;
	}
	if (db_exec(db, "insert into schema_migrations (version, name, checksum) values ($1, $2, $3)",
		    3, params) < 0 || db_exec(db, "commit", 0, NULL) < 0)
		goto fail;
	(*applied)++;
	return 0;
fail:
	db_exec(db, "rollback", 0, NULL);
	return -1;
}

int db_migrate(struct db *db, int *applied)
{
	*applied = 0;
	if (db_exec(db, "set client_min_messages = warning", 0, NULL) < 0 ||
	    db_exec(db, "create table if not exists schema_migrations ("
			"version integer primary key, name text not null, checksum text not null, "
			"applied_at timestamptz not null default now())", 0, NULL) < 0)
		return -1;
	for (size_t i = 0; i < sql_migrations_count; i++)
		if (migration_apply(db, &sql_migrations[i], applied) < 0)
			return -1;
	return 0;
}
