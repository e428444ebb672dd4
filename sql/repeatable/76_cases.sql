-- 76_cases: following cases up: SLA from kind and priority, every change an
-- audited row (case_event, written by triggers whichever path changed the
-- case), escalation pushed by NOTIFY, the SLA watch, and the functions a case
-- screen calls (README, "Cases").
-- A repeatable file: applied after the numbered migrations whenever it changes.
--
-- NOTIFY payloads (at commit):
--   agent_<owner>  'case <id> <event>'  event: opened, assigned, escalated, warned, overdue, closed
--   floor          'case'               any case changed (supervisors' boards re-read)
--   followup_watch ''                   a deadline moved (wakes `ccterm-admin case-watch`)

-- SLA hours for a kind and priority: case_sla_<kind>_<priority>, else
-- case_sla_<priority>, else 48.
create or replace function case_sla_hours(p_kind text, p_priority text) returns double precision
language sql stable set search_path = pg_catalog, public, pg_temp as $$
	select coalesce((select value::double precision from settings where key = 'case_sla_' || p_kind || '_' || p_priority),
	                (select value::double precision from settings where key = 'case_sla_' || p_priority), 48)
$$;

create or replace function case_no(p_id bigint) returns text
language sql immutable as $$ select 'C-' || p_id $$;

-- When the SLA watch escalates: case_escalate_pct of the way from opening to due.
create or replace function case_warn_at(p_opened timestamptz, p_due timestamptz) returns timestamptz
language sql stable set search_path = pg_catalog, public, pg_temp as $$
	select p_opened + (p_due - p_opened) * (setting_num('case_escalate_pct', 80) / 100.0)
$$;

-- closed, breached (past due), warning (past the escalation point), ok, or none (no due time).
create or replace function case_sla_state(p_status text, p_opened timestamptz, p_due timestamptz)
returns text language sql stable set search_path = pg_catalog, public, pg_temp as $$
	select case when p_status = 'closed' then 'closed'
	            when p_due is null then 'none'
	            when now() >= p_due then 'breached'
	            when now() >= case_warn_at(p_opened, p_due) then 'warning'
	            else 'ok' end
$$;

-- Who made a change: the SLA watch says "sla"; otherwise the session's login
-- (inside a SECURITY DEFINER function current_user is the owner).
create or replace function case_actor() returns text
language sql stable set search_path = pg_catalog, public, pg_temp as $$
	select coalesce(nullif(current_setting('ccterm.case_actor', true), ''), session_user)
$$;

-- Supervisors and admins see and change every case.
create or replace function case_is_supervisor() returns boolean
language sql stable set search_path = pg_catalog, public, pg_temp as $$
	select pg_has_role(session_user, 'ccterm_supervisor', 'MEMBER') or pg_has_role(session_user, 'ccterm_admin', 'MEMBER')
$$;

-- May this login see this customer's cases? The rule of 05_access.sql.
create or replace function case_customer_visible(p_customer bigint) returns boolean
language sql stable security definer set search_path = pg_catalog, public, pg_temp as $$
	select customer_visible(p_customer)
$$;

-- My team: me and every agent who serves one of my queues.
create or replace function case_team_logins() returns setof text
language sql stable security definer set search_path = pg_catalog, public, pg_temp as $$
	select session_user::text
	union
	select b.login from agent_queue a join agent_queue b on b.queue_id = a.queue_id where a.login = session_user
$$;

-- The case, if this login may see it; else 'no such case' (a case of a
-- customer one may not see does not exist for them).
create or replace function case_get(p_case bigint) returns cases
language plpgsql stable security definer set search_path = pg_catalog, public, pg_temp as $$
declare
	c cases;
begin
	select * into c from cases where id = p_case;
	if not found or not case_customer_visible(c.customer_id) then
		raise exception 'no such case %', p_case using errcode = 'P0002';
	end if;
	return c;
end $$;

-- Changes to a case by its owner or a supervisor only.
create or replace function case_check_owner(c cases) returns void
language plpgsql stable set search_path = pg_catalog, public, pg_temp as $$
begin
	if c.owner_login is distinct from session_user::text and not case_is_supervisor() then
		raise exception 'case % is %''s: only its owner or a supervisor may change it', c.id,
			coalesce(c.owner_login, 'nobody') using errcode = '42501';
	end if;
end $$;

-- The reason the next change gives (case_event.note), for this transaction.
create or replace function case_note_set(p_note text) returns void
language sql volatile set search_path = pg_catalog, public, pg_temp as $$
	select set_config('ccterm.case_note', coalesce(nullif(btrim(p_note), ''), ''), true)
$$;

-- --- triggers -------------------------------------------------------------

-- Before a case is written: the due time from its kind and priority (unless
-- given), a new due time when kind or priority change, the closing fields.
create or replace function case_before_write() returns trigger
language plpgsql set search_path = pg_catalog, public, pg_temp as $$
begin
	new.updated_at := now();
	if tg_op = 'INSERT' then
		new.due_at := coalesce(new.due_at, new.opened_at + make_interval(secs => case_sla_hours(new.kind, new.priority) * 3600));
	elsif (new.priority, new.kind) is distinct from (old.priority, old.kind) and new.due_at is not distinct from old.due_at then
		new.due_at := new.opened_at + make_interval(secs => case_sla_hours(new.kind, new.priority) * 3600);
	end if;
	if tg_op = 'UPDATE' and new.due_at is distinct from old.due_at then
		-- a later deadline is watched afresh
		if new.due_at is null or case_warn_at(new.opened_at, new.due_at) > now() then
			new.warned_at := null;
		end if;
		if new.due_at is null or new.due_at > now() then
			new.breached_at := null;
		end if;
	end if;
	if new.status = 'closed' then
		new.closed_at := coalesce(new.closed_at, now());
	elsif tg_op = 'UPDATE' and old.status = 'closed' then
		new.closed_at := null;
		new.resolution_code := null;
	end if;
	if new.status = 'escalated' and (tg_op = 'INSERT' or old.status <> 'escalated') then
		new.escalated_at := now();
	end if;
	return new;
end $$;

create or replace trigger case_before_write before insert or update on cases
	for each row execute function case_before_write();

create or replace function case_event_add(p_case bigint, p_event text, p_old text, p_new text) returns void
language sql volatile set search_path = pg_catalog, public, pg_temp as $$
	insert into case_event (case_id, login, event, old_value, new_value, note)
	values (p_case, case_actor(), p_event, p_old, p_new, nullif(current_setting('ccterm.case_note', true), ''))
$$;

create or replace function case_tell_owner(p_owner text, p_case bigint, p_event text) returns void
language sql volatile set search_path = pg_catalog, public, pg_temp as $$
	select pg_notify('agent_' || p_owner, format('case %s %s', p_case, p_event)) where p_owner is not null
$$;

-- After a case is written: one case_event row per change, and the NOTIFYs.
create or replace function case_after_write() returns trigger
language plpgsql security definer set search_path = pg_catalog, public, pg_temp as $$
begin
	if tg_op = 'INSERT' then
		perform case_event_add(new.id, 'opened', null, new.owner_login);
		if new.status = 'escalated' then
			perform case_event_add(new.id, 'escalated', null, 'escalated');
		end if;
		if current_setting('ccterm.bulk', true) is distinct from 'on' then
			perform case_tell_owner(new.owner_login, new.id, case when new.status = 'escalated' then 'escalated' else 'opened' end);
		end if;
	else
		if new.owner_login is distinct from old.owner_login then
			perform case_event_add(new.id, 'assigned', old.owner_login, new.owner_login);
			perform case_tell_owner(new.owner_login, new.id, 'assigned');
		end if;
		if new.priority is distinct from old.priority then
			perform case_event_add(new.id, 'priority', old.priority, new.priority);
		end if;
		if new.due_at is distinct from old.due_at then
			perform case_event_add(new.id, 'due', old.due_at::text, new.due_at::text);
		end if;
		if new.status is distinct from old.status then
			perform case_event_add(new.id,
				case when new.status = 'escalated' then 'escalated' when new.status = 'closed' then 'closed'
				     when old.status = 'closed' then 'reopened' else 'status' end,
				old.status, case when new.status = 'closed' then coalesce(new.resolution_code, 'closed') else new.status end);
			if new.status in ('escalated', 'closed') then
				perform case_tell_owner(new.owner_login, new.id, new.status);
			end if;
		end if;
		if new.warned_at is not null and old.warned_at is null and new.status is not distinct from old.status then
			perform case_event_add(new.id, 'warned', null, new.due_at::text);
			perform case_tell_owner(new.owner_login, new.id, 'warned');
		end if;
		if new.breached_at is not null and old.breached_at is null then
			perform case_event_add(new.id, 'overdue', null, new.due_at::text);
			perform case_tell_owner(new.owner_login, new.id, 'overdue');
		end if;
	end if;
	if current_setting('ccterm.bulk', true) = 'on' then
		return null;   -- a bulk load (demo data, imports): the history rows, no pushes
	end if;
	perform pg_notify('floor', 'case');
	if tg_op = 'INSERT' or (new.due_at, new.status) is distinct from (old.due_at, old.status) then
		perform pg_notify('followup_watch', '');
	end if;
	return null;
end $$;

create or replace trigger case_after_write after insert or update on cases
	for each row execute function case_after_write();

-- A contact saved with disposition "escalated" escalates its case (a closed
-- one is reopened escalated). contact_save links the case after inserting
-- the contact, so a change of case_id counts too. A bulk load of history
-- (ccterm.bulk = on: demo data) changes no case.
create or replace function case_escalate_on_contact() returns trigger
language plpgsql security definer set search_path = pg_catalog, public, pg_temp as $$
begin
	if current_setting('ccterm.bulk', true) = 'on' then
		return null;   -- history being loaded (demo data, imports) changes no case
	end if;
	if new.disposition = 'escalated' and new.case_id is not null
	   and (tg_op = 'INSERT' or old.disposition is distinct from new.disposition or old.case_id is distinct from new.case_id) then
		perform case_note_set(format('contact %s saved as escalated', new.id));
		update cases set status = 'escalated' where id = new.case_id and status <> 'escalated';
		perform case_note_set(null);
	end if;
	return null;
end $$;

-- The WHEN clause keeps every other row (an import's million) from queueing
-- an event and calling the function at all: half an import's time otherwise.
create or replace trigger case_escalate_on_contact after insert or update of disposition, case_id on interaction
	for each row when (new.disposition = 'escalated' and new.case_id is not null)
	execute function case_escalate_on_contact();

-- --- the SLA watch (`ccterm-admin case-watch`) ---------------------------

-- Escalates the open cases past case_escalate_pct of their SLA (status
-- escalated, or a 'warned' event when they already were) and marks the ones
-- past due (an 'overdue' event); each pushed to the owner and the floor.
-- Returns how many events it raised. Safe to run from several processes.
create or replace function case_sla_check() returns integer
language plpgsql volatile security definer set search_path = pg_catalog, public, pg_temp as $$
declare
	n integer;
	m integer;
begin
	perform set_config('ccterm.case_actor', 'sla', true);
	perform case_note_set(format('%s%% of the SLA elapsed', setting_num('case_escalate_pct', 80)));
	update cases c set warned_at = now(),
	                   status = case when c.status in ('open', 'pending') then 'escalated' else c.status end
	where c.id in (select k.id from cases k
	               where k.status <> 'closed' and k.warned_at is null and k.due_at is not null
	                 and case_warn_at(k.opened_at, k.due_at) <= now()
	               for update skip locked);
	get diagnostics n = row_count;
	perform case_note_set('past its due time');
	update cases c set breached_at = now()
	where c.id in (select k.id from cases k
	               where k.status <> 'closed' and k.breached_at is null and k.due_at <= now()
	               for update skip locked);
	get diagnostics m = row_count;
	perform case_note_set(null);
	perform set_config('ccterm.case_actor', '', true);
	return n + m;
end $$;

-- The next moment case_sla_check has something to do (NULL: nothing pending).
create or replace function case_sla_next() returns timestamptz
language sql stable security definer set search_path = pg_catalog, public, pg_temp as $$
	select min(t) from (
		select case when k.warned_at is null then case_warn_at(k.opened_at, k.due_at) end as t
		from cases k where k.status <> 'closed' and k.due_at is not null and k.warned_at is null
		union all
		select k.due_at from cases k where k.status <> 'closed' and k.due_at is not null and k.breached_at is null
	) x
$$;

-- --- what a case screen calls -----------------------------------------------

-- The case list: scope 'mine', 'team' (me and those who share a queue with
-- me) or 'all' (supervisors); status NULL or '' = not closed, 'any', or one
-- status; sla NULL or '' = any, else ok, warning, breached, none; sorted by
-- due time (none last), at most p_limit rows.
drop function if exists case_list(text, text, text, integer);
create function case_list(p_scope text, p_status text, p_sla text, p_limit integer default 200)
returns table (id bigint, case_no text, customer_id bigint, customer_name text, kind text, subject text,
	status text, priority text, owner_login text, owner_name text, opened_at timestamptz, due_at timestamptz,
	sla_state text, minutes_left integer)
language plpgsql stable security definer set search_path = pg_catalog, public, pg_temp as $$
begin
	if coalesce(p_scope, 'mine') not in ('mine', 'team', 'all') then
		raise exception 'case list scope is mine, team or all, not %', p_scope using errcode = '22023';
	end if;
	if p_scope = 'all' and not case_is_supervisor() then
		raise exception 'all cases are for supervisors' using errcode = '42501';
	end if;
	return query
	select k.id, case_no(k.id), k.customer_id, cu.name, k.kind, k.subject, k.status, k.priority, k.owner_login,
	       a.name, k.opened_at, k.due_at, s.state,
	       case when k.due_at is not null then floor(extract(epoch from k.due_at - now()) / 60)::integer end
	from cases k
	join customer cu on cu.id = k.customer_id
	left join agent a on a.login = k.owner_login
	cross join lateral (select case_sla_state(k.status, k.opened_at, k.due_at) as state) s
	where case coalesce(p_scope, 'mine')
	          when 'mine' then k.owner_login = session_user
	          when 'team' then k.owner_login in (select t from case_team_logins() t)
	          else true end
	  and case coalesce(nullif(p_status, ''), 'not closed')
	          when 'not closed' then k.status <> 'closed'
	          when 'any' then true
	          else k.status = p_status end
	  and (nullif(p_sla, '') is null or s.state = p_sla)
	  and case_customer_visible(k.customer_id)
	order by k.due_at nulls last, k.id
	limit greatest(coalesce(p_limit, 200), 1);
end $$;

-- My open cases by SLA state, for the status bar.
drop function if exists case_counts_mine();
create function case_counts_mine()
returns table (open integer, warning integer, breached integer, escalated integer)
language sql stable security definer set search_path = pg_catalog, public, pg_temp as $$
	select count(*)::integer,
	       count(*) filter (where case_sla_state(k.status, k.opened_at, k.due_at) = 'warning')::integer,
	       count(*) filter (where case_sla_state(k.status, k.opened_at, k.due_at) = 'breached')::integer,
	       count(*) filter (where k.status = 'escalated')::integer
	from cases k where k.owner_login = session_user and k.status <> 'closed'
$$;

-- One case with its customer, owner and SLA; the view is audited.
drop function if exists case_detail(bigint);
create function case_detail(p_case bigint)
returns table (id bigint, case_no text, customer_id bigint, customer_name text, kind text, subject text,
	status text, priority text, owner_login text, owner_name text, opened_at timestamptz, due_at timestamptz,
	closed_at timestamptz, resolution_code text, resolution_label text, escalated_at timestamptz,
	sla_state text, minutes_left integer, sla_elapsed_pct integer)
language plpgsql volatile security definer set search_path = pg_catalog, public, pg_temp as $$
declare
	c cases := case_get(p_case);
begin
	perform audit_write(c.customer_id, 'view', 'case ' || c.id);
	return query
	select c.id, case_no(c.id), c.customer_id, cu.name, c.kind, c.subject, c.status, c.priority, c.owner_login,
	       a.name, c.opened_at, c.due_at, c.closed_at, c.resolution_code, r.label, c.escalated_at,
	       case_sla_state(c.status, c.opened_at, c.due_at),
	       case when c.due_at is not null then floor(extract(epoch from c.due_at - now()) / 60)::integer end,
	       case when c.due_at > c.opened_at then
	            floor(100 * extract(epoch from coalesce(c.closed_at, now()) - c.opened_at)
	                      / extract(epoch from c.due_at - c.opened_at))::integer end
	from customer cu
	left join agent a on a.login = c.owner_login
	left join case_resolution r on r.code = c.resolution_code
	where cu.id = c.customer_id;
end $$;

-- Who changed what when, oldest first.
drop function if exists case_history(bigint);
create function case_history(p_case bigint)
returns table (at timestamptz, login text, event text, old_value text, new_value text, note text)
language plpgsql stable security definer set search_path = pg_catalog, public, pg_temp as $$
begin
	perform case_get(p_case);
	return query select e.at, e.login, e.event, e.old_value, e.new_value, e.note
	             from case_event e where e.case_id = p_case order by e.at, e.id;
end $$;

-- The contacts linked to the case (and the replies sent), newest first.
drop function if exists case_interactions(bigint);
create function case_interactions(p_case bigint)
returns table (id bigint, occurred_at timestamptz, channel text, direction text, kind text, subject text,
	agent_login text, disposition text, message_id text)
language plpgsql stable security definer set search_path = pg_catalog, public, pg_temp as $$
begin
	perform case_get(p_case);
	return query select i.id, i.occurred_at, i.channel, i.direction, i.kind, i.subject, i.agent_login,
	                    i.disposition, i.message_id
	             from interaction i where i.case_id = p_case order by i.occurred_at desc, i.id desc;
end $$;

-- Opens a case (the owner defaults to me); returns its id.
drop function if exists case_open(bigint, text, text, text, text);
create function case_open(p_customer bigint, p_kind text, p_subject text, p_priority text default 'normal',
	p_owner text default null)
returns bigint language plpgsql volatile security definer set search_path = pg_catalog, public, pg_temp as $$
declare
	v_id bigint;
begin
	if not exists (select 1 from customer where id = p_customer) or not case_customer_visible(p_customer) then
		raise exception 'no such customer %', p_customer using errcode = '23503';
	end if;
	if p_owner is not null and not exists (select 1 from agent where login = p_owner) then
		raise exception 'no such agent %', p_owner using errcode = '23503';
	end if;
	insert into cases (customer_id, kind, subject, priority, owner_login)
	values (p_customer, coalesce(nullif(p_kind, ''), 'complaint'), coalesce(nullif(btrim(p_subject), ''), 'Case'),
	        coalesce(nullif(p_priority, ''), 'normal'), coalesce(p_owner, session_user))
	returning id into v_id;
	perform audit_write(p_customer, 'create', 'case ' || v_id);
	return v_id;
end $$;

-- The one way the functions below change a case: the checks, the note for
-- the event rows, the customer's audit row.
create or replace function case_change(p_case bigint, p_owner_only boolean, p_note text, p_what text)
returns cases language plpgsql volatile security definer set search_path = pg_catalog, public, pg_temp as $$
declare
	c cases;
begin
	select * into c from cases where id = p_case for update;
	if not found or not case_customer_visible(c.customer_id) then
		raise exception 'no such case %', p_case using errcode = 'P0002';
	end if;
	if p_owner_only then
		perform case_check_owner(c);
	end if;
	perform case_note_set(p_note);
	perform audit_write(c.customer_id, 'update', format('case %s %s', c.id, p_what));
	return c;
end $$;

-- Reassigns a case to another agent (its owner or a supervisor).
drop function if exists case_assign(bigint, text, text);
create function case_assign(p_case bigint, p_owner text, p_note text default null) returns void
language plpgsql volatile security definer set search_path = pg_catalog, public, pg_temp as $$
begin
	if not exists (select 1 from agent where login = p_owner) then
		raise exception 'no such agent %', p_owner using errcode = '23503';
	end if;
	perform case_change(p_case, true, p_note, 'assigned to ' || p_owner);
	update cases set owner_login = p_owner where id = p_case;
	perform case_note_set(null);
end $$;

-- A new priority; the due time follows it (opened + the SLA of kind and priority).
drop function if exists case_set_priority(bigint, text, text);
create function case_set_priority(p_case bigint, p_priority text, p_note text default null) returns void
language plpgsql volatile security definer set search_path = pg_catalog, public, pg_temp as $$
begin
	perform case_change(p_case, true, p_note, 'priority ' || p_priority);
	update cases set priority = p_priority where id = p_case;
	perform case_note_set(null);
end $$;

-- Escalates a case (anyone who sees it); an escalated case stays so.
drop function if exists case_escalate(bigint, text);
create function case_escalate(p_case bigint, p_note text default null) returns void
language plpgsql volatile security definer set search_path = pg_catalog, public, pg_temp as $$
declare
	c cases := case_change(p_case, false, p_note, 'escalated');
begin
	if c.status = 'escalated' then
		perform case_event_add(p_case, 'note', null, null);
	else
		update cases set status = 'escalated' where id = p_case;
	end if;
	perform case_note_set(null);
end $$;

-- A note on the case's history (anyone who sees it).
drop function if exists case_add_note(bigint, text);
create function case_add_note(p_case bigint, p_note text) returns void
language plpgsql volatile security definer set search_path = pg_catalog, public, pg_temp as $$
begin
	if nullif(btrim(coalesce(p_note, '')), '') is null then
		raise exception 'a note needs text' using errcode = '22023';
	end if;
	perform case_change(p_case, false, p_note, 'note');
	perform case_event_add(p_case, 'note', null, null);
	update cases set updated_at = now() where id = p_case;
	perform case_note_set(null);
end $$;

-- Closes a case with a resolution code (its owner or a supervisor).
drop function if exists case_close(bigint, text, text);
create function case_close(p_case bigint, p_resolution text, p_note text default null) returns void
language plpgsql volatile security definer set search_path = pg_catalog, public, pg_temp as $$
declare
	c cases;
begin
	if not exists (select 1 from case_resolution where code = p_resolution) then
		raise exception 'no such resolution code %', coalesce(p_resolution, '(none)') using errcode = '23503';
	end if;
	c := case_change(p_case, true, p_note, 'closed ' || p_resolution);
	if c.status = 'closed' then
		raise exception 'case % is already closed', p_case using errcode = '55000';
	end if;
	update cases set status = 'closed', resolution_code = p_resolution where id = p_case;
	perform case_note_set(null);
end $$;

-- Reopens a closed case (its owner or a supervisor).
drop function if exists case_reopen(bigint, text);
create function case_reopen(p_case bigint, p_note text default null) returns void
language plpgsql volatile security definer set search_path = pg_catalog, public, pg_temp as $$
begin
	perform case_change(p_case, true, p_note, 'reopened');
	update cases set status = 'open' where id = p_case and status = 'closed';
	perform case_note_set(null);
end $$;
