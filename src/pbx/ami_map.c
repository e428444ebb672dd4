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

/* "SIP/8002-00000194" -> "SIP/8002": the extension a channel belongs to. */
static void extension_of(char *dst, const char *channel)
{
	const char *dash = channel ? strrchr(channel, '-') : NULL;
	const char *slash = channel ? strchr(channel, '/') : NULL;

	if (!channel) {
		set(dst, NULL);
		return;
	}
	pbx_field_set(dst, channel, dash && slash && dash > slash ? (size_t)(dash - channel) : strlen(channel));
}

static void copy_numbers(struct pbx_event *out, const struct ami_call *c)
{
	snprintf(out->ani, sizeof(out->ani), "%s", c->ani);
	snprintf(out->dnis, sizeof(out->dnis), "%s", c->dnis);
}

/* DialBegin / DialEnd of a call ccterm follows: the call moves to the
 * dialled extension. 1 and *out, else 0. */
static int map_dial(struct ami_tracker *t, const struct kv *f, bool begin, struct pbx_event *out)
{
	const char *linkedid = kv_get(f, "Linkedid"), *dest = kv_get(f, "DestChannel");
	struct ami_call *c;

	if (!linkedid || !*linkedid)
		linkedid = kv_get(f, "DestLinkedid");
	if (!linkedid || !*linkedid || strlen(linkedid) >= AMI_ID_MAX || !dest)
		return 0;
	c = find(t, linkedid);
	if (!c || !c->ours)
		return 0;
	if (begin) {
		out->kind = PBX_OFFERED;
	} else {
		const char *st = kv_get(f, "DialStatus");
		const char *uid = kv_get(f, "DestUniqueid");

		if (!st)
			return 0;
		if (strcasecmp(st, "ANSWER") == 0) {
			out->kind = PBX_ANSWERED;
			if (uid && strlen(uid) < AMI_ID_MAX)
				snprintf(c->agent_uid, sizeof(c->agent_uid), "%s", uid);
		} else if (strcasecmp(st, "NOANSWER") == 0 || strcasecmp(st, "BUSY") == 0 ||
			   strcasecmp(st, "CONGESTION") == 0 || strcasecmp(st, "CHANUNAVAIL") == 0) {
			out->kind = PBX_REQUEUED;
		} else {
			return 0;
		}
	}
	set(out->call_id, linkedid);
	if (!*out->call_id)
		return 0;
	copy_numbers(out, c);
	extension_of(out->agent, dest);
	set(out->agent_alt, kv_get(f, "DialString"));
	return 1;
}

void ami_resync_begin(struct ami_resync *r)
{
	memset(r, 0, sizeof(*r));
	r->listing = 1;
}

int ami_resync_channel(struct ami_tracker *t, struct ami_resync *r, const struct kv *f, struct pbx_event *out)
{
	const char *linkedid = kv_get(f, "Linkedid"), *uid = kv_get(f, "Uniqueid");
	const char *app = kv_get(f, "Application"), *state = kv_get(f, "ChannelStateDesc");
	struct ami_call *c;
	bool known = false;

	if (!linkedid || !*linkedid)
		linkedid = uid;
	if (!linkedid || !*linkedid || strlen(linkedid) >= AMI_ID_MAX || !uid || strlen(uid) >= AMI_ID_MAX)
		return 0;
	for (size_t i = 0; i < r->nalive && !known; i++)
		known = strcmp(r->alive[i], linkedid) == 0;
	if (!known && r->nalive < AMI_RESYNC_MAX)
		snprintf(r->alive[r->nalive++], AMI_ID_MAX, "%s", linkedid);
	if (strcmp(uid, linkedid) != 0) {
		struct ami_leg *l;

		if (r->nlegs >= AMI_RESYNC_MAX)
			return 0;
		l = &r->legs[r->nlegs++];
		snprintf(l->linkedid, sizeof(l->linkedid), "%s", linkedid);
		snprintf(l->uid, sizeof(l->uid), "%s", uid);
		set(l->channel, kv_get(f, "Channel"));
		snprintf(l->state, sizeof(l->state), "%s", state ? state : "");
		return 0;
	}
	/* the caller's own channel: waiting in a queue is a call ccterm follows */
	if (!app || strcasecmp(app, "Queue") != 0)
		return 0;
	memset(out, 0, sizeof(*out));
	c = track(t, linkedid);
	c->ours = 1;
	if (!*c->ani)
		set(c->ani, kv_get(f, "CallerIDNum"));
	out->kind = PBX_QUEUED;
	set(out->call_id, linkedid);
	if (!*out->call_id)
		return 0;
	copy_numbers(out, c);
	{
		const char *data = kv_get(f, "ApplicationData");

		pbx_field_set(out->queue, data ? data : "", data ? strcspn(data, ",") : 0);
	}
	return 1;
}

int ami_resync_leg(struct ami_tracker *t, const struct ami_resync *r, size_t i, struct pbx_event *out)
{
	const struct ami_leg *l;
	struct ami_call *c;

	if (i >= r->nlegs)
		return 0;
	l = &r->legs[i];
	c = find(t, l->linkedid);
	if (!c || !c->ours)
		return 0;
	memset(out, 0, sizeof(*out));
	if (strcasecmp(l->state, "Ringing") == 0 || strcasecmp(l->state, "Ring") == 0) {
		out->kind = PBX_OFFERED;
	} else if (strcasecmp(l->state, "Up") == 0) {
		out->kind = PBX_ANSWERED;
		snprintf(c->agent_uid, sizeof(c->agent_uid), "%s", l->uid);
	} else {
		return 0;
	}
	set(out->call_id, l->linkedid);
	copy_numbers(out, c);
	extension_of(out->agent, l->channel);
	return *out->call_id != '\0';
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
	else if (strcasecmp(ev, "DialBegin") == 0 || strcasecmp(ev, "DialEnd") == 0)
		return map_dial(t, f, strcasecmp(ev, "DialBegin") == 0, out);
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
		c->ours = 1;
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
