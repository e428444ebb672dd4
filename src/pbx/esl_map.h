/* esl_map.h - FreeSWITCH mod_callcenter events (CUSTOM callcenter::info) to
 * PBX events. The call is the member's session (CC-Member-Session-UUID, else
 * CC-Member-UUID); the caller is CC-Member-CID-Number (else
 * Caller-Caller-ID-Number), the dialled number Caller-Destination-Number.
 *
 *   member-queue-start   queued      (CC-Queue)
 *   agent-offering       offered     (CC-Agent: extension or login; the part
 *                                     before '@' is tried as a login too)
 *   bridge-agent-start   answered
 *   bridge-agent-fail    requeued    (the agent did not pick up)
 *   bridge-agent-end     ended
 *   member-queue-end     abandoned when CC-Cause is Cancel, else ended
 *
 * Pure C: unit-tested and fuzzed. */
#ifndef CCTERM_PBX_ESL_MAP_H
#define CCTERM_PBX_ESL_MAP_H

#include "ccterm/pbx_event.h"
#include "pbx/esl_frame.h"

/* 1 and *out when the frame is an event of a call, else 0. */
int esl_map(const struct esl_frame *frame, struct pbx_event *out);

#endif
