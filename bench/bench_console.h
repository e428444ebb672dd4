/* bench_console.h - the real console under a benchmark: ccterm spawned in a
 * terminal as a role, its config and state in a directory of its own. */
#ifndef CCTERM_BENCH_BENCH_CONSOLE_H
#define CCTERM_BENCH_BENCH_CONSOLE_H

#include <libpq-fe.h>

#include "../tests/screen/vt.h"

/* ccterm (path) as user on the server of like, database dbname, in a rows x
 * cols terminal; no user key map, its XDG config and state under home
 * (home/config, home/state). Dies when it cannot start. */
struct vt *bench_console(const char *ccterm, PGconn *like, const char *user, const char *dbname, const char *home,
			 int rows, int cols);

#endif
