-- 010 the screen pop and the agent's desk: one round trip for a pop, keyset
-- paging of the timeline, search, quick-create and saving a contact.
--
-- Every function is SECURITY INVOKER: it reads and writes with the caller's
-- rights (006_grants.sql), so row-level security added later applies to it.
--
-- The pop returns rows (section, f1 .. f12), all text, so a C client needs no
-- JSON parser. Sections, in this order, and their fields:
--
--   call       id, ani, ani_e164, dnis, queue, state, created_at (epoch),
--              customer_id (NULL: unknown or shared), ncandidates
--   header     id, external_id, name, phone, email, tier, segment, branch,
--              branch_name, value_won, rrn_masked, customer_since (epoch)
--   alert      kind, severity, message                  (at most 8)
--   offer      rule_id, name, offer                     (at most 5)
--   case       id, subject, status, priority, owner, sla_left_secs (NULL: no due time)
--   total      interactions, counted up to 10000 (10000 means "10000 or more")
--   item       the first timeline page, newest first, 51 rows for a page of
--              50 (a 51st row means older items exist): id, occurred_at (epoch),
--              cursor key (timeline_key), channel, direction, kind, subject,
--              status, amount_won, agent_login
--   candidate  id, name, phone, email, tier, branch, external_id (shared number)
--
-- interactions_total is a bounded count (an index-only scan that stops at
-- 10000) rather than a counter kept by a trigger: a counter would make every
-- insert into interaction update (and lock) the customer row, and bulk loads
-- would have to maintain it. The count costs microseconds for a typical
-- history of tens of rows and about 1-2 ms at the cap (10000 index entries).

-- The timeline filtered by channel or kind stays a short index range scan
-- however long the history is: without these a rare channel in a history of
-- 10000+ rows means reading the whole history to fill one page.
create index interaction_timeline_channel on interaction (customer_id, channel, occurred_at desc, id desc);
create index interaction_timeline_kind on interaction (customer_id, kind, occurred_at desc, id desc);

-- The keyset cursor as text, exact to the microsecond and independent of the
-- session's DateStyle and TimeZone: '2025-01-02 01:00:00.123456+00'.
create or replace function timeline_key(p_at timestamptz) returns text
language sql stable as $$
	select to_char(p_at at time zone 'UTC', 'YYYY-MM-DD HH24:MI:SS.US"+00"')
$$;

-- A customer's preferred contact of one kind: the primary one, else a mobile,
-- else the oldest.
-- Branch-store staff see personal numbers masked: the last four digits of a
-- phone, the first letter and the domain of an e-mail. Whether the viewer
-- is branch staff comes from their agent row, so every client masks alike.
create or replace function pii_masked_for_me() returns boolean
language sql stable as $$
	select exists (select 1 from agent where login = session_user and role = 'branch')
$$;

create or replace function pii_contact(p_kind text, p_value text) returns text
language sql stable as $$
	select case
		when p_value is null or not pii_masked_for_me() then p_value
		when p_kind = 'phone' then '***-****-' || right(p_value, 4)
		when p_kind = 'email' then left(p_value, 1) || '***' || substr(p_value, strpos(p_value, '@'))
		else '***'
	end
$$;

create or replace function customer_contact_value(p_customer bigint, p_kind text) returns text
language sql stable as $$
	select pii_contact(p_kind, cp.value)
	from customer_contact cc join contact_point cp on cp.id = cc.contact_point_id
	where cc.customer_id = p_customer and cp.kind = p_kind
	order by cc.is_primary desc, cc.label is not distinct from 'mobile' desc, cp.id
	limit 1
$$;

-- One page of the timeline, newest first, strictly older than the key
-- (p_before_at, p_before_id) when it is given. p_channel and p_kind: NULL or
-- '' for all. Each filter combination is its own static query, so each one
-- keeps its own (cached) plan on the index that fits it.
create or replace function timeline(p_customer bigint, p_channel text, p_kind text,
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

-- Warnings for the pop: open stored alerts, plus alerts derived from the data
-- (an open complaint case, churn score >= 0.7, a case past its due time).
-- One per kind: a stored alert wins over a derived one of the same kind, and
-- a stored vip_complaint already says what open_complaint would. Most severe first.
create or replace function customer_alerts(p_customer bigint)
returns table (kind text, severity text, message text)
language sql stable as $$
	with stored as (
		select distinct on (a.kind) a.kind, a.severity, a.message
		from alert a
		where a.customer_id = p_customer and a.cleared_at is null
		order by a.kind, a.raised_at desc, a.id desc
	), derived as (
		select 'open_complaint' as kind,
		       case when (select tier from customer where id = p_customer) = 'platinum' then 'critical' else 'warn' end
		           as severity,
		       format('%s open complaint%s (latest #%s)', count(*), case when count(*) > 1 then 's' else '' end,
		              max(c.id)) as message
		from cases c
		where c.customer_id = p_customer and c.status <> 'closed' and c.kind = 'complaint'
		having count(*) > 0
		union all
		select 'churn_risk', case when u.churn_score >= 0.9 then 'critical' else 'warn' end,
		       'Churn risk ' || to_char(u.churn_score, 'FM0.00')
		from customer u
		where u.id = p_customer and u.churn_score >= 0.7
		union all
		select 'overdue', 'critical',
		       format('%s case%s past due (oldest #%s)', count(*), case when count(*) > 1 then 's' else '' end,
		              min(c.id))
		from cases c
		where c.customer_id = p_customer and c.status <> 'closed' and c.due_at < now()
		having count(*) > 0
	)
	select kind, severity, message
	from (select kind, severity, message from stored
	      union all
	      select d.kind, d.severity, d.message from derived d
	      where not exists (select 1 from stored s
	                        where s.kind = d.kind or (d.kind = 'open_complaint' and s.kind = 'vip_complaint'))) x
	order by case severity when 'critical' then 0 when 'warn' then 1 else 2 end, kind
	limit 8
$$;

-- Next-best offers: active rules whose every non-NULL condition holds, by
-- priority, at most 5. A customer without a churn score counts as 0.
create or replace function customer_offers(p_customer_id bigint)
returns table (rule_id integer, name text, offer text)
language sql stable as $$
	select r.id, r.name, r.offer
	from customer c
	join offer_rule r on r.active
		and (r.tiers is null or c.tier = any (r.tiers))
		and (r.segments is null or c.segment = any (r.segments))
		and (r.min_value is null or c.value_won >= r.min_value)
		and (r.min_churn is null or coalesce(c.churn_score, 0) >= r.min_churn)
		and (r.max_churn is null or coalesce(c.churn_score, 0) <= r.max_churn)
		and (r.valid_from is null or current_date >= r.valid_from)
		and (r.valid_until is null or current_date <= r.valid_until)
	where c.id = p_customer_id
	order by r.priority, r.id
	limit 5
$$;

-- Everything a pop shows of one customer (sections header .. item), without
-- the audit row: screen_pop and customer_pop write that.
create or replace function pop_sections(p_customer bigint)
returns table (section text, f1 text, f2 text, f3 text, f4 text, f5 text, f6 text,
	f7 text, f8 text, f9 text, f10 text, f11 text, f12 text)
language plpgsql stable as $$
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

	return query
	select 'offer', o.rule_id::text, o.name, o.offer, null, null, null, null, null, null, null, null, null
	from customer_offers(p_customer) o;

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
	from timeline(p_customer, null, null, null, null, 51) t;
end $$;

-- The pop of an offered call, in one round trip. The customer is the call's
-- (set when it arrived) or, failing that, the one customer who has the
-- caller's number now (say, created since). A shared number pops nobody:
-- the candidates come instead. Every customer shown gets an audit 'view' row.
create or replace function screen_pop(p_call_id bigint)
returns table (section text, f1 text, f2 text, f3 text, f4 text, f5 text, f6 text,
	f7 text, f8 text, f9 text, f10 text, f11 text, f12 text)
language plpgsql volatile as $$
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
	select q.name into v_queue from queue q where q.id = v_call.queue_id;
	if v_call.ani_e164 is not null then
		select count(*), min(c) into v_n, v_customer from customers_by_contact('phone', v_call.ani_e164) c;
		if v_n <> 1 then
			v_customer := null;
		end if;
	end if;
	v_customer := coalesce(v_call.customer_id, v_customer);

	return query
	select 'call', v_call.id::text, v_call.ani, v_call.ani_e164, v_call.dnis, v_queue, v_call.state,
		extract(epoch from v_call.created_at)::bigint::text, v_customer::text, v_n::text,
		null::text, null::text, null::text;

	if v_customer is not null then
		return query select * from pop_sections(v_customer);
		insert into audit_log (customer_id, action, detail) values (v_customer, 'view', 'pop call ' || p_call_id);
	elsif v_n > 1 then
		return query
		select 'candidate', c.id::text, c.name, customer_contact_value(c.id, 'phone'),
			customer_contact_value(c.id, 'email'), c.tier, c.branch_code, c.external_id,
			null, null, null, null, null
		from customers_by_contact('phone', v_call.ani_e164) k join customer c on c.id = k
		order by c.name, c.id
		limit 50;
		insert into audit_log (customer_id, action, detail)
		select k, 'view', 'pop candidate call ' || p_call_id
		from customers_by_contact('phone', v_call.ani_e164) k
		order by k
		limit 50;
	end if;
end $$;

-- The pop of a customer opened without a call (search, picker).
create or replace function customer_pop(p_customer_id bigint)
returns table (section text, f1 text, f2 text, f3 text, f4 text, f5 text, f6 text,
	f7 text, f8 text, f9 text, f10 text, f11 text, f12 text)
language plpgsql volatile as $$
begin
	return query select * from pop_sections(p_customer_id);
	if not found then
		raise exception 'no such customer %', p_customer_id using errcode = 'P0002';
	end if;
	insert into audit_log (customer_id, action, detail) values (p_customer_id, 'view', 'pop');
end $$;

-- Search: phone (E.164, normalized by the client, NULL when the query is not
-- a phone number), e-mail (any case), external id, order number, or a name
-- prefix (any case; Korean too). Exact matches first, then names in order.
-- The name prefix is a range on the customer_name_prefix index
-- (lower(name) text_pattern_ops: byte order, which for UTF-8 is code point
-- order), so it stays an index scan whatever the plan cache decides.
-- One audit 'search' row records the query.
create or replace function customer_search(p_query text, p_phone_e164 text, p_limit integer)
returns table (id bigint, name text, phone text, email text, tier text, branch text, external_id text)
language plpgsql volatile as $$
#variable_conflict use_column
declare
	v_q text := btrim(coalesce(p_query, ''));
	v_lo text := lower(btrim(coalesce(p_query, '')));
	v_hi text;
	v_last integer;
	v_limit integer := least(greatest(coalesce(p_limit, 50), 1), 200);
begin
	if v_q = '' then
		return;
	end if;
	-- The smallest string greater than every string starting with v_lo.
	v_last := ascii(right(v_lo, 1)) + 1;
	if v_last between 55296 and 57343 then
		v_last := 57344;          -- past the UTF-16 surrogates, which are not characters
	end if;
	if v_last <= 1114111 then
		v_hi := left(v_lo, -1) || chr(v_last);
	else
		v_hi := v_lo || chr(1114111);   -- U+10FFFF last: near enough
	end if;

	return query
	with hit as (
		select k as cid, 1 as rank
		from customers_by_contact('phone', p_phone_e164) k
		where p_phone_e164 is not null
		union all
		select cc.customer_id, 2
		from contact_point cp join customer_contact cc on cc.contact_point_id = cp.id
		where cp.kind = 'email' and cp.value = v_lo
		union all
		select c.id, 3 from customer c where c.external_id = v_q
		union all
		select o.customer_id, 4 from orders o where o.order_no = v_q
		union all
		(select c.id, 5
		 from customer c
		 where lower(c.name) ~>=~ v_lo and lower(c.name) ~<~ v_hi
		 order by lower(c.name) using ~<~
		 limit v_limit)
	), best as (
		select h.cid, min(h.rank) as rank from hit h group by h.cid
	)
	select c.id, c.name, customer_contact_value(c.id, 'phone'), customer_contact_value(c.id, 'email'),
		c.tier, c.branch_code, c.external_id
	from best b join customer c on c.id = b.cid
	order by b.rank, lower(c.name), c.id
	limit v_limit;

	insert into audit_log (customer_id, action, detail) values (null, 'search', left(v_q, 200));
end $$;

-- Quick-create for an unknown caller: a registered customer with this phone
-- (E.164 or NULL) as primary contact. The number may already belong to
-- others (a family line): it is linked, not duplicated. Returns the id.
create or replace function customer_create(p_name text, p_phone_e164 text)
returns bigint language plpgsql volatile as $$
declare
	v_name text := btrim(coalesce(p_name, ''));
	v_phone text := nullif(btrim(coalesce(p_phone_e164, '')), '');
	v_id bigint;
	v_cp bigint;
begin
	if v_name = '' then
		raise exception 'customer name is empty' using errcode = '22023';
	end if;
	if v_phone is not null and v_phone !~ '^\+[1-9][0-9]{5,14}$' then
		raise exception 'phone % is not in E.164 form', v_phone using errcode = '22023';
	end if;
	insert into customer (name, tier) values (v_name, 'registered') returning id into v_id;
	if v_phone is not null then
		insert into contact_point (kind, value) values ('phone', v_phone) on conflict (kind, value) do nothing;
		select cp.id into v_cp from contact_point cp where cp.kind = 'phone' and cp.value = v_phone;
		insert into customer_contact (customer_id, contact_point_id, label, is_primary)
		values (v_id, v_cp, 'mobile', true);
	end if;
	insert into audit_log (customer_id, action, detail) values (v_id, 'create', 'quick-create');
	return v_id;
end $$;

-- Saves the contact the agent logged, once: the draft's uuid is the
-- interaction's idempotency key, so a second save (a retry after a lost
-- connection, a replayed journal) returns the first row and creates nothing.
-- With p_open_case a case is opened (due in 48 hours, owned by the agent,
-- high priority for platinum customers) and linked, in the same transaction.
-- The call, when it had no customer yet, is linked to this one.
create or replace function contact_save(p_draft uuid, p_customer bigint, p_call bigint,
	p_channel text, p_direction text, p_kind text, p_reason text, p_disposition text,
	p_subject text, p_body text, p_open_case boolean)
returns bigint language plpgsql volatile as $$
declare
	v_id bigint;
	v_case bigint;
	v_kind text := coalesce(nullif(p_kind, ''), case when p_open_case then 'complaint' else 'inquiry' end);
	v_subject text := nullif(btrim(coalesce(p_subject, '')), '');
	v_tier text;
begin
	if p_draft is null then
		raise exception 'contact has no draft id' using errcode = '22023';
	end if;
	select i.id into v_id from interaction i where i.idempotency_key = p_draft;
	if found then
		return v_id;
	end if;
	select c.tier into v_tier from customer c where c.id = p_customer;
	if not found then
		raise exception 'no such customer %', p_customer using errcode = '23503';
	end if;

	insert into interaction (customer_id, occurred_at, channel, direction, kind, subject, body, status,
	                         reason_code, disposition, agent_login, branch_code, call_id, idempotency_key)
	values (p_customer, now(), coalesce(nullif(p_channel, ''), 'phone'), coalesce(nullif(p_direction, ''), 'in'),
	        v_kind, v_subject, p_body, case when p_open_case then 'open' end,
	        nullif(p_reason, ''), nullif(p_disposition, ''), current_user,
	        (select a.branch_code from agent a where a.login = current_user), p_call, p_draft)
	on conflict (idempotency_key) do nothing
	returning id into v_id;
	if v_id is null then
		-- saved meanwhile by another session: that row is the answer
		select i.id into v_id from interaction i where i.idempotency_key = p_draft;
		return v_id;
	end if;

	if p_open_case then
		insert into cases (customer_id, kind, subject, status, priority, owner_login, due_at)
		values (p_customer, case when v_kind in ('complaint', 'inquiry', 'return') then v_kind else 'complaint' end,
		        coalesce(v_subject, 'Complaint'), 'open',
		        case when v_tier = 'platinum' then 'high' else 'normal' end,
		        current_user, now() + interval '48 hours')
		returning id into v_case;
		update interaction set case_id = v_case where id = v_id;
	end if;
	if p_call is not null then
		update call set customer_id = p_customer where id = p_call and customer_id is null;
	end if;
	return v_id;
end $$;

-- Calls offered to this agent and not finished, oldest first: what the
-- console re-reads after every (re)connect, since notifications can be lost.
create or replace function calls_offered()
returns table (id bigint) language sql stable as $$
	select c.id from call c
	where c.agent_login = current_user and c.state in ('offered', 'answered')
	order by c.created_at, c.id
$$;

revoke all on function screen_pop(bigint), customer_pop(bigint), pop_sections(bigint),
	timeline(bigint, text, text, timestamptz, bigint, integer), customer_alerts(bigint),
	customer_offers(bigint), customer_search(text, text, integer), customer_create(text, text),
	contact_save(uuid, bigint, bigint, text, text, text, text, text, text, text, boolean),
	calls_offered(), customer_contact_value(bigint, text), timeline_key(timestamptz),
	pii_masked_for_me(), pii_contact(text, text)
	from public;
grant execute on function screen_pop(bigint), customer_pop(bigint), pop_sections(bigint),
	timeline(bigint, text, text, timestamptz, bigint, integer), customer_alerts(bigint),
	customer_offers(bigint), customer_search(text, text, integer), calls_offered(),
	customer_contact_value(bigint, text), timeline_key(timestamptz), pii_masked_for_me(),
	pii_contact(text, text)
	to ccterm_agent, ccterm_branch, ccterm_supervisor, ccterm_admin;
-- Branch staff read and look up; creating customers and logging contacts is
-- for agents and supervisors (who hold the insert rights these need).
grant execute on function customer_create(text, text),
	contact_save(uuid, bigint, bigint, text, text, text, text, text, text, text, boolean)
	to ccterm_agent, ccterm_supervisor, ccterm_admin;
