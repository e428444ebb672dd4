-- 35_contact: Saving a contact the agent logged (idempotent per draft).
-- A repeatable file: applied after the numbered migrations whenever it changes.

-- Saves the contact the agent logged, once: the draft's uuid is the
-- interaction's idempotency key, so a second save (a retry after a lost
-- connection, a replayed journal) returns the first row and creates nothing.
-- With p_open_case a case is opened (due by the case SLA settings, owned by the agent,
-- high priority for platinum customers) and linked, in the same transaction.
-- The call, when it had no customer yet and is the agent's own, is linked
-- to this one. Written in the session's login, never in anyone else's.
create or replace function contact_save(p_draft uuid, p_customer bigint, p_call bigint,
	p_channel text, p_direction text, p_kind text, p_reason text, p_disposition text,
	p_subject text, p_body text, p_open_case boolean)
returns bigint language plpgsql volatile security definer set search_path = pg_catalog, public, pg_temp as $$
declare
	v_id bigint;
	v_case bigint;
	v_kind text := coalesce(nullif(p_kind, ''), case when p_open_case then 'complaint' else 'inquiry' end);
	v_subject text := nullif(btrim(coalesce(p_subject, '')), '');
	v_tier text;
begin
	if p_draft is null then
		raise exception 'contact has no draft id' using errcode = '22023';
	end if;
	select i.id into v_id from interaction i where i.idempotency_key = p_draft;
	if found then
		return v_id;
	end if;
	select c.tier into v_tier from customer c where c.id = p_customer and customer_visible(c.id);
	if not found then
		raise exception 'no such customer %', p_customer using errcode = '23503';
	end if;

	insert into interaction (customer_id, occurred_at, channel, direction, kind, subject, body, status,
	                         reason_code, disposition, agent_login, branch_code, call_id, idempotency_key)
	values (p_customer, now(), coalesce(nullif(p_channel, ''), 'phone'), coalesce(nullif(p_direction, ''), 'in'),
	        v_kind, v_subject, p_body, case when p_open_case then 'open' end,
	        nullif(p_reason, ''), nullif(p_disposition, ''), session_user,
	        (select a.branch_code from agent a where a.login = session_user), p_call, p_draft)
	on conflict (idempotency_key) do nothing
	returning id into v_id;
	if v_id is null then
		-- saved meanwhile by another session: that row is the answer
		select i.id into v_id from interaction i where i.idempotency_key = p_draft;
		return v_id;
	end if;

	if p_open_case then
		insert into cases (customer_id, kind, subject, status, priority, owner_login, due_at)
		values (p_customer, case when v_kind in ('complaint', 'inquiry', 'return') then v_kind else 'complaint' end,
		        coalesce(v_subject, 'Complaint'), 'open',
		        case when v_tier = 'platinum' then 'high' else 'normal' end,
		        session_user, null)   -- due from the case SLA settings (76_cases.sql)
		returning id into v_case;
		update interaction set case_id = v_case where id = v_id;
	end if;
	perform audit_write(p_customer, 'update', 'contact ' || v_id);
	if p_call is not null then
		update call set customer_id = p_customer
		where id = p_call and customer_id is null and (agent_login = session_user or access_is_cti());
	end if;
	return v_id;
end $$;
