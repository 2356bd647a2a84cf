-- SPDX-License-Identifier: GPL-3.0-or-later
-- Schema 3: the cases list (issue: main window).
--
-- Denormalised columns on debt_case so that every sortable column of the list is served by
-- an index of debt_case alone (1,000,000 cases must list in well under a second):
--   debtor_name       copy of debtor.name (set by the stores: finish_import, case actions)
--   oldest_due_on     earliest due date of the unpaid liabilities (finish_import)
--   last_activity_at  time of the newest activity row (DdCaseStore actions)
--   last_contact_at   time of the newest contact with the debtor (call, sms, e-mail, visit…)
--
-- Search: one FTS5 row per debtor (rowid = debtor.id). It is kept in sync by the stores
-- (dd_case_store_finish_import refreshes the debtors an import touched, in one statement),
-- not by triggers, so that the importer pays nothing per row.
--   name      debtor name
--   tax_id    tax id digits
--   phones    per phone: all digits of the E.164 number, and the same without its first
--             1, 2 and 3 digits (the country code), so "601 234 567" finds +48601234567
--   invoices  invoice numbers of the debtor's cases
--   email     e-mail address

ALTER TABLE debt_case ADD COLUMN debtor_name TEXT;
ALTER TABLE debt_case ADD COLUMN oldest_due_on TEXT;
ALTER TABLE debt_case ADD COLUMN last_activity_at TEXT;
ALTER TABLE debt_case ADD COLUMN last_contact_at TEXT;

UPDATE debt_case SET
  debtor_name = (SELECT d.name FROM debtor d WHERE d.id = debt_case.debtor_id),
  oldest_due_on = (SELECT MIN(l.due_on) FROM liability l
                   WHERE l.case_id = debt_case.id AND l.paid_at IS NULL),
  last_activity_at = (SELECT MAX(a.created_at) FROM activity a
                      WHERE a.case_id = debt_case.id);

CREATE INDEX IF NOT EXISTS debt_case_debtor_name ON debt_case (debtor_name);
CREATE INDEX IF NOT EXISTS debt_case_creditor ON debt_case (creditor_id);
CREATE INDEX IF NOT EXISTS debt_case_status ON debt_case (status);
CREATE INDEX IF NOT EXISTS debt_case_agent ON debt_case (agent_id);
CREATE INDEX IF NOT EXISTS debt_case_balance ON debt_case (balance_minor);
CREATE INDEX IF NOT EXISTS debt_case_oldest_due ON debt_case (oldest_due_on);
CREATE INDEX IF NOT EXISTS debt_case_next_contact ON debt_case (next_contact_at);
CREATE INDEX IF NOT EXISTS debt_case_last_activity ON debt_case (last_activity_at);
CREATE INDEX IF NOT EXISTS debt_case_last_contact ON debt_case (last_contact_at);

CREATE INDEX IF NOT EXISTS debtor_birthday_md ON debtor (substr(birthday, 6));
CREATE INDEX IF NOT EXISTS declaration_state_promised ON declaration (state, promised_on, case_id);
CREATE INDEX IF NOT EXISTS message_case ON message (case_id);
CREATE INDEX IF NOT EXISTS call_attempt_case ON call_attempt (case_id);
CREATE INDEX IF NOT EXISTS audit_log_entity ON audit_log (entity, entity_id);

CREATE VIRTUAL TABLE debtor_search USING fts5 (
  name, tax_id, phones, invoices, email,
  tokenize = 'unicode61 remove_diacritics 2',
  columnsize = 0   -- no ranking (bm25) needed: the list has its own sort; fewer writes
);

INSERT INTO debtor_search (rowid, name, tax_id, phones, invoices, email)
  SELECT d.id, d.name, d.tax_id,
         (SELECT group_concat(replace(p.e164, '+', '') || ' ' || substr(p.e164, 3) || ' '
                              || substr(p.e164, 4) || ' ' || substr(p.e164, 5), ' ')
          FROM phone p WHERE p.debtor_id = d.id),
         (SELECT group_concat(l.invoice_no, ' ')
          FROM debt_case c JOIN liability l ON l.case_id = c.id WHERE c.debtor_id = d.id),
         d.email
  FROM debtor d;
