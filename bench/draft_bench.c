/* draft_bench.c - what journaling a popped call's new draft costs: the
 * journal part of desk_draft_new, between the pop's reply and its frame
 * (bench/JOURNAL.md):
 *
 *   uuid          journal_uuid alone
 *   new draft     journal_uuid, then journal_hold, journal_begin, the five
 *                 prefilled fields (channel, direction, kind, call_id,
 *                 customer_id), journal_release: as desk_draft_new does
 *   after a save  the same, the previous draft saved first (journal_saved,
 *                 not timed): the pop that follows every saved contact
 *
 * usage: bench/draft_bench [--runs R] [--dir D]
 * D (default .) is where the journal lives: put it on the disk a console's
 * ~/.local/state is on, not a tmpfs (a flush there costs nothing). Prints
 * the median, the 99th percentile and the slowest of R drafts, in
 * microseconds. Built against a journal without journal_hold (before it
 * existed), compile with -DDRAFT_BENCH_NO_HOLD: the records then go out one
 * write each, as they did.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "ccterm/journal.h"

#ifdef DRAFT_BENCH_NO_HOLD
#define journal_hold(j) ((void)(j))
#define journal_release(j) ((void)(j), 0)
#endif

static double now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static void report(const char *what, double *t, int runs)
{
	qsort(t, (size_t)runs, sizeof(*t), cmp);
	printf("%-13s median %8.1f us   p99 %8.1f us   slowest %8.1f us\n", what, t[runs / 2],
	       t[(size_t)runs * 99 / 100], t[runs - 1]);
}

/* desk_draft_new's journal part; returns -1 when the journal refused. */
static int new_draft(struct journal *j, char *id, long long call)
{
	char num[32];
	int failed = 0;

	if (journal_uuid(id) < 0)
		return -1;
	journal_hold(j);
	failed += journal_begin(j, id) < 0;
	failed += journal_set(j, "channel", "phone") < 0;
	failed += journal_set(j, "direction", "in") < 0;
	failed += journal_set(j, "kind", "inquiry") < 0;
	snprintf(num, sizeof(num), "%lld", call);
	failed += journal_set(j, "call_id", num) < 0;
	snprintf(num, sizeof(num), "%lld", 1000000 + call % 1000000);
	failed += journal_set(j, "customer_id", num) < 0;
	failed += journal_release(j) < 0;
	return failed ? -1 : 0;
}

static void fail(struct journal *j, const char *what)
{
	fprintf(stderr, "draft_bench: %s: %s\n", what, journal_error(j));
	exit(1);
}

int main(int argc, char **argv)
{
	const char *dir = ".";
	int runs = 2000;
	char path[4096], id[JOURNAL_UUID_LEN + 1], err[256];
	struct journal *j;
	double *t;

	for (int i = 1; i + 1 < argc; i += 2) {
		if (strcmp(argv[i], "--runs") == 0)
			runs = atoi(argv[i + 1]);
		else if (strcmp(argv[i], "--dir") == 0)
			dir = argv[i + 1];
	}
	if (runs < 1 || argc % 2 == 0) {
		fprintf(stderr, "usage: draft_bench [--runs R] [--dir D]\n");
		return 2;
	}
	t = calloc((size_t)runs, sizeof(*t));
	snprintf(path, sizeof(path), "%s/draft-bench-%ld.journal", dir, (long)getpid());
	j = journal_open(path, err, sizeof(err));
	if (!t || !j) {
		fprintf(stderr, "draft_bench: %s\n", t ? err : "out of memory");
		return 1;
	}
	printf("a popped call's new draft in the journal (%s), %d runs\n", path, runs);

	for (int r = 0; r < runs; r++) {
		double t0 = now_us();

		if (journal_uuid(id) < 0)
			fail(j, "uuid");
		t[r] = now_us() - t0;
	}
	report("uuid", t, runs);

	/* One draft after another, none saved (as when each is discarded by the next pop). */
	for (int r = 0; r < runs; r++) {
		double t0 = now_us();

		if (new_draft(j, id, r) < 0)
			fail(j, "new draft");
		t[r] = now_us() - t0;
		if (journal_sync_due(j, journal_now_ms()))
			journal_sync_start(j);  /* the loop's batched fsync (its thread), not timed */
	}
	report("new draft", t, runs);

	for (int r = 0; r < runs; r++) {
		double t0;

		if (journal_saved(j, id) < 0)
			fail(j, "saved");
		t0 = now_us();
		if (new_draft(j, id, r) < 0)
			fail(j, "draft after a save");
		t[r] = now_us() - t0;
	}
	report("after a save", t, runs);

	journal_discard(j, id);
	journal_close(j);
	unlink(path);
	free(t);
	return 0;
}
