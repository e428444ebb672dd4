/* action.c - names and help texts of the actions, from the one list in action.h. */
#include "config.h"

#include <string.h>

#include "ccterm/action.h"

static const char *const names[ACTION_COUNT] = {
#define ACTION_NAME(id, name, help) [ACTION_##id] = name,
	ACTION_LIST(ACTION_NAME)
#undef ACTION_NAME
};

static const char *const helps[ACTION_COUNT] = {
#define ACTION_HELP(id, name, help) [ACTION_##id] = help,
	ACTION_LIST(ACTION_HELP)
#undef ACTION_HELP
};

enum action action_by_name(const char *name, int *ok)
{
	if (name) {
		for (int a = 0; a < ACTION_COUNT; a++) {
			if (strcmp(names[a], name) == 0) {
				if (ok)
					*ok = 1;
				return (enum action)a;
			}
		}
	}
	if (ok)
		*ok = 0;
	return ACTION_NONE;
}

const char *action_name(enum action a)
{
	return (unsigned)a < ACTION_COUNT ? names[a] : "?";
}

const char *action_help(enum action a)
{
	return (unsigned)a < ACTION_COUNT ? helps[a] : "";
}
