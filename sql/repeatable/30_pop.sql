-- 30_pop: The screen pop: header, alerts, offers, open cases and the timeline, in one round trip.
-- A repeatable file: applied after the numbered migrations whenever it changes.

-- The keyset cursor as text, exact to the microsecond and independent of the
-- session's DateStyle and TimeZone: '2025-01-02 01:00:00.123456+00'.
create or replace function timeline_key(p_at timestamptz) returns text
language sql stable as $$
	select to_char(p_at at time zone 'UTC', 'YYYY-MM-DD HH24:MI:SS.US"+00"')
$$;

-- One page of the timeline, newest first, strictly older than the key
-- (p_before_at, p_before_id) when it is given. p_channel and p_kind: NULL or
-- '' for all. Each filter combination is its own static query, so each one
-- keeps its own (cached) plan on the index that fits it.
-- Internal (no grant): timeline() and the pop call it, checked and audited.
create or replace function timeline_rows(p_customer bigint, p_channel text, p_kind text,
	p_before_at timestamptz, p_before_id bigint, p_limit integer)
returns table (id bigint, occurred_at timestamptz, channel text, direction text, kind text,
	subject text, status text, amount_won bigint, agent_login text)
language plpgsql stable as $$
#variable_conflict use_column
declare
	v_channel text := nullif(p_channel, '');
	v_kind text := nullif(p_kind, '');
	v_at timestamptz := coalesce(p_before_at, 'infinity');
	v_id bigint := case when p_before_at is null then 9223372036854775807
	                    else coalesce(p_before_id, 9223372036854775807) end;
	v_limit integer := least(greatest(coalesce(p_limit, 50), 1), 1000);
begin
	if v_channel is null and v_kind is null then
		return query
		select i.id, i.occurred_at, i.channel, i.direction, i.kind, i.subject, i.status, i.amount_won, i.agent_login
		from interaction i
		where i.customer_id = p_customer and (i.occurred_at, i.id) < (v_at, v_id)
		order by i.occurred_at desc, i.id desc
		limit v_limit;
	elsif v_kind is null then
		return query
		select i.id, i.occurred_at, i.channel, i.direction, i.kind, i.subject, i.status, i.amount_won, i.agent_login
		from interaction i
		where i.customer_id = p_customer and i.channel = v_channel and (i.occurred_at, i.id) < (v_at, v_id)
		order by i.occurred_at desc, i.id desc
		limit v_limit;
	elsif v_channel is null then
		return query
		select i.id, i.occurred_at, i.channel, i.direction, i.kind, i.subject, i.status, i.amount_won, i.agent_login
		from interaction i
		where i.customer_id = p_customer and i.kind = v_kind and (i.occurred_at, i.id) < (v_at, v_id)
		order by i.occurred_at desc, i.id desc
		limit v_limit;
	else
		return query
		select i.id, i.occurred_at, i.channel, i.direction, i.kind, i.subject, i.status, i.amount_won, i.agent_login
		from interaction i
		where i.customer_id = p_customer and i.kind = v_kind and i.channel = v_channel
		  and (i.occurred_at, i.id) < (v_at, v_id)
		order by i.occurred_at desc, i.id desc
		limit v_limit;
	end if;
end $$;

-- A page of the timeline for the console: nothing for a customer the login
-- may not see; a page read is an audit 'view' row.
create or replace function timeline(p_customer bigint, p_channel text, p_kind text,
	p_before_at timestamptz, p_before_id bigint, p_limit integer)
returns table (id bigint, occurred_at timestamptz, channel text, direction text, kind text,
	subject text, status text, amount_won bigint, agent_login text)
language plpgsql volatile security definer set search_path = pg_catalog, public, pg_temp as $$
begin
	if not customer_visible(p_customer) then
		return;
	end if;
	return query select * from timeline_rows(p_customer, p_channel, p_kind, p_before_at, p_before_id, p_limit);
	if found then
		perform audit_write(p_customer, 'view', 'timeline');
	end if;
end $$;

-- Everything a pop shows of one customer (sections header .. item), without
-- a check or an audit row. Internal (no grant): pop_sections, screen_pop
-- and customer_pop check and audit.
create or replace function pop_rows(p_customer bigint)
returns table (section text, f1 text, f2 text, f3 text, f4 text, f5 text, f6 text,
	f7 text, f8 text, f9 text, f10 text, f11 text, f12 text)
language plpgsql stable as $$
declare
	v_segments text[];
begin
	return query
	select 'header', c.id::text, c.external_id, c.name, pii_contact('phone', k.phone),
		pii_contact('email', k.email), c.tier, c.segment, c.branch_code,
		b.name, c.value_won::text, customer_rrn_masked(c.id), extract(epoch from c.created_at)::bigint::text
	from customer c
	left join branch b on b.code = c.branch_code
	cross join lateral (
		-- both preferred contacts in one pass over the customer's few contact points
		select (array_agg(cp.value order by cc.is_primary desc, cc.label is not distinct from 'mobile' desc, cp.id)
		        filter (where cp.kind = 'phone'))[1] as phone,
		       (array_agg(cp.value order by cc.is_primary desc, cc.label is not distinct from 'mobile' desc, cp.id)
		        filter (where cp.kind = 'email'))[1] as email
		from customer_contact cc join contact_point cp on cp.id = cc.contact_point_id
		where cc.customer_id = c.id) k
	where c.id = p_customer;
	if not found then
		return;
	end if;

	return query
	select 'alert', a.kind, a.severity, a.message, null, null, null, null, null, null, null, null, null
	from customer_alerts(p_customer) a;

	-- tier, value, RFM, profitability class, churn and segments: the pop's one
	-- profile line; the segments read once, for it and for the offers
	v_segments := array(select customer_segments(p_customer));
	return query
	select 'profile', p.tier, p.value_won::text, p.r_score::text, p.f_score::text, p.m_score::text,
		p.profit_class, p.churn_score::text, array_to_string(p.segments, ','), null, null, null, null
	from customer_profile(p_customer, v_segments) p;

	-- best first; f4: what the customer last said to it in 30 days (offer_record)
	return query
	select 'offer', o.rule_id::text, o.name, o.offer,
		(select r.response from offer_response r where r.rule_id = o.rule_id and r.customer_id = p_customer
		 and r.at > now() - interval '30 days' order by r.id desc limit 1),
		null, null, null, null, null, null, null, null
	from customer_offers_on(p_customer, 'phone', v_segments) o;

	return query
	select 'case', c.id::text, c.subject, c.status, c.priority, c.owner_login,
		extract(epoch from c.due_at - now())::bigint::text, null, null, null, null, null, null
	from cases c
	where c.customer_id = p_customer and c.status <> 'closed'
	order by c.due_at nulls last, c.id
	limit 8;

	return query
	select 'total', count(*)::text, null, null, null, null, null, null, null, null, null, null, null
	from (select 1 from interaction i where i.customer_id = p_customer limit 10000) x;

	return query
	select 'item', t.id::text, extract(epoch from t.occurred_at)::bigint::text, timeline_key(t.occurred_at),
		t.channel, t.direction, t.kind, t.subject, t.status, t.amount_won::text, t.agent_login, null, null
	from timeline_rows(p_customer, null, null, null, null, 51) t;
end $$;

-- The pop's sections of one customer the login may see (nothing otherwise),
-- with its audit 'view' row.
create or replace function pop_sections(p_customer bigint)
returns table (section text, f1 text, f2 text, f3 text, f4 text, f5 text, f6 text,
	f7 text, f8 text, f9 text, f10 text, f11 text, f12 text)
language plpgsql volatile security definer set search_path = pg_catalog, public, pg_temp as $$
begin
	if not customer_visible(p_customer) then
		return;
	end if;
	return query select * from pop_rows(p_customer);
	if found then
		perform audit_write(p_customer, 'view', 'pop sections');
	end if;
end $$;

-- The pop of an offered call, in one round trip. The customer is the call's
-- (set when it arrived) or, failing that, the one customer who has the
-- caller's number now (say, created since). A shared number pops nobody:
-- the candidates come instead. Every customer shown gets an audit 'view' row.
-- Only the agent the call is offered to (or was answered by: a console
-- restarted mid-call pops it again) pops it, whatever its state, which the
-- call section says: a NOTIFY anyone can send is a hint, never a right to
-- read a customer.
create or replace function screen_pop(p_call_id bigint)
returns table (section text, f1 text, f2 text, f3 text, f4 text, f5 text, f6 text,
	f7 text, f8 text, f9 text, f10 text, f11 text, f12 text)
language plpgsql volatile security definer set search_path = pg_catalog, public, pg_temp as $$
declare
	v_call call;
	v_queue text;
	v_n integer := 0;
	v_customer bigint;
begin
	select * into v_call from call where id = p_call_id;
	if not found then
		raise exception 'no such call %', p_call_id using errcode = 'P0002';
	end if;
	if not access_is_cti() and v_call.agent_login is distinct from session_user then
		raise exception 'call % is not offered to you', p_call_id using errcode = '42501';
	end if;
	select q.name into v_queue from queue q where q.id = v_call.queue_id;
	if v_call.ani_e164 is not null then
		select count(*), min(c) into v_n, v_customer from customers_by_contact('phone', v_call.ani_e164) c;
		if v_n <> 1 then
			v_customer := null;
		end if;
	end if;
	v_customer := coalesce(v_call.customer_id, v_customer);
	if v_customer is not null and not customer_visible(v_customer) then
		v_customer := null;
		v_n := 0;
	end if;

	return query
	select 'call', v_call.id::text, v_call.ani, v_call.ani_e164, v_call.dnis, v_queue, v_call.state,
		extract(epoch from v_call.created_at)::bigint::text, v_customer::text, v_n::text,
		null::text, null::text, null::text;

	if (v_customer is not null and (v_call.agent_login is distinct from session_user
	                                or v_call.pop_audited_customer is distinct from v_customer))
	   or (v_customer is null and v_n > 1) then
		-- The pop's own commit (its audit rows) does not wait for the WAL to
		-- reach the disk: the console draws first. The answer the console
		-- sends right after commits synchronously, and WAL is flushed in
		-- order, so that flush makes these rows durable too; without an
		-- answer the WAL writer flushes them within wal_writer_delay.
		perform set_config('synchronous_commit', 'off', true);
	end if;
	if v_customer is not null then
		-- prepared when the call arrived, if still good for this viewer (32_prepared_pop.sql)
		return query select * from pop_rows_served(v_customer);
		-- the offer audited this look ('offer', call_offer_audit below): nothing written
		if v_call.agent_login is distinct from session_user or v_call.pop_audited_customer is distinct from v_customer then
			perform audit_write(v_customer, 'view', 'pop call ' || p_call_id);
		end if;
	elsif v_n > 1 then
		return query
		select 'candidate', c.id::text, c.name, customer_contact_value(c.id, 'phone'),
			customer_contact_value(c.id, 'email'), c.tier, c.branch_code, c.external_id,
			null, null, null, null, null
		from customers_by_contact('phone', v_call.ani_e164) k join customer c on c.id = k
		where customer_visible(c.id)
		order by c.name, c.id
		limit 50;
		perform audit_write(k, 'view', 'pop candidate call ' || p_call_id)
		from (select k from customers_by_contact('phone', v_call.ani_e164) k
		      where customer_visible(k) order by k limit 50) x;
	end if;
end $$;

-- The offer of a call audits the look it grants. When a call is offered to
-- an agent who sees every customer unmasked (not branch staff: their
-- visibility is per row) and one customer is known for it, the offer's own
-- transaction (the CTI's or the router's, which commits durably anyway)
-- writes an audit row of action 'offer', detail 'pop call N': this customer
-- was put before this agent, whose pops of the call may read it. The
-- customer is kept in call.pop_audited_customer, and that agent's
-- screen_pop of the call (nobody else's may read it) then writes nothing:
-- a read-only transaction, no commit record before the frame (bench/run-pop
-- at 1 M customers: -0.4 ms p50). The row stands for every read of the call
-- by that agent (a console restarted mid-call pops it again) and is there
-- even when the console never reads (an agent typing, an offer not taken):
-- 'offer' says that much and no more, so a look is never unaudited and a
-- 'view' is always a read. Any other read (another login, candidates, a
-- customer linked after the offer, branch staff) writes its 'view' row at
-- the read, as before.
create or replace function call_offer_audit() returns trigger
language plpgsql security definer set search_path = pg_catalog, public, pg_temp as $$
declare
	v_customer bigint := new.customer_id;
begin
	if new.state <> 'offered' or new.agent_login is null then
		return new;
	end if;
	if tg_op = 'UPDATE' and old.state = 'offered' and old.agent_login is not distinct from new.agent_login
	   and old.customer_id is not distinct from new.customer_id then
		return new;
	end if;
	new.pop_audited_customer := null;
	if not exists (select 1 from pg_roles r where r.rolname = new.agent_login) then
		return new;
	end if;
	-- as access_sees_all() asks it of session_user at the pop
	if not (pg_has_role(new.agent_login, 'ccterm_agent', 'MEMBER')
	        or pg_has_role(new.agent_login, 'ccterm_supervisor', 'MEMBER')
	        or pg_has_role(new.agent_login, 'ccterm_admin', 'MEMBER')) then
		return new;
	end if;
	if v_customer is null and new.ani_e164 is not null then
		select min(c) into v_customer from customers_by_contact('phone', new.ani_e164) c having count(*) = 1;
	end if;
	if v_customer is not null then
		insert into audit_log (at, login, customer_id, action, detail, client_addr)
		values (now(), new.agent_login, v_customer, 'offer', 'pop call ' || new.id, inet_client_addr());
		new.pop_audited_customer := v_customer;
	end if;
	return new;
end $$;

create or replace trigger call_offer_audit before insert or update of state, agent_login, customer_id on call
	for each row execute function call_offer_audit();

-- The pop of a customer opened without a call (search, picker).
-- A customer the login may not see is "no such customer": nothing told.
create or replace function customer_pop(p_customer_id bigint)
returns table (section text, f1 text, f2 text, f3 text, f4 text, f5 text, f6 text,
	f7 text, f8 text, f9 text, f10 text, f11 text, f12 text)
language plpgsql volatile security definer set search_path = pg_catalog, public, pg_temp as $$
begin
	if customer_visible(p_customer_id) then
		return query select * from pop_rows(p_customer_id);
	end if;
	if not found then
		raise exception 'no such customer %', p_customer_id using errcode = 'P0002';
	end if;
	perform audit_write(p_customer_id, 'view', 'pop');
end $$;

-- The full text of one interaction (the timeline shows subjects), for a
-- customer the login may see ('' when it has none); NULL for an interaction
-- that does not exist or that the login may not see. Audited as a view.
create or replace function interaction_body(p_interaction bigint) returns text
language plpgsql volatile security definer set search_path = pg_catalog, public, pg_temp as $$
declare
	v_customer bigint;
	v_body text;
begin
	select i.customer_id, i.body into v_customer, v_body from interaction i where i.id = p_interaction;
	if not found or not customer_visible(v_customer) then
		return null;
	end if;
	perform audit_write(v_customer, 'view', 'interaction ' || p_interaction);
	return coalesce(v_body, '');
end $$;

-- Calls offered to this agent and not finished, oldest first: what the
-- console re-reads after every (re)connect, since notifications can be lost.
create or replace function calls_offered()
returns table (id bigint) language sql stable security definer set search_path = pg_catalog, public, pg_temp as $$
	select c.id from call c
	where c.agent_login = session_user and c.state in ('offered', 'answered')
	order by c.created_at, c.id
$$;
