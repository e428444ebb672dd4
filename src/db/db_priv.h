/* db_priv.h - what every file of src/db/ shares: libpq itself and the one
 * way to copy a column of a result row into a fixed-size field. */
#ifndef CCTERM_DB_PRIV_H
#define CCTERM_DB_PRIV_H

#include <stdio.h>
#include <string.h>
#include <libpq-fe.h>

#include "ccterm/db.h"

/* A column's text, "" for NULL. */
static inline const char *db_field(const PGresult *res, int row, int col)
{
	return PQgetisnull(res, row, col) ? "" : PQgetvalue(res, row, col);
}

/* Copies a column into a char array field, cut to fit, "" for NULL (libpq
 * gives NULL as "" of length 0). What snprintf("%s") did, at a fraction of
 * its cost: a pop copies some 200 columns before its frame. */
static inline void db_copy(char *dst, size_t size, const PGresult *res, int row, int col)
{
	size_t n = (size_t)PQgetlength(res, row, col);

	if (n >= size)
		n = size - 1;
	memcpy(dst, PQgetvalue(res, row, col), n);
	dst[n] = '\0';
}

#define DB_COPY(dst, res, row, col) db_copy((dst), sizeof(dst), (res), (row), (col))

#endif
