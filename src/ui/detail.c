/* detail.c - one interaction in full, its body wrapped; Esc goes back. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ccterm/format.h"
#include "ccterm/utf8.h"
#include "ccterm/i18n.h"
#include "app.h"
#include "draw.h"

static int detail_first;   /* first wrapped row shown */

static void detail_open(struct app *app, const char *arg)
{
	detail_first = 0;
	(void)app;
	(void)arg;
}

/* Draws text wrapped at cols from row first on; returns the rows it has. */
static int wrap_draw(WINDOW *w, const char *text, int y, int rows, int cols, int first)
{
	char *clean = utf8_sanitize(text, 64 * 1024, SANITIZE_KEEP_NEWLINES), *p, *line;
	int row = 0;

	if (!clean)
		return 0;
	line = malloc(strlen(clean) + 8);
	for (p = clean; line && *p;) {
		size_t n = strcspn(p, "\n");
		char save = p[n];
		int used;

		p[n] = '\0';
		do {   /* one source line may take several screen rows */
			size_t take;

			used = utf8_fit(p, cols, false, line, strlen(p) + 8);
			take = strlen(line);
			if (row >= first && row - first < rows)
				mvwaddstr(w, y + row - first, 1, line);
			row++;
			p += take;
			if (take == 0)
				break;
		} while (*p);
		(void)used;
		p[0] = save;
		if (save)
			p++;
	}
	free(line);
	free(clean);
	return row;
}

static void detail_draw(struct app *app, WINDOW *w, int top, int height)
{
	const struct timeline_item *it = &app->desk.detail;
	int cols = getmaxx(w);
	char line[640], when[32], money[48] = "";
	struct tm tm;

	strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S", localtime_r(&it->occurred_at, &tm));
	if (it->has_amount)
		fmt_money(it->amount_won, money, sizeof(money));
	snprintf(line, sizeof(line), _("%s · %s %s · %s · %s %s · agent %s"), when, i18n_word(it->channel), i18n_word(it->direction),
		 i18n_word(it->kind), it->status[0] ? it->status : "-", money, it->agent[0] ? it->agent : "-");
	draw_text(w, top, 1, cols - 2, line, STYLE_DIM);
	draw_text(w, top + 1, 1, cols - 2, it->subject, STYLE_HEADING);
	wrap_draw(w, app->desk.detail_body ? app->desk.detail_body : "", top + 3, height - 3, cols - 2, detail_first);
}

static int detail_action(struct app *app, enum action a)
{
	(void)app;
	switch (a) {
	case ACTION_DOWN: case ACTION_PAGE_DOWN: detail_first += a == ACTION_DOWN ? 1 : 10; break;
	case ACTION_UP: case ACTION_PAGE_UP: detail_first -= a == ACTION_UP ? 1 : 10; break;
	default: return VIEW_UNHANDLED;
	}
	if (detail_first < 0)
		detail_first = 0;
	return VIEW_HANDLED | VIEW_REDRAW;
}

const struct view_ops view_detail = {
	.title = N_("Interaction"),
	.context = KEYCTX_TIMELINE,
	.open = detail_open,
	.draw = detail_draw,
	.action = detail_action,
};
