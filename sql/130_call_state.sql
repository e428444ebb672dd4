-- 130 call state is the database's: one open call per agent, ring deadlines
-- (ring no answer), and the reason of the agent's current state.

-- How long an offer rings before it goes back to its queue: the queue's
-- ring_seconds, else the setting 'ring_timeout_seconds' (no row: 20 s).
alter table queue add column ring_seconds integer check (ring_seconds > 0);

-- When the offer is taken back (NULL: not offered, or a call without a queue).
alter table call add column ring_deadline timestamptz;
create index call_ring_due on call (ring_deadline) where state = 'offered' and ring_deadline is not null;

-- The reason given with the current state ("no answer", "call 12" ...), also in agent_state.
alter table agent add column state_reason text;
update agent a set state_reason = (select s.reason from agent_state s where s.login = a.login
                                   order by s.started_at desc, s.id desc limit 1);

-- One agent, at most one call offered or answered. Calls an earlier build
-- left open beside a newer one (they would pop again at every start) end now.
update call c set state = case when c.answered_at is null then 'abandoned' else 'ended' end,
                  ended_at = now()
where c.state in ('offered', 'answered') and c.agent_login is not null
  and exists (select 1 from call o
              where o.agent_login = c.agent_login and o.state in ('offered', 'answered')
                and (o.created_at, o.id) > (c.created_at, c.id));
drop index call_routed_one_per_agent;
create unique index call_one_open_per_agent on call (agent_login) where state in ('offered', 'answered');
