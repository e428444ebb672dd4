/* smaps.c - a process's resident memory per mapping (smaps.h). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "smaps.h"

static struct smaps_entry *entry_for(struct smaps *s, const char *name, size_t *cap)
{
	for (size_t i = 0; i < s->n; i++)
		if (strcmp(s->e[i].name, name) == 0)
			return &s->e[i];
	if (s->n == *cap) {
		size_t nc = *cap ? *cap * 2 : 64;
		struct smaps_entry *ne = realloc(s->e, nc * sizeof(*ne));

		if (!ne)
			return NULL;
		s->e = ne;
		*cap = nc;
	}
	memset(&s->e[s->n], 0, sizeof(s->e[0]));
	snprintf(s->e[s->n].name, sizeof(s->e[0].name), "%s", name);
	return &s->e[s->n++];
}

static int by_rss(const void *a, const void *b)
{
	const struct smaps_entry *x = a, *y = b;

	return x->rss < y->rss ? 1 : x->rss > y->rss ? -1 : strcmp(x->name, y->name);
}

/* "start-end perms offset dev inode [name]": the name, "[anon]" when none. */
static bool mapping_name(const char *line, char *name, size_t size)
{
	unsigned long lo, hi, inode;
	int pos = 0;
	char perms[8];

	if (sscanf(line, "%lx-%lx %7s %*x %*s %lu %n", &lo, &hi, perms, &inode, &pos) < 4 || pos == 0)
		return false;
	line += pos;
	snprintf(name, size, "%s", *line && *line != '\n' ? line : "[anon]");
	name[strcspn(name, "\n")] = '\0';
	return true;
}

bool smaps_read(int pid, struct smaps *s)
{
	char path[64], line[512], name[256];
	struct smaps_entry *cur = NULL;
	size_t cap = 0;
	long v;
	FILE *fp;

	memset(s, 0, sizeof(*s));
	snprintf(path, sizeof(path), "/proc/%d/smaps", pid);
	fp = fopen(path, "r");
	if (!fp)
		return false;
	while (fgets(line, sizeof(line), fp)) {
		if (mapping_name(line, name, sizeof(name))) {
			cur = entry_for(s, name, &cap);
			continue;
		}
		if (!cur)
			continue;
		if (sscanf(line, "Rss: %ld", &v) == 1) {
			cur->rss += v;
			s->rss += v;
		} else if (sscanf(line, "Pss: %ld", &v) == 1) {
			s->pss += v;
		} else if (sscanf(line, "Private_Clean: %ld", &v) == 1) {
			cur->priv += v;
			s->priv += v;
		} else if (sscanf(line, "Private_Dirty: %ld", &v) == 1) {
			cur->priv += v;
			cur->dirty += v;
			s->priv += v;
			s->dirty += v;
		} else if (sscanf(line, "Shared_Clean: %ld", &v) == 1 || sscanf(line, "Shared_Dirty: %ld", &v) == 1) {
			cur->shared += v;
		}
	}
	fclose(fp);
	if (s->n > 0)
		qsort(s->e, s->n, sizeof(s->e[0]), by_rss);
	return s->rss > 0;
}

void smaps_free(struct smaps *s)
{
	free(s->e);
	memset(s, 0, sizeof(*s));
}

const struct smaps_entry *smaps_find(const struct smaps *s, const char *name)
{
	for (size_t i = 0; i < s->n; i++)
		if (strcmp(s->e[i].name, name) == 0)
			return &s->e[i];
	return NULL;
}

void smaps_print_top(const struct smaps *s, size_t n, const char *indent)
{
	long rest = 0;

	printf("%s%8s %8s %8s %8s  %s\n", indent, "RSS kB", "private", "shared", "dirty", "mapping");
	for (size_t i = 0; i < s->n; i++) {
		const struct smaps_entry *e = &s->e[i];

		if (i >= n) {
			rest += e->rss;
			continue;
		}
		printf("%s%8ld %8ld %8ld %8ld  %s\n", indent, e->rss, e->priv, e->shared, e->dirty, e->name);
	}
	if (rest > 0)
		printf("%s%8ld %8s %8s %8s  (%zu more mappings)\n", indent, rest, "", "", "", s->n - n);
}
