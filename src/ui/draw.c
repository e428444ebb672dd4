/* draw.c - sanitized, width-aware text output and the colour scheme. */
#include "config.h"

#include <langinfo.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

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

/* ncurses 6.4 (Debian 12) flushes its output at every cursor move of a
 * refresh until it has once come back from endwin(): some 40 write(2)s for
 * a pop's frame, each a trip through the terminal to its reader, in place of
 * one. Going out and back in before anything is drawn ends that. */
void draw_whole_frames(void)
{
	endwin();
	refresh();
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

/* Code points drawn of one field at most (a row of the widest terminal). */
#define DRAW_MAX_CHARS 512

/* One pass from the field to the screen: sanitized and fitted into code
 * points (utf8_fit_clean), handed to curses as wide characters. That is
 * three times faster than curses decoding the UTF-8 again (waddnstr), and
 * the pop's frame is mostly this. Outside a UTF-8 locale curses gets bytes. */
int draw_text(WINDOW *w, int y, int x, int maxcols, const char *text, enum draw_style s)
{
	static int utf8_locale = -1;
	uint32_t cps[DRAW_MAX_CHARS];
	wchar_t wide[DRAW_MAX_CHARS];
	size_t n;
	int used;

	if (maxcols <= 0 || !text)
		return 0;
	if (utf8_locale < 0) {
		const char *cs = nl_langinfo(CODESET);

		utf8_locale = cs && strcmp(cs, "UTF-8") == 0;
	}
	used = utf8_fit_clean(text, DRAW_MAX_BYTES, maxcols, cps, DRAW_MAX_CHARS, &n);
	wattrset(w, draw_attr(s));
	if (utf8_locale) {
		for (size_t i = 0; i < n; i++)
			wide[i] = (wchar_t)cps[i];
		mvwaddnwstr(w, y, x, wide, (int)n);
	} else {
		char bytes[DRAW_MAX_CHARS * 4 + 1];
		size_t len = 0;

		for (size_t i = 0; i < n; i++)
			len += (size_t)utf8_encode(cps[i], bytes + len);
		bytes[len] = '\0';
		mvwaddstr(w, y, x, bytes);
	}
	wattrset(w, A_NORMAL);
	return used;
}

int draw_text_pad(WINDOW *w, int y, int x, int maxcols, const char *text, enum draw_style s)
{
	int used = draw_text(w, y, x, maxcols, text, s);

	if (used < maxcols) {
		wattrset(w, draw_attr(s));
		mvwhline(w, y, x + used, ' ', maxcols - used);
		wattrset(w, A_NORMAL);
	}
	return maxcols;
}

void draw_bar(WINDOW *w, int y, enum draw_style s)
{
	int cols = getmaxx(w);

	wattrset(w, draw_attr(s));
	mvwhline(w, y, 0, ' ', cols);
	wattrset(w, A_NORMAL);
}
