/* ami_map.h - Asterisk 12+ manager events to PBX events. Calls are tied by
 * Linkedid (the id of the caller's first channel). The caller and dialled
 * numbers are taken at the inbound Newchannel (Uniqueid = Linkedid: ANI =
 * CallerIDNum, DNIS = Exten) and kept for the call's later events.
 *
 *   QueueCallerJoin     queued      (Queue)
 *   AgentCalled         offered     (Interface, MemberName: the agent)
 *   AgentConnect        answered    (DestUniqueid: the agent's channel)
 *   AgentRingNoAnswer   requeued
 *   QueueCallerAbandon  abandoned
 *   Hangup              ended, of the caller's channel or of the agent's
 *                       connected channel; other channels (an agent's ring
 *                       that was not answered) are not the call's end
 *   DialBegin           offered to the dialled extension (DestChannel without
 *                       its "-NNNN" suffix, DialString beside it): a direct
 *                       transfer to an agent's extension. Only for calls
 *                       ccterm already follows (queued or offered before), so
 *                       calls between extensions are none of its business
 *   DialEnd             DialStatus ANSWER: answered (DestUniqueid: the new
 *                       agent's channel); NOANSWER, BUSY, CONGESTION,
 *                       CHANUNAVAIL: requeued; others (CANCEL): nothing
 *
 * After a reconnect the adapter asks for the channels under way (Action:
 * CoreShowChannels) and puts the calls right (ami_resync_*): a caller's
 * channel in Queue is queued there, another channel of a followed call
 * ringing is offered to its extension, up is answered; every open PBX call
 * whose Linkedid no channel holds any more ended while the link was down.
 *
 * Pure C: unit-tested and fuzzed. */
#ifndef CCTERM_PBX_AMI_MAP_H
#define CCTERM_PBX_AMI_MAP_H

#include "ccterm/pbx_event.h"
#include "pbx/kv.h"

#define AMI_TRACK_MAX 512   /* calls remembered at once; the oldest goes first */
#define AMI_ID_MAX 64

struct ami_call {
	char linkedid[AMI_ID_MAX];
	char agent_uid[AMI_ID_MAX];   /* the connected agent's channel */
	char ani[PBX_FIELD_MAX], dnis[PBX_FIELD_MAX];
	unsigned long used;           /* 0: free */
	int ours;                     /* queued or offered: a call ccterm follows */
};

struct ami_tracker {
	unsigned long clock;
	struct ami_call calls[AMI_TRACK_MAX];
};

void ami_tracker_init(struct ami_tracker *t);
/* 1 and *out when the frame is an event of a call, else 0. */
int ami_map(struct ami_tracker *t, const struct kv *frame, struct pbx_event *out);

/* The channels Asterisk lists after a reconnect (CoreShowChannel events,
 * then CoreShowChannelsComplete). */
#define AMI_RESYNC_MAX 256
struct ami_leg {
	char linkedid[AMI_ID_MAX], uid[AMI_ID_MAX];
	char channel[PBX_FIELD_MAX], state[32];
};
struct ami_resync {
	int listing;                  /* between the response and the Complete */
	size_t nalive, nlegs;
	char alive[AMI_RESYNC_MAX][AMI_ID_MAX];   /* Linkedids with a channel */
	struct ami_leg legs[AMI_RESYNC_MAX];      /* channels other than the callers' */
};

void ami_resync_begin(struct ami_resync *r);
/* One CoreShowChannel: the call is alive; a caller's channel in Queue gives
 * 1 and a queued event in *out, another channel is kept for ami_resync_leg. */
int ami_resync_channel(struct ami_tracker *t, struct ami_resync *r, const struct kv *frame, struct pbx_event *out);
/* After the list: the event of kept channel i (offered while ringing,
 * answered when up) when its call is one ccterm follows; 1 and *out, else 0. */
int ami_resync_leg(struct ami_tracker *t, const struct ami_resync *r, size_t i, struct pbx_event *out);

#endif
