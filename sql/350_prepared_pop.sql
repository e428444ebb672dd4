-- 350 The pop prepared when a call's caller is identified (issue 9): the rows
-- pop_rows() gives for one customer, built by pop_prepare() when the call
-- arrives, in a transaction of its own before the call is offered, and served
-- by screen_pop() at offer time with one primary-key read (32_prepared_pop.sql).
--
-- One row of a pop, as pop_rows() returns it.
create type pop_row as (section text, f1 text, f2 text, f3 text, f4 text, f5 text, f6 text,
	f7 text, f8 text, f9 text, f10 text, f11 text, f12 text);

-- Unlogged: nothing here is needed after a crash (the live path builds any
-- pop), and its writes cost the CTI no WAL. Crash recovery empties it, and
-- only it, so no prepared row outlives what told it it was stale.
-- rows: the customer's pop as the viewers who see every customer in clear
-- see it (access_sees_all), a 'case' row's f6 holding the due time's epoch
-- (the seconds left are taken at serving); valid_until: the first moment a
-- time-dependent part of those rows may read differently (a case falls due,
-- a day ends, a warning's window moves); time_zone: the TimeZone the rows
-- were built in (current_date, ages and offers' dates depend on it).
create unlogged table if not exists prepared_pop (
	customer_id bigint primary key,
	prepared_at timestamptz not null,
	valid_until timestamptz not null,
	time_zone text not null,
	rows pop_row[] not null
);
create index if not exists prepared_pop_valid_until on prepared_pop (valid_until);

-- Customer data: row security on, and no policy, so nobody but the owner
-- (the SECURITY DEFINER functions) reads or writes a row; no role has rights.
alter table prepared_pop enable row level security;
