-- 05_access: who sees which customer, as PostgreSQL enforces it (README, "Who sees what").
-- A repeatable file: applied after the numbered migrations whenever it changes.
--
-- The login is session_user: inside a SECURITY DEFINER function current_user
-- is the schema's owner, session_user is still the person.
--
--   agents, supervisors, the CTI and admins see every customer (any caller
--   may phone the centre);
--   branch staff (and any other login) see the customers whose home branch is
--   their branch, or who were served there (an interaction at their branch).
--
-- Row-level security applies this to every table holding customer data for
-- anyone but their owner. The console's roles hold no table rights on them:
-- they read through SECURITY DEFINER functions (owned by ccterm_owner, which
-- as the owner bypasses row security), and each of those applies the same
-- rule with customer_visible() and writes the audit row itself.

-- First of all, every right on the schema's objects is taken away; 80_grants.sql
-- (or the file of a function) gives back exactly what each role needs, so a
-- right granted by hand or by an older release does not survive a migrate.
-- What ccterm_owner creates is nobody else's until granted.
revoke all on all tables in schema public from public, ccterm_agent, ccterm_branch, ccterm_supervisor, ccterm_cti;
revoke all on all sequences in schema public from public, ccterm_agent, ccterm_branch, ccterm_supervisor, ccterm_cti;
revoke all on all functions in schema public from public, ccterm_agent, ccterm_branch, ccterm_supervisor, ccterm_cti,
	ccterm_admin;
alter default privileges revoke execute on functions from public;

-- (Invoker SQL with every name qualified and no SET clause, so the planner
-- inlines them: a role check costs next to nothing.)
create or replace function access_sees_all() returns boolean
language sql stable as $$
	select pg_catalog.pg_has_role(session_user, 'ccterm_agent', 'MEMBER')
	    or pg_catalog.pg_has_role(session_user, 'ccterm_supervisor', 'MEMBER')
	    or pg_catalog.pg_has_role(session_user, 'ccterm_admin', 'MEMBER')
	    or pg_catalog.pg_has_role(session_user, 'ccterm_cti', 'MEMBER')
$$;

-- Admins: the clear-text secrets, the audit trail.
create or replace function access_is_admin() returns boolean
language sql stable as $$
	select pg_catalog.pg_has_role(session_user, 'ccterm_admin', 'MEMBER')
$$;

-- The CTI adapter (or an admin): acts on anyone's calls and states.
create or replace function access_is_cti() returns boolean
language sql stable as $$
	select pg_catalog.pg_has_role(session_user, 'ccterm_cti', 'MEMBER')
	    or pg_catalog.pg_has_role(session_user, 'ccterm_admin', 'MEMBER')
$$;

-- May this login see this customer? (NULL customer: no.) PL/pgSQL keeps its
-- two probes' plans: ~30 us a call for branch staff, ~1 us for the others.
create or replace function customer_visible(p_customer bigint) returns boolean
language plpgsql stable security definer set search_path = pg_catalog, public, pg_temp as $$
declare
	v_branch text;
begin
	if access_sees_all() then
		return true;
	end if;
	select a.branch_code into v_branch from agent a where a.login = session_user;
	if v_branch is null then
		return false;
	end if;
	return exists (select 1 from customer c where c.id = p_customer and c.branch_code = v_branch)
	    or exists (select 1 from interaction i where i.branch_code = v_branch and i.customer_id = p_customer);
end $$;

-- A contact point is visible with one of its customers; an order with its customer.
create or replace function contact_point_visible(p_contact_point bigint) returns boolean
language sql stable security definer set search_path = pg_catalog, public, pg_temp as $$
	select access_sees_all()
	    or exists (select 1 from customer_contact cc
	               where cc.contact_point_id = p_contact_point and customer_visible(cc.customer_id))
$$;

create or replace function order_visible(p_order bigint) returns boolean
language sql stable security definer set search_path = pg_catalog, public, pg_temp as $$
	select access_sees_all() or exists (select 1 from orders o where o.id = p_order and customer_visible(o.customer_id))
$$;

-- One policy per table, for every command and every role but the owner
-- (admins pass through access_sees_all()). "(select ...)" is evaluated once per query.
do $$
declare
	t record;
begin
	for t in
		select * from (values
			('customer', 'customer_visible(id)'),
			('customer_secret', 'customer_visible(customer_id)'),
			('customer_contact', 'customer_visible(customer_id)'),
			('contact_point', 'contact_point_visible(id)'),
			('interaction', 'customer_visible(customer_id)'),
			('orders', 'customer_visible(customer_id)'),
			('order_line', 'order_visible(order_id)'),
			('cases', 'customer_visible(customer_id)'),
			('alert', 'customer_visible(customer_id)'),
			('campaign_member', 'customer_visible(customer_id)'),
			('call', 'agent_login = session_user or customer_visible(customer_id)')) v(tab, rule)
	loop
		execute format('alter table %I enable row level security', t.tab);
		execute format('drop policy if exists access_rule on %I', t.tab);
		execute format('create policy access_rule on %I using ((select access_sees_all()) or %s) '
		               'with check ((select access_sees_all()) or %s)', t.tab, t.rule, t.rule);
	end loop;
end $$;

-- The audit trail: admins read it (and only they may change it, 80_grants).
alter table audit_log enable row level security;
drop policy if exists access_rule on audit_log;
create policy access_rule on audit_log using ((select access_is_admin())) with check ((select access_is_admin()));

-- The one way a row enters the audit trail: in the session's login, now,
-- from the session's address. Internal (no grant): called by the SECURITY
-- DEFINER functions, whose rights and search_path it runs with.
create or replace function audit_write(p_customer bigint, p_action text, p_detail text) returns void
language plpgsql volatile as $$
begin
	insert into audit_log (at, login, customer_id, action, detail, client_addr)
	values (now(), session_user, p_customer, p_action, p_detail, inet_client_addr());
end $$;

-- A call is answered or hung up by its agent, or by the CTI (or an admin).
-- Called by call_answer and call_hangup (40_calls.sql).
create or replace function call_check_mine(p_call bigint) returns void
language plpgsql stable as $$
begin
	if not access_is_cti() and not exists (select 1 from call c where c.id = p_call and c.agent_login = session_user) then
		raise exception 'call % is not yours', p_call using errcode = '42501';
	end if;
end $$;
