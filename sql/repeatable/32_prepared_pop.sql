-- 32_prepared_pop: the pop built when the call arrives (pop_prepare), served at offer time (pop_rows_served).
-- A repeatable file: applied after the numbered migrations whenever it changes.
--
-- The CTI calls pop_prepare(ani) in a transaction of its own just before
-- call_arrive (one round trip: src/db/floor.c, src/db/pbx.c pipeline both),
-- so the rows are committed before any offer's NOTIFY can reach a console.
-- screen_pop (30_pop.sql) then reads them by the call's customer with one
-- primary-key read, and builds the pop live whenever they are missing, stale
-- or not for this viewer:
--
-- * Viewer: the rows are built as a login that sees every customer sees
--   them (the CTI; agents, supervisors and admins see the same): clear
--   contacts (pii_contact), the RRN masked as for everyone. Nothing else in
--   pop_rows depends on the login. Branch staff see contacts masked, so they
--   get the live path: one masking kind is stored, and the viewer check is
--   access_sees_all(), which the live path asks anyway.
-- * Stale data: every write to a table pop_rows reads forgets the rows of
--   the customers it touches (statement triggers with transition tables;
--   the global tables - rules, settings, branch names - forget them all, as
--   does a bulk load with session_replication_role = replica, which fires no
--   ordinary trigger). A writer takes a shared advisory lock on its
--   customers' buckets before forgetting; pop_prepare takes the bucket's lock
--   exclusively, without waiting, before it reads: so no write it did not
--   see can still be in flight when it reads (it gives up instead), and no
--   write that starts before it commits can miss its row (the writer waits
--   the few ms, then deletes it). Writers run in READ COMMITTED (ccterm sets
--   no other level): a REPEATABLE READ writer's delete would not see a row
--   committed after its snapshot.
-- * Stale by time: valid_until is the first moment anything time-dependent
--   in the rows may change (a case falls due, the day ends, a warning's or
--   an offer answer's window moves past a row, and at most
--   settings 'pop_prepared_seconds', default 120, after preparing); the
--   seconds to a case's due time are taken at serving.
-- Old rows go by age: each pop_prepare deletes those past valid_until.

-- The buckets writers and pop_prepare lock (the advisory lock's second key).
create or replace function prepared_pop_bucket(p_customer bigint) returns integer
language sql immutable as $$
	select (p_customer % 128)::integer
$$;

-- Forget the prepared pops of these customers (a writer, locked by bucket).
create or replace function prepared_pop_forget(p_customers bigint[]) returns void
language plpgsql volatile security definer set search_path = pg_catalog, public, pg_temp as $$
begin
	if p_customers is null or cardinality(p_customers) = 0 then
		return;
	end if;
	perform pg_advisory_xact_lock_shared(7734032, b)
	from (select distinct prepared_pop_bucket(c) as b from unnest(p_customers) c where c is not null order by 1) x;
	delete from prepared_pop p where p.customer_id in (select unnest(p_customers));
end $$;

-- Forget every prepared pop (rules, settings, bulk loads).
create or replace function prepared_pop_forget_all() returns void
language plpgsql volatile security definer set search_path = pg_catalog, public, pg_temp as $$
begin
	perform pg_advisory_xact_lock_shared(7734032, b) from generate_series(0, 127) b;
	delete from prepared_pop;
end $$;

-- The statement trigger of the per-customer tables: forgets the customers of
-- the rows written, before and after (an update may move rows: a merge).
-- TG_ARGV[0] names the rows' customer: 'customer_id', 'id' (the customer
-- table itself), or 'contact_point' (through customer_contact). Dynamic SQL
-- reads the transition tables, once a statement.
create or replace function prepared_pop_forget_rows() returns trigger
language plpgsql security definer set search_path = pg_catalog, public, pg_temp as $$
declare
	v_query text := case tg_argv[0]
		when 'contact_point' then 'select array_agg(cc.customer_id) from %I r join customer_contact cc on cc.contact_point_id = r.id'
		else 'select array_agg(r.' || quote_ident(tg_argv[0]) || ') from %I r' end;
	v_rows text;
	v_part bigint[];
	v_customers bigint[] := '{}';
begin
	foreach v_rows in array case tg_op when 'INSERT' then array['new_rows'] when 'DELETE' then array['old_rows']
	                                   else array['new_rows', 'old_rows'] end loop
		execute format(v_query, v_rows) into v_part;
		v_customers := v_customers || coalesce(v_part, '{}');
	end loop;
	perform prepared_pop_forget(v_customers);
	return null;
end $$;

create or replace function prepared_pop_forget_every() returns trigger
language plpgsql security definer set search_path = pg_catalog, public, pg_temp as $$
begin
	perform prepared_pop_forget_all();
	return null;
end $$;

do $$
declare
	t record;
begin
	for t in
		select * from (values ('customer', 'id'), ('customer_secret', 'customer_id'),
			('customer_contact', 'customer_id'), ('contact_point', 'contact_point'),
			('customer_metrics', 'customer_id'), ('alert', 'customer_id'), ('orders', 'customer_id'),
			('order_line', 'customer_id'), ('cases', 'customer_id'), ('interaction', 'customer_id'),
			('offer_response', 'customer_id')) v(tab, col)
	loop
		execute format('create or replace trigger prepared_pop_insert after insert on %I '
		               'referencing new table as new_rows for each statement '
		               'execute function prepared_pop_forget_rows(%L)', t.tab, t.col);
		execute format('create or replace trigger prepared_pop_update after update on %I '
		               'referencing old table as old_rows new table as new_rows for each statement '
		               'execute function prepared_pop_forget_rows(%L)', t.tab, t.col);
		execute format('create or replace trigger prepared_pop_delete after delete on %I '
		               'referencing old table as old_rows for each statement '
		               'execute function prepared_pop_forget_rows(%L)', t.tab, t.col);
		execute format('create or replace trigger prepared_pop_truncate after truncate on %I '
		               'for each statement execute function prepared_pop_forget_every()', t.tab);
		-- a bulk load (session_replication_role = replica) fires only this one
		execute format('create or replace trigger prepared_pop_bulk after insert or update or delete on %I '
		               'for each statement execute function prepared_pop_forget_every()', t.tab);
		execute format('alter table %I enable replica trigger prepared_pop_bulk', t.tab);
	end loop;
	for t in
		select * from (values ('branch'), ('settings'), ('segment_rule'), ('offer_rule'), ('reason_code')) v(tab)
	loop
		execute format('create or replace trigger prepared_pop_rules after insert or update or delete or truncate '
		               'on %I for each statement execute function prepared_pop_forget_every()', t.tab);
		execute format('alter table %I enable always trigger prepared_pop_rules', t.tab);
	end loop;
end $$;

-- The three functions the statement triggers called before prepared_pop_forget_rows.
drop function if exists prepared_pop_forget_new(), prepared_pop_forget_old(), prepared_pop_forget_changed();

-- The first moment this customer's pop, built now, may read otherwise with
-- nothing written: see the head of this file. Earlier is always safe.
-- (PL/pgSQL: setting_num is defined later, in 60_value.sql.)
create or replace function prepared_pop_valid_until(p_customer bigint) returns timestamptz
language plpgsql stable as $$
declare
	v_due interval := make_interval(days => setting_num('warn_payment_due_days', 14)::integer);
	v_repeat interval := make_interval(days => setting_num('warn_repeat_days', 7)::integer);
begin
	return least(
		now() + make_interval(secs => setting_num('pop_prepared_seconds', 120)),
		-- current_date: offers' validity, ages (in the session's TimeZone)
		(current_date + 1)::timestamptz,
		-- a case falls due: the 'overdue' alert
		(select min(k.due_at) from cases k
		 where k.customer_id = p_customer and k.status <> 'closed' and k.due_at > now()),
		-- an unpaid order becomes overdue (customer_warnings)
		(select min(o.ordered_at) + v_due from orders o
		 where o.customer_id = p_customer and o.status = 'placed' and o.ordered_at >= now() - v_due),
		-- a contact leaves the repeated-contacts window
		(select min(i.occurred_at) + v_repeat from interaction i
		 where i.customer_id = p_customer and i.occurred_at > now() - v_repeat),
		-- an offer's answer leaves its 30 days (the pop's offer rows)
		(select min(r.at) + interval '30 days' from offer_response r
		 where r.customer_id = p_customer and r.at > now() - interval '30 days'));
end $$;

-- Prepares the pop of the caller with this number (E.164), when exactly one
-- customer has it, as call_arrive finds the caller. Run by the CTI in a
-- transaction of its own right before call_arrive; commits without waiting
-- for the WAL (nothing is lost if it is missing). Returns the customer
-- prepared (or found prepared and fresh), NULL when nothing was: no single
-- customer, a login that does not see every customer, a transaction that is
-- not READ COMMITTED (its snapshot would predate the lock), or a write in
-- flight to a customer of the same bucket.
create or replace function pop_prepare(p_ani_e164 text) returns bigint
language plpgsql volatile security definer set search_path = pg_catalog, public, pg_temp as $$
declare
	v_customer bigint;
	v_tz text := coalesce(nullif(btrim((select value from settings where key = 'timezone')), ''), 'Asia/Seoul');
begin
	if p_ani_e164 is null or not access_sees_all()
	   or current_setting('transaction_isolation') <> 'read committed' then
		return null;
	end if;
	delete from prepared_pop where valid_until <= now();
	select min(c) into v_customer from customers_by_contact('phone', p_ani_e164) c having count(*) = 1;
	if v_customer is null then
		return null;
	end if;
	perform set_config('synchronous_commit', 'off', true);
	-- the consoles' zone (session_use_center_timezone), for current_date
	begin
		perform set_config('TimeZone', v_tz, true);
	exception when invalid_parameter_value then
		v_tz := 'Asia/Seoul';
		perform set_config('TimeZone', v_tz, true);
	end;
	v_tz := current_setting('TimeZone');
	if exists (select 1 from prepared_pop p where p.customer_id = v_customer and p.time_zone = v_tz
	           and p.valid_until > now() + interval '10 seconds') then
		return v_customer;
	end if;
	if not pg_try_advisory_xact_lock(7734032, prepared_pop_bucket(v_customer)) then
		return null;
	end if;
	-- A statement of its own: its snapshot is taken after the lock.
	insert into prepared_pop as p (customer_id, prepared_at, valid_until, time_zone, rows)
	select v_customer, now(), prepared_pop_valid_until(v_customer), v_tz,
		array(select row(r.section, r.f1, r.f2, r.f3, r.f4, r.f5,
		                 case when r.section = 'case'
		                      then (select extract(epoch from k.due_at)::text from cases k where k.id = r.f1::bigint)
		                      else r.f6 end,
		                 r.f7, r.f8, r.f9, r.f10, r.f11, r.f12)::pop_row
		      from pop_rows(v_customer) with ordinality r
		      order by r.ordinality)
	on conflict (customer_id) do update
		set prepared_at = excluded.prepared_at, valid_until = excluded.valid_until,
		    time_zone = excluded.time_zone, rows = excluded.rows;
	return v_customer;
end $$;

-- The prepared rows of a customer as they are served, when they are fresh
-- and were built in this time zone (none otherwise): a 'case' row's f6 the
-- seconds left to its due time, taken now. One place for pop_rows_served
-- (the viewer's TimeZone) and the sealed pop (33_pop_seal.sql: the center's).
-- ord: the row's place (1, 2, ...), for callers that must not read it
-- WITH ORDINALITY (which keeps this SQL function from being inlined: it
-- would be planned again at every call). No check, no audit. Internal (no grant).
create or replace function prepared_pop_rows(p_customer bigint, p_time_zone text)
returns table (section text, f1 text, f2 text, f3 text, f4 text, f5 text, f6 text,
	f7 text, f8 text, f9 text, f10 text, f11 text, f12 text, ord bigint)
language sql stable as $$
	select u.section, u.f1, u.f2, u.f3, u.f4, u.f5,
		case when u.section = 'case' and u.f6 is not null
		     then (u.f6::numeric - extract(epoch from now()))::bigint::text else u.f6 end,
		u.f7, u.f8, u.f9, u.f10, u.f11, u.f12, u.ordinality
	from prepared_pop p
	cross join lateral unnest(p.rows) with ordinality u
	where p.customer_id = p_customer and p.valid_until > now() and p.time_zone = p_time_zone
	order by u.ordinality
$$;

-- The pop's rows of a customer for screen_pop: the prepared ones when they
-- are valid for this viewer and fresh, else pop_rows(). No check, no audit:
-- the caller does both. Internal (no grant).
create or replace function pop_rows_served(p_customer bigint)
returns table (section text, f1 text, f2 text, f3 text, f4 text, f5 text, f6 text,
	f7 text, f8 text, f9 text, f10 text, f11 text, f12 text)
language plpgsql stable as $$
begin
	if access_sees_all() then
		return query
		select r.section, r.f1, r.f2, r.f3, r.f4, r.f5, r.f6, r.f7, r.f8, r.f9, r.f10, r.f11, r.f12
		from prepared_pop_rows(p_customer, current_setting('TimeZone')) r;
		if found then
			return;
		end if;
	end if;
	return query select * from pop_rows(p_customer);
end $$;

revoke all on function pop_prepare(text) from public;
grant execute on function pop_prepare(text) to ccterm_cti, ccterm_admin;
