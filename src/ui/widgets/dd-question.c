/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "dd-question"

#include "config.h"

#include "dd-question.h"

#include <glib/gi18n-lib.h>

static GtkWindow *
window_of (GtkWidget *widget)
{
  GtkRoot *root = gtk_widget_get_root (widget);

  return GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL;
}

AdwMessageDialog *
dd_question_new (GtkWidget             *widget,
                 const char            *heading,
                 const char            *body,
                 const char            *answer,
                 const char            *answer_label,
                 AdwResponseAppearance  appearance,
                 gboolean               answer_is_default)
{
  AdwMessageDialog *dialog;

  g_return_val_if_fail (GTK_IS_WIDGET (widget), NULL);
  g_return_val_if_fail (answer != NULL && answer_label != NULL, NULL);

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (window_of (widget), heading, body));
  adw_message_dialog_add_responses (dialog,
                                    "cancel", _("_Cancel"),
                                    answer, answer_label,
                                    NULL);
  adw_message_dialog_set_response_appearance (dialog, answer, appearance);
  adw_message_dialog_set_default_response (dialog, answer_is_default ? answer : "cancel");
  adw_message_dialog_set_close_response (dialog, "cancel");
  return dialog;
}

AdwMessageDialog *
dd_notice_show (GtkWidget  *widget,
                const char *heading,
                const char *body)
{
  AdwMessageDialog *dialog;

  g_return_val_if_fail (GTK_IS_WIDGET (widget), NULL);

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (window_of (widget), heading, body));
  adw_message_dialog_add_response (dialog, "close", _("_Close"));
  gtk_window_present (GTK_WINDOW (dialog));
  return dialog;
}
