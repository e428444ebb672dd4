/* sparkline.c - figures as block characters (sparkline.h). */
#include "config.h"

#include <string.h>
#include <strings.h>

#include "ccterm/sparkline.h"

static const char *const blocks[SPARK_LEVELS] = { "▁", "▂", "▃", "▄", "▅", "▆", "▇", "█" };
static const char ascii[SPARK_LEVELS + 1] = "_.-:=+*#";

enum spark_charset spark_charset_for(const char *codeset, bool no_color)
{
	if (no_color || !codeset)
		return SPARK_ASCII;
	if (strcasecmp(codeset, "UTF-8") == 0 || strcasecmp(codeset, "UTF8") == 0)
		return SPARK_UNICODE;
	return SPARK_ASCII;
}

int spark_level(double v, double lo, double hi)
{
	double r;
	int l;

	if (isnan(v))
		return -1;
	if (!(hi > lo))
		return v <= 0 ? 0 : 3;
	r = (v - lo) / (hi - lo) * (SPARK_LEVELS - 1);
	if (r <= 0)
		return 0;
	l = (int)(r + 0.5);
	return l > SPARK_LEVELS - 1 ? SPARK_LEVELS - 1 : l;
}

void spark_range(const double *v, size_t n, bool zero_based, double *lo, double *hi)
{
	bool any = false;

	*lo = *hi = 0;
	for (size_t i = 0; i < n; i++) {
		if (isnan(v[i]))
			continue;
		if (!any || v[i] < *lo)
			*lo = v[i];
		if (!any || v[i] > *hi)
			*hi = v[i];
		any = true;
	}
	if (zero_based)
		*lo = 0;
}

size_t sparkline(const double *v, size_t n, double lo, double hi, size_t width, enum spark_charset cs, char *out,
		 size_t outsz)
{
	size_t first = n > width ? n - width : 0, used = 0, cols = 0;

	if (outsz == 0)
		return 0;
	out[0] = '\0';
	for (size_t i = first; i < n; i++) {
		int l = spark_level(v[i], lo, hi);
		const char *c = l < 0 ? " " : cs == SPARK_UNICODE ? blocks[l] : (const char[]){ ascii[l], '\0' };
		size_t len = strlen(c);

		if (used + len + 1 > outsz) {
			out[0] = '\0';
			return 0;
		}
		memcpy(out + used, c, len);
		used += len;
		cols++;
	}
	out[used] = '\0';
	return cols;
}
