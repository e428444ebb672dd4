/* i18n.c - binding the text domain (i18n.h). */
#include "config.h"

#include <locale.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ccterm/i18n.h"

#ifndef LOCALEDIR
#define LOCALEDIR "/usr/local/share/locale"
#endif
#ifndef BUILD_LOCALEDIR
#define BUILD_LOCALEDIR "po/locale"
#endif

static const char *bound = LOCALEDIR;

/* A directory holding any catalog of ours: LINGUAS are few, ko is the one. */
static int has_catalogs(const char *dir)
{
	char path[4096];

	snprintf(path, sizeof(path), "%s/ko/LC_MESSAGES/" PACKAGE ".mo", dir);
	return access(path, R_OK) == 0;
}

void i18n_init(void)
{
	const char *env = getenv("CCTERM_LOCALEDIR");

	setlocale(LC_ALL, "");
	if (env && *env)
		bound = env;
	else if (has_catalogs(LOCALEDIR))
		bound = LOCALEDIR;
	else if (has_catalogs(BUILD_LOCALEDIR))
		bound = BUILD_LOCALEDIR;
	bindtextdomain(PACKAGE, bound);
	bind_textdomain_codeset(PACKAGE, "UTF-8");
	textdomain(PACKAGE);
}

/* gettext searches for a message at each call (a lock, a tree): about a
 * microsecond, and a frame asks for the same few dozen words and formats
 * again and again. The language is set once (i18n_init), so an answer
 * holds; it is kept by the message's text (a code word comes from a buffer
 * that changes), and a message with no translation is its own answer. */
#define KEPT 128
#define KEPT_LEN 80

static struct kept {
	char msgid[KEPT_LEN];
	const char *translated;   /* NULL: the msgid itself */
} kept[KEPT];

const char *i18n_text(const char *msgid)
{
	size_t n = strnlen(msgid, KEPT_LEN);
	uint32_t h = 2166136261u;   /* FNV-1a */
	struct kept *k;
	const char *t;

	if (n == 0 || n == KEPT_LEN)
		return gettext(msgid);
	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)msgid[i]) * 16777619u;
	k = &kept[h % KEPT];
	if (memcmp(k->msgid, msgid, n + 1) == 0)
		return k->translated ? k->translated : msgid;
	t = gettext(msgid);
	memcpy(k->msgid, msgid, n + 1);
	k->translated = t == msgid ? NULL : t;
	return t;
}

const char *i18n_word(const char *code)
{
	return code && *code ? i18n_text(code) : "";
}

const char *i18n_localedir(void)
{
	return bound;
}
