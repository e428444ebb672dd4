/* mailbox.c - an mbox file or a Maildir directory as a sequence of messages.
 *
 * mbox (mboxrd, as mutt, Thunderbird and Google Takeout write it): a message
 * starts at a line "From " at the start of the file or after an empty line;
 * ">From ", ">>From " ... in a body lose one '>'. A file that does not end in
 * a line break ends inside its last message, which is marked truncated.
 * Maildir: every file of new/ then cur/, in name order (the names start
 * with the delivery time), dot files skipped. */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "ccterm/mailbox.h"

struct mailbox {
	/* mbox */
	FILE *fp;
	bool own_fp;
	char *line;             /* the line read ahead (the next From line) */
	size_t linecap;
	ssize_t linelen;
	long lineno;            /* of the line in `line` */
	bool eof;
	/* Maildir */
	char **files;
	size_t nfiles, next;
	/* both */
	char *name;
	char *buf;
	size_t len, cap;
	long recno;
};

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int maildir_list(struct mailbox *mb, const char *sub)
{
	char dir[4096];
	struct dirent *e;
	DIR *d;
	size_t first = mb->nfiles;

	snprintf(dir, sizeof(dir), "%s/%s", mb->name, sub);
	if (!(d = opendir(dir)))
		return errno == ENOENT ? 0 : -1;
	while ((e = readdir(d))) {
		char **nf;
		size_t n;

		if (e->d_name[0] == '.')
			continue;
		nf = realloc(mb->files, (mb->nfiles + 1) * sizeof(*nf));
		if (!nf)
			break;
		mb->files = nf;
		n = strlen(sub) + strlen(e->d_name) + 2;
		if (!(mb->files[mb->nfiles] = malloc(n)))
			break;
		snprintf(mb->files[mb->nfiles++], n, "%s/%s", sub, e->d_name);
	}
	closedir(d);
	qsort(mb->files + first, mb->nfiles - first, sizeof(*mb->files), cmp_names);
	return 0;
}

static struct mailbox *box_new(const char *name)
{
	struct mailbox *mb = calloc(1, sizeof(*mb));

	if (mb && !(mb->name = strdup(name))) {
		free(mb);
		mb = NULL;
	}
	return mb;
}

struct mailbox *mailbox_from_stream(FILE *fp, const char *name, char *err, size_t errsz)
{
	struct mailbox *mb = box_new(name);

	if (!mb) {
		snprintf(err, errsz, "out of memory");
		return NULL;
	}
	mb->fp = fp;
	/* the first line that is not empty must be a From line */
	do {
		mb->linelen = getline(&mb->line, &mb->linecap, fp);
		mb->lineno++;
	} while (mb->linelen > 0 && (mb->line[0] == '\n' || (mb->line[0] == '\r' && mb->line[1] == '\n')));
	if (mb->linelen <= 0) {
		snprintf(err, errsz, "%s: empty, no messages", name);
		mailbox_close(mb);
		return NULL;
	}
	if (mb->linelen < 5 || strncmp(mb->line, "From ", 5) != 0) {
		snprintf(err, errsz, "%s: not an mbox (line %ld is not a \"From \" line) nor a Maildir (cur/, new/)",
			 name, mb->lineno);
		mailbox_close(mb);
		return NULL;
	}
	return mb;
}

struct mailbox *mailbox_open(const char *path, char *err, size_t errsz)
{
	struct stat st;
	struct mailbox *mb;
	FILE *fp;

	if (stat(path, &st) < 0) {
		snprintf(err, errsz, "cannot read %s: %s", path, strerror(errno));
		return NULL;
	}
	if (S_ISDIR(st.st_mode)) {
		char sub[4200];
		struct stat s2;
		bool cur, new_;

		snprintf(sub, sizeof(sub), "%s/cur", path);
		cur = stat(sub, &s2) == 0 && S_ISDIR(s2.st_mode);
		snprintf(sub, sizeof(sub), "%s/new", path);
		new_ = stat(sub, &s2) == 0 && S_ISDIR(s2.st_mode);
		if (!cur && !new_) {
			snprintf(err, errsz, "%s: a directory without cur/ or new/ is not a Maildir", path);
			return NULL;
		}
		if (!(mb = box_new(path))) {
			snprintf(err, errsz, "out of memory");
			return NULL;
		}
		if (maildir_list(mb, "new") < 0 || maildir_list(mb, "cur") < 0) {
			snprintf(err, errsz, "cannot read %s: %s", path, strerror(errno));
			mailbox_close(mb);
			return NULL;
		}
		return mb;
	}
	if (!(fp = fopen(path, "r"))) {
		snprintf(err, errsz, "cannot read %s: %s", path, strerror(errno));
		return NULL;
	}
	mb = mailbox_from_stream(fp, path, err, errsz);
	if (!mb) {
		fclose(fp);
		return NULL;
	}
	mb->own_fp = true;
	return mb;
}

void mailbox_close(struct mailbox *mb)
{
	if (!mb)
		return;
	if (mb->own_fp && mb->fp)
		fclose(mb->fp);
	for (size_t i = 0; i < mb->nfiles; i++)
		free(mb->files[i]);
	free(mb->files);
	free(mb->line);
	free(mb->buf);
	free(mb->name);
	free(mb);
}

static bool buf_reserve(struct mailbox *mb, size_t n)
{
	if (mb->len + n + 1 > mb->cap) {
		size_t cap = mb->cap ? mb->cap : 65536;
		char *nb;

		while (cap < mb->len + n + 1)
			cap *= 2;
		if (!(nb = realloc(mb->buf, cap)))
			return false;
		mb->buf = nb;
		mb->cap = cap;
	}
	return true;
}

static bool buf_add(struct mailbox *mb, const char *s, size_t n)
{
	if (!buf_reserve(mb, n))
		return false;
	memcpy(mb->buf + mb->len, s, n);
	mb->len += n;
	mb->buf[mb->len] = '\0';
	return true;
}

/* ">From ", ">>From ": one '>' less. */
static bool quoted_from(const char *l, ssize_t n)
{
	ssize_t i = 0;

	while (i < n && l[i] == '>')
		i++;
	return i > 0 && n - i >= 5 && strncmp(l + i, "From ", 5) == 0;
}

static int mbox_next(struct mailbox *mb, struct mailbox_msg *m, char *why, size_t whysz)
{
	bool blank_before = false, too_big = false, last_nl = true;

	if (mb->eof || mb->linelen <= 0)
		return 0;
	mb->len = 0;
	m->recno = ++mb->recno;
	snprintf(m->where, sizeof(m->where), "%s:%ld", mb->name, mb->lineno);
	for (;;) {
		mb->linelen = getline(&mb->line, &mb->linecap, mb->fp);
		mb->lineno++;
		if (mb->linelen <= 0) {
			mb->eof = true;
			break;
		}
		if (blank_before && mb->linelen >= 5 && strncmp(mb->line, "From ", 5) == 0)
			break;
		last_nl = mb->line[mb->linelen - 1] == '\n';
		blank_before = mb->line[0] == '\n' || (mb->linelen == 2 && mb->line[0] == '\r' && mb->line[1] == '\n');
		if (too_big)
			continue;
		if (mb->len + (size_t)mb->linelen > (size_t)MAILBOX_MESSAGE_MAX) {
			too_big = true;
			continue;
		}
		if (!buf_add(mb, mb->line + (quoted_from(mb->line, mb->linelen) ? 1 : 0),
			     (size_t)mb->linelen - (quoted_from(mb->line, mb->linelen) ? 1 : 0))) {
			snprintf(why, whysz, "out of memory");
			too_big = true;
		}
	}
	m->data = mb->buf ? mb->buf : "";
	m->len = mb->len;
	m->truncated = !last_nl;
	/* the empty line before the next From line is the separator, not the message's */
	if (!mb->eof && m->len > 0 && mb->buf[m->len - 1] == '\n') {
		m->len--;
		if (m->len > 0 && mb->buf[m->len - 1] == '\r')
			m->len--;
	}
	if (too_big) {
		if (!why[0])
			snprintf(why, whysz, "message larger than %ld MiB", MAILBOX_MESSAGE_MAX / (1024 * 1024));
		return -1;
	}
	return 1;
}

static int maildir_next(struct mailbox *mb, struct mailbox_msg *m, char *why, size_t whysz)
{
	char path[8400];
	struct stat st;
	FILE *fp;

	if (mb->next >= mb->nfiles)
		return 0;
	m->recno = ++mb->recno;
	m->truncated = 0;
	snprintf(m->where, sizeof(m->where), "%s/%s", mb->name, mb->files[mb->next]);
	snprintf(path, sizeof(path), "%s/%s", mb->name, mb->files[mb->next++]);
	mb->len = 0;
	if (!(fp = fopen(path, "r")) || fstat(fileno(fp), &st) < 0) {
		snprintf(why, whysz, "cannot read it: %s", strerror(errno));
		if (fp)
			fclose(fp);
		return -1;
	}
	if (!S_ISREG(st.st_mode) || st.st_size > MAILBOX_MESSAGE_MAX) {
		snprintf(why, whysz, S_ISREG(st.st_mode) ? "message larger than 32 MiB" : "not a file");
		fclose(fp);
		return -1;
	}
	if (!buf_reserve(mb, (size_t)st.st_size)) {
		fclose(fp);
		snprintf(why, whysz, "out of memory");
		return -1;
	}
	mb->len = fread(mb->buf, 1, (size_t)st.st_size, fp);
	mb->buf[mb->len] = '\0';
	fclose(fp);
	m->data = mb->buf;
	m->len = mb->len;
	return 1;
}

int mailbox_next(struct mailbox *mb, struct mailbox_msg *m, char *why, size_t whysz)
{
	why[0] = '\0';
	return mb->files || !mb->fp ? maildir_next(mb, m, why, whysz) : mbox_next(mb, m, why, whysz);
}
