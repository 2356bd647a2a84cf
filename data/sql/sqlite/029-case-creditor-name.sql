-- SPDX-License-Identifier: GPL-3.0-or-later
-- Schema 29: no change here. PostgreSQL's twin keeps the creditor's name on each case so that
-- the cases list sorted by creditor walks an index; SQLite walks the few creditors by name
-- and each one's cases by creditor_id already (dd_case_query_build() orders by cr.name).
SELECT 1;
