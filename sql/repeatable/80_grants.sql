-- 80_grants: What each group role may do. Re-applied whenever it changes, so every database converges.
-- A repeatable file: applied after the numbered migrations whenever it changes.

-- 006 what each group role may do. Agents read the record and log contacts;
-- supervisors also manage queues and rules; admins everything, including
-- the clear-text secrets. Nobody but admins reads customer_secret.

grant usage on schema public to ccterm_agent, ccterm_branch, ccterm_supervisor, ccterm_admin;

grant select on settings, branch, customer, contact_point, customer_contact, orders, order_line,
	cases, reason_code, disposition, interaction, queue, agent, agent_queue, call,
	offer_rule, alert, campaign, campaign_member
	to ccterm_agent, ccterm_branch, ccterm_supervisor;

grant insert, update on customer, contact_point, customer_contact, interaction, cases, call
	to ccterm_agent, ccterm_supervisor;

grant insert, update on agent_state, agent to ccterm_agent, ccterm_supervisor;

grant select on agent_state to ccterm_supervisor;

grant insert on agent_state to ccterm_branch;

grant insert on audit_log to ccterm_agent, ccterm_branch, ccterm_supervisor;

grant insert, update, delete on queue, agent_queue, offer_rule, alert, campaign, campaign_member
	to ccterm_supervisor;

grant usage on all sequences in schema public to ccterm_agent, ccterm_branch, ccterm_supervisor;

grant all on all tables in schema public to ccterm_admin;

grant all on all sequences in schema public to ccterm_admin;

grant execute on function customer_rrn_masked(bigint) to ccterm_agent, ccterm_branch, ccterm_supervisor;

revoke all on customer_secret from public;

grant select on agent_me to ccterm_agent, ccterm_branch, ccterm_supervisor, ccterm_admin;

grant execute on function customers_by_contact(text, text) to ccterm_agent, ccterm_branch, ccterm_supervisor;

grant execute on function call_arrive(text, text, text, text, text) to ccterm_agent, ccterm_supervisor;

revoke all on function screen_pop(bigint), customer_pop(bigint), pop_sections(bigint),
	timeline(bigint, text, text, timestamptz, bigint, integer), customer_alerts(bigint),
	customer_offers(bigint), customer_search(text, text, integer), customer_create(text, text),
	contact_save(uuid, bigint, bigint, text, text, text, text, text, text, text, boolean),
	calls_offered(), customer_contact_value(bigint, text), timeline_key(timestamptz),
	pii_masked_for_me(), pii_contact(text, text)
	from public;

grant execute on function screen_pop(bigint), customer_pop(bigint), pop_sections(bigint),
	timeline(bigint, text, text, timestamptz, bigint, integer), customer_alerts(bigint),
	customer_offers(bigint), customer_search(text, text, integer), calls_offered(),
	customer_contact_value(bigint, text), timeline_key(timestamptz), pii_masked_for_me(),
	pii_contact(text, text)
	to ccterm_agent, ccterm_branch, ccterm_supervisor, ccterm_admin;

-- Branch staff read and look up; creating customers and logging contacts is
-- for agents and supervisors (who hold the insert rights these need).
grant execute on function customer_create(text, text),
	contact_save(uuid, bigint, bigint, text, text, text, text, text, text, text, boolean)
	to ccterm_agent, ccterm_supervisor, ccterm_admin;

revoke all on function agent_set_state(text, text) from public;

grant execute on function agent_set_state(text, text), queue_waiting_mine(), queue_channels_mine()
	to ccterm_agent, ccterm_branch, ccterm_supervisor, ccterm_admin;

revoke all on function agent_state_move(text, text, text), call_offer(bigint, text), route_call(bigint),
	route_agent(text), route_pending(integer), agent_set_state_for(text, text, text), call_answer(bigint),
	call_hangup(bigint), call_no_answer(bigint), queue_stat_rebuild(timestamptz),
	wallboard_queues(timestamptz), wallboard_agents(text, integer, integer, timestamptz),
	branch_satisfaction(timestamptz), agent_day(text, timestamptz)
	from public;

-- call_arrive (run with the caller's rights) routes through route_call.
grant execute on function route_call(bigint), call_answer(bigint), call_hangup(bigint)
	to ccterm_agent, ccterm_supervisor, ccterm_admin;

grant execute on function route_agent(text), route_pending(integer), agent_set_state_for(text, text, text),
	call_no_answer(bigint), wallboard_queues(timestamptz), wallboard_agents(text, integer, integer, timestamptz),
	branch_satisfaction(timestamptz), agent_day(text, timestamptz)
	to ccterm_supervisor, ccterm_admin;

grant execute on function queue_stat_rebuild(timestamptz) to ccterm_admin;

grant select on queue_stat to ccterm_supervisor;

grant all on queue_stat to ccterm_admin;
