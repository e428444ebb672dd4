-- 400 The offer of a call audits the look it grants (call_offer_audit,
-- 30_pop.sql): an audit row of action 'offer' ("this customer was put before
-- this agent: their pop of call N may read it") written in the offer's own
-- transaction, and the customer kept on the call. That agent's screen_pop of
-- the call then reads without writing. NULL when the offer audited nothing
-- (no single customer known, branch staff, not offered): the pop writes its
-- own 'view' row then, as every other read does.
alter table call add column pop_audited_customer bigint;
alter table audit_log drop constraint audit_log_action_check,
	add constraint audit_log_action_check
	check (action in ('view', 'search', 'create', 'update', 'export', 'import', 'offer'));
