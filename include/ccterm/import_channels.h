/* import_channels.h - the importers of the record's other channels: e-mail
 * (mbox or Maildir), store POS orders (CSV), web events (JSON lines) and
 * survey answers (CSV). Each is one transaction; bad records are rejected
 * with where they are and why, into FILE.rejects (README "Imports"). With
 * options, a progress line (opt->progress: records read, then the step) as
 * import customers|interactions have, and Ctrl-C (db_interrupt_catch) rolls
 * the import back: -1, "interrupted: rolled back, nothing was loaded",
 * r->interrupted. */
#ifndef CCTERM_IMPORT_CHANNELS_H
#define CCTERM_IMPORT_CHANNELS_H

#include "ccterm/admin.h"

/* Returns 0, or -1 with db_error() saying why (nothing is loaded then).
 * opt may be NULL (no progress). */
int admin_import_mail_with(struct db *db, const char *path, const struct import_options *opt,
			   struct import_result *r);
int admin_import_orders_with(struct db *db, const char *path, const struct import_options *opt,
			     struct import_result *r);
int admin_import_web_with(struct db *db, const char *path, const struct import_options *opt,
			  struct import_result *r);
int admin_import_surveys_with(struct db *db, const char *path, const struct import_options *opt,
			      struct import_result *r);
/* The same without options. */
int admin_import_mail(struct db *db, const char *path, struct import_result *r);
int admin_import_orders(struct db *db, const char *path, struct import_result *r);
int admin_import_web(struct db *db, const char *path, struct import_result *r);
int admin_import_surveys(struct db *db, const char *path, struct import_result *r);

/* By name ("mail", "orders", "web", "surveys"): as above, or -2 when what
 * is none of them. */
int admin_import_channel(struct db *db, const char *what, const char *path, const struct import_options *opt,
			 struct import_result *r);

#endif
