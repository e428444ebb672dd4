/* app.c - curses set-up, the poll() loop on keyboard and database, the bars. */
#include "config.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "ccterm/floor.h"
#include "ccterm/format.h"
#include "ccterm/notify.h"
#include "cli/commands.h"
#include "app.h"
#include "draw.h"

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

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

void app_cursor(struct app *app, int y, int x)
{
	app->cursor_y = y;
	app->cursor_x = x;
}

void app_show(struct app *app, const struct view_ops *view)
{
	if (view != app->view)
		app->prev = app->view;
	app->view = view;
	app->dirty = true;
}

void app_db_error(struct app *app)
{
	if (!db_ok(app->db)) {
		app->db_down = true;
		app_message(app, "Database connection lost: reconnecting. Nothing you type is lost.");
	} else {
		app_message(app, "%s", db_error(app->db));
	}
}

void app_open_customer(struct app *app, long long customer_id)
{
	if (desk_open_customer(&app->desk, app->db, customer_id) < 0) {
		app_db_error(app);
		return;
	}
	app_show(app, &view_pop);
}

void app_open_detail(struct app *app, const struct timeline_item *it)
{
	char *body = NULL;

	if (db_interaction_body(app->db, it->id, &body) < 0) {
		app_db_error(app);
		return;
	}
	detail_set(it, body);
	app_show(app, &view_detail);
}

void app_take_call(struct app *app)
{
	struct desk *d = &app->desk;

	if (d->npending == 0) {
		app_message(app, "No call waiting.");
		return;
	}
	if (d->draft_open && d->draft_dirty && d->save != SAVE_DONE) {
		/* Never overwrite what was typed: it is saved or discarded first. */
		app_show(app, &view_form);
		app_message(app, "Finish the open contact first: F10 saves it, F8 discards it.");
		return;
	}
	if (desk_take_call(d, app->db) < 0) {
		app_db_error(app);
		return;
	}
	app->message[0] = '\0';
	if (d->ncands > 1) {
		picker_reset();
		app_show(app, &view_picker);
	} else {
		app_show(app, &view_form);
	}
}

/* A pop never steals focus or text: it is taken at once only when the
 * agent is not typing, else it waits in the banner for take-pop. */
static void app_offer_pops(struct app *app)
{
	struct desk *d = &app->desk;
	bool typing = app->in_command || app->view->key != NULL || (d->draft_open && d->draft_dirty && d->save != SAVE_DONE);

	if (d->npending && !typing)
		app_take_call(app);
	app->dirty = true;
}

static void app_queue_refresh(struct app *app)
{
	app->queue_waiting = db_queue_waiting(app->db);
	app->dirty = true;
}

void app_set_state(struct app *app, const char *state, const char *reason)
{
	if (db_agent_set_state(app->db, state, reason, &app->agent.state_since) < 0) {
		app_db_error(app);
		return;
	}
	snprintf(app->agent.state, sizeof(app->agent.state), "%s", state);
	app->dirty = true;
}

/* Wrap-up ends by itself: the agent is ready again after WRAP_UP_SECS. */
#define WRAP_UP_SECS 30
static void app_wrap_up_ends(struct app *app, time_t now)
{
	if (strcmp(app->agent.state, "wrap_up") == 0 && now - app->agent.state_since >= WRAP_UP_SECS)
		app_set_state(app, "ready", "wrap-up over");
}

static bool app_is_supervisor(const struct app *app)
{
	return strcmp(app->agent.role, "supervisor") == 0 || strcmp(app->agent.role, "admin") == 0;
}

/* The agent ends the call: wrap-up starts (and ends by itself). */
static void app_hangup(struct app *app)
{
	char state[16];
	int rc;

	if (!app->desk.has_call) {
		app_message(app, "No call to end.");
		return;
	}
	rc = db_call_hangup(app->db, app->desk.call.id, state);
	if (rc < 0) {
		app_db_error(app);
		return;
	}
	app_message(app, rc ? "Call ended: wrap-up. F5 ready when done (or it ends in %d s)."
			    : "The call had ended already.", WRAP_UP_SECS);
	if (db_agent_self(app->db, &app->agent) < 0)
		app_db_error(app);
}

/* After every (re)connect: LISTEN first, then re-read what is offered, so a
 * notification lost while disconnected loses nothing. */
static void app_connected(struct app *app)
{
	long long ids[DESK_MAX_PENDING];
	int n;

	if (notify_listen(app->db, app->agent.login) < 0 ||
	    (n = db_calls_offered(app->db, ids, DESK_MAX_PENDING)) < 0) {
		app_db_error(app);
		return;
	}
	for (int i = 0; i < n; i++)
		desk_offer(&app->desk, ids[i]);
	if (app_is_supervisor(app) && notify_listen_floor(app->db) < 0) {
		app_db_error(app);
		return;
	}
	app_queue_refresh(app);
	wallboard_stale();
	if (strcmp(app->agent.state, "logged_out") == 0)
		app_set_state(app, "not_ready", "login");
	if (desk_resume(&app->desk, app->db) < 0)
		app_db_error(app);
	app_offer_pops(app);
}

static void app_reconnect(struct app *app)
{
	time_t now = time(NULL);

	if (now < app->db_retry_at)
		return;
	app->db_retry_at = now + 1;
	app->dirty = true;
	if (!db_reset(app->db))
		return;
	app->db_down = false;
	app_message(app, "Database connection restored.");
	app_connected(app);
	if (app->desk.save == SAVE_WAITING)
		form_save(app);
}

static void app_notified(struct app *app)
{
	long long ids[DESK_MAX_PENDING];
	bool queues;
	int n = notify_drain(app->db, ids, DESK_MAX_PENDING, &queues);

	if (n < 0) {
		app_db_error(app);
		return;
	}
	if (queues) {
		app_queue_refresh(app);
		wallboard_stale();
		if (db_agent_self(app->db, &app->agent) < 0)
			app_db_error(app);
	}
	for (int i = 0; i < n; i++)
		desk_offer(&app->desk, ids[i]);
	if (n > 0)
		app_offer_pops(app);
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
	char line[512], since[16], clock[16], call[64] = "no call";
	time_t now = time(NULL);
	struct tm tm;

	localtime_r(&now, &tm);
	strftime(clock, sizeof(clock), "%H:%M:%S", &tm);
	fmt_duration((long)(now - app->agent.state_since), since, sizeof(since));
	if (app->desk.has_call && (strcmp(app->agent.state, "on_call") == 0 ||
				   strcmp(app->agent.state, "ringing") == 0)) {
		char t[16];

		fmt_duration((long)(now - app->desk.call_started), t, sizeof(t));
		snprintf(call, sizeof(call), "call #%lld %s", app->desk.call.id, t);
	}
	/* Most important first: what is cut on a narrow screen is the call detail. */
	snprintf(line, sizeof(line), " %s%s%s%s │ %s %s │ DB %s │ Q %ld │ %s", app->agent.name,
		 cols >= 100 ? " (" : "", cols >= 100 ? app->agent.login : "", cols >= 100 ? ")" : "",
		 app->agent.state, since, app->db_down ? "DOWN" : "ok",
		 app->queue_waiting < 0 ? 0 : app->queue_waiting, call);
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
	app->cursor_y = -1;
	app->view->draw(app, stdscr, 1, rows - 3);
	if (app->desk.npending && app->view != &view_picker) {
		char banner[160];

		snprintf(banner, sizeof(banner), "▶ Incoming call #%lld waiting%s: Ctrl-T takes it",
			 app->desk.pending[0], app->desk.npending > 1 ? " (and more)" : "");
		draw_text_pad(stdscr, rows - 2, 0, cols, banner, STYLE_SELECTED);
	} else {
		draw_text_pad(stdscr, rows - 2, 0, cols, app->message, STYLE_WARN);
	}
	draw_status(app, rows, cols);
	if (app->cursor_y >= 0)
		move(app->cursor_y, app->cursor_x);
	curs_set(app->cursor_y >= 0);
	refresh();
}

/* Esc: from a detail or list back to the customer, from the customer home. */
static void app_back(struct app *app)
{
	const struct view_ops *to = &view_home;

	if (app->view == &view_detail || app->view == &view_form || app->view == &view_help ||
	    app->view == &view_search)
		to = app->desk.has_call || app->desk.has_customer ? &view_pop : &view_home;
	if (app->view == &view_help && app->prev)
		to = app->prev;
	app_show(app, to);
}

void app_action(struct app *app, enum action a)
{
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
	case ACTION_COMMAND: commands_prompt(app); break;
	case ACTION_TAKE_POP: app_take_call(app); break;
	case ACTION_TOGGLE_READY:
		app_set_state(app, strcmp(app->agent.state, "ready") == 0 ? "not_ready" : "ready", NULL);
		break;
	case ACTION_BREAK: app_set_state(app, "break", "break key"); break;
	case ACTION_HANGUP: app_hangup(app); break;
	case ACTION_SEARCH: search_reset(); app_show(app, &view_search); break;
	case ACTION_CUSTOMER: app_show(app, &view_pop); break;
	case ACTION_WALLBOARD:
		if (!app_is_supervisor(app)) {
			app_message(app, "The floor boards are for supervisors.");
			break;
		}
		wallboard_stale();
		app_show(app, &view_wallboard);
		break;
	case ACTION_NEW_CONTACT:
		if (!app->desk.draft_open)
			desk_draft_new(&app->desk);
		app_show(app, &view_form);
		break;
	case ACTION_BACK: app_back(app); break;
	case ACTION_REFRESH: clearok(curscr, TRUE); app->dirty = true; break;
	default: app_message(app, "%s: not available here", action_name(a)); break;
	}
}

static void app_draw(struct app *app);

int app_idle(void *arg)
{
	struct app *app = arg;
	time_t now = time(NULL);

	if (app->db_down)
		app_reconnect(app);
	else
		app_notified(app);
	desk_sync(&app->desk, false);
	if (now != app->drawn_second) {
		app->drawn_second = now;
		app->dirty = true;
	}
	if (!app->dirty)
		return 0;
	app->dirty = false;
	/* libedit may have cleared below its row behind curses' back. */
	redrawwin(stdscr);
	app_draw(app);
	return 1;
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
	if (a != ACTION_NONE)
		app_action(app, a);
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
	typeahead(-1);    /* draw a frame in one go; keys are read by the loop anyway */
	curs_set(0);
	draw_init_colors();
}

int app_run(struct app *app)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(SIGHUP, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);

	curses_start();
	app->view = &view_home;
	if (app->desk.draft_open) {
		app->view = &view_form;
		if (app->desk.restore_note[0])
			app_message(app, "Draft restored from the journal%s. F10 saves it.", app->desk.restore_note);
		else
			app_message(app, "Your unsaved contact was restored from the journal. F10 saves it.");
	}
	app->dirty = true;
	app_connected(app);
	while (!app->quit && !got_hangup && !got_terminate) {
		struct pollfd fds[2] = {
			{ .fd = 0, .events = POLLIN },
			{ .fd = notify_fd(app->db), .events = POLLIN },
		};
		wint_t wc;
		int rc, timeout;
		time_t now = time(NULL);

		if (app->db_down)
			app_reconnect(app);
		else
			app_wrap_up_ends(app, now);

		if (now != app->drawn_second) {   /* the clocks tick once a second */
			app->drawn_second = now;
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
		/* Wake for the clock, and sooner when typed text awaits its fsync. */
		timeout = 1000 - (int)(now_ms() % 1000);
		if (desk_sync_pending(&app->desk) && timeout > JOURNAL_SYNC_MS)
			timeout = JOURNAL_SYNC_MS;
		if (app->view == &view_wallboard && !app->db_down) {
			int due = wallboard_refresh(app);

			if (due > 0 && due < timeout)
				timeout = due;
			if (app->dirty)
				continue;
		}
		if (poll(fds, fds[1].fd >= 0 ? 2 : 1, timeout) < 0 && errno != EINTR)
			break;
		desk_sync(&app->desk, false);
		if (fds[1].fd >= 0 && (fds[1].revents & (POLLIN | POLLHUP | POLLERR)))
			app_notified(app);
		if (fds[0].revents & (POLLHUP | POLLERR))
			got_hangup = 1;   /* the terminal went away (SSH drop) */
	}
	desk_sync(&app->desk, true);
	if (!app->db_down)   /* nobody routes calls to a console that is gone */
		db_agent_set_state(app->db, "logged_out", got_hangup ? "hangup" : "exit", &app->agent.state_since);
	endwin();
	return got_hangup ? 129 : got_terminate ? 143 : 0;
}
