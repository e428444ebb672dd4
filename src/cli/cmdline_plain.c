/* cmdline_plain.c - the ':' line when libedit cannot start (not installed,
 * or el_init() failed): curses reads it, without editing or history. Keys:
 * printable text is added at the end, Backspace takes the last character
 * back, ^U clears, Enter accepts, Esc, ^C and ^G cancel. The idle hook is
 * served as with libedit (cmdline.h); the row says that editing is off. */
#include "config.h"

#include "ccterm/i18n.h"
#include "cli/cmdline_priv.h"

#define PLAIN_MAX 256   /* characters */

struct plain {
	wchar_t text[PLAIN_MAX + 1];
	size_t len;
};

static void plain_draw(struct cmdline *c, const struct plain *p)
{
	const char *note = _("(no line editing)");
	int y = c->row, x, nw = (int)strlen(note);

	wmove(stdscr, y, 0);
	wclrtoeol(stdscr);
	waddwstr(stdscr, c->prompt);
	waddnwstr(stdscr, p->text, (int)p->len);
	getyx(stdscr, y, x);
	if (x + 2 + nw < c->limit)
		mvwaddstr(stdscr, y, c->limit - nw, note);
	wmove(stdscr, y, x);
	wrefresh(stdscr);
}

/* A key for the line: false when it ends the read (c->result or
 * c->cancelled set). */
static bool plain_key(struct cmdline *c, struct plain *p, int rc, wint_t wc)
{
	if (rc == KEY_CODE_YES) {
		if (wc == KEY_ENTER)
			goto accept;
		if (wc == KEY_BACKSPACE && p->len > 0)
			p->len--;
		else if (wc == KEY_BACKSPACE || wc != KEY_RESIZE)
			beep();
		return true;
	}
	switch (wc) {
	case L'\r':
	case L'\n':
		goto accept;
	case 0x1b:   /* lone Esc: curses made escape sequences keys */
	case 0x03:   /* ^C */
	case CTRL_CANCEL:
		c->cancelled = true;
		return false;
	case 0x7f:
	case 0x08:
		if (p->len > 0)
			p->len--;
		return true;
	case 0x15:   /* ^U */
		p->len = 0;
		return true;
	}
	if (!printable((wchar_t)wc) || p->len == PLAIN_MAX ||
	    c->prompt_width + width_of(p->text, p->len) + wcwidth((wchar_t)wc) > c->limit) {
		beep();   /* the row is full: never wrap */
		return true;
	}
	p->text[p->len++] = (wchar_t)wc;
	return true;
accept:
	p->text[p->len] = L'\0';
	{
		const wchar_t *b = p->text, *e = p->text + p->len;

		while (b < e && iswspace((wint_t)*b))
			b++;
		while (e > b && iswspace((wint_t)e[-1]))
			e--;
		c->result = e > b ? wcs_to_utf8(b, (size_t)(e - b)) : NULL;
	}
	return false;
}

char *cmdline_plain_read(struct cmdline *c)
{
	struct plain p = { .len = 0 };
	int old_cursor = curs_set(1);
	bool going = true;

	while (going) {
		struct pollfd fds[2] = {
			{ .fd = STDIN_FILENO, .events = POLLIN },
			{ .fd = c->idle_fd, .events = POLLIN },
		};
		bool use_fd = c->idle && c->idle_fd >= 0 && !c->fd_dead;
		int rc, timeout = -1;
		wint_t wc;

		plain_draw(c, &p);
		/* curses may hold keys already read: take them all first. */
		while (going && (rc = wget_wch(stdscr, &wc)) != ERR)
			going = plain_key(c, &p, rc, wc);
		if (!going)
			break;
		if (c->idle) {
			long long left = c->idle_due - now_ms();

			timeout = left < 0 ? 0 : left > CMDLINE_IDLE_MS ? CMDLINE_IDLE_MS : (int)left;
		}
		if (poll(fds, use_fd ? 2 : 1, timeout) < 0) {
			if (errno == EINTR || errno == EAGAIN)
				continue;
			c->hangup = true;
			break;
		}
		if (fds[0].revents & (POLLHUP | POLLERR | POLLNVAL) && !(fds[0].revents & POLLIN)) {
			c->hangup = true;
			break;
		}
		if (c->idle && (now_ms() >= c->idle_due || (use_fd && fds[1].revents))) {
			if (use_fd && (fds[1].revents & (POLLHUP | POLLERR | POLLNVAL)))
				c->fd_dead = true;
			rc = c->idle(c->idle_arg);
			c->idle_due = now_ms() + CMDLINE_IDLE_MS;
			if (rc < 0) {
				c->cancelled = true;
				break;
			}
		}
	}
	if (old_cursor != ERR)
		curs_set(old_cursor);
	clearok(curscr, TRUE);
	if (c->cancelled || c->hangup) {
		free(c->result);
		c->result = NULL;
	}
	{
		char *line = c->result;

		c->result = NULL;
		return line;
	}
}
