/* home.c - the agent's idle screen: who is logged in, what the keys are. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "app.h"
#include "draw.h"

static void home_draw(struct app *app, WINDOW *w, int top, int height)
{
	char line[256];
	int cols = getmaxx(w), y = top + 1;

	snprintf(line, sizeof(line), "Agent: %s (%s)", app->agent.name, app->agent.login);
	draw_text(w, y++, 2, cols - 4, line, STYLE_HEADING);
	snprintf(line, sizeof(line), "Branch: %s %s   Role: %s", app->agent.branch, app->agent.branch_name,
		 app->agent.role);
	draw_text(w, y++, 2, cols - 4, line, STYLE_NORMAL);
	y++;
	draw_text(w, y++, 2, cols - 4, "Waiting for calls. A call offered to you pops here.", STYLE_NORMAL);
	if (strcmp(app->agent.state, "ready") != 0)
		draw_text(w, y++, 2, cols - 4, "You are not ready: F5 and the queues' calls are routed to you.",
			  STYLE_WARN);
	draw_text(w, y++, 2, cols - 4, "F2 search a customer · F5 ready / not ready · F1 all keys · Ctrl-Q quit",
		  STYLE_DIM);
	(void)height;
}

const struct view_ops view_home = {
	.title = "Home",
	.context = KEYCTX_GENERIC,
	.draw = home_draw,
};
