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
-- triggers only ever append.

CREATE TABLE report_roll (
  creditor_id   INTEGER NOT NULL,
  currency      TEXT    NOT NULL,
  from_month    INTEGER NOT NULL,
  to_month      INTEGER NOT NULL,
  start_minor   INTEGER NOT NULL DEFAULT 0,
  rolled_minor  INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (creditor_id, currency, from_month, to_month)
);

CREATE TABLE report_roll_case (
  case_id        INTEGER PRIMARY KEY,
  creditor_id    INTEGER NOT NULL,
  last_at        TEXT    NOT NULL,
  last_month     INTEGER NOT NULL,
  last_balance   INTEGER NOT NULL,
  last_currency  TEXT    NOT NULL,
  prev_month     INTEGER,
  prev_balance   INTEGER,
  prev_currency  TEXT
);

CREATE TABLE report_work (
  agent_id        INTEGER PRIMARY KEY,
  cases           INTEGER NOT NULL DEFAULT 0,
  calls           INTEGER NOT NULL DEFAULT 0,
  declarations    INTEGER NOT NULL DEFAULT 0,
  status_changes  INTEGER NOT NULL DEFAULT 0,
  closed          INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE report_ageing (
  due_on          TEXT    NOT NULL,
  creditor_id     INTEGER NOT NULL,
  currency        TEXT    NOT NULL,
  cases           INTEGER NOT NULL DEFAULT 0,
  balance_minor   INTEGER NOT NULL DEFAULT 0,
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
         LAG (e.currency) OVER w AS prev_currency
  FROM e WHERE e.rn = 1
  WINDOW w AS (PARTITION BY e.case_id ORDER BY e.month)
)
INSERT INTO report_roll (creditor_id, currency, from_month, to_month, start_minor,
                         rolled_minor)
SELECT c.creditor_id, ch.currency, ch.month, COALESCE (ch.next_month, 2147483647),
       SUM (ch.b),
       SUM (CASE WHEN ch.next_month IS NULL THEN ch.b ELSE MIN (ch.b, MAX (ch.next_b, 0)) END)
FROM chain ch JOIN debt_case c ON c.id = ch.case_id
WHERE ch.b > 0
GROUP BY 1, 2, 3, 4;

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
         LAG (e.month) OVER w AS prev_month, LAG (e.balance_minor) OVER w AS prev_b,
         LAG (e.currency) OVER w AS prev_currency,
         ROW_NUMBER() OVER (PARTITION BY e.case_id ORDER BY e.month DESC) AS from_end
  FROM e WHERE e.rn = 1
  WINDOW w AS (PARTITION BY e.case_id ORDER BY e.month)
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
CREATE TRIGGER report_roll_insert AFTER INSERT ON balance_history
BEGIN
  -- out of order: the summary no longer holds
  INSERT OR IGNORE INTO report_summary_dirty (name)
    SELECT 'roll' FROM report_roll_case s
    WHERE s.case_id = NEW.case_id AND s.last_at > NEW.recorded_at;

  -- the same month again: the month before it rolls into this balance instead
  UPDATE report_roll
    SET rolled_minor = rolled_minor
        + (SELECT MIN (s.prev_balance, MAX (NEW.balance_minor, 0))
                  - MIN (s.prev_balance, MAX (s.last_balance, 0))
           FROM report_roll_case s WHERE s.case_id = NEW.case_id)
    WHERE (creditor_id, currency, from_month, to_month) =
          (SELECT s.creditor_id, s.prev_currency, s.prev_month, s.last_month
           FROM report_roll_case s
           WHERE s.case_id = NEW.case_id AND s.prev_balance > 0
             AND s.last_month = CAST(substr(NEW.recorded_at, 1, 4) AS INTEGER) * 12
                                + CAST(substr(NEW.recorded_at, 6, 2) AS INTEGER) - 1);

  -- the last balance is no longer open-ended
  UPDATE report_roll
    SET start_minor = start_minor - (SELECT s.last_balance FROM report_roll_case s
                                     WHERE s.case_id = NEW.case_id),
        rolled_minor = rolled_minor - (SELECT s.last_balance FROM report_roll_case s
                                       WHERE s.case_id = NEW.case_id)
    WHERE (creditor_id, currency, from_month, to_month) =
          (SELECT s.creditor_id, s.last_currency, s.last_month, 2147483647
           FROM report_roll_case s WHERE s.case_id = NEW.case_id AND s.last_balance > 0);

  -- a later month: the last balance rolls into this one
  INSERT INTO report_roll (creditor_id, currency, from_month, to_month, start_minor,
                           rolled_minor)
    SELECT s.creditor_id, s.last_currency, s.last_month,
           CAST(substr(NEW.recorded_at, 1, 4) AS INTEGER) * 12
           + CAST(substr(NEW.recorded_at, 6, 2) AS INTEGER) - 1,
           s.last_balance, MIN (s.last_balance, MAX (NEW.balance_minor, 0))
    FROM report_roll_case s
    WHERE s.case_id = NEW.case_id AND s.last_balance > 0
      AND s.last_month < CAST(substr(NEW.recorded_at, 1, 4) AS INTEGER) * 12
                         + CAST(substr(NEW.recorded_at, 6, 2) AS INTEGER) - 1
    ON CONFLICT (creditor_id, currency, from_month, to_month) DO UPDATE
      SET start_minor = start_minor + excluded.start_minor,
          rolled_minor = rolled_minor + excluded.rolled_minor;

  -- the new balance, open-ended
  INSERT INTO report_roll (creditor_id, currency, from_month, to_month, start_minor,
                           rolled_minor)
    SELECT COALESCE ((SELECT s.creditor_id FROM report_roll_case s
                      WHERE s.case_id = NEW.case_id), c.creditor_id),
           NEW.currency,
           CAST(substr(NEW.recorded_at, 1, 4) AS INTEGER) * 12
           + CAST(substr(NEW.recorded_at, 6, 2) AS INTEGER) - 1,
           2147483647, NEW.balance_minor, NEW.balance_minor
    FROM debt_case c WHERE c.id = NEW.case_id AND NEW.balance_minor > 0
    ON CONFLICT (creditor_id, currency, from_month, to_month) DO UPDATE
      SET start_minor = start_minor + excluded.start_minor,
          rolled_minor = rolled_minor + excluded.rolled_minor;

  INSERT INTO report_roll_case (case_id, creditor_id, last_at, last_month, last_balance,
                                last_currency)
    SELECT NEW.case_id, c.creditor_id, NEW.recorded_at,
           CAST(substr(NEW.recorded_at, 1, 4) AS INTEGER) * 12
           + CAST(substr(NEW.recorded_at, 6, 2) AS INTEGER) - 1,
           NEW.balance_minor, NEW.currency
    FROM debt_case c WHERE c.id = NEW.case_id
    ON CONFLICT (case_id) DO UPDATE
      SET prev_month = CASE WHEN excluded.last_month > last_month THEN last_month
                            ELSE prev_month END,
          prev_balance = CASE WHEN excluded.last_month > last_month THEN last_balance
                              ELSE prev_balance END,
          prev_currency = CASE WHEN excluded.last_month > last_month THEN last_currency
                               ELSE prev_currency END,
          last_at = excluded.last_at,
          last_month = excluded.last_month,
          last_balance = excluded.last_balance,
          last_currency = excluded.last_currency;
END;

CREATE TRIGGER report_roll_update AFTER UPDATE ON balance_history
BEGIN
  INSERT OR IGNORE INTO report_summary_dirty (name) VALUES ('roll');
END;

CREATE TRIGGER report_roll_delete AFTER DELETE ON balance_history
BEGIN
  INSERT OR IGNORE INTO report_summary_dirty (name) VALUES ('roll');
END;

CREATE TRIGGER report_roll_creditor AFTER UPDATE OF creditor_id ON debt_case
  WHEN OLD.creditor_id IS NOT NEW.creditor_id
BEGIN
  INSERT OR IGNORE INTO report_summary_dirty (name)
    SELECT 'roll' WHERE EXISTS (SELECT 1 FROM balance_history h WHERE h.case_id = NEW.id);
END;

-- a consultant's activity: a case they had not touched yet counts once
CREATE TRIGGER report_work_insert AFTER INSERT ON activity WHEN NEW.agent_id IS NOT NULL
BEGIN
  INSERT INTO report_work (agent_id, cases, calls, declarations, status_changes, closed)
    VALUES (NEW.agent_id,
            CASE WHEN (SELECT COUNT(*) FROM activity a WHERE a.agent_id = NEW.agent_id
                       AND a.case_id = NEW.case_id) = 1 THEN 1 ELSE 0 END,
            CASE WHEN NEW.kind = 'call' THEN 1 ELSE 0 END,
            CASE WHEN NEW.kind = 'declaration' THEN 1 ELSE 0 END,
            CASE WHEN NEW.kind = 'status' THEN 1 ELSE 0 END,
            CASE WHEN NEW.kind = 'status' AND (NEW.refs LIKE '%"to":"closed"%'
                      OR NEW.refs LIKE '%"to": "closed"%') THEN 1 ELSE 0 END)
    ON CONFLICT (agent_id) DO UPDATE
      SET cases = cases + excluded.cases, calls = calls + excluded.calls,
          declarations = declarations + excluded.declarations,
          status_changes = status_changes + excluded.status_changes,
          closed = closed + excluded.closed;
END;

CREATE TRIGGER report_work_update AFTER UPDATE ON activity
BEGIN
  INSERT OR IGNORE INTO report_summary_dirty (name) VALUES ('work');
END;

CREATE TRIGGER report_work_delete AFTER DELETE ON activity
BEGIN
  INSERT OR IGNORE INTO report_summary_dirty (name) VALUES ('work');
END;

-- a case's open balance moves between due days, creditors, currencies, or in and out
CREATE TRIGGER report_ageing_insert AFTER INSERT ON debt_case
BEGIN
  INSERT INTO report_ageing (due_on, creditor_id, currency, cases, balance_minor)
    SELECT COALESCE(NEW.oldest_due_on, ''), NEW.creditor_id, NEW.currency, 1,
           NEW.balance_minor
    WHERE NEW.status <> 'closed' AND NEW.balance_minor > 0
    ON CONFLICT (due_on, creditor_id, currency) DO UPDATE
      SET cases = cases + excluded.cases, balance_minor = balance_minor + excluded.balance_minor;
END;

CREATE TRIGGER report_ageing_update
  AFTER UPDATE OF status, balance_minor, oldest_due_on, creditor_id, currency ON debt_case
BEGIN
  INSERT INTO report_ageing (due_on, creditor_id, currency, cases, balance_minor)
    SELECT COALESCE(OLD.oldest_due_on, ''), OLD.creditor_id, OLD.currency, -1,
           -OLD.balance_minor
    WHERE OLD.status <> 'closed' AND OLD.balance_minor > 0
    ON CONFLICT (due_on, creditor_id, currency) DO UPDATE
      SET cases = cases + excluded.cases, balance_minor = balance_minor + excluded.balance_minor;
  INSERT INTO report_ageing (due_on, creditor_id, currency, cases, balance_minor)
    SELECT COALESCE(NEW.oldest_due_on, ''), NEW.creditor_id, NEW.currency, 1,
           NEW.balance_minor
    WHERE NEW.status <> 'closed' AND NEW.balance_minor > 0
    ON CONFLICT (due_on, creditor_id, currency) DO UPDATE
      SET cases = cases + excluded.cases, balance_minor = balance_minor + excluded.balance_minor;
END;

CREATE TRIGGER report_ageing_delete AFTER DELETE ON debt_case
BEGIN
  INSERT INTO report_ageing (due_on, creditor_id, currency, cases, balance_minor)
    SELECT COALESCE(OLD.oldest_due_on, ''), OLD.creditor_id, OLD.currency, -1,
           -OLD.balance_minor
    WHERE OLD.status <> 'closed' AND OLD.balance_minor > 0
    ON CONFLICT (due_on, creditor_id, currency) DO UPDATE
      SET cases = cases + excluded.cases, balance_minor = balance_minor + excluded.balance_minor;
END;
