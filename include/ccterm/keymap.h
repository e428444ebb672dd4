/* keymap.h - key names, contexts and the bind-file format (see keymaps/README). */
#ifndef CCTERM_KEYMAP_H
#define CCTERM_KEYMAP_H

#include <stddef.h>
#include "ccterm/action.h"

/*
 * A key is a Unicode code point (printable characters, and control keys
 * as their C0 code: <C-a> = 1, <Tab> = 9, <Enter> = 13, <Esc> = 27,
 * <Backspace> = 127) or one of the special keys below, which live above
 * the Unicode range so the two never collide. The UI maps curses keys to
 * these; nothing here knows curses.
 */
enum {
	KEYC_SPECIAL = 0x110000,
	KEYC_F0 = KEYC_SPECIAL,          /* KEYC_F0 + n is <Fn>, n = 1..24 */
	KEYC_UP = KEYC_SPECIAL + 32,
	KEYC_DOWN, KEYC_LEFT, KEYC_RIGHT,
	KEYC_HOME, KEYC_END, KEYC_PGUP, KEYC_PGDN,
	KEYC_INSERT, KEYC_DELETE, KEYC_BTAB,
	KEYC_RESIZE,
	KEYC_MAX
};
#define KEYC_F(n) (KEYC_F0 + (n))

#define KEYCTX_LIST(_) \
	_(GENERIC,   "generic") \
	_(POP,       "pop") \
	_(TIMELINE,  "timeline") \
	_(FORM,      "form") \
	_(SEARCH,    "search") \
	_(WALLBOARD, "wallboard") \
	_(PICKER,    "picker") \
	_(CASES,     "cases")

enum keyctx {
#define KEYCTX_ENUM(id, name) KEYCTX_##id,
	KEYCTX_LIST(KEYCTX_ENUM)
#undef KEYCTX_ENUM
	KEYCTX_COUNT
};

/* "<F10>" -> KEYC_F(10), "<C-s>" -> 19, "x" -> 'x', "한" -> 0xD55C; -1 when not a key. */
int keymap_key_parse(const char *name);
/* The name a user would write for key (inverse of key_parse): "<F10>", "<C-s>", "x". */
const char *keymap_key_name(int key, char *buf, size_t bufsz);

struct keymap;

struct keymap *keymap_new(void);
void keymap_free(struct keymap *km);

/* Binds key in ctx to action, replacing an earlier binding. */
void keymap_bind(struct keymap *km, enum keyctx ctx, int key, enum action a);

/*
 * Loads a bind file's text. Lines: "bind <context> <key> <action>",
 * "unbind <context> <key>", blank lines and '#' comments ("unbind" in a
 * screen's context also hides the generic binding there). A bad line is
 * reported through err(source:line: what) and skipped; loading goes on.
 * Returns the number of bad lines.
 */
typedef void (*keymap_error_fn)(void *arg, const char *message);
int keymap_load_text(struct keymap *km, const char *text, const char *source,
		     keymap_error_fn err, void *arg);

/* The action for key: the context's binding first, then generic; ACTION_NONE if none. */
enum action keymap_lookup(const struct keymap *km, enum keyctx ctx, int key);

/* Up to max keys bound to a in ctx (or generic), for the help screen and hints. */
size_t keymap_keys_for(const struct keymap *km, enum keyctx ctx, enum action a, int *keys, size_t max);

const char *keyctx_name(enum keyctx ctx);
int keyctx_by_name(const char *name);   /* -1 when unknown */

#endif
