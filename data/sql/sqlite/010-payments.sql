-- SPDX-License-Identifier: GPL-3.0-or-later
-- Schema 10: payments imported from bank statements (MT940, 1CClientBankExchange) and CSV,
-- matched to cases or waiting (issue 14, part 3).
--
-- payment (replaces the minimal table of schema 1, which every payment had to have a case):
--   statement_key    bank reference + office account + value date + amount (+ "#n" for an
--                    identical entry repeated in one file): a statement line is imported once
--   case_id          NULL while unmatched or ignored
--   state            matched | unmatched | ignored
--   match_method     invoice | tax-id | account | name-amount | manual
--   assigned_by/at   who matched it (NULL: the system's matching) and when
--   closed_case      1 when this payment closed its case as paid; prev_status what it was
--   settled          declarations this payment settled, "id:kept,id:broken", for undo
-- debtor_account: payer accounts learnt from matched payments (the third matching rule).

CREATE TABLE payment_new (
  id              INTEGER PRIMARY KEY,
  case_id         INTEGER REFERENCES debt_case (id) ON DELETE SET NULL,
  amount_minor    INTEGER NOT NULL,
  currency        TEXT    NOT NULL,
  paid_on         TEXT    NOT NULL,
  source          TEXT    NOT NULL,
  created_at      TEXT    NOT NULL,
  statement_key   TEXT    UNIQUE,
  bank_reference  TEXT,
  office_account  TEXT,
  file_name       TEXT,
  line_no         INTEGER,
  raw_line        TEXT,
  title           TEXT,
  payer_name      TEXT,
  payer_account   TEXT,
  payer_tax_id    TEXT,
  state           TEXT    NOT NULL DEFAULT 'matched'
                          CHECK (state IN ('matched', 'unmatched', 'ignored')),
  match_method    TEXT    CHECK (match_method IN ('invoice', 'tax-id', 'account',
                                                  'name-amount', 'manual')),
  assigned_by     INTEGER REFERENCES agent (id),
  assigned_at     TEXT,
  closed_case     INTEGER NOT NULL DEFAULT 0,
  prev_status     TEXT,
  settled         TEXT,
  note            TEXT
);

INSERT INTO payment_new (id, case_id, amount_minor, currency, paid_on, source, created_at,
                         state, match_method)
  SELECT id, case_id, amount_minor, currency, paid_on, source, created_at, 'matched', 'manual'
  FROM payment;
DROP TABLE payment;
ALTER TABLE payment_new RENAME TO payment;
CREATE INDEX payment_case ON payment (case_id);
-- the waiting list only: matched rows (nearly all) are not indexed by state
CREATE INDEX payment_unmatched ON payment (paid_on) WHERE state = 'unmatched';

CREATE TABLE debtor_account (
  account     TEXT    NOT NULL PRIMARY KEY,
  debtor_id   INTEGER NOT NULL REFERENCES debtor (id) ON DELETE CASCADE,
  payment_id  INTEGER REFERENCES payment (id) ON DELETE SET NULL,
  learned_at  TEXT    NOT NULL
);
CREATE INDEX debtor_account_debtor ON debtor_account (debtor_id);
