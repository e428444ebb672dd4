-- 47_pbx: calls as a PBX reports them (ccterm-cti ami / esl / events), by the PBX's call id.
-- A repeatable file: applied after the numbered migrations whenever it changes.
--
-- A call with a pbx_id is routed by the PBX: ccterm never offers it to an
-- agent of its own accord nor times its ring (route_pending, route_agent,
-- call_offer and agent_state_move pass over it); these functions put what
-- the PBX did into the call's state, through the same functions the CTI
-- commands use (call_arrive, call_offer, call_answer, call_hangup,
-- call_requeue, call_take_back), so the notifications, the counters and the
-- agents' states follow as for any call. Each is idempotent: an event the
-- PBX repeats (a replay after a reconnect) changes nothing the second time.
-- A call's events are taken one at a time (an advisory lock on its PBX id).

-- The agent the PBX means: whose extension is p_ref (case aside), else whose
-- login it is; then the same for p_alt (Asterisk's MemberName beside the
-- Interface, the part of FreeSWITCH's agent name before '@'). NULL: nobody.
create or replace function pbx_agent(p_ref text, p_alt text default null)
returns text language sql stable security definer set search_path = pg_catalog, public, pg_temp as $$
	select coalesce((select a.login from agent a where lower(a.extension) = lower(p_ref)),
	                (select a.login from agent a where a.login = p_ref),
	                (select a.login from agent a where lower(a.extension) = lower(p_alt)),
	                (select a.login from agent a where a.login = p_alt))
$$;

-- The open call (queued, offered or answered) of this PBX id, locked; NULL when none.
create or replace function pbx_call_open(p_pbx_id text)
returns bigint language plpgsql security definer set search_path = pg_catalog, public, pg_temp as $$
declare
	v_id bigint;
begin
	if p_pbx_id is null or p_pbx_id = '' then
		raise exception 'a PBX call needs its call id' using errcode = '22023';
	end if;
	perform pg_advisory_xact_lock(7734240, hashtext(p_pbx_id));
	select id into v_id from call
	where pbx_id = p_pbx_id and state in ('queued', 'offered', 'answered')
	for no key update;
	return v_id;
end $$;

-- The PBX puts a call in a queue (Asterisk QueueCallerJoin, FreeSWITCH
-- member-queue-start). A new PBX id arrives as call_arrive has it (the
-- caller found by number) and is then given its id and queue (by name, or
-- the name before '@'). A queue ccterm does not know leaves the call
-- without a queue (it still pops). A call the
-- PBX queues again: an offer ringing goes back to waiting; an answered call
-- (transferred to a queue) ends for its agent and the caller is a new call
-- with the same PBX id, caller and dialled number. Returns the call id.
create or replace function pbx_call_queued(p_pbx_id text, p_ani text, p_ani_e164 text, p_dnis text,
                                           p_queue text)
returns bigint language plpgsql security definer set search_path = pg_catalog, public, pg_temp as $$
declare
	v_id bigint := pbx_call_open(p_pbx_id);
	v_queue integer;
	v_state text;
	v_login text;
	v_ani text := p_ani;
	v_e164 text := p_ani_e164;
	v_dnis text := p_dnis;
begin
	-- FreeSWITCH names queues name@domain: the name alone is tried too.
	select id into v_queue from queue where name = p_queue;
	if not found then
		select id into v_queue from queue where name = split_part(p_queue, '@', 1);
	end if;
	if v_id is not null then
		select state, agent_login into v_state, v_login from call where id = v_id;
		if v_state = 'offered' then
			perform call_requeue(v_id);
			if (select a.state from agent a where a.login = v_login) = 'ringing' then
				perform agent_state_move(v_login, 'ready', 'pbx requeued ' || v_id);
			end if;
		elsif v_state = 'answered' then
			perform call_hangup(v_id);
			v_id := null;
		end if;
	end if;
	if v_id is null then
		if v_ani is null and v_dnis is null then
			select c.ani, c.ani_e164, c.dnis into v_ani, v_e164, v_dnis from call c
			where c.pbx_id = p_pbx_id order by c.created_at desc, c.id desc limit 1;
		end if;
		v_id := call_arrive(v_ani, v_e164, v_dnis, null, null);
		update call set pbx_id = p_pbx_id where id = v_id;
	end if;
	if v_queue is not null and (select c.queue_id from call c where c.id = v_id) is distinct from v_queue then
		update call set queue_id = v_queue, sla_seconds = (select q.sla_seconds from queue q where q.id = v_queue)
		where id = v_id;
		perform pg_notify('queue_' || v_queue, v_id::text);
	end if;
	return v_id;
end $$;

-- The PBX rings an agent (AgentCalled, agent-offering). A call the PBX had
-- not queued (a direct call, the events protocol) arrives first. Ringing
-- another agent (a transfer, a ring-all queue) takes it from the first:
-- an answered call ends for its agent and the new agent gets a new call
-- with the same PBX id. An agent who holds another call is refused as
-- call_arrive refuses (CC001). Returns the call id.
create or replace function pbx_call_offered(p_pbx_id text, p_agent text, p_agent_alt text, p_ani text,
                                            p_ani_e164 text, p_dnis text, p_queue text)
returns bigint language plpgsql security definer set search_path = pg_catalog, public, pg_temp as $$
declare
	v_login text := pbx_agent(p_agent, p_agent_alt);
	v_id bigint := pbx_call_open(p_pbx_id);
	v_state text;
	v_with text;
	v_busy bigint;
begin
	if v_login is null then
		raise exception 'no agent has extension or login % %', coalesce(p_agent, ''), coalesce(p_agent_alt, '')
			using errcode = '22023';
	end if;
	if v_id is not null then
		select state, agent_login into v_state, v_with from call where id = v_id;
		if v_with = v_login and v_state in ('offered', 'answered') then
			return v_id;
		end if;
	end if;
	if v_id is null or v_state <> 'queued' then
		v_id := pbx_call_queued(p_pbx_id, p_ani, p_ani_e164, p_dnis, p_queue);
	end if;
	perform 1 from agent where login = v_login for no key update;
	select id into v_busy from call where agent_login = v_login and state in ('offered', 'answered') limit 1;
	if found then
		raise exception 'agent % already has call %', v_login, v_busy using errcode = 'CC001';
	end if;
	perform call_offer(v_id, v_login);
	return v_id;
end $$;

-- The agent picked up (AgentConnect, bridge-agent-start). Offered first
-- when the PBX did not say it rang this agent. Returns the call id.
create or replace function pbx_call_answered(p_pbx_id text, p_agent text, p_agent_alt text, p_ani text,
                                             p_ani_e164 text, p_dnis text, p_queue text)
returns bigint language plpgsql security definer set search_path = pg_catalog, public, pg_temp as $$
declare
	v_id bigint := pbx_call_open(p_pbx_id);
	v_state text;
	v_with text;
begin
	if v_id is not null then
		select state, agent_login into v_state, v_with from call where id = v_id;
	end if;
	if v_id is null or v_state = 'queued' or (v_with is distinct from pbx_agent(p_agent, p_agent_alt)
	                                          and (p_agent is not null or p_agent_alt is not null)) then
		v_id := pbx_call_offered(p_pbx_id, p_agent, p_agent_alt, p_ani, p_ani_e164, p_dnis, p_queue);
		v_state := 'offered';
	end if;
	if v_state = 'offered' then
		perform call_answer(v_id);
	end if;
	return v_id;
end $$;

-- The agent did not pick up (AgentRingNoAnswer, bridge-agent-fail): the call
-- goes back to waiting and the agent is set not ready, reason 'no answer', as
-- at ccterm's own ring timeout (call_take_back). When the PBX names the
-- agent, only that agent's offer is taken back (a ring-all queue rings
-- several). Returns the call id, NULL when there was no such offer.
create or replace function pbx_call_requeued(p_pbx_id text, p_agent text, p_agent_alt text)
returns bigint language plpgsql security definer set search_path = pg_catalog, public, pg_temp as $$
declare
	v_id bigint := pbx_call_open(p_pbx_id);
	v_login text;
begin
	select agent_login into v_login from call where id = v_id and state = 'offered';
	if not found or ((p_agent is not null or p_agent_alt is not null)
	                 and v_login is distinct from pbx_agent(p_agent, p_agent_alt)) then
		return null;
	end if;
	perform 1 from agent where login = v_login for no key update;
	perform call_take_back(v_id, v_login);
	return v_id;
end $$;

-- The caller hung up or the call ended (QueueCallerAbandon, Hangup,
-- member-queue-end, bridge-agent-end): call_hangup, an abandon before an
-- answer. Returns the call id, NULL when no call of this PBX id is open.
create or replace function pbx_call_hungup(p_pbx_id text)
returns bigint language plpgsql security definer set search_path = pg_catalog, public, pg_temp as $$
declare
	v_id bigint := pbx_call_open(p_pbx_id);
begin
	if v_id is not null then
		perform call_hangup(v_id);
	end if;
	return v_id;
end $$;

-- After the link to the PBX was down (ccterm-cti ami reconnected and asked
-- for the channels under way): every open call of the PBX whose id is not
-- in p_alive ended meanwhile (call_hangup: before an answer, an abandon).
-- Returns the calls closed.
create or replace function pbx_resync(p_alive text[])
returns setof bigint language plpgsql security definer set search_path = pg_catalog, public, pg_temp as $$
declare
	v_pbx text;
	v_id bigint;
begin
	for v_pbx in select distinct c.pbx_id from call c
	             where c.pbx_id is not null and c.state in ('queued', 'offered', 'answered')
	               and c.pbx_id <> all (coalesce(p_alive, '{}'))
	loop
		v_id := pbx_call_hungup(v_pbx);
		if v_id is not null then
			return next v_id;
		end if;
	end loop;
end $$;

revoke all on function pbx_resync(text[]) from public;
grant execute on function pbx_resync(text[]) to ccterm_cti, ccterm_admin;

revoke all on function pbx_agent(text, text), pbx_call_open(text),
	pbx_call_queued(text, text, text, text, text),
	pbx_call_offered(text, text, text, text, text, text, text),
	pbx_call_answered(text, text, text, text, text, text, text),
	pbx_call_requeued(text, text, text), pbx_call_hungup(text) from public;
grant execute on function pbx_agent(text, text),
	pbx_call_queued(text, text, text, text, text),
	pbx_call_offered(text, text, text, text, text, text, text),
	pbx_call_answered(text, text, text, text, text, text, text),
	pbx_call_requeued(text, text, text), pbx_call_hungup(text)
	to ccterm_cti, ccterm_admin;
