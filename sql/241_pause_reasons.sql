-- 241 The reasons an agent gives for a break or for not being ready: a list,
-- so the boards count them alike (lunch, training, after-call work...).
create table pause_reason (
	code   text primary key check (code ~ '^[a-z][a-z0-9_]{0,31}$'),
	label  text not null,
	state  text not null check (state in ('break', 'not_ready')),   -- the state it puts the agent in
	sort   integer not null default 100,
	active boolean not null default true
);
insert into pause_reason (code, label, state, sort) values
	('lunch', 'Lunch', 'break', 10),
	('short_break', 'Short break', 'break', 20),
	('after_call_work', 'After-call work', 'not_ready', 30),
	('training', 'Training', 'not_ready', 40),
	('meeting', 'Meeting', 'not_ready', 50),
	('coaching', 'Coaching', 'not_ready', 60),
	('outbound', 'Outbound calls', 'not_ready', 70),
	('technical', 'Technical problem', 'not_ready', 80)
on conflict do nothing;
