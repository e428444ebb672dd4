-- 410 The pop sealed into the offer's notification (issue 9,
-- sql/repeatable/33_pop_seal.sql): pgcrypto for the seal, a key per open
-- console, and the sequence the console checks against replays.
--
-- pgcrypto is a trusted extension (PostgreSQL 13+), created by the
-- database's owner without being a superuser, like pg_trgm (221_search.sql),
-- in a schema of its own and always called schema-qualified. Only the
-- schema's owner (the SECURITY DEFINER functions) reaches it.
create schema if not exists ccterm_crypto;
create extension if not exists pgcrypto with schema ccterm_crypto;
revoke all on schema ccterm_crypto from public;
grant usage on schema ccterm_crypto to ccterm_owner;

-- The console's key: bytes 1-32 encrypt (AES-256-CBC), 33-64 authenticate
-- (HMAC-SHA-256). Made with the row; every open console gets one now (the
-- default is volatile: one key a row). Read by the console itself only
-- (console_session_key); the table keeps its RLS and no grants.
alter table console_session add column pop_key bytea not null default ccterm_crypto.gen_random_bytes(64);

-- Each sealed pop's number: the console accepts only a seq above the last.
create sequence pop_seal_seq;
