/* commands.c - what can be typed after ':': a table of commands, each a
 * name, its help and what it does, with Tab completion of commands and of
 * customer names after "search" and "open". */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ccterm/customer.h"
#include "ccterm/i18n.h"
#include "ccterm/phone.h"
#include "cli/cmdline.h"
#include "gateway/gateway.h"
#include "cli/commands.h"
#include "ui/app.h"
#include "ui/cases.h"

struct command {
	const char *name;
	const char *help;
	void (*run)(struct app *app, const char *arg);
};

static void cmd_search(struct app *app, const char *arg) { app_open(app, VIEW_SEARCH, arg); }
static void cmd_ready(struct app *app, const char *arg) { desk_set_state(&app->desk, "ready", arg); }
/* With a reason: one of the pause list (the database refuses others, naming them). */
static void cmd_notready(struct app *app, const char *arg)
{
	if (*arg)
		desk_pause(&app->desk, arg);
	else
		desk_set_state(&app->desk, "not_ready", NULL);
}
static void cmd_break(struct app *app, const char *arg)
{
	if (*arg)
		desk_pause(&app->desk, arg);
	else
		app_open(app, VIEW_PAUSE, NULL);
}
static void cmd_take(struct app *app, const char *arg) { app_take_call(app); }
static void cmd_quit(struct app *app, const char *arg) { app_quit(app); }
static void cmd_new(struct app *app, const char *arg) { app_action(app, ACTION_NEW_CONTACT); }
static void cmd_save(struct app *app, const char *arg) { app_action(app, ACTION_SAVE); }
static void cmd_help(struct app *app, const char *arg) { app_action(app, ACTION_HELP); }
static void cmd_rules(struct app *app, const char *arg) { app_action(app, ACTION_RULES); }
static void cmd_atrisk(struct app *app, const char *arg) { app_action(app, ACTION_AT_RISK); }
static void cmd_campaigns(struct app *app, const char *arg) { app_action(app, ACTION_CAMPAIGNS); }

/* report [YYYY-MM-DD]: the daily report (SQL refuses others too). */
static void cmd_report(struct app *app, const char *arg)
{
	if (!desk_is_supervisor(&app->desk))
		app_message(app, "The daily report is for supervisors only.");
	else
		app_open(app, VIEW_REPORT, arg);
}

static void cmd_cases(struct app *app, const char *arg) { app_open(app, VIEW_CASES, arg); }
static void cmd_note(struct app *app, const char *arg) { cases_change(app, "note", arg); }
static void cmd_escalate(struct app *app, const char *arg) { cases_change(app, "escalate", arg); }
static void cmd_assign(struct app *app, const char *arg) { cases_change(app, "assign", arg); }
static void cmd_close(struct app *app, const char *arg) { cases_change(app, "close", arg); }
static void cmd_reply(struct app *app, const char *arg) { app_open(app, VIEW_REPLY, arg); }
static void cmd_next(struct app *app, const char *arg) { app_action(app, ACTION_CAMPAIGN_NEXT); }
static void cmd_callback(struct app *app, const char *arg) { campaign_callback(app, arg); }

/* open ID: a customer by number, C-ID a case; anything else searches,
 * opening a single hit. */
static void cmd_open(struct app *app, const char *arg)
{
	char *end;
	long long id = strtoll(arg, &end, 10);

	if (cases_parse_id(arg) && (*arg < '0' || *arg > '9'))
		cases_open_case(app, cases_parse_id(arg));
	else if (*arg && *end == '\0' && id > 0)
		app_open_customer(app, id);
	else
		app_open(app, VIEW_SEARCH, arg);
}

static void cmd_filter(struct app *app, const char *arg)
{
	static const struct { const char *word; enum action a; } filters[] = {
		{ "all", ACTION_FILTER_ALL }, { "phone", ACTION_FILTER_PHONE }, { "web", ACTION_FILTER_WEB },
		{ "email", ACTION_FILTER_EMAIL }, { "store", ACTION_FILTER_STORE },
		{ "mobile", ACTION_FILTER_MOBILE }, { "chat", ACTION_FILTER_CHAT },
		{ "complaint", ACTION_FILTER_COMPLAINT }, { "order", ACTION_FILTER_ORDER },
	};

	for (size_t i = 0; i < sizeof(filters) / sizeof(filters[0]); i++)
		if (strcmp(arg, filters[i].word) == 0) {
			app_open(app, VIEW_POP, NULL);
			app_action(app, filters[i].a);
			return;
		}
	app_message(app, "filter all|phone|web|email|store|mobile|chat|complaint|order");
}

static const struct command commands[] = {
	{ "search", "search PHONE|NAME|E-MAIL|ID|ORDER: find customers", cmd_search },
	{ "open", "open CUSTOMER-ID|C-CASE|TEXT: open a customer or a case", cmd_open },
	{ "cases", "cases [mine|team|all]: the case list", cmd_cases },
	{ "note", "note TEXT: on the open case", cmd_note },
	{ "escalate", "escalate [NOTE]: the open case", cmd_escalate },
	{ "assign", "assign LOGIN [NOTE]: the open case to another agent", cmd_assign },
	{ "close", "close CODE [NOTE]: the open case with a resolution code", cmd_close },
	{ "reply", "reply: an e-mail reply to the open case", cmd_reply },
	{ "next", "next: call the next campaign member", cmd_next },
	{ "callback", "callback MINUTES|HH:MM: the campaign member calls back then", cmd_callback },
	{ "filter", "filter CHANNEL|KIND|all: the timeline", cmd_filter },
	{ "ready", "ready: take calls", cmd_ready },
	{ "notready", "notready [REASON]: stop taking calls (a reason of the pause list)", cmd_notready },
	{ "break", "break [REASON]: a break (no reason: choose from the list)", cmd_break },
	{ "take", "take: the waiting call", cmd_take },
	{ "new", "new: a new contact", cmd_new },
	{ "save", "save: the open contact", cmd_save },
	{ "help", "help: all keys", cmd_help },
	{ "rules", "rules: the offer rules (supervisors)", cmd_rules },
	{ "atrisk", "atrisk: customers at risk (supervisors)", cmd_atrisk },
	{ "report", "report [YYYY-MM-DD]: the daily report (supervisors)", cmd_report },
	{ "campaigns", "campaigns: the campaign board (supervisors)", cmd_campaigns },
	{ "quit", "quit ccterm", cmd_quit },
};
#define NCOMMANDS (sizeof(commands) / sizeof(commands[0]))

void commands_run(struct app *app, const char *line)
{
	size_t n = strcspn(line, " ");
	const char *arg = line + n;

	while (*arg == ' ')
		arg++;
	for (size_t i = 0; i < NCOMMANDS; i++)
		if (strlen(commands[i].name) == n && strncmp(line, commands[i].name, n) == 0) {
			commands[i].run(app, arg);
			return;
		}
	app_message(app, _("Unknown command '%.*s'. Tab lists the commands."), (int)(n > 40 ? 40 : n), line);
}

/* Tab: a command name, or a customer name after search/open. */
static size_t complete(void *arg, const char *before, char **out, size_t max)
{
	struct app *app = arg;
	const char *space = strchr(before, ' ');
	size_t got = 0;

	if (!space) {
		for (size_t i = 0; i < NCOMMANDS && got < max; i++)
			if (strncmp(commands[i].name, before, strlen(before)) == 0)
				out[got++] = strdup(commands[i].name);
		return got;
	}
	if (strncmp(before, "assign ", 7) == 0 || strncmp(before, "close ", 6) == 0) {
		char verb[8];

		snprintf(verb, sizeof(verb), "%.*s", (int)(space - before), before);
		if (!strchr(space + 1, ' '))   /* the first word only: the rest is the note */
			return cases_complete(verb, space + 1, out, max);
		return 0;
	}
	if ((strncmp(before, "search ", 7) == 0 || strncmp(before, "open ", 5) == 0) && space[1]) {
		static struct search_reply found;
		const char *word = space + 1;
		char e164[PHONE_E164_MAX + 8];
		struct db_request rq;
		int n = 0;

		/* Tab asks and waits for the names, a bounded moment (the only wait
		 * on the database in the console, and only on an explicit Tab). */
		found.n = 0;
		db_search_request(&rq, word, phone_normalize(word, app->desk.country[0] ? app->desk.country : "KR",
							    e164, sizeof(e164)) == 0 ? e164 : NULL, 20);
		if (gateway_send(app->gw, &rq, db_search_read, &found, NULL, NULL) == 0 && gateway_drain(app->gw, 500))
			n = (int)found.n;
		for (int i = 0; i < n && got < max; i++) {
			struct customer_hit *hits = found.hits;
			bool dup = false;

			if (strncmp(hits[i].name, word, strlen(word)) != 0)
				continue;   /* found by phone or e-mail: not a name to complete */
			for (size_t j = 0; j < got; j++)
				dup |= strcmp(out[j], hits[i].name) == 0;
			if (!dup)
				out[got++] = strdup(hits[i].name);
		}
	}
	return got;
}

/* The line editor starts at the first ':' (cmdline.h); when it cannot,
 * the line was read without it and the message line says why (what the
 * command says, after, takes its place). */
static void say_if_plain(struct app *app, const char *line)
{
	const char *why = cmdline_error(app->cli);

	if (why)
		app_message(app, _("The command line has no editing or history: %s"), why);
	else if (line)
		app->message[0] = '\0';
}

void commands_prompt(struct app *app)
{
	int rows = getmaxy(stdscr), cols = getmaxx(stdscr);
	char *line;

	cmdline_set_completion(app->cli, complete, app);
	struct pollfd pfd;

	gateway_pollfd(app->gw, &pfd);
	cmdline_set_idle(app->cli, app_idle, app, pfd.fd);
	app->in_command = true;
	line = cmdline_read(app->cli, ":", rows - 2, cols);
	app->in_command = false;
	app->dirty = true;
	say_if_plain(app, line);
	if (!line)
		return;
	commands_run(app, line);
	free(line);
}

/* The argument of one command: its completion sees "verb " before it. */
static const char *asked_verb;

static size_t complete_asked(void *arg, const char *before, char **out, size_t max)
{
	char line[512];

	snprintf(line, sizeof(line), "%s %s", asked_verb, before);
	return complete(arg, line, out, max);
}

void commands_ask(struct app *app, const char *verb)
{
	int rows = getmaxy(stdscr), cols = getmaxx(stdscr);
	struct pollfd pfd;
	char prompt[32], *line, *full;

	asked_verb = verb;
	snprintf(prompt, sizeof(prompt), ":%s ", verb);
	cmdline_set_completion(app->cli, complete_asked, app);
	gateway_pollfd(app->gw, &pfd);
	cmdline_set_idle(app->cli, app_idle, app, pfd.fd);
	app->in_command = true;
	line = cmdline_read(app->cli, prompt, rows - 2, cols);
	app->in_command = false;
	app->dirty = true;
	say_if_plain(app, line);
	if (!line)
		return;
	if (asprintf(&full, "%s %s", verb, line) >= 0) {
		commands_run(app, full);
		free(full);
	}
	free(line);
}
