/* ami_frame.c - splitting the AMI byte stream into frames. */
#include "config.h"

#include <string.h>

#include "pbx/ami_frame.h"

void ami_parser_init(struct ami_parser *p)
{
	p->len = 0;
	p->overlong = false;
	p->banner = false;
	p->banner_text[0] = '\0';
	kv_clear(&p->frame);
}

static void line_done(struct ami_parser *p, ami_frame_fn fn, void *arg)
{
	size_t len = p->len;

	if (len > 0 && p->line[len - 1] == '\r')
		len--;
	if (p->overlong) {
		p->frame.cut = true;
	} else if (len == 0) {
		if (p->frame.n > 0)
			fn(&p->frame, arg);
		kv_clear(&p->frame);
	} else if (!p->banner && p->frame.n == 0 && !memchr(p->line, ':', len)) {
		/* "Asterisk Call Manager/5.0.1": the first line, no colon. */
		size_t n = len < sizeof(p->banner_text) - 1 ? len : sizeof(p->banner_text) - 1;

		memcpy(p->banner_text, p->line, n);
		p->banner_text[n] = '\0';
		p->banner = true;
	} else {
		p->banner = true;
		kv_add_line(&p->frame, p->line, len, false);
	}
	p->len = 0;
	p->overlong = false;
}

void ami_feed(struct ami_parser *p, const char *buf, size_t n, ami_frame_fn fn, void *arg)
{
	for (size_t i = 0; i < n; i++) {
		const char *nl = memchr(buf + i, '\n', n - i);
		size_t chunk = nl ? (size_t)(nl - (buf + i)) : n - i;

		if (!p->overlong) {
			if (p->len + chunk > sizeof(p->line)) {
				p->overlong = true;
			} else {
				memcpy(p->line + p->len, buf + i, chunk);
				p->len += chunk;
			}
		}
		i += chunk;
		if (nl)
			line_done(p, fn, arg);
	}
}
