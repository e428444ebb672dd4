-- 45_agents: Agents' states and the queues they serve.
-- A repeatable file: applied after the numbered migrations whenever it changes.

-- The agent behind this connection changes state (the console). Ready is
-- refused while one of their calls is still answered (SQLSTATE CC003: a
-- console restarted mid-call, a call the agent forgot to end); quitting the
-- console (logged_out, reason 'exit', which the console asks only when no
-- other console of the login is connected) ends their open calls of
-- ccterm's own, so no call stays answered by an agent who is gone. A PBX's
-- calls end when the PBX says so.
create or replace function agent_set_state(p_state text, p_reason text default null)
returns timestamptz language plpgsql security definer set search_path = pg_catalog, public, pg_temp as $$
declare
	v_call bigint;
begin
	if p_state is null or p_state not in ('logged_out', 'not_ready', 'ready', 'ringing', 'on_call', 'wrap_up', 'break') then
		raise exception 'unknown agent state %', p_state using errcode = '22023';
	end if;
	if not exists (select 1 from agent where login = session_user) then
		return null;
	end if;
	if p_state = 'ready' then
		select id into v_call from call where agent_login = session_user and state = 'answered' limit 1;
		if found then
			raise exception 'call % is still open: end it (F12) before going ready', v_call using errcode = 'CC003';
		end if;
	elsif p_state = 'logged_out' and p_reason = 'exit' then
		for v_call in select id from call where agent_login = session_user and state = 'answered' and pbx_id is null
		loop
			perform call_hangup(v_call);
		end loop;
	end if;
	return agent_state_move(session_user, p_state, p_reason);
end $$;

-- Calls waiting in the queues this agent serves.
create or replace function queue_waiting_mine()
returns bigint language sql stable security definer set search_path = pg_catalog, public, pg_temp as $$
	select count(*) from call c
	join agent_queue aq on aq.queue_id = c.queue_id and aq.login = session_user
	where c.state = 'queued'
$$;

-- The queue channels to LISTEN on for the status bar's waiting count.
create or replace function queue_channels_mine()
returns setof text language sql stable as $$
	select 'queue_' || queue_id from agent_queue where login = session_user order by queue_id
$$;

-- The one place an agent's state changes: the row, its history, and what
-- the change means for calls. Going ready looks for a waiting call; leaving
-- for not_ready, break or logged_out hands back a call still ringing.
create or replace function agent_state_move(p_login text, p_state text, p_reason text)
returns timestamptz language plpgsql security definer set search_path = pg_catalog, public, pg_temp as $$
declare
	v_since timestamptz := clock_timestamp();
	v_old text;
	v_call bigint;
begin
	if p_state is null or p_state not in ('logged_out', 'not_ready', 'ready', 'ringing', 'on_call', 'wrap_up', 'break') then
		raise exception 'unknown agent state %', p_state using errcode = '22023';
	end if;
	select state into v_old from agent where login = p_login for no key update;
	if not found then
		raise exception 'unknown agent %', p_login using errcode = '22023';
	end if;
	if v_old is distinct from p_state then
		update agent set state = p_state, state_since = v_since, state_reason = nullif(p_reason, '')
		where login = p_login;
		insert into agent_state (login, state, reason, started_at)
		values (p_login, p_state, nullif(p_reason, ''), v_since);
	else
		select state_since into v_since from agent where login = p_login;
	end if;
	if p_state in ('logged_out', 'not_ready', 'break') then
		for v_call in
			select id from call
			where agent_login = p_login and routed and state = 'offered' and pbx_id is null   -- the PBX's own: it decides
			for no key update skip locked   -- a call locked here is being answered or hung up
		loop
			perform call_requeue(v_call);
			perform route_call(v_call);
		end loop;
	elsif p_state = 'ready' then
		perform route_agent(p_login);
	end if;
	return v_since;
end $$;

-- Someone else changes an agent's state: CTI, a supervisor, the simulator.
create or replace function agent_set_state_for(p_login text, p_state text, p_reason text default null)
returns timestamptz language plpgsql security definer set search_path = pg_catalog, public, pg_temp as $$
begin
	return agent_state_move(p_login, p_state, p_reason);
end $$;

-- The connected agent's state, its reason ("" when none) and the seconds in
-- it by the server's clock, never negative (a state_since written by a host
-- whose clock runs ahead counts as 0, not -1). No row for a role that is no agent.
create or replace function my_state()
returns table (login text, state text, reason text, state_since timestamptz, seconds_in_state integer)
language sql security definer set search_path = pg_catalog, public, pg_temp as $$
	select a.login, a.state, coalesce(a.state_reason, ''), a.state_since,
	       greatest(floor(extract(epoch from clock_timestamp() - a.state_since)), 0)::integer
	from agent a
	where a.login = session_user
$$;

revoke all on function my_state() from public;
grant execute on function my_state() to ccterm_agent, ccterm_branch, ccterm_supervisor, ccterm_admin;

-- The channels ccterm-relayd may subscribe a console of this login to: the
-- same ones the console LISTENs on itself (notify_listen_request): its own
-- agent_<login>, its queues' channels, lists (31_lists.sql) for everyone, and floor for supervisors and admins.
-- None for a login that is not an agent.
create or replace function relay_channels(p_login text)
returns setof text language sql stable security definer set search_path = pg_catalog, public, pg_temp as $$
	select 'agent_' || a.login from agent a where a.login = p_login
	union all
	select 'queue_' || aq.queue_id from agent_queue aq where aq.login = p_login
	union all
	select 'floor' from agent a where a.login = p_login and a.role in ('supervisor', 'admin')
	union all
	select 'lists' from agent a where a.login = p_login   -- the form's lists changed (31_lists.sql)
$$;
revoke all on function relay_channels(text) from public;
grant execute on function relay_channels(text) to ccterm_relay, ccterm_admin;
