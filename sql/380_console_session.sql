-- 380 The consoles that are open, one row each, kept alive by the console's
-- beat (console_session_beat(), every CONSOLE_BEAT_MS) for a lease of
-- console_lease_seconds. "Is another console of this login open?" is asked
-- of this table, not of pg_stat_activity: behind PgBouncer in transaction
-- mode a server connection is no console (the pool's idle ones keep the
-- application_name of whoever used them last), and a console whose
-- notifications come through ccterm-relayd may hold no connection of its own
-- for long. A console that dies without quitting (kill -9, a host gone)
-- stops beating: its lease runs out and the agent is logged out
-- (console_sessions_expire(), 45_agents.sql). No customer data; nobody but
-- the functions' owner touches the table.
create table console_session (
	id         bigint generated always as identity primary key,
	login      text not null references agent (login) on update cascade on delete cascade,
	started_at timestamptz not null default clock_timestamp(),
	seen_at    timestamptz not null default clock_timestamp()
);
create index console_session_login on console_session (login);
create index console_session_seen on console_session (seen_at);
alter table console_session enable row level security;

insert into settings (key, value) values ('console_lease_seconds', '90') on conflict do nothing;
