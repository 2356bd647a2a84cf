-- SPDX-License-Identifier: GPL-3.0-or-later
-- Schema 3: the cases list (issue: main window).
--
-- Denormalised columns on debt_case so that every sortable column of the list is served by
-- an index of debt_case alone (1,000,000 cases must list in well under a second):
--   debtor_name       copy of debtor.name (set by the stores: finish_import, case actions)
--   oldest_due_on     earliest due date of the unpaid liabilities (finish_import)
--   last_activity_at  time of the newest activity row (DdCaseStore actions)
--   last_contact_at   time of the newest contact with the debtor (call, sms, e-mail, visit…)
--
-- Search: one FTS5 row per debtor (rowid = debtor.id). It is kept in sync by the stores
-- (dd_case_store_finish_import refreshes the debtors an import touched, in one statement),
-- not by triggers, so that the importer pays nothing per row.
--   name      debtor name
--   tax_id    tax id digits
--   phones    per phone: all digits of the E.164 number, and the same without its first
--             1, 2 and 3 digits (the country code), so "601 234 567" finds +48601234567
--   invoices  invoice numbers of the debtor's cases
--   email     e-mail address

ALTER TABLE debt_case ADD COLUMN debtor_name TEXT;
ALTER TABLE debt_case ADD COLUMN oldest_due_on TEXT;
ALTER TABLE debt_case ADD COLUMN last_activity_at TEXT;
ALTER TABLE debt_case ADD COLUMN last_contact_at TEXT;

UPDATE debt_case SET
  debtor_name = (SELECT d.name FROM debtor d WHERE d.id = debt_case.debtor_id),
  oldest_due_on = (SELECT MIN(l.due_on) FROM liability l
                   WHERE l.case_id = debt_case.id AND l.paid_at IS NULL),
  last_activity_at = (SELECT MAX(a.created_at) FROM activity a
                      WHERE a.case_id = debt_case.id);

CREATE INDEX IF NOT EXISTS debt_case_debtor_name ON debt_case (debtor_name);
CREATE INDEX IF NOT EXISTS debt_case_creditor ON debt_case (creditor_id);
CREATE INDEX IF NOT EXISTS debt_case_status ON debt_case (status);
CREATE INDEX IF NOT EXISTS debt_case_agent ON debt_case (agent_id);
CREATE INDEX IF NOT EXISTS debt_case_balance ON debt_case (balance_minor);
CREATE INDEX IF NOT EXISTS debt_case_oldest_due ON debt_case (oldest_due_on);
CREATE INDEX IF NOT EXISTS debt_case_next_contact ON debt_case (next_contact_at);
CREATE INDEX IF NOT EXISTS debt_case_last_activity ON debt_case (last_activity_at);
CREATE INDEX IF NOT EXISTS debt_case_last_contact ON debt_case (last_contact_at);

CREATE INDEX IF NOT EXISTS debtor_birthday_md ON debtor (substr(birthday, 6));
CREATE INDEX IF NOT EXISTS declaration_state_promised ON declaration (state, promised_on, case_id);
CREATE INDEX IF NOT EXISTS message_case ON message (case_id);
CREATE INDEX IF NOT EXISTS call_attempt_case ON call_attempt (case_id);
CREATE INDEX IF NOT EXISTS audit_log_entity ON audit_log (entity, entity_id);

-- PostgreSQL: the search rows are an ordinary table (rowid = debtor.id) with a full-text
-- document made of the folded text (lower case, words split at every character that is not a
-- letter or digit as FTS5's unicode61 does, diacritics removed by unaccent, so "Lukasz"
-- finds "Łukasz" and "ё" is found as "е"), searched by prefix through dd_search_query(), which
-- reads the FTS5 expression the case query builds ("word"* "word"*). The SQLite functions the
-- stores use (instr, group_concat) exist here with the same meaning.
CREATE EXTENSION IF NOT EXISTS unaccent;

CREATE FUNCTION dd_fold (value text) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$ SELECT regexp_replace(lower(unaccent('unaccent'::regdictionary, coalesce(value, ''))),
                              '[^[:alnum:]]+', ' ', 'g') $$;

CREATE FUNCTION dd_search_query (expression text) RETURNS tsquery
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$
    SELECT coalesce(string_agg(quote_literal(lexeme) || ':*', ' & '), '')::tsquery
    FROM unnest(to_tsvector('simple', dd_fold(expression)))
  $$;

CREATE FUNCTION instr (haystack text, needle text) RETURNS integer
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$ SELECT strpos(haystack, needle) $$;

CREATE FUNCTION dd_group_concat_step (state text, value text, separator text) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$ SELECT CASE WHEN value IS NULL THEN state
                    WHEN state IS NULL THEN value
                    ELSE state || separator || value END $$;

CREATE AGGREGATE group_concat (text, text) (SFUNC = dd_group_concat_step, STYPE = text);

CREATE FUNCTION dd_group_concat_step (state text, value bigint, separator text) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$ SELECT dd_group_concat_step(state, value::text, separator) $$;

CREATE AGGREGATE group_concat (bigint, text) (SFUNC = dd_group_concat_step, STYPE = text);

-- SUM over a comparison counts the rows where it holds, as in SQLite (NULL over no rows).
CREATE FUNCTION dd_sum_step (state bigint, value boolean) RETURNS bigint
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$ SELECT CASE WHEN value IS NULL THEN state ELSE coalesce(state, 0) + value::int END $$;

CREATE AGGREGATE sum (boolean) (SFUNC = dd_sum_step, STYPE = bigint);

-- json_extract(text, '$.a.b') of SQLite's JSON1: the value at the path, as text.
CREATE FUNCTION json_extract (document text, path text) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$ SELECT document::jsonb #>> string_to_array(regexp_replace(path, '^\$\.?', ''), '.') $$;

-- julianday(text) of SQLite: the Julian day number of a date or UTC time (NULL for NULL).
CREATE FUNCTION julianday (value text) RETURNS double precision
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$ SELECT extract(epoch FROM (value::timestamp)) / 86400.0 + 2440587.5 $$;

CREATE TABLE debtor_search (
  rowid     BIGINT PRIMARY KEY,
  name      TEXT,
  tax_id    TEXT,
  phones    TEXT,
  invoices  TEXT,
  email     TEXT,
  document  tsvector GENERATED ALWAYS AS (
              to_tsvector('simple', dd_fold(name) || ' ' || dd_fold(tax_id) || ' '
                                    || dd_fold(phones) || ' ' || dd_fold(invoices) || ' '
                                    || dd_fold(email))) STORED
);
CREATE INDEX debtor_search_document ON debtor_search USING gin (document);
