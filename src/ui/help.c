/* help.c - every action with the keys bound to it, from the one action table. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "ccterm/i18n.h"
#include "app.h"
#include "draw.h"

static int help_first;   /* first action shown, for scrolling */

static void help_draw(struct app *app, WINDOW *w, int top, int height)
{
	int cols = getmaxx(w), y = top + 1;
	enum keyctx ctx = views[nav_previous(&app->nav)]->context;

	draw_text(w, top, 2, cols - 4, _("Keys (Esc to go back; ccterm-keys(5) tells how to change them)"),
		  STYLE_HEADING);
	for (int a = ACTION_NONE + 1 + help_first; a < ACTION_COUNT && y < top + height; a++) {
		int keys[4];
		size_t n = keymap_keys_for(app->keys, ctx, (enum action)a, keys, 4);
		char names[64] = "", one[32], line[256];

		for (size_t i = 0; i < n; i++) {
			if (i)
				strncat(names, " ", sizeof(names) - strlen(names) - 1);
			strncat(names, keymap_key_name(keys[i], one, sizeof(one)), sizeof(names) - strlen(names) - 1);
		}
		/* Key names and action names are ASCII; the help text may be wide. */
		snprintf(line, sizeof(line), "%-16s %-14s %s", names[0] ? names : "-", action_name(a),
			 _(action_help(a)));
		draw_text(w, y++, 2, cols - 4, line, STYLE_NORMAL);
	}
}

static int help_action(struct app *app, enum action a)
{
	switch (a) {
	case ACTION_DOWN:
	case ACTION_PAGE_DOWN:
		if (help_first + 1 < ACTION_COUNT - 1)
			help_first += a == ACTION_DOWN ? 1 : 10;
		if (help_first > ACTION_COUNT - 2)
			help_first = ACTION_COUNT - 2;
		return VIEW_HANDLED | VIEW_REDRAW;
	case ACTION_UP:
	case ACTION_PAGE_UP:
		help_first -= a == ACTION_UP ? 1 : 10;
		if (help_first < 0)
			help_first = 0;
		return VIEW_HANDLED | VIEW_REDRAW;
	default:
		return VIEW_UNHANDLED;
	}
}

const struct view_ops view_help = {
	.title = N_("Help"),
	.context = KEYCTX_GENERIC,
	.draw = help_draw,
	.action = help_action,
};
