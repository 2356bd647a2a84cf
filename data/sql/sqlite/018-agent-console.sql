-- SPDX-License-Identifier: GPL-3.0-or-later
-- Schema 18: the Agent Console and the outbound dialer (issue 18).
--
--   campaign.agent_script  what the consultant says on the campaign's calls (shown on the case
--                     card; NULL: the built-in one)
--   agent.sip_uri     where a consultant who is not at this desk takes calls (a SIP URI of a
--                     desk phone or softphone); NULL: the headset of this desk
--   agent_state       per agent, the state now: 'ready', 'on-call', 'wrap-up', 'paused',
--                     since when, the pause's reason, the wrap-up's end, the case on the line.
--                     A dialer or a queue picks a free agent here: state 'ready', the longest
--                     idle first (ready_since)
--   agent_state_log   every change of state (who, what, why, when): the record of the day
--   callback          a call back promised to the debtor, due at a time, for the consultant
--                     who promised it
--   dialer_answer     every call of a dialer campaign answered by a person, and whether it was
--                     abandoned (no consultant free within 2 s: the debtor heard the office's
--                     short message). The abandoned-call rate of a campaign over a window is
--                     computed from it; an abandoned number is not dialled again for 72 hours
--                     unless a consultant is reserved for it

ALTER TABLE agent ADD COLUMN sip_uri TEXT;
ALTER TABLE campaign ADD COLUMN agent_script TEXT;

CREATE TABLE agent_state (
  agent_id      INTEGER PRIMARY KEY REFERENCES agent (id) ON DELETE CASCADE,
  state         TEXT    NOT NULL CHECK (state IN ('ready', 'on-call', 'wrap-up', 'paused')),
  reason        TEXT,
  case_id       INTEGER REFERENCES debt_case (id) ON DELETE SET NULL,
  since         TEXT    NOT NULL,
  ready_since   TEXT,
  wrap_up_until TEXT
);
CREATE INDEX agent_state_free ON agent_state (state, ready_since);

CREATE TABLE agent_state_log (
  id            INTEGER PRIMARY KEY,
  agent_id      INTEGER NOT NULL REFERENCES agent (id) ON DELETE CASCADE,
  state         TEXT    NOT NULL,
  reason        TEXT,
  case_id       INTEGER REFERENCES debt_case (id) ON DELETE SET NULL,
  changed_at    TEXT    NOT NULL
);
CREATE INDEX agent_state_log_agent ON agent_state_log (agent_id, changed_at);

CREATE TABLE callback (
  id            INTEGER PRIMARY KEY,
  case_id       INTEGER NOT NULL REFERENCES debt_case (id) ON DELETE CASCADE,
  agent_id      INTEGER REFERENCES agent (id) ON DELETE SET NULL,
  due_at        TEXT    NOT NULL,
  note          TEXT,
  created_at    TEXT    NOT NULL,
  done_at       TEXT
);
CREATE INDEX callback_due ON callback (agent_id, done_at, due_at);

CREATE TABLE dialer_answer (
  id            INTEGER PRIMARY KEY,
  campaign_id   INTEGER NOT NULL REFERENCES campaign (id) ON DELETE CASCADE,
  case_id       INTEGER REFERENCES debt_case (id) ON DELETE SET NULL,
  e164          TEXT    NOT NULL,
  answered_at   TEXT    NOT NULL,
  abandoned     INTEGER NOT NULL DEFAULT 0,
  agent_id      INTEGER REFERENCES agent (id) ON DELETE SET NULL
);
CREATE INDEX dialer_answer_campaign ON dialer_answer (campaign_id, answered_at);
CREATE INDEX dialer_answer_e164 ON dialer_answer (e164, abandoned, answered_at);
