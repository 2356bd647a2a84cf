/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* For the tests of the view. */

#include "dd-ladder-runner.h"
#include "dd-ladder-view.h"

G_BEGIN_DECLS

/* The plan shown (NULL while it is made). */
const DdLadderPlan *_dd_ladder_view_get_plan        (DdLadderView *self);
/* The result of the last run of the day's steps (by the button or by itself). */
const DdLadderRunResult *_dd_ladder_view_get_last_run (DdLadderView *self);
/* The summary line under the date ("12 contacts and tasks covering 14 cases"). */
const char         *_dd_ladder_view_get_summary     (DdLadderView *self);
/* Sets what "today" is (tests); NULL: the clock's. */
void                _dd_ladder_view_set_today       (DdLadderView *self,
                                                     const char   *today);

/* Saves the office's ladder as edited in the policy rows (what "Save Steps" does). */
gboolean            _dd_ladder_view_save_policy     (DdLadderView *self,
                                                     GError      **error);
/* Views made from now on run the ladder by themselves after @milliseconds instead of a minute
 * (tests; 0: a minute). */
void                _dd_ladder_view_set_start_up_delay (guint       milliseconds);

G_END_DECLS
