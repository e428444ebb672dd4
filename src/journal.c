/* journal.c - the append-only draft journal (format in journal.h).
 *
 * The journal keeps its own copy of the open draft, built by the same
 * function that replays the file: an edit is applied to that copy first
 * (which also checks it), then written. So the file always replays to the
 * copy, and the copy is what compaction writes. When a write fails the copy
 * is ahead of the file; the journal then rewrites itself whole at the next
 * call (j->resync). */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "ccterm/journal.h"

#define HDR 12                          /* record header bytes */
#define MAGIC0 0xFE
#define MAGIC1 'J'
#define COMPACT_MIN (256 * 1024)        /* grow at least this far before compacting */
#define READ_MAX ((off_t)256 << 20)     /* a bigger journal is not ours */

struct journal {
	int fd;
	char *path;
	struct draft_state draft;       /* the open draft, when open */
	bool open;
	off_t size;                     /* bytes of whole records in the file */
	off_t compact_at;               /* compact when size passes this */
	bool dirty;                     /* written (or failed) since the last sync */
	long long dirty_since;
	bool resync;                    /* the file lags the copy: rewrite it */
	unsigned char *out;             /* records being encoded */
	size_t outlen, outcap;
	char err[256];
};

/* --- CRC-32 (IEEE 802.3, reflected, polynomial 0xEDB88320) ------------- */

static uint32_t crc_table[256];

static uint32_t crc32_update(uint32_t crc, const unsigned char *p, size_t n)
{
	if (crc_table[1] == 0) {
		for (uint32_t i = 0; i < 256; i++) {
			uint32_t c = i;

			for (int k = 0; k < 8; k++)
				c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
			crc_table[i] = c;
		}
	}
	crc = ~crc;
	while (n-- > 0)
		crc = crc_table[(crc ^ *p++) & 0xFF] ^ (crc >> 8);
	return ~crc;
}

static void put32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)v;
	p[1] = (unsigned char)(v >> 8);
	p[2] = (unsigned char)(v >> 16);
	p[3] = (unsigned char)(v >> 24);
}

static uint32_t get32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* --- the draft, as records change it ------------------------------------ */

void draft_state_free(struct draft_state *d)
{
	if (!d)
		return;
	for (size_t i = 0; i < d->nfields && i < JOURNAL_MAX_FIELDS; i++)
		free(d->fields[i].value);
	memset(d, 0, sizeof(*d));
}

static struct draft_field *field_find(const struct draft_state *d, const char *name, size_t nl)
{
	for (size_t i = 0; i < d->nfields; i++) {
		const struct draft_field *f = &d->fields[i];

		if (strlen(f->name) == nl && memcmp(f->name, name, nl) == 0)
			return (struct draft_field *)f;
	}
	return NULL;
}

const char *draft_state_get(const struct draft_state *d, const char *field)
{
	const struct draft_field *f = field_find(d, field, strlen(field));

	return f ? f->value : NULL;
}

static bool is_cont(unsigned char c)
{
	return (c & 0xC0) == 0x80;
}

/* True when byte offset off of f's value does not fall inside a UTF-8 character. */
static bool at_char(const struct draft_field *f, size_t off)
{
	return off == 0 || off >= f->len || !is_cont((unsigned char)f->value[off]);
}

/* The field named in a payload, added (empty) when missing; NULL when the
 * draft is full (E2BIG) or out of memory (ENOMEM). */
static struct draft_field *field_get(struct draft_state *d, const char *name, size_t nl, int *why)
{
	struct draft_field *f = field_find(d, name, nl);

	if (f)
		return f;
	if (d->nfields >= JOURNAL_MAX_FIELDS) {
		*why = E2BIG;
		return NULL;
	}
	f = &d->fields[d->nfields];
	f->value = calloc(1, 1);
	if (!f->value) {
		*why = ENOMEM;
		return NULL;
	}
	memcpy(f->name, name, nl);
	f->name[nl] = '\0';
	f->len = 0;
	d->nfields++;
	return f;
}

/*
 * Applies one record to d. Returns 0, or an errno value saying why the
 * record does not apply (EINVAL malformed / out of bounds / no draft open,
 * E2BIG too many fields, EMSGSIZE value too long, ENOMEM); d is then
 * unchanged (except that an INSERT into a new field that runs out of
 * memory leaves that field behind, empty).
 */
static int state_apply(struct draft_state *d, bool *is_open, int type, const unsigned char *p, size_t n)
{
	const char *name = NULL;
	size_t nl = 0;
	struct draft_field *f;
	int why = EINVAL;

	switch (type) {
	case JOURNAL_BEGIN:
	case JOURNAL_SAVED:
	case JOURNAL_DISCARD:
		if (n == 0 || n > JOURNAL_ID_MAX || memchr(p, '\0', n))
			return EINVAL;
		if (type == JOURNAL_BEGIN) {
			draft_state_free(d);
			memcpy(d->id, p, n);
			*is_open = true;
		} else if (*is_open && strlen(d->id) == n && memcmp(d->id, p, n) == 0) {
			draft_state_free(d);
			*is_open = false;
		}
		return 0;
	case JOURNAL_SET:
	case JOURNAL_INSERT:
	case JOURNAL_DELETE:
		if (!*is_open || n < 1)
			return EINVAL;
		nl = p[0];
		if (nl == 0 || nl > JOURNAL_FIELD_NAME_MAX || n < 1 + nl || memchr(p + 1, '\0', nl))
			return EINVAL;
		name = (const char *)p + 1;
		p += 1 + nl;
		n -= 1 + nl;
		break;
	default:
		return EINVAL;
	}

	if (type == JOURNAL_SET) {
		char *v = malloc(n + 1);

		if (!v)
			return ENOMEM;
		f = field_get(d, name, nl, &why);
		if (!f) {
			free(v);
			return why;
		}
		memcpy(v, p, n);
		v[n] = '\0';
		free(f->value);
		f->value = v;
		f->len = n;
		return 0;
	}
	if (type == JOURNAL_INSERT) {
		size_t off, add;
		char *v;

		if (n < 4)
			return EINVAL;
		off = get32(p);
		add = n - 4;
		f = field_find(d, name, nl);
		if (f ? off > f->len || !at_char(f, off) : off > 0)
			return EINVAL;
		/* The value must stay small enough for a SET record (compaction). */
		if (add > JOURNAL_MAX_RECORD - 1 - nl - (f ? f->len : 0))
			return EMSGSIZE;
		if (!f && !(f = field_get(d, name, nl, &why)))
			return why;
		v = realloc(f->value, f->len + add + 1);
		if (!v)
			return ENOMEM;
		memmove(v + off + add, v + off, f->len - off + 1);
		memcpy(v + off, p + 4, add);
		f->value = v;
		f->len += add;
		return 0;
	}
	/* JOURNAL_DELETE */
	{
		size_t off, len;

		if (n != 8)
			return EINVAL;
		off = get32(p);
		len = get32(p + 4);
		f = field_find(d, name, nl);
		if (!f)
			return len == 0 ? 0 : EINVAL;
		if (off > f->len || len > f->len - off || !at_char(f, off) || !at_char(f, off + len))
			return EINVAL;
		memmove(f->value + off, f->value + off + len, f->len - off - len + 1);
		f->len -= len;
		return 0;
	}
}

/* --- reading a journal file ---------------------------------------------- */

/* The length of the valid record starting at b[p], or 0 when none does. */
static size_t record_at(const unsigned char *b, size_t size, size_t p)
{
	uint32_t len;

	if (size - p < HDR || b[p] != MAGIC0 || b[p + 1] != MAGIC1 || b[p + 3] != 0)
		return 0;
	if (b[p + 2] < JOURNAL_BEGIN || b[p + 2] > JOURNAL_DISCARD)
		return 0;
	len = get32(b + p + 4);
	if (len > JOURNAL_MAX_RECORD || len > size - p - HDR)
		return 0;
	if (crc32_update(crc32_update(0, b + p, 8), b + p + HDR, len) != get32(b + p + 8))
		return 0;
	return HDR + len;
}

/*
 * Replays b[0..size) into d / *is_open. A spot where no valid record starts
 * (a corrupt record, a torn tail) is skipped up to the next valid record;
 * *valid_end is where the last valid record ends. -1 only when out of memory.
 */
static int replay(const unsigned char *b, size_t size, struct draft_state *d, bool *is_open,
		  size_t *valid_end)
{
	size_t p = 0;

	*valid_end = 0;
	while (p < size) {
		size_t n = record_at(b, size, p);
		const unsigned char *next;

		if (n == 0) {
			next = memchr(b + p + 1, MAGIC0, size - p - 1);
			p = next ? (size_t)(next - b) : size;
			continue;
		}
		if (state_apply(d, is_open, b[p + 2], b + p + HDR, n - HDR) == ENOMEM) {
			errno = ENOMEM;
			return -1;
		}
		p += n;
		*valid_end = p;
	}
	return 0;
}

/* Reads all of fd (as long as it was when we looked) into a malloc'd buffer. */
static unsigned char *read_all(int fd, size_t *size)
{
	struct stat st;
	unsigned char *b;
	size_t got = 0;

	if (fstat(fd, &st) < 0)
		return NULL;
	if (st.st_size > READ_MAX) {
		errno = EFBIG;
		return NULL;
	}
	b = malloc((size_t)st.st_size + 1);
	if (!b)
		return NULL;
	while (got < (size_t)st.st_size) {
		ssize_t r = pread(fd, b + got, (size_t)st.st_size - got, (off_t)got);

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			free(b);
			return NULL;
		}
		if (r == 0)
			break;
		got += (size_t)r;
	}
	*size = got;
	return b;
}

int journal_recover(const char *path, struct draft_state *out)
{
	unsigned char *b;
	size_t size, end;
	bool is_open = false;
	int fd, rc;

	memset(out, 0, sizeof(*out));
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return errno == ENOENT ? 0 : -1;
	b = read_all(fd, &size);
	close(fd);
	if (!b)
		return -1;
	rc = replay(b, size, out, &is_open, &end);
	free(b);
	if (rc < 0 || !is_open) {
		draft_state_free(out);
		return rc < 0 ? -1 : 0;
	}
	return 1;
}

/* --- writing -------------------------------------------------------------- */

__attribute__((format(printf, 2, 3)))
static void set_err(struct journal *j, const char *fmt, ...)
{
	int saved = errno;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(j->err, sizeof(j->err), fmt, ap);
	va_end(ap);
	errno = saved;
}

const char *journal_error(const struct journal *j)
{
	return j ? j->err : "no journal";
}

const struct draft_state *journal_draft(const struct journal *j)
{
	return j && j->open ? &j->draft : NULL;
}

struct piece {
	const void *p;
	size_t n;
};

/* Appends one encoded record to j->out; returns the offset of its payload,
 * or (size_t)-1 when out of memory or too long. */
static size_t encode(struct journal *j, int type, const struct piece *pc, int npc)
{
	size_t plen = 0, at, need;
	unsigned char *r;

	for (int i = 0; i < npc; i++)
		plen += pc[i].n;
	if (plen > JOURNAL_MAX_RECORD) {
		errno = EMSGSIZE;
		return (size_t)-1;
	}
	need = j->outlen + HDR + plen;
	if (need > j->outcap) {
		size_t cap = j->outcap ? j->outcap : 256;
		unsigned char *nb;

		while (cap < need)
			cap *= 2;
		nb = realloc(j->out, cap);
		if (!nb)
			return (size_t)-1;
		j->out = nb;
		j->outcap = cap;
	}
	at = j->outlen;
	r = j->out + at;
	r[0] = MAGIC0;
	r[1] = MAGIC1;
	r[2] = (unsigned char)type;
	r[3] = 0;
	put32(r + 4, (uint32_t)plen);
	r += HDR;
	for (int i = 0; i < npc; i++) {
		if (pc[i].n)
			memcpy(r, pc[i].p, pc[i].n);
		r += pc[i].n;
	}
	r = j->out + at;
	put32(r + 8, crc32_update(crc32_update(0, r, 8), r + HDR, plen));
	j->outlen = need;
	return at + HDR;
}

/* write() all of buf to fd, going on after EINTR and short writes. */
static int write_all(int fd, const unsigned char *buf, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, buf, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return -1;
		buf += w;
		n -= (size_t)w;
	}
	return 0;
}

static void mark_dirty(struct journal *j)
{
	if (!j->dirty) {
		j->dirty = true;
		j->dirty_since = journal_now_ms();
	}
}

/* After a failure: try again (journal_sync_due) one batch window from now. */
static void retry_later(struct journal *j)
{
	j->dirty = true;
	j->dirty_since = journal_now_ms();
}

static int fsync_dir_of(const char *path)
{
	const char *slash = strrchr(path, '/');
	char dir[PATH_MAX];
	int fd, rc;

	if (!slash)
		snprintf(dir, sizeof(dir), ".");
	else if (slash == path)
		snprintf(dir, sizeof(dir), "/");
	else if ((size_t)(slash - path) < sizeof(dir))
		snprintf(dir, sizeof(dir), "%.*s", (int)(slash - path), path);
	else
		return -1;
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	rc = fsync(fd);
	close(fd);
	return rc;
}

/* Empties the file (no draft open). */
static int truncate_now(struct journal *j)
{
	if (ftruncate(j->fd, 0) < 0 || fdatasync(j->fd) < 0) {
		set_err(j, "journal %s: %s", j->path, strerror(errno));
		return -1;
	}
	j->size = 0;
	j->dirty = false;
	return 0;
}

/*
 * Rewrites the file from the copy: BEGIN + one SET per field, written to
 * path.tmp, synced, renamed over path. With no draft open, empties it.
 */
static int compact_now(struct journal *j)
{
	char tmp[PATH_MAX];
	int fd = -1;

	if (!j->open) {
		if (truncate_now(j) < 0)
			return -1;
		j->resync = false;
		return 0;
	}
	j->outlen = 0;
	if (encode(j, JOURNAL_BEGIN, &(struct piece){ j->draft.id, strlen(j->draft.id) }, 1) == (size_t)-1)
		goto fail;
	for (size_t i = 0; i < j->draft.nfields; i++) {
		const struct draft_field *f = &j->draft.fields[i];
		unsigned char nl = (unsigned char)strlen(f->name);
		struct piece pc[] = { { &nl, 1 }, { f->name, nl }, { f->value, f->len } };

		if (encode(j, JOURNAL_SET, pc, 3) == (size_t)-1)
			goto fail;
	}
	if ((size_t)snprintf(tmp, sizeof(tmp), "%s.tmp", j->path) >= sizeof(tmp)) {
		errno = ENAMETOOLONG;
		goto fail;
	}
	fd = open(tmp, O_RDWR | O_CREAT | O_TRUNC | O_APPEND | O_CLOEXEC, 0600);
	if (fd < 0)
		goto fail;
	/* Lock the new file before it takes the name, so no other console gets in. */
	if (flock(fd, LOCK_EX | LOCK_NB) < 0 || write_all(fd, j->out, j->outlen) < 0 ||
	    fdatasync(fd) < 0 || rename(tmp, j->path) < 0) {
		int saved = errno;

		close(fd);
		unlink(tmp);
		errno = saved;
		goto fail;
	}
	fsync_dir_of(j->path);
	close(j->fd);
	j->fd = fd;
	j->size = (off_t)j->outlen;
	j->dirty = false;
	j->resync = false;
	j->compact_at = j->size * 4 > COMPACT_MIN ? j->size * 4 : COMPACT_MIN;
	return 0;
fail:
	set_err(j, "journal %s: rewriting: %s", j->path, strerror(errno));
	retry_later(j);
	return -1;
}

/*
 * Checks a record against the copy and applies it there, then appends it
 * to the file (or, when the file lags, rewrites the file whole).
 */
static int commit(struct journal *j, int type, const struct piece *pc, int npc)
{
	size_t at;
	int why;

	j->outlen = 0;
	at = encode(j, type, pc, npc);
	if (at == (size_t)-1) {
		set_err(j, "journal: %s", strerror(errno));
		return -1;
	}
	why = state_apply(&j->draft, &j->open, type, j->out + at, j->outlen - at);
	if (why != 0) {
		errno = why;
		set_err(j, "journal: edit refused: %s", strerror(why));
		return -1;
	}
	if (j->resync)
		return compact_now(j);
	if (write_all(j->fd, j->out, j->outlen) < 0) {
		int saved = errno;

		/* Cut off a partial record; the next call rewrites the file. */
		if (ftruncate(j->fd, j->size) < 0) {
			/* replay skips it; the rewrite replaces the file anyway */
		}
		j->resync = true;
		errno = saved;
		set_err(j, "journal %s: %s", j->path, strerror(errno));
		retry_later(j);
		return -1;
	}
	j->size += (off_t)j->outlen;
	mark_dirty(j);
	if (j->open && j->size > j->compact_at && compact_now(j) < 0) {
		/* The append itself is safe; try compacting again later. */
		j->compact_at = j->size * 2;
	}
	return 0;
}

static int name_piece(const char *field, unsigned char *nl)
{
	size_t n = strlen(field);

	if (n == 0 || n > JOURNAL_FIELD_NAME_MAX) {
		errno = EINVAL;
		return -1;
	}
	*nl = (unsigned char)n;
	return 0;
}

int journal_begin(struct journal *j, const char *draft_id)
{
	return commit(j, JOURNAL_BEGIN, &(struct piece){ draft_id, strlen(draft_id) }, 1);
}

int journal_set(struct journal *j, const char *field, const char *value)
{
	unsigned char nl;

	if (name_piece(field, &nl) < 0)
		return -1;
	return commit(j, JOURNAL_SET,
		      (struct piece[]){ { &nl, 1 }, { field, nl }, { value, strlen(value) } }, 3);
}

int journal_insert(struct journal *j, const char *field, size_t off, const char *bytes, size_t len)
{
	unsigned char nl, o[4];

	if (name_piece(field, &nl) < 0)
		return -1;
	if (off > UINT32_MAX) {
		errno = EINVAL;
		return -1;
	}
	put32(o, (uint32_t)off);
	return commit(j, JOURNAL_INSERT,
		      (struct piece[]){ { &nl, 1 }, { field, nl }, { o, 4 }, { bytes, len } }, 4);
}

int journal_delete(struct journal *j, const char *field, size_t off, size_t len)
{
	unsigned char nl, o[8];

	if (name_piece(field, &nl) < 0)
		return -1;
	if (off > UINT32_MAX || len > UINT32_MAX) {
		errno = EINVAL;
		return -1;
	}
	put32(o, (uint32_t)off);
	put32(o + 4, (uint32_t)len);
	return commit(j, JOURNAL_DELETE, (struct piece[]){ { &nl, 1 }, { field, nl }, { o, 8 } }, 3);
}

/* SAVED or DISCARD: durable, then the file emptied when no draft is left. */
static int close_draft(struct journal *j, int type, const char *draft_id)
{
	if (commit(j, type, &(struct piece){ draft_id, strlen(draft_id) }, 1) < 0)
		return -1;
	if (journal_sync(j) < 0)
		return -1;
	if (!j->open)
		truncate_now(j);        /* the record is durable: failing here loses nothing */
	return 0;
}

int journal_saved(struct journal *j, const char *draft_id)
{
	return close_draft(j, JOURNAL_SAVED, draft_id);
}

int journal_discard(struct journal *j, const char *draft_id)
{
	return close_draft(j, JOURNAL_DISCARD, draft_id);
}

bool journal_sync_due(const struct journal *j, long long now_ms)
{
	return j && j->dirty && now_ms - j->dirty_since >= JOURNAL_SYNC_MS;
}

bool journal_sync_pending(const struct journal *j)
{
	return j && j->dirty;
}

int journal_sync(struct journal *j)
{
	if (!j)
		return 0;
	if (j->resync)
		return compact_now(j);
	if (!j->dirty)
		return 0;
	if (fdatasync(j->fd) < 0) {
		set_err(j, "journal %s: sync: %s", j->path, strerror(errno));
		retry_later(j);
		return -1;
	}
	j->dirty = false;
	return 0;
}

/* --- opening -------------------------------------------------------------- */

/* Opens and locks path, making sure the lock is on the file the name
 * points at now (another console may have renamed a new one in). */
static int open_locked(const char *path, char *err, size_t errsz)
{
	for (int tries = 0; tries < 5; tries++) {
		struct stat a, b;
		int fd = open(path, O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC, 0600);

		if (fd < 0) {
			snprintf(err, errsz, "journal %s: %s", path, strerror(errno));
			return -1;
		}
		if (flock(fd, LOCK_EX | LOCK_NB) < 0) {
			int saved = errno;

			close(fd);
			if (saved == EWOULDBLOCK)
				snprintf(err, errsz, "journal %s is in use by another ccterm", path);
			else
				snprintf(err, errsz, "journal %s: lock: %s", path, strerror(saved));
			errno = saved;
			return -1;
		}
		if (fstat(fd, &a) == 0 && stat(path, &b) == 0 && a.st_dev == b.st_dev && a.st_ino == b.st_ino)
			return fd;
		close(fd);
	}
	snprintf(err, errsz, "journal %s keeps changing under us", path);
	errno = EAGAIN;
	return -1;
}

struct journal *journal_open(const char *path, char *err, size_t errsz)
{
	struct journal *j = calloc(1, sizeof(*j));
	unsigned char *b = NULL;
	size_t size = 0, end;

	if (!j || !(j->path = strdup(path))) {
		snprintf(err, errsz, "journal: out of memory");
		free(j);
		return NULL;
	}
	j->fd = open_locked(path, err, errsz);
	if (j->fd < 0)
		goto fail;
	fsync_dir_of(path);             /* the file may have just been created */
	b = read_all(j->fd, &size);
	if (!b || replay(b, size, &j->draft, &j->open, &end) < 0) {
		snprintf(err, errsz, "journal %s: %s", path, strerror(errno));
		goto fail;
	}
	free(b);
	b = NULL;
	j->size = (off_t)size;
	j->compact_at = COMPACT_MIN;
	if (size > 0 && compact_now(j) < 0) {
		/* Cannot rewrite: at least cut off a torn tail and append after it. */
		if (end < size && (ftruncate(j->fd, (off_t)end) < 0 || fdatasync(j->fd) < 0)) {
			snprintf(err, errsz, "%s", j->err);
			goto fail;
		}
		j->size = (off_t)end;
		j->dirty = false;
	}
	j->err[0] = '\0';
	return j;
fail:
	free(b);
	journal_close(j);
	return NULL;
}

void journal_close(struct journal *j)
{
	if (!j)
		return;
	if (j->fd >= 0) {
		journal_sync(j);
		close(j->fd);
	}
	draft_state_free(&j->draft);
	free(j->out);
	free(j->path);
	free(j);
}
