-- 24_session: what a console's session needs before it draws anything.
-- A repeatable file: applied after the numbered migrations whenever it changes.

-- The center's time zone (settings 'timezone', default Asia/Seoul) becomes
-- the session's TimeZone, so timestamptz text (to_char, ::text) reads in
-- center time; the name is returned for the client to draw its own clock and
-- epoch times in the same zone. A name PostgreSQL does not know falls back
-- to Asia/Seoul rather than failing the connection.
create or replace function session_use_center_timezone() returns text
language plpgsql volatile set search_path = pg_catalog, public, pg_temp as $$
declare
	v_tz text := coalesce(nullif(btrim((select value from public.settings where key = 'timezone')), ''),
	                      'Asia/Seoul');
begin
	begin
		perform set_config('TimeZone', v_tz, false);
	exception when invalid_parameter_value then
		v_tz := 'Asia/Seoul';
		perform set_config('TimeZone', v_tz, false);
	end;
	return v_tz;
end $$;

grant execute on function session_use_center_timezone() to ccterm_agent, ccterm_branch, ccterm_supervisor,
	ccterm_admin, ccterm_cti;
