/* draw.h - the one way database text reaches the terminal: sanitized, then
 * fitted to a width in columns (wide Korean characters count two). */
#ifndef CCTERM_UI_DRAW_H
#define CCTERM_UI_DRAW_H

#include <curses.h>
#include <stdbool.h>

/* Colour pairs; with NO_COLOR or a monochrome terminal only attributes remain. */
enum draw_style {
	STYLE_NORMAL,
	STYLE_TITLE,      /* top bar */
	STYLE_STATUS,     /* bottom bar */
	STYLE_HEADING,
	STYLE_DIM,
	STYLE_WARN,       /* alerts */
	STYLE_GOOD,
	STYLE_SELECTED,
	STYLE_BADGE,      /* tier badges */
	STYLE_COUNT
};

/* Right after initscr/newterm: a refresh goes to the terminal in one write. */
void draw_whole_frames(void);
void draw_init_colors(void);
/* The attribute for a style: colour when available, always with a
 * monochrome-readable attribute (bold, reverse, underline) as well. */
attr_t draw_attr(enum draw_style s);

/* Writes untrusted text at (y, x) in at most maxcols columns; returns the
 * columns used. Control characters and escape sequences are made visible
 * and inert, never sent to the terminal. */
int draw_text(WINDOW *w, int y, int x, int maxcols, const char *text, enum draw_style s);
/* The same, padded with blanks to exactly maxcols. */
int draw_text_pad(WINDOW *w, int y, int x, int maxcols, const char *text, enum draw_style s);
/* Fills a whole row with a style (bars). */
void draw_bar(WINDOW *w, int y, enum draw_style s);

#endif
