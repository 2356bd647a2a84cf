-- SPDX-License-Identifier: GPL-3.0-or-later
-- Schema 30: a search with many matches lists its first rows in < 300 ms (issue 19,
-- 1,000,000 cases, default shared_buffers).
--
-- A search's matches were found with the GIN index of debtor_search's document (schema 3):
-- GIN cannot answer from the index alone, so the count and the list's walk both read the
-- debtor_search row of every match to get its rowid (380 MB at 1,000,000 debtors, all of
-- it for "kowal" with 83,332 matches; 0.6 s for the count, 1.2 s more for the first page of
-- "Иван"). Here every word of a debtor's folded document (the lexemes of that document, so
-- exactly what dd_search_query() matches) is kept beside each of the debtor's cases, in a
-- B-tree whose key is the whole row: a word's prefix is a range of it, read from the index
-- alone, and it gives case ids directly. dd_search_cases() returns the cases whose document
-- has every word of a search as a prefix (the meaning of document @@ dd_search_query());
-- the cases list (dd_case_query_build_for()) asks for them in a hashed subplan while it walks
-- its sort index, and counts them without reading debt_case.
--
-- Kept by triggers on debtor_search (its rows are replaced when a debtor, its phones or its
-- invoices change) and on debt_case (a case added, removed or given another debtor). The
-- statements of a whole import or a rebuild of the search rows are handled a statement at
-- a time (transition tables), not a row at a time.

CREATE TABLE case_search_token (
  token   TEXT COLLATE "C" NOT NULL,
  case_id BIGINT NOT NULL
);

INSERT INTO case_search_token (token, case_id)
SELECT w.token, c.id
FROM debtor_search s
JOIN debt_case c ON c.debtor_id = s.rowid
CROSS JOIN LATERAL unnest(tsvector_to_array(s.document)) AS w(token);

-- the whole row is the key: a prefix of a word is a range of it, read by an index-only scan
-- (once autovacuum has marked the new table's pages all-visible, a minute or two later)
ALTER TABLE case_search_token ADD PRIMARY KEY (token, case_id);
ANALYZE case_search_token;

-- not copied from SQLite, which has no such table (dunning-desk-cli migrate --to): the
-- triggers below fill it as the cases and the search rows arrive
COMMENT ON COLUMN case_search_token.token IS 'dd: kept by triggers from debtor_search.document';
COMMENT ON COLUMN case_search_token.case_id IS 'dd: kept by triggers from debt_case.debtor_id';

-- debtor_search: rows added, removed or changed (a statement at a time)
CREATE FUNCTION dd_search_tokens_added () RETURNS trigger
  LANGUAGE plpgsql
  AS $$
BEGIN
  INSERT INTO case_search_token (token, case_id)
  SELECT w.token, c.id
  FROM added s
  JOIN debt_case c ON c.debtor_id = s.rowid
  CROSS JOIN LATERAL unnest(tsvector_to_array(s.document)) AS w(token)
  ON CONFLICT DO NOTHING;
  RETURN NULL;
END
$$;

CREATE FUNCTION dd_search_tokens_removed () RETURNS trigger
  LANGUAGE plpgsql
  AS $$
BEGIN
  DELETE FROM case_search_token t
  USING removed s
  JOIN debt_case c ON c.debtor_id = s.rowid
  CROSS JOIN LATERAL unnest(tsvector_to_array(s.document)) AS w(token)
  WHERE t.token = w.token AND t.case_id = c.id;
  RETURN NULL;
END
$$;

CREATE TRIGGER debtor_search_tokens_insert AFTER INSERT ON debtor_search
  REFERENCING NEW TABLE AS added
  FOR EACH STATEMENT EXECUTE FUNCTION dd_search_tokens_added ();
CREATE TRIGGER debtor_search_tokens_delete AFTER DELETE ON debtor_search
  REFERENCING OLD TABLE AS removed
  FOR EACH STATEMENT EXECUTE FUNCTION dd_search_tokens_removed ();

CREATE FUNCTION dd_search_tokens_changed () RETURNS trigger
  LANGUAGE plpgsql
  AS $$
BEGIN
  DELETE FROM case_search_token t
  USING removed s
  JOIN debt_case c ON c.debtor_id = s.rowid
  CROSS JOIN LATERAL unnest(tsvector_to_array(s.document)) AS w(token)
  WHERE t.token = w.token AND t.case_id = c.id;
  INSERT INTO case_search_token (token, case_id)
  SELECT w.token, c.id
  FROM added s
  JOIN debt_case c ON c.debtor_id = s.rowid
  CROSS JOIN LATERAL unnest(tsvector_to_array(s.document)) AS w(token)
  ON CONFLICT DO NOTHING;
  RETURN NULL;
END
$$;

CREATE TRIGGER debtor_search_tokens_update AFTER UPDATE ON debtor_search
  REFERENCING OLD TABLE AS removed NEW TABLE AS added
  FOR EACH STATEMENT EXECUTE FUNCTION dd_search_tokens_changed ();

-- debt_case: cases added or removed (a statement at a time), a case given another debtor
CREATE FUNCTION dd_case_tokens_added () RETURNS trigger
  LANGUAGE plpgsql
  AS $$
BEGIN
  INSERT INTO case_search_token (token, case_id)
  SELECT w.token, c.id
  FROM added c
  JOIN debtor_search s ON s.rowid = c.debtor_id
  CROSS JOIN LATERAL unnest(tsvector_to_array(s.document)) AS w(token)
  ON CONFLICT DO NOTHING;
  RETURN NULL;
END
$$;

CREATE FUNCTION dd_case_tokens_removed () RETURNS trigger
  LANGUAGE plpgsql
  AS $$
BEGIN
  DELETE FROM case_search_token t
  USING removed c
  JOIN debtor_search s ON s.rowid = c.debtor_id
  CROSS JOIN LATERAL unnest(tsvector_to_array(s.document)) AS w(token)
  WHERE t.token = w.token AND t.case_id = c.id;
  RETURN NULL;
END
$$;

CREATE TRIGGER debt_case_tokens_insert AFTER INSERT ON debt_case
  REFERENCING NEW TABLE AS added
  FOR EACH STATEMENT EXECUTE FUNCTION dd_case_tokens_added ();
CREATE TRIGGER debt_case_tokens_delete AFTER DELETE ON debt_case
  REFERENCING OLD TABLE AS removed
  FOR EACH STATEMENT EXECUTE FUNCTION dd_case_tokens_removed ();

-- a row at a time, and only when the debtor changes: an update of the list's columns of
-- every case (imports) does not pay for transition tables
CREATE FUNCTION dd_case_tokens_moved () RETURNS trigger
  LANGUAGE plpgsql
  AS $$
BEGIN
  DELETE FROM case_search_token t
  USING debtor_search s
  CROSS JOIN LATERAL unnest(tsvector_to_array(s.document)) AS w(token)
  WHERE s.rowid = OLD.debtor_id AND t.token = w.token AND t.case_id = OLD.id;
  INSERT INTO case_search_token (token, case_id)
  SELECT w.token, NEW.id
  FROM debtor_search s
  CROSS JOIN LATERAL unnest(tsvector_to_array(s.document)) AS w(token)
  WHERE s.rowid = NEW.debtor_id
  ON CONFLICT DO NOTHING;
  RETURN NULL;
END
$$;

CREATE TRIGGER debt_case_tokens_moved AFTER UPDATE OF debtor_id ON debt_case
  FOR EACH ROW WHEN (NEW.debtor_id IS DISTINCT FROM OLD.debtor_id)
  EXECUTE FUNCTION dd_case_tokens_moved ();

-- The cases whose debtor's document has every word of a search as a prefix: the same
-- matches as document @@ dd_search_query(expression) (schema 3). A case may come more than
-- once. Each word's range is written into the query as a constant, so that it is planned
-- as a range of the index ("token LIKE 'kowal%'"); the words are letters and digits only
-- (dd_fold()), escaped all the same. One word: its range, from the index alone. Several:
-- when one of them has few cases (an invoice number beside "fv" and "2026", which every
-- case has), its cases are checked against the whole search in their documents (a call,
-- not the operator, so that it is not planned on the GIN index of all the words); when all
-- have many, the ranges are intersected, the smallest first.
-- work_mem: the cases of a frequent word (250,000 of 1,000,000 for "+48 5") are kept in
-- memory, not in a temporary file, while they are returned.
CREATE FUNCTION dd_search_cases (expression TEXT) RETURNS SETOF BIGINT
  LANGUAGE plpgsql STABLE PARALLEL SAFE ROWS 1000
  SET work_mem = '32MB'
  AS $$
DECLARE
  few CONSTANT INTEGER := 5000;
  word TEXT;
  pattern TEXT;
  n BIGINT;
  rarest TEXT;
  rarest_n BIGINT;
  patterns TEXT[] := '{}';
  sizes BIGINT[] := '{}';
  query TEXT;
BEGIN
  FOR word IN SELECT DISTINCT lexeme
              FROM unnest(to_tsvector('simple', dd_fold(expression))) LOOP
    pattern := replace(replace(replace(word, '\', '\\'), '%', '\%'), '_', '\_') || '%';
    patterns := patterns || pattern;
  END LOOP;
  IF cardinality(patterns) = 0 THEN
    RETURN;
  END IF;
  IF cardinality(patterns) = 1 THEN
    RETURN QUERY EXECUTE format('SELECT case_id FROM case_search_token WHERE token LIKE %L',
                                patterns[1]);
    RETURN;
  END IF;
  FOREACH pattern IN ARRAY patterns LOOP
    EXECUTE format('SELECT count(*) FROM (SELECT 1 FROM case_search_token'
                   ' WHERE token LIKE %L LIMIT %s) AS w', pattern, few + 1)
      INTO n;
    sizes := sizes || n;
    IF rarest_n IS NULL OR n < rarest_n THEN
      rarest := pattern;
      rarest_n := n;
    END IF;
  END LOOP;
  IF rarest_n <= few THEN
    RETURN QUERY EXECUTE format('SELECT t.case_id FROM case_search_token t'
                                ' JOIN debt_case c ON c.id = t.case_id'
                                ' JOIN debtor_search s ON s.rowid = c.debtor_id'
                                ' WHERE t.token LIKE %L'
                                ' AND ts_match_vq(s.document, dd_search_query($1))', rarest)
      USING expression;
    RETURN;
  END IF;
  SELECT string_agg(format('SELECT case_id FROM case_search_token WHERE token LIKE %L', p),
                    ' INTERSECT ' ORDER BY z)
    INTO query
    FROM unnest(patterns, sizes) AS w(p, z);
  RETURN QUERY EXECUTE query;
END
$$;

-- How many cases match a search (the cases list's count of a search alone), their ids made
-- unique in memory.
CREATE FUNCTION dd_search_count (expression TEXT) RETURNS BIGINT
  LANGUAGE sql STABLE PARALLEL SAFE
  SET work_mem = '32MB'
  AS $$ SELECT COUNT(DISTINCT s.id) FROM dd_search_cases(expression) AS s(id) $$;
