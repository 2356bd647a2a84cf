-- SPDX-License-Identifier: GPL-3.0-or-later
-- Schema 27: a phone number is indexed for search in two forms instead of four (issue 14,
-- speed: FTS5 tokenising four forms of every number was a fifth of an import's search rows).
-- Before, the digits of the number and the same without its first 1, 2 and 3 digits (so that
-- the national number was there whatever the length of the country code); now the digits
-- and the national number, the country code's length taken from the first digits (ITU-T
-- E.164: 1 and 7 are one digit, the two-digit codes are listed, all others are three); a
-- three-digit code ending in 0 (+380, +420) keeps that 0 before the national number too, as
-- the old forms did ("044 123 45 67" in Kyiv). "+48 601", "601 234 567", "0048601…",
-- "+7 916…", "916 123…" find what they found; what no longer matches is a number's tail cut
-- at a place that is not its national number ("8601…" for +48 601…, "16 123…" for +7 916…).
-- Same expression as SEARCH_ROW_SELECT in src/core/cases/dd-case-store.c; the search rows are
-- rebuilt once here.
-- PostgreSQL: the same rows; its folded document (schema 3) is generated from them.

DELETE FROM debtor_search;

INSERT INTO debtor_search (rowid, name, tax_id, phones, invoices, email)
SELECT d.id,
       d.name || CASE WHEN instr(d.name, 'ł') > 0 OR instr(d.name, 'Ł') > 0
                      THEN ' ' || replace(replace(d.name, 'ł', 'l'), 'Ł', 'L') ELSE '' END,
       d.tax_id,
       (SELECT group_concat(replace(p.e164, '+', '') || ' ' ||
                CASE WHEN substr(p.e164, 2, 1) = '1' OR substr(p.e164, 2, 1) = '7'
                     THEN substr(p.e164, 3)
                     WHEN instr(' 20 27 30 31 32 33 34 36 39 40 41 43 44 45 46 47 48 49 51'
                                || ' 52 53 54 55 56 57 58 60 61 62 63 64 65 66 81 82 84 86 90'
                                || ' 91 92 93 94 95 98 ',
                                ' ' || substr(p.e164, 2, 2) || ' ') > 0 THEN substr(p.e164, 4)
                     WHEN substr(p.e164, 4, 1) = '0'
                     THEN substr(p.e164, 5) || ' ' || substr(p.e164, 4)
                     ELSE substr(p.e164, 5) END, ' ')
        FROM phone p WHERE p.debtor_id = d.id),
       (SELECT group_concat(l.invoice_no, ' ')
        FROM debt_case c JOIN liability l ON l.case_id = c.id WHERE c.debtor_id = d.id),
       d.email
FROM debtor d;
