/* check_model.c - runs every unit suite of the pure-logic modules. */
#include <stdlib.h>

#include "suites.h"

static Suite *(*const suites[])(void) = {
	phone_suite,
	csv_suite,
	utf8_suite,
	format_suite,
	keymap_suite,
	record_suite,
	journal_suite,
	textbuf_suite,
	nav_suite,
	notice_suite,
	agent_event_suite,
	sparkline_suite,
	progress_suite,
	mta_error_suite,
	relay_proto_suite,
	report_fmt_suite,
	pop_seal_suite,
	i18n_suite,
};

int main(void)
{
	SRunner *sr = srunner_create(NULL);
	int failed;

	for (size_t i = 0; i < sizeof(suites) / sizeof(suites[0]); i++)
		srunner_add_suite(sr, suites[i]());
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
