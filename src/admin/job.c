/* job.c - the frame of a long ccterm-admin job (job.h). */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "ccterm/db_progress.h"
#include "ccterm/interrupt.h"
#include "job.h"

int job_begin(struct db *db, const struct opts *o, const char *what, struct progress **p)
{
	*p = progress_start(what, progress_mode_from_args(o->argc, o->argv));
	if (db_interrupt_catch(db) < 0) {
		progress_finish(*p);
		*p = NULL;
		return -1;
	}
	if (progress_shown(*p) && db_progress_follow(db, *p) < 0) {
		db_interrupt_release();
		progress_finish(*p);
		*p = NULL;
		return -1;
	}
	return 0;
}

int job_end(struct db *db, struct progress *p, int rc, const char *undone)
{
	bool interrupted = db_interrupted();

	if (progress_shown(p))
		db_progress_unfollow(db);
	progress_finish(p);
	db_interrupt_release();
	if (rc < 0 && interrupted) {
		const char *why = db_error(db);

		if (strncmp(why, "interrupted:", 12) == 0)
			fprintf(stderr, "ccterm-admin: %s\n", why);
		else
			fprintf(stderr, "ccterm-admin: interrupted: rolled back, nothing was %s\n",
				undone ? undone : "changed");
		return 130;
	}
	return rc;
}
