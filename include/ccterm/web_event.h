/* web_event.h - one web event, a JSON object on one line (json-c), checked
 * and normalized for the import. Pure: no database. */
#ifndef CCTERM_WEB_EVENT_H
#define CCTERM_WEB_EVENT_H

#include <stdbool.h>
#include <stddef.h>
#include "ccterm/phone.h"

/* Longest line read (a longer one is rejected whole). */
#define WEB_EVENT_LINE_MAX (1024 * 1024)

struct web_event_row {
	const char *type;          /* our word: page_view, cart_add, login, form_submit, ... */
	char at[64];               /* normalized date-time */
	char *event_id;            /* the site's id of the event, or NULL (the import keys it by its content) */
	char *customer;            /* external id, or NULL */
	char email[256];           /* lower case or "" */
	char phone[PHONE_E164_MAX];/* E.164 or "" */
	char *visitor_id, *session_id, *url, *title;   /* or NULL */
	char *data;                /* the "data" object as JSON text, or NULL */
	char *summary;             /* for the timeline: the form's fields "name: value" one a line, or NULL */
	bool contact;              /* a contact (form, login, signup, cart, checkout, purchase): on the timeline */
};

/* 0 with *ev filled (free with web_event_free), or -1 with why. */
int web_event_parse(const char *line, size_t len, const char *country, struct web_event_row *ev,
		    char *why, size_t whysz);
void web_event_free(struct web_event_row *ev);

/* Our word for an event type as sites write it ("pageview" -> "page_view"), or NULL. */
const char *web_event_type_word(const char *s);

#endif
