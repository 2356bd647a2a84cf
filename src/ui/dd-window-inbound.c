/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "dd-window"

#include "config.h"

#include "dd-window-private.h"

#include "dd-cases-view.h"
#include "dd-inbound-queue.h"

#include <glib/gi18n-lib.h>

/*
 * The office's inbound line at this window (issue 18): when the office has a line that takes
 * calls, the queue runs as soon as the telephone lines are up. A caller handed to the
 * consultant at this desk (on the headset) brings the window forward on the caller's case,
 * with a toast to hang up; a line that cannot take calls is said once.
 */

static void
on_hang_up_clicked (AdwToast *toast,
                    DdWindow *self)
{
  DdInboundRunner *runner = dd_context_peek_inbound (self->context);

  if (runner != NULL)
    dd_inbound_runner_hang_up (runner, dd_context_get_agent_id (self->context));
}

static void
on_call_connected (DdInboundRunner *runner,
                   gint64           case_id,
                   gint64           agent_id,
                   DdWindow        *self)
{
  g_autoptr(DdCaseDetails) details = NULL;
  g_autofree char *text = NULL;
  AdwToast *toast;

  if (agent_id <= 0 || agent_id != dd_context_get_agent_id (self->context))
    return;   /* a consultant on their own phone */

  gtk_widget_set_visible (GTK_WIDGET (self), TRUE);
  gtk_window_present (GTK_WINDOW (self));
  if (case_id > 0)
    details = dd_case_store_get_details (self->case_store, case_id, NULL);
  if (details != NULL && DD_IS_CASES_VIEW (self->cases_view))
    {
      gtk_list_box_select_row (self->sidebar_list, self->cases_row);
      dd_cases_view_open_case (DD_CASES_VIEW (self->cases_view), case_id);
      /* Translators: an incoming call from the queue is on this desk's headset */
      text = g_strdup_printf (_("%s is on the line (incoming call)"), details->debtor_name);
    }
  else
    text = g_strdup (_("An incoming caller is on the line; the number is not a debtor's"));
  toast = adw_toast_new (text);
  adw_toast_set_timeout (toast, 0);
  adw_toast_set_button_label (toast, _("_Hang Up"));
  g_signal_connect_object (toast, "button-clicked", G_CALLBACK (on_hang_up_clicked), self, 0);
  dd_window_add_toast (self, toast);
}

void
_dd_window_take_inbound (DdWindow *self)
{
  g_autoptr(GError) error = NULL;
  DdInboundRunner *runner;

  if (!dd_context_has_inbound_line (self->context))
    return;
  runner = dd_context_start_inbound (self->context, &error);
  if (runner == NULL)
    {
      /* Translators: %s is why (the line's account is disabled…) */
      g_autofree char *text = g_strdup_printf (_("Incoming calls are not taken: %s"),
                                               error->message);
      AdwToast *toast = adw_toast_new (text);

      g_message ("%s", text);
      adw_toast_set_timeout (toast, 0);
      dd_window_add_toast (self, toast);
      return;
    }
  g_signal_handlers_disconnect_by_data (runner, self);
  g_signal_connect_object (runner, "call-connected", G_CALLBACK (on_call_connected), self, 0);
}
