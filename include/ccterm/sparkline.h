/* sparkline.h - a row of figures as a row of characters, one per figure:
 * eight heights of Unicode block (▁▂▃▄▅▆▇█) or, where the terminal is not
 * UTF-8 or NO_COLOR asks for plain output, eight ASCII ones (_.-:=+*#).
 * Pure logic, no curses (tests/unit/check_sparkline.c). */
#ifndef CCTERM_SPARKLINE_H
#define CCTERM_SPARKLINE_H

#include <math.h>
#include <stdbool.h>
#include <stddef.h>

#define SPARK_LEVELS 8
/* A figure that is missing (no call counted in that quarter): a blank. */
#define SPARK_MISSING NAN

enum spark_charset { SPARK_ASCII, SPARK_UNICODE };   /* zero: ASCII */

/* Unicode when the locale's codeset (nl_langinfo(CODESET)) is UTF-8 and
 * NO_COLOR is not set (no_color: getenv("NO_COLOR") != NULL). */
enum spark_charset spark_charset_for(const char *codeset, bool no_color);

/* The height (0..7) of v on the scale lo..hi: round((v - lo) / (hi - lo) * 7),
 * clamped; -1 for a missing figure. When hi <= lo (every figure equal) a
 * figure is 0 when it is <= 0, else the middle height 3. */
int spark_level(double v, double lo, double hi);

/* lo..hi of the figures present: *lo = 0 when zero_based (counts), else the
 * smallest; *hi the largest (both 0 when none is present). */
void spark_range(const double *v, size_t n, bool zero_based, double *lo, double *hi);

/* The last `width` figures of v (all of them when fewer) drawn into out,
 * NUL-terminated; a missing figure is a blank. Returns the characters
 * written (display columns), 0 when out is too small (Unicode takes 3 bytes
 * a character: SPARK_BYTES(width) always fits). */
#define SPARK_BYTES(width) ((size_t)(width) * 3 + 1)
size_t sparkline(const double *v, size_t n, double lo, double hi, size_t width, enum spark_charset cs, char *out,
		 size_t outsz);

#endif
