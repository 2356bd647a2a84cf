-- SPDX-License-Identifier: GPL-3.0-or-later
-- Schema 29: the cases list sorted by creditor walks an index (issue 19, 1,000,000 cases).
--
-- Sorted by the creditor's name, PostgreSQL joined every case to its creditor and sorted
-- all of them before the first row (1.3–1.9 s at 1,000,000 cases); it does not walk the few
-- creditors by name and each one's cases by id as SQLite does. The case keeps a copy of its
-- creditor's name, as it keeps debtor_name, kept by triggers (a new case, a case moved to
-- another creditor, a creditor renamed), and the list orders by it (dd_case_query_build()
-- with the database: c.creditor_name for PostgreSQL, cr.name for SQLite).
ALTER TABLE debt_case ADD COLUMN creditor_name TEXT;

UPDATE debt_case c SET creditor_name = cr.name FROM creditor cr WHERE cr.id = c.creditor_id;

CREATE FUNCTION dd_case_creditor_name () RETURNS trigger
  LANGUAGE plpgsql
  AS $$
BEGIN
  IF TG_OP = 'INSERT' OR NEW.creditor_id IS DISTINCT FROM OLD.creditor_id
     OR NEW.creditor_name IS DISTINCT FROM OLD.creditor_name THEN
    NEW.creditor_name := (SELECT cr.name FROM creditor cr WHERE cr.id = NEW.creditor_id);
  END IF;
  RETURN NEW;
END
$$;

CREATE TRIGGER debt_case_creditor_name BEFORE INSERT OR UPDATE OF creditor_id, creditor_name ON debt_case
  FOR EACH ROW EXECUTE FUNCTION dd_case_creditor_name ();

CREATE FUNCTION dd_creditor_renamed () RETURNS trigger
  LANGUAGE plpgsql
  AS $$
BEGIN
  UPDATE debt_case SET creditor_name = NEW.name WHERE creditor_id = NEW.id;
  RETURN NULL;
END
$$;

CREATE TRIGGER creditor_renamed AFTER UPDATE OF name ON creditor
  FOR EACH ROW WHEN (NEW.name IS DISTINCT FROM OLD.name)
  EXECUTE FUNCTION dd_creditor_renamed ();

-- not copied from SQLite, which has no such column (dunning-desk-cli migrate --to): the
-- insert trigger sets it
COMMENT ON COLUMN debt_case.creditor_name IS 'dd: kept by triggers from creditor.name';

-- the list's order (NULL first, ties by id), as those of schema 28
CREATE INDEX debt_case_walk_creditor_name ON debt_case (creditor_name NULLS FIRST, id);
