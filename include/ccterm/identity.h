/* identity.h - one customer per person: linking a phone or e-mail to a
 * customer, duplicate candidates, merge and unmerge (sql/repeatable/22_identity.sql). */
#ifndef CCTERM_IDENTITY_H
#define CCTERM_IDENTITY_H

#include "ccterm/db.h"

/*
 * The unknown caller the agent found: links the number (any form; it is
 * normalized with the site's default country) or the e-mail to customer_id,
 * audited, so the next call from it pops that customer. kind is "phone" or
 * "email". Returns 0, or -1 with db_error() saying why.
 */
int db_contact_link(struct db *db, long customer_id, const char *kind, const char *value);

/* Candidate pairs, best first: columns keep_id, keep_name, drop_id,
 * drop_name, score (0..100), reasons. Supervisors and admins. */
PGresult *db_duplicates(struct db *db, int limit);

/* The customers customer_id may be a duplicate of: other_id, name, score, reasons. */
PGresult *db_duplicates_of(struct db *db, long customer_id);

/* Merges drop into keep (contact points, interactions, orders, cases,
 * campaign members); drop stays as a tombstone. *merge_id set on success. */
int db_customer_merge(struct db *db, long keep, long drop, long *merge_id);
/* Undoes the latest merge of drop. */
int db_customer_unmerge(struct db *db, long drop, long *merge_id);

#endif
