/* vt.h - screen-test harness: run a program in a pty, read its screen through libvterm.
 *
 * The program under test gets a real pseudo-terminal of the requested size (it must learn
 * the size with TIOCGWINSZ: COLUMNS and LINES are removed from its environment) and
 * everything it writes is interpreted by libvterm, an xterm-compatible emulator. Tests
 * then type keys the way a user would and read the screen back as UTF-8 text:
 *
 *	const char *argv[] = { "./ccterm", NULL };
 *	const char *env[] = { "PGHOST=/tmp/pg", NULL };
 *	struct vt *vt = vt_spawn(argv, env, 24, 80);
 *	VT_ASSERT_WAIT(vt, "Agent: Hong", 3000);
 *	vt_type(vt, "<F3>안녕하세요<F10>");
 *	VT_ASSERT_WAIT(vt, "saved", 3000);
 *	vt_free(vt);
 *
 * Rows and columns are 0-based screen cells. A wide character (Hangul, CJK) takes two
 * cells but appears once in every string this module returns or compares.
 *
 * Nothing here is thread-safe; one test drives one vt from one thread.
 */
#ifndef CCTERM_TESTS_VT_H
#define CCTERM_TESTS_VT_H

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

struct vt;

/* Bytes that hold any row of a screen cols wide: a cell has at most 6 code points of
 * at most 4 bytes each (base character plus combining marks), and a final NUL. */
#define VT_ROW_MAX(cols) ((size_t)(cols) * 24 + 1)

/* Pause after an <Esc> in vt_type, so curses times the lone ESC out instead of reading
 * it as the start of a sequence. The child gets ESCDELAY=25 (unless env sets it), which
 * ncurses honours when the program does not call set_escdelay() itself. */
#define VT_ESC_PAUSE_MS 100

/* Start argv (searched in PATH) in a new pty of rows x cols. The child inherits this
 * process's environment minus TERM, LANG, LANGUAGE, LC_*, COLUMNS, LINES and ESCDELAY,
 * then gets TERM=xterm-256color LANG=C.UTF-8 LC_ALL=C.UTF-8 ESCDELAY=25, then the
 * NAME=VALUE entries of env (NULL-terminated, may be NULL), which override all of the
 * above. Signals are reset to default in the child. If exec fails the child prints the
 * reason on the terminal and exits with 127. Returns NULL with errno set on failure. */
struct vt *vt_spawn(const char *const argv[], const char *const env[], int rows, int cols);

/* The child's process id (for /proc and signals). */
int vt_pid(const struct vt *vt);

/* Kill the child if it still runs (SIGTERM to its process group, SIGKILL after 1 s),
 * reap it, close the pty and free everything. NULL is accepted. */
void vt_free(struct vt *vt);

/* Wait up to timeout_ms for output, then feed everything readable to the terminal.
 * Terminal replies (cursor position, device attributes) are written back to the child.
 * Returns the bytes read (0 on timeout), or -1 once the pty is closed (the child and
 * everything sharing its terminal have exited or closed it, or after vt_hangup). */
int vt_pump(struct vt *vt, int timeout_ms);

/* Write raw bytes to the child's keyboard. 0 on success, -1 with errno on failure
 * (EIO when the child is gone, ETIMEDOUT if it stops reading for 2 s). */
int vt_send(struct vt *vt, const char *bytes);

/* Type a key spec: UTF-8 text mixed with key names in angle brackets (case-insensitive):
 *	<Enter> <Esc> <Tab> <S-Tab> <Backspace> <Space> <lt> (a literal '<')
 *	<Up> <Down> <Left> <Right> <Home> <End> <PgUp> <PgDn> <Insert> <Delete>
 *	<F1>..<F12> <C-a>..<C-z>
 * Keys are encoded as xterm does, honouring the modes the program set (cursor keys
 * send ESC O A instead of ESC [ A after the program enabled application cursor mode).
 * After each <Esc> the harness pauses VT_ESC_PAUSE_MS, still reading output.
 * The whole spec is checked first: an unknown name sends nothing, returns -1, EINVAL. */
int vt_type(struct vt *vt, const char *spec);

/* Pump until text appears on one row of the screen (it is not searched across rows).
 * True if seen; false after timeout_ms or as soon as the pty closes without it. */
bool vt_wait_for(struct vt *vt, const char *text, int timeout_ms);

/* Pump until text is nowhere on the screen. True if gone within timeout_ms. */
bool vt_wait_gone(struct vt *vt, const char *text, int timeout_ms);

/* Pump until done(vt, arg) holds: for a state no single text proves (a row's
 * attributes, two texts on one row, where a row is). done is asked before each
 * read, so it may read the screen. True if it held within timeout_ms; false
 * after that, or as soon as the pty closes without it. */
bool vt_wait_until(struct vt *vt, bool (*done)(struct vt *vt, void *arg), void *arg, int timeout_ms);

/* Pump until the child has written nothing for quiet_ms: the screen has settled.
 * True if that happened (or the pty closed) within timeout_ms. */
bool vt_wait_quiet(struct vt *vt, int quiet_ms, int timeout_ms);

/* Text of a row, trailing blanks trimmed, into buf (cut at a character boundary if
 * bufsz is too small; VT_ROW_MAX(cols) bytes always fit).
 * Returns buf, or NULL if row is outside the screen or bufsz is 0. */
char *vt_row(struct vt *vt, int row, char *buf, size_t bufsz);

/* First position of text on the screen (row-major). Returns 1 and fills *row and *col
 * (either may be NULL) if found, 0 if not. col is the screen column of the first cell. */
int vt_find(struct vt *vt, const char *text, int *row, int *col);
/* True when each of the n texts is on some row: one pass over the screen
 * (libvterm's own text of each row), for a benchmark polling after every read. */
bool vt_find_all(struct vt *vt, const char *const *texts, int n);

/* The whole screen, rows trimmed and joined by '\n' (no final newline). Caller frees.
 * NULL if out of memory. */
char *vt_screen(struct vt *vt);

/* Print the screen in a numbered frame, with size, cursor and child state: for the log
 * of a failing test. */
void vt_dump(struct vt *vt, FILE *out);

/* Attributes of one cell, as a mask of the flags below; 0 outside the screen. */
enum {
	VT_ATTR_BOLD = 1 << 0,
	VT_ATTR_UNDERLINE = 1 << 1,
	VT_ATTR_REVERSE = 1 << 2,
	VT_ATTR_ITALIC = 1 << 3,
	VT_ATTR_BLINK = 1 << 4,
};
unsigned vt_cell_attrs(struct vt *vt, int row, int col);

/* True if the cell is bold or reverse: how curses shows a selection or standout. */
bool vt_cell_reverse_or_bold(struct vt *vt, int row, int col);

/* Cursor position; returns 0. */
int vt_cursor(struct vt *vt, int *row, int *col);

/* Resize terminal and pty; the kernel sends SIGWINCH to the child's foreground process
 * group. 0 on success, -1 with errno. */
int vt_resize(struct vt *vt, int rows, int cols);

/* Send sig to the child process (not its whole group). -1 with ESRCH once reaped. */
int vt_signal(struct vt *vt, int sig);

/* Wait up to timeout_ms for the child to exit, reading its output meanwhile. Returns 1
 * and *status (waitpid's, status may be NULL) once it has exited - also on later calls -
 * or 0 on timeout. */
int vt_wait_exit(struct vt *vt, int timeout_ms, int *status);

/* Close the master side, as when an SSH connection drops: the child's terminal hangs
 * up (SIGHUP to it and its foreground group, EIO on reads). Afterwards the screen still
 * reads as last seen, vt_pump returns -1 and vt_wait_exit still works.
 * False if already closed. */
bool vt_hangup(struct vt *vt);

/* Check helpers. They expand to Check calls, so use them only in files that include
 * <check.h>; vt.h itself does not need it. On failure the screen goes to stderr (the
 * test's log) and the test fails at the caller's line. */
#define VT_ASSERT_WAIT(vt, text, ms) do { \
	const char *vt_text_ = (text); \
	if (!vt_wait_for((vt), vt_text_, (ms))) { \
		vt_dump((vt), stderr); \
		ck_abort_msg("screen did not show \"%s\" within %d ms", vt_text_, (int)(ms)); \
	} \
} while (0)

#define VT_ASSERT_GONE(vt, text, ms) do { \
	const char *vt_text_ = (text); \
	if (!vt_wait_gone((vt), vt_text_, (ms))) { \
		vt_dump((vt), stderr); \
		ck_abort_msg("\"%s\" still on screen after %d ms", vt_text_, (int)(ms)); \
	} \
} while (0)

#define VT_ASSERT_UNTIL(vt, done, arg, ms, what) do { \
	if (!vt_wait_until((vt), (done), (arg), (ms))) { \
		vt_dump((vt), stderr); \
		ck_abort_msg("screen did not show %s within %d ms", (what), (int)(ms)); \
	} \
} while (0)

#define VT_ASSERT_ROW(vt, row, expected) do { \
	char vt_row_[4096]; \
	const char *vt_want_ = (expected); \
	const char *vt_got_ = vt_row((vt), (row), vt_row_, sizeof(vt_row_)); \
	if (!vt_got_ || strcmp(vt_got_, vt_want_) != 0) { \
		vt_dump((vt), stderr); \
		ck_abort_msg("row %d is \"%s\", expected \"%s\"", (int)(row), \
			vt_got_ ? vt_got_ : "(no such row)", vt_want_); \
	} \
} while (0)

#endif
