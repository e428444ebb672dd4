-- 85_value_grants: who may use the figures, segments, offer rules and warnings.
-- A repeatable file: applied after the numbered migrations whenever it changes.
-- Reads go through invoker functions and the security_invoker view, so
-- row-level security on customer decides which customers anyone sees;
-- rule changes and offer responses go through the SECURITY DEFINER functions.

grant select on customer_metrics, metric_bound, segment_rule, offer_response, customer_fact
	to ccterm_agent, ccterm_branch, ccterm_supervisor, ccterm_admin;
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
