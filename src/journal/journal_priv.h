/* journal_priv.h - what the journal's writer (journal.c) and reader
 * (replay.c) share: the record layout, the checksum, and the draft as
 * records change it. Not part of the public surface (ccterm/journal.h). */
#ifndef CCTERM_JOURNAL_PRIV_H
#define CCTERM_JOURNAL_PRIV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "ccterm/journal.h"

#define JOURNAL_HDR 12                  /* record header bytes */
#define JOURNAL_MAGIC0 0xFE
#define JOURNAL_MAGIC1 'J'
#define JOURNAL_READ_MAX ((off_t)256 << 20)   /* a bigger file is not a journal of ours */

/*
 * The draft as the records build it. Each field's value is a gap buffer
 * while records are applied (cap bytes, the gap at byte offset gap, so an
 * edit costs the distance from the previous edit, not the field's length);
 * jstate_flatten closes the gaps, after which every value is contiguous and
 * NUL-terminated, as struct draft_state promises.
 */
struct jstate {
	struct draft_state d;
	bool open;                      /* a draft has begun and not been discarded */
	bool saved;                     /* ... and the database has its latest text */
	size_t cap[JOURNAL_MAX_FIELDS];
	size_t gap[JOURNAL_MAX_FIELDS];
	unsigned long long work;        /* bytes moved so far (the replay budget) */
};

static inline void journal_put32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)v;
	p[1] = (unsigned char)(v >> 8);
	p[2] = (unsigned char)(v >> 16);
	p[3] = (unsigned char)(v >> 24);
}

static inline uint32_t journal_get32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* CRC-32 (IEEE 802.3) of p[0..n) continuing from crc (0 to start). */
uint32_t journal_crc32(uint32_t crc, const unsigned char *p, size_t n);

void jstate_free(struct jstate *s);

/* The draft a caller may restore: open and not saved since its last edit. */
static inline bool jstate_recoverable(const struct jstate *s)
{
	return s->open && !s->saved;
}

/*
 * Applies one record to s. Returns 0, or an errno value saying why the
 * record does not apply (EINVAL malformed / out of bounds / no draft open,
 * E2BIG too many fields, EMSGSIZE value too long, ENOMEM); s is then
 * unchanged (except that an INSERT into a new field that runs out of
 * memory leaves that field behind, empty). Leaves gaps open: call
 * jstate_flatten before reading values.
 */
int jstate_apply(struct jstate *s, int type, const unsigned char *p, size_t n);

/* Closes every field's gap: values contiguous and NUL-terminated. */
void jstate_flatten(struct jstate *s);

/*
 * Replays b[0..size) into s (flattened at the end) and fills rep. A spot
 * where no valid record starts is skipped up to the next valid record;
 * *valid_end is where the last replayed record ends. Returns -1 only when
 * out of memory.
 */
int journal_replay_state(const unsigned char *b, size_t size, struct jstate *s, size_t *valid_end,
			 struct journal_report *rep);

/* All of fd (as long as it was when we looked) in a malloc'd buffer; NULL
 * with errno (EFBIG: past JOURNAL_READ_MAX). */
unsigned char *journal_read_all(int fd, size_t *size);

#endif
