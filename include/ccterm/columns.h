/* columns.h - which columns of a board fit a window, and where: the least
 * important go first, a header is never cut (a column is never narrower
 * than its header), what is left over widens the filling column. Pure logic,
 * no curses (tests/unit/check_columns.c). */
#ifndef CCTERM_COLUMNS_H
#define CCTERM_COLUMNS_H

#include <stdbool.h>
#include <stddef.h>

struct column {
	const char *header;   /* its width in display columns counts (translated, wide) */
	int width;            /* display columns wanted */
	int min;              /* it may shrink to this (0: its width) */
	int priority;         /* 1 = most important; the highest number is dropped first */
	bool fill;            /* takes the columns left over */
	/* chosen by columns_fit: */
	int x;                /* first column, from the board's left edge */
	int w;                /* width; 0 = dropped */
};

/* Lays c[0..n) out left to right in `cols` display columns with one blank
 * between columns: drops the columns of the highest priority number while
 * even their minimums do not fit, then gives the shrinkable ones their
 * width back in priority order, then the rest to the filling columns.
 * Returns how many are shown. */
int columns_fit(struct column *c, size_t n, int cols);

/* The column with this header, or NULL when dropped or unknown. */
const struct column *columns_find(const struct column *c, size_t n, const char *header);

#endif
