/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "dd-a11y.h"

void
dd_a11y_name_buttons_from_tooltips (GtkWidget *root)
{
  g_return_if_fail (GTK_IS_WIDGET (root));

  if (GTK_IS_BUTTON (root) && gtk_button_get_label (GTK_BUTTON (root)) == NULL)
    {
      const char *tooltip = gtk_widget_get_tooltip_text (root);

      if (tooltip != NULL && *tooltip != '\0')
        gtk_accessible_update_property (GTK_ACCESSIBLE (root), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                        tooltip, -1);
    }
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    dd_a11y_name_buttons_from_tooltips (child);
}
