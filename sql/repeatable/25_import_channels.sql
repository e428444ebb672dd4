-- 25_import_channels: who sees the imported channels' own tables (README "Imports").
-- A repeatable file: applied after the numbered migrations whenever it changes.
-- As every customer-data table: row security for all but the owner, no table
-- rights for the console's roles (05_access revoked them all); the console
-- sees these rows through the interactions on the timeline.
do $$
declare
	t text;
begin
	foreach t in array array['email_message', 'web_event'] loop
		execute format('alter table %I enable row level security', t);
		execute format('drop policy if exists access_rule on %I', t);
		execute format('create policy access_rule on %I using ((select access_sees_all()) or customer_visible(customer_id)) '
		               'with check ((select access_sees_all()) or customer_visible(customer_id))', t);
	end loop;
end $$;
