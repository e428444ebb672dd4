/* desk.c - the agent's work at hand: calls, the customer shown, the timeline
 * and the draft. No curses here; views read this state and draw it. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ccterm/floor.h"
#include "ccterm/utf8.h"
#include "desk.h"

static void timeline_reset(struct desk *d)
{
	d->nitems = 0;
	d->sel = 0;
	d->top = 0;
	d->more = false;
	memset(&d->next, 0, sizeof(d->next));
	d->next.at_start = true;
}

static int timeline_append(struct desk *d, const struct timeline_page *p)
{
	if (d->nitems + p->n > d->cap) {
		size_t cap = d->cap ? d->cap * 2 : 256;
		struct timeline_item *ni;

		while (cap < d->nitems + p->n)
			cap *= 2;
		ni = realloc(d->items, cap * sizeof(*ni));
		if (!ni)
			return -1;
		d->items = ni;
		d->cap = cap;
	}
	if (p->n)   /* an empty page: d->items may still be NULL, and memcpy to NULL is undefined */
		memcpy(d->items + d->nitems, p->items, p->n * sizeof(p->items[0]));
	d->nitems += p->n;
	d->more = p->more;
	d->next = p->next;
	return 0;
}

void desk_offer(struct desk *d, long long call_id)
{
	if (call_id == d->last_popped || (d->has_call && call_id == d->call.id))
		return;
	for (size_t i = 0; i < d->npending; i++)
		if (d->pending[i] == call_id)
			return;
	if (d->npending < DESK_MAX_PENDING)
		d->pending[d->npending++] = call_id;
}

/* Shows a pop already fetched: the customer and the first timeline page. */
static void desk_show(struct desk *d)
{
	timeline_reset(d);
	memset(&d->filter, 0, sizeof(d->filter));
	timeline_append(d, &d->pop.first);
}

/* Fetches a call's pop into the desk without touching the draft. */
static int desk_pop_call(struct desk *d, struct db *db, long long id)
{
	/* Fetched aside first: a refused pop leaves the call and customer shown as they were. */
	struct fetched {
		struct call_info call;
		struct customer_pop pop;
		struct customer_hit cands[SEARCH_MAX];
		size_t ncands;
	} *f = calloc(1, sizeof(*f));

	if (!f) {
		db_set_error(db, "out of memory");
		return -1;
	}
	if (db_pop_call(db, id, &f->call, &f->pop, f->cands, &f->ncands) < 0) {
		free(f);
		return -1;
	}
	d->call = f->call;
	d->pop = f->pop;
	memcpy(d->cands, f->cands, sizeof(d->cands));
	d->ncands = f->ncands;
	free(f);
	for (size_t i = 0; i < d->npending; i++)
		if (d->pending[i] == id)
			memmove(d->pending + i, d->pending + i + 1, (--d->npending - i) * sizeof(d->pending[0]));
	d->has_call = true;
	d->last_popped = id;
	d->call_started = d->call.created_at;
	d->has_customer = d->call.customer_id != 0;
	if (d->has_customer)
		desk_show(d);
	else
		timeline_reset(d);
	return 0;
}

int desk_resume(struct desk *d, struct db *db)
{
	if (!d->draft_restored || d->has_call || d->has_customer)
		return 0;
	if (d->draft.call_id && desk_pop_call(d, db, d->draft.call_id) < 0) {
		if (!db_ok(db))
			return -1;
		/* The call is gone (another database?): the draft keeps its text. */
		desk_draft_set(d, "call_id", "");
	}
	if (d->draft.customer_id && !d->has_customer)
		return desk_open_customer(d, db, d->draft.customer_id);
	return 0;
}

/* A NOTIFY is a hint that anyone can send: a call the database refuses to
 * pop for this agent (someone else's, or gone) is dropped, so it cannot
 * stand in front of the real ones. */
static bool pop_refused(const struct db *db)
{
	const char *st = db_sqlstate(db);

	return strcmp(st, "42501") == 0 || strcmp(st, "P0002") == 0;
}

int desk_take_call(struct desk *d, struct db *db)
{
	long long id;

	if (d->npending == 0)
		return 0;
	for (;;) {
		id = d->pending[0];
		if (desk_pop_call(d, db, id) == 0)
			break;
		if (!pop_refused(db))
			return -1;
		memmove(d->pending, d->pending + 1, (--d->npending) * sizeof(d->pending[0]));
		if (d->npending == 0)
			return -1;   /* db_error says why the last one was refused */
	}
	/* Taking the pop answers the call: the agent is on it from now on. */
	if (strcmp(d->call.state, "offered") == 0 && db_call_answer(db, id) > 0)
		snprintf(d->call.state, sizeof(d->call.state), "answered");
	desk_draft_new(d);
	return 0;
}

int desk_open_customer(struct desk *d, struct db *db, long long customer_id)
{
	memset(&d->pop, 0, sizeof(d->pop));
	if (db_pop_customer(db, customer_id, &d->pop) < 0)
		return -1;
	d->has_customer = true;
	d->ncands = 0;
	desk_show(d);
	/* A draft for an unknown or shared caller now belongs to this customer. */
	if (d->draft_open && d->draft.customer_id == 0)
		d->draft.customer_id = customer_id;
	if (d->draft_open && d->journal) {
		char id[32];

		snprintf(id, sizeof(id), "%lld", customer_id);
		journal_set(d->journal, "customer_id", id);
	}
	return 0;
}

int desk_filter(struct desk *d, struct db *db, const char *channel, const char *kind)
{
	struct timeline_page *page;
	int rc;

	if (!d->has_customer)
		return 0;
	page = malloc(sizeof(*page));
	if (!page)
		return -1;
	snprintf(d->filter.channel, sizeof(d->filter.channel), "%s", channel);
	snprintf(d->filter.kind, sizeof(d->filter.kind), "%s", kind);
	timeline_reset(d);
	rc = db_timeline(db, d->pop.h.id, &d->filter, &d->next, page);
	if (rc == 0)
		rc = timeline_append(d, page);
	free(page);
	return rc;
}

int desk_timeline_more(struct desk *d, struct db *db)
{
	struct timeline_page *page;
	int rc;

	if (!d->has_customer || !d->more)
		return 0;
	page = malloc(sizeof(*page));
	if (!page)
		return -1;
	rc = db_timeline(db, d->pop.h.id, &d->filter, &d->next, page);
	if (rc == 0)
		rc = timeline_append(d, page);
	free(page);
	return rc;
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
	if (d->save == SAVE_DONE)
		d->save = SAVE_NONE;   /* edited after saving: F10 again updates the same row */
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

	memset(d, 0, sizeof(*d));
	timeline_reset(d);
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
	return 0;
}

void desk_free(struct desk *d)
{
	journal_close(d->journal);
	textbuf_free(d->notes);
	free(d->items);
	memset(d, 0, sizeof(*d));
}

void desk_draft_set(struct desk *d, const char *field, const char *value)
{
	draft_apply(d, field, value);
	d->draft_dirty = true;
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
	d->draft_dirty = false;
}

int desk_draft_save(struct desk *d, struct db *db)
{
	long long id;

	if (!d->draft_open)
		return 0;
	if (d->draft.customer_id == 0) {
		db_set_error(db, "Whose contact is this? F2 search the customer or F7 create them first.");
		return -1;
	}
	if (!d->draft.subject[0]) {
		/* No subject typed: the first line of the notes says what it was about. */
		const char *notes = textbuf_text(d->notes);
		char first[sizeof(d->draft.subject)];

		utf8_fit(notes, 60, true, first, sizeof(first));
		first[strcspn(first, "\n")] = '\0';
		desk_draft_set(d, "subject", first);
	}
	if (d->journal)
		journal_sync(d->journal);   /* durable before it leaves this machine */
	d->draft.notes = (char *)textbuf_text(d->notes);
	id = db_contact_save(db, &d->draft);
	d->draft.notes = NULL;
	if (id < 0) {
		if (!db_ok(db))
			d->save = SAVE_WAITING;
		return -1;
	}
	d->saved_id = id;
	d->save = SAVE_DONE;
	d->draft_dirty = false;
	if (d->journal)
		journal_saved(d->journal, d->draft.draft_id);
	/* The new contact heads the timeline now. */
	if (d->has_customer && d->pop.h.id == d->draft.customer_id)
		desk_filter(d, db, d->filter.channel, d->filter.kind);
	return 0;
}

void desk_draft_close(struct desk *d)
{
	if (d->draft_open && d->save != SAVE_DONE && d->journal)
		journal_discard(d->journal, d->draft.draft_id);
	d->draft_open = false;
	d->draft_dirty = false;
	d->save = SAVE_NONE;
}

int desk_quick_create(struct desk *d, struct db *db, const char *name)
{
	long long id;

	if (!d->has_call || !d->call.ani_e164[0]) {
		db_set_error(db, "No caller number to create a customer from.");
		return -1;
	}
	id = db_customer_create(db, name, d->call.ani_e164);
	if (id < 0)
		return -1;
	d->call.customer_id = id;
	return desk_open_customer(d, db, id);
}

bool desk_sync_pending(const struct desk *d)
{
	return d->journal && journal_sync_pending(d->journal);
}

void desk_sync(struct desk *d, bool force)
{
	if (d->journal && (force || journal_sync_due(d->journal, journal_now_ms())))
		journal_sync(d->journal);
}
