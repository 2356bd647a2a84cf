-- SPDX-License-Identifier: GPL-3.0-or-later
-- Schema 24: summary tables for the reports (issue 16), kept up to date by triggers.
--
-- The ageing report's roll rate (src/core/reports/dd-reports.c, roll_rate()) follows every
-- case's balance from month end to month end. Streaming 2,000,000 balance history rows for it
-- took 6–8 s over a million cases; it now sums a few thousand rows of report_roll:
--
--   report_roll       per creditor, currency and pair of months (p, q) in which a case's
--                     balance changed one after the other (q = 2147483647: no change since):
--                     start_minor, the sum of those cases' positive balances at the end of
--                     month p, and rolled_minor, of it what was still owed at the end of
--                     month q (min(balance p, max(balance q, 0))). Month numbers are
--                     year × 12 + month − 1. The month k between p and q (p < k < q) starts
--                     and ends with the balance of p; the month q rolls rolled_minor.
--   report_roll_case  each case's last two month-end balances (what the next row changes)
--   report_work       per consultant, all time: the cases they touched (distinct), their calls,
--                     declarations, status changes and closings (the work report without a
--                     filter: 4,000,000 (agent, case) index entries before)
--   report_ageing     the open balance (cases not closed, balance above zero) per due day
--                     (oldest_due_on, '' for none), creditor and currency: the ageing buckets
--                     add up a few thousand rows instead of grouping a million cases
--   report_summary_dirty  a row ('roll', 'work') when a change the triggers do not follow came
--                     (a balance history row written out of order, deleted or changed, a
--                     case moved to another creditor): the report then computes from
--                     balance_history, as before, until the summary is rebuilt. Empty when
--                     all is well (an office is copied only into empty tables).
--
-- The balance history is written in time order by the stores (recorded_at = now), so the
-- triggers only ever append. (PostgreSQL: one trigger function, dd_report_roll_row(); an office
-- being copied in brings its summary with it, so the function leaves the copy alone.)

CREATE TABLE report_roll (
  creditor_id   BIGINT  NOT NULL,
  currency      TEXT    NOT NULL,
  from_month    INTEGER NOT NULL,
  to_month      INTEGER NOT NULL,
  start_minor   BIGINT  NOT NULL DEFAULT 0,
  rolled_minor  BIGINT  NOT NULL DEFAULT 0,
  PRIMARY KEY (creditor_id, currency, from_month, to_month)
);

CREATE TABLE report_roll_case (
  case_id        BIGINT  PRIMARY KEY,
  creditor_id    BIGINT  NOT NULL,
  last_at        TEXT    NOT NULL,
  last_month     INTEGER NOT NULL,
  last_balance   BIGINT  NOT NULL,
  last_currency  TEXT    NOT NULL,
  prev_month     INTEGER,
  prev_balance   BIGINT,
  prev_currency  TEXT
);

CREATE TABLE report_work (
  agent_id        BIGINT  PRIMARY KEY,
  cases           BIGINT  NOT NULL DEFAULT 0,
  calls           BIGINT  NOT NULL DEFAULT 0,
  declarations    BIGINT  NOT NULL DEFAULT 0,
  status_changes  BIGINT  NOT NULL DEFAULT 0,
  closed          BIGINT  NOT NULL DEFAULT 0
);

CREATE TABLE report_ageing (
  due_on          TEXT    NOT NULL,
  creditor_id     BIGINT  NOT NULL,
  currency        TEXT    NOT NULL,
  cases           BIGINT  NOT NULL DEFAULT 0,
  balance_minor   BIGINT  NOT NULL DEFAULT 0,
  PRIMARY KEY (due_on, creditor_id, currency)
);

CREATE TABLE report_summary_dirty (
  name  TEXT PRIMARY KEY
);

-- what the office already has: each case's month-end balances, paired with the next one
WITH r AS (
  SELECT h.id, h.case_id, h.balance_minor, h.currency, h.recorded_at,
         CAST(substr(h.recorded_at, 1, 4) AS INTEGER) * 12
         + CAST(substr(h.recorded_at, 6, 2) AS INTEGER) - 1 AS month
  FROM balance_history h
), e AS (
  SELECT r.*, ROW_NUMBER() OVER (PARTITION BY r.case_id, r.month
                                 ORDER BY r.recorded_at DESC, r.id DESC) AS rn
  FROM r
), chain AS (
  SELECT e.case_id, e.month, e.balance_minor AS b, e.currency, e.recorded_at,
         LEAD (e.month) OVER w AS next_month, LEAD (e.balance_minor) OVER w AS next_b,
         LAG (e.month) OVER w AS prev_month, LAG (e.balance_minor) OVER w AS prev_b,
         LAG (e.currency) OVER w AS prev_currency,
         ROW_NUMBER() OVER (PARTITION BY e.case_id ORDER BY e.month DESC) AS from_end
  FROM e WHERE e.rn = 1
  WINDOW w AS (PARTITION BY e.case_id ORDER BY e.month)
), roll AS (
  INSERT INTO report_roll (creditor_id, currency, from_month, to_month, start_minor,
                           rolled_minor)
  SELECT c.creditor_id, ch.currency, ch.month, COALESCE (ch.next_month, 2147483647),
         SUM (ch.b),
         SUM (CASE WHEN ch.next_month IS NULL THEN ch.b
                   ELSE LEAST (ch.b, GREATEST (ch.next_b, 0)) END)
  FROM chain ch JOIN debt_case c ON c.id = ch.case_id
  WHERE ch.b > 0
  GROUP BY 1, 2, 3, 4
)
INSERT INTO report_roll_case (case_id, creditor_id, last_at, last_month, last_balance,
                              last_currency, prev_month, prev_balance, prev_currency)
SELECT ch.case_id, c.creditor_id, ch.recorded_at, ch.month, ch.b, ch.currency,
       ch.prev_month, ch.prev_b, ch.prev_currency
FROM chain ch JOIN debt_case c ON c.id = ch.case_id
WHERE ch.from_end = 1;

INSERT INTO report_work (agent_id, cases, calls, declarations, status_changes, closed)
SELECT a.agent_id, COUNT(DISTINCT a.case_id),
       SUM(CASE WHEN a.kind = 'call' THEN 1 ELSE 0 END),
       SUM(CASE WHEN a.kind = 'declaration' THEN 1 ELSE 0 END),
       SUM(CASE WHEN a.kind = 'status' THEN 1 ELSE 0 END),
       SUM(CASE WHEN a.kind = 'status' AND (a.refs LIKE '%"to":"closed"%'
                OR a.refs LIKE '%"to": "closed"%') THEN 1 ELSE 0 END)
FROM activity a WHERE a.agent_id IS NOT NULL
GROUP BY a.agent_id;

INSERT INTO report_ageing (due_on, creditor_id, currency, cases, balance_minor)
SELECT COALESCE(c.oldest_due_on, ''), c.creditor_id, c.currency, COUNT(*), SUM(c.balance_minor)
FROM debt_case c WHERE c.status <> 'closed' AND c.balance_minor > 0
GROUP BY 1, 2, 3;

-- a row of the history in order: the case's month-end balances move on
CREATE FUNCTION dd_report_roll_row () RETURNS trigger
  LANGUAGE plpgsql
  AS $$
DECLARE
  s report_roll_case%ROWTYPE;
  m integer;
  creditor bigint;
BEGIN
  IF current_setting('dd.copying', true) = 'on' THEN
    RETURN NULL;
  END IF;
  IF TG_OP <> 'INSERT' THEN
    INSERT INTO report_summary_dirty (name) VALUES ('roll') ON CONFLICT DO NOTHING;
    RETURN NULL;
  END IF;
  m := CAST(substr(NEW.recorded_at, 1, 4) AS INTEGER) * 12
       + CAST(substr(NEW.recorded_at, 6, 2) AS INTEGER) - 1;
  -- the case's first row makes its state; later ones lock it (two desks changing one case
  -- at once take turns)
  SELECT creditor_id INTO creditor FROM debt_case WHERE id = NEW.case_id;
  IF creditor IS NULL THEN
    RETURN NULL;
  END IF;
  INSERT INTO report_roll_case (case_id, creditor_id, last_at, last_month, last_balance,
                                last_currency)
    VALUES (NEW.case_id, creditor, NEW.recorded_at, m, NEW.balance_minor, NEW.currency)
    ON CONFLICT (case_id) DO NOTHING;
  IF NOT FOUND THEN
    SELECT * INTO s FROM report_roll_case WHERE case_id = NEW.case_id FOR UPDATE;
    creditor := s.creditor_id;
    -- out of order: the summary no longer holds
    IF s.last_at > NEW.recorded_at THEN
      INSERT INTO report_summary_dirty (name) VALUES ('roll') ON CONFLICT DO NOTHING;
    END IF;
    -- the same month again: the month before it rolls into this balance instead
    IF s.last_month = m AND s.prev_balance > 0 THEN
      UPDATE report_roll
        SET rolled_minor = rolled_minor + LEAST (s.prev_balance, GREATEST (NEW.balance_minor, 0))
                           - LEAST (s.prev_balance, GREATEST (s.last_balance, 0))
        WHERE creditor_id = s.creditor_id AND currency = s.prev_currency
          AND from_month = s.prev_month AND to_month = s.last_month;
    END IF;
    -- the last balance is no longer open-ended
    IF s.last_balance > 0 THEN
      UPDATE report_roll
        SET start_minor = start_minor - s.last_balance,
            rolled_minor = rolled_minor - s.last_balance
        WHERE creditor_id = s.creditor_id AND currency = s.last_currency
          AND from_month = s.last_month AND to_month = 2147483647;
    END IF;
    -- a later month: the last balance rolls into this one
    IF s.last_month < m AND s.last_balance > 0 THEN
      INSERT INTO report_roll AS r (creditor_id, currency, from_month, to_month, start_minor,
                                    rolled_minor)
        VALUES (s.creditor_id, s.last_currency, s.last_month, m, s.last_balance,
                LEAST (s.last_balance, GREATEST (NEW.balance_minor, 0)))
        ON CONFLICT (creditor_id, currency, from_month, to_month) DO UPDATE
          SET start_minor = r.start_minor + excluded.start_minor,
              rolled_minor = r.rolled_minor + excluded.rolled_minor;
    END IF;
    UPDATE report_roll_case
      SET prev_month = CASE WHEN m > s.last_month THEN s.last_month ELSE s.prev_month END,
          prev_balance = CASE WHEN m > s.last_month THEN s.last_balance ELSE s.prev_balance END,
          prev_currency = CASE WHEN m > s.last_month THEN s.last_currency
                               ELSE s.prev_currency END,
          last_at = NEW.recorded_at, last_month = m, last_balance = NEW.balance_minor,
          last_currency = NEW.currency
      WHERE case_id = NEW.case_id;
  END IF;
  -- the new balance, open-ended
  IF NEW.balance_minor > 0 THEN
    INSERT INTO report_roll AS r (creditor_id, currency, from_month, to_month, start_minor,
                                  rolled_minor)
      VALUES (creditor, NEW.currency, m, 2147483647, NEW.balance_minor, NEW.balance_minor)
      ON CONFLICT (creditor_id, currency, from_month, to_month) DO UPDATE
        SET start_minor = r.start_minor + excluded.start_minor,
            rolled_minor = r.rolled_minor + excluded.rolled_minor;
  END IF;
  RETURN NULL;
END
$$;

CREATE TRIGGER report_roll_row AFTER INSERT OR UPDATE OR DELETE ON balance_history
  FOR EACH ROW EXECUTE FUNCTION dd_report_roll_row ();

CREATE FUNCTION dd_report_roll_creditor () RETURNS trigger
  LANGUAGE plpgsql
  AS $$
BEGIN
  IF current_setting('dd.copying', true) = 'on' THEN
    RETURN NULL;
  END IF;
  IF EXISTS (SELECT 1 FROM balance_history h WHERE h.case_id = NEW.id) THEN
    INSERT INTO report_summary_dirty (name) VALUES ('roll') ON CONFLICT DO NOTHING;
  END IF;
  RETURN NULL;
END
$$;

CREATE TRIGGER report_roll_creditor AFTER UPDATE OF creditor_id ON debt_case
  FOR EACH ROW WHEN (OLD.creditor_id IS DISTINCT FROM NEW.creditor_id)
  EXECUTE FUNCTION dd_report_roll_creditor ();

-- consultants' activities, a statement at a time: a case they had not touched before counts
-- once (all its rows for that consultant are among the new ones)
CREATE FUNCTION dd_report_work_rows () RETURNS trigger
  LANGUAGE plpgsql
  AS $$
BEGIN
  IF current_setting('dd.copying', true) = 'on' THEN
    RETURN NULL;
  END IF;
  IF TG_OP <> 'INSERT' THEN
    INSERT INTO report_summary_dirty (name) VALUES ('work') ON CONFLICT DO NOTHING;
    RETURN NULL;
  END IF;
  -- a consultant's activities are counted one transaction at a time (until it ends), so that
  -- two desks adding to one case at once do not both take it for new
  PERFORM pg_advisory_xact_lock (24, CAST(a.agent_id AS integer))
    FROM (SELECT DISTINCT n.agent_id FROM new_rows n WHERE n.agent_id IS NOT NULL
          ORDER BY 1) a;
  INSERT INTO report_work AS w (agent_id, cases, calls, declarations, status_changes, closed)
    SELECT p.agent_id,
           SUM(CASE WHEN (SELECT COUNT(*) FROM activity a WHERE a.agent_id = p.agent_id
                          AND a.case_id = p.case_id) = p.n THEN 1 ELSE 0 END),
           SUM(p.calls), SUM(p.declarations), SUM(p.status_changes), SUM(p.closed)
    FROM (SELECT n.agent_id, n.case_id, COUNT(*) AS n,
                 SUM(CASE WHEN n.kind = 'call' THEN 1 ELSE 0 END) AS calls,
                 SUM(CASE WHEN n.kind = 'declaration' THEN 1 ELSE 0 END) AS declarations,
                 SUM(CASE WHEN n.kind = 'status' THEN 1 ELSE 0 END) AS status_changes,
                 SUM(CASE WHEN n.kind = 'status' AND (n.refs LIKE '%"to":"closed"%'
                          OR n.refs LIKE '%"to": "closed"%') THEN 1 ELSE 0 END) AS closed
          FROM new_rows n WHERE n.agent_id IS NOT NULL
          GROUP BY n.agent_id, n.case_id) p
    GROUP BY p.agent_id
    ON CONFLICT (agent_id) DO UPDATE
      SET cases = w.cases + excluded.cases, calls = w.calls + excluded.calls,
          declarations = w.declarations + excluded.declarations,
          status_changes = w.status_changes + excluded.status_changes,
          closed = w.closed + excluded.closed;
  RETURN NULL;
END
$$;

CREATE TRIGGER report_work_insert AFTER INSERT ON activity REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION dd_report_work_rows ();
CREATE TRIGGER report_work_change AFTER UPDATE OR DELETE ON activity
  FOR EACH ROW EXECUTE FUNCTION dd_report_work_rows ();

-- a case's open balance moves between due days, creditors, currencies, or in and out
CREATE FUNCTION dd_report_ageing_row () RETURNS trigger
  LANGUAGE plpgsql
  AS $$
BEGIN
  IF current_setting('dd.copying', true) = 'on' THEN
    RETURN NULL;
  END IF;
  IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.status <> 'closed' AND OLD.balance_minor > 0 THEN
    INSERT INTO report_ageing AS a (due_on, creditor_id, currency, cases, balance_minor)
      VALUES (COALESCE(OLD.oldest_due_on, ''), OLD.creditor_id, OLD.currency, -1,
              -OLD.balance_minor)
      ON CONFLICT (due_on, creditor_id, currency) DO UPDATE
        SET cases = a.cases + excluded.cases,
            balance_minor = a.balance_minor + excluded.balance_minor;
  END IF;
  IF TG_OP IN ('UPDATE', 'INSERT') AND NEW.status <> 'closed' AND NEW.balance_minor > 0 THEN
    INSERT INTO report_ageing AS a (due_on, creditor_id, currency, cases, balance_minor)
      VALUES (COALESCE(NEW.oldest_due_on, ''), NEW.creditor_id, NEW.currency, 1,
              NEW.balance_minor)
      ON CONFLICT (due_on, creditor_id, currency) DO UPDATE
        SET cases = a.cases + excluded.cases,
            balance_minor = a.balance_minor + excluded.balance_minor;
  END IF;
  RETURN NULL;
END
$$;

CREATE TRIGGER report_ageing_row
  AFTER INSERT OR DELETE OR UPDATE OF status, balance_minor, oldest_due_on, creditor_id, currency
  ON debt_case FOR EACH ROW EXECUTE FUNCTION dd_report_ageing_row ();
