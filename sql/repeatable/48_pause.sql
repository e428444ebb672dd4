-- 48_pause: break and not ready with a reason from the list (pause_reason), and
-- each agent's figures of the day for the boards.
-- A repeatable file: applied after the numbered migrations whenever it changes.

-- The reasons to offer, in the list's order (every login: the console's picker).
create or replace function pause_reasons()
returns table (code text, label text, state text)
language sql stable security definer set search_path = pg_catalog, public, pg_temp as $$
	select r.code, r.label, r.state from pause_reason r where r.active order by r.sort, r.code
$$;

-- Puts p_login on break or not ready with a reason of the list; the state is
-- the reason's, the agent's state_reason its code (agent_state keeps it too,
-- and the agent's console hears "state break lunch"). An unknown or retired
-- reason is refused (SQLSTATE 22023) naming the valid ones.
create or replace function agent_pause_move(p_login text, p_reason text)
returns timestamptz language plpgsql security definer set search_path = pg_catalog, public, pg_temp as $$
declare
	v_state text;
begin
	select r.state into v_state from pause_reason r where r.code = p_reason and r.active;
	if not found then
		raise exception 'unknown pause reason % (one of: %)', coalesce(p_reason, '(none)'),
			(select string_agg(r.code, ', ' order by r.sort, r.code) from pause_reason r where r.active)
			using errcode = '22023';
	end if;
	-- Already in that state for another reason (lunch, then training): the
	-- new reason starts a new span, and is heard as a change of state.
	if exists (select 1 from agent a where a.login = p_login and a.state = v_state
	           and a.state_reason is distinct from p_reason) then
		update agent set state_since = clock_timestamp(), state_reason = p_reason where login = p_login;
		insert into agent_state (login, state, reason, started_at) values (p_login, v_state, p_reason, clock_timestamp());
		perform pg_notify('floor', 'agent');
		perform pg_notify('agent_' || p_login, 'state ' || v_state || ' ' || p_reason);
		return (select a.state_since from agent a where a.login = p_login);
	end if;
	return agent_state_move(p_login, v_state, p_reason);
end $$;

-- The agent behind this connection pauses (the console).
create or replace function agent_pause(p_reason text)
returns timestamptz language plpgsql security definer set search_path = pg_catalog, public, pg_temp as $$
begin
	if not exists (select 1 from agent where login = session_user) then
		return null;
	end if;
	return agent_pause_move(session_user, p_reason);
end $$;

-- A supervisor or the CTI pauses an agent.
create or replace function agent_pause_for(p_login text, p_reason text)
returns timestamptz language sql security definer set search_path = pg_catalog, public, pg_temp as $$
	select agent_pause_move(p_login, p_reason)
$$;

-- Every agent's day so far (from local midnight, floor_day_start, to p_at),
-- for the agent board and the wallboard:
--   state, reason      now; reason is the pause reason's label when it is one
--                      ("Lunch"), else as recorded ("no answer", "call 12")
--   state_secs         seconds in the state now
--   handled            calls answered today
--   missed             offers not answered today (ring no answer: ccterm's
--                      ring timeout or the PBX's)
--   aht_secs           average handle time: (talk of the calls that ended today
--                      + time in wrap-up today) / calls that ended today, one
--                      decimal; NULL before the first
--   occupancy_pct      (ringing + on call + wrap-up) / (those + ready) * 100 of
--                      the time today, one decimal; NULL when never available
--   paused_secs        time on break or not ready today
create or replace function agent_floor_today(p_at timestamptz default now())
returns table (login text, name text, state text, reason text, state_secs integer,
               handled bigint, missed bigint, aht_secs numeric, occupancy_pct numeric, paused_secs integer)
language sql stable security definer set search_path = pg_catalog, public, pg_temp as $$
	with d as materialized (select floor_day_start(p_at) as d0),
	-- each agent's states from the one held at midnight on, read through
	-- the (login, started_at) index rather than the whole history
	held as (
		select y.login, y.state, y.reason, y.started_at, y.id
		from agent g, d
		cross join lateral (select x.* from agent_state x
		                    where x.login = g.login and x.started_at <= d.d0
		                    order by x.started_at desc, x.id desc limit 1) y
		union all
		select y.login, y.state, y.reason, y.started_at, y.id
		from agent g, d
		cross join lateral (select x.* from agent_state x
		                    where x.login = g.login and x.started_at > d.d0 and x.started_at <= p_at) y
	), hist as (
		select s.login, s.state, s.reason, s.started_at,
		       lead(s.started_at) over (partition by s.login order by s.started_at, s.id) as next_at
		from held s
		where s.started_at <= p_at
	), spans as (
		select h.login, h.state, h.reason,
		       greatest(extract(epoch from least(coalesce(h.next_at, p_at), p_at) - greatest(h.started_at, d.d0)), 0) as secs
		from hist h, d
		where coalesce(h.next_at, p_at) > d.d0
	), times as (
		select sp.login,
		       sum(sp.secs) filter (where sp.state in ('ringing', 'on_call', 'wrap_up')) as busy,
		       sum(sp.secs) filter (where sp.state = 'ready') as idle,
		       sum(sp.secs) filter (where sp.state = 'wrap_up') as wrap,
		       sum(sp.secs) filter (where sp.state in ('break', 'not_ready')) as paused
		from spans sp
		group by sp.login
	), missed as (
		select s.login, count(*) as n
		from agent_state s, d
		where s.reason = 'no answer' and s.started_at >= d.d0 and s.started_at <= p_at
		group by s.login
	), calls as (
		select c.agent_login as login,
		       count(*) filter (where c.answered_at >= d.d0) as handled,
		       count(*) filter (where c.state = 'ended' and c.ended_at >= d.d0) as ended,
		       sum(extract(epoch from c.ended_at - greatest(c.answered_at, d.d0)))
		           filter (where c.state = 'ended' and c.ended_at >= d.d0) as talk
		from call c, d
		where c.agent_login is not null and c.answered_at is not null and c.answered_at <= p_at
		  and (c.answered_at >= d.d0 or c.ended_at >= d.d0 or c.ended_at is null)
		group by c.agent_login
	)
	select a.login, a.name, a.state, coalesce(r.label, a.state_reason, ''),
	       greatest(floor(extract(epoch from p_at - a.state_since)), 0)::integer,
	       coalesce(c.handled, 0), coalesce(m.n, 0),
	       round(((coalesce(c.talk, 0) + coalesce(t.wrap, 0)) / nullif(c.ended, 0))::numeric, 1),
	       round((100 * t.busy / nullif(coalesce(t.busy, 0) + coalesce(t.idle, 0), 0))::numeric, 1),
	       coalesce(floor(t.paused), 0)::integer
	from agent a
	left join pause_reason r on r.code = a.state_reason
	left join times t on t.login = a.login
	left join missed m on m.login = a.login
	left join calls c on c.login = a.login
	order by a.login
$$;

revoke all on function pause_reasons(), agent_pause_move(text, text), agent_pause(text),
	agent_pause_for(text, text), agent_floor_today(timestamptz) from public;
grant execute on function pause_reasons() to ccterm_agent, ccterm_branch, ccterm_supervisor, ccterm_admin, ccterm_cti;
grant execute on function agent_pause(text) to ccterm_agent, ccterm_supervisor, ccterm_admin;
grant execute on function agent_pause_for(text, text) to ccterm_supervisor, ccterm_admin, ccterm_cti;
grant execute on function agent_floor_today(timestamptz) to ccterm_supervisor, ccterm_admin;
