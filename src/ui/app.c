/* app.c - curses set-up, the poll() loop on keyboard and database, the bars.
 * Views are reached only through their ops (views.c); data only through the
 * desk, which asks the gateway. */
#include "config.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "ccterm/format.h"
#include "ccterm/i18n.h"
#include "ccterm/utf8.h"
#include "cli/commands.h"
#include "gateway/gateway.h"
#include "gateway/relay_link.h"
#include "app.h"
#include "draw.h"

/* What the database changes is drawn at most once a frame: the replies that
 * follow a pop (the answer, the agent's state, the calls) come within a few
 * ms of each other and would each redraw the whole screen. A key, and a pop
 * itself, are drawn at once. */
#define APP_FRAME_MS 20

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

const struct view_ops *app_view(const struct app *app)
{
	return views[nav_current(&app->nav)];
}

void app_open(struct app *app, enum view_id v, const char *arg)
{
	nav_show(&app->nav, v);
	if (views[v]->open)
		views[v]->open(app, arg);
	app->dirty = true;
}

void app_open_customer(struct app *app, long long customer_id)
{
	app->want_customer = true;
	desk_open_customer(&app->desk, customer_id);
}

void app_open_detail(struct app *app, const struct timeline_item *it)
{
	app->want_detail = true;
	desk_open_detail(&app->desk, it);
}

static struct focus app_focus(const struct app *app)
{
	return (struct focus){
		.view_takes_text = app_view(app)->takes_text,
		.in_command = app->in_command,
		.draft_unsaved = desk_draft_unsaved(&app->desk),
		.taking = app->desk.taking != 0,
	};
}

void app_take_call(struct app *app)
{
	struct desk *d = &app->desk;

	if (d->npending == 0) {
		app_message(app, _("No call waiting."));
		return;
	}
	if (desk_draft_unsaved(d)) {
		/* Never overwrite what was typed: it is saved or discarded first. */
		app_open(app, VIEW_FORM, NULL);
		app_message(app, _("Finish the open contact first: F10 saves it, F8 discards it."));
		return;
	}
	app->auto_take = false;
	desk_take_call(d);
}

/* The desk asks when an offer arrives: the pop goes out at once when it
 * may take the screen (one round trip from the commit to the frame). */
static bool app_may_pop(void *arg)
{
	struct app *app = arg;
	struct focus f = app_focus(app);

	if (!nav_pop_may_take_focus(&f))
		return false;
	app->auto_take = true;
	return true;
}

/* A pop never steals focus or text: it is taken at once only when the
 * agent is not typing, else it waits in the banner for take-pop. */
static void app_offer_pops(struct app *app)
{
	struct focus f = app_focus(app);

	if (app->desk.npending && nav_pop_may_take_focus(&f)) {
		app->auto_take = true;
		desk_take_call(&app->desk);
	}
	app->dirty = true;
}

/* What the desk says changed: screens to open, the message line, and the
 * shown view's own handling. */
static void app_desk_events(struct app *app, unsigned ev)
{
	struct desk *d = &app->desk;
	const struct view_ops *v;

	if (!ev)
		return;
	app->dirty = true;
	if (ev & DESK_MESSAGE)
		snprintf(app->message, sizeof(app->message), "%s", d->message);
	if (ev & DESK_LOST) {
		app->was_lost = true;
		app_message(app, _("Database connection lost: reconnecting. Nothing you type is lost."));
	}
	if ((ev & DESK_CONNECTED) && app->was_lost) {
		app->was_lost = false;
		app_message(app, _("Database connection restored."));
	}
	if (ev & DESK_POPPED) {
		struct focus f = app_focus(app);

		app->urgent = true;
		f.taking = false;
		if (app->auto_take && !nav_pop_may_take_focus(&f)) {
			app_message(app, _("Call #%lld is yours: F3 its contact, F4 its customer."), d->call.id);
		} else {
			app->message[0] = '\0';
			app_open(app, d->ncands > 1 ? VIEW_PICKER : VIEW_FORM, NULL);
		}
		app->auto_take = false;
	}
	if ((ev & DESK_CUSTOMER) && app->want_customer) {
		app->want_customer = false;
		app_open(app, VIEW_POP, NULL);
	}
	if ((ev & DESK_DETAIL) && app->want_detail) {
		app->want_detail = false;
		app_open(app, VIEW_DETAIL, NULL);
	}
	v = app_view(app);
	if (v->event)
		v->event(app, ev);
	if (ev & DESK_OFFERED)
		app_offer_pops(app);
}

static void draw_title(struct app *app, int cols)
{
	char left[256];
	const char *keys = _("F1 Help  F2 Search  F3 New  F5 Ready  F10 Save ");
	int kw = utf8_width(keys);

	draw_bar(stdscr, 0, STYLE_TITLE);
	snprintf(left, sizeof(left), " ccterm │ %s", _(app_view(app)->title));
	draw_text(stdscr, 0, 0, cols, left, STYLE_TITLE);
	if (cols >= 60 && kw <= cols - 24)
		draw_text(stdscr, 0, cols - kw, kw, keys, STYLE_TITLE);
}

/* The agent's states as the database names them, as the agent reads them. */
static const char *const state_words[] = {
	N_("ready"), N_("not_ready"), N_("on_call"), N_("wrap_up"), N_("break"), N_("logged_out"), N_("offered"),
};

static const char *state_word(const char *state)
{
	for (size_t i = 0; i < sizeof(state_words) / sizeof(state_words[0]); i++)
		if (strcmp(state, state_words[i]) == 0)
			return _(state_words[i]);
	return state;
}

/* The status bar: the agent and their call as the database says them. */
static void draw_status(struct app *app, int rows, int cols)
{
	const struct desk *d = &app->desk;
	const struct agent_info *a = &d->now.agent;
	char line[512], since[16], clock[16], call[64], state[96];
	const char *dbs = !gateway_up(app->gw) ? _("DOWN") : gateway_stalled(app->gw) ? _("not responding") : _("ok");
	time_t now = time(NULL);
	struct tm tm;

	snprintf(call, sizeof(call), "%s", _("no call"));
	localtime_r(&now, &tm);
	strftime(clock, sizeof(clock), "%H:%M:%S", &tm);
	fmt_duration(desk_state_secs(d), since, sizeof(since));
	if (a->reason[0] && (strcmp(a->state, "break") == 0 || strcmp(a->state, "not_ready") == 0))
		snprintf(state, sizeof(state), "%s: %s", state_word(a->state), desk_pause_label(d, a->reason));
	else
		snprintf(state, sizeof(state), "%s", state_word(a->state));
	if (d->now.call_id && strcmp(d->now.call_state, "ended") != 0) {
		char t[16];

		fmt_duration(desk_call_secs(d), t, sizeof(t));
		snprintf(call, sizeof(call), _("call #%lld %s"), d->now.call_id, t);
	}
	/* Most important first: what is cut on a narrow screen is the call detail. */
	snprintf(line, sizeof(line), _(" %s%s%s%s │ %s %s │ DB %s │ Q %ld │ %s%s%s"), a->name,
		 cols >= 100 ? " (" : "", cols >= 100 ? a->login : "", cols >= 100 ? ")" : "",
		 state, since, dbs, d->now.queue_waiting < 0 ? 0 : d->now.queue_waiting,
		 d->case_alert[0] ? "! " : "", d->case_alert, d->case_alert[0] ? " │ " : "");
	snprintf(line + strlen(line), sizeof(line) - strlen(line), "%s", call);
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

		snprintf(msg, sizeof(msg), _("ccterm needs at least %dx%d; this terminal is %dx%d."),
			 APP_MIN_COLS, APP_MIN_ROWS, cols, rows);
		mvaddstr(0, 0, msg);
		mvaddstr(1, 0, _("Enlarge the window."));
		refresh();
		return;
	}
	draw_title(app, cols);
	app->cursor_y = -1;
	app_view(app)->draw(app, stdscr, 1, rows - 3);
	if (app->desk.npending && nav_current(&app->nav) != VIEW_PICKER) {
		char banner[160];

		snprintf(banner, sizeof(banner), _("▶ Incoming call #%lld waiting%s: Ctrl-T takes it"),
			 app->desk.pending[0], app->desk.npending > 1 ? _(" (and more)") : "");
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

void app_quit(struct app *app)
{
	struct desk *d = &app->desk;
	bool call = desk_on_call(d), draft = desk_draft_unsaved(d);

	if ((call || draft) && !app->quit_armed) {
		app->quit_armed = true;
		/* one 80-column line; the draft stays in the journal either way */
		app_message(app, "%s", call && draft ? _("Call open, contact not saved: Ctrl-Q again ends the call and quits.")
			    : call ? _("A call is open: Ctrl-Q again ends the call and quits.")
			    : _("The contact is not saved: Ctrl-Q again quits anyway."));
		return;
	}
	app->quit = true;
}

static void app_back(struct app *app)
{
	const struct view_ops *v = app_view(app);

	if (v->back && (v->back(app) & VIEW_HANDLED))
		return;
	nav_back(&app->nav);
	app->dirty = true;
}

void app_action(struct app *app, enum action a)
{
	const struct view_ops *v = app_view(app);
	struct desk *d = &app->desk;

	if (a != ACTION_QUIT)
		app->quit_armed = false;
	if (v->action) {
		int r = v->action(app, a);

		if (r & VIEW_HANDLED) {
			app->dirty |= (r & VIEW_REDRAW) != 0;
			return;
		}
	}
	switch (a) {
	case ACTION_QUIT: app_quit(app); break;
	case ACTION_HELP: app_open(app, VIEW_HELP, NULL); break;
	case ACTION_COMMAND: commands_prompt(app); break;
	case ACTION_TAKE_POP: app_take_call(app); break;
	case ACTION_TOGGLE_READY:
		desk_set_state(d, strcmp(d->now.agent.state, "ready") == 0 ? "not_ready" : "ready", NULL);
		break;
	case ACTION_BREAK: app_open(app, VIEW_PAUSE, NULL); break;
	case ACTION_HANGUP: desk_hangup(d); break;
	case ACTION_SEARCH: app_open(app, VIEW_SEARCH, ""); break;
	case ACTION_CASES: app_open(app, VIEW_CASES, NULL); break;
	case ACTION_CAMPAIGN_NEXT: app_open(app, VIEW_CAMPAIGN, NULL); break;
	case ACTION_CUSTOMER: app_open(app, VIEW_POP, NULL); break;
	case ACTION_WALLBOARD:
		if (!desk_is_supervisor(d)) {
			app_message(app, _("The floor boards are for supervisors."));
			break;
		}
		app_open(app, VIEW_WALLBOARD, NULL);
		break;
	case ACTION_RULES:
	case ACTION_AT_RISK:
		if (!desk_is_supervisor(d)) {
			app_message(app, _("The offer rules and the at-risk board are for supervisors."));
			break;
		}
		app_open(app, a == ACTION_RULES ? VIEW_RULES : VIEW_AT_RISK, NULL);
		break;
	case ACTION_CAMPAIGNS:
		if (!desk_is_supervisor(d)) {
			app_message(app, "The campaign board is for supervisors (Ctrl-N calls your next member).");
			break;
		}
		app_open(app, VIEW_CAMPAIGNS, NULL);
		break;
	case ACTION_OFFER_NEXT: desk_offer_next(d); break;
	case ACTION_OFFER_OFFERED: desk_offer_record(d, "offered"); break;
	case ACTION_OFFER_ACCEPTED: desk_offer_record(d, "accepted"); break;
	case ACTION_OFFER_DECLINED: desk_offer_record(d, "declined"); break;
	case ACTION_NEW_CONTACT:
		if (!d->draft_open)
			desk_draft_new(d);
		app_open(app, VIEW_FORM, NULL);
		break;
	case ACTION_BACK: app_back(app); break;
	case ACTION_REFRESH: clearok(curscr, TRUE); app->dirty = true; break;
	default: app_message(app, _("%s: not available here"), action_name(a)); break;
	}
}

/* One turn of everything but the keyboard; returns the ms the shown view
 * wants its next tick in (0: none). */
static int app_turn(struct app *app)
{
	const struct view_ops *v;
	time_t now = time(NULL);
	int due = 0;

	desk_tick(&app->desk);
	app_desk_events(app, desk_events(&app->desk));
	v = app_view(app);
	if (v->event)
		due = v->event(app, VIEW_EV_TICK);
	if (now != app->drawn_second) {   /* the clocks tick once a second */
		app->drawn_second = now;
		app->dirty = true;
	}
	return due;
}

int app_idle(void *arg)
{
	struct app *app = arg;
	struct pollfd pfd;

	gateway_pollfd(app->gw, &pfd);
	if (pfd.fd >= 0 && poll(&pfd, 1, 0) < 0)
		pfd.revents = 0;
	gateway_work(app->gw, pfd.revents);
	relay_link_pollfd(app->desk.relay, &pfd);
	if (pfd.fd >= 0 && poll(&pfd, 1, 0) < 0)
		pfd.revents = 0;
	relay_link_work(app->desk.relay, pfd.fd >= 0 ? pfd.revents : 0);
	if (app->board_gw) {
		gateway_pollfd(app->board_gw, &pfd);
		if (pfd.fd >= 0 && poll(&pfd, 1, 0) < 0)
			pfd.revents = 0;
		gateway_work(app->board_gw, pfd.fd >= 0 ? pfd.revents : 0);
	}
	desk_sync(&app->desk, false);
	app_turn(app);
	if (!app->dirty)
		return 0;
	app->dirty = false;
	/* libedit may have cleared below its row behind curses' back. */
	redrawwin(stdscr);
	app_draw(app);
	return 1;
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

static void app_key(struct app *app, int key)
{
	const struct view_ops *v = app_view(app);
	enum action a;

	gateway_heartbeat(app->gw);   /* the agent works: a stopped server shows */
	if (key == KEYC_RESIZE) {
		app->dirty = true;
		return;
	}
	a = keymap_lookup(app->keys, v->context, key);
	/* Text-taking views see printable keys before the generic bindings. */
	if (v->key && (a == ACTION_NONE || (key >= ' ' && key < KEYC_SPECIAL && key != 127))) {
		int r = v->key(app, key);

		if (r & VIEW_HANDLED) {
			app->quit_armed = false;
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
	draw_whole_frames();
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
	nav_init(&app->nav);
	if (app->desk.draft_open) {
		app_open(app, VIEW_FORM, NULL);
		if (app->desk.restore_note[0])
			app_message(app, _("Draft restored from the journal%s. F10 saves it."), app->desk.restore_note);
		else
			app_message(app, _("Your unsaved contact was restored from the journal. F10 saves it."));
	}
	app->dirty = true;
	app->desk.may_pop = app_may_pop;
	app->desk.ui = app;
	desk_attach_relay(&app->desk, app->desk.relay);
	desk_attach(&app->desk, app->gw);
	while (!app->quit && !got_hangup && !got_terminate) {
		struct pollfd fds[4] = { { .fd = 0, .events = POLLIN }, { .fd = -1 }, { .fd = -1 }, { .fd = -1 } };
		wint_t wc;
		int rc, timeout, due;

		due = app_turn(app);
		if (app->dirty && (app->urgent || now_ms() - app->drawn_ms >= APP_FRAME_MS)) {
			app->dirty = app->urgent = false;
			app_draw(app);
			app->drawn_ms = now_ms();
		}
		/* Drain curses' own buffer before sleeping in poll(). */
		while ((rc = get_wch(&wc)) != ERR) {
			int key = key_from_curses(rc, wc);

			if (key >= 0) {
				app_key(app, key);
				app->urgent = true;   /* what was typed shows at once */
			}
		}
		if ((app->dirty && app->urgent) || app->quit)
			continue;
		/* Wake for the clock, the journal's fsync, the gateway, the view,
		 * and a frame waiting for the frame clock. */
		timeout = 1000 - (int)(now_ms() % 1000);
		if (app->dirty) {
			long long wait = app->drawn_ms + APP_FRAME_MS - now_ms();

			timeout = wait > 0 ? (int)wait : 0;
		}
		if (desk_sync_pending(&app->desk) && timeout > JOURNAL_SYNC_MS)
			timeout = JOURNAL_SYNC_MS;
		rc = gateway_timeout(app->gw);
		if (rc >= 0 && rc < timeout)
			timeout = rc;
		if (due > 0 && due < timeout)
			timeout = due;
		rc = relay_link_timeout(app->desk.relay);
		if (rc >= 0 && rc < timeout)
			timeout = rc;
		gateway_pollfd(app->gw, &fds[1]);
		relay_link_pollfd(app->desk.relay, &fds[2]);
		if (app->board_gw) {
			rc = gateway_timeout(app->board_gw);
			if (rc >= 0 && rc < timeout)
				timeout = rc;
			gateway_pollfd(app->board_gw, &fds[3]);
		}
		if (poll(fds, 4, timeout) < 0 && errno != EINTR)   /* fd -1: left out */
			break;
		gateway_work(app->gw, fds[1].fd >= 0 ? fds[1].revents : 0);
		relay_link_work(app->desk.relay, fds[2].fd >= 0 ? fds[2].revents : 0);
		if (app->board_gw)
			gateway_work(app->board_gw, fds[3].fd >= 0 ? fds[3].revents : 0);
		desk_sync(&app->desk, false);
		if (fds[0].revents & (POLLHUP | POLLERR))
			got_hangup = 1;   /* the terminal went away (SSH drop) */
	}
	desk_sync(&app->desk, true);
	endwin();
	/* The boards' connection first: on the primary (a standby down) it
	 * would count as another console of this login, which keeps it logged in. */
	gateway_close(app->board_gw);
	app->board_gw = NULL;
	/* Nobody routes calls to a console that is gone. */
	desk_quit(&app->desk, got_hangup ? "hangup" : "exit", 2000);
	return got_hangup ? 129 : got_terminate ? 143 : 0;
}
