/* cmdline.c - the ':' command line: libedit editing one row of the curses screen.
 *
 * How curses and libedit share the terminal:
 *  - Before el_wgets() curses clears the row and leaves the real cursor at
 *    (row, 0), where libedit starts drawing (libedit assumes column 0 of the
 *    current line and only ever moves relative to it). curses then believes
 *    the cursor is at (row, 0) for the whole read; every time curses may
 *    draw (the idle hook) the cursor is first put back there with a CR.
 *  - Keys are read here, not by libedit (EL_GETCFN): poll() on the keyboard
 *    and the database socket, UTF-8 decoded to wchar_t for the wide build.
 *    This is where lone Esc becomes "cancel", where input that would wrap
 *    the row is refused, and where the idle hook runs.
 *  - libedit switches the tty to its own modes inside el_wgets() and back to
 *    the modes it saw at el_init() afterwards; both are wrong for curses, so
 *    every libedit call that touches the tty is bracketed by
 *    tcgetattr()/tcsetattr(), and libedit's edit mode is told to keep
 *    signals, flow control and echo off (^C must be a key).
 *  - After reading, curscr is marked for a full repaint.
 */
#include "config.h"

#include "cli/cmdline_priv.h"

/* ---- editor functions bound to keys ------------------------------------ */

static wchar_t *prompt_fn(EditLine *el)
{
	return cmdline_of(el)->prompt;
}

static wchar_t *hint_fn(EditLine *el)
{
	return cmdline_of(el)->hint;
}

/* c->result = b..e without surrounding blanks, NULL if nothing is left. */
static void trim_to_result(struct cmdline *c, const wchar_t *b, const wchar_t *e)
{
	while (b < e && iswspace((wint_t)*b))
		b++;
	while (e > b && iswspace((wint_t)e[-1]))
		e--;
	free(c->result);
	c->result = e > b ? wcs_to_utf8(b, (size_t)(e - b)) : NULL;
}

static unsigned char fn_accept(EditLine *el, int ch)
{
	const LineInfoW *li = ed.el_wline(el);

	trim_to_result(cmdline_of(el), li->buffer, li->lastchar);
	return CC_NEWLINE;   /* no newline on screen: the row stays put */
}

static unsigned char fn_cancel(EditLine *el, int ch)
{
	cmdline_of(el)->cancelled = true;
	return CC_EOF;
}

static unsigned char fn_redisplay(EditLine *el, int ch)
{
	cursor_to_row(cmdline_of(el));
	return CC_REDISPLAY;
}

static unsigned char fn_refresh(EditLine *el, int ch)
{
	return CC_REFRESH;
}

/* Replace the n characters before the cursor by s (plus a blank). */
static bool replace_word(struct cmdline *c, size_t n, const wchar_t *s, size_t len, bool blank)
{
	const LineInfoW *li = ed.el_wline(c->el);
	wchar_t *buf;
	int w;

	if (blank && li->cursor < li->lastchar && iswspace((wint_t)*li->cursor))
		blank = false;
	w = c->prompt_width + line_width(c->el) - width_of(li->cursor - n, n) +
	    width_of(s, len) + (blank ? 1 : 0);
	if (w > c->limit)
		return false;
	buf = malloc((len + 2) * sizeof(*buf));
	if (!buf)
		return false;
	wmemcpy(buf, s, len);
	if (blank)
		buf[len++] = L' ';
	buf[len] = L'\0';
	if (n > 0)
		ed.el_deletestr(c->el, (int)n);
	if (len > 0)
		ed.el_winsertstr(c->el, buf);
	free(buf);
	return true;
}

/* The candidates, as many as fit after the line, for the right prompt. */
static void set_hint(struct cmdline *c, wchar_t *const *cands, size_t n)
{
	int avail = c->limit - c->prompt_width - line_width(c->el) - 2;
	int used = 0;
	size_t len = 0;

	c->hint[0] = L'\0';
	for (size_t i = 0; i < n; i++) {
		size_t k = wcslen(cands[i]);
		int w = width_of(cands[i], k), sep = i ? 2 : 0;
		int reserve = i + 1 < n ? 3 : 0;   /* room for "  …" */

		if (used + sep + w + reserve > avail || len + (size_t)sep + k + 4 > HINT_MAX) {
			if (used + 3 <= avail && i > 0)
				wcscpy(c->hint + len, L"  \u2026");
			else
				c->hint[len] = L'\0';
			return;
		}
		wcscpy(c->hint + len, i ? L"  " : L"");
		len += (size_t)sep;
		wcscpy(c->hint + len, cands[i]);
		len += k;
		used += sep + w;
	}
}

static unsigned char fn_complete(EditLine *el, int ch)
{
	struct cmdline *c = cmdline_of(el);
	const LineInfoW *li = ed.el_wline(el);
	const wchar_t *word = li->cursor;
	char *before, *raw[CMDLINE_MAX_CANDIDATES];
	wchar_t *cands[CMDLINE_MAX_CANDIDATES];
	size_t n, nc = 0, wordlen, lcp;
	unsigned char ret = CC_REFRESH_BEEP;

	c->hint[0] = L'\0';
	if (!c->complete)
		return CC_REFRESH_BEEP;
	while (word > li->buffer && !iswspace((wint_t)word[-1]))
		word--;
	wordlen = (size_t)(li->cursor - word);
	before = wcs_to_utf8(li->buffer, (size_t)(li->cursor - li->buffer));
	if (!before)
		return CC_REFRESH_BEEP;
	n = c->complete(c->complete_arg, before, raw, CMDLINE_MAX_CANDIDATES);
	free(before);
	if (n > CMDLINE_MAX_CANDIDATES)
		n = CMDLINE_MAX_CANDIDATES;
	for (size_t i = 0; i < n; i++) {
		wchar_t *w = raw[i] ? utf8_to_wcs(raw[i]) : NULL;
		bool ok = w && *w;

		for (size_t j = 0; ok && w[j]; j++)
			ok = printable(w[j]);
		free(raw[i]);
		if (ok)
			cands[nc++] = w;
		else
			free(w);
	}
	if (nc == 1) {
		if (replace_word(c, wordlen, cands[0], wcslen(cands[0]), true))
			ret = CC_REFRESH;
	} else if (nc > 1) {
		lcp = wcslen(cands[0]);
		for (size_t i = 1; i < nc; i++) {
			size_t k = 0;

			while (k < lcp && cands[i][k] == cands[0][k])
				k++;
			lcp = k;
		}
		/* Grow the word to the common prefix; never shrink what was typed. */
		if (lcp >= wordlen && wcsncmp(word, cands[0], wordlen) != 0)
			replace_word(c, wordlen, cands[0], lcp, false);
		else if (lcp > wordlen)
			replace_word(c, 0, cands[0] + wordlen, lcp - wordlen, false);
		set_hint(c, cands, nc);
		ret = CC_REFRESH;
	}
	for (size_t i = 0; i < nc; i++)
		free(cands[i]);
	return ret;
}

/* ---- set-up ---------------------------------------------------------- */

static void configure(struct cmdline *c)
{
	EditLine *el = c->el;

	ed.el_wset(el, EL_CLIENTDATA, (void *)c);
	ed.el_wset(el, EL_EDITOR, L"emacs");
	ed.el_wset(el, EL_SIGNAL, 0);
	ed.el_wset(el, EL_EDITMODE, 1);
	ed.el_wset(el, EL_PROMPT, prompt_fn);
	ed.el_wset(el, EL_RPROMPT, hint_fn);
	ed.el_wset(el, EL_HIST, ed.history_w, c->hist);
	ed.el_wset(el, EL_GETCFN, cmdline_read_key);
	/* ^C, ^Z, ^S, ^Q must reach libedit as keys; curses' raw mode has them
	 * so, libedit's edit and execute modes would not. */
	ed.el_wset(el, EL_SETTY, L"-d", L"-isig", L"-ixon", L"-ixoff", L"-iexten",
		L"-icanon", L"-echo", NULL);
	ed.el_wset(el, EL_SETTY, L"-x", L"-isig", L"-ixon", L"-ixoff", L"-iexten",
		L"-icanon", L"-echo", NULL);

	ed.el_wset(el, EL_ADDFN, L"ccterm-accept", L"Accept the line", fn_accept);
	ed.el_wset(el, EL_ADDFN, L"ccterm-cancel", L"Cancel the line", fn_cancel);
	ed.el_wset(el, EL_ADDFN, L"ccterm-complete", L"Complete the word", fn_complete);
	ed.el_wset(el, EL_ADDFN, L"ccterm-redisplay", L"Repaint the line", fn_redisplay);
	ed.el_wset(el, EL_ADDFN, L"ccterm-refresh", L"Refresh the line", fn_refresh);

	ed.el_wset(el, EL_BIND, L"^M", L"ccterm-accept", NULL);
	ed.el_wset(el, EL_BIND, L"^J", L"ccterm-accept", NULL);
	ed.el_wset(el, EL_BIND, L"^C", L"ccterm-cancel", NULL);
	ed.el_wset(el, EL_BIND, L"^G", L"ccterm-cancel", NULL);
	ed.el_wset(el, EL_BIND, L"^I", L"ccterm-complete", NULL);
	ed.el_wset(el, EL_BIND, L"^L", L"ccterm-redisplay", NULL);
	ed.el_wset(el, EL_BIND, L"\\e^L", L"ccterm-redisplay", NULL);
	ed.el_wset(el, EL_BIND, L"^^", L"ccterm-refresh", NULL);
	/* Nothing may print below the row or end the line but Enter. */
	ed.el_wset(el, EL_BIND, L"^D", L"ed-delete-next-char", NULL);
	ed.el_wset(el, EL_BIND, L"^R", L"ed-search-prev-history", NULL);
	ed.el_wset(el, EL_BIND, L"^S", L"ed-search-next-history", NULL);
	ed.el_wset(el, EL_BIND, L"^V", L"ed-unassigned", NULL);
	ed.el_wset(el, EL_BIND, L"\\ex", L"ed-unassigned", NULL);
	ed.el_wset(el, EL_BIND, L"\\eX", L"ed-unassigned", NULL);
	/* Keys xterm sends that libedit does not bind by itself. */
	ed.el_wset(el, EL_BIND, L"\\e[3~", L"ed-delete-next-char", NULL);
	ed.el_wset(el, EL_BIND, L"\\e[1~", L"ed-move-to-beg", NULL);
	ed.el_wset(el, EL_BIND, L"\\e[7~", L"ed-move-to-beg", NULL);
	ed.el_wset(el, EL_BIND, L"\\e[4~", L"ed-move-to-end", NULL);
	ed.el_wset(el, EL_BIND, L"\\e[8~", L"ed-move-to-end", NULL);
}

/* mkdir -p of the directories above path, mode 0700. */
static void make_parents(const char *path)
{
	char *p = strdup(path);

	if (!p)
		return;
	for (char *s = strchr(p + 1, '/'); s; s = strchr(s + 1, '/')) {
		*s = '\0';
		if (mkdir(p, 0700) < 0 && errno != EEXIST)
			break;
		*s = '/';
	}
	free(p);
}

/* Only remembers the history's path: libedit (opened then: editline.h)
 * and the history come at the first read (editor_start), so a console
 * whose agent never types ':' never maps libedit's pages. */
struct cmdline *cmdline_new(const char *history_path)
{
	struct cmdline *c = calloc(1, sizeof(*c));

	if (!c)
		return NULL;
	c->idle_fd = -1;
	if (history_path) {
		c->history_path = strdup(history_path);
		if (!c->history_path) {
			free(c);
			return NULL;
		}
	}
	return c;
}

/* libedit and the history, once: 0, or -1 with c->error set (and the next
 * read tries again). */
static int editor_start(struct cmdline *c)
{
	struct termios tio;
	bool have_tio;
	HistEventW ev;

	if (c->el)
		return 0;
	if (editline_open(c->error, sizeof(c->error)) < 0)
		return -1;
	if (!c->hist) {
		c->hist = ed.history_winit();
		if (!c->hist) {
			snprintf(c->error, sizeof(c->error), "history: %s", strerror(errno));
			return -1;
		}
		ed.history_w(c->hist, &ev, H_SETSIZE, HISTORY_SIZE);
		ed.history_w(c->hist, &ev, H_SETUNIQUE, 1);
		if (c->history_path) {
			make_parents(c->history_path);
			ed.history_w(c->hist, &ev, H_LOAD, c->history_path);   /* none yet is fine */
		}
	}
	/* el_init() puts the tty in libedit's "execute" mode: undo that. */
	have_tio = tcgetattr(STDIN_FILENO, &tio) == 0;
	errno = 0;
	c->el = ed.el_init("ccterm", stdin, stdout, stderr);
	if (c->el)
		configure(c);
	if (have_tio)
		tcsetattr(STDIN_FILENO, TCSADRAIN, &tio);
	if (!c->el) {
		snprintf(c->error, sizeof(c->error), "line editor: %s",
			 strerror(errno ? errno : ENOMEM));
		return -1;
	}
	return 0;
}

const char *cmdline_error(const struct cmdline *c)
{
	return c && c->error[0] ? c->error : NULL;
}

void cmdline_free(struct cmdline *c)
{
	if (!c)
		return;
	if (c->el) {
		struct termios tio;
		bool have_tio = tcgetattr(STDIN_FILENO, &tio) == 0;

		ed.el_end(c->el);   /* restores the tty as ed.el_init() found it */
		if (have_tio)
			tcsetattr(STDIN_FILENO, TCSADRAIN, &tio);
	}
	if (c->hist)
		ed.history_wend(c->hist);
	free(c->history_path);
	free(c->result);
	free(c);
}

void cmdline_set_idle(struct cmdline *c, int (*idle)(void *arg), void *arg, int fd)
{
	c->idle = idle;
	c->idle_arg = arg;
	c->idle_fd = fd;
	c->fd_dead = false;
}

void cmdline_set_completion(struct cmdline *c,
			    size_t (*complete)(void *arg, const char *line_before_cursor,
					       char **out, size_t max),
			    void *arg)
{
	c->complete = complete;
	c->complete_arg = arg;
}

static void set_prompt(struct cmdline *c, const char *prompt)
{
	size_t i = 0, len = prompt ? strlen(prompt) : 0, n = 0;
	int w = 0;

	while (i < len && n < PROMPT_MAX) {
		wchar_t wc;
		int k = utf8_take((const unsigned char *)prompt + i, len - i, &wc);

		if (k <= 0) {
			wc = L'?';
			k = 1;
		} else if (!printable(wc)) {
			wc = L'?';
		}
		if (w + wcwidth(wc) > c->cols / 2)
			break;
		w += wcwidth(wc);
		c->prompt[n++] = wc;
		i += (size_t)k;
	}
	c->prompt[n] = L'\0';
	c->prompt_width = w;
}

static void remember(struct cmdline *c, const char *line)
{
	wchar_t *w = utf8_to_wcs(line);
	HistEventW ev;

	if (!w)
		return;
	if (ed.history_w(c->hist, &ev, H_ENTER, w) > 0 && c->history_path)
		ed.history_w(c->hist, &ev, H_SAVE, c->history_path);
	free(w);
}

char *cmdline_read(struct cmdline *c, const char *prompt, int row, int cols)
{
	struct termios tio;
	bool have_tio;
	const wchar_t *got;
	int old_cursor, n;
	bool started;
	char *line;

	if (!c)
		return NULL;
	c->error[0] = '\0';
	started = editor_start(c) == 0;
	if (COLS > 0 && cols > COLS)
		cols = COLS;
	c->row = row;
	c->cols = cols > 2 ? cols : 2;
	c->limit = c->cols - 1;   /* the last column stays empty: no wrap */
	set_prompt(c, prompt);
	c->hint[0] = L'\0';
	c->cancelled = c->hangup = false;
	c->seq = SEQ_NONE;
	c->q_len = 0;
	free(c->result);
	c->result = NULL;
	c->idle_due = now_ms() + CMDLINE_IDLE_MS;
	if (!started)   /* c->error says why */
		return cmdline_plain_read(c);

	/* curses: an empty row and the real cursor at its start. */
	wmove(stdscr, row, 0);
	wclrtoeol(stdscr);
	old_cursor = curs_set(1);
	cursor_to_row(c);
	fflush(stdout);

	have_tio = tcgetattr(STDIN_FILENO, &tio) == 0;
	got = ed.el_wgets(c->el, &n);
	if (have_tio)
		tcsetattr(STDIN_FILENO, TCSADRAIN, &tio);
	/* Without a tty libedit reads a plain line and never calls fn_accept. */
	if (got && n > 0 && !c->result && !c->cancelled && !c->hangup)
		trim_to_result(c, got, got + n);

	/* Give back what was read ahead (a second Esc): it is the console's. */
	while (c->in_len > 0)
		ungetch(c->in[--c->in_len]);
	c->hint[0] = L'\0';
	if (old_cursor != ERR)
		curs_set(old_cursor);
	clearok(curscr, TRUE);

	line = c->cancelled || c->hangup ? NULL : c->result;
	if (line) {
		c->result = NULL;
		remember(c, line);
	}
	return line;
}
