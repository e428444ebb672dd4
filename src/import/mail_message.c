/* mail_message.c - one e-mail read with GMime into the record's terms.
 *
 * Headers are decoded by GMime (RFC 2047; raw 8-bit headers tried as UTF-8,
 * then CP949 - the superset of EUC-KR Korean mailers use - then Latin-1).
 * The body is the first text/plain part that is not an attachment, else the
 * first text/html one as text; its transfer encoding (quoted-printable,
 * base64) undone and its charset (the part's, e.g. EUC-KR, ISO-2022-KR,
 * ks_c_5601-1987; without one UTF-8 if it is, else CP949, else Latin-1)
 * converted to UTF-8. Nothing is cut: too long, a NUL byte, a truncated
 * message is a reject with the reason. */
#include "config.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <gmime/gmime.h>

#include "ccterm/html_text.h"
#include "ccterm/mail_message.h"
#include "ccterm/record.h"

#define REFERENCES_MAX 100

struct warnings {
	bool truncated, nesting;
};

static void on_warning(gint64 offset, GMimeParserWarning code, const gchar *item, gpointer data)
{
	struct warnings *w = data;

	if (code == GMIME_WARN_TRUNCATED_MESSAGE)
		w->truncated = true;
	else if (code == GMIME_CRIT_NESTING_OVERFLOW || code == GMIME_CRIT_PART_WITHOUT_HEADERS_OR_CONTENT)
		w->nesting = true;
}

static void gmime_once(void)
{
	static bool done;

	if (!done) {
		g_mime_init();
		done = true;
	}
}

void mail_message_free(struct mail_message *m)
{
	free(m->from);
	free(m->to);
	free(m->date);
	free(m->subject);
	free(m->body);
	free(m->message_id);
	free(m->in_reply_to);
	free(m->references);
	memset(m, 0, sizeof(*m));
}

/* malloc'd copies, so that the caller frees with free() whatever made them */
static char *dup_n(const char *s, size_t n)
{
	char *d = malloc(n + 1);

	if (d) {
		if (n > 0)
			memcpy(d, s, n);
		d[n] = '\0';
	}
	return d;
}

static char *dup_s(const char *s) { return dup_n(s, strlen(s)); }

/* A Message-ID as GMime gives it (bare), checked: "<id>" or NULL. */
static char *bracketed_id(const char *id)
{
	size_t n = id ? strlen(id) : 0;
	char *out;

	if (n == 0 || n > 250)
		return NULL;
	for (const char *p = id; *p; p++)
		if ((unsigned char)*p <= ' ' || *p == '<' || *p == '>' || (unsigned char)*p == 0x7f)
			return NULL;
	if (!(out = malloc(n + 3)))
		return NULL;
	snprintf(out, n + 3, "<%s>", id);
	return out;
}

static bool mailbox_addr(InternetAddress *a, char *out, size_t outsz)
{
	const char *addr;

	if (INTERNET_ADDRESS_IS_GROUP(a)) {
		InternetAddressList *members = internet_address_group_get_members(INTERNET_ADDRESS_GROUP(a));

		return members && internet_address_list_length(members) > 0 &&
		       mailbox_addr(internet_address_list_get_address(members, 0), out, outsz);
	}
	if (!INTERNET_ADDRESS_IS_MAILBOX(a))
		return false;
	addr = internet_address_mailbox_get_addr(INTERNET_ADDRESS_MAILBOX(a));
	return addr && record_email_normalize(addr, out, outsz);
}

static char *address_list(InternetAddressList *l)
{
	GString *s = g_string_new("");
	char addr[256], *out;

	for (int i = 0; l && i < internet_address_list_length(l) && i < 50; i++)
		if (mailbox_addr(internet_address_list_get_address(l, i), addr, sizeof(addr)))
			g_string_append_printf(s, "%s%s", s->len ? "," : "", addr);
	out = dup_s(s->str);
	g_string_free(s, TRUE);
	return out;
}

/* In-Reply-To's first id, or References' ids oldest first, the last REFERENCES_MAX. */
static char *reference_ids(GMimeParserOptions *opts, const char *header, bool first_only)
{
	GMimeReferences *refs;
	GString *s;
	char *out = NULL;
	int n, from;

	if (!header || !(refs = g_mime_references_parse(opts, header)))
		return NULL;
	n = g_mime_references_length(refs);
	from = first_only ? 0 : (n > REFERENCES_MAX ? n - REFERENCES_MAX : 0);
	s = g_string_new("");
	for (int i = from; i < n && (!first_only || i < 1); i++) {
		char *id = bracketed_id(g_mime_references_get_message_id(refs, i));

		if (id)
			g_string_append_printf(s, "%s%s", s->len ? " " : "", id);
		free(id);
	}
	if (s->len)
		out = dup_s(s->str);
	g_string_free(s, TRUE);
	g_mime_references_free(refs);
	return out;
}

static GMimeObject *find_text(GMimeObject *o, const char *subtype, int depth)
{
	if (!o || depth > 20)
		return NULL;
	if (GMIME_IS_MULTIPART(o)) {
		GMimeMultipart *mp = GMIME_MULTIPART(o);

		for (int i = 0; i < g_mime_multipart_get_count(mp); i++) {
			GMimeObject *r = find_text(g_mime_multipart_get_part(mp, i), subtype, depth + 1);

			if (r)
				return r;
		}
		return NULL;
	}
	if (GMIME_IS_PART(o) && !g_mime_part_is_attachment(GMIME_PART(o))) {
		GMimeContentType *ct = g_mime_object_get_content_type(o);

		if (ct && g_mime_content_type_is_type(ct, "text", subtype))
			return o;
	}
	return NULL;   /* message/rfc822 (a forwarded message) and the rest: not this body */
}

static bool is_korean(const char *cs)
{
	return g_ascii_strcasecmp(cs, "EUC-KR") == 0 || g_ascii_strcasecmp(cs, "EUCKR") == 0 ||
	       g_ascii_strncasecmp(cs, "ks_c_5601", 9) == 0 || g_ascii_strcasecmp(cs, "KSC5601") == 0 ||
	       g_ascii_strcasecmp(cs, "CP949") == 0 || g_ascii_strcasecmp(cs, "UHC") == 0;
}

static char *convert(const char *b, size_t n, const char *from, size_t *outlen)
{
	gsize written = 0;
	gchar *g = g_convert(b, (gssize)n, "UTF-8", from, NULL, &written, NULL);
	char *out = NULL;

	if (g) {
		out = dup_n(g, written);
		*outlen = written;
		g_free(g);
	}
	return out;
}

/* The bytes in charset (or guessed) as UTF-8; *outlen its length. */
static char *to_utf8(const char *b, size_t n, const char *charset, size_t *outlen)
{
	char *out = NULL;

	if (n == 0) {
		*outlen = 0;
		return dup_n("", 0);
	}
	if (charset && *charset) {
		const char *ic = g_mime_charset_iconv_name(charset);

		/* Korean mailers label CP949 text EUC-KR: CP949 reads both */
		if (is_korean(charset) || (ic && is_korean(ic)))
			out = convert(b, n, "CP949", outlen);
		if (!out && ic)
			out = convert(b, n, ic, outlen);
	}
	if (!out && g_utf8_validate(b, (gssize)n, NULL)) {
		out = dup_n(b, n);
		*outlen = n;
	}
	if (!out)
		out = convert(b, n, "CP949", outlen);
	if (!out)
		out = convert(b, n, "ISO-8859-1", outlen);
	return out;
}

/* CRLF and CR as LF, blanks at the end dropped. */
static void tidy_lines(char *s, size_t *len)
{
	size_t j = 0;

	for (size_t i = 0; i < *len; i++) {
		if (s[i] == '\r') {
			s[j++] = '\n';
			if (i + 1 < *len && s[i + 1] == '\n')
				i++;
		} else {
			s[j++] = s[i];
		}
	}
	while (j > 0 && (s[j - 1] == '\n' || s[j - 1] == ' ' || s[j - 1] == '\t'))
		j--;
	s[j] = '\0';
	*len = j;
}

#define REJECT(...) do { snprintf(why, whysz, __VA_ARGS__); goto out; } while (0)

static int body_text(GMimeMessage *msg, struct mail_message *m, char *why, size_t whysz)
{
	GMimeObject *part = find_text(g_mime_message_get_mime_part(msg), "plain", 0);
	bool html = false;
	GMimeDataWrapper *w;
	GMimeStream *mem;
	GByteArray *bytes;
	char *text = NULL;
	size_t len = 0;
	int rc = -1;

	if (!part) {
		part = find_text(g_mime_message_get_mime_part(msg), "html", 0);
		html = part != NULL;
	}
	if (!part)
		return 0;           /* no text at all (attachments only): no body */
	if (!(w = g_mime_part_get_content(GMIME_PART(part))))
		return 0;
	mem = g_mime_stream_mem_new();
	g_mime_data_wrapper_write_to_stream(w, mem);      /* undoes base64 / quoted-printable */
	bytes = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(mem));
	if (bytes->len > 4 * (size_t)MAIL_BODY_MAX)
		REJECT("the body is larger than %d KiB", MAIL_BODY_MAX / 1024);
	text = to_utf8((const char *)bytes->data, bytes->len,
		       g_mime_object_get_content_type_parameter(part, "charset"), &len);
	if (!text)
		REJECT("out of memory");
	if (memchr(text, '\0', len))
		REJECT("a NUL byte in the body");
	if (html) {
		char *plain = html_to_text(text, len);

		free(text);
		if (!(text = plain))
			REJECT("out of memory");
		len = strlen(text);
	}
	tidy_lines(text, &len);
	if (len > MAIL_BODY_MAX)
		REJECT("the body is %zu bytes, more than %d", len, MAIL_BODY_MAX);
	if (len > 0) {
		m->body = text;
		text = NULL;
	}
	rc = 0;
out:
	free(text);
	g_object_unref(mem);
	return rc;
}

int mail_message_parse(const char *data, size_t len, struct mail_message *m, char *why, size_t whysz)
{
	static const char *fallback[] = { "UTF-8", "CP949", "ISO-8859-1", NULL };
	struct warnings w = { 0 };
	GMimeParserOptions *opts;
	GMimeStream *st;
	GMimeParser *p;
	GMimeMessage *msg = NULL;
	GDateTime *dt;
	char addr[256];
	const char *subject;
	int rc = -1;

	memset(m, 0, sizeof(*m));
	gmime_once();
	opts = g_mime_parser_options_new();
	g_mime_parser_options_set_fallback_charsets(opts, fallback);
	g_mime_parser_options_set_warning_callback(opts, on_warning, &w);
	st = g_mime_stream_mem_new_with_buffer(data, len);
	p = g_mime_parser_new_with_stream(st);
	g_mime_parser_set_format(p, GMIME_FORMAT_MESSAGE);
	msg = g_mime_parser_construct_message(p, opts);
	if (!msg)
		REJECT("not an e-mail message");
	if (w.nesting)
		REJECT("malformed MIME (nested too deep or empty parts)");
	if (w.truncated)
		REJECT("the message is truncated");
	if (!internet_address_list_length(g_mime_message_get_from(msg)) ||
	    !mailbox_addr(internet_address_list_get_address(g_mime_message_get_from(msg), 0), addr, sizeof(addr)))
		REJECT("no From address");
	if (!(m->from = dup_s(addr)) || !(m->to = address_list(g_mime_message_get_to(msg))))
		REJECT("out of memory");
	if (!(dt = g_mime_message_get_date(msg)))
		REJECT("no Date (or one that is not a date)");
	{
		gchar *d = g_date_time_format(dt, "%Y-%m-%d %H:%M:%S%:z");

		m->date = d ? dup_s(d) : NULL;
		g_free(d);
		if (!m->date)
			REJECT("the Date is out of range");
	}
	subject = g_mime_message_get_subject(msg);
	if (subject && strlen(subject) > RECORD_TEXT_MAX)
		REJECT("the Subject is %zu bytes, more than %d", strlen(subject), RECORD_TEXT_MAX);
	if (subject && !g_utf8_validate(subject, -1, NULL)) {
		gchar *v = g_utf8_make_valid(subject, -1);

		m->subject = dup_s(v);
		g_free(v);
	} else {
		m->subject = dup_s(subject ? subject : "");
	}
	if (!m->subject)
		REJECT("out of memory");
	m->message_id = bracketed_id(g_mime_message_get_message_id(msg));
	if (!m->message_id) {
		/* none (or an unusable one): the same bytes give the same id, so
		 * importing the box again finds it already on the record */
		gchar *sum = g_compute_checksum_for_data(G_CHECKSUM_SHA256, (const guchar *)data, len);

		m->message_id = malloc(strlen(sum) + 32);
		if (m->message_id)
			snprintf(m->message_id, strlen(sum) + 32, "<%s@ccterm.invalid>", sum);
		g_free(sum);
		if (!m->message_id)
			REJECT("out of memory");
	}
	m->in_reply_to = reference_ids(opts, g_mime_object_get_header(GMIME_OBJECT(msg), "In-Reply-To"), true);
	m->references = reference_ids(opts, g_mime_object_get_header(GMIME_OBJECT(msg), "References"), false);
	if (body_text(msg, m, why, whysz) < 0)
		goto out;
	rc = 0;
out:
	if (rc < 0)
		mail_message_free(m);
	if (msg)
		g_object_unref(msg);
	g_object_unref(p);
	g_object_unref(st);
	g_mime_parser_options_free(opts);
	return rc;
}
