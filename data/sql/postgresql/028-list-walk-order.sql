-- SPDX-License-Identifier: GPL-3.0-or-later
-- Schema 28: the cases list walks an index in its own order (issue 19, 1,000,000 cases).
--
-- The list orders by a column with NULL first when ascending (as SQLite does) and breaks
-- ties by id (dd_case_query_build()). PostgreSQL's indexes of schema 3 put NULL last and end
-- with no id, so each sort was a sort of every case before the first row; these indexes are
-- in that order (read backwards for a descending sort), and the walk, a cursor read a chunk
-- at a time, stops as soon as the rows on screen are known. Those of schema 3 stay: the
-- bulk import of the case store drops and builds them by name.
CREATE INDEX debt_case_walk_debtor_name ON debt_case (debtor_name NULLS FIRST, id);
CREATE INDEX debt_case_walk_balance ON debt_case (balance_minor NULLS FIRST, id);
CREATE INDEX debt_case_walk_oldest_due ON debt_case (oldest_due_on NULLS FIRST, id);
CREATE INDEX debt_case_walk_status ON debt_case (status NULLS FIRST, id);
CREATE INDEX debt_case_walk_next_contact ON debt_case (next_contact_at NULLS FIRST, id);
CREATE INDEX debt_case_walk_last_activity ON debt_case (last_activity_at NULLS FIRST, id);
-- the creditors by name, and each one's cases by id
CREATE INDEX debt_case_walk_creditor ON debt_case (creditor_id, id);
-- a creditor's or an agent's cases in the default order (by debtor): their own walk, not
-- the walk of every case, whose matches may all come late (an import's debtors in a row)
CREATE INDEX debt_case_walk_creditor_debtor ON debt_case (creditor_id, debtor_name NULLS FIRST, id);
CREATE INDEX debt_case_walk_agent_debtor ON debt_case (agent_id, debtor_name NULLS FIRST, id);
-- a search or the birthdays find debtors: their cases
CREATE INDEX debt_case_debtor ON debt_case (debtor_id);
