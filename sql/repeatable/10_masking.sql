-- 10_masking: Masking: who reads personal numbers in clear, and the masked forms everyone else gets.
-- A repeatable file: applied after the numbered migrations whenever it changes.

-- Resident registration numbers: only admins read customer_secret; everyone
-- else gets this, for the customers they may see.
create or replace function customer_rrn_masked(p_customer bigint) returns text
language sql stable security definer set search_path = pg_catalog, public, pg_temp as $$
	select regexp_replace(rrn, '^([0-9]{6})-?([0-9])[0-9]{6}$', '\1-\2******')
	from customer_secret where customer_id = p_customer and customer_visible(p_customer)
$$;

-- A customer's preferred contact of one kind: the primary one, else a mobile,
-- else the oldest.
-- Branch-store staff (every login that does not see all customers,
-- 05_access.sql) see personal numbers masked: the last four digits of a
-- phone, the first letter and the domain of an e-mail. It comes from the
-- login's group roles, so every client masks alike.
create or replace function pii_masked_for_me() returns boolean
language sql stable as $$
	select not access_sees_all()
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
