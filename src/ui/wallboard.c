/* wallboard.c - the supervisor's floor (F9): queues with their service
 * level and its trend, the agent board (a list, or a grid of cells), the
 * satisfaction index by branch with its week, and the cases to look at now.
 * Enter on a queue drills down to its waiting calls and agents (Esc comes
 * back to the same queue); Enter on a case opens it. Refreshed by the
 * 'floor' notification, at most ten times a second, one query a board (the
 * cases' with it); the queues' trends, which cost more than the board, at
 * most once a second and when the quarter turns. The one-second tick only
 * advances the clocks. Drawing is wallboard_draw.c's. */
#include "config.h"

#include <langinfo.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ccterm/board_source.h"
#include "ccterm/format.h"
#include "ccterm/i18n.h"
#include "gateway/gateway.h"
#include "app.h"
#include "cases.h"
#include "wallboard.h"

#define REFRESH_MS 100
#define TRENDS_MS 1000    /* the trends at most this often: the floor's event-to-screen target is 1 s */
#define SOURCE_MS 5000    /* on a standby (-b): how stale, asked again this often */

static struct wallboard B;   /* zero: in .bss, untouched until the board opens */

static struct {
	bool stale;                /* the floor changed since the last fetch */
	int fetching;              /* replies on their way */
	bool trends_stale, trends_fetching;
	long long trends_ms;       /* when the trends were asked */
	struct floor_queues fq;    /* where the replies go */
	struct floor_trends ft;
	struct floor_agents fa;
	struct floor_branches fb;
	struct floor_cases fc;
	struct queue_drill qd;
	struct agent_day day;
	char day_login[64];
	char sel_login[64];        /* the agent selected, kept across re-sorts */
	int asked;                 /* what the reply on its way is: a tab, or -1 the drill-down */
	long drill_sel, drill_top; /* the queue's place, for Esc */
	long long fetched_ms;      /* when, for coalescing */
	time_t fetched_at;         /* when, for the clocks */
	struct board_source src;   /* primary or standby, how stale (ccterm -b) */
} W = { .stale = true, .trends_stale = true };

/* The boards' connection: a standby's with -b, else the console's. */
static struct gateway *board_gw(struct app *app)
{
	return app->board_gw ? app->board_gw : app->gw;
}

static void source_done(void *arg, const struct gw_reply *r)
{
	if (r->rc != 0)
		W.src.known = false;
	((struct app *)arg)->dirty = true;
}

static long long mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void remember_agent(void)
{
	if (B.tab == TAB_AGENTS && !B.drill_queue && B.sel >= 0 && B.sel < B.nagents)
		snprintf(W.sel_login, sizeof(W.sel_login), "%s", B.agents[B.sel].login);
}

/* After a re-read the selection follows its agent, wherever the sort put them. */
static void follow_agent(void)
{
	if (!W.sel_login[0])
		return;
	for (int i = 0; i < B.nagents; i++)
		if (strcmp(B.agents[i].login, W.sel_login) == 0) {
			B.sel = i;
			return;
		}
}

static void fetched(void *arg, const struct gw_reply *r)
{
	struct app *app = arg;

	if (W.fetching > 0)
		W.fetching--;
	W.fetched_at = time(NULL);
	if (r->rc != 0) {
		/* asked again once reconnected (the boards' own connection, -b, may
		 * be lost with nothing else happening on the floor) */
		if (r->lost)
			W.stale = W.trends_stale = true;
		app_message(app, "%s", r->lost ? _("Database connection lost: reconnecting.") : r->error);
		return;
	}
	/* What was asked, even when the supervisor has moved on since. */
	if (W.asked < 0) {
		B.ndrill = W.qd.n;
		B.drill_calls = W.qd.calls;
	} else if (W.asked == TAB_QUEUES) {
		B.nqueues = W.fq.n;
	} else if (W.asked == TAB_AGENTS) {
		B.nagents = W.fa.n;
		B.agents_total = W.fa.total;
		if (B.tab == TAB_AGENTS)
			follow_agent();
	} else if (W.asked == TAB_SATISFACTION) {
		B.nbranches = W.fb.n;
	}
	app->dirty = true;
}

static void cases_fetched(void *arg, const struct gw_reply *r)
{
	struct app *app = arg;

	if (W.fetching > 0)
		W.fetching--;
	if (r->rc != 0)
		return;   /* the board's own reply says why */
	B.ncases = W.fc.n;
	B.cases_read = true;
	app->dirty = true;
}

static void trends_fetched(void *arg, const struct gw_reply *r)
{
	struct app *app = arg;

	W.trends_fetching = false;
	if (r->rc != 0) {
		W.trends_stale = true;   /* the board's own reply says why */
		return;
	}
	B.ntrends = W.ft.n;
	W.ft.quarter_end = W.ft.quarter_end ? W.ft.quarter_end : time(NULL) + 900;
	app->dirty = true;
}

/* The queue board's trends, when the floor moved or the quarter turned and the
 * last were asked a second ago. Returns the milliseconds until it may ask, 0
 * when nothing waits. */
static int trends_refresh(struct app *app, long long now)
{
	long long wait = W.trends_ms + TRENDS_MS - now;
	struct db_request rq;

	if (B.tab != TAB_QUEUES || B.drill_queue || W.trends_fetching)
		return 0;
	if (!W.trends_stale && time(NULL) < W.ft.quarter_end)
		return 0;
	if (wait > 0)
		return (int)wait;
	if (!gateway_up(board_gw(app)))
		return 0;
	W.trends_ms = now;
	W.trends_stale = false;
	W.ft = (struct floor_trends){ .rows = B.trends, .max = WB_MAX_QUEUES, .quarter_end = W.ft.quarter_end };
	db_queue_trends_request(&rq);
	W.trends_fetching = true;
	if (gateway_send(board_gw(app), &rq, db_queue_trends_read, &W.ft, trends_fetched, app) < 0) {
		W.trends_fetching = false;
		W.trends_stale = true;
	}
	return 0;
}

static int board_refresh(struct app *app, long long now)
{
	long long wait = W.fetched_ms + REFRESH_MS - now;
	struct db_request rq, cq;
	db_read_fn *read = NULL;
	void *out = NULL;

	if (app->board_gw && !W.fetching && now - W.fetched_ms >= SOURCE_MS)
		W.stale = true;
	if (!W.stale || W.fetching)
		return 0;
	if (wait > 0)
		return (int)wait;
	if (!gateway_up(board_gw(app)))
		return 0;
	W.fetched_ms = now;
	W.asked = B.drill_queue ? -1 : (int)B.tab;
	if (B.drill_queue) {
		W.qd = (struct queue_drill){ .rows = B.drill, .max = WB_MAX_DRILL };
		db_queue_drill_request(&rq, B.drill_queue);
		read = db_queue_drill_read;
		out = &W.qd;
	} else if (B.tab == TAB_QUEUES) {
		W.fq = (struct floor_queues){ .rows = B.queues, .max = WB_MAX_QUEUES };
		db_wallboard_queues_request(&rq);
		read = db_wallboard_queues_read;
		out = &W.fq;
	} else if (B.tab == TAB_AGENTS) {
		W.fa = (struct floor_agents){ .rows = B.agents, .max = WB_AGENT_PAGE };
		db_wallboard_agents_request(&rq, B.sort, B.offset, WB_AGENT_PAGE);
		read = db_wallboard_agents_read;
		out = &W.fa;
	} else if (B.tab == TAB_SATISFACTION) {
		if (!B.branches)
			B.branches = calloc(WB_MAX_BRANCHES, sizeof(*B.branches));
		if (!B.branches)
			return 0;
		W.fb = (struct floor_branches){ .rows = B.branches, .max = WB_MAX_BRANCHES };
		db_branch_satisfaction_request(&rq);
		read = db_branch_satisfaction_read;
		out = &W.fb;
	}
	/* Set before: a reply may run inside the send (a connection lost right there). */
	W.stale = false;
	if (app->board_gw) {
		struct db_request sq;

		db_board_source_request(&sq);
		gateway_send(app->board_gw, &sq, db_board_source_read, &W.src, source_done, app);
	}
	if (read) {
		W.fetching++;
		if (gateway_send(board_gw(app), &rq, read, out, fetched, app) < 0) {
			W.fetching--;
			W.stale = true;
			return 0;
		}
	}
	W.fc = (struct floor_cases){ .rows = B.cases, .max = WB_MAX_CASES };
	db_floor_cases_request(&cq, WB_MAX_CASES);
	W.fetching++;
	if (gateway_send(board_gw(app), &cq, db_floor_cases_read, &W.fc, cases_fetched, app) < 0)
		W.fetching--;
	return 0;
}

/* Asks for the visible board (and the cases) when stale and the last fetch
 * is 100 ms old, and the trends (above). Returns the milliseconds until it may
 * ask, 0 when nothing waits. */
static int wallboard_refresh(struct app *app)
{
	long long now = mono_ms();
	int board = board_refresh(app, now), trends = trends_refresh(app, now);

	return board && trends ? (board < trends ? board : trends) : board + trends;
}

static int wallboard_event(struct app *app, unsigned ev)
{
	if (ev & DESK_FLOOR)
		W.stale = W.trends_stale = true;
	return wallboard_refresh(app);
}

static void wallboard_open(struct app *app, const char *arg)
{
	const char *cs = nl_langinfo(CODESET), *nc = getenv("NO_COLOR");

	B.spark = spark_charset_for(cs, nc && *nc);   /* NO_COLOR as draw.c reads it */
	W.stale = W.trends_stale = true;
	W.trends_ms = 0;
	(void)app;
	(void)arg;
}

static long list_len(void)
{
	if (B.drill_queue)
		return 0;
	switch (B.tab) {
	case TAB_QUEUES: return B.nqueues;
	case TAB_AGENTS: return B.nagents;
	case TAB_SATISFACTION: return B.nbranches;
	default: return B.ncases;
	}
}

static void wallboard_draw(struct app *app, WINDOW *w, int top, int height)
{
	B.elapsed = W.fetched_at ? (long)(time(NULL) - W.fetched_at) : 0;
	board_source_label(&W.src, B.source, sizeof(B.source));
	B.source_warn = W.src.standby && W.src.lag_secs >= 5;
	wallboard_paint(&B, w, top, height);
	(void)app;
}

static void day_fetched(void *arg, const struct gw_reply *r)
{
	struct app *app = arg;
	char ready[16], oncall[16], wrap[16], brk[16];

	if (r->rc != 0) {
		app_message(app, "%s", r->lost ? _("Database connection lost: reconnecting.") : r->error);
		return;
	}
	fmt_duration(W.day.ready, ready, sizeof(ready));
	fmt_duration(W.day.on_call, oncall, sizeof(oncall));
	fmt_duration(W.day.wrap_up, wrap, sizeof(wrap));
	fmt_duration(W.day.on_break, brk, sizeof(brk));
	snprintf(B.day_line, sizeof(B.day_line), _("%s today: ready %s · on call %s · wrap-up %s · break %s · occupancy %.0f%%"),
		 W.day_login, ready, oncall, wrap, brk, agent_day_occupancy(&W.day));
	app->dirty = true;
}

static void open_selected(struct app *app)
{
	B.day_line[0] = '\0';
	if (B.drill_queue)
		return;
	if (B.tab == TAB_AGENTS && B.sel < B.nagents) {
		struct db_request rq;

		snprintf(W.day_login, sizeof(W.day_login), "%s", B.agents[B.sel].login);
		db_agent_day_request(&rq, W.day_login);
		if (gateway_send(app->gw, &rq, db_agent_day_read, &W.day, day_fetched, app) < 0)
			app_message(app, "%s", _("The database is not reachable."));
	} else if (B.tab == TAB_QUEUES && B.sel < B.nqueues) {
		B.drill_queue = B.queues[B.sel].id;
		snprintf(B.drill_name, sizeof(B.drill_name), "%s", B.queues[B.sel].name);
		W.drill_sel = B.sel;
		W.drill_top = B.top;
		B.ndrill = B.drill_calls = 0;
		B.sel = B.top = 0;
		W.stale = true;
		W.fetched_ms = 0;
	} else if (B.tab == TAB_CASES && B.sel < B.ncases) {
		cases_open_case(app, B.cases[B.sel].id);
	}
}

static int wallboard_back(struct app *app)
{
	(void)app;
	if (!B.drill_queue)
		return VIEW_UNHANDLED;
	B.drill_queue = 0;
	B.sel = W.drill_sel;
	B.top = W.drill_top;
	W.stale = W.trends_stale = true;
	W.fetched_ms = W.trends_ms = 0;
	return VIEW_HANDLED | VIEW_REDRAW;
}

static void show_tab(enum wb_tab t)
{
	B.tab = t;
	B.drill_queue = 0;
	B.sel = B.top = 0;
	B.day_line[0] = '\0';
	W.sel_login[0] = '\0';
	W.stale = W.trends_stale = true;
	W.fetched_ms = W.trends_ms = 0;
}

static int wallboard_action(struct app *app, enum action a)
{
	int page = wallboard_list_rows(&B, getmaxy(stdscr) - 3, getmaxx(stdscr));

	if (B.tab == TAB_AGENTS && B.grid)
		page = wallboard_grid_capacity(getmaxy(stdscr) - 6, getmaxx(stdscr));
	if (page < 1)
		page = 1;
	switch (a) {
	case ACTION_UP: if (B.sel > 0) B.sel--; break;
	case ACTION_DOWN: if (B.sel + 1 < list_len()) B.sel++; break;
	case ACTION_HOME: B.sel = 0; break;
	case ACTION_END: B.sel = list_len() > 0 ? list_len() - 1 : 0; break;
	case ACTION_PAGE_DOWN:
	case ACTION_PAGE_UP:
		if (B.tab == TAB_AGENTS && !B.drill_queue) {   /* the agent board pages in the database */
			B.offset += a == ACTION_PAGE_DOWN ? WB_AGENT_PAGE : -WB_AGENT_PAGE;
			if (B.offset >= B.agents_total)
				B.offset -= WB_AGENT_PAGE;
			if (B.offset < 0)
				B.offset = 0;
			B.sel = B.top = 0;
			W.sel_login[0] = '\0';
			W.stale = true;
			return VIEW_HANDLED | VIEW_REDRAW;
		}
		B.sel += a == ACTION_PAGE_DOWN ? page : -page;
		if (B.sel >= list_len())
			B.sel = list_len() - 1;
		if (B.sel < 0)
			B.sel = 0;
		break;
	case ACTION_OPEN: open_selected(app); break;
	case ACTION_GRID:
		if (B.tab != TAB_AGENTS) {
			show_tab(TAB_AGENTS);
			B.grid = true;
		} else {
			B.grid = !B.grid;
		}
		break;
	case ACTION_REFRESH: W.stale = W.trends_stale = true; break;
	default: return VIEW_UNHANDLED;
	}
	remember_agent();
	return VIEW_HANDLED | VIEW_REDRAW;
}

static int wallboard_key(struct app *app, int key)
{
	(void)app;
	if (key >= '1' && key < '1' + TAB_COUNT) {
		show_tab((enum wb_tab)(key - '1'));
		return VIEW_HANDLED | VIEW_REDRAW;
	}
	if (key == 's' && B.tab == TAB_AGENTS && !B.drill_queue) {
		B.sort = (B.sort + 1) % (AGENT_SORT_HANDLED + 1);
		B.offset = B.sel = B.top = 0;
		W.sel_login[0] = '\0';
		W.stale = true;
		return VIEW_HANDLED | VIEW_REDRAW;
	}
	return VIEW_UNHANDLED;
}

const struct view_ops view_wallboard = {
	.title = N_("Floor"),
	.context = KEYCTX_WALLBOARD,
	.open = wallboard_open,
	.event = wallboard_event,
	.draw = wallboard_draw,
	.action = wallboard_action,
	.key = wallboard_key,
	.back = wallboard_back,
};
