/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "dd-inline-error"

#include "config.h"

#include "dd-inline-error.h"

void
dd_mark_wrong (GtkWidget *widget,
               gboolean   wrong)
{
  g_return_if_fail (GTK_IS_WIDGET (widget));

  if (wrong)
    gtk_widget_add_css_class (widget, "error");
  else
    gtk_widget_remove_css_class (widget, "error");
}

void
dd_show_message (GtkLabel   *label,
                 const char *message)
{
  g_return_if_fail (GTK_IS_LABEL (label));

  gtk_label_set_text (label, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (label), message != NULL);
}
