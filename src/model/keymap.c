/* keymap.c - key names, bindings per context and the bind-file reader. */
#include "config.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ccterm/keymap.h"
#include "ccterm/utf8.h"

/* Named keys; the first name of a key is the one keymap_key_name() gives. */
static const struct {
	const char *name;
	int key;
} key_names[] = {
	{ "Enter", 13 }, { "Esc", 27 }, { "Tab", 9 }, { "S-Tab", KEYC_BTAB },
	{ "Backspace", 127 }, { "Space", ' ' },
	{ "Up", KEYC_UP }, { "Down", KEYC_DOWN }, { "Left", KEYC_LEFT }, { "Right", KEYC_RIGHT },
	{ "Home", KEYC_HOME }, { "End", KEYC_END }, { "PgUp", KEYC_PGUP }, { "PgDn", KEYC_PGDN },
	{ "Insert", KEYC_INSERT }, { "Delete", KEYC_DELETE }, { "Resize", KEYC_RESIZE },
	/* aliases */
	{ "BTab", KEYC_BTAB }, { "Return", 13 }, { "Escape", 27 }, { "PageUp", KEYC_PGUP },
	{ "PageDown", KEYC_PGDN }, { "Del", KEYC_DELETE }, { "Ins", KEYC_INSERT },
};
#define NKEYNAMES (sizeof(key_names) / sizeof(key_names[0]))

static const char *const ctx_names[KEYCTX_COUNT] = {
#define KEYCTX_NAME(id, name) [KEYCTX_##id] = name,
	KEYCTX_LIST(KEYCTX_NAME)
#undef KEYCTX_NAME
};

const char *keyctx_name(enum keyctx ctx)
{
	return (unsigned)ctx < KEYCTX_COUNT ? ctx_names[ctx] : "?";
}

int keyctx_by_name(const char *name)
{
	for (int i = 0; name && i < KEYCTX_COUNT; i++)
		if (strcmp(ctx_names[i], name) == 0)
			return i;
	return -1;
}

/* Key a user may bind as a plain character: no controls, no surrogates. */
static bool key_is_char(long cp)
{
	return cp >= 0x20 && cp != 0x7F && !(cp >= 0x80 && cp < 0xA0) &&
	       !(cp >= 0xD800 && cp <= 0xDFFF) && cp < KEYC_SPECIAL;
}

/* "<name>" without the brackets, len bytes. */
static int key_parse_named(const char *name, size_t len)
{
	if (len == 3 && (name[0] == 'C' || name[0] == 'c') && name[1] == '-') {
		char c = name[2];

		if (c >= 'a' && c <= 'z')
			return c - 'a' + 1;
		if (c >= 'A' && c <= 'Z')
			return c - 'A' + 1;
		return -1;
	}
	if ((name[0] == 'F' || name[0] == 'f') && len >= 2 && len <= 3 && name[1] >= '1' && name[1] <= '9') {
		int n = name[1] - '0';

		if (len == 3) {
			if (name[2] < '0' || name[2] > '9')
				return -1;
			n = n * 10 + (name[2] - '0');
		}
		return n <= 24 ? KEYC_F(n) : -1;
	}
	for (size_t i = 0; i < NKEYNAMES; i++)
		if (strlen(key_names[i].name) == len && strncasecmp(key_names[i].name, name, len) == 0)
			return key_names[i].key;
	return -1;
}

int keymap_key_parse(const char *name)
{
	size_t len;
	uint32_t cp;

	if (!name || !*name)
		return -1;
	len = strlen(name);
	if (len > 2 && name[0] == '<' && name[len - 1] == '>')
		return key_parse_named(name + 1, len - 2);
	/* Exactly one well-formed character ("<" and ">" alone are keys too). */
	if (!utf8_valid(name, len) || utf8_decode(name, len, &cp) != (int)len || !key_is_char(cp))
		return -1;
	return (int)cp;
}

const char *keymap_key_name(int key, char *buf, size_t bufsz)
{
	if (bufsz == 0)
		return buf;
	for (size_t i = 0; i < NKEYNAMES; i++) {
		if (key_names[i].key == key) {
			snprintf(buf, bufsz, "<%s>", key_names[i].name);
			return buf;
		}
	}
	if (key >= KEYC_F(1) && key <= KEYC_F(24)) {
		snprintf(buf, bufsz, "<F%d>", key - KEYC_F0);
	} else if (key >= 1 && key <= 26) {
		snprintf(buf, bufsz, "<C-%c>", 'a' + key - 1);
	} else if (key_is_char(key) && bufsz > 4) {
		buf[utf8_encode((uint32_t)key, buf)] = '\0';
	} else if (key >= 0 && key < KEYC_SPECIAL) {
		snprintf(buf, bufsz, "<U+%04X>", (unsigned)key);
	} else {
		snprintf(buf, bufsz, "<?>");
	}
	return buf;
}

struct binding {
	int key;
	enum action action;
};

struct bindings {
	struct binding *v;
	size_t n, cap;
};

struct keymap {
	struct bindings ctx[KEYCTX_COUNT];
};

struct keymap *keymap_new(void)
{
	return calloc(1, sizeof(struct keymap));
}

void keymap_free(struct keymap *km)
{
	if (!km)
		return;
	for (int i = 0; i < KEYCTX_COUNT; i++)
		free(km->ctx[i].v);
	free(km);
}

static struct binding *bindings_find(const struct bindings *b, int key)
{
	for (size_t i = 0; i < b->n; i++)
		if (b->v[i].key == key)
			return &b->v[i];
	return NULL;
}

/* keymap_bind that says whether it worked: -1 on bad arguments or out of memory. */
static int keymap_set(struct keymap *km, enum keyctx ctx, int key, enum action a)
{
	struct bindings *b;
	struct binding *old;

	if (!km || (unsigned)ctx >= KEYCTX_COUNT || key < 0 || key >= KEYC_MAX ||
	    (unsigned)a >= ACTION_COUNT)
		return -1;
	b = &km->ctx[ctx];
	old = bindings_find(b, key);
	if (old) {
		old->action = a;
		return 0;
	}
	if (b->n == b->cap) {
		size_t cap = b->cap ? b->cap * 2 : 16;
		struct binding *v = realloc(b->v, cap * sizeof(*v));

		if (!v)
			return -1;
		b->v = v;
		b->cap = cap;
	}
	b->v[b->n++] = (struct binding){ key, a };
	return 0;
}

void keymap_bind(struct keymap *km, enum keyctx ctx, int key, enum action a)
{
	(void)keymap_set(km, ctx, key, a);
}

/* In generic the binding goes away; in a screen's context the key is bound
 * to "none", so that it no longer falls through to the generic binding. */
static int keymap_unbind(struct keymap *km, enum keyctx ctx, int key)
{
	struct bindings *b = &km->ctx[ctx];
	struct binding *old;

	if (ctx != KEYCTX_GENERIC)
		return keymap_set(km, ctx, key, ACTION_NONE);
	old = bindings_find(b, key);
	if (old) {
		size_t i = (size_t)(old - b->v);

		memmove(&b->v[i], &b->v[i + 1], (b->n - i - 1) * sizeof(*b->v));
		b->n--;
	}
	return 0;
}

enum action keymap_lookup(const struct keymap *km, enum keyctx ctx, int key)
{
	const struct binding *b;

	if (!km || (unsigned)ctx >= KEYCTX_COUNT)
		return ACTION_NONE;
	b = bindings_find(&km->ctx[ctx], key);
	if (!b && ctx != KEYCTX_GENERIC)
		b = bindings_find(&km->ctx[KEYCTX_GENERIC], key);
	return b ? b->action : ACTION_NONE;
}

size_t keymap_keys_for(const struct keymap *km, enum keyctx ctx, enum action a, int *keys, size_t max)
{
	const struct bindings *own, *gen;
	size_t n = 0;

	if (!km || (unsigned)ctx >= KEYCTX_COUNT || a == ACTION_NONE)
		return 0;
	own = &km->ctx[ctx];
	gen = &km->ctx[KEYCTX_GENERIC];
	for (size_t i = 0; i < own->n && n < max; i++)
		if (own->v[i].action == a)
			keys[n++] = own->v[i].key;
	if (ctx == KEYCTX_GENERIC)
		return n;
	/* A generic key counts only where the context does not rebind it. */
	for (size_t i = 0; i < gen->n && n < max; i++)
		if (gen->v[i].action == a && !bindings_find(own, gen->v[i].key))
			keys[n++] = gen->v[i].key;
	return n;
}

struct load_ctx {
	keymap_error_fn err;
	void *arg;
	const char *source;
	int line;
	int bad;
};

__attribute__((format(printf, 2, 3)))
static void load_error(struct load_ctx *lc, const char *fmt, ...)
{
	char msg[256];
	int n;
	va_list ap;

	lc->bad++;
	if (!lc->err)
		return;
	n = snprintf(msg, sizeof(msg), "%s:%d: ", lc->source, lc->line);
	if (n < 0 || (size_t)n >= sizeof(msg))
		n = 0;
	va_start(ap, fmt);
	vsnprintf(msg + n, sizeof(msg) - (size_t)n, fmt, ap);
	va_end(ap);
	lc->err(lc->arg, msg);
}

/* One line, already split into words; a word starting with '#' after the
 * last argument begins a comment. */
static void load_line(struct keymap *km, struct load_ctx *lc, char **w, int nw)
{
	bool bind = strcmp(w[0], "bind") == 0;
	int want = bind ? 4 : 3, ctx, key, ok;
	enum action a = ACTION_NONE;

	if (!bind && strcmp(w[0], "unbind") != 0) {
		load_error(lc, "unknown command '%.40s' (bind or unbind)", w[0]);
		return;
	}
	if (nw < want) {
		load_error(lc, bind ? "bind takes a context, a key and an action"
				    : "unbind takes a context and a key");
		return;
	}
	if (nw > want && w[want][0] != '#') {
		load_error(lc, "unexpected '%.40s' after the %s", w[want], bind ? "action" : "key");
		return;
	}
	ctx = keyctx_by_name(w[1]);
	if (ctx < 0) {
		load_error(lc, "unknown context '%.40s'", w[1]);
		return;
	}
	key = keymap_key_parse(w[2]);
	if (key < 0) {
		load_error(lc, "unknown key '%.40s'", w[2]);
		return;
	}
	if (bind) {
		a = action_by_name(w[3], &ok);
		if (!ok) {
			load_error(lc, "unknown action '%.40s'", w[3]);
			return;
		}
	}
	if ((bind ? keymap_set(km, ctx, key, a) : keymap_unbind(km, ctx, key)) < 0)
		load_error(lc, "out of memory");
}

int keymap_load_text(struct keymap *km, const char *text, const char *source,
		     keymap_error_fn err, void *arg)
{
	struct load_ctx lc = { err, arg, source ? source : "(keys)", 0, 0 };
	char *copy, *line, *next;

	if (!km || !text)
		return 0;
	if (strncmp(text, "\xEF\xBB\xBF", 3) == 0)
		text += 3;      /* a UTF-8 BOM left by an editor */
	copy = strdup(text);
	if (!copy) {
		load_error(&lc, "out of memory");
		return lc.bad;
	}
	for (line = copy; line; line = next) {
		char *w[6], *save = NULL;
		int nw = 0;

		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		lc.line++;
		for (char *t = strtok_r(line, " \t\r\v\f", &save); t && nw < 6;
		     t = strtok_r(NULL, " \t\r\v\f", &save))
			w[nw++] = t;
		if (nw == 0 || w[0][0] == '#')
			continue;
		load_line(km, &lc, w, nw);
	}
	free(copy);
	return lc.bad;
}
