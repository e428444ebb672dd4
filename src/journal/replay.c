/* replay.c - reading the draft journal: the checksum, the draft as records
 * change it (one function for the writer's copy and for replay, so what is
 * written always replays to what the agent saw), and replaying a file that
 * may be torn, corrupt or hostile: what checks out is applied, what does not
 * is counted in a report, nothing crashes and the cost is bounded. */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "journal_priv.h"

/* --- CRC-32 (IEEE 802.3, reflected, polynomial 0xEDB88320) ------------- */

static uint32_t crc_table[256];

uint32_t journal_crc32(uint32_t crc, const unsigned char *p, size_t n)
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

/* --- the draft ------------------------------------------------------------ */

void draft_state_free(struct draft_state *d)
{
	if (!d)
		return;
	for (size_t i = 0; i < d->nfields && i < JOURNAL_MAX_FIELDS; i++)
		free(d->fields[i].value);
	memset(d, 0, sizeof(*d));
}

void jstate_free(struct jstate *s)
{
	unsigned long long work = s->work;

	draft_state_free(&s->d);
	memset(s, 0, sizeof(*s));
	s->work = work;
}

static int field_index(const struct draft_state *d, const char *name, size_t nl)
{
	for (size_t i = 0; i < d->nfields; i++) {
		const struct draft_field *f = &d->fields[i];

		if (strlen(f->name) == nl && memcmp(f->name, name, nl) == 0)
			return (int)i;
	}
	return -1;
}

const char *draft_state_get(const struct draft_state *d, const char *field)
{
	int k = field_index(d, field, strlen(field));

	return k >= 0 ? d->fields[k].value : NULL;
}

/* Moves field k's gap to byte offset to. */
static void gap_move(struct jstate *s, int k, size_t to)
{
	struct draft_field *f = &s->d.fields[k];
	size_t g = s->gap[k], gl = s->cap[k] - f->len;

	if (to < g) {
		memmove(f->value + to + gl, f->value + to, g - to);
		s->work += g - to;
	} else if (to > g) {
		memmove(f->value + g, f->value + g + gl, to - g);
		s->work += to - g;
	}
	s->gap[k] = to;
}

/* Byte i of field k's text. */
static unsigned char byte_at(const struct jstate *s, int k, size_t i)
{
	const struct draft_field *f = &s->d.fields[k];

	return (unsigned char)(i < s->gap[k] ? f->value[i] : f->value[i + s->cap[k] - f->len]);
}

/* True when byte offset off of field k does not fall inside a UTF-8 character. */
static bool at_char(const struct jstate *s, int k, size_t off)
{
	return off == 0 || off >= s->d.fields[k].len || (byte_at(s, k, off) & 0xC0) != 0x80;
}

/* Room in field k's gap for add more bytes (and the final NUL). */
static int gap_reserve(struct jstate *s, int k, size_t add)
{
	struct draft_field *f = &s->d.fields[k];
	size_t cap = s->cap[k], tail = f->len - s->gap[k], ncap;
	char *v;

	if (cap - f->len >= add + 1)
		return 0;
	ncap = cap * 2 > f->len + add + 1 ? cap * 2 : f->len + add + 1;
	v = realloc(f->value, ncap);
	if (!v)
		return ENOMEM;
	memmove(v + ncap - tail, v + cap - tail, tail);
	s->work += cap;
	f->value = v;
	s->cap[k] = ncap;
	return 0;
}

void jstate_flatten(struct jstate *s)
{
	for (size_t i = 0; i < s->d.nfields; i++) {
		gap_move(s, (int)i, s->d.fields[i].len);
		s->d.fields[i].value[s->d.fields[i].len] = '\0';
	}
}

/* The field named in a payload, added (empty) when missing; -1 when the
 * draft is full (E2BIG) or out of memory (ENOMEM). */
static int field_get(struct jstate *s, const char *name, size_t nl, int *why)
{
	int k = field_index(&s->d, name, nl);
	struct draft_field *f;

	if (k >= 0)
		return k;
	if (s->d.nfields >= JOURNAL_MAX_FIELDS) {
		*why = E2BIG;
		return -1;
	}
	k = (int)s->d.nfields;
	f = &s->d.fields[k];
	f->value = calloc(1, 1);
	if (!f->value) {
		*why = ENOMEM;
		return -1;
	}
	memcpy(f->name, name, nl);
	f->name[nl] = '\0';
	f->len = 0;
	s->cap[k] = 1;
	s->gap[k] = 0;
	s->d.nfields++;
	return k;
}

static int apply_set(struct jstate *s, const char *name, size_t nl, const unsigned char *p, size_t n)
{
	char *v = malloc(n + 1);
	int why = EINVAL, k;

	if (!v)
		return ENOMEM;
	k = field_get(s, name, nl, &why);
	if (k < 0) {
		free(v);
		return why;
	}
	memcpy(v, p, n);
	v[n] = '\0';
	free(s->d.fields[k].value);
	s->d.fields[k].value = v;
	s->d.fields[k].len = n;
	s->cap[k] = n + 1;
	s->gap[k] = n;
	s->work += n;
	return 0;
}

static int apply_insert(struct jstate *s, const char *name, size_t nl, const unsigned char *p, size_t n)
{
	size_t off, add;
	int k, why = EINVAL;

	if (n < 4)
		return EINVAL;
	off = journal_get32(p);
	add = n - 4;
	k = field_index(&s->d, name, nl);
	if (k >= 0 ? off > s->d.fields[k].len || !at_char(s, k, off) : off > 0)
		return EINVAL;
	/* The value must stay small enough for a SET record (compaction). */
	if (add > JOURNAL_MAX_RECORD - 1 - nl - (k >= 0 ? s->d.fields[k].len : 0))
		return EMSGSIZE;
	if (k < 0 && (k = field_get(s, name, nl, &why)) < 0)
		return why;
	if ((why = gap_reserve(s, k, add)) != 0)
		return why;
	gap_move(s, k, off);
	memcpy(s->d.fields[k].value + off, p + 4, add);
	s->gap[k] += add;
	s->d.fields[k].len += add;
	s->work += add;
	return 0;
}

static int apply_delete(struct jstate *s, const char *name, size_t nl, const unsigned char *p, size_t n)
{
	size_t off, len, flen;
	int k;

	if (n != 8)
		return EINVAL;
	off = journal_get32(p);
	len = journal_get32(p + 4);
	k = field_index(&s->d, name, nl);
	if (k < 0)
		return len == 0 ? 0 : EINVAL;
	flen = s->d.fields[k].len;
	if (off > flen || len > flen - off || !at_char(s, k, off) || !at_char(s, k, off + len))
		return EINVAL;
	gap_move(s, k, off);
	s->d.fields[k].len -= len;     /* the deleted bytes join the gap */
	return 0;
}

int jstate_apply(struct jstate *s, int type, const unsigned char *p, size_t n)
{
	const char *name;
	size_t nl;
	int why;

	switch (type) {
	case JOURNAL_BEGIN:
	case JOURNAL_SAVED:
	case JOURNAL_DISCARD:
		if (n == 0 || n > JOURNAL_ID_MAX || memchr(p, '\0', n))
			return EINVAL;
		if (type == JOURNAL_BEGIN) {
			jstate_free(s);
			memcpy(s->d.id, p, n);
			s->open = true;
		} else if (s->open && strlen(s->d.id) == n && memcmp(s->d.id, p, n) == 0) {
			if (type == JOURNAL_SAVED)
				s->saved = true;        /* kept: an edit after the save reopens it */
			else
				jstate_free(s);
		}
		return 0;
	case JOURNAL_SET:
	case JOURNAL_INSERT:
	case JOURNAL_DELETE:
		if (!s->open || n < 1)
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
	if (type == JOURNAL_SET)
		why = apply_set(s, name, nl, p, n);
	else if (type == JOURNAL_INSERT)
		why = apply_insert(s, name, nl, p, n);
	else
		why = apply_delete(s, name, nl, p, n);
	if (why == 0)
		s->saved = false;               /* typed after the save: recoverable again */
	return why;
}

/* --- reading a journal file ---------------------------------------------- */

/* The length of the valid record starting at b[p], or 0 when none does. */
static size_t record_at(const unsigned char *b, size_t size, size_t p)
{
	uint32_t len;

	if (size - p < JOURNAL_HDR || b[p] != JOURNAL_MAGIC0 || b[p + 1] != JOURNAL_MAGIC1 || b[p + 3] != 0)
		return 0;
	if (b[p + 2] < JOURNAL_BEGIN || b[p + 2] > JOURNAL_DISCARD)
		return 0;
	len = journal_get32(b + p + 4);
	if (len > JOURNAL_MAX_RECORD || len > size - p - JOURNAL_HDR)
		return 0;
	if (journal_crc32(journal_crc32(0, b + p, 8), b + p + JOURNAL_HDR, len) != journal_get32(b + p + 8))
		return 0;
	return JOURNAL_HDR + len;
}

int journal_replay_state(const unsigned char *b, size_t size, struct jstate *s, size_t *valid_end,
			 struct journal_report *rep)
{
	size_t p = 0;
	bool in_damage = false;

	memset(rep, 0, sizeof(*rep));
	*valid_end = 0;
	s->work = 0;
	while (p < size) {
		size_t n = record_at(b, size, p);
		const unsigned char *next;
		int why;

		if (n == 0) {
			next = memchr(b + p + 1, JOURNAL_MAGIC0, size - p - 1);
			if (!in_damage)
				rep->damaged++;
			in_damage = true;
			rep->damaged_bytes += (next ? (size_t)(next - b) : size) - p;
			p = next ? (size_t)(next - b) : size;
			continue;
		}
		if (s->work > JOURNAL_REPLAY_BUDGET) {
			/* A file no console writes (ours compact themselves): stop here. */
			rep->over_budget = true;
			rep->unread_bytes = size - p;
			break;
		}
		in_damage = false;
		why = jstate_apply(s, b[p + 2], b + p + JOURNAL_HDR, n - JOURNAL_HDR);
		if (why == ENOMEM) {
			jstate_flatten(s);
			errno = ENOMEM;
			return -1;
		}
		if (why != 0)
			rep->refused++;
		else
			rep->records++;
		p += n;
		*valid_end = p;
	}
	rep->torn_tail = in_damage;
	jstate_flatten(s);
	return 0;
}

int journal_replay(const void *buf, size_t size, struct draft_state *out, struct journal_report *rep)
{
	struct jstate s;
	struct journal_report local;
	size_t end;
	int rc;

	memset(&s, 0, sizeof(s));
	rc = journal_replay_state(buf, size, &s, &end, rep ? rep : &local);
	if (rc < 0 || !jstate_recoverable(&s)) {
		jstate_free(&s);
		memset(out, 0, sizeof(*out));
		return rc < 0 ? -1 : 0;
	}
	*out = s.d;
	return 1;
}

unsigned char *journal_read_all(int fd, size_t *size)
{
	struct stat st;
	unsigned char *b;
	size_t got = 0;

	if (fstat(fd, &st) < 0)
		return NULL;
	if (st.st_size > JOURNAL_READ_MAX) {
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

int journal_recover_report(const char *path, struct draft_state *out, struct journal_report *rep)
{
	struct journal_report local;
	unsigned char *b;
	size_t size = 0;
	int fd, rc;

	memset(out, 0, sizeof(*out));
	if (!rep)
		rep = &local;
	memset(rep, 0, sizeof(*rep));
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return errno == ENOENT ? 0 : -1;
	b = journal_read_all(fd, &size);
	close(fd);
	if (!b && errno == EFBIG) {
		rep->too_big = true;            /* nothing of ours to recover there */
		return 0;
	}
	if (!b)
		return -1;
	rc = journal_replay(b, size, out, rep);
	free(b);
	return rc;
}

int journal_recover(const char *path, struct draft_state *out)
{
	return journal_recover_report(path, out, NULL);
}

__attribute__((format(printf, 4, 5)))
static void append(char *buf, size_t size, size_t *o, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf + *o, size - *o, fmt, ap);
	va_end(ap);
	if (n > 0)
		*o = (size_t)n < size - *o ? *o + (size_t)n : size - 1;
}

size_t journal_report_describe(const struct journal_report *r, char *buf, size_t size)
{
	size_t o = 0;

	if (size == 0)
		return 0;
	buf[0] = '\0';
	if (r->damaged)
		append(buf, size, &o, "%zu damaged byte%s skipped%s", r->damaged_bytes,
		       r->damaged_bytes == 1 ? "" : "s", r->torn_tail ? " (a torn end)" : "");
	if (r->refused)
		append(buf, size, &o, "%s%zu record%s that did not apply skipped", o ? "; " : "", r->refused,
		       r->refused == 1 ? "" : "s");
	if (r->over_budget)
		append(buf, size, &o, "%sthe last %zu bytes not replayed (too costly)", o ? "; " : "",
		       r->unread_bytes);
	if (r->too_big)
		append(buf, size, &o, "%sa file too big to be a journal was set aside", o ? "; " : "");
	return o;
}
