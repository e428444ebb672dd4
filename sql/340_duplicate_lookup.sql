-- 340 One customer's duplicate candidates (the console asks after every pop)
-- by index: the same RRN, and the same name and birth date, the name as
-- duplicate_pairs compares it. Without these, customer_duplicates_of read
-- every customer (2.2-2.6 s at 1 M customers).
create index if not exists customer_secret_rrn on customer_secret (rrn) where rrn is not null;
create index if not exists customer_dup_name_birth on customer (lower(btrim(name)), birth_date)
	where birth_date is not null and merged_into is null;
