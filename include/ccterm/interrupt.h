/* interrupt.h - Ctrl-C (SIGINT, also SIGTERM) during a long ccterm-admin job
 * (src/db/interrupt.c). While caught, the signal cancels the statement the
 * connection is running (PQcancel from the handler) and sets a flag the job's
 * loops check; the job then rolls back and says "interrupted: rolled back,
 * nothing was loaded" (ccterm-admin exits 130). */
#ifndef CCTERM_INTERRUPT_H
#define CCTERM_INTERRUPT_H

#include <stdbool.h>
#include "ccterm/db.h"

/* Installs the handlers for db's connection. 0 or -1 (db_error). */
int db_interrupt_catch(struct db *db);
/* Default handlers again. */
void db_interrupt_release(void);
/* Has a signal come since db_interrupt_catch? */
bool db_interrupted(void);
/* Which (SIGINT, SIGTERM), 0 for none. */
int db_interrupt_signal(void);

#endif
