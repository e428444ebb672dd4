/* home.c - the agent's own screen: who is logged in, their call if they hold
 * one (as the database says), what the keys are. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "ccterm/format.h"
#include "ccterm/phone.h"
#include "ccterm/i18n.h"
#include "app.h"
#include "draw.h"

/* The roles as ccterm-admin names them (for the catalogs). */
static const char *const roles[] = { N_("agent"), N_("branch"), N_("supervisor"), N_("admin") };

static void home_draw(struct app *app, WINDOW *w, int top, int height)
{
	const struct desk *d = &app->desk;
	const struct agent_info *a = &d->now.agent;
	char line[512];
	int cols = getmaxx(w), y = top + 1;

	snprintf(line, sizeof(line), _("Agent: %s (%s)"), a->name, a->login);
	draw_text(w, y++, 2, cols - 4, line, STYLE_HEADING);
	snprintf(line, sizeof(line), _("Branch: %s %s   Role: %s"), a->branch, a->branch_name, i18n_word(a->role));
	draw_text(w, y++, 2, cols - 4, line, STYLE_NORMAL);
	y++;
	if (desk_on_call(d)) {
		char num[64], t[16];

		phone_format(d->call.ani_e164[0] ? d->call.ani_e164 : d->call.ani, num, sizeof(num));
		fmt_duration(desk_call_secs(d), t, sizeof(t));
		snprintf(line, sizeof(line), _("On call #%lld %s with %s"), d->now.call_id, t,
			 d->has_customer ? d->pop.h.name : num);
		draw_text(w, y++, 2, cols - 4, line, STYLE_GOOD);
		draw_text(w, y++, 2, cols - 4, _("F3 the contact · F4 the customer · F12 ends the call"), STYLE_NORMAL);
	} else {
		draw_text(w, y++, 2, cols - 4, _("Waiting for calls. A call offered to you pops here."), STYLE_NORMAL);
		if (d->now.agent_known && strcmp(a->state, "ready") != 0)
			draw_text(w, y++, 2, cols - 4,
				  _("You are not ready: F5 and the queues' calls are routed to you."), STYLE_WARN);
	}
	draw_text(w, y++, 2, cols - 4, _("F2 search a customer · F5 ready / not ready · F1 all keys · Ctrl-Q quit"),
		  STYLE_DIM);
	(void)height;
	(void)roles;
}

const struct view_ops view_home = {
	.title = N_("Home"),
	.context = KEYCTX_GENERIC,
	.draw = home_draw,
};
