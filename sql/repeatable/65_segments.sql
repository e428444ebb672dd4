-- 65_segments: what the rules test a customer on, segments as rules, the pop's profile line.
-- A repeatable file: applied after the numbered migrations whenever it changes.

-- One row per customer with everything a segment or offer rule may test.
-- security_invoker: whoever reads it sees only the customers row-level
-- security lets them see.
create or replace view customer_fact with (security_invoker = true) as
	select c.id, coalesce(c.tier_override, m.tier, c.tier) as tier, c.segment,
	       extract(year from age(current_date, c.birth_date))::integer as age,
	       c.gender, c.marital_status,
	       coalesce(m.value_won, c.value_won) as value_won,
	       coalesce(m.churn_score, c.churn_score, 0)::real as churn_score,
	       coalesce(m.r_score, 0)::smallint as r_score, coalesce(m.f_score, 0)::smallint as f_score,
	       coalesce(m.m_score, 0)::smallint as m_score, coalesce(m.profit_class, 'C') as profit_class,
	       coalesce(m.open_complaints, 0) as open_complaints, m.preferred_channel
	from customer c left join customer_metrics m on m.customer_id = c.id;

-- Has the customer bought the product? A product is a SKU ("KD-1016") or
-- its category, the part before the dash ("KD").
create or replace function customer_holds(p_customer bigint, p_product text) returns boolean
language sql stable as $$
	select exists (select 1 from orders o join order_line l on l.order_id = o.id
	               where o.customer_id = p_customer and o.status not in ('cancelled', 'returned')
	                 and (l.sku = p_product or left(l.sku, length(p_product) + 1) = p_product || '-'))
$$;

-- Holds them all (a rule's "has" list).
create or replace function customer_holds_all(p_customer bigint, p_products text[]) returns boolean
language sql stable as $$
	select not exists (select 1 from unnest(p_products) p where not customer_holds(p_customer, p))
$$;

-- Does segment rule s fit customer f? No sub-select in the body, so the
-- planner inlines it where f is a plain row (customer_segments).
create or replace function segment_fits(s segment_rule, f customer_fact) returns boolean
language sql stable as $$
	select coalesce(s.active
		and (s.age_min is null or f.age >= s.age_min) and (s.age_max is null or f.age <= s.age_max)
		and (s.genders is null or f.gender = any (s.genders))
		and (s.marital is null or f.marital_status = any (s.marital))
		and (s.tiers is null or f.tier = any (s.tiers))
		and (s.r_min is null or f.r_score >= s.r_min) and (s.f_min is null or f.f_score >= s.f_min)
		and (s.m_min is null or f.m_score >= s.m_min)
		and (s.channels is null or f.preferred_channel = any (s.channels))
		and (s.min_value is null or f.value_won >= s.min_value)
		and (s.has_products is null or customer_holds_all(f.id, s.has_products)), false)
$$;

-- Every segment a customer is in: the one an import gave, and each rule that fits.
-- PL/pgSQL: its plan is kept for the session (a pop asks for it each time).
create or replace function customer_segments(p_customer bigint) returns setof text
language plpgsql stable as $$
begin
	return query
	select f.segment from customer_fact f where f.id = p_customer and f.segment is not null
	union
	-- offset 0: f is then one plain row, and segment_fits is inlined on it
	select s.code from (select * from customer_fact where id = p_customer offset 0) f
	cross join segment_rule s where segment_fits(s, f)
	order by 1;
end $$;

-- One customer's figures as the pop's one line shows them (p_segments:
-- their segments, customer_segments, read by the caller).
create or replace function customer_profile(p_customer bigint, p_segments text[])
returns table (tier text, value_won bigint, r_score smallint, f_score smallint, m_score smallint,
	profit_class text, churn_score real, segments text[])
language sql stable as $$
	select f.tier, f.value_won, f.r_score, f.f_score, f.m_score, f.profit_class, f.churn_score, p_segments
	from customer_fact f
	where f.id = p_customer
$$;

create or replace function customer_profile(p_customer bigint)
returns table (tier text, value_won bigint, r_score smallint, f_score smallint, m_score smallint,
	profit_class text, churn_score real, segments text[])
language sql stable as $$
	select * from customer_profile(p_customer, array(select customer_segments(p_customer)))
$$;
