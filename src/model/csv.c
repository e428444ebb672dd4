/* csv.c - a streaming RFC 4180 reader that survives bad records.
 *
 * Fields are collected into one growing buffer, NUL after each, and the
 * pointers are made once the record is complete (the buffer may move while
 * it grows). The raw bytes of the current record are kept too: when a
 * quote is never closed, everything after the record's first line is read
 * again, so one stray quote costs one line, not the rest of the file.
 */
#include "config.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "ccterm/csv.h"

struct buf {
	char *p;
	size_t len, cap;
};

struct csv_reader {
	FILE *fp;
	long line;              /* line of the next byte to read */
	bool started;           /* the BOM check has been done */
	struct buf pending;     /* bytes to read again before fp */
	size_t pending_pos;
	struct buf raw;         /* the current record as read */
	struct buf text;        /* field bytes, each followed by a NUL */
	size_t *starts;         /* offsets of fields in text */
	size_t nstarts, capstarts;
	char **fields;
	size_t capfields;
	const char *error;
	bool nomem;             /* a buffer could not grow: the record is lost */
	bool nul;               /* the record holds a NUL byte */
};

static bool buf_put(struct buf *b, char c)
{
	if (b->len == b->cap) {
		size_t cap = b->cap ? b->cap * 2 : 256;
		char *p = realloc(b->p, cap);

		if (!p)
			return false;
		b->p = p;
		b->cap = cap;
	}
	b->p[b->len++] = c;
	return true;
}

struct csv_reader *csv_reader_new(FILE *fp)
{
	struct csv_reader *r = calloc(1, sizeof(*r));

	if (!r)
		return NULL;
	r->fp = fp;
	r->line = 1;
	r->error = "";
	return r;
}

void csv_reader_free(struct csv_reader *r)
{
	if (!r)
		return;
	free(r->pending.p);
	free(r->raw.p);
	free(r->text.p);
	free(r->starts);
	free(r->fields);
	free(r);
}

const char *csv_error(const struct csv_reader *r)
{
	return r->error;
}

/* Next byte, from the pending bytes first; also kept in raw. EOF at the
 * end, and EOF with nomem set when raw cannot grow. */
static int csv_getc(struct csv_reader *r)
{
	int c;

	if (r->nomem)
		return EOF;
	if (r->pending_pos < r->pending.len)
		c = (unsigned char)r->pending.p[r->pending_pos++];
	else
		c = getc(r->fp);
	if (c != EOF && !buf_put(&r->raw, (char)c)) {
		r->nomem = true;
		return EOF;
	}
	return c;
}

/* Looks at the next byte without taking it. */
static int csv_peek(struct csv_reader *r)
{
	int c;

	if (r->pending_pos < r->pending.len)
		return (unsigned char)r->pending.p[r->pending_pos];
	c = getc(r->fp);
	if (c != EOF)
		ungetc(c, r->fp);
	return c;
}

static void csv_skip_bom(struct csv_reader *r)
{
	static const unsigned char bom[] = { 0xEF, 0xBB, 0xBF };
	int c;
	size_t i;

	r->started = true;
	for (i = 0; i < 3; i++) {
		c = getc(r->fp);
		if (c != bom[i])
			break;
	}
	if (i == 3)
		return;
	/* Not a BOM: what was read is the start of the data. */
	for (size_t j = 0; j < i; j++)
		if (!buf_put(&r->pending, (char)bom[j]))
			r->nomem = true;
	if (c != EOF && !buf_put(&r->pending, (char)c))
		r->nomem = true;
}

static bool field_start(struct csv_reader *r)
{
	if (r->nstarts == r->capstarts) {
		size_t cap = r->capstarts ? r->capstarts * 2 : 16;
		size_t *p = realloc(r->starts, cap * sizeof(*p));

		if (!p)
			return false;
		r->starts = p;
		r->capstarts = cap;
	}
	r->starts[r->nstarts++] = r->text.len;
	return true;
}

/* Consumes the rest of a line end after c ('\r' may be followed by '\n'). */
static void csv_eol(struct csv_reader *r, int c)
{
	if (c == '\r' && csv_peek(r) == '\n')
		csv_getc(r);
	r->line++;
}

static void csv_skip_line(struct csv_reader *r)
{
	int c;

	while ((c = csv_getc(r)) != EOF) {
		if (c == '\n' || c == '\r') {
			csv_eol(r, c);
			return;
		}
	}
}

/* After a quoted field that ran past its line and proved bad (never closed,
 * or closed with text after it): read everything after the record's first
 * line again, then what was still to read. */
static void csv_rewind_record(struct csv_reader *r, long start_line)
{
	char *nl = memchr(r->raw.p, '\n', r->raw.len);
	char *cr = memchr(r->raw.p, '\r', r->raw.len);
	struct buf again = { 0 };
	size_t from;
	bool ok = true;

	if (cr && (!nl || cr < nl))
		nl = (cr + 1 < r->raw.p + r->raw.len && cr[1] == '\n') ? cr + 1 : cr;
	from = nl ? (size_t)(nl - r->raw.p) + 1 : r->raw.len;
	for (size_t i = from; ok && i < r->raw.len; i++)
		ok = buf_put(&again, r->raw.p[i]);
	for (size_t i = r->pending_pos; ok && i < r->pending.len; i++)
		ok = buf_put(&again, r->pending.p[i]);
	free(r->pending.p);
	if (!ok) {
		free(again.p);
		again = (struct buf){ 0 };      /* the rest of the input is lost */
		r->nomem = true;
	}
	r->pending = again;
	r->pending_pos = 0;
	r->line = start_line + 1;
}

/* Reads one record's fields; c is its first byte. 1 for a record, -1 when
 * it is malformed (r->error says why) or memory ran out (r->nomem). */
static int csv_read_record(struct csv_reader *r, int c, long start_line)
{
	for (;;) {
		if (!field_start(r)) {
			r->nomem = true;
			return -1;
		}
		if (c == '"') {
			for (;;) {
				c = csv_getc(r);
				if (c == EOF && r->nomem)
					return -1;
				if (c == EOF) {
					csv_rewind_record(r, start_line);
					r->error = "unterminated quoted field";
					return -1;
				}
				if (c == '"') {
					if (csv_peek(r) != '"')
						break;
					c = csv_getc(r);
				} else if (c == '\r' || c == '\n') {
					csv_eol(r, c);
					c = '\n';       /* line ends inside a field become LF */
				} else if (c == '\0') {
					r->nul = true;
				}
				if (!buf_put(&r->text, (char)c)) {
					r->nomem = true;
					return -1;
				}
			}
			c = csv_getc(r);
		} else {
			/* A quote inside an unquoted field is kept as text. */
			while (c != ',' && c != '\n' && c != '\r' && c != EOF) {
				if (c == '\0')
					r->nul = true;
				if (!buf_put(&r->text, (char)c)) {
					r->nomem = true;
					return -1;
				}
				c = csv_getc(r);
			}
		}
		if (r->nomem || !buf_put(&r->text, '\0')) {
			r->nomem = true;
			return -1;
		}
		if (c == ',') {
			c = csv_getc(r);
			continue;
		}
		if (c == '\n' || c == '\r') {
			csv_eol(r, c);
			return 1;
		}
		if (c == EOF)
			return 1;
		/* Only a quoted field ends on another byte: "abc"x */
		r->error = "text after a closing quote";
		if (r->line > start_line)
			csv_rewind_record(r, start_line);   /* a stray quote closed lines later */
		else
			csv_skip_line(r);
		return -1;
	}
}

int csv_next(struct csv_reader *r, struct csv_record *rec)
{
	long start;
	int c;

	memset(rec, 0, sizeof(*rec));
	r->error = "";
	r->nomem = false;
	r->nul = false;
	if (!r->started)
		csv_skip_bom(r);
	r->raw.len = 0;
	r->text.len = 0;
	r->nstarts = 0;
	/* Blank lines are no records. */
	while ((c = csv_getc(r)) == '\n' || c == '\r') {
		csv_eol(r, c);
		r->raw.len = 0;
	}
	start = r->line;
	rec->line = start;
	if (c == EOF && !r->nomem)
		return 0;
	if (c == EOF || csv_read_record(r, c, start) < 0) {
		if (r->nomem)
			r->error = "out of memory";
		return -1;
	}
	if (r->nul) {
		/* A C string would end there and silently lose the rest of the field. */
		r->error = "a NUL byte in a field (not text)";
		return -1;
	}
	if (r->nstarts > r->capfields) {
		char **p = realloc(r->fields, r->nstarts * sizeof(*p));

		if (!p) {
			r->error = "out of memory";
			return -1;
		}
		r->fields = p;
		r->capfields = r->nstarts;
	}
	for (size_t i = 0; i < r->nstarts; i++)
		r->fields[i] = r->text.p + r->starts[i];
	rec->fields = r->fields;
	rec->nfields = r->nstarts;
	return 1;
}

long csv_lines_in_file(const char *path)
{
	struct stat st;
	char buf[65536];
	long lines = 0;
	size_t n;
	bool last_nl = true;
	FILE *fp;

	if (stat(path, &st) < 0 || !S_ISREG(st.st_mode) || !(fp = fopen(path, "r")))
		return 0;
	while ((n = fread(buf, 1, sizeof(buf), fp)) > 0) {
		for (char *q = buf; (q = memchr(q, '\n', (size_t)(buf + n - q))); q++)
			lines++;
		last_nl = buf[n - 1] == '\n';
	}
	fclose(fp);
	return lines + !last_nl;
}
