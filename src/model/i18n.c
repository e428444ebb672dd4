/* i18n.c - binding the text domain (i18n.h). */
#include "config.h"

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "ccterm/i18n.h"

#ifndef LOCALEDIR
#define LOCALEDIR "/usr/local/share/locale"
#endif
#ifndef BUILD_LOCALEDIR
#define BUILD_LOCALEDIR "po/locale"
#endif

static const char *bound = LOCALEDIR;

/* A directory holding any catalog of ours: LINGUAS are few, ko is the one. */
static int has_catalogs(const char *dir)
{
	char path[4096];

	snprintf(path, sizeof(path), "%s/ko/LC_MESSAGES/" PACKAGE ".mo", dir);
	return access(path, R_OK) == 0;
}

void i18n_init(void)
{
	const char *env = getenv("CCTERM_LOCALEDIR");

	setlocale(LC_ALL, "");
	if (env && *env)
		bound = env;
	else if (has_catalogs(LOCALEDIR))
		bound = LOCALEDIR;
	else if (has_catalogs(BUILD_LOCALEDIR))
		bound = BUILD_LOCALEDIR;
	bindtextdomain(PACKAGE, bound);
	bind_textdomain_codeset(PACKAGE, "UTF-8");
	textdomain(PACKAGE);
}

const char *i18n_word(const char *code)
{
	return code && *code ? gettext(code) : "";
}

const char *i18n_localedir(void)
{
	return bound;
}
