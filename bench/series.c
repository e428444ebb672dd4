/* series.c - percentiles for the benchmarks. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "series.h"

double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1000.0 + (double)ts.tv_nsec / 1e6;
}

void series_init(struct series *s, const char *label, size_t cap)
{
	s->label = label;
	s->n = 0;
	s->cap = cap ? cap : 1;
	s->v = calloc(s->cap, sizeof(*s->v));
	if (!s->v) {
		fputs("bench: out of memory\n", stderr);
		exit(1);
	}
}

void series_add(struct series *s, double v)
{
	if (s->n < s->cap)
		s->v[s->n++] = v;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

void series_sort(struct series *s)
{
	qsort(s->v, s->n, sizeof(*s->v), cmp_double);
}

double pct(const struct series *s, double q)
{
	size_t k;

	if (s->n == 0)
		return 0;
	k = (size_t)(q * (double)s->n + 0.999999);
	if (k < 1)
		k = 1;
	if (k > s->n)
		k = s->n;
	return s->v[k - 1];
}

void series_print(struct series *s, int width)
{
	series_sort(s);
	printf("  %-*s %6zu %9.3f %9.3f %9.3f %9.3f\n", width, s->label, s->n, pct(s, 0.5), pct(s, 0.9),
	       pct(s, 0.99), s->n ? s->v[s->n - 1] : 0.0);
}
