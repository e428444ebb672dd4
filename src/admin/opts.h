/* opts.h - ccterm-admin's options: "--name VALUE" pairs and bare flags after
 * the positional words. */
#ifndef CCTERM_ADMIN_OPTS_H
#define CCTERM_ADMIN_OPTS_H

#include <stdbool.h>
#include "ccterm/db.h"

struct opts {
	int argc;
	char **argv;
};

/* The value after --name ("" when it is the last word), NULL when absent. */
const char *opt_get(const struct opts *o, const char *name);
/* -1 (and a message) when an option is not in the NULL-terminated known list. */
int opt_check(const struct opts *o, const char *const *known);
/* The value, or NULL with a message saying it is required. */
const char *opt_need(const struct opts *o, const char *name);
bool number_arg(const char *s, long *out);

/* Prints a result as aligned columns (wide characters counted as two),
 * each value sanitized and cut at maxw[i] columns with an ellipsis. */
void print_table(const struct pg_result *res, const char *const *head, const int *maxw, int ncols);

/* The commands of rule_cmd.c: 0, -1 (db_error says why) or 2 (usage). */
int cmd_rule(struct db *db, const struct opts *o);
int cmd_recompute(struct db *db, const struct opts *o);
/* case_cmd.c, mail_cmd.c, campaign_cmd.c */
int cmd_case_watch(struct db *db, const struct opts *o);
int cmd_mail_send(struct db *db, const struct opts *o);
int cmd_mail_requeue(struct db *db, const struct opts *o);
int cmd_campaign(struct db *db, const struct opts *o);
/* report_cmd.c */
int cmd_report(struct db *db, const struct opts *o);

#endif
