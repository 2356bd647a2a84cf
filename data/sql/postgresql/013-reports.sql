-- SPDX-License-Identifier: GPL-3.0-or-later
-- Schema 13: reports (issue 16, first half).
--
--   campaign.holdout_percent  the share of a campaign's audience kept uncontacted at random
--                             (a control group for the effect on payments); 5 % by default
--   campaign_holdout          the cases a campaign held out: never messaged or called by it,
--                             compared with the contacted ones from the campaign's start
--   indexes                   what the aggregations of src/core/reports need to stay under a
--                             second over a million cases and five million activities

ALTER TABLE campaign ADD COLUMN holdout_percent BIGINT NOT NULL DEFAULT 5;

CREATE TABLE campaign_holdout (
  campaign_id  BIGINT NOT NULL REFERENCES campaign (id) ON DELETE CASCADE,
  case_id      BIGINT NOT NULL REFERENCES debt_case (id) ON DELETE CASCADE,
  held_at      TEXT    NOT NULL,
  PRIMARY KEY (campaign_id, case_id)
);

CREATE INDEX activity_agent ON activity (agent_id, created_at, kind, case_id);
CREATE INDEX payment_case_paid ON payment (case_id, paid_on, amount_minor);
CREATE INDEX declaration_created ON declaration (created_at);
CREATE INDEX balance_history_recorded ON balance_history (recorded_at);
CREATE INDEX balance_history_case_time ON balance_history (case_id, recorded_at, balance_minor);
CREATE INDEX debt_case_ageing ON debt_case (oldest_due_on, status, balance_minor, creditor_id);
-- covering: the campaign report reads these columns of every message and call in the index
CREATE INDEX message_report ON message (campaign_id, created_at, state, case_id, sent_at,
                                       replies, cost_minor, cost_currency);
CREATE INDEX call_attempt_report ON call_attempt (campaign_id, started_at, case_id, answered_by,
                                                 heard_to_end, transfer, declaration_id, keys);
CREATE INDEX sms_reply_case ON sms_reply (case_id, received_at);
