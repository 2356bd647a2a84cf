-- SPDX-License-Identifier: GPL-3.0-or-later
-- Schema 4: SMS campaigns and the crash-safe outbox (issue: SMS campaigns).
--
-- The message table of schema 1 was never written by any version, so it is replaced rather
-- than altered. A message moves queued → sending → sent → delivered | failed | expired, or
-- queued → cancelled when its campaign is cancelled (DESIGN.md §5):
--   queued     waiting; not_before holds it back (schedule, contact policy, back-off)
--   sending    claimed, committed BEFORE the request goes out; after a crash such rows are
--              reconciled with the provider by idempotency_key before anything is re-sent
--   sent       accepted by the provider (provider_id), waiting for its delivery report
-- idempotency_key is unique: one message per phone and campaign, and the id the provider
-- sees (SMSAPI idx), so a repeat is refused by the database and by the provider.

DROP TABLE message;

CREATE TABLE message (
  id                INTEGER PRIMARY KEY,
  campaign_id       INTEGER REFERENCES campaign (id) ON DELETE CASCADE,
  case_id           INTEGER REFERENCES debt_case (id) ON DELETE SET NULL,
  phone_id          INTEGER REFERENCES phone (id) ON DELETE SET NULL,
  e164              TEXT    NOT NULL,
  idempotency_key   TEXT    NOT NULL UNIQUE,
  sender            TEXT,
  body              TEXT    NOT NULL,
  encoding          TEXT,
  parts             INTEGER NOT NULL DEFAULT 1,
  state             TEXT    NOT NULL DEFAULT 'queued'
                            CHECK (state IN ('queued', 'sending', 'sent', 'delivered',
                                             'failed', 'expired', 'cancelled')),
  attempts          INTEGER NOT NULL DEFAULT 0,
  not_before        TEXT,
  provider          TEXT,
  provider_id       TEXT,
  cost_minor        INTEGER,
  cost_currency     TEXT,
  error_code        TEXT,
  error             TEXT,
  created_at        TEXT    NOT NULL,
  updated_at        TEXT    NOT NULL,
  sent_at           TEXT,
  delivered_at      TEXT,
  status_checked_at TEXT,
  replies           INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX message_campaign_state ON message (campaign_id, state);
CREATE INDEX message_due ON message (state, not_before);
CREATE INDEX message_provider_id ON message (provider, provider_id);
CREATE INDEX message_case ON message (case_id);
CREATE INDEX message_e164 ON message (e164, sent_at);

-- campaign.state: draft → scheduled → running ⇄ paused → completed | cancelled
ALTER TABLE campaign ADD COLUMN sender TEXT;
ALTER TABLE campaign ADD COLUMN gateway TEXT;
ALTER TABLE campaign ADD COLUMN throttle_per_minute INTEGER;
ALTER TABLE campaign ADD COLUMN state_reason TEXT;
ALTER TABLE campaign ADD COLUMN started_at TEXT;
ALTER TABLE campaign ADD COLUMN finished_at TEXT;
ALTER TABLE campaign ADD COLUMN agent_id INTEGER REFERENCES agent (id);
CREATE INDEX campaign_state ON campaign (state, schedule_at);
