-- 221_search: indexes for search as agents type it (customer_search,
-- sql/repeatable/20_customer.sql): any part of a phone number or e-mail
-- (trigrams), any word of a name, and the Korean initial consonants of a
-- name (ㄱㅈㅇ for 김지아). pg_trgm is a trusted extension (PostgreSQL 13+),
-- so the database's owner creates it without being a superuser. It gets a
-- schema of its own: its functions are not ccterm's (public holds only
-- functions owned by ccterm_owner) and need no one's EXECUTE; the indexes
-- name its operator classes, LIKE is the built-in operator.
create schema if not exists ccterm_trgm;
create extension if not exists pg_trgm with schema ccterm_trgm;

-- The initial consonant of each Hangul syllable, other characters as they
-- are: '김지아' -> 'ㄱㅈㅇ'. Here and not in a repeatable file because the
-- index below is built on it; it never changes (a change is a new function).
create function hangul_initials(p text) returns text
language sql immutable strict parallel safe as $$
	select coalesce(string_agg(case when u between 44032 and 55203
		then substr('ㄱㄲㄴㄷㄸㄹㅁㅂㅃㅅㅆㅇㅈㅉㅊㅋㅌㅍㅎ', (u - 44032) / 588 + 1, 1) else c end, '' order by i), '')
	from (select c, ascii(c) u, i from regexp_split_to_table(p, '') with ordinality t(c, i)) s
$$;

create index contact_point_value_trgm on contact_point using gin (value ccterm_trgm.gin_trgm_ops);
create index customer_name_trgm on customer using gin (lower(name) ccterm_trgm.gin_trgm_ops);
create index customer_name_initials on customer (hangul_initials(name) text_pattern_ops);
