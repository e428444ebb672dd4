/* esl_frame.c - splitting the event socket's byte stream into frames. */
#include "config.h"

#include <string.h>

#include "pbx/esl_frame.h"

static void frame_reset(struct esl_parser *p)
{
	kv_clear(&p->frame.head);
	kv_clear(&p->frame.event);
	p->frame.body = "";
	p->frame.body_len = 0;
	p->frame.cut = false;
	p->want = p->skip = 0;
	p->in_body = false;
}

void esl_parser_init(struct esl_parser *p)
{
	p->len = 0;
	p->overlong = false;
	frame_reset(p);
}

static void deliver(struct esl_parser *p, esl_frame_fn fn, void *arg)
{
	p->frame.cut |= p->frame.head.cut;
	if (p->frame.body_len > 0) {
		const char *ct = kv_get(&p->frame.head, "Content-Type");
		const char *s = p->body, *end = p->body + p->frame.body_len;

		p->body[p->frame.body_len] = '\0';
		p->frame.body = p->body;
		if (ct && strcmp(ct, "text/event-plain") == 0) {
			/* Header lines up to the first blank one (a body of its own may follow). */
			while (s < end) {
				const char *nl = memchr(s, '\n', (size_t)(end - s));
				size_t len = nl ? (size_t)(nl - s) : (size_t)(end - s);

				if (len > 0 && s[len - 1] == '\r')
					len--;
				if (len == 0)
					break;
				kv_add_line(&p->frame.event, s, len, true);
				s = nl ? nl + 1 : end;
			}
			p->frame.cut |= p->frame.event.cut;
		}
	}
	if (p->frame.head.n > 0)
		fn(&p->frame, arg);
	frame_reset(p);
}

/* A blank line ended the headers: a body follows, or the frame is whole. */
static void headers_done(struct esl_parser *p, esl_frame_fn fn, void *arg)
{
	const char *cl = kv_get(&p->frame.head, "Content-Length");
	size_t n = 0;

	if (cl && *cl && strlen(cl) <= 9 && strspn(cl, "0123456789") == strlen(cl)) {
		for (const char *c = cl; *c; c++)
			n = n * 10 + (size_t)(*c - '0');
	}
	if (n == 0) {
		deliver(p, fn, arg);
		return;
	}
	p->in_body = true;
	if (n > ESL_BODY_MAX) {
		p->skip = n;
		p->frame.cut = true;
	} else {
		p->want = n;
	}
}

static void line_done(struct esl_parser *p, esl_frame_fn fn, void *arg)
{
	size_t len = p->len;

	if (len > 0 && p->line[len - 1] == '\r')
		len--;
	if (p->overlong)
		p->frame.head.cut = true;
	else if (len == 0) {
		if (p->frame.head.n > 0 || p->frame.head.cut)
			headers_done(p, fn, arg);
	} else
		kv_add_line(&p->frame.head, p->line, len, false);
	p->len = 0;
	p->overlong = false;
}

void esl_feed(struct esl_parser *p, const char *buf, size_t n, esl_frame_fn fn, void *arg)
{
	size_t i = 0;

	while (i < n) {
		if (p->in_body) {
			size_t left = p->skip ? p->skip : p->want, take = n - i < left ? n - i : left;

			if (p->skip) {
				p->skip -= take;
			} else {
				memcpy(p->body + p->frame.body_len, buf + i, take);
				p->frame.body_len += take;
				p->want -= take;
			}
			i += take;
			if (!p->skip && !p->want)
				deliver(p, fn, arg);
			continue;
		}
		{
			const char *nl = memchr(buf + i, '\n', n - i);
			size_t chunk = nl ? (size_t)(nl - (buf + i)) : n - i;

			if (!p->overlong) {
				if (p->len + chunk > sizeof(p->line))
					p->overlong = true;
				else {
					memcpy(p->line + p->len, buf + i, chunk);
					p->len += chunk;
				}
			}
			i += chunk + (nl ? 1 : 0);
			if (nl)
				line_done(p, fn, arg);
		}
	}
}
