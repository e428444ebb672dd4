/* cmdline.h - the ':' command line: libedit (native el_* API, wide/UTF-8 mode)
 * editing one row of the curses screen, with history, Tab completion, and a
 * hook so the console keeps serving its database socket while the agent types.
 *
 * All libedit and terminal-mode quirks live in cmdline.c; nothing else in
 * ccterm includes <histedit.h>.
 *
 * Keys while reading (emacs bindings):
 *	Left/Right, ^B/^F, Home/End, ^A/^E	move by character
 *	Backspace, Delete, ^D, ^W, ^K, ^U	delete (^D never ends the line)
 *	Up/Down, ^P/^N				history; ^R / ^S search it for lines
 *						starting with what is typed
 *	Tab					complete the word before the cursor
 *	Enter					accept
 *	Esc (alone), ^C, ^G			cancel
 *	^L					repaint the line
 * Esc cancels only when no other byte follows it within curses' escape
 * delay (get_escdelay()), so arrow keys, which send Esc-sequences, still work.
 *
 * The line never wraps: input that would not fit in the row is refused with
 * a beep.
 */
#ifndef CCTERM_CLI_CMDLINE_H
#define CCTERM_CLI_CMDLINE_H

#include <stddef.h>

struct cmdline;

/* Most completion candidates asked for at once. */
#define CMDLINE_MAX_CANDIDATES 64

/* How often, at most, the idle hook waits for a readable fd (milliseconds):
 * it is also called after this long without a key or database traffic. */
#define CMDLINE_IDLE_MS 1000

/*
 * A command line. history_path may be NULL (no persistence); otherwise the
 * history (at most 500 lines, no consecutive duplicates) is loaded from it
 * at the first read and saved to it (mode 0600) after every accepted line;
 * missing parent directories are created with mode 0700. libedit itself is
 * set up at the first read too (a console that never reads a line does not
 * pay for it); the terminal modes are left as they were. NULL when out of
 * memory.
 */
struct cmdline *cmdline_new(const char *history_path);

/* Frees everything; the terminal modes are left as they are. NULL is fine. */
void cmdline_free(struct cmdline *c);

/*
 * Reads one line on screen row `row` (0-based) of a curses screen `cols`
 * columns wide, starting with `prompt` (UTF-8; control characters are shown
 * as '?'). curses must be initialised; its terminal modes are restored
 * before returning, and curscr is marked for a full repaint: redraw the
 * screen after this returns. Rows other than `row` are not written to
 * (except by the idle hook).
 *
 * Returns the line, trimmed of surrounding white space, as a malloc'd UTF-8
 * string (caller frees) and adds it to the history; NULL when the line was
 * cancelled or empty, when the idle hook asked to stop, or when the terminal
 * went away. libedit is opened at the first read (dlopen: editline.h); when
 * it cannot be loaded or set up, curses reads the line instead, without
 * editing, completion or history (cmdline_plain.c: the row says so),
 * cmdline_error() says why, and the next read tries libedit again.
 */
char *cmdline_read(struct cmdline *c, const char *prompt, int row, int cols);
/* Why the last cmdline_read had no line editor (English), NULL when it had. */
const char *cmdline_error(const struct cmdline *c);

/*
 * While cmdline_read waits for a key it also polls fd (the database socket;
 * -1 for none) and calls idle(arg) when fd is readable, or after
 * CMDLINE_IDLE_MS without anything happening; it must consume what made fd
 * readable (PQconsumeInput), or it is called again at once. idle(arg) returns:
 *	 0	nothing was drawn: editing goes on untouched;
 *	>0	it drew with curses and refreshed: the line is repainted (idle
 *		should leave row `row` alone);
 *	<0	stop reading: cmdline_read returns NULL.
 * Call it again before each cmdline_read when the socket can change
 * (reconnects). idle NULL turns the hook off.
 */
void cmdline_set_idle(struct cmdline *c, int (*idle)(void *arg), void *arg, int fd);

/*
 * Tab completion. complete(arg, line_before_cursor, out, max) stores at most
 * max malloc'd UTF-8 candidates in out, each a full replacement for the
 * word before the cursor (the text after the last blank of
 * line_before_cursor), and returns how many; cmdline frees them. One
 * candidate replaces the word and adds a blank; several replace it with
 * their longest common prefix and are listed at the right end of the row,
 * as many as fit. complete NULL turns completion off.
 */
void cmdline_set_completion(struct cmdline *c,
			    size_t (*complete)(void *arg, const char *line_before_cursor,
					       char **out, size_t max),
			    void *arg);

#endif
