/* rejects_file.c - FILE.rejects written aside, published on commit
 * (rejects_file.h). */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "rejects_file.h"

void rejects_file_open(struct rejects_file *rf, const char *path)
{
	memset(rf, 0, sizeof(*rf));
	rf->path = path;
	remove(path);
}

void rejects_file_add(struct rejects_file *rf, const char *where, const char *why)
{
	if (!rf->f && !rf->failed) {
		int fd;

		snprintf(rf->tmp, sizeof(rf->tmp), "%s.XXXXXX", rf->path);
		fd = mkstemp(rf->tmp);
		if (fd >= 0 && !(rf->f = fdopen(fd, "w")))
			close(fd);
		if (!rf->f) {
			fprintf(stderr, "ccterm-admin: cannot write %s: %s\n", rf->tmp, strerror(errno));
			if (fd >= 0)
				unlink(rf->tmp);
			rf->failed = true;
		}
	}
	if (!rf->f)
		return;
	/* one line each, whatever the reason quotes */
	fprintf(rf->f, "%s: ", where);
	for (const char *p = why; *p; p++)
		putc(*p == '\n' || *p == '\r' ? ' ' : *p, rf->f);
	putc('\n', rf->f);
}

int rejects_file_publish(struct rejects_file *rf)
{
	FILE *f = rf->f;
	int rc = 0;

	rf->f = NULL;
	if (!f)
		return 0;
	if (fflush(f) != 0 || fsync(fileno(f)) < 0 || fchmod(fileno(f), 0644) < 0)
		rc = -1;
	if (fclose(f) != 0)
		rc = -1;
	if (rc == 0 && rename(rf->tmp, rf->path) < 0)
		rc = -1;
	if (rc < 0) {
		fprintf(stderr, "ccterm-admin: cannot write %s: %s\n", rf->path, strerror(errno));
		unlink(rf->tmp);
	}
	return rc;
}

void rejects_file_drop(struct rejects_file *rf)
{
	if (!rf->f)
		return;
	fclose(rf->f);
	rf->f = NULL;
	unlink(rf->tmp);
}
