/* web_event.c - one web event line, with json-c, strictly: an object whose
 * members have the types README "Imports" gives, valid UTF-8, no NUL in any
 * string (PostgreSQL text and jsonb hold none), nesting at most 16 deep. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "ccterm/record.h"
#include "ccterm/utf8.h"
#include "ccterm/web_event.h"

struct type_word {
	const char *word, *type;
	bool contact;
};

/* Case aside, '-' and ' ' read as '_'. Contacts go on the timeline too. */
static const struct type_word type_words[] = {
	{ "page_view", "page_view", false }, { "pageview", "page_view", false }, { "view", "page_view", false },
	{ "page", "page_view", false },
	{ "search", "search", false },
	{ "cart_add", "cart_add", true }, { "add_to_cart", "cart_add", true }, { "cart", "cart_add", true },
	{ "cart_remove", "cart_remove", false }, { "remove_from_cart", "cart_remove", false },
	{ "checkout", "checkout", true }, { "begin_checkout", "checkout", true },
	{ "purchase", "purchase", true }, { "order", "purchase", true },
	{ "login", "login", true }, { "sign_in", "login", true }, { "signin", "login", true },
	{ "logout", "logout", false }, { "sign_out", "logout", false },
	{ "signup", "signup", true }, { "sign_up", "signup", true }, { "register", "signup", true },
	{ "form_submit", "form_submit", true }, { "form", "form_submit", true }, { "submit", "form_submit", true },
	{ "contact_form", "form_submit", true },
	{ NULL, NULL, false },
};

static const struct type_word *type_of(const char *s)
{
	char w[40];
	size_t n = 0;

	while (*s == ' ')
		s++;
	for (; *s && n + 1 < sizeof(w); s++) {
		char c = *s;

		if (c >= 'A' && c <= 'Z')
			c = (char)(c | 0x20);
		else if (c == '-' || c == ' ')
			c = '_';
		w[n++] = c;
	}
	while (n > 0 && w[n - 1] == '_')
		n--;
	w[n] = '\0';
	for (int i = 0; type_words[i].word; i++)
		if (strcmp(w, type_words[i].word) == 0)
			return &type_words[i];
	return NULL;
}

const char *web_event_type_word(const char *s)
{
	const struct type_word *t = type_of(s);

	return t ? t->type : NULL;
}

void web_event_free(struct web_event_row *ev)
{
	free(ev->event_id);
	free(ev->customer);
	free(ev->visitor_id);
	free(ev->session_id);
	free(ev->url);
	free(ev->title);
	free(ev->data);
	free(ev->summary);
	memset(ev, 0, sizeof(*ev));
}

static const char *type_name(struct json_object *v)
{
	return json_type_to_name(json_object_get_type(v));
}

/* No string (value or key) holding a NUL, anywhere in v. */
static bool nul_free(struct json_object *v, int depth)
{
	if (depth > 16)
		return false;
	switch (json_object_get_type(v)) {
	case json_type_string:
		return strlen(json_object_get_string(v)) == (size_t)json_object_get_string_len(v);
	case json_type_array:
		for (size_t i = 0; i < json_object_array_length(v); i++)
			if (!nul_free(json_object_array_get_idx(v, i), depth + 1))
				return false;
		return true;
	case json_type_object: {
		json_object_object_foreach(v, key, val) {
			(void)key;
			if (!nul_free(val, depth + 1))
				return false;
		}
		return true;
	}
	default:
		return true;
	}
}

#define REJECT(...) do { snprintf(why, whysz, __VA_ARGS__); goto out; } while (0)

/* A string member (an integer too when ints_ok) into *dst (malloc'd); 0
 * when absent or null; -1 with why for a wrong type or a bad value. */
static int text_member(struct json_object *o, const char *key, bool ints_ok, size_t max, char **dst,
		       char *why, size_t whysz)
{
	struct json_object *v;
	char num[32];
	const char *s;
	size_t n;

	*dst = NULL;
	if (!json_object_object_get_ex(o, key, &v) || json_object_is_type(v, json_type_null))
		return 0;
	if (ints_ok && json_object_is_type(v, json_type_int)) {
		snprintf(num, sizeof(num), "%lld", (long long)json_object_get_int64(v));
		s = num;
		n = strlen(num);
	} else if (json_object_is_type(v, json_type_string)) {
		s = json_object_get_string(v);
		n = (size_t)json_object_get_string_len(v);
	} else {
		snprintf(why, whysz, "\"%s\" is %s %s, not a string", key,
			 json_object_is_type(v, json_type_array) || json_object_is_type(v, json_type_object) ||
			 json_object_is_type(v, json_type_int) ? "an" : "a", type_name(v));
		return -1;
	}
	if (strlen(s) != n) {
		snprintf(why, whysz, "\"%s\" holds a NUL character", key);
		return -1;
	}
	if (n > max) {
		snprintf(why, whysz, "\"%s\" is %zu bytes, more than %zu", key, n, max);
		return -1;
	}
	if (n == 0)
		return 0;
	if (!(*dst = strdup(s))) {
		snprintf(why, whysz, "out of memory");
		return -1;
	}
	return 0;
}

/* The form's fields, "name: value" one a line, for the timeline's body. */
static char *form_summary(struct json_object *data)
{
	size_t cap = 256, len = 0;
	char *s = malloc(cap);

	if (!s)
		return NULL;
	s[0] = '\0';
	json_object_object_foreach(data, key, val) {
		const char *v = json_object_is_type(val, json_type_string) ? json_object_get_string(val)
			       : json_object_to_json_string_ext(val, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE);
		size_t need = len + strlen(key) + strlen(v) + 4;

		if (need > cap) {
			char *ns;

			while (cap < need)
				cap *= 2;
			if (!(ns = realloc(s, cap))) {
				free(s);
				return NULL;
			}
			s = ns;
		}
		len += (size_t)snprintf(s + len, cap - len, "%s%s: %s", len ? "\n" : "", key, v);
	}
	return s;
}

int web_event_parse(const char *line, size_t len, const char *country, struct web_event_row *ev,
		    char *why, size_t whysz)
{
	struct json_tokener *tok = NULL;
	struct json_object *o = NULL, *v;
	char *type = NULL, *at = NULL, *email = NULL, *phone = NULL;
	const struct type_word *tw;
	int rc = -1;

	memset(ev, 0, sizeof(*ev));
	if (len > WEB_EVENT_LINE_MAX)
		REJECT("line longer than %d bytes", WEB_EVENT_LINE_MAX);
	if (memchr(line, '\0', len))
		REJECT("a NUL byte in the line");
	if (!utf8_valid(line, len))
		REJECT("not valid UTF-8");
	if (!(tok = json_tokener_new_ex(16)))
		REJECT("out of memory");
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT);
	o = json_tokener_parse_ex(tok, line, (int)len);
	if (!o || json_tokener_get_error(tok) != json_tokener_success) {
		enum json_tokener_error e = json_tokener_get_error(tok);

		REJECT("not JSON (%s)", e == json_tokener_continue || e == json_tokener_success
		       ? "it ends inside its value" : json_tokener_error_desc(e));
	}
	if ((size_t)json_tokener_get_parse_end(tok) < len) {
		for (size_t i = json_tokener_get_parse_end(tok); i < len; i++)
			if (line[i] != ' ' && line[i] != '\t' && line[i] != '\r')
				REJECT("text after the JSON object");
	}
	if (!json_object_is_type(o, json_type_object))
		REJECT("not a JSON object but %s %s", json_object_is_type(o, json_type_array) ||
		       json_object_is_type(o, json_type_int) ? "an" : "a", type_name(o));
	if (text_member(o, "event_id", true, 128, &ev->event_id, why, whysz) < 0 ||
	    text_member(o, "type", false, 64, &type, why, whysz) < 0 ||
	    text_member(o, "at", false, 64, &at, why, whysz) < 0 ||
	    text_member(o, "customer", true, 128, &ev->customer, why, whysz) < 0 ||
	    text_member(o, "email", false, 255, &email, why, whysz) < 0 ||
	    text_member(o, "phone", false, 64, &phone, why, whysz) < 0 ||
	    text_member(o, "visitor_id", true, 128, &ev->visitor_id, why, whysz) < 0 ||
	    text_member(o, "session_id", true, 128, &ev->session_id, why, whysz) < 0 ||
	    text_member(o, "url", false, 8192, &ev->url, why, whysz) < 0 ||
	    text_member(o, "title", false, 1024, &ev->title, why, whysz) < 0)
		goto out;
	if (!type)
		REJECT("no \"type\"");
	if (!(tw = type_of(type))) {
		char shown[80];

		utf8_fit(type, 30, true, shown, sizeof(shown));
		REJECT("type \"%s\" is not a web event type (page_view, search, cart_add, cart_remove, checkout, "
		       "purchase, login, logout, signup, form_submit)", shown);
	}
	ev->type = tw->type;
	ev->contact = tw->contact;
	if (!at)
		REJECT("no \"at\" (when it happened)");
	if (!record_timestamp_normalize(at, ev->at, sizeof(ev->at))) {
		char shown[80];

		utf8_fit(at, 30, true, shown, sizeof(shown));
		REJECT("\"at\" '%s' is not a date-time (ISO 8601: 2026-11-20T10:15:00+09:00)", shown);
	}
	if (email && !record_email_normalize(email, ev->email, sizeof(ev->email))) {
		char shown[80];

		utf8_fit(email, 40, true, shown, sizeof(shown));
		REJECT("\"email\" '%s' is not an e-mail address", shown);
	}
	if (phone && phone_normalize(phone, country, ev->phone, sizeof(ev->phone)) < 0) {
		char shown[80];

		utf8_fit(phone, 30, true, shown, sizeof(shown));
		REJECT("\"phone\" '%s' is not a phone number", shown);
	}
	if (!ev->customer && !ev->email[0] && !ev->phone[0] && !ev->visitor_id)
		REJECT("no \"customer\", \"email\", \"phone\" or \"visitor_id\": whose event is it?");
	if (json_object_object_get_ex(o, "data", &v) && !json_object_is_type(v, json_type_null)) {
		if (!json_object_is_type(v, json_type_object))
			REJECT("\"data\" is %s %s, not an object", json_object_is_type(v, json_type_array) ||
			       json_object_is_type(v, json_type_int) ? "an" : "a", type_name(v));
		if (!nul_free(v, 0))
			REJECT("\"data\" holds a NUL character");
		if (!(ev->data = strdup(json_object_to_json_string_ext(v, JSON_C_TO_STRING_PLAIN |
								      JSON_C_TO_STRING_NOSLASHESCAPE))))
			REJECT("out of memory");
		if (strcmp(ev->type, "form_submit") == 0 && !(ev->summary = form_summary(v)))
			REJECT("out of memory");
	}
	rc = 0;
out:
	if (rc < 0)
		web_event_free(ev);
	free(type);
	free(at);
	free(email);
	free(phone);
	if (o)
		json_object_put(o);
	if (tok)
		json_tokener_free(tok);
	return rc;
}
