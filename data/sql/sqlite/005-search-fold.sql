-- SPDX-License-Identifier: GPL-3.0-or-later
-- Schema 5: debtor names are searchable with ł typed as l ("Lukasz" finds "Łukasz").
-- The FTS5 tokenizer removes diacritics (ż → z, ó → o) but ł is a letter of its own, so the
-- name is indexed a second time with ł replaced. Same expression as SEARCH_ROW_SELECT in
-- src/core/dd-case-store.c; the search rows are rebuilt once here.

DELETE FROM debtor_search;

INSERT INTO debtor_search (rowid, name, tax_id, phones, invoices, email)
SELECT d.id,
       d.name || CASE WHEN instr(d.name, 'ł') > 0 OR instr(d.name, 'Ł') > 0
                      THEN ' ' || replace(replace(d.name, 'ł', 'l'), 'Ł', 'L') ELSE '' END,
       d.tax_id,
       (SELECT group_concat(replace(p.e164, '+', '') || ' ' || substr(p.e164, 3) || ' '
                            || substr(p.e164, 4) || ' ' || substr(p.e164, 5), ' ')
        FROM phone p WHERE p.debtor_id = d.id),
       (SELECT group_concat(l.invoice_no, ' ')
        FROM debt_case c JOIN liability l ON l.case_id = c.id WHERE c.debtor_id = d.id),
       d.email
FROM debtor d;
