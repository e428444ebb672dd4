-- 60_value: computed tiers, RFM, lifetime value, profitability and churn risk.
-- A repeatable file: applied after the numbered migrations whenever it changes.
--
-- Everything here is derived from the record (orders, interactions, cases,
-- contact points) by customer_metrics_refresh(), which statement-level
-- triggers run for the customers a statement touched, and `ccterm-admin
-- recompute` runs for everyone (also recomputing the quintile cut points).
-- The figures, all documented in README ("Know the customer"):
--   tier    Dell's grades: all (known, no id of their own) < registered (an
--           external id, web id, e-mail or card) < contracted (bought) <
--           platinum (spend, orders and tenure past the settings'
--           thresholds). customer.tier_override wins where given.
--   R F M   quintiles 1..5 over buying customers of recency, orders in 24
--           months and total spend; 0 = never bought.
--   value   lifetime value: yearly margin m = spend in 12 months x
--           value_margin_rate, retention r = 0.9 x (1 - churn score),
--           discount d = value_discount_rate: m (1 + d) / (1 + d - r).
--   profit  margin in 12 months - contacts x value_contact_cost_won -
--           returns x value_return_cost_won; class D when <= 0, else A for
--           the top 20 % of positive profits, B for the next 30 %, C.
--   churn   0..1: 0.6 x how far the time since the last order breaks the
--           customer's own rhythm (median gap, 3+ orders; none below 1.5
--           gaps, full at 5), + 0.2 when spend in 180 days fell below half
--           of the 180 before, + 0.1 per complaint in 30 days (two at most)
--           + 0.1 for an open complaint; with the reasons in words.

-- A numeric setting, or the default when missing.
create or replace function setting_num(p_key text, p_default double precision)
returns double precision language sql stable as $$
	select coalesce((select value::double precision from settings where key = p_key), p_default)
$$;

-- "monthly", "every 2 months", "weekly": a gap in days, in words.
create or replace function rhythm_words(p_days double precision) returns text
language sql immutable as $$
	select case when p_days is null then null
	            when p_days <= 10 then 'weekly'
	            when p_days <= 20 then 'every two weeks'
	            when p_days <= 45 then 'monthly'
	            when p_days <= 75 then 'every two months'
	            when p_days <= 120 then 'quarterly'
	            else format('every %s months', round(p_days / 30)) end
$$;

-- "5 months", "12 days": an age in days, in words.
create or replace function age_words(p_days double precision) returns text
language sql immutable as $$
	select case when p_days < 60 then format('%s days', floor(p_days))
	            else format('%s months', floor(p_days / 30)) end
$$;

-- The quintile cut points over every buying customer (full recompute only).
create or replace function metric_bounds_rebuild() returns void
language plpgsql as $$
begin
	delete from metric_bound;
	insert into metric_bound (dim, score, min_value)
	select d.dim, s.score, s.cut
	from (values
		('R', (select percentile_cont(array[0.2, 0.4, 0.6, 0.8]) within group
		       (order by -extract(epoch from now() - last_order_at) / 86400)
		       from customer_metrics where orders_n > 0)),
		('F', (select percentile_cont(array[0.2, 0.4, 0.6, 0.8]) within group (order by orders_24m)
		       from customer_metrics where orders_n > 0)),
		('M', (select percentile_cont(array[0.2, 0.4, 0.6, 0.8]) within group (order by spend_won)
		       from customer_metrics where orders_n > 0))) d(dim, cuts),
	     lateral (select i + 1 as score, d.cuts[i] as cut from generate_series(1, 4) i) s
	where d.cuts is not null;
	-- Profit classes: A from the 80th percentile of positive profits, B from the 50th.
	insert into metric_bound (dim, score, min_value)
	select 'P', v.score, v.cut
	from (select percentile_cont(array[0.5, 0.8]) within group (order by profit_12m_won) as cuts
	      from customer_metrics where profit_12m_won > 0) p,
	     lateral (values (2::smallint, p.cuts[1]), (3::smallint, p.cuts[2])) v(score, cut)
	where p.cuts is not null;
end $$;

-- Recomputes the figures of the given customers (NULL: everyone, and the
-- quintile cut points first when p_full). Returns how many it wrote.
create or replace function customer_metrics_refresh(p_ids bigint[] default null, p_full boolean default false)
returns integer language plpgsql as $$
declare
	v_all boolean := p_ids is null;
	v_margin double precision := setting_num('value_margin_rate', 0.25);
	v_discount double precision := setting_num('value_discount_rate', 0.10);
	v_contact_cost double precision := setting_num('value_contact_cost_won', 2000);
	v_return_cost double precision := setting_num('value_return_cost_won', 10000);
	v_p_spend double precision := setting_num('tier_platinum_spend_won', 3000000);
	v_p_orders double precision := setting_num('tier_platinum_orders', 8);
	v_p_tenure double precision := setting_num('tier_platinum_tenure_days', 730);
	v_r float8[];
	v_f float8[];
	v_m float8[];
	v_p float8[];
	v_n integer;
begin
	perform job_progress(0, 4, 'what the record says');   -- ccterm-admin's progress line (26_jobs.sql)
	-- 1. What the record says: aggregates of orders, interactions, cases, ids.
	-- Grouped per table, and run by EXECUTE so each call gets its own plan:
	-- hash aggregates over everything when p_ids is NULL, index scans for a few.
	execute $q$
	with ids as (select id from customer where $1 is null or id = any ($1)),
	o as (
		select customer_id,
		       count(*) filter (where ok) as n,
		       count(*) filter (where ok and ordered_at > now() - interval '730 days') as n24,
		       sum(total_won) filter (where ok) as spend,
		       sum(total_won) filter (where ok and ordered_at > now() - interval '365 days') as spend12,
		       sum(total_won) filter (where ok and ordered_at > now() - interval '180 days') as recent,
		       sum(total_won) filter (where ok and ordered_at <= now() - interval '180 days'
		                              and ordered_at > now() - interval '360 days') as prior,
		       min(ordered_at) filter (where ok) as first_at, max(ordered_at) filter (where ok) as last_at,
		       count(*) filter (where status = 'placed') as unpaid
		from (select customer_id, ordered_at, total_won, status, status not in ('cancelled', 'returned') as ok
		      from orders where $1 is null or customer_id = any ($1)) x
		group by customer_id),
	g as (
		select customer_id, percentile_cont(0.5) within group (order by gap) as gap
		from (select customer_id,
		             extract(epoch from ordered_at - lag(ordered_at) over (partition by customer_id order by ordered_at))
		             / 86400 as gap
		      from orders
		      where ($1 is null or customer_id = any ($1)) and status not in ('cancelled', 'returned')
		        and ordered_at > now() - interval '730 days') y
		where gap is not null
		group by customer_id
		having count(*) >= 2),
	i as (
		select customer_id,
		       count(*) filter (where direction = 'in' and kind not in ('web_event', 'survey')) as contacts,
		       count(*) filter (where kind = 'return') as returns,
		       count(*) filter (where kind = 'complaint' and occurred_at > now() - interval '30 days') as complaints,
		       mode() within group (order by channel) as channel
		from interaction
		where ($1 is null or customer_id = any ($1)) and occurred_at > now() - interval '365 days'
		group by customer_id),
	k as (
		select customer_id, count(*) as open_complaints from cases
		where ($1 is null or customer_id = any ($1)) and kind = 'complaint' and status <> 'closed'
		group by customer_id),
	r as (
		select distinct cc.customer_id from customer_contact cc join contact_point cp on cp.id = cc.contact_point_id
		where ($1 is null or cc.customer_id = any ($1)) and cp.kind in ('web', 'email', 'card')),
	-- the last contact ever, which search ranks by (361_last_contact.sql)
	lc as (
		select customer_id, max(occurred_at) as at from interaction
		where $1 is null or customer_id = any ($1)
		group by customer_id)
	insert into customer_metrics as m (customer_id, registered, orders_n, orders_24m, spend_won, spend_12m_won,
		spend_recent_won, spend_prior_won, first_order_at, last_order_at, gap_days, unpaid_n,
		contacts_12m, returns_12m, complaints_30d, open_complaints, preferred_channel, last_contact_at, computed_at)
	select c.id, c.external_id is not null or r.customer_id is not null,
	       coalesce(o.n, 0), coalesce(o.n24, 0), coalesce(o.spend, 0), coalesce(o.spend12, 0),
	       coalesce(o.recent, 0), coalesce(o.prior, 0), o.first_at, o.last_at, g.gap, coalesce(o.unpaid, 0),
	       coalesce(i.contacts, 0), coalesce(i.returns, 0), coalesce(i.complaints, 0),
	       coalesce(k.open_complaints, 0), i.channel, lc.at, now()
	from customer c join ids on ids.id = c.id
	left join o on o.customer_id = c.id left join g on g.customer_id = c.id
	left join i on i.customer_id = c.id left join k on k.customer_id = c.id
	left join r on r.customer_id = c.id left join lc on lc.customer_id = c.id
	on conflict (customer_id) do update set
		registered = excluded.registered, orders_n = excluded.orders_n, orders_24m = excluded.orders_24m,
		spend_won = excluded.spend_won, spend_12m_won = excluded.spend_12m_won,
		spend_recent_won = excluded.spend_recent_won, spend_prior_won = excluded.spend_prior_won,
		first_order_at = excluded.first_order_at, last_order_at = excluded.last_order_at,
		gap_days = excluded.gap_days, unpaid_n = excluded.unpaid_n, contacts_12m = excluded.contacts_12m,
		returns_12m = excluded.returns_12m, complaints_30d = excluded.complaints_30d,
		open_complaints = excluded.open_complaints, preferred_channel = excluded.preferred_channel,
		last_contact_at = excluded.last_contact_at, computed_at = excluded.computed_at
	$q$ using p_ids;
	get diagnostics v_n = row_count;

	perform job_progress(1, 4, 'churn, profit, tier');
	-- 2. Churn, profit and tier from the aggregates.
	update customer_metrics m set
		churn_score = s.score, churn_reasons = s.reasons,
		profit_12m_won = round(m.spend_12m_won * v_margin - m.contacts_12m * v_contact_cost
		                       - m.returns_12m * v_return_cost),
		tier = case when m.orders_n >= v_p_orders and m.spend_won >= v_p_spend
		                 and m.first_order_at <= now() - make_interval(days => v_p_tenure::int) then 'platinum'
		            when m.orders_n > 0 then 'contracted'
		            when m.registered then 'registered'
		            else 'all' end
	from (select customer_id,
	             least(1.0, rhythm * 0.6 + case when falling then 0.2 else 0 end
	                        + 0.1 * least(complaints_30d, 2) + case when open_complaints > 0 then 0.1 else 0 end)::real as score,
	             array_remove(array[
	                 case when rhythm > 0 then format('no order for %s', age_words(since)) end,
	                 case when rhythm > 0 then format('usually %s', rhythm_words(gap_days)) end,
	                 case when falling then format('spend down %s%%',
	                      round(100 - 100.0 * spend_recent_won / spend_prior_won)) end,
	                 case when complaints_30d > 0 then format('%s complaint%s in 30 days', complaints_30d,
	                      case when complaints_30d > 1 then 's' else '' end) end,
	                 case when open_complaints > 0 and complaints_30d = 0 then
	                      format('%s open complaint%s', open_complaints, case when open_complaints > 1 then 's' else '' end) end
	             ], null) as reasons
	      from (select customer_id, gap_days, complaints_30d, open_complaints, spend_recent_won, spend_prior_won,
	                   extract(epoch from now() - last_order_at) / 86400 as since,
	                   case when gap_days > 0 and last_order_at is not null
	                        then greatest(0, least(1, (extract(epoch from now() - last_order_at) / 86400 / gap_days - 1.5) / 3.5))
	                        else 0 end as rhythm,
	                   spend_prior_won > 0 and spend_recent_won < spend_prior_won / 2 as falling
	            from customer_metrics
	            where v_all or customer_id = any (p_ids)) q) s
	where m.customer_id = s.customer_id;

	if p_full then
		perform metric_bounds_rebuild();
	end if;

	perform job_progress(2, 4, 'scores');
	-- 3. Scores against the cut points (score = 1 + cut points at or below the
	-- value), and the value that needs the churn score.
	select coalesce(array_agg(min_value order by score) filter (where dim = 'R'), '{Infinity}'),
	       coalesce(array_agg(min_value order by score) filter (where dim = 'F'), '{Infinity}'),
	       coalesce(array_agg(min_value order by score) filter (where dim = 'M'), '{Infinity}'),
	       coalesce(array_agg(min_value order by score) filter (where dim = 'P'), '{Infinity}')
	into v_r, v_f, v_m, v_p from metric_bound;
	update customer_metrics m set
		r_score = case when m.orders_n = 0 then 0
		               else 1 + width_bucket(-extract(epoch from now() - m.last_order_at) / 86400, v_r) end,
		f_score = case when m.orders_n = 0 then 0 else 1 + width_bucket(m.orders_24m::float8, v_f) end,
		m_score = case when m.orders_n = 0 then 0 else 1 + width_bucket(m.spend_won::float8, v_m) end,
		profit_class = case when m.profit_12m_won <= 0 then 'D'
		                    else (array['C', 'B', 'A'])[1 + width_bucket(m.profit_12m_won::float8, v_p)] end,
		value_won = round(m.spend_12m_won * v_margin * (1 + v_discount)
		                  / (1 + v_discount - 0.9 * (1 - m.churn_score)))
	where v_all or m.customer_id = any (p_ids);

	perform job_progress(3, 4, 'customer rows');
	-- 4. The record's own columns follow, where they differ (lists and
	-- searches read them). Not a customer edit: no version bump.
	perform set_config('ccterm.metrics_refresh', 'on', true);
	update customer c set tier = coalesce(c.tier_override, m.tier), value_won = m.value_won, churn_score = m.churn_score
	from customer_metrics m
	where m.customer_id = c.id and (v_all or c.id = any (p_ids))
	  and (c.tier, c.value_won, c.churn_score) is distinct from (coalesce(c.tier_override, m.tier), m.value_won, m.churn_score);
	perform set_config('ccterm.metrics_refresh', 'off', true);
	return v_n;
end $$;

-- The customers a statement touched get their figures again, unless a bulk
-- load (demo-data) says it will recompute everyone at its end.
create or replace function customer_metrics_touch() returns trigger
language plpgsql security definer set search_path = pg_catalog, public, pg_temp as $$
declare
	v_ids bigint[];
begin
	if current_setting('ccterm.bulk', true) = 'on' or current_setting('ccterm.metrics_refresh', true) = 'on' then
		return null;
	end if;
	if tg_table_name = 'customer' then
		select array_agg(distinct id) into v_ids from new_rows;
	elsif tg_op = 'DELETE' then
		select array_agg(distinct customer_id) into v_ids from old_rows;
	else
		select array_agg(distinct customer_id) into v_ids from new_rows;
	end if;
	if v_ids is not null then
		-- a huge statement (an import) is cheaper as one pass over everyone
		perform customer_metrics_refresh(case when cardinality(v_ids) > 20000 then null else v_ids end);
	end if;
	return null;
end $$;

create or replace trigger customer_metrics_on_customer after insert on customer
	referencing new table as new_rows for each statement execute function customer_metrics_touch();
create or replace trigger customer_metrics_on_override after update on customer
	referencing new table as new_rows for each statement execute function customer_metrics_touch();
create or replace trigger customer_metrics_on_order after insert on orders
	referencing new table as new_rows for each statement execute function customer_metrics_touch();
create or replace trigger customer_metrics_on_order_change after update on orders
	referencing new table as new_rows for each statement execute function customer_metrics_touch();
create or replace trigger customer_metrics_on_order_delete after delete on orders
	referencing old table as old_rows for each statement execute function customer_metrics_touch();
create or replace trigger customer_metrics_on_interaction after insert on interaction
	referencing new table as new_rows for each statement execute function customer_metrics_touch();
create or replace trigger customer_metrics_on_case after insert on cases
	referencing new table as new_rows for each statement execute function customer_metrics_touch();
create or replace trigger customer_metrics_on_case_change after update on cases
	referencing new table as new_rows for each statement execute function customer_metrics_touch();
create or replace trigger customer_metrics_on_contact after insert on customer_contact
	referencing new table as new_rows for each statement execute function customer_metrics_touch();

-- A database upgraded from a build without these figures gets them once,
-- here (a fresh or already computed database skips this).
select customer_metrics_refresh(null, true)
where exists (select 1 from customer) and not exists (select 1 from customer_metrics);
