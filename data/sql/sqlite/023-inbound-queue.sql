-- SPDX-License-Identifier: GPL-3.0-or-later
-- Schema 23: the inbound queue (issue 18).
--
--   inbound_queue     up to three topic queues of the office (the store enforces the three):
--                     the ring strategy ('ring-all', 'longest-idle'), the hold music (a sound
--                     file; NULL: the one shipped), the position / expected wait announcement
--                     every announce_every_s seconds (0: never), the longest wait and what
--                     happens then ('voicemail' or 'callback': a callback request)
--   inbound_line      one row (id 1): the SIP account (its name) that takes the office's
--                     calls and the inbound call flow they run (NULL: none, straight into the
--                     first queue)
--   inbound_call      every call to the line: the caller's number as received and as E.164,
--                     the case recognised by it, the queue it reached, when it arrived, went
--                     into the queue, was answered, ended; how it ended; who answered
--   inbound_missed    the missed calls and callback requests, open until someone calls back
--                     (done_at, done_by)

CREATE TABLE inbound_queue (
  id               INTEGER PRIMARY KEY,
  name             TEXT    NOT NULL,
  position         INTEGER NOT NULL DEFAULT 0,
  strategy         TEXT    NOT NULL DEFAULT 'ring-all'
                           CHECK (strategy IN ('ring-all', 'longest-idle')),
  hold_music       TEXT,
  announce_every_s INTEGER NOT NULL DEFAULT 30,
  max_wait_s       INTEGER NOT NULL DEFAULT 300,
  on_max_wait      TEXT    NOT NULL DEFAULT 'callback'
                           CHECK (on_max_wait IN ('voicemail', 'callback')),
  created_at       TEXT    NOT NULL
);

CREATE TABLE inbound_line (
  id               INTEGER PRIMARY KEY CHECK (id = 1),
  sip_account      TEXT,
  ivr_flow_id      INTEGER REFERENCES ivr_flow (id) ON DELETE SET NULL,
  updated_at       TEXT    NOT NULL
);

CREATE TABLE inbound_call (
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
                           'voicemail', 'callback-requested', 'closed-hours')),
  agent_id         INTEGER REFERENCES agent (id) ON DELETE SET NULL,
  voicemail_path   TEXT
);
CREATE INDEX inbound_call_arrived ON inbound_call (arrived_at);
CREATE INDEX inbound_call_e164 ON inbound_call (e164, arrived_at);

CREATE TABLE inbound_missed (
  id               INTEGER PRIMARY KEY,
  call_id          INTEGER NOT NULL REFERENCES inbound_call (id) ON DELETE CASCADE,
  kind             TEXT    NOT NULL CHECK (kind IN ('abandoned', 'voicemail',
                           'callback-requested', 'closed-hours')),
  status           TEXT    NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'done')),
  created_at       TEXT    NOT NULL,
  done_at          TEXT,
  done_by          INTEGER REFERENCES agent (id) ON DELETE SET NULL
);
CREATE INDEX inbound_missed_status ON inbound_missed (status, created_at);
