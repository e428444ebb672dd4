/* cases.h - what the command line asks of the case screen (cases.c) and the
 * reply editor (reply.c). */
#ifndef CCTERM_UI_CASES_H
#define CCTERM_UI_CASES_H

#include <stddef.h>

struct app;

/* The case open on the case screen, 0 when none. */
long long cases_current(void);
/* Opens a case by id on the case screen (":open C-12"). */
void cases_open_case(struct app *app, long long case_id);
/* A change of the open case: note TEXT, escalate [NOTE], assign LOGIN [NOTE],
 * close CODE [NOTE]. */
void cases_change(struct app *app, const char *verb, const char *arg);
/* Tab after "assign " (the logins seen in the list) and "close " (the
 * resolution codes): candidates starting with word, malloc'd. */
size_t cases_complete(const char *verb, const char *word, char **out, size_t max);
/* The call-back outcome of the campaign member on screen: MINUTES or HH:MM. */
void campaign_callback(struct app *app, const char *arg);
/* A case id from "C-12", "c12", "12" after "case": 0 when it is none. */
long long cases_parse_id(const char *s);

#endif
