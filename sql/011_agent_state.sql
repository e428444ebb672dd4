-- 011 the agent's own state (ready, not ready, break ...) and what the
-- status bar shows of the queues: both for the connected agent only.

-- Every change is kept with its time: time in state and occupancy come from agent_state.
create or replace function agent_set_state(p_state text, p_reason text default null)
returns timestamptz language plpgsql security definer set search_path = public as $$
declare
	v_since timestamptz := clock_timestamp();
begin
	if p_state not in ('logged_out', 'not_ready', 'ready', 'ringing', 'on_call', 'wrap_up', 'break') then
		raise exception 'unknown agent state %', p_state using errcode = '22023';
	end if;
	update agent set state = p_state, state_since = v_since
	where login = session_user and state is distinct from p_state;
	if found then
		insert into agent_state (login, state, reason, started_at)
		values (session_user, p_state, nullif(p_reason, ''), v_since);
	else
		select state_since into v_since from agent where login = session_user;
	end if;
	return v_since;
end $$;

-- Calls waiting in the queues this agent serves.
create or replace function queue_waiting_mine()
returns bigint language sql stable as $$
	select count(*) from call c
	join agent_queue aq on aq.queue_id = c.queue_id and aq.login = current_user
	where c.state = 'queued'
$$;

-- The queue channels to LISTEN on for the status bar's waiting count.
create or replace function queue_channels_mine()
returns setof text language sql stable as $$
	select 'queue_' || queue_id from agent_queue where login = current_user order by queue_id
$$;

revoke all on function agent_set_state(text, text) from public;
grant execute on function agent_set_state(text, text), queue_waiting_mine(), queue_channels_mine()
	to ccterm_agent, ccterm_branch, ccterm_supervisor, ccterm_admin;
