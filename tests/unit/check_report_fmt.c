/* check_report_fmt.c - the daily report's renderings (src/model/report_fmt.c):
 * bars, CSV quoting, columns aligned by display width, the width kept. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ccterm/report.h"
#include "ccterm/utf8.h"
#include "suites.h"

/* Section id gets names and nrows rows of cells (NULL-terminated lists). */
static void fill(struct report *r, enum report_section_id id, const char *const *names, int ncols,
		 const char *const *cells, int nrows)
{
	struct report_section *s = &r->sec[id];

	s->ncols = ncols;
	s->nrows = nrows;
	s->names = calloc((size_t)ncols, sizeof(char *));
	s->cells = calloc((size_t)(ncols * nrows) + 1, sizeof(char *));
	for (int c = 0; c < ncols; c++)
		s->names[c] = strdup(names[c]);
	for (int k = 0; k < ncols * nrows; k++)
		s->cells[k] = strdup(cells[k]);
}

static const char *const agent_names[] = { "login", "name", "branch_code", "handled", "missed", "aht_secs",
					   "occupancy_pct", "paused_secs" };

/* Two agents: a Korean name (6 columns), a longer Latin one, one holding an
 * escape; handled 4 and 1. */
static void sample(struct report *r)
{
	static const char *const agents[] = {
		"kim", "김민지", "SEL", "4", "0", "410.0", "10.0", "5400",
		"lee", "Lee Seojun", "BSN", "1", "1", "270.0", "", "33280",
		"evil", "x\x1b[2Jy", "SEL", "0", "0", "", "", "0",
	};

	memset(r, 0, sizeof(*r));
	snprintf(r->day, sizeof(r->day), "2026-11-20");
	snprintf(r->timezone, sizeof(r->timezone), "Asia/Seoul");
	fill(r, REPORT_AGENTS, agent_names, 8, agents, 3);
}

static int col_of(const char *line, const char *needle)
{
	const char *p = strstr(line, needle);
	char *prefix;
	int w;

	ck_assert_msg(p != NULL, "\"%s\" not in \"%s\"", needle, line);
	prefix = strndup(line, (size_t)(p - line));
	w = utf8_width(prefix);
	free(prefix);
	return w;
}

START_TEST(bars_scale_and_fall_back)
{
	char out[128];

	ck_assert_int_eq(report_bar(33.3, 100, 13, true, out, sizeof(out)), 4);
	ck_assert_str_eq(out, "▇▇▇▇");
	ck_assert_int_eq(report_bar(50, 100, 13, false, out, sizeof(out)), 7);   /* 6.5 rounds up */
	ck_assert_str_eq(out, "#######");
	ck_assert_int_eq(report_bar(150, 100, 5, false, out, sizeof(out)), 5);  /* never past full */
	ck_assert_int_eq(report_bar(0, 100, 10, true, out, sizeof(out)), 0);
	ck_assert_str_eq(out, "");
	ck_assert_int_eq(report_bar(3, 0, 10, true, out, sizeof(out)), 0);      /* no scale */
	ck_assert_int_eq(report_bar(1, 1, 20, true, out, 7), 2);                 /* the buffer holds two */
	ck_assert_str_eq(out, "▇▇");
}
END_TEST

static char *csv_of(void (*write)(FILE *, const void *), const void *arg)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	write(f, arg);
	fclose(f);
	return buf;
}

static void one_field(FILE *f, const void *s) { report_csv_field(f, s); }

START_TEST(csv_quotes_what_needs_it)
{
	static const struct { const char *in, *out; } cases[] = {
		{ "plain", "plain" }, { "", "" }, { "김민지", "김민지" }, { "a,b", "\"a,b\"" },
		{ "say \"hi\"", "\"say \"\"hi\"\"\"" }, { "two\nlines", "\"two\nlines\"" }, { " lead", "\" lead\"" },
		{ "trail ", "\"trail \"" }, { "cr\r", "\"cr\r\"" }, { "in side", "in side" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *got = csv_of(one_field, cases[i].in);

		ck_assert_msg(strcmp(got, cases[i].out) == 0, "%s -> %s, want %s", cases[i].in, got, cases[i].out);
		free(got);
	}
}
END_TEST

static void whole(FILE *f, const void *r) { report_write_csv(r, f); }

START_TEST(csv_has_a_head_per_section)
{
	struct report r;
	char *got;

	sample(&r);
	got = csv_of(whole, &r);
	ck_assert_str_eq(got, "section,day,timezone,queue,branch\r\n"
			      "report,2026-11-20,Asia/Seoul,,\r\n"
			      "section,login,name,branch_code,handled,missed,aht_secs,occupancy_pct,paused_secs\r\n"
			      "agents,kim,김민지,SEL,4,0,410.0,10.0,5400\r\n"
			      "agents,lee,Lee Seojun,BSN,1,1,270.0,,33280\r\n"
			      "agents,evil,x\x1b[2Jy,SEL,0,0,,,0\r\n");
	free(got);
	report_free(&r);
	report_free(&r);   /* twice is harmless */
}
END_TEST

START_TEST(columns_align_by_display_width)
{
	struct report r;
	struct report_lines l;
	const char *head, *kim, *lee, *evil;

	sample(&r);
	ck_assert_int_eq(report_render_text(&r, 80, true, &l), 0);
	head = l.line[l.sec_start[REPORT_AGENTS] + 1];
	kim = l.line[l.sec_start[REPORT_AGENTS] + 2];
	lee = l.line[l.sec_start[REPORT_AGENTS] + 3];
	evil = l.line[l.sec_start[REPORT_AGENTS] + 4];
	ck_assert_str_eq(l.line[l.sec_start[REPORT_AGENTS]], "Agents: calls handled");
	/* The names column is as wide as the widest name (10), Korean counted two. */
	ck_assert_int_eq(col_of(head, "BRANCH"), 12);
	ck_assert_int_eq(col_of(kim, "SEL"), 12);
	ck_assert_int_eq(col_of(lee, "BSN"), 12);
	/* Numbers end under their heads; NULL is "-"; seconds as h:mm:ss. */
	ck_assert_int_eq(col_of(kim, "4  ") + 1, col_of(head, "HANDLED") + 7);
	ck_assert_int_eq(col_of(lee, "9:14:40"), col_of(head, "PAUSED") - 1);
	ck_assert_int_eq(col_of(kim, "1:30:00"), col_of(head, "PAUSED") - 1);
	ck_assert_msg(strstr(lee, "270.0      -  9:14:40"), "%s", lee);
	/* Bars: 4 of 4 full, 1 of 4 a quarter, 0 none. */
	ck_assert_msg(strstr(kim, "1:30:00  ▇▇▇▇▇▇▇▇▇▇▇▇▇▇▇▇▇▇▇▇") && !strstr(kim, "▇▇▇▇▇▇▇▇▇▇▇▇▇▇▇▇▇▇▇▇▇"), "%s", kim);
	ck_assert_msg(strstr(lee, "9:14:40  ▇▇▇▇▇") && !strstr(lee, "▇▇▇▇▇▇"), "%s", lee);
	ck_assert_msg(!strstr(evil, "▇"), "%s", evil);
	/* Untrusted text made inert. */
	ck_assert_msg(strstr(evil, "x␛[2Jy") && !strchr(evil, '\x1b'), "%s", evil);
	/* Empty sections say so. */
	ck_assert_str_eq(l.line[l.sec_start[REPORT_QUEUES] + 2], "  (none that day)");
	for (int i = 0; i < l.n; i++)
		ck_assert_msg(utf8_width(l.line[i]) <= 80, "%s", l.line[i]);
	report_lines_free(&l);

	/* Narrow: the bar shrinks first, and no line is wider. */
	ck_assert_int_eq(report_render_text(&r, 60, false, &l), 0);
	for (int i = 0; i < l.n; i++)
		ck_assert_msg(utf8_width(l.line[i]) <= 60, "%s", l.line[i]);
	kim = l.line[l.sec_start[REPORT_AGENTS] + 2];
	ck_assert_msg(strstr(kim, "1:30:00") && !strstr(kim, "#"), "%s", kim);   /* no room for a bar */
	ck_assert_str_eq(l.line[0], "Daily report 2026-11-20 (Asia/Seoul) - queue all - branch a…");   /* 61: cut */
	report_lines_free(&l);
	report_free(&r);
}
END_TEST

Suite *report_fmt_suite(void)
{
	Suite *s = suite_create("report_fmt");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, bars_scale_and_fall_back);
	tcase_add_test(tc, csv_quotes_what_needs_it);
	tcase_add_test(tc, csv_has_a_head_per_section);
	tcase_add_test(tc, columns_align_by_display_width);
	suite_add_tcase(s, tc);
	return s;
}
