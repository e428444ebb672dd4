/* embedded.c - finding a text file compiled into the binary. */
#include "config.h"

#include <string.h>

#include "ccterm/embedded.h"

const char *embedded_find(const struct embedded_file *files, size_t n, const char *name)
{
	if (!files || !name)
		return NULL;
	for (size_t i = 0; i < n; i++)
		if (files[i].name && strcmp(files[i].name, name) == 0)
			return files[i].text;
	return NULL;
}
