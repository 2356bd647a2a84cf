-- SPDX-License-Identifier: GPL-3.0-or-later
-- Schema 2: import runs (for re-imports that update rather than duplicate) and
-- column-mapping presets.

CREATE TABLE import_run (
  id            INTEGER PRIMARY KEY,
  file_name     TEXT    NOT NULL,
  encoding      TEXT    NOT NULL,
  delimiter     TEXT    NOT NULL,
  started_at    TEXT    NOT NULL,
  finished_at   TEXT,
  summary       TEXT
);

CREATE TABLE import_preset (
  id            INTEGER PRIMARY KEY,
  name          TEXT    NOT NULL UNIQUE,
  mapping       TEXT    NOT NULL,
  created_at    TEXT    NOT NULL,
  updated_at    TEXT    NOT NULL
);

ALTER TABLE liability ADD COLUMN import_run_id INTEGER REFERENCES import_run (id);
ALTER TABLE balance_history ADD COLUMN import_run_id INTEGER REFERENCES import_run (id);
ALTER TABLE debtor ADD COLUMN last_import_run_id INTEGER REFERENCES import_run (id);
ALTER TABLE debt_case ADD COLUMN last_import_run_id INTEGER REFERENCES import_run (id);
