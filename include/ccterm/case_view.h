/* case_view.h - what the case screen and the reply editor read and send: the
 * requests (SQL functions of sql/repeatable/76_cases.sql and 77_mail.sql,
 * the only way agents reach cases and mail) and their row readers, for the
 * console's gateway. Pure data; no curses. */
#ifndef CCTERM_CASE_VIEW_H
#define CCTERM_CASE_VIEW_H

#include <stdbool.h>
#include "ccterm/db.h"

#define CASE_LIST_MAX 200
#define CASE_EVENTS_MAX 100
#define CASE_CONTACTS_MAX 50
#define CODE_LIST_MAX 32
#define MAIL_BODY_MAX 16384

struct case_row {
	long long id, customer_id;
	char case_no[24], customer[128], kind[32], subject[256], status[16], priority[16];
	char owner[64], owner_name[128];
	char opened[24], due[24];        /* "MM-DD HH:MI", "" when none */
	char sla[16];                    /* ok, warning, breached, none, closed */
	bool has_left;
	int minutes_left;                /* negative: overdue */
	/* the detail only */
	char resolution[80], escalated[24];
	int elapsed_pct;                 /* -1 unknown */
};

struct case_list {
	struct case_row rows[CASE_LIST_MAX];
	int n;
};

struct case_event_row {
	char at[24], login[64], event[32], old_value[96], new_value[96], note[256];
};
struct case_events {
	struct case_event_row rows[CASE_EVENTS_MAX];
	int n;
};

struct case_contact_row {
	long long id;
	char at[24], channel[16], direction[8], kind[32], subject[256], agent[64];
};
struct case_contacts {
	struct case_contact_row rows[CASE_CONTACTS_MAX];
	int n;
};

/* A case's e-mail replies (mail_for_case), oldest first. */
#define CASE_REPLIES_MAX 20
struct case_reply_row {
	long long id;
	char status[12];                 /* draft, queued, sending, sent, failed */
	char failure[12];                /* permanent, temporary, unknown, "" */
	char to[256], subject[256], error[512];
	char at[24];                     /* sent, else the next attempt, else queued: "MM-DD HH:MI" */
	int attempts;
};
struct case_replies {
	struct case_reply_row rows[CASE_REPLIES_MAX];
	int n;
};

/* Codes with their labels: resolution codes, mail templates. */
struct code_list {
	char code[CODE_LIST_MAX][33];
	char label[CODE_LIST_MAX][128];
	int n;
};

/* A rendered template (mail_render). */
struct mail_rendered {
	char to[256], subject[512], in_reply_to[256];
	char body[MAIL_BODY_MAX];
};

/* scope mine|team|all; status "" (not closed), any or one; sla "" or one. */
void db_case_list_request(struct db_request *rq, const char *scope, const char *status, const char *sla);
db_read_fn db_case_list_read;              /* struct case_list */
void db_case_detail_request(struct db_request *rq, long long case_id);
db_read_fn db_case_detail_read;            /* struct case_row */
void db_case_history_request(struct db_request *rq, long long case_id);
db_read_fn db_case_history_read;           /* struct case_events */
void db_case_contacts_request(struct db_request *rq, long long case_id);
db_read_fn db_case_contacts_read;          /* struct case_contacts */
void db_case_replies_request(struct db_request *rq, long long case_id);
db_read_fn db_case_replies_read;           /* struct case_replies */
/* What became of a reply, for the agent: "not delivered: 550 5.1.1 ...",
 * "sent 12-01 10:22", "queued, next try 12-01 10:24 (451 ...)". */
void case_reply_state(const struct case_reply_row *r, char *out, size_t size);
/* The changes: note, escalate (arg: the note), assign (arg: the login),
 * close (arg: the resolution code); note may be NULL. -1 for another verb. */
int db_case_change_request(struct db_request *rq, const char *verb, long long case_id, const char *arg,
			   const char *note);
void db_case_resolutions_request(struct db_request *rq);
void db_mail_templates_request(struct db_request *rq);
db_read_fn db_code_list_read;              /* struct code_list */
void db_mail_render_request(struct db_request *rq, const char *template_code, long long case_id);
db_read_fn db_mail_render_read;            /* struct mail_rendered */
/* Queues the reply once per draft id (mail_queue); the reply is its outbox
 * id (db_id_read). */
void db_mail_queue_request(struct db_request *rq, const char *draft_id, long long case_id, const char *to,
			   const char *subject, const char *body);

/* The next campaign member for me to call (campaign_next of any running
 * campaign): found false when nobody is to be called now. */
struct campaign_member_pull {
	bool found;
	int campaign_id;
	long long customer_id;
	int attempts;
	char campaign[128], offer[64], customer[128], callback_at[24];
	char script[4096];
};
void db_campaign_next_request(struct db_request *rq);
db_read_fn db_campaign_next_read;          /* struct campaign_member_pull */
/* outcome: reached, not_reached, accepted, refused, callback (at: a
 * timestamptz text, else NULL). The reply is the attempt's id (db_id_read). */
void db_campaign_record_request(struct db_request *rq, int campaign_id, long long customer_id, const char *outcome,
				const char *at);

/* "2h 05m left", "overdue 1h 10m", "-". */
void case_time_left(const struct case_row *c, char *out, size_t size);

#endif
