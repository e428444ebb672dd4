/* vt.c - screen-test harness: a child in a pty, its output interpreted by libvterm. */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* execvpe */
#endif

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <vterm.h>

#include "vt.h"

/* Bytes read from the pty per vt_pump call at most, so waits re-check the screen
 * regularly even while a child floods the terminal. */
#define VT_PUMP_MAX (64 * 1024)
#define VT_FIND_ALL_ROW 4096   /* one row's text: 500+ columns of 4-byte characters */
/* How long writes to a child that does not read may block. */
#define VT_WRITE_TIMEOUT_MS 2000
#define VT_TERM_GRACE_MS 1000

struct vt {
	VTerm *term;
	VTermScreen *screen;
	int fd;         /* pty master, non-blocking; -1 after vt_hangup */
	bool eof;       /* the pty returned EIO: nothing more will be read */
	pid_t pid;
	bool reaped;
	int status;     /* waitpid status once reaped */
	int rows, cols;
	char *out;      /* keys and terminal replies not yet written to the child */
	size_t out_len, out_cap;
	bool out_failed; /* appending ran out of memory: the next flush reports it */
};

static int64_t vt_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int vt_left_ms(int64_t deadline)
{
	int64_t left = deadline - vt_now_ms();

	return left < 0 ? 0 : left > INT32_MAX ? INT32_MAX : (int)left;
}

static void vt_sleep_ms(int ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000 };

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

/* ---- the environment of the child ------------------------------------------------ */

static size_t env_name_len(const char *entry)
{
	return strcspn(entry, "=");
}

static bool env_has(const char *const env[], const char *name, size_t len)
{
	for (size_t i = 0; env && env[i]; i++)
		if (env_name_len(env[i]) == len && strncmp(env[i], name, len) == 0)
			return true;
	return false;
}

/* Variables that would make the child's terminal differ from the one we emulate. */
static bool env_is_terminal_var(const char *entry, size_t len)
{
	static const char *const names[] = {
		"TERM", "LANG", "LANGUAGE", "COLUMNS", "LINES", "ESCDELAY",
	};

	if (len > 3 && strncmp(entry, "LC_", 3) == 0)
		return true;
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strlen(names[i]) == len && strncmp(entry, names[i], len) == 0)
			return true;
	return false;
}

/* Build the child's environment in the parent: after fork only exec should run. The
 * array points into environ, the literals and env; only the array is malloc'd. */
static const char **env_build(const char *const env[])
{
	static const char *const defaults[] = {
		"TERM=xterm-256color", "LANG=C.UTF-8", "LC_ALL=C.UTF-8", "ESCDELAY=25",
	};
	extern char **environ;
	size_t n = 0, extra = 0, k = 0;
	const char **out;

	while (environ[n])
		n++;
	while (env && env[extra]) {
		if (!strchr(env[extra], '=')) {
			errno = EINVAL;
			return NULL;
		}
		extra++;
	}
	out = calloc(n + extra + sizeof(defaults) / sizeof(defaults[0]) + 1, sizeof(*out));
	if (!out)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		size_t len = env_name_len(environ[i]);

		if (!env_is_terminal_var(environ[i], len) && !env_has(env, environ[i], len))
			out[k++] = environ[i];
	}
	for (size_t i = 0; i < sizeof(defaults) / sizeof(defaults[0]); i++)
		if (!env_has(env, defaults[i], env_name_len(defaults[i])))
			out[k++] = defaults[i];
	for (size_t i = 0; i < extra; i++)
		out[k++] = env[i];
	out[k] = NULL;
	return out;
}

/* ---- talking to the child ---------------------------------------------------------- */

static void vt_out_append(struct vt *vt, const char *bytes, size_t len)
{
	if (len == 0)
		return;         /* nothing to add (and memcpy from NULL is undefined) */
	if (vt->out_len + len > vt->out_cap) {
		size_t cap = vt->out_cap ? vt->out_cap : 256;
		char *p;

		while (cap < vt->out_len + len)
			cap *= 2;
		p = realloc(vt->out, cap);
		if (!p) {
			vt->out_failed = true;
			return;
		}
		vt->out = p;
		vt->out_cap = cap;
	}
	memcpy(vt->out + vt->out_len, bytes, len);
	vt->out_len += len;
}

/* libvterm's output: replies to queries and encoded keys. Only queued here - we are
 * inside vterm_input_write or vterm_keyboard_*, too deep to block on the pty. */
static void vt_on_output(const char *s, size_t len, void *user)
{
	vt_out_append(user, s, len);
}

/* Read what is available now, up to VT_PUMP_MAX, into the terminal. Returns the bytes
 * read, or -1 if none and the pty is closed. */
static int vt_drain(struct vt *vt)
{
	char buf[4096];
	int total = 0;

	while (vt->fd >= 0 && !vt->eof && total < VT_PUMP_MAX) {
		ssize_t n = read(vt->fd, buf, sizeof(buf));

		if (n > 0) {
			vterm_input_write(vt->term, buf, (size_t)n);
			total += (int)n;
		} else if (n < 0 && errno == EINTR) {
			continue;
		} else if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
			break;
		} else {
			/* EIO: every holder of the slave side has closed it */
			vt->eof = true;
		}
	}
	return total > 0 ? total : vt->eof ? -1 : 0;
}

/* Write the queued bytes, reading output meanwhile: a child blocked on a full
 * terminal would never read its keyboard. Replies produced by that reading are queued
 * behind and written in the same loop. */
static int vt_flush(struct vt *vt)
{
	int64_t deadline = vt_now_ms() + VT_WRITE_TIMEOUT_MS;
	size_t off = 0;
	int err = 0;

	if (vt->out_failed)
		err = ENOMEM;
	while (!err && off < vt->out_len) {
		ssize_t n;

		if (vt->fd < 0) {
			err = EIO;
			break;
		}
		n = write(vt->fd, vt->out + off, vt->out_len - off);
		if (n > 0) {
			off += (size_t)n;
		} else if (n < 0 && errno == EINTR) {
			continue;
		} else if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
			struct pollfd p = { .fd = vt->fd, .events = POLLOUT | POLLIN };
			int left = vt_left_ms(deadline);

			if (left == 0 || vt->eof) {
				err = vt->eof ? EIO : ETIMEDOUT;
				break;
			}
			if (poll(&p, 1, left) < 0 && errno != EINTR) {
				err = errno;
				break;
			}
			if (p.revents & (POLLIN | POLLHUP))
				vt_drain(vt);
		} else {
			err = n < 0 ? errno : EIO;
		}
	}
	/* on failure drop the rest: sending it later would reorder keys */
	vt->out_len = 0;
	vt->out_failed = false;
	if (err) {
		errno = err;
		return -1;
	}
	return 0;
}

int vt_pump(struct vt *vt, int timeout_ms)
{
	int64_t deadline = vt_now_ms() + (timeout_ms > 0 ? timeout_ms : 0);
	int n;

	if (vt->fd < 0 || vt->eof)
		return -1;
	for (;;) {
		struct pollfd p = { .fd = vt->fd, .events = POLLIN };
		int r = poll(&p, 1, vt_left_ms(deadline));

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return -1;
		if (r == 0)
			return 0;
		break;
	}
	n = vt_drain(vt);
	if (vt->out_len > 0)
		vt_flush(vt); /* a lost reply shows up as a test failure; nothing to do here */
	return n;
}

/* Pump for the whole of ms, not just until the first output. */
static void vt_pump_for(struct vt *vt, int ms)
{
	int64_t deadline = vt_now_ms() + ms + 1;   /* +1: the clock is read in whole ms */
	int left;

	while ((left = vt_left_ms(deadline)) > 0)
		if (vt_pump(vt, left) < 0)
			vt_sleep_ms(left);
}

int vt_send(struct vt *vt, const char *bytes)
{
	vt_out_append(vt, bytes, strlen(bytes));
	return vt_flush(vt);
}

/* ---- key specs ----------------------------------------------------------------------- */

enum key_kind { KEY_VTERM, KEY_CTRL, KEY_BYTES };

struct key {
	enum key_kind kind;
	VTermKey vkey;
	VTermModifier mod;
	char ch;        /* KEY_CTRL: the letter; KEY_BYTES: the one byte */
};

static const struct {
	const char *name;
	VTermKey vkey;
	VTermModifier mod;
} key_names[] = {
	{ "Enter", VTERM_KEY_ENTER, VTERM_MOD_NONE },
	{ "Esc", VTERM_KEY_ESCAPE, VTERM_MOD_NONE },
	{ "Tab", VTERM_KEY_TAB, VTERM_MOD_NONE },
	{ "S-Tab", VTERM_KEY_TAB, VTERM_MOD_SHIFT },
	{ "Backspace", VTERM_KEY_BACKSPACE, VTERM_MOD_NONE },
	{ "Up", VTERM_KEY_UP, VTERM_MOD_NONE },
	{ "Down", VTERM_KEY_DOWN, VTERM_MOD_NONE },
	{ "Left", VTERM_KEY_LEFT, VTERM_MOD_NONE },
	{ "Right", VTERM_KEY_RIGHT, VTERM_MOD_NONE },
	{ "Home", VTERM_KEY_HOME, VTERM_MOD_NONE },
	{ "End", VTERM_KEY_END, VTERM_MOD_NONE },
	{ "PgUp", VTERM_KEY_PAGEUP, VTERM_MOD_NONE },
	{ "PgDn", VTERM_KEY_PAGEDOWN, VTERM_MOD_NONE },
	{ "Insert", VTERM_KEY_INS, VTERM_MOD_NONE },
	{ "Delete", VTERM_KEY_DEL, VTERM_MOD_NONE },
};

/* Parse the name between '<' and '>' (len bytes). 0 on success, -1 if unknown. */
static int keymap_key_parse(const char *name, size_t len, struct key *key)
{
	char buf[16];

	if (len == 0 || len >= sizeof(buf))
		return -1;
	memcpy(buf, name, len);
	buf[len] = '\0';
	for (size_t i = 0; i < sizeof(key_names) / sizeof(key_names[0]); i++) {
		if (strcasecmp(buf, key_names[i].name) == 0) {
			*key = (struct key){ KEY_VTERM, key_names[i].vkey, key_names[i].mod, 0 };
			return 0;
		}
	}
	if (strcasecmp(buf, "lt") == 0 || strcasecmp(buf, "Space") == 0) {
		*key = (struct key){ KEY_BYTES, VTERM_KEY_NONE, VTERM_MOD_NONE,
			buf[0] == 'l' || buf[0] == 'L' ? '<' : ' ' };
		return 0;
	}
	if ((buf[0] == 'C' || buf[0] == 'c') && buf[1] == '-' && len == 3) {
		char c = (char)(buf[2] | 0x20);

		if (c < 'a' || c > 'z')
			return -1;
		*key = (struct key){ KEY_CTRL, VTERM_KEY_NONE, VTERM_MOD_CTRL, c };
		return 0;
	}
	if ((buf[0] == 'F' || buf[0] == 'f') && len >= 2 && len <= 3 && buf[1] != '0') {
		int n = 0;

		for (size_t i = 1; i < len; i++) {
			if (buf[i] < '0' || buf[i] > '9')
				return -1;
			n = n * 10 + (buf[i] - '0');
		}
		if (n < 1 || n > 12)
			return -1;
		*key = (struct key){ KEY_VTERM, (VTermKey)VTERM_KEY_FUNCTION(n), VTERM_MOD_NONE, 0 };
		return 0;
	}
	return -1;
}

/* Walk spec; with send false only validate it. */
static int vt_type_walk(struct vt *vt, const char *spec, bool send)
{
	const char *p = spec;

	while (*p) {
		const char *lt = strchr(p, '<');
		const char *gt;
		struct key key;

		if (!lt) {
			if (send)
				vt_out_append(vt, p, strlen(p));
			break;
		}
		if (send)
			vt_out_append(vt, p, (size_t)(lt - p));
		gt = strchr(lt + 1, '>');
		if (!gt || keymap_key_parse(lt + 1, (size_t)(gt - lt - 1), &key) < 0) {
			errno = EINVAL;
			return -1;
		}
		p = gt + 1;
		if (!send)
			continue;
		switch (key.kind) {
		case KEY_BYTES:
			vt_out_append(vt, &key.ch, 1);
			break;
		case KEY_CTRL:
			vterm_keyboard_unichar(vt->term, (uint32_t)key.ch, key.mod);
			break;
		case KEY_VTERM:
			vterm_keyboard_key(vt->term, key.vkey, key.mod);
			if (key.vkey == VTERM_KEY_ESCAPE) {
				if (vt_flush(vt) < 0)
					return -1;
				vt_pump_for(vt, VT_ESC_PAUSE_MS);
			}
			break;
		}
	}
	return send ? vt_flush(vt) : 0;
}

int vt_type(struct vt *vt, const char *spec)
{
	if (vt_type_walk(vt, spec, false) < 0)
		return -1;
	return vt_type_walk(vt, spec, true);
}

/* ---- reading the screen ------------------------------------------------------------ */

static size_t utf8_put(uint32_t c, char *out)
{
	if (c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		c = 0xfffd;
	if (c < 0x80) {
		out[0] = (char)c;
		return 1;
	}
	if (c < 0x800) {
		out[0] = (char)(0xc0 | c >> 6);
		out[1] = (char)(0x80 | (c & 0x3f));
		return 2;
	}
	if (c < 0x10000) {
		out[0] = (char)(0xe0 | c >> 12);
		out[1] = (char)(0x80 | (c >> 6 & 0x3f));
		out[2] = (char)(0x80 | (c & 0x3f));
		return 3;
	}
	out[0] = (char)(0xf0 | c >> 18);
	out[1] = (char)(0x80 | (c >> 12 & 0x3f));
	out[2] = (char)(0x80 | (c >> 6 & 0x3f));
	out[3] = (char)(0x80 | (c & 0x3f));
	return 4;
}

/* Text of a row into buf (NUL-terminated; a cell is written whole or not at all).
 * colmap, if given, receives for each byte the column of its cell; *width the columns
 * the text covers. trim drops trailing blanks. Returns the length. */
static size_t vt_row_text(struct vt *vt, int row, bool trim, char *buf, size_t bufsz,
	int *colmap, int *width)
{
	size_t len = 0, keep = 0;
	int keep_width = 0;

	for (int col = 0; col < vt->cols;) {
		VTermScreenCell cell;
		char bytes[VTERM_MAX_CHARS_PER_CELL * 4];
		size_t n = 0;
		int w;

		if (!vterm_screen_get_cell(vt->screen, (VTermPos){ row, col }, &cell))
			break;
		w = cell.width >= 1 && cell.width <= 2 ? cell.width : 1;
		if (cell.chars[0] == 0 || cell.chars[0] == (uint32_t)-1)
			bytes[n++] = ' ';
		for (int i = 0; i < VTERM_MAX_CHARS_PER_CELL && cell.chars[i]
			&& cell.chars[i] != (uint32_t)-1; i++)
			n += utf8_put(cell.chars[i], bytes + n);
		if (len + n >= bufsz)
			break;
		memcpy(buf + len, bytes, n);
		for (size_t i = 0; colmap && i < n; i++)
			colmap[len + i] = col;
		len += n;
		col += w;
		if (!(n == 1 && bytes[0] == ' ')) {
			keep = len;
			keep_width = col;
		}
	}
	if (trim)
		len = keep;
	if (bufsz > 0)
		buf[len] = '\0';
	if (width)
		*width = trim ? keep_width : vt->cols;
	return len;
}

char *vt_row(struct vt *vt, int row, char *buf, size_t bufsz)
{
	if (row < 0 || row >= vt->rows || bufsz == 0)
		return NULL;
	vt_row_text(vt, row, true, buf, bufsz, NULL, NULL);
	return buf;
}

int vt_find(struct vt *vt, const char *text, int *row, int *col)
{
	size_t size = VT_ROW_MAX(vt->cols);
	char *buf = malloc(size);
	int *colmap = malloc(size * sizeof(*colmap));
	int found = 0;

	if (buf && colmap) {
		for (int r = 0; r < vt->rows && !found; r++) {
			char *hit;

			vt_row_text(vt, r, false, buf, size, colmap, NULL);
			hit = strstr(buf, text);
			if (hit) {
				found = 1;
				if (row)
					*row = r;
				if (col)
					*col = *text ? colmap[hit - buf] : 0;
			}
		}
	}
	free(buf);
	free(colmap);
	return found;
}

bool vt_find_all(struct vt *vt, const char *const *texts, int n)
{
	char buf[VT_FIND_ALL_ROW];
	unsigned found = 0, all = n >= 32 ? ~0u : (1u << n) - 1;

	if (n <= 0 || n > 32)
		return n == 0;
	for (int r = 0; r < vt->rows && found != all; r++) {
		size_t len = vterm_screen_get_text(vt->screen, buf, sizeof(buf) - 1,
						   (VTermRect){ .start_row = r, .end_row = r + 1, .start_col = 0,
								.end_col = vt->cols });

		buf[len < sizeof(buf) ? len : sizeof(buf) - 1] = '\0';
		for (int i = 0; i < n; i++)
			if (!(found & 1u << i) && strstr(buf, texts[i]))
				found |= 1u << i;
	}
	return found == all;
}

char *vt_screen(struct vt *vt)
{
	size_t rowmax = VT_ROW_MAX(vt->cols);
	char *text = malloc(rowmax * (size_t)vt->rows);
	size_t len = 0;

	if (!text)
		return NULL;
	text[0] = '\0';
	for (int r = 0; r < vt->rows; r++) {
		if (r > 0)
			text[len++] = '\n';
		len += vt_row_text(vt, r, true, text + len, rowmax, NULL, NULL);
	}
	return text;
}

int vt_cursor(struct vt *vt, int *row, int *col)
{
	VTermPos pos;

	vterm_state_get_cursorpos(vterm_obtain_state(vt->term), &pos);
	if (row)
		*row = pos.row;
	if (col)
		*col = pos.col;
	return 0;
}

static void vt_dump_rule(int cols, FILE *out)
{
	fputs("   +", out);
	for (int i = 0; i < cols; i++)
		fputc('-', out);
	fputs("+\n", out);
}

void vt_dump(struct vt *vt, FILE *out)
{
	size_t size = VT_ROW_MAX(vt->cols);
	char *buf = malloc(size);
	int crow, ccol;

	vt_cursor(vt, &crow, &ccol);
	fprintf(out, "screen %dx%d, cursor %d,%d, child %d ", vt->rows, vt->cols, crow, ccol,
		(int)vt->pid);
	if (!vt->reaped)
		fputs(vt->eof ? "running, pty closed\n" : "running\n", out);
	else if (WIFEXITED(vt->status))
		fprintf(out, "exited %d\n", WEXITSTATUS(vt->status));
	else if (WIFSIGNALED(vt->status))
		fprintf(out, "killed by signal %d\n", WTERMSIG(vt->status));
	else
		fputs("gone\n", out);
	vt_dump_rule(vt->cols, out);
	for (int r = 0; buf && r < vt->rows; r++) {
		int width;

		vt_row_text(vt, r, true, buf, size, NULL, &width);
		fprintf(out, "%2d |%s%*s|\n", r, buf, vt->cols - width, "");
	}
	vt_dump_rule(vt->cols, out);
	fflush(out);
	free(buf);
}

unsigned vt_cell_attrs(struct vt *vt, int row, int col)
{
	VTermScreenCell cell;
	unsigned mask = 0;

	if (row < 0 || row >= vt->rows || col < 0 || col >= vt->cols
		|| !vterm_screen_get_cell(vt->screen, (VTermPos){ row, col }, &cell))
		return 0;
	if (cell.attrs.bold)
		mask |= VT_ATTR_BOLD;
	if (cell.attrs.underline)
		mask |= VT_ATTR_UNDERLINE;
	if (cell.attrs.reverse)
		mask |= VT_ATTR_REVERSE;
	if (cell.attrs.italic)
		mask |= VT_ATTR_ITALIC;
	if (cell.attrs.blink)
		mask |= VT_ATTR_BLINK;
	return mask;
}

bool vt_cell_reverse_or_bold(struct vt *vt, int row, int col)
{
	return (vt_cell_attrs(vt, row, col) & (VT_ATTR_BOLD | VT_ATTR_REVERSE)) != 0;
}

/* ---- waiting ------------------------------------------------------------------------- */

bool vt_wait_for(struct vt *vt, const char *text, int timeout_ms)
{
	int64_t deadline = vt_now_ms() + timeout_ms;

	for (;;) {
		if (vt_find(vt, text, NULL, NULL))
			return true;
		if (vt_left_ms(deadline) == 0 || vt_pump(vt, vt_left_ms(deadline)) < 0)
			return false;
	}
}

bool vt_wait_gone(struct vt *vt, const char *text, int timeout_ms)
{
	int64_t deadline = vt_now_ms() + timeout_ms;

	for (;;) {
		if (!vt_find(vt, text, NULL, NULL))
			return true;
		if (vt_left_ms(deadline) == 0 || vt_pump(vt, vt_left_ms(deadline)) < 0)
			return false;
	}
}

bool vt_wait_until(struct vt *vt, bool (*done)(struct vt *vt, void *arg), void *arg, int timeout_ms)
{
	int64_t deadline = vt_now_ms() + timeout_ms;

	for (;;) {
		if (done(vt, arg))
			return true;
		if (vt_left_ms(deadline) == 0 || vt_pump(vt, vt_left_ms(deadline)) < 0)
			return false;
	}
}

bool vt_wait_quiet(struct vt *vt, int quiet_ms, int timeout_ms)
{
	int64_t deadline = vt_now_ms() + timeout_ms;
	int64_t last = vt_now_ms();

	for (;;) {
		int64_t now = vt_now_ms();
		int64_t wait = last + quiet_ms - now;
		int n;

		if (wait <= 0)
			return true;
		if (now >= deadline)
			return false;
		if (wait > deadline - now)
			wait = deadline - now;
		n = vt_pump(vt, (int)wait);
		if (n < 0)
			return true;
		if (n > 0)
			last = vt_now_ms();
	}
}

/* ---- the child ------------------------------------------------------------------------ */

/* Reap the child if it has exited. True once reaped. */
static bool vt_reap(struct vt *vt, bool block)
{
	int status;
	pid_t r;

	if (vt->reaped)
		return true;
	do
		r = waitpid(vt->pid, &status, block ? 0 : WNOHANG);
	while (r < 0 && errno == EINTR);
	if (r == vt->pid) {
		vt->reaped = true;
		vt->status = status;
	} else if (r < 0 && errno == ECHILD) {
		/* someone else reaped it (SIGCHLD set to SIG_IGN?): it is gone, status unknown */
		vt->reaped = true;
		vt->status = 0;
	}
	return vt->reaped;
}

int vt_wait_exit(struct vt *vt, int timeout_ms, int *status)
{
	int64_t deadline = vt_now_ms() + timeout_ms;

	while (!vt_reap(vt, false)) {
		int left = vt_left_ms(deadline);

		if (left == 0)
			return 0;
		if (left > 10)
			left = 10; /* no wakeup on exit: look again every 10 ms */
		if (vt_pump(vt, left) < 0)
			vt_sleep_ms(left);
	}
	if (status)
		*status = vt->status;
	return 1;
}

int vt_signal(struct vt *vt, int sig)
{
	if (vt->reaped) {
		errno = ESRCH;
		return -1;
	}
	return kill(vt->pid, sig);
}

/* The child is a session leader, so its process group holds whatever it started too
 * (a shell's sleep, say), unless those moved to groups of their own. */
static void vt_kill_group(struct vt *vt, int sig)
{
	if (kill(-vt->pid, sig) < 0)
		kill(vt->pid, sig);
}

bool vt_hangup(struct vt *vt)
{
	if (vt->fd < 0)
		return false;
	close(vt->fd);
	vt->fd = -1;
	vt->eof = true;
	vt->out_len = 0;
	return true;
}

int vt_resize(struct vt *vt, int rows, int cols)
{
	struct winsize ws = { .ws_row = (unsigned short)rows, .ws_col = (unsigned short)cols };

	if (rows < 1 || cols < 1 || rows > 1000 || cols > 1000) {
		errno = EINVAL;
		return -1;
	}
	if (vt->fd < 0) {
		errno = EIO;
		return -1;
	}
	/* the terminal first, so the child's redraw lands on the new size */
	vterm_set_size(vt->term, rows, cols);
	vt->rows = rows;
	vt->cols = cols;
	return ioctl(vt->fd, TIOCSWINSZ, &ws);
}

/* In the child, between fork and exec: give it default signal handling (a test runner
 * may ignore SIGHUP or SIGPIPE, and a shell cannot trap what it inherited ignored). */
static _Noreturn void vt_child_exec(const char *const argv[], const char **envp)
{
	struct sigaction sa = { .sa_handler = SIG_DFL };
	sigset_t none;

	sigemptyset(&sa.sa_mask);
	for (int sig = 1; sig < NSIG; sig++)
		sigaction(sig, &sa, NULL); /* fails harmlessly for KILL, STOP, RT internals */
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);

	/* exec takes char *const[] for historical reasons; it does not write to them */
	execvpe(argv[0], (char *const *)argv, (char *const *)envp);

	/* the message lands on the emulated screen, where vt_dump shows it */
	{
		const char *why = strerror(errno);
		ssize_t ignored;

		ignored = write(STDERR_FILENO, "vt_spawn: cannot run ", 21);
		ignored = write(STDERR_FILENO, argv[0], strlen(argv[0]));
		ignored = write(STDERR_FILENO, ": ", 2);
		ignored = write(STDERR_FILENO, why, strlen(why));
		ignored = write(STDERR_FILENO, "\r\n", 2);
		(void)ignored;
	}
	_exit(127);
}

struct vt *vt_spawn(const char *const argv[], const char *const env[], int rows, int cols)
{
	struct winsize ws = { .ws_row = (unsigned short)rows, .ws_col = (unsigned short)cols };
	struct vt *vt;
	const char **envp = NULL;
	int flags;

	if (!argv || !argv[0] || rows < 1 || cols < 1 || rows > 1000 || cols > 1000) {
		errno = EINVAL;
		return NULL;
	}
	vt = calloc(1, sizeof(*vt));
	if (!vt)
		return NULL;
	vt->fd = -1;
	vt->rows = rows;
	vt->cols = cols;
	vt->term = vterm_new(rows, cols);
	if (!vt->term) {
		errno = ENOMEM;
		goto fail;
	}
	envp = env_build(env);
	if (!envp)
		goto fail;
	vterm_set_utf8(vt->term, 1);
	vterm_output_set_callback(vt->term, vt_on_output, vt);
	vt->screen = vterm_obtain_screen(vt->term);
	vterm_screen_enable_altscreen(vt->screen, 1);
	vterm_screen_reset(vt->screen, 1);

	vt->pid = forkpty(&vt->fd, NULL, NULL, &ws);
	if (vt->pid < 0)
		goto fail;
	if (vt->pid == 0)
		vt_child_exec(argv, envp);
	free(envp);
	/* CLOEXEC: the next vt's child must not hold this master open */
	flags = fcntl(vt->fd, F_GETFL);
	if (flags < 0 || fcntl(vt->fd, F_SETFL, flags | O_NONBLOCK) < 0
		|| fcntl(vt->fd, F_SETFD, FD_CLOEXEC) < 0) {
		int err = errno;

		vt_free(vt);
		errno = err;
		return NULL;
	}
	return vt;
fail:
	{
		int err = errno;

		free(envp);
		if (vt->term)
			vterm_free(vt->term);
		free(vt);
		errno = err;
		return NULL;
	}
}

int vt_pid(const struct vt *vt)
{
	return (int)vt->pid;
}

void vt_free(struct vt *vt)
{
	if (!vt)
		return;
	if (vt->pid > 0 && !vt_reap(vt, false)) {
		vt_kill_group(vt, SIGTERM);
		/* keep reading, or a child blocked writing to us never gets to its handler */
		if (!vt_wait_exit(vt, VT_TERM_GRACE_MS, NULL)) {
			vt_kill_group(vt, SIGKILL);
			vt_reap(vt, true);
		}
	}
	if (vt->fd >= 0)
		close(vt->fd);
	vterm_free(vt->term);
	free(vt->out);
	free(vt);
}
