/* report_cmd.c - `ccterm-admin report day [--date D] [--queue Q] [--branch B]
 * [--format text|csv]`: one day's report (sql/repeatable/90_report.sql) as
 * aligned text with a bar per row, or CSV for a spreadsheet. */
#include "config.h"

#include <langinfo.h>
#include <locale.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "ccterm/report.h"
#include "opts.h"

/* The terminal's width when stdout is one, else 80. */
static int out_width(void)
{
	struct winsize ws;

	if (isatty(STDOUT_FILENO) && ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col >= 60)
		return ws.ws_col > 200 ? 200 : ws.ws_col;
	return 80;
}

static bool locale_utf8(void)
{
	const char *cs;

	setlocale(LC_CTYPE, "");
	cs = nl_langinfo(CODESET);
	return cs && (strcmp(cs, "UTF-8") == 0 || strcmp(cs, "utf8") == 0);
}

int cmd_report(struct db *db, const struct opts *o)
{
	static const char *const known[] = { "--date", "--queue", "--branch", "--format", NULL };
	const char *format = opt_get(o, "--format");
	struct report r = { 0 };
	int rc = 0;

	if (o->argc < 2 || strcmp(o->argv[1], "day") != 0 || opt_check(o, known) < 0 ||
	    (format && strcmp(format, "text") != 0 && strcmp(format, "csv") != 0)) {
		fprintf(stderr, "ccterm-admin: report day [--date YYYY-MM-DD] [--queue Q] [--branch B] [--format text|csv]\n");
		return 2;
	}
	if (db_report_day(db, opt_get(o, "--date"), opt_get(o, "--queue"), opt_get(o, "--branch"), &r) < 0) {
		report_free(&r);
		return -1;
	}
	if (format && strcmp(format, "csv") == 0) {
		rc = report_write_csv(&r, stdout);
	} else {
		struct report_lines l;

		rc = report_render_text(&r, out_width(), locale_utf8(), &l);
		for (int i = 0; rc == 0 && i < l.n; i++)
			puts(l.line[i]);
		if (rc == 0)
			report_lines_free(&l);
	}
	report_free(&r);
	if (rc < 0 || fflush(stdout) != 0) {
		perror("ccterm-admin: report");
		return 1;
	}
	return 0;
}
