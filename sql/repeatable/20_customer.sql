-- 20_customer: Finding customers: by contact point, by search, creating an unknown caller; the agent behind this connection.
-- A repeatable file: applied after the numbered migrations whenever it changes.

-- 007 functions every client shares.

-- The customers a contact point belongs to: a phone (E.164, normalized by
-- the client's one normalizer), an e-mail, a card or web id. Several rows
-- mean a shared number; the console then asks, it never guesses.
create or replace function customers_by_contact(p_kind text, p_value text)
returns setof bigint language sql stable as $$
	select cc.customer_id
	from contact_point cp join customer_contact cc on cc.contact_point_id = cp.id
	where cp.kind = p_kind
	  and cp.value = case when p_kind = 'email' then lower(p_value) else p_value end
	order by cc.customer_id
$$;

-- The agent behind this connection, as the status bar shows them.
create or replace view agent_me as
	select a.login, a.name, a.branch_code, b.name as branch_name, a.role, a.state, a.state_since
	from agent a left join branch b on b.code = a.branch_code
	where a.login = current_user;

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
