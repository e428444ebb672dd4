/* pbx_event.h - what a PBX says happened to a call, whatever the protocol
 * (AMI, FreeSWITCH's event socket, JSON lines): the parsers of src/pbx/
 * produce these, db_pbx_apply() puts them into the call's state. Pure C. */
#ifndef CCTERM_PBX_EVENT_H
#define CCTERM_PBX_EVENT_H

#include <stddef.h>

enum pbx_kind {
	PBX_NONE,
	PBX_QUEUED,     /* waits in a queue */
	PBX_OFFERED,    /* rings at an agent */
	PBX_ANSWERED,   /* the agent picked up */
	PBX_REQUEUED,   /* the agent did not pick up: back to waiting */
	PBX_ABANDONED,  /* the caller hung up before an answer */
	PBX_ENDED,      /* hung up (after an answer, or whatever the PBX calls it) */
};

#define PBX_FIELD_MAX 128   /* longer values are cut (at a UTF-8 boundary) */

/* Every field is "" when the PBX did not say. */
struct pbx_event {
	enum pbx_kind kind;
	char call_id[PBX_FIELD_MAX];    /* the PBX's id of the call */
	char ani[PBX_FIELD_MAX];        /* caller number */
	char dnis[PBX_FIELD_MAX];       /* dialled number */
	char queue[PBX_FIELD_MAX];
	char agent[PBX_FIELD_MAX];      /* extension or login */
	char agent_alt[PBX_FIELD_MAX];  /* another name of the same agent (AMI MemberName) */
};

/* "queued", "offered", ... ; NULL for PBX_NONE. */
const char *pbx_kind_name(enum pbx_kind k);
/* The kind of a name, PBX_NONE when unknown. */
enum pbx_kind pbx_kind_of(const char *name);

/* Copies src (n bytes, may hold anything) into a field: control bytes and
 * invalid UTF-8 are dropped, the result cut to fit at a character boundary. */
void pbx_field_set(char *dst, const char *src, size_t n);

#endif
