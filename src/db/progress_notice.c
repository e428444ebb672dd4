/* progress_notice.c - a long server-side job (demo data, recompute) reports
 * the work it has done with notices "ccterm-progress DONE TOTAL UNIT PHASE"
 * (sql/demo/demo_data.sql, sql/repeatable/26_jobs.sql, raised only when
 * the session set ccterm.progress = on); they go to the progress line, any
 * other notice to stderr above it. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "db_priv.h"
#include "ccterm/db_progress.h"
#include "ccterm/progress.h"

#define TAG "ccterm-progress "

static PQnoticeReceiver previous;   /* libpq's own (it takes a NULL arg) */

static void receive(void *arg, const PGresult *res)
{
	struct progress *p = arg;
	const char *msg = PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY);
	long done, total;
	char unit[24];
	int used = 0;

	if (msg && strncmp(msg, TAG, strlen(TAG)) == 0 &&
	    sscanf(msg + strlen(TAG), "%ld %ld %23s %n", &done, &total, unit, &used) >= 3) {
		progress_unit(p, unit);
		/* the counts first: a new phase's rate counts from them */
		progress_tick(p, done, total);
		if (used > 0)
			progress_phase(p, msg + strlen(TAG) + used);
		return;
	}
	progress_clear(p);
	fputs(PQresultErrorMessage(res), stderr);
}

static void wait_tick(void *arg)
{
	progress_idle(arg);
}

int db_progress_follow(struct db *db, struct progress *p)
{
	if (!p) {
		db_set_wait_hook(db, NULL, NULL, 0);
		return 0;
	}
	PQnoticeReceiver old = PQsetNoticeReceiver(db_pg(db), receive, p);

	if (old != receive)
		previous = old;
	db_set_wait_hook(db, wait_tick, p, 100);
	return db_exec(db, "select set_config('ccterm.progress', 'on', false)", 0, NULL);
}

void db_progress_unfollow(struct db *db)
{
	db_set_wait_hook(db, NULL, NULL, 0);
	if (previous)
		PQsetNoticeReceiver(db_pg(db), previous, NULL);
	PQclear(PQexec(db_pg(db), "select set_config('ccterm.progress', 'off', false)"));
}
