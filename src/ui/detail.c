/* detail.c - one interaction in full, its body wrapped; Esc goes back. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ccterm/format.h"
#include "ccterm/utf8.h"
#include "app.h"
#include "draw.h"

static struct {
	struct timeline_item item;
	char *body;
	int first;   /* first wrapped row shown */
} D;

void detail_set(const struct timeline_item *it, char *body)
{
	free(D.body);
	D.item = *it;
	D.body = body;
	D.first = 0;
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
	const struct timeline_item *it = &D.item;
	int cols = getmaxx(w);
	char line[640], when[32], money[48] = "";
	struct tm tm;

	strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S", localtime_r(&it->occurred_at, &tm));
	if (it->has_amount)
		fmt_money(it->amount_won, money, sizeof(money));
	snprintf(line, sizeof(line), "%s · %s %s · %s · %s %s · agent %s", when, it->channel, it->direction,
		 it->kind, it->status[0] ? it->status : "-", money, it->agent[0] ? it->agent : "-");
	draw_text(w, top, 1, cols - 2, line, STYLE_DIM);
	draw_text(w, top + 1, 1, cols - 2, it->subject, STYLE_HEADING);
	wrap_draw(w, D.body ? D.body : "", top + 3, height - 3, cols - 2, D.first);
	(void)app;
}

static int detail_action(struct app *app, enum action a)
{
	switch (a) {
	case ACTION_DOWN: case ACTION_PAGE_DOWN: D.first += a == ACTION_DOWN ? 1 : 10; break;
	case ACTION_UP: case ACTION_PAGE_UP: D.first -= a == ACTION_UP ? 1 : 10; break;
	default: return VIEW_UNHANDLED;
	}
	if (D.first < 0)
		D.first = 0;
	return VIEW_HANDLED | VIEW_REDRAW;
}

const struct view_ops view_detail = {
	.title = "Interaction",
	.context = KEYCTX_TIMELINE,
	.draw = detail_draw,
	.action = detail_action,
};
