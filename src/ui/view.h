/* view.h - a screen is one file filling one view_ops table. */
#ifndef CCTERM_UI_VIEW_H
#define CCTERM_UI_VIEW_H

#include <curses.h>
#include "ccterm/action.h"
#include "ccterm/keymap.h"

struct app;

/* What a handler asks of the loop. */
enum view_result {
	VIEW_UNHANDLED = 0,
	VIEW_HANDLED = 1 << 0,
	VIEW_REDRAW = 1 << 1,
};

struct view_ops {
	const char *title;
	enum keyctx context;
	/* Draws into rows [top, top + height) of w. */
	void (*draw)(struct app *app, WINDOW *w, int top, int height);
	/* A named action from the keymap. */
	int (*action)(struct app *app, enum action a);
	/* A key no binding claimed (text entry); NULL when the view takes no text. */
	int (*key)(struct app *app, int key);
};

extern const struct view_ops view_home;
extern const struct view_ops view_help;
extern const struct view_ops view_pop;
extern const struct view_ops view_search;
extern const struct view_ops view_picker;
extern const struct view_ops view_detail;
extern const struct view_ops view_form;
extern const struct view_ops view_wallboard;

/* The floor changed: the wallboard fetches again (coalesced). */
void wallboard_stale(void);
/* Fetches when due; returns ms until the next fetch may run, 0 when none waits. */
int wallboard_refresh(struct app *app);

/* Per-view resets and inputs. */
void search_reset(void);
/* Opens the search screen with query run (one hit opens that customer). */
void search_run(struct app *app, const char *query);
void picker_reset(void);
struct timeline_item;
void detail_set(const struct timeline_item *it, char *body);
/* Saves the open draft (F10, and again when the database comes back). */
void form_save(struct app *app);

#endif
