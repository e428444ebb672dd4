-- 301 why a message was not sent: the MTA refused it for good ('permanent':
-- no such user, no such domain, policy; never retried), for now ('temporary':
-- retried with backoff up to mail_max_attempts), or the outcome is unknown
-- ('unknown': the sender or the MTA died after handing the whole message
-- over; never resent by itself). NULL while nothing failed.
alter table mail_outbox
	add column failure text check (failure in ('permanent', 'temporary', 'unknown'));
