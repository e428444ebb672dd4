/* cases.c - the case screen (F11, :cases): my cases, my team's, or all
 * (supervisors), filtered by status and SLA state, sorted by due time with
 * the time left; Enter opens one: its SLA, owner, customer, history and the
 * contacts linked to it; n note, e escalate, a reassign, x close, r reply.
 * Everything is asked of the gateway (requests in db/case_view.c). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ccterm/case_view.h"
#include "ccterm/i18n.h"
#include "ccterm/utf8.h"
#include "cli/commands.h"
#include "gateway/gateway.h"
#include "app.h"
#include "cases.h"
#include "draw.h"

static const char *const scopes[] = { "mine", "team", "all" };
static const char *const scope_names[] = { N_("mine"), N_("team"), N_("all cases") };
static const char *const statuses[] = { "", "open", "escalated", "closed", "any" };
static const char *const status_names[] = { N_("not closed"), N_("open"), N_("escalated"), N_("closed"), N_("any status") };
static const char *const slas[] = { "", "ok", "warning", "breached" };
static const char *const sla_names[] = { N_("any SLA"), N_("SLA ok"), N_("SLA warning"), N_("SLA breached") };
#define N(a) ((int)(sizeof(a) / sizeof(a[0])))
#if 0   /* for xgettext only: the code words these screens draw through i18n_word() */
N_("open") N_("pending") N_("escalated") N_("closed") N_("low") N_("normal") N_("high") N_("urgent")
N_("ok") N_("warning") N_("breached")
N_("opened") N_("assigned") N_("priority") N_("due") N_("status") N_("reopened") N_("warned") N_("overdue")
N_("note") N_("mail_queued") N_("mail_sent") N_("mail_failed") N_("queued") N_("sent") N_("failed")
#endif

static struct {
	int scope, status, sla;
	struct case_list *list;
	bool listed, fetching, stale;
	int sel, top;
	/* the case opened */
	long long case_id;
	struct case_row cur;
	struct case_events *events;
	struct case_contacts *contacts;
	struct case_replies *replies;
	bool have_cur;
	struct code_list resolutions;
	bool asked_resolutions;
} C = { .stale = true };

long long cases_current(void)
{
	return C.case_id;
}

long long cases_parse_id(const char *s)
{
	char *end;
	long long id;

	if (strncmp(s, "case ", 5) == 0)
		s += 5;
	if (*s == 'C' || *s == 'c') {
		s++;
		if (*s == '-')
			s++;
	}
	if (*s < '0' || *s > '9')
		return 0;
	id = strtoll(s, &end, 10);
	return *end == '\0' && id > 0 ? id : 0;
}

static void say_error(struct app *app, const struct gw_reply *r)
{
	app_message(app, "%s", r->lost ? _("Database connection lost: reconnecting.") : r->error);
}

static void listed(void *arg, const struct gw_reply *r)
{
	struct app *app = arg;

	C.fetching = false;
	if (r->rc != 0)
		say_error(app, r);
	else
		C.listed = true;
	app->dirty = true;
}

static void fetch_list(struct app *app)
{
	struct db_request rq;

	if (!C.stale || C.fetching || !gateway_up(app->gw))
		return;
	if (!C.list && !(C.list = calloc(1, sizeof(*C.list))))
		return;
	db_case_list_request(&rq, scopes[C.scope], statuses[C.status], slas[C.sla]);
	C.stale = false;
	C.fetching = true;   /* before: listed may run inside the send */
	if (gateway_send(app->gw, &rq, db_case_list_read, C.list, listed, app) < 0) {
		C.fetching = false;
		C.stale = true;
	}
}

static void detail_in(void *arg, const struct gw_reply *r)
{
	struct app *app = arg;

	if (r->rc != 0) {
		say_error(app, r);
		C.case_id = 0;
	} else if (C.cur.id == C.case_id) {   /* else another case was asked for since */
		C.have_cur = true;
		/* an :open from elsewhere lands here */
		if (nav_current(&app->nav) != VIEW_CASES)
			app_open(app, VIEW_CASES, "keep");
	}
	app->dirty = true;
}

static void part_in(void *arg, const struct gw_reply *r)
{
	struct app *app = arg;

	if (r->rc != 0 && !r->lost)
		app_message(app, "%s", r->error);
	app->dirty = true;
}

static void fetch_case(struct app *app)
{
	struct db_request rq;

	if (!C.events)
		C.events = calloc(1, sizeof(*C.events));
	if (!C.contacts)
		C.contacts = calloc(1, sizeof(*C.contacts));
	if (!C.replies)
		C.replies = calloc(1, sizeof(*C.replies));
	if (!C.events || !C.contacts || !C.replies)
		return;
	db_case_detail_request(&rq, C.case_id);
	if (gateway_send(app->gw, &rq, db_case_detail_read, &C.cur, detail_in, app) < 0) {
		app_message(app, "%s", _("The database is not reachable."));
		return;
	}
	db_case_history_request(&rq, C.case_id);
	gateway_send(app->gw, &rq, db_case_history_read, C.events, part_in, app);
	db_case_contacts_request(&rq, C.case_id);
	gateway_send(app->gw, &rq, db_case_contacts_read, C.contacts, part_in, app);
	db_case_replies_request(&rq, C.case_id);
	gateway_send(app->gw, &rq, db_case_replies_read, C.replies, part_in, app);
	if (!C.asked_resolutions) {
		db_case_resolutions_request(&rq);
		C.asked_resolutions = gateway_send(app->gw, &rq, db_code_list_read, &C.resolutions, NULL, NULL) == 0;
	}
}

void cases_open_case(struct app *app, long long case_id)
{
	if (case_id != C.case_id) {
		C.have_cur = false;
		if (C.events)
			C.events->n = 0;
		if (C.contacts)
			C.contacts->n = 0;
		if (C.replies)
			C.replies->n = 0;
	}
	C.case_id = case_id;
	fetch_case(app);
}

static void changed(void *arg, const struct gw_reply *r)
{
	struct app *app = arg;

	if (r->rc != 0) {
		say_error(app, r);
		return;
	}
	app_message(app, _("Case C-%lld changed."), C.case_id);
	C.stale = true;
	fetch_case(app);
	fetch_list(app);
}

void cases_change(struct app *app, const char *verb, const char *arg)
{
	struct db_request rq;
	char first[128] = "";
	const char *rest = arg;

	if (!C.case_id) {
		app_message(app, "%s", _("Open a case first (:cases, Enter)."));
		return;
	}
	if (strcmp(verb, "assign") == 0 || strcmp(verb, "close") == 0) {
		size_t n = strcspn(arg, " ");

		snprintf(first, sizeof(first), "%.*s", (int)(n < sizeof(first) ? n : sizeof(first) - 1), arg);
		rest = arg + n;
		while (*rest == ' ')
			rest++;
		if (!first[0]) {
			app_message(app, "%s", strcmp(verb, "assign") == 0 ? _("assign LOGIN [NOTE]")
									 : _("close CODE [NOTE] (Tab lists the codes)"));
			return;
		}
	} else if (strcmp(verb, "note") == 0 && !*arg) {
		app_message(app, "%s", _("note TEXT"));
		return;
	}
	if (db_case_change_request(&rq, verb, C.case_id, first[0] ? first : arg, first[0] ? rest : NULL) < 0 ||
	    gateway_send(app->gw, &rq, NULL, NULL, changed, app) < 0)
		app_message(app, "%s", _("The database is not reachable."));
}

size_t cases_complete(const char *verb, const char *word, char **out, size_t max)
{
	size_t got = 0, len = strlen(word);

	if (strcmp(verb, "close") == 0) {
		for (int i = 0; i < C.resolutions.n && got < max; i++)
			if (strncmp(C.resolutions.code[i], word, len) == 0)
				out[got++] = strdup(C.resolutions.code[i]);
	} else if (strcmp(verb, "assign") == 0 && C.list) {
		for (int i = 0; i < C.list->n && got < max; i++) {
			const char *login = C.list->rows[i].owner;
			bool dup = false;

			if (!login[0] || strncmp(login, word, len) != 0)
				continue;
			for (size_t j = 0; j < got; j++)
				dup |= strcmp(out[j], login) == 0;
			if (!dup)
				out[got++] = strdup(login);
		}
	}
	return got;
}

static void cases_open(struct app *app, const char *arg)
{
	if (arg && strcmp(arg, "keep") == 0)
		return;   /* a case opened by id */
	for (int i = 0; arg && i < N(scopes); i++)
		if (strcmp(arg, scopes[i]) == 0)
			C.scope = i;
	if (C.scope == 2 && !desk_is_supervisor(&app->desk)) {
		C.scope = 0;
		app_message(app, "%s", _("All cases are for supervisors: showing yours."));
	}
	C.case_id = 0;
	C.have_cur = false;
	C.stale = true;
	app->desk.case_alert[0] = '\0';   /* seen: the list shows it */
	fetch_list(app);
}

static int cases_event(struct app *app, unsigned ev)
{
	if (ev & (DESK_CASE | DESK_CONNECTED | DESK_FLOOR)) {
		C.stale = true;
		if (C.case_id && (!(ev & DESK_CASE) || app->desk.case_moved == C.case_id))
			fetch_case(app);
	}
	fetch_list(app);
	return 0;
}

static enum draw_style row_style(const struct case_row *c, bool selected)
{
	if (selected)
		return STYLE_SELECTED;
	if (strcmp(c->sla, "breached") == 0 || strcmp(c->status, "escalated") == 0)
		return STYLE_WARN;
	return STYLE_NORMAL;
}

static void draw_list(struct app *app, WINDOW *w, int top, int height)
{
	int cols = getmaxx(w), y = top, rows;
	char line[512], left[32];

	snprintf(line, sizeof(line), _("Cases: %s · %s · %s   m/t/A mine/team/all · s status · l SLA · Enter opens"),
		 _(scope_names[C.scope]), _(status_names[C.status]), _(sla_names[C.sla]));
	draw_text(w, y++, 1, cols - 2, line, STYLE_HEADING);
	if (!C.listed) {
		draw_text(w, y, 1, cols - 2, C.fetching ? _("Loading…") : "", STYLE_DIM);
		return;
	}
	/* padded by display width: the headers may be translated (Korean is two wide) */
	line[0] = '\0';
	utf8_pad_cat(line, sizeof(line), _("case"), 10, false);
	utf8_pad_cat(line, sizeof(line), _("due"), 12, false);
	utf8_pad_cat(line, sizeof(line), _("SLA"), 17, false);
	utf8_pad_cat(line, sizeof(line), _("status"), 10, false);
	utf8_pad_cat(line, sizeof(line), _("prio"), 7, false);
	utf8_pad_cat(line, sizeof(line), _("owner"), 11, false);
	utf8_pad_cat(line, sizeof(line), _("customer · subject"), 0, false);
	draw_text(w, y++, 1, cols - 2, line, STYLE_DIM);
	if (C.list->n == 0)
		draw_text(w, y, 1, cols - 2, _("No cases."), STYLE_DIM);
	rows = top + height - y;
	if (C.sel >= C.list->n)
		C.sel = C.list->n > 0 ? C.list->n - 1 : 0;
	if (C.sel < C.top)
		C.top = C.sel;
	if (rows > 0 && C.sel >= C.top + rows)
		C.top = C.sel - rows + 1;
	for (int i = C.top; i < C.list->n && y < top + height; i++) {
		const struct case_row *c = &C.list->rows[i];
		char who[400];

		case_time_left(c, left, sizeof(left));
		snprintf(line, sizeof(line), "%-9s %-11s %-16s %s", c->case_no, c->due[0] ? c->due : "-",
			 left, strcmp(c->status, "escalated") == 0 ? "!" : " ");
		utf8_pad_cat(line, sizeof(line), i18n_word(c->status), 9, false);
		utf8_pad_cat(line, sizeof(line), i18n_word(c->priority), 7, false);
		draw_text_pad(w, y, 1, 56, line, row_style(c, i == C.sel));
		draw_text_pad(w, y, 57, 11, c->owner, row_style(c, i == C.sel));
		snprintf(who, sizeof(who), "%s · %s", c->customer, c->subject);
		draw_text_pad(w, y++, 68, cols - 69, who, row_style(c, i == C.sel));
	}
	(void)app;
}

static void draw_case(struct app *app, WINDOW *w, int top, int height)
{
	const struct case_row *c = &C.cur;
	int cols = getmaxx(w), y = top, end = top + height;
	char line[640], left[32], pct[32] = "";

	if (!C.have_cur) {
		snprintf(line, sizeof(line), _("Case C-%lld: loading…"), C.case_id);
		draw_text(w, y, 1, cols - 2, line, STYLE_DIM);
		return;
	}
	case_time_left(c, left, sizeof(left));
	if (c->elapsed_pct >= 0)
		snprintf(pct, sizeof(pct), _(" · elapsed %d%%"), c->elapsed_pct);
	snprintf(line, sizeof(line), "%s %s%s · %s · %s", c->case_no, strcmp(c->status, "escalated") == 0 ? "! " : "",
		 i18n_word(c->status), i18n_word(c->priority), i18n_word(c->kind));
	draw_text(w, y, 1, cols - 2, line, strcmp(c->status, "escalated") == 0 ? STYLE_WARN : STYLE_HEADING);
	draw_text(w, y++, 30, cols - 31, c->subject, STYLE_HEADING);
	snprintf(line, sizeof(line), _("Customer %s (#%lld) · owner %s%s%s%s"), c->customer, c->customer_id,
		 c->owner[0] ? c->owner : "-", c->owner_name[0] ? " (" : "", c->owner_name, c->owner_name[0] ? ")" : "");
	draw_text(w, y++, 1, cols - 2, line, STYLE_NORMAL);
	if (strcmp(c->status, "closed") == 0)
		snprintf(line, sizeof(line), _("Opened %s · closed: %s"), c->opened, c->resolution);
	else
		snprintf(line, sizeof(line), _("Opened %s · due %s · SLA %s, %s%s%s"), c->opened, c->due[0] ? c->due : "-",
			 i18n_word(c->sla), left, pct, c->escalated[0] ? _(" · escalated") : "");
	draw_text(w, y++, 1, cols - 2, line,
		  strcmp(c->sla, "breached") == 0 || strcmp(c->sla, "warning") == 0 ? STYLE_WARN : STYLE_NORMAL);
	draw_text(w, y++, 1, cols - 2, _("n note · e escalate · a reassign · x close · r reply by e-mail · F4 customer · Esc list"),
		  STYLE_DIM);
	snprintf(line, sizeof(line), _("Contacts (%d)"), C.contacts ? C.contacts->n : 0);
	draw_text(w, y++, 1, cols - 2, line, STYLE_HEADING);
	for (int i = 0; C.contacts && i < C.contacts->n && i < 5 && y < end; i++) {
		const struct case_contact_row *r = &C.contacts->rows[i];

		/* the code words translated, padded by display width */
		snprintf(line, sizeof(line), "%s ", r->at);
		utf8_pad_cat(line, sizeof(line), i18n_word(r->channel), 7, false);
		utf8_pad_cat(line, sizeof(line), i18n_word(r->direction), 4, false);
		utf8_pad_cat(line, sizeof(line), i18n_word(r->kind), 11, false);
		utf8_pad_cat(line, sizeof(line), r->agent, 9, false);
		utf8_pad_cat(line, sizeof(line), r->subject, 0, false);
		draw_text(w, y++, 1, cols - 2, line, STYLE_NORMAL);
	}
	/* the e-mail replies, newest last: one the MTA refused says why */
	if (C.replies && C.replies->n > 0 && y < end) {
		int first = C.replies->n > 3 ? C.replies->n - 3 : 0;

		snprintf(line, sizeof(line), _("Replies (%d)"), C.replies->n);
		draw_text(w, y++, 1, cols - 2, line, STYLE_HEADING);
		for (int i = first; i < C.replies->n && y < end; i++) {
			const struct case_reply_row *r = &C.replies->rows[i];
			char state[600];

			case_reply_state(r, state, sizeof(state));
			snprintf(line, sizeof(line), _("to %s · %s"), r->to, state);
			draw_text(w, y++, 1, cols - 2, line, strcmp(r->status, "failed") == 0 ? STYLE_WARN : STYLE_NORMAL);
		}
	}
	snprintf(line, sizeof(line), _("History (%d)"), C.events ? C.events->n : 0);
	if (y < end)
		draw_text(w, y++, 1, cols - 2, line, STYLE_HEADING);
	/* the newest that fit, oldest first */
	{
		int n = C.events ? C.events->n : 0, first = n - (end - y);

		for (int i = first < 0 ? 0 : first; i < n && y < end; i++) {
			const struct case_event_row *e = &C.events->rows[i];

			snprintf(line, sizeof(line), "%s %-8s ", e->at, e->login);
			utf8_pad_cat(line, sizeof(line), i18n_word(e->event), 13, false);
			snprintf(line + strlen(line), sizeof(line) - strlen(line), "%s%s%s%s%s", e->old_value,
				 e->old_value[0] || e->new_value[0] ? " → " : "", e->new_value, e->note[0] ? "  " : "",
				 e->note);
			draw_text(w, y++, 1, cols - 2, line, STYLE_NORMAL);
		}
	}
	(void)app;
}

static void cases_draw(struct app *app, WINDOW *w, int top, int height)
{
	if (C.case_id)
		draw_case(app, w, top, height);
	else
		draw_list(app, w, top, height);
}

static int cases_action(struct app *app, enum action a)
{
	if (C.case_id) {
		if (a == ACTION_CUSTOMER && C.have_cur) {
			app_open_customer(app, C.cur.customer_id);
			return VIEW_HANDLED;
		}
		if (a == ACTION_REFRESH) {
			fetch_case(app);
			return VIEW_UNHANDLED;
		}
		return VIEW_UNHANDLED;
	}
	switch (a) {
	case ACTION_UP: if (C.sel > 0) C.sel--; break;
	case ACTION_DOWN: if (C.list && C.sel + 1 < C.list->n) C.sel++; break;
	case ACTION_PAGE_UP: C.sel = C.sel > 10 ? C.sel - 10 : 0; break;
	case ACTION_PAGE_DOWN: if (C.list) C.sel = C.sel + 10 < C.list->n ? C.sel + 10 : C.list->n - 1; break;
	case ACTION_OPEN:
		if (C.listed && C.sel < C.list->n)
			cases_open_case(app, C.list->rows[C.sel].id);
		break;
	case ACTION_REFRESH: C.stale = true; fetch_list(app); return VIEW_UNHANDLED;
	default: return VIEW_UNHANDLED;
	}
	return VIEW_HANDLED | VIEW_REDRAW;
}

static int cases_key(struct app *app, int key)
{
	if (C.case_id) {
		switch (key) {
		case 'n': commands_ask(app, "note"); break;
		case 'e': commands_ask(app, "escalate"); break;
		case 'a': commands_ask(app, "assign"); break;
		case 'x': commands_ask(app, "close"); break;
		case 'r': app_open(app, VIEW_REPLY, NULL); break;
		default: return VIEW_UNHANDLED;
		}
		return VIEW_HANDLED | VIEW_REDRAW;
	}
	switch (key) {
	case 'm': C.scope = 0; break;
	case 't': C.scope = 1; break;
	case 'A':
		if (!desk_is_supervisor(&app->desk)) {
			app_message(app, "%s", _("All cases are for supervisors."));
			return VIEW_HANDLED | VIEW_REDRAW;
		}
		C.scope = 2;
		break;
	case 's': C.status = (C.status + 1) % N(statuses); break;
	case 'l': C.sla = (C.sla + 1) % N(slas); break;
	default: return VIEW_UNHANDLED;
	}
	C.sel = C.top = 0;
	C.stale = true;
	fetch_list(app);
	return VIEW_HANDLED | VIEW_REDRAW;
}

/* Esc in a case goes back to the list. */
static int cases_back(struct app *app)
{
	if (!C.case_id)
		return VIEW_UNHANDLED;
	C.case_id = 0;
	C.have_cur = false;
	C.stale = true;
	fetch_list(app);
	app->dirty = true;
	return VIEW_HANDLED;
}

const struct view_ops view_cases = {
	.title = N_("Cases"),
	.context = KEYCTX_CASES,
	.open = cases_open,
	.event = cases_event,
	.draw = cases_draw,
	.action = cases_action,
	.key = cases_key,
	.back = cases_back,
};
