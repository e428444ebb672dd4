/* journal_bench.c - what replaying a journal costs: the time journal_recover
 * takes on journals written record by record (no compaction, as a journal
 * whose rewrites failed, or one written by something else, may be):
 *
 *   typing   N edit pairs (insert a character, delete it) at one spot near
 *            the start of a field of L bytes: what an agent editing the top
 *            of long notes writes
 *   far      the same pairs alternating between the field's start and end:
 *            the worst case for any buffer, bounded by JOURNAL_REPLAY_BUDGET
 *
 * usage: bench/journal_bench [--pairs N] [--field-bytes L] [--runs R]
 * Prints the median and the slowest of R runs for each, in milliseconds.
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "ccterm/journal.h"

static uint32_t crc_table[256];

static uint32_t crc32(uint32_t crc, const unsigned char *p, size_t n)
{
	if (!crc_table[1])
		for (uint32_t i = 0; i < 256; i++) {
			uint32_t c = i;

			for (int k = 0; k < 8; k++)
				c = c & 1 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
			crc_table[i] = c;
		}
	crc = ~crc;
	while (n--)
		crc = crc_table[(crc ^ *p++) & 0xFF] ^ (crc >> 8);
	return ~crc;
}

static void le32(unsigned char *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (unsigned char)(v >> (8 * i));
}

/* One record (format in journal.h) to f. */
static void record(FILE *f, int type, const unsigned char *payload, size_t n)
{
	unsigned char h[12] = { 0xFE, 'J', (unsigned char)type, 0 };

	le32(h + 4, (uint32_t)n);
	le32(h + 8, crc32(crc32(0, h, 8), payload, n));
	fwrite(h, 1, 12, f);
	fwrite(payload, 1, n, f);
}

static void edit(FILE *f, int type, uint32_t off, uint32_t len_or_byte)
{
	unsigned char p[16] = { 5, 'n', 'o', 't', 'e', 's' };

	le32(p + 6, off);
	if (type == JOURNAL_INSERT) {
		p[10] = (unsigned char)len_or_byte;
		record(f, type, p, 11);
	} else {
		le32(p + 10, len_or_byte);
		record(f, type, p, 14);
	}
}

static void write_journal(const char *path, long pairs, size_t field, int far)
{
	FILE *f = fopen(path, "wb");
	unsigned char *set = malloc(field + 6);

	if (!f || !set) {
		perror(path);
		exit(1);
	}
	record(f, JOURNAL_BEGIN, (const unsigned char *)"3f2a7c1e-0b4d-4e8f-9a6b-1c2d3e4f5a6b", 36);
	memcpy(set, "\x05notes", 6);
	memset(set + 6, 'n', field);
	record(f, JOURNAL_SET, set, field + 6);
	for (long i = 0; i < pairs; i++) {
		uint32_t at = far && i % 2 ? (uint32_t)field : 10;

		edit(f, JOURNAL_INSERT, at, 'x');
		edit(f, JOURNAL_DELETE, at, 1);
	}
	fclose(f);
	free(set);
}

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static void measure(const char *what, const char *path, int runs)
{
	double *t = calloc((size_t)runs, sizeof(*t));

	for (int r = 0; r < runs; r++) {
		struct draft_state d;
		double t0 = now_ms();
		int rc = journal_recover(path, &d);

		t[r] = now_ms() - t0;
		if (rc != 1) {
			fprintf(stderr, "%s: nothing recovered\n", what);
			exit(1);
		}
		draft_state_free(&d);
	}
	qsort(t, (size_t)runs, sizeof(*t), cmp);
	printf("%-8s median %9.1f ms   slowest %9.1f ms\n", what, t[runs / 2], t[runs - 1]);
	free(t);
}

int main(int argc, char **argv)
{
	long pairs = 30000;
	size_t field = 1000000;
	int runs = 5;
	char path[] = "/tmp/ccterm-journal-bench-XXXXXX";
	int fd;

	for (int i = 1; i + 1 < argc; i += 2) {
		if (strcmp(argv[i], "--pairs") == 0)
			pairs = atol(argv[i + 1]);
		else if (strcmp(argv[i], "--field-bytes") == 0)
			field = (size_t)atol(argv[i + 1]);
		else if (strcmp(argv[i], "--runs") == 0)
			runs = atoi(argv[i + 1]);
	}
	if (pairs < 1 || field < 16 || runs < 1) {
		fprintf(stderr, "usage: journal_bench [--pairs N] [--field-bytes L] [--runs R]\n");
		return 2;
	}
	fd = mkstemp(path);
	if (fd < 0) {
		perror("mkstemp");
		return 1;
	}
	close(fd);
	printf("journal replay: %ld edit pairs on a %zu-byte field, %d runs\n", pairs, field, runs);
	write_journal(path, pairs, field, 0);
	measure("typing", path, runs);
	write_journal(path, pairs, field, 1);
	measure("far", path, runs);
	unlink(path);
	return 0;
}
