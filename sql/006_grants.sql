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
