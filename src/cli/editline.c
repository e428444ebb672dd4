/* editline.c - libedit, opened at the first ':' (editline.h). */
#include "config.h"

#include <dlfcn.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "cli/editline.h"

/* The ELF dlopen metadata (https://systemd.io/ELF_DLOPEN_METADATA/): a note
 * of type 0x407c0c0a from "FDO" whose text is a JSON array of what the
 * program may dlopen(). Packaging tools read it where the dynamic section
 * no longer names libedit (`readelf -n ccterm` shows it). */
#define EDITLINE_NOTE_JSON \
	"[{\"feature\":\"command-line\",\"description\":\"the ':' command line: editing and history\"," \
	"\"priority\":\"recommended\",\"soname\":[\"" EDIT_SONAME "\"]}]"

__attribute__((used, section(".note.dlopen"))) _Alignas(sizeof(uint32_t)) static const struct {
	struct {
		uint32_t n_namesz, n_descsz, n_type;
	} nhdr;
	char name[sizeof("FDO")];
	_Alignas(sizeof(uint32_t)) char json[sizeof(EDITLINE_NOTE_JSON)];
} editline_note = {
	.nhdr = { .n_namesz = sizeof("FDO"), .n_descsz = sizeof(EDITLINE_NOTE_JSON), .n_type = UINT32_C(0x407c0c0a) },
	.name = "FDO",
	.json = EDITLINE_NOTE_JSON,
};

struct editline_fns ed;

static void *handle;

/* One symbol; false (and err says which) when libedit lacks it. */
static bool take(void **slot, const char *name, char *err, size_t errsz)
{
	*slot = dlsym(handle, name);
	if (!*slot)
		snprintf(err, errsz, "%s: no %s", EDIT_SONAME, name);
	return *slot != NULL;
}

int editline_open(char *err, size_t errsz)
{
	struct editline_fns f;
	const char *why;

	if (handle)
		return 0;
	/* RTLD_LOCAL: its symbols serve these pointers only; RTLD_NOW: a
	 * libedit missing one of them fails here, not in the middle of a read. */
	dlerror();   /* no older error to report as this one's */
	handle = dlopen(EDIT_SONAME, RTLD_NOW | RTLD_LOCAL);
	if (!handle) {
		why = dlerror();
		snprintf(err, errsz, "%s", why ? why : EDIT_SONAME ": cannot be loaded");
		return -1;
	}
	if (!take((void **)&f.el_init, "el_init", err, errsz) || !take((void **)&f.el_end, "el_end", err, errsz) ||
	    !take((void **)&f.el_wset, "el_wset", err, errsz) || !take((void **)&f.el_wget, "el_wget", err, errsz) ||
	    !take((void **)&f.el_wgets, "el_wgets", err, errsz) || !take((void **)&f.el_wline, "el_wline", err, errsz) ||
	    !take((void **)&f.el_winsertstr, "el_winsertstr", err, errsz) ||
	    /* <histedit.h>: #define el_wdeletestr el_deletestr */
	    !take((void **)&f.el_deletestr, "el_deletestr", err, errsz) ||
	    !take((void **)&f.el_beep, "el_beep", err, errsz) ||
	    !take((void **)&f.history_winit, "history_winit", err, errsz) ||
	    !take((void **)&f.history_wend, "history_wend", err, errsz) ||
	    !take((void **)&f.history_w, "history_w", err, errsz)) {
		dlclose(handle);
		handle = NULL;
		return -1;
	}
	ed = f;
	return 0;
}
