-- 310 ccterm_relay: the group role of the login ccterm-relayd connects as.
-- It LISTENs (no right needed) and asks relay_channels() which channels a
-- console's agent may hear; it reads nothing else.
do $$
begin
	create role ccterm_relay nologin;
exception when duplicate_object or unique_violation then
	null;   -- made by an earlier run or another database of this cluster
end $$;
