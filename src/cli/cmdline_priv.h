/* cmdline_priv.h - what the command line's two halves share: the state of
 * a read (cmdline.c: set-up and editing; cmdline_keys.c: the keyboard). */
#ifndef CCTERM_CLI_CMDLINE_PRIV_H
#define CCTERM_CLI_CMDLINE_PRIV_H

#include <curses.h>
#include <errno.h>
#include <histedit.h>
#include <poll.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>
#include <wchar.h>
#include <wctype.h>

#include "ccterm/utf8.h"
#include "cli/cmdline.h"
#include "cli/editline.h"

#define HISTORY_SIZE 500
#define PROMPT_MAX 64          /* characters */
#define HINT_MAX 512           /* wide characters of the candidate list */
#define QUEUE_MAX 16

/* Control keys this module hands libedit itself; all < 256 so that libedit
 * looks them up in its keymap (it inserts anything >= 256 unread). */
enum {
	CTRL_CANCEL = 0x07,    /* ^G: also lone Esc and an idle hook that says stop */
	CTRL_REDISPLAY = 0x0c, /* ^L: also after the idle hook drew */
	CTRL_REFRESH = 0x1e,   /* ^^: redraw after changing the line or the hint */
	CTRL_ESC = 0x1b,
};

enum seq_state { SEQ_NONE, SEQ_ESC, SEQ_CSI, SEQ_SS3 };

struct cmdline {
	EditLine *el;
	HistoryW *hist;
	char *history_path;
	char error[256];            /* why the last read could not start, "" */

	int (*idle)(void *arg);
	void *idle_arg;
	int idle_fd;
	size_t (*complete)(void *arg, const char *before, char **out, size_t max);
	void *complete_arg;

	/* the read in progress */
	wchar_t prompt[PROMPT_MAX + 1];
	int prompt_width;
	wchar_t hint[HINT_MAX];     /* shown as libedit's right prompt */
	int row, cols, limit;       /* limit: columns prompt + line may use */
	bool cancelled, hangup, fd_dead;
	char *result;
	long long idle_due;

	/* keyboard bytes not yet decoded (at most one character plus lookahead) */
	unsigned char in[16];
	size_t in_len;
	wchar_t queue[QUEUE_MAX];   /* keys to hand libedit before reading more */
	size_t q_len;
	enum seq_state seq;
};

/* ---- small helpers -------------------------------------------------- */

static inline long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static inline struct cmdline *cmdline_of(EditLine *el)
{
	void *p = NULL;

	ed.el_wget(el, EL_CLIENTDATA, &p);
	return p;
}

/* One character from s[0..len) into *out: bytes used, 0 if incomplete, -1 if invalid. */
static inline int utf8_take(const unsigned char *s, size_t len, wchar_t *out)
{
	uint32_t cp;
	int n = utf8_decode_stream((const char *)s, len, &cp);

	if (n > 0)
		*out = (wchar_t)cp;
	return n;
}

/* s[0..n) as a malloc'd UTF-8 string. */
static inline char *wcs_to_utf8(const wchar_t *s, size_t n)
{
	char *out = malloc(n * 4 + 1), *p = out;

	if (!out)
		return NULL;
	for (size_t i = 0; i < n; i++)
		p += utf8_encode((uint32_t)s[i], p);
	*p = '\0';
	return out;
}

/* A malloc'd wide copy of UTF-8 s; NULL if s is not valid UTF-8. */
static inline wchar_t *utf8_to_wcs(const char *s)
{
	size_t len = strlen(s), i = 0, n = 0;
	wchar_t *out = malloc((len + 1) * sizeof(*out));

	if (!out)
		return NULL;
	while (i < len) {
		int k = utf8_take((const unsigned char *)s + i, len - i, &out[n]);

		if (k <= 0) {
			free(out);
			return NULL;
		}
		i += (size_t)k;
		n++;
	}
	out[n] = L'\0';
	return out;
}

/* A character the line may hold: printable, and not one libedit would look
 * up in its keymap as a meta key or show as an escape. */
static inline bool printable(wchar_t wc)
{
	if (wc < 0x20 || (wc >= 0x7f && wc < 0xa0))
		return false;
	if (MB_CUR_MAX == 1 && wc >= 0x80)
		return false;   /* not a UTF-8 locale: libedit could not show it */
	return iswprint((wint_t)wc) && wcwidth(wc) >= 0;
}

static inline int width_of(const wchar_t *s, size_t n)
{
	int w = 0;

	for (size_t i = 0; i < n; i++) {
		int k = wcwidth(s[i]);

		w += k > 0 ? k : 0;
	}
	return w;
}

static inline int line_width(EditLine *el)
{
	const LineInfoW *li = ed.el_wline(el);

	return width_of(li->buffer, (size_t)(li->lastchar - li->buffer));
}

/* Put the real cursor where curses and libedit expect it: (row, 0). */
static inline void cursor_to_row(struct cmdline *c)
{
	bool leave = is_leaveok(stdscr);

	leaveok(stdscr, FALSE);
	wmove(stdscr, c->row, 0);
	curs_set(1);
	wrefresh(stdscr);
	leaveok(stdscr, leave);
}

/* Rewrite prompt and line up to the cursor over themselves: the cursor ends
 * where libedit left it, without a visible change. */
static inline void cursor_back(struct cmdline *c)
{
	const LineInfoW *li = ed.el_wline(c->el);
	char *p = wcs_to_utf8(c->prompt, wcslen(c->prompt));
	char *s = wcs_to_utf8(li->buffer, (size_t)(li->cursor - li->buffer));

	fputc('\r', stdout);
	if (p && s) {
		fputs(p, stdout);
		fputs(s, stdout);
	}
	fflush(stdout);
	free(p);
	free(s);
}

/* libedit's EL_GETCFN: the next key, serving the idle hook while waiting. */
int cmdline_read_key(EditLine *el, wchar_t *out);
/* The read set up (row, prompt, limit ...) when libedit could not start:
 * the line read by curses without editing (cmdline_plain.c). */
char *cmdline_plain_read(struct cmdline *c);

#endif
