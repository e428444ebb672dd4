/* fuzz_journal.c - libFuzzer target: the journal reader on any bytes. What
 * it restores is a well-formed draft, and it never crashes. */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ccterm/journal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct draft_state d;
	struct journal_report rep;
	char words[256];
	int rc = journal_replay(data, size, &d, &rep);

	if (rc == 1) {
		if (!d.id[0] || strlen(d.id) > JOURNAL_ID_MAX || d.nfields > JOURNAL_MAX_FIELDS)
			abort();
		for (size_t i = 0; i < d.nfields; i++) {
			const struct draft_field *f = &d.fields[i];

			if (!f->name[0] || f->value[f->len] != '\0' || draft_state_get(&d, f->name) == NULL)
				abort();
		}
	} else if (rc != 0) {
		abort();
	}
	if (rep.damaged_bytes > size || rep.unread_bytes > size)
		abort();
	journal_report_describe(&rep, words, sizeof(words));
	draft_state_free(&d);
	return 0;
}
