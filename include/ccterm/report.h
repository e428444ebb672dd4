/* report.h - the daily report (sql/repeatable/90_report.sql): one day's
 * figures by queue, agent, pause reason, branch, offer rule and campaign,
 * as rows of text cells exactly as SQL gives them; db/'s requests and
 * readers for them (src/db/report.c, used by ccterm-admin synchronously and
 * by the console through the gateway), and the renderings as aligned text
 * with a bar per row, or as CSV (src/model/report_fmt.c). */
#ifndef CCTERM_REPORT_H
#define CCTERM_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "ccterm/db.h"

enum report_section_id {
	REPORT_QUEUES, REPORT_AGENTS, REPORT_PAUSES, REPORT_BRANCHES, REPORT_OFFERS, REPORT_CAMPAIGNS,
	REPORT_NSECTIONS
};

/* One section: its column names (SQL's) and nrows x ncols cells,
 * row-major, each malloc'd ("" for NULL). */
struct report_section {
	char **names;
	char **cells;
	int nrows, ncols;
};

struct report {
	char day[16];               /* YYYY-MM-DD, as resolved by SQL (today when none was asked) */
	char timezone[64];          /* the center's (setting 'timezone') */
	char queue[40], branch[24]; /* the filters, "" for all */
	struct report_section sec[REPORT_NSECTIONS];
};

/* A cell, "" past the end. */
const char *report_cell(const struct report_section *s, int row, int col);
/* Frees the cells (the struct itself is the caller's); safe twice. */
void report_free(struct report *r);

/* --- db/ (src/db/report.c) --------------------------------------------- */

/* The first request: checks the caller may (SQLSTATE 42501 "the daily report
 * is for supervisors"), the day (22007 "not a date"), queue and branch (22023
 * "unknown queue ...") and resolves the day; its reader fills day and
 * timezone of the struct report given as out. day, queue, branch: NULL for
 * today / all. The strings must outlive the request's sending. */
void db_report_check_request(struct db_request *rq, const char *day, const char *queue, const char *branch);
db_read_fn db_report_check_read;
/* Section i's request (for the day db_report_check_read resolved); its
 * reader's out is that section (struct report_section *). */
void db_report_section_request(struct db_request *rq, enum report_section_id i, const char *day, const char *queue,
			       const char *branch);
db_read_fn db_report_section_read;
/* All of it, synchronously (ccterm-admin): 0, or -1 with db_error set. */
int db_report_day(struct db *db, const char *day, const char *queue, const char *branch, struct report *out);

/* --- rendering (src/model/report_fmt.c) --------------------------------- */

/* The report as lines of text at most width columns wide (display columns:
 * wide Korean characters count two), cells sanitized: a title, then each
 * section's heading, column heads, rows, each row ending in a bar of ▇ (or
 * '#' when utf8 is false) for its main figure. sec_start[i] is the line of
 * section i's heading. Lines are malloc'd; free with report_lines_free. */
struct report_lines {
	char **line;
	int n, cap;
	int sec_start[REPORT_NSECTIONS];
};
int report_render_text(const struct report *r, int width, bool utf8, struct report_lines *out);
void report_lines_free(struct report_lines *l);
/* The section's heading ("Queues" ...). */
const char *report_section_title(enum report_section_id i);

/* The report as CSV (RFC 4180: CRLF line ends; a field holding a comma, a
 * quote, a line break or a blank at either end is quoted, quotes doubled).
 * Every record's first field is its section: each section starts with a
 * head record ("section", then its column names), then its rows; the first
 * section, "report", holds day, timezone, queue, branch. 0 or -1. */
int report_write_csv(const struct report *r, FILE *fp);
/* One CSV field as above, appended to fp. */
void report_csv_field(FILE *fp, const char *s);

/* A bar of round(value / max * width) blocks (▇, or '#' in ASCII) into out
 * (outsz bytes, NUL-terminated); nothing when max <= 0 or value <= 0.
 * Returns the columns used. */
int report_bar(double value, double max, int width, bool utf8, char *out, size_t outsz);

#endif
