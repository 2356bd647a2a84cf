/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "dd-window"

#include "config.h"

#include "dd-window-private.h"

#include "dd-cases-view.h"
#include "dd-headset.h"

#include <glib/gi18n-lib.h>

/*
 * "Talk to a consultant" at this desk: the transfer function of the window's voice campaigns.
 * A debtor who asks a call flow for a consultant rings here — the window comes forward on the
 * debtor's case and asks to answer. Answered, the call goes to the desk's headset and the flow
 * lets go of it; declined, not answered within transfer-ring-seconds, or while the desk is on
 * another call, the debtor hears the flow's message and the case gets a callback request.
 */

#define DEFAULT_RING_SECONDS 20

struct _DdWindowTransfer
{
  DdWindow         *window;    /* unowned: it owns this */
  DdVoiceCampaign  *runner;    /* unowned: the window's context owns it */
  DdCall           *call;      /* ringing here, or NULL */
  char             *debtor;    /* the name of who rings */
  AdwMessageDialog *dialog;
  guint             timeout;
};

static void
ring_end (DdWindowTransfer *t,
          gboolean          answered)
{
  g_autoptr(DdCall) call = g_steal_pointer (&t->call);

  g_clear_handle_id (&t->timeout, g_source_remove);
  if (t->dialog != NULL)
    {
      AdwMessageDialog *dialog = g_steal_pointer (&t->dialog);

      g_signal_handlers_disconnect_by_data (dialog, t);
      gtk_window_destroy (GTK_WINDOW (dialog));
    }
  if (call == NULL)
    return;
  g_signal_handlers_disconnect_by_data (call, t);
  dd_voice_campaign_transfer_done (t->runner, call, answered);
}

static void
on_hang_up_clicked (AdwToast  *toast,
                    DdHeadset *headset)
{
  dd_headset_hang_up (headset);
}

/* The desk takes the call: to the headset, then the flow lets go of it. */
static void
answer (DdWindowTransfer *t)
{
  DdWindow *self = t->window;
  g_autoptr(GError) error = NULL;
  DdHeadset *headset = dd_context_get_headset (self->context, &error);
  g_autofree char *text = NULL;
  AdwToast *toast;

  if (headset == NULL || !dd_headset_take_call (headset, t->call, &error))
    {
      /* Translators: %s: why (the sound card's error) */
      text = g_strdup_printf (_("The call cannot go to the headset: %s"), error->message);
      _dd_window_show_toast (self, text);
      ring_end (t, FALSE);
      return;
    }
  /* Translators: %s: the debtor's name; the consultant talks with them through the headset */
  text = g_strdup_printf (_("On the line with %s"), t->debtor);
  toast = adw_toast_new (text);
  adw_toast_set_timeout (toast, 0);
  adw_toast_set_button_label (toast, _("_Hang Up"));
  g_signal_connect_object (toast, "button-clicked", G_CALLBACK (on_hang_up_clicked), headset, 0);
  dd_window_add_toast (self, toast);
  ring_end (t, TRUE);
}

static void
on_dialog_response (AdwMessageDialog *dialog,
                    const char       *response,
                    DdWindowTransfer *t)
{
  /* it closes itself */
  g_signal_handlers_disconnect_by_data (dialog, t);
  t->dialog = NULL;
  if (g_strcmp0 (response, "answer") == 0)
    answer (t);
  else
    ring_end (t, FALSE);
}

static gboolean
on_ring_timeout (gpointer user_data)
{
  DdWindowTransfer *t = user_data;

  t->timeout = 0;
  ring_end (t, FALSE);
  return G_SOURCE_REMOVE;
}

/* The debtor hung up while it rang. */
static void
on_call_ended (DdCall           *call,
               DdWindowTransfer *t)
{
  ring_end (t, FALSE);
}

static void
on_transfer (DdVoiceCampaign     *runner,
             DdCall              *call,
             const DdCallAttempt *attempt,
             const char          *queue,
             gpointer             user_data)
{
  DdWindowTransfer *t = user_data;
  DdWindow *self = t->window;
  DdHeadset *headset = dd_context_get_headset (self->context, NULL);
  g_autoptr(DdCaseDetails) details = NULL;
  g_autofree char *body = NULL;
  guint seconds = DEFAULT_RING_SECONDS;

  /* one debtor at a time: the desk is taken */
  if (t->call != NULL || (headset != NULL && dd_headset_get_call (headset) != NULL))
    {
      dd_voice_campaign_transfer_done (runner, call, FALSE);
      return;
    }
  t->call = g_object_ref (call);
  g_signal_connect (call, "ended", G_CALLBACK (on_call_ended), t);
  if (attempt->case_id > 0)
    details = dd_case_store_get_details (self->case_store, attempt->case_id, NULL);
  g_free (t->debtor);
  t->debtor = g_strdup (details != NULL && details->debtor_name != NULL ? details->debtor_name
                                                                         : attempt->e164);

  /* the window comes forward on the debtor's case */
  gtk_widget_set_visible (GTK_WIDGET (self), TRUE);
  gtk_window_present (GTK_WINDOW (self));
  gtk_list_box_select_row (self->sidebar_list, self->cases_row);
  if (details != NULL && DD_IS_CASES_VIEW (self->cases_view))
    dd_cases_view_open_case (DD_CASES_VIEW (self->cases_view), attempt->case_id);

  if (self->settings != NULL)
    seconds = g_settings_get_uint (self->settings, "transfer-ring-seconds");
  /* Translators: %1$s: the debtor's name, %2$s: their phone number */
  body = g_strdup_printf (_("%1$s (%2$s) asked a voice campaign's call to talk to a "
                            "consultant. The case is open. Put on the headset to answer."),
                          t->debtor, attempt->e164);
  t->dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (self),
                                                          _("A Debtor Asks for a Consultant"),
                                                          body));
  adw_message_dialog_add_responses (t->dialog, "decline", _("_Not Now"),
                                    "answer", _("_Answer"), NULL);
  adw_message_dialog_set_response_appearance (t->dialog, "answer", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (t->dialog, "answer");
  adw_message_dialog_set_close_response (t->dialog, "decline");
  g_signal_connect (t->dialog, "response", G_CALLBACK (on_dialog_response), t);
  gtk_window_present (GTK_WINDOW (t->dialog));
  t->timeout = g_timeout_add_seconds (seconds, on_ring_timeout, t);
}

void
_dd_window_take_transfers (DdWindow        *self,
                           DdVoiceCampaign *runner)
{
  g_return_if_fail (DD_IS_WINDOW (self));
  g_return_if_fail (DD_IS_VOICE_CAMPAIGN (runner));

  _dd_window_drop_transfers (self);
  self->transfer = g_new0 (DdWindowTransfer, 1);
  self->transfer->window = self;
  self->transfer->runner = runner;
  dd_voice_campaign_set_transfer_func (runner, on_transfer, self->transfer, NULL);
}

void
_dd_window_drop_transfers (DdWindow *self)
{
  DdWindowTransfer *t = self->transfer;

  if (t == NULL)
    return;
  ring_end (t, FALSE);
  dd_voice_campaign_set_transfer_func (t->runner, NULL, NULL, NULL);
  g_free (t->debtor);
  g_clear_pointer (&self->transfer, g_free);
}

GtkWindow *
_dd_window_get_transfer_dialog (DdWindow *self)
{
  g_return_val_if_fail (DD_IS_WINDOW (self), NULL);

  return self->transfer != NULL && self->transfer->dialog != NULL
         ? GTK_WINDOW (self->transfer->dialog) : NULL;
}
