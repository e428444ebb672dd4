/* events_json.c - the JSON-lines protocol, with json-c. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include <json-c/json.h>

#include "pbx/events_json.h"

/* Only blanks in these n bytes (no NUL needed after them)? */
int events_blank(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r')
			return 0;
	return 1;
}

/* A string member into dst; an integer call_id as its digits. -1 for a wrong type. */
static int member(struct json_object *o, const char *key, char *dst, int ints_too)
{
	struct json_object *v;

	dst[0] = '\0';
	if (!json_object_object_get_ex(o, key, &v) || json_object_is_type(v, json_type_null))
		return 0;
	if (json_object_is_type(v, json_type_string)) {
		pbx_field_set(dst, json_object_get_string(v), (size_t)json_object_get_string_len(v));
		return 0;
	}
	if (ints_too && json_object_is_type(v, json_type_int)) {
		snprintf(dst, PBX_FIELD_MAX, "%lld", (long long)json_object_get_int64(v));
		return 0;
	}
	return -1;
}

int events_json_parse(const char *line, size_t len, struct pbx_event *out, char *err, size_t errsz)
{
	static const char *const fields[] = { "ani", "dnis", "queue", "agent" };
	struct json_tokener *tok;
	struct json_object *o;
	char kind[PBX_FIELD_MAX];
	char *dst[] = { out->ani, out->dnis, out->queue, out->agent };
	int rc = -1;

	memset(out, 0, sizeof(*out));
	if (len > EVENTS_LINE_MAX) {
		snprintf(err, errsz, "line longer than %d bytes", EVENTS_LINE_MAX);
		return -1;
	}
	tok = json_tokener_new_ex(32);
	if (!tok) {
		snprintf(err, errsz, "out of memory");
		return -1;
	}
	o = json_tokener_parse_ex(tok, line, (int)len);
	if (!o || json_tokener_get_error(tok) != json_tokener_success) {
		snprintf(err, errsz, "not JSON (%s)",
			 json_tokener_get_error(tok) == json_tokener_continue ? "unfinished"
			 : json_tokener_error_desc(json_tokener_get_error(tok)));
		goto out;
	}
	if (!events_blank(line + json_tokener_get_parse_end(tok), len - json_tokener_get_parse_end(tok))) {
		snprintf(err, errsz, "text after the JSON object");
		goto out;
	}
	if (!json_object_is_type(o, json_type_object)) {
		snprintf(err, errsz, "not a JSON object");
		goto out;
	}
	if (member(o, "event", kind, 0) < 0 || (out->kind = pbx_kind_of(kind)) == PBX_NONE) {
		snprintf(err, errsz, "\"event\" must be one of offered, answered, ended, abandoned, queued, requeued");
		goto out;
	}
	if (member(o, "call_id", out->call_id, 1) < 0 || !*out->call_id) {
		snprintf(err, errsz, "\"call_id\" (a string or an integer) is missing");
		goto out;
	}
	for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++)
		if (member(o, fields[i], dst[i], 0) < 0) {
			snprintf(err, errsz, "\"%s\" must be a string", fields[i]);
			goto out;
		}
	if ((out->kind == PBX_OFFERED || out->kind == PBX_ANSWERED) && !*out->agent) {
		snprintf(err, errsz, "\"%s\" needs \"agent\"", kind);
		goto out;
	}
	rc = 0;
out:
	if (rc < 0)
		out->kind = PBX_NONE;
	json_object_put(o);
	json_tokener_free(tok);
	return rc;
}

void line_reader_feed(struct line_reader *r, const char *buf, size_t n, line_fn fn, void *arg)
{
	size_t i = 0;

	while (i < n) {
		const char *nl = memchr(buf + i, '\n', n - i);
		size_t chunk = nl ? (size_t)(nl - (buf + i)) : n - i;

		if (!r->overlong) {
			if (r->len + chunk > sizeof(r->buf)) {
				r->overlong = 1;
				fn(NULL, 0, arg);
			} else {
				memcpy(r->buf + r->len, buf + i, chunk);
				r->len += chunk;
			}
		}
		i += chunk + (nl ? 1 : 0);
		if (nl) {
			if (!r->overlong)
				fn(r->buf, r->len, arg);
			r->len = 0;
			r->overlong = 0;
		}
	}
}
