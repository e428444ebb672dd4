/* suites.h - the unit test suites run by check_model. */
#ifndef CCTERM_TEST_SUITES_H
#define CCTERM_TEST_SUITES_H

#include <check.h>

Suite *phone_suite(void);
Suite *csv_suite(void);
Suite *utf8_suite(void);
Suite *format_suite(void);
Suite *keymap_suite(void);
Suite *record_suite(void);
Suite *journal_suite(void);
Suite *textbuf_suite(void);
Suite *nav_suite(void);
Suite *notice_suite(void);
Suite *agent_event_suite(void);
Suite *sparkline_suite(void);
Suite *progress_suite(void);
Suite *mta_error_suite(void);
Suite *relay_proto_suite(void);
Suite *report_fmt_suite(void);
Suite *pop_seal_suite(void);
Suite *i18n_suite(void);

#endif
