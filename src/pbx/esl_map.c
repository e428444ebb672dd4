/* esl_map.c - which mod_callcenter events move a call, and how. */
#include "config.h"

#include <string.h>
#include <strings.h>

#include "pbx/esl_map.h"

static void set(char *dst, const char *v)
{
	pbx_field_set(dst, v ? v : "", v ? strlen(v) : 0);
}

static const char *either(const struct kv *e, const char *a, const char *b)
{
	const char *v = kv_get(e, a);

	return v && *v ? v : kv_get(e, b);
}

int esl_map(const struct esl_frame *f, struct pbx_event *out)
{
	const struct kv *e = &f->event;
	const char *name = kv_get(e, "Event-Name"), *sub = kv_get(e, "Event-Subclass"), *action = kv_get(e, "CC-Action");
	const char *id = either(e, "CC-Member-Session-UUID", "CC-Member-UUID"), *agent;

	if (!name || strcmp(name, "CUSTOM") != 0 || !sub || strcmp(sub, "callcenter::info") != 0 || !action ||
	    !id || !*id)
		return 0;
	memset(out, 0, sizeof(*out));
	if (strcmp(action, "member-queue-start") == 0)
		out->kind = PBX_QUEUED;
	else if (strcmp(action, "agent-offering") == 0)
		out->kind = PBX_OFFERED;
	else if (strcmp(action, "bridge-agent-start") == 0)
		out->kind = PBX_ANSWERED;
	else if (strcmp(action, "bridge-agent-fail") == 0)
		out->kind = PBX_REQUEUED;
	else if (strcmp(action, "bridge-agent-end") == 0)
		out->kind = PBX_ENDED;
	else if (strcmp(action, "member-queue-end") == 0) {
		const char *cause = kv_get(e, "CC-Cause");

		out->kind = cause && strcasecmp(cause, "Cancel") == 0 ? PBX_ABANDONED : PBX_ENDED;
	} else
		return 0;
	set(out->call_id, id);
	if (!*out->call_id)   /* nothing but control bytes */
		return 0;
	set(out->ani, either(e, "CC-Member-CID-Number", "Caller-Caller-ID-Number"));
	set(out->dnis, kv_get(e, "Caller-Destination-Number"));
	set(out->queue, kv_get(e, "CC-Queue"));
	if ((agent = kv_get(e, "CC-Agent")) && (out->kind == PBX_OFFERED || out->kind == PBX_ANSWERED ||
						out->kind == PBX_REQUEUED)) {
		const char *at = strchr(agent, '@');

		set(out->agent, agent);
		if (at)
			pbx_field_set(out->agent_alt, agent, (size_t)(at - agent));
	}
	return 1;
}
