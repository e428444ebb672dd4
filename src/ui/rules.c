/* rules.c - the supervisor's next-best-offer rules (:rules, r on the
 * wallboard): name, priority, state, conditions, offered / accepted /
 * declined and the acceptance rate, one query (offer_rules_list()). Enter
 * edits the rule, n makes a new one, d switches it on or off; the next pop
 * uses the change. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "gateway/gateway.h"
#include "ccterm/i18n.h"
#include "app.h"
#include "draw.h"
#include "rules.h"

static struct {
	bool fresh, fetching;      /* fresh: false (zero) until read: the struct stays in .bss */
	struct rule_list got;      /* where the reply goes */
	struct rule_list shown;
	long sel, top;
} L;

void rules_stale(void)
{
	L.fresh = false;
}

static void fetched(void *arg, const struct gw_reply *r)
{
	struct app *app = arg;

	L.fetching = false;
	if (r->rc != 0) {
		app_message(app, "%s", r->lost ? "Database connection lost: reconnecting." : r->error);
		return;
	}
	L.shown = L.got;
	if (L.sel >= (long)L.shown.n)
		L.sel = L.shown.n ? (long)L.shown.n - 1 : 0;
	app->dirty = true;
}

static int rules_event(struct app *app, unsigned ev)
{
	struct db_request rq;

	if (ev & DESK_CONNECTED)
		L.fresh = false;
	if (L.fresh || L.fetching || !gateway_up(app->gw))
		return 0;
	db_rule_list_request(&rq);
	L.fresh = true;
	L.fetching = true;
	if (gateway_send(app->gw, &rq, db_rule_list_read, &L.got, fetched, app) < 0) {
		L.fetching = false;
		L.fresh = false;
	}
	return 0;
}

static void rules_open(struct app *app, const char *arg)
{
	L.fresh = false;
	rules_event(app, 0);
	(void)arg;
}

static void rules_draw(struct app *app, WINDOW *w, int top, int height)
{
	int cols = getmaxx(w), y = top, rows;
	char line[256], rate[16];

	snprintf(line, sizeof(line), "%zu offer rules · best first in the pop · Enter edits · n new · d on/off", L.shown.n);
	draw_text(w, y++, 1, cols - 2, line, STYLE_DIM);
	snprintf(line, sizeof(line), "%-18s %4s %-7s %11s %5s %s", "rule", "prio", "state", "off/acc/dec", "rate",
		 "conditions");
	draw_text_pad(w, y++, 1, cols - 2, line, STYLE_HEADING);
	rows = top + height - y - 1;
	if (L.sel < L.top)
		L.top = L.sel;
	if (rows > 0 && L.sel >= L.top + rows)
		L.top = L.sel - rows + 1;
	if (L.shown.n == 0)
		draw_text(w, y, 2, cols - 4, L.fetching ? "loading…" : "no rules yet: n makes one", STYLE_DIM);
	for (long i = L.top; i < (long)L.shown.n && y < top + height - 1; i++) {
		const struct rule_row *r = &L.shown.rows[i];
		enum draw_style st = i == L.sel ? STYLE_SELECTED : strcmp(r->state, "on") ? STYLE_DIM : STYLE_NORMAL;

		if (r->accept_rate < 0)
			snprintf(rate, sizeof(rate), "-");
		else
			snprintf(rate, sizeof(rate), "%.0f%%", 100 * r->accept_rate);
		/* the name is cut and padded by display columns (Korean counts two) */
		draw_text_pad(w, y, 1, 19, r->f.name, st);
		snprintf(line, sizeof(line), "%4s %-7s %3ld/%3ld/%3ld %5s ", r->f.priority, r->state, r->offered,
			 r->accepted, r->declined, rate);
		draw_text_pad(w, y, 20, 32, line, st);
		draw_text_pad(w, y++, 52, cols - 53, r->conditions, st);
	}
	if (L.sel < (long)L.shown.n)
		draw_text_pad(w, top + height - 1, 1, cols - 2, L.shown.rows[L.sel].f.offer, STYLE_GOOD);
	(void)app;
}

static void toggled(void *arg, const struct gw_reply *r)
{
	struct app *app = arg;

	if (r->rc != 0)
		app_message(app, "%s", r->lost ? "Database connection lost: reconnecting." : r->error);
	L.fresh = false;
	app->dirty = true;
}

static void toggle(struct app *app)
{
	struct db_request rq;
	const struct rule_row *r;

	if (L.sel >= (long)L.shown.n)
		return;
	r = &L.shown.rows[L.sel];
	db_rule_set_active_request(&rq, r->f.name, !r->f.active);
	if (gateway_send(app->gw, &rq, NULL, NULL, toggled, app) < 0) {
		app_message(app, "The database is not reachable.");
		return;
	}
	app_message(app, "Rule \"%.60s\" %s: the next pop %s it.", r->f.name, r->f.active ? "disabled" : "enabled",
		    r->f.active ? "leaves out" : "offers");
}

static int rules_action(struct app *app, enum action a)
{
	switch (a) {
	case ACTION_UP: if (L.sel > 0) L.sel--; break;
	case ACTION_DOWN: if (L.sel + 1 < (long)L.shown.n) L.sel++; break;
	case ACTION_PAGE_UP: L.sel = L.sel > 10 ? L.sel - 10 : 0; break;
	case ACTION_PAGE_DOWN: L.sel = L.sel + 10 < (long)L.shown.n ? L.sel + 10 : (long)L.shown.n - 1; break;
	case ACTION_HOME: L.sel = 0; break;
	case ACTION_END: L.sel = L.shown.n ? (long)L.shown.n - 1 : 0; break;
	case ACTION_REFRESH: L.fresh = false; return VIEW_UNHANDLED;
	case ACTION_OPEN:
		if (L.sel < (long)L.shown.n)
			rule_edit_start(app, &L.shown.rows[L.sel].f);
		break;
	default: return VIEW_UNHANDLED;
	}
	if (L.sel < 0)
		L.sel = 0;
	return VIEW_HANDLED | VIEW_REDRAW;
}

static int rules_key(struct app *app, int key)
{
	if (key == 'd') {
		toggle(app);
		return VIEW_HANDLED | VIEW_REDRAW;
	}
	if (key == 'n') {
		rule_edit_start(app, NULL);
		return VIEW_HANDLED | VIEW_REDRAW;
	}
	return VIEW_UNHANDLED;
}

const struct view_ops view_rules = {
	.title = N_("Offer rules"),
	.context = KEYCTX_WALLBOARD,
	.open = rules_open,
	.event = rules_event,
	.draw = rules_draw,
	.action = rules_action,
	.key = rules_key,
};
