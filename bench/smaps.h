/* smaps.h - where a process's resident memory is: /proc/PID/smaps summed
 * per mapping name (a file's path, [heap], [stack], [anon] ...). */
#ifndef CCTERM_BENCH_SMAPS_H
#define CCTERM_BENCH_SMAPS_H

#include <stdbool.h>
#include <stddef.h>

struct smaps_entry {
	char name[256];
	long rss, priv, shared;      /* kB; priv: Private_Clean + Private_Dirty */
	long dirty;                  /* kB Private_Dirty: written (relocations, data, heap) */
};

struct smaps {
	struct smaps_entry *e;       /* by RSS, largest first */
	size_t n;
	long rss, pss, priv, dirty;  /* totals, kB */
};

/* Reads /proc/pid/smaps; false when it cannot (the process is gone). */
bool smaps_read(int pid, struct smaps *s);
void smaps_free(struct smaps *s);
/* The entry for a mapping name, NULL when the process maps no such thing. */
const struct smaps_entry *smaps_find(const struct smaps *s, const char *name);
/* The n largest mappings, one a line: "  RSS  private  shared  dirty  name". */
void smaps_print_top(const struct smaps *s, size_t n, const char *indent);

#endif
