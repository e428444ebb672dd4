/* desk_draft.c - the contact being logged: every change goes to the journal
 * before it shows; saving is asked of the gateway and idempotent by draft. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ccterm/i18n.h"
#include "ccterm/floor.h"
#include "ccterm/phone.h"
#include "ccterm/utf8.h"
#include "gateway/gateway.h"
#include "desk.h"
#include "desk_priv.h"

static void saved_done(void *arg, const struct gw_reply *r)
{
	struct ask *a = arg;
	struct desk *d = a->d;

	if (strcmp(d->draft.draft_id, a->key) != 0 || a->gen != d->save_seq) {
		/* Another draft since, or a later save of this one on its way: that
		 * one tells (this one must not say "saved" for older text). */
		desk_ask_free(a);
		return;
	}
	if (r->rc != 0) {
		if (r->lost) {
			d->save = SAVE_WAITING;
			desk_say(d, _("Database down: the contact will be saved when it is back."));
		} else {
			d->save = SAVE_NONE;
			desk_say(d, "%s", r->error);
		}
		desk_ask_free(a);
		return;
	}
	d->saved_id = *(long long *)a->buf;
	if (d->edited_while_saving) {
		/* Typed after the text left: saved, but not what is on screen now. */
		d->save = SAVE_NONE;
		desk_say(d, _("Contact saved (#%lld); what you typed since is not: F10 again."), d->saved_id);
	} else {
		d->save = SAVE_DONE;
		d->draft_dirty = false;
		if (d->journal)
			journal_saved(d->journal, d->draft.draft_id);
		desk_say(d, _("Contact saved (#%lld)."), d->saved_id);
	}
	/* The new contact heads the timeline now. */
	if (d->has_customer && d->pop.h.id == d->draft.customer_id)
		desk_filter(d, d->filter.channel, d->filter.kind);
	desk_ask_free(a);
}

void desk_draft_save(struct desk *d)
{
	struct db_request rq;
	char err[160];
	struct ask *a;

	if (!d->draft_open)
		return;
	if (d->draft.customer_id == 0) {
		desk_say(d, _("Whose contact is this? F2 search the customer or F7 create them first."));
		return;
	}
	if (!d->draft.subject[0]) {
		/* No subject typed: the first line of the notes says what it was about. */
		const char *notes = textbuf_text(d->notes);
		char first[sizeof(d->draft.subject)];

		utf8_fit(notes, 60, true, first, sizeof(first));
		first[strcspn(first, "\n")] = '\0';
		desk_draft_set(d, "subject", first);
	}
	if (db_contact_check(&d->draft, err, sizeof(err)) < 0) {
		desk_say(d, "%s", err);
		return;
	}
	if (d->journal)
		journal_sync(d->journal);   /* durable before it leaves this machine */
	if (!d->gw || !gateway_up(d->gw)) {
		d->save = SAVE_WAITING;
		desk_say(d, _("Database down: the contact will be saved when it is back."));
		return;
	}
	a = desk_ask_new(d, sizeof(long long));
	if (!a)
		return;
	d->draft.notes = (char *)textbuf_text(d->notes);
	db_contact_save_request(&rq, &d->draft);
	snprintf(a->key, sizeof(a->key), "%s", d->draft.draft_id);
	a->gen = ++d->save_seq;
	d->edited_while_saving = false;
	d->save = SAVE_SAVING;
	if (desk_ask_send(d, &rq, db_id_read, a->buf, saved_done, a) < 0)
		d->save = SAVE_WAITING;
	d->draft.notes = NULL;
}

bool desk_draft_unsaved(const struct desk *d)
{
	return d->draft_open && d->draft_dirty && d->save != SAVE_DONE;
}

/* --- the draft: every change goes to the journal before it shows ------- */

/* The journal's names for the draft's short fields. */
static char *draft_field(struct contact_draft *dr, const char *name, size_t *size)
{
#define FIELD(f) if (strcmp(name, #f) == 0) { *size = sizeof(dr->f); return dr->f; }
	FIELD(channel) FIELD(direction) FIELD(kind) FIELD(reason) FIELD(disposition) FIELD(subject)
#undef FIELD
	return NULL;
}

static void notes_edited(void *arg, bool insert, size_t off, const char *bytes, size_t len)
{
	struct desk *d = arg;

	d->draft_dirty = true;
	if (d->save == SAVE_SAVING)
		d->edited_while_saving = true;
	if (d->save == SAVE_DONE)
		d->save = SAVE_NONE;   /* edited after saving: F10 again saves the latest text */
	if (!d->journal)
		return;
	if (insert)
		journal_insert(d->journal, "notes", off, bytes, len);
	else
		journal_delete(d->journal, "notes", off, len);
}

static void draft_apply(struct desk *d, const char *name, const char *value)
{
	size_t size;
	char *f = draft_field(&d->draft, name, &size);

	if (f)
		snprintf(f, size, "%s", value ? value : "");
	else if (strcmp(name, "customer_id") == 0)
		d->draft.customer_id = value ? atoll(value) : 0;
	else if (strcmp(name, "call_id") == 0)
		d->draft.call_id = value ? atoll(value) : 0;
	else if (strcmp(name, "open_case") == 0)
		d->draft.open_case = value && strcmp(value, "yes") == 0;
}

/*
 * Puts restored notes into the editor. Text the editor refuses (a control
 * character, invalid UTF-8, a NUL: a journal written by something else) is
 * kept, made visible: control characters become their Control Pictures
 * (ESC -> ␛), bad bytes U+FFFD; too long a text is cut at the editor's
 * maximum. Returns true when the text had to change (it is then
 * journaled again as shown).
 */
static bool notes_restore(struct desk *d, const struct draft_field *f)
{
	char *nonul, *clean;
	size_t o = 0, max = textbuf_max(d->notes);
	int rc;

	if (strlen(f->value) == f->len && textbuf_set_text(d->notes, f->value) == TEXTBUF_OK)
		return false;
	nonul = malloc(f->len * 3 + 1);
	if (!nonul)
		return false;
	for (size_t i = 0; i < f->len; i++) {
		if (f->value[i] == '\0') {
			memcpy(nonul + o, "\xE2\x90\x80", 3);   /* ␀ */
			o += 3;
		} else {
			nonul[o++] = f->value[i];
		}
	}
	nonul[o] = '\0';
	clean = utf8_sanitize(nonul, o, SANITIZE_KEEP_NEWLINES);
	free(nonul);
	if (!clean)
		return false;
	rc = textbuf_set_text(d->notes, clean);
	if (rc == TEXTBUF_FULL) {
		size_t cut = max;

		while (cut > 0 && ((unsigned char)clean[cut] & 0xC0) == 0x80)
			cut--;
		clean[cut] = '\0';
		rc = textbuf_set_text(d->notes, clean);
	}
	free(clean);
	return rc == TEXTBUF_OK;
}

/* 8-4-4-4-12 hex digits: what contact_save takes as the draft's key. */
static bool uuid_shaped(const char *s)
{
	for (int i = 0; i < JOURNAL_UUID_LEN; i++) {
		bool dash = i == 8 || i == 13 || i == 18 || i == 23;

		if (dash ? s[i] != '-' : !((s[i] >= '0' && s[i] <= '9') || ((s[i] | 0x20) >= 'a' && (s[i] | 0x20) <= 'f')))
			return false;
	}
	return s[JOURNAL_UUID_LEN] == '\0';
}

/*
 * A restored draft whose id could never be saved (a journal written by
 * something else): the text is kept under a new id, journaled whole, so F10
 * works. The draft never reached the database under the old id.
 */
static void draft_renew_id(struct desk *d, const struct draft_state *st)
{
	struct draft_state copy;

	memset(&copy, 0, sizeof(copy));
	for (size_t i = 0; i < st->nfields; i++) {
		snprintf(copy.fields[i].name, sizeof(copy.fields[i].name), "%s", st->fields[i].name);
		copy.fields[i].value = strdup(st->fields[i].value);
		if (!copy.fields[i].value)
			break;
		copy.nfields++;
	}
	if (journal_uuid(d->draft.draft_id) < 0)
		snprintf(d->draft.draft_id, sizeof(d->draft.draft_id), "00000000-0000-4000-8000-%012lx",
			 (unsigned long)time(NULL));
	journal_begin(d->journal, d->draft.draft_id);      /* st is gone from here on */
	for (size_t i = 0; i < copy.nfields; i++)
		journal_set(d->journal, copy.fields[i].name, strcmp(copy.fields[i].name, "notes") == 0 ?
			    textbuf_text(d->notes) : copy.fields[i].value);
	draft_state_free(&copy);
}

/* What the agent is told about a restored draft besides "restored". */
static void restore_note(struct desk *d, const struct journal_report *rep, bool notes_changed)
{
	char skipped[160];
	bool any = journal_report_describe(rep, skipped, sizeof(skipped)) > 0;

	d->restore_note[0] = '\0';
	if (notes_changed || any)
		snprintf(d->restore_note, sizeof(d->restore_note), " (%s%s%s%s)",
			 notes_changed ? "control characters in the notes shown as symbols" : "",
			 notes_changed && any ? "; " : "", any ? "journal: " : "", any ? skipped : "");
}

int desk_init(struct desk *d, const char *journal_path, char *err, size_t errsz)
{
	const struct draft_state *st;

	/* d comes zeroed (desk.h): no memset here, so the pages of the large
	 * replies a desk holds stay untouched until a pop or a search fills them. */
	d->now.queue_waiting = -1;
	desk_timeline_reset(d);
	d->notes = textbuf_new(0);
	if (!d->notes) {
		snprintf(err, errsz, "out of memory");
		return -1;
	}
	d->journal = journal_open(journal_path, err, errsz);
	if (!d->journal) {
		textbuf_free(d->notes);         /* a console that cannot start leaks nothing */
		d->notes = NULL;
		return -1;
	}
	st = journal_draft(d->journal);
	if (st) {   /* an unsaved draft from before a crash or a hangup */
		bool notes_changed = false;

		snprintf(d->draft.draft_id, sizeof(d->draft.draft_id), "%s", st->id);
		for (size_t i = 0; i < st->nfields; i++) {
			if (strcmp(st->fields[i].name, "notes") == 0)
				notes_changed = notes_restore(d, &st->fields[i]);
			else
				draft_apply(d, st->fields[i].name, st->fields[i].value);
		}
		if (!uuid_shaped(st->id))
			draft_renew_id(d, st);
		else if (notes_changed)   /* the journal holds what the screen shows and F10 saves */
			journal_set(d->journal, "notes", textbuf_text(d->notes));
		d->draft_open = d->draft_restored = d->draft_dirty = true;
		restore_note(d, journal_open_report(d->journal), notes_changed);
	}
	textbuf_set_on_edit(d->notes, notes_edited, d);
	if (desk_reply_init(d, journal_path, err, errsz) < 0) {
		journal_close(d->journal);
		textbuf_free(d->notes);
		d->journal = NULL;
		d->notes = NULL;
		return -1;
	}
	return 0;
}

void desk_free(struct desk *d)
{
	desk_reply_free(d);
	journal_close(d->journal);
	textbuf_free(d->notes);
	free(d->items);
	free(d->detail_body);
	memset(d, 0, sizeof(*d));
}

void desk_draft_set(struct desk *d, const char *field, const char *value)
{
	draft_apply(d, field, value);
	d->draft_dirty = true;
	if (d->save == SAVE_SAVING)
		d->edited_while_saving = true;
	if (d->save == SAVE_DONE)
		d->save = SAVE_NONE;
	if (d->journal)
		journal_set(d->journal, field, value);
}

void desk_draft_new(struct desk *d)
{
	char num[32];

	memset(&d->draft, 0, sizeof(d->draft));
	if (journal_uuid(d->draft.draft_id) < 0)
		snprintf(d->draft.draft_id, sizeof(d->draft.draft_id), "00000000-0000-4000-8000-%012lx",
			 (unsigned long)time(NULL));
	textbuf_set_on_edit(d->notes, NULL, NULL);
	textbuf_set_text(d->notes, "");
	textbuf_set_on_edit(d->notes, notes_edited, d);
	/* The new draft and its prefilled fields go to the journal in one
	 * write: this runs between the call's pop and its frame. */
	journal_hold(d->journal);
	if (d->journal)
		journal_begin(d->journal, d->draft.draft_id);
	d->draft_open = true;
	d->draft_restored = false;
	d->save = SAVE_NONE;
	d->saved_id = 0;
	/* Prefilled from the call; not "typed" yet, so a pop may still replace it. */
	desk_draft_set(d, "channel", "phone");
	desk_draft_set(d, "direction", "in");
	desk_draft_set(d, "kind", "inquiry");
	if (d->has_call) {
		snprintf(num, sizeof(num), "%lld", d->call.id);
		desk_draft_set(d, "call_id", num);
	}
	if (d->has_customer) {
		snprintf(num, sizeof(num), "%lld", d->pop.h.id);
		desk_draft_set(d, "customer_id", num);
	}
	journal_release(d->journal);
	d->draft_dirty = false;
}


void desk_draft_close(struct desk *d)
{
	if (d->draft_open && d->save != SAVE_DONE && d->journal)
		journal_discard(d->journal, d->draft.draft_id);
	d->draft_open = false;
	d->draft_dirty = false;
	d->save = SAVE_NONE;
}


bool desk_sync_pending(const struct desk *d)
{
	return (d->journal && journal_sync_pending(d->journal)) ||
	       (d->reply.journal && journal_sync_pending(d->reply.journal));
}

/* One journal's turn: in the loop the fdatasync goes to the journal's
 * thread (the console never waits for the disk); forced (at exit) it is
 * done here. */
static void sync_journal(struct journal *j, bool force)
{
	if (!j)
		return;
	if (force)
		journal_sync(j);
	else if (journal_sync_due(j, journal_now_ms()))
		journal_sync_start(j);
}

void desk_sync(struct desk *d, bool force)
{
	sync_journal(d->journal, force);
	sync_journal(d->reply.journal, force);
}
