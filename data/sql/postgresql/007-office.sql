-- SPDX-License-Identifier: GPL-3.0-or-later
-- Schema 7: the office's own id (DESIGN.md §4), made at random with the database. It prefixes
-- every idempotency key, so that a second desk, a database made anew or restored from an older
-- backup never sends a key the provider already has from another office database. Databases
-- that existed before get theirs now.

CREATE TABLE office (
  id          TEXT NOT NULL PRIMARY KEY,
  created_at  TEXT NOT NULL
);
INSERT INTO office (id, created_at)
  VALUES (substr(md5(random()::text || clock_timestamp()::text), 1, 16),
          to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'));

-- preparing a campaign again finds its messages by phone, not by key (keys are random)
CREATE INDEX message_campaign_phone ON message (campaign_id, phone_id, e164);
