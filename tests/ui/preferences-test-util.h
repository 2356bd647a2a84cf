/* SPDX-License-Identifier: GPL-3.0-or-later */
/* For the UI tests of the preferences: the main loop for a while, screenshots, the window
 * shown and destroyed. Define SCREENSHOT_PREFIX ("test-preferences") before including. */
#pragma once

#include <adwaita.h>

#include "dd-context.h"
#include "dd-preferences-window.h"

static void
iterate_for (guint milliseconds)
{
  gint64 end = g_get_monotonic_time () + milliseconds * G_TIME_SPAN_MILLISECOND;

  while (g_get_monotonic_time () < end)
    {
      if (!g_main_context_iteration (NULL, FALSE))
        g_usleep (G_TIME_SPAN_MILLISECOND);
    }
}

static void
save_screenshot (const char *name)
{
  g_autofree char *import = g_find_program_in_path ("import");
  g_autofree char *file_name = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;
  int wait_status = 0;

  if (import == NULL || g_getenv ("DISPLAY") == NULL)
    return;

  iterate_for (500);
  file_name = g_strdup_printf ("%s-%s.png", SCREENSHOT_PREFIX, name);
  path = g_test_build_filename (G_TEST_BUILT, file_name, NULL);
  {
    const char *argv[] = { import, "-window", "root", path, NULL };

    if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL,
                       NULL, NULL, &wait_status, &error)
        || !g_spawn_check_wait_status (wait_status, &error))
      g_test_message ("no screenshot: %s", error->message);
  }
}

static DdPreferencesWindow *
show_preferences (DdContext *context)
{
  DdPreferencesWindow *window = dd_preferences_window_new (NULL, context);
  gint64 deadline = g_get_monotonic_time () + 20 * G_TIME_SPAN_SECOND;

  gtk_window_present (GTK_WINDOW (window));
  while (!gtk_widget_get_mapped (GTK_WIDGET (window)) && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, FALSE);
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (window)));
  return window;
}

static void
destroy_window (DdPreferencesWindow *window)
{
  GtkWidget *widget = GTK_WIDGET (window);

  g_object_add_weak_pointer (G_OBJECT (window), (gpointer *) &widget);
  gtk_window_destroy (GTK_WINDOW (window));
  while (widget != NULL)
    g_main_context_iteration (NULL, FALSE);
}
