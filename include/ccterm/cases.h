/* cases.h - the SLA watch's side of cases (sql/repeatable/76_cases.sql).
 * Everything a case screen needs is a SQL function it calls directly:
 * case_list, case_detail, case_history, case_interactions, case_assign,
 * case_set_priority, case_escalate, case_add_note, case_close (README, "Cases"). */
#ifndef CCTERM_CASES_H
#define CCTERM_CASES_H

#include "ccterm/db.h"

/* The watch's turn: escalates the cases past case_escalate_pct of their SLA,
 * marks the ones past due, and pushes the campaign call-backs that came due,
 * each by NOTIFY: *events is how many. 0 or -1. */
int case_sla_run(struct db *db, int *events);
/* Milliseconds until the next case crosses a threshold or the next
 * call-back is due (0: now), -1 when nothing waits; -2 on error. */
long case_sla_next_ms(struct db *db);

#endif
