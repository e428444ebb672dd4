/* relay_path.c - where the relay's socket is (relay_path.h). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ccterm/relay_path.h"

static int put(char *out, size_t size, const char *a, const char *b)
{
	int n = snprintf(out, size, "%s%s", a, b);

	return n > 0 && (size_t)n < size ? 0 : -1;
}

static int user_path(char *out, size_t size)
{
	const char *xdg = getenv("XDG_RUNTIME_DIR");

	if (!xdg || !*xdg)
		return -1;
	return put(out, size, xdg, "/" RELAY_USER_NAME);
}

static const char *given(const char *arg)
{
	const char *env = getenv("CCTERM_RELAY");

	return arg && *arg ? arg : env && *env ? env : NULL;
}

int relay_path_server(const char *arg, char *out, size_t size)
{
	const char *g = given(arg);

	if (g)
		return put(out, size, g, "");
	if (geteuid() == 0) {
		mkdir(RELAY_SYSTEM_DIR, 0755);
		return put(out, size, RELAY_SYSTEM_PATH, "");
	}
	return user_path(out, size);
}

int relay_path_console(const char *arg, char *out, size_t size)
{
	const char *g = given(arg);
	struct stat st;

	if (g)
		return strcmp(g, "off") == 0 || strcmp(g, "none") == 0 ? 1 : put(out, size, g, "");
	if (stat(RELAY_SYSTEM_PATH, &st) == 0 || user_path(out, size) < 0)
		return put(out, size, RELAY_SYSTEM_PATH, "");
	return 0;
}
