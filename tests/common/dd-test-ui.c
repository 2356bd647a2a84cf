/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "dd-test-ui.h"

void
dd_test_wait_until_mapped (GtkWidget *widget)
{
  gint64 deadline = g_get_monotonic_time () + 20 * G_TIME_SPAN_SECOND;

  while (!gtk_widget_get_mapped (widget) && g_get_monotonic_time () < deadline)
    {
      if (!g_main_context_iteration (NULL, FALSE))
        g_usleep (G_TIME_SPAN_MILLISECOND);
    }
  g_assert_true (gtk_widget_get_mapped (widget));
}

void
dd_test_destroy_window (GtkWindow *window)
{
  GtkWidget *widget = GTK_WIDGET (window);

  g_object_add_weak_pointer (G_OBJECT (window), (gpointer *) &widget);
  gtk_window_destroy (window);
  while (widget != NULL)
    g_main_context_iteration (NULL, FALSE);
}
