/* lineedit.c - one-line UTF-8 input. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "ccterm/keymap.h"
#include "ccterm/utf8.h"
#include "draw.h"
#include "lineedit.h"

void lineedit_set(struct lineedit *e, const char *text)
{
	snprintf(e->text, sizeof(e->text), "%s", text ? text : "");
	/* never leave a cut character at the end */
	while (!utf8_valid(e->text, strlen(e->text)))
		e->text[strlen(e->text) - 1] = '\0';
	e->cur = strlen(e->text);
}

bool lineedit_key(struct lineedit *e, int key)
{
	size_t len = strlen(e->text);

	switch (key) {
	case 127: case 8:
		if (e->cur > 0) {
			size_t p = utf8_prev(e->text, e->cur);

			memmove(e->text + p, e->text + e->cur, len - e->cur + 1);
			e->cur = p;
		}
		return true;
	case KEYC_DELETE:
		if (e->cur < len) {
			size_t n = utf8_next(e->text, e->cur);

			memmove(e->text + e->cur, e->text + n, len - n + 1);
		}
		return true;
	case KEYC_LEFT: if (e->cur) e->cur = utf8_prev(e->text, e->cur); return true;
	case KEYC_RIGHT: if (e->cur < len) e->cur = utf8_next(e->text, e->cur); return true;
	case KEYC_HOME: case 1: e->cur = 0; return true;
	case KEYC_END: case 5: e->cur = len; return true;
	case 21: e->text[0] = '\0'; e->cur = 0; return true;
	default:
		break;
	}
	if (key >= ' ' && key < KEYC_SPECIAL && key != 127) {
		char enc[4];
		int n = utf8_encode((uint32_t)key, enc);

		if (len + (size_t)n >= sizeof(e->text))
			return true;   /* full: the key is swallowed, not half-written */
		memmove(e->text + e->cur + n, e->text + e->cur, len - e->cur + 1);
		memcpy(e->text + e->cur, enc, (size_t)n);
		e->cur += (size_t)n;
		return true;
	}
	return false;
}

int lineedit_draw(const struct lineedit *e, WINDOW *w, int y, int x, int cols, bool focused)
{
	char before[LINEEDIT_MAX];
	const char *start = e->text;
	int cw;

	/* Scroll: drop leading characters until the cursor fits. */
	snprintf(before, sizeof(before), "%.*s", (int)e->cur, e->text);
	cw = utf8_width(before);
	while (cw >= cols && *start) {
		size_t n = utf8_next(start, 0);
		uint32_t cp;

		utf8_decode(start, n, &cp);
		cw -= utf8_cp_width(cp);
		start += n;
	}
	draw_text_pad(w, y, x, cols, start, focused ? STYLE_SELECTED : STYLE_NORMAL);
	snprintf(before, sizeof(before), "%.*s", (int)(e->text + e->cur - start), start);
	return x + utf8_width(before);
}
