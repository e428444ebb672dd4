-- 300 what a campaign counts as a member's response, besides an order: the
-- product an order must hold (a SKU, or its category: KD counts KD-1016) and
-- the reason code an inbound contact about the offer carries. NULL: any order;
-- no reason (inbound campaign replies still count). The definition itself is
-- campaign_responded() in sql/repeatable/78_campaigns.sql (README, "Campaigns").
alter table campaign
	add column response_product text,
	add column response_reason  text references reason_code;
