-- 40_calls: Calls: arrival, routing to the longest-idle ready agent, answer, hangup, no-answer, per-queue counters.
-- A repeatable file: applied after the numbered migrations whenever it changes.

-- Every change of a call reaches the agent concerned at commit, on channel
-- agent_<login>, payload "call <id> <state>": offered, answered, abandoned
-- or ended to the agent the call is with, requeued to the agent it was
-- taken from (ring no answer, the agent left). The agent's own state goes
-- on the same channel (floor_notify, 50_floor.sql). A payload is a hint: the
-- console reads the truth with my_calls() and my_state().
-- 'call_ring' (payload: the call id) wakes `ccterm-cti timers` when an
-- offer gets a ring deadline; queue_<id> (the call id) moves a queue's count.
-- An offer whose pop can be sealed goes instead as "call <id> offered pop
-- <session> <sealed>", one per console session of the agent (pop_seal_offer,
-- 33_pop_seal.sql); SECURITY DEFINER for that: it reads console_session and
-- prepared_pop in whoever's transaction offers the call.
create or replace function call_notify() returns trigger
language plpgsql security definer set search_path = pg_catalog, public, pg_temp as $$
begin
	if new.agent_login is not null and new.state <> 'queued'
	   and (tg_op = 'INSERT' or old.agent_login is distinct from new.agent_login
	        or old.state is distinct from new.state) then
		if new.state <> 'offered' or not pop_seal_offer(new) then
			perform pg_notify('agent_' || new.agent_login, 'call ' || new.id || ' ' || new.state);
		end if;
	end if;
	if tg_op = 'UPDATE' and old.agent_login is not null and old.agent_login is distinct from new.agent_login
	   and old.state in ('offered', 'answered') then
		perform pg_notify('agent_' || old.agent_login, 'call ' || new.id || ' requeued');
	end if;
	if new.state = 'offered' and new.ring_deadline is not null
	   and (tg_op = 'INSERT' or old.ring_deadline is distinct from new.ring_deadline) then
		perform pg_notify('call_ring', new.id::text);
	end if;
	if tg_op = 'INSERT' or old.state is distinct from new.state then
		perform pg_notify('queue_' || coalesce(new.queue_id::text, 'none'), new.id::text);
	end if;
	return new;
end $$;

create or replace trigger call_notify after insert or update on call
	for each row execute function call_notify();

-- How long an offer of this queue rings: the queue's ring_seconds, else the
-- setting 'ring_timeout_seconds', else 20. NULL for a call without a queue:
-- it has nowhere to go back to, and rings until the caller hangs up.
create or replace function call_ring_seconds(p_queue integer)
returns integer language sql stable set search_path = pg_catalog, public, pg_temp as $$
	select coalesce((select q.ring_seconds from queue q where q.id = p_queue),
	                (select case when s.value ~ '^[0-9]{1,6}$' and s.value::integer > 0 then s.value::integer end
	                 from settings s where s.key = 'ring_timeout_seconds'),
	                20)
	where p_queue is not null
$$;

-- A call arrives (CTI): record it, find the caller when exactly one customer
-- has the number; offer it to the named agent, or else route it in its queue.
-- The agent's console is woken by the call_notify trigger at commit.
-- One call per agent: a named agent who has a call offered or answered is
-- busy, and the call is refused (SQLSTATE CC001, "agent X already has call
-- N (state)"); the PBX then routes it elsewhere or plays busy. Offers whose
-- ring time is up in this queue are taken back (call_ring_expire) before the
-- new call is routed, so routing runs on time even without `ccterm-cti timers`.
create or replace function call_arrive(p_ani text, p_ani_e164 text, p_dnis text, p_queue text, p_agent text)
returns bigint language plpgsql security definer set search_path = pg_catalog, public, pg_temp as $$
declare
	v_queue integer;
	v_customer bigint;
	v_id bigint;
	v_busy bigint;
	v_busy_state text;
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
	if p_agent is not null then
		select id, state into v_busy, v_busy_state from call
		where agent_login = p_agent and state in ('offered', 'answered') limit 1;
		if found then
			raise exception 'agent % already has call % (%)', p_agent, v_busy, v_busy_state using errcode = 'CC001';
		end if;
	end if;
	begin
		insert into call (ani, ani_e164, dnis, queue_id, customer_id, agent_login, state, offered_at, ring_deadline)
		values (p_ani, p_ani_e164, p_dnis, v_queue, v_customer, p_agent,
		        case when p_agent is null then 'queued' else 'offered' end,
		        case when p_agent is null then null else clock_timestamp() end,
		        case when p_agent is not null then clock_timestamp() + call_ring_seconds(v_queue) * interval '1 second' end)
		returning id into v_id;
	exception when unique_violation then
		-- another offer to this agent committed in between (call_one_open_per_agent)
		raise exception 'agent % already has a call', p_agent using errcode = 'CC001';
	end;
	-- After the insert, which locks the queue's counters (queue_stat): every
	-- path takes those before the queue's advisory lock, never after.
	if v_queue is not null and exists (select 1 from call where state = 'offered' and queue_id = v_queue
	                                   and ring_deadline <= clock_timestamp()) then
		perform call_ring_expire(v_queue);
	end if;
	if p_agent is null and v_queue is not null then
		perform route_call(v_id);
	end if;
	return v_id;
end $$;

-- Midnight of p_at's day (p_days_back days earlier) in the floor's time zone
-- (settings 'timezone', default Asia/Seoul): where "today" begins.
create or replace function floor_day_start(p_at timestamptz default now(), p_days_back integer default 0)
returns timestamptz language sql stable as $$
	select (date_trunc('day', p_at at time zone z) - p_days_back * interval '1 day') at time zone z
	from (select coalesce((select value from settings where key = 'timezone'), 'Asia/Seoul') as z) s
$$;

create or replace function call_sla_default() returns trigger
language plpgsql security definer set search_path = pg_catalog, public, pg_temp as $$
begin
	if new.sla_seconds is null and new.queue_id is not null then
		select q.sla_seconds into new.sla_seconds from queue q where q.id = new.queue_id;
	end if;
	return new;
end $$;

create or replace trigger call_sla_default before insert on call
	for each row execute function call_sla_default();

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
language plpgsql security definer set search_path = pg_catalog, public, pg_temp as $$
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

create or replace trigger call_stat_sync after insert or update or delete on call
	for each row execute function call_stat_sync();

-- Recomputes queue_stat from the calls that arrived since p_from (after a
-- bulk load with triggers off, a truncate, or to check the counters).
-- Returns the number of buckets written.
create or replace function queue_stat_rebuild(p_from timestamptz default '-infinity')
returns bigint language plpgsql security definer set search_path = pg_catalog, public, pg_temp as $$
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

-- Offers a queued call to an agent who is ready (both rows locked by the
-- caller, who made sure the agent has no other call); it rings until the
-- queue's ring timeout. A PBX's call (pbx_id) rings as long as the PBX says:
-- its ring no answer comes from the PBX (47_pbx.sql).
create or replace function call_offer(p_call bigint, p_login text)
returns void language plpgsql security definer set search_path = pg_catalog, public, pg_temp as $$
begin
	update call set state = 'offered', agent_login = p_login, offered_at = clock_timestamp(), routed = true,
	                ring_deadline = case when pbx_id is null
	                                     then clock_timestamp() + call_ring_seconds(queue_id) * interval '1 second' end
	where id = p_call;
	perform agent_state_move(p_login, 'ringing', 'call ' || p_call);
end $$;

-- An offered call goes back to its queue, keeping its place (its arrival
-- time); the agent it rang at is told "call <id> requeued" (call_notify).
create or replace function call_requeue(p_call bigint)
returns void language plpgsql security definer set search_path = pg_catalog, public, pg_temp as $$
begin
	update call set state = 'queued', agent_login = null, offered_at = null, routed = false, ring_deadline = null
	where id = p_call and state = 'offered';
end $$;

-- The queue's waiting calls, oldest first, offered to its ready agents,
-- longest idle first, while there are both. Returns how many were offered.
-- A call locked by someone else (being answered or hung up) is passed over.
create or replace function route_pending(p_queue integer)
returns integer language plpgsql security definer set search_path = pg_catalog, public, pg_temp as $$
declare
	v_call bigint;
	v_login text;
	v_n integer := 0;
begin
	perform pg_advisory_xact_lock(7734020, p_queue);
	loop
		select c.id into v_call
		from call c
		where c.queue_id = p_queue and c.state = 'queued' and c.pbx_id is null   -- the PBX routes its own
		order by c.created_at, c.id
		limit 1
		for no key update skip locked;
		exit when not found;
		select a.login into v_login
		from agent_queue aq join agent a on a.login = aq.login
		where aq.queue_id = p_queue and a.state = 'ready'
		  and not exists (select 1 from call o
		                  where o.agent_login = a.login and o.state in ('offered', 'answered'))
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
returns text language plpgsql security definer set search_path = pg_catalog, public, pg_temp as $$
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
returns bigint language plpgsql security definer set search_path = pg_catalog, public, pg_temp as $$
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
	if exists (select 1 from call where agent_login = p_login and state in ('offered', 'answered')) then
		return null;
	end if;
	select c.id into v_call
	from call c
	where c.state = 'queued' and c.pbx_id is null
	  and c.queue_id in (select queue_id from agent_queue where login = p_login)
	order by c.created_at, c.id
	limit 1
	for no key update of c skip locked;
	if not found then
		return null;
	end if;
	perform call_offer(v_call, p_login);
	return v_call;
end $$;

-- The call is picked up. False when it is answered already (or no such
-- call). A call whose caller hung up (abandoned, or ended) is refused with
-- SQLSTATE CC002 "the caller hung up"; a call whose agent holds another
-- call with CC001 (one call per agent; call_one_open_per_agent backs it).
create or replace function call_answer(p_call bigint)
returns boolean language plpgsql security definer set search_path = pg_catalog, public, pg_temp as $$
declare
	v_login text;
	v_state text;
	v_other bigint;
begin
	perform call_check_mine(p_call);
	select state, agent_login into v_state, v_login from call where id = p_call for no key update;
	if not found or v_state not in ('queued', 'offered', 'abandoned', 'ended') then
		return false;
	end if;
	if v_state in ('abandoned', 'ended') then
		raise exception 'the caller hung up' using errcode = 'CC002';
	end if;
	if v_login is not null then
		select id into v_other from call
		where agent_login = v_login and id <> p_call and state in ('offered', 'answered') limit 1;
		if found then
			raise exception 'agent % already has call %', v_login, v_other using errcode = 'CC001';
		end if;
	end if;
	update call set state = 'answered', answered_at = clock_timestamp(), ring_deadline = null
	where id = p_call;
	if v_login is not null then
		perform agent_state_move(v_login, 'on_call', 'call ' || p_call);
	end if;
	return true;
end $$;

-- The caller hangs up: before an answer it is an abandon (a ringing agent
-- goes back to ready), after it the call ends (the agent goes to wrap-up).
-- Returns the call's new state, NULL when it had ended already.
create or replace function call_hangup(p_call bigint)
returns text language plpgsql security definer set search_path = pg_catalog, public, pg_temp as $$
declare
	v_login text;
	v_routed boolean;
	v_new text;
	v_agent text;
begin
	perform call_check_mine(p_call);
	update call set state = case when answered_at is null then 'abandoned' else 'ended' end,
	                ended_at = clock_timestamp(), ring_deadline = null
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

-- Ring no answer (the CTI says so, or the ring timeout ran out): an offered
-- call with a queue goes back to it, keeping its place, and is offered to
-- the next ready agent; the agent it rang at is set not ready, reason
-- 'no answer'. False when the call is not offered or has no queue.
create or replace function call_no_answer(p_call bigint)
returns boolean language plpgsql security definer set search_path = pg_catalog, public, pg_temp as $$
declare
	v_login text;
begin
	select agent_login into v_login from call
	where id = p_call and state = 'offered' and queue_id is not null for no key update;
	if not found then
		return false;
	end if;
	perform call_take_back(p_call, v_login);
	return true;
end $$;

-- The work of a no-answer, both rows locked by the caller. Only an agent
-- who was available (ready, or ringing with it) is set not ready: a direct
-- offer to an agent on break or logged out leaves that state alone.
create or replace function call_take_back(p_call bigint, p_login text)
returns void language plpgsql security definer set search_path = pg_catalog, public, pg_temp as $$
begin
	perform call_requeue(p_call);
	if (select a.state from agent a where a.login = p_login) in ('ready', 'ringing') then
		perform agent_state_move(p_login, 'not_ready', 'no answer');
	end if;
	perform route_call(p_call);
end $$;

-- Takes back every offer whose ring deadline has passed (of one queue, or
-- of all), as call_no_answer does; returns how many. Run by `ccterm-cti
-- timers` at each deadline, and by call_arrive in passing. Rows locked
-- elsewhere (an answer, a hangup in flight) are skipped, never waited for,
-- and queues are taken in id order as route_agent takes them, so this never
-- deadlocks with routing; what is skipped is due at the next turn.
create or replace function call_ring_expire(p_queue integer default null)
returns integer language plpgsql security definer set search_path = pg_catalog, public, pg_temp as $$
declare
	v_call bigint;
	v_login text;
	v_n integer := 0;
begin
	for v_call, v_login in
		select c.id, c.agent_login from call c
		where c.state = 'offered' and c.ring_deadline <= clock_timestamp()
		  and (p_queue is null or c.queue_id = p_queue)
		order by c.queue_id, c.ring_deadline, c.id
	loop
		perform 1 from call c
		where c.id = v_call and c.state = 'offered' and c.agent_login = v_login
		  and c.ring_deadline <= clock_timestamp()
		for no key update skip locked;
		continue when not found;
		perform 1 from agent a where a.login = v_login for no key update skip locked;
		continue when not found;
		perform call_take_back(v_call, v_login);
		v_n := v_n + 1;
	end loop;
	return v_n;
end $$;

-- Seconds until the next ring deadline (<= 0: due now), NULL when none.
create or replace function call_ring_next()
returns double precision language sql security definer set search_path = pg_catalog, public, pg_temp as $$
	select extract(epoch from min(c.ring_deadline) - clock_timestamp())::double precision
	from call c where c.state = 'offered' and c.ring_deadline is not null
$$;

-- The connected agent's calls offered or answered (one, by the rule above),
-- with durations from the server's clock, never negative: seconds_in_state
-- since the offer, or since the answer once answered; ring_seconds_left
-- until the ring timeout takes the offer back (NULL when not timed).
-- SECURITY DEFINER, since agents have no rights on the call table: the login
-- is session_user.
create or replace function my_calls()
returns table (id bigint, state text, ani text, customer_id bigint, customer text, queue text,
               offered_at timestamptz, answered_at timestamptz, seconds_in_state integer,
               ring_seconds_left integer)
language sql security definer set search_path = pg_catalog, public, pg_temp as $$
	select c.id, c.state, c.ani, c.customer_id, cu.name, q.name, c.offered_at, c.answered_at,
	       greatest(floor(extract(epoch from clock_timestamp()
	                      - coalesce(case when c.state = 'answered' then c.answered_at end, c.offered_at, c.created_at))),
	                0)::integer,
	       case when c.state = 'offered' and c.ring_deadline is not null
	            then greatest(ceil(extract(epoch from c.ring_deadline - clock_timestamp())), 0)::integer end
	from call c
	left join customer cu on cu.id = c.customer_id
	left join queue q on q.id = c.queue_id
	where c.agent_login = session_user and c.state in ('offered', 'answered')
	order by c.created_at, c.id
$$;

revoke all on function call_ring_seconds(integer), call_requeue(bigint), call_take_back(bigint, text),
	call_ring_expire(integer), call_ring_next(), my_calls() from public;
grant execute on function my_calls() to ccterm_agent, ccterm_branch, ccterm_supervisor, ccterm_admin;
-- `ccterm-cti timers`, run by the PBX adapter's login (ccterm_cti), a supervisor or an admin.
grant execute on function call_ring_expire(integer), call_ring_next()
	to ccterm_cti, ccterm_supervisor, ccterm_admin;
