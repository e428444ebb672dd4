/* ccterm-cti - CTI events into the database: a call arrives (and is routed),
 * is answered, hangs up; agents change state; the database's timers (ring
 * no answer); a simulated floor. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ccterm/db.h"
#include "ccterm/i18n.h"
#include "ccterm/floor.h"
#include "ccterm/pause.h"
#include "cti/adapters.h"
#include "cti/simulate.h"
#include "cti/timers.h"

static const char usage[] =
	"usage: ccterm-cti [-d CONNINFO] COMMAND ...\n"
	"       ccterm-cti --help | --version\n"
	"  call --ani NUMBER [--dnis NUMBER] [--queue NAME] [--agent LOGIN]   prints the call id;\n"
	"       without --agent the call is offered to the longest-idle ready agent of the queue, or waits;\n"
	"       with --agent it is offered to that agent, refused while the agent has a call\n"
	"  answer ID\n"
	"  hangup ID                 before an answer: an abandon\n"
	"  no-answer ID              the offered agent did not pick up: offer it to someone else\n"
	"  agent LOGIN ready|not-ready|break|logout [REASON]   REASON: a pause reason of the list\n"
	"                            (lunch, training, after_call_work ...: pause_reasons())\n"
	"  timers [--once] [--quiet]   takes back offers not answered within the ring timeout, on time;\n"
	"                            runs until stopped (--once: one pass, prints how many)\n"
	"  ami HOST:PORT --user USER --secret-file FILE   Asterisk Manager Interface (secret also from\n"
	"                            CCTERM_AMI_SECRET); runs until stopped, reconnecting\n"
	"  esl HOST:PORT --password-file FILE             FreeSWITCH event socket, mod_callcenter events\n"
	"                            (password also from CCTERM_ESL_PASSWORD)\n"
	"  events [--socket PATH]    JSON lines on standard input or a UNIX socket:\n"
	"                            {\"event\":\"offered\",\"call_id\":\"x1\",\"ani\":..,\"dnis\":..,\"queue\":..,\"agent\":..}\n"
	"  simulate --rate CALLS_PER_SEC --duration SECONDS [--agents N] [--queue NAME] [--speed X]\n"
	"           [--talk S] [--wrap S] [--patience S] [--seed N] [--prefix P]\n";

static const char *opt_get(int argc, char **argv, const char *name)
{
	for (int i = 0; i + 1 < argc; i++)
		if (strcmp(argv[i], name) == 0)
			return argv[i + 1];
	return NULL;
}

static int cmd_call(struct db *db, int argc, char **argv)
{
	const char *ani = opt_get(argc, argv, "--ani");
	long long id;

	if (!ani) {
		fputs(usage, stderr);
		return 2;
	}
	if (db_call_arrive(db, ani, opt_get(argc, argv, "--dnis"), opt_get(argc, argv, "--queue"),
			   opt_get(argc, argv, "--agent"), &id) < 0)
		return -1;
	printf("%lld\n", id);
	return 0;
}

static int cmd_update(struct db *db, const char *what, const char *arg)
{
	long long id;
	int rc;

	if (!*arg || strspn(arg, "0123456789") != strlen(arg) || strlen(arg) > 18) {
		fprintf(stderr, "ccterm-cti: %s: call id must be a number\n", arg);
		return 2;
	}
	id = atoll(arg);
	if (strcmp(what, "answer") == 0)
		rc = db_call_answer(db, id);
	else if (strcmp(what, "hangup") == 0)
		rc = db_call_hangup(db, id, NULL);
	else
		rc = db_call_no_answer(db, id);
	if (rc < 0)
		return -1;
	if (rc == 0) {
		db_set_error(db, "call %s: no such call in a state that can be %s", arg,
			     strcmp(what, "answer") == 0 ? "answered"
			     : strcmp(what, "hangup") == 0 ? "hung up" : "taken back from a ringing agent");
		return -1;
	}
	printf(strcmp(what, "answer") == 0 ? _("call %s answered\n")
	       : strcmp(what, "hangup") == 0 ? _("call %s hung up\n") : _("call %s taken back from the ringing agent\n"), arg);
	return 0;
}

/* The words a PBX or a person types, to the states the database keeps. */
static const char *state_word(const char *w)
{
	static const char *const words[][2] = {
		{ "ready", "ready" }, { "not-ready", "not_ready" }, { "not_ready", "not_ready" },
		{ "break", "break" }, { "logout", "logged_out" }, { "logged_out", "logged_out" },
		{ "wrap-up", "wrap_up" }, { "wrap_up", "wrap_up" },
	};

	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (strcmp(w, words[i][0]) == 0)
			return words[i][1];
	return NULL;
}

static int cmd_agent(struct db *db, int argc, char **argv)
{
	const char *state;

	if ((argc != 2 && argc != 3) || !(state = state_word(argv[1]))) {
		fputs(usage, stderr);
		return 2;
	}
	/* A pause with a reason of the list: the reason decides break or not ready. */
	if (argc == 3) {
		if (db_agent_pause_for(db, argv[0], argv[2]) < 0)
			return -1;
		printf(_("agent %s paused: %s\n"), argv[0], argv[2]);
		return 0;
	}
	if (db_agent_set_state_for(db, argv[0], state, "cti") < 0)
		return -1;
	printf(_("agent %s: %s\n"), argv[0], i18n_word(state));
	return 0;
}

int main(int argc, char **argv)
{
	const char *conninfo = NULL;
	char err[512];
	struct db *db;
	int rc;

	i18n_init();
	if (argc > 2 && strcmp(argv[1], "-d") == 0) {
		conninfo = argv[2];
		argc -= 2;
		argv += 2;
	}
	if (argc == 2 && strcmp(argv[1], "--version") == 0)
		return printf("ccterm-cti %s\n", PACKAGE_VERSION) < 0 ? 1 : 0;
	if (argc == 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0))
		return fputs(usage, stdout) < 0 ? 1 : 0;
	if (argc < 2 || (strcmp(argv[1], "call") != 0 && strcmp(argv[1], "simulate") != 0 &&
			  strcmp(argv[1], "timers") != 0 && strcmp(argv[1], "events") != 0 && argc < 3)) {
		fputs(usage, stderr);
		return 2;
	}
	db = db_open(conninfo, err, sizeof(err));
	if (!db) {
		fprintf(stderr, "ccterm-cti: %s\n", err);
		return 1;
	}
	if (strcmp(argv[1], "call") == 0)
		rc = cmd_call(db, argc - 2, argv + 2);
	else if (strcmp(argv[1], "answer") == 0 || strcmp(argv[1], "hangup") == 0 ||
		 strcmp(argv[1], "no-answer") == 0)
		rc = cmd_update(db, argv[1], argv[2]);
	else if (strcmp(argv[1], "agent") == 0)
		rc = cmd_agent(db, argc - 2, argv + 2);
	else if (strcmp(argv[1], "simulate") == 0)
		rc = sim_main(db, argc - 2, argv + 2);
	else if (strcmp(argv[1], "timers") == 0)
		rc = timers_main(db, argc - 2, argv + 2);
	else if (strcmp(argv[1], "ami") == 0)
		rc = ami_main(db, argc - 2, argv + 2);
	else if (strcmp(argv[1], "esl") == 0)
		rc = esl_main(db, argc - 2, argv + 2);
	else if (strcmp(argv[1], "events") == 0)
		rc = events_main(db, argc - 2, argv + 2);
	else {
		fputs(usage, stderr);
		rc = 2;
	}
	if (rc < 0)
		fprintf(stderr, "ccterm-cti: %s\n", db_error(db));
	db_close(db);
	return rc < 0 ? 1 : rc;
}
