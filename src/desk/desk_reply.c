/* desk_reply.c - the e-mail reply being written from a case: prefilled from
 * a template (mail_render), every edit journaled before it shows, in a
 * journal of its own beside the contact's (<journal>.reply), so a crash, a
 * hangup or Esc loses nothing; F10 queues it once (mail_queue by its draft
 * id: asked again, the database returns the same message). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ccterm/i18n.h"
#include "ccterm/case_view.h"
#include "gateway/gateway.h"
#include "desk.h"
#include "desk_priv.h"

static void body_edited(void *arg, bool insert, size_t off, const char *bytes, size_t len)
{
	struct desk *d = arg;
	struct mail_reply *m = &d->reply;

	if (!m->journal || !m->open)
		return;
	if (insert)
		journal_insert(m->journal, "body", off, bytes, len);
	else
		journal_delete(m->journal, "body", off, len);
}

/* Text for the editor: a control character other than a line break (a tab,
 * a carriage return from a template typed elsewhere) becomes a blank, so the
 * editor never refuses a template or a restored draft. */
static int body_load(struct textbuf *tb, const char *text)
{
	char *clean = strdup(text);
	size_t o = 0;
	int rc;

	if (!clean)
		return TEXTBUF_NOMEM;
	for (const char *p = text; *p; p++) {
		if (*p == '\r')
			continue;
		clean[o++] = (unsigned char)*p < ' ' && *p != '\n' ? ' ' : (*p == 0x7f ? ' ' : *p);
	}
	clean[o] = '\0';
	rc = textbuf_set_text(tb, clean);
	free(clean);
	return rc;
}

static void field_apply(struct mail_reply *m, const char *field, const char *value)
{
	if (strcmp(field, "case_id") == 0)
		m->case_id = atoll(value);
	else if (strcmp(field, "to") == 0)
		snprintf(m->to, sizeof(m->to), "%s", value);
	else if (strcmp(field, "subject") == 0)
		snprintf(m->subject, sizeof(m->subject), "%s", value);
	else if (strcmp(field, "template") == 0)
		snprintf(m->template_code, sizeof(m->template_code), "%s", value);
}

int desk_reply_init(struct desk *d, const char *journal_path, char *err, size_t errsz)
{
	struct mail_reply *m = &d->reply;
	const struct draft_state *st;
	char path[4096];

	m->body = textbuf_new(MAIL_BODY_MAX - 1);
	if (!m->body) {
		snprintf(err, errsz, "out of memory");
		return -1;
	}
	snprintf(path, sizeof(path), "%s.reply", journal_path);
	m->journal = journal_open(path, err, errsz);
	if (!m->journal) {
		textbuf_free(m->body);
		m->body = NULL;
		return -1;
	}
	st = journal_draft(m->journal);
	if (st) {   /* a reply not queued before a crash, a hangup or Esc */
		snprintf(m->draft_id, sizeof(m->draft_id), "%s", st->id);
		for (size_t i = 0; i < st->nfields; i++) {
			if (strcmp(st->fields[i].name, "body") == 0) {
				if (strlen(st->fields[i].value) != st->fields[i].len ||
				    textbuf_set_text(m->body, st->fields[i].value) != TEXTBUF_OK) {
					body_load(m->body, st->fields[i].value);
					journal_set(m->journal, "body", textbuf_text(m->body));   /* what the editor shows */
				}
			} else {
				field_apply(m, st->fields[i].name, st->fields[i].value);
			}
		}
		m->open = m->restored = m->case_id > 0;
	}
	textbuf_set_on_edit(m->body, body_edited, d);
	return 0;
}

void desk_reply_free(struct desk *d)
{
	journal_close(d->reply.journal);
	textbuf_free(d->reply.body);
	memset(&d->reply, 0, sizeof(d->reply));
}

void desk_reply_set(struct desk *d, const char *field, const char *value)
{
	struct mail_reply *m = &d->reply;

	field_apply(m, field, value);
	if (m->journal && m->open)
		journal_set(m->journal, field, value);
}

void desk_reply_new(struct desk *d, long long case_id, const char *template_code, const char *to,
		    const char *subject, const char *body)
{
	struct mail_reply *m = &d->reply;
	char num[24];

	if (m->open && m->journal)
		journal_discard(m->journal, m->draft_id);
	if (journal_uuid(m->draft_id) < 0)
		snprintf(m->draft_id, sizeof(m->draft_id), "00000000-0000-4000-8000-%012lx", (unsigned long)time(NULL));
	m->open = true;
	m->restored = false;
	m->queuing = false;
	m->queued_id = 0;
	if (m->journal)
		journal_begin(m->journal, m->draft_id);
	snprintf(num, sizeof(num), "%lld", case_id);
	desk_reply_set(d, "case_id", num);
	desk_reply_set(d, "template", template_code);
	desk_reply_set(d, "to", to);
	desk_reply_set(d, "subject", subject);
	textbuf_set_on_edit(m->body, NULL, NULL);
	if (body_load(m->body, body) != TEXTBUF_OK)
		textbuf_set_text(m->body, "");
	textbuf_set_on_edit(m->body, body_edited, d);
	if (m->journal)
		journal_set(m->journal, "body", textbuf_text(m->body));
}

static void queued_done(void *arg, const struct gw_reply *r)
{
	struct ask *a = arg;
	struct desk *d = a->d;
	struct mail_reply *m = &d->reply;

	if (strcmp(m->draft_id, a->key) != 0 || !m->open) {
		desk_ask_free(a);
		return;
	}
	m->queuing = false;
	if (r->rc != 0) {
		desk_reply_error(d, r);   /* the reply stays, journaled: F10 again */
	} else {
		m->queued_id = *(long long *)a->buf;
		if (m->journal)
			journal_saved(m->journal, m->draft_id);
		m->open = false;
		desk_say(d, _("Reply queued (message #%lld) to %s."), m->queued_id, m->to[0] ? m->to : "the customer");
	}
	d->events |= DESK_CHANGED | DESK_REPLY;
	desk_ask_free(a);
}

void desk_reply_queue(struct desk *d)
{
	struct mail_reply *m = &d->reply;
	struct db_request rq;
	struct ask *a;

	if (!m->open || m->queuing)
		return;
	a = desk_ask_new(d, sizeof(long long));
	if (!a)
		return;
	snprintf(a->key, sizeof(a->key), "%s", m->draft_id);
	if (m->journal)
		journal_sync(m->journal);   /* durable before it leaves this machine */
	db_mail_queue_request(&rq, m->draft_id, m->case_id, m->to, m->subject, textbuf_text(m->body));
	m->queuing = true;   /* before: done may run inside the send */
	if (desk_ask_send(d, &rq, db_id_read, a->buf, queued_done, a) < 0)
		m->queuing = false;
}

void desk_reply_discard(struct desk *d)
{
	struct mail_reply *m = &d->reply;

	if (m->open && m->journal)
		journal_discard(m->journal, m->draft_id);
	m->open = m->restored = m->queuing = false;
}
