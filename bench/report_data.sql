-- bench/report_data.sql: a busy floor for bench/run-report. 50 queues, 200
-- agents of 10 branches, 30 days of agent states (about 60 changes an agent a
-- day), 40,000 calls on the day measured (2026-11-20, Asia/Seoul) and 20,000
-- on each of the two days around it, 5,000 surveys, 10,000 offer responses.
insert into settings (key, value) values ('timezone', 'Asia/Seoul')
	on conflict (key) do update set value = excluded.value;
insert into branch (code, name) select 'B' || b, 'Branch ' || b from generate_series(1, 10) b on conflict do nothing;
insert into queue (name, sla_seconds) select 'q' || q, 20 + q % 3 * 10 from generate_series(1, 50) q;
insert into agent (login, name, branch_code) select 'ag' || a, '상담원' || a, 'B' || (a % 10 + 1) from generate_series(1, 200) a;
insert into agent_queue (login, queue_id) select 'ag' || a, q.id from generate_series(1, 200) a
	join queue q on q.name in ('q' || (a % 50 + 1), 'q' || ((a + 7) % 50 + 1));
-- each agent's day: 08:00 ready, then cycles of ringing / on call / wrap-up /
-- ready, a pause now and then, logged out at 18:00
insert into agent_state (login, state, reason, started_at)
select 'ag' || a,
       case when k = 0 then 'ready' when k = 61 then 'logged_out'
            when k % 15 = 0 then (array['break', 'not_ready'])[1 + k / 15 % 2]
            else (array['ringing', 'on_call', 'wrap_up', 'ready'])[1 + k % 4] end,
       case when k % 15 = 0 and k between 1 and 60 then (array['lunch', 'training', 'no answer'])[1 + k / 15 % 3] end,
       ('2026-10-22'::date + d)::timestamp at time zone 'Asia/Seoul' + interval '8 hours' + k * interval '9 minutes'
         + (a % 60) * interval '1 second'
from generate_series(1, 200) a, generate_series(0, 30) d, generate_series(0, 61) k;
insert into call (ani, queue_id, agent_login, state, created_at, answered_at, ended_at, sla_seconds)
select '010', q.id, case when i % 10 <> 0 then 'ag' || (i % 200 + 1) end,
       case when i % 10 = 0 then 'abandoned' else 'ended' end,
       t, case when i % 10 <> 0 then t + (i % 40) * interval '1 second' end,
       t + (i % 40) * interval '1 second' + case when i % 10 <> 0 then (60 + i % 600) * interval '1 second' else interval '0' end,
       q.sla_seconds
from (select i, (date '2026-11-19' + (i / 20000))::timestamp at time zone 'Asia/Seoul'
             + (8 * 3600 + i % 20000 * 1.8) * interval '1 second' as t
      from generate_series(0, 79999) i) g
join queue q on q.name = 'q' || (g.i % 50 + 1);
insert into customer (name, branch_code) select '고객' || c, 'B' || (c % 10 + 1) from generate_series(1, 5000) c;
insert into interaction (customer_id, occurred_at, channel, kind, score, branch_code)
select c.id, '2026-11-20 09:00+09'::timestamptz + (c.id % 600) * interval '1 minute', 'store', 'survey', 1 + c.id % 5, c.branch_code
from customer c;
insert into offer_rule (name, offer, priority) select 'rule' || r, 'offer ' || r, r from generate_series(1, 20) r;
insert into offer_response (rule_id, customer_id, response, login, at)
select (select id from offer_rule where name = 'rule' || (i % 20 + 1)), (select min(id) from customer) + i % 5000,
       (array['offered', 'accepted', 'declined'])[1 + i % 3], 'ag' || (i % 200 + 1),
       '2026-11-20 09:00+09'::timestamptz + (i % 500) * interval '1 minute'
from generate_series(1, 10000) i;
analyze;
