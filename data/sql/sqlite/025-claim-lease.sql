-- SPDX-License-Identifier: GPL-3.0-or-later
-- Schema 25: who holds work on its way, and whether it is still there (issue 19).
--
-- A message being sent (state 'sending'), a call being dialed (state 'dialing' or
-- 'answered') and a ladder step being carried out (ladder_run state 'claimed') are held by
-- one desk: claimed_by names the process that claimed it ("host boot pid start",
-- dd_claim_owner()), heartbeat_at (UTC ISO 8601) is when that desk last said it was alive (for
-- a ladder step, its claimed_at). A desk that starts settles only what no live desk holds:
-- rows of a process of this computer that is gone, rows whose holder has not been heard of
-- for the lease, and rows of before this schema (NULL).

ALTER TABLE message ADD COLUMN claimed_by TEXT;
ALTER TABLE message ADD COLUMN heartbeat_at TEXT;
ALTER TABLE call_attempt ADD COLUMN claimed_by TEXT;
ALTER TABLE call_attempt ADD COLUMN heartbeat_at TEXT;
ALTER TABLE ladder_run ADD COLUMN claimed_by TEXT;
