-- SPDX-License-Identifier: GPL-3.0-or-later
-- Schema 28: no change here. PostgreSQL's twin gives the cases list indexes in the list's
-- own order (NULL first, ties by id); SQLite's indexes of schema 3 give that order already
-- (NULL is the smallest value, and every index ends with the rowid).
SELECT 1;
