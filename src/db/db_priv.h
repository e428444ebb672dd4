/* db_priv.h - what every file of src/db/ shares: libpq itself and the one
 * way to copy a column of a result row into a fixed-size field. */
#ifndef CCTERM_DB_PRIV_H
#define CCTERM_DB_PRIV_H

#include <stdio.h>
#include <libpq-fe.h>

#include "ccterm/db.h"

/* A column's text, "" for NULL. */
static inline const char *db_field(const PGresult *res, int row, int col)
{
	return PQgetisnull(res, row, col) ? "" : PQgetvalue(res, row, col);
}

/* Copies a column into a char array field, cut to fit, "" for NULL. */
#define DB_COPY(dst, res, row, col) snprintf((dst), sizeof(dst), "%s", db_field((res), (row), (col)))

#endif
