/* reply.c - the e-mail reply editor of a case (r in a case, :reply): a
 * template chosen from a list fills To, Subject and the body (mail_render);
 * the agent edits them here (the body with the form's multi-line editing),
 * every change journaled by the desk first; F10 queues it once (mail_queue
 * by the draft's id), F8 twice discards it, Esc leaves it kept for later. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ccterm/case_view.h"
#include "ccterm/utf8.h"
#include "gateway/gateway.h"
#include "ccterm/i18n.h"
#include "app.h"
#include "cases.h"
#include "draw.h"
#include "lineedit.h"

enum mode { PICK, RENDERING, EDIT };
enum reply_focus { R_TO, R_SUBJECT, R_BODY, R_COUNT };

static struct {
	enum mode mode;
	enum reply_focus focus;
	long long case_id;
	struct code_list templates;
	bool have_templates;
	int sel;
	struct mail_rendered *rendered;
	struct lineedit to, subject;
	int body_width;
	size_t body_top;
	bool discard_armed;
} R;

static void say_error(struct app *app, const struct gw_reply *r)
{
	app_message(app, "%s", r->lost ? "Database connection lost: reconnecting. Nothing you type is lost." : r->error);
}

static void edit_from_desk(struct app *app)
{
	struct mail_reply *m = &app->desk.reply;

	lineedit_set(&R.to, m->to);
	lineedit_set(&R.subject, m->subject);
	textbuf_set_cursor(m->body, 0);
	R.mode = EDIT;
	R.focus = R_BODY;
	R.body_top = 0;
}

static void templates_in(void *arg, const struct gw_reply *r)
{
	struct app *app = arg;

	if (r->rc != 0)
		say_error(app, r);
	else
		R.have_templates = true;
	app->dirty = true;
}

static void rendered_in(void *arg, const struct gw_reply *r)
{
	struct app *app = arg;

	if (R.mode != RENDERING)
		return;
	if (r->rc != 0) {
		say_error(app, r);
		R.mode = PICK;
	} else {
		desk_reply_new(&app->desk, R.case_id, R.templates.code[R.sel], R.rendered->to, R.rendered->subject,
			       R.rendered->body);
		edit_from_desk(app);
		app_message(app, "Edit the reply: Tab next field · F10 queues it · Esc keeps it for later.");
	}
	app->dirty = true;
}

static void reply_open(struct app *app, const char *arg)
{
	struct mail_reply *m = &app->desk.reply;
	long long case_id = cases_current();
	struct db_request rq;

	(void)arg;
	R.discard_armed = false;
	if (m->open && (case_id == 0 || m->case_id == case_id)) {
		/* the reply kept (Esc) or restored from the journal */
		R.case_id = m->case_id;
		edit_from_desk(app);
		app_message(app, "Your unsent reply to case C-%lld is back%s. F10 queues it.", m->case_id,
			    m->restored ? " (from the journal)" : "");
		return;
	}
	if (case_id == 0) {
		app_message(app, "Open a case first: the reply answers it.");
		R.mode = PICK;
		R.case_id = 0;
		return;
	}
	R.case_id = case_id;
	R.mode = PICK;
	R.sel = 0;
	if (!R.have_templates) {
		db_mail_templates_request(&rq);
		if (gateway_send(app->gw, &rq, db_code_list_read, &R.templates, templates_in, app) < 0)
			app_message(app, "The database is not reachable.");
	}
}

static void render(struct app *app)
{
	struct db_request rq;

	if (!R.have_templates || R.sel >= R.templates.n || R.case_id == 0)
		return;
	if (!R.rendered && !(R.rendered = calloc(1, sizeof(*R.rendered))))
		return;
	db_mail_render_request(&rq, R.templates.code[R.sel], R.case_id);
	R.mode = RENDERING;
	if (gateway_send(app->gw, &rq, db_mail_render_read, R.rendered, rendered_in, app) < 0) {
		R.mode = PICK;
		app_message(app, "The database is not reachable.");
	}
}

static void draw_pick(struct app *app, WINDOW *w, int top, int height)
{
	int cols = getmaxx(w), y = top;
	char line[256];

	snprintf(line, sizeof(line), "Reply to case C-%lld by e-mail: choose a template (Enter)", R.case_id);
	draw_text(w, y++, 1, cols - 2, line, STYLE_HEADING);
	if (R.mode == RENDERING)
		draw_text(w, y++, 1, cols - 2, "Filling in the template…", STYLE_DIM);
	if (!R.have_templates) {
		draw_text(w, y, 1, cols - 2, "Loading the templates…", STYLE_DIM);
		return;
	}
	if (R.templates.n == 0)
		draw_text(w, y, 1, cols - 2, "No templates: a supervisor adds them.", STYLE_DIM);
	for (int i = 0; i < R.templates.n && y < top + height; i++) {
		snprintf(line, sizeof(line), "%-16s %s", R.templates.code[i], R.templates.label[i]);
		draw_text_pad(w, y++, 1, cols - 2, line, i == R.sel ? STYLE_SELECTED : STYLE_NORMAL);
	}
	(void)app;
}

static void draw_edit(struct app *app, WINDOW *w, int top, int height)
{
	struct mail_reply *m = &app->desk.reply;
	int cols = getmaxx(w), y = top, rows, cx;
	struct textbuf_layout lo = { 0 };
	char line[256];

	snprintf(line, sizeof(line), "Reply to case C-%lld%s", m->case_id, m->queuing ? " · queuing…" : "");
	draw_text(w, y++, 1, cols - 2, line, STYLE_HEADING);
	draw_text(w, y, 1, 9, "To:", STYLE_DIM);
	cx = lineedit_draw(&R.to, w, y, 10, cols - 11, R.focus == R_TO);
	if (R.focus == R_TO)
		app_cursor(app, y, cx);
	y++;
	draw_text(w, y, 1, 9, "Subject:", STYLE_DIM);
	cx = lineedit_draw(&R.subject, w, y, 10, cols - 11, R.focus == R_SUBJECT);
	if (R.focus == R_SUBJECT)
		app_cursor(app, y, cx);
	y++;
	draw_text(w, y++, 1, cols - 2, "Body (Enter new line · Tab next field · F10 queue · F8 discard · Esc later)",
		  R.focus == R_BODY ? STYLE_HEADING : STYLE_DIM);
	rows = top + height - y;
	R.body_width = cols - 2;
	if (rows > 0 && textbuf_layout(m->body, cols - 2, &lo) == 0) {
		R.body_top = textbuf_scroll(&lo, R.body_top, (size_t)rows);
		for (int r = 0; r < rows && R.body_top + (size_t)r < lo.nrows; r++) {
			const struct textbuf_row *tr = &lo.rows[R.body_top + (size_t)r];
			char *row = strndup(textbuf_text(m->body) + tr->start, tr->end - tr->start);

			draw_text(w, y + r, 1, cols - 2, row ? row : "", STYLE_NORMAL);
			free(row);
		}
		if (R.focus == R_BODY)
			app_cursor(app, y + (int)(lo.cur_row - R.body_top), 1 + lo.cur_col);
		textbuf_layout_free(&lo);
	}
}

static void reply_draw(struct app *app, WINDOW *w, int top, int height)
{
	if (R.mode == EDIT && app->desk.reply.open)
		draw_edit(app, w, top, height);
	else
		draw_pick(app, w, top, height);
}

static int reply_action(struct app *app, enum action a)
{
	struct desk *d = &app->desk;
	struct mail_reply *m = &d->reply;

	if (a != ACTION_DISCARD)
		R.discard_armed = false;
	if (R.mode != EDIT || !m->open) {
		switch (a) {
		case ACTION_UP: if (R.sel > 0) R.sel--; break;
		case ACTION_DOWN: if (R.sel + 1 < R.templates.n) R.sel++; break;
		case ACTION_OPEN: if (R.mode == PICK) render(app); break;
		default: return VIEW_UNHANDLED;
		}
		return VIEW_HANDLED | VIEW_REDRAW;
	}
	switch (a) {
	case ACTION_SAVE:
		if (m->queuing)
			app_message(app, "Queuing: wait for the database's answer.");
		else
			desk_reply_queue(d);
		break;
	case ACTION_DISCARD:
		if (!R.discard_armed) {
			R.discard_armed = true;
			app_message(app, "F8 again discards this reply.");
		} else {
			desk_reply_discard(d);
			R.mode = PICK;
			app_message(app, "Reply discarded.");
			nav_back(&app->nav);
		}
		break;
	case ACTION_NEXT_FIELD: R.focus = (R.focus + 1) % R_COUNT; break;
	case ACTION_PREV_FIELD: R.focus = (R.focus + R_COUNT - 1) % R_COUNT; break;
	case ACTION_OPEN:
		if (R.focus != R_BODY)
			R.focus++;
		else if (textbuf_newline(m->body) == TEXTBUF_FULL)
			app_message(app, "The reply is full (%zu bytes).", textbuf_max(m->body));
		break;
	case ACTION_UP: case ACTION_DOWN:
		if (R.focus == R_BODY) {
			int width = R.body_width > 0 ? R.body_width : getmaxx(stdscr) - 2;

			if (a == ACTION_UP ? textbuf_up(m->body, width) : textbuf_down(m->body, width))
				break;
		}
		R.focus = a == ACTION_UP ? (R.focus > 0 ? R.focus - 1 : R.focus) : (R.focus < R_BODY ? R.focus + 1 : R.focus);
		break;
	case ACTION_HOME: case ACTION_END:
		if (R.focus == R_BODY)
			a == ACTION_HOME ? textbuf_home(m->body) : textbuf_end(m->body);
		else
			return VIEW_UNHANDLED;
		break;
	default: return VIEW_UNHANDLED;
	}
	return VIEW_HANDLED | VIEW_REDRAW;
}

static int reply_key(struct app *app, int key)
{
	struct mail_reply *m = &app->desk.reply;
	char enc[4];
	int n;

	if (R.mode != EDIT || !m->open)
		return VIEW_UNHANDLED;
	if (key != KEYC_F(8))
		R.discard_armed = false;
	if (R.focus == R_TO || R.focus == R_SUBJECT) {
		struct lineedit *e = R.focus == R_TO ? &R.to : &R.subject;

		if (!lineedit_key(e, key))
			return VIEW_UNHANDLED;
		desk_reply_set(&app->desk, R.focus == R_TO ? "to" : "subject", e->text);
		return VIEW_HANDLED | VIEW_REDRAW;
	}
	switch (key) {
	case 127: case 8: textbuf_backspace(m->body); return VIEW_HANDLED | VIEW_REDRAW;
	case KEYC_DELETE: textbuf_delete(m->body); return VIEW_HANDLED | VIEW_REDRAW;
	case KEYC_LEFT: textbuf_left(m->body); return VIEW_HANDLED | VIEW_REDRAW;
	case KEYC_RIGHT: textbuf_right(m->body); return VIEW_HANDLED | VIEW_REDRAW;
	default: break;
	}
	if (key < ' ' || key >= KEYC_SPECIAL)
		return VIEW_UNHANDLED;
	n = utf8_encode((uint32_t)key, enc);
	if (textbuf_insert(m->body, enc, (size_t)n) == TEXTBUF_FULL)
		app_message(app, "The reply is full (%zu bytes).", textbuf_max(m->body));
	return VIEW_HANDLED | VIEW_REDRAW;
}

static int reply_event(struct app *app, unsigned ev)
{
	if ((ev & DESK_REPLY) && !app->desk.reply.open && app->desk.reply.queued_id) {
		R.mode = PICK;
		nav_back(&app->nav);   /* back to the case: its history shows the reply queued */
		cases_open_case(app, app->desk.reply.case_id);
		app->dirty = true;
	}
	return 0;
}

/* Esc keeps the reply (journaled): r in the case, or :reply, brings it back. */
static int reply_back(struct app *app)
{
	if (R.mode == EDIT && app->desk.reply.open)
		app_message(app, "The reply is kept: r in the case (or :reply) continues it.");
	return VIEW_UNHANDLED;
}

const struct view_ops view_reply = {
	.title = N_("E-mail reply"),
	.context = KEYCTX_FORM,
	.takes_text = true,
	.open = reply_open,
	.event = reply_event,
	.draw = reply_draw,
	.action = reply_action,
	.key = reply_key,
	.back = reply_back,
};
