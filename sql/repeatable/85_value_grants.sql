-- 85_value_grants: who may use the figures, segments, offer rules and warnings.
-- A repeatable file: applied after the numbered migrations whenever it changes.
-- The per-customer figures and offer responses are customer data: like the
-- other customer tables (05_access.sql) only admins read them directly, under
-- row-level security for anyone else; the console reads them through the
-- pop (SECURITY DEFINER). Rule changes and offer responses go through the
-- SECURITY DEFINER functions.

grant select on metric_bound, segment_rule to ccterm_agent, ccterm_branch, ccterm_supervisor, ccterm_admin;
grant select on customer_metrics, offer_response, customer_fact to ccterm_admin;
alter table customer_metrics enable row level security;
drop policy if exists access_rule on customer_metrics;
create policy access_rule on customer_metrics using ((select access_sees_all()) or customer_visible(customer_id))
	with check ((select access_sees_all()) or customer_visible(customer_id));
alter table offer_response enable row level security;
drop policy if exists access_rule on offer_response;
create policy access_rule on offer_response using ((select access_sees_all()) or customer_visible(customer_id))
	with check ((select access_sees_all()) or customer_visible(customer_id));
grant insert, update, delete on segment_rule to ccterm_supervisor, ccterm_admin;
grant all on customer_metrics, metric_bound, segment_rule, offer_response to ccterm_admin;

revoke all on function customer_metrics_refresh(bigint[], boolean), metric_bounds_rebuild(),
	offer_rule_save(jsonb), offer_rule_set_active(text, boolean),
	offer_record(integer, bigint, bigint, text), customer_metrics_touch()
	from public;
grant execute on function customer_metrics_refresh(bigint[], boolean), metric_bounds_rebuild() to ccterm_admin;
grant execute on function offer_rule_save(jsonb), offer_rule_set_active(text, boolean)
	to ccterm_supervisor, ccterm_admin;
grant execute on function offer_record(integer, bigint, bigint, text)
	to ccterm_agent, ccterm_branch, ccterm_supervisor, ccterm_admin;

-- The supervisors' screens (the console's rule list and editor, the at-risk
-- board) read figures over every customer: these run as the schema's owner,
-- for supervisors and admins only (agents get the pop's offers instead).
alter function offer_rules_list() security definer set search_path = pg_catalog, public, pg_temp;
alter function offer_rule_hits(jsonb) security definer set search_path = pg_catalog, public, pg_temp;
alter function customers_at_risk(text, integer) security definer set search_path = pg_catalog, public, pg_temp;
revoke all on function offer_rules_list(), offer_rule_hits(jsonb), customers_at_risk(text, integer) from public;
grant execute on function offer_rules_list(), offer_rule_hits(jsonb), customers_at_risk(text, integer)
	to ccterm_supervisor, ccterm_admin;
-- The editor turns the words typed into a rule's JSON with offer_rule_spec().
grant execute on function offer_rule_spec(text, text, text, text, text, text, text, text, text, text, text, text,
	text, text, boolean, text, text, text) to ccterm_supervisor, ccterm_admin;
