-- 90_report: the daily report (`ccterm-admin report day`, the console's
-- :report): one day in the center's time zone (setting 'timezone', default
-- Asia/Seoul), optionally one queue and / or one branch, for supervisors and
-- admins. Each section is the boards' own figures (wallboard_queues,
-- agent_floor_today, branch_satisfaction, campaign_board) read at the day's
-- last instant, or today so far: the report agrees with the boards.
-- A repeatable file: applied after the numbered migrations whenever it changes.

-- The center's time zone, as the report's title says it and as its days
-- are cut.
create or replace function report_timezone() returns text
language sql stable security definer set search_path = pg_catalog, public, pg_temp as $$
	select coalesce((select value from settings where key = 'timezone'), 'Asia/Seoul')
$$;

-- The day [d0, d1) of p_day in the center's zone, and the instant the
-- figures are read at: the day's last microsecond, or now while it lasts.
create or replace function report_day_span(p_day date, out d0 timestamptz, out d1 timestamptz, out at timestamptz)
language sql stable set search_path = pg_catalog, public, pg_temp as $$
	select x.d0, x.d1, least(now(), x.d1 - interval '1 microsecond')
	from (select p_day::timestamp at time zone s.z as d0, (p_day + 1)::timestamp at time zone s.z as d1
	      from (select report_timezone() as z) s) x
$$;

-- Every report function starts here: supervisors and admins only (SQLSTATE
-- 42501 "the daily report is for supervisors"); p_day 'YYYY-MM-DD' or NULL
-- for today in the center's zone, not a day still to come; p_queue a queue's
-- name, p_branch a branch's code, or NULL (SQLSTATE 22023 naming the known
-- ones otherwise). Returns the day.
create or replace function report_check(p_day text, p_queue text, p_branch text)
returns date language plpgsql stable security definer set search_path = pg_catalog, public, pg_temp as $$
declare
	v_day date;
	v_today date := (now() at time zone report_timezone())::date;
begin
	if not (pg_has_role(session_user, 'ccterm_supervisor', 'MEMBER') or pg_has_role(session_user, 'ccterm_admin', 'MEMBER')) then
		raise exception 'the daily report is for supervisors' using errcode = '42501';
	end if;
	if p_day is null or p_day = '' then
		v_day := v_today;
	else
		begin
			if p_day !~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' then
				raise exception using errcode = '22007';
			end if;
			v_day := p_day::date;
		exception when others then
			raise exception 'not a date: "%" (YYYY-MM-DD)', left(p_day, 40) using errcode = '22007';
		end;
	end if;
	if v_day > v_today then
		raise exception 'the day % has not begun (today is %)', v_day, v_today using errcode = '22023';
	end if;
	if p_queue is not null and not exists (select 1 from queue where name = p_queue) then
		raise exception 'unknown queue "%" (queues: %)', left(p_queue, 40),
			coalesce((select string_agg(name, ', ' order by name) from queue), 'none') using errcode = '22023';
	end if;
	if p_branch is not null and not exists (select 1 from branch where code = p_branch) then
		raise exception 'unknown branch "%" (branches: %)', left(p_branch, 40),
			coalesce((select string_agg(code, ', ' order by code) from branch), 'none') using errcode = '22023';
	end if;
	return v_day;
end $$;

-- Per queue: the queue board's counts for the day (calls count on the day
-- they arrived; service level = answered within the queue's SLA / (answered
-- + abandoned after the SLA), as on the board), and the average handle time
-- of the day's calls that ended: talk (answer to end) + the agent's wrap-up
-- after the call (the wrap_up span "call <id>" until the agent's next state,
-- begun by the end of the next day).
-- A branch does not narrow the queues.
create or replace function report_queues(p_day text default null, p_queue text default null, p_branch text default null)
returns table (queue text, sla_seconds integer, sla_target_pct numeric, offered bigint, answered bigint,
	abandoned bigint, answered_in_sla bigint, abandoned_after_sla bigint, service_level_pct numeric,
	asa_secs numeric, aht_secs numeric)
language plpgsql stable security definer set search_path = pg_catalog, public, pg_temp as $$
declare
	s record;
begin
	select * into s from report_day_span(report_check(p_day, p_queue, p_branch));
	return query
	-- the agents' states from the day's start to a day after its end (a
	-- late call's wrap-up), each agent's through the (login, started_at)
	-- index; a wrap-up span is "call <id>" and lasts until the next state
	with st as (
		select y.login, y.state, y.reason, y.started_at,
		       lead(y.started_at) over (partition by y.login order by y.started_at, y.id) as next_at
		from agent g
		cross join lateral (select x.* from agent_state x
		                    where x.login = g.login and x.started_at >= s.d0
		                      and x.started_at < s.d1 + interval '1 day') y
	), wraps as (
		select distinct on (w.login, w.call_id) w.login, w.call_id, w.secs
		from (select st.login, case when st.reason ~ '^call [0-9]{1,18}$' then substr(st.reason, 6)::bigint end as call_id,
		             st.started_at,
		             extract(epoch from coalesce(st.next_at, greatest(now(), st.started_at)) - st.started_at) as secs
		      from st where st.state = 'wrap_up' and st.reason ~ '^call [0-9]{1,18}$') w
		order by w.login, w.call_id, w.started_at
	), h as (
		select c.queue_id, count(*) as n,
		       sum(extract(epoch from c.ended_at - c.answered_at) + coalesce(wr.secs, 0)) as secs
		from call c
		left join wraps wr on wr.call_id = c.id and wr.login = c.agent_login
		where c.created_at >= s.d0 and c.created_at < s.d1 and c.state = 'ended'
		  and c.answered_at is not null and c.queue_id is not null
		group by c.queue_id
	)
	select w.name, w.sla_seconds, w.sla_target_pct, w.offered_today, w.answered_today, w.abandoned_today,
	       w.answered_in_sla, w.abandoned_after_sla, w.service_level_pct, w.asa_secs,
	       round((h.secs / nullif(h.n, 0))::numeric, 1)
	from wallboard_queues(s.at) w
	left join h on h.queue_id = w.queue_id
	where p_queue is null or w.name = p_queue
	order by w.name;
end $$;

-- Per agent who worked that day (a state other than logged out, or a call):
-- the agent board's figures of the day (agent_floor_today): handled, missed
-- (ring no answer), AHT, occupancy, time paused. p_queue: the agents with
-- that queue's skill; p_branch: the branch's agents.
create or replace function report_agents(p_day text default null, p_queue text default null, p_branch text default null)
returns table (login text, name text, branch_code text, handled bigint, missed bigint, aht_secs numeric,
	occupancy_pct numeric, paused_secs integer)
language plpgsql stable security definer set search_path = pg_catalog, public, pg_temp as $$
declare
	s record;
begin
	select * into s from report_day_span(report_check(p_day, p_queue, p_branch));
	return query
	select f.login, f.name, coalesce(a.branch_code, ''), f.handled, f.missed, f.aht_secs, f.occupancy_pct, f.paused_secs
	from agent_floor_today(s.at) f
	join agent a on a.login = f.login
	where (p_branch is null or a.branch_code = p_branch)
	  and (p_queue is null or exists (select 1 from agent_queue aq join queue q on q.id = aq.queue_id
	                                  where aq.login = f.login and q.name = p_queue))
	  and (f.handled > 0 or f.missed > 0 or f.occupancy_pct is not null or f.paused_secs > 0)
	order by f.login;
end $$;

-- Per agent and pause reason: seconds on break or not ready that day (a
-- state held at midnight counts from midnight), the reason's label when it
-- is one of pause_reason, else as recorded ("no answer"), "(none)" without.
-- Per agent they add up to report_agents' paused_secs (each cut to whole
-- seconds). The same filters as report_agents.
create or replace function report_pauses(p_day text default null, p_queue text default null, p_branch text default null)
returns table (login text, name text, reason text, label text, secs integer)
language plpgsql stable security definer set search_path = pg_catalog, public, pg_temp as $$
declare
	s record;
begin
	select * into s from report_day_span(report_check(p_day, p_queue, p_branch));
	return query
	-- each agent's state held at midnight and those begun since, read
	-- through the (login, started_at) index, not the whole history
	with held as (
		select y.login, y.state, y.reason, y.started_at, y.id
		from agent g
		cross join lateral (select x.* from agent_state x
		                    where x.login = g.login and x.started_at <= s.d0
		                    order by x.started_at desc, x.id desc limit 1) y
		union all
		select y.login, y.state, y.reason, y.started_at, y.id
		from agent g
		cross join lateral (select x.* from agent_state x
		                    where x.login = g.login and x.started_at > s.d0 and x.started_at <= s.at) y
	), hist as (
		select h.login, h.state, h.reason, h.started_at,
		       lead(h.started_at) over (partition by h.login order by h.started_at, h.id) as next_at
		from held h
	), spans as (
		select h.login, coalesce(h.reason, '') as reason,
		       greatest(extract(epoch from least(coalesce(h.next_at, s.at), s.at) - greatest(h.started_at, s.d0)), 0) as secs
		from hist h
		where coalesce(h.next_at, s.at) > s.d0 and h.state in ('break', 'not_ready')
	)
	select sp.login, a.name, sp.reason, coalesce(r.label, nullif(sp.reason, ''), '(none)'), floor(sum(sp.secs))::integer
	from spans sp
	join agent a on a.login = sp.login
	left join pause_reason r on r.code = sp.reason
	where (p_branch is null or a.branch_code = p_branch)
	  and (p_queue is null or exists (select 1 from agent_queue aq join queue q on q.id = aq.queue_id
	                                  where aq.login = sp.login and q.name = p_queue))
	group by sp.login, a.name, sp.reason, r.label, r.sort
	having sum(sp.secs) > 0
	order by sp.login, r.sort nulls last, sp.reason;
end $$;

-- Per branch with survey answers that day: the satisfaction board's average
-- score (1-5) and number of answers, and the seven days before for
-- comparison (branch_satisfaction). A queue does not narrow the branches.
create or replace function report_branches(p_day text default null, p_queue text default null, p_branch text default null)
returns table (branch_code text, branch_name text, satisfaction numeric, n bigint, week_avg numeric, week_n bigint)
language plpgsql stable security definer set search_path = pg_catalog, public, pg_temp as $$
declare
	s record;
begin
	select * into s from report_day_span(report_check(p_day, p_queue, p_branch));
	return query
	select b.branch_code, b.branch_name, b.today_avg, b.today_n, b.week_avg, b.week_n
	from branch_satisfaction(s.at) b
	where b.today_n > 0 and (p_branch is null or b.branch_code = p_branch)
	order by b.branch_code;
end $$;

-- Per offer rule, the responses recorded that day, counted as `rule list`
-- counts them: shown = every response recorded (offered, accepted or
-- declined), accepted, declined, and the acceptance rate accepted /
-- (accepted + declined) in percent, one decimal. p_queue: offers made on
-- that queue's calls; p_branch: offers recorded by the branch's agents.
create or replace function report_offers(p_day text default null, p_queue text default null, p_branch text default null)
returns table (rule text, offer text, shown bigint, accepted bigint, declined bigint, accept_rate_pct numeric)
language plpgsql stable security definer set search_path = pg_catalog, public, pg_temp as $$
declare
	s record;
begin
	select * into s from report_day_span(report_check(p_day, p_queue, p_branch));
	return query
	select o.name, o.offer, count(*),
	       count(*) filter (where r.response = 'accepted'), count(*) filter (where r.response = 'declined'),
	       round(100.0 * count(*) filter (where r.response = 'accepted')
	             / nullif(count(*) filter (where r.response in ('accepted', 'declined')), 0), 1)
	from offer_response r
	join offer_rule o on o.id = r.rule_id
	where r.at >= s.d0 and r.at <= s.at
	  and (p_queue is null or exists (select 1 from call c join queue q on q.id = c.queue_id
	                                  where c.id = r.call_id and q.name = p_queue))
	  and (p_branch is null or exists (select 1 from agent a where a.login = r.login and a.branch_code = p_branch))
	group by o.id, o.name, o.offer, o.priority
	order by o.priority, o.name;
end $$;

-- Per campaign running that day (starts <= day <= ends): members first
-- reached and accepted that day, and the campaign board's figures so far
-- (campaign_board: reached, accepted, the share of the reached who ordered
-- against the control group's, the difference and its 95 % interval, in
-- percent, one decimal). Neither a queue nor a branch narrows the campaigns.
create or replace function report_campaigns(p_day text default null, p_queue text default null, p_branch text default null)
returns table (campaign text, contacted_day bigint, accepted_day bigint, reached integer, accepted integer,
	response_pct numeric, control_pct numeric, lift_pts numeric, lift_low_pts numeric, lift_high_pts numeric)
language plpgsql stable security definer set search_path = pg_catalog, public, pg_temp as $$
declare
	s record;
	v_day date;
begin
	v_day := report_check(p_day, p_queue, p_branch);
	select * into s from report_day_span(v_day);
	return query
	select c.name,
	       (select count(*) from campaign_member m
	        where m.campaign_id = c.id and not m.is_control and m.contacted_at >= s.d0 and m.contacted_at <= s.at),
	       (select count(*) from campaign_attempt t
	        where t.campaign_id = c.id and t.outcome = 'accepted' and t.at >= s.d0 and t.at <= s.at),
	       b.reached, b.accepted, round((100 * b.contacted_rate)::numeric, 1), round((100 * b.control_rate)::numeric, 1),
	       round((100 * b.lift)::numeric, 1), round((100 * b.lift_low)::numeric, 1), round((100 * b.lift_high)::numeric, 1)
	from campaign c
	cross join lateral campaign_board(c.id) b
	where c.starts <= v_day and (c.ends is null or c.ends >= v_day)
	order by c.name;
end $$;

revoke all on function report_day_span(date), report_timezone(), report_check(text, text, text),
	report_queues(text, text, text), report_agents(text, text, text), report_pauses(text, text, text),
	report_branches(text, text, text), report_offers(text, text, text), report_campaigns(text, text, text)
	from public;
-- Every login may call them, so an agent hears why not ("the daily report
-- is for supervisors") rather than a missing privilege.
grant execute on function report_timezone(), report_check(text, text, text),
	report_queues(text, text, text), report_agents(text, text, text), report_pauses(text, text, text),
	report_branches(text, text, text), report_offers(text, text, text), report_campaigns(text, text, text)
	to ccterm_agent, ccterm_branch, ccterm_supervisor, ccterm_admin;
