/* pause.c - break or not ready with a reason from the list (F6, :break):
 * the pause reasons the database keeps (desk.lists.pauses), one digit or
 * Enter each; the boards then count them alike. Esc changes nothing. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "app.h"
#include "draw.h"

static size_t sel;

static const struct form_lists *lists(const struct app *app)
{
	return &app->desk.lists;
}

static void pause_open(struct app *app, const char *arg)
{
	(void)arg;
	sel = 0;
	/* the reason the agent is paused for now, when it is one of the list */
	for (size_t i = 0; i < lists(app)->npauses; i++)
		if (strcmp(lists(app)->pauses[i].code, app->desk.now.agent.reason) == 0)
			sel = i;
}

static void pause_draw(struct app *app, WINDOW *w, int top, int height)
{
	const struct form_lists *l = lists(app);
	int cols = getmaxx(w), y = top;
	char line[256];

	draw_text(w, y++, 2, cols - 4, "Pause: why? (1-9 or Enter chooses, Esc stays as you are)", STYLE_HEADING);
	y++;
	if (l->npauses == 0)
		draw_text(w, y, 4, cols - 8, l->loaded ? "No pause reasons are set up: ask a supervisor."
						       : "Reading the reasons…", STYLE_DIM);
	for (size_t i = 0; i < l->npauses && y < top + height; i++) {
		const struct code_label *c = &l->pauses[i];
		enum draw_style st = i == sel ? STYLE_SELECTED : STYLE_NORMAL;
		int x;

		snprintf(line, sizeof(line), "%c ", i < 9 ? (char)('1' + i) : ' ');
		x = 4 + draw_text(w, y, 4, 2, line, st);
		x += draw_text_pad(w, y, x, 32, c->label, st);
		snprintf(line, sizeof(line), " %s", strcmp(c->kind, "break") == 0 ? "break" : "not ready");
		draw_text_pad(w, y++, x, cols - x - 2, line, i == sel ? STYLE_SELECTED : STYLE_DIM);
	}
}

static void choose(struct app *app, size_t i)
{
	desk_pause(&app->desk, lists(app)->pauses[i].code);
	app_message(app, "%s: %s.", strcmp(lists(app)->pauses[i].kind, "break") == 0 ? "On break" : "Not ready",
		    lists(app)->pauses[i].label);
	nav_back(&app->nav);
}

static int pause_action(struct app *app, enum action a)
{
	size_t n = lists(app)->npauses;

	switch (a) {
	case ACTION_UP: if (sel > 0) sel--; break;
	case ACTION_DOWN: if (sel + 1 < n) sel++; break;
	case ACTION_HOME: sel = 0; break;
	case ACTION_END: sel = n ? n - 1 : 0; break;
	case ACTION_OPEN:
		if (sel < n)
			choose(app, sel);
		break;
	default: return VIEW_UNHANDLED;
	}
	return VIEW_HANDLED | VIEW_REDRAW;
}

static int pause_key(struct app *app, int key)
{
	if (key < '1' || key > '9' || (size_t)(key - '1') >= lists(app)->npauses)
		return VIEW_UNHANDLED;
	choose(app, (size_t)(key - '1'));
	return VIEW_HANDLED | VIEW_REDRAW;
}

const struct view_ops view_pause = {
	.title = "Pause",
	.context = KEYCTX_PICKER,
	.open = pause_open,
	.draw = pause_draw,
	.action = pause_action,
	.key = pause_key,
};
