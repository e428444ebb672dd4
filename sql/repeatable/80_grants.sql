-- 80_grants: What each group role may do. Re-applied whenever it changes, so every database converges.
-- A repeatable file: applied after the numbered migrations whenever it changes.
--
-- Everything was taken away first (05_access.sql) and is given back here
-- exactly: a right granted by hand or by an older release does not survive
-- a migrate.
--
--   every login    reads the lists (settings, branches, reasons, queues,
--                  agents, rules) and reads customers through the audited
--                  SECURITY DEFINER functions, which apply 05_access.sql
--   agent          also creates customers, saves contacts and edits
--                  customers (with a row version), answers and hangs up its
--                  own calls, sets its own state
--   branch         reads only (its branch's customers, masked)
--   supervisor     what an agent does, plus the boards, other agents'
--                  states, queues, skills, offer rules and campaigns
--   cti            calls arrive, anyone's calls are answered, hung up, not
--                  answered; agents' states; routing
--   admin          every table, the clear-text secrets, the audit trail
-- No login holds rights on the customer-data tables except admins: so psql
-- reads no more than the console, and no read escapes the audit trail.

grant usage on schema public to ccterm_agent, ccterm_branch, ccterm_supervisor, ccterm_admin, ccterm_cti;

grant select on settings, branch, reason_code, disposition, queue, agent, agent_queue, offer_rule, campaign
	to ccterm_agent, ccterm_branch, ccterm_supervisor, ccterm_cti;
grant select on agent_me to ccterm_agent, ccterm_branch, ccterm_supervisor, ccterm_admin, ccterm_cti;

grant insert, update, delete on queue, agent_queue, offer_rule, campaign to ccterm_supervisor;
grant select on queue_stat to ccterm_supervisor;

grant all on all tables in schema public to ccterm_admin;
grant all on all sequences in schema public to ccterm_admin;

-- Row security and masking ask these (the querying role needs EXECUTE).
grant execute on function access_sees_all(), access_is_admin(), access_is_cti() to public;
grant execute on function customer_visible(bigint), contact_point_visible(bigint), order_visible(bigint)
	to ccterm_agent, ccterm_branch, ccterm_supervisor, ccterm_admin, ccterm_cti;

-- Reading the record: every login.
grant execute on function screen_pop(bigint), customer_pop(bigint), pop_sections(bigint),
	timeline(bigint, text, text, timestamptz, bigint, integer), customer_search(text, text, integer),
	interaction_body(bigint), customer_edit(bigint), customer_rrn_masked(bigint), calls_offered(),
	pii_masked_for_me(), timeline_key(timestamptz), agent_set_state(text, text), queue_waiting_mine(),
	queue_channels_mine()
	to ccterm_agent, ccterm_branch, ccterm_supervisor, ccterm_admin;

-- Writing it: agents and supervisors (branch staff read and look up).
grant execute on function customer_create(text, text),
	contact_save(uuid, bigint, bigint, text, text, text, text, text, text, text, boolean),
	customer_update(bigint, integer, text, text, date, text, text),
	call_answer(bigint), call_hangup(bigint)
	to ccterm_agent, ccterm_supervisor, ccterm_admin;

-- The floor.
grant execute on function route_agent(text), route_pending(integer), agent_set_state_for(text, text, text),
	call_no_answer(bigint), wallboard_queues(timestamptz), wallboard_agents(text, integer, integer, timestamptz),
	branch_satisfaction(timestamptz), agent_day(text, timestamptz)
	to ccterm_supervisor, ccterm_admin;

-- The CTI adapter.
grant execute on function call_arrive(text, text, text, text, text), call_answer(bigint), call_hangup(bigint),
	call_no_answer(bigint), agent_set_state_for(text, text, text), route_call(bigint), route_pending(integer),
	route_agent(text), calls_offered()
	to ccterm_cti, ccterm_admin;

grant execute on function queue_stat_rebuild(timestamptz) to ccterm_admin;
