/* app.h - the console's state and its one loop: keys -> actions -> views;
 * database events -> model -> dirty -> one redraw per turn. */
#ifndef CCTERM_UI_APP_H
#define CCTERM_UI_APP_H

#include <stdbool.h>

#include "ccterm/agent.h"
#include "ccterm/db.h"
#include "ccterm/keymap.h"
struct cmdline;

#include "desk.h"
#include "view.h"

enum { APP_MIN_ROWS = 24, APP_MIN_COLS = 80 };

struct app {
	struct db *db;
	struct keymap *keys;
	struct agent_info agent;
	const struct view_ops *view;   /* the screen shown */
	const struct view_ops *prev;   /* where Esc goes back to */
	struct desk desk;
	struct cmdline *cli;           /* the ':' command line */
	char message[256];             /* the message line: errors, hints */
	bool dirty;
	bool quit;
	long queue_waiting;            /* calls waiting in my queues, -1 unknown */
	int cursor_y, cursor_x;        /* where the text cursor shows, -1: hidden */
	bool in_command;               /* the ':' line is open: pops wait */
	time_t drawn_second;           /* the clocks redraw when this changes */
	bool db_down;                  /* lost: reconnect is tried once a second */
	time_t db_retry_at;
};

/* Runs until the agent quits or a hangup/terminate signal arrives. */
int app_run(struct app *app);
void app_message(struct app *app, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void app_show(struct app *app, const struct view_ops *view);
/* A view that takes text puts the cursor here while drawing. */
void app_cursor(struct app *app, int y, int x);
/* Shows the last database error on the message line (and notices a lost connection). */
void app_db_error(struct app *app);
void app_open_customer(struct app *app, long long customer_id);
void app_open_detail(struct app *app, const struct timeline_item *it);
/* Runs a named action as if its key was pressed. */
void app_action(struct app *app, enum action a);
void app_set_state(struct app *app, const char *state, const char *reason);
/* What the loop does while the agent types a command: notifications,
 * reconnects, journal syncs. Returns >0 when it redrew the screen. */
int app_idle(void *app);
/* Takes the oldest offered call: pop, then the contact form (or the picker). */
void app_take_call(struct app *app);

#endif
