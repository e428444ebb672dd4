/* columns.c - fitting a board's columns to the window (columns.h). */
#include "config.h"

#include <string.h>

#include "ccterm/columns.h"
#include "ccterm/utf8.h"

static int min_of(const struct column *c)
{
	int h = utf8_width(c->header), m = c->min > 0 && c->min < c->width ? c->min : c->width;

	return m < h ? h : m;
}

static int width_of(const struct column *c)
{
	int h = utf8_width(c->header);

	return c->width < h ? h : c->width;
}

int columns_fit(struct column *c, size_t n, int cols)
{
	int used, shown, worst;

	for (size_t i = 0; i < n; i++)
		c[i].w = min_of(&c[i]);
	for (;;) {
		used = shown = 0;
		worst = -1;
		for (size_t i = 0; i < n; i++) {
			if (!c[i].w)
				continue;
			used += c[i].w + (shown ? 1 : 0);
			shown++;
			if (worst < 0 || c[i].priority >= c[worst].priority)
				worst = (int)i;
		}
		if (used <= cols || worst < 0)
			break;
		c[worst].w = 0;
	}
	/* Width back to the shrunk columns, the most important first. */
	for (int p = 0, left = cols - used; left > 0 && p <= 1000; p++)
		for (size_t i = 0; i < n && left > 0; i++) {
			int more;

			if (!c[i].w || c[i].priority != p)
				continue;
			more = width_of(&c[i]) - c[i].w;
			if (more > left)
				more = left;
			c[i].w += more;
			left -= more;
			used += more;
		}
	for (size_t i = 0; i < n && used < cols; i++)
		if (c[i].w && c[i].fill) {
			c[i].w += cols - used;
			used = cols;
		}
	for (size_t i = 0, x = 0; i < n; i++) {
		c[i].x = (int)x;
		if (c[i].w)
			x += (size_t)c[i].w + 1;
	}
	return shown;
}

const struct column *columns_find(const struct column *c, size_t n, const char *header)
{
	for (size_t i = 0; i < n; i++)
		if (c[i].w && strcmp(c[i].header, header) == 0)
			return &c[i];
	return NULL;
}
