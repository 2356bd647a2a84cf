-- SPDX-License-Identifier: GPL-3.0-or-later
-- Schema 14: demand letters and the office's changes to the dated rate tables.
--
-- The rate tables ship with the application (data/rates/*.json in the core resource); a row
-- here adds a rate to a series from its date or, with rate NULL, hides the shipped rate of that
-- date. Rates are text with a dot ("11.25" percent, "4.3480" PLN per EUR) so that no value is
-- rounded through a float.

CREATE TABLE rate_table (
  series      TEXT    NOT NULL,
  valid_from  TEXT    NOT NULL,
  rate        TEXT,
  note        TEXT,
  changed_at  TEXT    NOT NULL,
  PRIMARY KEY (series, valid_from)
);

-- A demand letter sent on a case (a letter covering several cases of one debtor has one row
-- per case, sharing the PDF). interest is the calculation shown in the letter, as JSON.
CREATE TABLE letter (
  id             INTEGER PRIMARY KEY,
  case_id        INTEGER NOT NULL REFERENCES debt_case (id) ON DELETE CASCADE,
  letter_date    TEXT    NOT NULL,
  language       TEXT    NOT NULL,
  deadline       TEXT    NOT NULL,
  principal_minor INTEGER NOT NULL,
  interest_minor INTEGER NOT NULL,
  currency       TEXT    NOT NULL,
  interest       TEXT    NOT NULL,
  pdf_path       TEXT,
  created_at     TEXT    NOT NULL
);
CREATE INDEX letter_case ON letter (case_id, letter_date);
