-- Resident name search by any part of a name and by pinyin (issue 12): 芊芊 finds 张芊芊, so do
-- zqq and zhangqianqian.
--
-- name_search is written by the application with every resident (registry/name-search.ts):
-- the name in lower case, its full pinyin and its pinyin initials, separated by spaces
-- ('张芊芊 zhangqianqian zqq'). pinyin needs a dictionary, so the database cannot compute it;
-- rows from before this migration are filled at startup (backfillNameSearch), and a NULL
-- simply matches nothing until then.
--
-- Two GIN indexes answer every length of query:
--  * three characters or more: name_search LIKE '%…%' through pg_trgm's trigram index;
--  * one or two characters (a given name 芊芊, a surname 张, initials zq): a trigram index
--    cannot serve them (a two-character pattern has no trigram), so name_grams(name_search)
--    lists every one- and two-character piece of each word, and `@> ARRAY[q]` is an exact
--    lookup in the second index.
-- The unique_violation guard: two test files creating the extension at once on one database.
DO $$
BEGIN
  CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA public;
EXCEPTION WHEN unique_violation OR duplicate_object THEN NULL;
END $$;

ALTER TABLE residents ADD COLUMN name_search text;

CREATE FUNCTION name_grams(s text) RETURNS text[] LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
  SELECT coalesce(array_agg(DISTINCT substr(w, i, n)), '{}')
    FROM regexp_split_to_table(s, '\s+') AS w, generate_series(1, length(w)) AS i, (VALUES (1), (2)) AS k(n)
   WHERE i + n - 1 <= length(w)
$$;

CREATE INDEX residents_name_search_trgm_idx ON residents USING gin (name_search public.gin_trgm_ops);
CREATE INDEX residents_name_grams_idx ON residents USING gin (name_grams(name_search));
-- The rows still without name_search (written before this migration): backfillNameSearch runs at
-- every start, and this small partial index lets it find none without reading the whole table.
CREATE INDEX residents_name_search_missing_idx ON residents (id) WHERE name_search IS NULL;
