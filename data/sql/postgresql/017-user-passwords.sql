-- SPDX-License-Identifier: GPL-3.0-or-later
-- Schema 17: the users' passwords (issue 17). A user with a password signs in with it; the
-- column holds the yescrypt hash made by the system's crypt library ("$y$…"), never the
-- password. NULL: the user has none (an office where nobody set one starts as before).

ALTER TABLE agent ADD COLUMN password_hash TEXT;
