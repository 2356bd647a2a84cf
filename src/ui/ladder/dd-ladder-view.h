/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "dd-context.h"

G_BEGIN_DECLS

/*
 * DdLadderView: the "Ladder" section — the plan of a day (tomorrow unless another day is
 * picked): the contacts and tasks per step, who is excluded and why; the office's policy;
 * "Run Today's Steps Now". It also runs the ladder by itself (setting ladder-automatic): at
 * start-up, catching up the days the app was closed, then whenever the day changes.
 */
#define DD_TYPE_LADDER_VIEW (dd_ladder_view_get_type ())
G_DECLARE_FINAL_TYPE (DdLadderView, dd_ladder_view, DD, LADDER_VIEW, AdwBin)

GtkWidget  *dd_ladder_view_new        (DdContext    *context);
/* The day shown, "YYYY-MM-DD". */
const char *dd_ladder_view_get_day    (DdLadderView *self);
void        dd_ladder_view_set_day    (DdLadderView *self,
                                       const char   *day);
/* Plans the shown day again (in a worker thread); "plan-shown" is emitted when it is. The
 * view plans by itself when it is first shown. */
void        dd_ladder_view_reload     (DdLadderView *self);
/* Runs today's steps now, as the button does. */
void        dd_ladder_view_run_today  (DdLadderView *self);

G_END_DECLS
