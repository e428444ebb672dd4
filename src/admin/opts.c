/* opts.c - ccterm-admin's option parsing. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "opts.h"
#include "ccterm/i18n.h"

const char *opt_get(const struct opts *o, const char *name)
{
	for (int i = 0; i < o->argc; i++)
		if (strcmp(o->argv[i], name) == 0)
			return i + 1 < o->argc ? o->argv[i + 1] : "";
	return NULL;
}

int opt_check(const struct opts *o, const char *const *known)
{
	for (int i = 0; i < o->argc; i++) {
		bool ok = false;

		if (strncmp(o->argv[i], "--", 2) != 0)
			continue;
		for (const char *const *k = known; *k; k++)
			ok |= strcmp(o->argv[i], *k) == 0;
		if (!ok) {
			fprintf(stderr, _("ccterm-admin: unknown option %s\n"), o->argv[i]);
			return -1;
		}
	}
	return 0;
}

const char *opt_need(const struct opts *o, const char *name)
{
	const char *v = opt_get(o, name);

	if (!v || !*v)
		fprintf(stderr, _("ccterm-admin: %s VALUE is required\n"), name);
	return v && *v ? v : NULL;
}

bool number_arg(const char *s, long *out)
{
	char *end;

	if (!s)
		return false;
	*out = strtol(s, &end, 10);
	return *s && *end == '\0';
}
