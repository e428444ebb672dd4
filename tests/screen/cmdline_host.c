/* cmdline_host.c - a tiny curses program around the command line, for
 * tests/screen/check_cmdline (which drives it in a pty). Not a test itself.
 *
 * cmdline_host [-h HISTFILE] [-n READS] [-p PROMPT] [-c] [-e] [-t MS] [-q] [-a N]
 *	-h	history file (default: none)
 *	-n	exit after this many reads (default 1)
 *	-p	prompt (default ":")
 *	-c	wait for ':' through curses before each read, as the console does
 *	-e	create the command line before initscr() (default: after)
 *	-t	an idle fd (a timerfd) that fires every MS milliseconds; the hook
 *		draws "TICK n" on row 3 and returns 1
 *	-q	with -t: the hook draws nothing and returns 0
 *	-a	with -t: the hook returns -1 (stop) at tick N
 * Screen: row 0 "GOT: <line>" or "CANCELLED"; row 1 "READS: n TTY: ok|changed"
 * (the tty modes after the read, compared with curses' own); row 2 "READY",
 * "TICKS: n" and, after the last read, "DONE" (then 'q' exits); row 5 a marker; row rows-3 and rows-1 bars around the
 * input row rows-2, which holds an old message before the first read.
 */
#include "config.h"

#include <curses.h>
#include <locale.h>
#include <poll.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/timerfd.h>
#include <termios.h>
#include <unistd.h>

#include "cli/cmdline.h"

struct host {
	int tfd;
	int ticks;
	int abort_at;
	bool quiet;
};

static const char *const commands[] = { "search", "status", "save", "고객" };
static const char *const names[] = { "홍길동", "홍길순", "김철수" };

static size_t complete(void *arg, const char *before, char **out, size_t max)
{
	const char *word = strrchr(before, ' ');
	const char *const *list = word ? names : commands;
	size_t nlist = word ? sizeof(names) / sizeof(names[0]) : sizeof(commands) / sizeof(commands[0]);
	size_t n = 0;

	word = word ? word + 1 : before;
	for (size_t i = 0; i < nlist && n < max; i++)
		if (strncmp(list[i], word, strlen(word)) == 0)
			out[n++] = strdup(list[i]);
	return n;
}

static int on_idle(void *arg)
{
	struct host *h = arg;
	uint64_t fired = 0;

	if (read(h->tfd, &fired, sizeof(fired)) == (ssize_t)sizeof(fired))
		h->ticks += (int)fired;
	if (h->abort_at > 0 && h->ticks >= h->abort_at)
		return -1;
	if (h->quiet)
		return 0;
	mvprintw(3, 0, "TICK %d", h->ticks);
	clrtoeol();
	refresh();
	return 1;
}

static bool same_tty(const struct termios *a, const struct termios *b)
{
	return a->c_iflag == b->c_iflag && a->c_oflag == b->c_oflag &&
	       a->c_lflag == b->c_lflag && a->c_cc[VMIN] == b->c_cc[VMIN] &&
	       a->c_cc[VTIME] == b->c_cc[VTIME];
}

static void draw(int rows, int cols, const char *got, int reads, bool tty_ok, const struct host *h)
{
	erase();
	mvprintw(0, 0, "%s", got);
	mvprintw(1, 0, "READS: %d TTY: %s", reads, tty_ok ? "ok" : "changed");
	mvprintw(2, 0, "READY TICKS: %d", h->ticks);
	mvaddstr(5, 0, "MARKER 표시 row 5");
	mvhline(rows - 3, 0, '=', cols);
	mvaddstr(rows - 1, 0, "STATUS BAR 상태");
	if (reads == 0)
		mvaddstr(rows - 2, 0, "old message that the prompt must clear");
	refresh();
}

/* Block until the key arrives through curses (other keys are ignored). */
static void wait_key(wint_t key)
{
	for (;;) {
		struct pollfd p = { .fd = STDIN_FILENO, .events = POLLIN };
		wint_t wc;
		int rc;

		while ((rc = get_wch(&wc)) != ERR)
			if (rc == OK && wc == key)
				return;
		if (poll(&p, 1, 1000) > 0 && (p.revents & (POLLHUP | POLLERR)))
			return;
	}
}

int main(int argc, char **argv)
{
	const char *history = NULL, *prompt = ":";
	int reads = 1, opt, rows, cols, done = 0, tick_ms = 0;
	bool colon = false, early = false, tty_ok = true;
	struct host h = { .tfd = -1 };
	struct termios curses_tio, now;
	struct cmdline *c = NULL;
	char got[1024] = "";

	setlocale(LC_ALL, "");
	while ((opt = getopt(argc, argv, "h:n:p:cet:qa:")) != -1) {
		switch (opt) {
		case 'h': history = optarg; break;
		case 'n': reads = atoi(optarg); break;
		case 'p': prompt = optarg; break;
		case 'c': colon = true; break;
		case 'e': early = true; break;
		case 't': tick_ms = atoi(optarg); break;
		case 'q': h.quiet = true; break;
		case 'a': h.abort_at = atoi(optarg); break;
		default: return 2;
		}
	}
	if (!isatty(STDIN_FILENO)) {
		fprintf(stderr, "cmdline_host: needs a terminal; tests/screen/check_cmdline runs it\n");
		return 77;
	}
	if (early)
		c = cmdline_new(history);
	initscr();
	raw();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	nodelay(stdscr, TRUE);
	curs_set(0);
	getmaxyx(stdscr, rows, cols);
	tcgetattr(STDIN_FILENO, &curses_tio);

	if (!early)
		c = cmdline_new(history);   /* el_init() while curses is in raw mode */
	if (!c) {
		endwin();
		fprintf(stderr, "cmdline_new failed\n");
		return 1;
	}
	cmdline_set_completion(c, complete, NULL);
	if (tick_ms > 0) {
		struct itimerspec its = {
			.it_interval = { tick_ms / 1000, (long)(tick_ms % 1000) * 1000000 },
			.it_value = { tick_ms / 1000, (long)(tick_ms % 1000) * 1000000 },
		};

		h.tfd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
		timerfd_settime(h.tfd, 0, &its, NULL);
		cmdline_set_idle(c, on_idle, &h, h.tfd);
	}
	draw(rows, cols, got, done, tty_ok, &h);
	while (done < reads) {
		char *line;

		if (colon)
			wait_key(':');
		line = cmdline_read(c, prompt, rows - 2, cols);
		done++;
		tty_ok = tcgetattr(STDIN_FILENO, &now) == 0 && same_tty(&now, &curses_tio);
		if (line)
			snprintf(got, sizeof(got), "GOT: %s", line);
		else
			snprintf(got, sizeof(got), "CANCELLED");
		free(line);
		draw(rows, cols, got, done, tty_ok, &h);
	}
	/* Keep the screen (endwin leaves the alternate screen) until 'q'. */
	mvaddstr(2, 20, "DONE");
	refresh();
	wait_key('q');
	cmdline_free(c);
	endwin();
	return 0;
}
