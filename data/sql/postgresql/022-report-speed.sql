-- SPDX-License-Identifier: GPL-3.0-or-later
-- Schema 22: reports over a million cases in under a second (issue 16).
--
-- The effect on payments merges streams ordered by case in C (src/core/reports/dd-reports.c,
-- effect_streamed()): each case's first message, first call and hold-out, then its matched
-- payments, each read in case order from a covering index instead of being grouped in
-- temporary B-trees. The work report counts each consultant's distinct cases in
-- (agent, case) order, with the status changes' refs in the index (no row look-ups).

CREATE INDEX message_case_sent ON message (case_id, sent_at, campaign_id);
CREATE INDEX call_attempt_case_started ON call_attempt (case_id, started_at, campaign_id);
CREATE INDEX campaign_holdout_case ON campaign_holdout (case_id, held_at, campaign_id);
CREATE INDEX payment_case_matched ON payment (case_id, paid_on, state, amount_minor, currency);
CREATE INDEX activity_agent_case ON activity (agent_id, case_id, kind, created_at, refs);

-- The ageing report groups the open balance by due day and currency: the currency joins its
-- covering index (the bulk import drops and rebuilds it by this definition, see
-- dd-case-store.c).
DROP INDEX debt_case_ageing;
CREATE INDEX debt_case_ageing ON debt_case (oldest_due_on, status, balance_minor, creditor_id,
                                            currency);
