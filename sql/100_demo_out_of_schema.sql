-- 100 the demo-data generator is not part of the schema. Migration 090 installed
-- it in public; it now lives in sql/demo/ and `ccterm-admin demo-data` loads it
-- into a scratch schema for the one run. Remove what 090 left behind.
do $$
declare f regprocedure;
begin
	for f in select p.oid::regprocedure from pg_proc p
		 where p.pronamespace = 'public'::regnamespace and p.proname like 'demo\_%' loop
		execute format('drop function %s', f);
	end loop;
end $$;
