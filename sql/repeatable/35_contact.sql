-- 35_contact: Saving a contact the agent logged (idempotent per draft).
-- A repeatable file: applied after the numbered migrations whenever it changes.

-- Saves the contact the agent logged. The draft's uuid is the interaction's
-- idempotency key: the first save inserts the row; every later save of the
-- same draft (F10 again after typing on, a retry after a lost connection,
-- a draft restored from the journal) updates that row with the latest text
-- and returns it, so there is one row per draft holding what was typed last.
-- Only the login who saved a draft may save it again. The row keeps its
-- first occurred_at, customer and call.
-- With p_open_case a case is opened (due by the case SLA settings, owned by the agent,
-- high priority for platinum customers) and linked, in the same transaction,
-- once per draft. The call, when it had no customer yet and is the agent's
-- own, is linked to this one. Written in the session's login, never in
-- anyone else's; each change audited.
create or replace function contact_save(p_draft uuid, p_customer bigint, p_call bigint,
	p_channel text, p_direction text, p_kind text, p_reason text, p_disposition text,
	p_subject text, p_body text, p_open_case boolean)
returns bigint language plpgsql volatile security definer set search_path = pg_catalog, public, pg_temp as $$
declare
	v_id bigint;
	v_case bigint;
	v_owner text;
	v_customer bigint;
	v_changed integer := 0;
	v_channel text := coalesce(nullif(p_channel, ''), 'phone');
	v_direction text := coalesce(nullif(p_direction, ''), 'in');
	v_kind text := coalesce(nullif(p_kind, ''), case when p_open_case then 'complaint' else 'inquiry' end);
	v_subject text := nullif(btrim(coalesce(p_subject, '')), '');
	v_tier text;
begin
	if p_draft is null then
		raise exception 'contact has no draft id' using errcode = '22023';
	end if;
	select i.id, i.agent_login, i.customer_id, i.case_id into v_id, v_owner, v_customer, v_case
	from interaction i where i.idempotency_key = p_draft for update;
	if not found then
		select c.tier into v_tier from customer c where c.id = p_customer and customer_visible(c.id);
		if not found then
			raise exception 'no such customer %', p_customer using errcode = '23503';
		end if;
		insert into interaction (customer_id, occurred_at, channel, direction, kind, subject, body, status,
		                         reason_code, disposition, agent_login, branch_code, call_id, idempotency_key)
		values (p_customer, now(), v_channel, v_direction, v_kind, v_subject, p_body,
		        case when p_open_case then 'open' end, nullif(p_reason, ''), nullif(p_disposition, ''),
		        session_user, (select a.branch_code from agent a where a.login = session_user), p_call, p_draft)
		on conflict (idempotency_key) where idempotency_key is not null do nothing
		returning id into v_id;
		if v_id is null then
			-- saved meanwhile by another session: update that row below
			select i.id, i.agent_login, i.customer_id, i.case_id into v_id, v_owner, v_customer, v_case
			from interaction i where i.idempotency_key = p_draft for update;
		else
			v_owner := session_user;
			v_customer := p_customer;
			v_changed := 1;
		end if;
	end if;
	if v_owner is distinct from session_user then
		raise exception 'contact % was saved by another agent', v_id using errcode = '42501';
	end if;
	-- A later save: the latest text of the same draft (a first save rewrites nothing).
	if v_changed = 0 then
		update interaction set channel = v_channel, direction = v_direction, kind = v_kind, subject = v_subject,
		       body = p_body, reason_code = nullif(p_reason, ''), disposition = nullif(p_disposition, '')
		where id = v_id
		  and (channel, direction, kind, subject, body, reason_code, disposition)
		      is distinct from (v_channel, v_direction, v_kind, v_subject, p_body,
		                        nullif(p_reason, ''), nullif(p_disposition, ''));
		get diagnostics v_changed = row_count;
	end if;

	if p_open_case and v_case is null then
		select c.tier into v_tier from customer c where c.id = v_customer;
		insert into cases (customer_id, kind, subject, status, priority, owner_login, due_at)
		values (v_customer, case when v_kind in ('complaint', 'inquiry', 'return') then v_kind else 'complaint' end,
		        coalesce(v_subject, 'Complaint'), 'open',
		        case when v_tier = 'platinum' then 'high' else 'normal' end,
		        session_user, null)   -- due from the case SLA settings (76_cases.sql)
		returning id into v_case;
		update interaction set case_id = v_case, status = coalesce(status, 'open') where id = v_id;
		v_changed := 1;
	end if;
	if v_changed > 0 then
		perform audit_write(v_customer, 'update', 'contact ' || v_id);
	end if;
	if p_call is not null then
		update call set customer_id = v_customer
		where id = p_call and customer_id is null and (agent_login = session_user or access_is_cti());
	end if;
	return v_id;
end $$;
