/* app.h - the console's state and its one loop: keys -> actions -> views;
 * database events -> model -> dirty -> one redraw per turn. */
#ifndef CCTERM_UI_APP_H
#define CCTERM_UI_APP_H

#include <stdbool.h>

#include "ccterm/agent.h"
#include "ccterm/db.h"
#include "ccterm/keymap.h"
#include "view.h"

enum { APP_MIN_ROWS = 24, APP_MIN_COLS = 80 };

struct app {
	struct db *db;
	struct keymap *keys;
	struct agent_info agent;
	const struct view_ops *view;   /* the screen shown */
	const struct view_ops *prev;   /* where Esc goes back to */
	char message[256];             /* the message line: errors, hints */
	bool dirty;
	bool quit;
};

/* Runs until the agent quits or a hangup/terminate signal arrives. */
int app_run(struct app *app);
void app_message(struct app *app, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void app_show(struct app *app, const struct view_ops *view);

#endif
