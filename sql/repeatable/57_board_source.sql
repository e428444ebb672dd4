-- 57_board_source: Where the supervisors' boards read from, and how stale it is.
-- A repeatable file: applied after the numbered migrations whenever it changes.

-- The boards may read from a streaming standby (ccterm -b, docs/SCALE.md):
-- they say so, and how far behind the primary they may be.
--   standby    the server is in recovery (a standby)
--   lag_secs   0 on the primary, and on a standby that is streaming and has
--              replayed all it received; otherwise the age of the last
--              transaction it replayed (an idle primary makes this an upper
--              bound); NULL when it has replayed none yet
--   streaming  a WAL receiver runs (false: the standby lost its primary,
--              and the board's figures age from lag_secs on)
-- Only pg_catalog functions and the public pg_stat_wal_receiver (its pid,
-- which every login sees), so no SECURITY DEFINER is needed.
create or replace function board_source()
returns table (standby boolean, lag_secs double precision, streaming boolean)
language sql stable set search_path = pg_catalog, public, pg_temp as $$
	select r.standby,
	       case when not r.standby then 0::double precision
	            when r.streaming and pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() then 0::double precision
	            else extract(epoch from now() - pg_last_xact_replay_timestamp())::double precision end,
	       r.streaming
	from (select pg_is_in_recovery() as standby,
	             exists (select 1 from pg_stat_wal_receiver w where w.pid is not null) as streaming) r
$$;
revoke all on function board_source() from public;
grant execute on function board_source() to ccterm_supervisor, ccterm_admin;
