-- 70_offers: next-best-offer rules as data (never SQL), the offers that fit a
-- customer best first, editing rules, and what customers answered.
-- A repeatable file: applied after the numbered migrations whenever it changes.

-- The products a customer holds (SKUs of orders not cancelled or returned),
-- read once for all the rules a pop tries. PL/pgSQL: its plan is kept for
-- the session (an SQL function that is not inlined is planned again on
-- every call, ~0.5 ms a pop).
create or replace function customer_skus(p_customer bigint) returns text[]
language plpgsql stable as $$
begin
	return (select coalesce(array_agg(distinct l.sku), '{}')
	        from orders o join order_line l on l.order_id = o.id
	        where o.customer_id = p_customer and l.customer_id = p_customer   -- one shard (320)
	          and o.status not in ('cancelled', 'returned'));
end $$;

-- Is a product among those SKUs? A product is a SKU ("KD-1016") or its
-- category, the part before the dash ("KD"), as customer_holds says.
create or replace function skus_hold(p_skus text[], p_product text) returns boolean
language sql immutable as $$
	select exists (select 1 from unnest(p_skus) k
	               where k = p_product or left(k, length(p_product) + 1) = p_product || '-')
$$;

create or replace function skus_hold_all(p_skus text[], p_products text[]) returns boolean
language sql immutable as $$
	select not exists (select 1 from unnest(p_products) p where not skus_hold(p_skus, p))
$$;

create or replace function skus_hold_any(p_skus text[], p_products text[]) returns boolean
language sql immutable as $$
	select exists (select 1 from unnest(p_products) p where skus_hold(p_skus, p))
$$;

-- Does rule r fit customer f on a contact by channel p_channel (NULL: any)?
-- Every condition is optional; all the given ones must hold. p_segments and
-- p_skus are the customer's segments and products (customer_segments,
-- customer_skus), read once by a caller that tries many rules on one
-- customer; the three-argument form reads them only for a rule that asks.
-- The five-argument body has no sub-select, so the planner inlines it (a
-- pop tries every rule: one expression each, not a function call each).
create or replace function offer_fits(r offer_rule, f customer_fact, p_channel text, p_segments text[],
	p_skus text[]) returns boolean
language sql stable as $$
	select coalesce(r.active
		and (r.valid_from is null or current_date >= r.valid_from)
		and (r.valid_until is null or current_date <= r.valid_until)
		and (r.tiers is null or f.tier = any (r.tiers))
		and (r.segments is null or r.segments && p_segments)
		and (r.age_min is null or f.age >= r.age_min) and (r.age_max is null or f.age <= r.age_max)
		and (r.genders is null or f.gender = any (r.genders))
		and (r.marital is null or f.marital_status = any (r.marital))
		and (r.min_value is null or f.value_won >= r.min_value)
		and (r.max_value is null or f.value_won <= r.max_value)
		and (r.min_churn is null or f.churn_score >= r.min_churn)
		and (r.max_churn is null or f.churn_score <= r.max_churn)
		and (r.r_min is null or f.r_score >= r.r_min) and (r.f_min is null or f.f_score >= r.f_min)
		and (r.m_min is null or f.m_score >= r.m_min)
		and (not r.no_open_complaint or f.open_complaints = 0)
		and (r.channels is null or p_channel is null or p_channel = any (r.channels))
		and (r.has_products is null or skus_hold_all(p_skus, r.has_products))
		and (r.lacks_products is null or not skus_hold_any(p_skus, r.lacks_products)), false)
$$;

create or replace function offer_fits(r offer_rule, f customer_fact, p_channel text) returns boolean
language sql stable as $$
	select offer_fits(r, f, p_channel,
		case when r.segments is not null then array(select customer_segments(f.id)) end,
		case when r.has_products is not null or r.lacks_products is not null then customer_skus(f.id) end)
$$;

-- The offers that fit a customer on a contact by p_channel, best first;
-- p_segments: the customer's segments (customer_segments), when the caller
-- has them already (the pop reads them once for its profile line too).
create or replace function customer_offers_on(p_customer bigint, p_channel text, p_segments text[])
returns table (rule_id integer, name text, offer text, product text, priority integer)
language sql stable as $$
	select r.id, r.name, r.offer, r.product, r.priority
	-- offset 0: the customer's row and products read once, not per rule
	-- (the planner would fold them into the join filter), and f a plain row
	-- on which offer_fits is inlined
	from (select * from customer_fact where id = p_customer offset 0) f
	cross join lateral (select customer_skus(f.id) as skus offset 0) x
	cross join offer_rule r
	where r.active and offer_fits(r, f, p_channel, p_segments, x.skus)
	order by r.priority, r.id
	limit 5
$$;

create or replace function customer_offers_on(p_customer bigint, p_channel text)
returns table (rule_id integer, name text, offer text, product text, priority integer)
language sql stable as $$
	select * from customer_offers_on(p_customer, p_channel, array(select customer_segments(p_customer)))
$$;

-- The pop's offers (a call: the phone channel).
create or replace function customer_offers(p_customer_id bigint)
returns table (rule_id integer, name text, offer text)
language sql stable as $$
	select o.rule_id, o.name, o.offer from customer_offers_on(p_customer_id, 'phone') o
$$;

-- A rule from JSON (the console's editor and ccterm-admin build it with
-- jsonb_build_object from parameters), checked so a bad value gets a clear
-- message instead of a rule that silently never fits.
create or replace function offer_rule_from_json(p jsonb) returns offer_rule
language plpgsql stable as $$
declare
	r offer_rule;
	v text;
begin
	r := jsonb_populate_record(null::offer_rule, p);
	if coalesce(btrim(r.name), '') = '' then
		raise exception 'a rule needs a name' using errcode = '22023';
	end if;
	if coalesce(btrim(r.offer), '') = '' then
		raise exception 'rule %: the offer text is missing (--offer TEXT)', r.name using errcode = '22023';
	end if;
	foreach v in array coalesce(r.tiers, '{}') loop
		if v not in ('all', 'registered', 'contracted', 'platinum') then
			raise exception 'rule %: unknown tier "%" (all, registered, contracted, platinum)', r.name, v
				using errcode = '22023';
		end if;
	end loop;
	foreach v in array coalesce(r.genders, '{}') loop
		if v not in ('F', 'M', 'X') then
			raise exception 'rule %: unknown gender "%" (F, M, X)', r.name, v using errcode = '22023';
		end if;
	end loop;
	foreach v in array coalesce(r.marital, '{}') loop
		if v not in ('single', 'married', 'divorced', 'widowed') then
			raise exception 'rule %: unknown marital status "%" (single, married, divorced, widowed)', r.name, v
				using errcode = '22023';
		end if;
	end loop;
	foreach v in array coalesce(r.segments, '{}') loop
		if not exists (select 1 from segment_rule where code = v)
		   and not exists (select 1 from customer where segment = v) then
			raise exception 'rule %: no segment "%"', r.name, v using errcode = '22023';
		end if;
	end loop;
	foreach v in array coalesce(r.channels, '{}') loop
		if v not in ('phone', 'web', 'email', 'store', 'mobile', 'chat', 'mail', 'fax', 'sms') then
			raise exception 'rule %: unknown channel "%"', r.name, v using errcode = '22023';
		end if;
	end loop;
	if r.age_min < 0 or r.age_max > 150 or r.age_min > r.age_max then
		raise exception 'rule %: age range %-% makes no sense', r.name, r.age_min, r.age_max using errcode = '22023';
	end if;
	if r.valid_from > r.valid_until then
		raise exception 'rule %: valid from % is after until %', r.name, r.valid_from, r.valid_until
			using errcode = '22023';
	end if;
	if r.min_value > r.max_value then
		raise exception 'rule %: min value is above max value', r.name using errcode = '22023';
	end if;
	if least(r.r_min, r.f_min, r.m_min) < 1 or greatest(r.r_min, r.f_min, r.m_min) > 5 then
		raise exception 'rule %: RFM minimums are scores 1..5', r.name using errcode = '22023';
	end if;
	r.priority := coalesce(r.priority, 100);
	r.active := coalesce(r.active, true);
	r.no_open_complaint := coalesce(r.no_open_complaint, false);
	return r;
end $$;

-- A rule's JSON from the words a person types (ccterm-admin rule add, the
-- console's editor): lists comma-separated, the age as "20-29", "60-" or "-19".
-- Empty or NULL means "any".
create or replace function offer_rule_spec(p_name text, p_offer text, p_product text default null,
	p_priority text default null, p_tiers text default null, p_segments text default null,
	p_age text default null, p_genders text default null, p_marital text default null,
	p_has text default null, p_lacks text default null, p_min_value text default null,
	p_max_value text default null, p_rfm_min text default null, p_no_open_complaint boolean default false,
	p_channels text default null, p_from text default null, p_until text default null)
returns jsonb language plpgsql stable as $$
declare
	v_list constant text := '\s*,\s*';
	v_rfm text[] := regexp_split_to_array(nullif(btrim(p_rfm_min), ''), v_list);
begin
	if nullif(btrim(p_age), '') is not null and btrim(p_age) !~ '^\d*\s*-\s*\d*$|^\d+$' then
		raise exception 'age "%" is not MIN-MAX (20-29, 60-, -19)', p_age using errcode = '22023';
	end if;
	if v_rfm is not null and (cardinality(v_rfm) <> 3 or array_to_string(v_rfm, ',') !~ '^[0-5],[0-5],[0-5]$') then
		raise exception 'RFM minimums "%" are R,F,M scores 0..5 (e.g. 4,0,3; 0 = any)', p_rfm_min using errcode = '22023';
	end if;
	return jsonb_strip_nulls(jsonb_build_object(
		'name', btrim(p_name), 'offer', btrim(p_offer), 'product', nullif(btrim(p_product), ''),
		'priority', nullif(btrim(p_priority), '')::integer,
		'tiers', regexp_split_to_array(lower(nullif(btrim(p_tiers), '')), v_list),
		'segments', regexp_split_to_array(lower(nullif(btrim(p_segments), '')), v_list),
		'age_min', nullif(btrim(split_part(p_age, '-', 1)), '')::integer,
		'age_max', nullif(btrim(case when p_age like '%-%' then split_part(p_age, '-', 2) else p_age end), '')::integer,
		'genders', regexp_split_to_array(upper(nullif(btrim(p_genders), '')), v_list),
		'marital', regexp_split_to_array(lower(nullif(btrim(p_marital), '')), v_list),
		'has_products', regexp_split_to_array(nullif(btrim(p_has), ''), v_list),
		'lacks_products', regexp_split_to_array(nullif(btrim(p_lacks), ''), v_list),
		'min_value', nullif(replace(btrim(p_min_value), ',', ''), '')::bigint,
		'max_value', nullif(replace(btrim(p_max_value), ',', ''), '')::bigint,
		'r_min', nullif(v_rfm[1], '0')::smallint, 'f_min', nullif(v_rfm[2], '0')::smallint,
		'm_min', nullif(v_rfm[3], '0')::smallint,
		'no_open_complaint', case when p_no_open_complaint then true end,
		'channels', regexp_split_to_array(lower(nullif(btrim(p_channels), '')), v_list),
		'valid_from', nullif(btrim(p_from), '')::date, 'valid_until', nullif(btrim(p_until), '')::date));
end $$;

-- How many customers a rule would reach (any channel), before it is saved.
create or replace function offer_rule_hits(p jsonb) returns bigint
language sql stable as $$
	select count(*) from customer_fact f
	where offer_fits(offer_rule_from_json(p || '{"active": true, "valid_from": null, "valid_until": null}'), f, null)
$$;

-- A few of them, to see who they are.
create or replace function offer_rule_sample(p jsonb, p_limit integer default 5)
returns table (customer_id bigint, name text, tier text, age integer, segment text, value_won bigint)
language sql stable as $$
	select f.id, c.name, f.tier, f.age, f.segment, f.value_won
	from customer_fact f join customer c on c.id = f.id
	where offer_fits(offer_rule_from_json(p || '{"active": true, "valid_from": null, "valid_until": null}'), f, null)
	order by f.value_won desc, f.id
	limit p_limit
$$;

-- The rule as JSON (to edit it, or test it by name).
create or replace function offer_rule_json(p_name text) returns jsonb
language sql stable as $$
	select jsonb_strip_nulls(to_jsonb(r) - 'updated_at' - 'updated_by') from offer_rule r where lower(r.name) = lower(p_name)
$$;

-- Creates or replaces (by name, any case) a rule; returns its id. The next
-- pop uses it: rules are read per pop, nothing is cached.
create or replace function offer_rule_save(p jsonb) returns integer
language plpgsql security definer set search_path = pg_catalog, public, pg_temp as $$
declare
	r offer_rule := offer_rule_from_json(p);
	v_id integer;
begin
	if not (pg_has_role(session_user, 'ccterm_supervisor', 'member') or pg_has_role(session_user, 'ccterm_admin', 'member')) then
		raise exception 'only supervisors change offer rules' using errcode = '42501';
	end if;
	insert into offer_rule (name, offer, product, priority, active, tiers, segments, age_min, age_max, genders,
		marital, has_products, lacks_products, min_value, max_value, min_churn, max_churn, r_min, f_min, m_min,
		no_open_complaint, channels, valid_from, valid_until, updated_at, updated_by)
	values (r.name, r.offer, r.product, r.priority, r.active, r.tiers, r.segments, r.age_min, r.age_max, r.genders,
		r.marital, r.has_products, r.lacks_products, r.min_value, r.max_value, r.min_churn, r.max_churn,
		r.r_min, r.f_min, r.m_min, r.no_open_complaint, r.channels, r.valid_from, r.valid_until, now(), session_user)
	on conflict (lower(name)) do update set
		offer = excluded.offer, product = excluded.product, priority = excluded.priority, active = excluded.active,
		tiers = excluded.tiers, segments = excluded.segments, age_min = excluded.age_min, age_max = excluded.age_max,
		genders = excluded.genders, marital = excluded.marital, has_products = excluded.has_products,
		lacks_products = excluded.lacks_products, min_value = excluded.min_value, max_value = excluded.max_value,
		min_churn = excluded.min_churn, max_churn = excluded.max_churn, r_min = excluded.r_min,
		f_min = excluded.f_min, m_min = excluded.m_min, no_open_complaint = excluded.no_open_complaint,
		channels = excluded.channels, valid_from = excluded.valid_from, valid_until = excluded.valid_until,
		updated_at = now(), updated_by = session_user
	returning id into v_id;
	return v_id;
end $$;

create or replace function offer_rule_set_active(p_name text, p_active boolean) returns integer
language plpgsql security definer set search_path = pg_catalog, public, pg_temp as $$
declare
	v_id integer;
begin
	if not (pg_has_role(session_user, 'ccterm_supervisor', 'member') or pg_has_role(session_user, 'ccterm_admin', 'member')) then
		raise exception 'only supervisors change offer rules' using errcode = '42501';
	end if;
	update offer_rule set active = p_active, updated_at = now(), updated_by = session_user
	where lower(name) = lower(p_name) returning id into v_id;
	if v_id is null then
		raise exception 'no rule "%" (ccterm-admin rule list)', p_name using errcode = 'P0002';
	end if;
	return v_id;
end $$;

-- The conditions of a rule in a few words, for lists.
create or replace function offer_rule_conditions(r offer_rule) returns text
language sql immutable as $$
	select coalesce(nullif(concat_ws(' ',
		'tier=' || array_to_string(r.tiers, ','), 'segment=' || array_to_string(r.segments, ','),
		case when r.age_min is not null or r.age_max is not null
		     then 'age=' || coalesce(r.age_min::text, '') || '-' || coalesce(r.age_max::text, '') end,
		'gender=' || array_to_string(r.genders, ','), 'marital=' || array_to_string(r.marital, ','),
		'has=' || array_to_string(r.has_products, ','), 'lacks=' || array_to_string(r.lacks_products, ','),
		'value>=' || r.min_value, 'value<=' || r.max_value, 'churn>=' || r.min_churn, 'churn<=' || r.max_churn,
		'R>=' || r.r_min, 'F>=' || r.f_min, 'M>=' || r.m_min,
		case when r.no_open_complaint then 'no-open-complaint' end,
		'channel=' || array_to_string(r.channels, ',')), ''), 'everyone')
$$;

-- Every rule with its response figures: offered, accepted, declined, rate.
create or replace function offer_rules_list()
returns table (id integer, name text, offer text, priority integer, active boolean, valid boolean,
	conditions text, offered bigint, accepted bigint, declined bigint, accept_rate real)
language sql stable as $$
	select r.id, r.name, r.offer, r.priority, r.active,
	       (r.valid_from is null or current_date >= r.valid_from) and (r.valid_until is null or current_date <= r.valid_until),
	       offer_rule_conditions(r),
	       coalesce(x.offered, 0), coalesce(x.accepted, 0), coalesce(x.declined, 0),
	       case when coalesce(x.accepted, 0) + coalesce(x.declined, 0) > 0
	            then (x.accepted::real / (x.accepted + x.declined)) end
	from offer_rule r
	left join (select rule_id, count(*) as offered,
	                  count(*) filter (where response = 'accepted') as accepted,
	                  count(*) filter (where response = 'declined') as declined
	           from offer_response group by rule_id) x on x.rule_id = r.id
	order by r.active desc, r.priority, r.id
$$;

-- The agent records what the customer said to an offer (one key in the pop).
create or replace function offer_record(p_rule integer, p_customer bigint, p_call bigint, p_response text)
returns bigint language plpgsql security definer set search_path = pg_catalog, public, pg_temp as $$
declare
	v_id bigint;
begin
	if p_response not in ('offered', 'accepted', 'declined') then
		raise exception 'an offer is offered, accepted or declined, not "%"', p_response using errcode = '22023';
	end if;
	if not exists (select 1 from offer_rule where id = p_rule) then
		raise exception 'no offer rule %', p_rule using errcode = 'P0002';
	end if;
	if not customer_visible(p_customer) then
		raise exception 'no such customer %', p_customer using errcode = 'P0002';
	end if;
	insert into offer_response (rule_id, customer_id, call_id, response)
	values (p_rule, p_customer, p_call, p_response) returning id into v_id;
	return v_id;
end $$;
