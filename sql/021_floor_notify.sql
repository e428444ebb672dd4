-- 021 one channel, 'floor', for everything a supervisor's boards show: a call
-- changing state, an agent changing state. The payload says which; NOTIFY
-- folds equal payloads within a transaction, and the console coalesces
-- bursts, so a busy floor costs the wallboard at most ~10 refreshes a second.
create or replace function floor_notify() returns trigger
language plpgsql as $$
begin
	if tg_op = 'INSERT' or old.state is distinct from new.state then
		perform pg_notify('floor', tg_table_name);
		-- the agent's own console learns its new state (set by CTI or routing)
		if tg_table_name = 'agent' then
			perform pg_notify('agent_' || new.login, 'state');
		end if;
	end if;
	return null;
end $$;

create trigger agent_floor_notify after insert or update of state on agent
	for each row execute function floor_notify();
create trigger call_floor_notify after insert or update of state on call
	for each row execute function floor_notify();
