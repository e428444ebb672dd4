/* nav.h - where the agent is and where Esc goes: a stack of screens, and
 * the rule for when an incoming pop may take the screen. Pure C (no curses),
 * so the rules are unit-tested (tests/unit/check_nav.c). */
#ifndef CCTERM_UI_NAV_H
#define CCTERM_UI_NAV_H

#include <stdbool.h>

enum view_id {
	VIEW_HOME, VIEW_HELP, VIEW_POP, VIEW_SEARCH, VIEW_PICKER, VIEW_DETAIL, VIEW_FORM, VIEW_WALLBOARD,
	VIEW_CASES, VIEW_REPLY, VIEW_CAMPAIGN,
	VIEW_RULES, VIEW_RULE_EDIT, VIEW_AT_RISK, VIEW_PAUSE, VIEW_COUNT
};

#define NAV_DEPTH 8

struct nav {
	enum view_id stack[NAV_DEPTH];
	int depth;                  /* >= 1: home is always at the bottom */
};

void nav_init(struct nav *n);
enum view_id nav_current(const struct nav *n);
/* The screen under the current one (home when none). */
enum view_id nav_previous(const struct nav *n);
/* Goes to v on top of where the agent is. A screen already on the way back
 * is returned to instead (what was above it is left), so Esc never cycles. */
void nav_show(struct nav *n, enum view_id v);
/* Esc: back to where the agent was before this screen; home stays home. */
enum view_id nav_back(struct nav *n);

/* What the agent is doing when a call's pop is ready. */
struct focus {
	bool view_takes_text;       /* the screen shown is a text field's */
	bool in_command;            /* the ':' line is open */
	bool draft_unsaved;         /* a contact with typed text, not saved */
	bool taking;                /* a take is on its way already */
};
/* A pop never steals focus while the agent types: it takes the screen only
 * when the agent is in none of those; else it waits in the banner (Ctrl-T). */
bool nav_pop_may_take_focus(const struct focus *f);

#endif
