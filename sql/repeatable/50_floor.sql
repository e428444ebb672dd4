-- 50_floor: The supervisor's floor: wallboards, satisfaction, and the 'floor' NOTIFY.
-- A repeatable file: applied after the numbered migrations whenever it changes.

-- The queue wallboard, one row per queue, for the day of p_at (default now;
-- "today" begins at floor_day_start(p_at)). Calls count on the day they
-- arrived (queue_stat above):
--   offered / answered / abandoned   calls that arrived today; answered or
--                  hung up before an answer (at any time since)
--   service_level_pct   answered within the call's sla_seconds
--                  / (answered + abandoned after sla_seconds) * 100, one
--                  decimal; abandons within the threshold count neither way;
--                  NULL while no call counts
--   asa_secs       average seconds from arrival to answer, one decimal
--   waiting_now    calls queued now, whatever day they arrived, and the
--                  longest of their waits at p_at
--   agents_*       agents with the queue's skill in each state
create or replace function wallboard_queues(p_at timestamptz default now())
returns table (queue_id integer, name text, sla_seconds integer, sla_target_pct numeric,
               waiting_now bigint, longest_wait_secs integer,
               offered_today bigint, answered_today bigint, abandoned_today bigint,
               answered_in_sla bigint, abandoned_after_sla bigint,
               service_level_pct numeric, asa_secs numeric,
               agents_ready bigint, agents_ringing bigint, agents_on_call bigint,
               agents_wrap_up bigint, agents_break bigint, agents_not_ready bigint)
language sql stable security definer set search_path = pg_catalog, public, pg_temp as $$
	with today as (
		select s.queue_id, sum(s.offered) as offered, sum(s.answered) as answered,
		       sum(s.abandoned) as abandoned, sum(s.answered_in_sla) as in_sla,
		       sum(s.abandoned_after_sla) as abandoned_late, sum(s.answer_ms) as answer_ms
		from queue_stat s
		where s.bucket >= floor_day_start(p_at) and s.bucket <= p_at
		group by s.queue_id
	), waiting as (
		select c.queue_id, count(*) as n, min(c.created_at) as oldest
		from call c
		where c.state = 'queued' and c.created_at <= p_at
		group by c.queue_id
	), staff as (
		select aq.queue_id,
		       count(*) filter (where a.state = 'ready') as ready,
		       count(*) filter (where a.state = 'ringing') as ringing,
		       count(*) filter (where a.state = 'on_call') as on_call,
		       count(*) filter (where a.state = 'wrap_up') as wrap_up,
		       count(*) filter (where a.state = 'break') as on_break,
		       count(*) filter (where a.state = 'not_ready') as not_ready
		from agent_queue aq join agent a on a.login = aq.login
		where a.state <> 'logged_out'
		group by aq.queue_id
	)
	select q.id, q.name, q.sla_seconds, q.sla_target_pct,
	       coalesce(w.n, 0), coalesce(floor(extract(epoch from p_at - w.oldest))::integer, 0),
	       coalesce(t.offered, 0)::bigint, coalesce(t.answered, 0)::bigint, coalesce(t.abandoned, 0)::bigint,
	       coalesce(t.in_sla, 0)::bigint, coalesce(t.abandoned_late, 0)::bigint,
	       round(100.0 * t.in_sla / nullif(t.answered + t.abandoned_late, 0), 1),
	       round(t.answer_ms / 1000.0 / nullif(t.answered, 0), 1),
	       coalesce(s.ready, 0), coalesce(s.ringing, 0), coalesce(s.on_call, 0),
	       coalesce(s.wrap_up, 0), coalesce(s.on_break, 0), coalesce(s.not_ready, 0)
	from queue q
	left join today t on t.queue_id = q.id
	left join waiting w on w.queue_id = q.id
	left join staff s on s.queue_id = q.id
	order by q.name
$$;

-- The agent board: each agent's state and time in it, the open call and its
-- customer, calls answered today. p_sort: 'state' (working first, then
-- longest in state), 'time' (longest in state), 'login', 'name', 'handled'
-- (most first). total is the number of agents, for paging; reason the pause
-- reason's label (or the reason as given, '' when none).
drop function if exists wallboard_agents(text, integer, integer, timestamptz);
create function wallboard_agents(p_sort text default 'state', p_limit integer default 100,
                                            p_offset integer default 0, p_at timestamptz default now())
returns table (login text, name text, branch_code text, state text, state_secs integer,
               call_id bigint, call_state text, customer_id bigint, customer_name text,
               handled_today bigint, total bigint, reason text)
language plpgsql stable security definer set search_path = pg_catalog, public, pg_temp as $$
declare
	v_day timestamptz := floor_day_start(p_at);
begin
	if p_sort is null or p_sort not in ('state', 'time', 'login', 'name', 'handled') then
		raise exception 'unknown sort %', p_sort using errcode = '22023';
	end if;
	-- Sorted by anything but the count, the page is cut first and counted after.
	return query
	with board as (
		select a.login, a.name, a.branch_code, a.state, a.state_since, a.state_reason, count(*) over () as total,
		       case when p_sort = 'handled' then
		            (select count(*) from call h
		             where h.agent_login = a.login and h.answered_at >= v_day and h.answered_at <= p_at) end as handled
		from agent a
	), page as (
		select b.* from board b
		order by
			case when p_sort = 'state' then array_position(
				array['on_call', 'ringing', 'wrap_up', 'ready', 'not_ready', 'break', 'logged_out'], b.state) end,
			case when p_sort in ('state', 'time') then b.state_since end,
			case when p_sort = 'handled' then b.handled end desc,
			case when p_sort = 'name' then b.name end,
			b.login
		limit p_limit offset coalesce(p_offset, 0)
	)
	select p.login, p.name, p.branch_code, p.state,
	       greatest(floor(extract(epoch from p_at - p.state_since)), 0)::integer,
	       oc.id, oc.state, oc.customer_id, cu.name,
	       coalesce(p.handled, (select count(*) from call h
	                            where h.agent_login = p.login and h.answered_at >= v_day and h.answered_at <= p_at)),
	       p.total, coalesce(r.label, p.state_reason, '')
	from page p
	left join pause_reason r on r.code = p.state_reason
	left join lateral (select c.id, c.state, c.customer_id from call c
	                   where c.agent_login = p.login and c.state in ('offered', 'answered')
	                   order by c.created_at desc, c.id desc limit 1) oc on true
	left join customer cu on cu.id = oc.customer_id
	order by
		case when p_sort = 'state' then array_position(
			array['on_call', 'ringing', 'wrap_up', 'ready', 'not_ready', 'break', 'logged_out'], p.state) end,
		case when p_sort in ('state', 'time') then p.state_since end,
		case when p_sort = 'handled' then p.handled end desc,
		case when p_sort = 'name' then p.name end,
		p.login;
end $$;

-- Satisfaction by branch from survey answers (score 1-5): today, and the
-- seven days before today, with the number of answers behind each figure;
-- lowest today first, then lowest over the week. Surveys without a branch
-- are shown under code ''.
create or replace function branch_satisfaction(p_at timestamptz default now())
returns table (branch_code text, branch_name text, today_avg numeric, today_n bigint,
               week_avg numeric, week_n bigint)
language sql stable security definer set search_path = pg_catalog, public, pg_temp as $$
	select coalesce(i.branch_code, ''), coalesce(b.name, '(no branch)'),
	       round(avg(i.score) filter (where i.occurred_at >= d.d0), 2),
	       count(*) filter (where i.occurred_at >= d.d0),
	       round(avg(i.score) filter (where i.occurred_at < d.d0), 2),
	       count(*) filter (where i.occurred_at < d.d0)
	from (select floor_day_start(p_at) as d0, floor_day_start(p_at, 7) as d7 offset 0) d   -- once, not per row
	join interaction i on i.occurred_at >= d.d7 and i.occurred_at <= p_at
	left join branch b on b.code = i.branch_code
	where i.kind = 'survey' and i.score is not null
	group by i.branch_code, b.name
	order by 3 nulls last, 5 nulls last, 1
$$;

-- One agent's day: seconds in each state from local midnight to p_at, from
-- the agent_state history (the state held at midnight counts from midnight).
-- Occupancy = (ringing + on_call + wrap_up) / (those + ready).
create or replace function agent_day(p_login text, p_at timestamptz default now())
returns table (state text, secs integer)
language sql stable security definer set search_path = pg_catalog, public, pg_temp as $$
	with d as materialized (select floor_day_start(p_at) as d0),
	spans as (
		select s.state, greatest(s.started_at, d.d0) as t0,
		       least(coalesce(lead(s.started_at) over (order by s.started_at, s.id), p_at), p_at) as t1
		from agent_state s, d
		where s.login = p_login and s.started_at <= p_at
		  and s.started_at >= coalesce((select max(x.started_at) from agent_state x
		                                where x.login = p_login and x.started_at <= d.d0), '-infinity')
	)
	select sp.state, sum(greatest(floor(extract(epoch from sp.t1 - sp.t0)), 0))::integer
	from spans sp
	where sp.t1 > sp.t0
	group by sp.state
	order by array_position(array['ready', 'ringing', 'on_call', 'wrap_up', 'not_ready', 'break', 'logged_out'],
	                        sp.state)
$$;

-- 021 one channel, 'floor', for everything a supervisor's boards show: a call
-- changing state, an agent changing state. The payload says which; NOTIFY
-- folds equal payloads within a transaction, and the console coalesces
-- bursts, so a busy floor costs the wallboard at most ~10 refreshes a second.
create or replace function floor_notify() returns trigger
language plpgsql as $$
begin
	if tg_op = 'INSERT' or old.state is distinct from new.state then
		perform pg_notify('floor', tg_table_name);
		-- the agent's own console learns its new state (set by CTI, routing or
		-- itself): "state <state> <reason>", the reason "" when none
		if tg_table_name = 'agent' then
			perform pg_notify('agent_' || new.login,
			                  'state ' || new.state || ' ' || coalesce(left(new.state_reason, 200), ''));
		end if;
	end if;
	return null;
end $$;

create or replace trigger agent_floor_notify after insert or update of state on agent
	for each row execute function floor_notify();

create or replace trigger call_floor_notify after insert or update of state on call
	for each row execute function floor_notify();
