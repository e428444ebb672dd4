-- 170 the first timeline page without heap visits: the pop's newest rows come
-- from a covering index (the heap order has nothing to do with the customer:
-- a page of 51 items touched ~51 scattered heap pages). It replaces the plain
-- timeline index, which it serves as well. Index-only scans need the
-- visibility map: autovacuum visits the insert-only interaction table after
-- every 1 % of new rows instead of 20 %, so the newest rows are all-visible.
create index interaction_timeline_cover on interaction (customer_id, occurred_at desc, id desc)
	include (channel, direction, kind, subject, status, amount_won, agent_login);
drop index interaction_timeline;
alter table interaction set (autovacuum_vacuum_insert_scale_factor = 0.01,
	autovacuum_vacuum_insert_threshold = 10000, autovacuum_analyze_scale_factor = 0.02);
