/* wallboard.h - what the floor's fetching half (wallboard.c) and its
 * drawing half (wallboard_draw.c) share: the boards' last figures. */
#ifndef CCTERM_UI_WALLBOARD_H
#define CCTERM_UI_WALLBOARD_H

#include <curses.h>
#include <stdbool.h>
#include <time.h>

#include "ccterm/boards.h"
#include "ccterm/floor.h"
#include "ccterm/sparkline.h"

#define WB_MAX_QUEUES 200
#define WB_AGENT_PAGE 100
#define WB_MAX_BRANCHES 2000
#define WB_MAX_DRILL 200
#define WB_MAX_CASES 100

enum wb_tab { TAB_QUEUES, TAB_AGENTS, TAB_SATISFACTION, TAB_CASES, TAB_COUNT };

struct wallboard {
	enum wb_tab tab;
	bool grid;                 /* the agents as cells */
	enum spark_charset spark;
	long elapsed;              /* seconds since the figures were read */
	char source[96];           /* "live", or primary / standby and how stale (-b) */
	bool source_warn;
	struct queue_stat queues[WB_MAX_QUEUES];
	int nqueues;
	struct queue_trend trends[WB_MAX_QUEUES];   /* by queue id, read apart from the board */
	int ntrends;
	struct agent_stat agents[WB_AGENT_PAGE];
	int nagents;
	long agents_total, offset;
	enum agent_sort sort;
	struct branch_sat *branches;
	int nbranches;
	struct floor_case cases[WB_MAX_CASES];
	int ncases;
	bool cases_read;           /* at least once */
	int drill_queue;           /* the queue drilled into, 0 when none */
	char drill_name[40];
	struct drill_row drill[WB_MAX_DRILL];
	int ndrill, drill_calls;
	long sel, top;             /* selection in the current list */
	char day_line[256];        /* the selected agent's day, after Enter */
};

/* The board's rows [top, top + height) of w. */
void wallboard_paint(struct wallboard *b, WINDOW *w, int top, int height);
/* How many agent cells a grid of this size holds (for the selection). */
int wallboard_grid_capacity(int rows, int cols);
/* The rows a list has below its headers in a board of height rows. */
int wallboard_list_rows(const struct wallboard *b, int height, int cols);

#endif
