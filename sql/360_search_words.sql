-- 360_search_words: a later word of a name ("park" finds "Lee Parker") as a
-- b-tree range that stops at the page of results, instead of a trigram
-- search that built the bitmap of every candidate first (4,640 for "park"
-- at 1 M customers) and analysed the word-start regex into trigrams on
-- every call; a full Korean name ("김지아", thousands of namesakes) paid the
-- same for nothing, having no later word (bench/SEARCH.md).
--
-- name_later_words('Lee Parker') = 'parker': the name in lower case from
-- its second word on; NULL for one word. A query is a later word's start
-- when it is a prefix of this for the second word; a third word or more,
-- and a name starting with white space, are rare and keep the trigram
-- search, on a partial index of only those names (name_words_irregular).
-- Here and not in a repeatable file because indexes are built on them;
-- they never change (a change is a new function).
create function name_later_words(p text) returns text
language sql immutable strict parallel safe as $$
	select substring(lower(p) from '^[^[:space:]]+[[:space:]]+(.*)$')
$$;

create function name_words_irregular(p text) returns boolean
language sql immutable strict parallel safe as $$
	select p ~ '^[[:space:]]|[^[:space:]][[:space:]]+[^[:space:]]+[[:space:]]+[^[:space:]]'
$$;

create index customer_name_later_words on customer (name_later_words(name) text_pattern_ops)
	where name_later_words(name) is not null;
create index customer_name_trgm_irregular on customer using gin (lower(name) ccterm_trgm.gin_trgm_ops)
	where name_words_irregular(name);
-- The trigram index over every name served only that search.
drop index customer_name_trgm;
