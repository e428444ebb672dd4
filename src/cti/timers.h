/* timers.h - `ccterm-cti timers`: the process that runs the database's
 * clocks. Today one: ring no answer (call_ring_expire()). */
#ifndef CCTERM_CTI_TIMERS_H
#define CCTERM_CTI_TIMERS_H

#include "ccterm/db.h"

/* Runs `timers` with its options (argv after the word "timers") until
 * SIGTERM, SIGINT or SIGHUP. Returns 0, 2 on a usage error, -1. */
int timers_main(struct db *db, int argc, char **argv);

#endif
