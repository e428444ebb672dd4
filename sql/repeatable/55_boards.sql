-- 55_boards: what the supervisors' boards show besides the current figures
-- (50_floor.sql): the day's trend of every queue by 15 minutes, each branch's
-- satisfaction over the last 7 days, a queue's waiting calls and agents
-- (drill-down), and the cases escalated or about to breach. Each is read
-- with its board in the same query and re-read on the 'floor' NOTIFY.
-- A repeatable file: applied after the numbered migrations whenever it changes.

-- The center's time zone (settings 'timezone', default Asia/Seoul), as
-- floor_day_start reads it.
create or replace function floor_zone() returns text
language sql stable set search_path = pg_catalog, public, pg_temp as $$
	select coalesce((select value from settings where key = 'timezone'), 'Asia/Seoul')
$$;

-- Every queue's day by 15 minutes, from the per-queue counters (queue_stat,
-- bucketed by the call's arrival): element i (1-based) is the quarter hour
-- starting at floor_day_start(p_at) + (i - 1) * 15 min, the last one the
-- quarter holding p_at; with p_last, only the last p_last of those quarters
-- (what a board has room to draw: the cost grows with the quarters). Every real time zone is a whole number of quarter
-- hours from UTC, so the counters' UTC quarters are the center's quarters.
--   sl_15m       service level of the quarter's calls, % with one decimal
--                (answered in SLA / (answered + abandoned after it)); NULL
--                where no call counts
--   offered_15m  calls that arrived in the quarter (0 where none)
drop function if exists queue_trends(timestamptz);
create or replace function queue_trends(p_at timestamptz default now(), p_last integer default null)
returns table (queue_id integer, sl_15m numeric[], offered_15m integer[])
language sql stable security definer set search_path = pg_catalog, public, pg_temp as $$
	-- The day's quarters as timestamps, joined to the counters by their key;
	-- the rows go to array_agg in quarter order from the sorted subquery (one
	-- sort for all queues; check_trends holds the order). The cost follows
	-- the quarters read (bench/FLOOR.md).
	-- (the range on bucket reads only today's counters of a long history)
	with d as materialized (
		select floor_day_start(p_at) as d0
	), g as materialized (
		select b from d,
		       generate_series(greatest(d.d0, date_bin('15 minutes', p_at, d.d0)
		                                      - (greatest(coalesce(p_last, 100), 1) - 1) * interval '15 minutes'),
		                       p_at, interval '15 minutes') b
	)
	select x.id, array_agg(x.sl), array_agg(x.offered)
	from (
		select q.id, round(100.0 * s.answered_in_sla / nullif(s.answered + s.abandoned_after_sla, 0), 1) as sl,
		       coalesce(s.offered, 0) as offered
		from queue q
		cross join g
		left join (select t.* from queue_stat t, d where t.bucket >= d.d0 and t.bucket <= p_at) s
		       on s.queue_id = q.id and s.bucket = g.b
		order by q.id, g.b
	) x
	group by x.id
$$;

-- The satisfaction board in one pass over the survey answers: what
-- branch_satisfaction (50_floor.sql) returns, in its order, and each
-- branch's days in the center's time zone, the seven ending with p_at's day:
-- element 1 is six days before, element 7 today. avg_7d has two decimals,
-- NULL on a day without answers; n_7d the answers.
create or replace function branch_board(p_at timestamptz default now())
returns table (branch_code text, branch_name text, today_avg numeric, today_n bigint,
               week_avg numeric, week_n bigint, avg_7d numeric[], n_7d integer[])
language sql stable security definer set search_path = pg_catalog, public, pg_temp as $$
	-- the local midnights of the eight days, oldest first: an answer's day is
	-- a binary search among them (no time zone conversion per answer)
	with d as materialized (
		select array(select floor_day_start(p_at, k) from generate_series(7, 0, -1) k) as bounds
	), s as materialized (
		-- back: days before p_at's day (0 today .. 7)
		select coalesce(i.branch_code, '') as code, 8 - width_bucket(i.occurred_at, d.bounds) as back,
		       sum(i.score) as total, count(*) as n
		from interaction i, d
		where i.kind = 'survey' and i.score is not null and i.occurred_at >= d.bounds[1] and i.occurred_at <= p_at
		group by 1, 2
	), b as (
		select s.code,
		       round(sum(s.total) filter (where s.back = 0) / nullif(sum(s.n) filter (where s.back = 0), 0), 2) as today_avg,
		       coalesce(sum(s.n) filter (where s.back = 0), 0)::bigint as today_n,
		       round(sum(s.total) filter (where s.back > 0) / nullif(sum(s.n) filter (where s.back > 0), 0), 2) as week_avg,
		       coalesce(sum(s.n) filter (where s.back > 0), 0)::bigint as week_n
		from s group by s.code
	)
	select b.code, coalesce(br.name, '(no branch)'), b.today_avg, b.today_n, b.week_avg, b.week_n,
	       array(select round(x.total::numeric / x.n, 2) from generate_series(6, 0, -1) k
	             left join s x on x.code = b.code and x.back = k order by k desc),
	       array(select coalesce(x.n, 0)::integer from generate_series(6, 0, -1) k
	             left join s x on x.code = b.code and x.back = k order by k desc)
	from b
	left join branch br on br.code = nullif(b.code, '')
	order by 3 nulls last, 5 nulls last, 1
$$;

-- A queue's drill-down: its waiting calls, longest wait first (kind 'call':
-- id the call, name the caller's number masked to its last four digits,
-- secs the wait), then the agents with its skill who are logged in (kind
-- 'agent': id the login, state, reason the pause reason's label, secs the
-- time in state), working first as on the agent board.
create or replace function queue_drill(p_queue integer, p_at timestamptz default now())
returns table (kind text, id text, name text, state text, reason text, secs integer)
language sql stable security definer set search_path = pg_catalog, public, pg_temp as $$
	select x.kind, x.id, x.name, x.state, x.reason, x.secs from (
		select 'call' as kind, c.id::text as id,
		       case when coalesce(c.ani_e164, c.ani) is null then '(withheld)'
		            else '***-****-' || right(coalesce(c.ani_e164, c.ani), 4) end as name,
		       c.state, '' as reason, greatest(floor(extract(epoch from p_at - c.created_at)), 0)::integer as secs,
		       0 as k1, c.created_at as k2
		from call c
		where c.queue_id = p_queue and c.state = 'queued' and c.created_at <= p_at
		union all
		select 'agent', a.login, a.name, a.state, coalesce(r.label, a.state_reason, ''),
		       greatest(floor(extract(epoch from p_at - a.state_since)), 0)::integer,
		       array_position(array['on_call', 'ringing', 'wrap_up', 'ready', 'not_ready', 'break'], a.state),
		       a.state_since
		from agent_queue aq
		join agent a on a.login = aq.login
		left join pause_reason r on r.code = a.state_reason
		where aq.queue_id = p_queue and a.state <> 'logged_out'
	) x
	order by x.kind = 'agent', x.k1, x.k2, x.id
$$;

-- The cases a supervisor must look at now: open and escalated, or past
-- case_escalate_pct of their SLA (warning) or past due (breached); soonest
-- due first. The customer is masked (the first character of each word),
-- so the board reads no customer's record: opening the case does, audited.
create or replace function floor_cases(p_limit integer default 50)
returns table (id bigint, case_no text, status text, sla_state text, owner_login text, owner_name text,
               customer_masked text, subject text, due_at timestamptz, minutes_left integer)
language plpgsql stable security definer set search_path = pg_catalog, public, pg_temp as $$
begin
	if not case_is_supervisor() then
		raise exception 'the case board is for supervisors' using errcode = '42501';
	end if;
	return query
	select k.id, case_no(k.id), k.status, s.state, coalesce(k.owner_login, ''), coalesce(a.name, ''),
	       regexp_replace(cu.name, '(\S)\S*', '\1**', 'g'), k.subject, k.due_at,
	       case when k.due_at is not null then floor(extract(epoch from k.due_at - now()) / 60)::integer end
	from cases k
	join customer cu on cu.id = k.customer_id
	left join agent a on a.login = k.owner_login
	cross join lateral (select case_sla_state(k.status, k.opened_at, k.due_at) as state) s
	where k.status <> 'closed' and (k.status = 'escalated' or s.state in ('warning', 'breached'))
	order by k.due_at nulls last, k.id
	limit greatest(coalesce(p_limit, 50), 1);
end $$;

revoke all on function floor_zone(), queue_trends(timestamptz, integer),
	queue_drill(integer, timestamptz), floor_cases(integer), branch_board(timestamptz) from public;
grant execute on function floor_zone() to ccterm_agent, ccterm_branch, ccterm_supervisor, ccterm_admin, ccterm_cti;
grant execute on function queue_trends(timestamptz, integer), branch_board(timestamptz), queue_drill(integer, timestamptz),
	floor_cases(integer)
	to ccterm_supervisor, ccterm_admin;
