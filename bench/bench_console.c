/* bench_console.c - the real console under a benchmark (bench_console.h). */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "bench.h"
#include "bench_console.h"

struct vt *bench_console(const char *ccterm, PGconn *like, const char *user, const char *dbname, const char *home,
			 int rows, int cols)
{
	char host[600], port[64], db[300], usr[96], cfg[256], state[256];
	const char *argv[] = { ccterm, NULL };
	const char *env[] = { host, port, db, usr, cfg, state, NULL };
	struct vt *vt;

	snprintf(host, sizeof(host), "PGHOST=%s", PQhost(like));
	snprintf(port, sizeof(port), "PGPORT=%s", PQport(like));
	snprintf(db, sizeof(db), "PGDATABASE=%s", dbname);
	snprintf(usr, sizeof(usr), "PGUSER=%s", user);
	snprintf(cfg, sizeof(cfg), "XDG_CONFIG_HOME=%s/config", home);
	snprintf(state, sizeof(state), "XDG_STATE_HOME=%s/state", home);
	vt = vt_spawn(argv, env, rows, cols);
	if (!vt)
		bench_die("cannot start %s: %s", ccterm, strerror(errno));
	return vt;
}
