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
};

struct ami_tracker {
	unsigned long clock;
	struct ami_call calls[AMI_TRACK_MAX];
};

void ami_tracker_init(struct ami_tracker *t);
/* 1 and *out when the frame is an event of a call, else 0. */
int ami_map(struct ami_tracker *t, const struct kv *frame, struct pbx_event *out);

#endif
