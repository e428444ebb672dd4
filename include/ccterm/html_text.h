/* html_text.h - the text of an HTML e-mail body, for when a message has no
 * text/plain part. Pure C, no parser library: tags dropped, script and style
 * dropped with their content, block ends as line breaks, entities decoded. */
#ifndef CCTERM_HTML_TEXT_H
#define CCTERM_HTML_TEXT_H

#include <stddef.h>

/* Returns a malloc'd NUL-terminated text (NULL only when out of memory).
 * Valid UTF-8 in gives valid UTF-8 out; a NUL byte in the input ends it. */
char *html_to_text(const char *html, size_t len);

#endif
