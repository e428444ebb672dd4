/* progress.h - one line of progress for a long batch job (imports, demo
 * data, recompute, merge, mail-send): rows done (of total when known), rate,
 * elapsed and ETA, rewritten in place on a terminal at most every
 * `interval` seconds; nothing at all when it is not shown (a pipe, cron,
 * --quiet). No libpq, no curses: the clock and the stream are injectable.
 *
 * A job calls, in order:
 *     struct progress *p = progress_start("import interactions", PROGRESS_AUTO);
 *     progress_tick(p, done, total);    as often as it likes (total <= 0: unknown)
 *     progress_finish(p);               clears the line; then print the summary
 * Every function accepts p == NULL (no progress: out of memory, or a test). */
#ifndef CCTERM_PROGRESS_H
#define CCTERM_PROGRESS_H

#include <stdbool.h>
#include <stdio.h>

/* AUTO: shown when stderr is a terminal; ON: --progress; OFF: --quiet. */
enum progress_mode { PROGRESS_AUTO, PROGRESS_ON, PROGRESS_OFF };

/* The mode an argument list asks for: the last of --quiet / --progress wins. */
enum progress_mode progress_mode_from_args(int argc, char *const *argv);

/* Seconds on some monotonic clock. */
typedef double progress_clock_fn(void *arg);

struct progress_config {
	const char *what;           /* "import interactions", copied */
	const char *unit;           /* "rows" (default), "customers", "messages", copied */
	FILE *out;                  /* where the line goes (stderr) */
	bool show;                  /* false: every call is a no-op */
	int columns;                /* the terminal's width; <= 0: asked of out, else $COLUMNS, else 80 */
	double interval;            /* seconds between redraws; <= 0: 0.25 */
	progress_clock_fn *clock;   /* NULL: CLOCK_MONOTONIC */
	void *clock_arg;
};

struct progress;

/* For the commands: stderr, shown per mode (AUTO: isatty(stderr)). */
struct progress *progress_start(const char *what, enum progress_mode mode);
/* The same with everything given (tests, other streams). */
struct progress *progress_new(const struct progress_config *cfg);

/* done of total units (total <= 0: not known). Redraws when the interval has
 * passed since the last redraw (the first tick draws at once). */
void progress_tick(struct progress *p, long done, long total);
/* What the job is doing now ("inserting", "resolving customers"): shown
 * after the counts, redrawn at once. NULL or "" clears it. */
void progress_phase(struct progress *p, const char *phase);
/* What the counts count ("rows" unless told): "steps", "messages". */
void progress_unit(struct progress *p, const char *unit);
/* Redraws now if due, with the counts of the last tick (for a job waiting on
 * one long statement: elapsed keeps moving). */
void progress_idle(struct progress *p);
/* Clears the line (if one is drawn) so something else can be printed; the
 * next tick draws it again. */
void progress_clear(struct progress *p);
/* Clears the line and frees p. The caller prints its summary after. */
void progress_finish(struct progress *p);

/* Is anything drawn at all (tests, callers that would skip work for it)? */
bool progress_shown(const struct progress *p);
/* How many times the line was drawn (tests). */
long progress_redraws(const struct progress *p);

/* --- the pure parts, for tests --------------------------------------- */

/* The line itself, at most `columns - 1` display columns (never the last
 * column, so no terminal wraps it), without \r or escapes: parts are dropped
 * right to left (phase, ETA, rate, percentage) until it fits; the label is
 * cut last. rate and eta < 0: unknown. Returns its length in bytes. */
size_t progress_format(char *buf, size_t size, int columns, const char *what, const char *unit,
		       const char *phase, long done, long total, double elapsed, double rate, double eta);

/* "1,234,567" */
void progress_group(char *buf, size_t size, long n);
/* "0:07", "12:34", "1:02:03"; "?" below 0 */
void progress_duration(char *buf, size_t size, double seconds);
/* units per second over the job so far (0 when no time has passed). */
double progress_rate(long done, double elapsed);
/* seconds left at that rate, -1 when not known (no total, no rate). */
double progress_eta(long done, long total, double rate);

#endif
