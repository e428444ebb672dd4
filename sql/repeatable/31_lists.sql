-- 31_lists: the lists every console's form offers (contact reasons, outcomes,
-- pause reasons) are read once at connect; a change to any of them is told
-- on the 'lists' channel so consoles read them again, without a restart and
-- without polling. The payload names the table; consoles do not trust it
-- (anyone may NOTIFY): it only makes them re-read.
-- A repeatable file: applied after the numbered migrations whenever it changes.

create or replace function lists_notify() returns trigger
language plpgsql as $$
begin
	perform pg_notify('lists', tg_table_name);
	return null;
end $$;

create or replace trigger reason_code_lists_notify after insert or update or delete or truncate on reason_code
	for each statement execute function lists_notify();
create or replace trigger disposition_lists_notify after insert or update or delete or truncate on disposition
	for each statement execute function lists_notify();
create or replace trigger pause_reason_lists_notify after insert or update or delete or truncate on pause_reason
	for each statement execute function lists_notify();
