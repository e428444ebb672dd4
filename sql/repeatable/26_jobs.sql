-- 26_jobs: what the long `ccterm-admin` jobs (import, recompute, demo-data)
-- need on the server: their progress, and the import's refresh of figures.
-- A repeatable file: applied after the numbered migrations whenever it changes.

-- Progress of a long statement for the progress line of `ccterm-admin`
-- (src/db/progress_notice.c): DONE of TOTAL steps, and the phase, as a notice, only
-- when the session watches (ccterm.progress = on, set by the job). Never to
-- a console: nothing else sets it.
create or replace function job_progress(p_done bigint, p_total bigint, p_phase text) returns void
language plpgsql as $$
declare
	v_level text;
begin
	if current_setting('ccterm.progress', true) is distinct from 'on' then
		return;
	end if;
	v_level := current_setting('client_min_messages');
	perform set_config('client_min_messages', 'notice', true);
	raise notice 'ccterm-progress % % steps %', p_done, p_total, p_phase;
	perform set_config('client_min_messages', v_level, true);
end $$;
-- called by customer_metrics_refresh: as its owner (triggers) or an admin (recompute)
revoke all on function job_progress(bigint, bigint, text) from public;
grant execute on function job_progress(bigint, bigint, text) to ccterm_admin;

-- An import loads interactions with the figures' statement trigger held back
-- (ccterm.bulk, one chunk after another) and then refreshes the customers it
-- touched once, as the trigger would have for one statement: as the owner,
-- like the trigger, since an admin may not run the figures' helpers itself.
create or replace function import_metrics_refresh(p_ids bigint[]) returns integer
language plpgsql security definer set search_path = pg_catalog, public, pg_temp as $$
begin
	if p_ids is null or cardinality(p_ids) = 0 then
		return 0;
	end if;
	-- a huge import is cheaper as one pass over everyone (customer_metrics_touch)
	return customer_metrics_refresh(case when cardinality(p_ids) > 20000 then null else p_ids end);
end $$;
revoke all on function import_metrics_refresh(bigint[]) from public;
grant execute on function import_metrics_refresh(bigint[]) to ccterm_admin;
