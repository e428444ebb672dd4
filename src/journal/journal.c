/* journal.c - writing the append-only draft journal (format in journal.h;
 * reading it is replay.c).
 *
 * The journal keeps its own copy of the open draft, built by the same
 * function that replays the file: an edit is applied to that copy first
 * (which also checks it), then written. So the file always replays to the
 * copy, and the copy is what compaction writes. When a write fails the copy
 * is ahead of the file; the journal then rewrites itself whole at the next
 * call (j->resync). After a save the file is emptied while the copy stays
 * (j->whole): the next edit rewrites the draft whole, then appends go on;
 * a BEGIN (the next contact) is appended, as the empty file replays it to
 * the copy alone. Records are staged in j->out and flushed at once, or,
 * while journal_hold holds them, several in one write at journal_release. */
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

#include "journal_priv.h"
#include "syncer.h"

#define HDR JOURNAL_HDR
#define COMPACT_MIN (256 * 1024)        /* grow at least this far before compacting */

struct journal {
	int fd;
	char *path;
	struct jstate st;               /* the draft as the file replays (open, saved) */
	struct journal_report report;   /* what journal_open's replay skipped */
	off_t size;                     /* bytes of whole records in the file */
	off_t compact_at;               /* compact when size passes this */
	bool dirty;                     /* written (or failed) since the last sync */
	long long dirty_since;
	bool in_flight;                 /* a sync handed to the thread, not collected */
	bool written_since_start;       /* ... and records written after it started */
	long long written_since;        /* when the first of those was */
	struct syncer sy;
	bool resync;                    /* the file lags the copy: rewrite it */
	bool whole;                     /* emptied after a save: the next edit rewrites it */
	bool held;                      /* journal_hold: records wait in out for journal_release */
	bool moved_aside;               /* the file found was too big and was renamed */
	unsigned char *out;             /* records being encoded */
	size_t outlen, outcap;
	char err[256];
};

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
	return j && jstate_recoverable(&j->st) ? &j->st.d : NULL;
}

const struct journal_report *journal_open_report(const struct journal *j)
{
	static const struct journal_report none;

	return j ? &j->report : &none;
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
	r[0] = JOURNAL_MAGIC0;
	r[1] = JOURNAL_MAGIC1;
	r[2] = (unsigned char)type;
	r[3] = 0;
	journal_put32(r + 4, (uint32_t)plen);
	r += HDR;
	for (int i = 0; i < npc; i++) {
		if (pc[i].n)
			memcpy(r, pc[i].p, pc[i].n);
		r += pc[i].n;
	}
	r = j->out + at;
	journal_put32(r + 8, journal_crc32(journal_crc32(0, r, 8), r + HDR, plen));
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
	long long now = journal_now_ms();

	if (!j->dirty) {
		j->dirty = true;
		j->dirty_since = now;
	}
	if (j->in_flight && !j->written_since_start) {
		/* Maybe not in the sync in flight: it stays dirty after it. */
		j->written_since_start = true;
		j->written_since = now;
	}
}

/* Everything written so far is durable (a sync, or a rewrite that synced). */
static void all_synced(struct journal *j)
{
	j->dirty = false;
	j->written_since_start = false;
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
	all_synced(j);
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

	j->outlen = 0;          /* staged records are in the copy: it is what is written */
	if (!jstate_recoverable(&j->st)) {
		/* Nothing to recover (no draft, or saved): an empty file says so. */
		if (truncate_now(j) < 0)
			return -1;
		j->resync = false;
		j->whole = j->st.open;
		return 0;
	}
	if (encode(j, JOURNAL_BEGIN, &(struct piece){ j->st.d.id, strlen(j->st.d.id) }, 1) == (size_t)-1)
		goto fail;
	for (size_t i = 0; i < j->st.d.nfields; i++) {
		const struct draft_field *f = &j->st.d.fields[i];
		unsigned char nl = (unsigned char)strlen(f->name);
		struct piece pc[] = { { &nl, 1 }, { f->name, nl }, { f->value, f->len } };

		if (encode(j, JOURNAL_SET, pc, 3) == (size_t)-1)
			goto fail;
	}
	if ((size_t)snprintf(tmp, sizeof(tmp), "%s.tmp", j->path) >= sizeof(tmp)) {
		errno = ENAMETOOLONG;
		goto fail;
	}
	/* A new file, never one found there (a leftover, or a link to elsewhere). */
	if (unlink(tmp) < 0 && errno != ENOENT)
		goto fail;
	fd = open(tmp, O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_APPEND | O_CLOEXEC, 0600);
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
	j->outlen = 0;
	all_synced(j);
	j->resync = false;
	j->whole = false;
	j->compact_at = j->size * 4 > COMPACT_MIN ? j->size * 4 : COMPACT_MIN;
	return 0;
fail:
	j->outlen = 0;
	set_err(j, "journal %s: rewriting: %s", j->path, strerror(errno));
	retry_later(j);
	return -1;
}

/*
 * Checks a record against the copy and applies it there, and adds it to
 * the records not yet written (j->out). A refused record leaves both as
 * they were.
 */
static int stage(struct journal *j, int type, const struct piece *pc, int npc)
{
	size_t at;
	int why;

	at = encode(j, type, pc, npc);
	if (at == (size_t)-1) {
		set_err(j, "journal: %s", strerror(errno));
		return -1;
	}
	why = jstate_apply(&j->st, type, j->out + at, j->outlen - at);
	jstate_flatten(&j->st);
	if (why != 0) {
		j->outlen = at - HDR;
		errno = why;
		set_err(j, "journal: edit refused: %s", strerror(why));
		return -1;
	}
	return 0;
}

/*
 * Appends the staged records to the file in one write (or, when the file
 * lags the copy, rewrites the file whole). Leaves nothing staged: what a
 * failed write did not put in the file is in the copy, and the rewrite
 * journal_sync retries brings it.
 */
static int flush(struct journal *j)
{
	if (j->outlen == 0)
		return 0;
	/* Emptied after a save and the staged records start a new draft: on
	 * the empty file they replay to exactly the copy. */
	if (j->whole && !j->resync && j->size == 0 && j->out[2] == JOURNAL_BEGIN)
		j->whole = false;
	if (j->resync || (j->whole && jstate_recoverable(&j->st))) {
		/* compact_now writes the copy, which has the staged records. */
		if (compact_now(j) < 0) {
			j->resync = true;       /* kept in the copy: journal_sync retries */
			return -1;
		}
		return 0;
	}
	if (j->whole) {
		j->outlen = 0;
		return 0;       /* still saved, the file still empty: nothing to write */
	}
	if (write_all(j->fd, j->out, j->outlen) < 0) {
		int saved = errno;

		j->outlen = 0;
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
	j->outlen = 0;
	mark_dirty(j);
	if (j->st.open && j->size > j->compact_at && compact_now(j) < 0) {
		/* The append itself is safe; try compacting again later. */
		j->compact_at = j->size * 2;
	}
	return 0;
}

/* stage, then flush unless journal_hold keeps the records back. */
static int commit(struct journal *j, int type, const struct piece *pc, int npc)
{
	if (stage(j, type, pc, npc) < 0)
		return -1;
	return j->held ? 0 : flush(j);
}

void journal_hold(struct journal *j)
{
	if (j)
		j->held = true;
}

int journal_release(struct journal *j)
{
	if (!j)
		return 0;
	j->held = false;
	return flush(j);
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
	journal_put32(o, (uint32_t)off);
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
	journal_put32(o, (uint32_t)off);
	journal_put32(o + 4, (uint32_t)len);
	return commit(j, JOURNAL_DELETE, (struct piece[]){ { &nl, 1 }, { field, nl }, { o, 8 } }, 3);
}

/* SAVED or DISCARD: durable, then the file emptied when no draft is left. */
static int close_draft(struct journal *j, int type, const char *draft_id)
{
	if (commit(j, type, &(struct piece){ draft_id, strlen(draft_id) }, 1) < 0)
		return -1;
	if (journal_sync(j) < 0)
		return -1;
	if (!jstate_recoverable(&j->st) && truncate_now(j) == 0)
		j->whole = j->st.open;  /* the record is durable: failing here loses nothing */
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

/* --- syncing --------------------------------------------------------------- */

/* The data sync of journal_sync / journal_sync_start (tests slow it down
 * or make it fail with journal_test_set_fsync). */
static int (*data_sync)(int fd) = fdatasync;

void journal_test_set_fsync(int (*fn)(int fd))
{
	data_sync = fn ? fn : fdatasync;
}

/* Whether the sync in flight has finished, and failed. */
static bool sync_failed(struct journal *j)
{
	return j->in_flight && syncer_failed(&j->sy);
}

/*
 * Takes the outcome of the sync in flight (waiting for it when wait).
 * Returns 1 when there was none to take, 0 when it succeeded (what was
 * written before it started is durable), -1 with errno and the error set
 * when it failed (retried one batch window later).
 */
static int collect(struct journal *j, bool wait)
{
	int rc, err;

	if (!j->in_flight || !syncer_take(&j->sy, wait, &rc, &err))
		return 1;
	j->in_flight = false;
	if (rc < 0) {
		errno = err;
		set_err(j, "journal %s: sync: %s", j->path, strerror(err));
		retry_later(j);
		j->written_since_start = false;
		return -1;
	}
	if (!j->dirty) {
		/* rewritten (and synced) meanwhile: nothing left */
	} else if (j->written_since_start) {
		j->dirty_since = j->written_since;      /* those wait their own turn */
	} else {
		j->dirty = false;
	}
	j->written_since_start = false;
	return 0;
}

bool journal_sync_due(struct journal *j, long long now_ms)
{
	if (!j)
		return false;
	if (sync_failed(j))
		return true;    /* for journal_sync_start to report */
	collect(j, false);      /* a success is taken here */
	return j->dirty && !j->in_flight && now_ms - j->dirty_since >= JOURNAL_SYNC_MS;
}

bool journal_sync_pending(const struct journal *j)
{
	return j && j->dirty;
}

int journal_sync_start(struct journal *j)
{
	int fd;

	if (!j)
		return 0;
	if (collect(j, false) < 0)
		return -1;      /* reported; retried when due again */
	if (flush(j) < 0)       /* what journal_hold keeps back goes out first */
		return -1;
	if (j->resync)
		return compact_now(j);  /* a failed write heals by rewriting (synchronous) */
	if (!j->dirty || j->in_flight)
		return 0;
	/* The thread syncs its own descriptor: a rewrite may replace j->fd meanwhile. */
	fd = fcntl(j->fd, F_DUPFD_CLOEXEC, 0);
	if (fd < 0 || syncer_start(&j->sy) < 0) {
		if (fd >= 0)
			close(fd);
		return journal_sync(j);         /* no thread: sync here, as before */
	}
	syncer_hand(&j->sy, fd, data_sync);
	j->in_flight = true;
	j->written_since_start = false;
	return 0;
}

int journal_sync(struct journal *j)
{
	if (!j)
		return 0;
	collect(j, true);       /* a failure is retried just below */
	if (flush(j) < 0)       /* what journal_hold keeps back goes out first */
		return -1;
	if (j->resync)
		return compact_now(j);
	if (!j->dirty)
		return 0;
	if (data_sync(j->fd) < 0) {
		set_err(j, "journal %s: sync: %s", j->path, strerror(errno));
		retry_later(j);
		return -1;
	}
	all_synced(j);
	return 0;
}

/* --- opening -------------------------------------------------------------- */

/* Opens and locks path, making sure the lock is on the file the name
 * points at now (another console may have renamed a new one in). */
/* *created: the file did not exist and this open made it (its directory
 * entry is not durable until the directory is synced). */
static int open_locked(const char *path, bool *created, char *err, size_t errsz)
{
	const int flags = O_RDWR | O_APPEND | O_CLOEXEC | O_NOCTTY | O_NONBLOCK;

	*created = false;
	for (int tries = 0; tries < 5; tries++) {
		struct stat a, b;
		int fd = open(path, flags);

		if (fd < 0 && errno == ENOENT) {
			fd = open(path, flags | O_CREAT | O_EXCL, 0600);
			if (fd < 0 && errno == EEXIST)
				continue;       /* made meanwhile by someone else: open that */
			*created = fd >= 0;
		}
		if (fd < 0) {
			snprintf(err, errsz, "journal %s: %s", path, strerror(errno));
			return -1;
		}
		if (flock(fd, LOCK_EX | LOCK_NB) < 0) {
			int saved = errno;

			close(fd);
			if (saved == EWOULDBLOCK)
				snprintf(err, errsz, "another ccterm of this login is running on this machine and "
					 "holds the draft journal %s; use that console, or quit it first "
					 "(two consoles would overwrite each other's unsaved contact)", path);
			else
				snprintf(err, errsz, "journal %s: lock: %s", path, strerror(saved));
			errno = saved;
			return -1;
		}
		if (fstat(fd, &a) == 0 && !S_ISREG(a.st_mode)) {
			/* A FIFO, a device, /dev/null behind a link: what is typed would vanish. */
			close(fd);
			snprintf(err, errsz, "journal %s is not a regular file: move it away", path);
			errno = EINVAL;
			return -1;
		}
		fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
		if (fstat(fd, &a) == 0 && stat(path, &b) == 0 && a.st_dev == b.st_dev && a.st_ino == b.st_ino) {
			/* Drafts hold customers' details: readable by this user only. */
			if ((a.st_mode & 077) && fchmod(fd, 0600) < 0) {
				/* not ours to change (another owner): it still works */
			}
			return fd;
		}
		close(fd);
	}
	snprintf(err, errsz, "journal %s keeps changing under us", path);
	errno = EAGAIN;
	return -1;
}

/* A file too big to be a journal of ours: renamed to path.too-big (kept for
 * whoever wants to look), and a new empty journal locked in its place. */
static int move_aside(struct journal *j, char *err, size_t errsz)
{
	char aside[PATH_MAX];
	bool created;
	int fd;

	if ((size_t)snprintf(aside, sizeof(aside), "%s.too-big", j->path) >= sizeof(aside) ||
	    rename(j->path, aside) < 0)
		return -1;
	fd = open_locked(j->path, &created, err, errsz);
	if (fd < 0)
		return -1;
	fsync_dir_of(j->path);          /* the rename and the new file */
	close(j->fd);
	j->fd = fd;
	j->moved_aside = true;
	return 0;
}

struct journal *journal_open(const char *path, char *err, size_t errsz)
{
	struct journal *j = calloc(1, sizeof(*j));
	bool created;
	unsigned char *b = NULL;
	size_t size = 0, end;

	if (!j || !(j->path = strdup(path))) {
		snprintf(err, errsz, "journal: out of memory");
		free(j);
		return NULL;
	}
	j->fd = open_locked(path, &created, err, errsz);
	if (j->fd < 0)
		goto fail;
	/* A new file's name is made durable; an existing one's already is, and
	 * syncing the directory at every start is a disk flush before the
	 * console's first screen. */
	if (created)
		fsync_dir_of(path);
	b = journal_read_all(j->fd, &size);
	if (!b && errno == EFBIG && move_aside(j, err, errsz) == 0)
		b = journal_read_all(j->fd, &size);
	if (!b || journal_replay_state(b, size, &j->st, &end, &j->report) < 0) {
		snprintf(err, errsz, "journal %s: %s", path, strerror(errno));
		goto fail;
	}
	j->report.too_big = j->report.too_big || j->moved_aside;
	if (j->st.open && j->st.saved)
		jstate_free(&j->st);    /* saved and not edited since: nothing to restore */
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
		journal_sync(j);        /* waits for a sync in flight */
		close(j->fd);
	}
	syncer_stop(&j->sy);
	jstate_free(&j->st);
	free(j->out);
	free(j->path);
	free(j);
}
