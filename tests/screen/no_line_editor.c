/* no_line_editor.c - preloaded (LD_PRELOAD) into the console by check_console:
 * libedit's el_init() fails as it does when memory runs out, so the test sees
 * what the agent sees when the ':' line cannot start. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <histedit.h>

EditLine *el_init(const char *prog, FILE *in, FILE *out, FILE *err)
{
	(void)prog;
	(void)in;
	(void)out;
	(void)err;
	errno = ENOMEM;
	return NULL;
}
