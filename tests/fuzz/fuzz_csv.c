/* fuzz_csv.c - libFuzzer target: the CSV reader on any bytes; every record
 * it returns has NUL-free fields and sane line numbers. */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ccterm/csv.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	FILE *fp;
	struct csv_reader *r;
	struct csv_record rec;
	long last = 0;
	int rc;

	if (size == 0)
		return 0;
	fp = fmemopen((void *)data, size, "r");
	if (!fp)
		return 0;
	r = csv_reader_new(fp);
	if (r) {
		/* Each call consumes at least one byte, so size + 2 calls reach the end. */
		for (size_t n = 0; n < size + 2 && (rc = csv_next(r, &rec)) != 0; n++) {
			if (rec.line < last || rec.line < 1)
				abort();
			last = rec.line;
			if (rc == 1) {
				if (rec.nfields == 0)
					abort();
				for (size_t i = 0; i < rec.nfields; i++)
					if (strlen(rec.fields[i]) > size)
						abort();
			} else if (!csv_error(r)[0]) {
				abort();        /* a bad record always says why */
			}
		}
		if (csv_next(r, &rec) != 0)
			abort();        /* the loop above reached the end */
	}
	csv_reader_free(r);
	fclose(fp);
	return 0;
}
