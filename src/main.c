/* ccterm - the call-center console. */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <locale.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ccterm/action.h"
#include "ccterm/embedded.h"
#include "ccterm/i18n.h"
#include "ccterm/journal.h"
#include "ccterm/keymap.h"
#include "ccterm/relay_path.h"
#include "cli/cmdline.h"
#include "gateway/gateway.h"
#include "gateway/relay_link.h"
#include "headless.h"
#include "ui/app.h"

static const char usage[] =
	"usage: ccterm [-d CONNINFO] [-b CONNINFO] [-k vi|FILE] [-r PATH|off] [--headless]\n"
	"       ccterm --actions   every action a key file can bind, with what it does\n"
	"       ccterm --help | --version\n"
	"  -d CONNINFO  PostgreSQL connection (else PGHOST, PGDATABASE, PGUSER, PGSERVICE ...)\n"
	"  -b CONNINFO  the supervisors' boards read here: a streaming standby, e.g.\n"
	"               \"host=standby,primary target_session_attrs=prefer-standby\"\n"
	"  -k vi|FILE   extra key map laid over the defaults (keymaps/README.md)\n"
	"  -r PATH|off  ccterm-relayd's socket (else $CCTERM_RELAY, else " RELAY_SYSTEM_PATH " when there,\n"
	"               else $XDG_RUNTIME_DIR/" RELAY_USER_NAME "); off: LISTEN directly always\n"
	"  --headless   no screen: take every call offered and print \"pop ID MICROSECONDS VIA\" (benchmarks)\n"
	"The agent is the PostgreSQL role the console connects as.\n";

/* ccterm --actions: the names key files bind (keymaps/README.md), from the one list in action.h. */
static int print_actions(void)
{
	for (int a = 0; a < ACTION_COUNT; a++)
		printf("%-18s %s\n", action_name((enum action)a), action_help((enum action)a));
	return fflush(stdout) == 0 && !ferror(stdout) ? 0 : 1;
}

static void key_error(void *arg, const char *message)
{
	struct app *app = arg;

	fprintf(stderr, "ccterm: %s\n", message);
	if (!app->message[0])
		snprintf(app->message, sizeof(app->message), "%s", message);
}

static char *file_read(const char *path)
{
	FILE *fp = fopen(path, "r");
	char *buf = NULL;
	size_t len = 0;

	if (!fp)
		return NULL;
	for (;;) {
		char *nb = realloc(buf, len + 4097);
		size_t n;

		if (!nb)
			break;
		buf = nb;
		n = fread(buf + len, 1, 4096, fp);
		len += n;
		buf[len] = '\0';
		if (n < 4096)
			break;
	}
	fclose(fp);
	return buf;
}

static void keys_load_file(struct app *app, const char *path, bool must_exist)
{
	char *text = file_read(path);

	if (!text) {
		if (must_exist)
			key_error(app, "cannot read key file");
		return;
	}
	keymap_load_text(app->keys, text, path, key_error, app);
	free(text);
}

/* Defaults, then -k, then the user's own file: each overrides the one before. */
static void keys_load(struct app *app, const char *extra)
{
	const char *xdg = getenv("XDG_CONFIG_HOME"), *home = getenv("HOME");
	char path[4096], name[64];
	const char *builtin;

	keymap_load_text(app->keys, embedded_find(builtin_keymaps, builtin_keymaps_count, "default.keys"),
			 "default.keys", key_error, app);
	if (extra) {
		snprintf(name, sizeof(name), "%s.keys", extra);
		builtin = strchr(extra, '/') ? NULL : embedded_find(builtin_keymaps, builtin_keymaps_count, name);
		if (builtin)
			keymap_load_text(app->keys, builtin, name, key_error, app);
		else
			keys_load_file(app, extra, true);
	}
	if (xdg && *xdg)
		snprintf(path, sizeof(path), "%s/ccterm/keys", xdg);
	else
		snprintf(path, sizeof(path), "%s/.config/ccterm/keys", home ? home : ".");
	keys_load_file(app, path, false);
}

/* The command history beside the journal: LOGIN.journal -> LOGIN.history. */
static void history_path(const char *journal, char *out, size_t size)
{
	size_t n = strlen(journal);
	static const char ext[] = ".journal";

	if (n >= sizeof(ext) - 1 && strcmp(journal + n - (sizeof(ext) - 1), ext) == 0)
		n -= sizeof(ext) - 1;
	snprintf(out, size, "%.*s.history", (int)n, journal);
}

struct start {
	int rc;              /* 1 until the reply is in */
	char error[256];
};

static void agent_read(void *arg, const struct gw_reply *r)
{
	struct start *st = arg;

	st->rc = r->rc;
	snprintf(st->error, sizeof(st->error), "%s", r->error);
}

int main(int argc, char **argv)
{
	/* Static, not on the stack: its 180 kB (the desk's pop, search hits,
	 * lists ...) stay untouched zero pages until a screen fills them. */
	static struct app app;
	static const struct option longs[] = {
		{ "headless", no_argument, NULL, 'H' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *conninfo = NULL, *board = NULL, *keys = NULL, *relay = NULL;
	char relay_path[108];
	bool headless = false;
	char err[512], path[4096], history[4200];
	struct db_request rq;
	struct start got = { .rc = 1 };
	int opt, rc = 1;

	i18n_init();
	if (argc == 2 && strcmp(argv[1], "--actions") == 0)
		return print_actions();
	if (argc == 2 && strcmp(argv[1], "--version") == 0)
		return printf("ccterm %s\n", PACKAGE_VERSION) < 0 ? 1 : 0;
	if (argc == 2 && strcmp(argv[1], "--help") == 0)
		return fputs(usage, stdout) < 0 ? 1 : 0;
	while ((opt = getopt_long(argc, argv, "d:b:k:r:h", longs, NULL)) != -1) {
		switch (opt) {
		case 'd': conninfo = optarg; break;
		case 'b': board = optarg; break;
		case 'k': keys = optarg; break;
		case 'r': relay = optarg; break;
		case 'H': headless = true; break;
		case 'h': fputs(usage, stdout); return 0;
		default: fputs(usage, stderr); return 2;
		}
	}
	if (!headless && (!isatty(0) || !isatty(1))) {
		fprintf(stderr, "ccterm: needs a terminal\n");
		return 2;
	}
	app.keys = keymap_new();
	if (!app.keys) {
		fprintf(stderr, "ccterm: out of memory\n");
		return 1;
	}
	keys_load(&app, keys);
	app.gw = gateway_open(conninfo, err, sizeof(err));
	if (!app.gw) {
		fprintf(stderr, "ccterm: %s\n", err);
		keymap_free(app.keys);
		return 1;
	}
	/* Who the agent is, before the screen starts: the journal is theirs. */
	db_agent_self_request(&rq);
	if (gateway_send(app.gw, &rq, db_agent_self_read, &app.desk.now.agent, agent_read, &got) < 0 ||
	    !gateway_drain(app.gw, 10000) || got.rc != 0) {
		fprintf(stderr, "ccterm: %s\n", got.error[0] ? got.error : "the database did not answer");
		goto out_gw;
	}
	/* The journal is per agent and per machine: what was typed here comes back here. */
	path[0] = '\0';
	if (journal_default_path(app.desk.now.agent.login, path, sizeof(path)) < 0) {
		fprintf(stderr, "ccterm: draft journal %s: %s (ccterm keeps what an agent types there: "
			"make its directory writable or set XDG_STATE_HOME)\n", path[0] ? path : "(no path)",
			strerror(errno));
		goto out_gw;
	}
	{
		struct agent_info me = app.desk.now.agent;

		if (desk_init(&app.desk, path, err, sizeof(err)) < 0) {
			fprintf(stderr, "ccterm: %s\n", err);
			goto out_gw;
		}
		desk_set_agent(&app.desk, &me);
	}
	/* The boards only read: they may go to a standby (docs/SCALE.md). When
	 * it cannot be reached at all the boards read what the rest reads. */
	if (board && !(app.board_gw = gateway_open(board, err, sizeof(err))))
		fprintf(stderr, "ccterm: the boards' database (-b): %s; they read from the console's\n", err);
	/* The relay, when there is one: notifications through it, else LISTEN. */
	if (relay_path_console(relay, relay_path, sizeof(relay_path)) == 0)
		app.desk.relay = relay_link_new(relay_path, app.desk.now.agent.login, gateway_dbname(app.gw));
	if (headless) {
		rc = headless_run(app.gw, &app.desk);
		goto out_desk;
	}
	history_path(path, history, sizeof(history));
	app.cli = cmdline_new(history);
	if (!app.cli) {
		fprintf(stderr, "ccterm: out of memory (the command line, history %s)\n", history);
		goto out_desk;
	}
	rc = app_run(&app);
	cmdline_free(app.cli);
out_desk:
	gateway_close(app.board_gw);
	gateway_close(app.gw);
	app.gw = NULL;
	relay_link_free(app.desk.relay);
	app.desk.relay = NULL;
	desk_free(&app.desk);
	keymap_free(app.keys);
	return rc;
out_gw:
	gateway_close(app.gw);
	keymap_free(app.keys);
	return rc;
}
