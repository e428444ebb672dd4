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
	select a.login, a.name, a.branch_code, b.name as branch_name, a.role, a.state, a.state_since,
	       a.state_reason
	from agent a left join branch b on b.code = a.branch_code
	where a.login = current_user;

-- Search as agents type it. p_phone_e164 is the query as a phone number
-- (normalized by the client, NULL when it is not one). Found, best first:
--   1 the phone exactly, 2 the e-mail exactly, 3 the external id, 4 an order
--   number, 5 the name exactly (any case), 6 a name prefix (Korean or Latin,
--   any case; a range on customer_name_prefix), 7 Korean initial consonants
--   (ㄱㅈㅇ finds 김지아: customer_name_initials), 8 a later word of the name
--   ("park" finds "Lee Parker"), 9 an e-mail's local part, 10 the start of a
--   number ("010-2222") or its last digits ("2817", "2222-2817"): ranges on
--   the b-tree indexes of 222_search_numbers.sql, 11 five digits or more
--   anywhere in a number (the trigram index of 221_search.sql).
-- Within a rank the customer in touch most recently comes first. Each hit
-- carries what tells it apart: birth year, branch, last contact, and why it
-- was found. One audit 'search' row records the query. Only customers the
-- login may see are found (customer_visible, 05_access.sql).
drop function if exists customer_search(text, text, integer);
create function customer_search(p_query text, p_phone_e164 text, p_limit integer)
returns table (id bigint, name text, phone text, email text, tier text, branch text, external_id text,
	       birth_year integer, last_contact timestamptz, match text)
language plpgsql volatile security definer set search_path = pg_catalog, public, pg_temp
-- One plan per session for the statement below: a custom plan per call
-- (PL/pgSQL's default, which it kept here) re-planned its eleven branches
-- every time, about half of a search's CPU (bench/SEARCH.md). The branches a
-- query form does not use stop at their one-time filters.
set plan_cache_mode = force_generic_plan as $$
#variable_conflict use_column
declare
	v_all boolean := access_sees_all();
	v_q text := btrim(coalesce(p_query, ''));
	v_lo text := lower(btrim(coalesce(p_query, '')));
	v_hi text;
	v_ini_hi text;
	v_last integer;
	v_limit integer := least(greatest(coalesce(p_limit, 50), 1), 200);
	v_digits text := regexp_replace(coalesce(p_query, ''), '[^0-9]', '', 'g');
	v_is_number boolean := btrim(coalesce(p_query, '')) ~ '^[0-9 ()+./-]+$';
	v_is_initials boolean := btrim(coalesce(p_query, '')) ~ '^[ㄱ-ㅎ]+$';
	v_like text;
	v_pfx text;        -- a number's start, E.164
	v_sfx text;        -- its last digits, reversed
	-- the query inside LIKE patterns: its own % and _ are text, not wildcards
	v_esc text := replace(replace(replace(lower(btrim(coalesce(p_query, ''))), '\', '\\'), '%', '\%'), '_', '\_');
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
	v_ini_hi := left(v_q, -1) || chr(ascii(right(v_q, 1)) + 1);
	-- Part of a number: a national start ("010-2222") is a prefix of the
	-- E.164 form (a range on contact_point_value_prefix); other digits are
	-- its last ones ("2817": a range on contact_point_phone_reversed) and,
	-- from five digits on, anywhere in it (trigrams).
	if v_is_number and length(v_digits) >= 3 then
		if v_digits ~ '^0[1-9]' then
			v_pfx := '+82' || substr(v_digits, 2);
		else
			v_sfx := reverse(v_digits);
			if length(v_digits) >= 5 then
				v_like := '%' || v_digits || '%';
			end if;
		end if;
	end if;

	return query
	with hit as (
		select k as cid, 1 as rank, 'phone' as why
		from customers_by_contact('phone', p_phone_e164) k
		where p_phone_e164 is not null
		union all
		select cc.customer_id, 2, 'e-mail'
		from contact_point cp join customer_contact cc on cc.contact_point_id = cp.id
		where cp.kind = 'email' and cp.value = v_lo
		union all
		select c.id, 3, 'external id' from customer c where c.external_id = v_q
		union all
		select o.customer_id, 4, 'order' from orders o where o.order_no = v_q
		union all
		(select c.id, case when lower(c.name) = v_lo then 5 else 6 end, 'name'
		 from customer c
		 where not v_is_number and lower(c.name) ~>=~ v_lo and lower(c.name) ~<~ v_hi
		   and (v_all or customer_visible(c.id))
		 order by lower(c.name) using ~<~
		 limit v_limit)
		union all
		(select c.id, 7, 'initials'
		 from customer c
		 where v_is_initials and hangul_initials(c.name) ~>=~ v_q and hangul_initials(c.name) ~<~ v_ini_hi
		   and (v_all or customer_visible(c.id))
		 limit v_limit)
		union all
		(select c.id, 8, 'name'
		 from customer c
		 where not v_is_number and length(v_lo) >= 3
		   and name_later_words(c.name) ~>=~ v_lo and name_later_words(c.name) ~<~ v_hi
		   and (v_all or customer_visible(c.id))
		 order by name_later_words(c.name) using ~<~
		 limit v_limit)
		union all
		(select c.id, 8, 'name'
		 from customer c
		 where not v_is_number and length(v_lo) >= 3 and name_words_irregular(c.name)
		   and lower(c.name) like '%' || v_esc || '%'
		   and lower(c.name) ~ ('(^|[[:space:]])' || regexp_replace(v_lo, '([^[:alnum:][:space:]])', '\\\1', 'g'))
		   and (v_all or customer_visible(c.id))
		 limit v_limit)
		union all
		(select cc.customer_id, 9, 'e-mail'
		 from contact_point cp join customer_contact cc on cc.contact_point_id = cp.id
		 where not v_is_number and position('@' in v_lo) = 0 and length(v_lo) >= 3
		   and cp.value ~>=~ (v_lo || '@') and cp.value ~<~ (v_lo || 'A') and cp.kind = 'email'
		 limit v_limit)
		union all
		(select cc.customer_id, 10, 'start of a phone'
		 from contact_point cp join customer_contact cc on cc.contact_point_id = cp.id
		 where v_pfx is not null and cp.value ~>=~ v_pfx and cp.value ~<~ (v_pfx || ':') and cp.kind = 'phone'
		 limit v_limit)
		union all
		(select cc.customer_id, 10, 'end of a phone'
		 from contact_point cp join customer_contact cc on cc.contact_point_id = cp.id
		 where v_sfx is not null and cp.kind = 'phone'
		   and reverse(cp.value) ~>=~ v_sfx and reverse(cp.value) ~<~ (v_sfx || ':')
		 limit v_limit)
		union all
		(select cc.customer_id, 11, 'part of a phone'
		 from contact_point cp join customer_contact cc on cc.contact_point_id = cp.id
		 where v_like is not null and cp.kind = 'phone' and cp.value like v_like
		 limit v_limit)
	), best as (
		select h.cid, min(h.rank) as rank, (array_agg(h.why order by h.rank))[1] as why
		from hit h group by h.cid
	)
	-- Ranked and cut first; the contact values only for what is shown, in
	-- the same statement (not a function call per hit and value: each was
	-- an executor start and the login's roles asked again), masked per login
	-- (pii_contact) for those who do not see all. The customer's row is read
	-- once, and its phones and e-mails in one pass.
	select t.cid, t.name,
		case when v_all then pe.phone else pii_contact('phone', pe.phone) end,
		case when v_all then pe.email else pii_contact('email', pe.email) end,
		t.tier, t.branch_code, t.external_id, extract(year from t.birth_date)::integer, t.last_contact, t.why
	from (select b.cid, b.rank, b.why, l.last_contact, c.name, c.tier, c.branch_code, c.external_id, c.birth_date
	      from best b join customer c on c.id = b.cid
	      left join customer_metrics m on m.customer_id = b.cid
	      -- the last contact kept with the figures (361_last_contact.sql); asked
	      -- of the interactions only for a customer whose figures are not there yet
	      cross join lateral (select case when m.customer_id is not null then m.last_contact_at
	                                      else (select max(i.occurred_at) from interaction i where i.customer_id = b.cid)
	                                 end as last_contact) l
	      where (v_all or customer_visible(c.id)) and c.merged_into is null
	      order by b.rank, l.last_contact desc nulls last, lower(c.name), c.id
	      limit v_limit) t
	left join lateral (select (array_agg(cp.value order by cc.is_primary desc, cc.label is not distinct from 'mobile' desc, cp.id)
	                           filter (where cp.kind = 'phone'))[1] as phone,
	                          (array_agg(cp.value order by cc.is_primary desc, cc.label is not distinct from 'mobile' desc, cp.id)
	                           filter (where cp.kind = 'email'))[1] as email
	                   from customer_contact cc join contact_point cp on cp.id = cc.contact_point_id
	                   where cc.customer_id = t.cid and cp.kind in ('phone', 'email')) pe on true
	order by t.rank, t.last_contact desc nulls last, lower(t.name), t.cid;

	-- The audit row's commit does not wait for the WAL flush (as the pop's,
	-- 30_pop.sql): the agent's next change commits synchronously and WAL is
	-- flushed in order; otherwise the WAL writer flushes it within
	-- wal_writer_delay. The flush was most of a search's time under load.
	perform set_config('synchronous_commit', 'off', true);
	perform audit_write(null, 'search', left(v_q, 200));
end $$;

-- The last contact search ranks by (customer_metrics.last_contact_at) follows
-- interactions that move to another customer (a merge, an unmerge), change
-- time, or go; new ones are counted by customer_metrics_refresh (60_value.sql).
create or replace function customer_last_contact_follow() returns trigger
language plpgsql security definer set search_path = pg_catalog, public, pg_temp as $$
begin
	if tg_op = 'UPDATE' then
		update customer_metrics m
		set last_contact_at = (select max(i.occurred_at) from interaction i where i.customer_id = m.customer_id)
		where m.customer_id in (select o.customer_id from old_rows o join new_rows n on n.id = o.id
		                        where (o.customer_id, o.occurred_at) is distinct from (n.customer_id, n.occurred_at)
		                        union
		                        select n.customer_id from old_rows o join new_rows n on n.id = o.id
		                        where (o.customer_id, o.occurred_at) is distinct from (n.customer_id, n.occurred_at));
	else
		update customer_metrics m
		set last_contact_at = (select max(i.occurred_at) from interaction i where i.customer_id = m.customer_id)
		where m.customer_id in (select o.customer_id from old_rows o);
	end if;
	return null;
end $$;
revoke all on function customer_last_contact_follow() from public;
create or replace trigger customer_last_contact_on_update after update on interaction
	referencing old table as old_rows new table as new_rows for each statement
	execute function customer_last_contact_follow();
create or replace trigger customer_last_contact_on_delete after delete on interaction
	referencing old table as old_rows for each statement execute function customer_last_contact_follow();

-- Index expressions run with the inserting login's rights (customer_name_initials):
-- admins insert customers themselves (imports); everyone else through definers.
grant execute on function hangul_initials(text), name_later_words(text), name_words_irregular(text) to ccterm_admin;

-- Quick-create for an unknown caller: a registered customer with this phone
-- (E.164 or NULL) as primary contact. The number may already belong to
-- others (a family line): it is linked, not duplicated. Returns the id.
create or replace function customer_create(p_name text, p_phone_e164 text)
returns bigint language plpgsql volatile security definer set search_path = pg_catalog, public, pg_temp as $$
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
	perform audit_write(v_id, 'create', 'quick-create');
	return v_id;
end $$;

-- Every edit of a customer (who they are, not the figures computed from their
-- history: tier, value, churn) moves its version on, so an edit made against
-- an older version is a conflict (customer_update), never a silent overwrite.
-- A writer that moves the version itself (the import) keeps its value.
create or replace function customer_version_bump() returns trigger
language plpgsql as $$
begin
	if new.version is distinct from old.version then
		return new;
	end if;
	if (new.external_id, new.name, new.segment, new.branch_code, new.birth_date, new.gender, new.marital_status,
	    new.tier_override)
	   is distinct from
	   (old.external_id, old.name, old.segment, old.branch_code, old.birth_date, old.gender, old.marital_status,
	    old.tier_override) then
		new.version := old.version + 1;
		new.updated_at := now();
	end if;
	return new;
end $$;
create or replace trigger customer_version_bump before update on customer
	for each row execute function customer_version_bump();

-- The editable fields of a customer and the version they were read at
-- (audited as a view). Nothing for a customer the login may not see.
create or replace function customer_edit(p_customer bigint)
returns table (version integer, name text, segment text, birth_date date, gender text, marital_status text)
language plpgsql volatile security definer set search_path = pg_catalog, public, pg_temp as $$
#variable_conflict use_column
begin
	if not customer_visible(p_customer) then
		return;
	end if;
	return query
	select c.version, c.name, c.segment, c.birth_date, c.gender, c.marital_status from customer c where c.id = p_customer;
	if found then
		perform audit_write(p_customer, 'view', 'edit');
	end if;
end $$;

-- Saves an edit made against version p_version; NULL fields stay as they are.
-- Returns the new version. Someone else's change since p_version is a
-- conflict (SQLSTATE 40001, "changed by someone else"): the client reads the
-- customer again and the agent decides; nothing is overwritten.
create or replace function customer_update(p_customer bigint, p_version integer, p_name text, p_segment text,
	p_birth_date date, p_gender text, p_marital_status text)
returns integer language plpgsql volatile security definer set search_path = pg_catalog, public, pg_temp as $$
declare
	v_version integer;
	v_now integer;
begin
	if not customer_visible(p_customer) then
		raise exception 'no such customer %', p_customer using errcode = 'P0002';
	end if;
	if p_name is not null and btrim(p_name) = '' then
		raise exception 'customer name is empty' using errcode = '22023';
	end if;
	update customer set name = coalesce(btrim(p_name), name), segment = coalesce(p_segment, segment),
	                    birth_date = coalesce(p_birth_date, birth_date), gender = coalesce(p_gender, gender),
	                    marital_status = coalesce(p_marital_status, marital_status)
	where id = p_customer and version = p_version
	returning version into v_version;
	if not found then
		select version into v_now from customer where id = p_customer;
		if not found then
			raise exception 'no such customer %', p_customer using errcode = 'P0002';
		end if;
		raise exception 'customer % was changed by someone else (you edited version %, it is now at %)',
			p_customer, p_version, v_now
			using errcode = '40001', hint = 'read the customer again and redo the edit';
	end if;
	perform audit_write(p_customer, 'update', 'version ' || v_version);
	return v_version;
end $$;
