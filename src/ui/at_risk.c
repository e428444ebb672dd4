/* at_risk.c - the supervisor's early-warning board (:atrisk, a on the
 * wallboard): valuable customers at risk with why, value, owner and last
 * contact (customers_at_risk()), sorted by value, risk or the oldest
 * contact (s); Enter opens the customer. */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "ccterm/format.h"
#include "ccterm/offers.h"
#include "gateway/gateway.h"
#include "ccterm/i18n.h"
#include "app.h"
#include "draw.h"

static const char *const sorts[] = { "value", "risk", "contact" };
#define NSORTS (sizeof(sorts) / sizeof(sorts[0]))

static struct {
	bool fresh, fetching;      /* fresh: false (zero) until read: the struct stays in .bss */
	size_t sort;
	struct at_risk_list got, shown;
	long sel, top;
} B;

static void fetched(void *arg, const struct gw_reply *r)
{
	struct app *app = arg;

	B.fetching = false;
	if (r->rc != 0) {
		app_message(app, "%s", r->lost ? "Database connection lost: reconnecting." : r->error);
		return;
	}
	B.shown = B.got;
	if (B.sel >= (long)B.shown.n)
		B.sel = B.shown.n ? (long)B.shown.n - 1 : 0;
	app->dirty = true;
}

static int board_event(struct app *app, unsigned ev)
{
	struct db_request rq;

	if (ev & DESK_CONNECTED)
		B.fresh = false;
	if (B.fresh || B.fetching || !gateway_up(app->gw))
		return 0;
	db_at_risk_request(&rq, sorts[B.sort]);
	B.fresh = true;
	B.fetching = true;
	if (gateway_send(app->gw, &rq, db_at_risk_read, &B.got, fetched, app) < 0) {
		B.fetching = false;
		B.fresh = false;
	}
	return 0;
}

static void board_open(struct app *app, const char *arg)
{
	B.fresh = false;
	board_event(app, 0);
	(void)arg;
}

static const char *badge(const char *tier)
{
	if (strcmp(tier, "platinum") == 0) return "PLATINUM";
	if (strcmp(tier, "contracted") == 0) return "CONTRACTED";
	if (strcmp(tier, "registered") == 0) return "REGISTERED";
	return "ALL";
}

static void board_draw(struct app *app, WINDOW *w, int top, int height)
{
	int cols = getmaxx(w), y = top, rows;
	char line[256], money[32], when[16];
	struct tm tm;

	snprintf(line, sizeof(line), "%zu customers at risk · sorted by %s (s) · Enter opens the customer", B.shown.n,
		 sorts[B.sort]);
	draw_text(w, y++, 1, cols - 2, line, STYLE_DIM);
	snprintf(line, sizeof(line), "%-14s %-10s %7s %5s %-10s %-10s %s", "customer", "tier", "value", "churn",
		 "last", "owner", "why");
	draw_text_pad(w, y++, 1, cols - 2, line, STYLE_HEADING);
	rows = top + height - y - 1;
	if (B.sel < B.top)
		B.top = B.sel;
	if (rows > 0 && B.sel >= B.top + rows)
		B.top = B.sel - rows + 1;
	if (B.shown.n == 0)
		draw_text(w, y, 2, cols - 4, B.fetching ? "loading…" : "nobody at risk", STYLE_DIM);
	for (long i = B.top; i < (long)B.shown.n && y < top + height - 1; i++) {
		const struct at_risk_row *r = &B.shown.rows[i];
		enum draw_style st = i == B.sel ? STYLE_SELECTED : STYLE_NORMAL;

		fmt_money_short(r->value_won, money, sizeof(money));
		if (r->last_contact)
			strftime(when, sizeof(when), "%Y-%m-%d", localtime_r(&r->last_contact, &tm));
		else
			snprintf(when, sizeof(when), "never");
		/* names, owners and reasons are cut and padded by display columns */
		draw_text_pad(w, y, 1, 15, r->name, st);
		snprintf(line, sizeof(line), "%-10s %7s %4.0f%% %-10s ", badge(r->tier), money, 100 * r->churn, when);
		draw_text_pad(w, y, 16, 36, line, st);
		draw_text_pad(w, y, 52, 11, r->owner[0] ? r->owner : "-", st);
		draw_text_pad(w, y++, 63, cols - 64, r->reasons, st);
	}
	if (B.sel < (long)B.shown.n)
		draw_text_pad(w, top + height - 1, 1, cols - 2, B.shown.rows[B.sel].reasons, STYLE_WARN);
	(void)app;
}

static int board_action(struct app *app, enum action a)
{
	switch (a) {
	case ACTION_UP: if (B.sel > 0) B.sel--; break;
	case ACTION_DOWN: if (B.sel + 1 < (long)B.shown.n) B.sel++; break;
	case ACTION_PAGE_UP: B.sel = B.sel > 10 ? B.sel - 10 : 0; break;
	case ACTION_PAGE_DOWN: B.sel = B.sel + 10 < (long)B.shown.n ? B.sel + 10 : (long)B.shown.n - 1; break;
	case ACTION_HOME: B.sel = 0; break;
	case ACTION_END: B.sel = B.shown.n ? (long)B.shown.n - 1 : 0; break;
	case ACTION_REFRESH: B.fresh = false; return VIEW_UNHANDLED;
	case ACTION_OPEN:
		if (B.sel < (long)B.shown.n)
			app_open_customer(app, B.shown.rows[B.sel].customer_id);
		break;
	default: return VIEW_UNHANDLED;
	}
	if (B.sel < 0)
		B.sel = 0;
	return VIEW_HANDLED | VIEW_REDRAW;
}

static int board_key(struct app *app, int key)
{
	if (key != 's')
		return VIEW_UNHANDLED;
	B.sort = (B.sort + 1) % NSORTS;
	B.sel = B.top = 0;
	board_open(app, NULL);
	return VIEW_HANDLED | VIEW_REDRAW;
}

const struct view_ops view_at_risk = {
	.title = N_("At risk"),
	.context = KEYCTX_WALLBOARD,
	.open = board_open,
	.event = board_event,
	.draw = board_draw,
	.action = board_action,
	.key = board_key,
};
