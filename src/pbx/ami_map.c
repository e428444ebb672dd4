/* ami_map.c - which manager events move a call, and how. */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "pbx/ami_map.h"

void ami_tracker_init(struct ami_tracker *t)
{
	memset(t, 0, sizeof(*t));
}

static void set(char *dst, const char *v)
{
	pbx_field_set(dst, v ? v : "", v ? strlen(v) : 0);
}

static struct ami_call *find(struct ami_tracker *t, const char *linkedid)
{
	for (int i = 0; i < AMI_TRACK_MAX; i++)
		if (t->calls[i].used && strcmp(t->calls[i].linkedid, linkedid) == 0) {
			t->calls[i].used = ++t->clock;
			return &t->calls[i];
		}
	return NULL;
}

/* The call's entry, made (in a free slot or the least recently used) if new. */
static struct ami_call *track(struct ami_tracker *t, const char *linkedid)
{
	struct ami_call *c = find(t, linkedid), *old = &t->calls[0];

	if (c)
		return c;
	for (int i = 0; i < AMI_TRACK_MAX; i++) {
		if (!t->calls[i].used) {
			old = &t->calls[i];
			break;
		}
		if (t->calls[i].used < old->used)
			old = &t->calls[i];
	}
	memset(old, 0, sizeof(*old));
	snprintf(old->linkedid, sizeof(old->linkedid), "%s", linkedid);
	old->used = ++t->clock;
	return old;
}

int ami_map(struct ami_tracker *t, const struct kv *f, struct pbx_event *out)
{
	const char *ev = kv_get(f, "Event"), *linkedid = kv_get(f, "Linkedid"), *uid = kv_get(f, "Uniqueid");
	struct ami_call *c;

	if (!ev)
		return 0;
	if (!linkedid || !*linkedid)
		linkedid = uid;
	if (!linkedid || !*linkedid || strlen(linkedid) >= AMI_ID_MAX)
		return 0;
	memset(out, 0, sizeof(*out));
	if (strcasecmp(ev, "Newchannel") == 0) {
		/* The caller's own channel, the first of the call. */
		if (uid && strcmp(uid, linkedid) == 0) {
			c = track(t, linkedid);
			set(c->ani, kv_get(f, "CallerIDNum"));
			set(c->dnis, kv_get(f, "Exten"));
		}
		return 0;
	}
	if (strcasecmp(ev, "QueueCallerJoin") == 0)
		out->kind = PBX_QUEUED;
	else if (strcasecmp(ev, "AgentCalled") == 0)
		out->kind = PBX_OFFERED;
	else if (strcasecmp(ev, "AgentConnect") == 0)
		out->kind = PBX_ANSWERED;
	else if (strcasecmp(ev, "AgentRingNoAnswer") == 0)
		out->kind = PBX_REQUEUED;
	else if (strcasecmp(ev, "QueueCallerAbandon") == 0)
		out->kind = PBX_ABANDONED;
	else if (strcasecmp(ev, "Hangup") == 0)
		out->kind = PBX_ENDED;
	else
		return 0;
	c = out->kind == PBX_ENDED ? find(t, linkedid) : track(t, linkedid);
	if (out->kind == PBX_ENDED) {
		/* The caller's channel, or the agent's once connected; any other
		 * (an agent's ring that went unanswered, a consultation) is not the end. */
		if (!uid)
			return 0;
		if (strcmp(uid, linkedid) == 0) {
			if (c)
				memset(c, 0, sizeof(*c));
		} else if (c && *c->agent_uid && strcmp(uid, c->agent_uid) == 0) {
			c->agent_uid[0] = '\0';
		} else {
			return 0;
		}
	}
	set(out->call_id, linkedid);
	if (!*out->call_id)   /* nothing but control bytes */
		return 0;
	if (c && out->kind != PBX_ENDED) {
		snprintf(out->ani, sizeof(out->ani), "%s", c->ani);
		snprintf(out->dnis, sizeof(out->dnis), "%s", c->dnis);
	}
	if (!*out->ani && out->kind == PBX_QUEUED)
		set(out->ani, kv_get(f, "CallerIDNum"));
	set(out->queue, kv_get(f, "Queue"));
	if (out->kind == PBX_OFFERED || out->kind == PBX_ANSWERED || out->kind == PBX_REQUEUED) {
		set(out->agent, kv_get(f, "Interface"));
		set(out->agent_alt, kv_get(f, "MemberName"));
	}
	if (out->kind == PBX_ANSWERED && c) {
		const char *dest = kv_get(f, "DestUniqueid");

		if (dest && strlen(dest) < AMI_ID_MAX)
			snprintf(c->agent_uid, sizeof(c->agent_uid), "%s", dest);
	}
	return 1;
}
