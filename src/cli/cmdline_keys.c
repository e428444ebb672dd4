/* cmdline_keys.c - the command line's keyboard: bytes to keys, escape
 * sequences, a lone Esc, and the idle hook while nothing is typed. */
#include "config.h"

#include "cli/cmdline_priv.h"

/* ---- keys ------------------------------------------------------------ */

static void queue_push(struct cmdline *c, wchar_t wc)
{
	if (c->q_len < QUEUE_MAX)
		c->queue[c->q_len++] = wc;
}

static void queue_push_front(struct cmdline *c, wchar_t wc)
{
	if (c->q_len == QUEUE_MAX)
		c->q_len--;
	memmove(c->queue + 1, c->queue, c->q_len * sizeof(c->queue[0]));
	c->queue[0] = wc;
	c->q_len++;
}

static wchar_t queue_pop(struct cmdline *c)
{
	wchar_t wc = c->queue[0];

	c->q_len--;
	memmove(c->queue, c->queue + 1, c->q_len * sizeof(c->queue[0]));
	return wc;
}

/* Run the idle hook. True when it queued a key for libedit. */
static bool run_idle(struct cmdline *c)
{
	int r;

	/* The cursor back where curses believes it is, in case idle draws. */
	fputc('\r', stdout);
	fflush(stdout);
	r = c->idle(c->idle_arg);
	c->idle_due = now_ms() + CMDLINE_IDLE_MS;
	if (r < 0) {
		queue_push(c, CTRL_CANCEL);
		return true;
	}
	if (r > 0) {
		queue_push(c, CTRL_REDISPLAY);
		return true;
	}
	cursor_back(c);
	return false;
}

/* Wait until the keyboard has a byte: 1. 0 when the idle hook queued a key,
 * -1 when the terminal is gone. */
static int wait_key(struct cmdline *c)
{
	for (;;) {
		struct pollfd fds[2] = {
			{ .fd = STDIN_FILENO, .events = POLLIN },
			{ .fd = c->idle_fd, .events = POLLIN },
		};
		bool use_fd = c->idle && c->idle_fd >= 0 && !c->fd_dead;
		int timeout = -1, n;

		if (c->idle) {
			long long left = c->idle_due - now_ms();

			timeout = left < 0 ? 0 : left > CMDLINE_IDLE_MS ? CMDLINE_IDLE_MS : (int)left;
		}
		n = poll(fds, use_fd ? 2 : 1, timeout);
		if (n < 0) {
			if (errno == EINTR || errno == EAGAIN)
				continue;
			return -1;
		}
		if (c->idle && (now_ms() >= c->idle_due || (use_fd && fds[1].revents))) {
			/* A socket that hung up stays "readable": stop polling it. */
			if (use_fd && (fds[1].revents & (POLLHUP | POLLERR | POLLNVAL)))
				c->fd_dead = true;
			if (run_idle(c))
				return 0;
		}
		if (fds[0].revents & POLLIN)
			return 1;
		if (fds[0].revents & (POLLHUP | POLLERR | POLLNVAL))
			return -1;
	}
}

/* Read one byte into c->in: 1, 0 to retry, -1 at end of input. */
static int read_byte(struct cmdline *c)
{
	ssize_t n;

	if (c->in_len == sizeof(c->in))
		c->in_len = 0;   /* garbage that never decoded */
	n = read(STDIN_FILENO, c->in + c->in_len, 1);
	if (n == 1) {
		c->in_len++;
		return 1;
	}
	if (n < 0 && (errno == EINTR || errno == EAGAIN))
		return 0;
	return -1;
}

static void in_drop(struct cmdline *c, size_t n)
{
	memmove(c->in, c->in + n, c->in_len - n);
	c->in_len -= n;
}

/* The next keyboard character: 1, 0 when a key was queued instead, -1 at end. */
static int next_char(struct cmdline *c, wchar_t *wc)
{
	for (;;) {
		int n = utf8_take(c->in, c->in_len, wc), r;

		if (n > 0) {
			in_drop(c, (size_t)n);
			return 1;
		}
		if (n < 0) {
			in_drop(c, 1);   /* not UTF-8: skip the byte */
			continue;
		}
		r = wait_key(c);
		if (r <= 0)
			return r;
		if (read_byte(c) < 0)
			return -1;
	}
}

/* Esc alone (nothing follows within the escape delay, or another Esc
 * follows) is a key of its own; otherwise it starts a sequence. */
static bool esc_alone(struct cmdline *c)
{
	if (c->in_len == 0) {
		struct pollfd p = { .fd = STDIN_FILENO, .events = POLLIN };
		int delay = get_escdelay();

		if (poll(&p, 1, delay > 0 ? delay : 0) <= 0 || !(p.revents & POLLIN))
			return true;
		if (read_byte(c) <= 0)
			return true;
	}
	return c->in[0] == CTRL_ESC;
}

/*
 * Decide what libedit gets for wc. Returns true with *out set, false to
 * drop wc. Bytes inside an escape sequence pass untouched.
 */
static bool filter_key(struct cmdline *c, wchar_t wc, wchar_t *out)
{
	int w;

	*out = wc;
	switch (c->seq) {
	case SEQ_ESC:
		c->seq = wc == '[' ? SEQ_CSI : wc == 'O' ? SEQ_SS3 : SEQ_NONE;
		return true;
	case SEQ_CSI:
		if (wc >= 0x20 && wc <= 0x7e) {
			if (wc >= 0x40)
				c->seq = SEQ_NONE;   /* final byte */
			return true;
		}
		c->seq = SEQ_NONE;
		break;
	case SEQ_SS3:
		c->seq = SEQ_NONE;
		return true;
	case SEQ_NONE:
		break;
	}
	if (c->hint[0] && wc != '\t') {
		/* Any key but Tab takes the candidate list away first. */
		c->hint[0] = L'\0';
		queue_push_front(c, wc);
		*out = CTRL_REFRESH;
		return true;
	}
	if (wc == CTRL_ESC) {
		if (esc_alone(c)) {
			*out = CTRL_CANCEL;
			return true;
		}
		c->seq = SEQ_ESC;
		return true;
	}
	if (wc < 0x20 || wc == 0x7f)
		return true;              /* editing keys */
	if (!printable(wc))
		return false;
	w = wcwidth(wc);
	if (c->prompt_width + line_width(c->el) + w > c->limit) {
		ed.el_beep(c->el);           /* the row is full: never wrap */
		return false;
	}
	if (wc >= 0xa0 && wc <= 0xff) {
		/* libedit would take U+00A0..U+00FF for meta keys: insert it here. */
		wchar_t s[2] = { wc, L'\0' };

		ed.el_winsertstr(c->el, s);
		*out = CTRL_REFRESH;
	}
	return true;
}

/* EL_GETCFN: libedit's only source of keys. 1, or 0 at end of input. */
int cmdline_read_key(EditLine *el, wchar_t *out)
{
	struct cmdline *c = cmdline_of(el);

	for (;;) {
		wchar_t wc;

		if (c->q_len) {
			wc = queue_pop(c);
		} else {
			int r = next_char(c, &wc);

			if (r < 0) {
				c->hangup = true;
				*out = L'\0';
				return 0;
			}
			if (r == 0)
				continue;
		}
		if (filter_key(c, wc, out))
			return 1;
	}
}
