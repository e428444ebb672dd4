/* app.h - the console's screen and its one loop: keys -> actions -> views;
 * the gateway's replies -> the desk -> events -> one redraw per turn. */
#ifndef CCTERM_UI_APP_H
#define CCTERM_UI_APP_H

#include <stdbool.h>
#include <time.h>

#include "ccterm/keymap.h"
#include "desk/desk.h"
#include "nav.h"
#include "view.h"

struct cmdline;
struct gateway;

enum { APP_MIN_ROWS = 24, APP_MIN_COLS = 80 };

struct app {
	struct gateway *gw;
	struct gateway *board_gw;      /* ccterm -b: the boards' own (a standby); NULL: gw */
	struct keymap *keys;
	struct nav nav;                /* the screen shown and the way back */
	struct desk desk;
	struct cmdline *cli;           /* the ':' command line */
	char message[256];             /* the message line: errors, hints */
	bool dirty;
	bool urgent;                   /* a key or a pop: the frame is drawn now, not on the frame clock */
	long long drawn_ms;            /* the last frame (monotonic) */
	bool quit;
	bool quit_armed;               /* Ctrl-Q once with work open: asked */
	int cursor_y, cursor_x;        /* where the text cursor shows, -1: hidden */
	bool in_command;               /* the ':' line is open: pops wait */
	time_t drawn_second;           /* the clocks redraw when this changes */
	bool want_customer;            /* a customer asked for: show it when in */
	bool want_detail;
	bool auto_take;                /* the take in flight was the console's own */
	bool was_lost;
};

/* Runs until the agent quits or a hangup/terminate signal arrives. */
int app_run(struct app *app);
void app_message(struct app *app, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Shows a screen (arg goes to its open: a search query ...). */
void app_open(struct app *app, enum view_id v, const char *arg);
const struct view_ops *app_view(const struct app *app);
/* A view that takes text puts the cursor here while drawing. */
void app_cursor(struct app *app, int y, int x);
/* Asks for a customer / an interaction; their screen opens when they are in. */
void app_open_customer(struct app *app, long long customer_id);
void app_open_detail(struct app *app, const struct timeline_item *it);
/* Runs a named action as if its key was pressed. */
void app_action(struct app *app, enum action a);
/* Ctrl-Q and :quit: asks first when a call or an unsaved contact is open. */
void app_quit(struct app *app);
/* What the loop does while the agent types a command: replies,
 * notifications, reconnects, journal syncs. Returns >0 when it redrew. */
int app_idle(void *app);
/* Takes the oldest offered call: pop, then the contact form (or the picker). */
void app_take_call(struct app *app);

#endif
