-- SPDX-License-Identifier: GPL-3.0-or-later
-- Schema 31: a cap on the callers waiting on the office's line.
--
--   inbound_line.max_waiting   how many callers may wait at once (in the call flow or a queue,
--                              not yet with a consultant); one more is answered 486 Busy Here
--                              and recorded: outcome and missed-list kind 'queue-full'

ALTER TABLE inbound_line ADD COLUMN max_waiting BIGINT NOT NULL DEFAULT 20;

ALTER TABLE inbound_call DROP CONSTRAINT inbound_call_outcome_check;
ALTER TABLE inbound_call ADD CONSTRAINT inbound_call_outcome_check
  CHECK (outcome IS NULL OR outcome IN ('answered', 'abandoned', 'voicemail',
         'callback-requested', 'closed-hours', 'queue-full'));

ALTER TABLE inbound_missed DROP CONSTRAINT inbound_missed_kind_check;
ALTER TABLE inbound_missed ADD CONSTRAINT inbound_missed_kind_check
  CHECK (kind IN ('abandoned', 'voicemail', 'callback-requested', 'closed-hours',
         'queue-full'));
