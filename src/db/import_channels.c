/* import_channels.c - the channel importers by name, for ccterm-admin. */
#include "config.h"

#include <string.h>

#include "ccterm/import_channels.h"

int admin_import_channel(struct db *db, const char *what, const char *path, const struct import_options *opt,
			 struct import_result *r)
{
	static const struct {
		const char *name;
		int (*run)(struct db *, const char *, const struct import_options *, struct import_result *);
	} kinds[] = {
		{ "mail", admin_import_mail_with },
		{ "orders", admin_import_orders_with },
		{ "web", admin_import_web_with },
		{ "surveys", admin_import_surveys_with },
	};

	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (strcmp(what, kinds[i].name) == 0)
			return kinds[i].run(db, path, opt, r);
	return -2;
}
