-- 33_pop_seal: the pop sealed into the offer's own notification (issue 9).
-- A repeatable file: applied after the numbered migrations whenever it changes.
--
-- Why: with the pop prepared (32_prepared_pop.sql) the largest part of the
-- prepared pop's time was the console's round trip to its idle backend to
-- read screen_pop (0.75 ms of 1.51 ms p50). The offer's NOTIFY now carries
-- the pop itself, and the console draws straight from the notification.
--
-- The threat: NOTIFY has no ACL. Any role that can connect may LISTEN on
-- agent_<login> and read what is sent there, or NOTIFY on it and forge an
-- offer. So the payload is sealed with a key per console session
-- (console_session.pop_key, 410) that only that console and the database
-- know: AES-256-CBC for secrecy, HMAC-SHA-256 over iv || ciphertext for
-- authenticity (encrypt-then-MAC). A sealed pop replayed later (an old
-- notification sent again by a listener that kept it) is refused by the
-- console: seq (pop_seal_seq) must be above the last it accepted, and at
-- says when it was sealed.
--
-- What goes in, on an offer (call_notify, 40_calls.sql) whose look the
-- offer audited (call.pop_audited_customer: an agent who sees every
-- customer unmasked, one customer known) with a fresh prepared pop in the
-- center's time zone, or of a caller whose number nobody has (the call row
-- alone, as screen_pop gives it to anyone offered the call), to an agent
-- with an open console, unless settings 'pop_sealed' is 'off': one
-- notification per console session,
--     call <call id> offered pop <console_session.id> <sealed>
-- sealed = base64, without newlines, of iv (16) || ct || hmac (32), where
-- ct = AES-256-CBC/PKCS (bytes 1-32 of the key) of the UTF-8 plaintext
--     ccpop1 <call> <seq> <at: epoch seconds> <more: 0|1>\n<rows>
-- (include/ccterm/pop_seal.h), each row its 13 fields, each '-' for NULL or
-- '<octets>:<text>' (the console reads that with no JSON parser: its
-- memory stays under 8 MB), and the MAC key is bytes 33-64. rows: what screen_pop(call) returns to
-- that agent then: its 'call' row, then the prepared rows as
-- pop_rows_served serves them (prepared_pop_rows). The plaintext is at most
-- 5700 octets: timeline 'item' rows (the last ones) are dropped from the
-- end until it fits, and more (1) says some were; when even none fits, or
-- anything above does not hold, the plain "call N offered" goes instead
-- and the console reads screen_pop as before.

-- The plaintext's budget, in octets: 5700 -> 5712 of ciphertext, 5760 with
-- the IV and the MAC, 7680 in base64, and the prefix: under NOTIFY's 8000.
create or replace function pop_seal_budget() returns integer
language sql immutable as $$
	select 5700
$$;

-- One field of the plaintext: '-' for NULL, else its length in octets,
-- ':' and the text (src/model/pop_plain.c reads it). Inlined where used.
create or replace function pop_seal_field(p text) returns text
language sql immutable as $$
	select case when p is null then '-' else octet_length(p)::text || ':' || p end
$$;

-- A row of the plaintext: its 13 fields, in screen_pop's order.
create or replace function pop_seal_row(p_section text, f1 text, f2 text, f3 text, f4 text, f5 text, f6 text,
	f7 text, f8 text, f9 text, f10 text, f11 text, f12 text) returns text
language sql immutable as $$
	select pop_seal_field(p_section) || pop_seal_field(f1) || pop_seal_field(f2) || pop_seal_field(f3)
	       || pop_seal_field(f4) || pop_seal_field(f5) || pop_seal_field(f6) || pop_seal_field(f7)
	       || pop_seal_field(f8) || pop_seal_field(f9) || pop_seal_field(f10) || pop_seal_field(f11)
	       || pop_seal_field(f12)
$$;

-- The sealed pop of an offered call as the agent's screen_pop would read it
-- (the plaintext above), or NULL when there is none to seal: the
-- customer (p_customer, who has p_n customers with the caller's number) has
-- no fresh prepared pop in p_time_zone, or its rows do not fit the budget
-- even without any timeline item. p_customer NULL: an unknown caller, the
-- call row alone. Internal (no grant).
create or replace function pop_seal_plaintext(p_call call, p_customer bigint, p_n integer, p_time_zone text)
returns text language plpgsql volatile set search_path = pg_catalog, public, pg_temp as $$
declare
	v_rows text[];
	v_items boolean[];
	v_head text;
	v_used integer;
	v_keep integer := 0;
	v_last_fixed integer;
begin
	-- one pass: prepared_pop_rows is inlined
	if p_customer is null then   -- an unknown caller: the call row alone
		v_rows := '{}';
		v_items := '{}';
	else
		select array_agg(pop_seal_row(r.section, r.f1, r.f2, r.f3, r.f4, r.f5, r.f6, r.f7, r.f8, r.f9, r.f10,
		                              r.f11, r.f12) order by r.ord),
		       array_agg(r.section = 'item' order by r.ord)
		into v_rows, v_items
		from prepared_pop_rows(p_customer, p_time_zone) r;
		if v_rows is null then
			return null;
		end if;
	end if;
	v_rows := pop_seal_row('call', p_call.id::text, p_call.ani, p_call.ani_e164, p_call.dnis,
	                       (select q.name from queue q where q.id = p_call.queue_id),
	                       p_call.state, extract(epoch from p_call.created_at)::bigint::text,
	                       p_customer::text, p_n::text, null, null, null) || v_rows;
	-- "ccpop1 <call> <seq> <at> <more>\n": more is the one character after
	v_head := 'ccpop1 ' || p_call.id || ' ' || nextval('pop_seal_seq') || ' '
	          || extract(epoch from clock_timestamp())::bigint || ' ';
	v_used := octet_length(v_head) + 2;
	if v_used + (select sum(octet_length(r)) from unnest(v_rows) r) <= pop_seal_budget() then
		return v_head || E'0\n' || array_to_string(v_rows, '');
	end if;

	-- Too long: timeline items (the last rows) go from the end until it fits.
	v_items := false || v_items;
	select coalesce(max(i), 0) into v_last_fixed from generate_subscripts(v_items, 1) i where not v_items[i];
	for i in 1 .. cardinality(v_rows) loop
		v_used := v_used + octet_length(v_rows[i]);
		exit when v_used > pop_seal_budget();
		v_keep := i;
	end loop;
	if v_keep < v_last_fixed then
		return null;
	end if;
	return v_head || E'1\n' || array_to_string(v_rows[1:v_keep], '');
end $$;

-- Seals a plaintext with a console's 64-byte key: base64 (no newlines) of
-- iv || AES-256-CBC(bytes 1-32) || HMAC-SHA-256(bytes 33-64) of the two.
-- Internal (no grant).
create or replace function pop_seal(p_plain text, p_key bytea) returns text
language plpgsql volatile set search_path = pg_catalog, public, pg_temp as $$
declare
	v_iv bytea := ccterm_crypto.gen_random_bytes(16);
	v_ct bytea;
begin
	if p_key is null or octet_length(p_key) <> 64 then
		return null;
	end if;
	v_ct := v_iv || ccterm_crypto.encrypt_iv(convert_to(p_plain, 'UTF8'), substr(p_key, 1, 32), v_iv,
	                                         'aes-cbc/pad:pkcs');
	-- replace, not translate: 0.02 ms on 7.7 kB where translate takes 0.16
	return replace(encode(v_ct || ccterm_crypto.hmac(v_ct, substr(p_key, 33, 32), 'sha256'), 'base64'),
	               E'\n', '');
end $$;

-- The offer's sealed notifications (see the head of this file), sent for
-- call_notify, which sends the plain "call N offered" when this returns
-- false: nothing was sealed. Runs as the owner (call_notify is SECURITY
-- DEFINER): it reads console_session and prepared_pop for whoever's
-- transaction offers the call (the CTI's, the router's, an agent's going
-- ready). Internal (no grant).
create or replace function pop_seal_offer(p_call call) returns boolean
language plpgsql volatile set search_path = pg_catalog, public, pg_temp as $$
declare
	v_sealed text;
	v_tz text;
	v_n integer := 0;
	v_one bigint;
	v_customer bigint;
	v_plain text;
	v_sent boolean := false;
	s record;
begin
	if p_call.agent_login is null or p_call.state <> 'offered' then
		return false;
	end if;
	select max(btrim(value)) filter (where key = 'pop_sealed'), max(btrim(value)) filter (where key = 'timezone')
	into v_sealed, v_tz
	from settings where key in ('pop_sealed', 'timezone');
	if v_sealed is not distinct from 'off' then
		return false;
	end if;
	-- the call row's customer and count, as screen_pop finds them
	if p_call.ani_e164 is not null then
		select count(*), min(c) into v_n, v_one from customers_by_contact('phone', p_call.ani_e164) c;
		if v_n <> 1 then
			v_one := null;
		end if;
	end if;
	v_customer := coalesce(p_call.customer_id, v_one);
	-- a customer: the one the offer audited for an agent who sees them all;
	-- or nobody has the number (screen_pop gives the call row alone, to
	-- anyone it is offered to: no customer, no audit)
	if v_customer is distinct from p_call.pop_audited_customer or (v_customer is null and v_n > 0) then
		return false;
	end if;
	for s in select cs.id, cs.pop_key from console_session cs where cs.login = p_call.agent_login order by cs.id loop
		if v_plain is null then
			-- built once, at the first console: in the zone pop_prepare builds in
			-- and the console reads in (session_use_center_timezone)
			v_plain := pop_seal_plaintext(p_call, v_customer, v_n, coalesce(nullif(v_tz, ''), 'Asia/Seoul'));
			exit when v_plain is null;
		end if;
		perform pg_notify('agent_' || p_call.agent_login,
		                  'call ' || p_call.id || ' offered pop ' || s.id || ' ' || pop_seal(v_plain, s.pop_key));
		v_sent := true;
	end loop;
	return v_sent;
end $$;

-- The key of a console session of the calling login (what the console
-- unseals its pops with), NULL for any other session id. The console reads
-- it in the statement of the beat that made its row (db_console_beat_request):
-- volatile, so it sees that row (a stable function reads with the
-- statement's snapshot, taken before the beat's insert).
create or replace function console_session_key(p_id bigint) returns bytea
language sql volatile security definer set search_path = pg_catalog, public, pg_temp as $$
	select s.pop_key from console_session s where s.id = p_id and s.login = session_user
$$;

revoke all on function pop_seal_budget(), pop_seal_plaintext(call, bigint, integer, text), pop_seal(text, bytea),
	pop_seal_offer(call), console_session_key(bigint) from public;
-- every login with a console beats, branch staff too (they never get a
-- sealed pop, but their console's beat asks like any other)
grant execute on function console_session_key(bigint) to ccterm_agent, ccterm_branch, ccterm_supervisor, ccterm_admin;
