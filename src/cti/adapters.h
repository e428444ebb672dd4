/* adapters.h - the PBX adapters of ccterm-cti: each runs until stopped
 * (SIGINT, SIGTERM, SIGHUP; events: end of input). 0, 2 for usage, -1 with
 * db_error(). */
#ifndef CCTERM_CTI_ADAPTERS_H
#define CCTERM_CTI_ADAPTERS_H

#include "ccterm/db.h"

int ami_main(struct db *db, int argc, char **argv);      /* Asterisk Manager Interface */
int esl_main(struct db *db, int argc, char **argv);      /* FreeSWITCH event socket */
int events_main(struct db *db, int argc, char **argv);   /* JSON lines, stdin or a UNIX socket */

#endif
