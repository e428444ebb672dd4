/* no_line_editor.c - preloaded (LD_PRELOAD) into the console by check_console:
 * dlopen() of libedit fails as it does where libedit is not installed (the
 * console opens it at the first ':', src/cli/editline.h), so the test sees
 * what the agent sees then. Every other dlopen() goes through. */
#include "config.h"

#include <dlfcn.h>
#include <stddef.h>
#include <string.h>

void *dlopen(const char *file, int mode)
{
	static void *(*real)(const char *, int);

	if (file && strncmp(file, "libedit", 7) == 0)
		return NULL;
	if (!real)
		*(void **)&real = dlsym(RTLD_NEXT, "dlopen");
	return real ? real(file, mode) : NULL;
}
