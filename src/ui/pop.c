/* pop.c - the customer on screen: header, alerts, offers, open cases and the
 * cross-channel timeline, newest first, filtered by single keys. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "ccterm/format.h"
#include "ccterm/phone.h"
#include "app.h"
#include "draw.h"

static const char *tier_badge(const char *tier)
{
	if (strcmp(tier, "platinum") == 0) return "PLATINUM";
	if (strcmp(tier, "contracted") == 0) return "CONTRACTED";
	if (strcmp(tier, "registered") == 0) return "REGISTERED";
	return "ALL";
}

static const char *alert_label(const char *kind)
{
	static const char *const names[][2] = {
		{ "churn_risk", "Churn risk" }, { "overdue", "Overdue" },
		{ "open_complaint", "Open complaint" }, { "vip_complaint", "VIP complaint" },
		{ "payment_overdue", "Payment overdue" }, { "repeat_contact", "Repeat contact" },
		{ "fraud", "Fraud" }, { "note", "Note" },
	};

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(kind, names[i][0]) == 0)
			return names[i][1];
	return kind;
}

/* One header line per call state; returns the rows used. */
static int pop_draw_call(struct app *app, WINDOW *w, int y, int cols)
{
	struct desk *d = &app->desk;
	char line[512], num[64], timer[16];

	if (!d->has_call)
		return 0;
	phone_format(d->call.ani_e164[0] ? d->call.ani_e164 : d->call.ani, num, sizeof(num));
	fmt_duration((long)(time(NULL) - d->call_started), timer, sizeof(timer));
	snprintf(line, sizeof(line), "Call #%lld %s  from %s  to %s  queue %s", d->call.id, timer,
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
	snprintf(line, sizeof(line), "Unknown number %s: no customer has it.", d->call.ani_e164[0] ? num : d->call.ani);
	draw_text(w, y++, 1, cols - 2, line, STYLE_WARN);
	draw_text(w, y++, 1, cols - 2, "F2 search for the caller · F7 create them as a new customer · F3 the contact form",
		  STYLE_NORMAL);
}

static int pop_draw_header(struct app *app, WINDOW *w, int y, int cols)
{
	const struct customer_pop *p = &app->desk.pop;
	char line[768], phone[64], money[48], since[16];
	int x = 1, y0 = y;

	x += draw_text(w, y, x, cols / 2, p->h.name, STYLE_HEADING) + 2;
	x += draw_text(w, y, x, 12, tier_badge(p->h.tier), STYLE_BADGE) + 2;
	phone_format(p->h.phone, phone, sizeof(phone));
	fmt_money(p->h.value_won, money, sizeof(money));
	snprintf(line, sizeof(line), "%s  %s", p->h.phone[0] ? phone : "no phone", money);
	draw_text(w, y++, x, cols - x - 1, line, STYLE_NORMAL);
	fmt_age(p->h.customer_since, time(NULL), since, sizeof(since));
	snprintf(line, sizeof(line), "RRN %s · %s · %s %s · %s · since %s",
		 p->h.rrn_masked[0] ? p->h.rrn_masked : "-", p->h.external_id,
		 p->h.segment[0] ? p->h.segment : "no segment", p->h.branch, p->h.branch_name, since);
	draw_text(w, y++, 1, cols - 2, line, STYLE_DIM);
	if (p->nalerts) {
		x = 1;
		for (size_t i = 0; i < p->nalerts && x < cols - 4; i++) {
			snprintf(line, sizeof(line), "! %s", alert_label(p->alerts[i].kind));
			x += draw_text(w, y, x, cols - x - 1, line, STYLE_WARN) + 2;
		}
		y++;
	}
	if (p->noffers) {
		size_t n = 0;

		n += (size_t)snprintf(line, sizeof(line), "Offers:");
		for (size_t i = 0; i < p->noffers && n < sizeof(line); i++)
			n += (size_t)snprintf(line + n, sizeof(line) - n, "%s %s", i ? " ·" : "", p->offers[i].name);
		draw_text(w, y++, 1, cols - 2, line, STYLE_GOOD);
	}
	for (size_t i = 0; i < p->ncases && i < 2; i++) {
		const struct customer_case *c = &p->cases[i];
		char left[16] = "";

		if (c->has_due)
			fmt_duration(c->sla_left_secs, left, sizeof(left));
		snprintf(line, sizeof(line), "Case #%lld %s · %s %s · %s · %s%s", c->id, c->subject, c->status,
			 c->priority, c->owner[0] ? c->owner : "unassigned", c->has_due ? "SLA " : "",
			 c->has_due ? (c->sla_left_secs < 0 ? "OVERDUE" : left) : "no SLA");
		draw_text(w, y++, 1, cols - 2, line, c->has_due && c->sla_left_secs < 0 ? STYLE_WARN : STYLE_NORMAL);
	}
	return y - y0;
}

/* Scrolls so the selection stays visible. */
static void timeline_scroll(struct desk *d, int rows)
{
	if (rows <= 0)
		return;
	if (d->sel < d->top)
		d->top = d->sel;
	if (d->sel >= d->top + (size_t)rows)
		d->top = d->sel - (size_t)rows + 1;
}

static void pop_draw_timeline(struct app *app, WINDOW *w, int y, int rows, int cols)
{
	struct desk *d = &app->desk;
	char line[768], total[32], when[32], amount[32];
	struct tm tm;

	if (d->pop.interactions_total >= 10000)
		snprintf(total, sizeof(total), "10,000+");
	else
		fmt_thousands(d->pop.interactions_total, total, sizeof(total));
	snprintf(line, sizeof(line), "History (%s) · %s%s%s · keys a p w e s m c C o filter", total,
		 d->filter.channel[0] || d->filter.kind[0] ? "only " : "all channels",
		 d->filter.channel, d->filter.kind);
	draw_text(w, y++, 1, cols - 2, line, STYLE_HEADING);
	rows--;
	timeline_scroll(d, rows);
	if (d->nitems == 0)
		draw_text(w, y, 3, cols - 4, "no interactions", STYLE_DIM);
	for (int i = 0; i < rows && d->top + (size_t)i < d->nitems; i++) {
		const struct timeline_item *it = &d->items[d->top + (size_t)i];
		enum draw_style st = d->top + (size_t)i == d->sel ? STYLE_SELECTED : STYLE_NORMAL;
		int subject_cols = cols - 2 - 36 - 17;

		/* when(16) channel(6) dir(1) kind(9) | subject | status(9) amount(7) */
		strftime(when, sizeof(when), "%Y-%m-%d %H:%M", localtime_r(&it->occurred_at, &tm));
		amount[0] = '\0';
		if (it->has_amount)
			fmt_money_short(it->amount_won, amount, sizeof(amount));
		snprintf(line, sizeof(line), "%-16.16s %-6.6s %s %-9.9s ", when, it->channel,
			 strcmp(it->direction, "out") == 0 ? "→" : "←", it->kind);
		draw_text_pad(w, y, 1, 36, line, st);
		draw_text_pad(w, y, 37, subject_cols, it->subject, st);
		snprintf(line, sizeof(line), " %-9.9s%7.7s", it->status, amount);
		draw_text_pad(w, y, 37 + subject_cols, 17, line, st);
		y++;
	}
	if (d->more && d->top + (size_t)rows >= d->nitems)
		draw_text(w, y < getmaxy(w) - 2 ? y : y - 1, cols - 12, 11, "more ↓", STYLE_DIM);
}

static void pop_draw(struct app *app, WINDOW *w, int top, int height)
{
	struct desk *d = &app->desk;
	int cols = getmaxx(w), y = top;

	if (!d->has_call && !d->has_customer) {
		draw_text(w, y + 1, 2, cols - 4, "No customer open. F2 search · Esc back", STYLE_DIM);
		return;
	}
	if (d->has_customer)
		y += pop_draw_header(app, w, y, cols);
	y += pop_draw_call(app, w, y, cols);
	if (!d->has_customer) {
		pop_draw_unknown(app, w, y, cols);
		return;
	}
	pop_draw_timeline(app, w, y, top + height - y, cols);
}

static int pop_move(struct app *app, long delta)
{
	struct desk *d = &app->desk;
	long sel = (long)d->sel + delta;

	if (d->nitems == 0)
		return VIEW_HANDLED;
	if (sel < 0)
		sel = 0;
	/* Fetch the next keyset page before the end shows. */
	if ((size_t)sel + TIMELINE_PAGE / 2 >= d->nitems && d->more &&
	    desk_timeline_more(d, app->db) < 0)
		app_db_error(app);
	if ((size_t)sel >= d->nitems)
		sel = (long)d->nitems - 1;
	d->sel = (size_t)sel;
	return VIEW_HANDLED | VIEW_REDRAW;
}

static int pop_filter(struct app *app, const char *channel, const char *kind)
{
	if (desk_filter(&app->desk, app->db, channel, kind) < 0)
		app_db_error(app);
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
	.title = "Customer",
	.context = KEYCTX_POP,
	.draw = pop_draw,
	.action = pop_action,
};
