/* import_channels.c - the channel importers by name, for ccterm-admin. */
#include "config.h"

#include <string.h>

#include "ccterm/import_channels.h"

int admin_import_channel(struct db *db, const char *what, const char *path, struct import_result *r)
{
	static const struct {
		const char *name;
		int (*run)(struct db *, const char *, struct import_result *);
	} kinds[] = {
		{ "mail", admin_import_mail },
		{ "orders", admin_import_orders },
		{ "web", admin_import_web },
		{ "surveys", admin_import_surveys },
	};

	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (strcmp(what, kinds[i].name) == 0)
			return kinds[i].run(db, path, r);
	return -2;
}
