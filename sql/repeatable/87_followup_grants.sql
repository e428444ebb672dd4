-- 87_followup_grants: who may use cases, e-mail replies and campaigns.
-- A repeatable file: applied after the numbered migrations whenever it changes.
--
-- The tables hold customer data: no login but admins has rights on them
-- (case_resolution and mail_template are lists everyone reads); every read
-- and write goes through the SECURITY DEFINER functions of 76_cases,
-- 77_mail and 78_campaigns, which check who is asking and write the audit rows.
--   agent       case lists (mine, team), detail, history, open, note, escalate,
--               reassign / re-prioritise / close own cases, render and queue
--               replies, pull the next campaign member and record outcomes
--   branch      read their customers' cases
--   supervisor  all of that on every case, plan and build campaigns, the boards
--               (79_campaign_board.sql grants its own)
--   admin       the sender (mail-send), the SLA watch (case-watch)

-- Row security as in 05_access.sql: the row's customer (a case event: its case's).
do $$
declare
	t text;
begin
	foreach t in array array['case_event', 'mail_outbox', 'campaign_attempt'] loop
		execute format('alter table %I enable row level security', t);
		execute format('drop policy if exists access_rule on %I', t);
	end loop;
end $$;
create policy access_rule on case_event
	using ((select access_sees_all()) or exists (select 1 from cases k where k.id = case_id and customer_visible(k.customer_id)))
	with check ((select access_sees_all()) or exists (select 1 from cases k where k.id = case_id and customer_visible(k.customer_id)));
create policy access_rule on mail_outbox
	using ((select access_sees_all()) or customer_visible(customer_id))
	with check ((select access_sees_all()) or customer_visible(customer_id));
create policy access_rule on campaign_attempt
	using ((select access_sees_all()) or customer_visible(customer_id))
	with check ((select access_sees_all()) or customer_visible(customer_id));

grant select on case_resolution, mail_template to ccterm_agent, ccterm_branch, ccterm_supervisor;
grant insert, update, delete on mail_template to ccterm_supervisor;
grant all on case_resolution, mail_template, case_event, mail_outbox, campaign_attempt to ccterm_admin;
grant usage on all sequences in schema public to ccterm_admin;

revoke all on function case_sla_hours(text, text), case_no(bigint), case_warn_at(timestamptz, timestamptz),
	case_sla_state(text, timestamptz, timestamptz), case_actor(), case_is_supervisor(),
	case_customer_visible(bigint), case_team_logins(), case_get(bigint), case_check_owner(cases),
	case_note_set(text), case_event_add(bigint, text, text, text), case_tell_owner(text, bigint, text),
	case_sla_check(), case_sla_next(), case_list(text, text, text, integer), case_counts_mine(),
	case_detail(bigint), case_history(bigint), case_interactions(bigint),
	case_open(bigint, text, text, text, text), case_change(bigint, boolean, text, text),
	case_assign(bigint, text, text), case_set_priority(bigint, text, text), case_escalate(bigint, text),
	case_add_note(bigint, text), case_close(bigint, text, text), case_reopen(bigint, text),
	mail_customer_address(bigint), mail_case_order_no(bigint, bigint), mail_fill(text, bigint, bigint),
	mail_render(text, bigint, bigint), mail_reply_target(bigint, bigint),
	mail_queue(uuid, bigint, bigint, text, text, text, boolean), mail_release(bigint), mail_for_case(bigint),
	mail_claim(), mail_sent(bigint), mail_failed(bigint, text, text), mail_recover_stale(), mail_requeue(bigint),
	mail_next_due(),
	campaign_tz(), campaign_by_name(text), campaign_check_supervisor(),
	campaign_save(text, text, text, text, date, date, text, numeric, integer, integer, text, text),
	campaign_list_add(integer, text[]), campaign_build(integer), campaign_next(integer),
	campaign_record(integer, bigint, text, timestamptz, text), campaign_list_all(), campaign_board(integer),
	campaign_callbacks_remind(), campaign_callback_next()
	from public;

-- The helpers the triggers and row checks call with the caller's rights.
grant execute on function case_sla_hours(text, text), case_no(bigint), case_warn_at(timestamptz, timestamptz),
	case_sla_state(text, timestamptz, timestamptz), case_is_supervisor(), case_customer_visible(bigint),
	campaign_tz()
	to ccterm_agent, ccterm_branch, ccterm_supervisor, ccterm_admin, ccterm_cti;

-- Reading cases: every login (row security decides which customers).
grant execute on function case_list(text, text, text, integer), case_counts_mine(), case_detail(bigint),
	case_history(bigint), case_interactions(bigint), mail_for_case(bigint), campaign_list_all(),
	campaign_by_name(text)
	to ccterm_agent, ccterm_branch, ccterm_supervisor, ccterm_admin;

-- Working them: agents and supervisors.
grant execute on function case_open(bigint, text, text, text, text), case_assign(bigint, text, text),
	case_set_priority(bigint, text, text), case_escalate(bigint, text), case_add_note(bigint, text),
	case_close(bigint, text, text), case_reopen(bigint, text),
	mail_render(text, bigint, bigint), mail_queue(uuid, bigint, bigint, text, text, text, boolean),
	mail_release(bigint), campaign_next(integer), campaign_record(integer, bigint, text, timestamptz, text)
	to ccterm_agent, ccterm_supervisor, ccterm_admin;

-- Planning campaigns, the board, resending a failed reply: supervisors.
grant execute on function campaign_save(text, text, text, text, date, date, text, numeric, integer, integer, text, text),
	campaign_list_add(integer, text[]), campaign_build(integer), campaign_board(integer), mail_requeue(bigint)
	to ccterm_supervisor, ccterm_admin;

-- The long-lived processes: the sender and the SLA watch.
grant execute on function mail_claim(), mail_sent(bigint), mail_failed(bigint, text, text), mail_recover_stale(),
	mail_next_due(), case_sla_check(), case_sla_next(), campaign_callbacks_remind(), campaign_callback_next()
	to ccterm_admin;
