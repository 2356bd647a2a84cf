-- SPDX-License-Identifier: GPL-3.0-or-later
-- Schema 26: the campaign results and the work per consultant summed, not recounted (issue 16).
--
-- The campaign report grouped 600,000 messages and 200,000 calls by campaign and joined the
-- ladder's rows by case (1.3 s over a million cases); work for a quarter counted each
-- consultant's distinct cases among a million activities (1.3 s). Both now add up summaries
-- kept by triggers (src/core/reports/dd-reports.c reads them where the filter allows):
--
--   report_sms        per campaign and day (the message's created_at) and currency of its cost:
--                     messages, sent, delivered, failed, replies, billed (with a cost
--                     currency), cost_minor; ladder = 1 rows the same per step of the ladder
--                     the message's case is at (offset_days, channel; ladder = 0 rows have
--                     0 and ''), as the report joins ladder_run by case
--   report_calls      per campaign (or ladder step) and day of started_at ('' when the call
--                     never started; only its keys count then): attempted, answered by a
--                     person, heard to the end, transfers, keyed (any key) and the calls in
--                     which each key was pressed (key_0 … key_9, key_star, key_hash)
--   report_declared   per campaign (or ladder step), day and currency: the declarations made
--                     in started calls and their amounts
--   report_work_month per consultant, month (YYYY-MM) and prev_month: the cases they touched
--                     in that month whose previous month touched was prev_month ('' none).
--                     The cases a consultant touched in months a…b are counted once each:
--                     SUM(cases) over months a…b with prev_month < a.
--   report_work_kinds per consultant and month: calls, declarations, status changes, closings
--
-- The triggers follow every change that moves a figure: a message's state (sent → delivered
-- | failed), replies, cost; a call's start, answer, keys, transfer, declaration; the
-- declaration's amount and currency; a case moving to another ladder step (its messages and
-- calls move with it); deletions (a message, a call, a campaign's, a case's). Activities
-- changed or deleted recount the months of that consultant and case. Opt-outs are not here:
-- the report attributes each to the last message sent before it (a few thousand rows, read
-- as before).
--
-- The triggers add the figures of the old row negated and of the new one in a single
-- grouped upsert per table, so that a change that moves nothing writes nothing.

CREATE TABLE report_sms (
  ladder          INTEGER NOT NULL,
  offset_days     INTEGER NOT NULL,
  channel         TEXT    NOT NULL,
  campaign_id     INTEGER NOT NULL,
  day             TEXT    NOT NULL,
  currency        TEXT    NOT NULL,
  messages        INTEGER NOT NULL DEFAULT 0,
  sent            INTEGER NOT NULL DEFAULT 0,
  delivered       INTEGER NOT NULL DEFAULT 0,
  failed          INTEGER NOT NULL DEFAULT 0,
  replies         INTEGER NOT NULL DEFAULT 0,
  billed          INTEGER NOT NULL DEFAULT 0,
  cost_minor      INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (ladder, offset_days, channel, campaign_id, day, currency)
);

CREATE TABLE report_calls (
  ladder          INTEGER NOT NULL,
  offset_days     INTEGER NOT NULL,
  channel         TEXT    NOT NULL,
  campaign_id     INTEGER NOT NULL,
  day             TEXT    NOT NULL,
  attempted       INTEGER NOT NULL DEFAULT 0,
  person          INTEGER NOT NULL DEFAULT 0,
  heard           INTEGER NOT NULL DEFAULT 0,
  transfers       INTEGER NOT NULL DEFAULT 0,
  keyed           INTEGER NOT NULL DEFAULT 0,
  key_0           INTEGER NOT NULL DEFAULT 0,
  key_1           INTEGER NOT NULL DEFAULT 0,
  key_2           INTEGER NOT NULL DEFAULT 0,
  key_3           INTEGER NOT NULL DEFAULT 0,
  key_4           INTEGER NOT NULL DEFAULT 0,
  key_5           INTEGER NOT NULL DEFAULT 0,
  key_6           INTEGER NOT NULL DEFAULT 0,
  key_7           INTEGER NOT NULL DEFAULT 0,
  key_8           INTEGER NOT NULL DEFAULT 0,
  key_9           INTEGER NOT NULL DEFAULT 0,
  key_star        INTEGER NOT NULL DEFAULT 0,
  key_hash        INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (ladder, offset_days, channel, campaign_id, day)
);

CREATE TABLE report_declared (
  ladder          INTEGER NOT NULL,
  offset_days     INTEGER NOT NULL,
  channel         TEXT    NOT NULL,
  campaign_id     INTEGER NOT NULL,
  day             TEXT    NOT NULL,
  currency        TEXT    NOT NULL,
  declarations    INTEGER NOT NULL DEFAULT 0,
  declared_minor  INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (ladder, offset_days, channel, campaign_id, day, currency)
);

CREATE TABLE report_work_month (
  agent_id        INTEGER NOT NULL,
  month           TEXT    NOT NULL,
  prev_month      TEXT    NOT NULL,
  cases           INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (agent_id, month, prev_month)
);

CREATE TABLE report_work_kinds (
  agent_id        INTEGER NOT NULL,
  month           TEXT    NOT NULL,
  calls           INTEGER NOT NULL DEFAULT 0,
  declarations    INTEGER NOT NULL DEFAULT 0,
  status_changes  INTEGER NOT NULL DEFAULT 0,
  closed          INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (agent_id, month)
);

-- the declarations of calls are found by their id when they change
CREATE INDEX call_attempt_declaration ON call_attempt (declaration_id)
  WHERE declaration_id IS NOT NULL;

-- what the office already has (the build of the summaries from the rows)
INSERT INTO report_sms (ladder, offset_days, channel, campaign_id, day, currency, messages, sent, delivered, failed, replies, billed, cost_minor)
SELECT x.ladder, x.offset_days, x.channel, x.campaign_id, x.day, x.currency, SUM(x.messages), SUM(x.sent), SUM(x.delivered), SUM(x.failed), SUM(x.replies), SUM(x.billed), SUM(x.cost_minor) FROM (
  SELECT 0 AS ladder, 0 AS offset_days, '' AS channel, m.campaign_id AS campaign_id, substr(m.created_at, 1, 10) AS day, COALESCE(m.cost_currency, '') AS currency, 1 AS messages, 1 * CASE WHEN m.state IN ('sent', 'delivered') OR (m.state IN ('failed', 'expired') AND m.sent_at IS NOT NULL) THEN 1 ELSE 0 END AS sent, 1 * CASE WHEN m.state = 'delivered' THEN 1 ELSE 0 END AS delivered, 1 * CASE WHEN m.state IN ('failed', 'expired') THEN 1 ELSE 0 END AS failed, 1 * m.replies AS replies, 1 * CASE WHEN m.cost_currency IS NOT NULL THEN 1 ELSE 0 END AS billed, 1 * COALESCE(m.cost_minor, 0) AS cost_minor FROM message m WHERE m.campaign_id IS NOT NULL
  UNION ALL
  SELECT 1 AS ladder, lr.offset_days AS offset_days, lr.channel AS channel, m.campaign_id AS campaign_id, substr(m.created_at, 1, 10) AS day, COALESCE(m.cost_currency, '') AS currency, 1 AS messages, 1 * CASE WHEN m.state IN ('sent', 'delivered') OR (m.state IN ('failed', 'expired') AND m.sent_at IS NOT NULL) THEN 1 ELSE 0 END AS sent, 1 * CASE WHEN m.state = 'delivered' THEN 1 ELSE 0 END AS delivered, 1 * CASE WHEN m.state IN ('failed', 'expired') THEN 1 ELSE 0 END AS failed, 1 * m.replies AS replies, 1 * CASE WHEN m.cost_currency IS NOT NULL THEN 1 ELSE 0 END AS billed, 1 * COALESCE(m.cost_minor, 0) AS cost_minor FROM message m JOIN ladder_run lr ON lr.case_id = m.case_id WHERE m.campaign_id IS NOT NULL
) x WHERE 1 = 1 GROUP BY x.ladder, x.offset_days, x.channel, x.campaign_id, x.day, x.currency
HAVING SUM(x.messages) <> 0 OR SUM(x.sent) <> 0 OR SUM(x.delivered) <> 0 OR SUM(x.failed) <> 0 OR SUM(x.replies) <> 0 OR SUM(x.billed) <> 0 OR SUM(x.cost_minor) <> 0
ON CONFLICT (ladder, offset_days, channel, campaign_id, day, currency) DO UPDATE SET messages = messages + excluded.messages, sent = sent + excluded.sent, delivered = delivered + excluded.delivered, failed = failed + excluded.failed, replies = replies + excluded.replies, billed = billed + excluded.billed, cost_minor = cost_minor + excluded.cost_minor;

INSERT INTO report_calls (ladder, offset_days, channel, campaign_id, day, attempted, person, heard, transfers, keyed, key_0, key_1, key_2, key_3, key_4, key_5, key_6, key_7, key_8, key_9, key_star, key_hash)
SELECT x.ladder, x.offset_days, x.channel, x.campaign_id, x.day, SUM(x.attempted), SUM(x.person), SUM(x.heard), SUM(x.transfers), SUM(x.keyed), SUM(x.key_0), SUM(x.key_1), SUM(x.key_2), SUM(x.key_3), SUM(x.key_4), SUM(x.key_5), SUM(x.key_6), SUM(x.key_7), SUM(x.key_8), SUM(x.key_9), SUM(x.key_star), SUM(x.key_hash) FROM (
  SELECT 0 AS ladder, 0 AS offset_days, '' AS channel, m.campaign_id AS campaign_id, COALESCE(substr(m.started_at, 1, 10), '') AS day, 1 * CASE WHEN m.started_at IS NOT NULL THEN 1 ELSE 0 END AS attempted, 1 * CASE WHEN m.started_at IS NOT NULL AND COALESCE(m.answered_by, '') = 'person' THEN 1 ELSE 0 END AS person, 1 * CASE WHEN m.started_at IS NOT NULL AND m.heard_to_end <> 0 THEN 1 ELSE 0 END AS heard, 1 * CASE WHEN m.started_at IS NOT NULL AND COALESCE(m.transfer, '') <> '' THEN 1 ELSE 0 END AS transfers, 1 * CASE WHEN COALESCE(m.keys, '') <> '' THEN 1 ELSE 0 END AS keyed, 1 * CASE WHEN instr(COALESCE(m.keys, ''), '0') > 0 THEN 1 ELSE 0 END AS key_0, 1 * CASE WHEN instr(COALESCE(m.keys, ''), '1') > 0 THEN 1 ELSE 0 END AS key_1, 1 * CASE WHEN instr(COALESCE(m.keys, ''), '2') > 0 THEN 1 ELSE 0 END AS key_2, 1 * CASE WHEN instr(COALESCE(m.keys, ''), '3') > 0 THEN 1 ELSE 0 END AS key_3, 1 * CASE WHEN instr(COALESCE(m.keys, ''), '4') > 0 THEN 1 ELSE 0 END AS key_4, 1 * CASE WHEN instr(COALESCE(m.keys, ''), '5') > 0 THEN 1 ELSE 0 END AS key_5, 1 * CASE WHEN instr(COALESCE(m.keys, ''), '6') > 0 THEN 1 ELSE 0 END AS key_6, 1 * CASE WHEN instr(COALESCE(m.keys, ''), '7') > 0 THEN 1 ELSE 0 END AS key_7, 1 * CASE WHEN instr(COALESCE(m.keys, ''), '8') > 0 THEN 1 ELSE 0 END AS key_8, 1 * CASE WHEN instr(COALESCE(m.keys, ''), '9') > 0 THEN 1 ELSE 0 END AS key_9, 1 * CASE WHEN instr(COALESCE(m.keys, ''), '*') > 0 THEN 1 ELSE 0 END AS key_star, 1 * CASE WHEN instr(COALESCE(m.keys, ''), '#') > 0 THEN 1 ELSE 0 END AS key_hash FROM call_attempt m WHERE m.campaign_id IS NOT NULL
  UNION ALL
  SELECT 1 AS ladder, lr.offset_days AS offset_days, lr.channel AS channel, m.campaign_id AS campaign_id, COALESCE(substr(m.started_at, 1, 10), '') AS day, 1 * CASE WHEN m.started_at IS NOT NULL THEN 1 ELSE 0 END AS attempted, 1 * CASE WHEN m.started_at IS NOT NULL AND COALESCE(m.answered_by, '') = 'person' THEN 1 ELSE 0 END AS person, 1 * CASE WHEN m.started_at IS NOT NULL AND m.heard_to_end <> 0 THEN 1 ELSE 0 END AS heard, 1 * CASE WHEN m.started_at IS NOT NULL AND COALESCE(m.transfer, '') <> '' THEN 1 ELSE 0 END AS transfers, 1 * CASE WHEN COALESCE(m.keys, '') <> '' THEN 1 ELSE 0 END AS keyed, 1 * CASE WHEN instr(COALESCE(m.keys, ''), '0') > 0 THEN 1 ELSE 0 END AS key_0, 1 * CASE WHEN instr(COALESCE(m.keys, ''), '1') > 0 THEN 1 ELSE 0 END AS key_1, 1 * CASE WHEN instr(COALESCE(m.keys, ''), '2') > 0 THEN 1 ELSE 0 END AS key_2, 1 * CASE WHEN instr(COALESCE(m.keys, ''), '3') > 0 THEN 1 ELSE 0 END AS key_3, 1 * CASE WHEN instr(COALESCE(m.keys, ''), '4') > 0 THEN 1 ELSE 0 END AS key_4, 1 * CASE WHEN instr(COALESCE(m.keys, ''), '5') > 0 THEN 1 ELSE 0 END AS key_5, 1 * CASE WHEN instr(COALESCE(m.keys, ''), '6') > 0 THEN 1 ELSE 0 END AS key_6, 1 * CASE WHEN instr(COALESCE(m.keys, ''), '7') > 0 THEN 1 ELSE 0 END AS key_7, 1 * CASE WHEN instr(COALESCE(m.keys, ''), '8') > 0 THEN 1 ELSE 0 END AS key_8, 1 * CASE WHEN instr(COALESCE(m.keys, ''), '9') > 0 THEN 1 ELSE 0 END AS key_9, 1 * CASE WHEN instr(COALESCE(m.keys, ''), '*') > 0 THEN 1 ELSE 0 END AS key_star, 1 * CASE WHEN instr(COALESCE(m.keys, ''), '#') > 0 THEN 1 ELSE 0 END AS key_hash FROM call_attempt m JOIN ladder_run lr ON lr.case_id = m.case_id WHERE m.campaign_id IS NOT NULL
) x WHERE 1 = 1 GROUP BY x.ladder, x.offset_days, x.channel, x.campaign_id, x.day
HAVING SUM(x.attempted) <> 0 OR SUM(x.person) <> 0 OR SUM(x.heard) <> 0 OR SUM(x.transfers) <> 0 OR SUM(x.keyed) <> 0 OR SUM(x.key_0) <> 0 OR SUM(x.key_1) <> 0 OR SUM(x.key_2) <> 0 OR SUM(x.key_3) <> 0 OR SUM(x.key_4) <> 0 OR SUM(x.key_5) <> 0 OR SUM(x.key_6) <> 0 OR SUM(x.key_7) <> 0 OR SUM(x.key_8) <> 0 OR SUM(x.key_9) <> 0 OR SUM(x.key_star) <> 0 OR SUM(x.key_hash) <> 0
ON CONFLICT (ladder, offset_days, channel, campaign_id, day) DO UPDATE SET attempted = attempted + excluded.attempted, person = person + excluded.person, heard = heard + excluded.heard, transfers = transfers + excluded.transfers, keyed = keyed + excluded.keyed, key_0 = key_0 + excluded.key_0, key_1 = key_1 + excluded.key_1, key_2 = key_2 + excluded.key_2, key_3 = key_3 + excluded.key_3, key_4 = key_4 + excluded.key_4, key_5 = key_5 + excluded.key_5, key_6 = key_6 + excluded.key_6, key_7 = key_7 + excluded.key_7, key_8 = key_8 + excluded.key_8, key_9 = key_9 + excluded.key_9, key_star = key_star + excluded.key_star, key_hash = key_hash + excluded.key_hash;

INSERT INTO report_declared (ladder, offset_days, channel, campaign_id, day, currency, declarations, declared_minor)
SELECT x.ladder, x.offset_days, x.channel, x.campaign_id, x.day, x.currency, SUM(x.declarations), SUM(x.declared_minor) FROM (
  SELECT 0 AS ladder, 0 AS offset_days, '' AS channel, m.campaign_id AS campaign_id, COALESCE(substr(m.started_at, 1, 10), '') AS day, d.currency AS currency, 1 AS declarations, 1 * d.amount_minor AS declared_minor FROM call_attempt m JOIN declaration d ON d.id = m.declaration_id WHERE m.campaign_id IS NOT NULL AND m.started_at IS NOT NULL
  UNION ALL
  SELECT 1 AS ladder, lr.offset_days AS offset_days, lr.channel AS channel, m.campaign_id AS campaign_id, COALESCE(substr(m.started_at, 1, 10), '') AS day, d.currency AS currency, 1 AS declarations, 1 * d.amount_minor AS declared_minor FROM call_attempt m JOIN declaration d ON d.id = m.declaration_id JOIN ladder_run lr ON lr.case_id = m.case_id WHERE m.campaign_id IS NOT NULL AND m.started_at IS NOT NULL
) x WHERE 1 = 1 GROUP BY x.ladder, x.offset_days, x.channel, x.campaign_id, x.day, x.currency
HAVING SUM(x.declarations) <> 0 OR SUM(x.declared_minor) <> 0
ON CONFLICT (ladder, offset_days, channel, campaign_id, day, currency) DO UPDATE SET declarations = declarations + excluded.declarations, declared_minor = declared_minor + excluded.declared_minor;

INSERT INTO report_work_month (agent_id, month, prev_month, cases)
SELECT x.agent_id, x.month, x.prev_month, SUM(x.n) FROM (
  SELECT c.agent_id, c.month, COALESCE(LAG(c.month) OVER (PARTITION BY c.agent_id, c.case_id ORDER BY c.month), '') AS prev_month, -1 AS n FROM (SELECT DISTINCT w.agent_id, w.case_id, substr(w.created_at, 1, 7) AS month FROM (SELECT a.agent_id, a.case_id, a.created_at FROM activity a WHERE 1 = 0) w) c
  UNION ALL
  SELECT c.agent_id, c.month, COALESCE(LAG(c.month) OVER (PARTITION BY c.agent_id, c.case_id ORDER BY c.month), '') AS prev_month, 1 AS n FROM (SELECT DISTINCT w.agent_id, w.case_id, substr(w.created_at, 1, 7) AS month FROM (SELECT a.agent_id, a.case_id, a.created_at FROM activity a WHERE a.agent_id IS NOT NULL) w) c
) x WHERE 1 = 1 GROUP BY x.agent_id, x.month, x.prev_month HAVING SUM(x.n) <> 0
ON CONFLICT (agent_id, month, prev_month) DO UPDATE SET cases = cases + excluded.cases;

INSERT INTO report_work_kinds (agent_id, month, calls, declarations, status_changes, closed)
SELECT x.agent_id, x.month, SUM(x.calls), SUM(x.declarations), SUM(x.status_changes), SUM(x.closed) FROM (
  SELECT a.agent_id AS agent_id, substr(a.created_at, 1, 7) AS month, 1 * CASE WHEN a.kind = 'call' THEN 1 ELSE 0 END AS calls, 1 * CASE WHEN a.kind = 'declaration' THEN 1 ELSE 0 END AS declarations, 1 * CASE WHEN a.kind = 'status' THEN 1 ELSE 0 END AS status_changes, 1 * CASE WHEN a.kind = 'status' AND (a.refs LIKE '%"to":"closed"%' OR a.refs LIKE '%"to": "closed"%') THEN 1 ELSE 0 END AS closed FROM activity a WHERE a.agent_id IS NOT NULL
) x WHERE 1 = 1 GROUP BY x.agent_id, x.month
HAVING SUM(x.calls) <> 0 OR SUM(x.declarations) <> 0 OR SUM(x.status_changes) <> 0 OR SUM(x.closed) <> 0
ON CONFLICT (agent_id, month) DO UPDATE SET calls = calls + excluded.calls, declarations = declarations + excluded.declarations, status_changes = status_changes + excluded.status_changes, closed = closed + excluded.closed;

-- the triggers

-- a message: its campaign's day and its case's ladder step

CREATE TRIGGER report_sms_insert AFTER INSERT ON message
  WHEN NEW.campaign_id IS NOT NULL
BEGIN
  INSERT INTO report_sms (ladder, offset_days, channel, campaign_id, day, currency, messages, sent, delivered, failed, replies, billed, cost_minor)
  SELECT x.ladder, x.offset_days, x.channel, x.campaign_id, x.day, x.currency, SUM(x.messages), SUM(x.sent), SUM(x.delivered), SUM(x.failed), SUM(x.replies), SUM(x.billed), SUM(x.cost_minor) FROM (
    SELECT 0 AS ladder, 0 AS offset_days, '' AS channel, NEW.campaign_id AS campaign_id, substr(NEW.created_at, 1, 10) AS day, COALESCE(NEW.cost_currency, '') AS currency, 1 AS messages, 1 * CASE WHEN NEW.state IN ('sent', 'delivered') OR (NEW.state IN ('failed', 'expired') AND NEW.sent_at IS NOT NULL) THEN 1 ELSE 0 END AS sent, 1 * CASE WHEN NEW.state = 'delivered' THEN 1 ELSE 0 END AS delivered, 1 * CASE WHEN NEW.state IN ('failed', 'expired') THEN 1 ELSE 0 END AS failed, 1 * NEW.replies AS replies, 1 * CASE WHEN NEW.cost_currency IS NOT NULL THEN 1 ELSE 0 END AS billed, 1 * COALESCE(NEW.cost_minor, 0) AS cost_minor WHERE NEW.campaign_id IS NOT NULL
    UNION ALL
    SELECT 1 AS ladder, lr.offset_days AS offset_days, lr.channel AS channel, NEW.campaign_id AS campaign_id, substr(NEW.created_at, 1, 10) AS day, COALESCE(NEW.cost_currency, '') AS currency, 1 AS messages, 1 * CASE WHEN NEW.state IN ('sent', 'delivered') OR (NEW.state IN ('failed', 'expired') AND NEW.sent_at IS NOT NULL) THEN 1 ELSE 0 END AS sent, 1 * CASE WHEN NEW.state = 'delivered' THEN 1 ELSE 0 END AS delivered, 1 * CASE WHEN NEW.state IN ('failed', 'expired') THEN 1 ELSE 0 END AS failed, 1 * NEW.replies AS replies, 1 * CASE WHEN NEW.cost_currency IS NOT NULL THEN 1 ELSE 0 END AS billed, 1 * COALESCE(NEW.cost_minor, 0) AS cost_minor FROM ladder_run lr JOIN debt_case k ON k.id = lr.case_id WHERE lr.case_id = NEW.case_id AND NEW.campaign_id IS NOT NULL
  ) x WHERE 1 = 1 GROUP BY x.ladder, x.offset_days, x.channel, x.campaign_id, x.day, x.currency
  HAVING SUM(x.messages) <> 0 OR SUM(x.sent) <> 0 OR SUM(x.delivered) <> 0 OR SUM(x.failed) <> 0 OR SUM(x.replies) <> 0 OR SUM(x.billed) <> 0 OR SUM(x.cost_minor) <> 0
  ON CONFLICT (ladder, offset_days, channel, campaign_id, day, currency) DO UPDATE SET messages = messages + excluded.messages, sent = sent + excluded.sent, delivered = delivered + excluded.delivered, failed = failed + excluded.failed, replies = replies + excluded.replies, billed = billed + excluded.billed, cost_minor = cost_minor + excluded.cost_minor;
END;

CREATE TRIGGER report_sms_update AFTER UPDATE OF campaign_id, case_id, created_at, state, sent_at, replies, cost_minor, cost_currency ON message
  WHEN OLD.campaign_id IS NOT NEW.campaign_id OR OLD.case_id IS NOT NEW.case_id OR OLD.created_at IS NOT NEW.created_at OR OLD.state IS NOT NEW.state OR OLD.sent_at IS NOT NEW.sent_at OR OLD.replies IS NOT NEW.replies OR OLD.cost_minor IS NOT NEW.cost_minor OR OLD.cost_currency IS NOT NEW.cost_currency
BEGIN
  INSERT INTO report_sms (ladder, offset_days, channel, campaign_id, day, currency, messages, sent, delivered, failed, replies, billed, cost_minor)
  SELECT x.ladder, x.offset_days, x.channel, x.campaign_id, x.day, x.currency, SUM(x.messages), SUM(x.sent), SUM(x.delivered), SUM(x.failed), SUM(x.replies), SUM(x.billed), SUM(x.cost_minor) FROM (
    SELECT 0 AS ladder, 0 AS offset_days, '' AS channel, OLD.campaign_id AS campaign_id, substr(OLD.created_at, 1, 10) AS day, COALESCE(OLD.cost_currency, '') AS currency, -1 AS messages, -1 * CASE WHEN OLD.state IN ('sent', 'delivered') OR (OLD.state IN ('failed', 'expired') AND OLD.sent_at IS NOT NULL) THEN 1 ELSE 0 END AS sent, -1 * CASE WHEN OLD.state = 'delivered' THEN 1 ELSE 0 END AS delivered, -1 * CASE WHEN OLD.state IN ('failed', 'expired') THEN 1 ELSE 0 END AS failed, -1 * OLD.replies AS replies, -1 * CASE WHEN OLD.cost_currency IS NOT NULL THEN 1 ELSE 0 END AS billed, -1 * COALESCE(OLD.cost_minor, 0) AS cost_minor WHERE OLD.campaign_id IS NOT NULL
    UNION ALL
    SELECT 1 AS ladder, lr.offset_days AS offset_days, lr.channel AS channel, OLD.campaign_id AS campaign_id, substr(OLD.created_at, 1, 10) AS day, COALESCE(OLD.cost_currency, '') AS currency, -1 AS messages, -1 * CASE WHEN OLD.state IN ('sent', 'delivered') OR (OLD.state IN ('failed', 'expired') AND OLD.sent_at IS NOT NULL) THEN 1 ELSE 0 END AS sent, -1 * CASE WHEN OLD.state = 'delivered' THEN 1 ELSE 0 END AS delivered, -1 * CASE WHEN OLD.state IN ('failed', 'expired') THEN 1 ELSE 0 END AS failed, -1 * OLD.replies AS replies, -1 * CASE WHEN OLD.cost_currency IS NOT NULL THEN 1 ELSE 0 END AS billed, -1 * COALESCE(OLD.cost_minor, 0) AS cost_minor FROM ladder_run lr JOIN debt_case k ON k.id = lr.case_id WHERE lr.case_id = OLD.case_id AND OLD.campaign_id IS NOT NULL
    UNION ALL
    SELECT 0 AS ladder, 0 AS offset_days, '' AS channel, NEW.campaign_id AS campaign_id, substr(NEW.created_at, 1, 10) AS day, COALESCE(NEW.cost_currency, '') AS currency, 1 AS messages, 1 * CASE WHEN NEW.state IN ('sent', 'delivered') OR (NEW.state IN ('failed', 'expired') AND NEW.sent_at IS NOT NULL) THEN 1 ELSE 0 END AS sent, 1 * CASE WHEN NEW.state = 'delivered' THEN 1 ELSE 0 END AS delivered, 1 * CASE WHEN NEW.state IN ('failed', 'expired') THEN 1 ELSE 0 END AS failed, 1 * NEW.replies AS replies, 1 * CASE WHEN NEW.cost_currency IS NOT NULL THEN 1 ELSE 0 END AS billed, 1 * COALESCE(NEW.cost_minor, 0) AS cost_minor WHERE NEW.campaign_id IS NOT NULL
    UNION ALL
    SELECT 1 AS ladder, lr.offset_days AS offset_days, lr.channel AS channel, NEW.campaign_id AS campaign_id, substr(NEW.created_at, 1, 10) AS day, COALESCE(NEW.cost_currency, '') AS currency, 1 AS messages, 1 * CASE WHEN NEW.state IN ('sent', 'delivered') OR (NEW.state IN ('failed', 'expired') AND NEW.sent_at IS NOT NULL) THEN 1 ELSE 0 END AS sent, 1 * CASE WHEN NEW.state = 'delivered' THEN 1 ELSE 0 END AS delivered, 1 * CASE WHEN NEW.state IN ('failed', 'expired') THEN 1 ELSE 0 END AS failed, 1 * NEW.replies AS replies, 1 * CASE WHEN NEW.cost_currency IS NOT NULL THEN 1 ELSE 0 END AS billed, 1 * COALESCE(NEW.cost_minor, 0) AS cost_minor FROM ladder_run lr JOIN debt_case k ON k.id = lr.case_id WHERE lr.case_id = NEW.case_id AND NEW.campaign_id IS NOT NULL
  ) x WHERE 1 = 1 GROUP BY x.ladder, x.offset_days, x.channel, x.campaign_id, x.day, x.currency
  HAVING SUM(x.messages) <> 0 OR SUM(x.sent) <> 0 OR SUM(x.delivered) <> 0 OR SUM(x.failed) <> 0 OR SUM(x.replies) <> 0 OR SUM(x.billed) <> 0 OR SUM(x.cost_minor) <> 0
  ON CONFLICT (ladder, offset_days, channel, campaign_id, day, currency) DO UPDATE SET messages = messages + excluded.messages, sent = sent + excluded.sent, delivered = delivered + excluded.delivered, failed = failed + excluded.failed, replies = replies + excluded.replies, billed = billed + excluded.billed, cost_minor = cost_minor + excluded.cost_minor;
END;

CREATE TRIGGER report_sms_delete AFTER DELETE ON message
  WHEN OLD.campaign_id IS NOT NULL
BEGIN
  INSERT INTO report_sms (ladder, offset_days, channel, campaign_id, day, currency, messages, sent, delivered, failed, replies, billed, cost_minor)
  SELECT x.ladder, x.offset_days, x.channel, x.campaign_id, x.day, x.currency, SUM(x.messages), SUM(x.sent), SUM(x.delivered), SUM(x.failed), SUM(x.replies), SUM(x.billed), SUM(x.cost_minor) FROM (
    SELECT 0 AS ladder, 0 AS offset_days, '' AS channel, OLD.campaign_id AS campaign_id, substr(OLD.created_at, 1, 10) AS day, COALESCE(OLD.cost_currency, '') AS currency, -1 AS messages, -1 * CASE WHEN OLD.state IN ('sent', 'delivered') OR (OLD.state IN ('failed', 'expired') AND OLD.sent_at IS NOT NULL) THEN 1 ELSE 0 END AS sent, -1 * CASE WHEN OLD.state = 'delivered' THEN 1 ELSE 0 END AS delivered, -1 * CASE WHEN OLD.state IN ('failed', 'expired') THEN 1 ELSE 0 END AS failed, -1 * OLD.replies AS replies, -1 * CASE WHEN OLD.cost_currency IS NOT NULL THEN 1 ELSE 0 END AS billed, -1 * COALESCE(OLD.cost_minor, 0) AS cost_minor WHERE OLD.campaign_id IS NOT NULL
    UNION ALL
    SELECT 1 AS ladder, lr.offset_days AS offset_days, lr.channel AS channel, OLD.campaign_id AS campaign_id, substr(OLD.created_at, 1, 10) AS day, COALESCE(OLD.cost_currency, '') AS currency, -1 AS messages, -1 * CASE WHEN OLD.state IN ('sent', 'delivered') OR (OLD.state IN ('failed', 'expired') AND OLD.sent_at IS NOT NULL) THEN 1 ELSE 0 END AS sent, -1 * CASE WHEN OLD.state = 'delivered' THEN 1 ELSE 0 END AS delivered, -1 * CASE WHEN OLD.state IN ('failed', 'expired') THEN 1 ELSE 0 END AS failed, -1 * OLD.replies AS replies, -1 * CASE WHEN OLD.cost_currency IS NOT NULL THEN 1 ELSE 0 END AS billed, -1 * COALESCE(OLD.cost_minor, 0) AS cost_minor FROM ladder_run lr JOIN debt_case k ON k.id = lr.case_id WHERE lr.case_id = OLD.case_id AND OLD.campaign_id IS NOT NULL
  ) x WHERE 1 = 1 GROUP BY x.ladder, x.offset_days, x.channel, x.campaign_id, x.day, x.currency
  HAVING SUM(x.messages) <> 0 OR SUM(x.sent) <> 0 OR SUM(x.delivered) <> 0 OR SUM(x.failed) <> 0 OR SUM(x.replies) <> 0 OR SUM(x.billed) <> 0 OR SUM(x.cost_minor) <> 0
  ON CONFLICT (ladder, offset_days, channel, campaign_id, day, currency) DO UPDATE SET messages = messages + excluded.messages, sent = sent + excluded.sent, delivered = delivered + excluded.delivered, failed = failed + excluded.failed, replies = replies + excluded.replies, billed = billed + excluded.billed, cost_minor = cost_minor + excluded.cost_minor;
END;

-- a call: its attempt, answer, keys, transfer and declaration

CREATE TRIGGER report_calls_insert AFTER INSERT ON call_attempt
  WHEN NEW.campaign_id IS NOT NULL
BEGIN
  INSERT INTO report_calls (ladder, offset_days, channel, campaign_id, day, attempted, person, heard, transfers, keyed, key_0, key_1, key_2, key_3, key_4, key_5, key_6, key_7, key_8, key_9, key_star, key_hash)
  SELECT x.ladder, x.offset_days, x.channel, x.campaign_id, x.day, SUM(x.attempted), SUM(x.person), SUM(x.heard), SUM(x.transfers), SUM(x.keyed), SUM(x.key_0), SUM(x.key_1), SUM(x.key_2), SUM(x.key_3), SUM(x.key_4), SUM(x.key_5), SUM(x.key_6), SUM(x.key_7), SUM(x.key_8), SUM(x.key_9), SUM(x.key_star), SUM(x.key_hash) FROM (
    SELECT 0 AS ladder, 0 AS offset_days, '' AS channel, NEW.campaign_id AS campaign_id, COALESCE(substr(NEW.started_at, 1, 10), '') AS day, 1 * CASE WHEN NEW.started_at IS NOT NULL THEN 1 ELSE 0 END AS attempted, 1 * CASE WHEN NEW.started_at IS NOT NULL AND COALESCE(NEW.answered_by, '') = 'person' THEN 1 ELSE 0 END AS person, 1 * CASE WHEN NEW.started_at IS NOT NULL AND NEW.heard_to_end <> 0 THEN 1 ELSE 0 END AS heard, 1 * CASE WHEN NEW.started_at IS NOT NULL AND COALESCE(NEW.transfer, '') <> '' THEN 1 ELSE 0 END AS transfers, 1 * CASE WHEN COALESCE(NEW.keys, '') <> '' THEN 1 ELSE 0 END AS keyed, 1 * CASE WHEN instr(COALESCE(NEW.keys, ''), '0') > 0 THEN 1 ELSE 0 END AS key_0, 1 * CASE WHEN instr(COALESCE(NEW.keys, ''), '1') > 0 THEN 1 ELSE 0 END AS key_1, 1 * CASE WHEN instr(COALESCE(NEW.keys, ''), '2') > 0 THEN 1 ELSE 0 END AS key_2, 1 * CASE WHEN instr(COALESCE(NEW.keys, ''), '3') > 0 THEN 1 ELSE 0 END AS key_3, 1 * CASE WHEN instr(COALESCE(NEW.keys, ''), '4') > 0 THEN 1 ELSE 0 END AS key_4, 1 * CASE WHEN instr(COALESCE(NEW.keys, ''), '5') > 0 THEN 1 ELSE 0 END AS key_5, 1 * CASE WHEN instr(COALESCE(NEW.keys, ''), '6') > 0 THEN 1 ELSE 0 END AS key_6, 1 * CASE WHEN instr(COALESCE(NEW.keys, ''), '7') > 0 THEN 1 ELSE 0 END AS key_7, 1 * CASE WHEN instr(COALESCE(NEW.keys, ''), '8') > 0 THEN 1 ELSE 0 END AS key_8, 1 * CASE WHEN instr(COALESCE(NEW.keys, ''), '9') > 0 THEN 1 ELSE 0 END AS key_9, 1 * CASE WHEN instr(COALESCE(NEW.keys, ''), '*') > 0 THEN 1 ELSE 0 END AS key_star, 1 * CASE WHEN instr(COALESCE(NEW.keys, ''), '#') > 0 THEN 1 ELSE 0 END AS key_hash WHERE NEW.campaign_id IS NOT NULL
    UNION ALL
    SELECT 1 AS ladder, lr.offset_days AS offset_days, lr.channel AS channel, NEW.campaign_id AS campaign_id, COALESCE(substr(NEW.started_at, 1, 10), '') AS day, 1 * CASE WHEN NEW.started_at IS NOT NULL THEN 1 ELSE 0 END AS attempted, 1 * CASE WHEN NEW.started_at IS NOT NULL AND COALESCE(NEW.answered_by, '') = 'person' THEN 1 ELSE 0 END AS person, 1 * CASE WHEN NEW.started_at IS NOT NULL AND NEW.heard_to_end <> 0 THEN 1 ELSE 0 END AS heard, 1 * CASE WHEN NEW.started_at IS NOT NULL AND COALESCE(NEW.transfer, '') <> '' THEN 1 ELSE 0 END AS transfers, 1 * CASE WHEN COALESCE(NEW.keys, '') <> '' THEN 1 ELSE 0 END AS keyed, 1 * CASE WHEN instr(COALESCE(NEW.keys, ''), '0') > 0 THEN 1 ELSE 0 END AS key_0, 1 * CASE WHEN instr(COALESCE(NEW.keys, ''), '1') > 0 THEN 1 ELSE 0 END AS key_1, 1 * CASE WHEN instr(COALESCE(NEW.keys, ''), '2') > 0 THEN 1 ELSE 0 END AS key_2, 1 * CASE WHEN instr(COALESCE(NEW.keys, ''), '3') > 0 THEN 1 ELSE 0 END AS key_3, 1 * CASE WHEN instr(COALESCE(NEW.keys, ''), '4') > 0 THEN 1 ELSE 0 END AS key_4, 1 * CASE WHEN instr(COALESCE(NEW.keys, ''), '5') > 0 THEN 1 ELSE 0 END AS key_5, 1 * CASE WHEN instr(COALESCE(NEW.keys, ''), '6') > 0 THEN 1 ELSE 0 END AS key_6, 1 * CASE WHEN instr(COALESCE(NEW.keys, ''), '7') > 0 THEN 1 ELSE 0 END AS key_7, 1 * CASE WHEN instr(COALESCE(NEW.keys, ''), '8') > 0 THEN 1 ELSE 0 END AS key_8, 1 * CASE WHEN instr(COALESCE(NEW.keys, ''), '9') > 0 THEN 1 ELSE 0 END AS key_9, 1 * CASE WHEN instr(COALESCE(NEW.keys, ''), '*') > 0 THEN 1 ELSE 0 END AS key_star, 1 * CASE WHEN instr(COALESCE(NEW.keys, ''), '#') > 0 THEN 1 ELSE 0 END AS key_hash FROM ladder_run lr JOIN debt_case k ON k.id = lr.case_id WHERE lr.case_id = NEW.case_id AND NEW.campaign_id IS NOT NULL
  ) x WHERE 1 = 1 GROUP BY x.ladder, x.offset_days, x.channel, x.campaign_id, x.day
  HAVING SUM(x.attempted) <> 0 OR SUM(x.person) <> 0 OR SUM(x.heard) <> 0 OR SUM(x.transfers) <> 0 OR SUM(x.keyed) <> 0 OR SUM(x.key_0) <> 0 OR SUM(x.key_1) <> 0 OR SUM(x.key_2) <> 0 OR SUM(x.key_3) <> 0 OR SUM(x.key_4) <> 0 OR SUM(x.key_5) <> 0 OR SUM(x.key_6) <> 0 OR SUM(x.key_7) <> 0 OR SUM(x.key_8) <> 0 OR SUM(x.key_9) <> 0 OR SUM(x.key_star) <> 0 OR SUM(x.key_hash) <> 0
  ON CONFLICT (ladder, offset_days, channel, campaign_id, day) DO UPDATE SET attempted = attempted + excluded.attempted, person = person + excluded.person, heard = heard + excluded.heard, transfers = transfers + excluded.transfers, keyed = keyed + excluded.keyed, key_0 = key_0 + excluded.key_0, key_1 = key_1 + excluded.key_1, key_2 = key_2 + excluded.key_2, key_3 = key_3 + excluded.key_3, key_4 = key_4 + excluded.key_4, key_5 = key_5 + excluded.key_5, key_6 = key_6 + excluded.key_6, key_7 = key_7 + excluded.key_7, key_8 = key_8 + excluded.key_8, key_9 = key_9 + excluded.key_9, key_star = key_star + excluded.key_star, key_hash = key_hash + excluded.key_hash;
  INSERT INTO report_declared (ladder, offset_days, channel, campaign_id, day, currency, declarations, declared_minor)
  SELECT x.ladder, x.offset_days, x.channel, x.campaign_id, x.day, x.currency, SUM(x.declarations), SUM(x.declared_minor) FROM (
    SELECT 0 AS ladder, 0 AS offset_days, '' AS channel, NEW.campaign_id AS campaign_id, COALESCE(substr(NEW.started_at, 1, 10), '') AS day, d.currency AS currency, 1 AS declarations, 1 * d.amount_minor AS declared_minor FROM declaration d WHERE d.id = NEW.declaration_id AND NEW.campaign_id IS NOT NULL AND NEW.started_at IS NOT NULL
    UNION ALL
    SELECT 1 AS ladder, lr.offset_days AS offset_days, lr.channel AS channel, NEW.campaign_id AS campaign_id, COALESCE(substr(NEW.started_at, 1, 10), '') AS day, d.currency AS currency, 1 AS declarations, 1 * d.amount_minor AS declared_minor FROM declaration d, ladder_run lr JOIN debt_case k ON k.id = lr.case_id WHERE lr.case_id = NEW.case_id AND d.id = NEW.declaration_id AND NEW.campaign_id IS NOT NULL AND NEW.started_at IS NOT NULL
  ) x WHERE 1 = 1 GROUP BY x.ladder, x.offset_days, x.channel, x.campaign_id, x.day, x.currency
  HAVING SUM(x.declarations) <> 0 OR SUM(x.declared_minor) <> 0
  ON CONFLICT (ladder, offset_days, channel, campaign_id, day, currency) DO UPDATE SET declarations = declarations + excluded.declarations, declared_minor = declared_minor + excluded.declared_minor;
END;

CREATE TRIGGER report_calls_update AFTER UPDATE OF campaign_id, case_id, started_at, answered_by, heard_to_end, transfer, keys, declaration_id ON call_attempt
  WHEN OLD.campaign_id IS NOT NEW.campaign_id OR OLD.case_id IS NOT NEW.case_id OR OLD.started_at IS NOT NEW.started_at OR OLD.answered_by IS NOT NEW.answered_by OR OLD.heard_to_end IS NOT NEW.heard_to_end OR OLD.transfer IS NOT NEW.transfer OR OLD.keys IS NOT NEW.keys OR OLD.declaration_id IS NOT NEW.declaration_id
BEGIN
  INSERT INTO report_calls (ladder, offset_days, channel, campaign_id, day, attempted, person, heard, transfers, keyed, key_0, key_1, key_2, key_3, key_4, key_5, key_6, key_7, key_8, key_9, key_star, key_hash)
  SELECT x.ladder, x.offset_days, x.channel, x.campaign_id, x.day, SUM(x.attempted), SUM(x.person), SUM(x.heard), SUM(x.transfers), SUM(x.keyed), SUM(x.key_0), SUM(x.key_1), SUM(x.key_2), SUM(x.key_3), SUM(x.key_4), SUM(x.key_5), SUM(x.key_6), SUM(x.key_7), SUM(x.key_8), SUM(x.key_9), SUM(x.key_star), SUM(x.key_hash) FROM (
    SELECT 0 AS ladder, 0 AS offset_days, '' AS channel, OLD.campaign_id AS campaign_id, COALESCE(substr(OLD.started_at, 1, 10), '') AS day, -1 * CASE WHEN OLD.started_at IS NOT NULL THEN 1 ELSE 0 END AS attempted, -1 * CASE WHEN OLD.started_at IS NOT NULL AND COALESCE(OLD.answered_by, '') = 'person' THEN 1 ELSE 0 END AS person, -1 * CASE WHEN OLD.started_at IS NOT NULL AND OLD.heard_to_end <> 0 THEN 1 ELSE 0 END AS heard, -1 * CASE WHEN OLD.started_at IS NOT NULL AND COALESCE(OLD.transfer, '') <> '' THEN 1 ELSE 0 END AS transfers, -1 * CASE WHEN COALESCE(OLD.keys, '') <> '' THEN 1 ELSE 0 END AS keyed, -1 * CASE WHEN instr(COALESCE(OLD.keys, ''), '0') > 0 THEN 1 ELSE 0 END AS key_0, -1 * CASE WHEN instr(COALESCE(OLD.keys, ''), '1') > 0 THEN 1 ELSE 0 END AS key_1, -1 * CASE WHEN instr(COALESCE(OLD.keys, ''), '2') > 0 THEN 1 ELSE 0 END AS key_2, -1 * CASE WHEN instr(COALESCE(OLD.keys, ''), '3') > 0 THEN 1 ELSE 0 END AS key_3, -1 * CASE WHEN instr(COALESCE(OLD.keys, ''), '4') > 0 THEN 1 ELSE 0 END AS key_4, -1 * CASE WHEN instr(COALESCE(OLD.keys, ''), '5') > 0 THEN 1 ELSE 0 END AS key_5, -1 * CASE WHEN instr(COALESCE(OLD.keys, ''), '6') > 0 THEN 1 ELSE 0 END AS key_6, -1 * CASE WHEN instr(COALESCE(OLD.keys, ''), '7') > 0 THEN 1 ELSE 0 END AS key_7, -1 * CASE WHEN instr(COALESCE(OLD.keys, ''), '8') > 0 THEN 1 ELSE 0 END AS key_8, -1 * CASE WHEN instr(COALESCE(OLD.keys, ''), '9') > 0 THEN 1 ELSE 0 END AS key_9, -1 * CASE WHEN instr(COALESCE(OLD.keys, ''), '*') > 0 THEN 1 ELSE 0 END AS key_star, -1 * CASE WHEN instr(COALESCE(OLD.keys, ''), '#') > 0 THEN 1 ELSE 0 END AS key_hash WHERE OLD.campaign_id IS NOT NULL
    UNION ALL
    SELECT 1 AS ladder, lr.offset_days AS offset_days, lr.channel AS channel, OLD.campaign_id AS campaign_id, COALESCE(substr(OLD.started_at, 1, 10), '') AS day, -1 * CASE WHEN OLD.started_at IS NOT NULL THEN 1 ELSE 0 END AS attempted, -1 * CASE WHEN OLD.started_at IS NOT NULL AND COALESCE(OLD.answered_by, '') = 'person' THEN 1 ELSE 0 END AS person, -1 * CASE WHEN OLD.started_at IS NOT NULL AND OLD.heard_to_end <> 0 THEN 1 ELSE 0 END AS heard, -1 * CASE WHEN OLD.started_at IS NOT NULL AND COALESCE(OLD.transfer, '') <> '' THEN 1 ELSE 0 END AS transfers, -1 * CASE WHEN COALESCE(OLD.keys, '') <> '' THEN 1 ELSE 0 END AS keyed, -1 * CASE WHEN instr(COALESCE(OLD.keys, ''), '0') > 0 THEN 1 ELSE 0 END AS key_0, -1 * CASE WHEN instr(COALESCE(OLD.keys, ''), '1') > 0 THEN 1 ELSE 0 END AS key_1, -1 * CASE WHEN instr(COALESCE(OLD.keys, ''), '2') > 0 THEN 1 ELSE 0 END AS key_2, -1 * CASE WHEN instr(COALESCE(OLD.keys, ''), '3') > 0 THEN 1 ELSE 0 END AS key_3, -1 * CASE WHEN instr(COALESCE(OLD.keys, ''), '4') > 0 THEN 1 ELSE 0 END AS key_4, -1 * CASE WHEN instr(COALESCE(OLD.keys, ''), '5') > 0 THEN 1 ELSE 0 END AS key_5, -1 * CASE WHEN instr(COALESCE(OLD.keys, ''), '6') > 0 THEN 1 ELSE 0 END AS key_6, -1 * CASE WHEN instr(COALESCE(OLD.keys, ''), '7') > 0 THEN 1 ELSE 0 END AS key_7, -1 * CASE WHEN instr(COALESCE(OLD.keys, ''), '8') > 0 THEN 1 ELSE 0 END AS key_8, -1 * CASE WHEN instr(COALESCE(OLD.keys, ''), '9') > 0 THEN 1 ELSE 0 END AS key_9, -1 * CASE WHEN instr(COALESCE(OLD.keys, ''), '*') > 0 THEN 1 ELSE 0 END AS key_star, -1 * CASE WHEN instr(COALESCE(OLD.keys, ''), '#') > 0 THEN 1 ELSE 0 END AS key_hash FROM ladder_run lr JOIN debt_case k ON k.id = lr.case_id WHERE lr.case_id = OLD.case_id AND OLD.campaign_id IS NOT NULL
    UNION ALL
    SELECT 0 AS ladder, 0 AS offset_days, '' AS channel, NEW.campaign_id AS campaign_id, COALESCE(substr(NEW.started_at, 1, 10), '') AS day, 1 * CASE WHEN NEW.started_at IS NOT NULL THEN 1 ELSE 0 END AS attempted, 1 * CASE WHEN NEW.started_at IS NOT NULL AND COALESCE(NEW.answered_by, '') = 'person' THEN 1 ELSE 0 END AS person, 1 * CASE WHEN NEW.started_at IS NOT NULL AND NEW.heard_to_end <> 0 THEN 1 ELSE 0 END AS heard, 1 * CASE WHEN NEW.started_at IS NOT NULL AND COALESCE(NEW.transfer, '') <> '' THEN 1 ELSE 0 END AS transfers, 1 * CASE WHEN COALESCE(NEW.keys, '') <> '' THEN 1 ELSE 0 END AS keyed, 1 * CASE WHEN instr(COALESCE(NEW.keys, ''), '0') > 0 THEN 1 ELSE 0 END AS key_0, 1 * CASE WHEN instr(COALESCE(NEW.keys, ''), '1') > 0 THEN 1 ELSE 0 END AS key_1, 1 * CASE WHEN instr(COALESCE(NEW.keys, ''), '2') > 0 THEN 1 ELSE 0 END AS key_2, 1 * CASE WHEN instr(COALESCE(NEW.keys, ''), '3') > 0 THEN 1 ELSE 0 END AS key_3, 1 * CASE WHEN instr(COALESCE(NEW.keys, ''), '4') > 0 THEN 1 ELSE 0 END AS key_4, 1 * CASE WHEN instr(COALESCE(NEW.keys, ''), '5') > 0 THEN 1 ELSE 0 END AS key_5, 1 * CASE WHEN instr(COALESCE(NEW.keys, ''), '6') > 0 THEN 1 ELSE 0 END AS key_6, 1 * CASE WHEN instr(COALESCE(NEW.keys, ''), '7') > 0 THEN 1 ELSE 0 END AS key_7, 1 * CASE WHEN instr(COALESCE(NEW.keys, ''), '8') > 0 THEN 1 ELSE 0 END AS key_8, 1 * CASE WHEN instr(COALESCE(NEW.keys, ''), '9') > 0 THEN 1 ELSE 0 END AS key_9, 1 * CASE WHEN instr(COALESCE(NEW.keys, ''), '*') > 0 THEN 1 ELSE 0 END AS key_star, 1 * CASE WHEN instr(COALESCE(NEW.keys, ''), '#') > 0 THEN 1 ELSE 0 END AS key_hash WHERE NEW.campaign_id IS NOT NULL
    UNION ALL
    SELECT 1 AS ladder, lr.offset_days AS offset_days, lr.channel AS channel, NEW.campaign_id AS campaign_id, COALESCE(substr(NEW.started_at, 1, 10), '') AS day, 1 * CASE WHEN NEW.started_at IS NOT NULL THEN 1 ELSE 0 END AS attempted, 1 * CASE WHEN NEW.started_at IS NOT NULL AND COALESCE(NEW.answered_by, '') = 'person' THEN 1 ELSE 0 END AS person, 1 * CASE WHEN NEW.started_at IS NOT NULL AND NEW.heard_to_end <> 0 THEN 1 ELSE 0 END AS heard, 1 * CASE WHEN NEW.started_at IS NOT NULL AND COALESCE(NEW.transfer, '') <> '' THEN 1 ELSE 0 END AS transfers, 1 * CASE WHEN COALESCE(NEW.keys, '') <> '' THEN 1 ELSE 0 END AS keyed, 1 * CASE WHEN instr(COALESCE(NEW.keys, ''), '0') > 0 THEN 1 ELSE 0 END AS key_0, 1 * CASE WHEN instr(COALESCE(NEW.keys, ''), '1') > 0 THEN 1 ELSE 0 END AS key_1, 1 * CASE WHEN instr(COALESCE(NEW.keys, ''), '2') > 0 THEN 1 ELSE 0 END AS key_2, 1 * CASE WHEN instr(COALESCE(NEW.keys, ''), '3') > 0 THEN 1 ELSE 0 END AS key_3, 1 * CASE WHEN instr(COALESCE(NEW.keys, ''), '4') > 0 THEN 1 ELSE 0 END AS key_4, 1 * CASE WHEN instr(COALESCE(NEW.keys, ''), '5') > 0 THEN 1 ELSE 0 END AS key_5, 1 * CASE WHEN instr(COALESCE(NEW.keys, ''), '6') > 0 THEN 1 ELSE 0 END AS key_6, 1 * CASE WHEN instr(COALESCE(NEW.keys, ''), '7') > 0 THEN 1 ELSE 0 END AS key_7, 1 * CASE WHEN instr(COALESCE(NEW.keys, ''), '8') > 0 THEN 1 ELSE 0 END AS key_8, 1 * CASE WHEN instr(COALESCE(NEW.keys, ''), '9') > 0 THEN 1 ELSE 0 END AS key_9, 1 * CASE WHEN instr(COALESCE(NEW.keys, ''), '*') > 0 THEN 1 ELSE 0 END AS key_star, 1 * CASE WHEN instr(COALESCE(NEW.keys, ''), '#') > 0 THEN 1 ELSE 0 END AS key_hash FROM ladder_run lr JOIN debt_case k ON k.id = lr.case_id WHERE lr.case_id = NEW.case_id AND NEW.campaign_id IS NOT NULL
  ) x WHERE 1 = 1 GROUP BY x.ladder, x.offset_days, x.channel, x.campaign_id, x.day
  HAVING SUM(x.attempted) <> 0 OR SUM(x.person) <> 0 OR SUM(x.heard) <> 0 OR SUM(x.transfers) <> 0 OR SUM(x.keyed) <> 0 OR SUM(x.key_0) <> 0 OR SUM(x.key_1) <> 0 OR SUM(x.key_2) <> 0 OR SUM(x.key_3) <> 0 OR SUM(x.key_4) <> 0 OR SUM(x.key_5) <> 0 OR SUM(x.key_6) <> 0 OR SUM(x.key_7) <> 0 OR SUM(x.key_8) <> 0 OR SUM(x.key_9) <> 0 OR SUM(x.key_star) <> 0 OR SUM(x.key_hash) <> 0
  ON CONFLICT (ladder, offset_days, channel, campaign_id, day) DO UPDATE SET attempted = attempted + excluded.attempted, person = person + excluded.person, heard = heard + excluded.heard, transfers = transfers + excluded.transfers, keyed = keyed + excluded.keyed, key_0 = key_0 + excluded.key_0, key_1 = key_1 + excluded.key_1, key_2 = key_2 + excluded.key_2, key_3 = key_3 + excluded.key_3, key_4 = key_4 + excluded.key_4, key_5 = key_5 + excluded.key_5, key_6 = key_6 + excluded.key_6, key_7 = key_7 + excluded.key_7, key_8 = key_8 + excluded.key_8, key_9 = key_9 + excluded.key_9, key_star = key_star + excluded.key_star, key_hash = key_hash + excluded.key_hash;
  INSERT INTO report_declared (ladder, offset_days, channel, campaign_id, day, currency, declarations, declared_minor)
  SELECT x.ladder, x.offset_days, x.channel, x.campaign_id, x.day, x.currency, SUM(x.declarations), SUM(x.declared_minor) FROM (
    SELECT 0 AS ladder, 0 AS offset_days, '' AS channel, OLD.campaign_id AS campaign_id, COALESCE(substr(OLD.started_at, 1, 10), '') AS day, d.currency AS currency, -1 AS declarations, -1 * d.amount_minor AS declared_minor FROM declaration d WHERE d.id = OLD.declaration_id AND OLD.campaign_id IS NOT NULL AND OLD.started_at IS NOT NULL
    UNION ALL
    SELECT 1 AS ladder, lr.offset_days AS offset_days, lr.channel AS channel, OLD.campaign_id AS campaign_id, COALESCE(substr(OLD.started_at, 1, 10), '') AS day, d.currency AS currency, -1 AS declarations, -1 * d.amount_minor AS declared_minor FROM declaration d, ladder_run lr JOIN debt_case k ON k.id = lr.case_id WHERE lr.case_id = OLD.case_id AND d.id = OLD.declaration_id AND OLD.campaign_id IS NOT NULL AND OLD.started_at IS NOT NULL
    UNION ALL
    SELECT 0 AS ladder, 0 AS offset_days, '' AS channel, NEW.campaign_id AS campaign_id, COALESCE(substr(NEW.started_at, 1, 10), '') AS day, d.currency AS currency, 1 AS declarations, 1 * d.amount_minor AS declared_minor FROM declaration d WHERE d.id = NEW.declaration_id AND NEW.campaign_id IS NOT NULL AND NEW.started_at IS NOT NULL
    UNION ALL
    SELECT 1 AS ladder, lr.offset_days AS offset_days, lr.channel AS channel, NEW.campaign_id AS campaign_id, COALESCE(substr(NEW.started_at, 1, 10), '') AS day, d.currency AS currency, 1 AS declarations, 1 * d.amount_minor AS declared_minor FROM declaration d, ladder_run lr JOIN debt_case k ON k.id = lr.case_id WHERE lr.case_id = NEW.case_id AND d.id = NEW.declaration_id AND NEW.campaign_id IS NOT NULL AND NEW.started_at IS NOT NULL
  ) x WHERE 1 = 1 GROUP BY x.ladder, x.offset_days, x.channel, x.campaign_id, x.day, x.currency
  HAVING SUM(x.declarations) <> 0 OR SUM(x.declared_minor) <> 0
  ON CONFLICT (ladder, offset_days, channel, campaign_id, day, currency) DO UPDATE SET declarations = declarations + excluded.declarations, declared_minor = declared_minor + excluded.declared_minor;
END;

CREATE TRIGGER report_calls_delete AFTER DELETE ON call_attempt
  WHEN OLD.campaign_id IS NOT NULL
BEGIN
  INSERT INTO report_calls (ladder, offset_days, channel, campaign_id, day, attempted, person, heard, transfers, keyed, key_0, key_1, key_2, key_3, key_4, key_5, key_6, key_7, key_8, key_9, key_star, key_hash)
  SELECT x.ladder, x.offset_days, x.channel, x.campaign_id, x.day, SUM(x.attempted), SUM(x.person), SUM(x.heard), SUM(x.transfers), SUM(x.keyed), SUM(x.key_0), SUM(x.key_1), SUM(x.key_2), SUM(x.key_3), SUM(x.key_4), SUM(x.key_5), SUM(x.key_6), SUM(x.key_7), SUM(x.key_8), SUM(x.key_9), SUM(x.key_star), SUM(x.key_hash) FROM (
    SELECT 0 AS ladder, 0 AS offset_days, '' AS channel, OLD.campaign_id AS campaign_id, COALESCE(substr(OLD.started_at, 1, 10), '') AS day, -1 * CASE WHEN OLD.started_at IS NOT NULL THEN 1 ELSE 0 END AS attempted, -1 * CASE WHEN OLD.started_at IS NOT NULL AND COALESCE(OLD.answered_by, '') = 'person' THEN 1 ELSE 0 END AS person, -1 * CASE WHEN OLD.started_at IS NOT NULL AND OLD.heard_to_end <> 0 THEN 1 ELSE 0 END AS heard, -1 * CASE WHEN OLD.started_at IS NOT NULL AND COALESCE(OLD.transfer, '') <> '' THEN 1 ELSE 0 END AS transfers, -1 * CASE WHEN COALESCE(OLD.keys, '') <> '' THEN 1 ELSE 0 END AS keyed, -1 * CASE WHEN instr(COALESCE(OLD.keys, ''), '0') > 0 THEN 1 ELSE 0 END AS key_0, -1 * CASE WHEN instr(COALESCE(OLD.keys, ''), '1') > 0 THEN 1 ELSE 0 END AS key_1, -1 * CASE WHEN instr(COALESCE(OLD.keys, ''), '2') > 0 THEN 1 ELSE 0 END AS key_2, -1 * CASE WHEN instr(COALESCE(OLD.keys, ''), '3') > 0 THEN 1 ELSE 0 END AS key_3, -1 * CASE WHEN instr(COALESCE(OLD.keys, ''), '4') > 0 THEN 1 ELSE 0 END AS key_4, -1 * CASE WHEN instr(COALESCE(OLD.keys, ''), '5') > 0 THEN 1 ELSE 0 END AS key_5, -1 * CASE WHEN instr(COALESCE(OLD.keys, ''), '6') > 0 THEN 1 ELSE 0 END AS key_6, -1 * CASE WHEN instr(COALESCE(OLD.keys, ''), '7') > 0 THEN 1 ELSE 0 END AS key_7, -1 * CASE WHEN instr(COALESCE(OLD.keys, ''), '8') > 0 THEN 1 ELSE 0 END AS key_8, -1 * CASE WHEN instr(COALESCE(OLD.keys, ''), '9') > 0 THEN 1 ELSE 0 END AS key_9, -1 * CASE WHEN instr(COALESCE(OLD.keys, ''), '*') > 0 THEN 1 ELSE 0 END AS key_star, -1 * CASE WHEN instr(COALESCE(OLD.keys, ''), '#') > 0 THEN 1 ELSE 0 END AS key_hash WHERE OLD.campaign_id IS NOT NULL
    UNION ALL
    SELECT 1 AS ladder, lr.offset_days AS offset_days, lr.channel AS channel, OLD.campaign_id AS campaign_id, COALESCE(substr(OLD.started_at, 1, 10), '') AS day, -1 * CASE WHEN OLD.started_at IS NOT NULL THEN 1 ELSE 0 END AS attempted, -1 * CASE WHEN OLD.started_at IS NOT NULL AND COALESCE(OLD.answered_by, '') = 'person' THEN 1 ELSE 0 END AS person, -1 * CASE WHEN OLD.started_at IS NOT NULL AND OLD.heard_to_end <> 0 THEN 1 ELSE 0 END AS heard, -1 * CASE WHEN OLD.started_at IS NOT NULL AND COALESCE(OLD.transfer, '') <> '' THEN 1 ELSE 0 END AS transfers, -1 * CASE WHEN COALESCE(OLD.keys, '') <> '' THEN 1 ELSE 0 END AS keyed, -1 * CASE WHEN instr(COALESCE(OLD.keys, ''), '0') > 0 THEN 1 ELSE 0 END AS key_0, -1 * CASE WHEN instr(COALESCE(OLD.keys, ''), '1') > 0 THEN 1 ELSE 0 END AS key_1, -1 * CASE WHEN instr(COALESCE(OLD.keys, ''), '2') > 0 THEN 1 ELSE 0 END AS key_2, -1 * CASE WHEN instr(COALESCE(OLD.keys, ''), '3') > 0 THEN 1 ELSE 0 END AS key_3, -1 * CASE WHEN instr(COALESCE(OLD.keys, ''), '4') > 0 THEN 1 ELSE 0 END AS key_4, -1 * CASE WHEN instr(COALESCE(OLD.keys, ''), '5') > 0 THEN 1 ELSE 0 END AS key_5, -1 * CASE WHEN instr(COALESCE(OLD.keys, ''), '6') > 0 THEN 1 ELSE 0 END AS key_6, -1 * CASE WHEN instr(COALESCE(OLD.keys, ''), '7') > 0 THEN 1 ELSE 0 END AS key_7, -1 * CASE WHEN instr(COALESCE(OLD.keys, ''), '8') > 0 THEN 1 ELSE 0 END AS key_8, -1 * CASE WHEN instr(COALESCE(OLD.keys, ''), '9') > 0 THEN 1 ELSE 0 END AS key_9, -1 * CASE WHEN instr(COALESCE(OLD.keys, ''), '*') > 0 THEN 1 ELSE 0 END AS key_star, -1 * CASE WHEN instr(COALESCE(OLD.keys, ''), '#') > 0 THEN 1 ELSE 0 END AS key_hash FROM ladder_run lr JOIN debt_case k ON k.id = lr.case_id WHERE lr.case_id = OLD.case_id AND OLD.campaign_id IS NOT NULL
  ) x WHERE 1 = 1 GROUP BY x.ladder, x.offset_days, x.channel, x.campaign_id, x.day
  HAVING SUM(x.attempted) <> 0 OR SUM(x.person) <> 0 OR SUM(x.heard) <> 0 OR SUM(x.transfers) <> 0 OR SUM(x.keyed) <> 0 OR SUM(x.key_0) <> 0 OR SUM(x.key_1) <> 0 OR SUM(x.key_2) <> 0 OR SUM(x.key_3) <> 0 OR SUM(x.key_4) <> 0 OR SUM(x.key_5) <> 0 OR SUM(x.key_6) <> 0 OR SUM(x.key_7) <> 0 OR SUM(x.key_8) <> 0 OR SUM(x.key_9) <> 0 OR SUM(x.key_star) <> 0 OR SUM(x.key_hash) <> 0
  ON CONFLICT (ladder, offset_days, channel, campaign_id, day) DO UPDATE SET attempted = attempted + excluded.attempted, person = person + excluded.person, heard = heard + excluded.heard, transfers = transfers + excluded.transfers, keyed = keyed + excluded.keyed, key_0 = key_0 + excluded.key_0, key_1 = key_1 + excluded.key_1, key_2 = key_2 + excluded.key_2, key_3 = key_3 + excluded.key_3, key_4 = key_4 + excluded.key_4, key_5 = key_5 + excluded.key_5, key_6 = key_6 + excluded.key_6, key_7 = key_7 + excluded.key_7, key_8 = key_8 + excluded.key_8, key_9 = key_9 + excluded.key_9, key_star = key_star + excluded.key_star, key_hash = key_hash + excluded.key_hash;
  INSERT INTO report_declared (ladder, offset_days, channel, campaign_id, day, currency, declarations, declared_minor)
  SELECT x.ladder, x.offset_days, x.channel, x.campaign_id, x.day, x.currency, SUM(x.declarations), SUM(x.declared_minor) FROM (
    SELECT 0 AS ladder, 0 AS offset_days, '' AS channel, OLD.campaign_id AS campaign_id, COALESCE(substr(OLD.started_at, 1, 10), '') AS day, d.currency AS currency, -1 AS declarations, -1 * d.amount_minor AS declared_minor FROM declaration d WHERE d.id = OLD.declaration_id AND OLD.campaign_id IS NOT NULL AND OLD.started_at IS NOT NULL
    UNION ALL
    SELECT 1 AS ladder, lr.offset_days AS offset_days, lr.channel AS channel, OLD.campaign_id AS campaign_id, COALESCE(substr(OLD.started_at, 1, 10), '') AS day, d.currency AS currency, -1 AS declarations, -1 * d.amount_minor AS declared_minor FROM declaration d, ladder_run lr JOIN debt_case k ON k.id = lr.case_id WHERE lr.case_id = OLD.case_id AND d.id = OLD.declaration_id AND OLD.campaign_id IS NOT NULL AND OLD.started_at IS NOT NULL
  ) x WHERE 1 = 1 GROUP BY x.ladder, x.offset_days, x.channel, x.campaign_id, x.day, x.currency
  HAVING SUM(x.declarations) <> 0 OR SUM(x.declared_minor) <> 0
  ON CONFLICT (ladder, offset_days, channel, campaign_id, day, currency) DO UPDATE SET declarations = declarations + excluded.declarations, declared_minor = declared_minor + excluded.declared_minor;
END;

-- a declaration made in a call, written after the call or changed; deleted: taken out
-- before its calls lose it

CREATE TRIGGER report_declared_insert AFTER INSERT ON declaration
BEGIN
  INSERT INTO report_declared (ladder, offset_days, channel, campaign_id, day, currency, declarations, declared_minor)
  SELECT x.ladder, x.offset_days, x.channel, x.campaign_id, x.day, x.currency, SUM(x.declarations), SUM(x.declared_minor) FROM (
    SELECT 0 AS ladder, 0 AS offset_days, '' AS channel, c.campaign_id AS campaign_id, COALESCE(substr(c.started_at, 1, 10), '') AS day, NEW.currency AS currency, 1 AS declarations, 1 * NEW.amount_minor AS declared_minor FROM call_attempt c WHERE c.declaration_id = NEW.id AND c.campaign_id IS NOT NULL AND c.started_at IS NOT NULL
    UNION ALL
    SELECT 1 AS ladder, lr.offset_days AS offset_days, lr.channel AS channel, c.campaign_id AS campaign_id, COALESCE(substr(c.started_at, 1, 10), '') AS day, NEW.currency AS currency, 1 AS declarations, 1 * NEW.amount_minor AS declared_minor FROM call_attempt c JOIN ladder_run lr ON lr.case_id = c.case_id JOIN debt_case k ON k.id = lr.case_id WHERE c.declaration_id = NEW.id AND c.campaign_id IS NOT NULL AND c.started_at IS NOT NULL
  ) x WHERE 1 = 1 GROUP BY x.ladder, x.offset_days, x.channel, x.campaign_id, x.day, x.currency
  HAVING SUM(x.declarations) <> 0 OR SUM(x.declared_minor) <> 0
  ON CONFLICT (ladder, offset_days, channel, campaign_id, day, currency) DO UPDATE SET declarations = declarations + excluded.declarations, declared_minor = declared_minor + excluded.declared_minor;
END;

CREATE TRIGGER report_declared_update AFTER UPDATE OF id, amount_minor, currency ON declaration
  WHEN OLD.id IS NOT NEW.id OR OLD.amount_minor IS NOT NEW.amount_minor OR OLD.currency IS NOT NEW.currency
BEGIN
  INSERT INTO report_declared (ladder, offset_days, channel, campaign_id, day, currency, declarations, declared_minor)
  SELECT x.ladder, x.offset_days, x.channel, x.campaign_id, x.day, x.currency, SUM(x.declarations), SUM(x.declared_minor) FROM (
    SELECT 0 AS ladder, 0 AS offset_days, '' AS channel, c.campaign_id AS campaign_id, COALESCE(substr(c.started_at, 1, 10), '') AS day, OLD.currency AS currency, -1 AS declarations, -1 * OLD.amount_minor AS declared_minor FROM call_attempt c WHERE c.declaration_id = OLD.id AND c.campaign_id IS NOT NULL AND c.started_at IS NOT NULL
    UNION ALL
    SELECT 1 AS ladder, lr.offset_days AS offset_days, lr.channel AS channel, c.campaign_id AS campaign_id, COALESCE(substr(c.started_at, 1, 10), '') AS day, OLD.currency AS currency, -1 AS declarations, -1 * OLD.amount_minor AS declared_minor FROM call_attempt c JOIN ladder_run lr ON lr.case_id = c.case_id JOIN debt_case k ON k.id = lr.case_id WHERE c.declaration_id = OLD.id AND c.campaign_id IS NOT NULL AND c.started_at IS NOT NULL
    UNION ALL
    SELECT 0 AS ladder, 0 AS offset_days, '' AS channel, c.campaign_id AS campaign_id, COALESCE(substr(c.started_at, 1, 10), '') AS day, NEW.currency AS currency, 1 AS declarations, 1 * NEW.amount_minor AS declared_minor FROM call_attempt c WHERE c.declaration_id = NEW.id AND c.campaign_id IS NOT NULL AND c.started_at IS NOT NULL
    UNION ALL
    SELECT 1 AS ladder, lr.offset_days AS offset_days, lr.channel AS channel, c.campaign_id AS campaign_id, COALESCE(substr(c.started_at, 1, 10), '') AS day, NEW.currency AS currency, 1 AS declarations, 1 * NEW.amount_minor AS declared_minor FROM call_attempt c JOIN ladder_run lr ON lr.case_id = c.case_id JOIN debt_case k ON k.id = lr.case_id WHERE c.declaration_id = NEW.id AND c.campaign_id IS NOT NULL AND c.started_at IS NOT NULL
  ) x WHERE 1 = 1 GROUP BY x.ladder, x.offset_days, x.channel, x.campaign_id, x.day, x.currency
  HAVING SUM(x.declarations) <> 0 OR SUM(x.declared_minor) <> 0
  ON CONFLICT (ladder, offset_days, channel, campaign_id, day, currency) DO UPDATE SET declarations = declarations + excluded.declarations, declared_minor = declared_minor + excluded.declared_minor;
END;

CREATE TRIGGER report_declared_delete BEFORE DELETE ON declaration
BEGIN
  INSERT INTO report_declared (ladder, offset_days, channel, campaign_id, day, currency, declarations, declared_minor)
  SELECT x.ladder, x.offset_days, x.channel, x.campaign_id, x.day, x.currency, SUM(x.declarations), SUM(x.declared_minor) FROM (
    SELECT 0 AS ladder, 0 AS offset_days, '' AS channel, c.campaign_id AS campaign_id, COALESCE(substr(c.started_at, 1, 10), '') AS day, OLD.currency AS currency, -1 AS declarations, -1 * OLD.amount_minor AS declared_minor FROM call_attempt c WHERE c.declaration_id = OLD.id AND c.campaign_id IS NOT NULL AND c.started_at IS NOT NULL
    UNION ALL
    SELECT 1 AS ladder, lr.offset_days AS offset_days, lr.channel AS channel, c.campaign_id AS campaign_id, COALESCE(substr(c.started_at, 1, 10), '') AS day, OLD.currency AS currency, -1 AS declarations, -1 * OLD.amount_minor AS declared_minor FROM call_attempt c JOIN ladder_run lr ON lr.case_id = c.case_id JOIN debt_case k ON k.id = lr.case_id WHERE c.declaration_id = OLD.id AND c.campaign_id IS NOT NULL AND c.started_at IS NOT NULL
  ) x WHERE 1 = 1 GROUP BY x.ladder, x.offset_days, x.channel, x.campaign_id, x.day, x.currency
  HAVING SUM(x.declarations) <> 0 OR SUM(x.declared_minor) <> 0
  ON CONFLICT (ladder, offset_days, channel, campaign_id, day, currency) DO UPDATE SET declarations = declarations + excluded.declarations, declared_minor = declared_minor + excluded.declared_minor;
END;

-- a case reaching a ladder step: its messages and calls move to that step

CREATE TRIGGER report_ladder_insert AFTER INSERT ON ladder_run
BEGIN
  INSERT INTO report_sms (ladder, offset_days, channel, campaign_id, day, currency, messages, sent, delivered, failed, replies, billed, cost_minor)
  SELECT x.ladder, x.offset_days, x.channel, x.campaign_id, x.day, x.currency, SUM(x.messages), SUM(x.sent), SUM(x.delivered), SUM(x.failed), SUM(x.replies), SUM(x.billed), SUM(x.cost_minor) FROM (
    SELECT 1 AS ladder, lr.offset_days AS offset_days, lr.channel AS channel, m.campaign_id AS campaign_id, substr(m.created_at, 1, 10) AS day, COALESCE(m.cost_currency, '') AS currency, 1 AS messages, 1 * CASE WHEN m.state IN ('sent', 'delivered') OR (m.state IN ('failed', 'expired') AND m.sent_at IS NOT NULL) THEN 1 ELSE 0 END AS sent, 1 * CASE WHEN m.state = 'delivered' THEN 1 ELSE 0 END AS delivered, 1 * CASE WHEN m.state IN ('failed', 'expired') THEN 1 ELSE 0 END AS failed, 1 * m.replies AS replies, 1 * CASE WHEN m.cost_currency IS NOT NULL THEN 1 ELSE 0 END AS billed, 1 * COALESCE(m.cost_minor, 0) AS cost_minor FROM (SELECT NEW.case_id AS case_id, NEW.offset_days AS offset_days, NEW.channel AS channel) lr JOIN message m ON m.case_id = lr.case_id WHERE m.campaign_id IS NOT NULL
  ) x WHERE 1 = 1 GROUP BY x.ladder, x.offset_days, x.channel, x.campaign_id, x.day, x.currency
  HAVING SUM(x.messages) <> 0 OR SUM(x.sent) <> 0 OR SUM(x.delivered) <> 0 OR SUM(x.failed) <> 0 OR SUM(x.replies) <> 0 OR SUM(x.billed) <> 0 OR SUM(x.cost_minor) <> 0
  ON CONFLICT (ladder, offset_days, channel, campaign_id, day, currency) DO UPDATE SET messages = messages + excluded.messages, sent = sent + excluded.sent, delivered = delivered + excluded.delivered, failed = failed + excluded.failed, replies = replies + excluded.replies, billed = billed + excluded.billed, cost_minor = cost_minor + excluded.cost_minor;
  INSERT INTO report_calls (ladder, offset_days, channel, campaign_id, day, attempted, person, heard, transfers, keyed, key_0, key_1, key_2, key_3, key_4, key_5, key_6, key_7, key_8, key_9, key_star, key_hash)
  SELECT x.ladder, x.offset_days, x.channel, x.campaign_id, x.day, SUM(x.attempted), SUM(x.person), SUM(x.heard), SUM(x.transfers), SUM(x.keyed), SUM(x.key_0), SUM(x.key_1), SUM(x.key_2), SUM(x.key_3), SUM(x.key_4), SUM(x.key_5), SUM(x.key_6), SUM(x.key_7), SUM(x.key_8), SUM(x.key_9), SUM(x.key_star), SUM(x.key_hash) FROM (
    SELECT 1 AS ladder, lr.offset_days AS offset_days, lr.channel AS channel, m.campaign_id AS campaign_id, COALESCE(substr(m.started_at, 1, 10), '') AS day, 1 * CASE WHEN m.started_at IS NOT NULL THEN 1 ELSE 0 END AS attempted, 1 * CASE WHEN m.started_at IS NOT NULL AND COALESCE(m.answered_by, '') = 'person' THEN 1 ELSE 0 END AS person, 1 * CASE WHEN m.started_at IS NOT NULL AND m.heard_to_end <> 0 THEN 1 ELSE 0 END AS heard, 1 * CASE WHEN m.started_at IS NOT NULL AND COALESCE(m.transfer, '') <> '' THEN 1 ELSE 0 END AS transfers, 1 * CASE WHEN COALESCE(m.keys, '') <> '' THEN 1 ELSE 0 END AS keyed, 1 * CASE WHEN instr(COALESCE(m.keys, ''), '0') > 0 THEN 1 ELSE 0 END AS key_0, 1 * CASE WHEN instr(COALESCE(m.keys, ''), '1') > 0 THEN 1 ELSE 0 END AS key_1, 1 * CASE WHEN instr(COALESCE(m.keys, ''), '2') > 0 THEN 1 ELSE 0 END AS key_2, 1 * CASE WHEN instr(COALESCE(m.keys, ''), '3') > 0 THEN 1 ELSE 0 END AS key_3, 1 * CASE WHEN instr(COALESCE(m.keys, ''), '4') > 0 THEN 1 ELSE 0 END AS key_4, 1 * CASE WHEN instr(COALESCE(m.keys, ''), '5') > 0 THEN 1 ELSE 0 END AS key_5, 1 * CASE WHEN instr(COALESCE(m.keys, ''), '6') > 0 THEN 1 ELSE 0 END AS key_6, 1 * CASE WHEN instr(COALESCE(m.keys, ''), '7') > 0 THEN 1 ELSE 0 END AS key_7, 1 * CASE WHEN instr(COALESCE(m.keys, ''), '8') > 0 THEN 1 ELSE 0 END AS key_8, 1 * CASE WHEN instr(COALESCE(m.keys, ''), '9') > 0 THEN 1 ELSE 0 END AS key_9, 1 * CASE WHEN instr(COALESCE(m.keys, ''), '*') > 0 THEN 1 ELSE 0 END AS key_star, 1 * CASE WHEN instr(COALESCE(m.keys, ''), '#') > 0 THEN 1 ELSE 0 END AS key_hash FROM (SELECT NEW.case_id AS case_id, NEW.offset_days AS offset_days, NEW.channel AS channel) lr JOIN call_attempt m ON m.case_id = lr.case_id WHERE m.campaign_id IS NOT NULL
  ) x WHERE 1 = 1 GROUP BY x.ladder, x.offset_days, x.channel, x.campaign_id, x.day
  HAVING SUM(x.attempted) <> 0 OR SUM(x.person) <> 0 OR SUM(x.heard) <> 0 OR SUM(x.transfers) <> 0 OR SUM(x.keyed) <> 0 OR SUM(x.key_0) <> 0 OR SUM(x.key_1) <> 0 OR SUM(x.key_2) <> 0 OR SUM(x.key_3) <> 0 OR SUM(x.key_4) <> 0 OR SUM(x.key_5) <> 0 OR SUM(x.key_6) <> 0 OR SUM(x.key_7) <> 0 OR SUM(x.key_8) <> 0 OR SUM(x.key_9) <> 0 OR SUM(x.key_star) <> 0 OR SUM(x.key_hash) <> 0
  ON CONFLICT (ladder, offset_days, channel, campaign_id, day) DO UPDATE SET attempted = attempted + excluded.attempted, person = person + excluded.person, heard = heard + excluded.heard, transfers = transfers + excluded.transfers, keyed = keyed + excluded.keyed, key_0 = key_0 + excluded.key_0, key_1 = key_1 + excluded.key_1, key_2 = key_2 + excluded.key_2, key_3 = key_3 + excluded.key_3, key_4 = key_4 + excluded.key_4, key_5 = key_5 + excluded.key_5, key_6 = key_6 + excluded.key_6, key_7 = key_7 + excluded.key_7, key_8 = key_8 + excluded.key_8, key_9 = key_9 + excluded.key_9, key_star = key_star + excluded.key_star, key_hash = key_hash + excluded.key_hash;
  INSERT INTO report_declared (ladder, offset_days, channel, campaign_id, day, currency, declarations, declared_minor)
  SELECT x.ladder, x.offset_days, x.channel, x.campaign_id, x.day, x.currency, SUM(x.declarations), SUM(x.declared_minor) FROM (
    SELECT 1 AS ladder, lr.offset_days AS offset_days, lr.channel AS channel, m.campaign_id AS campaign_id, COALESCE(substr(m.started_at, 1, 10), '') AS day, d.currency AS currency, 1 AS declarations, 1 * d.amount_minor AS declared_minor FROM (SELECT NEW.case_id AS case_id, NEW.offset_days AS offset_days, NEW.channel AS channel) lr JOIN call_attempt m ON m.case_id = lr.case_id JOIN declaration d ON d.id = m.declaration_id WHERE m.campaign_id IS NOT NULL AND m.started_at IS NOT NULL
  ) x WHERE 1 = 1 GROUP BY x.ladder, x.offset_days, x.channel, x.campaign_id, x.day, x.currency
  HAVING SUM(x.declarations) <> 0 OR SUM(x.declared_minor) <> 0
  ON CONFLICT (ladder, offset_days, channel, campaign_id, day, currency) DO UPDATE SET declarations = declarations + excluded.declarations, declared_minor = declared_minor + excluded.declared_minor;
END;

CREATE TRIGGER report_ladder_update AFTER UPDATE OF case_id, offset_days, channel ON ladder_run
  WHEN OLD.case_id IS NOT NEW.case_id OR OLD.offset_days IS NOT NEW.offset_days OR OLD.channel IS NOT NEW.channel
BEGIN
  INSERT INTO report_sms (ladder, offset_days, channel, campaign_id, day, currency, messages, sent, delivered, failed, replies, billed, cost_minor)
  SELECT x.ladder, x.offset_days, x.channel, x.campaign_id, x.day, x.currency, SUM(x.messages), SUM(x.sent), SUM(x.delivered), SUM(x.failed), SUM(x.replies), SUM(x.billed), SUM(x.cost_minor) FROM (
    SELECT 1 AS ladder, lr.offset_days AS offset_days, lr.channel AS channel, m.campaign_id AS campaign_id, substr(m.created_at, 1, 10) AS day, COALESCE(m.cost_currency, '') AS currency, -1 AS messages, -1 * CASE WHEN m.state IN ('sent', 'delivered') OR (m.state IN ('failed', 'expired') AND m.sent_at IS NOT NULL) THEN 1 ELSE 0 END AS sent, -1 * CASE WHEN m.state = 'delivered' THEN 1 ELSE 0 END AS delivered, -1 * CASE WHEN m.state IN ('failed', 'expired') THEN 1 ELSE 0 END AS failed, -1 * m.replies AS replies, -1 * CASE WHEN m.cost_currency IS NOT NULL THEN 1 ELSE 0 END AS billed, -1 * COALESCE(m.cost_minor, 0) AS cost_minor FROM (SELECT OLD.case_id AS case_id, OLD.offset_days AS offset_days, OLD.channel AS channel) lr JOIN message m ON m.case_id = lr.case_id WHERE m.campaign_id IS NOT NULL
    UNION ALL
    SELECT 1 AS ladder, lr.offset_days AS offset_days, lr.channel AS channel, m.campaign_id AS campaign_id, substr(m.created_at, 1, 10) AS day, COALESCE(m.cost_currency, '') AS currency, 1 AS messages, 1 * CASE WHEN m.state IN ('sent', 'delivered') OR (m.state IN ('failed', 'expired') AND m.sent_at IS NOT NULL) THEN 1 ELSE 0 END AS sent, 1 * CASE WHEN m.state = 'delivered' THEN 1 ELSE 0 END AS delivered, 1 * CASE WHEN m.state IN ('failed', 'expired') THEN 1 ELSE 0 END AS failed, 1 * m.replies AS replies, 1 * CASE WHEN m.cost_currency IS NOT NULL THEN 1 ELSE 0 END AS billed, 1 * COALESCE(m.cost_minor, 0) AS cost_minor FROM (SELECT NEW.case_id AS case_id, NEW.offset_days AS offset_days, NEW.channel AS channel) lr JOIN message m ON m.case_id = lr.case_id WHERE m.campaign_id IS NOT NULL
  ) x WHERE 1 = 1 GROUP BY x.ladder, x.offset_days, x.channel, x.campaign_id, x.day, x.currency
  HAVING SUM(x.messages) <> 0 OR SUM(x.sent) <> 0 OR SUM(x.delivered) <> 0 OR SUM(x.failed) <> 0 OR SUM(x.replies) <> 0 OR SUM(x.billed) <> 0 OR SUM(x.cost_minor) <> 0
  ON CONFLICT (ladder, offset_days, channel, campaign_id, day, currency) DO UPDATE SET messages = messages + excluded.messages, sent = sent + excluded.sent, delivered = delivered + excluded.delivered, failed = failed + excluded.failed, replies = replies + excluded.replies, billed = billed + excluded.billed, cost_minor = cost_minor + excluded.cost_minor;
  INSERT INTO report_calls (ladder, offset_days, channel, campaign_id, day, attempted, person, heard, transfers, keyed, key_0, key_1, key_2, key_3, key_4, key_5, key_6, key_7, key_8, key_9, key_star, key_hash)
  SELECT x.ladder, x.offset_days, x.channel, x.campaign_id, x.day, SUM(x.attempted), SUM(x.person), SUM(x.heard), SUM(x.transfers), SUM(x.keyed), SUM(x.key_0), SUM(x.key_1), SUM(x.key_2), SUM(x.key_3), SUM(x.key_4), SUM(x.key_5), SUM(x.key_6), SUM(x.key_7), SUM(x.key_8), SUM(x.key_9), SUM(x.key_star), SUM(x.key_hash) FROM (
    SELECT 1 AS ladder, lr.offset_days AS offset_days, lr.channel AS channel, m.campaign_id AS campaign_id, COALESCE(substr(m.started_at, 1, 10), '') AS day, -1 * CASE WHEN m.started_at IS NOT NULL THEN 1 ELSE 0 END AS attempted, -1 * CASE WHEN m.started_at IS NOT NULL AND COALESCE(m.answered_by, '') = 'person' THEN 1 ELSE 0 END AS person, -1 * CASE WHEN m.started_at IS NOT NULL AND m.heard_to_end <> 0 THEN 1 ELSE 0 END AS heard, -1 * CASE WHEN m.started_at IS NOT NULL AND COALESCE(m.transfer, '') <> '' THEN 1 ELSE 0 END AS transfers, -1 * CASE WHEN COALESCE(m.keys, '') <> '' THEN 1 ELSE 0 END AS keyed, -1 * CASE WHEN instr(COALESCE(m.keys, ''), '0') > 0 THEN 1 ELSE 0 END AS key_0, -1 * CASE WHEN instr(COALESCE(m.keys, ''), '1') > 0 THEN 1 ELSE 0 END AS key_1, -1 * CASE WHEN instr(COALESCE(m.keys, ''), '2') > 0 THEN 1 ELSE 0 END AS key_2, -1 * CASE WHEN instr(COALESCE(m.keys, ''), '3') > 0 THEN 1 ELSE 0 END AS key_3, -1 * CASE WHEN instr(COALESCE(m.keys, ''), '4') > 0 THEN 1 ELSE 0 END AS key_4, -1 * CASE WHEN instr(COALESCE(m.keys, ''), '5') > 0 THEN 1 ELSE 0 END AS key_5, -1 * CASE WHEN instr(COALESCE(m.keys, ''), '6') > 0 THEN 1 ELSE 0 END AS key_6, -1 * CASE WHEN instr(COALESCE(m.keys, ''), '7') > 0 THEN 1 ELSE 0 END AS key_7, -1 * CASE WHEN instr(COALESCE(m.keys, ''), '8') > 0 THEN 1 ELSE 0 END AS key_8, -1 * CASE WHEN instr(COALESCE(m.keys, ''), '9') > 0 THEN 1 ELSE 0 END AS key_9, -1 * CASE WHEN instr(COALESCE(m.keys, ''), '*') > 0 THEN 1 ELSE 0 END AS key_star, -1 * CASE WHEN instr(COALESCE(m.keys, ''), '#') > 0 THEN 1 ELSE 0 END AS key_hash FROM (SELECT OLD.case_id AS case_id, OLD.offset_days AS offset_days, OLD.channel AS channel) lr JOIN call_attempt m ON m.case_id = lr.case_id WHERE m.campaign_id IS NOT NULL
    UNION ALL
    SELECT 1 AS ladder, lr.offset_days AS offset_days, lr.channel AS channel, m.campaign_id AS campaign_id, COALESCE(substr(m.started_at, 1, 10), '') AS day, 1 * CASE WHEN m.started_at IS NOT NULL THEN 1 ELSE 0 END AS attempted, 1 * CASE WHEN m.started_at IS NOT NULL AND COALESCE(m.answered_by, '') = 'person' THEN 1 ELSE 0 END AS person, 1 * CASE WHEN m.started_at IS NOT NULL AND m.heard_to_end <> 0 THEN 1 ELSE 0 END AS heard, 1 * CASE WHEN m.started_at IS NOT NULL AND COALESCE(m.transfer, '') <> '' THEN 1 ELSE 0 END AS transfers, 1 * CASE WHEN COALESCE(m.keys, '') <> '' THEN 1 ELSE 0 END AS keyed, 1 * CASE WHEN instr(COALESCE(m.keys, ''), '0') > 0 THEN 1 ELSE 0 END AS key_0, 1 * CASE WHEN instr(COALESCE(m.keys, ''), '1') > 0 THEN 1 ELSE 0 END AS key_1, 1 * CASE WHEN instr(COALESCE(m.keys, ''), '2') > 0 THEN 1 ELSE 0 END AS key_2, 1 * CASE WHEN instr(COALESCE(m.keys, ''), '3') > 0 THEN 1 ELSE 0 END AS key_3, 1 * CASE WHEN instr(COALESCE(m.keys, ''), '4') > 0 THEN 1 ELSE 0 END AS key_4, 1 * CASE WHEN instr(COALESCE(m.keys, ''), '5') > 0 THEN 1 ELSE 0 END AS key_5, 1 * CASE WHEN instr(COALESCE(m.keys, ''), '6') > 0 THEN 1 ELSE 0 END AS key_6, 1 * CASE WHEN instr(COALESCE(m.keys, ''), '7') > 0 THEN 1 ELSE 0 END AS key_7, 1 * CASE WHEN instr(COALESCE(m.keys, ''), '8') > 0 THEN 1 ELSE 0 END AS key_8, 1 * CASE WHEN instr(COALESCE(m.keys, ''), '9') > 0 THEN 1 ELSE 0 END AS key_9, 1 * CASE WHEN instr(COALESCE(m.keys, ''), '*') > 0 THEN 1 ELSE 0 END AS key_star, 1 * CASE WHEN instr(COALESCE(m.keys, ''), '#') > 0 THEN 1 ELSE 0 END AS key_hash FROM (SELECT NEW.case_id AS case_id, NEW.offset_days AS offset_days, NEW.channel AS channel) lr JOIN call_attempt m ON m.case_id = lr.case_id WHERE m.campaign_id IS NOT NULL
  ) x WHERE 1 = 1 GROUP BY x.ladder, x.offset_days, x.channel, x.campaign_id, x.day
  HAVING SUM(x.attempted) <> 0 OR SUM(x.person) <> 0 OR SUM(x.heard) <> 0 OR SUM(x.transfers) <> 0 OR SUM(x.keyed) <> 0 OR SUM(x.key_0) <> 0 OR SUM(x.key_1) <> 0 OR SUM(x.key_2) <> 0 OR SUM(x.key_3) <> 0 OR SUM(x.key_4) <> 0 OR SUM(x.key_5) <> 0 OR SUM(x.key_6) <> 0 OR SUM(x.key_7) <> 0 OR SUM(x.key_8) <> 0 OR SUM(x.key_9) <> 0 OR SUM(x.key_star) <> 0 OR SUM(x.key_hash) <> 0
  ON CONFLICT (ladder, offset_days, channel, campaign_id, day) DO UPDATE SET attempted = attempted + excluded.attempted, person = person + excluded.person, heard = heard + excluded.heard, transfers = transfers + excluded.transfers, keyed = keyed + excluded.keyed, key_0 = key_0 + excluded.key_0, key_1 = key_1 + excluded.key_1, key_2 = key_2 + excluded.key_2, key_3 = key_3 + excluded.key_3, key_4 = key_4 + excluded.key_4, key_5 = key_5 + excluded.key_5, key_6 = key_6 + excluded.key_6, key_7 = key_7 + excluded.key_7, key_8 = key_8 + excluded.key_8, key_9 = key_9 + excluded.key_9, key_star = key_star + excluded.key_star, key_hash = key_hash + excluded.key_hash;
  INSERT INTO report_declared (ladder, offset_days, channel, campaign_id, day, currency, declarations, declared_minor)
  SELECT x.ladder, x.offset_days, x.channel, x.campaign_id, x.day, x.currency, SUM(x.declarations), SUM(x.declared_minor) FROM (
    SELECT 1 AS ladder, lr.offset_days AS offset_days, lr.channel AS channel, m.campaign_id AS campaign_id, COALESCE(substr(m.started_at, 1, 10), '') AS day, d.currency AS currency, -1 AS declarations, -1 * d.amount_minor AS declared_minor FROM (SELECT OLD.case_id AS case_id, OLD.offset_days AS offset_days, OLD.channel AS channel) lr JOIN call_attempt m ON m.case_id = lr.case_id JOIN declaration d ON d.id = m.declaration_id WHERE m.campaign_id IS NOT NULL AND m.started_at IS NOT NULL
    UNION ALL
    SELECT 1 AS ladder, lr.offset_days AS offset_days, lr.channel AS channel, m.campaign_id AS campaign_id, COALESCE(substr(m.started_at, 1, 10), '') AS day, d.currency AS currency, 1 AS declarations, 1 * d.amount_minor AS declared_minor FROM (SELECT NEW.case_id AS case_id, NEW.offset_days AS offset_days, NEW.channel AS channel) lr JOIN call_attempt m ON m.case_id = lr.case_id JOIN declaration d ON d.id = m.declaration_id WHERE m.campaign_id IS NOT NULL AND m.started_at IS NOT NULL
  ) x WHERE 1 = 1 GROUP BY x.ladder, x.offset_days, x.channel, x.campaign_id, x.day, x.currency
  HAVING SUM(x.declarations) <> 0 OR SUM(x.declared_minor) <> 0
  ON CONFLICT (ladder, offset_days, channel, campaign_id, day, currency) DO UPDATE SET declarations = declarations + excluded.declarations, declared_minor = declared_minor + excluded.declared_minor;
END;

CREATE TRIGGER report_ladder_delete AFTER DELETE ON ladder_run
  WHEN EXISTS (SELECT 1 FROM debt_case k WHERE k.id = OLD.case_id)
BEGIN
  INSERT INTO report_sms (ladder, offset_days, channel, campaign_id, day, currency, messages, sent, delivered, failed, replies, billed, cost_minor)
  SELECT x.ladder, x.offset_days, x.channel, x.campaign_id, x.day, x.currency, SUM(x.messages), SUM(x.sent), SUM(x.delivered), SUM(x.failed), SUM(x.replies), SUM(x.billed), SUM(x.cost_minor) FROM (
    SELECT 1 AS ladder, lr.offset_days AS offset_days, lr.channel AS channel, m.campaign_id AS campaign_id, substr(m.created_at, 1, 10) AS day, COALESCE(m.cost_currency, '') AS currency, -1 AS messages, -1 * CASE WHEN m.state IN ('sent', 'delivered') OR (m.state IN ('failed', 'expired') AND m.sent_at IS NOT NULL) THEN 1 ELSE 0 END AS sent, -1 * CASE WHEN m.state = 'delivered' THEN 1 ELSE 0 END AS delivered, -1 * CASE WHEN m.state IN ('failed', 'expired') THEN 1 ELSE 0 END AS failed, -1 * m.replies AS replies, -1 * CASE WHEN m.cost_currency IS NOT NULL THEN 1 ELSE 0 END AS billed, -1 * COALESCE(m.cost_minor, 0) AS cost_minor FROM (SELECT OLD.case_id AS case_id, OLD.offset_days AS offset_days, OLD.channel AS channel) lr JOIN message m ON m.case_id = lr.case_id WHERE m.campaign_id IS NOT NULL
  ) x WHERE 1 = 1 GROUP BY x.ladder, x.offset_days, x.channel, x.campaign_id, x.day, x.currency
  HAVING SUM(x.messages) <> 0 OR SUM(x.sent) <> 0 OR SUM(x.delivered) <> 0 OR SUM(x.failed) <> 0 OR SUM(x.replies) <> 0 OR SUM(x.billed) <> 0 OR SUM(x.cost_minor) <> 0
  ON CONFLICT (ladder, offset_days, channel, campaign_id, day, currency) DO UPDATE SET messages = messages + excluded.messages, sent = sent + excluded.sent, delivered = delivered + excluded.delivered, failed = failed + excluded.failed, replies = replies + excluded.replies, billed = billed + excluded.billed, cost_minor = cost_minor + excluded.cost_minor;
  INSERT INTO report_calls (ladder, offset_days, channel, campaign_id, day, attempted, person, heard, transfers, keyed, key_0, key_1, key_2, key_3, key_4, key_5, key_6, key_7, key_8, key_9, key_star, key_hash)
  SELECT x.ladder, x.offset_days, x.channel, x.campaign_id, x.day, SUM(x.attempted), SUM(x.person), SUM(x.heard), SUM(x.transfers), SUM(x.keyed), SUM(x.key_0), SUM(x.key_1), SUM(x.key_2), SUM(x.key_3), SUM(x.key_4), SUM(x.key_5), SUM(x.key_6), SUM(x.key_7), SUM(x.key_8), SUM(x.key_9), SUM(x.key_star), SUM(x.key_hash) FROM (
    SELECT 1 AS ladder, lr.offset_days AS offset_days, lr.channel AS channel, m.campaign_id AS campaign_id, COALESCE(substr(m.started_at, 1, 10), '') AS day, -1 * CASE WHEN m.started_at IS NOT NULL THEN 1 ELSE 0 END AS attempted, -1 * CASE WHEN m.started_at IS NOT NULL AND COALESCE(m.answered_by, '') = 'person' THEN 1 ELSE 0 END AS person, -1 * CASE WHEN m.started_at IS NOT NULL AND m.heard_to_end <> 0 THEN 1 ELSE 0 END AS heard, -1 * CASE WHEN m.started_at IS NOT NULL AND COALESCE(m.transfer, '') <> '' THEN 1 ELSE 0 END AS transfers, -1 * CASE WHEN COALESCE(m.keys, '') <> '' THEN 1 ELSE 0 END AS keyed, -1 * CASE WHEN instr(COALESCE(m.keys, ''), '0') > 0 THEN 1 ELSE 0 END AS key_0, -1 * CASE WHEN instr(COALESCE(m.keys, ''), '1') > 0 THEN 1 ELSE 0 END AS key_1, -1 * CASE WHEN instr(COALESCE(m.keys, ''), '2') > 0 THEN 1 ELSE 0 END AS key_2, -1 * CASE WHEN instr(COALESCE(m.keys, ''), '3') > 0 THEN 1 ELSE 0 END AS key_3, -1 * CASE WHEN instr(COALESCE(m.keys, ''), '4') > 0 THEN 1 ELSE 0 END AS key_4, -1 * CASE WHEN instr(COALESCE(m.keys, ''), '5') > 0 THEN 1 ELSE 0 END AS key_5, -1 * CASE WHEN instr(COALESCE(m.keys, ''), '6') > 0 THEN 1 ELSE 0 END AS key_6, -1 * CASE WHEN instr(COALESCE(m.keys, ''), '7') > 0 THEN 1 ELSE 0 END AS key_7, -1 * CASE WHEN instr(COALESCE(m.keys, ''), '8') > 0 THEN 1 ELSE 0 END AS key_8, -1 * CASE WHEN instr(COALESCE(m.keys, ''), '9') > 0 THEN 1 ELSE 0 END AS key_9, -1 * CASE WHEN instr(COALESCE(m.keys, ''), '*') > 0 THEN 1 ELSE 0 END AS key_star, -1 * CASE WHEN instr(COALESCE(m.keys, ''), '#') > 0 THEN 1 ELSE 0 END AS key_hash FROM (SELECT OLD.case_id AS case_id, OLD.offset_days AS offset_days, OLD.channel AS channel) lr JOIN call_attempt m ON m.case_id = lr.case_id WHERE m.campaign_id IS NOT NULL
  ) x WHERE 1 = 1 GROUP BY x.ladder, x.offset_days, x.channel, x.campaign_id, x.day
  HAVING SUM(x.attempted) <> 0 OR SUM(x.person) <> 0 OR SUM(x.heard) <> 0 OR SUM(x.transfers) <> 0 OR SUM(x.keyed) <> 0 OR SUM(x.key_0) <> 0 OR SUM(x.key_1) <> 0 OR SUM(x.key_2) <> 0 OR SUM(x.key_3) <> 0 OR SUM(x.key_4) <> 0 OR SUM(x.key_5) <> 0 OR SUM(x.key_6) <> 0 OR SUM(x.key_7) <> 0 OR SUM(x.key_8) <> 0 OR SUM(x.key_9) <> 0 OR SUM(x.key_star) <> 0 OR SUM(x.key_hash) <> 0
  ON CONFLICT (ladder, offset_days, channel, campaign_id, day) DO UPDATE SET attempted = attempted + excluded.attempted, person = person + excluded.person, heard = heard + excluded.heard, transfers = transfers + excluded.transfers, keyed = keyed + excluded.keyed, key_0 = key_0 + excluded.key_0, key_1 = key_1 + excluded.key_1, key_2 = key_2 + excluded.key_2, key_3 = key_3 + excluded.key_3, key_4 = key_4 + excluded.key_4, key_5 = key_5 + excluded.key_5, key_6 = key_6 + excluded.key_6, key_7 = key_7 + excluded.key_7, key_8 = key_8 + excluded.key_8, key_9 = key_9 + excluded.key_9, key_star = key_star + excluded.key_star, key_hash = key_hash + excluded.key_hash;
  INSERT INTO report_declared (ladder, offset_days, channel, campaign_id, day, currency, declarations, declared_minor)
  SELECT x.ladder, x.offset_days, x.channel, x.campaign_id, x.day, x.currency, SUM(x.declarations), SUM(x.declared_minor) FROM (
    SELECT 1 AS ladder, lr.offset_days AS offset_days, lr.channel AS channel, m.campaign_id AS campaign_id, COALESCE(substr(m.started_at, 1, 10), '') AS day, d.currency AS currency, -1 AS declarations, -1 * d.amount_minor AS declared_minor FROM (SELECT OLD.case_id AS case_id, OLD.offset_days AS offset_days, OLD.channel AS channel) lr JOIN call_attempt m ON m.case_id = lr.case_id JOIN declaration d ON d.id = m.declaration_id WHERE m.campaign_id IS NOT NULL AND m.started_at IS NOT NULL
  ) x WHERE 1 = 1 GROUP BY x.ladder, x.offset_days, x.channel, x.campaign_id, x.day, x.currency
  HAVING SUM(x.declarations) <> 0 OR SUM(x.declared_minor) <> 0
  ON CONFLICT (ladder, offset_days, channel, campaign_id, day, currency) DO UPDATE SET declarations = declarations + excluded.declarations, declared_minor = declared_minor + excluded.declared_minor;
END;

-- a case deleted: its ladder step's figures go before its messages lose the case
-- and its ladder step is deleted (both then find it gone)

CREATE TRIGGER report_ladder_case_delete BEFORE DELETE ON debt_case
  WHEN EXISTS (SELECT 1 FROM ladder_run l WHERE l.case_id = OLD.id)
BEGIN
  INSERT INTO report_sms (ladder, offset_days, channel, campaign_id, day, currency, messages, sent, delivered, failed, replies, billed, cost_minor)
  SELECT x.ladder, x.offset_days, x.channel, x.campaign_id, x.day, x.currency, SUM(x.messages), SUM(x.sent), SUM(x.delivered), SUM(x.failed), SUM(x.replies), SUM(x.billed), SUM(x.cost_minor) FROM (
    SELECT 1 AS ladder, lr.offset_days AS offset_days, lr.channel AS channel, m.campaign_id AS campaign_id, substr(m.created_at, 1, 10) AS day, COALESCE(m.cost_currency, '') AS currency, -1 AS messages, -1 * CASE WHEN m.state IN ('sent', 'delivered') OR (m.state IN ('failed', 'expired') AND m.sent_at IS NOT NULL) THEN 1 ELSE 0 END AS sent, -1 * CASE WHEN m.state = 'delivered' THEN 1 ELSE 0 END AS delivered, -1 * CASE WHEN m.state IN ('failed', 'expired') THEN 1 ELSE 0 END AS failed, -1 * m.replies AS replies, -1 * CASE WHEN m.cost_currency IS NOT NULL THEN 1 ELSE 0 END AS billed, -1 * COALESCE(m.cost_minor, 0) AS cost_minor FROM (SELECT l.case_id, l.offset_days, l.channel FROM ladder_run l WHERE l.case_id = OLD.id) lr JOIN message m ON m.case_id = lr.case_id WHERE m.campaign_id IS NOT NULL
  ) x WHERE 1 = 1 GROUP BY x.ladder, x.offset_days, x.channel, x.campaign_id, x.day, x.currency
  HAVING SUM(x.messages) <> 0 OR SUM(x.sent) <> 0 OR SUM(x.delivered) <> 0 OR SUM(x.failed) <> 0 OR SUM(x.replies) <> 0 OR SUM(x.billed) <> 0 OR SUM(x.cost_minor) <> 0
  ON CONFLICT (ladder, offset_days, channel, campaign_id, day, currency) DO UPDATE SET messages = messages + excluded.messages, sent = sent + excluded.sent, delivered = delivered + excluded.delivered, failed = failed + excluded.failed, replies = replies + excluded.replies, billed = billed + excluded.billed, cost_minor = cost_minor + excluded.cost_minor;
  INSERT INTO report_calls (ladder, offset_days, channel, campaign_id, day, attempted, person, heard, transfers, keyed, key_0, key_1, key_2, key_3, key_4, key_5, key_6, key_7, key_8, key_9, key_star, key_hash)
  SELECT x.ladder, x.offset_days, x.channel, x.campaign_id, x.day, SUM(x.attempted), SUM(x.person), SUM(x.heard), SUM(x.transfers), SUM(x.keyed), SUM(x.key_0), SUM(x.key_1), SUM(x.key_2), SUM(x.key_3), SUM(x.key_4), SUM(x.key_5), SUM(x.key_6), SUM(x.key_7), SUM(x.key_8), SUM(x.key_9), SUM(x.key_star), SUM(x.key_hash) FROM (
    SELECT 1 AS ladder, lr.offset_days AS offset_days, lr.channel AS channel, m.campaign_id AS campaign_id, COALESCE(substr(m.started_at, 1, 10), '') AS day, -1 * CASE WHEN m.started_at IS NOT NULL THEN 1 ELSE 0 END AS attempted, -1 * CASE WHEN m.started_at IS NOT NULL AND COALESCE(m.answered_by, '') = 'person' THEN 1 ELSE 0 END AS person, -1 * CASE WHEN m.started_at IS NOT NULL AND m.heard_to_end <> 0 THEN 1 ELSE 0 END AS heard, -1 * CASE WHEN m.started_at IS NOT NULL AND COALESCE(m.transfer, '') <> '' THEN 1 ELSE 0 END AS transfers, -1 * CASE WHEN COALESCE(m.keys, '') <> '' THEN 1 ELSE 0 END AS keyed, -1 * CASE WHEN instr(COALESCE(m.keys, ''), '0') > 0 THEN 1 ELSE 0 END AS key_0, -1 * CASE WHEN instr(COALESCE(m.keys, ''), '1') > 0 THEN 1 ELSE 0 END AS key_1, -1 * CASE WHEN instr(COALESCE(m.keys, ''), '2') > 0 THEN 1 ELSE 0 END AS key_2, -1 * CASE WHEN instr(COALESCE(m.keys, ''), '3') > 0 THEN 1 ELSE 0 END AS key_3, -1 * CASE WHEN instr(COALESCE(m.keys, ''), '4') > 0 THEN 1 ELSE 0 END AS key_4, -1 * CASE WHEN instr(COALESCE(m.keys, ''), '5') > 0 THEN 1 ELSE 0 END AS key_5, -1 * CASE WHEN instr(COALESCE(m.keys, ''), '6') > 0 THEN 1 ELSE 0 END AS key_6, -1 * CASE WHEN instr(COALESCE(m.keys, ''), '7') > 0 THEN 1 ELSE 0 END AS key_7, -1 * CASE WHEN instr(COALESCE(m.keys, ''), '8') > 0 THEN 1 ELSE 0 END AS key_8, -1 * CASE WHEN instr(COALESCE(m.keys, ''), '9') > 0 THEN 1 ELSE 0 END AS key_9, -1 * CASE WHEN instr(COALESCE(m.keys, ''), '*') > 0 THEN 1 ELSE 0 END AS key_star, -1 * CASE WHEN instr(COALESCE(m.keys, ''), '#') > 0 THEN 1 ELSE 0 END AS key_hash FROM (SELECT l.case_id, l.offset_days, l.channel FROM ladder_run l WHERE l.case_id = OLD.id) lr JOIN call_attempt m ON m.case_id = lr.case_id WHERE m.campaign_id IS NOT NULL
  ) x WHERE 1 = 1 GROUP BY x.ladder, x.offset_days, x.channel, x.campaign_id, x.day
  HAVING SUM(x.attempted) <> 0 OR SUM(x.person) <> 0 OR SUM(x.heard) <> 0 OR SUM(x.transfers) <> 0 OR SUM(x.keyed) <> 0 OR SUM(x.key_0) <> 0 OR SUM(x.key_1) <> 0 OR SUM(x.key_2) <> 0 OR SUM(x.key_3) <> 0 OR SUM(x.key_4) <> 0 OR SUM(x.key_5) <> 0 OR SUM(x.key_6) <> 0 OR SUM(x.key_7) <> 0 OR SUM(x.key_8) <> 0 OR SUM(x.key_9) <> 0 OR SUM(x.key_star) <> 0 OR SUM(x.key_hash) <> 0
  ON CONFLICT (ladder, offset_days, channel, campaign_id, day) DO UPDATE SET attempted = attempted + excluded.attempted, person = person + excluded.person, heard = heard + excluded.heard, transfers = transfers + excluded.transfers, keyed = keyed + excluded.keyed, key_0 = key_0 + excluded.key_0, key_1 = key_1 + excluded.key_1, key_2 = key_2 + excluded.key_2, key_3 = key_3 + excluded.key_3, key_4 = key_4 + excluded.key_4, key_5 = key_5 + excluded.key_5, key_6 = key_6 + excluded.key_6, key_7 = key_7 + excluded.key_7, key_8 = key_8 + excluded.key_8, key_9 = key_9 + excluded.key_9, key_star = key_star + excluded.key_star, key_hash = key_hash + excluded.key_hash;
  INSERT INTO report_declared (ladder, offset_days, channel, campaign_id, day, currency, declarations, declared_minor)
  SELECT x.ladder, x.offset_days, x.channel, x.campaign_id, x.day, x.currency, SUM(x.declarations), SUM(x.declared_minor) FROM (
    SELECT 1 AS ladder, lr.offset_days AS offset_days, lr.channel AS channel, m.campaign_id AS campaign_id, COALESCE(substr(m.started_at, 1, 10), '') AS day, d.currency AS currency, -1 AS declarations, -1 * d.amount_minor AS declared_minor FROM (SELECT l.case_id, l.offset_days, l.channel FROM ladder_run l WHERE l.case_id = OLD.id) lr JOIN call_attempt m ON m.case_id = lr.case_id JOIN declaration d ON d.id = m.declaration_id WHERE m.campaign_id IS NOT NULL AND m.started_at IS NOT NULL
  ) x WHERE 1 = 1 GROUP BY x.ladder, x.offset_days, x.channel, x.campaign_id, x.day, x.currency
  HAVING SUM(x.declarations) <> 0 OR SUM(x.declared_minor) <> 0
  ON CONFLICT (ladder, offset_days, channel, campaign_id, day, currency) DO UPDATE SET declarations = declarations + excluded.declarations, declared_minor = declared_minor + excluded.declared_minor;
END;

-- a consultant's activity: the months they touched the case, and its kind

CREATE TRIGGER report_work_month_insert AFTER INSERT ON activity
  WHEN NEW.agent_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM activity a WHERE a.agent_id = NEW.agent_id AND a.case_id = NEW.case_id AND a.id <> NEW.id AND substr(a.created_at, 1, 7) = substr(NEW.created_at, 1, 7))
BEGIN
  INSERT INTO report_work_month (agent_id, month, prev_month, cases)
  SELECT x.agent_id, x.month, x.prev_month, SUM(x.n) FROM (
    SELECT c.agent_id, c.month, COALESCE(LAG(c.month) OVER (PARTITION BY c.agent_id, c.case_id ORDER BY c.month), '') AS prev_month, -1 AS n FROM (SELECT DISTINCT w.agent_id, w.case_id, substr(w.created_at, 1, 7) AS month FROM (SELECT a.agent_id, a.case_id, a.created_at FROM activity a WHERE a.agent_id = NEW.agent_id AND a.case_id = NEW.case_id AND a.id <> NEW.id) w) c
    UNION ALL
    SELECT c.agent_id, c.month, COALESCE(LAG(c.month) OVER (PARTITION BY c.agent_id, c.case_id ORDER BY c.month), '') AS prev_month, 1 AS n FROM (SELECT DISTINCT w.agent_id, w.case_id, substr(w.created_at, 1, 7) AS month FROM (SELECT a.agent_id, a.case_id, a.created_at FROM activity a WHERE a.agent_id = NEW.agent_id AND a.case_id = NEW.case_id) w) c
  ) x WHERE 1 = 1 GROUP BY x.agent_id, x.month, x.prev_month HAVING SUM(x.n) <> 0
  ON CONFLICT (agent_id, month, prev_month) DO UPDATE SET cases = cases + excluded.cases;
END;

CREATE TRIGGER report_work_kinds_insert AFTER INSERT ON activity
  WHEN NEW.agent_id IS NOT NULL
BEGIN
  INSERT INTO report_work_kinds (agent_id, month, calls, declarations, status_changes, closed)
  SELECT x.agent_id, x.month, SUM(x.calls), SUM(x.declarations), SUM(x.status_changes), SUM(x.closed) FROM (
    SELECT NEW.agent_id AS agent_id, substr(NEW.created_at, 1, 7) AS month, 1 * CASE WHEN NEW.kind = 'call' THEN 1 ELSE 0 END AS calls, 1 * CASE WHEN NEW.kind = 'declaration' THEN 1 ELSE 0 END AS declarations, 1 * CASE WHEN NEW.kind = 'status' THEN 1 ELSE 0 END AS status_changes, 1 * CASE WHEN NEW.kind = 'status' AND (NEW.refs LIKE '%"to":"closed"%' OR NEW.refs LIKE '%"to": "closed"%') THEN 1 ELSE 0 END AS closed
  ) x WHERE 1 = 1 GROUP BY x.agent_id, x.month
  HAVING SUM(x.calls) <> 0 OR SUM(x.declarations) <> 0 OR SUM(x.status_changes) <> 0 OR SUM(x.closed) <> 0
  ON CONFLICT (agent_id, month) DO UPDATE SET calls = calls + excluded.calls, declarations = declarations + excluded.declarations, status_changes = status_changes + excluded.status_changes, closed = closed + excluded.closed;
END;

CREATE TRIGGER report_work_month_delete AFTER DELETE ON activity
  WHEN OLD.agent_id IS NOT NULL
BEGIN
  INSERT INTO report_work_month (agent_id, month, prev_month, cases)
  SELECT x.agent_id, x.month, x.prev_month, SUM(x.n) FROM (
    SELECT c.agent_id, c.month, COALESCE(LAG(c.month) OVER (PARTITION BY c.agent_id, c.case_id ORDER BY c.month), '') AS prev_month, -1 AS n FROM (SELECT DISTINCT w.agent_id, w.case_id, substr(w.created_at, 1, 7) AS month FROM (SELECT a.agent_id, a.case_id, a.created_at FROM activity a WHERE a.agent_id = OLD.agent_id AND a.case_id = OLD.case_id UNION ALL SELECT OLD.agent_id, OLD.case_id, OLD.created_at) w) c
    UNION ALL
    SELECT c.agent_id, c.month, COALESCE(LAG(c.month) OVER (PARTITION BY c.agent_id, c.case_id ORDER BY c.month), '') AS prev_month, 1 AS n FROM (SELECT DISTINCT w.agent_id, w.case_id, substr(w.created_at, 1, 7) AS month FROM (SELECT a.agent_id, a.case_id, a.created_at FROM activity a WHERE a.agent_id = OLD.agent_id AND a.case_id = OLD.case_id) w) c
  ) x WHERE 1 = 1 GROUP BY x.agent_id, x.month, x.prev_month HAVING SUM(x.n) <> 0
  ON CONFLICT (agent_id, month, prev_month) DO UPDATE SET cases = cases + excluded.cases;
  INSERT INTO report_work_kinds (agent_id, month, calls, declarations, status_changes, closed)
  SELECT x.agent_id, x.month, SUM(x.calls), SUM(x.declarations), SUM(x.status_changes), SUM(x.closed) FROM (
    SELECT OLD.agent_id AS agent_id, substr(OLD.created_at, 1, 7) AS month, -1 * CASE WHEN OLD.kind = 'call' THEN 1 ELSE 0 END AS calls, -1 * CASE WHEN OLD.kind = 'declaration' THEN 1 ELSE 0 END AS declarations, -1 * CASE WHEN OLD.kind = 'status' THEN 1 ELSE 0 END AS status_changes, -1 * CASE WHEN OLD.kind = 'status' AND (OLD.refs LIKE '%"to":"closed"%' OR OLD.refs LIKE '%"to": "closed"%') THEN 1 ELSE 0 END AS closed
  ) x WHERE 1 = 1 GROUP BY x.agent_id, x.month
  HAVING SUM(x.calls) <> 0 OR SUM(x.declarations) <> 0 OR SUM(x.status_changes) <> 0 OR SUM(x.closed) <> 0
  ON CONFLICT (agent_id, month) DO UPDATE SET calls = calls + excluded.calls, declarations = declarations + excluded.declarations, status_changes = status_changes + excluded.status_changes, closed = closed + excluded.closed;
END;

CREATE TRIGGER report_work_month_update AFTER UPDATE OF agent_id, case_id, created_at, kind, refs ON activity
  WHEN OLD.agent_id IS NOT NEW.agent_id OR OLD.case_id IS NOT NEW.case_id OR OLD.created_at IS NOT NEW.created_at OR OLD.kind IS NOT NEW.kind OR OLD.refs IS NOT NEW.refs
BEGIN
  INSERT INTO report_work_month (agent_id, month, prev_month, cases)
  SELECT x.agent_id, x.month, x.prev_month, SUM(x.n) FROM (
    SELECT c.agent_id, c.month, COALESCE(LAG(c.month) OVER (PARTITION BY c.agent_id, c.case_id ORDER BY c.month), '') AS prev_month, -1 AS n FROM (SELECT DISTINCT w.agent_id, w.case_id, substr(w.created_at, 1, 7) AS month FROM (SELECT a.agent_id, a.case_id, a.created_at FROM activity a WHERE a.agent_id = OLD.agent_id AND a.case_id = OLD.case_id AND a.id <> NEW.id UNION ALL SELECT OLD.agent_id, OLD.case_id, OLD.created_at WHERE OLD.agent_id IS NOT NULL) w) c
    UNION ALL
    SELECT c.agent_id, c.month, COALESCE(LAG(c.month) OVER (PARTITION BY c.agent_id, c.case_id ORDER BY c.month), '') AS prev_month, 1 AS n FROM (SELECT DISTINCT w.agent_id, w.case_id, substr(w.created_at, 1, 7) AS month FROM (SELECT a.agent_id, a.case_id, a.created_at FROM activity a WHERE a.agent_id = OLD.agent_id AND a.case_id = OLD.case_id) w) c
  ) x WHERE 1 = 1 GROUP BY x.agent_id, x.month, x.prev_month HAVING SUM(x.n) <> 0
  ON CONFLICT (agent_id, month, prev_month) DO UPDATE SET cases = cases + excluded.cases;
  INSERT INTO report_work_month (agent_id, month, prev_month, cases)
  SELECT x.agent_id, x.month, x.prev_month, SUM(x.n) FROM (
    SELECT c.agent_id, c.month, COALESCE(LAG(c.month) OVER (PARTITION BY c.agent_id, c.case_id ORDER BY c.month), '') AS prev_month, -1 AS n FROM (SELECT DISTINCT w.agent_id, w.case_id, substr(w.created_at, 1, 7) AS month FROM (SELECT a.agent_id, a.case_id, a.created_at FROM activity a WHERE a.agent_id = NEW.agent_id AND a.case_id = NEW.case_id AND a.id <> NEW.id AND (NEW.agent_id IS NOT OLD.agent_id OR NEW.case_id IS NOT OLD.case_id)) w) c
    UNION ALL
    SELECT c.agent_id, c.month, COALESCE(LAG(c.month) OVER (PARTITION BY c.agent_id, c.case_id ORDER BY c.month), '') AS prev_month, 1 AS n FROM (SELECT DISTINCT w.agent_id, w.case_id, substr(w.created_at, 1, 7) AS month FROM (SELECT a.agent_id, a.case_id, a.created_at FROM activity a WHERE a.agent_id = NEW.agent_id AND a.case_id = NEW.case_id AND (NEW.agent_id IS NOT OLD.agent_id OR NEW.case_id IS NOT OLD.case_id)) w) c
  ) x WHERE 1 = 1 GROUP BY x.agent_id, x.month, x.prev_month HAVING SUM(x.n) <> 0
  ON CONFLICT (agent_id, month, prev_month) DO UPDATE SET cases = cases + excluded.cases;
  INSERT INTO report_work_kinds (agent_id, month, calls, declarations, status_changes, closed)
  SELECT x.agent_id, x.month, SUM(x.calls), SUM(x.declarations), SUM(x.status_changes), SUM(x.closed) FROM (
    SELECT OLD.agent_id AS agent_id, substr(OLD.created_at, 1, 7) AS month, -1 * CASE WHEN OLD.kind = 'call' THEN 1 ELSE 0 END AS calls, -1 * CASE WHEN OLD.kind = 'declaration' THEN 1 ELSE 0 END AS declarations, -1 * CASE WHEN OLD.kind = 'status' THEN 1 ELSE 0 END AS status_changes, -1 * CASE WHEN OLD.kind = 'status' AND (OLD.refs LIKE '%"to":"closed"%' OR OLD.refs LIKE '%"to": "closed"%') THEN 1 ELSE 0 END AS closed WHERE OLD.agent_id IS NOT NULL
    UNION ALL
    SELECT NEW.agent_id AS agent_id, substr(NEW.created_at, 1, 7) AS month, 1 * CASE WHEN NEW.kind = 'call' THEN 1 ELSE 0 END AS calls, 1 * CASE WHEN NEW.kind = 'declaration' THEN 1 ELSE 0 END AS declarations, 1 * CASE WHEN NEW.kind = 'status' THEN 1 ELSE 0 END AS status_changes, 1 * CASE WHEN NEW.kind = 'status' AND (NEW.refs LIKE '%"to":"closed"%' OR NEW.refs LIKE '%"to": "closed"%') THEN 1 ELSE 0 END AS closed WHERE NEW.agent_id IS NOT NULL
  ) x WHERE 1 = 1 GROUP BY x.agent_id, x.month
  HAVING SUM(x.calls) <> 0 OR SUM(x.declarations) <> 0 OR SUM(x.status_changes) <> 0 OR SUM(x.closed) <> 0
  ON CONFLICT (agent_id, month) DO UPDATE SET calls = calls + excluded.calls, declarations = declarations + excluded.declarations, status_changes = status_changes + excluded.status_changes, closed = closed + excluded.closed;
END;
