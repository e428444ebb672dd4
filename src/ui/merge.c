/* merge.c - a possible duplicate pair side by side: the customer on screen
 * on the left, the one it looks like on the right, why they match; a
 * supervisor keeps one and merges the other into it (customer_merge in
 * sql/repeatable/22_identity.sql: reversible, audited). */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "ccterm/format.h"
#include "ccterm/i18n.h"
#include "ccterm/phone.h"
#include "ccterm/utf8.h"
#include "app.h"
#include "draw.h"
#include "panel.h"

static struct {
	size_t idx;           /* which of desk.dups */
	int keep;             /* armed: 1 keeps the left, 2 the right; 0 not armed */
} M;

static const struct duplicate_hit *merge_hit(const struct desk *d)
{
	return M.idx < d->dups.n ? &d->dups.hits[M.idx] : NULL;
}

static void merge_open(struct app *app, const char *arg)
{
	const struct duplicate_hit *h;

	(void)arg;
	M.idx = 0;
	M.keep = 0;
	h = merge_hit(&app->desk);
	if (h)
		desk_open_compare(&app->desk, h->other_id);
}

/* One customer's column: label, value per row. */
static void merge_column(WINDOW *w, int y, int x, int cols, const struct customer_pop *p, int lw)
{
	char phone[64], money[48], since[16], id[32], total[32];
	struct {
		const char *label;
		const char *value;
	} rows[] = {
		{ N_("Id"), id },
		{ N_("Name"), p->h.name },
		{ N_("Phone"), phone },
		{ N_("E-mail"), p->h.email[0] ? p->h.email : "-" },
		{ N_("Tier"), i18n_word(p->h.tier) },
		{ N_("Branch"), p->h.branch_name[0] ? p->h.branch_name : "-" },
		{ N_("RRN"), p->h.rrn_masked[0] ? p->h.rrn_masked : "-" },
		{ N_("External id"), p->h.external_id[0] ? p->h.external_id : "-" },
		{ N_("Customer for"), since },
		{ N_("Contacts"), total },
		{ N_("Value"), money },
	};

	snprintf(id, sizeof(id), "#%lld", p->h.id);
	phone_format(p->h.phone, phone, sizeof(phone));
	if (!p->h.phone[0])
		snprintf(phone, sizeof(phone), "-");
	fmt_money(p->h.value_won, money, sizeof(money));
	fmt_age(p->h.customer_since, time(NULL), since, sizeof(since));
	fmt_thousands(p->interactions_total, total, sizeof(total));
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		draw_text_pad(w, y + (int)i, x, lw + 1, _(rows[i].label), STYLE_DIM);
		draw_text(w, y + (int)i, x + lw + 1, cols - lw - 1, rows[i].value, i == 1 ? STYLE_HEADING : STYLE_NORMAL);
	}
}

static void merge_draw(struct app *app, WINDOW *w, int top, int height)
{
	struct desk *d = &app->desk;
	const struct duplicate_hit *h = merge_hit(d);
	int cols = getmaxx(w), half = cols / 2, lw = 0, y = top;
	char line[512], why[256];
	static const char *const labels[] = { N_("Id"), N_("Name"), N_("Phone"), N_("E-mail"), N_("Tier"),
		N_("Branch"), N_("RRN"), N_("External id"), N_("Customer for"), N_("Contacts"), N_("Value") };

	if (!h || !d->has_customer) {
		draw_text(w, y + 1, 2, cols - 4, _("No possible duplicate for this customer."), STYLE_DIM);
		return;
	}
	snprintf(line, sizeof(line), _("Possible duplicate (%zu of %zu): %s, score %d"), M.idx + 1, d->dups.n,
		 panel_reasons(h->reasons, why, sizeof(why)),
		 h->score);
	draw_text(w, y++, 1, cols - 2, line, STYLE_WARN);
	y++;
	for (size_t i = 0; i < sizeof(labels) / sizeof(labels[0]); i++)
		if (utf8_width(_(labels[i])) > lw)
			lw = utf8_width(_(labels[i]));
	draw_text(w, y, 1, half - 2, _("1 this one"), STYLE_HEADING);
	draw_text(w, y++, half + 1, half - 2, _("2 the other"), STYLE_HEADING);
	merge_column(w, y, 1, half - 2, &d->pop, lw);
	if (d->has_compare && d->compare.h.id == h->other_id)
		merge_column(w, y, half + 1, cols - half - 2, &d->compare, lw);
	else
		draw_text(w, y, half + 1, half - 2, _("loading…"), STYLE_DIM);
	y = top + height - 2;
	if (M.keep) {
		long long keep = M.keep == 1 ? d->pop.h.id : h->other_id, drop = M.keep == 1 ? h->other_id : d->pop.h.id;

		snprintf(line, sizeof(line), _("Merge #%lld into #%lld? #%lld's contacts, history, orders and cases move; "
					       "y merges · n cancels"), drop, keep, drop);
		draw_text_pad(w, y, 1, cols - 2, line, STYLE_SELECTED);
	} else {
		draw_text(w, y, 1, cols - 2,
			  _("1 keeps this one · 2 keeps the other · Down next pair · Esc back"),
			  STYLE_DIM);
	}
}

static int merge_key(struct app *app, int key)
{
	struct desk *d = &app->desk;
	const struct duplicate_hit *h = merge_hit(d);

	if (!h)
		return VIEW_UNHANDLED;
	if ((key == '1' || key == '2') && !M.keep) {
		if (!desk_is_supervisor(d)) {
			app_message(app, _("Only supervisors merge customers."));
			return VIEW_HANDLED | VIEW_REDRAW;
		}
		M.keep = key - '0';
		return VIEW_HANDLED | VIEW_REDRAW;
	}
	if (M.keep && (key == 'y' || key == 'Y')) {
		long long keep = M.keep == 1 ? d->pop.h.id : h->other_id, drop = M.keep == 1 ? h->other_id : d->pop.h.id;

		M.keep = 0;
		app->want_customer = true;   /* the survivor opens when merged */
		desk_merge(d, keep, drop);
		return VIEW_HANDLED | VIEW_REDRAW;
	}
	if (M.keep && (key == 'n' || key == 'N')) {
		M.keep = 0;
		return VIEW_HANDLED | VIEW_REDRAW;
	}
	return VIEW_UNHANDLED;
}

static int merge_action(struct app *app, enum action a)
{
	struct desk *d = &app->desk;

	if ((a == ACTION_DOWN || a == ACTION_UP) && d->dups.n > 1) {
		M.idx = (M.idx + (a == ACTION_DOWN ? 1 : d->dups.n - 1)) % d->dups.n;
		M.keep = 0;
		desk_open_compare(d, d->dups.hits[M.idx].other_id);
		return VIEW_HANDLED | VIEW_REDRAW;
	}
	return VIEW_UNHANDLED;
}

static int merge_back(struct app *app)
{
	(void)app;
	if (M.keep) {
		M.keep = 0;
		return VIEW_HANDLED;
	}
	return VIEW_UNHANDLED;
}

const struct view_ops view_merge = {
	.title = N_("Possible duplicate"),
	.context = KEYCTX_GENERIC,
	.open = merge_open,
	.draw = merge_draw,
	.action = merge_action,
	.key = merge_key,
	.back = merge_back,
};
