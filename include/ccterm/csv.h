/* csv.h - RFC 4180 CSV reading, streaming, with line numbers for error reports. */
#ifndef CCTERM_CSV_H
#define CCTERM_CSV_H

#include <stddef.h>
#include <stdio.h>

struct csv_record {
	char **fields;      /* NUL-terminated fields, owned by the reader */
	size_t nfields;
	long line;          /* 1-based line on which the record starts */
};

struct csv_reader;

/* Reads from fp (not closed by the reader). Returns NULL on out of memory. */
struct csv_reader *csv_reader_new(FILE *fp);
void csv_reader_free(struct csv_reader *r);

/*
 * Reads the next record into rec; fields stay valid until the next call.
 * Handles quoted fields with "" escapes, embedded commas and newlines,
 * CRLF and LF line ends, a missing final newline, and a UTF-8 BOM at the
 * start of the file. Blank lines are skipped.
 * Returns 1 for a record, 0 at end of input, -1 on a malformed record
 * (e.g. unterminated quote, text after a closing quote, a NUL byte in a
 * field, which would otherwise cut the field short): csv_error() says why,
 * rec->line says where, and reading can continue with the next line.
 */
int csv_next(struct csv_reader *r, struct csv_record *rec);
const char *csv_error(const struct csv_reader *r);

/* The lines of a regular file (a last one without a newline counts), for a
 * progress line's total; 0 for anything else (a pipe cannot be read twice)
 * or when it cannot be read. Any text file: JSON lines too. */
long csv_lines_in_file(const char *path);

#endif
