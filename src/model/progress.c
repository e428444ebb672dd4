/* progress.c - the one rewritten line of a long job (include/ccterm/progress.h). */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include "ccterm/progress.h"
#include "ccterm/utf8.h"

struct progress {
	char what[64], unit[24], phase[64];
	FILE *out;
	bool show, drawn;
	int columns;
	double interval, t0, last_draw;
	double rate_t0;             /* the rate counts from here: a phase's start */
	long rate_done0;
	progress_clock_fn *clock;
	void *clock_arg;
	long done, total, redraws;
};

enum progress_mode progress_mode_from_args(int argc, char *const *argv)
{
	enum progress_mode m = PROGRESS_AUTO;

	for (int i = 0; i < argc; i++) {
		if (strcmp(argv[i], "--quiet") == 0)
			m = PROGRESS_OFF;
		else if (strcmp(argv[i], "--progress") == 0)
			m = PROGRESS_ON;
	}
	return m;
}

static double monotonic(void *arg)
{
	struct timespec t;

	(void)arg;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static int columns_of(FILE *out)
{
	struct winsize ws;
	const char *env = getenv("COLUMNS");

	if (out && ioctl(fileno(out), TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
		return ws.ws_col;
	if (env && atoi(env) > 0)
		return atoi(env);
	return 80;
}

struct progress *progress_new(const struct progress_config *cfg)
{
	struct progress *p = calloc(1, sizeof(*p));

	if (!p)
		return NULL;
	snprintf(p->what, sizeof(p->what), "%s", cfg->what ? cfg->what : "");
	snprintf(p->unit, sizeof(p->unit), "%s", cfg->unit && *cfg->unit ? cfg->unit : "rows");
	p->out = cfg->out ? cfg->out : stderr;
	p->show = cfg->show;
	p->columns = cfg->columns > 0 ? cfg->columns : 0;
	p->interval = cfg->interval > 0 ? cfg->interval : 0.25;
	p->clock = cfg->clock ? cfg->clock : monotonic;
	p->clock_arg = cfg->clock_arg;
	p->t0 = p->rate_t0 = p->clock(p->clock_arg);
	p->last_draw = p->t0 - p->interval;   /* the first tick draws at once */
	return p;
}

struct progress *progress_start(const char *what, enum progress_mode mode)
{
	struct progress_config cfg = {
		.what = what, .out = stderr,
		.show = mode == PROGRESS_ON || (mode == PROGRESS_AUTO && isatty(fileno(stderr))),
	};

	return progress_new(&cfg);
}

void progress_group(char *buf, size_t size, long n)
{
	char digits[32];
	size_t len, o = 0;
	int lead;

	snprintf(digits, sizeof(digits), "%ld", n < 0 ? -n : n);
	len = strlen(digits);
	if (n < 0 && o + 1 < size)
		buf[o++] = '-';
	lead = (int)(len % 3 ? len % 3 : 3);
	for (size_t i = 0; i < len && o + 1 < size; i++) {
		if (i > 0 && ((int)i - lead) % 3 == 0 && o + 2 < size)
			buf[o++] = ',';
		buf[o++] = digits[i];
	}
	if (size)
		buf[o < size ? o : size - 1] = '\0';
}

void progress_duration(char *buf, size_t size, double seconds)
{
	long s;

	if (seconds < 0) {
		snprintf(buf, size, "?");
		return;
	}
	s = (long)(seconds + 0.5);
	if (s >= 3600)
		snprintf(buf, size, "%ld:%02ld:%02ld", s / 3600, s / 60 % 60, s % 60);
	else
		snprintf(buf, size, "%ld:%02ld", s / 60, s % 60);
}

double progress_rate(long done, double elapsed)
{
	return elapsed > 0 && done > 0 ? (double)done / elapsed : 0.0;
}

double progress_eta(long done, long total, double rate)
{
	if (total <= 0 || rate <= 0)
		return -1;
	return done >= total ? 0.0 : (double)(total - done) / rate;
}

/* Appends " part" to buf if it fits within cols display columns. */
static bool append_fits(char *buf, size_t size, const char *part, int cols)
{
	size_t len = strlen(buf);

	if (utf8_width(buf) + utf8_width(part) > cols || len + strlen(part) + 1 > size)
		return false;
	memcpy(buf + len, part, strlen(part) + 1);
	return true;
}

size_t progress_format(char *buf, size_t size, int columns, const char *what, const char *unit,
		       const char *phase, long done, long total, double elapsed, double rate, double eta)
{
	char d[32], t[32], r[32], el[16], et[16], counts[96], parts[4][96], head[96];
	int cols = columns - 1, n = 0;

	if (!size)
		return 0;
	buf[0] = '\0';
	if (cols < 1)
		return 0;
	progress_group(d, sizeof(d), done);
	progress_duration(el, sizeof(el), elapsed);
	if (total > 0) {
		progress_group(t, sizeof(t), total);
		snprintf(counts, sizeof(counts), "%s/%s %s", d, t, unit);
		snprintf(parts[n++], sizeof(parts[0]), " %d%%", (int)(100.0 * (double)(done < total ? done : total) / (double)total));
	} else if (done > 0) {
		snprintf(counts, sizeof(counts), "%s %s", d, unit);
	} else {
		counts[0] = '\0';   /* nothing counted (one long statement): the clock and the phase */
	}
	if (rate > 0) {
		progress_group(r, sizeof(r), (long)(rate + 0.5));
		snprintf(parts[n++], sizeof(parts[0]), " %s/s", r);
	}
	snprintf(parts[n++], sizeof(parts[0]), " %s", el);
	if (eta >= 0) {
		progress_duration(et, sizeof(et), eta);
		snprintf(parts[n++], sizeof(parts[0]), " ETA %s", et);
	}
	/* what: counts, then as many parts as fit (left to right), then the phase */
	snprintf(head, sizeof(head), "%s%s", what && *what ? what : "", what && *what ? (counts[0] ? ": " : ":") : "");
	if (utf8_width(head) + utf8_width(counts) > cols) {
		/* narrow: the counts alone, cut */
		utf8_fit(counts, cols, false, buf, size);
		return strlen(buf);
	}
	snprintf(buf, size, "%s%s", head, counts);
	for (int i = 0; i < n; i++)
		if (!append_fits(buf, size, parts[i], cols))
			break;
	if (phase && *phase) {
		char ph[128];

		snprintf(ph, sizeof(ph), " - %s", phase);
		if (!append_fits(buf, size, ph, cols)) {
			/* the phase says what is happening: cut it rather than drop it */
			int room = cols - utf8_width(buf) - 3;
			char cut[96];

			if (room >= 4 && utf8_fit(phase, room, true, cut, sizeof(cut)) > 0) {
				snprintf(ph, sizeof(ph), " - %s", cut);
				append_fits(buf, size, ph, cols);
			}
		}
	}
	return strlen(buf);
}

static void draw(struct progress *p, double now)
{
	char line[512];
	double elapsed = now - p->t0, rate = progress_rate(p->done - p->rate_done0, now - p->rate_t0);
	int columns = p->columns > 0 ? p->columns : columns_of(p->out);

	progress_format(line, sizeof(line), columns, p->what, p->unit, p->phase, p->done, p->total, elapsed,
			rate > 0 ? rate : -1, progress_eta(p->done, p->total, rate));
	/* \r, the line, clear to the end: the old line's tail never shows */
	fprintf(p->out, "\r%s\033[K", line);
	fflush(p->out);
	p->drawn = true;
	p->last_draw = now;
	p->redraws++;
}

static void maybe_draw(struct progress *p, bool force)
{
	double now;

	if (!p || !p->show)
		return;
	now = p->clock(p->clock_arg);
	if (force || now - p->last_draw >= p->interval)
		draw(p, now);
}

void progress_tick(struct progress *p, long done, long total)
{
	if (!p)
		return;
	if (done < p->done) {   /* counting again from 0: a new phase's rate */
		p->rate_done0 = 0;
		p->rate_t0 = p->clock(p->clock_arg);
	}
	p->done = done;
	p->total = total;
	maybe_draw(p, false);
}

void progress_phase(struct progress *p, const char *phase)
{
	if (!p)
		return;
	if (strcmp(p->phase, phase ? phase : "") != 0) {
		/* the rate is the new phase's (none until its counts move) */
		p->rate_done0 = p->done;
		p->rate_t0 = p->clock(p->clock_arg);
	}
	snprintf(p->phase, sizeof(p->phase), "%s", phase ? phase : "");
	maybe_draw(p, true);
}

void progress_unit(struct progress *p, const char *unit)
{
	if (p)
		snprintf(p->unit, sizeof(p->unit), "%s", unit && *unit ? unit : "rows");
}

void progress_idle(struct progress *p)
{
	maybe_draw(p, false);
}

void progress_clear(struct progress *p)
{
	if (!p || !p->drawn)
		return;
	fputs("\r\033[K", p->out);
	fflush(p->out);
	p->drawn = false;
	p->last_draw = p->clock(p->clock_arg) - p->interval;   /* the next tick draws again */
}

void progress_finish(struct progress *p)
{
	if (!p)
		return;
	progress_clear(p);
	free(p);
}

bool progress_shown(const struct progress *p)
{
	return p && p->show;
}

long progress_redraws(const struct progress *p)
{
	return p ? p->redraws : 0;
}
