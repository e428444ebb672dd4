/* job.h - what every long ccterm-admin job does around its work: a progress
 * line on stderr (include/ccterm/progress.h; --quiet / --progress), notices
 * from the server read into it, and Ctrl-C rolling the job back. */
#ifndef CCTERM_ADMIN_JOB_H
#define CCTERM_ADMIN_JOB_H

#include "ccterm/db.h"
#include "ccterm/progress.h"
#include "opts.h"

/* Starts the progress line titled `what` (*p; NULL when not shown is fine:
 * every progress_* call takes NULL) and catches Ctrl-C. 0 or -1. */
int job_begin(struct db *db, const struct opts *o, const char *what, struct progress **p);
/* Ends both. rc is the job's (0 or -1); returns 0, -1 (main prints
 * db_error), or 130 after saying "interrupted: rolled back, nothing was
 * UNDONE" ("loaded", "changed"; NULL: "changed") on stderr. */
int job_end(struct db *db, struct progress *p, int rc, const char *undone);

#endif
