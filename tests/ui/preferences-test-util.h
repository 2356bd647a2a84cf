/* SPDX-License-Identifier: GPL-3.0-or-later */
/* For the UI tests of the preferences: the window shown and destroyed, the shared helpers of
 * tests/common under short names. */
#pragma once

#include <adwaita.h>

#include "dd-context.h"
#include "dd-preferences-window.h"
#include "dd-test-ui.h"

static DdPreferencesWindow *
show_preferences (DdContext *context)
{
  DdPreferencesWindow *window = dd_preferences_window_new (NULL, context);

  gtk_window_present (GTK_WINDOW (window));
  dd_test_wait_until_mapped (GTK_WIDGET (window));
  return window;
}
