-- SPDX-License-Identifier: GPL-3.0-or-later
-- Schema 26: the campaign results and the work per consultant summed, not recounted (issue 16).
--
-- The campaign report grouped 600,000 messages and 200,000 calls by campaign and joined the
-- ladder's rows by case (1.3 s over a million cases); work for a quarter counted each
-- consultant's distinct cases among a million activities (1.3 s). Both now add up summaries
-- kept by triggers (src/core/reports/dd-reports.c reads them where the filter allows: the
-- campaign report for whole days, work for whole months without a campaign):
--
--   report_sms        per campaign, creditor of the message's case (0: none), day (of its
--                     created_at) and currency of its cost: messages, sent, delivered, failed,
--                     replies, billed (with a cost currency), cost_minor; ladder = 1 rows the
--                     same per step of the ladder the message's case is at (offset_days,
--                     channel; ladder = 0 rows have 0 and ''), as the report joins ladder_run
--                     by case
--   report_calls      per campaign (or ladder step), creditor and day of started_at ('' when
--                     the call never started; only its keys count then): attempted,
--                     answered by a person, heard to the end, transfers, keyed (any key) and
--                     the calls in which each key was pressed (key_0 … key_9, key_star,
--                     key_hash)
--   report_declared   per campaign (or ladder step), creditor, day and currency: the
--                     declarations made in started calls and their amounts
--   report_work_month per consultant, creditor of the case, month (YYYY-MM) and prev_month:
--                     the cases they touched in that month whose previous month touched was
--                     prev_month ('' none). The cases a consultant touched in months a…b are
--                     counted once each: SUM(cases) over months a…b with prev_month < a.
--   report_work_kinds per consultant, creditor and month: calls, declarations, status
--                     changes, closings
--
-- The triggers follow every change that moves a figure: a message's state (sent → delivered
-- | failed), replies, cost; a call's start, answer, keys, transfer, declaration; the
-- declaration's amount and currency; a case moving to another ladder step or creditor (its
-- messages and calls move with it); deletions (a message, a call, a campaign's, a case's).
-- Activities added, changed or deleted recount the months of that consultant and case.
-- Opt-outs are not here: the report attributes each to the last message sent before it (a
-- few thousand rows, read as before).
--
-- The triggers add the figures of the old row negated and of the new one in a single
-- grouped upsert per table, so that a change that moves nothing writes nothing.

CREATE TABLE report_sms (
  ladder          BIGINT  NOT NULL,
  offset_days     BIGINT  NOT NULL,
  channel         TEXT    NOT NULL,
  campaign_id     BIGINT  NOT NULL,
  creditor_id     BIGINT  NOT NULL,
  day             TEXT    NOT NULL,
  currency        TEXT    NOT NULL,
  messages        BIGINT  NOT NULL DEFAULT 0,
  sent            BIGINT  NOT NULL DEFAULT 0,
  delivered       BIGINT  NOT NULL DEFAULT 0,
  failed          BIGINT  NOT NULL DEFAULT 0,
  replies         BIGINT  NOT NULL DEFAULT 0,
  billed          BIGINT  NOT NULL DEFAULT 0,
  cost_minor      BIGINT  NOT NULL DEFAULT 0,
  PRIMARY KEY (ladder, offset_days, channel, campaign_id, creditor_id, day, currency)
);

CREATE TABLE report_calls (
  ladder          BIGINT  NOT NULL,
  offset_days     BIGINT  NOT NULL,
  channel         TEXT    NOT NULL,
  campaign_id     BIGINT  NOT NULL,
  creditor_id     BIGINT  NOT NULL,
  day             TEXT    NOT NULL,
  attempted       BIGINT  NOT NULL DEFAULT 0,
  person          BIGINT  NOT NULL DEFAULT 0,
  heard           BIGINT  NOT NULL DEFAULT 0,
  transfers       BIGINT  NOT NULL DEFAULT 0,
  keyed           BIGINT  NOT NULL DEFAULT 0,
  key_0           BIGINT  NOT NULL DEFAULT 0,
  key_1           BIGINT  NOT NULL DEFAULT 0,
  key_2           BIGINT  NOT NULL DEFAULT 0,
  key_3           BIGINT  NOT NULL DEFAULT 0,
  key_4           BIGINT  NOT NULL DEFAULT 0,
  key_5           BIGINT  NOT NULL DEFAULT 0,
  key_6           BIGINT  NOT NULL DEFAULT 0,
  key_7           BIGINT  NOT NULL DEFAULT 0,
  key_8           BIGINT  NOT NULL DEFAULT 0,
  key_9           BIGINT  NOT NULL DEFAULT 0,
  key_star        BIGINT  NOT NULL DEFAULT 0,
  key_hash        BIGINT  NOT NULL DEFAULT 0,
  PRIMARY KEY (ladder, offset_days, channel, campaign_id, creditor_id, day)
);

CREATE TABLE report_declared (
  ladder          BIGINT  NOT NULL,
  offset_days     BIGINT  NOT NULL,
  channel         TEXT    NOT NULL,
  campaign_id     BIGINT  NOT NULL,
  creditor_id     BIGINT  NOT NULL,
  day             TEXT    NOT NULL,
  currency        TEXT    NOT NULL,
  declarations    BIGINT  NOT NULL DEFAULT 0,
  declared_minor  BIGINT  NOT NULL DEFAULT 0,
  PRIMARY KEY (ladder, offset_days, channel, campaign_id, creditor_id, day, currency)
);

CREATE TABLE report_work_month (
  agent_id        BIGINT  NOT NULL,
  creditor_id     BIGINT  NOT NULL,
  month           TEXT    NOT NULL,
  prev_month      TEXT    NOT NULL,
  cases           BIGINT  NOT NULL DEFAULT 0,
  PRIMARY KEY (agent_id, creditor_id, month, prev_month)
);

CREATE TABLE report_work_kinds (
  agent_id        BIGINT  NOT NULL,
  creditor_id     BIGINT  NOT NULL,
  month           TEXT    NOT NULL,
  calls           BIGINT  NOT NULL DEFAULT 0,
  declarations    BIGINT  NOT NULL DEFAULT 0,
  status_changes  BIGINT  NOT NULL DEFAULT 0,
  closed          BIGINT  NOT NULL DEFAULT 0,
  PRIMARY KEY (agent_id, creditor_id, month)
);

-- the declarations of calls are found by their id when they change
CREATE INDEX call_attempt_declaration ON call_attempt (declaration_id)
  WHERE declaration_id IS NOT NULL;

-- what the office already has (the build of the summaries from the rows)
INSERT INTO report_sms AS r (ladder, offset_days, channel, campaign_id, creditor_id, day, currency, messages, sent, delivered, failed, replies, billed, cost_minor)
SELECT x.ladder, x.offset_days, x.channel, x.campaign_id, x.creditor_id, x.day, x.currency, SUM(x.messages), SUM(x.sent), SUM(x.delivered), SUM(x.failed), SUM(x.replies), SUM(x.billed), SUM(x.cost_minor) FROM (
  SELECT 0 AS ladder, 0 AS offset_days, '' AS channel, m.campaign_id AS campaign_id, COALESCE(k.creditor_id, 0) AS creditor_id, substr(m.created_at, 1, 10) AS day, COALESCE(m.cost_currency, '') AS currency, 1 AS messages, 1 * CASE WHEN m.state IN ('sent', 'delivered') OR (m.state IN ('failed', 'expired') AND m.sent_at IS NOT NULL) THEN 1 ELSE 0 END AS sent, 1 * CASE WHEN m.state = 'delivered' THEN 1 ELSE 0 END AS delivered, 1 * CASE WHEN m.state IN ('failed', 'expired') THEN 1 ELSE 0 END AS failed, 1 * m.replies AS replies, 1 * CASE WHEN m.cost_currency IS NOT NULL THEN 1 ELSE 0 END AS billed, 1 * COALESCE(m.cost_minor, 0) AS cost_minor FROM message m LEFT JOIN debt_case k ON k.id = m.case_id WHERE m.campaign_id IS NOT NULL
  UNION ALL
  SELECT 1 AS ladder, lr.offset_days AS offset_days, lr.channel AS channel, m.campaign_id AS campaign_id, k.creditor_id AS creditor_id, substr(m.created_at, 1, 10) AS day, COALESCE(m.cost_currency, '') AS currency, 1 AS messages, 1 * CASE WHEN m.state IN ('sent', 'delivered') OR (m.state IN ('failed', 'expired') AND m.sent_at IS NOT NULL) THEN 1 ELSE 0 END AS sent, 1 * CASE WHEN m.state = 'delivered' THEN 1 ELSE 0 END AS delivered, 1 * CASE WHEN m.state IN ('failed', 'expired') THEN 1 ELSE 0 END AS failed, 1 * m.replies AS replies, 1 * CASE WHEN m.cost_currency IS NOT NULL THEN 1 ELSE 0 END AS billed, 1 * COALESCE(m.cost_minor, 0) AS cost_minor FROM message m JOIN ladder_run lr ON lr.case_id = m.case_id JOIN debt_case k ON k.id = lr.case_id WHERE m.campaign_id IS NOT NULL
) x WHERE 1 = 1 GROUP BY x.ladder, x.offset_days, x.channel, x.campaign_id, x.creditor_id, x.day, x.currency
HAVING SUM(x.messages) <> 0 OR SUM(x.sent) <> 0 OR SUM(x.delivered) <> 0 OR SUM(x.failed) <> 0 OR SUM(x.replies) <> 0 OR SUM(x.billed) <> 0 OR SUM(x.cost_minor) <> 0
ON CONFLICT (ladder, offset_days, channel, campaign_id, creditor_id, day, currency) DO UPDATE SET messages = r.messages + excluded.messages, sent = r.sent + excluded.sent, delivered = r.delivered + excluded.delivered, failed = r.failed + excluded.failed, replies = r.replies + excluded.replies, billed = r.billed + excluded.billed, cost_minor = r.cost_minor + excluded.cost_minor;

INSERT INTO report_calls AS r (ladder, offset_days, channel, campaign_id, creditor_id, day, attempted, person, heard, transfers, keyed, key_0, key_1, key_2, key_3, key_4, key_5, key_6, key_7, key_8, key_9, key_star, key_hash)
SELECT x.ladder, x.offset_days, x.channel, x.campaign_id, x.creditor_id, x.day, SUM(x.attempted), SUM(x.person), SUM(x.heard), SUM(x.transfers), SUM(x.keyed), SUM(x.key_0), SUM(x.key_1), SUM(x.key_2), SUM(x.key_3), SUM(x.key_4), SUM(x.key_5), SUM(x.key_6), SUM(x.key_7), SUM(x.key_8), SUM(x.key_9), SUM(x.key_star), SUM(x.key_hash) FROM (
  SELECT 0 AS ladder, 0 AS offset_days, '' AS channel, m.campaign_id AS campaign_id, COALESCE(k.creditor_id, 0) AS creditor_id, COALESCE(substr(m.started_at, 1, 10), '') AS day, 1 * CASE WHEN m.started_at IS NOT NULL THEN 1 ELSE 0 END AS attempted, 1 * CASE WHEN m.started_at IS NOT NULL AND COALESCE(m.answered_by, '') = 'person' THEN 1 ELSE 0 END AS person, 1 * CASE WHEN m.started_at IS NOT NULL AND m.heard_to_end <> 0 THEN 1 ELSE 0 END AS heard, 1 * CASE WHEN m.started_at IS NOT NULL AND COALESCE(m.transfer, '') <> '' THEN 1 ELSE 0 END AS transfers, 1 * CASE WHEN COALESCE(m.keys, '') <> '' THEN 1 ELSE 0 END AS keyed, 1 * CASE WHEN strpos(COALESCE(m.keys, ''), '0') > 0 THEN 1 ELSE 0 END AS key_0, 1 * CASE WHEN strpos(COALESCE(m.keys, ''), '1') > 0 THEN 1 ELSE 0 END AS key_1, 1 * CASE WHEN strpos(COALESCE(m.keys, ''), '2') > 0 THEN 1 ELSE 0 END AS key_2, 1 * CASE WHEN strpos(COALESCE(m.keys, ''), '3') > 0 THEN 1 ELSE 0 END AS key_3, 1 * CASE WHEN strpos(COALESCE(m.keys, ''), '4') > 0 THEN 1 ELSE 0 END AS key_4, 1 * CASE WHEN strpos(COALESCE(m.keys, ''), '5') > 0 THEN 1 ELSE 0 END AS key_5, 1 * CASE WHEN strpos(COALESCE(m.keys, ''), '6') > 0 THEN 1 ELSE 0 END AS key_6, 1 * CASE WHEN strpos(COALESCE(m.keys, ''), '7') > 0 THEN 1 ELSE 0 END AS key_7, 1 * CASE WHEN strpos(COALESCE(m.keys, ''), '8') > 0 THEN 1 ELSE 0 END AS key_8, 1 * CASE WHEN strpos(COALESCE(m.keys, ''), '9') > 0 THEN 1 ELSE 0 END AS key_9, 1 * CASE WHEN strpos(COALESCE(m.keys, ''), '*') > 0 THEN 1 ELSE 0 END AS key_star, 1 * CASE WHEN strpos(COALESCE(m.keys, ''), '#') > 0 THEN 1 ELSE 0 END AS key_hash FROM call_attempt m LEFT JOIN debt_case k ON k.id = m.case_id WHERE m.campaign_id IS NOT NULL
  UNION ALL
  SELECT 1 AS ladder, lr.offset_days AS offset_days, lr.channel AS channel, m.campaign_id AS campaign_id, k.creditor_id AS creditor_id, COALESCE(substr(m.started_at, 1, 10), '') AS day, 1 * CASE WHEN m.started_at IS NOT NULL THEN 1 ELSE 0 END AS attempted, 1 * CASE WHEN m.started_at IS NOT NULL AND COALESCE(m.answered_by, '') = 'person' THEN 1 ELSE 0 END AS person, 1 * CASE WHEN m.started_at IS NOT NULL AND m.heard_to_end <> 0 THEN 1 ELSE 0 END AS heard, 1 * CASE WHEN m.started_at IS NOT NULL AND COALESCE(m.transfer, '') <> '' THEN 1 ELSE 0 END AS transfers, 1 * CASE WHEN COALESCE(m.keys, '') <> '' THEN 1 ELSE 0 END AS keyed, 1 * CASE WHEN strpos(COALESCE(m.keys, ''), '0') > 0 THEN 1 ELSE 0 END AS key_0, 1 * CASE WHEN strpos(COALESCE(m.keys, ''), '1') > 0 THEN 1 ELSE 0 END AS key_1, 1 * CASE WHEN strpos(COALESCE(m.keys, ''), '2') > 0 THEN 1 ELSE 0 END AS key_2, 1 * CASE WHEN strpos(COALESCE(m.keys, ''), '3') > 0 THEN 1 ELSE 0 END AS key_3, 1 * CASE WHEN strpos(COALESCE(m.keys, ''), '4') > 0 THEN 1 ELSE 0 END AS key_4, 1 * CASE WHEN strpos(COALESCE(m.keys, ''), '5') > 0 THEN 1 ELSE 0 END AS key_5, 1 * CASE WHEN strpos(COALESCE(m.keys, ''), '6') > 0 THEN 1 ELSE 0 END AS key_6, 1 * CASE WHEN strpos(COALESCE(m.keys, ''), '7') > 0 THEN 1 ELSE 0 END AS key_7, 1 * CASE WHEN strpos(COALESCE(m.keys, ''), '8') > 0 THEN 1 ELSE 0 END AS key_8, 1 * CASE WHEN strpos(COALESCE(m.keys, ''), '9') > 0 THEN 1 ELSE 0 END AS key_9, 1 * CASE WHEN strpos(COALESCE(m.keys, ''), '*') > 0 THEN 1 ELSE 0 END AS key_star, 1 * CASE WHEN strpos(COALESCE(m.keys, ''), '#') > 0 THEN 1 ELSE 0 END AS key_hash FROM call_attempt m JOIN ladder_run lr ON lr.case_id = m.case_id JOIN debt_case k ON k.id = lr.case_id WHERE m.campaign_id IS NOT NULL
) x WHERE 1 = 1 GROUP BY x.ladder, x.offset_days, x.channel, x.campaign_id, x.creditor_id, x.day
HAVING SUM(x.attempted) <> 0 OR SUM(x.person) <> 0 OR SUM(x.heard) <> 0 OR SUM(x.transfers) <> 0 OR SUM(x.keyed) <> 0 OR SUM(x.key_0) <> 0 OR SUM(x.key_1) <> 0 OR SUM(x.key_2) <> 0 OR SUM(x.key_3) <> 0 OR SUM(x.key_4) <> 0 OR SUM(x.key_5) <> 0 OR SUM(x.key_6) <> 0 OR SUM(x.key_7) <> 0 OR SUM(x.key_8) <> 0 OR SUM(x.key_9) <> 0 OR SUM(x.key_star) <> 0 OR SUM(x.key_hash) <> 0
ON CONFLICT (ladder, offset_days, channel, campaign_id, creditor_id, day) DO UPDATE SET attempted = r.attempted + excluded.attempted, person = r.person + excluded.person, heard = r.heard + excluded.heard, transfers = r.transfers + excluded.transfers, keyed = r.keyed + excluded.keyed, key_0 = r.key_0 + excluded.key_0, key_1 = r.key_1 + excluded.key_1, key_2 = r.key_2 + excluded.key_2, key_3 = r.key_3 + excluded.key_3, key_4 = r.key_4 + excluded.key_4, key_5 = r.key_5 + excluded.key_5, key_6 = r.key_6 + excluded.key_6, key_7 = r.key_7 + excluded.key_7, key_8 = r.key_8 + excluded.key_8, key_9 = r.key_9 + excluded.key_9, key_star = r.key_star + excluded.key_star, key_hash = r.key_hash + excluded.key_hash;

INSERT INTO report_declared AS r (ladder, offset_days, channel, campaign_id, creditor_id, day, currency, declarations, declared_minor)
SELECT x.ladder, x.offset_days, x.channel, x.campaign_id, x.creditor_id, x.day, x.currency, SUM(x.declarations), SUM(x.declared_minor) FROM (
  SELECT 0 AS ladder, 0 AS offset_days, '' AS channel, m.campaign_id AS campaign_id, COALESCE(k.creditor_id, 0) AS creditor_id, COALESCE(substr(m.started_at, 1, 10), '') AS day, d.currency AS currency, 1 AS declarations, 1 * d.amount_minor AS declared_minor FROM call_attempt m JOIN declaration d ON d.id = m.declaration_id LEFT JOIN debt_case k ON k.id = m.case_id WHERE m.campaign_id IS NOT NULL AND m.started_at IS NOT NULL
  UNION ALL
  SELECT 1 AS ladder, lr.offset_days AS offset_days, lr.channel AS channel, m.campaign_id AS campaign_id, k.creditor_id AS creditor_id, COALESCE(substr(m.started_at, 1, 10), '') AS day, d.currency AS currency, 1 AS declarations, 1 * d.amount_minor AS declared_minor FROM call_attempt m JOIN declaration d ON d.id = m.declaration_id JOIN ladder_run lr ON lr.case_id = m.case_id JOIN debt_case k ON k.id = lr.case_id WHERE m.campaign_id IS NOT NULL AND m.started_at IS NOT NULL
) x WHERE 1 = 1 GROUP BY x.ladder, x.offset_days, x.channel, x.campaign_id, x.creditor_id, x.day, x.currency
HAVING SUM(x.declarations) <> 0 OR SUM(x.declared_minor) <> 0
ON CONFLICT (ladder, offset_days, channel, campaign_id, creditor_id, day, currency) DO UPDATE SET declarations = r.declarations + excluded.declarations, declared_minor = r.declared_minor + excluded.declared_minor;

INSERT INTO report_work_month AS r (agent_id, creditor_id, month, prev_month, cases)
SELECT x.agent_id, x.creditor_id, x.month, x.prev_month, SUM(x.n) FROM (
  SELECT c.agent_id, c.creditor_id, c.month, COALESCE(LAG(c.month) OVER (PARTITION BY c.agent_id, c.case_id, c.creditor_id ORDER BY c.month), '') AS prev_month, -1 AS n FROM (SELECT DISTINCT w.agent_id, w.case_id, w.creditor_id, substr(w.created_at, 1, 7) AS month FROM (SELECT a.agent_id, a.case_id, 0 AS creditor_id, a.created_at FROM activity a WHERE 1 = 0) w) c
  UNION ALL
  SELECT c.agent_id, c.creditor_id, c.month, COALESCE(LAG(c.month) OVER (PARTITION BY c.agent_id, c.case_id, c.creditor_id ORDER BY c.month), '') AS prev_month, 1 AS n FROM (SELECT DISTINCT w.agent_id, w.case_id, w.creditor_id, substr(w.created_at, 1, 7) AS month FROM (SELECT a.agent_id, a.case_id, k.creditor_id, a.created_at FROM activity a JOIN debt_case k ON k.id = a.case_id WHERE a.agent_id IS NOT NULL) w) c
) x WHERE 1 = 1 GROUP BY x.agent_id, x.creditor_id, x.month, x.prev_month HAVING SUM(x.n) <> 0
ON CONFLICT (agent_id, creditor_id, month, prev_month) DO UPDATE SET cases = r.cases + excluded.cases;

INSERT INTO report_work_kinds AS r (agent_id, creditor_id, month, calls, declarations, status_changes, closed)
SELECT x.agent_id, x.creditor_id, x.month, SUM(x.calls), SUM(x.declarations), SUM(x.status_changes), SUM(x.closed) FROM (
  SELECT a.agent_id AS agent_id, k.creditor_id AS creditor_id, substr(a.created_at, 1, 7) AS month, 1 * CASE WHEN a.kind = 'call' THEN 1 ELSE 0 END AS calls, 1 * CASE WHEN a.kind = 'declaration' THEN 1 ELSE 0 END AS declarations, 1 * CASE WHEN a.kind = 'status' THEN 1 ELSE 0 END AS status_changes, 1 * CASE WHEN a.kind = 'status' AND (a.refs LIKE '%"to":"closed"%' OR a.refs LIKE '%"to": "closed"%') THEN 1 ELSE 0 END AS closed FROM activity a JOIN debt_case k ON k.id = a.case_id WHERE a.agent_id IS NOT NULL
) x WHERE 1 = 1 GROUP BY x.agent_id, x.creditor_id, x.month
HAVING SUM(x.calls) <> 0 OR SUM(x.declarations) <> 0 OR SUM(x.status_changes) <> 0 OR SUM(x.closed) <> 0
ON CONFLICT (agent_id, creditor_id, month) DO UPDATE SET calls = r.calls + excluded.calls, declarations = r.declarations + excluded.declarations, status_changes = r.status_changes + excluded.status_changes, closed = r.closed + excluded.closed;

-- the triggers

-- a message: its campaign's day and its case's ladder step

CREATE FUNCTION dd_report_sms_row () RETURNS trigger
  LANGUAGE plpgsql
  AS $$
BEGIN
  IF current_setting('dd.copying', true) = 'on' THEN
    RETURN NULL;
  END IF;
  IF TG_OP = 'INSERT' THEN
    INSERT INTO report_sms AS r (ladder, offset_days, channel, campaign_id, creditor_id, day, currency, messages, sent, delivered, failed, replies, billed, cost_minor)
    SELECT x.ladder, x.offset_days, x.channel, x.campaign_id, x.creditor_id, x.day, x.currency, SUM(x.messages), SUM(x.sent), SUM(x.delivered), SUM(x.failed), SUM(x.replies), SUM(x.billed), SUM(x.cost_minor) FROM (
      SELECT 0 AS ladder, 0 AS offset_days, '' AS channel, NEW.campaign_id AS campaign_id, COALESCE((SELECT k.creditor_id FROM debt_case k WHERE k.id = NEW.case_id), 0) AS creditor_id, substr(NEW.created_at, 1, 10) AS day, COALESCE(NEW.cost_currency, '') AS currency, 1 AS messages, 1 * CASE WHEN NEW.state IN ('sent', 'delivered') OR (NEW.state IN ('failed', 'expired') AND NEW.sent_at IS NOT NULL) THEN 1 ELSE 0 END AS sent, 1 * CASE WHEN NEW.state = 'delivered' THEN 1 ELSE 0 END AS delivered, 1 * CASE WHEN NEW.state IN ('failed', 'expired') THEN 1 ELSE 0 END AS failed, 1 * NEW.replies AS replies, 1 * CASE WHEN NEW.cost_currency IS NOT NULL THEN 1 ELSE 0 END AS billed, 1 * COALESCE(NEW.cost_minor, 0) AS cost_minor WHERE NEW.campaign_id IS NOT NULL
      UNION ALL
      SELECT 1 AS ladder, lr.offset_days AS offset_days, lr.channel AS channel, NEW.campaign_id AS campaign_id, k.creditor_id AS creditor_id, substr(NEW.created_at, 1, 10) AS day, COALESCE(NEW.cost_currency, '') AS currency, 1 AS messages, 1 * CASE WHEN NEW.state IN ('sent', 'delivered') OR (NEW.state IN ('failed', 'expired') AND NEW.sent_at IS NOT NULL) THEN 1 ELSE 0 END AS sent, 1 * CASE WHEN NEW.state = 'delivered' THEN 1 ELSE 0 END AS delivered, 1 * CASE WHEN NEW.state IN ('failed', 'expired') THEN 1 ELSE 0 END AS failed, 1 * NEW.replies AS replies, 1 * CASE WHEN NEW.cost_currency IS NOT NULL THEN 1 ELSE 0 END AS billed, 1 * COALESCE(NEW.cost_minor, 0) AS cost_minor FROM ladder_run lr JOIN debt_case k ON k.id = lr.case_id WHERE lr.case_id = NEW.case_id AND NEW.campaign_id IS NOT NULL
    ) x WHERE 1 = 1 GROUP BY x.ladder, x.offset_days, x.channel, x.campaign_id, x.creditor_id, x.day, x.currency
    HAVING SUM(x.messages) <> 0 OR SUM(x.sent) <> 0 OR SUM(x.delivered) <> 0 OR SUM(x.failed) <> 0 OR SUM(x.replies) <> 0 OR SUM(x.billed) <> 0 OR SUM(x.cost_minor) <> 0
    ON CONFLICT (ladder, offset_days, channel, campaign_id, creditor_id, day, currency) DO UPDATE SET messages = r.messages + excluded.messages, sent = r.sent + excluded.sent, delivered = r.delivered + excluded.delivered, failed = r.failed + excluded.failed, replies = r.replies + excluded.replies, billed = r.billed + excluded.billed, cost_minor = r.cost_minor + excluded.cost_minor;
  ELSIF TG_OP = 'UPDATE' THEN
    INSERT INTO report_sms AS r (ladder, offset_days, channel, campaign_id, creditor_id, day, currency, messages, sent, delivered, failed, replies, billed, cost_minor)
    SELECT x.ladder, x.offset_days, x.channel, x.campaign_id, x.creditor_id, x.day, x.currency, SUM(x.messages), SUM(x.sent), SUM(x.delivered), SUM(x.failed), SUM(x.replies), SUM(x.billed), SUM(x.cost_minor) FROM (
      SELECT 0 AS ladder, 0 AS offset_days, '' AS channel, OLD.campaign_id AS campaign_id, COALESCE((SELECT k.creditor_id FROM debt_case k WHERE k.id = OLD.case_id), 0) AS creditor_id, substr(OLD.created_at, 1, 10) AS day, COALESCE(OLD.cost_currency, '') AS currency, -1 AS messages, -1 * CASE WHEN OLD.state IN ('sent', 'delivered') OR (OLD.state IN ('failed', 'expired') AND OLD.sent_at IS NOT NULL) THEN 1 ELSE 0 END AS sent, -1 * CASE WHEN OLD.state = 'delivered' THEN 1 ELSE 0 END AS delivered, -1 * CASE WHEN OLD.state IN ('failed', 'expired') THEN 1 ELSE 0 END AS failed, -1 * OLD.replies AS replies, -1 * CASE WHEN OLD.cost_currency IS NOT NULL THEN 1 ELSE 0 END AS billed, -1 * COALESCE(OLD.cost_minor, 0) AS cost_minor WHERE OLD.campaign_id IS NOT NULL
      UNION ALL
      SELECT 1 AS ladder, lr.offset_days AS offset_days, lr.channel AS channel, OLD.campaign_id AS campaign_id, k.creditor_id AS creditor_id, substr(OLD.created_at, 1, 10) AS day, COALESCE(OLD.cost_currency, '') AS currency, -1 AS messages, -1 * CASE WHEN OLD.state IN ('sent', 'delivered') OR (OLD.state IN ('failed', 'expired') AND OLD.sent_at IS NOT NULL) THEN 1 ELSE 0 END AS sent, -1 * CASE WHEN OLD.state = 'delivered' THEN 1 ELSE 0 END AS delivered, -1 * CASE WHEN OLD.state IN ('failed', 'expired') THEN 1 ELSE 0 END AS failed, -1 * OLD.replies AS replies, -1 * CASE WHEN OLD.cost_currency IS NOT NULL THEN 1 ELSE 0 END AS billed, -1 * COALESCE(OLD.cost_minor, 0) AS cost_minor FROM ladder_run lr JOIN debt_case k ON k.id = lr.case_id WHERE lr.case_id = OLD.case_id AND OLD.campaign_id IS NOT NULL
      UNION ALL
      SELECT 0 AS ladder, 0 AS offset_days, '' AS channel, NEW.campaign_id AS campaign_id, COALESCE((SELECT k.creditor_id FROM debt_case k WHERE k.id = NEW.case_id), 0) AS creditor_id, substr(NEW.created_at, 1, 10) AS day, COALESCE(NEW.cost_currency, '') AS currency, 1 AS messages, 1 * CASE WHEN NEW.state IN ('sent', 'delivered') OR (NEW.state IN ('failed', 'expired') AND NEW.sent_at IS NOT NULL) THEN 1 ELSE 0 END AS sent, 1 * CASE WHEN NEW.state = 'delivered' THEN 1 ELSE 0 END AS delivered, 1 * CASE WHEN NEW.state IN ('failed', 'expired') THEN 1 ELSE 0 END AS failed, 1 * NEW.replies AS replies, 1 * CASE WHEN NEW.cost_currency IS NOT NULL THEN 1 ELSE 0 END AS billed, 1 * COALESCE(NEW.cost_minor, 0) AS cost_minor WHERE NEW.campaign_id IS NOT NULL
      UNION ALL
      SELECT 1 AS ladder, lr.offset_days AS offset_days, lr.channel AS channel, NEW.campaign_id AS campaign_id, k.creditor_id AS creditor_id, substr(NEW.created_at, 1, 10) AS day, COALESCE(NEW.cost_currency, '') AS currency, 1 AS messages, 1 * CASE WHEN NEW.state IN ('sent', 'delivered') OR (NEW.state IN ('failed', 'expired') AND NEW.sent_at IS NOT NULL) THEN 1 ELSE 0 END AS sent, 1 * CASE WHEN NEW.state = 'delivered' THEN 1 ELSE 0 END AS delivered, 1 * CASE WHEN NEW.state IN ('failed', 'expired') THEN 1 ELSE 0 END AS failed, 1 * NEW.replies AS replies, 1 * CASE WHEN NEW.cost_currency IS NOT NULL THEN 1 ELSE 0 END AS billed, 1 * COALESCE(NEW.cost_minor, 0) AS cost_minor FROM ladder_run lr JOIN debt_case k ON k.id = lr.case_id WHERE lr.case_id = NEW.case_id AND NEW.campaign_id IS NOT NULL
    ) x WHERE 1 = 1 GROUP BY x.ladder, x.offset_days, x.channel, x.campaign_id, x.creditor_id, x.day, x.currency
    HAVING SUM(x.messages) <> 0 OR SUM(x.sent) <> 0 OR SUM(x.delivered) <> 0 OR SUM(x.failed) <> 0 OR SUM(x.replies) <> 0 OR SUM(x.billed) <> 0 OR SUM(x.cost_minor) <> 0
    ON CONFLICT (ladder, offset_days, channel, campaign_id, creditor_id, day, currency) DO UPDATE SET messages = r.messages + excluded.messages, sent = r.sent + excluded.sent, delivered = r.delivered + excluded.delivered, failed = r.failed + excluded.failed, replies = r.replies + excluded.replies, billed = r.billed + excluded.billed, cost_minor = r.cost_minor + excluded.cost_minor;
  ELSE
    INSERT INTO report_sms AS r (ladder, offset_days, channel, campaign_id, creditor_id, day, currency, messages, sent, delivered, failed, replies, billed, cost_minor)
    SELECT x.ladder, x.offset_days, x.channel, x.campaign_id, x.creditor_id, x.day, x.currency, SUM(x.messages), SUM(x.sent), SUM(x.delivered), SUM(x.failed), SUM(x.replies), SUM(x.billed), SUM(x.cost_minor) FROM (
      SELECT 0 AS ladder, 0 AS offset_days, '' AS channel, OLD.campaign_id AS campaign_id, COALESCE((SELECT k.creditor_id FROM debt_case k WHERE k.id = OLD.case_id), 0) AS creditor_id, substr(OLD.created_at, 1, 10) AS day, COALESCE(OLD.cost_currency, '') AS currency, -1 AS messages, -1 * CASE WHEN OLD.state IN ('sent', 'delivered') OR (OLD.state IN ('failed', 'expired') AND OLD.sent_at IS NOT NULL) THEN 1 ELSE 0 END AS sent, -1 * CASE WHEN OLD.state = 'delivered' THEN 1 ELSE 0 END AS delivered, -1 * CASE WHEN OLD.state IN ('failed', 'expired') THEN 1 ELSE 0 END AS failed, -1 * OLD.replies AS replies, -1 * CASE WHEN OLD.cost_currency IS NOT NULL THEN 1 ELSE 0 END AS billed, -1 * COALESCE(OLD.cost_minor, 0) AS cost_minor WHERE OLD.campaign_id IS NOT NULL
      UNION ALL
      SELECT 1 AS ladder, lr.offset_days AS offset_days, lr.channel AS channel, OLD.campaign_id AS campaign_id, k.creditor_id AS creditor_id, substr(OLD.created_at, 1, 10) AS day, COALESCE(OLD.cost_currency, '') AS currency, -1 AS messages, -1 * CASE WHEN OLD.state IN ('sent', 'delivered') OR (OLD.state IN ('failed', 'expired') AND OLD.sent_at IS NOT NULL) THEN 1 ELSE 0 END AS sent, -1 * CASE WHEN OLD.state = 'delivered' THEN 1 ELSE 0 END AS delivered, -1 * CASE WHEN OLD.state IN ('failed', 'expired') THEN 1 ELSE 0 END AS failed, -1 * OLD.replies AS replies, -1 * CASE WHEN OLD.cost_currency IS NOT NULL THEN 1 ELSE 0 END AS billed, -1 * COALESCE(OLD.cost_minor, 0) AS cost_minor FROM ladder_run lr JOIN debt_case k ON k.id = lr.case_id WHERE lr.case_id = OLD.case_id AND OLD.campaign_id IS NOT NULL
    ) x WHERE 1 = 1 GROUP BY x.ladder, x.offset_days, x.channel, x.campaign_id, x.creditor_id, x.day, x.currency
    HAVING SUM(x.messages) <> 0 OR SUM(x.sent) <> 0 OR SUM(x.delivered) <> 0 OR SUM(x.failed) <> 0 OR SUM(x.replies) <> 0 OR SUM(x.billed) <> 0 OR SUM(x.cost_minor) <> 0
    ON CONFLICT (ladder, offset_days, channel, campaign_id, creditor_id, day, currency) DO UPDATE SET messages = r.messages + excluded.messages, sent = r.sent + excluded.sent, delivered = r.delivered + excluded.delivered, failed = r.failed + excluded.failed, replies = r.replies + excluded.replies, billed = r.billed + excluded.billed, cost_minor = r.cost_minor + excluded.cost_minor;
  END IF;
  RETURN NULL;
END
$$;

CREATE TRIGGER report_sms_insert AFTER INSERT ON message
  FOR EACH ROW WHEN (NEW.campaign_id IS NOT NULL) EXECUTE FUNCTION dd_report_sms_row ();
CREATE TRIGGER report_sms_update AFTER UPDATE OF campaign_id, case_id, created_at, state, sent_at, replies, cost_minor, cost_currency ON message
  FOR EACH ROW WHEN (OLD.campaign_id IS DISTINCT FROM NEW.campaign_id OR OLD.case_id IS DISTINCT FROM NEW.case_id OR OLD.created_at IS DISTINCT FROM NEW.created_at OR OLD.state IS DISTINCT FROM NEW.state OR OLD.sent_at IS DISTINCT FROM NEW.sent_at OR OLD.replies IS DISTINCT FROM NEW.replies OR OLD.cost_minor IS DISTINCT FROM NEW.cost_minor OR OLD.cost_currency IS DISTINCT FROM NEW.cost_currency)
  EXECUTE FUNCTION dd_report_sms_row ();
CREATE TRIGGER report_sms_delete AFTER DELETE ON message
  FOR EACH ROW WHEN (OLD.campaign_id IS NOT NULL) EXECUTE FUNCTION dd_report_sms_row ();

-- a call: its attempt, answer, keys, transfer and declaration

CREATE FUNCTION dd_report_calls_row () RETURNS trigger
  LANGUAGE plpgsql
  AS $$
BEGIN
  IF current_setting('dd.copying', true) = 'on' THEN
    RETURN NULL;
  END IF;
  IF TG_OP = 'INSERT' THEN
    INSERT INTO report_calls AS r (ladder, offset_days, channel, campaign_id, creditor_id, day, attempted, person, heard, transfers, keyed, key_0, key_1, key_2, key_3, key_4, key_5, key_6, key_7, key_8, key_9, key_star, key_hash)
    SELECT x.ladder, x.offset_days, x.channel, x.campaign_id, x.creditor_id, x.day, SUM(x.attempted), SUM(x.person), SUM(x.heard), SUM(x.transfers), SUM(x.keyed), SUM(x.key_0), SUM(x.key_1), SUM(x.key_2), SUM(x.key_3), SUM(x.key_4), SUM(x.key_5), SUM(x.key_6), SUM(x.key_7), SUM(x.key_8), SUM(x.key_9), SUM(x.key_star), SUM(x.key_hash) FROM (
      SELECT 0 AS ladder, 0 AS offset_days, '' AS channel, NEW.campaign_id AS campaign_id, COALESCE((SELECT k.creditor_id FROM debt_case k WHERE k.id = NEW.case_id), 0) AS creditor_id, COALESCE(substr(NEW.started_at, 1, 10), '') AS day, 1 * CASE WHEN NEW.started_at IS NOT NULL THEN 1 ELSE 0 END AS attempted, 1 * CASE WHEN NEW.started_at IS NOT NULL AND COALESCE(NEW.answered_by, '') = 'person' THEN 1 ELSE 0 END AS person, 1 * CASE WHEN NEW.started_at IS NOT NULL AND NEW.heard_to_end <> 0 THEN 1 ELSE 0 END AS heard, 1 * CASE WHEN NEW.started_at IS NOT NULL AND COALESCE(NEW.transfer, '') <> '' THEN 1 ELSE 0 END AS transfers, 1 * CASE WHEN COALESCE(NEW.keys, '') <> '' THEN 1 ELSE 0 END AS keyed, 1 * CASE WHEN strpos(COALESCE(NEW.keys, ''), '0') > 0 THEN 1 ELSE 0 END AS key_0, 1 * CASE WHEN strpos(COALESCE(NEW.keys, ''), '1') > 0 THEN 1 ELSE 0 END AS key_1, 1 * CASE WHEN strpos(COALESCE(NEW.keys, ''), '2') > 0 THEN 1 ELSE 0 END AS key_2, 1 * CASE WHEN strpos(COALESCE(NEW.keys, ''), '3') > 0 THEN 1 ELSE 0 END AS key_3, 1 * CASE WHEN strpos(COALESCE(NEW.keys, ''), '4') > 0 THEN 1 ELSE 0 END AS key_4, 1 * CASE WHEN strpos(COALESCE(NEW.keys, ''), '5') > 0 THEN 1 ELSE 0 END AS key_5, 1 * CASE WHEN strpos(COALESCE(NEW.keys, ''), '6') > 0 THEN 1 ELSE 0 END AS key_6, 1 * CASE WHEN strpos(COALESCE(NEW.keys, ''), '7') > 0 THEN 1 ELSE 0 END AS key_7, 1 * CASE WHEN strpos(COALESCE(NEW.keys, ''), '8') > 0 THEN 1 ELSE 0 END AS key_8, 1 * CASE WHEN strpos(COALESCE(NEW.keys, ''), '9') > 0 THEN 1 ELSE 0 END AS key_9, 1 * CASE WHEN strpos(COALESCE(NEW.keys, ''), '*') > 0 THEN 1 ELSE 0 END AS key_star, 1 * CASE WHEN strpos(COALESCE(NEW.keys, ''), '#') > 0 THEN 1 ELSE 0 END AS key_hash WHERE NEW.campaign_id IS NOT NULL
      UNION ALL
      SELECT 1 AS ladder, lr.offset_days AS offset_days, lr.channel AS channel, NEW.campaign_id AS campaign_id, k.creditor_id AS creditor_id, COALESCE(substr(NEW.started_at, 1, 10), '') AS day, 1 * CASE WHEN NEW.started_at IS NOT NULL THEN 1 ELSE 0 END AS attempted, 1 * CASE WHEN NEW.started_at IS NOT NULL AND COALESCE(NEW.answered_by, '') = 'person' THEN 1 ELSE 0 END AS person, 1 * CASE WHEN NEW.started_at IS NOT NULL AND NEW.heard_to_end <> 0 THEN 1 ELSE 0 END AS heard, 1 * CASE WHEN NEW.started_at IS NOT NULL AND COALESCE(NEW.transfer, '') <> '' THEN 1 ELSE 0 END AS transfers, 1 * CASE WHEN COALESCE(NEW.keys, '') <> '' THEN 1 ELSE 0 END AS keyed, 1 * CASE WHEN strpos(COALESCE(NEW.keys, ''), '0') > 0 THEN 1 ELSE 0 END AS key_0, 1 * CASE WHEN strpos(COALESCE(NEW.keys, ''), '1') > 0 THEN 1 ELSE 0 END AS key_1, 1 * CASE WHEN strpos(COALESCE(NEW.keys, ''), '2') > 0 THEN 1 ELSE 0 END AS key_2, 1 * CASE WHEN strpos(COALESCE(NEW.keys, ''), '3') > 0 THEN 1 ELSE 0 END AS key_3, 1 * CASE WHEN strpos(COALESCE(NEW.keys, ''), '4') > 0 THEN 1 ELSE 0 END AS key_4, 1 * CASE WHEN strpos(COALESCE(NEW.keys, ''), '5') > 0 THEN 1 ELSE 0 END AS key_5, 1 * CASE WHEN strpos(COALESCE(NEW.keys, ''), '6') > 0 THEN 1 ELSE 0 END AS key_6, 1 * CASE WHEN strpos(COALESCE(NEW.keys, ''), '7') > 0 THEN 1 ELSE 0 END AS key_7, 1 * CASE WHEN strpos(COALESCE(NEW.keys, ''), '8') > 0 THEN 1 ELSE 0 END AS key_8, 1 * CASE WHEN strpos(COALESCE(NEW.keys, ''), '9') > 0 THEN 1 ELSE 0 END AS key_9, 1 * CASE WHEN strpos(COALESCE(NEW.keys, ''), '*') > 0 THEN 1 ELSE 0 END AS key_star, 1 * CASE WHEN strpos(COALESCE(NEW.keys, ''), '#') > 0 THEN 1 ELSE 0 END AS key_hash FROM ladder_run lr JOIN debt_case k ON k.id = lr.case_id WHERE lr.case_id = NEW.case_id AND NEW.campaign_id IS NOT NULL
    ) x WHERE 1 = 1 GROUP BY x.ladder, x.offset_days, x.channel, x.campaign_id, x.creditor_id, x.day
    HAVING SUM(x.attempted) <> 0 OR SUM(x.person) <> 0 OR SUM(x.heard) <> 0 OR SUM(x.transfers) <> 0 OR SUM(x.keyed) <> 0 OR SUM(x.key_0) <> 0 OR SUM(x.key_1) <> 0 OR SUM(x.key_2) <> 0 OR SUM(x.key_3) <> 0 OR SUM(x.key_4) <> 0 OR SUM(x.key_5) <> 0 OR SUM(x.key_6) <> 0 OR SUM(x.key_7) <> 0 OR SUM(x.key_8) <> 0 OR SUM(x.key_9) <> 0 OR SUM(x.key_star) <> 0 OR SUM(x.key_hash) <> 0
    ON CONFLICT (ladder, offset_days, channel, campaign_id, creditor_id, day) DO UPDATE SET attempted = r.attempted + excluded.attempted, person = r.person + excluded.person, heard = r.heard + excluded.heard, transfers = r.transfers + excluded.transfers, keyed = r.keyed + excluded.keyed, key_0 = r.key_0 + excluded.key_0, key_1 = r.key_1 + excluded.key_1, key_2 = r.key_2 + excluded.key_2, key_3 = r.key_3 + excluded.key_3, key_4 = r.key_4 + excluded.key_4, key_5 = r.key_5 + excluded.key_5, key_6 = r.key_6 + excluded.key_6, key_7 = r.key_7 + excluded.key_7, key_8 = r.key_8 + excluded.key_8, key_9 = r.key_9 + excluded.key_9, key_star = r.key_star + excluded.key_star, key_hash = r.key_hash + excluded.key_hash;
    INSERT INTO report_declared AS r (ladder, offset_days, channel, campaign_id, creditor_id, day, currency, declarations, declared_minor)
    SELECT x.ladder, x.offset_days, x.channel, x.campaign_id, x.creditor_id, x.day, x.currency, SUM(x.declarations), SUM(x.declared_minor) FROM (
      SELECT 0 AS ladder, 0 AS offset_days, '' AS channel, NEW.campaign_id AS campaign_id, COALESCE((SELECT k.creditor_id FROM debt_case k WHERE k.id = NEW.case_id), 0) AS creditor_id, COALESCE(substr(NEW.started_at, 1, 10), '') AS day, d.currency AS currency, 1 AS declarations, 1 * d.amount_minor AS declared_minor FROM declaration d WHERE d.id = NEW.declaration_id AND NEW.campaign_id IS NOT NULL AND NEW.started_at IS NOT NULL
      UNION ALL
      SELECT 1 AS ladder, lr.offset_days AS offset_days, lr.channel AS channel, NEW.campaign_id AS campaign_id, k.creditor_id AS creditor_id, COALESCE(substr(NEW.started_at, 1, 10), '') AS day, d.currency AS currency, 1 AS declarations, 1 * d.amount_minor AS declared_minor FROM declaration d, ladder_run lr JOIN debt_case k ON k.id = lr.case_id WHERE lr.case_id = NEW.case_id AND d.id = NEW.declaration_id AND NEW.campaign_id IS NOT NULL AND NEW.started_at IS NOT NULL
    ) x WHERE 1 = 1 GROUP BY x.ladder, x.offset_days, x.channel, x.campaign_id, x.creditor_id, x.day, x.currency
    HAVING SUM(x.declarations) <> 0 OR SUM(x.declared_minor) <> 0
    ON CONFLICT (ladder, offset_days, channel, campaign_id, creditor_id, day, currency) DO UPDATE SET declarations = r.declarations + excluded.declarations, declared_minor = r.declared_minor + excluded.declared_minor;
  ELSIF TG_OP = 'UPDATE' THEN
    INSERT INTO report_calls AS r (ladder, offset_days, channel, campaign_id, creditor_id, day, attempted, person, heard, transfers, keyed, key_0, key_1, key_2, key_3, key_4, key_5, key_6, key_7, key_8, key_9, key_star, key_hash)
    SELECT x.ladder, x.offset_days, x.channel, x.campaign_id, x.creditor_id, x.day, SUM(x.attempted), SUM(x.person), SUM(x.heard), SUM(x.transfers), SUM(x.keyed), SUM(x.key_0), SUM(x.key_1), SUM(x.key_2), SUM(x.key_3), SUM(x.key_4), SUM(x.key_5), SUM(x.key_6), SUM(x.key_7), SUM(x.key_8), SUM(x.key_9), SUM(x.key_star), SUM(x.key_hash) FROM (
      SELECT 0 AS ladder, 0 AS offset_days, '' AS channel, OLD.campaign_id AS campaign_id, COALESCE((SELECT k.creditor_id FROM debt_case k WHERE k.id = OLD.case_id), 0) AS creditor_id, COALESCE(substr(OLD.started_at, 1, 10), '') AS day, -1 * CASE WHEN OLD.started_at IS NOT NULL THEN 1 ELSE 0 END AS attempted, -1 * CASE WHEN OLD.started_at IS NOT NULL AND COALESCE(OLD.answered_by, '') = 'person' THEN 1 ELSE 0 END AS person, -1 * CASE WHEN OLD.started_at IS NOT NULL AND OLD.heard_to_end <> 0 THEN 1 ELSE 0 END AS heard, -1 * CASE WHEN OLD.started_at IS NOT NULL AND COALESCE(OLD.transfer, '') <> '' THEN 1 ELSE 0 END AS transfers, -1 * CASE WHEN COALESCE(OLD.keys, '') <> '' THEN 1 ELSE 0 END AS keyed, -1 * CASE WHEN strpos(COALESCE(OLD.keys, ''), '0') > 0 THEN 1 ELSE 0 END AS key_0, -1 * CASE WHEN strpos(COALESCE(OLD.keys, ''), '1') > 0 THEN 1 ELSE 0 END AS key_1, -1 * CASE WHEN strpos(COALESCE(OLD.keys, ''), '2') > 0 THEN 1 ELSE 0 END AS key_2, -1 * CASE WHEN strpos(COALESCE(OLD.keys, ''), '3') > 0 THEN 1 ELSE 0 END AS key_3, -1 * CASE WHEN strpos(COALESCE(OLD.keys, ''), '4') > 0 THEN 1 ELSE 0 END AS key_4, -1 * CASE WHEN strpos(COALESCE(OLD.keys, ''), '5') > 0 THEN 1 ELSE 0 END AS key_5, -1 * CASE WHEN strpos(COALESCE(OLD.keys, ''), '6') > 0 THEN 1 ELSE 0 END AS key_6, -1 * CASE WHEN strpos(COALESCE(OLD.keys, ''), '7') > 0 THEN 1 ELSE 0 END AS key_7, -1 * CASE WHEN strpos(COALESCE(OLD.keys, ''), '8') > 0 THEN 1 ELSE 0 END AS key_8, -1 * CASE WHEN strpos(COALESCE(OLD.keys, ''), '9') > 0 THEN 1 ELSE 0 END AS key_9, -1 * CASE WHEN strpos(COALESCE(OLD.keys, ''), '*') > 0 THEN 1 ELSE 0 END AS key_star, -1 * CASE WHEN strpos(COALESCE(OLD.keys, ''), '#') > 0 THEN 1 ELSE 0 END AS key_hash WHERE OLD.campaign_id IS NOT NULL
      UNION ALL
      SELECT 1 AS ladder, lr.offset_days AS offset_days, lr.channel AS channel, OLD.campaign_id AS campaign_id, k.creditor_id AS creditor_id, COALESCE(substr(OLD.started_at, 1, 10), '') AS day, -1 * CASE WHEN OLD.started_at IS NOT NULL THEN 1 ELSE 0 END AS attempted, -1 * CASE WHEN OLD.started_at IS NOT NULL AND COALESCE(OLD.answered_by, '') = 'person' THEN 1 ELSE 0 END AS person, -1 * CASE WHEN OLD.started_at IS NOT NULL AND OLD.heard_to_end <> 0 THEN 1 ELSE 0 END AS heard, -1 * CASE WHEN OLD.started_at IS NOT NULL AND COALESCE(OLD.transfer, '') <> '' THEN 1 ELSE 0 END AS transfers, -1 * CASE WHEN COALESCE(OLD.keys, '') <> '' THEN 1 ELSE 0 END AS keyed, -1 * CASE WHEN strpos(COALESCE(OLD.keys, ''), '0') > 0 THEN 1 ELSE 0 END AS key_0, -1 * CASE WHEN strpos(COALESCE(OLD.keys, ''), '1') > 0 THEN 1 ELSE 0 END AS key_1, -1 * CASE WHEN strpos(COALESCE(OLD.keys, ''), '2') > 0 THEN 1 ELSE 0 END AS key_2, -1 * CASE WHEN strpos(COALESCE(OLD.keys, ''), '3') > 0 THEN 1 ELSE 0 END AS key_3, -1 * CASE WHEN strpos(COALESCE(OLD.keys, ''), '4') > 0 THEN 1 ELSE 0 END AS key_4, -1 * CASE WHEN strpos(COALESCE(OLD.keys, ''), '5') > 0 THEN 1 ELSE 0 END AS key_5, -1 * CASE WHEN strpos(COALESCE(OLD.keys, ''), '6') > 0 THEN 1 ELSE 0 END AS key_6, -1 * CASE WHEN strpos(COALESCE(OLD.keys, ''), '7') > 0 THEN 1 ELSE 0 END AS key_7, -1 * CASE WHEN strpos(COALESCE(OLD.keys, ''), '8') > 0 THEN 1 ELSE 0 END AS key_8, -1 * CASE WHEN strpos(COALESCE(OLD.keys, ''), '9') > 0 THEN 1 ELSE 0 END AS key_9, -1 * CASE WHEN strpos(COALESCE(OLD.keys, ''), '*') > 0 THEN 1 ELSE 0 END AS key_star, -1 * CASE WHEN strpos(COALESCE(OLD.keys, ''), '#') > 0 THEN 1 ELSE 0 END AS key_hash FROM ladder_run lr JOIN debt_case k ON k.id = lr.case_id WHERE lr.case_id = OLD.case_id AND OLD.campaign_id IS NOT NULL
      UNION ALL
      SELECT 0 AS ladder, 0 AS offset_days, '' AS channel, NEW.campaign_id AS campaign_id, COALESCE((SELECT k.creditor_id FROM debt_case k WHERE k.id = NEW.case_id), 0) AS creditor_id, COALESCE(substr(NEW.started_at, 1, 10), '') AS day, 1 * CASE WHEN NEW.started_at IS NOT NULL THEN 1 ELSE 0 END AS attempted, 1 * CASE WHEN NEW.started_at IS NOT NULL AND COALESCE(NEW.answered_by, '') = 'person' THEN 1 ELSE 0 END AS person, 1 * CASE WHEN NEW.started_at IS NOT NULL AND NEW.heard_to_end <> 0 THEN 1 ELSE 0 END AS heard, 1 * CASE WHEN NEW.started_at IS NOT NULL AND COALESCE(NEW.transfer, '') <> '' THEN 1 ELSE 0 END AS transfers, 1 * CASE WHEN COALESCE(NEW.keys, '') <> '' THEN 1 ELSE 0 END AS keyed, 1 * CASE WHEN strpos(COALESCE(NEW.keys, ''), '0') > 0 THEN 1 ELSE 0 END AS key_0, 1 * CASE WHEN strpos(COALESCE(NEW.keys, ''), '1') > 0 THEN 1 ELSE 0 END AS key_1, 1 * CASE WHEN strpos(COALESCE(NEW.keys, ''), '2') > 0 THEN 1 ELSE 0 END AS key_2, 1 * CASE WHEN strpos(COALESCE(NEW.keys, ''), '3') > 0 THEN 1 ELSE 0 END AS key_3, 1 * CASE WHEN strpos(COALESCE(NEW.keys, ''), '4') > 0 THEN 1 ELSE 0 END AS key_4, 1 * CASE WHEN strpos(COALESCE(NEW.keys, ''), '5') > 0 THEN 1 ELSE 0 END AS key_5, 1 * CASE WHEN strpos(COALESCE(NEW.keys, ''), '6') > 0 THEN 1 ELSE 0 END AS key_6, 1 * CASE WHEN strpos(COALESCE(NEW.keys, ''), '7') > 0 THEN 1 ELSE 0 END AS key_7, 1 * CASE WHEN strpos(COALESCE(NEW.keys, ''), '8') > 0 THEN 1 ELSE 0 END AS key_8, 1 * CASE WHEN strpos(COALESCE(NEW.keys, ''), '9') > 0 THEN 1 ELSE 0 END AS key_9, 1 * CASE WHEN strpos(COALESCE(NEW.keys, ''), '*') > 0 THEN 1 ELSE 0 END AS key_star, 1 * CASE WHEN strpos(COALESCE(NEW.keys, ''), '#') > 0 THEN 1 ELSE 0 END AS key_hash WHERE NEW.campaign_id IS NOT NULL
      UNION ALL
      SELECT 1 AS ladder, lr.offset_days AS offset_days, lr.channel AS channel, NEW.campaign_id AS campaign_id, k.creditor_id AS creditor_id, COALESCE(substr(NEW.started_at, 1, 10), '') AS day, 1 * CASE WHEN NEW.started_at IS NOT NULL THEN 1 ELSE 0 END AS attempted, 1 * CASE WHEN NEW.started_at IS NOT NULL AND COALESCE(NEW.answered_by, '') = 'person' THEN 1 ELSE 0 END AS person, 1 * CASE WHEN NEW.started_at IS NOT NULL AND NEW.heard_to_end <> 0 THEN 1 ELSE 0 END AS heard, 1 * CASE WHEN NEW.started_at IS NOT NULL AND COALESCE(NEW.transfer, '') <> '' THEN 1 ELSE 0 END AS transfers, 1 * CASE WHEN COALESCE(NEW.keys, '') <> '' THEN 1 ELSE 0 END AS keyed, 1 * CASE WHEN strpos(COALESCE(NEW.keys, ''), '0') > 0 THEN 1 ELSE 0 END AS key_0, 1 * CASE WHEN strpos(COALESCE(NEW.keys, ''), '1') > 0 THEN 1 ELSE 0 END AS key_1, 1 * CASE WHEN strpos(COALESCE(NEW.keys, ''), '2') > 0 THEN 1 ELSE 0 END AS key_2, 1 * CASE WHEN strpos(COALESCE(NEW.keys, ''), '3') > 0 THEN 1 ELSE 0 END AS key_3, 1 * CASE WHEN strpos(COALESCE(NEW.keys, ''), '4') > 0 THEN 1 ELSE 0 END AS key_4, 1 * CASE WHEN strpos(COALESCE(NEW.keys, ''), '5') > 0 THEN 1 ELSE 0 END AS key_5, 1 * CASE WHEN strpos(COALESCE(NEW.keys, ''), '6') > 0 THEN 1 ELSE 0 END AS key_6, 1 * CASE WHEN strpos(COALESCE(NEW.keys, ''), '7') > 0 THEN 1 ELSE 0 END AS key_7, 1 * CASE WHEN strpos(COALESCE(NEW.keys, ''), '8') > 0 THEN 1 ELSE 0 END AS key_8, 1 * CASE WHEN strpos(COALESCE(NEW.keys, ''), '9') > 0 THEN 1 ELSE 0 END AS key_9, 1 * CASE WHEN strpos(COALESCE(NEW.keys, ''), '*') > 0 THEN 1 ELSE 0 END AS key_star, 1 * CASE WHEN strpos(COALESCE(NEW.keys, ''), '#') > 0 THEN 1 ELSE 0 END AS key_hash FROM ladder_run lr JOIN debt_case k ON k.id = lr.case_id WHERE lr.case_id = NEW.case_id AND NEW.campaign_id IS NOT NULL
    ) x WHERE 1 = 1 GROUP BY x.ladder, x.offset_days, x.channel, x.campaign_id, x.creditor_id, x.day
    HAVING SUM(x.attempted) <> 0 OR SUM(x.person) <> 0 OR SUM(x.heard) <> 0 OR SUM(x.transfers) <> 0 OR SUM(x.keyed) <> 0 OR SUM(x.key_0) <> 0 OR SUM(x.key_1) <> 0 OR SUM(x.key_2) <> 0 OR SUM(x.key_3) <> 0 OR SUM(x.key_4) <> 0 OR SUM(x.key_5) <> 0 OR SUM(x.key_6) <> 0 OR SUM(x.key_7) <> 0 OR SUM(x.key_8) <> 0 OR SUM(x.key_9) <> 0 OR SUM(x.key_star) <> 0 OR SUM(x.key_hash) <> 0
    ON CONFLICT (ladder, offset_days, channel, campaign_id, creditor_id, day) DO UPDATE SET attempted = r.attempted + excluded.attempted, person = r.person + excluded.person, heard = r.heard + excluded.heard, transfers = r.transfers + excluded.transfers, keyed = r.keyed + excluded.keyed, key_0 = r.key_0 + excluded.key_0, key_1 = r.key_1 + excluded.key_1, key_2 = r.key_2 + excluded.key_2, key_3 = r.key_3 + excluded.key_3, key_4 = r.key_4 + excluded.key_4, key_5 = r.key_5 + excluded.key_5, key_6 = r.key_6 + excluded.key_6, key_7 = r.key_7 + excluded.key_7, key_8 = r.key_8 + excluded.key_8, key_9 = r.key_9 + excluded.key_9, key_star = r.key_star + excluded.key_star, key_hash = r.key_hash + excluded.key_hash;
    INSERT INTO report_declared AS r (ladder, offset_days, channel, campaign_id, creditor_id, day, currency, declarations, declared_minor)
    SELECT x.ladder, x.offset_days, x.channel, x.campaign_id, x.creditor_id, x.day, x.currency, SUM(x.declarations), SUM(x.declared_minor) FROM (
      SELECT 0 AS ladder, 0 AS offset_days, '' AS channel, OLD.campaign_id AS campaign_id, COALESCE((SELECT k.creditor_id FROM debt_case k WHERE k.id = OLD.case_id), 0) AS creditor_id, COALESCE(substr(OLD.started_at, 1, 10), '') AS day, d.currency AS currency, -1 AS declarations, -1 * d.amount_minor AS declared_minor FROM declaration d WHERE d.id = OLD.declaration_id AND OLD.campaign_id IS NOT NULL AND OLD.started_at IS NOT NULL
      UNION ALL
      SELECT 1 AS ladder, lr.offset_days AS offset_days, lr.channel AS channel, OLD.campaign_id AS campaign_id, k.creditor_id AS creditor_id, COALESCE(substr(OLD.started_at, 1, 10), '') AS day, d.currency AS currency, -1 AS declarations, -1 * d.amount_minor AS declared_minor FROM declaration d, ladder_run lr JOIN debt_case k ON k.id = lr.case_id WHERE lr.case_id = OLD.case_id AND d.id = OLD.declaration_id AND OLD.campaign_id IS NOT NULL AND OLD.started_at IS NOT NULL
      UNION ALL
      SELECT 0 AS ladder, 0 AS offset_days, '' AS channel, NEW.campaign_id AS campaign_id, COALESCE((SELECT k.creditor_id FROM debt_case k WHERE k.id = NEW.case_id), 0) AS creditor_id, COALESCE(substr(NEW.started_at, 1, 10), '') AS day, d.currency AS currency, 1 AS declarations, 1 * d.amount_minor AS declared_minor FROM declaration d WHERE d.id = NEW.declaration_id AND NEW.campaign_id IS NOT NULL AND NEW.started_at IS NOT NULL
      UNION ALL
      SELECT 1 AS ladder, lr.offset_days AS offset_days, lr.channel AS channel, NEW.campaign_id AS campaign_id, k.creditor_id AS creditor_id, COALESCE(substr(NEW.started_at, 1, 10), '') AS day, d.currency AS currency, 1 AS declarations, 1 * d.amount_minor AS declared_minor FROM declaration d, ladder_run lr JOIN debt_case k ON k.id = lr.case_id WHERE lr.case_id = NEW.case_id AND d.id = NEW.declaration_id AND NEW.campaign_id IS NOT NULL AND NEW.started_at IS NOT NULL
    ) x WHERE 1 = 1 GROUP BY x.ladder, x.offset_days, x.channel, x.campaign_id, x.creditor_id, x.day, x.currency
    HAVING SUM(x.declarations) <> 0 OR SUM(x.declared_minor) <> 0
    ON CONFLICT (ladder, offset_days, channel, campaign_id, creditor_id, day, currency) DO UPDATE SET declarations = r.declarations + excluded.declarations, declared_minor = r.declared_minor + excluded.declared_minor;
  ELSE
    INSERT INTO report_calls AS r (ladder, offset_days, channel, campaign_id, creditor_id, day, attempted, person, heard, transfers, keyed, key_0, key_1, key_2, key_3, key_4, key_5, key_6, key_7, key_8, key_9, key_star, key_hash)
    SELECT x.ladder, x.offset_days, x.channel, x.campaign_id, x.creditor_id, x.day, SUM(x.attempted), SUM(x.person), SUM(x.heard), SUM(x.transfers), SUM(x.keyed), SUM(x.key_0), SUM(x.key_1), SUM(x.key_2), SUM(x.key_3), SUM(x.key_4), SUM(x.key_5), SUM(x.key_6), SUM(x.key_7), SUM(x.key_8), SUM(x.key_9), SUM(x.key_star), SUM(x.key_hash) FROM (
      SELECT 0 AS ladder, 0 AS offset_days, '' AS channel, OLD.campaign_id AS campaign_id, COALESCE((SELECT k.creditor_id FROM debt_case k WHERE k.id = OLD.case_id), 0) AS creditor_id, COALESCE(substr(OLD.started_at, 1, 10), '') AS day, -1 * CASE WHEN OLD.started_at IS NOT NULL THEN 1 ELSE 0 END AS attempted, -1 * CASE WHEN OLD.started_at IS NOT NULL AND COALESCE(OLD.answered_by, '') = 'person' THEN 1 ELSE 0 END AS person, -1 * CASE WHEN OLD.started_at IS NOT NULL AND OLD.heard_to_end <> 0 THEN 1 ELSE 0 END AS heard, -1 * CASE WHEN OLD.started_at IS NOT NULL AND COALESCE(OLD.transfer, '') <> '' THEN 1 ELSE 0 END AS transfers, -1 * CASE WHEN COALESCE(OLD.keys, '') <> '' THEN 1 ELSE 0 END AS keyed, -1 * CASE WHEN strpos(COALESCE(OLD.keys, ''), '0') > 0 THEN 1 ELSE 0 END AS key_0, -1 * CASE WHEN strpos(COALESCE(OLD.keys, ''), '1') > 0 THEN 1 ELSE 0 END AS key_1, -1 * CASE WHEN strpos(COALESCE(OLD.keys, ''), '2') > 0 THEN 1 ELSE 0 END AS key_2, -1 * CASE WHEN strpos(COALESCE(OLD.keys, ''), '3') > 0 THEN 1 ELSE 0 END AS key_3, -1 * CASE WHEN strpos(COALESCE(OLD.keys, ''), '4') > 0 THEN 1 ELSE 0 END AS key_4, -1 * CASE WHEN strpos(COALESCE(OLD.keys, ''), '5') > 0 THEN 1 ELSE 0 END AS key_5, -1 * CASE WHEN strpos(COALESCE(OLD.keys, ''), '6') > 0 THEN 1 ELSE 0 END AS key_6, -1 * CASE WHEN strpos(COALESCE(OLD.keys, ''), '7') > 0 THEN 1 ELSE 0 END AS key_7, -1 * CASE WHEN strpos(COALESCE(OLD.keys, ''), '8') > 0 THEN 1 ELSE 0 END AS key_8, -1 * CASE WHEN strpos(COALESCE(OLD.keys, ''), '9') > 0 THEN 1 ELSE 0 END AS key_9, -1 * CASE WHEN strpos(COALESCE(OLD.keys, ''), '*') > 0 THEN 1 ELSE 0 END AS key_star, -1 * CASE WHEN strpos(COALESCE(OLD.keys, ''), '#') > 0 THEN 1 ELSE 0 END AS key_hash WHERE OLD.campaign_id IS NOT NULL
      UNION ALL
      SELECT 1 AS ladder, lr.offset_days AS offset_days, lr.channel AS channel, OLD.campaign_id AS campaign_id, k.creditor_id AS creditor_id, COALESCE(substr(OLD.started_at, 1, 10), '') AS day, -1 * CASE WHEN OLD.started_at IS NOT NULL THEN 1 ELSE 0 END AS attempted, -1 * CASE WHEN OLD.started_at IS NOT NULL AND COALESCE(OLD.answered_by, '') = 'person' THEN 1 ELSE 0 END AS person, -1 * CASE WHEN OLD.started_at IS NOT NULL AND OLD.heard_to_end <> 0 THEN 1 ELSE 0 END AS heard, -1 * CASE WHEN OLD.started_at IS NOT NULL AND COALESCE(OLD.transfer, '') <> '' THEN 1 ELSE 0 END AS transfers, -1 * CASE WHEN COALESCE(OLD.keys, '') <> '' THEN 1 ELSE 0 END AS keyed, -1 * CASE WHEN strpos(COALESCE(OLD.keys, ''), '0') > 0 THEN 1 ELSE 0 END AS key_0, -1 * CASE WHEN strpos(COALESCE(OLD.keys, ''), '1') > 0 THEN 1 ELSE 0 END AS key_1, -1 * CASE WHEN strpos(COALESCE(OLD.keys, ''), '2') > 0 THEN 1 ELSE 0 END AS key_2, -1 * CASE WHEN strpos(COALESCE(OLD.keys, ''), '3') > 0 THEN 1 ELSE 0 END AS key_3, -1 * CASE WHEN strpos(COALESCE(OLD.keys, ''), '4') > 0 THEN 1 ELSE 0 END AS key_4, -1 * CASE WHEN strpos(COALESCE(OLD.keys, ''), '5') > 0 THEN 1 ELSE 0 END AS key_5, -1 * CASE WHEN strpos(COALESCE(OLD.keys, ''), '6') > 0 THEN 1 ELSE 0 END AS key_6, -1 * CASE WHEN strpos(COALESCE(OLD.keys, ''), '7') > 0 THEN 1 ELSE 0 END AS key_7, -1 * CASE WHEN strpos(COALESCE(OLD.keys, ''), '8') > 0 THEN 1 ELSE 0 END AS key_8, -1 * CASE WHEN strpos(COALESCE(OLD.keys, ''), '9') > 0 THEN 1 ELSE 0 END AS key_9, -1 * CASE WHEN strpos(COALESCE(OLD.keys, ''), '*') > 0 THEN 1 ELSE 0 END AS key_star, -1 * CASE WHEN strpos(COALESCE(OLD.keys, ''), '#') > 0 THEN 1 ELSE 0 END AS key_hash FROM ladder_run lr JOIN debt_case k ON k.id = lr.case_id WHERE lr.case_id = OLD.case_id AND OLD.campaign_id IS NOT NULL
    ) x WHERE 1 = 1 GROUP BY x.ladder, x.offset_days, x.channel, x.campaign_id, x.creditor_id, x.day
    HAVING SUM(x.attempted) <> 0 OR SUM(x.person) <> 0 OR SUM(x.heard) <> 0 OR SUM(x.transfers) <> 0 OR SUM(x.keyed) <> 0 OR SUM(x.key_0) <> 0 OR SUM(x.key_1) <> 0 OR SUM(x.key_2) <> 0 OR SUM(x.key_3) <> 0 OR SUM(x.key_4) <> 0 OR SUM(x.key_5) <> 0 OR SUM(x.key_6) <> 0 OR SUM(x.key_7) <> 0 OR SUM(x.key_8) <> 0 OR SUM(x.key_9) <> 0 OR SUM(x.key_star) <> 0 OR SUM(x.key_hash) <> 0
    ON CONFLICT (ladder, offset_days, channel, campaign_id, creditor_id, day) DO UPDATE SET attempted = r.attempted + excluded.attempted, person = r.person + excluded.person, heard = r.heard + excluded.heard, transfers = r.transfers + excluded.transfers, keyed = r.keyed + excluded.keyed, key_0 = r.key_0 + excluded.key_0, key_1 = r.key_1 + excluded.key_1, key_2 = r.key_2 + excluded.key_2, key_3 = r.key_3 + excluded.key_3, key_4 = r.key_4 + excluded.key_4, key_5 = r.key_5 + excluded.key_5, key_6 = r.key_6 + excluded.key_6, key_7 = r.key_7 + excluded.key_7, key_8 = r.key_8 + excluded.key_8, key_9 = r.key_9 + excluded.key_9, key_star = r.key_star + excluded.key_star, key_hash = r.key_hash + excluded.key_hash;
    INSERT INTO report_declared AS r (ladder, offset_days, channel, campaign_id, creditor_id, day, currency, declarations, declared_minor)
    SELECT x.ladder, x.offset_days, x.channel, x.campaign_id, x.creditor_id, x.day, x.currency, SUM(x.declarations), SUM(x.declared_minor) FROM (
      SELECT 0 AS ladder, 0 AS offset_days, '' AS channel, OLD.campaign_id AS campaign_id, COALESCE((SELECT k.creditor_id FROM debt_case k WHERE k.id = OLD.case_id), 0) AS creditor_id, COALESCE(substr(OLD.started_at, 1, 10), '') AS day, d.currency AS currency, -1 AS declarations, -1 * d.amount_minor AS declared_minor FROM declaration d WHERE d.id = OLD.declaration_id AND OLD.campaign_id IS NOT NULL AND OLD.started_at IS NOT NULL
      UNION ALL
      SELECT 1 AS ladder, lr.offset_days AS offset_days, lr.channel AS channel, OLD.campaign_id AS campaign_id, k.creditor_id AS creditor_id, COALESCE(substr(OLD.started_at, 1, 10), '') AS day, d.currency AS currency, -1 AS declarations, -1 * d.amount_minor AS declared_minor FROM declaration d, ladder_run lr JOIN debt_case k ON k.id = lr.case_id WHERE lr.case_id = OLD.case_id AND d.id = OLD.declaration_id AND OLD.campaign_id IS NOT NULL AND OLD.started_at IS NOT NULL
    ) x WHERE 1 = 1 GROUP BY x.ladder, x.offset_days, x.channel, x.campaign_id, x.creditor_id, x.day, x.currency
    HAVING SUM(x.declarations) <> 0 OR SUM(x.declared_minor) <> 0
    ON CONFLICT (ladder, offset_days, channel, campaign_id, creditor_id, day, currency) DO UPDATE SET declarations = r.declarations + excluded.declarations, declared_minor = r.declared_minor + excluded.declared_minor;
  END IF;
  RETURN NULL;
END
$$;

CREATE TRIGGER report_calls_insert AFTER INSERT ON call_attempt
  FOR EACH ROW WHEN (NEW.campaign_id IS NOT NULL) EXECUTE FUNCTION dd_report_calls_row ();
CREATE TRIGGER report_calls_update AFTER UPDATE OF campaign_id, case_id, started_at, answered_by, heard_to_end, transfer, keys, declaration_id ON call_attempt
  FOR EACH ROW WHEN (OLD.campaign_id IS DISTINCT FROM NEW.campaign_id OR OLD.case_id IS DISTINCT FROM NEW.case_id OR OLD.started_at IS DISTINCT FROM NEW.started_at OR OLD.answered_by IS DISTINCT FROM NEW.answered_by OR OLD.heard_to_end IS DISTINCT FROM NEW.heard_to_end OR OLD.transfer IS DISTINCT FROM NEW.transfer OR OLD.keys IS DISTINCT FROM NEW.keys OR OLD.declaration_id IS DISTINCT FROM NEW.declaration_id)
  EXECUTE FUNCTION dd_report_calls_row ();
CREATE TRIGGER report_calls_delete AFTER DELETE ON call_attempt
  FOR EACH ROW WHEN (OLD.campaign_id IS NOT NULL) EXECUTE FUNCTION dd_report_calls_row ();

-- a declaration made in a call, written after the call or changed; deleted: taken out
-- before its calls lose it

CREATE FUNCTION dd_report_declared_row () RETURNS trigger
  LANGUAGE plpgsql
  AS $$
BEGIN
  IF current_setting('dd.copying', true) = 'on' THEN
    RETURN NULL;
  END IF;
  IF TG_OP = 'INSERT' THEN
    INSERT INTO report_declared AS r (ladder, offset_days, channel, campaign_id, creditor_id, day, currency, declarations, declared_minor)
    SELECT x.ladder, x.offset_days, x.channel, x.campaign_id, x.creditor_id, x.day, x.currency, SUM(x.declarations), SUM(x.declared_minor) FROM (
      SELECT 0 AS ladder, 0 AS offset_days, '' AS channel, c.campaign_id AS campaign_id, COALESCE((SELECT k.creditor_id FROM debt_case k WHERE k.id = c.case_id), 0) AS creditor_id, COALESCE(substr(c.started_at, 1, 10), '') AS day, NEW.currency AS currency, 1 AS declarations, 1 * NEW.amount_minor AS declared_minor FROM call_attempt c WHERE c.declaration_id = NEW.id AND c.campaign_id IS NOT NULL AND c.started_at IS NOT NULL
      UNION ALL
      SELECT 1 AS ladder, lr.offset_days AS offset_days, lr.channel AS channel, c.campaign_id AS campaign_id, k.creditor_id AS creditor_id, COALESCE(substr(c.started_at, 1, 10), '') AS day, NEW.currency AS currency, 1 AS declarations, 1 * NEW.amount_minor AS declared_minor FROM call_attempt c JOIN ladder_run lr ON lr.case_id = c.case_id JOIN debt_case k ON k.id = lr.case_id WHERE c.declaration_id = NEW.id AND c.campaign_id IS NOT NULL AND c.started_at IS NOT NULL
    ) x WHERE 1 = 1 GROUP BY x.ladder, x.offset_days, x.channel, x.campaign_id, x.creditor_id, x.day, x.currency
    HAVING SUM(x.declarations) <> 0 OR SUM(x.declared_minor) <> 0
    ON CONFLICT (ladder, offset_days, channel, campaign_id, creditor_id, day, currency) DO UPDATE SET declarations = r.declarations + excluded.declarations, declared_minor = r.declared_minor + excluded.declared_minor;
  ELSIF TG_OP = 'UPDATE' THEN
    INSERT INTO report_declared AS r (ladder, offset_days, channel, campaign_id, creditor_id, day, currency, declarations, declared_minor)
    SELECT x.ladder, x.offset_days, x.channel, x.campaign_id, x.creditor_id, x.day, x.currency, SUM(x.declarations), SUM(x.declared_minor) FROM (
      SELECT 0 AS ladder, 0 AS offset_days, '' AS channel, c.campaign_id AS campaign_id, COALESCE((SELECT k.creditor_id FROM debt_case k WHERE k.id = c.case_id), 0) AS creditor_id, COALESCE(substr(c.started_at, 1, 10), '') AS day, OLD.currency AS currency, -1 AS declarations, -1 * OLD.amount_minor AS declared_minor FROM call_attempt c WHERE c.declaration_id = OLD.id AND c.campaign_id IS NOT NULL AND c.started_at IS NOT NULL
      UNION ALL
      SELECT 1 AS ladder, lr.offset_days AS offset_days, lr.channel AS channel, c.campaign_id AS campaign_id, k.creditor_id AS creditor_id, COALESCE(substr(c.started_at, 1, 10), '') AS day, OLD.currency AS currency, -1 AS declarations, -1 * OLD.amount_minor AS declared_minor FROM call_attempt c JOIN ladder_run lr ON lr.case_id = c.case_id JOIN debt_case k ON k.id = lr.case_id WHERE c.declaration_id = OLD.id AND c.campaign_id IS NOT NULL AND c.started_at IS NOT NULL
      UNION ALL
      SELECT 0 AS ladder, 0 AS offset_days, '' AS channel, c.campaign_id AS campaign_id, COALESCE((SELECT k.creditor_id FROM debt_case k WHERE k.id = c.case_id), 0) AS creditor_id, COALESCE(substr(c.started_at, 1, 10), '') AS day, NEW.currency AS currency, 1 AS declarations, 1 * NEW.amount_minor AS declared_minor FROM call_attempt c WHERE c.declaration_id = NEW.id AND c.campaign_id IS NOT NULL AND c.started_at IS NOT NULL
      UNION ALL
      SELECT 1 AS ladder, lr.offset_days AS offset_days, lr.channel AS channel, c.campaign_id AS campaign_id, k.creditor_id AS creditor_id, COALESCE(substr(c.started_at, 1, 10), '') AS day, NEW.currency AS currency, 1 AS declarations, 1 * NEW.amount_minor AS declared_minor FROM call_attempt c JOIN ladder_run lr ON lr.case_id = c.case_id JOIN debt_case k ON k.id = lr.case_id WHERE c.declaration_id = NEW.id AND c.campaign_id IS NOT NULL AND c.started_at IS NOT NULL
    ) x WHERE 1 = 1 GROUP BY x.ladder, x.offset_days, x.channel, x.campaign_id, x.creditor_id, x.day, x.currency
    HAVING SUM(x.declarations) <> 0 OR SUM(x.declared_minor) <> 0
    ON CONFLICT (ladder, offset_days, channel, campaign_id, creditor_id, day, currency) DO UPDATE SET declarations = r.declarations + excluded.declarations, declared_minor = r.declared_minor + excluded.declared_minor;
  ELSE
    NULL;
  END IF;
  RETURN NULL;
END
$$;

CREATE TRIGGER report_declared_insert AFTER INSERT ON declaration
  FOR EACH ROW EXECUTE FUNCTION dd_report_declared_row ();
CREATE TRIGGER report_declared_update AFTER UPDATE OF id, amount_minor, currency ON declaration
  FOR EACH ROW WHEN (OLD.id IS DISTINCT FROM NEW.id OR OLD.amount_minor IS DISTINCT FROM NEW.amount_minor OR OLD.currency IS DISTINCT FROM NEW.currency)
  EXECUTE FUNCTION dd_report_declared_row ();

CREATE FUNCTION dd_report_declared_delete () RETURNS trigger
  LANGUAGE plpgsql
  AS $$
BEGIN
  IF current_setting('dd.copying', true) = 'on' THEN
    RETURN OLD;
  END IF;
  INSERT INTO report_declared AS r (ladder, offset_days, channel, campaign_id, creditor_id, day, currency, declarations, declared_minor)
  SELECT x.ladder, x.offset_days, x.channel, x.campaign_id, x.creditor_id, x.day, x.currency, SUM(x.declarations), SUM(x.declared_minor) FROM (
    SELECT 0 AS ladder, 0 AS offset_days, '' AS channel, c.campaign_id AS campaign_id, COALESCE((SELECT k.creditor_id FROM debt_case k WHERE k.id = c.case_id), 0) AS creditor_id, COALESCE(substr(c.started_at, 1, 10), '') AS day, OLD.currency AS currency, -1 AS declarations, -1 * OLD.amount_minor AS declared_minor FROM call_attempt c WHERE c.declaration_id = OLD.id AND c.campaign_id IS NOT NULL AND c.started_at IS NOT NULL
    UNION ALL
    SELECT 1 AS ladder, lr.offset_days AS offset_days, lr.channel AS channel, c.campaign_id AS campaign_id, k.creditor_id AS creditor_id, COALESCE(substr(c.started_at, 1, 10), '') AS day, OLD.currency AS currency, -1 AS declarations, -1 * OLD.amount_minor AS declared_minor FROM call_attempt c JOIN ladder_run lr ON lr.case_id = c.case_id JOIN debt_case k ON k.id = lr.case_id WHERE c.declaration_id = OLD.id AND c.campaign_id IS NOT NULL AND c.started_at IS NOT NULL
  ) x WHERE 1 = 1 GROUP BY x.ladder, x.offset_days, x.channel, x.campaign_id, x.creditor_id, x.day, x.currency
  HAVING SUM(x.declarations) <> 0 OR SUM(x.declared_minor) <> 0
  ON CONFLICT (ladder, offset_days, channel, campaign_id, creditor_id, day, currency) DO UPDATE SET declarations = r.declarations + excluded.declarations, declared_minor = r.declared_minor + excluded.declared_minor;
  RETURN OLD;
END
$$;

CREATE TRIGGER report_declared_delete BEFORE DELETE ON declaration
  FOR EACH ROW EXECUTE FUNCTION dd_report_declared_delete ();

-- a case reaching a ladder step: its messages and calls move to that step (a step
-- deleted with its case was taken out before, by report_ladder_case_delete)

CREATE FUNCTION dd_report_ladder_row () RETURNS trigger
  LANGUAGE plpgsql
  AS $$
BEGIN
  IF current_setting('dd.copying', true) = 'on' THEN
    RETURN NULL;
  END IF;
  IF TG_OP = 'INSERT' THEN
    INSERT INTO report_sms AS r (ladder, offset_days, channel, campaign_id, creditor_id, day, currency, messages, sent, delivered, failed, replies, billed, cost_minor)
    SELECT x.ladder, x.offset_days, x.channel, x.campaign_id, x.creditor_id, x.day, x.currency, SUM(x.messages), SUM(x.sent), SUM(x.delivered), SUM(x.failed), SUM(x.replies), SUM(x.billed), SUM(x.cost_minor) FROM (
      SELECT 1 AS ladder, NEW.offset_days AS offset_days, NEW.channel AS channel, m.campaign_id AS campaign_id, k.creditor_id AS creditor_id, substr(m.created_at, 1, 10) AS day, COALESCE(m.cost_currency, '') AS currency, 1 AS messages, 1 * CASE WHEN m.state IN ('sent', 'delivered') OR (m.state IN ('failed', 'expired') AND m.sent_at IS NOT NULL) THEN 1 ELSE 0 END AS sent, 1 * CASE WHEN m.state = 'delivered' THEN 1 ELSE 0 END AS delivered, 1 * CASE WHEN m.state IN ('failed', 'expired') THEN 1 ELSE 0 END AS failed, 1 * m.replies AS replies, 1 * CASE WHEN m.cost_currency IS NOT NULL THEN 1 ELSE 0 END AS billed, 1 * COALESCE(m.cost_minor, 0) AS cost_minor FROM message m JOIN debt_case k ON k.id = m.case_id WHERE m.case_id = NEW.case_id AND m.campaign_id IS NOT NULL
    ) x WHERE 1 = 1 GROUP BY x.ladder, x.offset_days, x.channel, x.campaign_id, x.creditor_id, x.day, x.currency
    HAVING SUM(x.messages) <> 0 OR SUM(x.sent) <> 0 OR SUM(x.delivered) <> 0 OR SUM(x.failed) <> 0 OR SUM(x.replies) <> 0 OR SUM(x.billed) <> 0 OR SUM(x.cost_minor) <> 0
    ON CONFLICT (ladder, offset_days, channel, campaign_id, creditor_id, day, currency) DO UPDATE SET messages = r.messages + excluded.messages, sent = r.sent + excluded.sent, delivered = r.delivered + excluded.delivered, failed = r.failed + excluded.failed, replies = r.replies + excluded.replies, billed = r.billed + excluded.billed, cost_minor = r.cost_minor + excluded.cost_minor;
    INSERT INTO report_calls AS r (ladder, offset_days, channel, campaign_id, creditor_id, day, attempted, person, heard, transfers, keyed, key_0, key_1, key_2, key_3, key_4, key_5, key_6, key_7, key_8, key_9, key_star, key_hash)
    SELECT x.ladder, x.offset_days, x.channel, x.campaign_id, x.creditor_id, x.day, SUM(x.attempted), SUM(x.person), SUM(x.heard), SUM(x.transfers), SUM(x.keyed), SUM(x.key_0), SUM(x.key_1), SUM(x.key_2), SUM(x.key_3), SUM(x.key_4), SUM(x.key_5), SUM(x.key_6), SUM(x.key_7), SUM(x.key_8), SUM(x.key_9), SUM(x.key_star), SUM(x.key_hash) FROM (
      SELECT 1 AS ladder, NEW.offset_days AS offset_days, NEW.channel AS channel, m.campaign_id AS campaign_id, k.creditor_id AS creditor_id, COALESCE(substr(m.started_at, 1, 10), '') AS day, 1 * CASE WHEN m.started_at IS NOT NULL THEN 1 ELSE 0 END AS attempted, 1 * CASE WHEN m.started_at IS NOT NULL AND COALESCE(m.answered_by, '') = 'person' THEN 1 ELSE 0 END AS person, 1 * CASE WHEN m.started_at IS NOT NULL AND m.heard_to_end <> 0 THEN 1 ELSE 0 END AS heard, 1 * CASE WHEN m.started_at IS NOT NULL AND COALESCE(m.transfer, '') <> '' THEN 1 ELSE 0 END AS transfers, 1 * CASE WHEN COALESCE(m.keys, '') <> '' THEN 1 ELSE 0 END AS keyed, 1 * CASE WHEN strpos(COALESCE(m.keys, ''), '0') > 0 THEN 1 ELSE 0 END AS key_0, 1 * CASE WHEN strpos(COALESCE(m.keys, ''), '1') > 0 THEN 1 ELSE 0 END AS key_1, 1 * CASE WHEN strpos(COALESCE(m.keys, ''), '2') > 0 THEN 1 ELSE 0 END AS key_2, 1 * CASE WHEN strpos(COALESCE(m.keys, ''), '3') > 0 THEN 1 ELSE 0 END AS key_3, 1 * CASE WHEN strpos(COALESCE(m.keys, ''), '4') > 0 THEN 1 ELSE 0 END AS key_4, 1 * CASE WHEN strpos(COALESCE(m.keys, ''), '5') > 0 THEN 1 ELSE 0 END AS key_5, 1 * CASE WHEN strpos(COALESCE(m.keys, ''), '6') > 0 THEN 1 ELSE 0 END AS key_6, 1 * CASE WHEN strpos(COALESCE(m.keys, ''), '7') > 0 THEN 1 ELSE 0 END AS key_7, 1 * CASE WHEN strpos(COALESCE(m.keys, ''), '8') > 0 THEN 1 ELSE 0 END AS key_8, 1 * CASE WHEN strpos(COALESCE(m.keys, ''), '9') > 0 THEN 1 ELSE 0 END AS key_9, 1 * CASE WHEN strpos(COALESCE(m.keys, ''), '*') > 0 THEN 1 ELSE 0 END AS key_star, 1 * CASE WHEN strpos(COALESCE(m.keys, ''), '#') > 0 THEN 1 ELSE 0 END AS key_hash FROM call_attempt m JOIN debt_case k ON k.id = m.case_id WHERE m.case_id = NEW.case_id AND m.campaign_id IS NOT NULL
    ) x WHERE 1 = 1 GROUP BY x.ladder, x.offset_days, x.channel, x.campaign_id, x.creditor_id, x.day
    HAVING SUM(x.attempted) <> 0 OR SUM(x.person) <> 0 OR SUM(x.heard) <> 0 OR SUM(x.transfers) <> 0 OR SUM(x.keyed) <> 0 OR SUM(x.key_0) <> 0 OR SUM(x.key_1) <> 0 OR SUM(x.key_2) <> 0 OR SUM(x.key_3) <> 0 OR SUM(x.key_4) <> 0 OR SUM(x.key_5) <> 0 OR SUM(x.key_6) <> 0 OR SUM(x.key_7) <> 0 OR SUM(x.key_8) <> 0 OR SUM(x.key_9) <> 0 OR SUM(x.key_star) <> 0 OR SUM(x.key_hash) <> 0
    ON CONFLICT (ladder, offset_days, channel, campaign_id, creditor_id, day) DO UPDATE SET attempted = r.attempted + excluded.attempted, person = r.person + excluded.person, heard = r.heard + excluded.heard, transfers = r.transfers + excluded.transfers, keyed = r.keyed + excluded.keyed, key_0 = r.key_0 + excluded.key_0, key_1 = r.key_1 + excluded.key_1, key_2 = r.key_2 + excluded.key_2, key_3 = r.key_3 + excluded.key_3, key_4 = r.key_4 + excluded.key_4, key_5 = r.key_5 + excluded.key_5, key_6 = r.key_6 + excluded.key_6, key_7 = r.key_7 + excluded.key_7, key_8 = r.key_8 + excluded.key_8, key_9 = r.key_9 + excluded.key_9, key_star = r.key_star + excluded.key_star, key_hash = r.key_hash + excluded.key_hash;
    INSERT INTO report_declared AS r (ladder, offset_days, channel, campaign_id, creditor_id, day, currency, declarations, declared_minor)
    SELECT x.ladder, x.offset_days, x.channel, x.campaign_id, x.creditor_id, x.day, x.currency, SUM(x.declarations), SUM(x.declared_minor) FROM (
      SELECT 1 AS ladder, NEW.offset_days AS offset_days, NEW.channel AS channel, m.campaign_id AS campaign_id, k.creditor_id AS creditor_id, COALESCE(substr(m.started_at, 1, 10), '') AS day, d.currency AS currency, 1 AS declarations, 1 * d.amount_minor AS declared_minor FROM call_attempt m JOIN debt_case k ON k.id = m.case_id JOIN declaration d ON d.id = m.declaration_id WHERE m.case_id = NEW.case_id AND m.campaign_id IS NOT NULL AND m.started_at IS NOT NULL
    ) x WHERE 1 = 1 GROUP BY x.ladder, x.offset_days, x.channel, x.campaign_id, x.creditor_id, x.day, x.currency
    HAVING SUM(x.declarations) <> 0 OR SUM(x.declared_minor) <> 0
    ON CONFLICT (ladder, offset_days, channel, campaign_id, creditor_id, day, currency) DO UPDATE SET declarations = r.declarations + excluded.declarations, declared_minor = r.declared_minor + excluded.declared_minor;
  ELSIF TG_OP = 'UPDATE' THEN
    INSERT INTO report_sms AS r (ladder, offset_days, channel, campaign_id, creditor_id, day, currency, messages, sent, delivered, failed, replies, billed, cost_minor)
    SELECT x.ladder, x.offset_days, x.channel, x.campaign_id, x.creditor_id, x.day, x.currency, SUM(x.messages), SUM(x.sent), SUM(x.delivered), SUM(x.failed), SUM(x.replies), SUM(x.billed), SUM(x.cost_minor) FROM (
      SELECT 1 AS ladder, OLD.offset_days AS offset_days, OLD.channel AS channel, m.campaign_id AS campaign_id, k.creditor_id AS creditor_id, substr(m.created_at, 1, 10) AS day, COALESCE(m.cost_currency, '') AS currency, -1 AS messages, -1 * CASE WHEN m.state IN ('sent', 'delivered') OR (m.state IN ('failed', 'expired') AND m.sent_at IS NOT NULL) THEN 1 ELSE 0 END AS sent, -1 * CASE WHEN m.state = 'delivered' THEN 1 ELSE 0 END AS delivered, -1 * CASE WHEN m.state IN ('failed', 'expired') THEN 1 ELSE 0 END AS failed, -1 * m.replies AS replies, -1 * CASE WHEN m.cost_currency IS NOT NULL THEN 1 ELSE 0 END AS billed, -1 * COALESCE(m.cost_minor, 0) AS cost_minor FROM message m JOIN debt_case k ON k.id = m.case_id WHERE m.case_id = OLD.case_id AND m.campaign_id IS NOT NULL
      UNION ALL
      SELECT 1 AS ladder, NEW.offset_days AS offset_days, NEW.channel AS channel, m.campaign_id AS campaign_id, k.creditor_id AS creditor_id, substr(m.created_at, 1, 10) AS day, COALESCE(m.cost_currency, '') AS currency, 1 AS messages, 1 * CASE WHEN m.state IN ('sent', 'delivered') OR (m.state IN ('failed', 'expired') AND m.sent_at IS NOT NULL) THEN 1 ELSE 0 END AS sent, 1 * CASE WHEN m.state = 'delivered' THEN 1 ELSE 0 END AS delivered, 1 * CASE WHEN m.state IN ('failed', 'expired') THEN 1 ELSE 0 END AS failed, 1 * m.replies AS replies, 1 * CASE WHEN m.cost_currency IS NOT NULL THEN 1 ELSE 0 END AS billed, 1 * COALESCE(m.cost_minor, 0) AS cost_minor FROM message m JOIN debt_case k ON k.id = m.case_id WHERE m.case_id = NEW.case_id AND m.campaign_id IS NOT NULL
    ) x WHERE 1 = 1 GROUP BY x.ladder, x.offset_days, x.channel, x.campaign_id, x.creditor_id, x.day, x.currency
    HAVING SUM(x.messages) <> 0 OR SUM(x.sent) <> 0 OR SUM(x.delivered) <> 0 OR SUM(x.failed) <> 0 OR SUM(x.replies) <> 0 OR SUM(x.billed) <> 0 OR SUM(x.cost_minor) <> 0
    ON CONFLICT (ladder, offset_days, channel, campaign_id, creditor_id, day, currency) DO UPDATE SET messages = r.messages + excluded.messages, sent = r.sent + excluded.sent, delivered = r.delivered + excluded.delivered, failed = r.failed + excluded.failed, replies = r.replies + excluded.replies, billed = r.billed + excluded.billed, cost_minor = r.cost_minor + excluded.cost_minor;
    INSERT INTO report_calls AS r (ladder, offset_days, channel, campaign_id, creditor_id, day, attempted, person, heard, transfers, keyed, key_0, key_1, key_2, key_3, key_4, key_5, key_6, key_7, key_8, key_9, key_star, key_hash)
    SELECT x.ladder, x.offset_days, x.channel, x.campaign_id, x.creditor_id, x.day, SUM(x.attempted), SUM(x.person), SUM(x.heard), SUM(x.transfers), SUM(x.keyed), SUM(x.key_0), SUM(x.key_1), SUM(x.key_2), SUM(x.key_3), SUM(x.key_4), SUM(x.key_5), SUM(x.key_6), SUM(x.key_7), SUM(x.key_8), SUM(x.key_9), SUM(x.key_star), SUM(x.key_hash) FROM (
      SELECT 1 AS ladder, OLD.offset_days AS offset_days, OLD.channel AS channel, m.campaign_id AS campaign_id, k.creditor_id AS creditor_id, COALESCE(substr(m.started_at, 1, 10), '') AS day, -1 * CASE WHEN m.started_at IS NOT NULL THEN 1 ELSE 0 END AS attempted, -1 * CASE WHEN m.started_at IS NOT NULL AND COALESCE(m.answered_by, '') = 'person' THEN 1 ELSE 0 END AS person, -1 * CASE WHEN m.started_at IS NOT NULL AND m.heard_to_end <> 0 THEN 1 ELSE 0 END AS heard, -1 * CASE WHEN m.started_at IS NOT NULL AND COALESCE(m.transfer, '') <> '' THEN 1 ELSE 0 END AS transfers, -1 * CASE WHEN COALESCE(m.keys, '') <> '' THEN 1 ELSE 0 END AS keyed, -1 * CASE WHEN strpos(COALESCE(m.keys, ''), '0') > 0 THEN 1 ELSE 0 END AS key_0, -1 * CASE WHEN strpos(COALESCE(m.keys, ''), '1') > 0 THEN 1 ELSE 0 END AS key_1, -1 * CASE WHEN strpos(COALESCE(m.keys, ''), '2') > 0 THEN 1 ELSE 0 END AS key_2, -1 * CASE WHEN strpos(COALESCE(m.keys, ''), '3') > 0 THEN 1 ELSE 0 END AS key_3, -1 * CASE WHEN strpos(COALESCE(m.keys, ''), '4') > 0 THEN 1 ELSE 0 END AS key_4, -1 * CASE WHEN strpos(COALESCE(m.keys, ''), '5') > 0 THEN 1 ELSE 0 END AS key_5, -1 * CASE WHEN strpos(COALESCE(m.keys, ''), '6') > 0 THEN 1 ELSE 0 END AS key_6, -1 * CASE WHEN strpos(COALESCE(m.keys, ''), '7') > 0 THEN 1 ELSE 0 END AS key_7, -1 * CASE WHEN strpos(COALESCE(m.keys, ''), '8') > 0 THEN 1 ELSE 0 END AS key_8, -1 * CASE WHEN strpos(COALESCE(m.keys, ''), '9') > 0 THEN 1 ELSE 0 END AS key_9, -1 * CASE WHEN strpos(COALESCE(m.keys, ''), '*') > 0 THEN 1 ELSE 0 END AS key_star, -1 * CASE WHEN strpos(COALESCE(m.keys, ''), '#') > 0 THEN 1 ELSE 0 END AS key_hash FROM call_attempt m JOIN debt_case k ON k.id = m.case_id WHERE m.case_id = OLD.case_id AND m.campaign_id IS NOT NULL
      UNION ALL
      SELECT 1 AS ladder, NEW.offset_days AS offset_days, NEW.channel AS channel, m.campaign_id AS campaign_id, k.creditor_id AS creditor_id, COALESCE(substr(m.started_at, 1, 10), '') AS day, 1 * CASE WHEN m.started_at IS NOT NULL THEN 1 ELSE 0 END AS attempted, 1 * CASE WHEN m.started_at IS NOT NULL AND COALESCE(m.answered_by, '') = 'person' THEN 1 ELSE 0 END AS person, 1 * CASE WHEN m.started_at IS NOT NULL AND m.heard_to_end <> 0 THEN 1 ELSE 0 END AS heard, 1 * CASE WHEN m.started_at IS NOT NULL AND COALESCE(m.transfer, '') <> '' THEN 1 ELSE 0 END AS transfers, 1 * CASE WHEN COALESCE(m.keys, '') <> '' THEN 1 ELSE 0 END AS keyed, 1 * CASE WHEN strpos(COALESCE(m.keys, ''), '0') > 0 THEN 1 ELSE 0 END AS key_0, 1 * CASE WHEN strpos(COALESCE(m.keys, ''), '1') > 0 THEN 1 ELSE 0 END AS key_1, 1 * CASE WHEN strpos(COALESCE(m.keys, ''), '2') > 0 THEN 1 ELSE 0 END AS key_2, 1 * CASE WHEN strpos(COALESCE(m.keys, ''), '3') > 0 THEN 1 ELSE 0 END AS key_3, 1 * CASE WHEN strpos(COALESCE(m.keys, ''), '4') > 0 THEN 1 ELSE 0 END AS key_4, 1 * CASE WHEN strpos(COALESCE(m.keys, ''), '5') > 0 THEN 1 ELSE 0 END AS key_5, 1 * CASE WHEN strpos(COALESCE(m.keys, ''), '6') > 0 THEN 1 ELSE 0 END AS key_6, 1 * CASE WHEN strpos(COALESCE(m.keys, ''), '7') > 0 THEN 1 ELSE 0 END AS key_7, 1 * CASE WHEN strpos(COALESCE(m.keys, ''), '8') > 0 THEN 1 ELSE 0 END AS key_8, 1 * CASE WHEN strpos(COALESCE(m.keys, ''), '9') > 0 THEN 1 ELSE 0 END AS key_9, 1 * CASE WHEN strpos(COALESCE(m.keys, ''), '*') > 0 THEN 1 ELSE 0 END AS key_star, 1 * CASE WHEN strpos(COALESCE(m.keys, ''), '#') > 0 THEN 1 ELSE 0 END AS key_hash FROM call_attempt m JOIN debt_case k ON k.id = m.case_id WHERE m.case_id = NEW.case_id AND m.campaign_id IS NOT NULL
    ) x WHERE 1 = 1 GROUP BY x.ladder, x.offset_days, x.channel, x.campaign_id, x.creditor_id, x.day
    HAVING SUM(x.attempted) <> 0 OR SUM(x.person) <> 0 OR SUM(x.heard) <> 0 OR SUM(x.transfers) <> 0 OR SUM(x.keyed) <> 0 OR SUM(x.key_0) <> 0 OR SUM(x.key_1) <> 0 OR SUM(x.key_2) <> 0 OR SUM(x.key_3) <> 0 OR SUM(x.key_4) <> 0 OR SUM(x.key_5) <> 0 OR SUM(x.key_6) <> 0 OR SUM(x.key_7) <> 0 OR SUM(x.key_8) <> 0 OR SUM(x.key_9) <> 0 OR SUM(x.key_star) <> 0 OR SUM(x.key_hash) <> 0
    ON CONFLICT (ladder, offset_days, channel, campaign_id, creditor_id, day) DO UPDATE SET attempted = r.attempted + excluded.attempted, person = r.person + excluded.person, heard = r.heard + excluded.heard, transfers = r.transfers + excluded.transfers, keyed = r.keyed + excluded.keyed, key_0 = r.key_0 + excluded.key_0, key_1 = r.key_1 + excluded.key_1, key_2 = r.key_2 + excluded.key_2, key_3 = r.key_3 + excluded.key_3, key_4 = r.key_4 + excluded.key_4, key_5 = r.key_5 + excluded.key_5, key_6 = r.key_6 + excluded.key_6, key_7 = r.key_7 + excluded.key_7, key_8 = r.key_8 + excluded.key_8, key_9 = r.key_9 + excluded.key_9, key_star = r.key_star + excluded.key_star, key_hash = r.key_hash + excluded.key_hash;
    INSERT INTO report_declared AS r (ladder, offset_days, channel, campaign_id, creditor_id, day, currency, declarations, declared_minor)
    SELECT x.ladder, x.offset_days, x.channel, x.campaign_id, x.creditor_id, x.day, x.currency, SUM(x.declarations), SUM(x.declared_minor) FROM (
      SELECT 1 AS ladder, OLD.offset_days AS offset_days, OLD.channel AS channel, m.campaign_id AS campaign_id, k.creditor_id AS creditor_id, COALESCE(substr(m.started_at, 1, 10), '') AS day, d.currency AS currency, -1 AS declarations, -1 * d.amount_minor AS declared_minor FROM call_attempt m JOIN debt_case k ON k.id = m.case_id JOIN declaration d ON d.id = m.declaration_id WHERE m.case_id = OLD.case_id AND m.campaign_id IS NOT NULL AND m.started_at IS NOT NULL
      UNION ALL
      SELECT 1 AS ladder, NEW.offset_days AS offset_days, NEW.channel AS channel, m.campaign_id AS campaign_id, k.creditor_id AS creditor_id, COALESCE(substr(m.started_at, 1, 10), '') AS day, d.currency AS currency, 1 AS declarations, 1 * d.amount_minor AS declared_minor FROM call_attempt m JOIN debt_case k ON k.id = m.case_id JOIN declaration d ON d.id = m.declaration_id WHERE m.case_id = NEW.case_id AND m.campaign_id IS NOT NULL AND m.started_at IS NOT NULL
    ) x WHERE 1 = 1 GROUP BY x.ladder, x.offset_days, x.channel, x.campaign_id, x.creditor_id, x.day, x.currency
    HAVING SUM(x.declarations) <> 0 OR SUM(x.declared_minor) <> 0
    ON CONFLICT (ladder, offset_days, channel, campaign_id, creditor_id, day, currency) DO UPDATE SET declarations = r.declarations + excluded.declarations, declared_minor = r.declared_minor + excluded.declared_minor;
  ELSIF EXISTS (SELECT 1 FROM debt_case k WHERE k.id = OLD.case_id) THEN
    INSERT INTO report_sms AS r (ladder, offset_days, channel, campaign_id, creditor_id, day, currency, messages, sent, delivered, failed, replies, billed, cost_minor)
    SELECT x.ladder, x.offset_days, x.channel, x.campaign_id, x.creditor_id, x.day, x.currency, SUM(x.messages), SUM(x.sent), SUM(x.delivered), SUM(x.failed), SUM(x.replies), SUM(x.billed), SUM(x.cost_minor) FROM (
      SELECT 1 AS ladder, OLD.offset_days AS offset_days, OLD.channel AS channel, m.campaign_id AS campaign_id, k.creditor_id AS creditor_id, substr(m.created_at, 1, 10) AS day, COALESCE(m.cost_currency, '') AS currency, -1 AS messages, -1 * CASE WHEN m.state IN ('sent', 'delivered') OR (m.state IN ('failed', 'expired') AND m.sent_at IS NOT NULL) THEN 1 ELSE 0 END AS sent, -1 * CASE WHEN m.state = 'delivered' THEN 1 ELSE 0 END AS delivered, -1 * CASE WHEN m.state IN ('failed', 'expired') THEN 1 ELSE 0 END AS failed, -1 * m.replies AS replies, -1 * CASE WHEN m.cost_currency IS NOT NULL THEN 1 ELSE 0 END AS billed, -1 * COALESCE(m.cost_minor, 0) AS cost_minor FROM message m JOIN debt_case k ON k.id = m.case_id WHERE m.case_id = OLD.case_id AND m.campaign_id IS NOT NULL
    ) x WHERE 1 = 1 GROUP BY x.ladder, x.offset_days, x.channel, x.campaign_id, x.creditor_id, x.day, x.currency
    HAVING SUM(x.messages) <> 0 OR SUM(x.sent) <> 0 OR SUM(x.delivered) <> 0 OR SUM(x.failed) <> 0 OR SUM(x.replies) <> 0 OR SUM(x.billed) <> 0 OR SUM(x.cost_minor) <> 0
    ON CONFLICT (ladder, offset_days, channel, campaign_id, creditor_id, day, currency) DO UPDATE SET messages = r.messages + excluded.messages, sent = r.sent + excluded.sent, delivered = r.delivered + excluded.delivered, failed = r.failed + excluded.failed, replies = r.replies + excluded.replies, billed = r.billed + excluded.billed, cost_minor = r.cost_minor + excluded.cost_minor;
    INSERT INTO report_calls AS r (ladder, offset_days, channel, campaign_id, creditor_id, day, attempted, person, heard, transfers, keyed, key_0, key_1, key_2, key_3, key_4, key_5, key_6, key_7, key_8, key_9, key_star, key_hash)
    SELECT x.ladder, x.offset_days, x.channel, x.campaign_id, x.creditor_id, x.day, SUM(x.attempted), SUM(x.person), SUM(x.heard), SUM(x.transfers), SUM(x.keyed), SUM(x.key_0), SUM(x.key_1), SUM(x.key_2), SUM(x.key_3), SUM(x.key_4), SUM(x.key_5), SUM(x.key_6), SUM(x.key_7), SUM(x.key_8), SUM(x.key_9), SUM(x.key_star), SUM(x.key_hash) FROM (
      SELECT 1 AS ladder, OLD.offset_days AS offset_days, OLD.channel AS channel, m.campaign_id AS campaign_id, k.creditor_id AS creditor_id, COALESCE(substr(m.started_at, 1, 10), '') AS day, -1 * CASE WHEN m.started_at IS NOT NULL THEN 1 ELSE 0 END AS attempted, -1 * CASE WHEN m.started_at IS NOT NULL AND COALESCE(m.answered_by, '') = 'person' THEN 1 ELSE 0 END AS person, -1 * CASE WHEN m.started_at IS NOT NULL AND m.heard_to_end <> 0 THEN 1 ELSE 0 END AS heard, -1 * CASE WHEN m.started_at IS NOT NULL AND COALESCE(m.transfer, '') <> '' THEN 1 ELSE 0 END AS transfers, -1 * CASE WHEN COALESCE(m.keys, '') <> '' THEN 1 ELSE 0 END AS keyed, -1 * CASE WHEN strpos(COALESCE(m.keys, ''), '0') > 0 THEN 1 ELSE 0 END AS key_0, -1 * CASE WHEN strpos(COALESCE(m.keys, ''), '1') > 0 THEN 1 ELSE 0 END AS key_1, -1 * CASE WHEN strpos(COALESCE(m.keys, ''), '2') > 0 THEN 1 ELSE 0 END AS key_2, -1 * CASE WHEN strpos(COALESCE(m.keys, ''), '3') > 0 THEN 1 ELSE 0 END AS key_3, -1 * CASE WHEN strpos(COALESCE(m.keys, ''), '4') > 0 THEN 1 ELSE 0 END AS key_4, -1 * CASE WHEN strpos(COALESCE(m.keys, ''), '5') > 0 THEN 1 ELSE 0 END AS key_5, -1 * CASE WHEN strpos(COALESCE(m.keys, ''), '6') > 0 THEN 1 ELSE 0 END AS key_6, -1 * CASE WHEN strpos(COALESCE(m.keys, ''), '7') > 0 THEN 1 ELSE 0 END AS key_7, -1 * CASE WHEN strpos(COALESCE(m.keys, ''), '8') > 0 THEN 1 ELSE 0 END AS key_8, -1 * CASE WHEN strpos(COALESCE(m.keys, ''), '9') > 0 THEN 1 ELSE 0 END AS key_9, -1 * CASE WHEN strpos(COALESCE(m.keys, ''), '*') > 0 THEN 1 ELSE 0 END AS key_star, -1 * CASE WHEN strpos(COALESCE(m.keys, ''), '#') > 0 THEN 1 ELSE 0 END AS key_hash FROM call_attempt m JOIN debt_case k ON k.id = m.case_id WHERE m.case_id = OLD.case_id AND m.campaign_id IS NOT NULL
    ) x WHERE 1 = 1 GROUP BY x.ladder, x.offset_days, x.channel, x.campaign_id, x.creditor_id, x.day
    HAVING SUM(x.attempted) <> 0 OR SUM(x.person) <> 0 OR SUM(x.heard) <> 0 OR SUM(x.transfers) <> 0 OR SUM(x.keyed) <> 0 OR SUM(x.key_0) <> 0 OR SUM(x.key_1) <> 0 OR SUM(x.key_2) <> 0 OR SUM(x.key_3) <> 0 OR SUM(x.key_4) <> 0 OR SUM(x.key_5) <> 0 OR SUM(x.key_6) <> 0 OR SUM(x.key_7) <> 0 OR SUM(x.key_8) <> 0 OR SUM(x.key_9) <> 0 OR SUM(x.key_star) <> 0 OR SUM(x.key_hash) <> 0
    ON CONFLICT (ladder, offset_days, channel, campaign_id, creditor_id, day) DO UPDATE SET attempted = r.attempted + excluded.attempted, person = r.person + excluded.person, heard = r.heard + excluded.heard, transfers = r.transfers + excluded.transfers, keyed = r.keyed + excluded.keyed, key_0 = r.key_0 + excluded.key_0, key_1 = r.key_1 + excluded.key_1, key_2 = r.key_2 + excluded.key_2, key_3 = r.key_3 + excluded.key_3, key_4 = r.key_4 + excluded.key_4, key_5 = r.key_5 + excluded.key_5, key_6 = r.key_6 + excluded.key_6, key_7 = r.key_7 + excluded.key_7, key_8 = r.key_8 + excluded.key_8, key_9 = r.key_9 + excluded.key_9, key_star = r.key_star + excluded.key_star, key_hash = r.key_hash + excluded.key_hash;
    INSERT INTO report_declared AS r (ladder, offset_days, channel, campaign_id, creditor_id, day, currency, declarations, declared_minor)
    SELECT x.ladder, x.offset_days, x.channel, x.campaign_id, x.creditor_id, x.day, x.currency, SUM(x.declarations), SUM(x.declared_minor) FROM (
      SELECT 1 AS ladder, OLD.offset_days AS offset_days, OLD.channel AS channel, m.campaign_id AS campaign_id, k.creditor_id AS creditor_id, COALESCE(substr(m.started_at, 1, 10), '') AS day, d.currency AS currency, -1 AS declarations, -1 * d.amount_minor AS declared_minor FROM call_attempt m JOIN debt_case k ON k.id = m.case_id JOIN declaration d ON d.id = m.declaration_id WHERE m.case_id = OLD.case_id AND m.campaign_id IS NOT NULL AND m.started_at IS NOT NULL
    ) x WHERE 1 = 1 GROUP BY x.ladder, x.offset_days, x.channel, x.campaign_id, x.creditor_id, x.day, x.currency
    HAVING SUM(x.declarations) <> 0 OR SUM(x.declared_minor) <> 0
    ON CONFLICT (ladder, offset_days, channel, campaign_id, creditor_id, day, currency) DO UPDATE SET declarations = r.declarations + excluded.declarations, declared_minor = r.declared_minor + excluded.declared_minor;
  END IF;
  RETURN NULL;
END
$$;

CREATE TRIGGER report_ladder_insert AFTER INSERT ON ladder_run
  FOR EACH ROW EXECUTE FUNCTION dd_report_ladder_row ();
CREATE TRIGGER report_ladder_update AFTER UPDATE OF case_id, offset_days, channel ON ladder_run
  FOR EACH ROW WHEN (OLD.case_id IS DISTINCT FROM NEW.case_id OR OLD.offset_days IS DISTINCT FROM NEW.offset_days OR OLD.channel IS DISTINCT FROM NEW.channel)
  EXECUTE FUNCTION dd_report_ladder_row ();
CREATE TRIGGER report_ladder_delete AFTER DELETE ON ladder_run
  FOR EACH ROW EXECUTE FUNCTION dd_report_ladder_row ();

-- a case deleted: its ladder step's figures go, and its campaigns' figures move to no
-- creditor, before its messages lose the case and its ladder step is deleted (both
-- then find it gone)

CREATE FUNCTION dd_report_ladder_case_delete () RETURNS trigger
  LANGUAGE plpgsql
  AS $$
BEGIN
  IF current_setting('dd.copying', true) = 'on' THEN
    RETURN OLD;
  END IF;
  INSERT INTO report_sms AS r (ladder, offset_days, channel, campaign_id, creditor_id, day, currency, messages, sent, delivered, failed, replies, billed, cost_minor)
  SELECT x.ladder, x.offset_days, x.channel, x.campaign_id, x.creditor_id, x.day, x.currency, SUM(x.messages), SUM(x.sent), SUM(x.delivered), SUM(x.failed), SUM(x.replies), SUM(x.billed), SUM(x.cost_minor) FROM (
    SELECT 0 AS ladder, 0 AS offset_days, '' AS channel, m.campaign_id AS campaign_id, OLD.creditor_id AS creditor_id, substr(m.created_at, 1, 10) AS day, COALESCE(m.cost_currency, '') AS currency, -1 AS messages, -1 * CASE WHEN m.state IN ('sent', 'delivered') OR (m.state IN ('failed', 'expired') AND m.sent_at IS NOT NULL) THEN 1 ELSE 0 END AS sent, -1 * CASE WHEN m.state = 'delivered' THEN 1 ELSE 0 END AS delivered, -1 * CASE WHEN m.state IN ('failed', 'expired') THEN 1 ELSE 0 END AS failed, -1 * m.replies AS replies, -1 * CASE WHEN m.cost_currency IS NOT NULL THEN 1 ELSE 0 END AS billed, -1 * COALESCE(m.cost_minor, 0) AS cost_minor FROM message m WHERE m.case_id = OLD.id AND m.campaign_id IS NOT NULL
    UNION ALL
    SELECT 0 AS ladder, 0 AS offset_days, '' AS channel, m.campaign_id AS campaign_id, 0 AS creditor_id, substr(m.created_at, 1, 10) AS day, COALESCE(m.cost_currency, '') AS currency, 1 AS messages, 1 * CASE WHEN m.state IN ('sent', 'delivered') OR (m.state IN ('failed', 'expired') AND m.sent_at IS NOT NULL) THEN 1 ELSE 0 END AS sent, 1 * CASE WHEN m.state = 'delivered' THEN 1 ELSE 0 END AS delivered, 1 * CASE WHEN m.state IN ('failed', 'expired') THEN 1 ELSE 0 END AS failed, 1 * m.replies AS replies, 1 * CASE WHEN m.cost_currency IS NOT NULL THEN 1 ELSE 0 END AS billed, 1 * COALESCE(m.cost_minor, 0) AS cost_minor FROM message m WHERE m.case_id = OLD.id AND m.campaign_id IS NOT NULL
    UNION ALL
    SELECT 1 AS ladder, lr.offset_days AS offset_days, lr.channel AS channel, m.campaign_id AS campaign_id, k.creditor_id AS creditor_id, substr(m.created_at, 1, 10) AS day, COALESCE(m.cost_currency, '') AS currency, -1 AS messages, -1 * CASE WHEN m.state IN ('sent', 'delivered') OR (m.state IN ('failed', 'expired') AND m.sent_at IS NOT NULL) THEN 1 ELSE 0 END AS sent, -1 * CASE WHEN m.state = 'delivered' THEN 1 ELSE 0 END AS delivered, -1 * CASE WHEN m.state IN ('failed', 'expired') THEN 1 ELSE 0 END AS failed, -1 * m.replies AS replies, -1 * CASE WHEN m.cost_currency IS NOT NULL THEN 1 ELSE 0 END AS billed, -1 * COALESCE(m.cost_minor, 0) AS cost_minor FROM ladder_run lr JOIN message m ON m.case_id = lr.case_id JOIN debt_case k ON k.id = lr.case_id WHERE lr.case_id = OLD.id AND m.campaign_id IS NOT NULL
  ) x WHERE 1 = 1 GROUP BY x.ladder, x.offset_days, x.channel, x.campaign_id, x.creditor_id, x.day, x.currency
  HAVING SUM(x.messages) <> 0 OR SUM(x.sent) <> 0 OR SUM(x.delivered) <> 0 OR SUM(x.failed) <> 0 OR SUM(x.replies) <> 0 OR SUM(x.billed) <> 0 OR SUM(x.cost_minor) <> 0
  ON CONFLICT (ladder, offset_days, channel, campaign_id, creditor_id, day, currency) DO UPDATE SET messages = r.messages + excluded.messages, sent = r.sent + excluded.sent, delivered = r.delivered + excluded.delivered, failed = r.failed + excluded.failed, replies = r.replies + excluded.replies, billed = r.billed + excluded.billed, cost_minor = r.cost_minor + excluded.cost_minor;
  INSERT INTO report_calls AS r (ladder, offset_days, channel, campaign_id, creditor_id, day, attempted, person, heard, transfers, keyed, key_0, key_1, key_2, key_3, key_4, key_5, key_6, key_7, key_8, key_9, key_star, key_hash)
  SELECT x.ladder, x.offset_days, x.channel, x.campaign_id, x.creditor_id, x.day, SUM(x.attempted), SUM(x.person), SUM(x.heard), SUM(x.transfers), SUM(x.keyed), SUM(x.key_0), SUM(x.key_1), SUM(x.key_2), SUM(x.key_3), SUM(x.key_4), SUM(x.key_5), SUM(x.key_6), SUM(x.key_7), SUM(x.key_8), SUM(x.key_9), SUM(x.key_star), SUM(x.key_hash) FROM (
    SELECT 0 AS ladder, 0 AS offset_days, '' AS channel, m.campaign_id AS campaign_id, OLD.creditor_id AS creditor_id, COALESCE(substr(m.started_at, 1, 10), '') AS day, -1 * CASE WHEN m.started_at IS NOT NULL THEN 1 ELSE 0 END AS attempted, -1 * CASE WHEN m.started_at IS NOT NULL AND COALESCE(m.answered_by, '') = 'person' THEN 1 ELSE 0 END AS person, -1 * CASE WHEN m.started_at IS NOT NULL AND m.heard_to_end <> 0 THEN 1 ELSE 0 END AS heard, -1 * CASE WHEN m.started_at IS NOT NULL AND COALESCE(m.transfer, '') <> '' THEN 1 ELSE 0 END AS transfers, -1 * CASE WHEN COALESCE(m.keys, '') <> '' THEN 1 ELSE 0 END AS keyed, -1 * CASE WHEN strpos(COALESCE(m.keys, ''), '0') > 0 THEN 1 ELSE 0 END AS key_0, -1 * CASE WHEN strpos(COALESCE(m.keys, ''), '1') > 0 THEN 1 ELSE 0 END AS key_1, -1 * CASE WHEN strpos(COALESCE(m.keys, ''), '2') > 0 THEN 1 ELSE 0 END AS key_2, -1 * CASE WHEN strpos(COALESCE(m.keys, ''), '3') > 0 THEN 1 ELSE 0 END AS key_3, -1 * CASE WHEN strpos(COALESCE(m.keys, ''), '4') > 0 THEN 1 ELSE 0 END AS key_4, -1 * CASE WHEN strpos(COALESCE(m.keys, ''), '5') > 0 THEN 1 ELSE 0 END AS key_5, -1 * CASE WHEN strpos(COALESCE(m.keys, ''), '6') > 0 THEN 1 ELSE 0 END AS key_6, -1 * CASE WHEN strpos(COALESCE(m.keys, ''), '7') > 0 THEN 1 ELSE 0 END AS key_7, -1 * CASE WHEN strpos(COALESCE(m.keys, ''), '8') > 0 THEN 1 ELSE 0 END AS key_8, -1 * CASE WHEN strpos(COALESCE(m.keys, ''), '9') > 0 THEN 1 ELSE 0 END AS key_9, -1 * CASE WHEN strpos(COALESCE(m.keys, ''), '*') > 0 THEN 1 ELSE 0 END AS key_star, -1 * CASE WHEN strpos(COALESCE(m.keys, ''), '#') > 0 THEN 1 ELSE 0 END AS key_hash FROM call_attempt m WHERE m.case_id = OLD.id AND m.campaign_id IS NOT NULL
    UNION ALL
    SELECT 0 AS ladder, 0 AS offset_days, '' AS channel, m.campaign_id AS campaign_id, 0 AS creditor_id, COALESCE(substr(m.started_at, 1, 10), '') AS day, 1 * CASE WHEN m.started_at IS NOT NULL THEN 1 ELSE 0 END AS attempted, 1 * CASE WHEN m.started_at IS NOT NULL AND COALESCE(m.answered_by, '') = 'person' THEN 1 ELSE 0 END AS person, 1 * CASE WHEN m.started_at IS NOT NULL AND m.heard_to_end <> 0 THEN 1 ELSE 0 END AS heard, 1 * CASE WHEN m.started_at IS NOT NULL AND COALESCE(m.transfer, '') <> '' THEN 1 ELSE 0 END AS transfers, 1 * CASE WHEN COALESCE(m.keys, '') <> '' THEN 1 ELSE 0 END AS keyed, 1 * CASE WHEN strpos(COALESCE(m.keys, ''), '0') > 0 THEN 1 ELSE 0 END AS key_0, 1 * CASE WHEN strpos(COALESCE(m.keys, ''), '1') > 0 THEN 1 ELSE 0 END AS key_1, 1 * CASE WHEN strpos(COALESCE(m.keys, ''), '2') > 0 THEN 1 ELSE 0 END AS key_2, 1 * CASE WHEN strpos(COALESCE(m.keys, ''), '3') > 0 THEN 1 ELSE 0 END AS key_3, 1 * CASE WHEN strpos(COALESCE(m.keys, ''), '4') > 0 THEN 1 ELSE 0 END AS key_4, 1 * CASE WHEN strpos(COALESCE(m.keys, ''), '5') > 0 THEN 1 ELSE 0 END AS key_5, 1 * CASE WHEN strpos(COALESCE(m.keys, ''), '6') > 0 THEN 1 ELSE 0 END AS key_6, 1 * CASE WHEN strpos(COALESCE(m.keys, ''), '7') > 0 THEN 1 ELSE 0 END AS key_7, 1 * CASE WHEN strpos(COALESCE(m.keys, ''), '8') > 0 THEN 1 ELSE 0 END AS key_8, 1 * CASE WHEN strpos(COALESCE(m.keys, ''), '9') > 0 THEN 1 ELSE 0 END AS key_9, 1 * CASE WHEN strpos(COALESCE(m.keys, ''), '*') > 0 THEN 1 ELSE 0 END AS key_star, 1 * CASE WHEN strpos(COALESCE(m.keys, ''), '#') > 0 THEN 1 ELSE 0 END AS key_hash FROM call_attempt m WHERE m.case_id = OLD.id AND m.campaign_id IS NOT NULL
    UNION ALL
    SELECT 1 AS ladder, lr.offset_days AS offset_days, lr.channel AS channel, m.campaign_id AS campaign_id, k.creditor_id AS creditor_id, COALESCE(substr(m.started_at, 1, 10), '') AS day, -1 * CASE WHEN m.started_at IS NOT NULL THEN 1 ELSE 0 END AS attempted, -1 * CASE WHEN m.started_at IS NOT NULL AND COALESCE(m.answered_by, '') = 'person' THEN 1 ELSE 0 END AS person, -1 * CASE WHEN m.started_at IS NOT NULL AND m.heard_to_end <> 0 THEN 1 ELSE 0 END AS heard, -1 * CASE WHEN m.started_at IS NOT NULL AND COALESCE(m.transfer, '') <> '' THEN 1 ELSE 0 END AS transfers, -1 * CASE WHEN COALESCE(m.keys, '') <> '' THEN 1 ELSE 0 END AS keyed, -1 * CASE WHEN strpos(COALESCE(m.keys, ''), '0') > 0 THEN 1 ELSE 0 END AS key_0, -1 * CASE WHEN strpos(COALESCE(m.keys, ''), '1') > 0 THEN 1 ELSE 0 END AS key_1, -1 * CASE WHEN strpos(COALESCE(m.keys, ''), '2') > 0 THEN 1 ELSE 0 END AS key_2, -1 * CASE WHEN strpos(COALESCE(m.keys, ''), '3') > 0 THEN 1 ELSE 0 END AS key_3, -1 * CASE WHEN strpos(COALESCE(m.keys, ''), '4') > 0 THEN 1 ELSE 0 END AS key_4, -1 * CASE WHEN strpos(COALESCE(m.keys, ''), '5') > 0 THEN 1 ELSE 0 END AS key_5, -1 * CASE WHEN strpos(COALESCE(m.keys, ''), '6') > 0 THEN 1 ELSE 0 END AS key_6, -1 * CASE WHEN strpos(COALESCE(m.keys, ''), '7') > 0 THEN 1 ELSE 0 END AS key_7, -1 * CASE WHEN strpos(COALESCE(m.keys, ''), '8') > 0 THEN 1 ELSE 0 END AS key_8, -1 * CASE WHEN strpos(COALESCE(m.keys, ''), '9') > 0 THEN 1 ELSE 0 END AS key_9, -1 * CASE WHEN strpos(COALESCE(m.keys, ''), '*') > 0 THEN 1 ELSE 0 END AS key_star, -1 * CASE WHEN strpos(COALESCE(m.keys, ''), '#') > 0 THEN 1 ELSE 0 END AS key_hash FROM ladder_run lr JOIN call_attempt m ON m.case_id = lr.case_id JOIN debt_case k ON k.id = lr.case_id WHERE lr.case_id = OLD.id AND m.campaign_id IS NOT NULL
  ) x WHERE 1 = 1 GROUP BY x.ladder, x.offset_days, x.channel, x.campaign_id, x.creditor_id, x.day
  HAVING SUM(x.attempted) <> 0 OR SUM(x.person) <> 0 OR SUM(x.heard) <> 0 OR SUM(x.transfers) <> 0 OR SUM(x.keyed) <> 0 OR SUM(x.key_0) <> 0 OR SUM(x.key_1) <> 0 OR SUM(x.key_2) <> 0 OR SUM(x.key_3) <> 0 OR SUM(x.key_4) <> 0 OR SUM(x.key_5) <> 0 OR SUM(x.key_6) <> 0 OR SUM(x.key_7) <> 0 OR SUM(x.key_8) <> 0 OR SUM(x.key_9) <> 0 OR SUM(x.key_star) <> 0 OR SUM(x.key_hash) <> 0
  ON CONFLICT (ladder, offset_days, channel, campaign_id, creditor_id, day) DO UPDATE SET attempted = r.attempted + excluded.attempted, person = r.person + excluded.person, heard = r.heard + excluded.heard, transfers = r.transfers + excluded.transfers, keyed = r.keyed + excluded.keyed, key_0 = r.key_0 + excluded.key_0, key_1 = r.key_1 + excluded.key_1, key_2 = r.key_2 + excluded.key_2, key_3 = r.key_3 + excluded.key_3, key_4 = r.key_4 + excluded.key_4, key_5 = r.key_5 + excluded.key_5, key_6 = r.key_6 + excluded.key_6, key_7 = r.key_7 + excluded.key_7, key_8 = r.key_8 + excluded.key_8, key_9 = r.key_9 + excluded.key_9, key_star = r.key_star + excluded.key_star, key_hash = r.key_hash + excluded.key_hash;
  INSERT INTO report_declared AS r (ladder, offset_days, channel, campaign_id, creditor_id, day, currency, declarations, declared_minor)
  SELECT x.ladder, x.offset_days, x.channel, x.campaign_id, x.creditor_id, x.day, x.currency, SUM(x.declarations), SUM(x.declared_minor) FROM (
    SELECT 0 AS ladder, 0 AS offset_days, '' AS channel, m.campaign_id AS campaign_id, OLD.creditor_id AS creditor_id, COALESCE(substr(m.started_at, 1, 10), '') AS day, d.currency AS currency, -1 AS declarations, -1 * d.amount_minor AS declared_minor FROM call_attempt m JOIN declaration d ON d.id = m.declaration_id WHERE m.case_id = OLD.id AND m.campaign_id IS NOT NULL AND m.started_at IS NOT NULL
    UNION ALL
    SELECT 0 AS ladder, 0 AS offset_days, '' AS channel, m.campaign_id AS campaign_id, 0 AS creditor_id, COALESCE(substr(m.started_at, 1, 10), '') AS day, d.currency AS currency, 1 AS declarations, 1 * d.amount_minor AS declared_minor FROM call_attempt m JOIN declaration d ON d.id = m.declaration_id WHERE m.case_id = OLD.id AND m.campaign_id IS NOT NULL AND m.started_at IS NOT NULL
    UNION ALL
    SELECT 1 AS ladder, lr.offset_days AS offset_days, lr.channel AS channel, m.campaign_id AS campaign_id, k.creditor_id AS creditor_id, COALESCE(substr(m.started_at, 1, 10), '') AS day, d.currency AS currency, -1 AS declarations, -1 * d.amount_minor AS declared_minor FROM ladder_run lr JOIN call_attempt m ON m.case_id = lr.case_id JOIN debt_case k ON k.id = lr.case_id JOIN declaration d ON d.id = m.declaration_id WHERE lr.case_id = OLD.id AND m.campaign_id IS NOT NULL AND m.started_at IS NOT NULL
  ) x WHERE 1 = 1 GROUP BY x.ladder, x.offset_days, x.channel, x.campaign_id, x.creditor_id, x.day, x.currency
  HAVING SUM(x.declarations) <> 0 OR SUM(x.declared_minor) <> 0
  ON CONFLICT (ladder, offset_days, channel, campaign_id, creditor_id, day, currency) DO UPDATE SET declarations = r.declarations + excluded.declarations, declared_minor = r.declared_minor + excluded.declared_minor;
  INSERT INTO report_work_month AS r (agent_id, creditor_id, month, prev_month, cases)
  SELECT x.agent_id, x.creditor_id, x.month, x.prev_month, SUM(x.n) FROM (
    SELECT c.agent_id, c.creditor_id, c.month, COALESCE(LAG(c.month) OVER (PARTITION BY c.agent_id, c.case_id, c.creditor_id ORDER BY c.month), '') AS prev_month, -1 AS n FROM (SELECT DISTINCT w.agent_id, w.case_id, w.creditor_id, substr(w.created_at, 1, 7) AS month FROM (SELECT a.agent_id, a.case_id, OLD.creditor_id AS creditor_id, a.created_at FROM activity a WHERE a.case_id = OLD.id AND a.agent_id IS NOT NULL) w) c
    UNION ALL
    SELECT c.agent_id, c.creditor_id, c.month, COALESCE(LAG(c.month) OVER (PARTITION BY c.agent_id, c.case_id, c.creditor_id ORDER BY c.month), '') AS prev_month, 1 AS n FROM (SELECT DISTINCT w.agent_id, w.case_id, w.creditor_id, substr(w.created_at, 1, 7) AS month FROM (SELECT a.agent_id, a.case_id, 0 AS creditor_id, a.created_at FROM activity a WHERE 1 = 0) w) c
  ) x WHERE 1 = 1 GROUP BY x.agent_id, x.creditor_id, x.month, x.prev_month HAVING SUM(x.n) <> 0
  ON CONFLICT (agent_id, creditor_id, month, prev_month) DO UPDATE SET cases = r.cases + excluded.cases;
  INSERT INTO report_work_kinds AS r (agent_id, creditor_id, month, calls, declarations, status_changes, closed)
  SELECT x.agent_id, x.creditor_id, x.month, SUM(x.calls), SUM(x.declarations), SUM(x.status_changes), SUM(x.closed) FROM (
    SELECT a.agent_id AS agent_id, OLD.creditor_id AS creditor_id, substr(a.created_at, 1, 7) AS month, -1 * CASE WHEN a.kind = 'call' THEN 1 ELSE 0 END AS calls, -1 * CASE WHEN a.kind = 'declaration' THEN 1 ELSE 0 END AS declarations, -1 * CASE WHEN a.kind = 'status' THEN 1 ELSE 0 END AS status_changes, -1 * CASE WHEN a.kind = 'status' AND (a.refs LIKE '%"to":"closed"%' OR a.refs LIKE '%"to": "closed"%') THEN 1 ELSE 0 END AS closed FROM activity a WHERE a.case_id = OLD.id AND a.agent_id IS NOT NULL
  ) x WHERE 1 = 1 GROUP BY x.agent_id, x.creditor_id, x.month
  HAVING SUM(x.calls) <> 0 OR SUM(x.declarations) <> 0 OR SUM(x.status_changes) <> 0 OR SUM(x.closed) <> 0
  ON CONFLICT (agent_id, creditor_id, month) DO UPDATE SET calls = r.calls + excluded.calls, declarations = r.declarations + excluded.declarations, status_changes = r.status_changes + excluded.status_changes, closed = r.closed + excluded.closed;
  RETURN OLD;
END
$$;

CREATE TRIGGER report_ladder_case_delete BEFORE DELETE ON debt_case
  FOR EACH ROW EXECUTE FUNCTION dd_report_ladder_case_delete ();

-- a case moved to another creditor: its figures move with it

CREATE FUNCTION dd_report_campaign_creditor () RETURNS trigger
  LANGUAGE plpgsql
  AS $$
BEGIN
  IF current_setting('dd.copying', true) = 'on' THEN
    RETURN NULL;
  END IF;
  INSERT INTO report_sms AS r (ladder, offset_days, channel, campaign_id, creditor_id, day, currency, messages, sent, delivered, failed, replies, billed, cost_minor)
  SELECT x.ladder, x.offset_days, x.channel, x.campaign_id, x.creditor_id, x.day, x.currency, SUM(x.messages), SUM(x.sent), SUM(x.delivered), SUM(x.failed), SUM(x.replies), SUM(x.billed), SUM(x.cost_minor) FROM (
    SELECT 0 AS ladder, 0 AS offset_days, '' AS channel, m.campaign_id AS campaign_id, OLD.creditor_id AS creditor_id, substr(m.created_at, 1, 10) AS day, COALESCE(m.cost_currency, '') AS currency, -1 AS messages, -1 * CASE WHEN m.state IN ('sent', 'delivered') OR (m.state IN ('failed', 'expired') AND m.sent_at IS NOT NULL) THEN 1 ELSE 0 END AS sent, -1 * CASE WHEN m.state = 'delivered' THEN 1 ELSE 0 END AS delivered, -1 * CASE WHEN m.state IN ('failed', 'expired') THEN 1 ELSE 0 END AS failed, -1 * m.replies AS replies, -1 * CASE WHEN m.cost_currency IS NOT NULL THEN 1 ELSE 0 END AS billed, -1 * COALESCE(m.cost_minor, 0) AS cost_minor FROM message m WHERE m.case_id = NEW.id AND m.campaign_id IS NOT NULL
    UNION ALL
    SELECT 0 AS ladder, 0 AS offset_days, '' AS channel, m.campaign_id AS campaign_id, NEW.creditor_id AS creditor_id, substr(m.created_at, 1, 10) AS day, COALESCE(m.cost_currency, '') AS currency, 1 AS messages, 1 * CASE WHEN m.state IN ('sent', 'delivered') OR (m.state IN ('failed', 'expired') AND m.sent_at IS NOT NULL) THEN 1 ELSE 0 END AS sent, 1 * CASE WHEN m.state = 'delivered' THEN 1 ELSE 0 END AS delivered, 1 * CASE WHEN m.state IN ('failed', 'expired') THEN 1 ELSE 0 END AS failed, 1 * m.replies AS replies, 1 * CASE WHEN m.cost_currency IS NOT NULL THEN 1 ELSE 0 END AS billed, 1 * COALESCE(m.cost_minor, 0) AS cost_minor FROM message m WHERE m.case_id = NEW.id AND m.campaign_id IS NOT NULL
    UNION ALL
    SELECT 1 AS ladder, lr.offset_days AS offset_days, lr.channel AS channel, m.campaign_id AS campaign_id, OLD.creditor_id AS creditor_id, substr(m.created_at, 1, 10) AS day, COALESCE(m.cost_currency, '') AS currency, -1 AS messages, -1 * CASE WHEN m.state IN ('sent', 'delivered') OR (m.state IN ('failed', 'expired') AND m.sent_at IS NOT NULL) THEN 1 ELSE 0 END AS sent, -1 * CASE WHEN m.state = 'delivered' THEN 1 ELSE 0 END AS delivered, -1 * CASE WHEN m.state IN ('failed', 'expired') THEN 1 ELSE 0 END AS failed, -1 * m.replies AS replies, -1 * CASE WHEN m.cost_currency IS NOT NULL THEN 1 ELSE 0 END AS billed, -1 * COALESCE(m.cost_minor, 0) AS cost_minor FROM ladder_run lr JOIN message m ON m.case_id = lr.case_id WHERE lr.case_id = NEW.id AND m.campaign_id IS NOT NULL
    UNION ALL
    SELECT 1 AS ladder, lr.offset_days AS offset_days, lr.channel AS channel, m.campaign_id AS campaign_id, NEW.creditor_id AS creditor_id, substr(m.created_at, 1, 10) AS day, COALESCE(m.cost_currency, '') AS currency, 1 AS messages, 1 * CASE WHEN m.state IN ('sent', 'delivered') OR (m.state IN ('failed', 'expired') AND m.sent_at IS NOT NULL) THEN 1 ELSE 0 END AS sent, 1 * CASE WHEN m.state = 'delivered' THEN 1 ELSE 0 END AS delivered, 1 * CASE WHEN m.state IN ('failed', 'expired') THEN 1 ELSE 0 END AS failed, 1 * m.replies AS replies, 1 * CASE WHEN m.cost_currency IS NOT NULL THEN 1 ELSE 0 END AS billed, 1 * COALESCE(m.cost_minor, 0) AS cost_minor FROM ladder_run lr JOIN message m ON m.case_id = lr.case_id WHERE lr.case_id = NEW.id AND m.campaign_id IS NOT NULL
  ) x WHERE 1 = 1 GROUP BY x.ladder, x.offset_days, x.channel, x.campaign_id, x.creditor_id, x.day, x.currency
  HAVING SUM(x.messages) <> 0 OR SUM(x.sent) <> 0 OR SUM(x.delivered) <> 0 OR SUM(x.failed) <> 0 OR SUM(x.replies) <> 0 OR SUM(x.billed) <> 0 OR SUM(x.cost_minor) <> 0
  ON CONFLICT (ladder, offset_days, channel, campaign_id, creditor_id, day, currency) DO UPDATE SET messages = r.messages + excluded.messages, sent = r.sent + excluded.sent, delivered = r.delivered + excluded.delivered, failed = r.failed + excluded.failed, replies = r.replies + excluded.replies, billed = r.billed + excluded.billed, cost_minor = r.cost_minor + excluded.cost_minor;
  INSERT INTO report_calls AS r (ladder, offset_days, channel, campaign_id, creditor_id, day, attempted, person, heard, transfers, keyed, key_0, key_1, key_2, key_3, key_4, key_5, key_6, key_7, key_8, key_9, key_star, key_hash)
  SELECT x.ladder, x.offset_days, x.channel, x.campaign_id, x.creditor_id, x.day, SUM(x.attempted), SUM(x.person), SUM(x.heard), SUM(x.transfers), SUM(x.keyed), SUM(x.key_0), SUM(x.key_1), SUM(x.key_2), SUM(x.key_3), SUM(x.key_4), SUM(x.key_5), SUM(x.key_6), SUM(x.key_7), SUM(x.key_8), SUM(x.key_9), SUM(x.key_star), SUM(x.key_hash) FROM (
    SELECT 0 AS ladder, 0 AS offset_days, '' AS channel, m.campaign_id AS campaign_id, OLD.creditor_id AS creditor_id, COALESCE(substr(m.started_at, 1, 10), '') AS day, -1 * CASE WHEN m.started_at IS NOT NULL THEN 1 ELSE 0 END AS attempted, -1 * CASE WHEN m.started_at IS NOT NULL AND COALESCE(m.answered_by, '') = 'person' THEN 1 ELSE 0 END AS person, -1 * CASE WHEN m.started_at IS NOT NULL AND m.heard_to_end <> 0 THEN 1 ELSE 0 END AS heard, -1 * CASE WHEN m.started_at IS NOT NULL AND COALESCE(m.transfer, '') <> '' THEN 1 ELSE 0 END AS transfers, -1 * CASE WHEN COALESCE(m.keys, '') <> '' THEN 1 ELSE 0 END AS keyed, -1 * CASE WHEN strpos(COALESCE(m.keys, ''), '0') > 0 THEN 1 ELSE 0 END AS key_0, -1 * CASE WHEN strpos(COALESCE(m.keys, ''), '1') > 0 THEN 1 ELSE 0 END AS key_1, -1 * CASE WHEN strpos(COALESCE(m.keys, ''), '2') > 0 THEN 1 ELSE 0 END AS key_2, -1 * CASE WHEN strpos(COALESCE(m.keys, ''), '3') > 0 THEN 1 ELSE 0 END AS key_3, -1 * CASE WHEN strpos(COALESCE(m.keys, ''), '4') > 0 THEN 1 ELSE 0 END AS key_4, -1 * CASE WHEN strpos(COALESCE(m.keys, ''), '5') > 0 THEN 1 ELSE 0 END AS key_5, -1 * CASE WHEN strpos(COALESCE(m.keys, ''), '6') > 0 THEN 1 ELSE 0 END AS key_6, -1 * CASE WHEN strpos(COALESCE(m.keys, ''), '7') > 0 THEN 1 ELSE 0 END AS key_7, -1 * CASE WHEN strpos(COALESCE(m.keys, ''), '8') > 0 THEN 1 ELSE 0 END AS key_8, -1 * CASE WHEN strpos(COALESCE(m.keys, ''), '9') > 0 THEN 1 ELSE 0 END AS key_9, -1 * CASE WHEN strpos(COALESCE(m.keys, ''), '*') > 0 THEN 1 ELSE 0 END AS key_star, -1 * CASE WHEN strpos(COALESCE(m.keys, ''), '#') > 0 THEN 1 ELSE 0 END AS key_hash FROM call_attempt m WHERE m.case_id = NEW.id AND m.campaign_id IS NOT NULL
    UNION ALL
    SELECT 0 AS ladder, 0 AS offset_days, '' AS channel, m.campaign_id AS campaign_id, NEW.creditor_id AS creditor_id, COALESCE(substr(m.started_at, 1, 10), '') AS day, 1 * CASE WHEN m.started_at IS NOT NULL THEN 1 ELSE 0 END AS attempted, 1 * CASE WHEN m.started_at IS NOT NULL AND COALESCE(m.answered_by, '') = 'person' THEN 1 ELSE 0 END AS person, 1 * CASE WHEN m.started_at IS NOT NULL AND m.heard_to_end <> 0 THEN 1 ELSE 0 END AS heard, 1 * CASE WHEN m.started_at IS NOT NULL AND COALESCE(m.transfer, '') <> '' THEN 1 ELSE 0 END AS transfers, 1 * CASE WHEN COALESCE(m.keys, '') <> '' THEN 1 ELSE 0 END AS keyed, 1 * CASE WHEN strpos(COALESCE(m.keys, ''), '0') > 0 THEN 1 ELSE 0 END AS key_0, 1 * CASE WHEN strpos(COALESCE(m.keys, ''), '1') > 0 THEN 1 ELSE 0 END AS key_1, 1 * CASE WHEN strpos(COALESCE(m.keys, ''), '2') > 0 THEN 1 ELSE 0 END AS key_2, 1 * CASE WHEN strpos(COALESCE(m.keys, ''), '3') > 0 THEN 1 ELSE 0 END AS key_3, 1 * CASE WHEN strpos(COALESCE(m.keys, ''), '4') > 0 THEN 1 ELSE 0 END AS key_4, 1 * CASE WHEN strpos(COALESCE(m.keys, ''), '5') > 0 THEN 1 ELSE 0 END AS key_5, 1 * CASE WHEN strpos(COALESCE(m.keys, ''), '6') > 0 THEN 1 ELSE 0 END AS key_6, 1 * CASE WHEN strpos(COALESCE(m.keys, ''), '7') > 0 THEN 1 ELSE 0 END AS key_7, 1 * CASE WHEN strpos(COALESCE(m.keys, ''), '8') > 0 THEN 1 ELSE 0 END AS key_8, 1 * CASE WHEN strpos(COALESCE(m.keys, ''), '9') > 0 THEN 1 ELSE 0 END AS key_9, 1 * CASE WHEN strpos(COALESCE(m.keys, ''), '*') > 0 THEN 1 ELSE 0 END AS key_star, 1 * CASE WHEN strpos(COALESCE(m.keys, ''), '#') > 0 THEN 1 ELSE 0 END AS key_hash FROM call_attempt m WHERE m.case_id = NEW.id AND m.campaign_id IS NOT NULL
    UNION ALL
    SELECT 1 AS ladder, lr.offset_days AS offset_days, lr.channel AS channel, m.campaign_id AS campaign_id, OLD.creditor_id AS creditor_id, COALESCE(substr(m.started_at, 1, 10), '') AS day, -1 * CASE WHEN m.started_at IS NOT NULL THEN 1 ELSE 0 END AS attempted, -1 * CASE WHEN m.started_at IS NOT NULL AND COALESCE(m.answered_by, '') = 'person' THEN 1 ELSE 0 END AS person, -1 * CASE WHEN m.started_at IS NOT NULL AND m.heard_to_end <> 0 THEN 1 ELSE 0 END AS heard, -1 * CASE WHEN m.started_at IS NOT NULL AND COALESCE(m.transfer, '') <> '' THEN 1 ELSE 0 END AS transfers, -1 * CASE WHEN COALESCE(m.keys, '') <> '' THEN 1 ELSE 0 END AS keyed, -1 * CASE WHEN strpos(COALESCE(m.keys, ''), '0') > 0 THEN 1 ELSE 0 END AS key_0, -1 * CASE WHEN strpos(COALESCE(m.keys, ''), '1') > 0 THEN 1 ELSE 0 END AS key_1, -1 * CASE WHEN strpos(COALESCE(m.keys, ''), '2') > 0 THEN 1 ELSE 0 END AS key_2, -1 * CASE WHEN strpos(COALESCE(m.keys, ''), '3') > 0 THEN 1 ELSE 0 END AS key_3, -1 * CASE WHEN strpos(COALESCE(m.keys, ''), '4') > 0 THEN 1 ELSE 0 END AS key_4, -1 * CASE WHEN strpos(COALESCE(m.keys, ''), '5') > 0 THEN 1 ELSE 0 END AS key_5, -1 * CASE WHEN strpos(COALESCE(m.keys, ''), '6') > 0 THEN 1 ELSE 0 END AS key_6, -1 * CASE WHEN strpos(COALESCE(m.keys, ''), '7') > 0 THEN 1 ELSE 0 END AS key_7, -1 * CASE WHEN strpos(COALESCE(m.keys, ''), '8') > 0 THEN 1 ELSE 0 END AS key_8, -1 * CASE WHEN strpos(COALESCE(m.keys, ''), '9') > 0 THEN 1 ELSE 0 END AS key_9, -1 * CASE WHEN strpos(COALESCE(m.keys, ''), '*') > 0 THEN 1 ELSE 0 END AS key_star, -1 * CASE WHEN strpos(COALESCE(m.keys, ''), '#') > 0 THEN 1 ELSE 0 END AS key_hash FROM ladder_run lr JOIN call_attempt m ON m.case_id = lr.case_id WHERE lr.case_id = NEW.id AND m.campaign_id IS NOT NULL
    UNION ALL
    SELECT 1 AS ladder, lr.offset_days AS offset_days, lr.channel AS channel, m.campaign_id AS campaign_id, NEW.creditor_id AS creditor_id, COALESCE(substr(m.started_at, 1, 10), '') AS day, 1 * CASE WHEN m.started_at IS NOT NULL THEN 1 ELSE 0 END AS attempted, 1 * CASE WHEN m.started_at IS NOT NULL AND COALESCE(m.answered_by, '') = 'person' THEN 1 ELSE 0 END AS person, 1 * CASE WHEN m.started_at IS NOT NULL AND m.heard_to_end <> 0 THEN 1 ELSE 0 END AS heard, 1 * CASE WHEN m.started_at IS NOT NULL AND COALESCE(m.transfer, '') <> '' THEN 1 ELSE 0 END AS transfers, 1 * CASE WHEN COALESCE(m.keys, '') <> '' THEN 1 ELSE 0 END AS keyed, 1 * CASE WHEN strpos(COALESCE(m.keys, ''), '0') > 0 THEN 1 ELSE 0 END AS key_0, 1 * CASE WHEN strpos(COALESCE(m.keys, ''), '1') > 0 THEN 1 ELSE 0 END AS key_1, 1 * CASE WHEN strpos(COALESCE(m.keys, ''), '2') > 0 THEN 1 ELSE 0 END AS key_2, 1 * CASE WHEN strpos(COALESCE(m.keys, ''), '3') > 0 THEN 1 ELSE 0 END AS key_3, 1 * CASE WHEN strpos(COALESCE(m.keys, ''), '4') > 0 THEN 1 ELSE 0 END AS key_4, 1 * CASE WHEN strpos(COALESCE(m.keys, ''), '5') > 0 THEN 1 ELSE 0 END AS key_5, 1 * CASE WHEN strpos(COALESCE(m.keys, ''), '6') > 0 THEN 1 ELSE 0 END AS key_6, 1 * CASE WHEN strpos(COALESCE(m.keys, ''), '7') > 0 THEN 1 ELSE 0 END AS key_7, 1 * CASE WHEN strpos(COALESCE(m.keys, ''), '8') > 0 THEN 1 ELSE 0 END AS key_8, 1 * CASE WHEN strpos(COALESCE(m.keys, ''), '9') > 0 THEN 1 ELSE 0 END AS key_9, 1 * CASE WHEN strpos(COALESCE(m.keys, ''), '*') > 0 THEN 1 ELSE 0 END AS key_star, 1 * CASE WHEN strpos(COALESCE(m.keys, ''), '#') > 0 THEN 1 ELSE 0 END AS key_hash FROM ladder_run lr JOIN call_attempt m ON m.case_id = lr.case_id WHERE lr.case_id = NEW.id AND m.campaign_id IS NOT NULL
  ) x WHERE 1 = 1 GROUP BY x.ladder, x.offset_days, x.channel, x.campaign_id, x.creditor_id, x.day
  HAVING SUM(x.attempted) <> 0 OR SUM(x.person) <> 0 OR SUM(x.heard) <> 0 OR SUM(x.transfers) <> 0 OR SUM(x.keyed) <> 0 OR SUM(x.key_0) <> 0 OR SUM(x.key_1) <> 0 OR SUM(x.key_2) <> 0 OR SUM(x.key_3) <> 0 OR SUM(x.key_4) <> 0 OR SUM(x.key_5) <> 0 OR SUM(x.key_6) <> 0 OR SUM(x.key_7) <> 0 OR SUM(x.key_8) <> 0 OR SUM(x.key_9) <> 0 OR SUM(x.key_star) <> 0 OR SUM(x.key_hash) <> 0
  ON CONFLICT (ladder, offset_days, channel, campaign_id, creditor_id, day) DO UPDATE SET attempted = r.attempted + excluded.attempted, person = r.person + excluded.person, heard = r.heard + excluded.heard, transfers = r.transfers + excluded.transfers, keyed = r.keyed + excluded.keyed, key_0 = r.key_0 + excluded.key_0, key_1 = r.key_1 + excluded.key_1, key_2 = r.key_2 + excluded.key_2, key_3 = r.key_3 + excluded.key_3, key_4 = r.key_4 + excluded.key_4, key_5 = r.key_5 + excluded.key_5, key_6 = r.key_6 + excluded.key_6, key_7 = r.key_7 + excluded.key_7, key_8 = r.key_8 + excluded.key_8, key_9 = r.key_9 + excluded.key_9, key_star = r.key_star + excluded.key_star, key_hash = r.key_hash + excluded.key_hash;
  INSERT INTO report_declared AS r (ladder, offset_days, channel, campaign_id, creditor_id, day, currency, declarations, declared_minor)
  SELECT x.ladder, x.offset_days, x.channel, x.campaign_id, x.creditor_id, x.day, x.currency, SUM(x.declarations), SUM(x.declared_minor) FROM (
    SELECT 0 AS ladder, 0 AS offset_days, '' AS channel, m.campaign_id AS campaign_id, OLD.creditor_id AS creditor_id, COALESCE(substr(m.started_at, 1, 10), '') AS day, d.currency AS currency, -1 AS declarations, -1 * d.amount_minor AS declared_minor FROM call_attempt m JOIN declaration d ON d.id = m.declaration_id WHERE m.case_id = NEW.id AND m.campaign_id IS NOT NULL AND m.started_at IS NOT NULL
    UNION ALL
    SELECT 0 AS ladder, 0 AS offset_days, '' AS channel, m.campaign_id AS campaign_id, NEW.creditor_id AS creditor_id, COALESCE(substr(m.started_at, 1, 10), '') AS day, d.currency AS currency, 1 AS declarations, 1 * d.amount_minor AS declared_minor FROM call_attempt m JOIN declaration d ON d.id = m.declaration_id WHERE m.case_id = NEW.id AND m.campaign_id IS NOT NULL AND m.started_at IS NOT NULL
    UNION ALL
    SELECT 1 AS ladder, lr.offset_days AS offset_days, lr.channel AS channel, m.campaign_id AS campaign_id, OLD.creditor_id AS creditor_id, COALESCE(substr(m.started_at, 1, 10), '') AS day, d.currency AS currency, -1 AS declarations, -1 * d.amount_minor AS declared_minor FROM ladder_run lr JOIN call_attempt m ON m.case_id = lr.case_id JOIN declaration d ON d.id = m.declaration_id WHERE lr.case_id = NEW.id AND m.campaign_id IS NOT NULL AND m.started_at IS NOT NULL
    UNION ALL
    SELECT 1 AS ladder, lr.offset_days AS offset_days, lr.channel AS channel, m.campaign_id AS campaign_id, NEW.creditor_id AS creditor_id, COALESCE(substr(m.started_at, 1, 10), '') AS day, d.currency AS currency, 1 AS declarations, 1 * d.amount_minor AS declared_minor FROM ladder_run lr JOIN call_attempt m ON m.case_id = lr.case_id JOIN declaration d ON d.id = m.declaration_id WHERE lr.case_id = NEW.id AND m.campaign_id IS NOT NULL AND m.started_at IS NOT NULL
  ) x WHERE 1 = 1 GROUP BY x.ladder, x.offset_days, x.channel, x.campaign_id, x.creditor_id, x.day, x.currency
  HAVING SUM(x.declarations) <> 0 OR SUM(x.declared_minor) <> 0
  ON CONFLICT (ladder, offset_days, channel, campaign_id, creditor_id, day, currency) DO UPDATE SET declarations = r.declarations + excluded.declarations, declared_minor = r.declared_minor + excluded.declared_minor;
  INSERT INTO report_work_month AS r (agent_id, creditor_id, month, prev_month, cases)
  SELECT x.agent_id, x.creditor_id, x.month, x.prev_month, SUM(x.n) FROM (
    SELECT c.agent_id, c.creditor_id, c.month, COALESCE(LAG(c.month) OVER (PARTITION BY c.agent_id, c.case_id, c.creditor_id ORDER BY c.month), '') AS prev_month, -1 AS n FROM (SELECT DISTINCT w.agent_id, w.case_id, w.creditor_id, substr(w.created_at, 1, 7) AS month FROM (SELECT a.agent_id, a.case_id, OLD.creditor_id AS creditor_id, a.created_at FROM activity a WHERE a.case_id = NEW.id AND a.agent_id IS NOT NULL) w) c
    UNION ALL
    SELECT c.agent_id, c.creditor_id, c.month, COALESCE(LAG(c.month) OVER (PARTITION BY c.agent_id, c.case_id, c.creditor_id ORDER BY c.month), '') AS prev_month, 1 AS n FROM (SELECT DISTINCT w.agent_id, w.case_id, w.creditor_id, substr(w.created_at, 1, 7) AS month FROM (SELECT a.agent_id, a.case_id, NEW.creditor_id AS creditor_id, a.created_at FROM activity a WHERE a.case_id = NEW.id AND a.agent_id IS NOT NULL) w) c
  ) x WHERE 1 = 1 GROUP BY x.agent_id, x.creditor_id, x.month, x.prev_month HAVING SUM(x.n) <> 0
  ON CONFLICT (agent_id, creditor_id, month, prev_month) DO UPDATE SET cases = r.cases + excluded.cases;
  INSERT INTO report_work_kinds AS r (agent_id, creditor_id, month, calls, declarations, status_changes, closed)
  SELECT x.agent_id, x.creditor_id, x.month, SUM(x.calls), SUM(x.declarations), SUM(x.status_changes), SUM(x.closed) FROM (
    SELECT a.agent_id AS agent_id, OLD.creditor_id AS creditor_id, substr(a.created_at, 1, 7) AS month, -1 * CASE WHEN a.kind = 'call' THEN 1 ELSE 0 END AS calls, -1 * CASE WHEN a.kind = 'declaration' THEN 1 ELSE 0 END AS declarations, -1 * CASE WHEN a.kind = 'status' THEN 1 ELSE 0 END AS status_changes, -1 * CASE WHEN a.kind = 'status' AND (a.refs LIKE '%"to":"closed"%' OR a.refs LIKE '%"to": "closed"%') THEN 1 ELSE 0 END AS closed FROM activity a WHERE a.case_id = NEW.id AND a.agent_id IS NOT NULL
    UNION ALL
    SELECT a.agent_id AS agent_id, NEW.creditor_id AS creditor_id, substr(a.created_at, 1, 7) AS month, 1 * CASE WHEN a.kind = 'call' THEN 1 ELSE 0 END AS calls, 1 * CASE WHEN a.kind = 'declaration' THEN 1 ELSE 0 END AS declarations, 1 * CASE WHEN a.kind = 'status' THEN 1 ELSE 0 END AS status_changes, 1 * CASE WHEN a.kind = 'status' AND (a.refs LIKE '%"to":"closed"%' OR a.refs LIKE '%"to": "closed"%') THEN 1 ELSE 0 END AS closed FROM activity a WHERE a.case_id = NEW.id AND a.agent_id IS NOT NULL
  ) x WHERE 1 = 1 GROUP BY x.agent_id, x.creditor_id, x.month
  HAVING SUM(x.calls) <> 0 OR SUM(x.declarations) <> 0 OR SUM(x.status_changes) <> 0 OR SUM(x.closed) <> 0
  ON CONFLICT (agent_id, creditor_id, month) DO UPDATE SET calls = r.calls + excluded.calls, declarations = r.declarations + excluded.declarations, status_changes = r.status_changes + excluded.status_changes, closed = r.closed + excluded.closed;
  RETURN NULL;
END
$$;

CREATE TRIGGER report_campaign_creditor AFTER UPDATE OF creditor_id ON debt_case
  FOR EACH ROW WHEN (OLD.creditor_id IS DISTINCT FROM NEW.creditor_id)
  EXECUTE FUNCTION dd_report_campaign_creditor ();

-- a consultant's activities: the months they touched each case, and their kinds;
-- per statement (a multi-row insert of one case and consultant counts each month
-- once), one consultant's at a time (two desks adding to one case take turns)

CREATE FUNCTION dd_report_work_month_insert () RETURNS trigger
  LANGUAGE plpgsql
  AS $$
BEGIN
  IF current_setting('dd.copying', true) = 'on' THEN
    RETURN NULL;
  END IF;
  PERFORM pg_advisory_xact_lock (26, CAST(a.agent_id AS integer))
    FROM (SELECT DISTINCT agent_id FROM (SELECT agent_id, case_id FROM new_rows) s WHERE agent_id IS NOT NULL
          ORDER BY 1) a;
  INSERT INTO report_work_month AS r (agent_id, creditor_id, month, prev_month, cases)
  SELECT x.agent_id, x.creditor_id, x.month, x.prev_month, SUM(x.n) FROM (
    SELECT c.agent_id, c.creditor_id, c.month, COALESCE(LAG(c.month) OVER (PARTITION BY c.agent_id, c.case_id, c.creditor_id ORDER BY c.month), '') AS prev_month, -1 AS n FROM (SELECT DISTINCT w.agent_id, w.case_id, w.creditor_id, substr(w.created_at, 1, 7) AS month FROM (SELECT a.agent_id, a.case_id, k.creditor_id, a.created_at FROM activity a JOIN (SELECT DISTINCT p.agent_id, p.case_id FROM (SELECT agent_id, case_id FROM new_rows) p WHERE p.agent_id IS NOT NULL) q ON q.agent_id = a.agent_id AND q.case_id = a.case_id JOIN debt_case k ON k.id = a.case_id WHERE a.id NOT IN (SELECT id FROM new_rows)) w) c
    UNION ALL
    SELECT c.agent_id, c.creditor_id, c.month, COALESCE(LAG(c.month) OVER (PARTITION BY c.agent_id, c.case_id, c.creditor_id ORDER BY c.month), '') AS prev_month, 1 AS n FROM (SELECT DISTINCT w.agent_id, w.case_id, w.creditor_id, substr(w.created_at, 1, 7) AS month FROM (SELECT a.agent_id, a.case_id, k.creditor_id, a.created_at FROM activity a JOIN (SELECT DISTINCT p.agent_id, p.case_id FROM (SELECT agent_id, case_id FROM new_rows) p WHERE p.agent_id IS NOT NULL) q ON q.agent_id = a.agent_id AND q.case_id = a.case_id JOIN debt_case k ON k.id = a.case_id) w) c
  ) x WHERE 1 = 1 GROUP BY x.agent_id, x.creditor_id, x.month, x.prev_month HAVING SUM(x.n) <> 0
  ON CONFLICT (agent_id, creditor_id, month, prev_month) DO UPDATE SET cases = r.cases + excluded.cases;
  INSERT INTO report_work_kinds AS r (agent_id, creditor_id, month, calls, declarations, status_changes, closed)
  SELECT x.agent_id, x.creditor_id, x.month, SUM(x.calls), SUM(x.declarations), SUM(x.status_changes), SUM(x.closed) FROM (
    SELECT n.agent_id AS agent_id, k.creditor_id AS creditor_id, substr(n.created_at, 1, 7) AS month, 1 * CASE WHEN n.kind = 'call' THEN 1 ELSE 0 END AS calls, 1 * CASE WHEN n.kind = 'declaration' THEN 1 ELSE 0 END AS declarations, 1 * CASE WHEN n.kind = 'status' THEN 1 ELSE 0 END AS status_changes, 1 * CASE WHEN n.kind = 'status' AND (n.refs LIKE '%"to":"closed"%' OR n.refs LIKE '%"to": "closed"%') THEN 1 ELSE 0 END AS closed FROM new_rows n JOIN debt_case k ON k.id = n.case_id WHERE n.agent_id IS NOT NULL
  ) x WHERE 1 = 1 GROUP BY x.agent_id, x.creditor_id, x.month
  HAVING SUM(x.calls) <> 0 OR SUM(x.declarations) <> 0 OR SUM(x.status_changes) <> 0 OR SUM(x.closed) <> 0
  ON CONFLICT (agent_id, creditor_id, month) DO UPDATE SET calls = r.calls + excluded.calls, declarations = r.declarations + excluded.declarations, status_changes = r.status_changes + excluded.status_changes, closed = r.closed + excluded.closed;
  RETURN NULL;
END
$$;

CREATE TRIGGER report_work_month_insert AFTER INSERT ON activity
  REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION dd_report_work_month_insert ();

CREATE FUNCTION dd_report_work_month_delete () RETURNS trigger
  LANGUAGE plpgsql
  AS $$
BEGIN
  IF current_setting('dd.copying', true) = 'on' THEN
    RETURN NULL;
  END IF;
  PERFORM pg_advisory_xact_lock (26, CAST(a.agent_id AS integer))
    FROM (SELECT DISTINCT agent_id FROM (SELECT agent_id, case_id FROM old_rows) s WHERE agent_id IS NOT NULL
          ORDER BY 1) a;
  INSERT INTO report_work_month AS r (agent_id, creditor_id, month, prev_month, cases)
  SELECT x.agent_id, x.creditor_id, x.month, x.prev_month, SUM(x.n) FROM (
    SELECT c.agent_id, c.creditor_id, c.month, COALESCE(LAG(c.month) OVER (PARTITION BY c.agent_id, c.case_id, c.creditor_id ORDER BY c.month), '') AS prev_month, -1 AS n FROM (SELECT DISTINCT w.agent_id, w.case_id, w.creditor_id, substr(w.created_at, 1, 7) AS month FROM (SELECT a.agent_id, a.case_id, k.creditor_id, a.created_at FROM activity a JOIN (SELECT DISTINCT p.agent_id, p.case_id FROM (SELECT agent_id, case_id FROM old_rows) p WHERE p.agent_id IS NOT NULL) q ON q.agent_id = a.agent_id AND q.case_id = a.case_id JOIN debt_case k ON k.id = a.case_id UNION ALL SELECT o.agent_id, o.case_id, k.creditor_id, o.created_at FROM old_rows o JOIN debt_case k ON k.id = o.case_id WHERE o.agent_id IS NOT NULL) w) c
    UNION ALL
    SELECT c.agent_id, c.creditor_id, c.month, COALESCE(LAG(c.month) OVER (PARTITION BY c.agent_id, c.case_id, c.creditor_id ORDER BY c.month), '') AS prev_month, 1 AS n FROM (SELECT DISTINCT w.agent_id, w.case_id, w.creditor_id, substr(w.created_at, 1, 7) AS month FROM (SELECT a.agent_id, a.case_id, k.creditor_id, a.created_at FROM activity a JOIN (SELECT DISTINCT p.agent_id, p.case_id FROM (SELECT agent_id, case_id FROM old_rows) p WHERE p.agent_id IS NOT NULL) q ON q.agent_id = a.agent_id AND q.case_id = a.case_id JOIN debt_case k ON k.id = a.case_id) w) c
  ) x WHERE 1 = 1 GROUP BY x.agent_id, x.creditor_id, x.month, x.prev_month HAVING SUM(x.n) <> 0
  ON CONFLICT (agent_id, creditor_id, month, prev_month) DO UPDATE SET cases = r.cases + excluded.cases;
  INSERT INTO report_work_kinds AS r (agent_id, creditor_id, month, calls, declarations, status_changes, closed)
  SELECT x.agent_id, x.creditor_id, x.month, SUM(x.calls), SUM(x.declarations), SUM(x.status_changes), SUM(x.closed) FROM (
    SELECT o.agent_id AS agent_id, k.creditor_id AS creditor_id, substr(o.created_at, 1, 7) AS month, -1 * CASE WHEN o.kind = 'call' THEN 1 ELSE 0 END AS calls, -1 * CASE WHEN o.kind = 'declaration' THEN 1 ELSE 0 END AS declarations, -1 * CASE WHEN o.kind = 'status' THEN 1 ELSE 0 END AS status_changes, -1 * CASE WHEN o.kind = 'status' AND (o.refs LIKE '%"to":"closed"%' OR o.refs LIKE '%"to": "closed"%') THEN 1 ELSE 0 END AS closed FROM old_rows o JOIN debt_case k ON k.id = o.case_id WHERE o.agent_id IS NOT NULL
  ) x WHERE 1 = 1 GROUP BY x.agent_id, x.creditor_id, x.month
  HAVING SUM(x.calls) <> 0 OR SUM(x.declarations) <> 0 OR SUM(x.status_changes) <> 0 OR SUM(x.closed) <> 0
  ON CONFLICT (agent_id, creditor_id, month) DO UPDATE SET calls = r.calls + excluded.calls, declarations = r.declarations + excluded.declarations, status_changes = r.status_changes + excluded.status_changes, closed = r.closed + excluded.closed;
  RETURN NULL;
END
$$;

CREATE TRIGGER report_work_month_delete AFTER DELETE ON activity
  REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION dd_report_work_month_delete ();

CREATE FUNCTION dd_report_work_month_update () RETURNS trigger
  LANGUAGE plpgsql
  AS $$
BEGIN
  IF current_setting('dd.copying', true) = 'on' THEN
    RETURN NULL;
  END IF;
  PERFORM pg_advisory_xact_lock (26, CAST(a.agent_id AS integer))
    FROM (SELECT DISTINCT agent_id FROM (SELECT agent_id, case_id FROM old_rows UNION ALL SELECT agent_id, case_id FROM new_rows) s WHERE agent_id IS NOT NULL
          ORDER BY 1) a;
  INSERT INTO report_work_month AS r (agent_id, creditor_id, month, prev_month, cases)
  SELECT x.agent_id, x.creditor_id, x.month, x.prev_month, SUM(x.n) FROM (
    SELECT c.agent_id, c.creditor_id, c.month, COALESCE(LAG(c.month) OVER (PARTITION BY c.agent_id, c.case_id, c.creditor_id ORDER BY c.month), '') AS prev_month, -1 AS n FROM (SELECT DISTINCT w.agent_id, w.case_id, w.creditor_id, substr(w.created_at, 1, 7) AS month FROM (SELECT a.agent_id, a.case_id, k.creditor_id, a.created_at FROM activity a JOIN (SELECT DISTINCT p.agent_id, p.case_id FROM (SELECT agent_id, case_id FROM old_rows UNION ALL SELECT agent_id, case_id FROM new_rows) p WHERE p.agent_id IS NOT NULL) q ON q.agent_id = a.agent_id AND q.case_id = a.case_id JOIN debt_case k ON k.id = a.case_id WHERE a.id NOT IN (SELECT id FROM new_rows) UNION ALL SELECT o.agent_id, o.case_id, k.creditor_id, o.created_at FROM old_rows o JOIN debt_case k ON k.id = o.case_id WHERE o.agent_id IS NOT NULL) w) c
    UNION ALL
    SELECT c.agent_id, c.creditor_id, c.month, COALESCE(LAG(c.month) OVER (PARTITION BY c.agent_id, c.case_id, c.creditor_id ORDER BY c.month), '') AS prev_month, 1 AS n FROM (SELECT DISTINCT w.agent_id, w.case_id, w.creditor_id, substr(w.created_at, 1, 7) AS month FROM (SELECT a.agent_id, a.case_id, k.creditor_id, a.created_at FROM activity a JOIN (SELECT DISTINCT p.agent_id, p.case_id FROM (SELECT agent_id, case_id FROM old_rows UNION ALL SELECT agent_id, case_id FROM new_rows) p WHERE p.agent_id IS NOT NULL) q ON q.agent_id = a.agent_id AND q.case_id = a.case_id JOIN debt_case k ON k.id = a.case_id) w) c
  ) x WHERE 1 = 1 GROUP BY x.agent_id, x.creditor_id, x.month, x.prev_month HAVING SUM(x.n) <> 0
  ON CONFLICT (agent_id, creditor_id, month, prev_month) DO UPDATE SET cases = r.cases + excluded.cases;
  INSERT INTO report_work_kinds AS r (agent_id, creditor_id, month, calls, declarations, status_changes, closed)
  SELECT x.agent_id, x.creditor_id, x.month, SUM(x.calls), SUM(x.declarations), SUM(x.status_changes), SUM(x.closed) FROM (
    SELECT o.agent_id AS agent_id, k.creditor_id AS creditor_id, substr(o.created_at, 1, 7) AS month, -1 * CASE WHEN o.kind = 'call' THEN 1 ELSE 0 END AS calls, -1 * CASE WHEN o.kind = 'declaration' THEN 1 ELSE 0 END AS declarations, -1 * CASE WHEN o.kind = 'status' THEN 1 ELSE 0 END AS status_changes, -1 * CASE WHEN o.kind = 'status' AND (o.refs LIKE '%"to":"closed"%' OR o.refs LIKE '%"to": "closed"%') THEN 1 ELSE 0 END AS closed FROM old_rows o JOIN debt_case k ON k.id = o.case_id WHERE o.agent_id IS NOT NULL
    UNION ALL
    SELECT n.agent_id AS agent_id, k.creditor_id AS creditor_id, substr(n.created_at, 1, 7) AS month, 1 * CASE WHEN n.kind = 'call' THEN 1 ELSE 0 END AS calls, 1 * CASE WHEN n.kind = 'declaration' THEN 1 ELSE 0 END AS declarations, 1 * CASE WHEN n.kind = 'status' THEN 1 ELSE 0 END AS status_changes, 1 * CASE WHEN n.kind = 'status' AND (n.refs LIKE '%"to":"closed"%' OR n.refs LIKE '%"to": "closed"%') THEN 1 ELSE 0 END AS closed FROM new_rows n JOIN debt_case k ON k.id = n.case_id WHERE n.agent_id IS NOT NULL
  ) x WHERE 1 = 1 GROUP BY x.agent_id, x.creditor_id, x.month
  HAVING SUM(x.calls) <> 0 OR SUM(x.declarations) <> 0 OR SUM(x.status_changes) <> 0 OR SUM(x.closed) <> 0
  ON CONFLICT (agent_id, creditor_id, month) DO UPDATE SET calls = r.calls + excluded.calls, declarations = r.declarations + excluded.declarations, status_changes = r.status_changes + excluded.status_changes, closed = r.closed + excluded.closed;
  RETURN NULL;
END
$$;

CREATE TRIGGER report_work_month_update AFTER UPDATE ON activity
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION dd_report_work_month_update ();
