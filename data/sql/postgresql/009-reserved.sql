-- SPDX-License-Identifier: GPL-3.0-or-later
-- Schema 9: no change. The number was held for the import's money columns, which needed no
-- change of the schema; the migrations stay numbered without gaps.
SELECT 1;
