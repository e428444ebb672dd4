/* pop.c - the customer on screen: header, alerts, offers, open cases and the
 * cross-channel timeline, newest first, filtered by single keys. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "ccterm/format.h"
#include "ccterm/phone.h"
#include "ccterm/i18n.h"
#include "app.h"
#include "draw.h"
#include "panel.h"

/* One header line per call state; returns the rows used. */
static int pop_draw_call(struct app *app, WINDOW *w, int y, int cols)
{
	struct desk *d = &app->desk;
	char line[512], num[64], timer[16];

	if (!d->has_call)
		return 0;
	phone_format(d->call.ani_e164[0] ? d->call.ani_e164 : d->call.ani, num, sizeof(num));
	fmt_duration(desk_call_secs(d), timer, sizeof(timer));
	if (strcmp(d->now.call_state, "ended") == 0)
		snprintf(timer + strlen(timer), sizeof(timer) - strlen(timer), _(" ended"));
	snprintf(line, sizeof(line), _("Call #%lld %s  from %s  to %s  queue %s"), d->call.id, timer,
		 d->call.ani_e164[0] ? num : d->call.ani, d->call.dnis[0] ? d->call.dnis : "-",
		 d->call.queue[0] ? d->call.queue : "-");
	draw_text(w, y, 1, cols - 2, line, STYLE_DIM);
	return 1;
}

static void pop_draw_unknown(struct app *app, WINDOW *w, int y, int cols)
{
	struct desk *d = &app->desk;
	char line[256], num[64];

	phone_format(d->call.ani_e164[0] ? d->call.ani_e164 : d->call.ani, num, sizeof(num));
	snprintf(line, sizeof(line), _("Unknown number %s: no customer has it."), d->call.ani_e164[0] ? num : d->call.ani);
	draw_text(w, y++, 1, cols - 2, line, STYLE_WARN);
	draw_text(w, y++, 1, cols - 2, _("F2 search for the caller · F7 create them as a new customer · F3 the contact form"),
		  STYLE_NORMAL);
}

static void pop_draw(struct app *app, WINDOW *w, int top, int height)
{
	struct desk *d = &app->desk;
	int cols = getmaxx(w), y = top;

	if (!d->has_call && !d->has_customer) {
		draw_text(w, y + 1, 2, cols - 4, _("No customer open. F2 search · Esc back"), STYLE_DIM);
		return;
	}
	if (d->has_customer)
		y += panel_header(app, w, y, 1, cols - 2, 8, false);
	if (d->has_customer && d->link_customer == d->pop.h.id && d->has_call) {
		char line[512], num[64];

		phone_format(d->call.ani_e164, num, sizeof(num));
		snprintf(line, sizeof(line), _("Link %s to %s? y links the number · n leaves it"), num, d->pop.h.name);
		draw_text_pad(w, y++, 1, cols - 2, line, STYLE_SELECTED);
	}
	if (d->has_customer && d->dups.n && d->dups_of == d->pop.h.id && y < top + height) {
		char line[512], why[256];

		snprintf(line, sizeof(line), _("Looks like #%lld %s (%s, score %d) · D side by side"), d->dups.hits[0].other_id,
			 d->dups.hits[0].name, panel_reasons(d->dups.hits[0].reasons, why, sizeof(why)), d->dups.hits[0].score);
		draw_text(w, y++, 1, cols - 2, line, STYLE_DIM);
	}
	y += pop_draw_call(app, w, y, cols);
	if (!d->has_customer) {
		pop_draw_unknown(app, w, y, cols);
		return;
	}
	panel_history(app, w, y, 1, top + height - y, cols - 2, _("keys a p w e s m c C o filter"));
}

/* Keys no binding claimed: the link question's y / n; D the duplicate pair. */
static int pop_key(struct app *app, int key)
{
	struct desk *d = &app->desk;

	if (d->link_customer && (key == 'y' || key == 'Y' || key == 'n' || key == 'N')) {
		desk_link_caller(d, key == 'y' || key == 'Y');
		return VIEW_HANDLED | VIEW_REDRAW;
	}
	if (key == 'D' && d->has_customer && d->dups.n && d->dups_of == d->pop.h.id) {
		app_open(app, VIEW_MERGE, NULL);
		return VIEW_HANDLED | VIEW_REDRAW;
	}
	return VIEW_UNHANDLED;
}

static int pop_move(struct app *app, long delta)
{
	panel_history_move(app, delta);
	return VIEW_HANDLED | VIEW_REDRAW;
}

static int pop_filter(struct app *app, const char *channel, const char *kind)
{
	desk_filter(&app->desk, channel, kind);
	return VIEW_HANDLED | VIEW_REDRAW;
}

static int pop_action(struct app *app, enum action a)
{
	struct desk *d = &app->desk;
	int page = getmaxy(stdscr) / 2;

	switch (a) {
	case ACTION_UP: return pop_move(app, -1);
	case ACTION_DOWN: return pop_move(app, 1);
	case ACTION_PAGE_UP: return pop_move(app, -page);
	case ACTION_PAGE_DOWN: return pop_move(app, page);
	case ACTION_HOME: return pop_move(app, -(long)d->sel);
	case ACTION_END:
		/* End of what is loaded; pressing again loads further pages. */
		return pop_move(app, (long)d->nitems);
	case ACTION_OPEN:
		if (d->sel < d->nitems)
			app_open_detail(app, &d->items[d->sel]);
		return VIEW_HANDLED | VIEW_REDRAW;
	case ACTION_FILTER_ALL: return pop_filter(app, "", "");
	case ACTION_FILTER_PHONE: return pop_filter(app, "phone", "");
	case ACTION_FILTER_WEB: return pop_filter(app, "web", "");
	case ACTION_FILTER_EMAIL: return pop_filter(app, "email", "");
	case ACTION_FILTER_STORE: return pop_filter(app, "store", "");
	case ACTION_FILTER_MOBILE: return pop_filter(app, "mobile", "");
	case ACTION_FILTER_CHAT: return pop_filter(app, "chat", "");
	case ACTION_FILTER_COMPLAINT: return pop_filter(app, "", "complaint");
	case ACTION_FILTER_ORDER: return pop_filter(app, "", "order");
	default: return VIEW_UNHANDLED;
	}
}

const struct view_ops view_pop = {
	.title = N_("Customer"),
	.context = KEYCTX_POP,
	.draw = pop_draw,
	.action = pop_action,
	.key = pop_key,
};
