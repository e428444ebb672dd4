/* draw.c - sanitized, width-aware text output and the colour scheme. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "ccterm/utf8.h"
#include "draw.h"

/* Longest input drawn from one field: the screen shows a line of it at most. */
#define DRAW_MAX_BYTES 4096

static bool use_color;

void draw_init_colors(void)
{
	const char *nc = getenv("NO_COLOR");

	use_color = has_colors() && !(nc && *nc);
	if (!use_color)
		return;
	start_color();
	use_default_colors();
	init_pair(STYLE_TITLE, COLOR_WHITE, COLOR_BLUE);
	init_pair(STYLE_STATUS, COLOR_BLACK, COLOR_CYAN);
	init_pair(STYLE_HEADING, COLOR_CYAN, -1);
	init_pair(STYLE_DIM, COLOR_BLUE, -1);
	init_pair(STYLE_WARN, COLOR_RED, -1);
	init_pair(STYLE_GOOD, COLOR_GREEN, -1);
	init_pair(STYLE_SELECTED, COLOR_BLACK, COLOR_YELLOW);
	init_pair(STYLE_BADGE, COLOR_BLACK, COLOR_YELLOW);
}

attr_t draw_attr(enum draw_style s)
{
	/* Every style reads without colour too. */
	static const attr_t mono[STYLE_COUNT] = {
		[STYLE_NORMAL] = A_NORMAL, [STYLE_TITLE] = A_REVERSE, [STYLE_STATUS] = A_REVERSE,
		[STYLE_HEADING] = A_BOLD, [STYLE_DIM] = A_DIM, [STYLE_WARN] = A_BOLD,
		[STYLE_GOOD] = A_NORMAL, [STYLE_SELECTED] = A_REVERSE, [STYLE_BADGE] = A_REVERSE | A_BOLD,
	};
	attr_t a = mono[s];

	if (use_color && s != STYLE_NORMAL) {
		a = COLOR_PAIR(s);
		if (s == STYLE_WARN || s == STYLE_HEADING || s == STYLE_BADGE)
			a |= A_BOLD;
	}
	return a;
}

int draw_text(WINDOW *w, int y, int x, int maxcols, const char *text, enum draw_style s)
{
	char *clean, *fitted;
	size_t sz;
	int used;

	if (maxcols <= 0 || !text)
		return 0;
	clean = utf8_sanitize(text, DRAW_MAX_BYTES, 0);
	if (!clean)
		return 0;
	sz = strlen(clean) + 8;
	fitted = malloc(sz);
	if (!fitted) {
		free(clean);
		return 0;
	}
	used = utf8_fit(clean, maxcols, true, fitted, sz);
	wattrset(w, draw_attr(s));
	mvwaddstr(w, y, x, fitted);
	wattrset(w, A_NORMAL);
	free(fitted);
	free(clean);
	return used;
}

int draw_text_pad(WINDOW *w, int y, int x, int maxcols, const char *text, enum draw_style s)
{
	int used = draw_text(w, y, x, maxcols, text, s);

	wattrset(w, draw_attr(s));
	for (int i = used; i < maxcols; i++)
		mvwaddch(w, y, x + i, ' ');
	wattrset(w, A_NORMAL);
	return maxcols;
}

void draw_bar(WINDOW *w, int y, enum draw_style s)
{
	int cols = getmaxx(w);

	wattrset(w, draw_attr(s));
	mvwhline(w, y, 0, ' ', cols);
	wattrset(w, A_NORMAL);
}
