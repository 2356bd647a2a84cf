-- SPDX-License-Identifier: GPL-3.0-or-later
-- Schema 11: voice campaigns (issue 15, section 1).
--
-- A voice campaign's settings live on its campaign row: the call flow (ivr_flow_id), the
-- concurrency, the caller IDs (caller_id_pool, a JSON array of strings) and, new here, the
-- lines (a JSON array of SIP account names or sip: URIs), the retry policy (attempts per day,
-- seconds between two calls to one number, attempts in all), what to do on an answering
-- machine ('voicemail' or 'hangup-retry'), the SMS confirmation of a payment declaration (its
-- template; NULL: none) and how long to let it ring.
--
-- call_attempt is the campaign's plan and its log, one row per call to one number:
--   scheduled → dialing → answered → completed | no-answer | busy | rejected | failed |
--   unreachable | invalid | cancelled, or unknown
-- A row goes to 'dialing' in a committed transaction BEFORE the INVITE leaves (DESIGN.md §5).
-- A row found 'dialing' at the next start was cut off by a crash: it is settled 'unknown'
-- (the call may have rung) and the number gets its next attempt no sooner than the interval
-- after that call's start. The next attempt of a number is a new 'scheduled' row, written in
-- the same transaction that settles the previous one.

ALTER TABLE campaign ADD COLUMN lines TEXT;
ALTER TABLE campaign ADD COLUMN attempts_per_day BIGINT;
ALTER TABLE campaign ADD COLUMN attempt_interval_s BIGINT;
ALTER TABLE campaign ADD COLUMN max_attempts BIGINT;
ALTER TABLE campaign ADD COLUMN machine_policy TEXT;
ALTER TABLE campaign ADD COLUMN confirm_sms TEXT;
ALTER TABLE campaign ADD COLUMN ring_timeout_s BIGINT;

ALTER TABLE call_attempt ADD COLUMN debtor_id BIGINT REFERENCES debtor (id) ON DELETE SET NULL;
ALTER TABLE call_attempt ADD COLUMN e164 TEXT;
ALTER TABLE call_attempt ADD COLUMN line TEXT;
ALTER TABLE call_attempt ADD COLUMN sip_reason TEXT;
-- 'person', 'machine' or 'unknown' (answered calls only)
ALTER TABLE call_attempt ADD COLUMN answered_by TEXT;
ALTER TABLE call_attempt ADD COLUMN keys TEXT;
ALTER TABLE call_attempt ADD COLUMN heard_to_end BIGINT NOT NULL DEFAULT 0;
-- NULL, or how a transfer to a consultant went: 'answered', 'no-agent'
ALTER TABLE call_attempt ADD COLUMN transfer TEXT;
ALTER TABLE call_attempt ADD COLUMN declaration_id BIGINT
  REFERENCES declaration (id) ON DELETE SET NULL;
ALTER TABLE call_attempt ADD COLUMN updated_at TEXT;

CREATE INDEX call_attempt_due ON call_attempt (state, scheduled_at);
CREATE INDEX call_attempt_e164 ON call_attempt (e164, started_at);
