/* offers.h - the console's side of next-best-offer rules and early warning
 * (sql/repeatable/70_offers.sql, 75_warnings.sql), as requests the gateway
 * sends and readers of their rows: the agent records what a customer said to
 * an offer; supervisors list, edit, try and switch rules, and read the
 * at-risk board. No SQL outside db/. */
#ifndef CCTERM_OFFERS_H
#define CCTERM_OFFERS_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "ccterm/db.h"

/* offered, accepted or declined: the rule's figures count it. */
void db_offer_record_request(struct db_request *rq, const char *rule_id, const char *customer_id,
			     const char *call_id, const char *response);

/* A rule as the editor shows it: every field as the words typed into
 * offer_rule_spec() (lists comma-separated, the age "20-29"). */
#define RULE_FIELD 256
struct rule_fields {
	char name[128];
	char offer[RULE_FIELD];
	char priority[16];
	char tiers[RULE_FIELD];
	char segments[RULE_FIELD];
	char age[32];
	char genders[32];
	char marital[RULE_FIELD];
	char has[RULE_FIELD];
	char lacks[RULE_FIELD];
	char min_value[32];
	char channels[RULE_FIELD];
	char from[16];
	char until[16];
	bool active;
};

/* One row of the rule list (offer_rules_list()). */
struct rule_row {
	int id;
	char state[12];            /* on, off, expired */
	char conditions[512];
	long offered, accepted, declined;
	double accept_rate;        /* 0 .. 1, -1 when nobody answered yet */
	struct rule_fields f;
};

#define RULES_MAX 200
struct rule_list {
	struct rule_row rows[RULES_MAX];
	size_t n;
};
void db_rule_list_request(struct db_request *rq);
db_read_fn db_rule_list_read;             /* out: struct rule_list */

/* How many customers the rule as typed would reach (before saving): the
 * reply is a long, or an error saying which field is wrong. orig is the
 * name the rule had when the editor opened ("" for a new one): fields the
 * editor does not show (product, RFM, ...) are kept from it. */
void db_rule_hits_request(struct db_request *rq, const struct rule_fields *f, const char *orig);
/* Saves it (creating or replacing by name); the reply is the reach, a long. */
void db_rule_save_request(struct db_request *rq, const struct rule_fields *f, const char *orig);
db_read_fn db_long_read;                  /* out: long, the last column of the row */
void db_rule_set_active_request(struct db_request *rq, const char *name, bool active);

/* The at-risk board (customers_at_risk()). */
struct at_risk_row {
	long long customer_id;
	char name[256];
	char tier[16];
	long long value_won;
	double churn;
	char reasons[512];
	char owner[64];
	time_t last_contact;       /* 0 none */
};
#define AT_RISK_MAX 100
struct at_risk_list {
	struct at_risk_row rows[AT_RISK_MAX];
	size_t n;
};
/* sort: value, risk or contact (oldest first). */
void db_at_risk_request(struct db_request *rq, const char *sort);
db_read_fn db_at_risk_read;               /* out: struct at_risk_list */

#endif
