/* embedded.h - text files compiled into the binaries (migrations, default keymaps). */
#ifndef CCTERM_EMBEDDED_H
#define CCTERM_EMBEDDED_H

#include <stddef.h>

struct embedded_file {
	const char *name;   /* file name without directory, e.g. "001_schema.sql" */
	const char *text;
};

/* sql/NNN_*.sql in order */
extern const struct embedded_file sql_migrations[];
extern const size_t sql_migrations_count;

/* sql/repeatable/NN_*.sql in order (functions, views, triggers, grants, policies) */
extern const struct embedded_file sql_repeatables[];
extern const size_t sql_repeatables_count;

/* sql/demo/NAME.sql: the demo-data generator, loaded only by demo-data */
extern const struct embedded_file sql_demo[];
extern const size_t sql_demo_count;

/* keymaps/NAME.keys */
extern const struct embedded_file builtin_keymaps[];
extern const size_t builtin_keymaps_count;

/* The embedded file called name, or NULL. */
const char *embedded_find(const struct embedded_file *files, size_t n, const char *name);

#endif
