-- 361_last_contact: each customer's last contact (the latest interaction's
-- occurred_at), kept with the customer's figures by customer_metrics_refresh
-- (60_value.sql) and, when interactions move or go, by customer_last_contact_follow
-- (20_customer.sql). Search ranks and shows its hits by it: probing the
-- 20 M-row interaction index for each of 50 hits read some 40 pages from
-- disk per search at 1 M customers on a shared box (bench/SEARCH.md), where
-- customer_metrics, one row per customer and read by every pop, stays cached.
alter table customer_metrics add column last_contact_at timestamptz;
update customer_metrics m set last_contact_at = l.at
from (select customer_id, max(occurred_at) as at from interaction group by customer_id) l
where l.customer_id = m.customer_id;
