/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "dd-campaigns-view"

#include "config.h"

#include "dd-campaigns-view.h"
#include "dd-campaigns-view-private.h"

#include "dd-gateway-test.h"
#include "dd-question.h"

#include "dd-call-attempts.h"
#include "dd-campaign-store.h"
#include "dd-case-page-private.h"
#include "dd-outbox.h"
#include "dd-preferences-window.h"

#include <glib/gi18n.h>

#define REFRESH_SECONDS 2

struct _DdCampaignsView
{
  GtkWidget        parent_instance;

  DdContext       *context;
  DdCampaignStore *campaigns;
  DdOutbox        *outbox;
  DdCallAttempts  *attempts;
  GWeakRef         voice;       /* the DdVoiceCampaign whose ::counts-changed is connected */
  GPtrArray       *rows;        /* AdwActionRow, in list order */
  guint            refresh_id;

  gint64           paused_id;    /* the campaign the banner is about; 0: none */
  gboolean         paused_line;  /* paused because its phone line refused its login */

  AdwToastOverlay *toast_overlay;
  GtkStack        *stack;
  GtkListBox      *list_box;
  GtkRevealer     *pause_revealer;
  AdwActionRow    *pause_row;
};

G_DEFINE_FINAL_TYPE (DdCampaignsView, dd_campaigns_view, GTK_TYPE_WIDGET)

enum {
  NEW_CAMPAIGN_REQUESTED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
show_toast (DdCampaignsView *self,
            const char      *text)
{
  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (text));
}

/* "Sending · 1 234 of 10 000 messages sent · 1 100 delivered · 12 failed · 3 replies" */
static char *
describe (const DdCampaign     *campaign,
          const DdOutboxCounts *c,
          const char           *provider)
{
  g_autoptr(GString) text = g_string_new (dd_campaign_state_to_label (campaign->state));
  guint total = c->queued + c->sending + c->sent + c->delivered + c->failed + c->expired;
  /* sent means accepted by the provider: the failed ones are said apart, not counted here */
  guint done = c->sent + c->delivered;

  if (campaign->state == DD_CAMPAIGN_SCHEDULED && campaign->schedule_at != NULL)
    {
      g_autofree char *when = _dd_format_timestamp (campaign->schedule_at);

      g_string_truncate (text, 0);
      /* Translators: %s is a date and time */
      g_string_append_printf (text, _("Scheduled for %s"), when);
    }
  else if (campaign->state == DD_CAMPAIGN_PAUSED &&
           dd_campaign_reason_is_account (campaign->state_reason))
    {
      g_string_truncate (text, 0);
      /* Translators: a campaign paused by itself; %s says why, e.g. "The SMS provider refused
       * the token or password, or this computer’s address" */
      g_string_append_printf (text, _("Paused: %s"),
                              dd_campaign_reason_to_label (campaign->state_reason));
    }
  else if (campaign->state == DD_CAMPAIGN_RUNNING &&
           g_strcmp0 (campaign->state_reason, "started-late") == 0)
    {
      g_string_truncate (text, 0);
      g_string_append (text, _("Sending (started late: the app was closed at its time)"));
    }

  if (total == 0)
    return g_string_free (g_steal_pointer (&text), FALSE);

  g_string_append (text, " · ");
  /* Translators: progress of a campaign; the first %u is how many the provider accepted, the
   * second how many there are */
  g_string_append_printf (text, ngettext ("%u of %u message sent", "%u of %u messages sent",
                                          total),
                          done, total);
  if (c->delivered > 0)
    {
      g_string_append (text, " · ");
      g_string_append_printf (text, ngettext ("%u delivered", "%u delivered", c->delivered),
                              c->delivered);
    }
  if (c->failed + c->expired > 0)
    {
      g_string_append (text, " · ");
      g_string_append_printf (text, ngettext ("%u failed", "%u failed", c->failed + c->expired),
                              c->failed + c->expired);
    }
  if (c->deferred > 0)
    {
      g_string_append (text, " · ");
      /* Translators: messages held back by the contact policy (calling hours, limits) */
      g_string_append_printf (text, ngettext ("%u waiting for allowed hours",
                                              "%u waiting for allowed hours", c->deferred),
                              c->deferred);
    }
  if (c->replies > 0)
    {
      g_string_append (text, " · ");
      g_string_append_printf (text, ngettext ("%u reply", "%u replies", c->replies), c->replies);
    }
  if (c->waiting > 0)
    {
      g_string_append (text, "\n");
      /* Translators: messages that met only passing errors (the provider could not be
       * reached, failed on its side, timed out) until the retries were used up; first how
       * many, then the provider ("SMSAPI", or "the SMS provider") */
      g_string_append_printf (text, ngettext ("%1$u message could not be sent because %2$s was "
                                              "unreachable; it will be sent when %2$s answers "
                                              "again",
                                              "%1$u messages could not be sent because %2$s was "
                                              "unreachable; they will be sent when %2$s answers "
                                              "again", c->waiting),
                              c->waiting, provider);
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static void
on_state_button_clicked (GtkButton       *button,
                         DdCampaignsView *self)
{
  gint64 id = *(gint64 *) g_object_get_data (G_OBJECT (button), "dd-campaign-id");
  DdCampaignState state = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (button), "dd-state"));
  g_autoptr(GError) error = NULL;

  if (!_dd_campaigns_view_set_state (self, id, state, &error))
    show_toast (self, error->message);
}

static void
on_cancel_response (AdwMessageDialog *dialog,
                    const char       *response,
                    DdCampaignsView  *self)
{
  gint64 id = *(gint64 *) g_object_get_data (G_OBJECT (dialog), "dd-campaign-id");
  g_autoptr(GError) error = NULL;

  if (g_strcmp0 (response, "cancel-campaign") != 0)
    return;
  if (!_dd_campaigns_view_set_state (self, id, DD_CAMPAIGN_CANCELLED, &error))
    show_toast (self, error->message);
}

static void
on_cancel_clicked (GtkButton       *button,
                   DdCampaignsView *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  gint64 *id = g_object_get_data (G_OBJECT (button), "dd-campaign-id");
  GtkWidget *dialog;

  dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                   _("Cancel the Campaign?"),
                                   _("The messages not sent yet will not be sent. Messages "
                                     "already sent stay sent."));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "keep", _("_Keep Sending"),
                                    "cancel-campaign", _("_Cancel Campaign"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "cancel-campaign",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "keep");
  g_object_set_data_full (G_OBJECT (dialog), "dd-campaign-id", g_memdup2 (id, sizeof *id),
                          g_free);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_cancel_response), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static GtkWidget *
state_button (DdCampaignsView *self,
              gint64           campaign_id,
              const char      *icon_name,
              const char      *tooltip,
              DdCampaignState  state)
{
  GtkWidget *button = gtk_button_new_from_icon_name (icon_name);

  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (button, tooltip);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  tooltip, -1);
  gtk_widget_add_css_class (button, "flat");
  g_object_set_data_full (G_OBJECT (button), "dd-campaign-id",
                          g_memdup2 (&campaign_id, sizeof campaign_id), g_free);
  g_object_set_data (G_OBJECT (button), "dd-state", GUINT_TO_POINTER (state));
  if (state == DD_CAMPAIGN_CANCELLED)
    g_signal_connect_object (button, "clicked", G_CALLBACK (on_cancel_clicked), self, 0);
  else
    g_signal_connect_object (button, "clicked", G_CALLBACK (on_state_button_clicked), self, 0);
  return button;
}

/* "Calling · 3 of 10 numbers done · 5 answered · 2 not reached · 1 payment declaration" */
static char *
describe_voice (const DdCampaign   *campaign,
                const DdCallCounts *c)
{
  g_autoptr(GString) text = g_string_new (NULL);

  if (campaign->state == DD_CAMPAIGN_RUNNING)
    /* Translators: the state of a running voice campaign */
    g_string_append (text, _("Calling"));
  else if (campaign->state == DD_CAMPAIGN_SCHEDULED && campaign->schedule_at != NULL)
    {
      g_autofree char *when = _dd_format_timestamp (campaign->schedule_at);

      g_string_append_printf (text, _("Scheduled for %s"), when);
    }
  else if (campaign->state == DD_CAMPAIGN_PAUSED &&
           dd_campaign_reason_is_account (campaign->state_reason))
    /* Translators: a campaign paused by itself; %s says why, e.g. "The phone line refused
     * its user name or password" */
    g_string_append_printf (text, _("Paused: %s"),
                            dd_campaign_reason_to_label (campaign->state_reason));
  else
    g_string_append (text, dd_campaign_state_to_label (campaign->state));
  if (c->numbers == 0)
    return g_string_free (g_steal_pointer (&text), FALSE);

  g_string_append (text, " · ");
  /* Translators: progress of a voice campaign: numbers with no call left to make, of all */
  g_string_append_printf (text, ngettext ("%u of %u number done", "%u of %u numbers done",
                                          c->numbers),
                          c->numbers_done, c->numbers);
  if (c->dialing > 0)
    {
      g_string_append (text, " · ");
      g_string_append_printf (text, ngettext ("%u on the line", "%u on the line", c->dialing),
                              c->dialing);
    }
  g_string_append (text, " · ");
  /* Translators: calls of a voice campaign a person or machine answered */
  g_string_append_printf (text, ngettext ("%u answered", "%u answered", c->completed),
                          c->completed);
  g_string_append (text, " · ");
  g_string_append_printf (text, ngettext ("%u not reached", "%u not reached", c->not_reached),
                          c->not_reached);
  if (c->declared > 0)
    {
      g_string_append (text, " · ");
      g_string_append_printf (text, ngettext ("%u payment declaration",
                                              "%u payment declarations", c->declared),
                              c->declared);
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static void add_state_buttons (DdCampaignsView  *self,
                               const DdCampaign *campaign,
                               GtkWidget        *row);

static GtkWidget *
voice_campaign_row (DdCampaignsView  *self,
                    const DdCampaign *campaign,
                    GtkWidget        *row)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *subtitle = NULL;
  DdCallCounts counts = { 0 };

  if (!dd_call_attempts_get_counts (self->attempts, campaign->id, &counts, &error))
    g_warning ("Could not count the calls of campaign %" G_GINT64_FORMAT ": %s",
               campaign->id, error->message);
  subtitle = describe_voice (campaign, &counts);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  if (counts.numbers > 0)
    {
      GtkWidget *bar = gtk_progress_bar_new ();

      gtk_progress_bar_set_fraction (GTK_PROGRESS_BAR (bar),
                                     (double) counts.numbers_done / counts.numbers);
      gtk_widget_set_valign (bar, GTK_ALIGN_CENTER);
      gtk_widget_set_size_request (bar, 120, -1);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), bar);
    }
  return row;
}

/* The messages waiting for an unreachable provider are tried again now. */
static void
on_send_waiting_clicked (DdCampaignsView *self)
{
  dd_sending_send_waiting (dd_context_get_sending (self->context));
  show_toast (self, _("Sending the messages that waited for the SMS provider"));
  dd_campaigns_view_reload (self);
}

/* The failed messages the provider never took (passing errors only) go again. */
static void
on_send_again_clicked (GtkButton       *button,
                       DdCampaignsView *self)
{
  gint64 id = *(gint64 *) g_object_get_data (G_OBJECT (button), "dd-campaign-id");
  g_autoptr(GError) error = NULL;
  guint requeued = 0;

  if (!dd_outbox_send_failed_again (self->outbox, id, &requeued, &error))
    {
      show_toast (self, error->message);
      return;
    }
  dd_sending_send_waiting (dd_context_get_sending (self->context));
  show_toast (self, _("Sending the messages that waited for the SMS provider"));
  dd_campaigns_view_reload (self);
  dd_context_campaigns_changed (self->context);
}

static GtkWidget *
campaign_row (DdCampaignsView  *self,
              const DdCampaign *campaign)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *subtitle = NULL;
  DdOutboxCounts counts = { 0 };
  GtkWidget *row = adw_action_row_new ();
  guint total;

  if (g_strcmp0 (campaign->kind, "voice") == 0)
    {
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), campaign->name);
      adw_action_row_add_prefix (ADW_ACTION_ROW (row),
                                 gtk_image_new_from_icon_name ("call-outgoing-symbolic"));
      g_object_set_data_full (G_OBJECT (row), "dd-campaign-id",
                              g_memdup2 (&campaign->id, sizeof campaign->id), g_free);
      voice_campaign_row (self, campaign, row);
      add_state_buttons (self, campaign, row);
      return row;
    }
  if (!dd_outbox_get_counts (self->outbox, campaign->id, &counts, &error))
    g_warning ("Could not count the messages of campaign %" G_GINT64_FORMAT ": %s",
               campaign->id, error->message);
  total = counts.queued + counts.sending + counts.sent + counts.delivered + counts.failed +
          counts.expired;
  {
    DdSmsGateway *gateway = dd_context_get_sms_gateway (self->context);

    subtitle = describe (campaign, &counts,
                         gateway != NULL ? dd_sms_gateway_get_display_name (gateway)
                                         /* Translators: in "… because the SMS provider was
                                          * unreachable" */
                                         : _("the SMS provider"));
  }
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), campaign->name);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row),
                             gtk_image_new_from_icon_name (g_strcmp0 (campaign->kind, "voice") == 0
                                                           ? "call-outgoing-symbolic"
                                                           : "mail-send-symbolic"));
  g_object_set_data_full (G_OBJECT (row), "dd-campaign-id",
                          g_memdup2 (&campaign->id, sizeof campaign->id), g_free);

  if (total > 0)
    {
      GtkWidget *bar = gtk_progress_bar_new ();
      guint done = counts.sent + counts.delivered + counts.failed + counts.expired;

      gtk_progress_bar_set_fraction (GTK_PROGRESS_BAR (bar), (double) done / total);
      gtk_widget_set_valign (bar, GTK_ALIGN_CENTER);
      gtk_widget_set_size_request (bar, 120, -1);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), bar);
    }
  if (counts.waiting > 0 && campaign->state == DD_CAMPAIGN_RUNNING)
    {
      /* Translators: a button of a campaign's row: try the messages that waited for the
       * unreachable provider now; %u is how many */
      g_autofree char *label = g_strdup_printf (ngettext ("Send %u Now", "Send %u Now",
                                                          counts.waiting), counts.waiting);
      GtkWidget *button = gtk_button_new_with_label (label);

      gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
      gtk_widget_set_tooltip_text (button, _("Try the messages that waited for the SMS provider "
                                             "again now"));
      gtk_widget_set_name (button, "send_waiting_button");
      g_signal_connect_object (button, "clicked", G_CALLBACK (on_send_waiting_clicked), self,
                               G_CONNECT_SWAPPED);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
    }
  if (counts.failed_passing > 0 &&
      (campaign->state == DD_CAMPAIGN_RUNNING || campaign->state == DD_CAMPAIGN_COMPLETED))
    {
      /* Translators: a button of a campaign's row: send again the failed messages the provider
       * never took (it could not be reached); %u is how many */
      g_autofree char *label = g_strdup_printf (ngettext ("Send %u Again", "Send %u Again",
                                                          counts.failed_passing),
                                                counts.failed_passing);
      GtkWidget *button = gtk_button_new_with_label (label);

      gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
      gtk_widget_set_tooltip_text (button, _("Send again the failed messages the SMS provider "
                                             "never received because it could not be reached"));
      gtk_widget_set_name (button, "send_again_button");
      g_object_set_data_full (G_OBJECT (button), "dd-campaign-id",
                              g_memdup2 (&campaign->id, sizeof campaign->id), g_free);
      g_signal_connect_object (button, "clicked", G_CALLBACK (on_send_again_clicked), self, 0);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
    }
  add_state_buttons (self, campaign, row);
  return row;
}

static void
add_state_buttons (DdCampaignsView  *self,
                   const DdCampaign *campaign,
                   GtkWidget        *row)
{
  switch (campaign->state)
    {
    case DD_CAMPAIGN_RUNNING:
    case DD_CAMPAIGN_SCHEDULED:
      adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                                 state_button (self, campaign->id, "media-playback-pause-symbolic",
                                               _("Pause"), DD_CAMPAIGN_PAUSED));
      break;
    case DD_CAMPAIGN_PAUSED:
    case DD_CAMPAIGN_DRAFT:
      adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                                 state_button (self, campaign->id, "media-playback-start-symbolic",
                                               campaign->state == DD_CAMPAIGN_PAUSED
                                               ? _("Resume") : _("Start"),
                                               DD_CAMPAIGN_RUNNING));
      break;
    case DD_CAMPAIGN_COMPLETED:
    case DD_CAMPAIGN_CANCELLED:
    case DD_CAMPAIGN_N_STATES:
    default:
      break;
    }
  if (campaign->state != DD_CAMPAIGN_COMPLETED && campaign->state != DD_CAMPAIGN_CANCELLED)
    adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                               state_button (self, campaign->id, "process-stop-symbolic",
                                             _("Cancel Campaign…"), DD_CAMPAIGN_CANCELLED));
}

/* The runner's live counts: the campaign's row again. */
static void
on_voice_counts_changed (DdCampaignsView *self,
                         gint64           campaign_id)
{
  for (guint i = 0; i < self->rows->len; i++)
    {
      GtkWidget *row = g_ptr_array_index (self->rows, i);
      gint64 *id = g_object_get_data (G_OBJECT (row), "dd-campaign-id");
      g_autoptr(DdCampaign) campaign = NULL;
      g_autoptr(GError) error = NULL;
      g_autoptr(DdVoiceCampaign) runner = g_weak_ref_get (&self->voice);
      DdCallCounts counts = { 0 };

      if (id == NULL || *id != campaign_id)
        continue;
      campaign = dd_campaign_store_get (self->campaigns, campaign_id, &error);
      if (campaign == NULL || runner == NULL ||
          !dd_voice_campaign_get_counts (runner, campaign_id, &counts, &error))
        return;
      {
        g_autofree char *subtitle = describe_voice (campaign, &counts);

        adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      }
      return;
    }
}

/* Follows the runner's counts once the window made it. */
static void
connect_voice (DdCampaignsView *self)
{
  DdVoiceCampaign *runner = dd_context_peek_voice_campaign (self->context);
  g_autoptr(DdVoiceCampaign) connected = g_weak_ref_get (&self->voice);

  if (runner == NULL || runner == connected)
    return;
  g_weak_ref_set (&self->voice, runner);
  g_signal_connect_object (runner, "counts-changed", G_CALLBACK (on_voice_counts_changed), self,
                           G_CONNECT_SWAPPED);
}

static gboolean
on_refresh (gpointer user_data)
{
  dd_campaigns_view_reload (DD_CAMPAIGNS_VIEW (user_data));
  return G_SOURCE_CONTINUE;
}

/* The banner: the newest campaign the provider's refusal paused, why, and the way out. */
static void
update_pause_banner (DdCampaignsView *self,
                     GPtrArray       *campaigns)
{
  const DdCampaign *paused = NULL;
  g_autofree char *detail = NULL;
  g_autofree char *subtitle = NULL;
  g_autoptr(GError) error = NULL;

  for (guint i = 0; paused == NULL && i < campaigns->len; i++)
    {
      const DdCampaign *c = g_ptr_array_index (campaigns, i);

      if (c->state == DD_CAMPAIGN_PAUSED && dd_campaign_reason_is_account (c->state_reason))
        paused = c;
    }
  self->paused_id = paused != NULL ? paused->id : 0;
  self->paused_line = paused != NULL && g_strcmp0 (paused->state_reason, "sip-auth") == 0;
  gtk_revealer_set_reveal_child (self->pause_revealer, paused != NULL);
  if (paused == NULL)
    return;
  if (!dd_outbox_last_error (self->outbox, paused->id, paused->state_reason, &detail, &error))
    g_warning ("Could not read why campaign %" G_GINT64_FORMAT " paused: %s", paused->id,
               error->message);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->pause_row),
                                 dd_campaign_reason_to_label (paused->state_reason));
  subtitle = detail != NULL
             /* Translators: the banner of a paused campaign: its name, then the provider's
              * answer */
             ? g_strdup_printf (_("“%1$s” is paused. %2$s"), paused->name, detail)
             /* Translators: the banner of a paused campaign; %s is its name */
             : g_strdup_printf (_("“%s” is paused."), paused->name);
  adw_action_row_set_subtitle (self->pause_row, subtitle);
}

static void
on_fix_clicked (DdCampaignsView *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  DdPreferencesWindow *preferences;

  preferences = dd_preferences_window_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                           self->context);
  /* the SMS provider's settings, or the phone lines' for a voice campaign's line */
  adw_preferences_window_set_visible_page_name (ADW_PREFERENCES_WINDOW (preferences),
                                                self->paused_line ? "sip-accounts"
                                                                  : "sms-providers");
  gtk_window_present (GTK_WINDOW (preferences));
}

static void
on_resume_clicked (DdCampaignsView *self)
{
  g_autoptr(GError) error = NULL;

  if (self->paused_id != 0 &&
      !_dd_campaigns_view_set_state (self, self->paused_id, DD_CAMPAIGN_RUNNING, &error))
    show_toast (self, error->message);
}

static void
on_new_clicked (DdCampaignsView *self)
{
  g_signal_emit (self, signals[NEW_CAMPAIGN_REQUESTED], 0);
}

gboolean
_dd_campaigns_view_simulate_reply (DdCampaignsView  *self,
                                   const char       *e164,
                                   const char       *text,
                                   GError          **error)
{
  DdSmsGateway *gateway = dd_context_get_sms_gateway (self->context);

  if (!DD_IS_GATEWAY_TEST (gateway))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                           _("Replies can be simulated only while the test inbox is in use."));
      return FALSE;
    }
  dd_gateway_test_add_reply (DD_GATEWAY_TEST (gateway), e164, text);
  return TRUE;
}

static void
on_reply_response (AdwMessageDialog *dialog,
                   const char       *response,
                   DdCampaignsView  *self)
{
  GtkWidget *entry = adw_message_dialog_get_extra_child (dialog);
  const char *e164 = g_object_get_data (G_OBJECT (dialog), "dd-e164");
  g_autoptr(GError) error = NULL;

  if (g_strcmp0 (response, "send") != 0)
    return;
  if (!_dd_campaigns_view_simulate_reply (self, e164, gtk_editable_get_text (GTK_EDITABLE (entry)),
                                          &error))
    show_toast (self, error->message);
  else
    show_toast (self, _("The reply reaches its case with the next check of replies (within a "
                        "minute); STOP makes the debtor opted out"));
}

static void
on_reply_clicked (GtkButton       *button,
                  DdCampaignsView *self)
{
  GtkWidget *dialog = GTK_WIDGET (dd_question_new (GTK_WIDGET (button), _("Simulate a Reply"),
                                                   NULL, "send", _("_Send Reply"),
                                                   ADW_RESPONSE_SUGGESTED, TRUE));
  GtkWidget *entry = gtk_entry_new ();
  const char *e164 = g_object_get_data (G_OBJECT (button), "dd-e164");

  /* Translators: the body of the reply dialog; %s is the debtor's number */
  adw_message_dialog_format_body (ADW_MESSAGE_DIALOG (dialog),
                                  _("What the debtor at %s answers, as if from the phone."), e164);
  gtk_editable_set_text (GTK_EDITABLE (entry), "STOP");
  gtk_entry_set_activates_default (GTK_ENTRY (entry), TRUE);
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), entry);
  g_object_set_data_full (G_OBJECT (dialog), "dd-e164", g_strdup (e164), g_free);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_reply_response), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
on_inbox_clicked (DdCampaignsView *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  g_autoptr(GPtrArray) recent = NULL;
  g_autoptr(GError) error = NULL;
  GtkWidget *window = adw_window_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *scroller = gtk_scrolled_window_new ();
  GtkWidget *clamp = adw_clamp_new ();
  GtkWidget *list = gtk_list_box_new ();

  recent = dd_outbox_list_recent (self->outbox, "test", 200, &error);
  if (recent == NULL)
    {
      show_toast (self, error->message);
      gtk_window_destroy (GTK_WINDOW (window));
      return;
    }
  gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (list, "boxed-list");
  gtk_widget_set_margin_top (list, 12);
  gtk_widget_set_margin_bottom (list, 12);
  gtk_widget_set_valign (list, GTK_ALIGN_START);
  for (guint i = 0; i < recent->len; i++)
    {
      DdOutboxMessage *m = g_ptr_array_index (recent, i);
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), m->e164);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), m->body);
      adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 0);
      if (DD_IS_GATEWAY_TEST (dd_context_get_sms_gateway (self->context)))
        {
          GtkWidget *reply = gtk_button_new_with_mnemonic (_("_Reply…"));

          gtk_widget_set_valign (reply, GTK_ALIGN_CENTER);
          gtk_widget_set_tooltip_text (reply, _("Answer as the debtor would, to see replies and "
                                                "opt-outs arrive"));
          g_object_set_data_full (G_OBJECT (reply), "dd-e164", g_strdup (m->e164), g_free);
          g_signal_connect_object (reply, "clicked", G_CALLBACK (on_reply_clicked), self, 0);
          adw_action_row_add_suffix (ADW_ACTION_ROW (row), reply);
        }
      gtk_list_box_append (GTK_LIST_BOX (list), row);
    }
  if (recent->len == 0)
    {
      GtkWidget *empty = adw_status_page_new ();

      adw_status_page_set_icon_name (ADW_STATUS_PAGE (empty), "mail-send-symbolic");
      adw_status_page_set_title (ADW_STATUS_PAGE (empty), _("The Test Inbox Is Empty"));
      adw_status_page_set_description (ADW_STATUS_PAGE (empty),
                                       _("Messages of campaigns sent through the test provider "
                                         "appear here."));
      gtk_widget_set_vexpand (empty, TRUE);
      gtk_box_append (GTK_BOX (box), adw_header_bar_new ());
      gtk_box_append (GTK_BOX (box), empty);
    }
  else
    {
      adw_clamp_set_child (ADW_CLAMP (clamp), list);
      gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), clamp);
      gtk_widget_set_vexpand (scroller, TRUE);
      gtk_box_append (GTK_BOX (box), adw_header_bar_new ());
      gtk_box_append (GTK_BOX (box), scroller);
    }
  adw_window_set_content (ADW_WINDOW (window), box);
  gtk_window_set_title (GTK_WINDOW (window), _("Test Inbox"));
  gtk_window_set_default_size (GTK_WINDOW (window), 520, 600);
  gtk_window_set_modal (GTK_WINDOW (window), TRUE);
  if (GTK_IS_WINDOW (root))
    gtk_window_set_transient_for (GTK_WINDOW (window), GTK_WINDOW (root));
  gtk_window_present (GTK_WINDOW (window));
}

/* GtkWidget */

static void
dd_campaigns_view_map (GtkWidget *widget)
{
  DdCampaignsView *self = DD_CAMPAIGNS_VIEW (widget);

  GTK_WIDGET_CLASS (dd_campaigns_view_parent_class)->map (widget);
  dd_campaigns_view_reload (self);
  if (self->refresh_id == 0)
    self->refresh_id = g_timeout_add_seconds (REFRESH_SECONDS, on_refresh, self);
}

static void
dd_campaigns_view_unmap (GtkWidget *widget)
{
  DdCampaignsView *self = DD_CAMPAIGNS_VIEW (widget);

  g_clear_handle_id (&self->refresh_id, g_source_remove);
  GTK_WIDGET_CLASS (dd_campaigns_view_parent_class)->unmap (widget);
}

/* GObject */

static void
dd_campaigns_view_constructed (GObject *object)
{
  DdCampaignsView *self = DD_CAMPAIGNS_VIEW (object);
  DdDatabase *database = dd_context_get_database (self->context);

  G_OBJECT_CLASS (dd_campaigns_view_parent_class)->constructed (object);

  self->campaigns = dd_campaign_store_new (database);
  self->outbox = dd_outbox_new (database);
  self->attempts = dd_call_attempts_new (database);
  dd_campaigns_view_reload (self);
}

static void
dd_campaigns_view_dispose (GObject *object)
{
  DdCampaignsView *self = DD_CAMPAIGNS_VIEW (object);

  g_clear_handle_id (&self->refresh_id, g_source_remove);
  gtk_widget_dispose_template (GTK_WIDGET (self), DD_TYPE_CAMPAIGNS_VIEW);
  g_clear_pointer (&self->rows, g_ptr_array_unref);
  g_clear_object (&self->outbox);
  g_clear_object (&self->attempts);
  g_weak_ref_set (&self->voice, NULL);
  g_clear_object (&self->campaigns);
  g_clear_object (&self->context);

  G_OBJECT_CLASS (dd_campaigns_view_parent_class)->dispose (object);
}

static void
dd_campaigns_view_class_init (DdCampaignsViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = dd_campaigns_view_constructed;
  object_class->dispose = dd_campaigns_view_dispose;
  widget_class->map = dd_campaigns_view_map;
  widget_class->unmap = dd_campaigns_view_unmap;

  /**
   * DdCampaignsView:context:
   *
   * The services of the window it belongs to.
   */
  dd_context_install_property (object_class, G_STRUCT_OFFSET (DdCampaignsView, context), 0);

  /**
   * DdCampaignsView::new-campaign-requested:
   *
   * A New Campaign… button was clicked.
   */
  signals[NEW_CAMPAIGN_REQUESTED] =
    g_signal_new ("new-campaign-requested", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/dunningdesk/DunningDesk/dd-campaigns-view.ui");
  gtk_widget_class_bind_template_child (widget_class, DdCampaignsView, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, DdCampaignsView, stack);
  gtk_widget_class_bind_template_child (widget_class, DdCampaignsView, list_box);
  gtk_widget_class_bind_template_child (widget_class, DdCampaignsView, pause_revealer);
  gtk_widget_class_bind_template_child (widget_class, DdCampaignsView, pause_row);
  /* no field, but reachable with gtk_widget_get_template_child() */
  gtk_widget_class_bind_template_child_full (widget_class, "empty_page", FALSE, 0);
  gtk_widget_class_bind_template_child_full (widget_class, "inbox_button", FALSE, 0);
  gtk_widget_class_bind_template_child_full (widget_class, "fix_button", FALSE, 0);
  gtk_widget_class_bind_template_child_full (widget_class, "resume_button", FALSE, 0);
  gtk_widget_class_bind_template_callback (widget_class, on_new_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_inbox_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_fix_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_resume_clicked);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
dd_campaigns_view_init (DdCampaignsView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->rows = g_ptr_array_new ();
  g_weak_ref_init (&self->voice, NULL);
}

GtkWidget *
dd_campaigns_view_new (DdContext *context)
{
  g_return_val_if_fail (DD_IS_CONTEXT (context), NULL);

  return g_object_new (DD_TYPE_CAMPAIGNS_VIEW, "context", context, NULL);
}

void
dd_campaigns_view_reload (DdCampaignsView *self)
{
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(GError) error = NULL;
  GtkWidget *child;

  g_return_if_fail (DD_IS_CAMPAIGNS_VIEW (self));

  list = dd_campaign_store_list (self->campaigns, &error);
  if (list == NULL)
    {
      show_toast (self, error->message);
      return;
    }

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->list_box))) != NULL)
    gtk_list_box_remove (self->list_box, child);
  g_ptr_array_set_size (self->rows, 0);
  for (guint i = 0; i < list->len; i++)
    {
      GtkWidget *row = campaign_row (self, g_ptr_array_index (list, i));

      gtk_list_box_append (self->list_box, row);
      g_ptr_array_add (self->rows, row);
    }
  update_pause_banner (self, list);
  connect_voice (self);
  gtk_stack_set_visible_child_name (self->stack, list->len > 0 ? "list" : "empty");
}

GPtrArray *
_dd_campaigns_view_get_rows (DdCampaignsView *self)
{
  return self->rows;
}

AdwActionRow *
_dd_campaigns_view_get_pause_banner (DdCampaignsView *self)
{
  return gtk_revealer_get_reveal_child (self->pause_revealer) ? self->pause_row : NULL;
}

gboolean
_dd_campaigns_view_set_state (DdCampaignsView  *self,
                              gint64            campaign_id,
                              DdCampaignState   state,
                              GError          **error)
{
  const char *reason = state == DD_CAMPAIGN_PAUSED ? "user" : NULL;

  if (!dd_campaign_store_set_state (self->campaigns, campaign_id, state, reason,
                                    dd_context_get_agent_id (self->context), error))
    return FALSE;
  /* resumed: what waited for an unreachable provider is tried again too */
  if (state == DD_CAMPAIGN_RUNNING)
    dd_sending_send_waiting (dd_context_get_sending (self->context));
  dd_campaigns_view_reload (self);
  dd_context_campaigns_changed (self->context);
  return TRUE;
}
