/* journal.h - the draft journal: every edit of the contact being typed is
 * appended to a local file before anything else, so what an agent typed
 * survives a killed console, a dropped SSH session (SIGHUP) and, up to the
 * fsync batch window, a machine crash.
 *
 * Use:
 *     journal_default_path(login, path, sizeof(path));
 *     if (journal_recover(path, &d) == 1) ... restore d, say so ...
 *     j = journal_open(path, err, sizeof(err));     (compacts what it finds)
 *     journal_uuid(id); journal_begin(j, id);        a new contact
 *     journal_set(j, "subject", value);              short fields, whole value
 *     journal_insert / journal_delete(j, "notes", ...)  the long notes field
 *     in the loop: if (journal_sync_due(j, journal_now_ms())) journal_sync_start(j);
 *     (the fdatasync runs on the journal's thread: see "Syncing" below);
 *     journal_sync(j) where it must be durable now (before a save is sent)
 *     journal_saved(j, id) once the database has it (typing on after it
 *     reopens the draft: journal_draft is non-NULL again); journal_close(j) at exit.
 *
 * File format: a sequence of records, each written with one write() (or
 * several in one, see journal_hold):
 *
 *     offset 0  u8   0xFE           magic (never a byte of UTF-8 text)
 *            1  u8   'J'
 *            2  u8   type           enum journal_record
 *            3  u8   0              reserved
 *            4  u32  length         of the payload, little-endian
 *            8  u32  crc            CRC-32 (IEEE) of bytes 0..7 and the payload
 *           12       payload
 *
 * Payloads (integers little-endian u32, a name is u8 length + bytes):
 *     BEGIN    draft id                 SAVED / DISCARD   draft id
 *     SET      name, value bytes        INSERT   name, u32 offset, bytes
 *     DELETE   name, u32 offset, u32 length
 *
 * Replay applies the records in order: BEGIN starts a new draft (a newer
 * BEGIN replaces an older one), SET/INSERT/DELETE change the open draft's
 * fields, DISCARD with the open draft's id closes it, SAVED with its id
 * marks it saved: a saved draft is not restored, but an edit after SAVED
 * makes it unsaved again (the agent typed on after F10), so it is restored
 * whole, with the same id, and saving it again updates the same row.
 * The file is data, not trusted: a record whose checksum fails is skipped
 * (replay resynchronizes on the next valid record); bytes after the last
 * valid record are a torn tail and are ignored, and truncated away by
 * journal_open. An INSERT or DELETE whose offset or length does not fit the
 * field (or would split a UTF-8 character) is skipped. Each skip is counted
 * in a struct journal_report. An edit costs the distance from the previous
 * edit (gap buffers), and replay stops once it has moved
 * JOURNAL_REPLAY_BUDGET bytes (a file no console writes: ours compact
 * themselves), reporting what it did not read.
 *
 * Errors: functions returning int give 0 on success and -1 with errno set;
 * journal_error() then has a message. An edit the journal refuses (EINVAL,
 * E2BIG, EMSGSIZE, ENOMEM) changes nothing. An edit whose write fails
 * (EIO, ENOSPC from the disk, EFBIG, ...) is kept in the journal's copy of
 * the draft, and the file is rewritten whole from that copy at the next
 * call or journal_sync (journal_sync_due says when to retry), so the file
 * never replays to something other than what the agent sees.
 */
#ifndef CCTERM_JOURNAL_H
#define CCTERM_JOURNAL_H

#include <stdbool.h>
#include <stddef.h>

#define JOURNAL_SYNC_MS 200             /* longest an unsynced write waits for fdatasync */
#define JOURNAL_MAX_FIELDS 16
#define JOURNAL_FIELD_NAME_MAX 31       /* bytes of a field name */
#define JOURNAL_ID_MAX 39               /* bytes of a draft id (a UUID is 36) */
#define JOURNAL_MAX_RECORD (1u << 20)   /* payload bytes of one record */
#define JOURNAL_UUID_LEN 36
#define JOURNAL_REPLAY_BUDGET (1ull << 32)   /* bytes replay may move before it stops (~1 s) */

enum journal_record {
	JOURNAL_BEGIN = 1,
	JOURNAL_SET = 2,
	JOURNAL_INSERT = 3,
	JOURNAL_DELETE = 4,
	JOURNAL_SAVED = 5,
	JOURNAL_DISCARD = 6,
};

struct draft_field {
	char name[JOURNAL_FIELD_NAME_MAX + 1];
	char *value;            /* malloc'd, NUL-terminated */
	size_t len;             /* bytes of value */
};

/* A draft as rebuilt from the journal. Zero it (or let journal_recover
 * fill it) before use; free with draft_state_free. */
struct draft_state {
	char id[JOURNAL_ID_MAX + 1];
	size_t nfields;
	struct draft_field fields[JOURNAL_MAX_FIELDS];
};

/* What a replay found besides the draft: what it skipped and why. */
struct journal_report {
	size_t records;         /* valid records applied */
	size_t refused;         /* valid records that did not apply (bad offset, no draft, ...) */
	size_t damaged;         /* stretches of bytes where no valid record starts */
	size_t damaged_bytes;   /* bytes in them */
	bool torn_tail;         /* the last stretch runs to the end of the file */
	bool over_budget;       /* replay stopped at JOURNAL_REPLAY_BUDGET ... */
	size_t unread_bytes;    /* ... leaving these bytes unread */
	bool too_big;           /* the file is past 256 MiB: not read (journal_open moves it aside) */
};

struct journal;

/*
 * Builds $XDG_STATE_HOME/ccterm/<login>.journal (XDG_STATE_HOME unset or
 * not absolute: ~/.local/state) into buf, creating missing directories
 * with mode 0700. Bytes of login other than [A-Za-z0-9._-] and UTF-8 become
 * '_' (a leading '.' too). Returns 0, or -1 with errno (ERANGE: buf too
 * small; buf is then ""). When only the directories could not be made,
 * buf still holds the path, for the message.
 */
int journal_default_path(const char *login, char *buf, size_t size);

/* A random (version 4) UUID from getrandom(2) (/dev/urandom where the
 * kernel has no getrandom), lower-case, into buf (>= JOURNAL_UUID_LEN + 1
 * bytes). Returns 0 or -1 with errno. */
int journal_uuid(char *buf);

/* CLOCK_MONOTONIC in milliseconds: the clock journal_sync_due expects. */
long long journal_now_ms(void);

/*
 * Opens (creating, mode 0600) the journal at path and takes an exclusive
 * lock on it: a second console of the same login gets NULL, errno
 * EWOULDBLOCK and a message saying another ccterm holds it (the file is
 * not touched). What is in the file is replayed: a torn tail is cut off;
 * an unsaved draft is kept open (see journal_draft) and the file rewritten
 * compactly (BEGIN + one SET per field, written to path.tmp, fsynced,
 * renamed); with no unsaved draft the file is truncated to empty. A file
 * too big to be a journal is renamed to path.too-big and a new one started.
 * A path that is not a regular file (a FIFO, a link to /dev/null) is
 * refused; a journal readable by others is made 0600; compaction writes a
 * new path.tmp (a leftover or a link there is removed, never written through).
 * What replay skipped is in journal_open_report. On failure returns NULL
 * with a message in err.
 */
struct journal *journal_open(const char *path, char *err, size_t errsz);

/* What journal_open's replay skipped (all zero for a clean file). */
const struct journal_report *journal_open_report(const struct journal *j);

/* The report in words ("3 damaged bytes skipped (a torn end); ..."), ""
 * when nothing was skipped. Returns the length written. */
size_t journal_report_describe(const struct journal_report *r, char *buf, size_t size);

/* Syncs and closes; NULL is fine. */
void journal_close(struct journal *j);

/* The open (unsaved) draft as the journal holds it, or NULL when none. */
const struct draft_state *journal_draft(const struct journal *j);

/* The last error's message ("" when none). */
const char *journal_error(const struct journal *j);

/* Starts a new draft (id: 1..JOURNAL_ID_MAX bytes, e.g. from journal_uuid).
 * An open unsaved draft is superseded. */
int journal_begin(struct journal *j, const char *draft_id);

/*
 * Changes a field of the open draft. The journal checks each edit against
 * its own copy of the draft before writing (EINVAL: no draft open, a bad
 * name, an offset or length outside the value or inside a UTF-8
 * character; E2BIG: a 17th field; EMSGSIZE: record too long), so what is
 * written always replays.
 * journal_set replaces the whole value; insert/delete edit it at a byte
 * offset (insert into a field never set starts from "").
 */
int journal_set(struct journal *j, const char *field, const char *value);
int journal_insert(struct journal *j, const char *field, size_t off, const char *bytes, size_t len);
int journal_delete(struct journal *j, const char *field, size_t off, size_t len);

/*
 * The draft is in the database / thrown away: the record is written and
 * synced, then the file is truncated to empty (nothing left to recover).
 * A saved draft stays open in the journal's copy: the next edit writes it
 * whole again (path.tmp, fsynced, renamed) and then it replays, unsaved,
 * with everything typed after the save. A journal_begin instead (the next
 * contact) is appended to the empty file like any record. An id that is
 * not the open draft is recorded and changes nothing.
 */
int journal_saved(struct journal *j, const char *draft_id);
int journal_discard(struct journal *j, const char *draft_id);

/*
 * Several edits in one write(): after journal_hold, journal_begin / _set /
 * _insert / _delete check and apply their edit to the journal's copy as
 * always (journal_draft shows it; a refused edit still returns -1 and
 * changes nothing) but keep the record back; journal_release writes what
 * was kept in one write() and says whether it failed (-1 and errno, the
 * edits kept in the copy and rewritten whole later, as for any failed
 * write). Until then the file does not have them: hold only for the span
 * of one action (a new draft and its prefilled fields). journal_saved,
 * journal_discard, journal_sync and journal_close write what is held
 * first (they stay held). Holds do not nest. NULL is fine.
 */
void journal_hold(struct journal *j);
int journal_release(struct journal *j);

/*
 * Syncing. The loop's periodic sync never waits for the disk:
 * journal_sync_start hands the fdatasync to the journal's sync thread (one
 * per journal, started at the first call, joined by journal_close) and
 * returns; the outcome is taken at the next journal_sync_due or
 * journal_sync_start. A success makes durable what was written before the
 * sync started; a record written while it was in flight stays unsynced and
 * is due JOURNAL_SYNC_MS after it was written. A failure is reported by the
 * next journal_sync_start (-1, errno, journal_error) and retried
 * JOURNAL_SYNC_MS later. journal_sync is the blocking one, for "durable
 * now" (before a save leaves the machine, at exit).
 */

/* True when some write has waited JOURNAL_SYNC_MS or more (now_ms from
 * journal_now_ms) without an fdatasync, and no sync is in flight; also
 * true when the sync in flight failed (journal_sync_start reports it).
 * Takes the outcome of a finished sync (hence not const). */
bool journal_sync_due(struct journal *j, long long now_ms);

/* True when there are writes not yet synced (a sync in flight included:
 * keep waking for it). */
bool journal_sync_pending(const struct journal *j);

/* Waits for a sync in flight, then fdatasync when anything is unsynced. */
int journal_sync(struct journal *j);

/*
 * For the loop: takes the outcome of a finished sync (-1 with errno when it
 * failed: nothing more is done this call), writes what journal_hold keeps
 * back, and when anything is unsynced and no sync is in flight, hands an
 * fdatasync of a dup() of the file to the sync thread and returns at once.
 * After a failed write the file is rewritten whole here (synchronously, as
 * journal_sync does). Without a thread (pthread_create or dup fails) it
 * syncs in place, like journal_sync. Returns 0 or -1 with errno.
 */
int journal_sync_start(struct journal *j);

/* For tests only: the function journal_sync and journal_sync_start call
 * instead of fdatasync(2) (NULL: fdatasync again). Set it while no sync is
 * in flight. */
void journal_test_set_fsync(int (*fn)(int fd));

/*
 * Rebuilds the newest unsaved draft of the journal at path into *out
 * (always initialized; free with draft_state_free). Returns 1 when there
 * is one, 0 when none (or no file), -1 on an I/O error. Read-only.
 */
int journal_recover(const char *path, struct draft_state *out);

/* journal_recover saying what it skipped in *rep (may be NULL). */
int journal_recover_report(const char *path, struct draft_state *out, struct journal_report *rep);

/* Replays the journal bytes buf[0..size) (the reader without the file;
 * what the fuzzer drives). Returns 1 with the unsaved draft in *out, 0
 * when none, -1 when out of memory; rep (may be NULL) says what was skipped. */
int journal_replay(const void *buf, size_t size, struct draft_state *out, struct journal_report *rep);

void draft_state_free(struct draft_state *d);

/* The value of field, or NULL when the draft never set it. */
const char *draft_state_get(const struct draft_state *d, const char *field);

#endif
