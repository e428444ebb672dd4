/* nav.c - the screen stack and the focus rule (nav.h). */
#include "config.h"

#include "nav.h"

void nav_init(struct nav *n)
{
	n->stack[0] = VIEW_HOME;
	n->depth = 1;
}

enum view_id nav_current(const struct nav *n)
{
	return n->stack[n->depth - 1];
}

enum view_id nav_previous(const struct nav *n)
{
	return n->depth > 1 ? n->stack[n->depth - 2] : VIEW_HOME;
}

void nav_show(struct nav *n, enum view_id v)
{
	for (int i = 0; i < n->depth; i++)
		if (n->stack[i] == v) {
			n->depth = i + 1;
			return;
		}
	if (n->depth == NAV_DEPTH) {   /* the oldest above home makes room */
		for (int i = 1; i < NAV_DEPTH - 1; i++)
			n->stack[i] = n->stack[i + 1];
		n->depth--;
	}
	n->stack[n->depth++] = v;
}

enum view_id nav_back(struct nav *n)
{
	if (n->depth > 1)
		n->depth--;
	return nav_current(n);
}

bool nav_pop_may_take_focus(const struct focus *f)
{
	return !f->view_takes_text && !f->in_command && !f->draft_unsaved && !f->taking;
}
