/* app.c - curses set-up, the poll() loop on keyboard and database, the bars. */
#include "config.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "ccterm/format.h"
#include "app.h"
#include "draw.h"

/* Signal handlers only set flags; the loop acts on them. */
static volatile sig_atomic_t got_hangup, got_terminate;

static void on_signal(int sig)
{
	if (sig == SIGHUP)
		got_hangup = 1;
	else
		got_terminate = 1;
}

void app_message(struct app *app, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(app->message, sizeof(app->message), fmt, ap);
	va_end(ap);
	app->dirty = true;
}

void app_show(struct app *app, const struct view_ops *view)
{
	if (view != app->view)
		app->prev = app->view;
	app->view = view;
	app->dirty = true;
}

/* curses key codes to ccterm's own (keymap.h knows no curses). */
static int key_from_curses(int rc, wint_t wc)
{
	if (rc == OK)
		return wc == '\n' ? 13 : (int)wc;
	if (wc >= (wint_t)KEY_F(1) && wc <= (wint_t)KEY_F(24))
		return KEYC_F((int)wc - KEY_F0);
	switch (wc) {
	case KEY_UP: return KEYC_UP;
	case KEY_DOWN: return KEYC_DOWN;
	case KEY_LEFT: return KEYC_LEFT;
	case KEY_RIGHT: return KEYC_RIGHT;
	case KEY_HOME: return KEYC_HOME;
	case KEY_END: return KEYC_END;
	case KEY_PPAGE: return KEYC_PGUP;
	case KEY_NPAGE: return KEYC_PGDN;
	case KEY_IC: return KEYC_INSERT;
	case KEY_DC: return KEYC_DELETE;
	case KEY_BTAB: return KEYC_BTAB;
	case KEY_ENTER: return 13;
	case KEY_BACKSPACE: return 127;
	case KEY_RESIZE: return KEYC_RESIZE;
	default: return -1;
	}
}

static void draw_title(struct app *app, int cols)
{
	char left[256];

	draw_bar(stdscr, 0, STYLE_TITLE);
	snprintf(left, sizeof(left), " ccterm │ %s", app->view->title);
	draw_text(stdscr, 0, 0, cols, left, STYLE_TITLE);
	if (cols >= 60)
		draw_text(stdscr, 0, cols - 48, 48, "F1 Help  F2 Search  F3 New  F5 Ready  F10 Save ",
			  STYLE_TITLE);
}

static void draw_status(struct app *app, int rows, int cols)
{
	char line[512], since[16], clock[16];
	time_t now = time(NULL);
	struct tm tm;

	localtime_r(&now, &tm);
	strftime(clock, sizeof(clock), "%H:%M:%S", &tm);
	fmt_duration((long)(now - app->agent.state_since), since, sizeof(since));
	snprintf(line, sizeof(line), " %s (%s) │ %s %s │ no call │ DB %s",
		 app->agent.name, app->agent.login, app->agent.state, since,
		 db_ok(app->db) ? "ok" : "DOWN");
	draw_bar(stdscr, rows - 1, STYLE_STATUS);
	draw_text(stdscr, rows - 1, 0, cols - 10, line, STYLE_STATUS);
	draw_text(stdscr, rows - 1, cols - 9, 9, clock, STYLE_STATUS);
}

static void app_draw(struct app *app)
{
	int rows, cols;

	getmaxyx(stdscr, rows, cols);
	erase();
	if (rows < APP_MIN_ROWS || cols < APP_MIN_COLS) {
		char msg[128];

		snprintf(msg, sizeof(msg), "ccterm needs at least %dx%d; this terminal is %dx%d.",
			 APP_MIN_COLS, APP_MIN_ROWS, cols, rows);
		mvaddstr(0, 0, msg);
		mvaddstr(1, 0, "Enlarge the window.");
		refresh();
		return;
	}
	draw_title(app, cols);
	app->view->draw(app, stdscr, 1, rows - 3);
	draw_text_pad(stdscr, rows - 2, 0, cols, app->message, STYLE_WARN);
	draw_status(app, rows, cols);
	refresh();
}

static void app_key(struct app *app, int key)
{
	enum action a;

	if (key == KEYC_RESIZE) {
		app->dirty = true;
		return;
	}
	a = keymap_lookup(app->keys, app->view->context, key);
	/* Text-taking views see printable keys before the generic bindings. */
	if (app->view->key && (a == ACTION_NONE || (key >= ' ' && key < KEYC_SPECIAL && key != 127))) {
		int r = app->view->key(app, key);

		if (r & VIEW_HANDLED) {
			app->dirty |= (r & VIEW_REDRAW) != 0;
			return;
		}
	}
	if (a == ACTION_NONE)
		return;
	if (app->view->action) {
		int r = app->view->action(app, a);

		if (r & VIEW_HANDLED) {
			app->dirty |= (r & VIEW_REDRAW) != 0;
			return;
		}
	}
	switch (a) {
	case ACTION_QUIT: app->quit = true; break;
	case ACTION_HELP: app_show(app, &view_help); break;
	case ACTION_BACK: app_show(app, app->prev && app->prev != app->view ? app->prev : &view_home); break;
	case ACTION_REFRESH: clearok(curscr, TRUE); app->dirty = true; break;
	default: app_message(app, "%s: not available here", action_name(a)); break;
	}
}

static void curses_start(void)
{
	initscr();
	raw();            /* ^S, ^Q, ^C are keys, not flow control or signals */
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	nodelay(stdscr, TRUE);
	set_escdelay(50);
	curs_set(0);
	draw_init_colors();
}

int app_run(struct app *app)
{
	struct sigaction sa;
	time_t drawn_second = 0;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(SIGHUP, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);

	curses_start();
	app->view = &view_home;
	app->dirty = true;
	while (!app->quit && !got_hangup && !got_terminate) {
		struct pollfd fds[2] = {
			{ .fd = 0, .events = POLLIN },
			{ .fd = PQsocket(db_pg(app->db)), .events = POLLIN },
		};
		wint_t wc;
		int rc;
		time_t now = time(NULL);

		if (now != drawn_second) {   /* the clocks tick once a second */
			drawn_second = now;
			app->dirty = true;
		}
		if (app->dirty) {
			app->dirty = false;
			app_draw(app);
		}
		/* Drain curses' own buffer before sleeping in poll(). */
		while ((rc = get_wch(&wc)) != ERR) {
			int key = key_from_curses(rc, wc);

			if (key >= 0)
				app_key(app, key);
		}
		if (app->dirty || app->quit)
			continue;
		if (poll(fds, fds[1].fd >= 0 ? 2 : 1, 1000) < 0 && errno != EINTR)
			break;
		if (fds[1].fd >= 0 && (fds[1].revents & (POLLIN | POLLHUP | POLLERR))) {
			PQconsumeInput(db_pg(app->db));
			if (!db_ok(app->db))
				app_message(app, "database connection lost: %s", PQerrorMessage(db_pg(app->db)));
		}
		if (fds[0].revents & (POLLHUP | POLLERR))
			got_hangup = 1;   /* the terminal went away (SSH drop) */
	}
	endwin();
	return got_hangup ? 129 : got_terminate ? 143 : 0;
}
