/* panel.h - the customer as the pop shows it, drawable anywhere: the header
 * (name, tier, value, masked ids, alerts, offers, open cases with SLA) and
 * the cross-channel history, in a box of any width at any column. The
 * customer view (pop.c) and the contact form (form.c) both draw these. */
#ifndef CCTERM_UI_PANEL_H
#define CCTERM_UI_PANEL_H

#include <curses.h>
#include <stdbool.h>

struct app;

/* The header in columns [x, x + cols), at most max_rows rows (4 is the
 * compact form: who, ids, alerts and offers on one row, the first case).
 * Returns the rows used. */
int panel_header(struct app *app, WINDOW *w, int y, int x, int cols, int max_rows, bool with_call);

/* The history: a heading (with hint, "" for none) and the rows of the
 * timeline loaded so far, the selection kept in view and shown. */
void panel_history(struct app *app, WINDOW *w, int y, int x, int rows, int cols, const char *hint);

/* Why two customers look like one person ("same e-mail, same name and
 * birth date", as duplicate_pairs() says it) in the agent's language. */
const char *panel_reasons(const char *reasons, char *out, size_t outsz);

/* Rows of history panel_history shows in rows (the heading takes one). */
static inline int panel_history_rows(int rows)
{
	return rows > 1 ? rows - 1 : 0;
}

/* Moves the history selection by delta (paging in older items by keyset);
 * and steps the history filter: all, phone, web, e-mail, store, mobile,
 * chat, complaints, orders. */
void panel_history_move(struct app *app, long delta);
void panel_history_next_filter(struct app *app);

#endif
