-- 240 PBX adapters (ccterm-cti ami / esl / events): the PBX's own id of a
-- call, and the extension the PBX rings an agent at.

-- The PBX's call id (Asterisk's Linkedid, FreeSWITCH's member session uuid,
-- the bridge's call_id). Unique among open calls: a transfer ends the first
-- agent's call and opens another with the same PBX id, so each agent who
-- takes the caller gets a call (and a pop) of their own.
alter table call add column pbx_id text;
create unique index call_pbx_open on call (pbx_id)
	where pbx_id is not null and state in ('queued', 'offered', 'answered');
create index call_pbx_id on call (pbx_id, created_at) where pbx_id is not null;

-- Where the PBX rings the agent: 'SIP/777', 'PJSIP/777', '1000@default'.
-- Matched without regard to case; one agent per extension.
alter table agent add column extension text check (extension <> '' and length(extension) <= 128);
create unique index agent_extension on agent (lower(extension)) where extension is not null;
