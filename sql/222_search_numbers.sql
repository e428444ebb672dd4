-- 222_search_numbers: numbers as agents type them, without a trigram
-- search over millions of digits: the start of a number ("010-2222" is
-- the prefix +82102222 of the E.164 form) and its last digits ("2817")
-- are ranges on b-tree indexes in byte order (customer_search, 20_customer.sql).
create index contact_point_value_prefix on contact_point (value text_pattern_ops);
create index contact_point_phone_reversed on contact_point (reverse(value) text_pattern_ops) where kind = 'phone';
