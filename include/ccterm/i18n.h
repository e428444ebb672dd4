/* i18n.h - UI messages through gettext: English in the source, catalogs in
 * po/ (po/ko.po), installed under $(localedir) (po/README.md). */
#ifndef CCTERM_I18N_H
#define CCTERM_I18N_H

#include <libintl.h>

/* A message translated now; N_ marks one translated where it is used. */
#define _(s) i18n_text(s)
#define N_(s) (s)

/* setlocale(LC_ALL, "") and the text domain "ccterm": CCTERM_LOCALEDIR when
 * set, else the installed catalogs, else the build tree's (po/locale). */
void i18n_init(void);

/* gettext(msgid), its answers kept (the language does not change once set). */
const char *i18n_text(const char *msgid) __attribute__((format_arg(1)));

/* A code word of the database (a kind, a channel, a state) as the agent
 * reads it; "" stays "" (gettext("") would be the catalog's header). */
const char *i18n_word(const char *code);

/* The directory the catalogs were bound to (for --version and the tests). */
const char *i18n_localedir(void);

#endif
