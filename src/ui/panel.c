/* panel.c - the customer's header and history, drawn in any box (panel.h). */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "ccterm/format.h"
#include "ccterm/phone.h"
#include "ccterm/i18n.h"
#include "app.h"
#include "draw.h"
#include "panel.h"

/* The tiers' names in brackets after the customer's (for the catalogs). */
static const char *const tiers[] = { N_("platinum"), N_("contracted"), N_("registered"), N_("all") };

static const char *tier_badge(const char *tier)
{
	if (strcmp(tier, "platinum") == 0) return _("PLATINUM");
	if (strcmp(tier, "contracted") == 0) return _("CONTRACTED");
	if (strcmp(tier, "registered") == 0) return _("REGISTERED");
	(void)tiers;
	return _("ALL");
}

static const char *alert_label(const char *kind)
{
	static const char *const names[][2] = {
		{ "churn_risk", N_("Churn risk") }, { "overdue", N_("Overdue") },
		{ "open_complaint", N_("Open complaint") }, { "vip_complaint", N_("VIP complaint") },
		{ "payment_overdue", N_("Payment overdue") }, { "repeat_contact", N_("Repeat contact") },
		{ "fraud", N_("Fraud") }, { "note", N_("Note") }, { "duplicate", N_("Possible duplicate") },
	};

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(kind, names[i][0]) == 0)
			return _(names[i][1]);
	return kind;
}

/* The profile line: "PLATINUM  ₩1.9M  R5 F4 M5  A  champions,young_single"
 * (customer_profile(), with the pop); returns the columns used. */
static int draw_profile(struct app *app, WINDOW *w, int y, int x, int cols)
{
	const struct customer_pop *p = &app->desk.pop;
	const struct customer_profile *f = &p->profile;
	char line[512], money[32], rfm[32];
	int used;

	if (cols <= 0)
		return 0;
	used = draw_text(w, y, x, cols, tier_badge(f->known ? f->tier : p->h.tier), STYLE_BADGE);
	fmt_money_short(f->known ? f->value_won : p->h.value_won, money, sizeof(money));
	if (f->known && f->r + f->f + f->m > 0)
		snprintf(rfm, sizeof(rfm), "R%d F%d M%d", f->r, f->f, f->m);
	else
		snprintf(rfm, sizeof(rfm), "R- F- M-");
	snprintf(line, sizeof(line), "  ₩%s  %s  %s  %s", money, rfm, f->known && f->profit_class[0] ? f->profit_class : "-",
		 f->known && f->segments[0] ? f->segments : _("no segment"));
	if (used + 2 < cols)
		used += draw_text(w, y, x + used, cols - used, line, STYLE_NORMAL);
	return used;
}

static const char *response_mark(const char *response)
{
	if (strcmp(response, "accepted") == 0) return _(" ✓accepted");
	if (strcmp(response, "declined") == 0) return _(" ✗declined");
	if (strcmp(response, "offered") == 0) return _(" ·offered");
	return "";
}

/* "Offers: ▸1 A ✓accepted · 2 B", best first, the highlighted one (the one
 * ^P ^Y ^D answer for) marked and selected; returns columns used. */
static int draw_offers(struct app *app, WINDOW *w, int y, int x, int cols, bool hint)
{
	const struct desk *d = &app->desk;
	const struct customer_pop *p = &d->pop;
	char one[512];
	int used = draw_text(w, y, x, cols, _("Offers:"), STYLE_GOOD);

	for (size_t i = 0; i < p->noffers && used + 4 < cols; i++) {
		const struct customer_offer *o = &p->offers[i];
		bool sel = i == d->offer_sel;

		snprintf(one, sizeof(one), "%s%zu %s%s", sel ? "▸" : "", i + 1, o->name, response_mark(o->response));
		used += draw_text(w, y, x + used, cols - used, i ? " · " : " ", STYLE_GOOD);
		used += draw_text(w, y, x + used, cols - used, one, sel ? STYLE_SELECTED : STYLE_GOOD);
	}
	if (hint && used + 48 < cols)
		used += draw_text(w, y, x + used, cols - used, _("  ^X next · ^P offered ^Y accepted ^D declined"),
				  STYLE_DIM);
	else if (hint && used + 16 < cols)
		used += draw_text(w, y, x + used, cols - used, "  ^X ^P ^Y ^D", STYLE_DIM);
	return used;
}

const char *panel_reasons(const char *reasons, char *out, size_t outsz)
{
	static const char *const known[] = { N_("same RRN"), N_("same phone and name"), N_("same e-mail"),
					      N_("same name and birth date") };
	const char *p = reasons;

	out[0] = '\0';
	while (*p) {
		size_t n = strcspn(p, ","), len = strlen(out);
		char one[96];
		const char *word;

		snprintf(one, sizeof(one), "%.*s", (int)n, p);
		word = one;
		for (size_t i = 0; i < sizeof(known) / sizeof(known[0]); i++)
			if (strcmp(one, known[i]) == 0)
				word = _(known[i]);
		snprintf(out + len, outsz - len, "%s%s", len ? ", " : "", word);
		p += n;
		while (*p == ',' || *p == ' ')
			p++;
	}
	return out;
}

/* The customer on screen looks like another one (desk.dups, read after the pop). */
static bool has_duplicate(const struct desk *d)
{
	return d->dups.n > 0 && d->dups_of == d->pop.h.id;
}

/* "! Churn risk  ! Overdue  ! Possible duplicate: same e-mail" then
 * (compact) the offers; returns columns used. */
static int draw_alerts_offers(struct app *app, WINDOW *w, int y, int x, int cols, bool alerts, bool offers)
{
	const struct customer_pop *p = &app->desk.pop;
	char line[512];
	int used = 0;

	for (size_t i = 0; alerts && i < p->nalerts && used < cols - 4; i++) {
		snprintf(line, sizeof(line), "! %s", alert_label(p->alerts[i].kind));
		used += draw_text(w, y, x + used, cols - used, line, STYLE_WARN) + 2;
	}
	if (alerts && has_duplicate(&app->desk) && used < cols - 4) {
		char why[256];

		snprintf(line, sizeof(line), _("! possible duplicate: %s"),
			 panel_reasons(app->desk.dups.hits[0].reasons, why, sizeof(why)));
		used += draw_text(w, y, x + used, cols - used, line, STYLE_WARN) + 2;
	}
	if (offers && p->noffers && used < cols - 8)
		used += draw_offers(app, w, y, x + used, cols - used, !alerts);
	return used;
}

static void draw_case(struct app *app, WINDOW *w, int y, int x, int cols, size_t i, bool more)
{
	const struct customer_case *c = &app->desk.pop.cases[i];
	char line[640], left[16] = "", extra[40] = "";

	if (c->has_due)
		fmt_duration(c->sla_left_secs, left, sizeof(left));
	if (more && app->desk.pop.ncases > 1)
		snprintf(extra, sizeof(extra), _(" (+%zu more)"), app->desk.pop.ncases - 1);
	snprintf(line, sizeof(line), _("Case #%lld %s · %s %s · %s · %s%s%s"), c->id, c->subject, c->status, c->priority,
		 c->owner[0] ? c->owner : _("unassigned"), c->has_due ? "SLA " : "",
		 c->has_due ? (c->sla_left_secs < 0 ? _("OVERDUE") : left) : _("no SLA"), extra);
	draw_text(w, y, x, cols, line, c->has_due && c->sla_left_secs < 0 ? STYLE_WARN : STYLE_NORMAL);
}

int panel_header(struct app *app, WINDOW *w, int y, int x, int cols, int max_rows, bool with_call)
{
	const struct desk *d = &app->desk;
	const struct customer_pop *p = &d->pop;
	char line[768], phone[64], money[48], since[16], timer[16] = "";
	int at = x, y0 = y;
	bool compact = max_rows <= 4;

	if (max_rows <= 0)
		return 0;
	/* Who: the name and tier first (they must show whatever the width). */
	if (compact) {
		snprintf(line, sizeof(line), "%s [%s]", p->h.name, i18n_word(p->h.tier));
		at += draw_text(w, y, at, cols / 2, line, STYLE_HEADING) + 2;
	} else {
		at += draw_text(w, y, at, cols / 2, p->h.name, STYLE_HEADING) + 2;
		at += draw_text(w, y, at, 12, tier_badge(p->h.tier), STYLE_BADGE) + 2;
	}
	phone_format(p->h.phone, phone, sizeof(phone));
	fmt_money(p->h.value_won, money, sizeof(money));
	if (with_call && d->has_call) {
		fmt_duration(desk_call_secs(d), timer, sizeof(timer));
		snprintf(line, sizeof(line), _("%s  %s · call %s%s"), p->h.phone[0] ? phone : _("no phone"), money, timer,
			 strcmp(d->now.call_state, "ended") == 0 ? _(" ended") : "");
	} else {
		snprintf(line, sizeof(line), "%s  %s", p->h.phone[0] ? phone : _("no phone"), money);
	}
	if (at < x + cols)
		draw_text(w, y, at, x + cols - at, line, STYLE_NORMAL);
	y++;
	/* The profile: its own row, or (compact) before the ids, which get
	 * what is left (at least "· RRN"). */
	if (!compact && y - y0 < max_rows)
		draw_profile(app, w, y++, x, cols);
	if (y - y0 < max_rows) {
		int used = compact ? draw_profile(app, w, y, x, cols - 14) + 3 : 0;

		fmt_age(p->h.customer_since, time(NULL), since, sizeof(since));
		snprintf(line, sizeof(line), _("%sRRN %s · %s · %s %s · since %s"), compact ? "· " : "",
			 p->h.rrn_masked[0] ? p->h.rrn_masked : "-", p->h.external_id, p->h.branch, p->h.branch_name,
			 since);
		if (used < cols)
			draw_text(w, y, x + used - (compact ? 1 : 0), cols - used + (compact ? 1 : 0), line, STYLE_DIM);
		y++;
	}
	if (compact) {
		if ((p->nalerts || p->noffers || has_duplicate(d)) && y - y0 < max_rows)
			draw_alerts_offers(app, w, y++, x, cols, true, true);
		if (p->ncases && y - y0 < max_rows)
			draw_case(app, w, y++, x, cols, 0, true);
		return y - y0;
	}
	if ((p->nalerts || has_duplicate(d)) && y - y0 < max_rows)
		draw_alerts_offers(app, w, y++, x, cols, true, false);
	if (p->noffers && y - y0 < max_rows)
		draw_offers(app, w, y++, x, cols, true);
	for (size_t i = 0; i < p->ncases && i < 2 && y - y0 < max_rows; i++)
		draw_case(app, w, y++, x, cols, i, false);
	return y - y0;
}

/* Scrolls so the selection stays visible. */
static void history_scroll(struct desk *d, int rows)
{
	if (rows <= 0)
		return;
	if (d->sel < d->top)
		d->top = d->sel;
	if (d->sel >= d->top + (size_t)rows)
		d->top = d->sel - (size_t)rows + 1;
}

void panel_history(struct app *app, WINDOW *w, int y, int x, int rows, int cols, const char *hint)
{
	struct desk *d = &app->desk;
	char line[768], total[32], when[32], amount[32];
	bool narrow = cols < 70;
	struct tm tm;

	if (rows <= 0)
		return;
	if (d->pop.interactions_total >= 10000)
		snprintf(total, sizeof(total), "10,000+");
	else
		fmt_thousands(d->pop.interactions_total, total, sizeof(total));
	snprintf(line, sizeof(line), _("History (%s) · %s%s%s%s%s"), total,
		 d->filter.channel[0] || d->filter.kind[0] ? _("only ") : _("all channels"),
		 i18n_word(d->filter.channel), i18n_word(d->filter.kind), hint && *hint ? " · " : "", hint ? hint : "");
	draw_text(w, y++, x, cols, line, STYLE_HEADING);
	rows--;
	history_scroll(d, rows);
	if (d->nitems == 0)
		draw_text(w, y, x + 2, cols - 2, d->fetching ? _("loading…") : _("no interactions"), STYLE_DIM);
	for (int i = 0; i < rows && d->top + (size_t)i < d->nitems; i++) {
		const struct timeline_item *it = &d->items[d->top + (size_t)i];
		enum draw_style st = d->top + (size_t)i == d->sel ? STYLE_SELECTED : STYLE_NORMAL;
		/* when(11|16) channel(6) dir kind(9): 31 or 36 columns, then the subject */
		int lead = narrow ? 31 : 36, tail = narrow ? 0 : 17, subject_cols = cols - lead - tail;

		/* when channel dir kind | subject | status amount (dropped when narrow) */
		strftime(when, sizeof(when), narrow ? "%m-%d %H:%M" : "%Y-%m-%d %H:%M", localtime_r(&it->occurred_at, &tm));
		/* Column by column, so that wide (translated) words keep the columns. */
		{
			int cx = x;

			cx += draw_text_pad(w, y, cx, narrow ? 12 : 17, when, st);
			cx += draw_text_pad(w, y, cx, 7, i18n_word(it->channel), st);
			cx += draw_text_pad(w, y, cx, 2, strcmp(it->direction, "out") == 0 ? "→" : "←", st);
			draw_text_pad(w, y, cx, lead - (cx - x), i18n_word(it->kind), st);
		}
		if (subject_cols > 0)
			draw_text_pad(w, y, x + lead, subject_cols, it->subject, st);
		if (tail) {
			amount[0] = '\0';
			if (it->has_amount)
				fmt_money_short(it->amount_won, amount, sizeof(amount));
			snprintf(line, sizeof(line), " %-9.9s%7.7s", it->status, amount);
			draw_text_pad(w, y, x + lead + subject_cols, tail, line, st);
		}
		y++;
	}
	if (d->more && d->top + (size_t)rows >= d->nitems && rows > 0)
		draw_text(w, y < getmaxy(w) - 2 ? y : y - 1, x + cols - 11, 11, _("more ↓"), STYLE_DIM);
}

void panel_history_move(struct app *app, long delta)
{
	struct desk *d = &app->desk;
	/* Down from where the agent scrolled to, even while that is still loading. */
	long sel = (long)(delta > 0 && d->sel_goal > d->sel ? d->sel_goal : d->sel) + delta;

	if (sel < 0)
		sel = 0;
	d->sel_goal = (size_t)sel;   /* kept while a page loads: it follows when in */
	if (d->nitems == 0)
		return;
	/* Fetch the next keyset page before the end shows. */
	if ((size_t)sel + TIMELINE_PAGE / 2 >= d->nitems && d->more)
		desk_timeline_more(d);
	if ((size_t)sel >= d->nitems)
		sel = (long)d->nitems - 1;
	d->sel = (size_t)sel;
}

void panel_history_next_filter(struct app *app)
{
	static const char *const order[][2] = {
		{ "", "" }, { "phone", "" }, { "web", "" }, { "email", "" }, { "store", "" }, { "mobile", "" },
		{ "chat", "" }, { "", "complaint" }, { "", "order" },
	};
	const struct timeline_filter *f = &app->desk.filter;
	size_t n = sizeof(order) / sizeof(order[0]), at = 0;

	for (size_t i = 0; i < n; i++)
		if (strcmp(f->channel, order[i][0]) == 0 && strcmp(f->kind, order[i][1]) == 0)
			at = i;
	at = (at + 1) % n;
	desk_filter(&app->desk, order[at][0], order[at][1]);
}
