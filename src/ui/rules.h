/* rules.h - the supervisor's offer rule screens: the list (rules.c) opens
 * the editor (rule_edit.c) on a rule, or on a new one. */
#ifndef CCTERM_UI_RULES_H
#define CCTERM_UI_RULES_H

#include "ccterm/offers.h"

struct app;

/* Opens the editor on f (NULL: a new rule). */
void rule_edit_start(struct app *app, const struct rule_fields *f);
/* The list reads the rules again when next shown or ticked. */
void rules_stale(void);

#endif
