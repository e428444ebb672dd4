-- 57_scale: Running at scale: where the boards read from (a standby), and customer_id on every customer-owned table (co-location, docs/SCALE.md).
-- A repeatable file: applied after the numbered migrations whenever it changes.

-- The boards may read from a streaming standby (ccterm -b, docs/SCALE.md):
-- they say so, and how far behind the primary they may be.
--   standby    the server is in recovery (a standby)
--   lag_secs   0 on the primary, and on a standby that is streaming and has
--              replayed all it received; otherwise the age of the last
--              transaction it replayed (an idle primary makes this an upper
--              bound); NULL when it has replayed none yet
--   streaming  a WAL receiver runs (false: the standby lost its primary,
--              and the board's figures age from lag_secs on)
-- Only pg_catalog functions and the public pg_stat_wal_receiver (its pid,
-- which every login sees), so no SECURITY DEFINER is needed.
create or replace function board_source()
returns table (standby boolean, lag_secs double precision, streaming boolean)
language sql volatile set search_path = pg_catalog, public, pg_temp as $$
	select r.standby,
	       case when not r.standby then 0::double precision
	            when r.streaming and pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() then 0::double precision
	            when pg_last_xact_replay_timestamp() is null then null
	            -- clock_timestamp, not now(): a commit replayed while this statement
	            -- ran is later than the statement's start (a negative lag, seen
	            -- under load); at 0 at least (the two clocks of two machines)
	            else greatest(extract(epoch from clock_timestamp() - pg_last_xact_replay_timestamp()),
	                          0)::double precision end,
	       r.streaming
	from (select pg_is_in_recovery() as standby,
	             exists (select 1 from pg_stat_wal_receiver w where w.pid is not null) as streaming) r
$$;
revoke all on function board_source() from public;
grant execute on function board_source() to ccterm_supervisor, ccterm_admin;

-- Co-location (320_colocation.sql): an order's lines and a case's events
-- carry their parent's customer_id, set on insert and moved with the parent
-- (a merge moves orders and cases to the survivor). Enabled ALWAYS: the demo
-- loader runs with session_replication_role = replica.
create or replace function order_line_customer_fill() returns trigger
language plpgsql security definer set search_path = pg_catalog, public, pg_temp as $$
begin
	select o.customer_id into new.customer_id from orders o where o.id = new.order_id;
	return new;
end $$;
drop trigger if exists order_line_customer_fill on order_line;
create trigger order_line_customer_fill before insert or update of order_id on order_line
	for each row execute function order_line_customer_fill();
alter table order_line enable always trigger order_line_customer_fill;

create or replace function orders_customer_follow() returns trigger
language plpgsql security definer set search_path = pg_catalog, public, pg_temp as $$
begin
	update order_line set customer_id = new.customer_id where order_id = new.id;
	return null;
end $$;
drop trigger if exists orders_customer_follow on orders;
create trigger orders_customer_follow after update of customer_id on orders
	for each row when (old.customer_id is distinct from new.customer_id)
	execute function orders_customer_follow();
alter table orders enable always trigger orders_customer_follow;

create or replace function case_event_customer_fill() returns trigger
language plpgsql security definer set search_path = pg_catalog, public, pg_temp as $$
begin
	select c.customer_id into new.customer_id from cases c where c.id = new.case_id;
	return new;
end $$;
drop trigger if exists case_event_customer_fill on case_event;
create trigger case_event_customer_fill before insert or update of case_id on case_event
	for each row execute function case_event_customer_fill();
alter table case_event enable always trigger case_event_customer_fill;

create or replace function cases_customer_follow() returns trigger
language plpgsql security definer set search_path = pg_catalog, public, pg_temp as $$
begin
	update case_event set customer_id = new.customer_id where case_id = new.id;
	return null;
end $$;
drop trigger if exists cases_customer_follow on cases;
create trigger cases_customer_follow after update of customer_id on cases
	for each row when (old.customer_id is distinct from new.customer_id)
	execute function cases_customer_follow();
alter table cases enable always trigger cases_customer_follow;

revoke all on function order_line_customer_fill(), orders_customer_follow(), case_event_customer_fill(),
	cases_customer_follow() from public;
