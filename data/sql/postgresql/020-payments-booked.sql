-- SPDX-License-Identifier: GPL-3.0-or-later
-- Schema 20: a receivables import no longer forgets or double-counts matched payments
-- (issue 14). The rule (dd_case_store_finish_import()):
--   balance = what the export says is still owed (its open invoices)
--             − the matched payments that no export has shown yet
-- payment.unbooked_minor   the part of a matched payment that no receivables export has shown
--                          as paid yet; it keeps lowering the case's balance until an export
--                          lowers an invoice's remaining amount (or drops the invoice) by it
-- debt_case.booked_unmatched_minor / _on
--                          what the exports lowered the case's invoices by (booked in the
--                          accounting system) that no payment here has covered yet, and the
--                          day of the last such import: a payment matched later, paid on or
--                          before that day, is already in the export and does not lower the
--                          balance a second time; an export that raises an invoice again
--                          takes that much back

ALTER TABLE payment ADD COLUMN unbooked_minor BIGINT NOT NULL DEFAULT 0;
UPDATE payment SET unbooked_minor = amount_minor WHERE state = 'matched' AND case_id IS NOT NULL;
CREATE INDEX payment_unbooked ON payment (case_id, paid_on) WHERE unbooked_minor > 0;

ALTER TABLE debt_case ADD COLUMN booked_unmatched_minor BIGINT NOT NULL DEFAULT 0;
ALTER TABLE debt_case ADD COLUMN booked_unmatched_on TEXT;
