/* fuzz_rows.c - libFuzzer target: any bytes as a CSV file whose records go
 * to order_row_check and survey_row_check (the POS orders and survey
 * answers imports). An accepted row has the fields the database needs,
 * normalized: a date-time, a positive quantity, a score of 1 to 5. */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ccterm/channel_rows.h"
#include "ccterm/csv.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct csv_reader *r;
	struct csv_record rec;
	FILE *fp;
	int rc;

	if (size == 0 || !(fp = fmemopen((void *)data, size, "r")))
		return 0;
	if ((r = csv_reader_new(fp))) {
		for (size_t n = 0; n < size + 2 && (rc = csv_next(r, &rec)) != 0; n++) {
			struct order_row o;
			struct survey_row s;
			char why[512];

			if (rc < 0)
				continue;
			if (order_row_check(rec.fields, rec.nfields, "KR", &o, why, sizeof(why)) == 0) {
				if (!o.order_no || !o.ordered_at[0] || !o.sku || !o.name || atol(o.qty) < 1 || !o.price[0] ||
				    !o.channel || !o.status)
					abort();
			} else if (!why[0]) {
				abort();
			}
			if (survey_row_check(rec.fields, rec.nfields, "KR", &s, why, sizeof(why)) == 0) {
				if (!s.answered_at[0] || atoi(s.score) < 1 || atoi(s.score) > 5 || !s.channel)
					abort();
			} else if (!why[0]) {
				abort();
			}
		}
	}
	csv_reader_free(r);
	fclose(fp);
	return 0;
}
