-- SPDX-License-Identifier: GPL-3.0-or-later
-- Schema 9: reserved for another branch of this round (migration numbers are handed out per
-- engineer). This empty placeholder keeps the numbers contiguous on the voice branch only:
-- when the branch that owns 009 is merged, its file replaces this one (delete this file then).
SELECT 1;
