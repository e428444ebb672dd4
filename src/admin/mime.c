/* mime.c - a reply as a MIME message, built with GMime. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <gmime/gmime.h>

#include "mail_out.h"

static void gmime_once(void)
{
	static bool done;

	if (!done) {
		g_mime_init();
		done = true;
	}
}

/* "<id@host>" -> "id@host" (GMime adds the brackets). */
static char *bare_id(const char *id)
{
	size_t n = strlen(id);

	if (n >= 2 && id[0] == '<' && id[n - 1] == '>')
		return g_strndup(id + 1, n - 2);
	return g_strdup(id);
}

char *mime_build(const struct mail_msg *m, size_t *len, char *err, size_t errsz)
{
	GMimeMessage *msg;
	GMimeTextPart *part;
	InternetAddressList *from;
	GDateTime *now;
	GMimeStream *mem;
	GByteArray *bytes;
	char *id, *subject, *out = NULL;

	gmime_once();
	if (!g_utf8_validate(m->subject, -1, NULL) || !g_utf8_validate(m->body, -1, NULL)) {
		snprintf(err, errsz, "message %lld: subject or body is not UTF-8", m->id);
		return NULL;
	}
	from = internet_address_list_parse(NULL, m->from);
	if (!from || internet_address_list_length(from) != 1) {
		snprintf(err, errsz, "setting mail_from is not one address: %s", m->from);
		if (from)
			g_object_unref(from);
		return NULL;
	}
	msg = g_mime_message_new(TRUE);
	internet_address_list_append(g_mime_message_get_from(msg), from);
	g_object_unref(from);
	internet_address_list_add(g_mime_message_get_to(msg), internet_address_mailbox_new(NULL, m->to));
	/* one line, whatever the row says: a line break would start another header */
	subject = g_strdup(m->subject);
	for (char *c = subject; *c; c++)
		if ((unsigned char)*c < 0x20 || *c == 0x7f)
			*c = ' ';
	g_mime_message_set_subject(msg, subject, "utf-8");
	g_free(subject);
	now = g_date_time_new_now_local();
	g_mime_message_set_date(msg, now);
	g_date_time_unref(now);
	id = bare_id(m->message_id);
	g_mime_message_set_message_id(msg, id);
	g_free(id);
	if (m->in_reply_to && *m->in_reply_to) {
		g_mime_object_set_header(GMIME_OBJECT(msg), "In-Reply-To", m->in_reply_to, NULL);
		g_mime_object_set_header(GMIME_OBJECT(msg), "References", m->in_reply_to, NULL);
	}
	g_mime_object_set_header(GMIME_OBJECT(msg), "Auto-Submitted", "no", NULL);

	part = g_mime_text_part_new_with_subtype("plain");
	g_mime_text_part_set_text(part, m->body);
	g_mime_text_part_set_charset(part, "utf-8");
	/* quoted-printable or base64, whichever is shorter: 7-bit safe for any relay */
	g_mime_object_encode(GMIME_OBJECT(part), GMIME_ENCODING_CONSTRAINT_7BIT);
	g_mime_message_set_mime_part(msg, GMIME_OBJECT(part));
	g_object_unref(part);

	mem = g_mime_stream_mem_new();
	if (g_mime_object_write_to_stream(GMIME_OBJECT(msg), NULL, mem) < 0) {
		snprintf(err, errsz, "message %lld: MIME could not be written", m->id);
	} else {
		bytes = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(mem));
		out = malloc(bytes->len + 1);
		if (out) {
			memcpy(out, bytes->data, bytes->len);
			out[bytes->len] = '\0';
			*len = bytes->len;
		} else {
			snprintf(err, errsz, "out of memory");
		}
	}
	g_object_unref(mem);
	g_object_unref(msg);
	return out;
}
