/* cases.h - the SLA watch's side of cases (sql/repeatable/76_cases.sql).
 * Everything a case screen needs is a SQL function it calls directly:
 * case_list, case_detail, case_history, case_interactions, case_assign,
 * case_set_priority, case_escalate, case_add_note, case_close (README, "Cases"). */
#ifndef CCTERM_CASES_H
#define CCTERM_CASES_H

#include "ccterm/db.h"

/* Escalates the cases past case_escalate_pct of their SLA and marks the ones
 * past due, each pushed by NOTIFY: *events is how many. 0 or -1. */
int case_sla_run(struct db *db, int *events);
/* Milliseconds until the next case crosses a threshold (0: now), -1 when
 * none will; -2 on error. */
long case_sla_next_ms(struct db *db);

#endif
