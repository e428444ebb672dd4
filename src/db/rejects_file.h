/* rejects_file.h - FILE.rejects, the rejected records of an import with
 * where each is and why, one a line (every importer: import.c,
 * import_job.c). Written to a temporary file beside it and renamed over it
 * once the import has committed: a killed or failed import never leaves a
 * partial list behind (at most a FILE.rejects.XXXXXX nobody reads). */
#ifndef CCTERM_REJECTS_FILE_H
#define CCTERM_REJECTS_FILE_H

#include <stdbool.h>
#include <stdio.h>

struct rejects_file {
	const char *path;   /* FILE.rejects (the caller's, e.g. import_result's) */
	char tmp[4200];
	FILE *f;            /* NULL until the first reject */
	bool failed;        /* the temporary file could not be made: said once */
};

/* path: FILE.rejects; a stale one is removed (it would mislead). */
void rejects_file_open(struct rejects_file *rf, const char *path);
/* "where: why", line ends in why made spaces. */
void rejects_file_add(struct rejects_file *rf, const char *where, const char *why);
/* After the commit: the rejects take their name, whole and synced. 0 or -1
 * (said on stderr). Nothing to do when there were none. */
int rejects_file_publish(struct rejects_file *rf);
/* After a rollback: nothing was loaded, so nothing was rejected either. */
void rejects_file_drop(struct rejects_file *rf);

#endif
