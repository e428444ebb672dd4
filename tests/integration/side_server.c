/* side_server.c - a second server beside the test cluster (side_server.h). */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "side_server.h"

void side_server_name(struct side_server *s, const char *script, const char *prefix)
{
	s->script = script;
	snprintf(s->dir, sizeof(s->dir), "%s.%ld", prefix, (long)getpid());
}

void side_server_ctl(const struct side_server *s, const char *verb)
{
	char cmd[512];
	const char *top = getenv("CCTERM_TOP_SRCDIR");

	snprintf(cmd, sizeof(cmd), "%s/tests/integration/%s %s %s >/dev/null", top ? top : ".", s->script, verb,
		 s->dir);
	ck_assert_msg(system(cmd) == 0, "%s failed", cmd);
}

void side_server_gone(const struct side_server *s)
{
	char cmd[128];

	side_server_ctl(s, "stop");
	snprintf(cmd, sizeof(cmd), "rm -rf %s", s->dir);
	ck_assert_int_eq(system(cmd), 0);
}
