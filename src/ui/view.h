/* view.h - a screen is one file filling one view_ops table; app.c drives
 * them all through it and names none of them (views.c lists them). */
#ifndef CCTERM_UI_VIEW_H
#define CCTERM_UI_VIEW_H

#include <curses.h>
#include <stdbool.h>
#include "ccterm/action.h"
#include "ccterm/keymap.h"
#include "nav.h"

struct app;

/* What a handler asks of the loop. */
enum view_result {
	VIEW_UNHANDLED = 0,
	VIEW_HANDLED = 1 << 0,
	VIEW_REDRAW = 1 << 1,
};

/* Events a view hears while shown, besides the desk's (enum desk_event bits). */
#define VIEW_EV_TICK (1u << 20)     /* the loop turned: timers may be due */

struct view_ops {
	const char *title;
	enum keyctx context;
	/* The view has a text field: printable keys are text, and a pop waits. */
	bool takes_text;
	/* Shown (arg from app_open, may be NULL). */
	void (*open)(struct app *app, const char *arg);
	/* Draws into rows [top, top + height) of w. */
	void (*draw)(struct app *app, WINDOW *w, int top, int height);
	/* A named action from the keymap. */
	int (*action)(struct app *app, enum action a);
	/* A key no binding claimed (text entry). */
	int (*key)(struct app *app, int key);
	/* Desk events (data arrived, notify, reconnect) and ticks; returns the
	 * ms until it wants a tick again, 0 when it does not. */
	int (*event)(struct app *app, unsigned events);
	/* Esc: VIEW_HANDLED when the view went back inside itself. */
	int (*back)(struct app *app);
};

/* Every screen, by id (views.c). */
extern const struct view_ops *const views[VIEW_COUNT];

extern const struct view_ops view_home, view_help, view_pop, view_search, view_picker, view_detail, view_form,
	view_wallboard, view_cases, view_reply, view_campaign,
	view_rules, view_rule_edit, view_at_risk, view_pause;

#endif
