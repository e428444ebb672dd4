-- 203 a call-back due is pushed to its agent once (campaign_callbacks_remind,
-- run by `ccterm-admin case-watch`), so the console offers it on time.
alter table campaign_member add column reminded_at timestamptz;
create index campaign_member_callback on campaign_member (callback_at)
	where outcome = 'callback' and done_at is null and reminded_at is null;
