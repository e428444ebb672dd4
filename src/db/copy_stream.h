/* copy_stream.h - rows streamed to the server with COPY ... FROM STDIN in
 * its text format (every importer: import.c, import_job.c). Fields are
 * text or NULL (sent as \N); backslash, tab, newline and carriage return
 * are escaped. The data goes in pieces of about 256 kB. */
#ifndef CCTERM_COPY_STREAM_H
#define CCTERM_COPY_STREAM_H

#include <stddef.h>

#include "ccterm/db.h"

struct copy_stream {
	struct db *db;
	char *buf;          /* COPY data waiting to be sent */
	size_t len, cap;
};

/* Runs copy_sql ("copy stage from stdin"). 0, or -1 with db_error(). */
int copy_stream_begin(struct copy_stream *cs, struct db *db, const char *copy_sql);
/* One row of n fields in the table's column order. 0 or -1. */
int copy_stream_row(struct copy_stream *cs, const char *const *fields, size_t n);
/* Sends what is left, ends the COPY and frees the buffer. 0 or -1. */
int copy_stream_end(struct copy_stream *cs);

#endif
