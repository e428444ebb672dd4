/* case_view.c - the case screen's and the reply editor's requests and row
 * readers (case_view.h); every rule is SQL's (76_cases.sql, 77_mail.sql). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db_priv.h"
#include "ccterm/case_view.h"
#include "ccterm/i18n.h"

#define ROW_COLS "id, case_no, customer_id, customer_name, kind, coalesce(subject, ''), status, priority, " \
	"coalesce(owner_login, ''), coalesce(owner_name, ''), coalesce(to_char(opened_at, 'MM-DD HH24:MI'), ''), " \
	"coalesce(to_char(due_at, 'MM-DD HH24:MI'), ''), coalesce(sla_state, 'none'), minutes_left"

void db_case_list_request(struct db_request *rq, const char *scope, const char *status, const char *sla)
{
	db_request_init(rq, "select " ROW_COLS " from case_list($1, $2, $3, $4::integer)");
	db_request_text(rq, scope);
	db_request_text(rq, status);
	db_request_text(rq, sla);
	db_request_int(rq, CASE_LIST_MAX);
}

static void row_read(const PGresult *res, int i, struct case_row *c)
{
	memset(c, 0, sizeof(*c));
	c->id = atoll(PQgetvalue(res, i, 0));
	DB_COPY(c->case_no, res, i, 1);
	c->customer_id = atoll(PQgetvalue(res, i, 2));
	DB_COPY(c->customer, res, i, 3);
	DB_COPY(c->kind, res, i, 4);
	DB_COPY(c->subject, res, i, 5);
	DB_COPY(c->status, res, i, 6);
	DB_COPY(c->priority, res, i, 7);
	DB_COPY(c->owner, res, i, 8);
	DB_COPY(c->owner_name, res, i, 9);
	DB_COPY(c->opened, res, i, 10);
	DB_COPY(c->due, res, i, 11);
	DB_COPY(c->sla, res, i, 12);
	c->has_left = !PQgetisnull(res, i, 13);
	c->minutes_left = c->has_left ? atoi(PQgetvalue(res, i, 13)) : 0;
	c->elapsed_pct = -1;
}

int db_case_list_read(const struct pg_result *res, void *out, char *err, size_t errsz)
{
	struct case_list *l = out;
	int n = PQntuples(res);

	l->n = n > CASE_LIST_MAX ? CASE_LIST_MAX : n;
	for (int i = 0; i < l->n; i++)
		row_read(res, i, &l->rows[i]);
	(void)err;
	(void)errsz;
	return 0;
}

void db_case_detail_request(struct db_request *rq, long long case_id)
{
	db_request_init(rq, "select " ROW_COLS ", coalesce(resolution_code || ' ' || resolution_label, ''), "
			    "coalesce(to_char(escalated_at, 'MM-DD HH24:MI'), ''), sla_elapsed_pct "
			    "from case_detail($1::bigint)");
	db_request_int(rq, case_id);
}

int db_case_detail_read(const struct pg_result *res, void *out, char *err, size_t errsz)
{
	struct case_row *c = out;

	if (PQntuples(res) != 1) {
		snprintf(err, errsz, "no such case");
		return -1;
	}
	row_read(res, 0, c);
	DB_COPY(c->resolution, res, 0, 14);
	DB_COPY(c->escalated, res, 0, 15);
	c->elapsed_pct = PQgetisnull(res, 0, 16) ? -1 : atoi(PQgetvalue(res, 0, 16));
	return 0;
}

void db_case_history_request(struct db_request *rq, long long case_id)
{
	db_request_init(rq, "select to_char(at, 'MM-DD HH24:MI'), coalesce(login, ''), event, "
			    "coalesce(old_value, ''), coalesce(new_value, ''), coalesce(note, '') "
			    "from case_history($1::bigint)");
	db_request_int(rq, case_id);
}

int db_case_history_read(const struct pg_result *res, void *out, char *err, size_t errsz)
{
	struct case_events *e = out;
	int n = PQntuples(res), first = n > CASE_EVENTS_MAX ? n - CASE_EVENTS_MAX : 0;   /* the newest */

	e->n = 0;
	for (int i = first; i < n; i++) {
		struct case_event_row *r = &e->rows[e->n++];

		DB_COPY(r->at, res, i, 0);
		DB_COPY(r->login, res, i, 1);
		DB_COPY(r->event, res, i, 2);
		DB_COPY(r->old_value, res, i, 3);
		DB_COPY(r->new_value, res, i, 4);
		DB_COPY(r->note, res, i, 5);
	}
	(void)err;
	(void)errsz;
	return 0;
}

void db_case_contacts_request(struct db_request *rq, long long case_id)
{
	db_request_init(rq, "select id, to_char(occurred_at, 'MM-DD HH24:MI'), channel, coalesce(direction, ''), "
			    "coalesce(kind, ''), coalesce(subject, ''), coalesce(agent_login, '') "
			    "from case_interactions($1::bigint)");
	db_request_int(rq, case_id);
}

int db_case_contacts_read(const struct pg_result *res, void *out, char *err, size_t errsz)
{
	struct case_contacts *c = out;
	int n = PQntuples(res);

	c->n = n > CASE_CONTACTS_MAX ? CASE_CONTACTS_MAX : n;
	for (int i = 0; i < c->n; i++) {
		struct case_contact_row *r = &c->rows[i];

		r->id = atoll(PQgetvalue(res, i, 0));
		DB_COPY(r->at, res, i, 1);
		DB_COPY(r->channel, res, i, 2);
		DB_COPY(r->direction, res, i, 3);
		DB_COPY(r->kind, res, i, 4);
		DB_COPY(r->subject, res, i, 5);
		DB_COPY(r->agent, res, i, 6);
	}
	(void)err;
	(void)errsz;
	return 0;
}

void db_case_replies_request(struct db_request *rq, long long case_id)
{
	db_request_init(rq, "select id, status, coalesce(failure, ''), to_addr, subject, coalesce(last_error, ''), attempts, "
			    "coalesce(to_char(case status when 'sent' then sent_at when 'queued' then next_attempt_at "
			    "else queued_at end, 'MM-DD HH24:MI'), '') "
			    "from mail_for_case($1::bigint)");
	db_request_int(rq, case_id);
}

int db_case_replies_read(const struct pg_result *res, void *out, char *err, size_t errsz)
{
	struct case_replies *c = out;
	int n = PQntuples(res), first = n > CASE_REPLIES_MAX ? n - CASE_REPLIES_MAX : 0;   /* the newest */

	c->n = 0;
	for (int i = first; i < n; i++) {
		struct case_reply_row *r = &c->rows[c->n++];

		r->id = atoll(PQgetvalue(res, i, 0));
		DB_COPY(r->status, res, i, 1);
		DB_COPY(r->failure, res, i, 2);
		DB_COPY(r->to, res, i, 3);
		DB_COPY(r->subject, res, i, 4);
		DB_COPY(r->error, res, i, 5);
		r->attempts = atoi(PQgetvalue(res, i, 6));
		DB_COPY(r->at, res, i, 7);
	}
	(void)err;
	(void)errsz;
	return 0;
}

void case_reply_state(const struct case_reply_row *r, char *out, size_t size)
{
	if (strcmp(r->status, "failed") == 0)
		snprintf(out, size, _("not delivered: %s"), r->error[0] ? r->error : _("unknown error"));
	else if (strcmp(r->status, "sent") == 0)
		snprintf(out, size, _("sent %s"), r->at);
	else if (strcmp(r->status, "queued") == 0 && r->error[0])
		snprintf(out, size, _("queued, next try %s (%s)"), r->at, r->error);
	else
		snprintf(out, size, "%s", i18n_word(r->status));
}

int db_case_change_request(struct db_request *rq, const char *verb, long long case_id, const char *arg,
			   const char *note)
{
	if (strcmp(verb, "note") == 0) {
		db_request_init(rq, "select case_add_note($1::bigint, $2)");
		db_request_int(rq, case_id);
		db_request_text(rq, arg);
	} else if (strcmp(verb, "escalate") == 0) {
		db_request_init(rq, "select case_escalate($1::bigint, $2)");
		db_request_int(rq, case_id);
		db_request_text(rq, arg && *arg ? arg : NULL);
	} else if (strcmp(verb, "assign") == 0 || strcmp(verb, "close") == 0) {
		db_request_init(rq, strcmp(verb, "assign") == 0 ? "select case_assign($1::bigint, $2, $3)"
							       : "select case_close($1::bigint, $2, $3)");
		db_request_int(rq, case_id);
		db_request_text(rq, arg);
		db_request_text(rq, note && *note ? note : NULL);
	} else {
		return -1;
	}
	return 0;
}

void db_case_resolutions_request(struct db_request *rq)
{
	db_request_init(rq, "select code, label from case_resolution order by code");
}

void db_mail_templates_request(struct db_request *rq)
{
	db_request_init(rq, "select code, name from mail_template where active order by code");
}

int db_code_list_read(const struct pg_result *res, void *out, char *err, size_t errsz)
{
	struct code_list *l = out;
	int n = PQntuples(res);

	l->n = n > CODE_LIST_MAX ? CODE_LIST_MAX : n;
	for (int i = 0; i < l->n; i++) {
		DB_COPY(l->code[i], res, i, 0);
		DB_COPY(l->label[i], res, i, 1);
	}
	(void)err;
	(void)errsz;
	return 0;
}

void db_mail_render_request(struct db_request *rq, const char *template_code, long long case_id)
{
	db_request_init(rq, "select coalesce(to_addr, ''), subject, body, coalesce(in_reply_to, '') "
			    "from mail_render($1, $2::bigint)");
	db_request_text(rq, template_code);
	db_request_int(rq, case_id);
}

int db_mail_render_read(const struct pg_result *res, void *out, char *err, size_t errsz)
{
	struct mail_rendered *m = out;

	if (PQntuples(res) != 1) {
		snprintf(err, errsz, "the template rendered nothing");
		return -1;
	}
	DB_COPY(m->to, res, 0, 0);
	DB_COPY(m->subject, res, 0, 1);
	DB_COPY(m->body, res, 0, 2);
	DB_COPY(m->in_reply_to, res, 0, 3);
	return 0;
}

void db_mail_queue_request(struct db_request *rq, const char *draft_id, long long case_id, const char *to,
			   const char *subject, const char *body)
{
	db_request_init(rq, "select mail_queue($1::uuid, $2::bigint, null, $3, $4, $5)");
	db_request_text(rq, draft_id);
	db_request_int(rq, case_id);
	db_request_text(rq, to && *to ? to : NULL);
	db_request_text(rq, subject);
	db_request_text(rq, body);
}

void case_time_left(const struct case_row *c, char *out, size_t size)
{
	int m = c->minutes_left < 0 ? -c->minutes_left : c->minutes_left;

	if (!c->has_left || strcmp(c->status, "closed") == 0)
		snprintf(out, size, "-");
	else if (c->minutes_left < 0)
		snprintf(out, size, _("overdue %dh %02dm"), m / 60, m % 60);
	else
		snprintf(out, size, _("%dh %02dm left"), m / 60, m % 60);
}

void db_campaign_next_request(struct db_request *rq)
{
	db_request_init(rq, "select campaign_id, campaign_name, coalesce(offer, ''), coalesce(script, ''), customer_id, "
			    "customer_name, attempts, coalesce(to_char(callback_at, 'MM-DD HH24:MI'), '') "
			    "from campaign_next(null)");
}

int db_campaign_next_read(const struct pg_result *res, void *out, char *err, size_t errsz)
{
	struct campaign_member_pull *m = out;

	memset(m, 0, sizeof(*m));
	if (PQntuples(res) < 1)
		return 0;
	m->found = true;
	m->campaign_id = atoi(PQgetvalue(res, 0, 0));
	DB_COPY(m->campaign, res, 0, 1);
	DB_COPY(m->offer, res, 0, 2);
	DB_COPY(m->script, res, 0, 3);
	m->customer_id = atoll(PQgetvalue(res, 0, 4));
	DB_COPY(m->customer, res, 0, 5);
	m->attempts = atoi(PQgetvalue(res, 0, 6));
	DB_COPY(m->callback_at, res, 0, 7);
	(void)err;
	(void)errsz;
	return 0;
}

void db_campaign_record_request(struct db_request *rq, int campaign_id, long long customer_id, const char *outcome,
				const char *at)
{
	db_request_init(rq, "select campaign_record($1::integer, $2::bigint, $3, $4::timestamptz)");
	db_request_int(rq, campaign_id);
	db_request_int(rq, customer_id);
	db_request_text(rq, outcome);
	db_request_text(rq, at && *at ? at : NULL);
}
