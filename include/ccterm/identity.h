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
struct pg_result *db_duplicates(struct db *db, int limit);

/* The customers customer_id may be a duplicate of: other_id, name, score, reasons. */
struct pg_result *db_duplicates_of(struct db *db, long customer_id);

/* Merges drop into keep (contact points, interactions, orders, cases,
 * campaign members); drop stays as a tombstone. *merge_id set on success. */
int db_customer_merge(struct db *db, long keep, long drop, long *merge_id);
/* Undoes the latest merge of drop. */
int db_customer_unmerge(struct db *db, long drop, long *merge_id);

/* The same for the console (the gateway's requests). */
#define DUP_MAX 8
struct duplicate_hit {
	long long other_id;
	char name[256];
	int score;                /* 0..100 */
	char reasons[256];        /* "same phone and name, same e-mail" */
};
struct duplicate_reply {
	struct duplicate_hit hits[DUP_MAX];
	size_t n;
};
/* contact_link(customer_id, kind, value); the reply: the contact point's id (db_id_read). */
void db_contact_link_request(struct db_request *rq, long long customer_id, const char *kind, const char *value);
/* customer_duplicates_of(customer_id), best first; out: struct duplicate_reply. */
void db_duplicates_of_request(struct db_request *rq, long long customer_id);
db_read_fn db_duplicates_of_read;
/* customer_merge(keep, drop); the reply: the merge id (db_id_read). */
void db_customer_merge_request(struct db_request *rq, long long keep, long long drop);

/* ccterm-admin quality: how much of the customer data is wrong or missing
 * (live customers, tombstones left out). Admins (it reads the tables). */
struct quality_report {
	long customers;
	long duplicates;          /* customers in a duplicate candidate pair */
	long bad_phones;          /* customers with a phone that is not a number (phone_normalize) */
	long bad_emails;          /* customers with an e-mail that is not an address */
	long no_phone, no_email, no_branch;
	long wrong;               /* customers with any of duplicates, bad phone, bad e-mail */
};

/* Fills r; 0, or -1 with db_error(). */
int db_quality(struct db *db, struct quality_report *r);

#endif
