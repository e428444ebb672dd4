-- 26_import: what `ccterm-admin import` runs on the server (src/db/import.c).
-- A repeatable file: applied after the numbered migrations whenever it changes.

-- An import loads interactions with the figures' statement trigger held back
-- (ccterm.bulk, one chunk after another) and then refreshes the customers it
-- touched once, as the trigger would have for one statement: as the owner,
-- like the trigger, since an admin may not run the figures' helpers itself.
create or replace function import_metrics_refresh(p_ids bigint[]) returns integer
language plpgsql security definer set search_path = pg_catalog, public, pg_temp as $$
begin
	if p_ids is null or cardinality(p_ids) = 0 then
		return 0;
	end if;
	-- a huge import is cheaper as one pass over everyone (customer_metrics_touch)
	return customer_metrics_refresh(case when cardinality(p_ids) > 20000 then null else p_ids end);
end $$;
revoke all on function import_metrics_refresh(bigint[]) from public;
grant execute on function import_metrics_refresh(bigint[]) to ccterm_admin;
