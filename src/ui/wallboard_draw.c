/* wallboard_draw.c - the floor's boards on screen. Every board picks its
 * columns by the window's width (columns.h: the least important go first,
 * a header is never cut); states are abbreviated, with a legend, when the
 * full names do not fit; names are cut at a character with an ellipsis,
 * wide (Korean) ones counted two columns a character (draw.h). */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "ccterm/columns.h"
#include "ccterm/format.h"
#include "draw.h"
#include "wallboard.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))
#define FULL_STATES_COLS 100    /* from this width the states are written out */
#define GRID_CELL 19            /* letter, name, time in state, a blank */

static const char *const tab_names[] = { "1 Queues", "2 Agents", "3 Satisfaction", "4 Cases" };
static const char *const sort_names[] = { "state", "time in state", "login", "name", "calls today" };

/* A state's short form (list), letter (grid) and style. */
static const struct {
	const char *state, *abbrev, *label;
	char letter;
	enum draw_style style;
} states[] = {
	{ "on_call", "call", "on call", 'C', STYLE_HEADING },
	{ "ringing", "ring", "ringing", 'G', STYLE_HEADING },
	{ "wrap_up", "wrap", "wrap-up", 'W', STYLE_NORMAL },
	{ "ready", "rdy", "ready", 'R', STYLE_GOOD },
	{ "not_ready", "nrdy", "not ready", 'N', STYLE_WARN },
	{ "break", "brk", "break", 'B', STYLE_WARN },
	{ "logged_out", "off", "logged out", 'O', STYLE_DIM },
};

static int state_index(const char *s)
{
	for (size_t i = 0; i < N(states); i++)
		if (strcmp(states[i].state, s) == 0)
			return (int)i;
	return -1;
}

static const char *state_text(const char *s, bool full)
{
	int i = state_index(s);

	return i < 0 ? s : full ? states[i].state : states[i].abbrev;
}

/* Time in state, at most 5 columns: "04:05", "1h02", "26h05". */
static void short_duration(long secs, char *out, size_t sz)
{
	if (secs < 0)
		secs = 0;
	if (secs > 99L * 86400)
		secs = 99L * 86400;
	if (secs < 3600)
		snprintf(out, sz, "%02ld:%02ld", secs / 60, secs % 60);
	else
		snprintf(out, sz, "%ldh%02ld", secs / 3600, secs / 60 % 60);
}

static void pct(double v, char *out, size_t sz)
{
	if (v < 0)
		snprintf(out, sz, "-");
	else
		snprintf(out, sz, "%.1f%%", v);
}

/* A row of cells: text for each shown column, right-aligned where asked. */
static void row(WINDOW *w, int y, int x0, const struct column *c, size_t n, const char *const *text,
		const bool *right, enum draw_style st, int cols)
{
	draw_text_pad(w, y, x0, cols, "", st);
	for (size_t i = 0; i < n; i++) {
		if (!c[i].w || !text[i])
			continue;
		if (right && right[i]) {
			char buf[96];

			snprintf(buf, sizeof(buf), "%*s", c[i].w, text[i]);
			draw_text(w, y, x0 + c[i].x, c[i].w, buf, st);
		} else {
			draw_text(w, y, x0 + c[i].x, c[i].w, text[i], st);
		}
	}
}

static void headers(WINDOW *w, int y, int x0, const struct column *c, size_t n, const bool *right, int cols)
{
	const char *text[16];

	for (size_t i = 0; i < n && i < N(text); i++)
		text[i] = c[i].header;
	row(w, y, x0, c, n, text, right, STYLE_HEADING, cols);
}

static void fit_selection(struct wallboard *b, long len, int rows)
{
	if (b->sel >= len)
		b->sel = len > 0 ? len - 1 : 0;
	if (b->sel < 0)
		b->sel = 0;
	if (b->sel < b->top)
		b->top = b->sel;
	if (rows > 0 && b->sel >= b->top + rows)
		b->top = b->sel - rows + 1;
	if (b->top > 0 && len - b->top < rows)
		b->top = len - rows > 0 ? len - rows : 0;
}

/* The last w figures of v as a sparkline into out (SPARK_BYTES(w)). */
static void spark(const struct wallboard *b, const double *v, int n, int w, bool counts, double lo, double hi,
		  char *out, size_t sz)
{
	int first = n > w ? n - w : 0;

	if (counts)
		spark_range(v + first, (size_t)(n - first), true, &lo, &hi);
	sparkline(v + first, (size_t)(n - first), lo, hi, (size_t)w, b->spark, out, sz);
}

/* --- queues -------------------------------------------------------------- */

enum { QC_NAME, QC_WAIT, QC_LONGEST, QC_SL, QC_SL_TREND, QC_OFFER, QC_OFFER_TREND, QC_ANSW, QC_ABAND, QC_ASA,
	QC_TARGET, QC_STAFF, QC_COUNT };

static void queue_columns(struct column *c, int cols)
{
	const struct column def[QC_COUNT] = {
		[QC_NAME] = { .header = "queue", .width = 14, .min = 8, .priority = 1, .fill = true },
		[QC_WAIT] = { .header = "wait", .width = 4, .priority = 1 },
		[QC_LONGEST] = { .header = "longest", .width = 7, .priority = 2 },
		[QC_SL] = { .header = "SL", .width = 6, .priority = 1 },
		[QC_SL_TREND] = { .header = "SL by 15 min", .width = 48, .min = 12, .priority = 3 },
		[QC_OFFER] = { .header = "offer", .width = 5, .priority = 2 },
		[QC_OFFER_TREND] = { .header = "calls by 15 min", .width = 48, .min = 15, .priority = 4 },
		[QC_ANSW] = { .header = "answ", .width = 5, .priority = 7 },
		[QC_ABAND] = { .header = "aband", .width = 5, .priority = 5 },
		[QC_ASA] = { .header = "ASA", .width = 5, .priority = 6 },
		[QC_TARGET] = { .header = "target", .width = 9, .priority = 8 },
		[QC_STAFF] = { .header = "rdy/call/wrap/brk", .width = 17, .priority = 9 },
	};

	memcpy(c, def, sizeof(def));
	columns_fit(c, QC_COUNT, cols);
}

static const bool queue_right[QC_COUNT] = {
	[QC_WAIT] = true, [QC_LONGEST] = true, [QC_SL] = true, [QC_OFFER] = true, [QC_ANSW] = true,
	[QC_ABAND] = true, [QC_ASA] = true, [QC_TARGET] = true,
};

/* The queue's trends, NULL until read (a queue added since has none yet). */
static const struct queue_trend *trend_of(const struct wallboard *b, int queue_id)
{
	for (int i = 0; i < b->ntrends; i++)
		if (b->trends[i].queue_id == queue_id)
			return &b->trends[i];
	return NULL;
}

static void draw_queues(struct wallboard *b, WINDOW *w, int y, int ymax, int cols)
{
	struct column c[QC_COUNT];

	queue_columns(c, cols - 2);
	headers(w, y++, 1, c, QC_COUNT, queue_right, cols - 2);
	ymax--;   /* the hint's line */
	fit_selection(b, b->nqueues, ymax - y);
	for (long i = b->top; i < b->nqueues && y < ymax; i++) {
		const struct queue_stat *q = &b->queues[i];
		const struct queue_trend *t = trend_of(b, q->id);
		bool missed = q->service_level_pct >= 0 && q->service_level_pct < q->sla_target_pct;
		char wait[8], longest[16], offer[16], answ[16], aband[16], sl[16], target[16], asa[16], staff[48];
		char sl_trend[SPARK_BYTES(64)] = "", calls_trend[SPARK_BYTES(64)] = "";
		const char *text[QC_COUNT];

		snprintf(wait, sizeof(wait), "%ld", q->waiting);
		fmt_duration(q->waiting ? q->longest_wait_secs + b->elapsed : 0, longest, sizeof(longest));
		snprintf(offer, sizeof(offer), "%ld", q->offered);
		snprintf(answ, sizeof(answ), "%ld", q->answered);
		snprintf(aband, sizeof(aband), "%ld", q->abandoned);
		pct(q->service_level_pct, sl, sizeof(sl));
		snprintf(target, sizeof(target), "%.0f%%/%ds", q->sla_target_pct, q->sla_seconds);
		if (q->asa_secs < 0)
			snprintf(asa, sizeof(asa), "-");
		else
			snprintf(asa, sizeof(asa), "%.0fs", q->asa_secs);
		snprintf(staff, sizeof(staff), "%ld/%ld/%ld/%ld", q->agents_ready, q->agents_on_call + q->agents_ringing,
			 q->agents_wrap_up, q->agents_break);
		if (t && c[QC_SL_TREND].w && c[QC_SL_TREND].w <= 64)   /* the widths above, at most TREND_DRAWN */
			spark(b, t->sl_15m, t->quarters, c[QC_SL_TREND].w, false, 0, 100, sl_trend, sizeof(sl_trend));
		if (t && c[QC_OFFER_TREND].w && c[QC_OFFER_TREND].w <= 64)
			spark(b, t->offered_15m, t->quarters, c[QC_OFFER_TREND].w, true, 0, 0, calls_trend,
			      sizeof(calls_trend));
		text[QC_NAME] = q->name;
		text[QC_WAIT] = wait;
		text[QC_LONGEST] = longest;
		text[QC_SL] = sl;
		text[QC_SL_TREND] = sl_trend;
		text[QC_OFFER] = offer;
		text[QC_OFFER_TREND] = calls_trend;
		text[QC_ANSW] = answ;
		text[QC_ABAND] = aband;
		text[QC_ASA] = asa;
		text[QC_TARGET] = target;
		text[QC_STAFF] = staff;
		row(w, y++, 1, c, QC_COUNT, text, queue_right, i == b->sel ? STYLE_SELECTED : missed ? STYLE_WARN : STYLE_NORMAL,
		    cols - 2);
	}
	draw_text(w, ymax, 1, cols - 2, "Enter: waiting calls and agents · SL 0-100 % · calls to the busiest quarter",
		  STYLE_DIM);
}

/* --- a queue's drill-down ------------------------------------------------ */

static void draw_drill(struct wallboard *b, WINDOW *w, int y, int ymax, int cols, bool full)
{
	char line[200];
	struct column cc[] = {
		{ .header = "call", .width = 10, .priority = 1 },
		{ .header = "caller", .width = 16, .priority = 1 },
		{ .header = "waiting", .width = 8, .priority = 1 },
	};
	struct column ac[] = {
		{ .header = "agent", .width = 20, .min = 10, .priority = 1, .fill = true },
		{ .header = "state", .width = full ? 10 : 5, .priority = 1 },
		{ .header = "in state", .width = 8, .priority = 1 },
		{ .header = "reason", .width = 20, .min = 8, .priority = 2 },
		{ .header = "login", .width = 12, .priority = 3 },
	};
	static const bool cright[] = { false, false, true }, aright[] = { false, false, true, false, false };
	int ncalls = b->drill_calls, nagents = b->ndrill - b->drill_calls;

	snprintf(line, sizeof(line), "Queue %s · %d waiting · %d agent%s · Esc back to the queues", b->drill_name, ncalls,
		 nagents, nagents == 1 ? "" : "s");
	draw_text(w, y++, 1, cols - 2, line, STYLE_DIM);
	columns_fit(cc, N(cc), cols - 2);
	columns_fit(ac, N(ac), cols - 2);
	headers(w, y++, 1, cc, N(cc), cright, cols - 2);
	if (ncalls == 0 && y < ymax)
		draw_text(w, y++, 2, cols - 3, "no call waiting", STYLE_DIM);
	/* Half the room for the calls at most, the agents under them. */
	for (int i = 0; i < ncalls && y < ymax - 3 && (i < (ymax - y) / 2 || i < 3); i++) {
		const struct drill_row *d = &b->drill[i];
		char id[72], waited[16];
		const char *text[3] = { id, d->name, waited };

		snprintf(id, sizeof(id), "#%s", d->id);
		fmt_duration(d->secs + b->elapsed, waited, sizeof(waited));
		row(w, y++, 1, cc, N(cc), text, cright, STYLE_NORMAL, cols - 2);
	}
	if (y >= ymax)
		return;
	headers(w, y++, 1, ac, N(ac), aright, cols - 2);
	for (int i = ncalls; i < b->ndrill && y < ymax; i++) {
		const struct drill_row *d = &b->drill[i];
		char since[32];
		const char *text[5] = { d->name, state_text(d->state, full), since, d->reason, d->id };
		int si = state_index(d->state);

		short_duration(d->secs + b->elapsed, since, sizeof(since));
		row(w, y++, 1, ac, N(ac), text, aright, si >= 0 ? states[si].style : STYLE_NORMAL, cols - 2);
	}
}

/* --- agents -------------------------------------------------------------- */

enum { AC_NAME, AC_STATE, AC_TIME, AC_REASON, AC_LOGIN, AC_TODAY, AC_CALL, AC_CUSTOMER, AC_COUNT };

static void draw_legend(WINDOW *w, int y, int cols, bool letters)
{
	char line[256] = "";

	for (size_t i = 0; i < N(states); i++) {
		char one[40];

		if (letters)
			snprintf(one, sizeof(one), "%s%c %s", i ? "  " : "", states[i].letter, states[i].label);
		else if (strcmp(states[i].abbrev, states[i].label) != 0 && strncmp(states[i].abbrev, "call", 4) != 0 &&
			 strncmp(states[i].abbrev, "ring", 4) != 0)
			snprintf(one, sizeof(one), "%s%s %s", line[0] ? " · " : "", states[i].abbrev, states[i].label);
		else
			continue;
		strncat(line, one, sizeof(line) - strlen(line) - 1);
	}
	draw_text(w, y, 1, cols - 2, line, STYLE_DIM);
}

static void draw_agent_list(struct wallboard *b, WINDOW *w, int y, int ymax, int cols)
{
	bool full = cols >= FULL_STATES_COLS;
	struct column c[AC_COUNT] = {
		[AC_NAME] = { .header = "name", .width = 16, .min = 10, .priority = 1, .fill = true },
		[AC_STATE] = { .header = "state", .width = full ? 10 : 5, .priority = 1 },
		[AC_TIME] = { .header = "in state", .width = 8, .priority = 1 },
		[AC_REASON] = { .header = "reason", .width = 18, .min = 10, .priority = 2 },
		[AC_LOGIN] = { .header = "login", .width = 12, .min = 8, .priority = 3 },
		[AC_TODAY] = { .header = "calls", .width = 5, .priority = 4 },
		[AC_CALL] = { .header = "call", .width = 8, .priority = 5 },
		[AC_CUSTOMER] = { .header = "customer", .width = 18, .min = 10, .priority = 6 },
	};
	static const bool right[AC_COUNT] = { [AC_TIME] = true, [AC_TODAY] = true };

	columns_fit(c, AC_COUNT, cols - 2);
	headers(w, y++, 1, c, AC_COUNT, right, cols - 2);
	if (!full)
		ymax--;   /* the legend's line */
	fit_selection(b, b->nagents, ymax - y);
	for (long i = b->top; i < b->nagents && y < ymax; i++) {
		const struct agent_stat *a = &b->agents[i];
		char since[32], call[32], today[16];
		const char *text[AC_COUNT];
		int si = state_index(a->state);

		short_duration(a->state_secs + b->elapsed, since, sizeof(since));
		if (a->call_id)
			snprintf(call, sizeof(call), "#%lld", a->call_id);
		else
			call[0] = '\0';
		snprintf(today, sizeof(today), "%ld", a->handled_today);
		text[AC_NAME] = a->name;
		text[AC_STATE] = state_text(a->state, full);
		text[AC_TIME] = since;
		text[AC_REASON] = a->reason;
		text[AC_LOGIN] = a->login;
		text[AC_TODAY] = today;
		text[AC_CALL] = call;
		text[AC_CUSTOMER] = a->customer;
		row(w, y++, 1, c, AC_COUNT, text, right,
		    i == b->sel ? STYLE_SELECTED : si >= 0 ? states[si].style : STYLE_NORMAL, cols - 2);
	}
	if (!full)
		draw_legend(w, ymax, cols, false);
}

int wallboard_grid_capacity(int rows, int cols)
{
	int per_row = (cols - 1) / GRID_CELL;

	return rows > 0 && per_row > 0 ? rows * per_row : 0;
}

/* Cells fill down then across, so Up and Down go to the neighbour. */
static void draw_agent_grid(struct wallboard *b, WINDOW *w, int y, int ymax, int cols)
{
	int rows = ymax - y - 1, per_row = (cols - 1) / GRID_CELL, cap = wallboard_grid_capacity(rows, cols);

	if (cap <= 0)
		return;
	if (b->sel < b->top)
		b->top = b->sel - b->sel % rows;
	if (b->sel >= b->top + cap)
		b->top = (b->sel / rows - per_row + 1) * rows;
	if (b->top < 0)
		b->top = 0;
	for (long i = b->top; i < b->nagents && i < b->top + cap; i++) {
		const struct agent_stat *a = &b->agents[i];
		int k = (int)(i - b->top), cy = y + k % rows, cx = 1 + (k / rows) * GRID_CELL, si = state_index(a->state);
		enum draw_style st = i == b->sel ? STYLE_SELECTED : si >= 0 ? states[si].style : STYLE_NORMAL;
		char letter[2] = { si >= 0 ? states[si].letter : '?', '\0' }, since[32], t[40];

		short_duration(a->state_secs + b->elapsed, since, sizeof(since));
		snprintf(t, sizeof(t), "%5s", since);
		draw_text_pad(w, cy, cx, GRID_CELL - 1, "", st);
		draw_text(w, cy, cx, 1, letter, st);
		draw_text(w, cy, cx + 2, GRID_CELL - 9, a->name, st);
		draw_text(w, cy, cx + GRID_CELL - 6, 5, t, st);
	}
	draw_legend(w, ymax - 1, cols, true);
}

static void draw_agents(struct wallboard *b, WINDOW *w, int y, int ymax, int cols)
{
	char line[256];

	snprintf(line, sizeof(line), "%ld agents · sorted by %s (s) · %ld-%ld · PgDn/PgUp · g %s", b->agents_total,
		 sort_names[b->sort], b->nagents ? b->offset + 1 : 0, b->offset + b->nagents, b->grid ? "list" : "grid");
	draw_text(w, y++, 1, cols - 2, line, STYLE_DIM);
	if (b->grid)
		draw_agent_grid(b, w, y, ymax, cols);
	else
		draw_agent_list(b, w, y, ymax, cols);
}

/* --- satisfaction -------------------------------------------------------- */

static void draw_satisfaction(struct wallboard *b, WINDOW *w, int y, int ymax, int cols)
{
	struct column c[] = {
		{ .header = "branch", .width = 8, .priority = 1 },
		{ .header = "name", .width = 24, .min = 10, .priority = 2, .fill = true },
		{ .header = "today", .width = 5, .priority = 1 },
		{ .header = "n", .width = 5, .priority = 3 },
		{ .header = "7 days", .width = 6, .priority = 2 },
		{ .header = "n", .width = 5, .priority = 4 },
		{ .header = "last 7 days", .width = 11, .priority = 1 },
	};
	static const bool right[] = { false, false, true, true, true, true, false };

	columns_fit(c, N(c), cols - 2);
	headers(w, y++, 1, c, N(c), right, cols - 2);
	if (b->nbranches == 0)
		draw_text(w, y, 1, cols - 2, "no survey answers in the last eight days", STYLE_DIM);
	fit_selection(b, b->nbranches, ymax - y - 1);
	for (long i = b->top; i < b->nbranches && y < ymax - 1; i++) {
		const struct branch_sat *s = &b->branches[i];
		char today[16], tn[16], week[16], wn[16], trend[SPARK_BYTES(TREND_DAYS)];
		const char *text[7] = { s->code[0] ? s->code : "-", s->name, today, tn, week, wn, trend };

		snprintf(today, sizeof(today), s->today_avg < 0 ? "-" : "%.2f", s->today_avg);
		snprintf(week, sizeof(week), s->week_avg < 0 ? "-" : "%.2f", s->week_avg);
		snprintf(tn, sizeof(tn), "%ld", s->today_n);
		snprintf(wn, sizeof(wn), "%ld", s->week_n);
		sparkline(s->avg_7d, TREND_DAYS, 1, 5, TREND_DAYS, b->spark, trend, sizeof(trend));
		row(w, y++, 1, c, N(c), text, right, i == b->sel ? STYLE_SELECTED : STYLE_NORMAL, cols - 2);
	}
	draw_text(w, ymax - 1, 1, cols - 2, "last 7 days: a score of 1 to 5 a day, today last", STYLE_DIM);
}

/* --- cases ----------------------------------------------------------------- */

static void due_text(const struct floor_case *k, char *out, size_t sz)
{
	long m = k->minutes_left < 0 ? -k->minutes_left : k->minutes_left;

	if (!k->has_due)
		snprintf(out, sz, "-");
	else if (m >= 60 * 48)
		snprintf(out, sz, "%s%ldd", k->minutes_left < 0 ? "-" : "", m / (60 * 24));
	else
		snprintf(out, sz, "%s%ldh%02ld", k->minutes_left < 0 ? "-" : "", m / 60, m % 60);
}

static void draw_cases(struct wallboard *b, WINDOW *w, int y, int ymax, int cols)
{
	struct column c[] = {
		{ .header = "case", .width = 8, .priority = 1 },
		{ .header = "state", .width = 9, .priority = 1 },
		{ .header = "due", .width = 6, .priority = 1 },
		{ .header = "owner", .width = 16, .min = 8, .priority = 2 },
		{ .header = "customer", .width = 12, .min = 8, .priority = 3 },
		{ .header = "subject", .width = 30, .min = 10, .priority = 4, .fill = true },
	};
	static const bool right[] = { false, false, true, false, false, false };

	columns_fit(c, N(c), cols - 2);
	draw_text(w, y++, 1, cols - 2, "Escalated and about to breach, soonest due first · Enter opens the case",
		  STYLE_DIM);
	headers(w, y++, 1, c, N(c), right, cols - 2);
	if (b->ncases == 0)
		draw_text(w, y, 1, cols - 2, b->cases_read ? "no case escalated or near its due time" : "…", STYLE_DIM);
	fit_selection(b, b->ncases, ymax - y);
	for (long i = b->top; i < b->ncases && y < ymax; i++) {
		const struct floor_case *k = &b->cases[i];
		char due[48];
		const char *state = strcmp(k->sla_state, "breached") == 0 ? "breached"
				    : strcmp(k->sla_state, "warning") == 0 ? "warning" : k->status;
		const char *text[6] = { k->case_no, state, due, k->owner_name[0] ? k->owner_name : k->owner[0] ? k->owner
				       : "(nobody)", k->customer, k->subject };

		due_text(k, due, sizeof(due));
		row(w, y++, 1, c, N(c), text, right,
		    i == b->sel ? STYLE_SELECTED : strcmp(k->sla_state, "breached") == 0 ? STYLE_WARN : STYLE_NORMAL, cols - 2);
	}
}

int wallboard_list_rows(const struct wallboard *b, int height, int cols)
{
	(void)cols;
	return height - (b->tab == TAB_AGENTS ? 4 : 3);
}

void wallboard_paint(struct wallboard *b, WINDOW *w, int top, int height)
{
	int cols = getmaxx(w), x = 1, ymax = top + height - (b->day_line[0] ? 1 : 0);

	for (int t = 0; t < TAB_COUNT; t++) {
		char name[32];
		enum draw_style st = t == (int)b->tab ? STYLE_SELECTED : STYLE_DIM;

		if (t == TAB_CASES && b->ncases) {
			snprintf(name, sizeof(name), "%s (%d)", tab_names[t], b->ncases);
			if (t != (int)b->tab)
				st = STYLE_WARN;
		} else {
			snprintf(name, sizeof(name), "%s", tab_names[t]);
		}
		x += draw_text(w, top, x, cols - x - 1, name, st) + 2;
	}
	draw_text(w, top, x, cols - x - 1, b->source, b->source_warn ? STYLE_WARN : STYLE_DIM);
	if (b->drill_queue)
		draw_drill(b, w, top + 1, ymax, cols, cols >= FULL_STATES_COLS);
	else if (b->tab == TAB_QUEUES)
		draw_queues(b, w, top + 1, ymax, cols);
	else if (b->tab == TAB_AGENTS)
		draw_agents(b, w, top + 1, ymax, cols);
	else if (b->tab == TAB_SATISFACTION)
		draw_satisfaction(b, w, top + 1, ymax, cols);
	else
		draw_cases(b, w, top + 1, ymax, cols);
	if (b->day_line[0])
		draw_text_pad(w, top + height - 1, 0, cols, b->day_line, STYLE_GOOD);
}
