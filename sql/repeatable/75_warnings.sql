-- 75_warnings: early warning (the seed's Kookmin Bank system): churn risk,
-- overdue payment, VIP with an open complaint, repeated contacts about one
-- issue, each saying why in words; the pop's alerts; the at-risk board.
-- A repeatable file: applied after the numbered migrations whenever it changes.

-- The computed warnings of one customer, worst first.
create or replace function customer_warnings(p_customer bigint)
returns table (kind text, severity text, message text)
language sql stable as $$
	with f as (select * from customer_fact where id = p_customer),
	m as (select * from customer_metrics where customer_id = p_customer)
	select 'churn_risk',
	       case when f.tier = 'platinum' or f.profit_class = 'A' or f.churn_score >= 0.8 then 'critical' else 'warn' end,
	       format('Churn risk %s: %s', to_char(m.churn_score, 'FM0.00'), array_to_string(m.churn_reasons, '; '))
	from f, m
	where m.churn_score >= setting_num('warn_churn_score', 0.5)
	union all
	select 'payment_overdue', 'critical',
	       format('%s unpaid order%s, oldest %s for %s days (%s won)', count(*), case when count(*) > 1 then 's' else '' end,
	              (array_agg(o.order_no order by o.ordered_at))[1],
	              floor(extract(epoch from now() - min(o.ordered_at)) / 86400), to_char(sum(o.total_won), 'FM999,999,999,990'))
	from orders o
	where o.customer_id = p_customer and o.status = 'placed'
	  and o.ordered_at < now() - make_interval(days => setting_num('warn_payment_due_days', 14)::integer)
	having count(*) > 0
	union all
	select 'vip_complaint', 'critical',
	       format('%s customer with %s open complaint%s (latest #%s)',
	              case when f.tier = 'platinum' then 'Platinum' else 'Top-value' end,
	              count(*), case when count(*) > 1 then 's' else '' end, max(k.id))
	from f join cases k on k.customer_id = f.id and k.kind = 'complaint' and k.status <> 'closed'
	where f.tier = 'platinum' or f.profit_class = 'A'
	group by f.tier
	union all
	select 'repeat_contact', 'warn',
	       format('%s contacts about %s in %s days', x.n, x.label, setting_num('warn_repeat_days', 7))
	from (select coalesce(rc.label, i.reason_code) as label, count(*) as n
	      from interaction i left join reason_code rc on rc.code = i.reason_code
	      where i.customer_id = p_customer and i.reason_code is not null and i.reason_code <> 'other'
	        and i.direction = 'in'
	        and i.occurred_at > now() - make_interval(days => setting_num('warn_repeat_days', 7)::integer)
	      group by 1
	      having count(*) >= setting_num('warn_repeat_contacts', 3)) x
$$;

-- The pop's alerts: raised ones (stored), the computed warnings, open
-- complaints and cases past their due time; worst first, one per kind.
create or replace function customer_alerts(p_customer bigint)
returns table (kind text, severity text, message text)
language sql stable as $$
	with stored as (
		select distinct on (a.kind) a.kind, a.severity, a.message
		from alert a
		where a.customer_id = p_customer and a.cleared_at is null
		order by a.kind, a.raised_at desc, a.id desc
	), derived as (
		select w.kind, w.severity, w.message from customer_warnings(p_customer) w
		union all
		select 'open_complaint', 'warn',
		       format('%s open complaint%s (latest #%s)', count(*), case when count(*) > 1 then 's' else '' end, max(c.id))
		from cases c
		where c.customer_id = p_customer and c.status <> 'closed' and c.kind = 'complaint'
		having count(*) > 0
		union all
		select 'overdue', 'critical',
		       format('%s case%s past due (oldest #%s)', count(*), case when count(*) > 1 then 's' else '' end, min(c.id))
		from cases c
		where c.customer_id = p_customer and c.status <> 'closed' and c.due_at < now()
		having count(*) > 0
	), merged as (
		select kind, severity, message from stored
		union all
		select d.kind, d.severity, d.message from derived d
		where not exists (select 1 from stored s where s.kind = d.kind)
		  -- a VIP's open complaint is said once, as the VIP warning
		  and not (d.kind = 'open_complaint'
		           and exists (select 1 from derived v where v.kind = 'vip_complaint')
		           or d.kind = 'open_complaint' and exists (select 1 from stored v where v.kind = 'vip_complaint'))
	)
	select kind, severity, message from merged
	order by case severity when 'critical' then 0 when 'warn' then 1 else 2 end, kind
	limit 8
$$;

-- The supervisor's board: valuable customers at risk, with why, who owns the
-- relationship (the open case's owner, else the agent of the last contact)
-- and the last contact. p_sort: value (default), risk, contact.
create or replace function customers_at_risk(p_sort text default 'value', p_limit integer default 100)
returns table (customer_id bigint, name text, tier text, value_won bigint, churn_score real, reasons text,
	owner text, last_contact_at timestamptz)
language sql stable as $$
	select m.customer_id, c.name, coalesce(c.tier_override, m.tier), m.value_won, m.churn_score,
	       array_to_string(m.churn_reasons, '; '),
	       coalesce((select k.owner_login from cases k where k.customer_id = m.customer_id and k.status <> 'closed'
	                 and k.owner_login is not null order by k.opened_at desc limit 1), l.agent_login),
	       l.occurred_at
	from customer_metrics m
	join customer c on c.id = m.customer_id
	left join lateral (select i.occurred_at, i.agent_login from interaction i
	                   where i.customer_id = m.customer_id order by i.occurred_at desc, i.id desc limit 1) l on true
	where m.churn_score >= setting_num('warn_churn_score', 0.5)
	order by case when p_sort = 'risk' then m.churn_score end desc nulls last,
	         case when p_sort = 'contact' then l.occurred_at end asc nulls first,
	         m.value_won desc, m.customer_id
	limit p_limit
$$;
