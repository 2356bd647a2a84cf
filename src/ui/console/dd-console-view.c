/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "dd-console-view"

#include "config.h"

#include "dd-console-view.h"

#include "dd-agent-state-store.h"
#include "dd-call-attempts.h"
#include "dd-case-page.h"
#include "dd-case-store.h"
#include "dd-dialer-settings.h"
#include "dd-dialer-store.h"
#include "dd-inbound-store.h"
#include "dd-inline-error.h"
#include "dd-ladder-store.h"
#include "dd-money.h"
#include "dd-wrap-up.h"

#include <glib/gi18n.h>

struct _DdConsoleView
{
  AdwBin             parent_instance;

  DdContext         *context;
  DdAgentStateStore *states;
  DdCaseStore       *cases;
  DdLadderStore     *ladder;
  DdInboundStore    *inbound;
  char              *missed_key;           /* the missed list shown: its open entries' ids */
  DdDialer          *dialer;
  GtkWidget         *case_page;
  gint64             case_id;
  gint64             campaign_id;
  gint64             dialing_campaign_id;  /* the campaign this view started dialing, 0: none */
  GArray            *campaign_ids;         /* of the campaign dropdown's items */
  GPtrArray         *preview_numbers;      /* preview mode: DdDialerNumber still to show */
  DdDialerNumber    *preview_number;       /* preview mode: the case on the card, not called */
  gboolean           previewing;           /* the card shows a case waiting for Call or Skip */
  guint              timer_id;

  /* template children */
  AdwToastOverlay   *toasts;
  GtkLabel          *state_label;
  GtkButton         *ready_button;
  GtkDropDown       *reason_dropdown;
  GtkButton         *pause_button;
  GtkLabel          *figures_label;
  GtkDropDown       *campaign_dropdown;
  GtkButton         *dial_button;
  GtkStack          *card_stack;
  GtkWidget         *preview_bar;
  GtkLabel          *preview_label;
  GtkButton         *call_button;
  GtkButton         *skip_button;
  AdwBin            *case_bin;
  GtkLabel          *script_label;
  GtkButton         *hang_up_button;
  GtkLabel          *countdown_label;
  GtkProgressBar    *countdown_bar;
  GtkGrid           *outcome_grid;
  GtkEntry          *promise_date_entry;
  GtkEntry          *promise_amount_entry;
  GtkEntry          *call_back_entry;
  GtkLabel          *error_label;
  GtkLabel          *callbacks_label;
  AdwPreferencesGroup *missed_group;
  GtkListBox        *missed_list;
  GtkWidget         *outcome_buttons[DD_WRAP_UP_N_OUTCOMES];
};

G_DEFINE_FINAL_TYPE (DdConsoleView, dd_console_view, ADW_TYPE_BIN)

static void
show_error (DdConsoleView *self,
            const char    *message)
{
  dd_show_message (self->error_label, message);
}

static void
toast (DdConsoleView *self,
       const char    *message)
{
  adw_toast_overlay_add_toast (self->toasts, adw_toast_new (message));
}

static gint64
agent_id (DdConsoleView *self)
{
  return dd_context_get_agent_id (self->context);
}

static char *
default_script (DdConsoleView *self,
                gint64         case_id)
{
  DdDatabase *db = dd_context_get_database (self->context);
  g_autofree char *name = NULL;
  g_autofree char *currency = NULL;
  g_autofree char *amount = NULL;
  gint64 balance = 0;
  const char *agent = dd_context_get_agent_name (self->context);

  dd_database_fetch_text (db, &name, NULL,
                          "SELECT d.name FROM debt_case c JOIN debtor d ON d.id = c.debtor_id"
                          " WHERE c.id = ?", DD_INT (case_id), DD_END);
  dd_database_fetch_text (db, &currency, NULL, "SELECT currency FROM debt_case WHERE id = ?",
                          DD_INT (case_id), DD_END);
  dd_database_fetch_int64 (db, &balance, NULL, NULL,
                           "SELECT balance_minor FROM debt_case WHERE id = ?",
                           DD_INT (case_id), DD_END);
  amount = dd_money_format (balance, currency != NULL ? currency : "PLN", NULL);
  /* Translators: the consultant's script on a call; the debtor's name, the consultant's
   * name, the amount owed */
  return g_strdup_printf (_("Good morning, am I speaking with %s? My name is %s. I am calling "
                            "about the overdue balance of %s. Can we agree today on when it "
                            "will be paid?\n\nListen, confirm the date and amount, and record "
                            "the outcome below."),
                          name != NULL ? name : "…", agent != NULL ? agent : "…", amount);
}

static void
show_script (DdConsoleView *self)
{
  g_autofree char *script = NULL;

  if (self->case_id == 0)
    {
      gtk_label_set_label (self->script_label,
                           _("The campaign’s script shows here during a call."));
      return;
    }
  if (self->campaign_id > 0)
    dd_database_fetch_text (dd_context_get_database (self->context), &script, NULL,
                            "SELECT agent_script FROM campaign WHERE id = ?",
                            DD_INT (self->campaign_id), DD_END);
  if (script == NULL || *script == '\0')
    {
      g_free (script);
      script = default_script (self, self->case_id);
    }
  gtk_label_set_label (self->script_label, script);
}

static void
show_callbacks (DdConsoleView *self)
{
  g_autoptr(GPtrArray) callbacks = NULL;
  g_autofree char *text = NULL;

  if (agent_id (self) == 0)
    return;
  callbacks = dd_callbacks_list (dd_context_get_database (self->context), agent_id (self), NULL,
                                 NULL);
  if (callbacks == NULL || callbacks->len == 0)
    {
      gtk_label_set_label (self->callbacks_label, "");
      return;
    }
  /* Translators: %s is the time of the next callback */
  text = g_strdup_printf (g_dngettext (NULL, "%u callback of yours is waiting; the next at %s.",
                                       "%u callbacks of yours are waiting; the next at %s.",
                                       callbacks->len),
                          callbacks->len, ((DdCallback *) callbacks->pdata[0])->due_at);
  gtk_label_set_label (self->callbacks_label, text);
}

static void
show_figures (DdConsoleView *self)
{
  g_autofree char *text = NULL;
  DdDialerCounts counts;

  if (self->dialer == NULL)
    {
      gtk_label_set_label (self->figures_label, _("No dialer campaign running"));
      return;
    }
  dd_dialer_get_counts (self->dialer, &counts);
  /* Translators: the dialer's figures, live: dial level, abandoned calls, calls ringing */
  text = g_strdup_printf (_("Dial level %.2f · abandoned %.1f %% · %u ringing · %u left"),
                          dd_dialer_get_dial_level (self->dialer),
                          100 * dd_dialer_get_abandon_rate (self->dialer), counts.ringing,
                          counts.left);
  if (counts.machines > 0)
    {
      char *with_machines;

      /* Translators: the dialer's figures, then the calls answering machines took (counted
       * apart from the abandoned ones) */
      with_machines = g_strdup_printf (_("%s · answering machines: %u"), text, counts.machines);
      g_free (text);
      text = with_machines;
    }
  gtk_label_set_label (self->figures_label, text);
}

static void show_next_preview (DdConsoleView *self);
static void show_missed (DdConsoleView *self);

void
dd_console_view_refresh (DdConsoleView *self)
{
  g_autoptr(DdAgentStatus) status = NULL;
  g_autofree char *label = NULL;
  gint64 now;
  gboolean wrap_up;

  g_return_if_fail (DD_IS_CONSOLE_VIEW (self));

  if (agent_id (self) == 0)
    {
      gtk_label_set_label (self->state_label, _("Choose who you are first"));
      return;
    }
  if (self->dialer == NULL)
    dd_agent_state_store_expire (self->states, NULL, NULL);
  status = dd_agent_state_store_get (self->states, agent_id (self), NULL);
  if (status == NULL)
    return;
  now = dd_agent_state_store_now (self->states);
  if (status->state == DD_AGENT_STATE_PAUSED)
    /* Translators: "Paused: Lunch" */
    label = g_strdup_printf (C_("agent state", "Paused: %s"), status->reason);
  else
    label = g_strdup (dd_agent_state_to_label (status->state));
  gtk_label_set_label (self->state_label, label);

  gtk_widget_set_sensitive (GTK_WIDGET (self->ready_button),
                            status->state != DD_AGENT_STATE_READY
                            && status->state != DD_AGENT_STATE_ON_CALL);
  gtk_widget_set_sensitive (GTK_WIDGET (self->pause_button),
                            status->state != DD_AGENT_STATE_ON_CALL);
  gtk_widget_set_sensitive (GTK_WIDGET (self->hang_up_button),
                            status->state == DD_AGENT_STATE_ON_CALL && self->dialer != NULL);

  wrap_up = status->state == DD_AGENT_STATE_WRAP_UP;
  gtk_widget_set_visible (GTK_WIDGET (self->countdown_bar), wrap_up);
  if (wrap_up)
    {
      gint64 left = MAX (0, status->wrap_up_until - now);
      gint64 length = MAX (1, status->wrap_up_until - status->since);
      g_autofree char *text = NULL;

      /* Translators: the wrap-up's countdown */
      text = g_strdup_printf (g_dngettext (NULL, "Wrap-up: %u second left to record the outcome",
                                           "Wrap-up: %u seconds left to record the outcome",
                                           (guint) left), (guint) left);
      gtk_label_set_label (self->countdown_label, text);
      gtk_progress_bar_set_fraction (self->countdown_bar, (double) left / length);
    }
  else if (status->state == DD_AGENT_STATE_ON_CALL)
    gtk_label_set_label (self->countdown_label, _("On the call: record the outcome now or "
                                                  "during the wrap-up."));
  else
    gtk_label_set_label (self->countdown_label, _("No call to record."));

  for (guint i = 0; i < DD_WRAP_UP_N_OUTCOMES; i++)
    gtk_widget_set_sensitive (self->outcome_buttons[i], self->case_id > 0 && !self->previewing);
  gtk_widget_set_sensitive (GTK_WIDGET (self->call_button),
                            self->previewing && status->state == DD_AGENT_STATE_READY);
  gtk_widget_set_sensitive (GTK_WIDGET (self->skip_button), self->previewing);
  /* Preview: once the consultant is ready again after a call, the next case */
  if (self->preview_numbers != NULL && !self->previewing
      && status->state == DD_AGENT_STATE_READY
      && (self->dialer == NULL || dd_dialer_get_call (self->dialer, agent_id (self)) == NULL))
    show_next_preview (self);
  show_figures (self);
  show_callbacks (self);
  show_missed (self);
}

static gboolean
on_timer (gpointer user_data)
{
  dd_console_view_refresh (user_data);
  return G_SOURCE_CONTINUE;
}

static void
on_ready_clicked (DdConsoleView *self)
{
  g_autoptr(GError) error = NULL;

  if (!dd_agent_state_store_set_ready (self->states, agent_id (self), &error))
    toast (self, error->message);
  dd_console_view_refresh (self);
}

static void
on_pause_clicked (DdConsoleView *self)
{
  g_autoptr(GError) error = NULL;
  GObject *item = gtk_drop_down_get_selected_item (self->reason_dropdown);
  const char *reason = item != NULL ? gtk_string_object_get_string (GTK_STRING_OBJECT (item)) : NULL;

  if (!dd_agent_state_store_pause (self->states, agent_id (self), reason, &error))
    toast (self, error->message);
  dd_console_view_refresh (self);
}

static void
on_hang_up_clicked (DdConsoleView *self)
{
  if (self->dialer != NULL)
    dd_dialer_hang_up (self->dialer, agent_id (self));
}

static void
on_settings_clicked (DdConsoleView *self)
{
  GtkWidget *settings = dd_dialer_settings_new (self->context);
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  if (GTK_IS_WINDOW (root))
    gtk_window_set_transient_for (GTK_WINDOW (settings), GTK_WINDOW (root));
  gtk_window_set_modal (GTK_WINDOW (settings), TRUE);
  gtk_window_present (GTK_WINDOW (settings));
}

/* "YYYY-MM-DD HH:MM" in the office's local time → UTC ISO 8601 */
static char *
parse_call_back (const char *text)
{
  g_autoptr(GDateTime) local = NULL;
  g_autoptr(GDateTime) utc = NULL;
  int y, mo, d, h, mi;

  if (text == NULL || sscanf (text, "%d-%d-%d %d:%d", &y, &mo, &d, &h, &mi) != 5)
    return NULL;
  local = g_date_time_new_local (y, mo, d, h, mi, 0);
  if (local == NULL)
    return NULL;
  utc = g_date_time_to_utc (local);
  return g_date_time_format (utc, "%Y-%m-%dT%H:%M:%SZ");
}

gboolean
dd_console_view_choose_outcome (DdConsoleView *self,
                                guint          outcome)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *call_back_at = NULL;
  g_autofree char *message = NULL;
  DdWrapUp wrap_up = { 0 };
  char currency[4] = "";
  gint64 amount = 0;

  g_return_val_if_fail (DD_IS_CONSOLE_VIEW (self), FALSE);
  g_return_val_if_fail (outcome < DD_WRAP_UP_N_OUTCOMES, FALSE);

  if (self->case_id == 0)
    return FALSE;
  wrap_up.outcome = outcome;
  if (outcome == DD_WRAP_UP_PROMISE)
    {
      g_autofree char *case_currency = NULL;

      dd_database_fetch_text (dd_context_get_database (self->context), &case_currency, NULL,
                              "SELECT currency FROM debt_case WHERE id = ?",
                              DD_INT (self->case_id), DD_END);
      if (!dd_money_parse (gtk_editable_get_text (GTK_EDITABLE (self->promise_amount_entry)),
                           case_currency, &amount, currency, NULL, &error) || amount <= 0)
        {
          show_error (self, _("Enter the promised amount, such as 250.00."));
          gtk_widget_grab_focus (GTK_WIDGET (self->promise_amount_entry));
          return FALSE;
        }
      wrap_up.amount_minor = amount;
      wrap_up.currency = currency[0] != '\0' ? currency : NULL;
      wrap_up.promised_on = gtk_editable_get_text (GTK_EDITABLE (self->promise_date_entry));
    }
  else if (outcome == DD_WRAP_UP_CALL_BACK)
    {
      call_back_at = parse_call_back (gtk_editable_get_text (GTK_EDITABLE (self->call_back_entry)));
      if (call_back_at == NULL)
        {
          show_error (self, _("Enter when to call back, such as 2026-12-08 10:30."));
          gtk_widget_grab_focus (GTK_WIDGET (self->call_back_entry));
          return FALSE;
        }
      wrap_up.call_back_at = call_back_at;
    }

  if (!dd_wrap_up_apply (self->cases, self->ladder, agent_id (self), self->case_id, &wrap_up,
                         &error))
    {
      show_error (self, error->message);
      return FALSE;
    }
  show_error (self, NULL);
  /* Translators: %s is an outcome such as "Promise to pay" */
  message = g_strdup_printf (_("Recorded: %s"), dd_wrap_up_outcome_to_label (outcome));
  toast (self, message);
  dd_context_cases_changed (self->context);
  if (DD_IS_CASE_PAGE (self->case_page))
    dd_case_page_refresh (DD_CASE_PAGE (self->case_page));

  /* Recorded during the wrap-up: ready for the next call at once */
  {
    g_autoptr(DdAgentStatus) status = dd_agent_state_store_get (self->states, agent_id (self),
                                                                NULL);

    if (status != NULL && status->state == DD_AGENT_STATE_WRAP_UP)
      {
        dd_agent_state_store_set_ready (self->states, agent_id (self), NULL);
        self->case_id = 0;
        gtk_stack_set_visible_child_name (self->card_stack, "waiting");
        show_script (self);
      }
  }
  gtk_editable_set_text (GTK_EDITABLE (self->promise_amount_entry), "");
  gtk_editable_set_text (GTK_EDITABLE (self->call_back_entry), "");
  dd_console_view_refresh (self);
  return TRUE;
}

static void
on_outcome_clicked (GtkButton     *button,
                    DdConsoleView *self)
{
  dd_console_view_choose_outcome (self, GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (button),
                                                                             "outcome")));
}

void
dd_console_view_open_call (DdConsoleView *self,
                           gint64         case_id,
                           gint64         campaign_id)
{
  g_return_if_fail (DD_IS_CONSOLE_VIEW (self));

  self->case_id = case_id;
  self->campaign_id = campaign_id;
  if (self->case_page == NULL)
    {
      self->case_page = dd_case_page_new (self->context);
      adw_bin_set_child (self->case_bin, self->case_page);
    }
  dd_case_page_set_case_id (DD_CASE_PAGE (self->case_page), case_id);
  gtk_stack_set_visible_child_name (self->card_stack, "case");
  self->previewing = FALSE;
  gtk_widget_set_visible (self->preview_bar, FALSE);
  show_script (self);
  show_error (self, NULL);
  dd_console_view_refresh (self);
}

void
dd_console_view_end_call (DdConsoleView *self)
{
  g_autoptr(DdAgentStatus) status = NULL;
  GSettings *settings;

  g_return_if_fail (DD_IS_CONSOLE_VIEW (self));

  status = dd_agent_state_store_get (self->states, agent_id (self), NULL);
  settings = dd_context_get_settings (self->context);
  /* Without a dialer (or before it noticed), the view starts the wrap-up itself */
  if (status != NULL && status->state == DD_AGENT_STATE_ON_CALL)
    dd_agent_state_store_wrap_up (self->states, agent_id (self),
                                  settings != NULL ? g_settings_get_uint (settings,
                                                                          "wrap-up-seconds")
                                                   : 0,
                                  NULL);
  dd_console_view_refresh (self);
}

static void
on_call_connected (DdConsoleView *self,
                   gint64         agent,
                   gint64         case_id,
                   DdDialer      *dialer)
{
  if (agent == agent_id (self))
    dd_console_view_open_call (self, case_id, self->dialing_campaign_id);
}

static void
on_call_ended (DdConsoleView *self,
               gint64         agent,
               gint64         case_id,
               DdDialer      *dialer)
{
  /* a call a consultant took: the campaign's planned attempt of the case is done (the others
   * stay planned for the next Start Dialing; the dialer rests abandoned numbers itself) */
  if (agent != 0 && self->dialing_campaign_id != 0)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *now = dd_call_attempts_format_time (g_get_real_time () / G_USEC_PER_SEC);

      if (!dd_database_execute (dd_context_get_database (self->context), &error,
                                  "UPDATE call_attempt SET state = 'completed', ended_at = ?"
                                  " WHERE campaign_id = ? AND case_id = ? AND state = 'scheduled'",
                                  DD_TEXT (now), DD_INT (self->dialing_campaign_id),
                                  DD_INT (case_id), DD_END))
        g_warning ("Cannot record the call of case %" G_GINT64_FORMAT ": %s", case_id,
                   error->message);
    }
  if (agent == agent_id (self))
    dd_console_view_end_call (self);
}

void
dd_console_view_set_dialer (DdConsoleView *self,
                            DdDialer      *dialer)
{
  g_return_if_fail (DD_IS_CONSOLE_VIEW (self));

  if (self->dialer != NULL)
    g_signal_handlers_disconnect_by_data (self->dialer, self);
  g_set_object (&self->dialer, dialer);
  if (dialer != NULL)
    {
      g_signal_connect_swapped (dialer, "call-connected", G_CALLBACK (on_call_connected), self);
      g_signal_connect_swapped (dialer, "call-ended", G_CALLBACK (on_call_ended), self);
      g_signal_connect_swapped (dialer, "figures-changed", G_CALLBACK (show_figures), self);
    }
  dd_console_view_refresh (self);
}

static void
add_campaign (DdStatement *stmt,
              gpointer     user_data)
{
  DdConsoleView *self = user_data;
  GtkStringList *names = GTK_STRING_LIST (gtk_drop_down_get_model (self->campaign_dropdown));
  gint64 id = dd_statement_get_int64 (stmt, 0);
  g_autofree char *label = NULL;

  /* Translators: a voice campaign to dial and how many numbers it has left */
  label = g_strdup_printf (g_dngettext (NULL, "%s (%u number)", "%s (%u numbers)",
                                        (gulong) dd_statement_get_int64 (stmt, 2)),
                           dd_statement_get_text (stmt, 1),
                           (guint) dd_statement_get_int64 (stmt, 2));
  gtk_string_list_append (names, label);
  g_array_append_val (self->campaign_ids, id);
}

/* The voice campaigns with numbers still to call (their planned call attempts). */
static void
load_campaigns (DdConsoleView *self)
{
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);
  g_autoptr(GError) error = NULL;

  g_array_set_size (self->campaign_ids, 0);
  gtk_drop_down_set_model (self->campaign_dropdown, G_LIST_MODEL (names));
  if (!dd_database_query_each (dd_context_get_database (self->context), add_campaign, self,
                               &error,
                               "SELECT c.id, c.name, COUNT(DISTINCT a.case_id) FROM campaign c"
                               " JOIN call_attempt a ON a.campaign_id = c.id"
                               " JOIN debt_case k ON k.id = a.case_id"
                               " WHERE c.kind = 'voice' AND a.state = 'scheduled'"
                               " AND a.phone_id IS NOT NULL"
                               " AND k.status <> 'closed' AND k.balance_minor > 0"
                               " GROUP BY c.id, c.name ORDER BY c.id DESC", DD_END))
    g_warning ("Cannot read the voice campaigns: %s", error->message);
  gtk_widget_set_sensitive (GTK_WIDGET (self->campaign_dropdown), self->campaign_ids->len > 0);
}

static void
show_dialing (DdConsoleView *self)
{
  gboolean dialing = self->dialing_campaign_id != 0;

  gtk_button_set_label (self->dial_button, dialing ? _("Stop _Dialing") : _("Start _Dialing"));
  gtk_widget_set_sensitive (GTK_WIDGET (self->dial_button),
                            dialing || self->campaign_ids->len > 0);
  gtk_widget_set_sensitive (GTK_WIDGET (self->campaign_dropdown),
                            !dialing && self->campaign_ids->len > 0);
}

static void
add_number (DdStatement *stmt,
            gpointer     user_data)
{
  g_ptr_array_add (user_data, dd_dialer_number_new (dd_statement_get_int64 (stmt, 0),
                                                    dd_statement_get_text (stmt, 1)));
}

static void
on_dialer_finished (DdConsoleView *self)
{
  self->dialing_campaign_id = 0;
  load_campaigns (self);
  show_dialing (self);
  toast (self, _("The dialer rang every number of the campaign."));
}

/* The context's dialer, with the consultant at this desk taking its calls at their SIP
 * address, or on the headset. */
static DdDialer *
desk_dialer (DdConsoleView  *self,
             GError        **error)
{
  DdDatabase *db = dd_context_get_database (self->context);
  g_autofree char *sip_uri = NULL;
  DdDialer *dialer;

  if (agent_id (self) == 0)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_INITIALIZED,
                           _("Choose who you are first"));
      return NULL;
    }
  dialer = dd_context_get_dialer (self->context, error);
  if (dialer == NULL)
    return NULL;
  if (!dd_dialer_has_consultant (dialer, agent_id (self)))
    {
      if (!dd_database_fetch_text (db, &sip_uri, error, "SELECT sip_uri FROM agent WHERE id = ?",
                                   DD_INT (agent_id (self)), DD_END))
        return NULL;
      if (sip_uri != NULL && *sip_uri == '\0')
        g_clear_pointer (&sip_uri, g_free);
      if (sip_uri == NULL)
        {
          g_autoptr(DdHeadset) headset = dd_headset_new (NULL, NULL, error);

          if (headset == NULL)
            return NULL;
          dd_dialer_set_headset (dialer, headset);
        }
      dd_dialer_add_consultant (dialer, agent_id (self), sip_uri);
    }
  if (self->dialer != dialer)
    dd_console_view_set_dialer (self, dialer);
  return dialer;
}

/* Call Back on a missed call: the dialer rings the caller for this consultant (the case
 * card opens when they answer) and the entry is done. */
static void
on_call_back_clicked (GtkButton     *button,
                      DdConsoleView *self)
{
  gint64 missed_id = *(gint64 *) g_object_get_data (G_OBJECT (button), "dd-missed-id");
  gint64 case_id = *(gint64 *) g_object_get_data (G_OBJECT (button), "dd-case-id");
  const char *number = g_object_get_data (G_OBJECT (button), "dd-number");
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;
  DdDialer *dialer = desk_dialer (self, &error);

  if (dialer == NULL
      || !dd_dialer_dial_preview (dialer, agent_id (self), case_id, number, &error)
      || !dd_inbound_store_missed_done (self->inbound, missed_id, agent_id (self), &error))
    {
      toast (self, error->message);
      return;
    }
  /* Translators: a missed caller's number, being called back */
  message = g_strdup_printf (_("Calling back %s…"), number);
  toast (self, message);
  dd_console_view_refresh (self);
}

static char *
missed_time (gint64 at)
{
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (at);
  g_autoptr(GDateTime) local = utc != NULL ? g_date_time_to_local (utc) : NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();

  if (local == NULL)
    return g_strdup ("");
  if (g_date_time_get_year (local) == g_date_time_get_year (now)
      && g_date_time_get_day_of_year (local) == g_date_time_get_day_of_year (now))
    return g_date_time_format (local, "%H:%M");
  return g_date_time_format (local, "%Y-%m-%d %H:%M");
}

static GtkWidget *
missed_row (DdConsoleView         *self,
            const DdInboundMissed *missed)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *button = gtk_button_new_from_icon_name ("call-start-symbolic");
  const char *number = missed->e164 != NULL ? missed->e164 : missed->caller;
  g_autofree char *when = missed_time (missed->arrived_at);
  g_autofree char *subtitle = NULL;
  g_autofree char *tooltip = NULL;
  gint64 *id = g_new (gint64, 1);
  gint64 *case_id = g_new (gint64, 1);

  *id = missed->id;
  *case_id = missed->case_id;
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row),
                                 missed->debtor_name != NULL ? missed->debtor_name : number);
  /* Translators: a missed call: number · queue · time · what happened */
  subtitle = g_strdup_printf (_("%s · %s · %s · %s"), number,
                              missed->queue_name != NULL ? missed->queue_name : "—", when,
                              dd_inbound_outcome_to_label (missed->kind));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 2);

  /* Translators: the button of a missed call; %s is the number */
  tooltip = g_strdup_printf (_("Call back %s"), number);
  gtk_widget_set_tooltip_text (button, tooltip);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  tooltip, -1);
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (button, "suggested-action");
  gtk_widget_set_sensitive (button, number != NULL && *number != '\0');
  g_object_set_data_full (G_OBJECT (button), "dd-missed-id", id, g_free);
  g_object_set_data_full (G_OBJECT (button), "dd-case-id", case_id, g_free);
  g_object_set_data_full (G_OBJECT (button), "dd-number", g_strdup (number), g_free);
  g_signal_connect (button, "clicked", G_CALLBACK (on_call_back_clicked), self);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), button);
  g_object_set_data (G_OBJECT (row), "dd-call-back-button", button);
  return row;
}

/* The callers waiting in the queues now: queued, neither answered nor gone (any desk). */
static guint
count_waiting (DdConsoleView *self)
{
  gint64 now = dd_inbound_store_now (self->inbound);
  g_autoptr(GPtrArray) calls = dd_inbound_store_list_calls (self->inbound, now - 6 * 3600,
                                                            now + 60, NULL);
  guint waiting = 0;

  for (guint i = 0; calls != NULL && i < calls->len; i++)
    {
      const DdInboundCall *call = g_ptr_array_index (calls, i);

      if (call->queued_at > 0 && call->answered_at == 0 && call->ended_at == 0)
        waiting++;
    }
  return waiting;
}

static void
show_missed (DdConsoleView *self)
{
  g_autoptr(GPtrArray) missed = NULL;
  g_autoptr(GString) key = g_string_new (NULL);
  g_autofree char *waiting_text = NULL;
  guint waiting;
  GtkWidget *row;

  if (self->inbound == NULL)
    return;
  waiting = count_waiting (self);
  if (waiting == 0)
    waiting_text = g_strdup (_("Nobody is waiting in the queues."));
  else
    /* Translators: callers waiting in the inbound queues now */
    waiting_text = g_strdup_printf (g_dngettext (NULL, "%u caller is waiting in the queues.",
                                                 "%u callers are waiting in the queues.",
                                                 waiting), waiting);
  if (g_strcmp0 (adw_preferences_group_get_description (self->missed_group), waiting_text) != 0)
    adw_preferences_group_set_description (self->missed_group, waiting_text);

  missed = dd_inbound_store_list_missed (self->inbound, TRUE, NULL);
  for (guint i = 0; missed != NULL && i < missed->len; i++)
    g_string_append_printf (key, "%" G_GINT64_FORMAT ",",
                            ((DdInboundMissed *) missed->pdata[i])->id);
  if (g_strcmp0 (key->str, self->missed_key) == 0)
    return;
  g_free (self->missed_key);
  self->missed_key = g_strdup (key->str);

  while ((row = gtk_widget_get_first_child (GTK_WIDGET (self->missed_list))) != NULL)
    gtk_list_box_remove (self->missed_list, row);
  for (guint i = 0; missed != NULL && i < missed->len; i++)
    gtk_list_box_append (self->missed_list, missed_row (self, missed->pdata[i]));
  if (missed == NULL || missed->len == 0)
    {
      GtkWidget *empty = adw_action_row_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (empty),
                                     _("No missed calls to return"));
      gtk_list_box_append (self->missed_list, empty);
    }
}

/* Preview mode ends: no case waits on the card any more. */
static void
end_preview (DdConsoleView *self)
{
  gboolean was_previewing = self->previewing;

  g_clear_pointer (&self->preview_numbers, g_ptr_array_unref);
  g_clear_pointer (&self->preview_number, dd_dialer_number_free);
  self->previewing = FALSE;
  gtk_widget_set_visible (self->preview_bar, FALSE);
  if (was_previewing)
    {
      self->case_id = 0;
      gtk_stack_set_visible_child_name (self->card_stack, "waiting");
      show_script (self);
    }
}

/* Preview: the next case that may be called now (an abandoned number rests 72 hours) on
 * the card, with Call and Skip; when none is left, dialing ends. */
static void
show_next_preview (DdConsoleView *self)
{
  DdDatabase *db = dd_context_get_database (self->context);
  g_autofree char *name = NULL;
  g_autofree char *text = NULL;

  g_clear_pointer (&self->preview_number, dd_dialer_number_free);
  while (self->preview_numbers != NULL && self->preview_numbers->len > 0)
    {
      DdDialerNumber *number = g_ptr_array_steal_index (self->preview_numbers, 0);
      g_autoptr(GError) error = NULL;
      gboolean may = TRUE;

      if (!dd_dialer_may_dial (db, number->e164, dd_agent_state_store_now (self->states), FALSE,
                               &may, &error))
        g_warning ("Cannot check a number's rest: %s", error->message);
      if (may)
        {
          self->preview_number = number;
          break;
        }
      dd_dialer_number_free (number);
    }
  if (self->preview_number == NULL)
    {
      if (self->dialer != NULL)
        dd_dialer_stop (self->dialer);
      end_preview (self);
      self->dialing_campaign_id = 0;
      load_campaigns (self);
      show_dialing (self);
      toast (self, _("You have seen every case of the campaign."));
      return;
    }

  self->case_id = self->preview_number->case_id;
  self->campaign_id = self->dialing_campaign_id;
  if (self->case_page == NULL)
    {
      self->case_page = dd_case_page_new (self->context);
      adw_bin_set_child (self->case_bin, self->case_page);
    }
  dd_case_page_set_case_id (DD_CASE_PAGE (self->case_page), self->case_id);
  gtk_stack_set_visible_child_name (self->card_stack, "case");
  dd_database_fetch_text (db, &name, NULL,
                          "SELECT d.name FROM debt_case c JOIN debtor d ON d.id = c.debtor_id"
                          " WHERE c.id = ?", DD_INT (self->case_id), DD_END);
  /* Translators: preview mode: the debtor's name and the number to call */
  text = g_strdup_printf (_("Next: %s, %s"), name != NULL ? name : "…",
                          self->preview_number->e164);
  gtk_label_set_label (self->preview_label, text);
  gtk_widget_set_visible (self->preview_bar, TRUE);
  self->previewing = TRUE;
  show_script (self);
  show_error (self, NULL);
  dd_console_view_refresh (self);
}

static void
on_call_clicked (DdConsoleView *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  if (!self->previewing || self->preview_number == NULL || self->dialer == NULL)
    return;
  if (!dd_dialer_dial_preview (self->dialer, agent_id (self), self->preview_number->case_id,
                               self->preview_number->e164, &error))
    {
      toast (self, error->message);
      return;
    }
  self->previewing = FALSE;
  /* Translators: preview mode: the number being rung */
  text = g_strdup_printf (_("Calling %s…"), self->preview_number->e164);
  gtk_label_set_label (self->preview_label, text);
  g_clear_pointer (&self->preview_number, dd_dialer_number_free);
  dd_console_view_refresh (self);
}

static void
on_skip_clicked (DdConsoleView *self)
{
  if (self->previewing)
    show_next_preview (self);
}

gboolean
dd_console_view_start_dialing (DdConsoleView  *self,
                               gint64          campaign_id,
                               GError        **error)
{
  g_autoptr(GPtrArray) numbers = g_ptr_array_new_with_free_func ((GDestroyNotify) dd_dialer_number_free);
  g_autofree char *sip_uri = NULL;
  DdDatabase *db;
  DdDialer *dialer;

  g_return_val_if_fail (DD_IS_CONSOLE_VIEW (self), FALSE);

  db = dd_context_get_database (self->context);
  if (agent_id (self) == 0)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_INITIALIZED,
                           _("Choose who you are first"));
      return FALSE;
    }
  /* the numbers the campaign planned to call and has not called yet, one per case (not the
   * cases paid or closed since it was planned) */
  if (!dd_database_query_each (db, add_number, numbers, error,
                               "SELECT a.case_id, MIN(p.e164) FROM call_attempt a"
                               " JOIN phone p ON p.id = a.phone_id"
                               " JOIN debt_case k ON k.id = a.case_id"
                               " WHERE a.campaign_id = ? AND a.state = 'scheduled'"
                               " AND k.status <> 'closed' AND k.balance_minor > 0"
                               " GROUP BY a.case_id ORDER BY a.case_id",
                               DD_INT (campaign_id), DD_END))
    return FALSE;
  if (numbers->len == 0)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                           _("The campaign has no numbers left to call."));
      return FALSE;
    }
  /* the consultant at this desk takes the calls at their SIP address, or on the headset */
  dialer = desk_dialer (self, error);
  if (dialer == NULL)
    return FALSE;
  if (dd_dialer_get_mode (dialer) == DD_DIAL_MODE_PREVIEW)
    {
      /* Preview: the dialer runs the campaign but rings nothing by itself; the card shows
       * each case for Call or Skip */
      if (!dd_dialer_start (dialer, campaign_id, numbers, error))
        return FALSE;
      self->dialing_campaign_id = campaign_id;
      g_clear_pointer (&self->preview_numbers, g_ptr_array_unref);
      self->preview_numbers = g_steal_pointer (&numbers);
      dd_console_view_set_dialer (self, dialer);
      show_dialing (self);
      show_next_preview (self);
      return TRUE;
    }
  if (!dd_dialer_start (dialer, campaign_id, numbers, error))
    return FALSE;
  self->dialing_campaign_id = campaign_id;
  dd_console_view_set_dialer (self, dialer);
  g_signal_connect_swapped (dialer, "finished", G_CALLBACK (on_dialer_finished), self);
  show_dialing (self);
  return TRUE;
}

void
dd_console_view_stop_dialing (DdConsoleView *self)
{
  g_return_if_fail (DD_IS_CONSOLE_VIEW (self));

  if (self->dialer != NULL)
    dd_dialer_stop (self->dialer);
  self->dialing_campaign_id = 0;
  end_preview (self);
  load_campaigns (self);
  show_dialing (self);
  dd_console_view_refresh (self);
}

static void
on_dial_clicked (DdConsoleView *self)
{
  g_autoptr(GError) error = NULL;
  guint selected = gtk_drop_down_get_selected (self->campaign_dropdown);

  if (self->dialing_campaign_id != 0)
    {
      dd_console_view_stop_dialing (self);
      return;
    }
  if (selected >= self->campaign_ids->len)
    return;
  if (!dd_console_view_start_dialing (self, g_array_index (self->campaign_ids, gint64, selected),
                                      &error))
    toast (self, error->message);
}

static void
build_outcome_buttons (DdConsoleView *self)
{
  for (guint i = 0; i < DD_WRAP_UP_N_OUTCOMES; i++)
    {
      GtkWidget *button = gtk_button_new_with_label (dd_wrap_up_outcome_to_label (i));

      g_object_set_data (G_OBJECT (button), "outcome", GUINT_TO_POINTER (i));
      g_signal_connect (button, "clicked", G_CALLBACK (on_outcome_clicked), self);
      gtk_grid_attach (self->outcome_grid, button, i % 2, i / 2, 1, 1);
      self->outcome_buttons[i] = button;
    }
}

static void
dd_console_view_dispose (GObject *object)
{
  DdConsoleView *self = DD_CONSOLE_VIEW (object);

  g_clear_handle_id (&self->timer_id, g_source_remove);
  if (self->dialer != NULL)
    g_signal_handlers_disconnect_by_data (self->dialer, self);
  g_clear_object (&self->dialer);
  /* the bin's child is a template child (toasts): let the bin drop it first */
  adw_bin_set_child (ADW_BIN (self), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), DD_TYPE_CONSOLE_VIEW);
  self->case_page = NULL;
  g_clear_object (&self->states);
  g_clear_object (&self->cases);
  g_clear_object (&self->ladder);
  g_clear_object (&self->inbound);
  g_clear_pointer (&self->missed_key, g_free);
  g_clear_object (&self->context);
  g_clear_pointer (&self->campaign_ids, g_array_unref);
  g_clear_pointer (&self->preview_numbers, g_ptr_array_unref);
  g_clear_pointer (&self->preview_number, dd_dialer_number_free);

  G_OBJECT_CLASS (dd_console_view_parent_class)->dispose (object);
}

static void
dd_console_view_class_init (DdConsoleViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = dd_console_view_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/dunningdesk/DunningDesk/dd-console-view.ui");
  gtk_widget_class_bind_template_child (widget_class, DdConsoleView, toasts);
  gtk_widget_class_bind_template_child (widget_class, DdConsoleView, state_label);
  gtk_widget_class_bind_template_child (widget_class, DdConsoleView, ready_button);
  gtk_widget_class_bind_template_child (widget_class, DdConsoleView, reason_dropdown);
  gtk_widget_class_bind_template_child (widget_class, DdConsoleView, pause_button);
  gtk_widget_class_bind_template_child (widget_class, DdConsoleView, figures_label);
  gtk_widget_class_bind_template_child (widget_class, DdConsoleView, campaign_dropdown);
  gtk_widget_class_bind_template_child (widget_class, DdConsoleView, dial_button);
  gtk_widget_class_bind_template_child (widget_class, DdConsoleView, card_stack);
  gtk_widget_class_bind_template_child (widget_class, DdConsoleView, case_bin);
  gtk_widget_class_bind_template_child (widget_class, DdConsoleView, preview_bar);
  gtk_widget_class_bind_template_child (widget_class, DdConsoleView, preview_label);
  gtk_widget_class_bind_template_child (widget_class, DdConsoleView, call_button);
  gtk_widget_class_bind_template_child (widget_class, DdConsoleView, skip_button);
  gtk_widget_class_bind_template_child (widget_class, DdConsoleView, script_label);
  gtk_widget_class_bind_template_child (widget_class, DdConsoleView, hang_up_button);
  gtk_widget_class_bind_template_child (widget_class, DdConsoleView, countdown_label);
  gtk_widget_class_bind_template_child (widget_class, DdConsoleView, countdown_bar);
  gtk_widget_class_bind_template_child (widget_class, DdConsoleView, outcome_grid);
  gtk_widget_class_bind_template_child (widget_class, DdConsoleView, promise_date_entry);
  gtk_widget_class_bind_template_child (widget_class, DdConsoleView, promise_amount_entry);
  gtk_widget_class_bind_template_child (widget_class, DdConsoleView, call_back_entry);
  gtk_widget_class_bind_template_child (widget_class, DdConsoleView, error_label);
  gtk_widget_class_bind_template_child (widget_class, DdConsoleView, callbacks_label);
  gtk_widget_class_bind_template_child (widget_class, DdConsoleView, missed_group);
  gtk_widget_class_bind_template_child (widget_class, DdConsoleView, missed_list);
  gtk_widget_class_bind_template_callback (widget_class, on_ready_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_pause_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_hang_up_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_settings_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_dial_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_call_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_skip_clicked);
}

static void
dd_console_view_init (DdConsoleView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->campaign_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  build_outcome_buttons (self);
}

GtkWidget *
dd_console_view_new (DdContext *context)
{
  DdConsoleView *self;
  DdDatabase *db;
  GSettings *settings;

  g_return_val_if_fail (DD_IS_CONTEXT (context), NULL);

  self = g_object_new (DD_TYPE_CONSOLE_VIEW, NULL);
  self->context = g_object_ref (context);
  db = dd_context_get_database (context);
  self->states = dd_agent_state_store_new (db);
  self->cases = dd_case_store_new (db);
  self->ladder = dd_ladder_store_new (db);
  self->inbound = dd_inbound_store_new (db);
  settings = dd_context_get_settings (context);
  if (settings != NULL)
    dd_case_store_set_max_promise_days (self->cases,
                                        g_settings_get_uint (settings, "declaration-max-days"));
  show_script (self);
  load_campaigns (self);
  /* a dialer the window's context already runs (the section was made again) */
  if (dd_context_peek_dialer (context) != NULL)
    dd_console_view_set_dialer (self, dd_context_peek_dialer (context));
  show_dialing (self);
  dd_console_view_refresh (self);
  self->timer_id = g_timeout_add_seconds (1, on_timer, self);
  return GTK_WIDGET (self);
}
