-- SPDX-License-Identifier: GPL-3.0-or-later
-- Schema 31: a cap on the callers waiting on the office's line.
--
--   inbound_line.max_waiting   how many callers may wait at once (in the call flow or a queue,
--                              not yet with a consultant); one more is answered 486 Busy Here
--                              and recorded: outcome and missed-list kind 'queue-full'
--
-- SQLite cannot change a CHECK: inbound_call and inbound_missed are made again with the new
-- value allowed. inbound_missed refers to inbound_call (ON DELETE CASCADE, with foreign keys
-- on): its rows are kept aside and the table dropped first, so dropping inbound_call deletes
-- nothing.

ALTER TABLE inbound_line ADD COLUMN max_waiting INTEGER NOT NULL DEFAULT 20;

CREATE TEMP TABLE inbound_missed_keep AS SELECT * FROM inbound_missed;
DROP TABLE inbound_missed;

CREATE TABLE inbound_call_new (
  id               INTEGER PRIMARY KEY,
  caller           TEXT    NOT NULL,
  e164             TEXT,
  case_id          INTEGER REFERENCES debt_case (id) ON DELETE SET NULL,
  queue_id         INTEGER REFERENCES inbound_queue (id) ON DELETE SET NULL,
  arrived_at       TEXT    NOT NULL,
  queued_at        TEXT,
  answered_at      TEXT,
  ended_at         TEXT,
  outcome          TEXT    CHECK (outcome IS NULL OR outcome IN ('answered', 'abandoned',
                           'voicemail', 'callback-requested', 'closed-hours', 'queue-full')),
  agent_id         INTEGER REFERENCES agent (id) ON DELETE SET NULL,
  voicemail_path   TEXT
);
INSERT INTO inbound_call_new (id, caller, e164, case_id, queue_id, arrived_at, queued_at,
                              answered_at, ended_at, outcome, agent_id, voicemail_path)
  SELECT id, caller, e164, case_id, queue_id, arrived_at, queued_at, answered_at, ended_at,
         outcome, agent_id, voicemail_path FROM inbound_call;
DROP TABLE inbound_call;
ALTER TABLE inbound_call_new RENAME TO inbound_call;
CREATE INDEX inbound_call_arrived ON inbound_call (arrived_at);
CREATE INDEX inbound_call_e164 ON inbound_call (e164, arrived_at);

CREATE TABLE inbound_missed (
  id               INTEGER PRIMARY KEY,
  call_id          INTEGER NOT NULL REFERENCES inbound_call (id) ON DELETE CASCADE,
  kind             TEXT    NOT NULL CHECK (kind IN ('abandoned', 'voicemail',
                           'callback-requested', 'closed-hours', 'queue-full')),
  status           TEXT    NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'done')),
  created_at       TEXT    NOT NULL,
  done_at          TEXT,
  done_by          INTEGER REFERENCES agent (id) ON DELETE SET NULL
);
INSERT INTO inbound_missed (id, call_id, kind, status, created_at, done_at, done_by)
  SELECT id, call_id, kind, status, created_at, done_at, done_by FROM inbound_missed_keep;
DROP TABLE inbound_missed_keep;
CREATE INDEX inbound_missed_status ON inbound_missed (status, created_at);
