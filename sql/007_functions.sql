-- 007 functions every client shares.

-- The customers a contact point belongs to: a phone (E.164, normalized by
-- the client's one normalizer), an e-mail, a card or web id. Several rows
-- mean a shared number; the console then asks, it never guesses.
create or replace function customers_by_contact(p_kind text, p_value text)
returns setof bigint language sql stable as $$
	select cc.customer_id
	from contact_point cp join customer_contact cc on cc.contact_point_id = cp.id
	where cp.kind = p_kind
	  and cp.value = case when p_kind = 'email' then lower(p_value) else p_value end
	order by cc.customer_id
$$;

-- The agent behind this connection, as the status bar shows them.
create or replace view agent_me as
	select a.login, a.name, a.branch_code, b.name as branch_name, a.role, a.state, a.state_since
	from agent a left join branch b on b.code = a.branch_code
	where a.login = current_user;

grant select on agent_me to ccterm_agent, ccterm_branch, ccterm_supervisor, ccterm_admin;
grant execute on function customers_by_contact(text, text) to ccterm_agent, ccterm_branch, ccterm_supervisor;

-- A call arrives (CTI): record it, find the caller when exactly one customer
-- has the number, and offer it to an agent when one is named. The agent's
-- console is woken by the call_notify trigger at commit.
create or replace function call_arrive(p_ani text, p_ani_e164 text, p_dnis text, p_queue text, p_agent text)
returns bigint language plpgsql as $$
declare
	v_queue integer;
	v_customer bigint;
	v_id bigint;
begin
	if p_queue is not null then
		select id into v_queue from queue where name = p_queue;
		if not found then
			raise exception 'unknown queue %', p_queue using errcode = '22023';
		end if;
	end if;
	if p_agent is not null and not exists (select 1 from agent where login = p_agent) then
		raise exception 'unknown agent %', p_agent using errcode = '22023';
	end if;
	if p_ani_e164 is not null then
		select min(c) into v_customer
		from customers_by_contact('phone', p_ani_e164) c
		having count(*) = 1;
	end if;
	insert into call (ani, ani_e164, dnis, queue_id, customer_id, agent_login, state, offered_at)
	values (p_ani, p_ani_e164, p_dnis, v_queue, v_customer, p_agent,
	        case when p_agent is null then 'queued' else 'offered' end,
	        case when p_agent is null then null else now() end)
	returning id into v_id;
	return v_id;
end $$;

grant execute on function call_arrive(text, text, text, text, text) to ccterm_agent, ccterm_supervisor;
