/* report_fmt.c - the daily report as aligned text with a bar per row, and as
 * CSV. Which SQL column goes where is this file's table (layouts[]); the
 * cells stay SQL's text, so the CSV carries exactly what SQL computed. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ccterm/report.h"
#include "ccterm/utf8.h"

enum col_kind {
	K_TEXT,     /* left-aligned, cut at maxw columns */
	K_NUM,      /* right-aligned as SQL wrote it, "-" for NULL */
	K_HMS,      /* seconds as h:mm:ss, right-aligned */
	K_RANGE,    /* src..src+1 ("-26.5..+109.8"), right-aligned */
};

struct col {
	const char *head;
	int src;
	enum col_kind kind;
	int maxw;
};

struct layout {
	const char *title, *csv;
	int ncols;
	struct col cols[8];
	int bar_src;            /* the figure the bar shows */
	double bar_max;         /* its full scale; 0: the largest in the section */
};

/* Column numbers are those of the SQL functions' result (90_report.sql). */
static const struct layout layouts[REPORT_NSECTIONS] = {
	[REPORT_QUEUES] = { "Queues: service level (answered in SLA / answered + abandoned after SLA)", "queues", 8, {
		{ "QUEUE", 0, K_TEXT, 12 }, { "OFFERED", 3, K_NUM, 0 }, { "ANSWERED", 4, K_NUM, 0 },
		{ "ABANDONED", 5, K_NUM, 0 }, { "IN SLA", 6, K_NUM, 0 }, { "SL %", 8, K_NUM, 0 },
		{ "ASA s", 9, K_NUM, 0 }, { "AHT s", 10, K_NUM, 0 } }, 8, 100 },
	[REPORT_AGENTS] = { "Agents: calls handled", "agents", 7, {
		{ "AGENT", 1, K_TEXT, 12 }, { "BRANCH", 2, K_TEXT, 6 }, { "HANDLED", 3, K_NUM, 0 },
		{ "MISSED", 4, K_NUM, 0 }, { "AHT s", 5, K_NUM, 0 }, { "OCC %", 6, K_NUM, 0 },
		{ "PAUSED", 7, K_HMS, 0 } }, 3, 0 },
	[REPORT_PAUSES] = { "Pause time by reason", "pauses", 3, {
		{ "AGENT", 1, K_TEXT, 12 }, { "REASON", 3, K_TEXT, 20 }, { "TIME", 4, K_HMS, 0 } }, 4, 0 },
	[REPORT_BRANCHES] = { "Branches: satisfaction (survey score 1-5)", "branches", 6, {
		{ "BRANCH", 0, K_TEXT, 8 }, { "NAME", 1, K_TEXT, 14 }, { "SCORE", 2, K_NUM, 0 }, { "N", 3, K_NUM, 0 },
		{ "7 DAYS", 4, K_NUM, 0 }, { "N", 5, K_NUM, 0 } }, 2, 5 },
	[REPORT_OFFERS] = { "Offers: acceptance (accepted / accepted + declined)", "offers", 6, {
		{ "RULE", 0, K_TEXT, 14 }, { "OFFER", 1, K_TEXT, 14 }, { "SHOWN", 2, K_NUM, 0 },
		{ "ACCEPTED", 3, K_NUM, 0 }, { "DECLINED", 4, K_NUM, 0 }, { "RATE %", 5, K_NUM, 0 } }, 5, 100 },
	[REPORT_CAMPAIGNS] = { "Campaigns: reached, accepted that day; response so far against control", "campaigns", 8, {
		{ "CAMPAIGN", 0, K_TEXT, 12 }, { "REACHED", 1, K_NUM, 0 }, { "ACCEPTED", 2, K_NUM, 0 },
		{ "TOTAL", 3, K_NUM, 0 }, { "RESP %", 5, K_NUM, 0 }, { "CTRL %", 6, K_NUM, 0 },
		{ "LIFT", 7, K_NUM, 0 }, { "95% CI", 8, K_RANGE, 0 } }, 5, 100 },
};

#define SEP 2          /* blanks between columns */
#define BAR_MAX 20     /* columns of the longest bar */
#define CELL 512

const char *report_cell(const struct report_section *s, int row, int col)
{
	if (!s->cells || row < 0 || row >= s->nrows || col < 0 || col >= s->ncols)
		return "";
	return s->cells[row * s->ncols + col] ? s->cells[row * s->ncols + col] : "";
}

void report_free(struct report *r)
{
	for (int i = 0; i < REPORT_NSECTIONS; i++) {
		struct report_section *s = &r->sec[i];

		for (int k = 0; s->cells && k < s->nrows * s->ncols; k++)
			free(s->cells[k]);
		for (int k = 0; s->names && k < s->ncols; k++)
			free(s->names[k]);
		free(s->cells);
		free(s->names);
		memset(s, 0, sizeof(*s));
	}
}

const char *report_section_title(enum report_section_id i)
{
	return i < REPORT_NSECTIONS ? layouts[i].title : "";
}

int report_bar(double value, double max, int width, bool utf8, char *out, size_t outsz)
{
	const char *block = utf8 ? "\xE2\x96\x87" : "#";   /* U+2587 ▇ */
	size_t bl = strlen(block), o = 0;
	int n = 0;

	if (outsz)
		out[0] = '\0';
	if (!(max > 0) || !(value > 0) || width <= 0 || outsz == 0)
		return 0;
	n = (int)(value / max * width + 0.5);   /* both positive: rounds half up */
	if (n > width)
		n = width;
	for (int i = 0; i < n && o + bl < outsz; i++, o += bl)
		memcpy(out + o, block, bl);
	out[o] = '\0';
	return (int)(o / bl);
}

/* Seconds as h:mm:ss. */
static void hms(const char *secs, char *out, size_t sz)
{
	long s;

	if (!*secs) {
		snprintf(out, sz, "-");
		return;
	}
	s = (long)(atof(secs) + 0.5);
	snprintf(out, sz, "%ld:%02ld:%02ld", s / 3600, s / 60 % 60, s % 60);
}

/* One cell as shown (sanitized, not yet fitted). */
static void cell_text(const struct report_section *s, const struct col *c, int row, char *out, size_t sz)
{
	const char *v = report_cell(s, row, c->src);

	switch (c->kind) {
	case K_TEXT: {
		char *clean = utf8_sanitize(v, 4096, 0);

		snprintf(out, sz, "%s", clean ? clean : "");
		free(clean);
		break;
	}
	case K_NUM: snprintf(out, sz, "%s", *v ? v : "-"); break;
	case K_HMS: hms(v, out, sz); break;
	case K_RANGE: {
		const char *hi = report_cell(s, row, c->src + 1);

		if (!*v || !*hi)
			snprintf(out, sz, "-");
		else
			snprintf(out, sz, "%s..%s", v, hi);
		break;
	}
	}
}

/* Appends a copy of text, cut to width columns (0: as it is). */
static int push(struct report_lines *l, const char *text, int width)
{
	char cut[4096];

	if (width > 0 && utf8_width(text) > width) {
		utf8_fit(text, width, true, cut, sizeof(cut));
		text = cut;
	}
	if (l->n == l->cap) {
		int cap = l->cap ? l->cap * 2 : 64;
		char **p = realloc(l->line, (size_t)cap * sizeof(*p));

		if (!p)
			return -1;
		l->line = p;
		l->cap = cap;
	}
	if (!(l->line[l->n] = strdup(text)))
		return -1;
	l->n++;
	return 0;
}

/* Appends text to line (at byte *o) padded to w columns, right-aligned or not. */
static void put_cell(char *line, size_t linesz, size_t *o, const char *text, int w, bool right)
{
	char fit[CELL];
	int cw = utf8_fit(text, w, true, fit, sizeof(fit));
	int pad = w - cw;

	if (right)
		*o += (size_t)snprintf(line + *o, linesz - *o, "%*s%s", pad, "", fit);
	else
		*o += (size_t)snprintf(line + *o, linesz - *o, "%s%*s", fit, pad, "");
	if (*o >= linesz)
		*o = linesz - 1;
}

static int render_section(const struct report *r, enum report_section_id id, int width, bool utf8,
			  struct report_lines *l)
{
	const struct layout *L = &layouts[id];
	const struct report_section *s = &r->sec[id];
	int w[8], used = 0, barw;
	double max = L->bar_max;
	char line[4096], cell[CELL], bar[BAR_MAX * 4 + 1];
	size_t o;

	for (int c = 0; c < L->ncols; c++) {
		w[c] = utf8_width(L->cols[c].head);
		for (int row = 0; row < s->nrows; row++) {
			int cw;

			cell_text(s, &L->cols[c], row, cell, sizeof(cell));
			cw = utf8_width(cell);
			if (L->cols[c].kind == K_TEXT && cw > L->cols[c].maxw)
				cw = L->cols[c].maxw;
			if (cw > w[c])
				w[c] = cw;
		}
		used += w[c] + (c ? SEP : 0);
	}
	if (max <= 0)
		for (int row = 0; row < s->nrows; row++)
			if (atof(report_cell(s, row, L->bar_src)) > max)
				max = atof(report_cell(s, row, L->bar_src));
	barw = width - used - SEP;
	if (barw > BAR_MAX)
		barw = BAR_MAX;
	if (barw < 4)
		barw = 0;

	l->sec_start[id] = l->n;
	if (push(l, L->title, width) < 0)
		return -1;
	o = 0;
	for (int c = 0; c < L->ncols; c++) {
		if (c)
			o += (size_t)snprintf(line + o, sizeof(line) - o, "%*s", SEP, "");
		put_cell(line, sizeof(line), &o, L->cols[c].head, w[c], L->cols[c].kind != K_TEXT);
	}
	while (o > 0 && line[o - 1] == ' ')
		line[--o] = '\0';
	if (push(l, line, width) < 0)
		return -1;
	if (s->nrows == 0 && push(l, "  (none that day)", width) < 0)
		return -1;
	for (int row = 0; row < s->nrows; row++) {
		o = 0;
		for (int c = 0; c < L->ncols; c++) {
			if (c)
				o += (size_t)snprintf(line + o, sizeof(line) - o, "%*s", SEP, "");
			cell_text(s, &L->cols[c], row, cell, sizeof(cell));
			put_cell(line, sizeof(line), &o, cell, w[c], L->cols[c].kind != K_TEXT);
		}
		if (barw && report_bar(atof(report_cell(s, row, L->bar_src)), max, barw, utf8, bar, sizeof(bar)) > 0)
			o += (size_t)snprintf(line + o, sizeof(line) - o, "%*s%s", SEP, "", bar);
		if (o >= sizeof(line))
			o = sizeof(line) - 1;
		while (o > 0 && line[o - 1] == ' ')
			line[--o] = '\0';
		if (push(l, line, width) < 0)
			return -1;
	}
	return push(l, "", width);
}

int report_render_text(const struct report *r, int width, bool utf8, struct report_lines *out)
{
	char title[256];

	memset(out, 0, sizeof(*out));
	snprintf(title, sizeof(title), "Daily report %s (%s) · queue %s · branch %s", r->day, r->timezone,
		 r->queue[0] ? r->queue : "all", r->branch[0] ? r->branch : "all");
	if (!utf8)
		snprintf(title, sizeof(title), "Daily report %s (%s) - queue %s - branch %s", r->day, r->timezone,
			 r->queue[0] ? r->queue : "all", r->branch[0] ? r->branch : "all");
	if (push(out, title, width) < 0 || push(out, "", width) < 0)
		goto fail;
	for (int i = 0; i < REPORT_NSECTIONS; i++)
		if (render_section(r, (enum report_section_id)i, width, utf8, out) < 0)
			goto fail;
	return 0;
fail:
	report_lines_free(out);
	return -1;
}

void report_lines_free(struct report_lines *l)
{
	for (int i = 0; i < l->n; i++)
		free(l->line[i]);
	free(l->line);
	memset(l, 0, sizeof(*l));
}

void report_csv_field(FILE *fp, const char *s)
{
	size_t n = strlen(s);
	bool quote = n && (s[0] == ' ' || s[n - 1] == ' ' || strpbrk(s, ",\"\r\n") != NULL);

	if (!quote) {
		fputs(s, fp);
		return;
	}
	putc('"', fp);
	for (; *s; s++) {
		if (*s == '"')
			putc('"', fp);
		putc(*s, fp);
	}
	putc('"', fp);
}

static void csv_record(FILE *fp, const char *section, char *const *fields, int n)
{
	report_csv_field(fp, section);
	for (int i = 0; i < n; i++) {
		putc(',', fp);
		report_csv_field(fp, fields[i] ? fields[i] : "");
	}
	fputs("\r\n", fp);
}

int report_write_csv(const struct report *r, FILE *fp)
{
	char *head[] = { "day", "timezone", "queue", "branch" };
	char *meta[] = { (char *)r->day, (char *)r->timezone, (char *)r->queue, (char *)r->branch };

	csv_record(fp, "section", head, 4);
	csv_record(fp, "report", meta, 4);
	for (int i = 0; i < REPORT_NSECTIONS; i++) {
		const struct report_section *s = &r->sec[i];

		if (!s->names)
			continue;
		csv_record(fp, "section", s->names, s->ncols);
		for (int row = 0; row < s->nrows; row++)
			csv_record(fp, layouts[i].csv, s->cells + row * s->ncols, s->ncols);
	}
	return ferror(fp) ? -1 : 0;
}
