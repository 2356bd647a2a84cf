-- SPDX-License-Identifier: GPL-3.0-or-later
-- Schema 12: the escalation ladder (issue 15 §2, DESIGN.md §5 "The ladder").
--
--   ladder_policy  the steps of a creditor's policy (creditor_id NULL: the office's default);
--                  no row at all: the built-in default (−3 SMS, 0 SMS, +3 voice, +7 voice,
--                  +10 consultant call, +14 demand letter, +30 hand-over)
--   ladder_step    one step: days after the oldest unpaid due date, a channel, its text or
--                  call flow; position orders the steps of a policy
--   ladder_run     per case: the step reached (position), when, and how — a step is claimed
--                  ('claimed', committed before anything goes out) and then 'done'; a step
--                  never goes back, so a repeated run or a catch-up never repeats one
--   ladder_day     the days the ladder ran (the catch-up starts after the last one)
--   debt_case.ladder_excluded      why the case is kept off the ladder ('dispute'…), or NULL
--   debt_case.ladder_paused_until  "YYYY-MM-DD": off the ladder until that day inclusive

CREATE TABLE ladder_policy (
  id           INTEGER PRIMARY KEY,
  creditor_id  INTEGER UNIQUE REFERENCES creditor (id) ON DELETE CASCADE,
  name         TEXT    NOT NULL,
  updated_at   TEXT    NOT NULL
);

CREATE TABLE ladder_step (
  id           INTEGER PRIMARY KEY,
  policy_id    INTEGER NOT NULL REFERENCES ladder_policy (id) ON DELETE CASCADE,
  position     INTEGER NOT NULL,
  offset_days  INTEGER NOT NULL,
  channel      TEXT    NOT NULL
               CHECK (channel IN ('sms', 'voice', 'consultant-call', 'demand-letter',
                                  'hand-over')),
  body         TEXT,
  flow         TEXT,
  UNIQUE (policy_id, position)
);

CREATE TABLE ladder_run (
  case_id         INTEGER PRIMARY KEY REFERENCES debt_case (id) ON DELETE CASCADE,
  step            INTEGER NOT NULL,
  offset_days     INTEGER NOT NULL,
  channel         TEXT    NOT NULL,
  state           TEXT    NOT NULL CHECK (state IN ('claimed', 'done')),
  day             TEXT    NOT NULL,
  lead_case_id    INTEGER NOT NULL,
  shift_days      INTEGER NOT NULL DEFAULT 0,
  promise_broken  INTEGER NOT NULL DEFAULT 0,
  declaration_id  INTEGER,
  claimed_at      TEXT    NOT NULL,
  done_at         TEXT
);
CREATE INDEX ladder_run_state ON ladder_run (state, day);

CREATE TABLE ladder_day (
  day          TEXT    PRIMARY KEY,
  ran_at       TEXT    NOT NULL,
  items        INTEGER NOT NULL DEFAULT 0
);

ALTER TABLE debt_case ADD COLUMN ladder_excluded TEXT;
ALTER TABLE debt_case ADD COLUMN ladder_paused_until TEXT;
