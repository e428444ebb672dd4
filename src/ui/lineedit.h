/* lineedit.h - a one-line UTF-8 input field (search box, short form fields):
 * the cursor moves by character, drawing scrolls to keep it visible. */
#ifndef CCTERM_UI_LINEEDIT_H
#define CCTERM_UI_LINEEDIT_H

#include <curses.h>
#include <stdbool.h>
#include <stddef.h>

#define LINEEDIT_MAX 256

struct lineedit {
	char text[LINEEDIT_MAX];
	size_t cur;   /* byte offset, always on a character boundary */
};

void lineedit_set(struct lineedit *e, const char *text);
/* A key (keymap.h codes): printable text, Backspace, Delete, Left, Right,
 * Home, End, ^U (clear). True when the key was an edit. */
bool lineedit_key(struct lineedit *e, int key);
/* Draws at (y, x) in cols columns; returns the screen column of the cursor. */
int lineedit_draw(const struct lineedit *e, WINDOW *w, int y, int x, int cols, bool focused);

#endif
