-- 020 routing and the supervisor's boards.
--
-- A call that arrives for a queue without a named agent is offered to the
-- longest-idle ready agent with that queue's skill; when nobody is ready it
-- waits, and is offered the moment one of its agents becomes ready. Then:
--
--   queued --route--> offered (agent ringing) --call_answer--> answered (agent on_call)
--   answered --call_hangup--> ended (agent wrap_up) ... agent_set_state('ready')
--   queued/offered --call_hangup--> abandoned (a ringing agent goes back to ready)
--   offered --call_no_answer--> queued again, offered to someone else (agent not_ready)
--
-- Locking. Rows are locked call first, then agent (FOR NO KEY UPDATE, which
-- foreign-key checks do not block), with SKIP LOCKED where a router only
-- looks for candidates, so routers never wait on each other's candidates.
-- That alone would lose wake-ups: a call inserted while an agent's "ready"
-- is in flight is invisible to that agent's search, and the agent row is
-- skipped (locked) by the call's search, so both would commit unmatched.
-- Every router therefore also holds a transaction-scoped advisory lock per
-- queue (key 7734020, queue id), taken in queue id order: of two routers of
-- one queue the second starts its search only after the first committed,
-- and sees its call or its ready agent. This needs READ COMMITTED (the
-- default): each statement of these functions takes a fresh snapshot.
--
-- One gap remains by design: a waiting call locked at that moment by a
-- caller's hangup (or an answer) is passed over, as it is about to leave the
-- queue; should that transaction fail instead, the call is offered at the
-- next event of its queue (an arrival, an agent going ready, route_pending).
--
-- Calls offered by routing carry routed = true; a unique index allows one
-- open routed call per agent, so "one agent, two calls" is impossible rather
-- than merely unlikely. Calls the PBX offers to a named agent (call_arrive
-- with p_agent) bypass routing and its rules, exactly as before.
--
-- Ring-no-answer is not timed by the database: the CTI adapter (or a
-- supervisor) calls call_no_answer(id) when the agent does not pick up.

insert into settings (key, value) values ('timezone', 'Asia/Seoul') on conflict do nothing;

alter table call add column routed boolean not null default false;

create unique index call_routed_one_per_agent on call (agent_login)
	where routed and state in ('offered', 'answered');
-- Calls an agent answered, by time: "handled today" per agent.
create index call_agent_answered on call (agent_login, answered_at) where answered_at is not null;

-- Midnight of p_at's day (p_days_back days earlier) in the floor's time zone
-- (settings 'timezone', default Asia/Seoul): where "today" begins.
create or replace function floor_day_start(p_at timestamptz default now(), p_days_back integer default 0)
returns timestamptz language sql stable as $$
	select (date_trunc('day', p_at at time zone z) - p_days_back * interval '1 day') at time zone z
	from (select coalesce((select value from settings where key = 'timezone'), 'Asia/Seoul') as z) s
$$;

-- The service-level threshold a call is measured against is the one its
-- queue had when it arrived.
alter table call add column sla_seconds integer;

create or replace function call_sla_default() returns trigger
language plpgsql security definer set search_path = public as $$
begin
	if new.sla_seconds is null and new.queue_id is not null then
		select q.sla_seconds into new.sla_seconds from queue q where q.id = new.queue_id;
	end if;
	return new;
end $$;
create trigger call_sla_default before insert on call
	for each row execute function call_sla_default();

-- Per queue and quarter of an hour of arrival (any time zone's midnight is
-- a quarter-hour boundary), what the wallboard adds up: kept by a trigger
-- from each call's stored timestamps, so a board of 100 queues reads at most
-- 9,600 small rows instead of every call of the day. queue_stat_rebuild()
-- recomputes it from the calls.
--   answered       answered_at is set
--   abandoned      state 'abandoned' (hung up before an answer)
--   answered_in_sla   answered_at - created_at <= the call's sla_seconds
--   abandoned_after_sla  abandoned with ended_at - created_at > sla_seconds
--   answer_ms      sum of answered_at - created_at, for the average speed of answer
create table queue_stat (
	bucket              timestamptz not null,
	queue_id            integer not null references queue on delete cascade,
	offered             integer not null default 0,
	answered            integer not null default 0,
	abandoned           integer not null default 0,
	answered_in_sla     integer not null default 0,
	abandoned_after_sla integer not null default 0,
	answer_ms           bigint not null default 0,
	primary key (bucket, queue_id)
);

-- What one call row adds to queue_stat (no row for a call without a queue).
create or replace function call_stat_of(r call)
returns table (queue_id integer, bucket timestamptz, answered integer, abandoned integer,
               in_sla integer, abandoned_late integer, answer_ms bigint)
language sql immutable as $$
	select r.queue_id,
	       date_bin('15 minutes', r.created_at, timestamptz '2000-01-01 00:00:00+00'),
	       (r.answered_at is not null)::integer,
	       (r.answered_at is null and r.state = 'abandoned')::integer,
	       coalesce(r.answered_at - r.created_at <= coalesce(r.sla_seconds, 0) * interval '1 second', false)::integer,
	       coalesce(r.answered_at is null and r.state = 'abandoned'
	                and r.ended_at - r.created_at > coalesce(r.sla_seconds, 0) * interval '1 second', false)::integer,
	       coalesce(round(extract(epoch from r.answered_at - r.created_at) * 1000)::bigint, 0)
	where r.queue_id is not null
$$;

create or replace function call_stat_sync() returns trigger
language plpgsql security definer set search_path = public as $$
begin
	-- Offers, re-queues and the like move nothing the board counts.
	if tg_op = 'UPDATE'
	   and (old.queue_id, old.created_at, old.answered_at, old.ended_at, old.state = 'abandoned', old.sla_seconds)
	       is not distinct from
	       (new.queue_id, new.created_at, new.answered_at, new.ended_at, new.state = 'abandoned', new.sla_seconds) then
		return null;
	end if;
	insert into queue_stat as s (bucket, queue_id, offered, answered, abandoned, answered_in_sla,
	                             abandoned_after_sla, answer_ms)
	select d.bucket, d.queue_id, sum(d.k), sum(d.k * d.answered), sum(d.k * d.abandoned), sum(d.k * d.in_sla),
	       sum(d.k * d.abandoned_late), sum(d.k * d.answer_ms)
	from (select 1 as k, v.* from call_stat_of(new) v where tg_op <> 'DELETE'
	      union all
	      select -1 as k, v.* from call_stat_of(old) v where tg_op <> 'INSERT') d
	group by d.bucket, d.queue_id
	having sum(d.k) <> 0 or sum(d.k * d.answered) <> 0 or sum(d.k * d.abandoned) <> 0
	    or sum(d.k * d.in_sla) <> 0 or sum(d.k * d.abandoned_late) <> 0 or sum(d.k * d.answer_ms) <> 0
	on conflict (bucket, queue_id) do update set
		offered = s.offered + excluded.offered,
		answered = s.answered + excluded.answered,
		abandoned = s.abandoned + excluded.abandoned,
		answered_in_sla = s.answered_in_sla + excluded.answered_in_sla,
		abandoned_after_sla = s.abandoned_after_sla + excluded.abandoned_after_sla,
		answer_ms = s.answer_ms + excluded.answer_ms;
	return null;
end $$;
create trigger call_stat_sync after insert or update or delete on call
	for each row execute function call_stat_sync();

-- Recomputes queue_stat from the calls that arrived since p_from (after a
-- bulk load with triggers off, a truncate, or to check the counters).
-- Returns the number of buckets written.
create or replace function queue_stat_rebuild(p_from timestamptz default '-infinity')
returns bigint language plpgsql security definer set search_path = public as $$
declare
	v_n bigint;
begin
	lock table queue_stat in exclusive mode;
	delete from queue_stat where bucket >= date_bin('15 minutes', p_from, timestamptz '2000-01-01 00:00:00+00');
	insert into queue_stat (bucket, queue_id, offered, answered, abandoned, answered_in_sla, abandoned_after_sla,
	                        answer_ms)
	select v.bucket, v.queue_id, count(*), sum(v.answered), sum(v.abandoned), sum(v.in_sla), sum(v.abandoned_late),
	       sum(v.answer_ms)
	from call c, call_stat_of(c) v
	where c.created_at >= date_bin('15 minutes', p_from, timestamptz '2000-01-01 00:00:00+00')
	group by v.bucket, v.queue_id;
	get diagnostics v_n = row_count;
	return v_n;
end $$;

-- The one place an agent's state changes: the row, its history, and what
-- the change means for calls. Going ready looks for a waiting call; leaving
-- for not_ready, break or logged_out hands back a call still ringing.
create or replace function agent_state_move(p_login text, p_state text, p_reason text)
returns timestamptz language plpgsql security definer set search_path = public as $$
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
		update agent set state = p_state, state_since = v_since where login = p_login;
		insert into agent_state (login, state, reason, started_at)
		values (p_login, p_state, nullif(p_reason, ''), v_since);
	else
		select state_since into v_since from agent where login = p_login;
	end if;
	if p_state in ('logged_out', 'not_ready', 'break') then
		for v_call in
			select id from call
			where agent_login = p_login and routed and state = 'offered'
			for no key update skip locked   -- a call locked here is being answered or hung up
		loop
			update call set state = 'queued', agent_login = null, offered_at = null, routed = false
			where id = v_call;
			perform route_call(v_call);
		end loop;
	elsif p_state = 'ready' then
		perform route_agent(p_login);
	end if;
	return v_since;
end $$;

-- Offers a queued call to an agent who is ready (both rows locked by the caller).
create or replace function call_offer(p_call bigint, p_login text)
returns void language plpgsql security definer set search_path = public as $$
begin
	update call set state = 'offered', agent_login = p_login, offered_at = clock_timestamp(), routed = true
	where id = p_call;
	perform agent_state_move(p_login, 'ringing', 'call ' || p_call);
end $$;

-- The queue's waiting calls, oldest first, offered to its ready agents,
-- longest idle first, while there are both. Returns how many were offered.
-- A call locked by someone else (being answered or hung up) is passed over.
create or replace function route_pending(p_queue integer)
returns integer language plpgsql security definer set search_path = public as $$
declare
	v_call bigint;
	v_login text;
	v_n integer := 0;
begin
	perform pg_advisory_xact_lock(7734020, p_queue);
	loop
		select c.id into v_call
		from call c
		where c.queue_id = p_queue and c.state = 'queued'
		order by c.created_at, c.id
		limit 1
		for no key update skip locked;
		exit when not found;
		select a.login into v_login
		from agent_queue aq join agent a on a.login = aq.login
		where aq.queue_id = p_queue and a.state = 'ready'
		  and not exists (select 1 from call o
		                  where o.agent_login = a.login and o.routed and o.state in ('offered', 'answered'))
		order by a.state_since, a.login
		limit 1
		for no key update of a skip locked;
		exit when not found;
		perform call_offer(v_call, v_login);
		v_n := v_n + 1;
	end loop;
	return v_n;
end $$;

-- Routes the queue of this waiting call (so an older call goes first).
-- Returns the agent the call was offered to, or NULL while it waits.
create or replace function route_call(p_call bigint)
returns text language plpgsql security definer set search_path = public as $$
declare
	v_queue integer;
	v_login text;
begin
	select queue_id into v_queue from call where id = p_call and state = 'queued' and queue_id is not null;
	if not found then
		return null;
	end if;
	perform route_pending(v_queue);
	select agent_login into v_login from call where id = p_call and state = 'offered';
	return v_login;
end $$;

-- Offers the oldest call waiting in this agent's queues to the agent, when
-- the agent is ready. Returns the call id, or NULL.
create or replace function route_agent(p_login text)
returns bigint language plpgsql security definer set search_path = public as $$
declare
	v_queue integer;
	v_call bigint;
begin
	perform 1 from agent where login = p_login and state = 'ready' for no key update;
	if not found then
		return null;
	end if;
	for v_queue in select queue_id from agent_queue where login = p_login order by queue_id loop
		perform pg_advisory_xact_lock(7734020, v_queue);
	end loop;
	-- Every earlier router of these queues has committed: look again.
	if exists (select 1 from call where agent_login = p_login and routed and state in ('offered', 'answered')) then
		return null;
	end if;
	select c.id into v_call
	from call c
	where c.state = 'queued' and c.queue_id in (select queue_id from agent_queue where login = p_login)
	order by c.created_at, c.id
	limit 1
	for no key update of c skip locked;
	if not found then
		return null;
	end if;
	perform call_offer(v_call, p_login);
	return v_call;
end $$;

-- A call arrives (CTI): record it, find the caller when exactly one customer
-- has the number; offer it to the named agent, or else route it in its queue.
-- The agent's console is woken by the call_notify trigger at commit.
create or replace function call_arrive(p_ani text, p_ani_e164 text, p_dnis text, p_queue text, p_agent text)
returns bigint language plpgsql as $$
declare
	v_queue integer;
	v_customer bigint;
	v_id bigint;
begin
	if p_queue is not null then
		select id into v_queue from queue where name = p_queue;
		if not found then
			raise exception 'unknown queue %', p_queue using errcode = '22023';
		end if;
	end if;
	if p_agent is not null and not exists (select 1 from agent where login = p_agent) then
		raise exception 'unknown agent %', p_agent using errcode = '22023';
	end if;
	if p_ani_e164 is not null then
		select min(c) into v_customer
		from customers_by_contact('phone', p_ani_e164) c
		having count(*) = 1;
	end if;
	insert into call (ani, ani_e164, dnis, queue_id, customer_id, agent_login, state, offered_at)
	values (p_ani, p_ani_e164, p_dnis, v_queue, v_customer, p_agent,
	        case when p_agent is null then 'queued' else 'offered' end,
	        case when p_agent is null then null else now() end)
	returning id into v_id;
	if p_agent is null and v_queue is not null then
		perform route_call(v_id);
	end if;
	return v_id;
end $$;

-- The agent behind this connection changes state (the console).
create or replace function agent_set_state(p_state text, p_reason text default null)
returns timestamptz language plpgsql security definer set search_path = public as $$
begin
	if p_state is null or p_state not in ('logged_out', 'not_ready', 'ready', 'ringing', 'on_call', 'wrap_up', 'break') then
		raise exception 'unknown agent state %', p_state using errcode = '22023';
	end if;
	if not exists (select 1 from agent where login = session_user) then
		return null;
	end if;
	return agent_state_move(session_user, p_state, p_reason);
end $$;

-- Someone else changes an agent's state: CTI, a supervisor, the simulator.
create or replace function agent_set_state_for(p_login text, p_state text, p_reason text default null)
returns timestamptz language plpgsql security definer set search_path = public as $$
begin
	return agent_state_move(p_login, p_state, p_reason);
end $$;

-- The call is picked up. False when it is not queued or offered.
create or replace function call_answer(p_call bigint)
returns boolean language plpgsql security definer set search_path = public as $$
declare
	v_login text;
begin
	update call set state = 'answered', answered_at = clock_timestamp()
	where id = p_call and state in ('queued', 'offered')
	returning agent_login into v_login;
	if not found then
		return false;
	end if;
	if v_login is not null then
		perform agent_state_move(v_login, 'on_call', 'call ' || p_call);
	end if;
	return true;
end $$;

-- The caller hangs up: before an answer it is an abandon (a ringing agent
-- goes back to ready), after it the call ends (the agent goes to wrap-up).
-- Returns the call's new state, NULL when it had ended already.
create or replace function call_hangup(p_call bigint)
returns text language plpgsql security definer set search_path = public as $$
declare
	v_login text;
	v_routed boolean;
	v_new text;
	v_agent text;
begin
	update call set state = case when answered_at is null then 'abandoned' else 'ended' end,
	                ended_at = clock_timestamp()
	where id = p_call and state not in ('ended', 'abandoned')
	returning state, agent_login, routed into v_new, v_login, v_routed;
	if not found then
		return null;
	end if;
	if v_login is not null then
		select state into v_agent from agent where login = v_login for no key update;
		if v_new = 'ended' and v_agent = 'on_call'
		   and not exists (select 1 from call where agent_login = v_login and state = 'answered') then
			perform agent_state_move(v_login, 'wrap_up', 'call ' || p_call);
		elsif v_new = 'abandoned' and v_routed and v_agent = 'ringing' then
			perform agent_state_move(v_login, 'ready', 'abandoned ' || p_call);
		end if;
	end if;
	return v_new;
end $$;

-- Ring no answer: the routed call goes back to the queue (keeping its place,
-- its arrival time) and is offered again; the agent is set not ready.
create or replace function call_no_answer(p_call bigint)
returns boolean language plpgsql security definer set search_path = public as $$
declare
	v_login text;
begin
	select agent_login into v_login from call where id = p_call and routed and state = 'offered' for no key update;
	if not found then
		return false;
	end if;
	perform agent_state_move(v_login, 'not_ready', 'no answer ' || p_call);
	return true;
end $$;

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
language sql stable as $$
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
-- (most first). total is the number of agents, for paging.
create or replace function wallboard_agents(p_sort text default 'state', p_limit integer default 100,
                                            p_offset integer default 0, p_at timestamptz default now())
returns table (login text, name text, branch_code text, state text, state_secs integer,
               call_id bigint, call_state text, customer_id bigint, customer_name text,
               handled_today bigint, total bigint)
language plpgsql stable as $$
declare
	v_day timestamptz := floor_day_start(p_at);
begin
	if p_sort is null or p_sort not in ('state', 'time', 'login', 'name', 'handled') then
		raise exception 'unknown sort %', p_sort using errcode = '22023';
	end if;
	-- Sorted by anything but the count, the page is cut first and counted after.
	return query
	with board as (
		select a.login, a.name, a.branch_code, a.state, a.state_since, count(*) over () as total,
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
	       p.total
	from page p
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
language sql stable as $$
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
language sql stable as $$
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

revoke all on function agent_state_move(text, text, text), call_offer(bigint, text), route_call(bigint),
	route_agent(text), route_pending(integer), agent_set_state_for(text, text, text), call_answer(bigint),
	call_hangup(bigint), call_no_answer(bigint), queue_stat_rebuild(timestamptz),
	wallboard_queues(timestamptz), wallboard_agents(text, integer, integer, timestamptz),
	branch_satisfaction(timestamptz), agent_day(text, timestamptz)
	from public;
-- call_arrive (run with the caller's rights) routes through route_call.
grant execute on function route_call(bigint), call_answer(bigint), call_hangup(bigint)
	to ccterm_agent, ccterm_supervisor, ccterm_admin;
grant execute on function route_agent(text), route_pending(integer), agent_set_state_for(text, text, text),
	call_no_answer(bigint), wallboard_queues(timestamptz), wallboard_agents(text, integer, integer, timestamptz),
	branch_satisfaction(timestamptz), agent_day(text, timestamptz)
	to ccterm_supervisor, ccterm_admin;
grant execute on function queue_stat_rebuild(timestamptz) to ccterm_admin;
grant select on queue_stat to ccterm_supervisor;
grant all on queue_stat to ccterm_admin;
