/* search.c - find a customer (F2), and the picker for a number several
 * customers share: both are a list of customers to open, never a guess. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "ccterm/phone.h"
#include "app.h"
#include "draw.h"
#include "lineedit.h"

static struct {
	struct lineedit input;
	char searched[LINEEDIT_MAX];    /* the query the hits belong to */
	struct customer_hit hits[SEARCH_MAX];
	size_t nhits, sel;
	bool in_list;                   /* focus on the results, not the input */
} S;

void search_reset(void)
{
	memset(&S, 0, sizeof(S));
}

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
	int cols = getmaxx(w);
	char line[320];

	draw_text(w, top, 1, 9, "Search:", STYLE_HEADING);
	{
		int cx = lineedit_draw(&S.input, w, top, 10, cols - 12, !S.in_list);

		if (!S.in_list)
			app_cursor(app, top, cx);
	}
	draw_text(w, top + 1, 1, cols - 2,
		  "phone in any form, name (start of it), e-mail, customer id or order number · Enter",
		  STYLE_DIM);
	if (S.searched[0]) {
		snprintf(line, sizeof(line), "%zu customer%s for \"%s\"%s", S.nhits, S.nhits == 1 ? "" : "s",
			 S.searched, S.nhits == SEARCH_MAX ? " (first 50; type more)" : "");
		draw_text(w, top + 3, 1, cols - 2, line, STYLE_NORMAL);
	}
	hits_draw(w, S.hits, S.nhits, S.sel, S.in_list, top + 4, height - 4, cols);
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
	if (a == ACTION_OPEN && (!S.in_list || strcmp(S.input.text, S.searched) != 0)) {
		int n = db_search(app->db, S.input.text, S.hits, SEARCH_MAX);

		if (n < 0) {
			app_db_error(app);
			return VIEW_HANDLED | VIEW_REDRAW;
		}
		snprintf(S.searched, sizeof(S.searched), "%s", S.input.text);
		S.nhits = (size_t)n;
		S.sel = 0;
		S.in_list = n > 0;
		return VIEW_HANDLED | VIEW_REDRAW;
	}
	if (a == ACTION_UP && S.in_list && S.sel == 0) {
		S.in_list = false;
		return VIEW_HANDLED | VIEW_REDRAW;
	}
	if (a == ACTION_DOWN && !S.in_list && S.nhits) {
		S.in_list = true;
		return VIEW_HANDLED | VIEW_REDRAW;
	}
	return S.in_list ? list_action(app, a, S.nhits, &S.sel, S.hits) : VIEW_UNHANDLED;
}

void search_run(struct app *app, const char *query)
{
	search_reset();
	lineedit_set(&S.input, query);
	app_show(app, &view_search);
	if (*query) {
		search_action(app, ACTION_OPEN);
		if (S.nhits == 1)
			app_open_customer(app, S.hits[0].id);
	}
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
	.title = "Search",
	.context = KEYCTX_SEARCH,
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
	snprintf(line, sizeof(line), "%zu customers share %s. Who is calling? (Enter opens, F2 searches)",
		 d->ncands, num);
	draw_text(w, top, 1, cols - 2, line, STYLE_WARN);
	hits_draw(w, d->cands, d->ncands, picker_sel, true, top + 2, height - 2, cols);
}

static int picker_action(struct app *app, enum action a)
{
	return list_action(app, a, app->desk.ncands, &picker_sel, app->desk.cands);
}

void picker_reset(void)
{
	picker_sel = 0;
}

const struct view_ops view_picker = {
	.title = "Shared number",
	.context = KEYCTX_PICKER,
	.draw = picker_draw,
	.action = picker_action,
};
