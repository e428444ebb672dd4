-- 45_agents: Agents' states and the queues they serve.
-- A repeatable file: applied after the numbered migrations whenever it changes.

-- The agent behind this connection changes state (the console). Ready is
-- refused while one of their calls is still answered (SQLSTATE CC003: a
-- console restarted mid-call, a call the agent forgot to end); quitting the
-- console (logged_out, reason 'exit', which console_session_close() asks
-- only when no other console of the login is open) ends their open calls of
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
-- agent_<login>, its queues' channels, lists (31_lists.sql) for everyone, and floor and campaign for supervisors and admins.
-- None for a login that is not an agent.
create or replace function relay_channels(p_login text)
returns setof text language sql stable security definer set search_path = pg_catalog, public, pg_temp as $$
	select 'agent_' || a.login from agent a where a.login = p_login
	union all
	select 'queue_' || aq.queue_id from agent_queue aq where aq.login = p_login
	union all
	select 'floor' from agent a where a.login = p_login and a.role in ('supervisor', 'admin')
	union all
	select 'campaign' from agent a where a.login = p_login and a.role in ('supervisor', 'admin')   -- the campaign board (79_campaign_board.sql)
	union all
	select 'lists' from agent a where a.login = p_login   -- the form's lists changed (31_lists.sql)
$$;
revoke all on function relay_channels(text) from public;
grant execute on function relay_channels(text) to ccterm_relay, ccterm_admin;

-- The consoles that are open (console_session, 380). A console beats every
-- CONSOLE_BEAT_MS (src/db/agent.c, 20 s); its row is good for the lease,
-- console_lease_seconds (90, at least 30). All of it per call, in one
-- transaction: it holds behind PgBouncer in transaction mode, where no
-- session state lasts from one transaction to the next.
create or replace function console_lease()
returns interval language sql stable set search_path = pg_catalog, public, pg_temp as $$
	select make_interval(secs => greatest(coalesce(
		(select s.value::integer from settings s where s.key = 'console_lease_seconds' and s.value ~ '^[0-9]{1,6}$'),
		90), 30))
$$;

-- The oldest beat of an open console is older than the lease: one read of
-- console_session_seen's first entry, whatever the number of consoles (the
-- cutoff is taken once: a cutoff written as clock_timestamp() - console_lease()
-- in a WHERE is volatile, so the planner read every row and asked the
-- lease setting once a row - at 1,000 consoles 1,000 times a beat, 50,000
-- times a second, the server's busiest work in bench/run-relay 1000).
create or replace function console_sessions_lapsed(p_cutoff timestamptz)
returns boolean language sql stable set search_path = pg_catalog, public, pg_temp as $$
	select coalesce((select min(s.seen_at) from console_session s) < p_cutoff, false)
$$;

-- Consoles whose lease ran out (killed, their host or network gone) are let
-- go, and an agent left with no open console is logged out (reason
-- 'lapsed'): routing offers no more calls to a console nobody holds. Run by
-- ccterm-cti timers and, when a lease has run out, by the consoles' beats,
-- so a floor without the timers only loses punctuality. An agent locked
-- meanwhile (a state change, a console of theirs quitting) is looked at
-- next time. The number of agents logged out.
create or replace function console_sessions_expire()
returns integer language plpgsql security definer set search_path = pg_catalog, public, pg_temp as $$
declare
	v_cutoff timestamptz := clock_timestamp() - console_lease();
	v_login text;
	v_n integer := 0;
begin
	if not console_sessions_lapsed(v_cutoff) then
		return 0;
	end if;
	for v_login in
		select distinct s.login from console_session s where s.seen_at < v_cutoff
	loop
		perform 1 from agent where login = v_login for no key update skip locked;
		continue when not found;
		delete from console_session where login = v_login and seen_at < v_cutoff;
		if not exists (select 1 from console_session where login = v_login)
		   and exists (select 1 from agent where login = v_login and state <> 'logged_out') then
			perform agent_state_move(v_login, 'logged_out', 'lapsed');
			v_n := v_n + 1;
		end if;
	end loop;
	return v_n;
end $$;

-- A console of the connected agent says it is open: p_id null when it has
-- just connected, else the id its last beat returned. Its lease starts
-- again; the id to beat with next. A row that had lapsed meanwhile (the
-- console stalled for longer than the lease) is made again, and an agent
-- the lapse logged out is logged back in, as a console's connect does.
-- Null for a role that is no agent.
-- A beat that only renews its row commits without waiting for the WAL
-- (1,000 consoles beat 50 times a second; each flush would stand before a
-- call's commit on the disk): lost in a crash, it is a lease that looks up
-- to one beat older, and every console beats again at its reconnect. A
-- beat that makes a row, logs an agent in or lets lapsed consoles go waits
-- for it as every state change does.
create or replace function console_session_beat(p_id bigint)
returns bigint language plpgsql security definer set search_path = pg_catalog, public, pg_temp as $$
declare
	v_id bigint;
	v_sync text := current_setting('synchronous_commit');
begin
	if not exists (select 1 from agent where login = session_user) then
		return null;
	end if;
	if console_sessions_lapsed(clock_timestamp() - console_lease()) then
		perform console_sessions_expire();
	else
		perform set_config('synchronous_commit', 'off', true);
	end if;
	update console_session set seen_at = clock_timestamp()
	where id = p_id and login = session_user
	returning id into v_id;
	if v_id is null then
		perform set_config('synchronous_commit', v_sync, true);
		insert into console_session (login) values (session_user) returning id into v_id;
		if p_id is not null then
			perform agent_state_move(session_user, 'not_ready', 'login')
			from agent where login = session_user and state = 'logged_out';
		end if;
	end if;
	return v_id;
end $$;

-- A console quits (p_reason 'exit', or 'hangup' when its terminal went):
-- its row goes, and when no other console of the login holds a lease the
-- agent is logged out ('exit' also ends their open calls, agent_set_state).
-- Consoles of one login quitting at the same moment take the agent's row
-- in turn, so the last one out sees that it is. True when logged out.
create or replace function console_session_close(p_id bigint, p_reason text)
returns boolean language plpgsql security definer set search_path = pg_catalog, public, pg_temp as $$
declare
	v_cutoff timestamptz := clock_timestamp() - console_lease();
begin
	perform 1 from agent where login = session_user for no key update;
	if not found then
		return false;
	end if;
	delete from console_session
	where login = session_user and (id = p_id or seen_at < v_cutoff);
	if exists (select 1 from console_session where login = session_user) then
		return false;
	end if;
	perform agent_set_state('logged_out', p_reason);
	return true;
end $$;

revoke all on function console_session_beat(bigint), console_session_close(bigint, text), console_sessions_expire(),
	console_sessions_lapsed(timestamptz) from public;
grant execute on function console_session_beat(bigint), console_session_close(bigint, text)
	to ccterm_agent, ccterm_branch, ccterm_supervisor, ccterm_admin;
grant execute on function console_sessions_expire() to ccterm_cti, ccterm_admin;
