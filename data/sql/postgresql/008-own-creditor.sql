-- SPDX-License-Identifier: GPL-3.0-or-later
-- Schema 8: the creditor of the office's own receivables (rows of an import without a
-- creditor) is stored under one key in every language, 'Own receivables', and shown
-- translated. It used to be stored in the language of the first import; the first such
-- creditor takes the key (cases keep their creditor id).

UPDATE creditor SET name = 'Own receivables'
 WHERE id = (SELECT MIN(id) FROM creditor
              WHERE name IN ('Należności własne', 'Собственная дебиторская задолженность'))
   AND NOT EXISTS (SELECT 1 FROM creditor WHERE name = 'Own receivables');
