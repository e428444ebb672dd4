/* form.c - logging the contact live: kind, reason, disposition, subject and
 * multi-line notes; F10 saves. Every change reaches the journal first. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ccterm/format.h"
#include "ccterm/phone.h"
#include "ccterm/utf8.h"
#include "ccterm/i18n.h"
#include "app.h"
#include "draw.h"
#include "lineedit.h"
#include "panel.h"

enum form_field { F_KIND, F_REASON, F_DISPOSITION, F_CASE, F_CHANNEL, F_DIRECTION, F_SUBJECT, F_NOTES, F_COUNT };

static const char *const kinds[] = { N_("inquiry"), N_("complaint"), N_("order"), N_("return"), N_("callback"),
				      N_("note"), NULL };
static const char *const channels[] = { N_("phone"), N_("email"), N_("chat"), N_("store"), N_("web"), N_("mobile"),
					 N_("mail"), N_("fax"), N_("sms"), NULL };
static const char *const directions[] = { N_("in"), N_("out"), NULL };

static struct {
	enum form_field focus;
	struct lineedit subject;
	struct lineedit new_name;        /* quick-create of an unknown caller */
	bool creating;
	bool discard_armed;              /* F8 once asks, twice discards */
	int notes_width;                 /* as last drawn: Up and Down move by it */
	int history_rows;                /* history rows shown with the form, 0 none */
	char loaded_for[40];             /* the draft the fields were loaded from */
	struct code_label reasons[32], dispositions[32];
	int nreasons, ndispositions;
} F;

/* The lists were read at connect (desk.lists); the kind's own reasons come
 * first, then those for any kind. Without them the form works with codes. */
static void lists_load(struct app *app)
{
	const struct form_lists *l = &app->desk.lists;
	const char *kind = app->desk.draft.kind;

	F.nreasons = 0;
	for (int pass = 0; pass < 2; pass++)
		for (size_t i = 0; i < l->nreasons && F.nreasons < 32; i++) {
			const struct code_label *c = &l->reasons[i];

			if (pass == 0 ? c->kind[0] && strcmp(c->kind, kind) == 0 : !c->kind[0])
				F.reasons[F.nreasons++] = *c;
		}
	F.ndispositions = 0;
	for (size_t i = 0; i < l->ndispositions && F.ndispositions < 32; i++)
		F.dispositions[F.ndispositions++] = l->dispositions[i];
}

static void form_sync(struct app *app)
{
	struct desk *d = &app->desk;

	if (strcmp(F.loaded_for, d->draft.draft_id) == 0)
		return;
	snprintf(F.loaded_for, sizeof(F.loaded_for), "%s", d->draft.draft_id);
	lineedit_set(&F.subject, d->draft.subject);
	F.focus = F_NOTES;   /* after a pop the cursor waits in Notes */
	F.creating = false;
	F.discard_armed = false;
	textbuf_set_cursor(d->notes, textbuf_len(d->notes));
}

/* Shown: the fields follow the draft at once, so keys typed before the
 * first frame land in Notes too. */
static void form_open(struct app *app, const char *arg)
{
	(void)arg;
	if (app->desk.draft_open)
		form_sync(app);
}

static const char *code_label_of(const struct code_label *l, int n, const char *code)
{
	for (int i = 0; i < n; i++)
		if (strcmp(l[i].code, code) == 0)
			return l[i].label;
	return code[0] ? code : "-";
}

/* One "Label: value" choice, "Label:" padded to label_cols + 1 columns (0:
 * as wide as it is) so that a column of choices lines up whatever the
 * language; returns the next x. */
static int draw_choice(WINDOW *w, int y, int x, int label_cols, const char *label, const char *value, bool focused)
{
	char buf[160];
	int x0 = x;

	x += draw_text(w, y, x, 20, label, STYLE_DIM);
	x += draw_text(w, y, x, 1, ":", STYLE_DIM);
	if (x - x0 < label_cols + 1)
		x += draw_text_pad(w, y, x, label_cols + 1 - (x - x0), "", STYLE_NORMAL);
	snprintf(buf, sizeof(buf), focused ? "◂%s▸" : " %s ", value);
	x += draw_text(w, y, x, 40, buf, focused ? STYLE_SELECTED : STYLE_NORMAL);
	return x + 1;
}

static void form_draw_who(struct app *app, WINDOW *w, int y, int x0, int cols)
{
	struct desk *d = &app->desk;
	char line[512], num[64], timer[16] = "";

	phone_format(d->call.ani_e164[0] ? d->call.ani_e164 : d->call.ani, num, sizeof(num));
	if (d->has_call)
		fmt_duration(desk_call_secs(d), timer, sizeof(timer));
	if (d->has_customer && d->pop.h.id == d->draft.customer_id)
		snprintf(line, sizeof(line), "%s [%s] %s%s%s", d->pop.h.name, i18n_word(d->pop.h.tier),
			 d->has_call ? _("· call ") : "", timer, d->pop.nalerts ? _(" · ! alerts: F4 customer") : "");
	else if (d->draft.customer_id)
		snprintf(line, sizeof(line), _("customer #%lld %s%s"), d->draft.customer_id,
			 d->has_call ? _("· call ") : "", timer);
	else if (d->has_call && d->ncands > 1)
		snprintf(line, sizeof(line), _("Shared number %s: choose the customer (F4)"), num);
	else if (d->has_call)
		snprintf(line, sizeof(line), _("Unknown caller %s · F7 create as customer · F2 search · call %s"), num,
			 timer);
	else
		snprintf(line, sizeof(line), "%s", _("No customer linked yet: F2 search"));
	draw_text(w, y, x0 + 1, cols - 2, line, STYLE_HEADING);
}

/* Keys that work on the history while the cursor stays in the form. */
#define FORM_HISTORY_KEYS _("PgUp/PgDn ^O open ^F filter")

/* The form's fields in the box [x0, x0 + cols) x [top, top + height); who:
 * the line saying whose contact it is (when no customer header is shown). */
static void form_fields(struct app *app, WINDOW *w, int top, int height, int x0, int cols, bool who)
{
	struct desk *d = &app->desk;
	struct contact_draft *dr = &d->draft;
	int x, y = top, rows, lw, sw;
	struct textbuf_layout lo = { 0 };
	static size_t notes_top;
	char line[256];

	if (who)
		form_draw_who(app, w, y++, x0, cols);
	if (F.creating) {
		char num[64];
		int cx;

		phone_format(d->call.ani_e164, num, sizeof(num));
		snprintf(line, sizeof(line), _("New customer with phone %s. Name:"), num);
		draw_text(w, y, x0 + 1, cols - 2, line, STYLE_NORMAL);
		cx = lineedit_draw(&F.new_name, w, y + 1, x0 + 1, cols - 2, true);
		app_cursor(app, y + 1, cx);
		draw_text(w, y + 2, x0 + 1, cols - 2, _("Enter creates · Esc cancels"), STYLE_DIM);
		return;
	}
	/* The first column's labels padded to the widest, so its values line up. */
	lw = utf8_width(_("Kind"));
	if (utf8_width(_("Outcome")) > lw)
		lw = utf8_width(_("Outcome"));
	if (utf8_width(_("Channel")) > lw)
		lw = utf8_width(_("Channel"));
	x = draw_choice(w, y, x0 + 1, lw, _("Kind"), i18n_word(dr->kind), F.focus == F_KIND);
	x = draw_choice(w, y, x, 0, _("Reason"), code_label_of(F.reasons, F.nreasons, dr->reason), F.focus == F_REASON);
	y++;
	x = draw_choice(w, y, x0 + 1, lw, _("Outcome"), code_label_of(F.dispositions, F.ndispositions, dr->disposition),
			F.focus == F_DISPOSITION);
	x = draw_choice(w, y, x, 0, _("Open case"), dr->open_case ? _("yes") : _("no"), F.focus == F_CASE);
	y++;
	x = draw_choice(w, y, x0 + 1, lw, _("Channel"), i18n_word(dr->channel), F.focus == F_CHANNEL);
	x = draw_choice(w, y, x, 0, _("Dir"), i18n_word(dr->direction), F.focus == F_DIRECTION);
	if (d->has_call && x0 + cols - x - 2 > 0) {
		char num[64];

		phone_format(d->call.ani_e164[0] ? d->call.ani_e164 : d->call.ani, num, sizeof(num));
		snprintf(line, sizeof(line), _("queue %s · ANI %s"), d->call.queue[0] ? d->call.queue : "-",
			 d->call.ani_e164[0] ? num : d->call.ani);
		draw_text(w, y, x + 1, x0 + cols - x - 2, line, STYLE_DIM);
	}
	y++;
	sw = draw_text(w, y, x0 + 1, 20, _("Subject:"), STYLE_DIM) + 1;
	if (sw < 9)
		sw = 9;
	{
		int cx = lineedit_draw(&F.subject, w, y, x0 + 1 + sw, cols - 2 - sw, F.focus == F_SUBJECT);

		if (F.focus == F_SUBJECT)
			app_cursor(app, y, cx);
	}
	y++;
	draw_text(w, y++, x0 + 1, cols - 2, F.focus == F_NOTES ? _("Notes (Enter new line · Tab next field · F10 save)")
							       : _("Notes"), F.focus == F_NOTES ? STYLE_HEADING : STYLE_DIM);
	rows = top + height - 1 - y;
	F.notes_width = cols - 2;
	if (rows > 0 && textbuf_layout(d->notes, cols - 2, &lo) == 0) {
		notes_top = textbuf_scroll(&lo, notes_top, (size_t)rows);
		for (int r = 0; r < rows && notes_top + (size_t)r < lo.nrows; r++) {
			const struct textbuf_row *tr = &lo.rows[notes_top + (size_t)r];

			snprintf(line, sizeof(line), "%.*s", (int)(tr->end - tr->start),
				 textbuf_text(d->notes) + tr->start);
			if (tr->end - tr->start < sizeof(line))
				draw_text(w, y + r, x0 + 1, cols - 2, line, STYLE_NORMAL);
			else {   /* a row longer than the buffer: draw it from the text itself */
				char *row = strndup(textbuf_text(d->notes) + tr->start, tr->end - tr->start);

				draw_text(w, y + r, x0 + 1, cols - 2, row ? row : "", STYLE_NORMAL);
				free(row);
			}
		}
		if (F.focus == F_NOTES)
			app_cursor(app, y + (int)(lo.cur_row - notes_top), x0 + 1 + lo.cur_col);
		textbuf_layout_free(&lo);
	}
	y = top + height - 1;
	switch (d->save) {
	case SAVE_DONE:
		snprintf(line, sizeof(line), _("Saved as interaction #%lld. F3 new contact · F4 customer"), d->saved_id);
		draw_text_pad(w, y, x0, cols, line, STYLE_GOOD);
		break;
	case SAVE_SAVING:
		draw_text_pad(w, y, x0, cols, _("Saving… your text is kept."), STYLE_DIM);
		break;
	case SAVE_WAITING:
		draw_text_pad(w, y, x0, cols, _("Saving… the database is down; retrying. Your text is kept."), STYLE_WARN);
		break;
	default:
		snprintf(line, sizeof(line), _("Draft %.8s · journaled%s · F10 save · F8 discard"), dr->draft_id,
			 d->draft_restored ? _(" · restored after a restart") : "");
		draw_text_pad(w, y, x0, cols, line, STYLE_DIM);
		break;
	}
}

/* The pop screen: with the caller known, everything at once. At 80x24 the
 * header (who, ids, alerts and offers, the first open case), the newest
 * history and the form under it, the cursor in Notes; from 120x40 the
 * header and history on the left, the form on the right. */
static void form_draw(struct app *app, WINDOW *w, int top, int height)
{
	struct desk *d = &app->desk;
	int cols = getmaxx(w);
	bool known;

	F.history_rows = 0;
	if (!d->draft_open) {
		draw_text(w, top + 1, 2, cols - 4, _("No contact open. F3 starts one."), STYLE_DIM);
		return;
	}
	form_sync(app);
	lists_load(app);
	known = d->has_customer && d->pop.h.id == d->draft.customer_id && !F.creating;
	if (known && cols >= 120 && height >= 37) {
		int left = cols / 2, used = panel_header(app, w, top, 1, left - 2, 8, true);

		panel_history(app, w, top + used + 1, 1, height - used - 1, left - 2, FORM_HISTORY_KEYS);
		F.history_rows = panel_history_rows(height - used - 1);
		for (int y = top; y < top + height; y++)
			mvwaddch(w, y, left - 1, ACS_VLINE);
		form_fields(app, w, top, height, left, cols - left, false);
	} else if (known) {
		/* the form keeps ten rows (four of notes); the history gets the rest, up to seven */
		int used = panel_header(app, w, top, 1, cols - 2, 4, true), hist = height - used - 10;

		if (hist > 7)
			hist = 7;
		if (hist < 2)
			hist = 0;
		panel_history(app, w, top + used, 1, hist, cols - 2, FORM_HISTORY_KEYS);
		F.history_rows = panel_history_rows(hist);
		form_fields(app, w, top + used + hist, height - used - hist, 0, cols, false);
	} else {
		form_fields(app, w, top, height, 0, cols, true);
	}
}

/* Steps a choice list; values are codes. */
static void choose(struct app *app, const char *field, const char *const *list, int nlist,
		   const struct code_label *codes, const char *current, int dir)
{
	int n = list ? nlist : nlist + 1;   /* code lists have "-" (none) first */
	int at = 0;

	for (int i = 0; i < n; i++) {
		const char *v = list ? list[i] : i == 0 ? "" : codes[i - 1].code;

		if (strcmp(v, current) == 0)
			at = i;
	}
	at = (at + dir + n) % n;
	desk_draft_set(&app->desk, field, list ? list[at] : at == 0 ? "" : codes[at - 1].code);
}

static int count(const char *const *l)
{
	int n = 0;

	while (l[n])
		n++;
	return n;
}

static void form_choose(struct app *app, int dir)
{
	struct contact_draft *dr = &app->desk.draft;

	switch (F.focus) {
	case F_KIND:
		choose(app, "kind", kinds, count(kinds), NULL, dr->kind, dir);
		desk_draft_set(&app->desk, "reason", "");
		desk_draft_set(&app->desk, "open_case", strcmp(dr->kind, "complaint") == 0 ? "yes" : "no");
		lists_load(app);
		break;
	case F_REASON:
		choose(app, "reason", NULL, F.nreasons > 0 ? F.nreasons : 0, F.reasons, dr->reason, dir);
		break;
	case F_DISPOSITION:
		choose(app, "disposition", NULL, F.ndispositions > 0 ? F.ndispositions : 0, F.dispositions,
		       dr->disposition, dir);
		break;
	case F_CASE: desk_draft_set(&app->desk, "open_case", dr->open_case ? "no" : "yes"); break;
	case F_CHANNEL: choose(app, "channel", channels, count(channels), NULL, dr->channel, dir); break;
	case F_DIRECTION: choose(app, "direction", directions, count(directions), NULL, dr->direction, dir); break;
	default: break;
	}
}

static int form_action(struct app *app, enum action a)
{
	struct desk *d = &app->desk;

	if (!d->draft_open)
		return VIEW_UNHANDLED;
	if (F.creating) {
		if (a == ACTION_OPEN) {
			desk_quick_create(d, F.new_name.text);
			F.creating = false;
			return VIEW_HANDLED | VIEW_REDRAW;
		}
		if (a == ACTION_BACK) {
			F.creating = false;
			return VIEW_HANDLED | VIEW_REDRAW;
		}
		return a == ACTION_QUIT || a == ACTION_HELP ? VIEW_UNHANDLED : VIEW_HANDLED;
	}
	if (a != ACTION_DISCARD)
		F.discard_armed = false;
	switch (a) {
	case ACTION_SAVE:
		if (F.focus == F_SUBJECT || strcmp(F.subject.text, d->draft.subject) != 0)
			desk_draft_set(d, "subject", F.subject.text);
		desk_draft_save(d);
		return VIEW_HANDLED | VIEW_REDRAW;
	case ACTION_NEXT_FIELD:
	case ACTION_PREV_FIELD:
		F.focus = (F.focus + (a == ACTION_NEXT_FIELD ? 1 : F_COUNT - 1)) % F_COUNT;
		return VIEW_HANDLED | VIEW_REDRAW;
	case ACTION_CREATE_CUSTOMER:
		if (d->has_call && !d->has_customer && d->call.ani_e164[0]) {
			F.creating = true;
			lineedit_set(&F.new_name, "");
		} else {
			app_message(app, _("Create works for an unknown caller's number."));
		}
		return VIEW_HANDLED | VIEW_REDRAW;
	case ACTION_DISCARD:
		if (!F.discard_armed) {
			F.discard_armed = true;
			app_message(app, _("Press F8 again to throw this contact away."));
		} else {
			desk_draft_close(d);
			if (d->saved_id)   /* typed on after F10: only the changes since are gone */
				app_message(app, _("Changes since the save discarded; interaction #%lld keeps what was saved."),
					    d->saved_id);
			else
				app_message(app, _("Contact discarded."));
		}
		return VIEW_HANDLED | VIEW_REDRAW;
	case ACTION_OPEN:
		if (F.focus == F_NOTES && textbuf_newline(d->notes) == TEXTBUF_FULL)
			app_message(app, _("Notes are full (%zu bytes)."), textbuf_max(d->notes));
		return VIEW_HANDLED | VIEW_REDRAW;
	case ACTION_UP:
	case ACTION_DOWN:
		if (F.focus == F_NOTES) {
			int width = F.notes_width > 0 ? F.notes_width : getmaxx(stdscr) - 2;

			if (a == ACTION_UP ? textbuf_up(d->notes, width) : textbuf_down(d->notes, width))
				return VIEW_HANDLED | VIEW_REDRAW;
			if (a == ACTION_DOWN)
				return VIEW_HANDLED;
		}
		F.focus = (F.focus + (a == ACTION_DOWN ? 1 : F_COUNT - 1)) % F_COUNT;
		return VIEW_HANDLED | VIEW_REDRAW;
	case ACTION_PAGE_UP:
	case ACTION_PAGE_DOWN:
		/* The history scrolls while the cursor stays where it is. */
		if (d->has_customer) {
			long page = F.history_rows > 1 ? F.history_rows - 1 : 1;

			panel_history_move(app, a == ACTION_PAGE_DOWN ? page : -page);
		}
		return VIEW_HANDLED | VIEW_REDRAW;
	case ACTION_HISTORY_OPEN:
		if (d->has_customer && d->sel < d->nitems)
			app_open_detail(app, &d->items[d->sel]);
		return VIEW_HANDLED | VIEW_REDRAW;
	case ACTION_HISTORY_FILTER:
		if (d->has_customer)
			panel_history_next_filter(app);
		return VIEW_HANDLED | VIEW_REDRAW;
	case ACTION_HOME:
	case ACTION_END:
		if (F.focus == F_NOTES)
			a == ACTION_HOME ? textbuf_home(d->notes) : textbuf_end(d->notes);
		return VIEW_HANDLED | VIEW_REDRAW;
	default:
		return VIEW_UNHANDLED;
	}
}

/* Typed text: into the focused field; arrows choose in choice fields. */
static int form_key(struct app *app, int key)
{
	struct desk *d = &app->desk;

	if (!d->draft_open)
		return VIEW_UNHANDLED;
	if (F.creating)
		return lineedit_key(&F.new_name, key) ? VIEW_HANDLED | VIEW_REDRAW : VIEW_UNHANDLED;
	F.discard_armed = false;
	if (F.focus == F_SUBJECT) {
		if (!lineedit_key(&F.subject, key))
			return VIEW_UNHANDLED;
		desk_draft_set(d, "subject", F.subject.text);
		return VIEW_HANDLED | VIEW_REDRAW;
	}
	if (F.focus == F_NOTES) {
		char enc[4];
		int n;

		switch (key) {
		case 127: case 8: textbuf_backspace(d->notes); return VIEW_HANDLED | VIEW_REDRAW;
		case KEYC_DELETE: textbuf_delete(d->notes); return VIEW_HANDLED | VIEW_REDRAW;
		case KEYC_LEFT: textbuf_left(d->notes); return VIEW_HANDLED | VIEW_REDRAW;
		case KEYC_RIGHT: textbuf_right(d->notes); return VIEW_HANDLED | VIEW_REDRAW;
		default: break;
		}
		if (key < ' ' || key >= KEYC_SPECIAL)
			return VIEW_UNHANDLED;
		n = utf8_encode((uint32_t)key, enc);
		if (textbuf_insert(d->notes, enc, (size_t)n) == TEXTBUF_FULL)
			app_message(app, _("Notes are full (%zu bytes)."), textbuf_max(d->notes));
		return VIEW_HANDLED | VIEW_REDRAW;
	}
	if (key == KEYC_LEFT || key == KEYC_RIGHT || key == ' ') {
		form_choose(app, key == KEYC_LEFT ? -1 : 1);
		return VIEW_HANDLED | VIEW_REDRAW;
	}
	return VIEW_UNHANDLED;
}

const struct view_ops view_form = {
	.title = N_("New contact"),
	.context = KEYCTX_FORM,
	.takes_text = true,
	.open = form_open,
	.draw = form_draw,
	.action = form_action,
	.key = form_key,
};
