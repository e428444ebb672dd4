/* campaign.c - an outbound campaign call (Ctrl-N, :next): the next member
 * for me (campaign_next: my call-backs due first), on the customer's own pop
 * screen under the campaign's script; one key per outcome (campaign_record):
 * 1 reached, 2 not reached, 3 accepted, 4 refused, 5 call back at a time. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ccterm/case_view.h"
#include "ccterm/i18n.h"
#include "cli/commands.h"
#include "gateway/gateway.h"
#include "app.h"
#include "cases.h"
#include "draw.h"

static struct {
	struct campaign_member_pull m;
	bool pulling, pulled, recording;
	char recorded[64];           /* the outcome recorded for this member, "" none */
	long long attempt_id;
} K;

static void pulled(void *arg, const struct gw_reply *r)
{
	struct app *app = arg;

	K.pulling = false;
	if (r->rc != 0) {
		app_message(app, "%s", r->lost ? _("Database connection lost: reconnecting.") : r->error);
	} else {
		K.pulled = true;
		K.recorded[0] = '\0';
		if (K.m.found)
			desk_open_customer(&app->desk, K.m.customer_id);
		else
			app_message(app, "%s", _("Nobody to call now on a running campaign."));
	}
	app->dirty = true;
}

static void pull_next(struct app *app)
{
	struct db_request rq;

	if (K.pulling)
		return;
	db_campaign_next_request(&rq);
	K.pulling = true;   /* before: pulled may run inside the send */
	if (gateway_send(app->gw, &rq, db_campaign_next_read, &K.m, pulled, app) < 0) {
		K.pulling = false;
		app_message(app, "%s", _("The database is not reachable."));
	}
}

static void recorded(void *arg, const struct gw_reply *r)
{
	struct app *app = arg;

	K.recording = false;
	if (r->rc != 0) {
		app_message(app, "%s", r->lost ? _("Database connection lost: reconnecting.") : r->error);
		K.recorded[0] = '\0';
	} else {
		app_message(app, _("%s: %s recorded. Ctrl-N the next member."), K.m.customer, i18n_word(K.recorded));
	}
	app->dirty = true;
}

static void record(struct app *app, const char *outcome, const char *at)
{
	struct db_request rq;

	if (!K.m.found || K.recording)
		return;
	if (K.recorded[0]) {
		app_message(app, _("Already recorded (%s): Ctrl-N the next member."), i18n_word(K.recorded));
		return;
	}
	snprintf(K.recorded, sizeof(K.recorded), "%s", outcome);
	db_campaign_record_request(&rq, K.m.campaign_id, K.m.customer_id, outcome, at);
	K.recording = true;
	if (gateway_send(app->gw, &rq, db_id_read, &K.attempt_id, recorded, app) < 0) {
		K.recording = false;
		K.recorded[0] = '\0';
		app_message(app, "%s", _("The database is not reachable."));
	}
}

/* "30" (minutes from now) or "14:30" (today, else tomorrow). */
void campaign_callback(struct app *app, const char *arg)
{
	char at[64], *end;
	time_t t = time(NULL);
	struct tm tm;
	long v = strtol(arg, &end, 10);

	localtime_r(&t, &tm);
	if (*arg && *end == '\0' && v > 0) {
		t += v * 60;
	} else if (*arg && *end == ':' && v >= 0 && v < 24) {
		long mi = strtol(end + 1, &end, 10);

		if (*end || mi < 0 || mi > 59) {
			app_message(app, "%s", _("callback MINUTES or HH:MM"));
			return;
		}
		tm.tm_hour = (int)v;
		tm.tm_min = (int)mi;
		tm.tm_sec = 0;
		tm.tm_isdst = -1;
		if (mktime(&tm) <= t)
			tm.tm_mday++;
		t = mktime(&tm);
	} else {
		app_message(app, "%s", _("callback MINUTES or HH:MM"));
		return;
	}
	localtime_r(&t, &tm);
	strftime(at, sizeof(at), "%Y-%m-%d %H:%M:%S%z", &tm);
	if (nav_current(&app->nav) != VIEW_CAMPAIGN || !K.m.found) {
		app_message(app, "%s", _("Pull a campaign member first (Ctrl-N)."));
		return;
	}
	record(app, "callback", at);
}

static void campaign_open(struct app *app, const char *arg)
{
	(void)arg;
	K.pulled = false;
	memset(&K.m, 0, sizeof(K.m));
	pull_next(app);
}

static void campaign_draw(struct app *app, WINDOW *w, int top, int height)
{
	const struct desk *d = &app->desk;
	int cols = getmaxx(w), y = top;
	char line[512];

	if (!K.pulled || !K.m.found) {
		draw_text(w, y, 1, cols - 2, K.pulling ? _("Pulling the next campaign member…")
						       : _("Nobody to call now on a running campaign. Ctrl-N tries again."),
			  STYLE_DIM);
		return;
	}
	snprintf(line, sizeof(line), _("Outbound · campaign %s%s%s · attempt %d%s%s%s%s"), K.m.campaign,
		 K.m.offer[0] ? _(" · offer ") : "", K.m.offer, K.m.attempts + 1,
		 K.m.callback_at[0] ? _(" · call-back ") : "", K.m.callback_at,
		 K.recorded[0] ? _(" · recorded: ") : "", K.recorded[0] ? i18n_word(K.recorded) : "");
	draw_text_pad(w, y++, 0, cols, line, STYLE_SELECTED);
	/* the script, line by line, at most four rows */
	{
		const char *p = K.m.script;

		for (int r = 0; r < 4 && *p; r++) {
			size_t n = strcspn(p, "\n");

			snprintf(line, sizeof(line), "%.*s", (int)(n < sizeof(line) ? n : sizeof(line) - 1), p);
			draw_text(w, y++, 1, cols - 2, line, STYLE_GOOD);
			p += n;
			if (*p == '\n')
				p++;
		}
	}
	draw_text(w, y++, 1, cols - 2, _("1 reached · 2 not reached · 3 accepted · 4 refused · 5 call back · Ctrl-N next"),
		  STYLE_HEADING);
	if (!d->has_customer || d->pop.h.id != K.m.customer_id) {
		draw_text(w, y, 1, cols - 2, _("Opening the customer…"), STYLE_DIM);
		return;
	}
	view_pop.draw(app, w, y, top + height - y);
}

static int campaign_action(struct app *app, enum action a)
{
	if (a == ACTION_CAMPAIGN_NEXT) {
		if (K.m.found && !K.recorded[0] && !K.pulling) {
			app_message(app, "%s", _("Record an outcome first (1-5): the member is yours until then."));
			return VIEW_HANDLED | VIEW_REDRAW;
		}
		pull_next(app);
		return VIEW_HANDLED | VIEW_REDRAW;
	}
	if (K.m.found && app->desk.has_customer && app->desk.pop.h.id == K.m.customer_id)
		return view_pop.action(app, a);   /* the timeline: scroll, filter, open */
	return VIEW_UNHANDLED;
}

static int campaign_key(struct app *app, int key)
{
	static const char *const outcomes[] = { "reached", "not_reached", "accepted", "refused" };

	if (!K.m.found)
		return VIEW_UNHANDLED;
	if (key >= '1' && key <= '4') {
		record(app, outcomes[key - '1'], NULL);
		return VIEW_HANDLED | VIEW_REDRAW;
	}
	if (key == '5') {
		if (K.recorded[0])
			app_message(app, _("Already recorded (%s): Ctrl-N the next member."), i18n_word(K.recorded));
		else
			commands_ask(app, "callback");
		return VIEW_HANDLED | VIEW_REDRAW;
	}
	return VIEW_UNHANDLED;
}

const struct view_ops view_campaign = {
	.title = N_("Campaign call"),
	.context = KEYCTX_POP,
	.open = campaign_open,
	.draw = campaign_draw,
	.action = campaign_action,
	.key = campaign_key,
};
