/* editline.h - libedit, opened with dlopen() at the first ':' (cmdline.c).
 *
 * A console whose agent never types ':' never maps libedit (and libbsd and
 * libmd, which it pulls in): about 0.25 MB of resident memory per console
 * (bench/CONSOLE.md). The build still requires libedit (configure checks it,
 * and takes its soname, EDIT_SONAME, from the library the -dev package
 * links); the binary declares it in an ELF .note.dlopen (systemd's "dlopen
 * metadata", read by packaging: Debian's dh_dlopenlibdeps), so packages
 * still depend on it. Only cmdline.c and cmdline_keys.c call libedit, and
 * only through `ed` once editline_open() succeeded. */
#ifndef CCTERM_CLI_EDITLINE_H
#define CCTERM_CLI_EDITLINE_H

#include <stddef.h>
#include <stdio.h>
#include <histedit.h>

/* The libedit functions the command line uses, with libedit's own types. */
struct editline_fns {
	EditLine *(*el_init)(const char *prog, FILE *in, FILE *out, FILE *err);
	void (*el_end)(EditLine *el);
	int (*el_wset)(EditLine *el, int op, ...);
	int (*el_wget)(EditLine *el, int op, ...);
	const wchar_t *(*el_wgets)(EditLine *el, int *count);
	const LineInfoW *(*el_wline)(EditLine *el);
	int (*el_winsertstr)(EditLine *el, const wchar_t *s);
	void (*el_deletestr)(EditLine *el, int count);   /* also the wide one (<histedit.h>) */
	void (*el_beep)(EditLine *el);
	HistoryW *(*history_winit)(void);
	void (*history_wend)(HistoryW *h);
	int (*history_w)(HistoryW *h, HistEventW *ev, int op, ...);
};

/* Filled by editline_open(); meaningful only after it returned 0. */
extern struct editline_fns ed;

/* Opens libedit (once; later calls return at once): 0, or -1 with why in
 * err (English, e.g. "libedit.so.2: cannot open shared object file ..."),
 * and the next call tries again. */
int editline_open(char *err, size_t errsz);

#endif
