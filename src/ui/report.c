/* report.c - the supervisor's daily report (:report [YYYY-MM-DD]): the same
 * report as `ccterm-admin report day` (ccterm/report.h), drawn as its text
 * rendering at the screen's width. Its seven requests go out through the
 * gateway together; the new figures replace the shown ones only once all
 * are in. Up/Down/PgUp/PgDn/Home/End scroll, Tab / Shift-Tab and 1-6 go to
 * a section, < and > to the day before / after, r reads it again. Today's
 * report follows the floor: a 'floor' notification reads it again, at most
 * every REFRESH_SECS, keeping the place. */
#include "config.h"

#include <langinfo.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ccterm/report.h"
#include "gateway/gateway.h"
#include "app.h"
#include "draw.h"

#define NREQ (1 + REPORT_NSECTIONS)
#define REFRESH_SECS 5

static struct {
	char day[16];                /* asked for, "" today */
	struct report got, shown;
	bool have, fetching, stale;
	int sent, replies;
	bool sending;
	char error[256];             /* the batch's first error */
	char sqlstate[8];
	struct report_lines lines;
	int lines_width;             /* the width lines were rendered at, 0: none */
	int top;
	char today[16];              /* the day SQL took for "today" */
	bool floor_moved;            /* since the last read */
	time_t fetched_at;
} R = { .stale = true };

static bool locale_utf8(void)
{
	const char *cs = nl_langinfo(CODESET);

	return cs && strcmp(cs, "UTF-8") == 0;
}

static void finish(struct app *app)
{
	R.fetching = false;
	if (R.error[0]) {
		report_free(&R.got);
		if (R.have)   /* stay on the day shown (a day to come is refused) */
			snprintf(R.day, sizeof(R.day), "%s", R.shown.day);
		if (strcmp(R.sqlstate, "42501") == 0)
			app_message(app, "The daily report is for supervisors only.");
		else
			app_message(app, "Report: %s", R.error);
	} else {
		report_free(&R.shown);
		R.shown = R.got;
		memset(&R.got, 0, sizeof(R.got));
		if (!R.day[0])
			snprintf(R.today, sizeof(R.today), "%s", R.shown.day);
		R.have = true;
		report_lines_free(&R.lines);
		R.lines_width = 0;
		if (R.top < 0)
			R.top = 0;
	}
	app->dirty = true;
}

static void replied(void *arg, const struct gw_reply *r)
{
	struct app *app = arg;

	if (r->rc != 0 && !R.error[0]) {
		snprintf(R.error, sizeof(R.error), "%s", r->lost ? "Database connection lost: reconnecting." : r->error);
		snprintf(R.sqlstate, sizeof(R.sqlstate), "%s", r->sqlstate ? r->sqlstate : "");
	}
	if (++R.replies == R.sent && !R.sending)
		finish(app);
}

static void fetch(struct app *app)
{
	struct db_request rq;
	const char *day = R.day[0] ? R.day : NULL;

	if (R.fetching || !gateway_up(app->gw))
		return;
	R.stale = false;
	R.fetched_at = time(NULL);
	R.fetching = R.sending = true;
	R.sent = R.replies = 0;
	R.error[0] = R.sqlstate[0] = '\0';
	report_free(&R.got);
	memset(&R.got, 0, sizeof(R.got));
	for (int i = 0; i < NREQ; i++) {
		int rc;

		if (i == 0) {
			db_report_check_request(&rq, day, NULL, NULL);
			rc = gateway_send(app->gw, &rq, db_report_check_read, &R.got, replied, app);
		} else {
			db_report_section_request(&rq, (enum report_section_id)(i - 1), day, NULL, NULL);
			rc = gateway_send(app->gw, &rq, db_report_section_read, &R.got.sec[i - 1], replied, app);
		}
		if (rc < 0) {
			if (!R.error[0])
				snprintf(R.error, sizeof(R.error), "the database is not reachable");
			break;
		}
		R.sent++;
	}
	R.sending = false;
	if (R.replies == R.sent)
		finish(app);
}

static int report_event(struct app *app, unsigned ev)
{
	int due = 0;

	if (ev & DESK_CONNECTED)
		R.stale = true;
	if ((ev & DESK_FLOOR) && (!R.day[0] || strcmp(R.day, R.today) == 0))
		R.floor_moved = true;
	if (R.floor_moved && !R.fetching) {
		time_t waited = time(NULL) - R.fetched_at;

		if (waited >= REFRESH_SECS) {
			R.floor_moved = false;
			R.stale = true;
		} else {
			due = (int)(REFRESH_SECS - waited) * 1000;
		}
	}
	if (R.stale)
		fetch(app);
	return due;
}

static void report_open(struct app *app, const char *arg)
{
	snprintf(R.day, sizeof(R.day), "%.15s", arg ? arg : "");
	R.top = 0;
	R.stale = true;
	fetch(app);
}

/* The lines at this width, rendered again when it changed. */
static const struct report_lines *lines_at(int width)
{
	if (!R.have)
		return NULL;
	if (R.lines_width != width) {
		report_lines_free(&R.lines);
		if (report_render_text(&R.shown, width, locale_utf8(), &R.lines) < 0)
			return NULL;
		R.lines_width = width;
	}
	return &R.lines;
}

static int rows_shown;     /* the body's height at the last draw, for paging */

static void report_draw(struct app *app, WINDOW *w, int top, int height)
{
	int cols = getmaxx(w), y = top;
	const struct report_lines *l = lines_at(cols - 2);

	draw_text(w, y++, 1, cols - 2, "Tab / 1-6 section · < > day · PgUp PgDn scroll · r again · Esc back",
		  STYLE_DIM);
	rows_shown = height - 1;
	if (!l) {
		draw_text(w, y, 2, cols - 4, R.fetching ? "loading the report…" : R.error[0] ? R.error : "no report",
			  STYLE_DIM);
		return;
	}
	if (R.top > l->n - rows_shown)
		R.top = l->n - rows_shown;
	if (R.top < 0)
		R.top = 0;
	for (int i = R.top; i < l->n && y < top + height; i++, y++) {
		enum draw_style st = STYLE_NORMAL;

		for (int s = 0; s < REPORT_NSECTIONS; s++) {
			if (i == l->sec_start[s])
				st = STYLE_HEADING;
			else if (i == l->sec_start[s] + 1)
				st = STYLE_DIM;
		}
		if (i == 0)
			st = STYLE_HEADING;
		draw_text(w, y, 1, cols - 2, l->line[i], st);
	}
	(void)app;
}

/* The section whose heading is the first at or after the top (dir 1) or
 * the last before it (dir -1). */
static void goto_section(int dir)
{
	const struct report_lines *l = R.lines_width ? &R.lines : NULL;

	if (!l)
		return;
	if (dir > 0) {
		for (int s = 0; s < REPORT_NSECTIONS; s++)
			if (l->sec_start[s] > R.top) {
				R.top = l->sec_start[s];
				return;
			}
	} else {
		for (int s = REPORT_NSECTIONS - 1; s >= 0; s--)
			if (l->sec_start[s] < R.top) {
				R.top = l->sec_start[s];
				return;
			}
		R.top = 0;
	}
}

static int report_action(struct app *app, enum action a)
{
	int page = rows_shown > 2 ? rows_shown - 1 : 1;

	switch (a) {
	case ACTION_UP: R.top--; break;
	case ACTION_DOWN: R.top++; break;
	case ACTION_PAGE_UP: R.top -= page; break;
	case ACTION_PAGE_DOWN: R.top += page; break;
	case ACTION_HOME: R.top = 0; break;
	case ACTION_END: R.top = R.lines.n; break;
	case ACTION_NEXT_FIELD: goto_section(1); break;
	case ACTION_PREV_FIELD: goto_section(-1); break;
	default: return VIEW_UNHANDLED;
	}
	if (R.top < 0)
		R.top = 0;
	(void)app;
	return VIEW_HANDLED | VIEW_REDRAW;
}

/* The day before / after the one shown (never after today: SQL says so). */
static void step_day(struct app *app, int days)
{
	struct tm tm = { 0 };
	const char *from = R.have ? R.shown.day : "";

	if (sscanf(from, "%d-%d-%d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday) != 3)
		return;
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	tm.tm_mday += days;
	tm.tm_hour = 12;
	tm.tm_isdst = -1;
	if (mktime(&tm) == (time_t)-1)
		return;
	strftime(R.day, sizeof(R.day), "%Y-%m-%d", &tm);
	R.stale = true;
	fetch(app);
}

static int report_key(struct app *app, int key)
{
	if (key >= '1' && key < '1' + REPORT_NSECTIONS) {
		if (R.lines_width)
			R.top = R.lines.sec_start[key - '1'];
	} else if (key == '<' || key == '>') {
		step_day(app, key == '<' ? -1 : 1);
	} else if (key == 'r') {
		R.stale = true;
		fetch(app);
	} else {
		return VIEW_UNHANDLED;
	}
	return VIEW_HANDLED | VIEW_REDRAW;
}

const struct view_ops view_report = {
	.title = "Daily report",
	.context = KEYCTX_GENERIC,
	.open = report_open,
	.event = report_event,
	.draw = report_draw,
	.action = report_action,
	.key = report_key,
};
