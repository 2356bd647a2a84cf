-- SPDX-License-Identifier: GPL-3.0-or-later
-- Schema 21: the cases a call speaks of (issue 15, section 2).
--
-- A ladder call covers all the cases of its debtor that reached the step, not only the lead
-- case it is filed under (call_attempt.case_id): the call says their whole debt. covers holds
-- the ids of all of them, the lead first, separated by spaces; NULL: the attempt's own case
-- only. The retry policy's later attempts of the same number carry it on.

ALTER TABLE call_attempt ADD COLUMN covers TEXT;
