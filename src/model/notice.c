/* notice.c - reading NOTIFY payloads (notice.h). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ccterm/agent_event.h"
#include "ccterm/notice.h"

static bool all_digits(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (*s < '0' || *s > '9')
			return false;
	return true;
}

/* Copies the next space-separated word of *p into out; advances *p. */
static void word(const char **p, char *out, size_t size)
{
	size_t n;

	while (**p == ' ')
		(*p)++;
	n = strcspn(*p, " ");
	snprintf(out, size, "%.*s", (int)(n < size ? n : size - 1), *p);
	*p += n;
	while (**p == ' ')
		(*p)++;
}

static bool call_state_known(const char *s)
{
	static const char *const states[] = { "offered", "answered", "abandoned", "ended", "requeued", NULL };

	for (int i = 0; states[i]; i++)
		if (strcmp(s, states[i]) == 0)
			return true;
	return false;
}

enum notice_kind notice_parse(const char *channel, const char *payload, struct notice *n)
{
	const char *p = payload ? payload : "";
	char first[24];

	memset(n, 0, sizeof(*n));
	n->kind = NOTICE_OTHER;
	if (!channel)
		return n->kind;
	if (strcmp(channel, "floor") == 0)
		return n->kind = NOTICE_FLOOR;
	if (strcmp(channel, "campaign") == 0) {
		n->call_id = all_digits(p) ? atoll(p) : 0;
		return n->kind = NOTICE_CAMPAIGN;
	}
	if (strcmp(channel, "lists") == 0)
		return n->kind = NOTICE_LISTS;
	if (strncmp(channel, "queue_", 6) == 0) {
		n->call_id = all_digits(p) ? atoll(p) : 0;
		return n->kind = NOTICE_QUEUE;
	}
	if (strncmp(channel, "agent_", 6) != 0 || !channel[6])
		return n->kind;
	snprintf(n->login, sizeof(n->login), "%s", channel + 6);
	{
		/* The payloads of the contract are read by the one parser of them. */
		struct agent_event ev;

		if (agent_event_parse(p, &ev) == 0) {
			if (ev.kind == AGENT_EVENT_CALL) {
				n->call_id = ev.call_id;
				snprintf(n->state, sizeof(n->state), "%s", ev.call_state);
				n->pop_session = ev.pop_session;
				n->sealed = ev.sealed;
				return n->kind = NOTICE_CALL;
			}
			snprintf(n->state, sizeof(n->state), "%s", ev.agent_state);
			snprintf(n->reason, sizeof(n->reason), "%s", ev.reason);
			return n->kind = NOTICE_STATE;
		}
	}
	/* What older servers sent, and what the contract does not know. */
	if (all_digits(p)) {
		n->call_id = atoll(p);
		snprintf(n->state, sizeof(n->state), "offered");
		return n->kind = n->call_id > 0 ? NOTICE_CALL : NOTICE_OTHER;
	}
	word(&p, first, sizeof(first));
	if (strcmp(first, "state") == 0) {
		word(&p, n->state, sizeof(n->state));
		snprintf(n->reason, sizeof(n->reason), "%s", p);
		return n->kind = NOTICE_STATE;
	}
	if (strcmp(first, "call") == 0) {
		char id[24];

		word(&p, id, sizeof(id));
		word(&p, n->state, sizeof(n->state));
		if (!all_digits(id) || atoll(id) <= 0)
			return n->kind;
		n->call_id = atoll(id);
		if (!call_state_known(n->state))
			n->state[0] = '\0';   /* still a hint that the call moved */
		return n->kind = NOTICE_CALL;
	}
	if (strcmp(first, "case") == 0) {
		char id[24];

		word(&p, id, sizeof(id));
		word(&p, n->state, sizeof(n->state));
		if (!all_digits(id) || atoll(id) <= 0)
			return n->kind;
		n->call_id = atoll(id);
		return n->kind = NOTICE_CASE;
	}
	return n->kind;
}

bool notice_call_gone(const char *state)
{
	return strcmp(state, "abandoned") == 0 || strcmp(state, "ended") == 0 || strcmp(state, "requeued") == 0;
}
