-- 77_mail: e-mail replies: templates rendered for a case, the outbox queued
-- by agents and emptied by `ccterm-admin mail-send` (README, "E-mail replies").
-- A repeatable file: applied after the numbered migrations whenever it changes.
--
-- NOTIFY mail_outbox '<id>' at commit when a message is queued (wakes mail-send --follow).
--
-- At most once: mail-send claims a message (queued -> sending, attempts + 1,
-- committed) before it hands it to the MTA, and records the outcome after.
-- A crash in between leaves it 'sending'; mail_recover_stale() turns such a
-- row into 'failed' ("interrupted") and nothing resends it unless a person
-- looks at the MTA's log and calls mail_requeue(). Its Message-ID was fixed
-- when it was queued, so even then a receiver sees the same message twice,
-- not two messages.

-- The customer's e-mail address (the newest e-mail contact point).
create or replace function mail_customer_address(p_customer bigint) returns text
language sql stable security definer set search_path = pg_catalog, public, pg_temp as $$
	select p.value from customer_contact cc join contact_point p on p.id = cc.contact_point_id
	where cc.customer_id = p_customer and p.kind = 'email'
	order by p.id desc limit 1
$$;

-- The order a reply is about: the newest order linked to the case's
-- contacts, else the customer's newest order.
create or replace function mail_case_order_no(p_customer bigint, p_case bigint) returns text
language sql stable security definer set search_path = pg_catalog, public, pg_temp as $$
	select coalesce(
		(select o.order_no from interaction i join orders o on o.id = i.order_id
		 where i.case_id = p_case order by i.occurred_at desc, i.id desc limit 1),
		(select o.order_no from orders o where o.customer_id = p_customer order by o.ordered_at desc, o.id desc limit 1),
		'')
$$;

-- Fills a template text's fields for a customer and (optionally) a case.
create or replace function mail_fill(p_text text, p_customer bigint, p_case bigint) returns text
language plpgsql stable security definer set search_path = pg_catalog, public, pg_temp as $$
declare
	k cases;
	v_tz text := coalesce((select value from settings where key = 'timezone'), 'Asia/Seoul');
	v text := p_text;
begin
	select * into k from cases where id = p_case;
	v := replace(v, '{customer_name}', coalesce((select name from customer where id = p_customer), ''));
	v := replace(v, '{case_no}', coalesce(case_no(k.id), ''));
	v := replace(v, '{case_subject}', coalesce(k.subject, ''));
	v := replace(v, '{order_no}', mail_case_order_no(p_customer, p_case));
	v := replace(v, '{agent_name}', coalesce((select name from agent where login = session_user), session_user));
	v := replace(v, '{company_name}', coalesce((select value from settings where key = 'company_name'), ''));
	v := replace(v, '{due_date}', coalesce(to_char(k.due_at at time zone v_tz, 'YYYY-MM-DD'), ''));
	v := replace(v, '{today}', to_char(now() at time zone v_tz, 'YYYY-MM-DD'));
	return v;
end $$;

-- What the reply editor starts from: a template rendered for a case (or for
-- the customer of the e-mail interaction answered, p_reply_to), the address,
-- and the Message-ID it will answer.
drop function if exists mail_render(text, bigint, bigint);
create function mail_render(p_template text, p_case bigint, p_reply_to bigint default null)
returns table (to_addr text, subject text, body text, in_reply_to text)
language plpgsql stable security definer set search_path = pg_catalog, public, pg_temp as $$
declare
	t mail_template;
	v_customer bigint;
begin
	select * into t from mail_template m where m.code = p_template and m.active;
	if not found then
		raise exception 'no such template %', p_template using errcode = 'P0002';
	end if;
	if p_case is not null then
		v_customer := (case_get(p_case)).customer_id;
	else
		select i.customer_id into v_customer from interaction i where i.id = p_reply_to;
		if v_customer is null or not case_customer_visible(v_customer) then
			raise exception 'no such interaction %', p_reply_to using errcode = 'P0002';
		end if;
	end if;
	return query select mail_customer_address(v_customer), mail_fill(t.subject, v_customer, p_case),
	                    mail_fill(t.body, v_customer, p_case), mail_reply_target(p_case, p_reply_to);
end $$;

-- The Message-ID a reply answers: the given e-mail interaction's, else the
-- newest inbound e-mail of the case that has one.
create or replace function mail_reply_target(p_case bigint, p_reply_to bigint) returns text
language sql stable security definer set search_path = pg_catalog, public, pg_temp as $$
	select coalesce(
		(select i.message_id from interaction i where i.id = p_reply_to),
		(select i.message_id from interaction i
		 where p_reply_to is null and i.case_id = p_case and i.channel = 'email' and i.direction = 'in'
		   and i.message_id is not null
		 order by i.occurred_at desc, i.id desc limit 1))
$$;

-- Queues a reply (the final text the agent edited). p_key is the console's
-- draft id: queueing it again returns the same message and sends nothing
-- more. p_to NULL: the customer's e-mail address. p_send false keeps it a
-- draft (mail_release queues it). Returns the outbox id.
drop function if exists mail_queue(uuid, bigint, bigint, text, text, text, boolean);
create function mail_queue(p_key uuid, p_case bigint, p_reply_to bigint, p_to text, p_subject text, p_body text,
	p_send boolean default true)
returns bigint language plpgsql volatile security definer set search_path = pg_catalog, public, pg_temp as $$
declare
	v_id bigint;
	v_customer bigint;
	v_to text;
begin
	if p_key is null then
		raise exception 'a reply needs its draft id' using errcode = '22023';
	end if;
	select m.id into v_id from mail_outbox m where m.idempotency_key = p_key;
	if found then
		return v_id;
	end if;
	if p_case is not null then
		v_customer := (case_get(p_case)).customer_id;
	end if;
	if p_reply_to is not null then
		select i.customer_id into v_customer from interaction i
		where i.id = p_reply_to and (v_customer is null or i.customer_id = v_customer);
		if v_customer is null or not case_customer_visible(v_customer) then
			raise exception 'no such interaction % for this case', p_reply_to using errcode = 'P0002';
		end if;
	end if;
	if v_customer is null then
		raise exception 'a reply answers a case or an interaction' using errcode = '22023';
	end if;
	v_to := coalesce(nullif(btrim(p_to), ''), mail_customer_address(v_customer));
	if v_to is null then
		raise exception 'customer % has no e-mail address', v_customer using errcode = '23502';
	end if;
	if v_to !~ '^[^@\s<>,;]+@[^@\s<>,;]+$' then
		raise exception 'not an e-mail address: %', v_to using errcode = '22023';
	end if;
	if nullif(btrim(coalesce(p_subject, '')), '') is null or nullif(btrim(coalesce(p_body, '')), '') is null then
		raise exception 'a reply needs a subject and a body' using errcode = '22023';
	end if;
	insert into mail_outbox (customer_id, case_id, reply_to_id, to_addr, subject, body, status, queued_at,
	                         message_id, in_reply_to, created_by, idempotency_key)
	values (v_customer, p_case, p_reply_to, v_to,
	        -- one line: a line break in a subject would start a header of its own (Bcc: ...)
	        btrim(regexp_replace(p_subject, '[[:cntrl:]]+', ' ', 'g')), p_body,
	        case when p_send then 'queued' else 'draft' end, case when p_send then now() end,
	        format('<ccterm.%s.%s@%s>', to_char(now(), 'YYYYMMDDHH24MISS'), md5(p_key::text || random()::text),
	               coalesce((select value from settings where key = 'mail_domain'), 'ccterm.local')),
	        mail_reply_target(p_case, p_reply_to), session_user, p_key)
	on conflict (idempotency_key) do nothing
	returning id into v_id;
	if v_id is null then
		select m.id into v_id from mail_outbox m where m.idempotency_key = p_key;
		return v_id;
	end if;
	if p_case is not null and p_send then
		perform case_event_add(p_case, 'mail_queued', null, v_to);
	end if;
	perform audit_write(v_customer, 'create', 'mail ' || v_id);
	if p_send then
		perform pg_notify('mail_outbox', v_id::text);
	end if;
	return v_id;
end $$;

-- Queues a draft (its author or a supervisor).
drop function if exists mail_release(bigint);
create function mail_release(p_id bigint) returns void
language plpgsql volatile security definer set search_path = pg_catalog, public, pg_temp as $$
declare
	m mail_outbox;
begin
	select * into m from mail_outbox where id = p_id for update;
	if not found or m.status <> 'draft' or (m.created_by <> session_user and not case_is_supervisor()) then
		raise exception 'no draft %', p_id using errcode = 'P0002';
	end if;
	update mail_outbox set status = 'queued', queued_at = now(), next_attempt_at = now() where id = p_id;
	if m.case_id is not null then
		perform case_event_add(m.case_id, 'mail_queued', null, m.to_addr);
	end if;
	perform pg_notify('mail_outbox', p_id::text);
end $$;

-- The replies of a case, for the case screen: a failed one says why
-- (failure: permanent, temporary (given up), unknown; last_error).
drop function if exists mail_for_case(bigint);
create function mail_for_case(p_case bigint)
returns table (id bigint, status text, to_addr text, subject text, attempts integer, last_error text,
	created_by text, queued_at timestamptz, sent_at timestamptz, failure text, next_attempt_at timestamptz)
language plpgsql stable security definer set search_path = pg_catalog, public, pg_temp as $$
begin
	perform case_get(p_case);
	return query select m.id, m.status, m.to_addr, m.subject, m.attempts, m.last_error, m.created_by,
	                    m.queued_at, m.sent_at, m.failure, m.next_attempt_at
	             from mail_outbox m where m.case_id = p_case order by m.created_at, m.id;
end $$;

-- --- the sender's side (ccterm-admin mail-send) -----------------------------

-- Claims the next due message: 'sending', one more attempt, committed by the
-- caller before the MTA sees it. No row: nothing is due.
drop function if exists mail_claim();
create function mail_claim()
returns table (id bigint, to_addr text, from_addr text, subject text, body text, message_id text,
	in_reply_to text, attempts integer)
language sql volatile security definer set search_path = pg_catalog, public, pg_temp as $$
	update mail_outbox m set status = 'sending', attempts = m.attempts + 1, claimed_at = now()
	where m.id = (select q.id from mail_outbox q where q.status = 'queued' and q.next_attempt_at <= now()
	              order by q.next_attempt_at, q.id for update skip locked limit 1)
	returning m.id, m.to_addr, coalesce((select value from settings where key = 'mail_from'), 'ccterm <ccterm@localhost>'),
	          m.subject, m.body, m.message_id, m.in_reply_to, m.attempts
$$;

-- The MTA took it: sent, and an outbound e-mail on the customer's timeline.
drop function if exists mail_sent(bigint);
create function mail_sent(p_id bigint) returns bigint
language plpgsql volatile security definer set search_path = pg_catalog, public, pg_temp as $$
declare
	m mail_outbox;
	v_interaction bigint;
begin
	select * into m from mail_outbox where id = p_id for update;
	if not found or m.status <> 'sending' then
		raise exception 'message % is not being sent', p_id using errcode = '55000';
	end if;
	insert into interaction (customer_id, occurred_at, channel, direction, kind, subject, body, agent_login,
	                         branch_code, case_id, message_id)
	values (m.customer_id, now(), 'email', 'out', 'reply', m.subject, m.body, m.created_by,
	        (select a.branch_code from agent a where a.login = m.created_by), m.case_id, m.message_id)
	returning id into v_interaction;
	update mail_outbox set status = 'sent', sent_at = now(), last_error = null, failure = null, interaction_id = v_interaction
	where id = p_id;
	if m.case_id is not null then
		perform set_config('ccterm.case_actor', m.created_by, true);
		perform case_event_add(m.case_id, 'mail_sent', null, m.to_addr);
		perform set_config('ccterm.case_actor', '', true);
	end if;
	return v_interaction;
end $$;

-- The MTA did not take it (p_error: what it said). p_failure says how the
-- sender read the MTA (src/admin/sendmail.c): 'permanent' (no such user or
-- domain, refused by policy: an SMTP 5xx, or sysexits 64 65 67 68 69 77):
-- failed at once, never retried; 'temporary' (an SMTP 4xx, the server
-- unreachable, sysexits 75 71 74, the MTA killed before it had the whole
-- message): queued again after mail_retry_seconds x 2^(attempts - 1), and
-- failed after mail_max_attempts; 'unknown' (the MTA died or timed out after
-- it had the whole message, so it may have passed it on): failed, never
-- resent by itself. A failure of a case's reply is a case event and is
-- pushed to its author ('case <id> mail_failed' on agent_<login>).
drop function if exists mail_failed(bigint, text);
drop function if exists mail_failed(bigint, text, boolean);
drop function if exists mail_failed(bigint, text, text);
create function mail_failed(p_id bigint, p_error text, p_failure text) returns text
language plpgsql volatile security definer set search_path = pg_catalog, public, pg_temp as $$
declare
	m mail_outbox;
	v_status text;
	v_error text := left(coalesce(nullif(btrim(p_error), ''), 'unknown error'), 2000);
begin
	if coalesce(p_failure, '') not in ('permanent', 'temporary', 'unknown') then
		raise exception 'a failure is permanent, temporary or unknown' using errcode = '22023';
	end if;
	select * into m from mail_outbox where id = p_id for update;
	if not found or m.status <> 'sending' then
		raise exception 'message % is not being sent', p_id using errcode = '55000';
	end if;
	v_status := case when p_failure <> 'temporary' or m.attempts >= setting_num('mail_max_attempts', 5)
	                 then 'failed' else 'queued' end;
	if v_status = 'failed' and p_failure = 'temporary' then
		v_error := left(format('gave up after %s attempts: %s', m.attempts, v_error), 2000);
	end if;
	update mail_outbox
	set status = v_status, last_error = v_error, failure = p_failure,
	    next_attempt_at = now() + make_interval(secs => setting_num('mail_retry_seconds', 60) * 2 ^ (m.attempts - 1))
	where id = p_id;
	if m.case_id is not null and v_status = 'failed' then
		perform set_config('ccterm.case_actor', m.created_by, true);
		perform case_note_set(v_error);
		perform case_event_add(m.case_id, 'mail_failed', null, m.to_addr);
		perform case_note_set(null);
		perform set_config('ccterm.case_actor', '', true);
		perform case_tell_owner(m.created_by, m.case_id, 'mail_failed');
	end if;
	return v_status;
end $$;

-- Messages left 'sending' longer than mail_stale_seconds (the sender died
-- between claiming and recording): failed, never resent by themselves.
drop function if exists mail_recover_stale();
create function mail_recover_stale() returns integer
language plpgsql volatile security definer set search_path = pg_catalog, public, pg_temp as $$
declare
	n integer;
begin
	update mail_outbox
	set status = 'failed', failure = 'unknown',
	    last_error = 'interrupted between handing it to the MTA and recording the outcome: not resent '
	                 '(check the MTA log; mail_requeue resends it with the same Message-ID)'
	where status = 'sending' and claimed_at < now() - make_interval(secs => setting_num('mail_stale_seconds', 600));
	get diagnostics n = row_count;
	return n;
end $$;

-- A person decided to send a failed message again.
drop function if exists mail_requeue(bigint);
create function mail_requeue(p_id bigint) returns void
language plpgsql volatile security definer set search_path = pg_catalog, public, pg_temp as $$
begin
	update mail_outbox set status = 'queued', attempts = 0, next_attempt_at = now(), failure = null
	where id = p_id and status = 'failed';
	if not found then
		raise exception 'message % has not failed', p_id using errcode = '55000';
	end if;
	perform pg_notify('mail_outbox', p_id::text);
end $$;

-- When the next queued message is due (NULL: none).
create or replace function mail_next_due() returns timestamptz
language sql stable security definer set search_path = pg_catalog, public, pg_temp as $$
	select min(next_attempt_at) from mail_outbox where status = 'queued'
$$;
