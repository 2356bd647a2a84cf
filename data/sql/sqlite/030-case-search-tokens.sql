-- SPDX-License-Identifier: GPL-3.0-or-later
-- Schema 30: no change here. PostgreSQL's twin keeps every search word of a debtor beside
-- each of the debtor's cases (case_search_token) so that a search with many matches is
-- counted and walked without reading its GIN index's fat rows; SQLite's FTS5 index gives
-- the rowids from the index itself already.
SELECT 1;
