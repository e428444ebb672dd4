/* campaign_board.c - the supervisors' campaign board (:campaigns): every
 * campaign with its status, dates, list, progress, contact and acceptance
 * rates, and the response of the contacted group against the control group
 * with the difference and its 95 % interval (campaign_boards()); Enter shows
 * one campaign: outcomes, call-backs, how its response is measured, script.
 * Re-read when a campaign NOTIFY arrives (at most once a second) and every
 * 30 s (call-backs falling due, orders arriving); all through the gateway. */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "ccterm/campaign_board.h"
#include "ccterm/i18n.h"
#include "ccterm/utf8.h"
#include "gateway/gateway.h"
#include "app.h"
#include "draw.h"

#define COALESCE_MS 1000    /* a burst of outcomes: one re-read a second */
#define TICK_MS 30000       /* what no NOTIFY tells: call-backs due, responses */

static struct {
	bool fresh, fetching;      /* fresh: false (zero) until read: the struct stays in .bss */
	long long fetched_ms;
	struct campaign_boards got, shown;
	bool listed;
	int sel, top;
	/* the campaign opened (0: the list) */
	int open_id;
	struct campaign_detail dgot, dshown;
	bool have_detail;
	int parts_due;             /* replies of the three detail requests still to come */
	bool part_failed;
} B;

static long long mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void say_error(struct app *app, const struct gw_reply *r)
{
	app_message(app, "%s", r->lost ? _("Database connection lost: reconnecting.") : r->error);
}

static void listed(void *arg, const struct gw_reply *r)
{
	struct app *app = arg;

	B.fetching = false;
	if (r->rc != 0) {
		say_error(app, r);
		return;
	}
	B.shown = B.got;
	B.listed = true;
	if (B.sel >= B.shown.n)
		B.sel = B.shown.n ? B.shown.n - 1 : 0;
	app->dirty = true;
}

static void part_in(void *arg, const struct gw_reply *r)
{
	struct app *app = arg;

	if (r->rc != 0) {
		if (!B.part_failed)
			say_error(app, r);
		B.part_failed = true;
	}
	if (--B.parts_due > 0)
		return;
	B.fetching = false;
	if (!B.part_failed && B.dgot.id == B.open_id) {   /* else another campaign was opened since */
		B.dshown = B.dgot;
		B.have_detail = true;
	}
	app->dirty = true;
}

static int send_detail(struct app *app)
{
	struct db_request rq;

	B.dgot.id = B.open_id;
	B.part_failed = false;
	B.parts_due = 3;
	db_campaign_figures_request(&rq, B.open_id);
	if (gateway_send(app->gw, &rq, db_campaign_figures_read, &B.dgot, part_in, app) < 0)
		return -1;
	db_campaign_detail_request(&rq, B.open_id);
	if (gateway_send(app->gw, &rq, db_campaign_detail_read, &B.dgot, part_in, app) < 0)
		B.parts_due--;
	db_campaign_callbacks_request(&rq, B.open_id);
	if (gateway_send(app->gw, &rq, db_campaign_callbacks_read, &B.dgot, part_in, app) < 0)
		B.parts_due--;
	return 0;
}

/* Asks again when stale and the last ask is COALESCE_MS old; returns the
 * ms until it wants to be asked again. */
static int board_refresh(struct app *app)
{
	long long now = mono_ms(), wait;
	struct db_request rq;

	if (now - B.fetched_ms >= TICK_MS)
		B.fresh = false;
	wait = B.fetched_ms + COALESCE_MS - now;
	if (B.fresh || B.fetching)
		return (int)(B.fetched_ms + TICK_MS - now > 0 ? B.fetched_ms + TICK_MS - now : COALESCE_MS);
	if (wait > 0)
		return (int)wait;
	if (!gateway_up(app->gw))
		return COALESCE_MS;
	B.fetched_ms = now;
	B.fresh = true;
	B.fetching = true;   /* before: the callback may run inside the send */
	if (B.open_id) {
		if (send_detail(app) < 0) {
			B.fetching = false;
			B.fresh = false;
		}
	} else {
		db_campaign_boards_request(&rq);
		if (gateway_send(app->gw, &rq, db_campaign_boards_read, &B.got, listed, app) < 0) {
			B.fetching = false;
			B.fresh = false;
		}
	}
	return COALESCE_MS;
}

static int board_event(struct app *app, unsigned ev)
{
	if (ev & (DESK_CAMPAIGN | DESK_CONNECTED))
		B.fresh = false;
	return board_refresh(app);
}

static void board_open(struct app *app, const char *arg)
{
	(void)arg;
	B.open_id = 0;
	B.have_detail = false;
	B.fresh = false;
	B.fetched_ms = 0;
	board_refresh(app);
}

#if 0   /* for xgettext only: the code words this screen and the campaign call draw through i18n_word() */
N_("running") N_("planned") N_("paused") N_("not built") N_("ended")
N_("reached") N_("not_reached") N_("accepted") N_("refused") N_("callback")
#endif

/* "12-01~12-31" from two ISO dates ("" end: open-ended). */
static void dates(const struct campaign_figures *f, char *out, size_t size)
{
	snprintf(out, size, "%.5s~%.5s", f->starts[0] ? f->starts + 5 : "", f->ends[0] ? f->ends + 5 : "");
}

/* Positive and sure: good; negative and sure: a warning. */
static enum draw_style lift_style(const struct campaign_figures *f)
{
	if (isnan(f->lift_low) || isnan(f->lift_high))
		return STYLE_DIM;
	return f->lift_low > 0 ? STYLE_GOOD : f->lift_high < 0 ? STYLE_WARN : STYLE_NORMAL;
}

static void response_line(const struct campaign_figures *f, char *out, size_t size)
{
	char p1[16], p2[16], lift[96];

	campaign_pct_text(f->contacted_rate, p1, sizeof(p1));
	campaign_pct_text(f->control_rate, p2, sizeof(p2));
	campaign_lift_text(f, lift, sizeof(lift));
	snprintf(out, size, _("response %s vs control %s: %s"), p1, p2, lift);
}

static void draw_list(WINDOW *w, int top, int height)
{
	int cols = getmaxx(w), y = top, rows;
	char line[256];

	snprintf(line, sizeof(line), ngettext("%d campaign · Enter: outcomes, call-backs, script · response = order or reply",
					       "%d campaigns · Enter: outcomes, call-backs, script · response = order or reply",
					       (unsigned long)B.shown.n), B.shown.n);
	draw_text(w, y++, 1, cols - 2, line, STYLE_DIM);
	/* padded by display width: the headers may be translated (Korean is two wide) */
	line[0] = '\0';
	utf8_pad_cat(line, sizeof(line), _("campaign"), 21, false);
	utf8_pad_cat(line, sizeof(line), _("status"), 10, false);
	utf8_pad_cat(line, sizeof(line), _("dates"), 11, false);
	utf8_pad_cat(line, sizeof(line), "", 1, false);
	utf8_pad_cat(line, sizeof(line), _("list+ctl"), 10, true);
	utf8_pad_cat(line, sizeof(line), _("done"), 7, true);
	utf8_pad_cat(line, sizeof(line), _("reach"), 7, true);
	utf8_pad_cat(line, sizeof(line), _("accept"), 7, true);
	draw_text_pad(w, y++, 1, cols - 2, line, STYLE_HEADING);
	if (B.shown.n == 0) {
		draw_text(w, y, 2, cols - 4, B.listed ? _("No campaigns: ccterm-admin campaign add makes one.") : _("loading…"),
			  STYLE_DIM);
		return;
	}
	rows = (top + height - y) / 2;
	if (B.sel < B.top)
		B.top = B.sel;
	if (rows > 0 && B.sel >= B.top + rows)
		B.top = B.sel - rows + 1;
	for (int i = B.top; i < B.shown.n && y + 1 < top + height; i++) {
		const struct campaign_figures *f = &B.shown.rows[i];
		enum draw_style st = i == B.sel ? STYLE_SELECTED : STYLE_NORMAL;
		char d[24], done[16], reach[16], acc[16], list[24];

		dates(f, d, sizeof(d));
		campaign_pct_text(isnan(f->progress_pct) ? NAN : f->progress_pct / 100.0, done, sizeof(done));
		campaign_pct_text(f->contact_rate, reach, sizeof(reach));
		campaign_pct_text(f->acceptance_rate, acc, sizeof(acc));
		snprintf(list, sizeof(list), "%ld+%ld", f->members, f->control);
		/* names are cut and padded by display columns (Korean is two wide) */
		draw_text_pad(w, y, 1, 21, f->name, st);
		line[0] = '\0';
		utf8_pad_cat(line, sizeof(line), i18n_word(f->status), 10, false);
		snprintf(line + strlen(line), sizeof(line) - strlen(line), "%-11s %10s %6s %6s %6s", d, list, done, reach, acc);
		draw_text_pad(w, y++, 22, cols - 23, line, st);
		response_line(f, line, sizeof(line));
		draw_text_pad(w, y, 1, 2, "", st);
		draw_text_pad(w, y++, 3, cols - 4, line, i == B.sel ? STYLE_SELECTED : lift_style(f));
	}
}

static void draw_detail(WINDOW *w, int top, int height)
{
	const struct campaign_detail *d = &B.dshown;
	const struct campaign_figures *f = &d->f;
	int cols = getmaxx(w), y = top, end = top + height;
	char line[640], a[16], b[16], lift[96];

	if (!B.have_detail) {
		draw_text(w, y, 1, cols - 2, _("loading…"), STYLE_DIM);
		return;
	}
	snprintf(line, sizeof(line), "%s · %s · %s ~ %s", f->name, i18n_word(f->status), f->starts, f->ends[0] ? f->ends : _("open-ended"));
	draw_text(w, y++, 1, cols - 2, line, STYLE_HEADING);
	snprintf(line, sizeof(line), _("Offer %s · target %s"), d->offer, d->target);
	draw_text(w, y++, 1, cols - 2, line, STYLE_NORMAL);
	campaign_pct_text(isnan(f->progress_pct) ? NAN : f->progress_pct / 100.0, a, sizeof(a));
	snprintf(line, sizeof(line), _("Call list %ld (control %ld held out) · called %ld · done %ld: progress %s"),
		 f->members, f->control, f->called, f->done, a);
	draw_text(w, y++, 1, cols - 2, line, STYLE_NORMAL);
	snprintf(line, sizeof(line), _("Outcomes: accepted %ld · refused %ld · reached %ld · call-back %ld"), f->accepted,
		 f->refused, d->reached_only, f->callbacks);
	draw_text(w, y++, 1, cols - 2, line, STYLE_NORMAL);
	snprintf(line, sizeof(line), _("          not reached %ld (%ld to try again) · not called yet %ld"),
		 d->not_reached_retry + d->not_reached_done, d->not_reached_retry, d->not_called);
	draw_text(w, y++, 1, cols - 2, line, STYLE_NORMAL);
	campaign_pct_text(f->contact_rate, a, sizeof(a));
	campaign_pct_text(f->acceptance_rate, b, sizeof(b));
	snprintf(line, sizeof(line), _("Contact rate %s (%ld of %ld called) · acceptance %s (%ld of %ld reached)"), a,
		 f->reached, f->called, b, f->accepted, f->reached);
	draw_text(w, y++, 1, cols - 2, line, STYLE_NORMAL);
	snprintf(line, sizeof(line), _("Responded within %d days: an order%s%s or an inbound campaign reply%s%s"), d->response_days,
		 d->response_product[0] ? _(" of ") : "", d->response_product, d->response_reason[0] ? _(" or contact: ") : "",
		 d->response_reason);
	draw_text(w, y++, 1, cols - 2, line, STYLE_DIM);
	campaign_pct_text(f->contacted_rate, a, sizeof(a));
	campaign_pct_text(f->control_rate, b, sizeof(b));
	snprintf(line, sizeof(line), _("  contacted %s (%ld of %ld) · control %s (%ld of %ld)"), a, f->contacted_responded,
		 f->contacted_n, b, f->control_responded, f->control_n);
	draw_text(w, y++, 1, cols - 2, line, STYLE_NORMAL);
	campaign_lift_text(f, lift, sizeof(lift));
	snprintf(line, sizeof(line), _("  difference %s"), lift);
	draw_text(w, y++, 1, cols - 2, line, lift_style(f));
	snprintf(line, sizeof(line), _("Call-backs: %ld pending, %ld due"), f->callbacks, d->callbacks_due);
	if (y < end)
		draw_text(w, y++, 1, cols - 2, line, STYLE_HEADING);
	for (int i = 0; i < d->ncallbacks && i < 4 && y < end; i++) {
		const struct campaign_callback_row *c = &d->callbacks[i];
		enum draw_style st = c->due ? STYLE_WARN : STYLE_NORMAL;

		draw_text_pad(w, y, 3, 12, c->at, st);
		draw_text_pad(w, y, 16, 21, c->customer, st);
		draw_text_pad(w, y, 38, 13, c->login[0] ? c->login : "-", st);
		draw_text(w, y++, 52, cols - 53, c->due ? _("due") : "", st);
	}
	if (y < end)
		draw_text(w, y++, 1, cols - 2, _("Script"), STYLE_HEADING);
	for (const char *p = d->script; *p && y < end;) {
		size_t n = strcspn(p, "\n");

		snprintf(line, sizeof(line), "%.*s", (int)(n < sizeof(line) ? n : sizeof(line) - 1), p);
		draw_text(w, y++, 3, cols - 4, line, STYLE_GOOD);
		p += n;
		if (*p == '\n')
			p++;
	}
}

static void board_draw(struct app *app, WINDOW *w, int top, int height)
{
	(void)app;
	if (B.open_id)
		draw_detail(w, top, height);
	else
		draw_list(w, top, height);
}

static void open_campaign(struct app *app, int id)
{
	B.open_id = id;
	B.have_detail = false;
	B.fresh = false;
	B.fetched_ms = 0;
	if (B.fetching) {
		/* the list's reply is on its way: the detail goes out at the next turn */
		return;
	}
	board_refresh(app);
}

static int board_action(struct app *app, enum action a)
{
	if (B.open_id) {
		if (a == ACTION_REFRESH) {
			B.fresh = false;
			B.fetched_ms = 0;
			return VIEW_UNHANDLED;
		}
		return VIEW_UNHANDLED;
	}
	switch (a) {
	case ACTION_UP: if (B.sel > 0) B.sel--; break;
	case ACTION_DOWN: if (B.sel + 1 < B.shown.n) B.sel++; break;
	case ACTION_PAGE_UP: B.sel = B.sel > 5 ? B.sel - 5 : 0; break;
	case ACTION_PAGE_DOWN: B.sel = B.sel + 5 < B.shown.n ? B.sel + 5 : B.shown.n - 1; break;
	case ACTION_HOME: B.sel = 0; break;
	case ACTION_END: B.sel = B.shown.n ? B.shown.n - 1 : 0; break;
	case ACTION_REFRESH: B.fresh = false; B.fetched_ms = 0; return VIEW_UNHANDLED;
	case ACTION_OPEN:
		if (B.sel < B.shown.n)
			open_campaign(app, B.shown.rows[B.sel].id);
		break;
	default: return VIEW_UNHANDLED;
	}
	if (B.sel < 0)
		B.sel = 0;
	return VIEW_HANDLED | VIEW_REDRAW;
}

/* Esc in a campaign goes back to the list. */
static int board_back(struct app *app)
{
	if (!B.open_id)
		return VIEW_UNHANDLED;
	B.open_id = 0;
	B.have_detail = false;
	B.fresh = false;
	B.fetched_ms = 0;
	board_refresh(app);
	app->dirty = true;
	return VIEW_HANDLED;
}

const struct view_ops view_campaigns = {
	.title = N_("Campaigns"),
	.context = KEYCTX_WALLBOARD,
	.open = board_open,
	.event = board_event,
	.draw = board_draw,
	.action = board_action,
	.back = board_back,
};
