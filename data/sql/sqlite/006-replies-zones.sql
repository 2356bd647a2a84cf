-- SPDX-License-Identifier: GPL-3.0-or-later
-- Schema 6: replies fetched from a provider are kept once (a poll that sees a reply again adds
-- nothing), and a debtor may live in another time zone than the office (the contact policy's
-- sending hours are the debtor's).

CREATE TABLE sms_reply (
  id           INTEGER PRIMARY KEY,
  provider     TEXT    NOT NULL,
  provider_id  TEXT    NOT NULL,
  e164         TEXT    NOT NULL,
  body         TEXT    NOT NULL,
  received_at  TEXT    NOT NULL,
  case_id      INTEGER REFERENCES debt_case (id) ON DELETE SET NULL,
  opt_out      INTEGER NOT NULL DEFAULT 0,
  UNIQUE (provider, provider_id)
);
CREATE INDEX sms_reply_received ON sms_reply (provider, received_at);

-- IANA zone ("Europe/Kaliningrad"); NULL: the office's
ALTER TABLE debtor ADD COLUMN time_zone TEXT;
