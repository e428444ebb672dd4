/* wallboard.c - the supervisor's floor (F9): queues with their service
 * level, the agent board, and the satisfaction index by branch. Refreshed by
 * the 'floor' notification, at most ten times a second, one query each; the
 * one-second tick only advances the clocks from the last figures. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ccterm/board_source.h"
#include "ccterm/floor.h"
#include "ccterm/format.h"
#include "gateway/gateway.h"
#include "app.h"
#include "draw.h"

#define MAX_QUEUES 200
#define AGENT_PAGE 100
#define MAX_BRANCHES 2000
#define REFRESH_MS 100
#define SOURCE_MS 5000

enum tab { TAB_QUEUES, TAB_AGENTS, TAB_SATISFACTION, TAB_COUNT };
static const char *const tab_names[] = { "1 Queues", "2 Agents", "3 Satisfaction" };
static const char *const sort_names[] = { "state", "time in state", "login", "name", "calls today" };

static struct {
	enum tab tab;
	bool stale;                /* the floor changed since the last fetch */
	bool fetching;             /* a fetch is on its way */
	struct floor_queues fq;    /* where the replies go */
	struct floor_agents fa;
	struct floor_branches fb;
	struct agent_day day;
	char day_login[64];
	long long fetched_ms;      /* when, for coalescing */
	time_t fetched_at;         /* when, for the clocks */
	struct queue_stat queues[MAX_QUEUES];
	int nqueues;
	struct agent_stat agents[AGENT_PAGE];
	int nagents;
	long agents_total, offset;
	enum agent_sort sort;
	struct branch_sat *branches;
	int nbranches;
	long sel, top;             /* selection in the current list */
	char drill[256];           /* the selected agent's day, after Enter */
	struct board_source src;   /* primary or standby, how stale (ccterm -b) */
} W = { .stale = true };

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

static void fetched(void *arg, const struct gw_reply *r)
{
	struct app *app = arg;

	W.fetching = false;
	W.fetched_at = time(NULL);
	if (r->rc != 0) {
		/* asked again once reconnected (the boards' own connection, -b, may
		 * be lost with nothing else happening on the floor) */
		if (r->lost)
			W.stale = true;
		app_message(app, "%s", r->lost ? "Database connection lost: reconnecting." : r->error);
		return;
	}
	if (W.tab == TAB_QUEUES)
		W.nqueues = W.fq.n;
	else if (W.tab == TAB_AGENTS) {
		W.nagents = W.fa.n;
		W.agents_total = W.fa.total;
	} else {
		W.nbranches = W.fb.n;
	}
	app->dirty = true;
}

/* Asks for the visible tab when stale and the last fetch is 100 ms old.
 * Returns the milliseconds until it may ask, 0 when nothing waits. */
static int wallboard_refresh(struct app *app)
{
	long long now = mono_ms(), wait = W.fetched_ms + REFRESH_MS - now;
	struct db_request rq;
	db_read_fn *read = NULL;
	void *out = NULL;

	/* On a standby (-b) how stale the figures are changes with nothing
	 * happening on the floor: asked again every SOURCE_MS. */
	if (app->board_gw && !W.fetching && now - W.fetched_ms >= SOURCE_MS)
		W.stale = true;
	if (!W.stale || W.fetching)
		return 0;
	if (wait > 0)
		return (int)wait;
	if (!gateway_up(board_gw(app)))
		return 0;
	W.fetched_ms = now;
	switch (W.tab) {
	case TAB_QUEUES:
		W.fq = (struct floor_queues){ .rows = W.queues, .max = MAX_QUEUES };
		db_wallboard_queues_request(&rq);
		read = db_wallboard_queues_read;
		out = &W.fq;
		break;
	case TAB_AGENTS:
		W.fa = (struct floor_agents){ .rows = W.agents, .max = AGENT_PAGE };
		db_wallboard_agents_request(&rq, W.sort, W.offset, AGENT_PAGE);
		read = db_wallboard_agents_read;
		out = &W.fa;
		break;
	default:
		if (!W.branches)
			W.branches = calloc(MAX_BRANCHES, sizeof(*W.branches));
		if (!W.branches)
			return 0;
		W.fb = (struct floor_branches){ .rows = W.branches, .max = MAX_BRANCHES };
		db_branch_satisfaction_request(&rq);
		read = db_branch_satisfaction_read;
		out = &W.fb;
		break;
	}
	/* Set before: fetched may run inside the send (a connection lost right there). */
	W.stale = false;
	W.fetching = true;
	if (app->board_gw) {
		struct db_request sq;

		db_board_source_request(&sq);
		gateway_send(app->board_gw, &sq, db_board_source_read, &W.src, source_done, app);
	}
	if (gateway_send(board_gw(app), &rq, read, out, fetched, app) < 0) {
		W.stale = true;
		W.fetching = false;
	}
	return 0;
}

static int wallboard_event(struct app *app, unsigned ev)
{
	if (ev & DESK_FLOOR)
		W.stale = true;
	return wallboard_refresh(app);
}

static void wallboard_open(struct app *app, const char *arg)
{
	W.stale = true;
	(void)app;
	(void)arg;
}

static long list_len(void)
{
	return W.tab == TAB_QUEUES ? W.nqueues : W.tab == TAB_AGENTS ? W.nagents : W.nbranches;
}

static void fit_selection(int rows)
{
	if (W.sel >= list_len())
		W.sel = list_len() > 0 ? list_len() - 1 : 0;
	if (W.sel < W.top)
		W.top = W.sel;
	if (rows > 0 && W.sel >= W.top + rows)
		W.top = W.sel - rows + 1;
}

static void pct(double v, char *out, size_t sz)
{
	if (v < 0)
		snprintf(out, sz, "-");
	else
		snprintf(out, sz, "%.1f%%", v);
}

/* One column of a board row: text cut to width display columns (an ellipsis
 * at a character boundary), padded, and the blank after it. */
static void cell(WINDOW *w, int y, int x, int width, const char *text, enum draw_style st)
{
	draw_text_pad(w, y, x, width + 1, "", st);
	draw_text(w, y, x, width, text, st);
}

static void draw_queues(WINDOW *w, int y, int ymax, int cols, long elapsed)
{
	char line[320], sl[16], target[16], asa[16], wait[16];

	snprintf(line, sizeof(line), "%-14s %5s %7s %6s %6s %6s %7s %7s %6s  %s", "queue", "wait", "longest",
		 "offer", "answ", "aband", "SL", "target", "ASA", "rdy/call/wrap/brk");
	draw_text(w, y++, 1, cols - 2, line, STYLE_HEADING);
	fit_selection(ymax - y);
	for (long i = W.top; i < W.nqueues && y < ymax; i++) {
		const struct queue_stat *q = &W.queues[i];
		bool missed = q->service_level_pct >= 0 && q->service_level_pct < q->sla_target_pct;

		pct(q->service_level_pct, sl, sizeof(sl));
		snprintf(target, sizeof(target), "%.0f%%/%ds", q->sla_target_pct, q->sla_seconds);
		if (q->asa_secs < 0)
			snprintf(asa, sizeof(asa), "-");
		else
			snprintf(asa, sizeof(asa), "%.0fs", q->asa_secs);
		fmt_duration(q->waiting ? q->longest_wait_secs + elapsed : 0, wait, sizeof(wait));
		/* Names are cut and padded by display columns (wide Korean text counts two). */
		snprintf(line, sizeof(line), " %5ld %7s %6ld %6ld %6ld %7s %7s %6s  %ld/%ld/%ld/%ld",
			 q->waiting, wait, q->offered, q->answered, q->abandoned, sl, target, asa,
			 q->agents_ready, q->agents_on_call + q->agents_ringing, q->agents_wrap_up, q->agents_break);
		{
			enum draw_style st = i == W.sel ? STYLE_SELECTED : missed ? STYLE_WARN : STYLE_NORMAL;

			cell(w, y, 1, 13, q->name, st);
			draw_text_pad(w, y++, 15, cols - 16, line, st);
		}
	}
}

static void draw_agents(WINDOW *w, int y, int ymax, int cols, long elapsed)
{
	char line[512], since[16], call[32];

	snprintf(line, sizeof(line), "%ld agents · sorted by %s (s) · %ld-%ld · PgDn/PgUp pages", W.agents_total,
		 sort_names[W.sort], W.nagents ? W.offset + 1 : 0, W.offset + W.nagents);
	draw_text(w, y++, 1, cols - 2, line, STYLE_DIM);
	snprintf(line, sizeof(line), "%-12s %-16s %-9s %8s %-9s %-18s %5s", "login", "name", "state", "in state",
		 "call", "customer", "today");
	draw_text(w, y++, 1, cols - 2, line, STYLE_HEADING);
	fit_selection(ymax - y);
	for (long i = W.top; i < W.nagents && y < ymax; i++) {
		const struct agent_stat *a = &W.agents[i];

		fmt_duration(a->state_secs + elapsed, since, sizeof(since));
		if (a->call_id)
			snprintf(call, sizeof(call), "#%lld", a->call_id);
		else
			call[0] = '\0';
		{
			enum draw_style st = i == W.sel ? STYLE_SELECTED : STYLE_NORMAL;

			cell(w, y, 1, 12, a->login, st);
			cell(w, y, 14, 16, a->name, st);
			snprintf(line, sizeof(line), "%-9.9s %8s %-9.9s ", a->state, since, call);
			draw_text_pad(w, y, 31, 29, line, st);
			draw_text_pad(w, y, 60, cols - 68, a->customer, st);
		}
		snprintf(line, sizeof(line), "%5ld", a->handled_today);
		draw_text_pad(w, y++, cols - 7, 6, line, i == W.sel ? STYLE_SELECTED : STYLE_NORMAL);
	}
}

static void draw_satisfaction(WINDOW *w, int y, int ymax, int cols)
{
	char line[320], today[16], week[16];

	snprintf(line, sizeof(line), "%-8s %-24s %8s %6s %8s %6s", "branch", "name", "today", "n", "7 days", "n");
	draw_text(w, y++, 1, cols - 2, line, STYLE_HEADING);
	if (W.nbranches == 0)
		draw_text(w, y, 1, cols - 2, "no survey answers in the last eight days", STYLE_DIM);
	fit_selection(ymax - y);
	for (long i = W.top; i < W.nbranches && y < ymax; i++) {
		const struct branch_sat *b = &W.branches[i];

		snprintf(today, sizeof(today), b->today_avg < 0 ? "-" : "%.2f", b->today_avg);
		snprintf(week, sizeof(week), b->week_avg < 0 ? "-" : "%.2f", b->week_avg);
		snprintf(line, sizeof(line), " %8s %6ld %8s %6ld", today, b->today_n, week, b->week_n);
		{
			enum draw_style st = i == W.sel ? STYLE_SELECTED : STYLE_NORMAL;

			cell(w, y, 1, 8, b->code[0] ? b->code : "-", st);
			cell(w, y, 10, 23, b->name, st);
			draw_text_pad(w, y++, 34, cols - 35, line, st);
		}
	}
}

static void wallboard_draw(struct app *app, WINDOW *w, int top, int height)
{
	int cols = getmaxx(w), x = 1;
	long elapsed = W.fetched_at ? (long)(time(NULL) - W.fetched_at) : 0;

	for (int t = 0; t < TAB_COUNT; t++)
		x += draw_text(w, top, x, 20, tab_names[t], t == (int)W.tab ? STYLE_SELECTED : STYLE_DIM) + 2;
	{
		char live[160], src[96];

		board_source_label(&W.src, src, sizeof(src));
		snprintf(live, sizeof(live), "%s · Enter drills down", src);
		draw_text(w, top, x, cols - x - 1, live, W.src.standby && W.src.lag_secs >= 5 ? STYLE_WARN : STYLE_DIM);
	}
	if (W.tab == TAB_QUEUES)
		draw_queues(w, top + 1, top + height - 1, cols, elapsed);
	else if (W.tab == TAB_AGENTS)
		draw_agents(w, top + 1, top + height - 1, cols, elapsed);
	else
		draw_satisfaction(w, top + 1, top + height - 1, cols);
	if (W.drill[0])
		draw_text_pad(w, top + height - 1, 0, cols, W.drill, STYLE_GOOD);
	(void)app;
}

static void day_fetched(void *arg, const struct gw_reply *r)
{
	struct app *app = arg;
	char ready[16], oncall[16], wrap[16], brk[16];

	if (r->rc != 0) {
		app_message(app, "%s", r->lost ? "Database connection lost: reconnecting." : r->error);
		return;
	}
	fmt_duration(W.day.ready, ready, sizeof(ready));
	fmt_duration(W.day.on_call, oncall, sizeof(oncall));
	fmt_duration(W.day.wrap_up, wrap, sizeof(wrap));
	fmt_duration(W.day.on_break, brk, sizeof(brk));
	snprintf(W.drill, sizeof(W.drill), "%s today: ready %s · on call %s · wrap-up %s · break %s · occupancy %.0f%%",
		 W.day_login, ready, oncall, wrap, brk, agent_day_occupancy(&W.day));
	app->dirty = true;
}

static void drill(struct app *app)
{
	W.drill[0] = '\0';
	if (W.tab == TAB_AGENTS && W.sel < W.nagents) {
		struct db_request rq;

		snprintf(W.day_login, sizeof(W.day_login), "%s", W.agents[W.sel].login);
		db_agent_day_request(&rq, W.day_login);
		if (gateway_send(app->gw, &rq, db_agent_day_read, &W.day, day_fetched, app) < 0)
			app_message(app, "The database is not reachable.");
	} else if (W.tab == TAB_QUEUES && W.sel < W.nqueues) {
		const struct queue_stat *q = &W.queues[W.sel];

		snprintf(W.drill, sizeof(W.drill), "%s: %ld answered in %ds, %ld abandoned after it; ringing %ld, not ready %ld",
			 q->name, q->answered_in_sla, q->sla_seconds, q->abandoned_after_sla, q->agents_ringing,
			 q->agents_not_ready);
	}
}

static int wallboard_action(struct app *app, enum action a)
{
	int page = getmaxy(stdscr) - 8;

	switch (a) {
	case ACTION_UP: if (W.sel > 0) W.sel--; break;
	case ACTION_DOWN: W.sel++; break;
	case ACTION_PAGE_DOWN:
	case ACTION_PAGE_UP:
		if (W.tab == TAB_AGENTS) {   /* the agent board pages in the database */
			W.offset += a == ACTION_PAGE_DOWN ? AGENT_PAGE : -AGENT_PAGE;
			if (W.offset >= W.agents_total)
				W.offset -= AGENT_PAGE;
			if (W.offset < 0)
				W.offset = 0;
			W.sel = W.top = 0;
			W.stale = true;
		} else {
			W.sel += a == ACTION_PAGE_DOWN ? page : -page;
			if (W.sel < 0)
				W.sel = 0;
		}
		break;
	case ACTION_OPEN: drill(app); break;
	case ACTION_REFRESH: W.stale = true; break;
	default: return VIEW_UNHANDLED;
	}
	return VIEW_HANDLED | VIEW_REDRAW;
}

static int wallboard_key(struct app *app, int key)
{
	if (key >= '1' && key < '1' + TAB_COUNT) {
		W.tab = (enum tab)(key - '1');
		W.sel = W.top = 0;
		W.drill[0] = '\0';
		W.stale = true;
		W.fetched_ms = 0;
		return VIEW_HANDLED | VIEW_REDRAW;
	}
	if (key == 's' && W.tab == TAB_AGENTS) {
		W.sort = (W.sort + 1) % (AGENT_SORT_HANDLED + 1);
		W.offset = W.sel = W.top = 0;
		W.stale = true;
		return VIEW_HANDLED | VIEW_REDRAW;
	}
	return VIEW_UNHANDLED;
}

const struct view_ops view_wallboard = {
	.title = "Floor",
	.context = KEYCTX_WALLBOARD,
	.open = wallboard_open,
	.event = wallboard_event,
	.draw = wallboard_draw,
	.action = wallboard_action,
	.key = wallboard_key,
};
