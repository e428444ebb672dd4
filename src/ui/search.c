/* search.c - find a customer (F2), and the picker for a number several
 * customers share: both are a list of customers to open, never a guess. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "ccterm/phone.h"
#include "ccterm/i18n.h"
#include "app.h"
#include "draw.h"
#include "lineedit.h"

/* The hits are the desk's (desk.hits, for desk.searched); this is the
 * screen's own state. */
static struct {
	struct lineedit input;
	size_t sel;
	bool in_list;                   /* focus on the results, not the input */
	bool open_single;               /* run from ':': one hit opens that customer */
} S;

static void hits_draw(WINDOW *w, const struct customer_hit *hits, size_t n, size_t sel, bool focused,
		      int y, int rows, int cols)
{
	size_t top = sel >= (size_t)rows ? sel - (size_t)rows + 1 : 0;

	for (size_t i = top; i < n && (int)(i - top) < rows; i++) {
		const struct customer_hit *h = &hits[i];
		enum draw_style st = focused && i == sel ? STYLE_SELECTED : STYLE_NORMAL;
		char phone[48], line[640];

		phone_format(h->phone, phone, sizeof(phone));
		draw_text_pad(w, y, 1, 22, h->name, st);
		snprintf(line, sizeof(line), " %-15s %-10s %-7s %-9s %s", h->phone[0] ? phone : "-", h->tier,
			 h->branch, h->external_id, h->email);
		draw_text_pad(w, y, 23, cols - 24, line, st);
		y++;
	}
}

static void search_draw(struct app *app, WINDOW *w, int top, int height)
{
	const struct desk *d = &app->desk;
	int cols = getmaxx(w);
	char line[320];

	draw_text(w, top, 1, 9, _("Search:"), STYLE_HEADING);
	{
		int cx = lineedit_draw(&S.input, w, top, 10, cols - 12, !S.in_list);

		if (!S.in_list)
			app_cursor(app, top, cx);
	}
	draw_text(w, top + 1, 1, cols - 2,
		  _("phone in any form, name (start of it), e-mail, customer id or order number · Enter"),
		  STYLE_DIM);
	if (d->searching) {
		draw_text(w, top + 3, 1, cols - 2, _("Searching…"), STYLE_DIM);
	} else if (d->searched[0]) {
		snprintf(line, sizeof(line), ngettext("%zu customer for \"%s\"%s", "%zu customers for \"%s\"%s", d->hits.n),
			 d->hits.n, d->searched, d->hits.n == SEARCH_MAX ? _(" (first 50; type more)") : "");
		draw_text(w, top + 3, 1, cols - 2, line, STYLE_NORMAL);
	}
	hits_draw(w, d->hits.hits, d->hits.n, S.sel, S.in_list, top + 4, height - 4, cols);
}

static int list_action(struct app *app, enum action a, size_t n, size_t *sel, const struct customer_hit *hits)
{
	switch (a) {
	case ACTION_UP:
		if (*sel > 0)
			(*sel)--;
		return VIEW_HANDLED | VIEW_REDRAW;
	case ACTION_DOWN:
		if (*sel + 1 < n)
			(*sel)++;
		return VIEW_HANDLED | VIEW_REDRAW;
	case ACTION_OPEN:
		if (*sel < n)
			app_open_customer(app, hits[*sel].id);
		return VIEW_HANDLED | VIEW_REDRAW;
	default:
		return VIEW_UNHANDLED;
	}
}

static int search_action(struct app *app, enum action a)
{
	struct desk *d = &app->desk;

	if (a == ACTION_OPEN && (!S.in_list || strcmp(S.input.text, d->searched) != 0)) {
		S.open_single = false;
		S.in_list = false;
		desk_search(d, S.input.text);
		return VIEW_HANDLED | VIEW_REDRAW;
	}
	if (a == ACTION_UP && S.in_list && S.sel == 0) {
		S.in_list = false;
		return VIEW_HANDLED | VIEW_REDRAW;
	}
	if (a == ACTION_DOWN && !S.in_list && d->hits.n) {
		S.in_list = true;
		return VIEW_HANDLED | VIEW_REDRAW;
	}
	return S.in_list ? list_action(app, a, d->hits.n, &S.sel, d->hits.hits) : VIEW_UNHANDLED;
}

/* Opened with a query (":search X"): it runs, and a single hit opens. */
static void search_open(struct app *app, const char *query)
{
	memset(&S, 0, sizeof(S));
	lineedit_set(&S.input, query ? query : "");
	if (query && *query) {
		desk_search(&app->desk, query);
		S.open_single = true;
	}
}

static int search_event(struct app *app, unsigned ev)
{
	const struct desk *d = &app->desk;

	if (!(ev & DESK_SEARCHED))
		return 0;
	S.sel = 0;
	S.in_list = d->hits.n > 0;
	if (S.open_single && d->hits.n == 1)
		app_open_customer(app, d->hits.hits[0].id);
	S.open_single = false;
	return 0;
}

static int search_key(struct app *app, int key)
{
	if (lineedit_key(&S.input, key)) {
		S.in_list = false;
		return VIEW_HANDLED | VIEW_REDRAW;
	}
	return VIEW_UNHANDLED;
}

const struct view_ops view_search = {
	.title = N_("Search"),
	.context = KEYCTX_SEARCH,
	.takes_text = true,
	.open = search_open,
	.event = search_event,
	.draw = search_draw,
	.action = search_action,
	.key = search_key,
};

/* The picker: the customers behind a shared number, from the pop itself. */
static size_t picker_sel;

static void picker_draw(struct app *app, WINDOW *w, int top, int height)
{
	struct desk *d = &app->desk;
	int cols = getmaxx(w);
	char line[256], num[48];

	phone_format(d->call.ani_e164, num, sizeof(num));
	snprintf(line, sizeof(line), _("%zu customers share %s. Who is calling? (Enter opens, F2 searches)"),
		 d->ncands, num);
	draw_text(w, top, 1, cols - 2, line, STYLE_WARN);
	hits_draw(w, d->cands, d->ncands, picker_sel, true, top + 2, height - 2, cols);
}

static int picker_action(struct app *app, enum action a)
{
	return list_action(app, a, app->desk.ncands, &picker_sel, app->desk.cands);
}

static void picker_open(struct app *app, const char *arg)
{
	picker_sel = 0;
	(void)app;
	(void)arg;
}

const struct view_ops view_picker = {
	.title = N_("Shared number"),
	.context = KEYCTX_PICKER,
	.open = picker_open,
	.draw = picker_draw,
	.action = picker_action,
};
