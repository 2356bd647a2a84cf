-- SPDX-License-Identifier: GPL-3.0-or-later
-- Schema 16: the e-mail outbox (issue 16, the e-mail summary).
--
-- Every e-mail the office sends (a report's summary, a test) is kept here as the whole message
-- (RFC 5322 text, attachments in base64) before it is handed to the SMTP server, so that a send
-- that fails is retried with back-off and never lost. state: queued | sent. A queued message is
-- due when next_attempt_at (unix seconds) has come; last_error says why the last attempt failed.

CREATE TABLE mail_outbox (
  id              INTEGER PRIMARY KEY,
  kind            TEXT    NOT NULL,
  subject         TEXT    NOT NULL,
  sender          TEXT    NOT NULL,
  recipients      TEXT    NOT NULL,
  message         TEXT    NOT NULL,
  state           TEXT    NOT NULL DEFAULT 'queued',
  attempts        INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER NOT NULL,
  last_error      TEXT,
  created_at      TEXT    NOT NULL,
  sent_at         TEXT
);
CREATE INDEX mail_outbox_due ON mail_outbox (state, next_attempt_at);
