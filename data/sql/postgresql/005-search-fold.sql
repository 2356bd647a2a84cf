-- SPDX-License-Identifier: GPL-3.0-or-later
-- Schema 5: debtor names are searchable with ł typed as l ("Lukasz" finds "Łukasz").
-- The FTS5 tokenizer removes diacritics (ż → z, ó → o) but ł is a letter of its own, so the
-- name is indexed a second time with ł replaced. Same expression as SEARCH_ROW_SELECT in
-- src/core/dd-case-store.c; the search rows are rebuilt once here.

-- PostgreSQL: nothing to rebuild. The folded document of debtor_search (schema 3) already
-- finds ł typed as l. The stores still write the name with ł replaced, as for SQLite.
SELECT 1;
