-- 22_identity: one customer per person. Duplicate candidates with the
-- reason they match, merge into a survivor (reversible), and linking a
-- phone or e-mail to a customer (the unknown caller the agent found).
-- A repeatable file: applied after the numbered migrations whenever it changes.

alter table customer_merge enable row level security;
drop policy if exists access_rule on customer_merge;
create policy access_rule on customer_merge using ((select access_sees_all()) or customer_visible(keep_id))
	with check ((select access_sees_all()) or customer_visible(keep_id));

-- Supervisors and admins merge; everyone else may only look.
create or replace function access_may_merge() returns boolean
language sql stable as $$
	select pg_catalog.pg_has_role(session_user, 'ccterm_supervisor', 'MEMBER')
	    or pg_catalog.pg_has_role(session_user, 'ccterm_admin', 'MEMBER')
$$;

-- Pairs of live customers (a < b) that look like one person, with a score
-- (0..100) and the reasons: same RRN 100, same phone and name 90, same
-- e-mail 80, same name and birth date 70; each further reason adds 5.
-- p_ids limits the pairs to those with one side among them (NULL: all).
-- Internal: called by duplicate_candidates and customer_duplicates_of.
create or replace function duplicate_pairs(p_ids bigint[])
returns table (a bigint, b bigint, score integer, reasons text)
language sql stable as $$
	with live as (
		select c.id, lower(btrim(c.name)) lname, c.birth_date from customer c where c.merged_into is null
	), m as (
		select least(x.id, y.id) a, greatest(x.id, y.id) b, 100 s, 'same RRN' r
		from customer_secret sx join customer_secret sy on sy.rrn = sx.rrn and sy.customer_id <> sx.customer_id
		join live x on x.id = sx.customer_id join live y on y.id = sy.customer_id
		where sx.rrn is not null and (p_ids is null or x.id = any(p_ids))
		union
		select least(x.id, y.id), greatest(x.id, y.id), case when cp.kind = 'phone' then 90 else 80 end,
		       case when cp.kind = 'phone' then 'same phone and name' else 'same e-mail' end
		from customer_contact cx join customer_contact cy on cy.contact_point_id = cx.contact_point_id
		     and cy.customer_id <> cx.customer_id
		join contact_point cp on cp.id = cx.contact_point_id and cp.kind in ('phone', 'email')
		join live x on x.id = cx.customer_id join live y on y.id = cy.customer_id
		where (cp.kind = 'email' or x.lname = y.lname) and (p_ids is null or x.id = any(p_ids))
		union
		select least(x.id, y.id), greatest(x.id, y.id), 70, 'same name and birth date'
		from live x join live y on y.lname = x.lname and y.birth_date = x.birth_date and y.id <> x.id
		where x.birth_date is not null and (p_ids is null or x.id = any(p_ids))
	)
	select a, b, least(100, max(s) + 5 * (count(*)::integer - 1))::integer,
	       string_agg(r, ', ' order by s desc)
	from m group by a, b
$$;

-- ccterm-admin duplicates: the candidate pairs, best first (admins and supervisors).
create or replace function duplicate_candidates(p_limit integer)
returns table (keep_id bigint, keep_name text, drop_id bigint, drop_name text, score integer, reasons text)
language plpgsql stable security definer set search_path = pg_catalog, public, pg_temp as $$
begin
	if not access_may_merge() then
		raise exception 'only supervisors and admins list duplicates' using errcode = '42501';
	end if;
	return query
	select d.a, ca.name, d.b, cb.name, d.score, d.reasons
	from duplicate_pairs(null) d join customer ca on ca.id = d.a join customer cb on cb.id = d.b
	order by d.score desc, d.a, d.b
	limit least(greatest(coalesce(p_limit, 100), 1), 10000);
end $$;

-- The customers one customer may be a duplicate of (for the console after
-- every pop and customer_create): other id, score, reasons, as
-- duplicate_pairs scores them, but for one customer by index (340), not by
-- comparing every customer with every other.
create or replace function customer_duplicates_of(p_customer bigint)
returns table (other_id bigint, name text, score integer, reasons text)
language plpgsql stable security definer set search_path = pg_catalog, public, pg_temp as $$
begin
	if not customer_visible(p_customer) then
		raise exception 'customer % is not yours to see', p_customer using errcode = '42501';
	end if;
	return query
	with x as (
		select c.id, lower(btrim(c.name)) as lname, c.birth_date from customer c
		where c.id = p_customer and c.merged_into is null
	), m as (
		select sy.customer_id as o, 100 as s, 'same RRN' as r
		from customer_secret sx join customer_secret sy on sy.rrn = sx.rrn and sy.customer_id <> sx.customer_id
		where sx.customer_id = p_customer and sx.rrn is not null
		union
		select cy.customer_id, case when cp.kind = 'phone' then 90 else 80 end,
		       case when cp.kind = 'phone' then 'same phone and name' else 'same e-mail' end
		from customer_contact cx
		join contact_point cp on cp.id = cx.contact_point_id and cp.kind in ('phone', 'email')
		join customer_contact cy on cy.contact_point_id = cx.contact_point_id and cy.customer_id <> cx.customer_id
		join customer y on y.id = cy.customer_id
		cross join x
		where cx.customer_id = p_customer and (cp.kind = 'email' or lower(btrim(y.name)) = x.lname)
		union
		select y.id, 70, 'same name and birth date'
		from x join customer y on lower(btrim(y.name)) = x.lname and y.birth_date = x.birth_date
		     and y.id <> x.id and y.merged_into is null
		where x.birth_date is not null
	)
	select m.o, c.name, least(100, max(m.s) + 5 * (count(*)::integer - 1))::integer,
	       string_agg(m.r, ', ' order by m.s desc)
	from m join customer c on c.id = m.o
	where exists (select 1 from x) and c.merged_into is null and customer_visible(c.id)
	group by m.o, c.name
	order by 3 desc;
end $$;

-- (Audit rows of this file are action 'update', the detail saying link:, merge: or unmerge:.)

-- Merge p_drop into p_keep: contact points, interactions, orders, cases,
-- e-mails of the outbox and campaign memberships move to p_keep; p_drop stays as a tombstone
-- (merged_into = p_keep). What moved is recorded so customer_unmerge(p_drop)
-- puts it back. Audited on both customers. Returns the merge id.
create or replace function customer_merge(p_keep bigint, p_drop bigint)
returns bigint language plpgsql volatile security definer set search_path = pg_catalog, public, pg_temp as $$
declare
	v_int bigint[];
	v_ord bigint[];
	v_cas bigint[];
	v_mail bigint[];
	v_web bigint[];
	v_cp_moved jsonb;
	v_cp_dropped jsonb;
	v_cm_moved integer[];
	v_cm_dropped jsonb;
	v_id bigint;
begin
	if not access_may_merge() then
		raise exception 'only supervisors and admins merge customers' using errcode = '42501';
	end if;
	if p_keep is null or p_drop is null or p_keep = p_drop then
		raise exception 'merge needs two different customers' using errcode = '22023';
	end if;
	perform 1 from customer c where c.id in (p_keep, p_drop) order by c.id for update;
	if (select count(*) from customer c where c.id in (p_keep, p_drop) and c.merged_into is null) <> 2 then
		raise exception 'customers % and % must both exist and not be merged already', p_keep, p_drop
			using errcode = '22023';
	end if;
	if not customer_visible(p_keep) or not customer_visible(p_drop) then
		raise exception 'customer not yours to see' using errcode = '42501';
	end if;
	with u as (update interaction set customer_id = p_keep where customer_id = p_drop returning id)
	select coalesce(array_agg(id), '{}') into v_int from u;
	with u as (update orders set customer_id = p_keep where customer_id = p_drop returning id)
	select coalesce(array_agg(id), '{}') into v_ord from u;
	with u as (update cases set customer_id = p_keep where customer_id = p_drop returning id)
	select coalesce(array_agg(id), '{}') into v_cas from u;
	with u as (update mail_outbox set customer_id = p_keep where customer_id = p_drop returning id)
	select coalesce(array_agg(id), '{}') into v_mail from u;
	-- imported e-mails' threading follows their interactions (25_import_channels)
	update email_message set customer_id = p_keep where customer_id = p_drop;
	with u as (update web_event set customer_id = p_keep where customer_id = p_drop returning id)
	select coalesce(array_agg(id), '{}') into v_web from u;
	-- contact points the survivor already has are only unlinked from p_drop
	with d as (delete from customer_contact cc where cc.customer_id = p_drop and exists
		(select 1 from customer_contact k where k.customer_id = p_keep and k.contact_point_id = cc.contact_point_id)
		returning cc.contact_point_id, cc.label, cc.is_primary)
	select coalesce(jsonb_agg(jsonb_build_object('cp', contact_point_id, 'label', label, 'primary', is_primary)), '[]')
	into v_cp_dropped from d;
	with u as (update customer_contact set customer_id = p_keep, is_primary = false where customer_id = p_drop
		returning contact_point_id, label)
	select coalesce(jsonb_agg(jsonb_build_object('cp', contact_point_id, 'label', label)), '[]') into v_cp_moved from u;
	with d as (delete from campaign_member m where m.customer_id = p_drop and exists
		(select 1 from campaign_member k where k.customer_id = p_keep and k.campaign_id = m.campaign_id)
		returning m.campaign_id, m.status, m.responded_at)
	select coalesce(jsonb_agg(jsonb_build_object('campaign', campaign_id, 'status', status, 'responded_at', responded_at)), '[]')
	into v_cm_dropped from d;
	with u as (update campaign_member set customer_id = p_keep where customer_id = p_drop returning campaign_id)
	select coalesce(array_agg(campaign_id), '{}') into v_cm_moved from u;
	update customer set merged_into = p_keep where id = p_drop;
	insert into customer_merge (keep_id, drop_id, moved)
	values (p_keep, p_drop, jsonb_build_object('interaction', to_jsonb(v_int), 'orders', to_jsonb(v_ord),
		'cases', to_jsonb(v_cas), 'mail', to_jsonb(v_mail), 'web_event', to_jsonb(v_web), 'contact_moved', v_cp_moved, 'contact_dropped', v_cp_dropped,
		'campaign_moved', to_jsonb(v_cm_moved), 'campaign_dropped', v_cm_dropped))
	returning id into v_id;
	perform audit_write(p_keep, 'update', format('merge: kept %s, merged %s into it (merge %s)', p_keep, p_drop, v_id));
	perform audit_write(p_drop, 'update', format('merge: merged into %s (merge %s)', p_keep, v_id));
	return v_id;
end $$;

-- Undoes the latest merge of p_drop: what moved goes back, the tombstone
-- lives again. Rows added to the survivor since stay with it.
create or replace function customer_unmerge(p_drop bigint)
returns bigint language plpgsql volatile security definer set search_path = pg_catalog, public, pg_temp as $$
declare
	m customer_merge%rowtype;
begin
	if not access_may_merge() then
		raise exception 'only supervisors and admins unmerge customers' using errcode = '42501';
	end if;
	select * into m from customer_merge x where x.drop_id = p_drop and x.undone_at is null
	order by x.id desc limit 1 for update;
	if not found then
		raise exception 'customer % is not merged', p_drop using errcode = '22023';
	end if;
	update interaction set customer_id = p_drop
	where customer_id = m.keep_id and id in (select jsonb_array_elements_text(m.moved->'interaction')::bigint);
	update orders set customer_id = p_drop
	where customer_id = m.keep_id and id in (select jsonb_array_elements_text(m.moved->'orders')::bigint);
	update cases set customer_id = p_drop
	where customer_id = m.keep_id and id in (select jsonb_array_elements_text(m.moved->'cases')::bigint);
	update mail_outbox set customer_id = p_drop
	where customer_id = m.keep_id and id in (select jsonb_array_elements_text(m.moved->'mail')::bigint);
	update email_message set customer_id = p_drop
	where customer_id = m.keep_id and interaction_id in (select jsonb_array_elements_text(m.moved->'interaction')::bigint);
	update web_event set customer_id = p_drop
	where customer_id = m.keep_id
	  and id in (select jsonb_array_elements_text(coalesce(m.moved->'web_event', '[]'))::bigint);
	update customer_contact set customer_id = p_drop
	where customer_id = m.keep_id
	  and contact_point_id in (select (e->>'cp')::bigint from jsonb_array_elements(m.moved->'contact_moved') e);
	insert into customer_contact (customer_id, contact_point_id, label, is_primary)
	select p_drop, (e->>'cp')::bigint, e->>'label', (e->>'primary')::boolean
	from jsonb_array_elements(m.moved->'contact_dropped') e
	where exists (select 1 from contact_point cp where cp.id = (e->>'cp')::bigint)
	on conflict do nothing;
	update campaign_member set customer_id = p_drop
	where customer_id = m.keep_id
	  and campaign_id in (select jsonb_array_elements_text(m.moved->'campaign_moved')::integer);
	insert into campaign_member (campaign_id, customer_id, status, responded_at)
	select (e->>'campaign')::integer, p_drop, e->>'status', (e->>'responded_at')::timestamptz
	from jsonb_array_elements(m.moved->'campaign_dropped') e
	where exists (select 1 from campaign k where k.id = (e->>'campaign')::integer)
	on conflict do nothing;
	update customer set merged_into = null where id = p_drop;
	update customer_merge set undone_at = now(), undone_by = session_user where id = m.id;
	perform audit_write(m.keep_id, 'update', format('unmerge: %s taken back out (merge %s)', p_drop, m.id));
	perform audit_write(p_drop, 'update', format('unmerge: restored from %s (merge %s)', m.keep_id, m.id));
	return m.id;
end $$;

-- The console's "unknown caller -> search -> link": the phone (E.164) or
-- e-mail becomes the customer's, so the next call from it pops them. A
-- contact point another customer has stays theirs too (it is then shared,
-- and the pop asks); linking twice is a no-op. Audited. Returns the
-- contact point id.
create or replace function contact_link(p_customer bigint, p_kind text, p_value text)
returns bigint language plpgsql volatile security definer set search_path = pg_catalog, public, pg_temp as $$
declare
	v_value text := btrim(coalesce(p_value, ''));
	v_cp bigint;
begin
	if p_kind not in ('phone', 'email') then
		raise exception 'only a phone or an e-mail can be linked' using errcode = '22023';
	end if;
	if p_kind = 'phone' and v_value !~ '^\+[1-9][0-9]{5,14}$' then
		raise exception 'phone % is not in E.164 form', v_value using errcode = '22023';
	end if;
	if p_kind = 'email' then
		v_value := lower(v_value);
		if v_value !~ '^[^@[:space:]]+@[^@[:space:]]+\.[^@[:space:]]+$' then
			raise exception 'e-mail % is not an e-mail address', v_value using errcode = '22023';
		end if;
	end if;
	if not exists (select 1 from customer c where c.id = p_customer and c.merged_into is null)
	   or not customer_visible(p_customer) then
		raise exception 'customer % is not yours to see', p_customer using errcode = '42501';
	end if;
	insert into contact_point (kind, value) values (p_kind, v_value) on conflict (kind, value) do nothing;
	select cp.id into v_cp from contact_point cp where cp.kind = p_kind and cp.value = v_value;
	insert into customer_contact (customer_id, contact_point_id, label, is_primary)
	values (p_customer, v_cp, case when p_kind = 'email' then 'email'
		when v_value like '+8210%' then 'mobile' else 'home' end, false)
	on conflict do nothing;
	if found then
		perform audit_write(p_customer, 'update', format('link: %s %s', p_kind, v_value));
	end if;
	return v_cp;
end $$;

revoke all on function duplicate_pairs(bigint[]), access_may_merge() from public;
-- The import (an admin's login, not a definer) flags duplicates with it.
grant execute on function duplicate_pairs(bigint[]) to ccterm_admin;
grant execute on function duplicate_candidates(integer), customer_merge(bigint, bigint), customer_unmerge(bigint)
	to ccterm_supervisor, ccterm_admin;
grant execute on function customer_duplicates_of(bigint), contact_link(bigint, text, text)
	to ccterm_agent, ccterm_branch, ccterm_supervisor, ccterm_admin;
