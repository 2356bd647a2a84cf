-- SPDX-License-Identifier: GPL-3.0-or-later
-- Schema 15: the calls of the escalation ladder's voice steps (issue 15, section 2).
--
-- A ladder voice step becomes one scheduled call attempt in the day's ladder voice campaign,
-- planned under the step's key ("ladder-<lead case>-s<step>"). After a crash between planning
-- the call and marking the step done the ladder hands the same key over again: the key is
-- unique, so it is never planned twice. Later attempts of the same number (the retry policy)
-- carry no key.

ALTER TABLE call_attempt ADD COLUMN plan_key TEXT;

CREATE UNIQUE INDEX call_attempt_plan_key ON call_attempt (plan_key);
