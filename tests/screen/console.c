/* console.c - the fixture every screen test of ccterm shares. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
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
	static char bin[512], pgdb[96], pguser[96], cfg[128], state[128], pghost[256];
	const char *argv[] = { bin, NULL };
	const char *env[] = { pgdb, pguser, cfg, state, pghost, NULL };
	struct vt *vt;

	snprintf(bin, sizeof(bin), "%s/ccterm", testdb_builddir());
	snprintf(pgdb, sizeof(pgdb), "PGDATABASE=%s", dbname);
	snprintf(pguser, sizeof(pguser), "PGUSER=%s", login);
	snprintf(cfg, sizeof(cfg), "XDG_CONFIG_HOME=%s/config", xdg);
	snprintf(state, sizeof(state), "XDG_STATE_HOME=%s/state", xdg);
	snprintf(pghost, sizeof(pghost), "PGHOST=%s", getenv("PGHOST") ? getenv("PGHOST") : "");
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

int console_main(Suite *s)
{
	SRunner *sr = srunner_create(s);
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
