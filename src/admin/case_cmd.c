/* case_cmd.c - `ccterm-admin case-watch`: the SLA watch. It escalates each
 * open case when case_escalate_pct of its SLA has elapsed and marks it
 * overdue at its due time, and pushes each campaign call-back to its agent
 * when it comes due, on time: it sleeps until the next of these or until a
 * deadline moves (NOTIFY followup_watch), and survives a restart of the
 * server. Several may run: the rows are claimed SKIP LOCKED. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "ccterm/cases.h"
#include "follow.h"
#include "opts.h"
#include "ccterm/i18n.h"

#define WHO "ccterm-admin case-watch"
/* Look again at least this often (a clock change, a missed notification). */
#define MAX_SLEEP_MS 60000L

int cmd_case_watch(struct db *db, const struct opts *o)
{
	static const char *const known[] = { "--once", "--quiet", NULL };
	bool once = opt_get(o, "--once") != NULL, verbose = opt_get(o, "--quiet") == NULL;

	if (opt_check(o, known) < 0)
		return 2;
	follow_signals();
	if (!once && follow_listen(db, "followup_watch") < 0)
		return -1;
	while (!follow_stop) {
		int n = 0;
		long ms;

		if (case_sla_run(db, &n) < 0) {
			if (once)
				return -1;
			fprintf(stderr, "%s: %s\n", WHO, db_error(db));
			if (follow_wait(db, "followup_watch", db_ok(db) ? 1000 : 0, WHO) < 0)
				break;
			continue;
		}
		if (n && verbose) {
			printf(ngettext("%s: %d event (cases escalated or overdue, call-backs due)\n",
					"%s: %d events (cases escalated or overdue, call-backs due)\n", (unsigned long)n), WHO, n);
			fflush(stdout);
		}
		if (once)
			return 0;
		ms = case_sla_next_ms(db);
		if (ms == -2 && db_ok(db))
			fprintf(stderr, "%s: %s\n", WHO, db_error(db));
		if (ms < 0 || ms > MAX_SLEEP_MS)
			ms = MAX_SLEEP_MS;
		if (follow_wait(db, "followup_watch", ms + 5, WHO) < 0)
			break;
	}
	return 0;
}
