-- 110 the schema belongs to ccterm_owner, a role that is not a superuser and
-- cannot log in; the CTI adapter gets a group role of its own.
--
-- Every table (the migrator's bookkeeping too), view, sequence and function
-- of the schema moves to ccterm_owner, and the repeatable files are applied
-- as that role (src/db/migrate.c), so a SECURITY DEFINER function runs with
-- the rights of the schema's owner and never with a superuser's: a trick
-- that makes one run foreign code gains nothing a migration could not do.
-- ccterm_cti: the login a PBX / CTI adapter (ccterm-cti) connects as makes
-- calls arrive, answers and hangs up anyone's calls and sets agents' states.
do $$
declare
	r text;
begin
	foreach r in array array['ccterm_owner', 'ccterm_cti'] loop
		begin
			execute format('create role %I nologin', r);
		exception when duplicate_object or unique_violation then
			null;   -- made by an earlier run or another database of this cluster
		end;
	end loop;
	-- A migrator that is not a superuser (a CREATEROLE owner of the database)
	-- must be able to hand objects to ccterm_owner and to act as it.
	if not (select rolsuper from pg_roles where rolname = current_user) then
		execute format('grant ccterm_owner to %I', current_user);
	end if;
end $$;

alter schema public owner to ccterm_owner;

do $$
declare
	o record;
begin
	-- Tables, views and sequences no table owns (owned ones follow their table).
	for o in
		select c.oid::regclass as name, c.relkind
		from pg_class c
		where c.relnamespace = 'public'::regnamespace and c.relkind in ('r', 'p', 'v', 'm', 'S')
		  and not exists (select 1 from pg_depend d
		                  where d.classid = 'pg_class'::regclass and d.objid = c.oid and d.deptype in ('a', 'i'))
	loop
		execute format('alter %s %s owner to ccterm_owner',
		               case o.relkind when 'v' then 'view' when 'm' then 'materialized view'
		                              when 'S' then 'sequence' else 'table' end, o.name);
	end loop;
	for o in
		select p.oid::regprocedure as name
		from pg_proc p
		where p.pronamespace = 'public'::regnamespace
		  and not exists (select 1 from pg_depend d
		                  where d.classid = 'pg_proc'::regclass and d.objid = p.oid and d.deptype = 'e')
	loop
		execute format('alter routine %s owner to ccterm_owner', o.name);
	end loop;
end $$;

-- Nobody but the owner creates objects in the schema. (TEMP on the database
-- is revoked from PUBLIC by every migrate run: database privileges are not
-- copied from a template.)
revoke create on schema public from public;

-- Branch visibility asks "was this customer ever served at this branch?":
-- one index probe per customer.
create index interaction_branch_customer on interaction (branch_code, customer_id) where branch_code is not null;

-- Audit rows are written by SECURITY DEFINER functions, where current_user is
-- the owner: the login is the session's.
alter table audit_log alter column login set default session_user;
