-- 79_campaign_board: the supervisors' campaign board in the console
-- (:campaigns): every campaign with its figures, and one campaign's detail
-- (outcomes, call-backs, script). The figures are campaign_board()'s
-- (78_campaigns.sql), the response campaign_responded()'s. Supervisors and
-- admins only. The console re-reads on NOTIFY campaign '<id>' (a campaign
-- saved or built, an outcome recorded) and every 30 s (call-backs falling
-- due, orders and replies arriving).
-- A repeatable file: applied after the numbered migrations whenever it changes.

-- What a campaign is doing today: not built, paused, planned, running, ended.
create or replace function campaign_status(c campaign) returns text
language sql stable set search_path = pg_catalog, public, pg_temp as $$
	select case when c.built_at is null then 'not built'
	            when not c.active then 'paused'
	            when (now() at time zone campaign_tz())::date < c.starts then 'planned'
	            when (now() at time zone campaign_tz())::date > coalesce(c.ends, 'infinity'::date) then 'ended'
	            else 'running' end
$$;

-- Every campaign, running ones first, newest start first, with the board's figures.
drop function if exists campaign_boards();
create function campaign_boards()
returns table (id integer, name text, status text, starts date, ends date, members integer, control integer,
	called integer, reached integer, accepted integer, refused integer, callbacks integer, done integer,
	progress_pct double precision, contact_rate double precision, acceptance_rate double precision,
	contacted_n integer, contacted_responded integer, contacted_rate double precision,
	control_n integer, control_responded integer, control_rate double precision,
	lift double precision, lift_low double precision, lift_high double precision)
language plpgsql stable security definer set search_path = pg_catalog, public, pg_temp as $$
begin
	perform campaign_check_supervisor();
	return query
	select c.id, c.name, campaign_status(c), c.starts, c.ends, b.*
	from campaign c cross join lateral campaign_board(c.id) b
	order by array_position(array['running', 'planned', 'paused', 'not built', 'ended'], campaign_status(c)),
	         c.starts desc, c.id
	limit 100;
end $$;

-- One campaign for its detail screen: what it offers and measures, the
-- outcomes so far (the members still to call, those not reached that wait
-- for a retry or are done), and the script.
drop function if exists campaign_detail(integer);
create function campaign_detail(p_campaign integer)
returns table (name text, status text, offer text, target text, starts date, ends date, script text,
	response_days integer, response_product text, response_reason text,
	not_called integer, reached_only integer, not_reached_retry integer, not_reached_done integer,
	callbacks_due integer)
language plpgsql stable security definer set search_path = pg_catalog, public, pg_temp as $$
begin
	perform campaign_check_supervisor();
	if not exists (select 1 from campaign c where c.id = p_campaign) then
		raise exception 'no such campaign %', p_campaign using errcode = 'P0002';
	end if;
	return query
	select c.name, campaign_status(c), c.offer, c.target_kind || coalesce(' ' || c.target_code, ''), c.starts, c.ends,
	       c.script, c.response_days, c.response_product,
	       (select r.label from reason_code r where r.code = c.response_reason),
	       count(m.customer_id) filter (where not m.is_control and m.attempts = 0)::integer,
	       count(m.customer_id) filter (where m.outcome = 'reached')::integer,
	       count(m.customer_id) filter (where m.outcome = 'not_reached' and m.done_at is null)::integer,
	       count(m.customer_id) filter (where m.outcome = 'not_reached' and m.done_at is not null)::integer,
	       count(m.customer_id) filter (where m.outcome = 'callback' and m.done_at is null
	                                      and m.callback_at <= now())::integer
	from campaign c left join campaign_member m on m.campaign_id = c.id
	where c.id = p_campaign
	group by c.id;
end $$;

-- The call-backs promised and not made yet, soonest first: who, when, whose,
-- and whether it is due.
drop function if exists campaign_callbacks(integer, integer);
create function campaign_callbacks(p_campaign integer, p_limit integer default 20)
returns table (customer_id bigint, customer_name text, callback_at timestamptz, owner_login text, due boolean)
language plpgsql stable security definer set search_path = pg_catalog, public, pg_temp as $$
begin
	perform campaign_check_supervisor();
	return query
	select m.customer_id, cu.name, m.callback_at, m.owner_login, m.callback_at <= now()
	from campaign_member m join customer cu on cu.id = m.customer_id
	where m.campaign_id = p_campaign and m.outcome = 'callback' and m.done_at is null
	order by m.callback_at, m.customer_id
	limit least(greatest(coalesce(p_limit, 20), 1), 200);
end $$;

revoke all on function campaign_status(campaign), campaign_responded(campaign, bigint, timestamptz),
	campaign_boards(), campaign_detail(integer), campaign_callbacks(integer, integer) from public;
grant execute on function campaign_boards(), campaign_detail(integer), campaign_callbacks(integer, integer)
	to ccterm_supervisor, ccterm_admin;
