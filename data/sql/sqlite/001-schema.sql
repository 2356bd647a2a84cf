-- SPDX-License-Identifier: GPL-3.0-or-later
-- Dunning Desk office database, schema 1 (SQLite driver).
-- Money: integer minor units + ISO 4217 code. Times: UTC ISO 8601 text
-- ("2026-11-23T20:04:35Z"); calendar dates: "YYYY-MM-DD".

CREATE TABLE creditor (
  id          INTEGER PRIMARY KEY,
  name        TEXT    NOT NULL UNIQUE,
  tax_id      TEXT,
  created_at  TEXT    NOT NULL
);

CREATE TABLE agent (
  id          INTEGER PRIMARY KEY,
  name        TEXT    NOT NULL UNIQUE,
  role        TEXT    NOT NULL DEFAULT 'consultant'
                      CHECK (role IN ('consultant', 'manager')),
  phone       TEXT,
  active      INTEGER NOT NULL DEFAULT 1,
  created_at  TEXT    NOT NULL
);

CREATE TABLE debtor (
  id          INTEGER PRIMARY KEY,
  -- tax id digits when known, else "name:<casefolded name>|<first phone E.164>"
  dedup_key   TEXT    NOT NULL UNIQUE,
  name        TEXT    NOT NULL,
  tax_id      TEXT,
  tax_id_kind TEXT,
  language    TEXT,
  email       TEXT,
  address     TEXT,
  birthday    TEXT,
  consent     INTEGER NOT NULL DEFAULT 0,
  opt_out     INTEGER NOT NULL DEFAULT 0,
  opt_out_at  TEXT,
  created_at  TEXT    NOT NULL,
  updated_at  TEXT    NOT NULL
);

CREATE TABLE phone (
  id             INTEGER PRIMARY KEY,
  debtor_id      INTEGER NOT NULL REFERENCES debtor (id) ON DELETE CASCADE,
  e164           TEXT    NOT NULL,
  kind           TEXT    NOT NULL DEFAULT 'unknown'
                         CHECK (kind IN ('unknown', 'mobile', 'landline', 'other')),
  label          TEXT,
  position       INTEGER NOT NULL DEFAULT 0,
  hlr_status     TEXT,
  hlr_checked_at TEXT,
  valid          INTEGER NOT NULL DEFAULT 1,
  created_at     TEXT    NOT NULL,
  UNIQUE (debtor_id, e164)
);
CREATE INDEX phone_e164 ON phone (e164);

CREATE TABLE debt_case (
  id              INTEGER PRIMARY KEY,
  debtor_id       INTEGER NOT NULL REFERENCES debtor (id) ON DELETE CASCADE,
  creditor_id     INTEGER NOT NULL REFERENCES creditor (id),
  status          TEXT    NOT NULL DEFAULT 'new'
                          CHECK (status IN ('new', 'call-later', 'no-answer',
                                            'payment-declaration', 'closed')),
  agent_id        INTEGER REFERENCES agent (id),
  next_contact_at TEXT,
  balance_minor   INTEGER NOT NULL DEFAULT 0,
  currency        TEXT    NOT NULL,
  created_at      TEXT    NOT NULL,
  updated_at      TEXT    NOT NULL,
  closed_at       TEXT,
  UNIQUE (debtor_id, creditor_id)
);

CREATE TABLE liability (
  id            INTEGER PRIMARY KEY,
  case_id       INTEGER NOT NULL REFERENCES debt_case (id) ON DELETE CASCADE,
  invoice_no    TEXT    NOT NULL,
  issued_on     TEXT,
  due_on        TEXT,
  amount_minor  INTEGER NOT NULL,
  currency      TEXT    NOT NULL,
  paid_at       TEXT,
  created_at    TEXT    NOT NULL,
  updated_at    TEXT    NOT NULL,
  UNIQUE (case_id, invoice_no)
);

CREATE TABLE balance_history (
  id            INTEGER PRIMARY KEY,
  case_id       INTEGER NOT NULL REFERENCES debt_case (id) ON DELETE CASCADE,
  liability_id  INTEGER REFERENCES liability (id) ON DELETE SET NULL,
  balance_minor INTEGER NOT NULL,
  currency      TEXT    NOT NULL,
  reason        TEXT    NOT NULL,
  recorded_at   TEXT    NOT NULL
);
CREATE INDEX balance_history_case ON balance_history (case_id);

CREATE TABLE payment (
  id            INTEGER PRIMARY KEY,
  case_id       INTEGER NOT NULL REFERENCES debt_case (id) ON DELETE CASCADE,
  amount_minor  INTEGER NOT NULL,
  currency      TEXT    NOT NULL,
  paid_on       TEXT    NOT NULL,
  source        TEXT    NOT NULL,
  created_at    TEXT    NOT NULL
);
CREATE INDEX payment_case ON payment (case_id);

CREATE TABLE declaration (
  id            INTEGER PRIMARY KEY,
  case_id       INTEGER NOT NULL REFERENCES debt_case (id) ON DELETE CASCADE,
  amount_minor  INTEGER NOT NULL,
  currency      TEXT    NOT NULL,
  promised_on   TEXT    NOT NULL,
  channel       TEXT    NOT NULL,
  state         TEXT    NOT NULL DEFAULT 'pending'
                        CHECK (state IN ('pending', 'kept', 'broken')),
  agent_id      INTEGER REFERENCES agent (id),
  created_at    TEXT    NOT NULL
);
CREATE INDEX declaration_case ON declaration (case_id);

CREATE TABLE activity (
  id            INTEGER PRIMARY KEY,
  case_id       INTEGER NOT NULL REFERENCES debt_case (id) ON DELETE CASCADE,
  kind          TEXT    NOT NULL,
  channel       TEXT,
  body          TEXT,
  refs          TEXT,
  agent_id      INTEGER REFERENCES agent (id),
  created_at    TEXT    NOT NULL
);
CREATE INDEX activity_case ON activity (case_id, created_at);

CREATE TABLE ivr_flow (
  id            INTEGER PRIMARY KEY,
  name          TEXT    NOT NULL,
  version       INTEGER NOT NULL DEFAULT 1,
  json          TEXT    NOT NULL,
  created_at    TEXT    NOT NULL,
  UNIQUE (name, version)
);

CREATE TABLE campaign (
  id              INTEGER PRIMARY KEY,
  name            TEXT    NOT NULL,
  kind            TEXT    NOT NULL CHECK (kind IN ('sms', 'voice')),
  audience_filter TEXT,
  template        TEXT,
  ivr_flow_id     INTEGER REFERENCES ivr_flow (id),
  schedule_at     TEXT,
  windows         TEXT,
  retry_policy    TEXT,
  concurrency     INTEGER NOT NULL DEFAULT 1,
  caller_id_pool  TEXT,
  state           TEXT    NOT NULL DEFAULT 'draft',
  created_at      TEXT    NOT NULL,
  updated_at      TEXT    NOT NULL
);

CREATE TABLE message (
  id              INTEGER PRIMARY KEY,
  campaign_id     INTEGER REFERENCES campaign (id),
  case_id         INTEGER REFERENCES debt_case (id),
  phone_id        INTEGER REFERENCES phone (id),
  idempotency_key TEXT    NOT NULL UNIQUE,
  provider        TEXT,
  provider_id     TEXT,
  body            TEXT    NOT NULL,
  state           TEXT    NOT NULL DEFAULT 'queued'
                          CHECK (state IN ('queued', 'sending', 'sent', 'delivered',
                                           'failed', 'expired')),
  parts           INTEGER NOT NULL DEFAULT 1,
  cost_minor      INTEGER,
  error           TEXT,
  created_at      TEXT    NOT NULL,
  updated_at      TEXT    NOT NULL
);
CREATE INDEX message_campaign_state ON message (campaign_id, state);

CREATE TABLE call_attempt (
  id            INTEGER PRIMARY KEY,
  campaign_id   INTEGER REFERENCES campaign (id),
  case_id       INTEGER REFERENCES debt_case (id),
  phone_id      INTEGER REFERENCES phone (id),
  attempt_no    INTEGER NOT NULL DEFAULT 1,
  caller_id     TEXT,
  scheduled_at  TEXT,
  started_at    TEXT,
  answered_at   TEXT,
  ended_at      TEXT,
  hangup_cause  TEXT,
  sip_status    INTEGER,
  ivr_path      TEXT,
  result        TEXT,
  state         TEXT    NOT NULL DEFAULT 'scheduled'
);
CREATE INDEX call_attempt_campaign ON call_attempt (campaign_id, state);

CREATE TABLE saved_filter (
  id            INTEGER PRIMARY KEY,
  name          TEXT    NOT NULL UNIQUE,
  filter        TEXT    NOT NULL,
  created_at    TEXT    NOT NULL
);

CREATE TABLE audit_log (
  id            INTEGER PRIMARY KEY,
  at            TEXT    NOT NULL,
  agent_id      INTEGER REFERENCES agent (id),
  action        TEXT    NOT NULL,
  entity        TEXT    NOT NULL,
  entity_id     INTEGER,
  details       TEXT
);
