-- 320_colocation: customer_id on the two customer-owned tables that reached
-- their customer only through a parent (order_line through orders,
-- case_event through cases), so that every customer-owned table can be
-- co-located by customer_id when the record is distributed (Citus,
-- docs/SCALE.md), and a case's history or an order's lines are read on the
-- customer's shard. Kept equal to the parent's by triggers
-- (sql/repeatable/57_scale.sql), which also follow a merge.
alter table order_line add column customer_id bigint;
update order_line l set customer_id = o.customer_id from orders o where o.id = l.order_id;
alter table case_event add column customer_id bigint;
update case_event e set customer_id = c.customer_id from cases c where c.id = e.case_id;
create index case_event_customer on case_event (customer_id);
