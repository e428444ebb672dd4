-- 001 roles: the group roles every ccterm login belongs to.
-- Roles are cluster-wide, so they are created only when missing; agents
-- themselves are login roles made by `ccterm-admin agent add`.
do $$
declare r text;
begin
	foreach r in array array['ccterm_agent', 'ccterm_branch', 'ccterm_supervisor', 'ccterm_admin'] loop
		begin
			execute format('create role %I nologin', r);
		exception when duplicate_object or unique_violation then
			null;   -- made by an earlier run or another database of this cluster
		end;
	end loop;
end $$;
