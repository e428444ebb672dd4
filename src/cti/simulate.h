/* simulate.h - `ccterm-cti simulate`: a call floor driven through the same
 * SQL functions a PBX and the agents use, for the demo and the benchmarks. */
#ifndef CCTERM_CTI_SIMULATE_H
#define CCTERM_CTI_SIMULATE_H

#include "ccterm/db.h"

/* Runs `simulate` with its options (argv after the word "simulate").
 * Returns 0, 2 on a usage error, -1 on a database error (db_error says). */
int sim_main(struct db *db, int argc, char **argv);

#endif
