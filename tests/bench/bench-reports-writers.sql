-- SPDX-License-Identifier: GPL-3.0-or-later
-- What the report summaries' triggers cost the writers (docs/PERFORMANCE.md, issue 16, schema 26):
-- sqlite3 OFFICE < tests/bench/bench-reports-writers.sql on the office of bench-reports.c, before
-- and after its migration; each statement's time printed, everything rolled back.
-- The app's pragmas (src/core/db/dd-sqlite-database.c).
PRAGMA cache_size = -16000;
PRAGMA temp_store = FILE;
.timer on
BEGIN;
-- 10,000 SMS of a campaign queued, then sent with a cost, then delivered (one row each)
INSERT INTO message (campaign_id, case_id, e164, idempotency_key, body, state, created_at, updated_at)
 SELECT 1 + id % 50, id, '+48' || (700000000 + id), 'w' || id, 'x', 'queued', '2026-12-07T08:00:00Z', 'x'
 FROM debt_case WHERE id BETWEEN 500001 AND 510000;
UPDATE message SET state = 'sending' WHERE idempotency_key >= 'w' AND idempotency_key < 'x';
UPDATE message SET state = 'sent', sent_at = '2026-12-07T08:01:00Z', cost_minor = 7, cost_currency = 'PLN' WHERE idempotency_key >= 'w' AND idempotency_key < 'x';
UPDATE message SET state = 'delivered' WHERE idempotency_key >= 'w' AND idempotency_key < 'x';
-- 10,000 consultants' activities
INSERT INTO activity (case_id, kind, agent_id, created_at)
 SELECT id, 'call', 1 + id % 30, '2026-12-07T08:02:00Z' FROM debt_case WHERE id BETWEEN 600001 AND 610000;
-- 10,000 cases moved to their next ladder step (their messages and calls with them)
UPDATE ladder_run SET offset_days = offset_days + 7, step = step + 1 WHERE case_id <= 70000;
ROLLBACK;
