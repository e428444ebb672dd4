/* agent_event.c - parsing the payloads of the agent_<login> channel. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ccterm/agent_event.h"

static const char *const call_states[] = { "offered", "answered", "abandoned", "ended", "requeued" };

static int parse_call(const char *p, struct agent_event *ev)
{
	char *end;
	long long id;
	size_t n;

	if (*p < '1' || *p > '9')
		return -1;
	errno = 0;
	id = strtoll(p, &end, 10);
	if (errno || *end != ' ' || id <= 0)
		return -1;
	p = end + 1;
	/* "offered pop <session> <sealed>": the seal is checked where it is opened */
	if (strncmp(p, "offered pop ", 12) == 0) {
		static const char base64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=";
		long long session;

		errno = 0;
		session = strtoll(p + 12, &end, 10);
		if (errno || session <= 0 || p[12] < '1' || p[12] > '9' || *end != ' ' || !end[1] ||
		    strspn(end + 1, base64) != strlen(end + 1))
			return -1;
		ev->pop_session = session;
		ev->sealed = end + 1;
		ev->kind = AGENT_EVENT_CALL;
		ev->call_id = id;
		snprintf(ev->call_state, sizeof(ev->call_state), "offered");
		return 0;
	}
	for (n = 0; n < sizeof(call_states) / sizeof(call_states[0]); n++)
		if (strcmp(p, call_states[n]) == 0)
			break;
	if (n == sizeof(call_states) / sizeof(call_states[0]))
		return -1;
	ev->kind = AGENT_EVENT_CALL;
	ev->call_id = id;
	snprintf(ev->call_state, sizeof(ev->call_state), "%s", call_states[n]);
	return 0;
}

static int parse_state(const char *p, struct agent_event *ev)
{
	size_t n = strcspn(p, " ");

	if (n == 0 || n >= sizeof(ev->agent_state) || p[n] != ' ')
		return -1;
	for (size_t i = 0; i < n; i++)
		if (!((p[i] >= 'a' && p[i] <= 'z') || p[i] == '_'))
			return -1;
	ev->kind = AGENT_EVENT_STATE;
	memcpy(ev->agent_state, p, n);
	ev->agent_state[n] = '\0';
	snprintf(ev->reason, sizeof(ev->reason), "%s", p + n + 1);
	return 0;
}

int agent_event_parse(const char *payload, struct agent_event *ev)
{
	memset(ev, 0, sizeof(*ev));
	if (!payload)
		return -1;
	if (strncmp(payload, "call ", 5) == 0)
		return parse_call(payload + 5, ev);
	if (strncmp(payload, "state ", 6) == 0)
		return parse_state(payload + 6, ev);
	return -1;
}
