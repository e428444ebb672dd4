-- 78_campaigns: outbound campaigns: the member list from a segment, an offer
-- rule or an imported list, a control group held out, the next member for an
-- agent, outcomes and call-backs, and the board (README, "Campaigns").
-- A repeatable file: applied after the numbered migrations whenever it changes.

create or replace function campaign_tz() returns text
language sql stable set search_path = pg_catalog, public, pg_temp as $$
	select coalesce((select value from settings where key = 'timezone'), 'Asia/Seoul')
$$;

create or replace function campaign_by_name(p_name text) returns integer
language plpgsql stable security definer set search_path = pg_catalog, public, pg_temp as $$
declare
	v integer;
begin
	select c.id into v from campaign c where lower(c.name) = lower(p_name);
	if v is null then
		raise exception 'no such campaign %', p_name using errcode = 'P0002';
	end if;
	return v;
end $$;

create or replace function campaign_check_supervisor() returns void
language plpgsql stable set search_path = pg_catalog, public, pg_temp as $$
begin
	if not (pg_has_role(session_user, 'ccterm_supervisor', 'MEMBER') or pg_has_role(session_user, 'ccterm_admin', 'MEMBER')) then
		raise exception 'campaigns are planned by supervisors' using errcode = '42501';
	end if;
end $$;

-- Creates a campaign, or changes the one of that name before it is built.
-- Target: 'segment' (a segment code), 'rule' (an offer rule's name) or 'list'
-- (members added with campaign_list_add). Returns its id.
-- What counts as a response besides an inbound campaign reply (campaign_responded):
-- p_response_product, the SKU or category an order must hold (NULL: any
-- order); p_response_reason, a reason code an inbound contact may carry.
drop function if exists campaign_save(text, text, text, text, date, date, text, numeric, integer, integer);
drop function if exists campaign_save(text, text, text, text, date, date, text, numeric, integer, integer, text, text);
create function campaign_save(p_name text, p_offer text, p_target_kind text, p_target_code text, p_starts date,
	p_ends date default null, p_script text default '', p_control_pct numeric default 10, p_seed integer default 1,
	p_response_days integer default 14, p_response_product text default null, p_response_reason text default null)
returns integer language plpgsql volatile security definer set search_path = pg_catalog, public, pg_temp as $$
declare
	v_id integer;
begin
	perform campaign_check_supervisor();
	if coalesce(p_target_kind, '') not in ('segment', 'rule', 'list') then
		raise exception 'a campaign targets a segment, a rule or a list' using errcode = '22023';
	end if;
	if p_target_kind = 'segment' and not exists (select 1 from segment_rule s where s.code = p_target_code)
	   and not exists (select 1 from customer c where c.segment = p_target_code) then
		raise exception 'no such segment %', coalesce(p_target_code, '(none)') using errcode = '23503';
	end if;
	if p_target_kind = 'rule' and not exists (select 1 from offer_rule r where lower(r.name) = lower(p_target_code)) then
		raise exception 'no such offer rule %', coalesce(p_target_code, '(none)') using errcode = '23503';
	end if;
	if p_response_reason is not null and not exists (select 1 from reason_code r where r.code = p_response_reason) then
		raise exception 'no such reason code %', p_response_reason using errcode = '23503';
	end if;
	if p_starts is null or p_ends < p_starts then
		raise exception 'a campaign needs a start date, and ends after it' using errcode = '22023';
	end if;
	if exists (select 1 from campaign c join campaign_member m on m.campaign_id = c.id
	           where lower(c.name) = lower(p_name) and m.attempts > 0) then
		raise exception 'campaign % has started: it can no longer be changed', p_name using errcode = '55000';
	end if;
	insert into campaign (name, offer, starts, ends, target_kind, target_code, script, control_pct, seed, response_days,
	                      response_product, response_reason)
	values (p_name, p_offer, p_starts, p_ends, p_target_kind, case when p_target_kind <> 'list' then p_target_code end,
	        coalesce(p_script, ''), coalesce(p_control_pct, 10), coalesce(p_seed, 1), coalesce(p_response_days, 14),
	        nullif(btrim(p_response_product), ''), p_response_reason)
	on conflict (name) do update
	set offer = excluded.offer, starts = excluded.starts, ends = excluded.ends, target_kind = excluded.target_kind,
	    target_code = excluded.target_code, script = excluded.script, control_pct = excluded.control_pct,
	    seed = excluded.seed, response_days = excluded.response_days, response_product = excluded.response_product,
	    response_reason = excluded.response_reason
	returning id into v_id;
	perform pg_notify('campaign', v_id::text);
	return v_id;
end $$;

-- Adds customers to a list campaign: each reference a customer id, an
-- external id or an e-mail address. Returns how many were added and
-- the references that matched nobody.
drop function if exists campaign_list_add(integer, text[]);
create function campaign_list_add(p_campaign integer, p_refs text[])
returns table (added integer, unknown text[])
language plpgsql volatile security definer set search_path = pg_catalog, public, pg_temp as $$
declare
	v_added integer;
begin
	perform campaign_check_supervisor();
	if not exists (select 1 from campaign where id = p_campaign and target_kind = 'list') then
		raise exception 'campaign % is not a list campaign', p_campaign using errcode = '22023';
	end if;
	create temp table if not exists campaign_refs (ref text, customer_id bigint) on commit drop;
	truncate campaign_refs;
	insert into campaign_refs
	select r, coalesce(
		(select c.id from customer c where r ~ '^[0-9]{1,18}$' and c.id = r::bigint),
		(select c.id from customer c where c.external_id = r),
		(select min(x) from customers_by_contact('email', r) x where r like '%@%'))
	from (select distinct btrim(u) as r from unnest(p_refs) u where btrim(u) <> '') s;
	insert into campaign_member (campaign_id, customer_id)
	select distinct p_campaign, customer_id from campaign_refs where customer_id is not null
	on conflict do nothing;
	get diagnostics v_added = row_count;
	return query select v_added, array(select ref from campaign_refs where customer_id is null order by ref);
end $$;

-- Builds the member list (segment and rule campaigns: who fits today; list
-- campaigns: the list as added) and holds out the control group: exactly
-- round(members x control_pct / 100) members, those first in the order of
-- md5(seed:customer id), so the same seed always holds out the same ones.
-- Refused once an attempt was recorded.
drop function if exists campaign_build(integer);
create function campaign_build(p_campaign integer)
returns table (members integer, control integer)
language plpgsql volatile security definer set search_path = pg_catalog, public, pg_temp as $$
declare
	c campaign;
	v_n integer;
	v_control integer;
begin
	perform campaign_check_supervisor();
	select * into c from campaign where id = p_campaign for update;
	if not found then
		raise exception 'no such campaign %', p_campaign using errcode = 'P0002';
	end if;
	if exists (select 1 from campaign_member m where m.campaign_id = p_campaign and m.attempts > 0) then
		raise exception 'campaign % has started: its list is kept', c.name using errcode = '55000';
	end if;
	if c.target_kind = 'segment' then
		delete from campaign_member m where m.campaign_id = p_campaign;
		insert into campaign_member (campaign_id, customer_id)
		select p_campaign, f.id from customer_fact f
		where f.segment = c.target_code
		   or exists (select 1 from segment_rule s where s.code = c.target_code and segment_fits(s, f));
	elsif c.target_kind = 'rule' then
		delete from campaign_member m where m.campaign_id = p_campaign;
		insert into campaign_member (campaign_id, customer_id)
		select p_campaign, f.id from customer_fact f cross join offer_rule r
		where lower(r.name) = lower(c.target_code) and offer_fits(r, f, c.channel);
	end if;
	select count(*) into v_n from campaign_member m where m.campaign_id = p_campaign;
	v_control := round(v_n * c.control_pct / 100.0);
	update campaign_member m set is_control = k.rn <= v_control, status = 'targeted'
	from (select x.customer_id, row_number() over (order by md5(c.seed || ':' || x.customer_id), x.customer_id) as rn
	      from campaign_member x where x.campaign_id = p_campaign) k
	where m.campaign_id = p_campaign and m.customer_id = k.customer_id;
	update campaign set built_at = now() where id = p_campaign;
	perform pg_notify('campaign', p_campaign::text);
	return query select v_n, v_control;
end $$;

-- The next member for me to call: my own pulled-but-unrecorded one first,
-- then my call-backs that are due, then the rest (fewest attempts first).
-- FOR UPDATE SKIP LOCKED plus a claim (campaign_claim_minutes) so two agents
-- never get the same member. p_campaign NULL: any running campaign.
-- The script comes with the template fields filled ({customer_name},
-- {agent_name}, {company_name}, {order_no}, {today}: 77_mail.sql).
-- No row: nobody to call now.
drop function if exists campaign_next(integer);
create function campaign_next(p_campaign integer)
returns table (campaign_id integer, campaign_name text, offer text, script text, customer_id bigint,
	customer_name text, attempts integer, callback_at timestamptz)
language plpgsql volatile security definer set search_path = pg_catalog, public, pg_temp as $$
declare
	v_campaign integer;
	v_customer bigint;
begin
	select m.campaign_id, m.customer_id into v_campaign, v_customer
	from campaign_member m join campaign c on c.id = m.campaign_id
	where (p_campaign is null or m.campaign_id = p_campaign)
	  and c.active and c.built_at is not null
	  and (now() at time zone campaign_tz())::date between c.starts and coalesce(c.ends, 'infinity'::date)
	  and not m.is_control and m.done_at is null
	  and (m.owner_login is null or m.owner_login = session_user)
	  and (m.claimed_by is null or m.claimed_by = session_user or m.claimed_until < now())
	  and (m.next_at is null or m.next_at <= now() or m.claimed_by = session_user)
	  and case_customer_visible(m.customer_id)
	order by (m.claimed_by is not distinct from session_user::text) desc,
	         (m.owner_login is not distinct from session_user::text) desc,
	         m.next_at nulls last, m.attempts, md5(c.seed || ':' || m.customer_id || ':next'), m.customer_id
	limit 1
	for update of m skip locked;
	if v_customer is null then
		return;
	end if;
	update campaign_member m
	set claimed_by = session_user,
	    claimed_until = now() + make_interval(mins => setting_num('campaign_claim_minutes', 30)::integer)
	where m.campaign_id = v_campaign and m.customer_id = v_customer;
	return query
	select c.id, c.name, c.offer, mail_fill(c.script, m.customer_id, null), m.customer_id, cu.name, m.attempts,
	       m.callback_at
	from campaign_member m join campaign c on c.id = m.campaign_id join customer cu on cu.id = m.customer_id
	where m.campaign_id = v_campaign and m.customer_id = v_customer;
end $$;

-- Records the outcome of my call to a member I pulled: reached, not_reached
-- (tried again after campaign_retry_minutes, done after campaign_max_attempts),
-- accepted, refused, or callback at p_callback_at (it comes back to me then,
-- pushed as 'campaign <id> callback <customer>' on agent_<login> by the watch).
-- A call that reached the customer is an outbound interaction on their
-- timeline. Returns the attempt's id.
drop function if exists campaign_record(integer, bigint, text, timestamptz, text);
create function campaign_record(p_campaign integer, p_customer bigint, p_outcome text,
	p_callback_at timestamptz default null, p_note text default null)
returns bigint language plpgsql volatile security definer set search_path = pg_catalog, public, pg_temp as $$
declare
	m campaign_member;
	c campaign;
	v_interaction bigint;
	v_id bigint;
	v_reached boolean := p_outcome in ('reached', 'accepted', 'refused', 'callback');
begin
	if coalesce(p_outcome, '') not in ('reached', 'not_reached', 'accepted', 'refused', 'callback') then
		raise exception 'an outcome is reached, not_reached, accepted, refused or callback' using errcode = '22023';
	end if;
	if p_outcome = 'callback' and (p_callback_at is null or p_callback_at <= now()) then
		raise exception 'a call-back needs a time in the future' using errcode = '22023';
	end if;
	select * into m from campaign_member x where x.campaign_id = p_campaign and x.customer_id = p_customer for update;
	if not found or m.is_control then
		raise exception 'customer % is not on campaign %''s list', p_customer, p_campaign using errcode = 'P0002';
	end if;
	if m.claimed_by is distinct from session_user::text and m.owner_login is distinct from session_user::text then
		raise exception 'pull the member first (campaign_next): it is not yours' using errcode = '42501';
	end if;
	if m.done_at is not null then
		raise exception 'customer % is done on campaign %', p_customer, p_campaign using errcode = '55000';
	end if;
	select * into c from campaign where id = p_campaign;
	if v_reached then
		insert into interaction (customer_id, occurred_at, channel, direction, kind, subject, body, status,
		                         agent_login, branch_code)
		values (p_customer, now(), c.channel, 'out', 'campaign_response', c.name || ': ' || replace(p_outcome, '_', ' '),
		        nullif(btrim(coalesce(p_note, '')), ''), p_outcome, session_user,
		        (select a.branch_code from agent a where a.login = session_user))
		returning id into v_interaction;
	end if;
	insert into campaign_attempt (campaign_id, customer_id, login, outcome, callback_at, note, interaction_id)
	values (p_campaign, p_customer, session_user, p_outcome, p_callback_at, nullif(btrim(coalesce(p_note, '')), ''),
	        v_interaction)
	returning id into v_id;
	update campaign_member x
	set attempts = x.attempts + 1, last_attempt_at = now(), outcome = p_outcome,
	    contacted_at = case when v_reached then coalesce(x.contacted_at, now()) else x.contacted_at end,
	    status = case p_outcome when 'accepted' then 'responded' when 'refused' then 'declined'
	                  when 'not_reached' then x.status else 'contacted' end,
	    responded_at = case when p_outcome = 'accepted' then now() else x.responded_at end,
	    callback_at = case when p_outcome = 'callback' then p_callback_at end,
	    owner_login = case when p_outcome = 'callback' then session_user end,
	    next_at = case p_outcome when 'callback' then p_callback_at
	                  when 'not_reached' then now() + make_interval(mins => setting_num('campaign_retry_minutes', 120)::integer) end,
	    done_at = case when p_outcome in ('reached', 'accepted', 'refused') then now()
	                   when p_outcome = 'not_reached' and x.attempts + 1 >= setting_num('campaign_max_attempts', 3) then now() end,
	    claimed_by = null, claimed_until = null, reminded_at = null
	where x.campaign_id = p_campaign and x.customer_id = p_customer;
	if p_outcome = 'callback' then
		perform pg_notify('followup_watch', '');   -- the watch pushes it when it is due
	end if;
	perform audit_write(p_customer, 'update', format('campaign %s %s', p_campaign, p_outcome));
	perform pg_notify('campaign', p_campaign::text);   -- the supervisors' campaign board
	return v_id;
end $$;

-- Every campaign with its list and figures so far.
drop function if exists campaign_list_all();
create function campaign_list_all()
returns table (id integer, name text, target text, starts date, ends date, active boolean, built boolean,
	members integer, control integer, done integer, accepted integer)
language sql stable security definer set search_path = pg_catalog, public, pg_temp as $$
	select c.id, c.name, c.target_kind || coalesce(' ' || c.target_code, ''), c.starts, c.ends, c.active,
	       c.built_at is not null,
	       count(m.customer_id) filter (where not m.is_control)::integer,
	       count(m.customer_id) filter (where m.is_control)::integer,
	       count(m.customer_id) filter (where m.done_at is not null)::integer,
	       count(m.customer_id) filter (where m.outcome = 'accepted')::integer
	from campaign c left join campaign_member m on m.campaign_id = c.id
	group by c.id
	order by c.starts desc, c.id
$$;

-- Did a member respond? Within (t0, t0 + response_days days], any of:
--   an order that was not cancelled or returned, holding the campaign's
--     response_product (a SKU, or its category: KD counts KD-1016) when set,
--     else any order;
--   an inbound contact (direction 'in', any channel) of kind
--     'campaign_response' (the customer answering the campaign: a reply, a
--     coupon used in a store), or carrying the campaign's response_reason.
-- The campaign's own outbound calls (direction 'out') never count. t0 is the
-- member's first contact (contacted_at) for the contacted group and the
-- campaign's start (local midnight) for the control group.
create or replace function campaign_responded(c campaign, p_customer bigint, p_t0 timestamptz) returns boolean
language sql stable set search_path = pg_catalog, public, pg_temp as $$
	select p_t0 is not null and (
		exists (select 1 from orders o
		        where o.customer_id = p_customer and o.status not in ('cancelled', 'returned')
		          and o.ordered_at > p_t0 and o.ordered_at <= p_t0 + make_interval(days => c.response_days)
		          and (c.response_product is null
		               or exists (select 1 from order_line l where l.order_id = o.id
		                          and (l.sku = c.response_product
		                               or left(l.sku, length(c.response_product) + 1) = c.response_product || '-'))))
		or exists (select 1 from interaction i
		           where i.customer_id = p_customer and i.direction = 'in'
		             and i.occurred_at > p_t0 and i.occurred_at <= p_t0 + make_interval(days => c.response_days)
		             and (i.kind = 'campaign_response' or i.reason_code = c.response_reason)))
$$;

-- The board: progress, contact rate (reached / members called), acceptance
-- (accepted / reached), and the response (campaign_responded): the share of
-- the reached members who responded within response_days after their first
-- contact, against the share of the control group who responded within
-- response_days after the campaign's start (local midnight), with the
-- difference's 95 % confidence interval (normal approximation:
-- d +- 1.96 sqrt(p1 q1 / n1 + p2 q2 / n2)).
drop function if exists campaign_board(integer);
create function campaign_board(p_campaign integer)
returns table (members integer, control integer, called integer, reached integer, accepted integer,
	refused integer, callbacks integer, done integer, progress_pct double precision,
	contact_rate double precision, acceptance_rate double precision,
	contacted_n integer, contacted_responded integer, contacted_rate double precision,
	control_n integer, control_responded integer, control_rate double precision,
	lift double precision, lift_low double precision, lift_high double precision)
language plpgsql stable security definer set search_path = pg_catalog, public, pg_temp as $$
#variable_conflict use_column
declare
	c campaign;
begin
	select * into c from campaign where id = p_campaign;
	if not found then
		raise exception 'no such campaign %', p_campaign using errcode = 'P0002';
	end if;
	return query
	with m as (
		select x.*,
		       (x.is_control or x.contacted_at is not null)
		       and campaign_responded(c, x.customer_id,
		                              case when x.is_control then (c.starts::timestamp at time zone campaign_tz())
		                                   else x.contacted_at end) as responded
		from campaign_member x
		where x.campaign_id = p_campaign
	), f as (
		select count(*) filter (where not is_control)::integer as n_t,
		       count(*) filter (where is_control)::integer as n_c,
		       count(*) filter (where not is_control and attempts > 0)::integer as called,
		       count(*) filter (where not is_control and contacted_at is not null)::integer as reached,
		       count(*) filter (where outcome = 'accepted')::integer as accepted,
		       count(*) filter (where outcome = 'refused')::integer as refused,
		       count(*) filter (where outcome = 'callback' and done_at is null)::integer as callbacks,
		       count(*) filter (where not is_control and done_at is not null)::integer as done,
		       count(*) filter (where not is_control and contacted_at is not null and responded)::integer as x1,
		       count(*) filter (where is_control and responded)::integer as x2
		from m
	), p as (
		select f.*, case when reached > 0 then x1::double precision / reached end as p1,
		       case when n_c > 0 then x2::double precision / n_c end as p2
		from f
	)
	select p.n_t, p.n_c, p.called, p.reached, p.accepted, p.refused, p.callbacks, p.done,
	       case when p.n_t > 0 then 100.0::double precision * p.done / p.n_t end,
	       case when p.called > 0 then p.reached::double precision / p.called end,
	       case when p.reached > 0 then p.accepted::double precision / p.reached end,
	       p.reached, p.x1, p.p1, p.n_c, p.x2, p.p2,
	       p.p1 - p.p2,
	       p.p1 - p.p2 - 1.96 * sqrt(p.p1 * (1 - p.p1) / p.reached + p.p2 * (1 - p.p2) / p.n_c),
	       p.p1 - p.p2 + 1.96 * sqrt(p.p1 * (1 - p.p1) / p.reached + p.p2 * (1 - p.p2) / p.n_c)
	from p;
end $$;

-- Pushes each call-back that has come due to its agent, once:
-- agent_<login> 'campaign <id> callback <customer id>'. Run by
-- `ccterm-admin case-watch`; returns how many.
drop function if exists campaign_callbacks_remind();
create function campaign_callbacks_remind() returns integer
language plpgsql volatile security definer set search_path = pg_catalog, public, pg_temp as $$
declare
	n integer;
begin
	with due as (
		update campaign_member m set reminded_at = now()
		where (m.campaign_id, m.customer_id) in (
			select x.campaign_id, x.customer_id from campaign_member x
			where x.outcome = 'callback' and x.done_at is null and x.reminded_at is null and x.callback_at <= now()
			for update skip locked)
		returning m.campaign_id, m.customer_id, m.owner_login)
	select count(pg_notify('agent_' || d.owner_login, format('campaign %s callback %s', d.campaign_id, d.customer_id)))
	into n from due d where d.owner_login is not null;
	return n;
end $$;

-- When the next call-back comes due (NULL: none waiting).
create or replace function campaign_callback_next() returns timestamptz
language sql stable security definer set search_path = pg_catalog, public, pg_temp as $$
	select min(callback_at) from campaign_member
	where outcome = 'callback' and done_at is null and reminded_at is null
$$;
