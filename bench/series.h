/* series.h - what the benchmarks measure: a series of times in ms and its
 * percentiles (nearest rank), and the clock they are taken with. */
#ifndef CCTERM_BENCH_SERIES_H
#define CCTERM_BENCH_SERIES_H

#include <stddef.h>

struct series {
	const char *label;
	double *v;
	size_t n, cap;
};

/* CLOCK_MONOTONIC in milliseconds. */
double now_ms(void);

/* Room for cap values; exits on out of memory. */
void series_init(struct series *s, const char *label, size_t cap);
/* Adds v while there is room. */
void series_add(struct series *s, double v);
/* Sorts the values; pct() needs it. */
void series_sort(struct series *s);
/* The smallest value with at least q of the values at or below it (sorted). */
double pct(const struct series *s, double q);
/* "  LABEL  n  p50  p90  p99  max", the label padded to width. Sorts first. */
void series_print(struct series *s, int width);

#endif
