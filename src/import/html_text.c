/* html_text.c - HTML to plain text for e-mail bodies that have no text/plain
 * part: what a reader sees, not a faithful rendering. Tags are dropped,
 * <script>, <style>, <head> and comments with their content, block-level
 * ends become line breaks, runs of blanks one space, entities decoded. */
#include "config.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ccterm/html_text.h"
#include "ccterm/utf8.h"

struct out {
	char *s;
	size_t len, cap;
	bool space;        /* a blank is pending */
	int newlines;      /* line breaks at the end of s (0..2) */
};

static bool grow(struct out *o, size_t n)
{
	if (o->len + n + 1 > o->cap) {
		size_t cap = o->cap ? o->cap : 256;
		char *ns;

		while (cap < o->len + n + 1)
			cap *= 2;
		ns = realloc(o->s, cap);
		if (!ns)
			return false;
		o->s = ns;
		o->cap = cap;
	}
	return true;
}

static bool put(struct out *o, const char *s, size_t n)
{
	if (o->space && o->len > 0 && o->newlines == 0) {
		if (!grow(o, 1))
			return false;
		o->s[o->len++] = ' ';
	}
	o->space = false;
	if (!grow(o, n))
		return false;
	memcpy(o->s + o->len, s, n);
	o->len += n;
	o->newlines = 0;
	return true;
}

static bool line_break(struct out *o, int want)
{
	o->space = false;
	while (o->len > 0 && o->newlines < want) {
		if (!grow(o, 1))
			return false;
		o->s[o->len++] = '\n';
		o->newlines++;
	}
	return true;
}

static const struct { const char *name; uint32_t cp; } entities[] = {
	{ "amp", '&' }, { "lt", '<' }, { "gt", '>' }, { "quot", '"' }, { "apos", '\'' }, { "nbsp", ' ' },
	{ "copy", 0xA9 }, { "reg", 0xAE }, { "middot", 0xB7 }, { "hellip", 0x2026 }, { "ndash", 0x2013 },
	{ "mdash", 0x2014 }, { "lsquo", 0x2018 }, { "rsquo", 0x2019 }, { "ldquo", 0x201C }, { "rdquo", 0x201D },
	{ "bull", 0x2022 }, { "won", 0x20A9 }, { "euro", 0x20AC }, { "yen", 0xA5 }, { "times", 0xD7 },
	{ NULL, 0 },
};

/* An entity at s ("&amp;", "&#54620;", "&#xD55C;"): its length, and *cp; 0 when none. */
static size_t entity(const char *s, size_t len, uint32_t *cp)
{
	size_t i = 1;
	uint32_t v = 0;

	if (len < 3)
		return 0;
	if (s[1] == '#') {
		bool hex = len > 2 && (s[2] == 'x' || s[2] == 'X');
		int digits = 0;

		for (i = hex ? 3 : 2; i < len && digits < 8; i++, digits++) {
			char c = s[i];
			int d = c >= '0' && c <= '9' ? c - '0'
				: hex && c >= 'a' && c <= 'f' ? c - 'a' + 10
				: hex && c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;

			if (d < 0)
				break;
			v = v * (hex ? 16 : 10) + (uint32_t)d;
		}
		if (digits == 0 || i >= len || s[i] != ';')
			return 0;
		/* no controls, surrogates or beyond Unicode from an entity */
		if (v == 0 || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF) || (v < 0x20 && v != '\n' && v != '\t'))
			v = 0xFFFD;
		*cp = v;
		return i + 1;
	}
	for (int k = 0; entities[k].name; k++) {
		size_t n = strlen(entities[k].name);

		if (len > n + 1 && strncmp(s + 1, entities[k].name, n) == 0 && s[n + 1] == ';') {
			*cp = entities[k].cp;
			return n + 2;
		}
	}
	return 0;
}

/* The tag's name at s (after '<' and an optional '/'), lower case, into name. */
static void tag_name(const char *s, size_t len, char *name, size_t namesz)
{
	size_t i = 0, k = 0;

	if (i < len && s[i] == '/')
		i++;
	while (i < len && k + 1 < namesz && ((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') ||
					     (s[i] >= '0' && s[i] <= '9'))) {
		name[k++] = (char)(s[i] | 0x20);
		i++;
	}
	name[k] = '\0';
}

static bool is_block(const char *t)
{
	static const char *const blocks[] = { "p", "div", "tr", "li", "ul", "ol", "table", "h1", "h2", "h3", "h4",
					      "h5", "h6", "blockquote", "pre", "hr", "section", "article",
					      "header", "footer", "dd", "dt", "address", NULL };

	for (int i = 0; blocks[i]; i++)
		if (strcmp(t, blocks[i]) == 0)
			return true;
	return false;
}

/* Where the element that hides its content (script, style, head) ends: after "</name>". */
static size_t skip_to_close(const char *s, size_t len, size_t from, const char *name)
{
	size_t n = strlen(name);

	for (size_t i = from; i + 2 + n <= len; i++)
		if (s[i] == '<' && s[i + 1] == '/' && strncasecmp(s + i + 2, name, n) == 0) {
			const char *gt = memchr(s + i, '>', len - i);

			return gt ? (size_t)(gt - s) + 1 : len;
		}
	return len;
}

char *html_to_text(const char *html, size_t len)
{
	struct out o = { 0 };
	const char *nul = memchr(html, '\0', len);
	size_t i = 0;

	if (nul)
		len = (size_t)(nul - html);
	if (!grow(&o, 0))
		return NULL;
	while (i < len) {
		char c = html[i];

		if (c == '<') {
			char name[16];
			const char *gt;
			bool closing = i + 1 < len && html[i + 1] == '/';

			if (len - i >= 4 && strncmp(html + i, "<!--", 4) == 0) {
				const char *end = NULL;

				for (size_t k = i + 4; k + 3 <= len; k++)
					if (strncmp(html + k, "-->", 3) == 0) {
						end = html + k + 3;
						break;
					}
				i = end ? (size_t)(end - html) : len;
				continue;
			}
			gt = memchr(html + i, '>', len - i);
			if (!gt) {       /* a '<' that opens no tag is text */
				if (!put(&o, "<", 1))
					goto oom;
				i++;
				continue;
			}
			tag_name(html + i + 1, (size_t)(gt - html) - i - 1, name, sizeof(name));
			i = (size_t)(gt - html) + 1;
			if (!closing && gt[-1] != '/' &&
			    (strcmp(name, "script") == 0 || strcmp(name, "style") == 0 || strcmp(name, "head") == 0 ||
			     strcmp(name, "title") == 0)) {
				/* their content is no text */
				i = skip_to_close(html, len, i, name);
				continue;
			}
			if (strcmp(name, "br") == 0) {
				if (!line_break(&o, o.newlines + 1 > 2 ? 2 : o.newlines + 1))
					goto oom;
			} else if (is_block(name)) {
				if (!line_break(&o, strcmp(name, "p") == 0 ? 2 : 1))
					goto oom;
			} else if (strcmp(name, "td") == 0 || strcmp(name, "th") == 0) {
				o.space = true;
			}
			continue;
		}
		if (c == '&') {
			uint32_t cp;
			size_t n = entity(html + i, len - i, &cp);

			if (n) {
				char b[4];

				if (cp == ' ')
					o.space = true;
				else if (!put(&o, b, (size_t)utf8_encode(cp, b)))
					goto oom;
				i += n;
				continue;
			}
		}
		if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f') {
			o.space = true;
			i++;
			continue;
		}
		if (!put(&o, html + i, 1))
			goto oom;
		i++;
	}
	while (o.len > 0 && o.s[o.len - 1] == '\n')
		o.len--;
	o.s[o.len] = '\0';
	return o.s;
oom:
	free(o.s);
	return NULL;
}
