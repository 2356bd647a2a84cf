/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "dd-campaign-wizard"

#include "config.h"

#include "dd-campaign-wizard.h"
#include "dd-campaign-wizard-private.h"

#include "dd-application.h"
#include "dd-file-chooser.h"
#include "dd-sms-account.h"

#include "dd-campaign-audience.h"
#include "dd-campaign-messages.h"
#include "dd-call-attempts.h"
#include "dd-campaign-store.h"
#include "dd-ivr-flow-store.h"
#include "dd-ivr-test-call.h"
#include "dd-preferences-window.h"
#include "dd-reports.h"
#include "dd-sip-accounts.h"
#include "dd-case-page-private.h"
#include "dd-money.h"
#include "dd-number-checks.h"
#include "dd-number-look-up.h"
#include "dd-outbox.h"
#include "dd-phone.h"
#include "dd-saved-filter-store.h"

#include <glib/gi18n.h>
#include <string.h>

struct _DdCampaignWizard
{
  AdwWindow          parent_instance;

  DdContext         *context;
  DdContactPlanCounts plan;          /* the review's dry run of the contact policy */
  DdNumberLookUp     checking;       /* number look-ups */
  AdwActionRow      *check_numbers_row;
  GtkWidget         *check_numbers_button;
  GtkProgressBar    *check_numbers_progress;
  DdCaseQuery       *list_query;     /* the cases view's, or NULL */
  GPtrArray         *queries;        /* DdCaseQuery per filter_row position */
  DdCampaignFlow     flow;
  GPtrArray         *recipients;     /* DdRecipient of the current audience */
  DdAudienceCounts   counts;
  GCancellable      *count_cancellable;
  guint              count_generation;
  guint              preview_index;
  DdCampaignMessagesFlags message_flags;  /* PLAIN once special characters were replaced */
  gint64             campaign_id;
  gboolean           updating;

  AdwWindowTitle    *window_title;
  GtkButton         *back_button;
  GtkButton         *next_button;
  AdwToastOverlay   *toast_overlay;
  GtkStack          *stack;
  GtkLabel          *problem_label;
  AdwEntryRow       *name_row;
  AdwComboRow       *filter_row;
  GtkSwitch         *mobile_switch;
  AdwActionRow      *count_row;
  GtkSpinner        *count_spinner;
  GtkCheckButton    *sms_check;
  GtkCheckButton    *voice_check;
  GtkFlowBox        *chips_box;
  GtkTextView       *template_view;
  GtkLabel          *counter_label;
  GtkWidget         *ucs2_box;
  GtkLabel          *ucs2_label;
  GtkLabel          *preview_to_label;
  GtkLabel          *preview_label;
  AdwEntryRow       *sender_row;
  GtkCheckButton    *now_check;
  GtkCheckButton    *later_check;
  AdwEntryRow       *at_row;
  GtkSpinButton     *from_spin;
  GtkSpinButton     *until_spin;
  GtkSpinButton     *throttle_spin;
  AdwPreferencesGroup *review_group;
  GPtrArray         *review_rows;
  AdwActionRow      *hold_out_row;
  GtkSpinButton     *hold_out_spin;
  AdwEntryRow       *test_number_row;
  AdwStatusPage     *started_page;

  /* voice */
  GPtrArray         *accounts;       /* DdSipAccountInfo: the enabled lines */
  GPtrArray         *line_checks;    /* GtkCheckButton per account */
  GPtrArray         *line_rows;
  GPtrArray         *flows;          /* DdIvrFlowRecord: the office's call flows */
  DdIvrFlow         *ivr_flow;       /* the one chosen, loaded */
  GPtrArray         *issue_rows;
  DdCampaignVoicePlan voice_plan;    /* the review's dry run */
  GPtrArray         *voice_recipients; /* of recipients: those to call (no promise pending) */
  guint              n_promised;     /* left out: a payment declaration is pending */
  AdwActionRow      *voice_row;
  GtkWidget         *setup_line_button;
  AdwComboRow       *flow_row;
  AdwActionRow      *flow_language_row;
  AdwPreferencesGroup *flow_issues_group;
  AdwPreferencesGroup *lines_group;
  AdwEntryRow       *caller_ids_row;
  GtkSpinButton     *concurrency_spin;
  AdwActionRow      *concurrency_row;
  GtkSpinButton     *per_day_spin;
  GtkSpinButton     *interval_spin;
  GtkSpinButton     *max_attempts_spin;
  AdwComboRow       *machine_row;
  GtkSwitch         *confirm_switch;
  GtkWidget         *test_call_group;
  GtkWidget         *test_message_group;
  GtkWidget         *hours_group;
  AdwActionRow      *test_call_row;
  AdwEntryRow       *test_call_number_row;
  DdCall            *test_call;      /* the test call to the user's phone, while on the line */
  AdwPreferencesGroup *prompts_group;
  GPtrArray         *prompt_rows;    /* AdwComboRow per node that speaks */
  GHashTable        *prompt_files;   /* node id → a recording chosen to play instead */
};

G_DEFINE_FINAL_TYPE (DdCampaignWizard, dd_campaign_wizard, ADW_TYPE_WINDOW)

enum {
  CAMPAIGN_STARTED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static const char * const step_names[] = {
  "audience", "channel", "message", "schedule", "review", "started",
};

G_STATIC_ASSERT (G_N_ELEMENTS (step_names) == DD_N_CAMPAIGN_STEPS);

static void
show_toast (DdCampaignWizard *self,
            const char       *text)
{
  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (text));
}

static const char *
office_locale (DdCampaignWizard *self)
{
  GSettings *settings = dd_context_get_settings (self->context);
  g_autofree char *country = settings != NULL
                             ? g_settings_get_string (settings, "default-country") : NULL;

  if (g_strcmp0 (country, "RU") == 0)
    return "ru";
  if (g_strcmp0 (country, "PL") == 0 || country == NULL || *country == '\0')
    return "pl";
  return "en";
}

static char *
template_text (DdCampaignWizard *self)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->template_view);
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

/* The step's widgets and the header buttons from the flow. */
static void
update_ui (DdCampaignWizard *self)
{
  static const char *subtitles[] = {
    N_("Step 1 of 5: Recipients"), N_("Step 2 of 5: Channel"), N_("Step 3 of 5: Message"),
    N_("Step 4 of 5: When"), N_("Step 5 of 5: Review"), "",
  };
  DdCampaignProblem problem = dd_campaign_flow_problem (&self->flow);
  gboolean started = self->flow.step == DD_CAMPAIGN_STEP_STARTED;
  gboolean voice = self->flow.channel == DD_CAMPAIGN_CHANNEL_VOICE;

  if (voice && self->flow.step == DD_CAMPAIGN_STEP_MESSAGE)
    {
      gtk_stack_set_visible_child_name (self->stack, "call");
      adw_window_title_set_subtitle (self->window_title, _("Step 3 of 5: Call Flow"));
    }
  else
    {
      gtk_stack_set_visible_child_name (self->stack, step_names[self->flow.step]);
      adw_window_title_set_subtitle (self->window_title, _(subtitles[self->flow.step]));
    }
  gtk_widget_set_visible (self->test_call_group, voice);
  gtk_widget_set_visible (self->test_message_group, !voice);
  /* calls keep the contact policy's calling hours (the runner's), not sending hours */
  gtk_widget_set_visible (self->hours_group, !voice);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "wizard.back",
                                 dd_campaign_flow_can_go_back (&self->flow));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "wizard.next",
                                 dd_campaign_flow_can_go_next (&self->flow));
  gtk_widget_set_visible (GTK_WIDGET (self->back_button), !started);
  gtk_widget_set_visible (GTK_WIDGET (self->next_button), !started);
  if (dd_campaign_flow_next_starts (&self->flow))
    gtk_button_set_label (self->next_button, self->flow.start_at != 0 ? _("_Schedule")
                                             : voice ? _("_Start Calling") : _("_Start Sending"));
  else
    gtk_button_set_label (self->next_button, _("_Next"));
  gtk_label_set_text (self->problem_label, dd_campaign_problem_to_string (problem));
  gtk_widget_set_visible (GTK_WIDGET (self->problem_label),
                          problem != DD_CAMPAIGN_PROBLEM_NONE && !started);
}

/* Audience */

typedef struct
{
  DdDatabase      *database;
  DdCaseQuery     *query;
  DdAudienceFlags  flags;
} CountData;

typedef struct
{
  GPtrArray        *recipients;
  DdAudienceCounts  counts;
} CountResult;

static void
count_data_free (CountData *data)
{
  g_object_unref (data->database);
  dd_case_query_free (data->query);
  g_free (data);
}

static void
count_result_free (CountResult *result)
{
  g_clear_pointer (&result->recipients, g_ptr_array_unref);
  g_free (result);
}

static void
count_in_thread (GTask        *task,
                 gpointer      source,
                 gpointer      task_data,
                 GCancellable *cancellable)
{
  CountData *data = task_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(DdDatabase) database = dd_database_open_another (data->database, &error);
  CountResult *result;

  if (database == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  result = g_new0 (CountResult, 1);
  result->recipients = dd_campaign_audience_collect (database, data->query, data->flags, TRUE,
                                                     &result->counts, &error);
  if (result->recipients == NULL)
    {
      count_result_free (result);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_task_return_pointer (task, result, (GDestroyNotify) count_result_free);
}

static void update_message (DdCampaignWizard *self);

/* Appends a reason a case gets no message, @format (with one %u) for @n cases, to the list;
 * nothing when @n is 0. */
static void
add_reason (GString    *left_out,
            guint       n,
            const char *format)
{
  if (n == 0)
    return;
  if (left_out->len > 0)
    /* Translators: separates the reasons in "left out: 1 closed, 4 without a phone number" */
    g_string_append (left_out, _(", "));
  g_string_append_printf (left_out, format, n);
}

/* Why cases of the audience get nothing, or an empty string. */
static char *
describe_left_out (DdCampaignWizard *self)
{
  const DdAudienceCounts *c = &self->counts;
  GString *left_out = g_string_new (NULL);

  /* each reason a whole phrase with its own plural, so that translators see them all */
  add_reason (left_out, c->closed, ngettext ("%u closed", "%u closed", c->closed));
  add_reason (left_out, c->paid, ngettext ("%u owing nothing", "%u owing nothing", c->paid));
  add_reason (left_out, c->opted_out,
              ngettext ("%u asked not to be contacted",
                        "%u asked not to be contacted", c->opted_out));
  add_reason (left_out, c->no_phone,
              ngettext ("%u without a phone number", "%u without a phone number", c->no_phone));
  add_reason (left_out, c->not_mobile,
              ngettext ("%u with landlines only", "%u with landlines only", c->not_mobile));
  add_reason (left_out, c->invalid,
              ngettext ("%u with invalid or unreachable numbers",
                        "%u with invalid or unreachable numbers", c->invalid));
  add_reason (left_out, c->duplicate,
              ngettext ("%u sharing a number already messaged",
                        "%u sharing a number already messaged", c->duplicate));
  return g_string_free (left_out, FALSE);
}

static void
describe_count (DdCampaignWizard *self)
{
  const DdAudienceCounts *c = &self->counts;
  g_autofree char *left_out = describe_left_out (self);
  g_autofree char *title = NULL;

  /* Translators: the audience of a campaign; %u is a number of text messages */
  title = g_strdup_printf (ngettext ("%u message", "%u messages", c->recipients), c->recipients);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->count_row), title);
  if (*left_out != '\0')
    {
      /* Translators: %u is a number of cases, %s the reasons they get nothing */
      g_autofree char *subtitle = g_strdup_printf (ngettext ("for %u case; left out: %s",
                                                             "for %u cases; left out: %s",
                                                             c->cases),
                                                   c->cases, left_out);

      adw_action_row_set_subtitle (self->count_row, subtitle);
    }
  else
    {
      g_autofree char *subtitle = g_strdup_printf (ngettext ("for %u case", "for %u cases",
                                                             c->cases),
                                                   c->cases);

      adw_action_row_set_subtitle (self->count_row, subtitle);
    }
}

static void
on_count_done (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(DdCampaignWizard) self = user_data;
  g_autoptr(GError) error = NULL;
  CountResult *counted = g_task_propagate_pointer (G_TASK (result), &error);
  guint generation = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (result), "dd-generation"));

  if (generation != self->count_generation)
    {
      g_clear_pointer (&counted, count_result_free);
      return;   /* a newer count is under way */
    }
  self->flow.counting = FALSE;
  gtk_spinner_stop (self->count_spinner);
  if (counted == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        show_toast (self, error->message);
      self->flow.n_recipients = 0;
    }
  else
    {
      g_clear_pointer (&self->voice_recipients, g_ptr_array_unref);   /* points into them */
      g_clear_pointer (&self->recipients, g_ptr_array_unref);
      self->recipients = g_steal_pointer (&counted->recipients);
      self->counts = counted->counts;
      self->flow.n_recipients = self->recipients->len;
      self->preview_index = 0;
      describe_count (self);
      count_result_free (counted);
    }
  update_message (self);
  update_ui (self);
}

static const DdCaseQuery *
selected_query (DdCampaignWizard *self)
{
  guint selected = adw_combo_row_get_selected (self->filter_row);

  if (selected >= self->queries->len)
    return NULL;
  return g_ptr_array_index (self->queries, selected);
}

static void start_count (DdCampaignWizard *self);

static void
on_numbers_checked (GtkWidget                  *owner,
                    const DdNumberChecksResult *outcome,
                    const GError               *error)
{
  DdCampaignWizard *self = DD_CAMPAIGN_WIZARD (owner);

  if (outcome == NULL)
    {
      show_toast (self, error->message);
      return;
    }
  {
    /* Translators: after the look-ups in the campaign wizard */
    g_autofree char *text = g_strdup_printf (ngettext ("%u number checked, %u left out as out "
                                                       "of service or unreachable",
                                                       "%u numbers checked, %u left out as out "
                                                       "of service or unreachable",
                                                       outcome->checked),
                                             outcome->checked, outcome->dead);

    adw_action_row_set_subtitle (self->check_numbers_row, text);
  }
  /* the count leaves the dead numbers out now */
  start_count (self);
}

static void
on_check_numbers_clicked (DdCampaignWizard *self)
{
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) numbers = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;

  if (self->checking.running != NULL || self->recipients == NULL)
    return;
  for (guint i = 0; i < self->recipients->len; i++)
    {
      DdRecipient *recipient = g_ptr_array_index (self->recipients, i);

      if (g_hash_table_add (seen, recipient->e164))
        g_ptr_array_add (numbers, recipient->e164);
    }
  g_ptr_array_add (numbers, NULL);
  if (!dd_number_look_up_start (&self->checking, GTK_WIDGET (self), self->context,
                                (const char *const *) numbers->pdata, &error))
    show_toast (self, error->message);
}

static void
start_count (DdCampaignWizard *self)
{
  const DdCaseQuery *query = selected_query (self);
  g_autoptr(GTask) task = NULL;
  CountData *data;

  if (query == NULL)
    return;
  g_cancellable_cancel (self->count_cancellable);
  g_clear_object (&self->count_cancellable);
  self->count_cancellable = g_cancellable_new ();
  self->count_generation++;

  data = g_new0 (CountData, 1);
  data->database = g_object_ref (dd_context_get_database (self->context));
  data->query = dd_case_query_copy (query);
  data->flags = gtk_switch_get_active (self->mobile_switch) ? DD_AUDIENCE_MOBILE_ONLY : 0;
  task = g_task_new (NULL, self->count_cancellable, on_count_done, g_object_ref (self));
  g_task_set_source_tag (task, start_count);
  g_task_set_task_data (task, data, (GDestroyNotify) count_data_free);
  g_object_set_data (G_OBJECT (task), "dd-generation", GUINT_TO_POINTER (self->count_generation));
  self->flow.counting = TRUE;
  gtk_spinner_start (self->count_spinner);
  g_task_run_in_thread (task, count_in_thread);
  update_ui (self);
}

static void
on_audience_changed (DdCampaignWizard *self)
{
  if (!self->updating)
    start_count (self);
}

/* Replaces *@text by the printf of @format, which may take the old *@text as an argument. */
static void rewrite (char       **text,
                     const char  *format,
                     ...) G_GNUC_PRINTF (2, 3);

static void
rewrite (char       **text,
         const char  *format,
         ...)
{
  va_list args;
  char *longer;

  va_start (args, format);
  longer = g_strdup_vprintf (format, args);
  va_end (args);
  g_free (*text);
  *text = longer;
}

/* Keeps a copy of what @editable holds in *@field. */
static void
copy_text (char        **field,
           GtkEditable  *editable)
{
  g_free (*field);
  *field = g_strdup (gtk_editable_get_text (editable));
}

static void
on_name_changed (DdCampaignWizard *self)
{
  copy_text (&self->flow.name, GTK_EDITABLE (self->name_row));
  update_ui (self);
}

/* Channel */

static void
on_channel_toggled (DdCampaignWizard *self)
{
  if (gtk_check_button_get_active (self->sms_check))
    self->flow.channel = DD_CAMPAIGN_CHANNEL_SMS;
  else if (gtk_check_button_get_active (self->voice_check))
    self->flow.channel = DD_CAMPAIGN_CHANNEL_VOICE;
  else
    self->flow.channel = DD_CAMPAIGN_CHANNEL_NONE;
  update_ui (self);
}

/* Voice: the lines */

static void on_call_changed (DdCampaignWizard *self);

/* The enabled SIP accounts as the lines to choose from; voice is offered when there is one. */
static void
refresh_lines (DdCampaignWizard *self)
{
  GSettings *settings = dd_context_get_settings (self->context);
  g_autoptr(GPtrArray) all = settings != NULL ? dd_sip_accounts_load (settings) : NULL;

  for (guint i = 0; i < self->line_rows->len; i++)
    adw_preferences_group_remove (self->lines_group, g_ptr_array_index (self->line_rows, i));
  g_ptr_array_set_size (self->line_rows, 0);
  g_ptr_array_set_size (self->line_checks, 0);
  g_ptr_array_set_size (self->accounts, 0);
  for (guint i = 0; all != NULL && i < all->len; i++)
    {
      DdSipAccountInfo *info = g_ptr_array_index (all, i);
      GtkWidget *row, *check;

      if (!info->enabled)
        continue;
      g_ptr_array_add (self->accounts, dd_sip_account_info_copy (info));
      row = adw_action_row_new ();
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), info->name);
      if (info->max_calls > 0)
        {
          /* Translators: a line in the voice campaign wizard: its address, its limit */
          g_autofree char *subtitle = g_strdup_printf (ngettext ("%s · up to %u call at once",
                                                                 "%s · up to %u calls at once",
                                                                 info->max_calls),
                                                       info->aor, info->max_calls);

          adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
        }
      else
        adw_action_row_set_subtitle (ADW_ACTION_ROW (row), info->aor);
      check = gtk_check_button_new ();
      gtk_widget_set_valign (check, GTK_ALIGN_CENTER);
      gtk_check_button_set_active (GTK_CHECK_BUTTON (check), TRUE);
      g_signal_connect_object (check, "toggled", G_CALLBACK (on_call_changed), self,
                               G_CONNECT_SWAPPED);
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), check);
      adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), check);
      adw_preferences_group_add (self->lines_group, row);
      g_ptr_array_add (self->line_rows, row);
      g_ptr_array_add (self->line_checks, check);
    }

  self->flow.voice_available = self->accounts->len > 0;
  gtk_widget_set_sensitive (GTK_WIDGET (self->voice_check), self->flow.voice_available);
  gtk_widget_set_visible (self->setup_line_button, !self->flow.voice_available);
  adw_action_row_set_subtitle (self->voice_row,
                               self->flow.voice_available
                               ? _("A call that plays a call flow: the debtor hears the debt and "
                                   "answers with the keypad")
                               : _("Calls go out through a telephone line, and none is set up "
                                   "yet: add a SIP account in Preferences."));
  if (!self->flow.voice_available && gtk_check_button_get_active (self->voice_check))
    gtk_check_button_set_active (self->voice_check, FALSE);
  on_call_changed (self);
}

static void
on_setup_line_clicked (DdCampaignWizard *self)
{
  DdPreferencesWindow *preferences = dd_preferences_window_new (GTK_WINDOW (self), self->context);

  adw_preferences_window_set_visible_page_name (ADW_PREFERENCES_WINDOW (preferences),
                                                "sip-accounts");
  gtk_window_present (GTK_WINDOW (preferences));
}

/* The settings of the call step into the flow. */
static void
on_call_changed (DdCampaignWizard *self)
{
  guint n = 0, limit = 0;
  gboolean unlimited = FALSE;

  if (self->line_checks == NULL || self->context == NULL)
    return;   /* still being built */
  for (guint i = 0; i < self->line_checks->len; i++)
    {
      DdSipAccountInfo *info = g_ptr_array_index (self->accounts, i);

      if (!gtk_check_button_get_active (g_ptr_array_index (self->line_checks, i)))
        continue;
      n++;
      if (info->max_calls == 0)
        unlimited = TRUE;
      limit += info->max_calls;
    }
  self->flow.n_lines = n;
  self->flow.line_limit = unlimited ? 0 : limit;
  self->flow.concurrency = (guint) gtk_spin_button_get_value_as_int (self->concurrency_spin);
  if (self->flow.line_limit > 0)
    {
      /* Translators: under "Calls at Once" in the voice campaign wizard */
      g_autofree char *text = g_strdup_printf (ngettext ("At most %u with the chosen lines",
                                                         "At most %u with the chosen lines",
                                                         self->flow.line_limit),
                                               self->flow.line_limit);

      adw_action_row_set_subtitle (self->concurrency_row, text);
    }
  else
    adw_action_row_set_subtitle (self->concurrency_row, _("The chosen lines set no limit"));
  update_ui (self);
}

static const char *
language_title (const char *language)
{
  if (g_strcmp0 (language, "pl") == 0)
    return _("Polish");
  if (g_strcmp0 (language, "ru") == 0)
    return _("Russian");
  if (g_strcmp0 (language, "en") == 0)
    return _("English");
  return _("Not set: the office’s language");
}

static void fill_prompts (DdCampaignWizard *self);

static void
on_flow_selected (DdCampaignWizard *self)
{
  guint selected = adw_combo_row_get_selected (self->flow_row);
  g_autoptr(DdIvrFlowStore) store = NULL;
  g_autoptr(DdIvrFlowRecord) record = NULL;
  g_autoptr(GPtrArray) issues = NULL;
  g_autoptr(GError) error = NULL;
  DdIvrFlowRecord *listed;

  if (self->issue_rows == NULL || self->context == NULL)
    return;   /* still being built */
  for (guint i = 0; i < self->issue_rows->len; i++)
    adw_preferences_group_remove (self->flow_issues_group,
                                  g_ptr_array_index (self->issue_rows, i));
  g_ptr_array_set_size (self->issue_rows, 0);
  gtk_widget_set_visible (GTK_WIDGET (self->flow_issues_group), FALSE);
  g_clear_object (&self->ivr_flow);
  self->flow.flow_id = 0;
  self->flow.flow_errors = 0;
  adw_action_row_set_subtitle (self->flow_language_row, "");

  if (self->flows == NULL || selected >= self->flows->len)
    {
      fill_prompts (self);
      update_ui (self);
      return;
    }
  listed = g_ptr_array_index (self->flows, selected);
  store = dd_ivr_flow_store_new (dd_context_get_database (self->context));
  record = dd_ivr_flow_store_get (store, listed->id, &error);
  if (record != NULL)
    self->ivr_flow = dd_ivr_flow_new_from_data (record->json, -1, &error);
  if (self->ivr_flow == NULL)
    {
      show_toast (self, error->message);
      update_ui (self);
      return;
    }
  self->flow.flow_id = listed->id;
  adw_action_row_set_subtitle (self->flow_language_row,
                               language_title (dd_ivr_flow_get_language (self->ivr_flow)));
  issues = dd_ivr_flow_validate (self->ivr_flow);
  for (guint i = 0; issues != NULL && i < issues->len; i++)
    {
      DdIvrIssue *issue = g_ptr_array_index (issues, i);
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *icon;
      gboolean is_error = issue->severity == DD_IVR_SEVERITY_ERROR;

      if (is_error)
        self->flow.flow_errors++;
      icon = gtk_image_new_from_icon_name (is_error ? "dialog-error-symbolic"
                                                    : "dialog-warning-symbolic");
      gtk_widget_add_css_class (icon, is_error ? "error" : "warning");
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), issue->message);
      adw_action_row_set_title_lines (ADW_ACTION_ROW (row), 0);
      if (issue->node_id != NULL)
        adw_action_row_set_subtitle (ADW_ACTION_ROW (row), issue->node_id);
      adw_preferences_group_add (self->flow_issues_group, row);
      g_ptr_array_add (self->issue_rows, row);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->flow_issues_group), self->issue_rows->len > 0);
  fill_prompts (self);
  update_ui (self);
}

/* Voice and recordings: per prompt (a node that speaks), an espeak-ng voice of the flow's
 * language, or, for a message, a recording to play instead. */

static const struct
{
  const char *variant;   /* espeak-ng's, after the language: "pl+f2" */
  const char *label;
} voice_variants[] = {
  { NULL, N_("Default Voice") },
  { "f2", N_("Female Voice 1") },
  { "f4", N_("Female Voice 2") },
  { "m3", N_("Male Voice 1") },
  { "m6", N_("Male Voice 2") },
};

/* Whether @node says something the synthesizer speaks. */
static gboolean
node_speaks (const DdIvrNode *node)
{
  switch (node->type)
    {
    case DD_IVR_NODE_PLAY:
    case DD_IVR_NODE_MENU:
    case DD_IVR_NODE_SAY_AMOUNT:
    case DD_IVR_NODE_SAY_DATE:
    case DD_IVR_NODE_SAY_INVOICE:
    case DD_IVR_NODE_COLLECT_DIGITS:
    case DD_IVR_NODE_DECLARE_PAYMENT:
      return TRUE;
    default:
      return FALSE;
    }
}

static void
update_prompt_row (DdCampaignWizard *self,
                   AdwComboRow      *row)
{
  const char *node_id = g_object_get_data (G_OBJECT (row), "dd-node-id");
  const char *file = g_hash_table_lookup (self->prompt_files, node_id);
  GtkWidget *clear = g_object_get_data (G_OBJECT (row), "dd-clear-button");
  g_autofree char *base = file != NULL ? g_path_get_basename (file) : NULL;
  g_autofree char *subtitle = NULL;

  if (base != NULL)
    /* Translators: under a prompt of the call flow: the recording played instead */
    subtitle = g_strdup_printf (_("Recording: %s"), base);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle != NULL ? subtitle : node_id);
  gtk_widget_set_sensitive (GTK_WIDGET (row), TRUE);
  if (clear != NULL)
    gtk_widget_set_visible (clear, file != NULL);
}

static void
on_recording_chosen (gpointer    self,
                     const char *path,
                     gpointer    node_id)
{
  _dd_campaign_wizard_set_recording (self, node_id, path);
}

static void
on_choose_recording_clicked (GtkButton   *button,
                             AdwComboRow *row)
{
  DdCampaignWizard *self = DD_CAMPAIGN_WIZARD (gtk_widget_get_root (GTK_WIDGET (button)));

  dd_file_chooser_choose_sound (GTK_WIDGET (self), _("Choose a Recording"), _("Sound Files"),
                                on_recording_chosen,
                                g_strdup (g_object_get_data (G_OBJECT (row), "dd-node-id")),
                                g_free);
}

static void
on_clear_recording_clicked (GtkButton   *button,
                            AdwComboRow *row)
{
  DdCampaignWizard *self = DD_CAMPAIGN_WIZARD (gtk_widget_get_root (GTK_WIDGET (button)));

  _dd_campaign_wizard_set_recording (self, g_object_get_data (G_OBJECT (row), "dd-node-id"),
                                     NULL);
}

static void
fill_prompts (DdCampaignWizard *self)
{
  g_autoptr(GPtrArray) ids = NULL;
  g_autoptr(GtkStringList) voices = gtk_string_list_new (NULL);

  for (guint i = 0; i < self->prompt_rows->len; i++)
    adw_preferences_group_remove (self->prompts_group, g_ptr_array_index (self->prompt_rows, i));
  g_ptr_array_set_size (self->prompt_rows, 0);
  g_hash_table_remove_all (self->prompt_files);
  gtk_widget_set_visible (GTK_WIDGET (self->prompts_group), FALSE);
  if (self->ivr_flow == NULL)
    return;

  for (guint i = 0; i < G_N_ELEMENTS (voice_variants); i++)
    gtk_string_list_append (voices, _(voice_variants[i].label));
  ids = dd_ivr_flow_get_node_ids (self->ivr_flow);
  for (guint i = 0; i < ids->len; i++)
    {
      const char *id = g_ptr_array_index (ids, i);
      const DdIvrNode *node = dd_ivr_flow_get_node (self->ivr_flow, id);
      const char *text;
      GtkWidget *row;

      if (node == NULL || !node_speaks (node))
        continue;
      text = dd_ivr_node_get_string (node, "text", NULL);
      if (text == NULL)
        text = dd_ivr_node_get_string (node, "prompt", NULL);
      if (text == NULL)
        text = dd_ivr_node_type_get_display_name (node->type);
      row = adw_combo_row_new ();
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), text);
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_action_row_set_title_lines (ADW_ACTION_ROW (row), 2);
      adw_combo_row_set_model (ADW_COMBO_ROW (row), G_LIST_MODEL (voices));
      g_object_set_data_full (G_OBJECT (row), "dd-node-id", g_strdup (id), g_free);
      if (node->type == DD_IVR_NODE_PLAY)
        {
          GtkWidget *choose = gtk_button_new_from_icon_name ("document-open-symbolic");
          GtkWidget *clear = gtk_button_new_from_icon_name ("edit-clear-symbolic");

          gtk_widget_set_valign (choose, GTK_ALIGN_CENTER);
          gtk_widget_set_valign (clear, GTK_ALIGN_CENTER);
          gtk_widget_add_css_class (choose, "flat");
          gtk_widget_add_css_class (clear, "flat");
          gtk_widget_set_tooltip_text (choose, _("Play a Recording Instead…"));
          gtk_widget_set_tooltip_text (clear, _("Speak the Text Again"));
          gtk_accessible_update_property (GTK_ACCESSIBLE (choose), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                          _("Play a Recording Instead…"), -1);
          gtk_accessible_update_property (GTK_ACCESSIBLE (clear), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                          _("Speak the Text Again"), -1);
          g_signal_connect (choose, "clicked", G_CALLBACK (on_choose_recording_clicked), row);
          g_signal_connect (clear, "clicked", G_CALLBACK (on_clear_recording_clicked), row);
          adw_action_row_add_suffix (ADW_ACTION_ROW (row), clear);
          adw_action_row_add_suffix (ADW_ACTION_ROW (row), choose);
          g_object_set_data (G_OBJECT (row), "dd-clear-button", clear);
          if (dd_ivr_node_get_string (node, "file", NULL) != NULL)
            g_hash_table_insert (self->prompt_files, g_strdup (id),
                                 g_strdup (dd_ivr_node_get_string (node, "file", NULL)));
        }
      adw_preferences_group_add (self->prompts_group, row);
      g_ptr_array_add (self->prompt_rows, row);
      update_prompt_row (self, ADW_COMBO_ROW (row));
    }
  gtk_widget_set_visible (GTK_WIDGET (self->prompts_group), self->prompt_rows->len > 0);
}

/* The chosen flow with the voices and recordings chosen for its prompts (a new reference). */
static DdIvrFlow *
flow_with_prompts (DdCampaignWizard  *self,
                   gboolean          *out_changed,
                   GError           **error)
{
  const char *language = dd_ivr_flow_get_language (self->ivr_flow);
  g_autofree char *data = dd_ivr_flow_to_data (self->ivr_flow, NULL);
  g_autoptr(DdIvrFlow) flow = dd_ivr_flow_new_from_data (data, -1, error);
  gboolean changed = FALSE;

  if (flow == NULL)
    return NULL;
  for (guint i = 0; i < self->prompt_rows->len; i++)
    {
      AdwComboRow *row = g_ptr_array_index (self->prompt_rows, i);
      const char *node_id = g_object_get_data (G_OBJECT (row), "dd-node-id");
      const DdIvrNode *node = dd_ivr_flow_get_node (flow, node_id);
      guint selected = adw_combo_row_get_selected (row);
      const char *file = g_hash_table_lookup (self->prompt_files, node_id);
      g_autofree char *voice = NULL;

      if (selected < G_N_ELEMENTS (voice_variants) && voice_variants[selected].variant != NULL)
        voice = g_strdup_printf ("%s+%s", language != NULL ? language : "pl",
                                 voice_variants[selected].variant);
      if (g_strcmp0 (voice, dd_ivr_node_get_string (node, "voice", NULL)) != 0)
        {
          changed = TRUE;
          if (voice != NULL)
            dd_ivr_flow_set_param_string (flow, node_id, "voice", voice, NULL);
          else
            dd_ivr_flow_set_param (flow, node_id, "voice", NULL, NULL);
        }
      if (node->type == DD_IVR_NODE_PLAY &&
          g_strcmp0 (file, dd_ivr_node_get_string (node, "file", NULL)) != 0)
        {
          changed = TRUE;
          if (file != NULL)
            dd_ivr_flow_set_param_string (flow, node_id, "file", file, NULL);
          else
            dd_ivr_flow_set_param (flow, node_id, "file", NULL, NULL);
        }
    }
  if (out_changed != NULL)
    *out_changed = changed;
  return g_steal_pointer (&flow);
}

static void
fill_flows (DdCampaignWizard *self)
{
  g_autoptr(DdIvrFlowStore) store = dd_ivr_flow_store_new (dd_context_get_database (self->context));
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);
  g_autoptr(GError) error = NULL;

  g_clear_pointer (&self->flows, g_ptr_array_unref);
  self->flows = dd_ivr_flow_store_list (store, &error);
  if (self->flows == NULL)
    g_warning ("Could not read the call flows: %s", error->message);
  for (guint i = 0; self->flows != NULL && i < self->flows->len; i++)
    {
      DdIvrFlowRecord *record = g_ptr_array_index (self->flows, i);

      gtk_string_list_append (names, record->name);
    }
  adw_combo_row_set_model (self->flow_row, G_LIST_MODEL (names));
  on_flow_selected (self);
}

/* Message */

static const DdRecipient *
preview_recipient (DdCampaignWizard *self)
{
  if (self->recipients == NULL || self->recipients->len == 0)
    return NULL;
  return g_ptr_array_index (self->recipients, self->preview_index % self->recipients->len);
}

static void
update_message (DdCampaignWizard *self)
{
  g_autofree char *text = template_text (self);
  const DdRecipient *recipient = preview_recipient (self);
  g_autoptr(GError) error = NULL;
  g_autofree char *rendered = NULL;
  g_autofree char *counter = NULL;
  DdCampaignMessagesInfo info = { 0 };
  DdSmsMeasure measure = { 0 };

  g_free (self->flow.template_text);
  self->flow.template_text = g_strdup (text);

  /* the whole audience: a template that fails for anyone is refused, and the longest
   * message decides */
  if (self->recipients != NULL &&
      !dd_campaign_messages_measure (text, self->recipients, office_locale (self),
                                     self->message_flags, &info, &error))
    {
      self->flow.template_ok = FALSE;
      gtk_label_set_text (self->preview_label, error->message);
      gtk_label_set_text (self->counter_label, "");
      gtk_widget_set_visible (self->ucs2_box, FALSE);
      update_ui (self);
      return;
    }
  self->flow.template_ok = TRUE;
  self->flow.max_segments = info.max_segments;

  if (recipient != NULL)
    {
      g_autofree char *to = NULL;

      rendered = dd_campaign_messages_render (text, recipient, office_locale (self), NULL, NULL,
                                              NULL);
      if (rendered != NULL && (self->message_flags & DD_CAMPAIGN_MESSAGES_PLAIN))
        {
          char *plain = dd_campaign_messages_transliterate (rendered);

          g_free (rendered);
          rendered = plain;
        }
      /* Translators: the preview's recipient: name, phone number, and position in the list */
      to = g_strdup_printf (_("%s, %s (%u of %u)"), recipient->name, recipient->e164,
                            self->preview_index % self->recipients->len + 1,
                            self->recipients->len);
      gtk_label_set_text (self->preview_to_label, to);
    }
  else
    {
      rendered = g_strdup (text);
      gtk_label_set_text (self->preview_to_label, _("No recipient"));
    }
  gtk_label_set_text (self->preview_label, rendered != NULL ? rendered : "");

  dd_campaign_messages_measure_text (rendered != NULL ? rendered : "", &measure);
  /* Translators: SMS counter under the message; %u characters, the encoding, %u segments */
  counter = g_strdup_printf (ngettext ("%u characters · %s · %u SMS", "%u characters · %s · %u SMS",
                                       measure.segments),
                             measure.units, measure.ucs2 ? "Unicode (UCS-2)" : "GSM-7",
                             measure.segments);
  if (info.n_messages > 0)
    /* Translators: appended to the SMS counter; %u is the segments of all messages */
    rewrite (&counter, ngettext ("%s · %u SMS for the whole campaign",
                                 "%s · %u SMS for the whole campaign", info.n_segments),
             counter, info.n_segments);
  gtk_label_set_text (self->counter_label, counter);

  gtk_widget_set_visible (self->ucs2_box, measure.ucs2);
  if (measure.ucs2)
    {
      g_autofree char *why = dd_sms_measure_describe_script (&measure);

      /* Russian is Unicode by nature: said, with nothing to replace (the button is last) */
      gtk_widget_set_visible (gtk_widget_get_last_child (self->ucs2_box), why == NULL);
      if (why == NULL)
        /* Translators: %s lists characters such as "ą ś ż" */
        why = g_strdup_printf (_("These characters make every message Unicode, "
                                 "with fewer characters per SMS: %s"),
                               measure.forcing != NULL ? measure.forcing : "");

      gtk_label_set_text (self->ucs2_label, why);
    }
  dd_sms_measure_clear (&measure);
  update_ui (self);
}

static void
on_template_changed (DdCampaignWizard *self)
{
  if (!self->updating)
    update_message (self);
}

static void
on_chip_clicked (GtkButton        *button,
                 DdCampaignWizard *self)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->template_view);
  const char *placeholder = g_object_get_data (G_OBJECT (button), "dd-placeholder");
  g_autofree char *text = g_strdup_printf ("{%s}", placeholder);

  gtk_text_buffer_insert_at_cursor (buffer, text, -1);
  gtk_widget_grab_focus (GTK_WIDGET (self->template_view));
}

static void
on_sender_changed (DdCampaignWizard *self)
{
  copy_text (&self->flow.sender, GTK_EDITABLE (self->sender_row));
  update_ui (self);
}

/* Schedule */

static void
on_schedule_changed (DdCampaignWizard *self)
{
  self->flow.now = g_get_real_time () / G_USEC_PER_SEC;
  self->flow.start_at = 0;
  if (gtk_check_button_get_active (self->later_check))
    {
      g_autofree char *iso = _dd_parse_local_time (gtk_editable_get_text (GTK_EDITABLE (self->at_row)),
                                                   NULL);
      g_autoptr(GDateTime) at = iso != NULL ? g_date_time_new_from_iso8601 (iso, NULL) : NULL;

      /* not a time yet: treat as "in the past" so that Next waits for a real one */
      self->flow.start_at = at != NULL ? g_date_time_to_unix (at) : 1;
    }
  self->flow.window_start = (guint) gtk_spin_button_get_value_as_int (self->from_spin) * 60;
  self->flow.window_end = (guint) gtk_spin_button_get_value_as_int (self->until_spin) * 60;
  update_ui (self);
}

/* Review */

static void
add_review_row (DdCampaignWizard *self,
                const char       *title,
                const char       *value)
{
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), value);
  adw_preferences_group_add (self->review_group, row);
  g_ptr_array_add (self->review_rows, row);
}

static void
clear_review (DdCampaignWizard *self)
{
  for (guint i = 0; i < self->review_rows->len; i++)
    adw_preferences_group_remove (self->review_group, g_ptr_array_index (self->review_rows, i));
  g_ptr_array_set_size (self->review_rows, 0);
}

/* A dry run of the contact policy for the audience at the start. */
static gboolean
plan_contacts (DdCampaignWizard    *self,
               GPtrArray           *recipients,
               DdContactPlanCounts *out_plan,
               GError             **error)
{
  g_autoptr(DdContactPolicy) policy = dd_context_get_contact_policy (self->context);
  g_autoptr(DdOutbox) outbox = dd_outbox_new (dd_context_get_database (self->context));
  gint64 start = self->flow.start_at != 0 ? self->flow.start_at
                                          : g_get_real_time () / G_USEC_PER_SEC;

  memset (out_plan, 0, sizeof *out_plan);
  return dd_outbox_plan_contacts (outbox, policy, recipients, start, out_plan, error);
}

static char *
format_duration (guint minutes)
{
  if (minutes < 60)
    /* Translators: the estimated calling time of a voice campaign */
    return g_strdup_printf (ngettext ("about %u minute", "about %u minutes", minutes), minutes);
  /* Translators: the estimated calling time of a voice campaign: hours and minutes */
  return g_strdup_printf (_("about %u h %02u min"), minutes / 60, minutes % 60);
}

/* The recipients to call: not those whose case has a payment promised for today or later. */
static void
collect_voice_recipients (DdCampaignWizard *self)
{
  g_autoptr(GArray) promised = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GHashTable) held = g_hash_table_new (g_int64_hash, g_int64_equal);
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *today = g_date_time_format (now, "%Y-%m-%d");
  g_autoptr(GError) error = NULL;

  if (!dd_database_fetch_ids (dd_context_get_database (self->context), promised, &error,
                              "SELECT DISTINCT case_id FROM declaration"
                              " WHERE state = 'pending' AND promised_on >= ?",
                              DD_TEXT (today), DD_END))
    show_toast (self, error->message);
  for (guint i = 0; i < promised->len; i++)
    g_hash_table_add (held, &g_array_index (promised, gint64, i));
  g_clear_pointer (&self->voice_recipients, g_ptr_array_unref);
  self->voice_recipients = g_ptr_array_new ();
  self->n_promised = 0;
  for (guint i = 0; i < self->recipients->len; i++)
    {
      DdRecipient *recipient = g_ptr_array_index (self->recipients, i);

      if (g_hash_table_contains (held, &recipient->case_id))
        self->n_promised++;
      else
        g_ptr_array_add (self->voice_recipients, recipient);
    }
}

/* The review's words for the contact policy's dry run at the start, for calls or messages. */
static char *
describe_plan (const DdContactPlanCounts *plan,
               gboolean                   calls)
{
  g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func (g_free);

  if (plan->deferred == 0 && plan->skipped == 0)
    return g_strdup (calls ? _("Every number may be called at the start")
                           : _("Every message may go at the start"));
  /* Translators: the parts of the contact policy's dry run, joined by ", " */
  if (plan->allowed > 0)
    g_ptr_array_add (parts, calls
                            ? g_strdup_printf (ngettext ("%u may be called at the start",
                                                         "%u may be called at the start",
                                                         plan->allowed), plan->allowed)
                            : g_strdup_printf (ngettext ("%u goes at the start",
                                                         "%u go at the start",
                                                         plan->allowed), plan->allowed));
  if (plan->deferred > 0)
    g_ptr_array_add (parts, calls
                            ? g_strdup_printf (ngettext ("%u waits: calling hours closed "
                                                         "or contact limit reached",
                                                         "%u wait: calling hours closed "
                                                         "or contact limit reached",
                                                         plan->deferred), plan->deferred)
                            : g_strdup_printf (ngettext ("%u waits for its debtor’s "
                                                         "contact hours or limits",
                                                         "%u wait for their debtors’ "
                                                         "contact hours or limits",
                                                         plan->deferred), plan->deferred));
  if (plan->skipped > 0)
    g_ptr_array_add (parts, calls
                            ? g_strdup_printf (ngettext ("%u cannot be called within "
                                                         "three months",
                                                         "%u cannot be called within "
                                                         "three months",
                                                         plan->skipped), plan->skipped)
                            : g_strdup_printf (ngettext ("%u cannot go within three "
                                                         "months",
                                                         "%u cannot go within three "
                                                         "months",
                                                         plan->skipped), plan->skipped));
  g_ptr_array_add (parts, NULL);
  return g_strjoinv (", ", (char **) parts->pdata);
}

static void
fill_voice_review (DdCampaignWizard *self)
{
  g_autoptr(GPtrArray) lines = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *numbers = NULL;
  g_autofree char *flow_text = NULL;
  g_autofree char *lines_text = NULL;
  g_autofree char *days_text = NULL;
  g_autofree char *duration = NULL;
  g_autofree char *left_out = describe_left_out (self);
  g_autofree char *when = NULL;
  g_autofree char *hours = NULL;
  DdContactPlanCounts plan = { 0 };
  guint n;

  collect_voice_recipients (self);
  n = self->voice_recipients->len;
  if (self->n_promised > 0)
    {
      /* Translators: a reason cases are left out of a voice campaign, after the others */
      g_autofree char *promised = g_strdup_printf (ngettext ("%u with a payment promised",
                                                             "%u with a payment promised",
                                                             self->n_promised),
                                                   self->n_promised);
      g_autofree char *all = *left_out != '\0'
                             /* Translators: separates the reasons a case is left out */
                             ? g_strconcat (left_out, _(", "), promised, NULL)
                             : g_strdup (promised);

      g_free (left_out);
      left_out = g_steal_pointer (&all);
    }
  clear_review (self);
  add_review_row (self, _("Name"), self->flow.name);
  numbers = g_strdup_printf (ngettext ("%u number", "%u numbers", n), n);
  add_review_row (self, _("To Call"), numbers);
  /* Translators: the call flow of a voice campaign: its name and its language */
  flow_text = g_strdup_printf (_("%s (%s)"),
                               ((DdIvrFlowRecord *) g_ptr_array_index (self->flows,
                                                                       adw_combo_row_get_selected (self->flow_row)))->name,
                               language_title (dd_ivr_flow_get_language (self->ivr_flow)));
  add_review_row (self, _("Call Flow"), flow_text);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->test_call_row), flow_text);
  for (guint i = 0; i < self->line_checks->len; i++)
    if (gtk_check_button_get_active (g_ptr_array_index (self->line_checks, i)))
      g_ptr_array_add (lines, ((DdSipAccountInfo *) g_ptr_array_index (self->accounts, i))->name);
  g_ptr_array_add (lines, NULL);
  lines_text = g_strjoinv (", ", (char **) lines->pdata);
  add_review_row (self, _("Lines"), lines_text);

  /* the dry run: first calls, the concurrency's calls in the contact policy's calling hours
   * of a working day (which the runner keeps), about a minute each */
  {
    g_autoptr(DdContactPolicy) policy = dd_context_get_contact_policy (self->context);
    const DdContactWindow *window = &policy->windows[DD_DAY_WORKING];
    DdCampaignFlow calling = self->flow;

    calling.window_start = window->enabled ? window->start_min : 0;
    calling.window_end = window->enabled ? window->end_min : 0;
    dd_campaign_flow_voice_plan (&calling, n, 1, &self->voice_plan);
    if (window->enabled)
      /* Translators: the calling hours of a voice campaign, e.g. "8:00–20:00 on working
       * days (contact policy)" */
      hours = g_strdup_printf (_("%u:%02u–%u:%02u on working days (contact policy)"),
                               window->start_min / 60, window->start_min % 60,
                               window->end_min / 60, window->end_min % 60);
    else
      hours = g_strdup (_("No calls on working days (contact policy)"));
  }
  if (self->voice_plan.days <= 1)
    /* Translators: the dry run of a voice campaign when one day is enough */
    days_text = g_strdup_printf (ngettext ("%u number on the first day",
                                           "%u numbers on the first day",
                                           self->voice_plan.per_day),
                                 self->voice_plan.per_day);
  else
    /* Translators: the dry run of a voice campaign: numbers called a day, the days, and the
     * numbers called on the last day */
    days_text = g_strdup_printf (ngettext ("%1$u numbers a day for %2$u day, %3$u on the last",
                                           "%1$u numbers a day for %2$u days, %3$u on the last",
                                           self->voice_plan.days),
                                 self->voice_plan.per_day, self->voice_plan.days,
                                 self->voice_plan.last_day);
  add_review_row (self, _("Calls per Day"), days_text);
  duration = format_duration (self->voice_plan.minutes);
  {
    /* Translators: the estimated calling time: the time, and the calls at once */
    g_autofree char *text = g_strdup_printf (ngettext ("%1$s with %2$u call at once (about a "
                                                       "minute a call)",
                                                       "%1$s with %2$u calls at once (about a "
                                                       "minute a call)",
                                                       self->flow.concurrency),
                                             duration, self->flow.concurrency);

    add_review_row (self, _("Estimated Duration"), text);
  }
  add_review_row (self, _("Left Out"), *left_out != '\0' ? left_out : _("Nobody"));
  if (plan_contacts (self, self->voice_recipients, &plan, &error))
    {
      g_autofree char *text = describe_plan (&plan, TRUE);

      add_review_row (self, _("Contact Policy"), text);
      self->plan = plan;
    }
  else
    show_toast (self, error->message);
  if (self->flow.start_at != 0)
    {
      g_autoptr(GDateTime) at = g_date_time_new_from_unix_local (self->flow.start_at);

      when = g_date_time_format (at, "%Y-%m-%d %H:%M");
    }
  add_review_row (self, _("Start"), when != NULL ? when : _("Now"));
  add_review_row (self, _("Calling Hours"), hours);
}

/* The hold-out group: the cases of the audience and how many of them are held out (as
 * dd_report_hold_out() rounds). */
static GPtrArray *
audience_recipients (DdCampaignWizard *self)
{
  return self->flow.channel == DD_CAMPAIGN_CHANNEL_VOICE ? self->voice_recipients
                                                          : self->recipients;
}

static guint
hold_out_percent (DdCampaignWizard *self)
{
  return (guint) gtk_spin_button_get_value_as_int (self->hold_out_spin);
}

static void
count_hold_out (DdCampaignWizard *self,
                guint            *out_cases,
                guint            *out_held)
{
  GPtrArray *recipients = audience_recipients (self);
  g_autoptr(GHashTable) cases = g_hash_table_new (g_int64_hash, g_int64_equal);

  for (guint i = 0; recipients != NULL && i < recipients->len; i++)
    {
      DdRecipient *recipient = g_ptr_array_index (recipients, i);

      g_hash_table_add (cases, &recipient->case_id);
    }
  *out_cases = g_hash_table_size (cases);
  *out_held = (guint) (((guint64) *out_cases * hold_out_percent (self) + 50) / 100);
}

static void
update_hold_out (DdCampaignWizard *self)
{
  g_autofree char *text = NULL;
  guint cases, held;

  count_hold_out (self, &cases, &held);
  if (held == 0)
    text = g_strdup (hold_out_percent (self) == 0
                     ? _("Nobody is held out: the Effect report will have no group to compare "
                         "with")
                     : _("Too few debtors for a hold-out group: everybody is contacted"));
  else
    /* Translators: the hold-out group of a campaign; %1$u held out, %2$u debtors (cases) in
     * the audience */
    text = g_strdup_printf (ngettext ("%1$u of %2$u debtor is held out, chosen at random, and "
                                      "not contacted",
                                      "%1$u of %2$u debtors are held out, chosen at random, "
                                      "and not contacted", cases),
                            held, cases);
  adw_action_row_set_subtitle (self->hold_out_row, text);
}

static void
on_hold_out_changed (DdCampaignWizard *self)
{
  update_hold_out (self);
}

/* A copy of @recipients that dd_report_hold_out_recipients() may thin out. */
static GPtrArray *
copy_recipients (GPtrArray *recipients)
{
  GPtrArray *copy = g_ptr_array_new_full (recipients->len, (GDestroyNotify) dd_recipient_free);

  for (guint i = 0; i < recipients->len; i++)
    {
      const DdRecipient *r = g_ptr_array_index (recipients, i);
      DdRecipient *c = g_new0 (DdRecipient, 1);

      *c = *r;
      c->e164 = g_strdup (r->e164);
      c->name = g_strdup (r->name);
      c->language = g_strdup (r->language);
      c->creditor = g_strdup (r->creditor);
      c->currency = g_strdup (r->currency);
      c->invoice = g_strdup (r->invoice);
      c->due_on = g_strdup (r->due_on);
      g_ptr_array_add (copy, c);
    }
  return copy;
}

static void
fill_review (DdCampaignWizard *self)
{
  GSettings *settings = dd_context_get_settings (self->context);
  g_autoptr(GError) error = NULL;
  DdCampaignMessagesInfo info = { 0 };
  g_autofree char *messages = NULL;
  g_autofree char *segments = NULL;
  g_autofree char *when = NULL;
  g_autofree char *hours = NULL;
  g_autofree char *gateway = settings != NULL ? g_settings_get_string (settings, "sms-gateway")
                                              : g_strdup ("test");
  gint64 price = settings != NULL ? g_settings_get_int64 (settings, "sms-segment-price") : 0;

  update_hold_out (self);
  if (self->flow.channel == DD_CAMPAIGN_CHANNEL_VOICE)
    {
      fill_voice_review (self);
      return;
    }
  clear_review (self);

  if (!dd_campaign_messages_measure (self->flow.template_text, self->recipients,
                                     office_locale (self), self->message_flags, &info, &error))
    {
      show_toast (self, error->message);
      return;
    }

  add_review_row (self, _("Name"), self->flow.name);
  messages = g_strdup_printf (ngettext ("%u message", "%u messages", info.n_messages),
                              info.n_messages);
  add_review_row (self, _("Recipients"), messages);
  segments = g_strdup_printf (ngettext ("%u SMS segment", "%u SMS segments", info.n_segments),
                              info.n_segments);
  if (info.n_ucs2 > 0)
    /* Translators: appended to the number of segments */
    rewrite (&segments, ngettext ("%s (%u message in Unicode)", "%s (%u messages in Unicode)",
                                  info.n_ucs2),
             segments, info.n_ucs2);
  add_review_row (self, _("Segments"), segments);
  if (price > 0)
    {
      g_autofree char *currency = g_settings_get_string (settings, "default-currency");
      g_autofree char *cost = dd_money_format (price * info.n_segments, currency,
                                               office_locale (self));

      add_review_row (self, _("Estimated Cost"), cost);
    }
  else
    add_review_row (self, _("Estimated Cost"),
                    _("Set the price of a segment in Preferences to see it"));
  {
    g_autoptr(GError) plan_error = NULL;
    DdContactPlanCounts plan = { 0 };

    if (plan_contacts (self, self->recipients, &plan, &plan_error))
      {
        g_autofree char *text = describe_plan (&plan, FALSE);

        add_review_row (self, _("Contact Policy"), text);
        self->plan = plan;
      }
    else
      show_toast (self, plan_error->message);
  }
  add_review_row (self, _("Provider"),
                  g_strcmp0 (gateway, "test") == 0
                  ? _("Test inbox (nothing reaches real phones)")
                  : dd_sms_account_provider_title (gateway));
  if (self->flow.start_at != 0)
    {
      g_autoptr(GDateTime) at = g_date_time_new_from_unix_local (self->flow.start_at);

      when = g_date_time_format (at, "%Y-%m-%d %H:%M");
    }
  add_review_row (self, _("Start"), when != NULL ? when : _("Now"));
  /* Translators: sending hours, e.g. "8:00–20:00" */
  hours = g_strdup_printf (_("%u:00–%u:00"), self->flow.window_start / 60,
                           self->flow.window_end / 60);
  add_review_row (self, _("Sending Hours"), hours);
}

/* Actions */

/* The start the user chose, as the campaign stores it (UTC), or NULL for "now". */
static char *
schedule_text (DdCampaignWizard *self)
{
  g_autoptr(GDateTime) at = NULL;

  if (self->flow.start_at == 0)
    return NULL;
  at = g_date_time_new_from_unix_utc (self->flow.start_at);
  return g_date_time_format (at, "%Y-%m-%dT%H:%M:%SZ");
}

/* What a new campaign holds besides its row and its state: its messages or its calls. */
typedef gboolean (*CampaignContent) (DdCampaignWizard  *self,
                                     DdCampaignStore   *store,
                                     const DdCampaign  *campaign,
                                     gint64             id,
                                     gpointer           data,
                                     GError           **error);

/* One transaction: @campaign, its hold-out group of @recipients, what @content adds and its
 * first state (scheduled or running), or nothing. */
static gboolean
create_campaign (DdCampaignWizard  *self,
                 const DdCampaign  *campaign,
                 GPtrArray         *recipients,
                 CampaignContent    content,
                 gpointer           data,
                 GError           **error)
{
  DdDatabase *database = dd_context_get_database (self->context);
  g_autoptr(DdCampaignStore) store = dd_campaign_store_new (database);
  gint64 agent_id = dd_context_get_agent_id (self->context);
  gint64 id = 0;
  gboolean ok;

  if (!dd_database_begin (database, error))
    return FALSE;
  ok = dd_campaign_store_create (store, campaign, agent_id, &id, error) &&
       dd_report_hold_out_recipients (database, id, hold_out_percent (self), recipients, NULL,
                                      error) &&
       content (self, store, campaign, id, data, error) &&
       dd_campaign_store_set_state (store, id,
                                    campaign->schedule_at != NULL ? DD_CAMPAIGN_SCHEDULED
                                                                  : DD_CAMPAIGN_RUNNING,
                                    NULL, agent_id, error);
  if (!ok)
    {
      dd_database_rollback (database, NULL);
      return FALSE;
    }
  if (!dd_database_commit (database, error))
    return FALSE;
  self->campaign_id = id;
  return TRUE;
}

/* A voice campaign's content: its settings and its first attempts. */
typedef struct
{
  DdVoiceSettings *voice;
  GPtrArray       *to_call;
  gint64           not_before;
} VoiceCalls;

static gboolean
add_calls (DdCampaignWizard  *self,
           DdCampaignStore   *store,
           const DdCampaign  *campaign,
           gint64             id,
           gpointer           data,
           GError           **error)
{
  VoiceCalls *calls = data;
  DdDatabase *database = dd_context_get_database (self->context);
  g_autoptr(DdCallAttempts) attempts = dd_call_attempts_new (database);
  guint added = 0;

  return dd_campaign_store_set_voice (store, id, calls->voice, error) &&
         dd_call_attempts_plan (attempts, id, calls->to_call, calls->not_before, &added, error);
}

/* An SMS campaign's content: its messages to @data (the recipients). */
static gboolean
add_messages (DdCampaignWizard  *self,
              DdCampaignStore   *store,
              const DdCampaign  *campaign,
              gint64             id,
              gpointer           data,
              GError           **error)
{
  DdCampaignMessagesInfo info = { 0 };

  return dd_campaign_messages_enqueue (dd_context_get_database (self->context), id,
                                       self->flow.template_text, campaign->sender, data,
                                       office_locale (self), self->message_flags,
                                       campaign->schedule_at, &info, error);
}

static gboolean
start_voice_campaign (DdCampaignWizard  *self,
                      GError           **error)
{
  DdDatabase *database = dd_context_get_database (self->context);
  g_autoptr(DdVoiceSettings) voice = dd_voice_settings_new ();
  g_autoptr(GPtrArray) to_call = copy_recipients (self->voice_recipients);
  g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) caller_ids = g_ptr_array_new_with_free_func (g_free);
  g_auto(GStrv) typed = g_strsplit (gtk_editable_get_text (GTK_EDITABLE (self->caller_ids_row)),
                                    ",", -1);
  g_autofree char *filter = dd_case_query_to_json (selected_query (self));
  g_autofree char *schedule_at = NULL;
  DdCampaign campaign = { 0 };
  VoiceCalls calls = { .not_before = g_get_real_time () / G_USEC_PER_SEC };

  if (self->voice_recipients == NULL || self->voice_recipients->len == 0)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                           _("No debtor of these cases can be called."));
      return FALSE;
    }
  for (guint i = 0; i < self->line_checks->len; i++)
    if (gtk_check_button_get_active (g_ptr_array_index (self->line_checks, i)))
      g_ptr_array_add (lines,
                       g_strdup (((DdSipAccountInfo *) g_ptr_array_index (self->accounts, i))->name));
  g_ptr_array_add (lines, NULL);
  for (guint i = 0; typed[i] != NULL; i++)
    {
      g_strstrip (typed[i]);
      if (*typed[i] != '\0')
        g_ptr_array_add (caller_ids, g_strdup (typed[i]));
    }
  g_ptr_array_add (caller_ids, NULL);

  voice->flow_id = self->flow.flow_id;
  /* voices or recordings chosen: the flow's new version, which the campaign keeps */
  {
    gboolean changed = FALSE;
    g_autoptr(DdIvrFlow) chosen = flow_with_prompts (self, &changed, error);
    g_autoptr(DdIvrFlowStore) flows = dd_ivr_flow_store_new (database);
    g_autofree char *json = NULL;
    guint selected = adw_combo_row_get_selected (self->flow_row);
    const DdIvrFlowRecord *listed = self->flows != NULL && selected < self->flows->len
                                    ? g_ptr_array_index (self->flows, selected) : NULL;

    if (chosen == NULL)
      return FALSE;
    json = changed ? dd_ivr_flow_to_data (chosen, NULL) : NULL;
    /* under the name the office knows it by, as its next version */
    if (changed && listed != NULL &&
        !dd_ivr_flow_store_save (flows, listed->name, json, &voice->flow_id, NULL, error))
      return FALSE;
  }
  voice->lines = (char **) g_ptr_array_free (g_steal_pointer (&lines), FALSE);
  voice->caller_ids = caller_ids->len > 1
                      ? (char **) g_ptr_array_free (g_steal_pointer (&caller_ids), FALSE) : NULL;
  voice->concurrency = self->flow.concurrency;
  voice->attempts_per_day = (guint) gtk_spin_button_get_value_as_int (self->per_day_spin);
  voice->interval_s = (guint) gtk_spin_button_get_value_as_int (self->interval_spin) * 3600;
  voice->max_attempts = (guint) gtk_spin_button_get_value_as_int (self->max_attempts_spin);
  voice->machine = adw_combo_row_get_selected (self->machine_row) == 1 ? DD_MACHINE_HANGUP_RETRY
                                                                       : DD_MACHINE_VOICEMAIL;
  if (gtk_switch_get_active (self->confirm_switch))
    /* Translators: the SMS confirming a payment declaration made in a voice call; keep the
     * placeholders in braces as they are */
    voice->confirm_sms = g_strdup (_("We noted your promise to pay {declared_amount} by "
                                     "{declared_date}. Thank you."));

  schedule_at = schedule_text (self);
  if (self->flow.start_at != 0)
    calls.not_before = self->flow.start_at;
  campaign.name = self->flow.name;
  campaign.kind = (char *) "voice";
  campaign.audience_filter = filter;
  campaign.schedule_at = schedule_at;
  /* no sending hours: calls keep the contact policy's calling hours */

  calls.voice = voice;
  calls.to_call = to_call;
  if (!create_campaign (self, &campaign, to_call, add_calls, &calls, error))
    return FALSE;
  /* the window wakes the runner */
  dd_context_campaigns_changed (self->context);
  return TRUE;
}

static gboolean
start_campaign (DdCampaignWizard  *self,
                GError           **error)
{
  GSettings *settings = dd_context_get_settings (self->context);
  g_autoptr(GPtrArray) to_send = copy_recipients (self->recipients);
  g_autofree char *filter = dd_case_query_to_json (selected_query (self));
  g_autofree char *gateway = settings != NULL ? g_settings_get_string (settings, "sms-gateway")
                                              : g_strdup ("test");
  g_autofree char *schedule_at = schedule_text (self);
  g_autofree char *windows = g_strdup_printf ("{\"start\":%u,\"end\":%u}",
                                              self->flow.window_start, self->flow.window_end);
  DdCampaign campaign = { 0 };

  campaign.name = self->flow.name;
  campaign.kind = (char *) "sms";
  campaign.audience_filter = filter;
  campaign.template_text = self->flow.template_text;
  campaign.sender = self->flow.sender != NULL && *self->flow.sender != '\0'
                    ? self->flow.sender : NULL;
  campaign.gateway = gateway;
  campaign.schedule_at = schedule_at;
  campaign.windows = windows;
  campaign.throttle_per_minute = gtk_spin_button_get_value_as_int (self->throttle_spin);

  return create_campaign (self, &campaign, to_send, add_messages, to_send, error);
}

static void
next_activated (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  DdCampaignWizard *self = DD_CAMPAIGN_WIZARD (widget);
  g_autoptr(GError) error = NULL;

  if (dd_campaign_flow_next_starts (&self->flow))
    {
      self->flow.starting = TRUE;
      update_ui (self);
      if (self->flow.channel == DD_CAMPAIGN_CHANNEL_VOICE ? !start_voice_campaign (self, &error)
                                                          : !start_campaign (self, &error))
        {
          self->flow.starting = FALSE;
          show_toast (self, error->message);
          update_ui (self);
          return;
        }
      self->flow.starting = FALSE;
      adw_status_page_set_title (self->started_page, self->flow.start_at != 0
                                                      ? _("Campaign Scheduled")
                                                      : _("Campaign Started"));
      adw_status_page_set_description (self->started_page,
                                       self->flow.channel == DD_CAMPAIGN_CHANNEL_VOICE
                                       ? _("Follow its calls under Campaigns. You may close "
                                           "the window: calling goes on while Dunning Desk runs.")
                                       : _("Follow its progress under Campaigns. You may close "
                                           "the window: sending goes on while Dunning Desk runs."));
      dd_campaign_flow_next (&self->flow);
      g_signal_emit (self, signals[CAMPAIGN_STARTED], 0, self->campaign_id);
      update_ui (self);
      return;
    }

  if (!dd_campaign_flow_next (&self->flow))
    return;
  if (self->flow.step == DD_CAMPAIGN_STEP_MESSAGE)
    update_message (self);
  else if (self->flow.step == DD_CAMPAIGN_STEP_SCHEDULE)
    on_schedule_changed (self);
  else if (self->flow.step == DD_CAMPAIGN_STEP_REVIEW)
    fill_review (self);
  update_ui (self);
}

static void
back_activated (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  DdCampaignWizard *self = DD_CAMPAIGN_WIZARD (widget);

  dd_campaign_flow_back (&self->flow);
  update_ui (self);
}

static void
transliterate_activated (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *parameter)
{
  DdCampaignWizard *self = DD_CAMPAIGN_WIZARD (widget);
  g_autofree char *text = template_text (self);
  g_autofree char *plain = dd_campaign_messages_transliterate (text);

  /* the debtors' names and the amounts too, when each message is written */
  self->message_flags |= DD_CAMPAIGN_MESSAGES_PLAIN;
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->template_view), plain, -1);
  show_toast (self, _("Special characters are replaced, also in names and amounts"));
}

static void
preview_activated (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  DdCampaignWizard *self = DD_CAMPAIGN_WIZARD (widget);
  guint n = self->recipients != NULL ? self->recipients->len : 0;

  if (n == 0)
    return;
  if (g_str_equal (action_name, "wizard.preview-next"))
    self->preview_index = (self->preview_index + 1) % n;
  else
    self->preview_index = (self->preview_index + n - 1) % n;
  update_message (self);
}

/* The user's own number typed in @row, in E.164 (the office's country for a national one); a
 * toast says what is wrong with it. */
static char *
typed_number (DdCampaignWizard *self,
              AdwEntryRow      *row)
{
  GSettings *settings = dd_context_get_settings (self->context);
  g_autofree char *country = settings != NULL
                             ? g_settings_get_string (settings, "default-country")
                             : g_strdup ("PL");
  g_autoptr(GError) error = NULL;
  char *e164 = NULL;

  if (!dd_phone_normalize (gtk_editable_get_text (GTK_EDITABLE (row)), country, &e164, NULL,
                           &error))
    {
      show_toast (self, error->message);
      return NULL;
    }
  return e164;
}

static void
send_test_activated (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  DdCampaignWizard *self = DD_CAMPAIGN_WIZARD (widget);
  g_autoptr(DdOutbox) outbox = dd_outbox_new (dd_context_get_database (self->context));
  g_autoptr(GError) error = NULL;
  g_autofree char *e164 = typed_number (self, self->test_number_row);
  g_autofree char *body = NULL;
  g_autofree char *key = NULL;
  const DdRecipient *recipient = self->recipients != NULL && self->recipients->len > 0
                                 ? g_ptr_array_index (self->recipients, 0) : NULL;
  DdOutboxNew item = { 0 };

  if (e164 == NULL)
    return;
  body = recipient != NULL
         ? dd_campaign_messages_render (self->flow.template_text, recipient, office_locale (self),
                                        NULL, NULL, &error)
         : g_strdup (self->flow.template_text);
  if (body == NULL)
    {
      show_toast (self, error->message);
      return;
    }
  key = g_strdup_printf ("dd-test-%" G_GINT64_FORMAT "-%s", g_get_real_time (), e164);
  item.e164 = e164;
  item.body = body;
  item.idempotency_key = key;
  if (!dd_outbox_enqueue (outbox, 0, self->flow.sender, &item, 1, NULL, &error))
    {
      show_toast (self, error->message);
      return;
    }
  /* Translators: %s is a phone number */
  {
    g_autofree char *done = g_strdup_printf (_("Test message queued for %s"), e164);

    show_toast (self, done);
  }
}

static void
on_test_call_ended (DdVoiceCampaign  *runner,
                    gint64            campaign_id,
                    gint64            attempt_id,
                    DdCampaignWizard *self)
{
  if (attempt_id >= 0 || self->test_call == NULL)
    return;
  g_signal_handlers_disconnect_by_func (runner, on_test_call_ended, self);
  g_clear_object (&self->test_call);
  show_toast (self, _("The test call ended"));
}

/* Call Me: the flow, with the voices and recordings chosen, on the user's own phone through
 * the first chosen line, with the first debtor's data; nothing is recorded. */
static void
dial_test_activated (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  DdCampaignWizard *self = DD_CAMPAIGN_WIZARD (widget);
  g_autoptr(GError) error = NULL;
  g_autoptr(DdIvrFlow) flow = NULL;
  g_autofree char *e164 = NULL;
  g_autofree char *text = NULL;
  const char *line = NULL;
  const DdRecipient *first = self->voice_recipients != NULL && self->voice_recipients->len > 0
                             ? g_ptr_array_index (self->voice_recipients, 0) : NULL;
  DdVoiceCampaign *runner;
  DdCall *call;

  if (self->ivr_flow == NULL)
    return;
  if (self->test_call != NULL)
    {
      show_toast (self, _("The test call is still on the line"));
      return;
    }
  e164 = typed_number (self, self->test_call_number_row);
  if (e164 == NULL)
    return;
  for (guint i = 0; line == NULL && i < self->line_checks->len; i++)
    if (gtk_check_button_get_active (g_ptr_array_index (self->line_checks, i)))
      line = ((DdSipAccountInfo *) g_ptr_array_index (self->accounts, i))->name;
  flow = flow_with_prompts (self, NULL, &error);
  runner = flow != NULL ? dd_context_get_voice_campaign (self->context, &error) : NULL;
  call = runner != NULL ? dd_voice_campaign_test_call (runner, flow,
                                                       first != NULL ? first->case_id : 0, e164,
                                                       line, &error)
                        : NULL;
  if (call == NULL)
    {
      show_toast (self, error->message);
      return;
    }
  self->test_call = g_object_ref (call);
  g_signal_connect_object (runner, "attempt-ended", G_CALLBACK (on_test_call_ended), self, 0);
  /* Translators: %s is the user's phone number */
  text = g_strdup_printf (_("Calling %s…"), e164);
  show_toast (self, text);
}

static void
test_call_activated (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  DdCampaignWizard *self = DD_CAMPAIGN_WIZARD (widget);
  DdIvrTestCall *dialog;

  if (self->ivr_flow == NULL)
    return;
  dialog = dd_ivr_test_call_new (GTK_WINDOW (self), self->context, self->ivr_flow);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* GObject */

static void
fill_filters (DdCampaignWizard *self)
{
  g_autoptr(DdSavedFilterStore) store = dd_saved_filter_store_new (dd_context_get_database (self->context));
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);
  g_autoptr(GPtrArray) saved = NULL;
  g_autoptr(GError) error = NULL;

  if (self->list_query != NULL && dd_case_query_is_filtered (self->list_query))
    {
      gtk_string_list_append (names, _("The cases shown in the list"));
      g_ptr_array_add (self->queries, dd_case_query_copy (self->list_query));
    }
  gtk_string_list_append (names, _("All open cases"));
  g_ptr_array_add (self->queries, dd_case_query_new ());

  saved = dd_saved_filter_store_list (store, &error);
  if (saved == NULL)
    g_warning ("Could not read the saved filters: %s", error->message);
  for (guint i = 0; saved != NULL && i < saved->len; i++)
    {
      DdSavedFilter *filter = g_ptr_array_index (saved, i);

      gtk_string_list_append (names, filter->name);
      g_ptr_array_add (self->queries, dd_case_query_copy (filter->query));
    }
  adw_combo_row_set_model (self->filter_row, G_LIST_MODEL (names));
}

static void
fill_chips (DdCampaignWizard *self)
{
  const char * const *placeholders = dd_campaign_messages_placeholders ();

  for (guint i = 0; placeholders[i] != NULL; i++)
    {
      g_autofree char *label = g_strdup_printf ("{%s}", placeholders[i]);
      GtkWidget *button = gtk_button_new_with_label (label);

      gtk_widget_set_tooltip_text (button,
                                   dd_campaign_messages_placeholder_label (placeholders[i]));
      gtk_widget_add_css_class (button, "pill");
      gtk_widget_add_css_class (button, "caption");
      g_object_set_data (G_OBJECT (button), "dd-placeholder", (gpointer) placeholders[i]);
      g_signal_connect_object (button, "clicked", G_CALLBACK (on_chip_clicked), self, 0);
      gtk_flow_box_append (self->chips_box, button);
    }
}

/* Fills the steps once the context and the list's query are known. */
static void
setup (DdCampaignWizard *self)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *month = g_date_time_format (now, "%Y-%m");
  g_autofree char *name = NULL;

  self->updating = TRUE;
  /* Translators: the suggested name of a new campaign; %s is the year and month */
  name = g_strdup_printf (_("Reminders %s"), month);
  gtk_editable_set_text (GTK_EDITABLE (self->name_row), name);
  fill_filters (self);
  fill_chips (self);
  fill_flows (self);
  refresh_lines (self);
  if (dd_context_get_settings (self->context) != NULL)
    g_signal_connect_object (dd_context_get_settings (self->context), "changed::sip-accounts",
                             G_CALLBACK (refresh_lines), self, G_CONNECT_SWAPPED);
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->template_view),
                            /* Translators: the suggested SMS reminder; keep the placeholders
                             * in braces as they are, and keep it short (160 characters) */
                            _("{name}, invoice {invoice} for {amount} was due on {due_date}. "
                              "Please pay it to avoid further steps. {creditor}"),
                            -1);
  self->updating = FALSE;
  on_name_changed (self);
  start_count (self);
}

static void
dd_campaign_wizard_dispose (GObject *object)
{
  DdCampaignWizard *self = DD_CAMPAIGN_WIZARD (object);

  dd_number_look_up_cancel (&self->checking);

  g_cancellable_cancel (self->count_cancellable);
  g_clear_object (&self->count_cancellable);
  if (self->test_call != NULL)
    dd_call_hangup (self->test_call);
  g_clear_object (&self->test_call);
  gtk_widget_dispose_template (GTK_WIDGET (self), DD_TYPE_CAMPAIGN_WIZARD);

  G_OBJECT_CLASS (dd_campaign_wizard_parent_class)->dispose (object);
}

static void
dd_campaign_wizard_finalize (GObject *object)
{
  DdCampaignWizard *self = DD_CAMPAIGN_WIZARD (object);

  dd_campaign_flow_clear (&self->flow);
  g_clear_pointer (&self->recipients, g_ptr_array_unref);
  g_clear_pointer (&self->queries, g_ptr_array_unref);
  g_clear_pointer (&self->review_rows, g_ptr_array_unref);
  g_clear_pointer (&self->accounts, g_ptr_array_unref);
  g_clear_pointer (&self->voice_recipients, g_ptr_array_unref);
  g_clear_pointer (&self->line_checks, g_ptr_array_unref);
  g_clear_pointer (&self->line_rows, g_ptr_array_unref);
  g_clear_pointer (&self->issue_rows, g_ptr_array_unref);
  g_clear_pointer (&self->prompt_rows, g_ptr_array_unref);
  g_clear_pointer (&self->prompt_files, g_hash_table_unref);
  g_clear_pointer (&self->flows, g_ptr_array_unref);
  g_clear_object (&self->ivr_flow);
  g_clear_pointer (&self->list_query, dd_case_query_free);
  g_clear_object (&self->context);

  G_OBJECT_CLASS (dd_campaign_wizard_parent_class)->finalize (object);
}

static void
dd_campaign_wizard_class_init (DdCampaignWizardClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = dd_campaign_wizard_dispose;
  object_class->finalize = dd_campaign_wizard_finalize;

  /**
   * DdCampaignWizard:context:
   *
   * The services of the window that opened it.
   */
  dd_context_install_property (object_class, G_STRUCT_OFFSET (DdCampaignWizard, context), 0);

  /**
   * DdCampaignWizard::campaign-started:
   * @campaign_id: the new campaign
   *
   * The campaign was created, with its messages, running or scheduled.
   */
  signals[CAMPAIGN_STARTED] =
    g_signal_new ("campaign-started", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_INT64);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/dunningdesk/DunningDesk/dd-campaign-wizard.ui");
  dd_application_install_help_action (widget_class);
  gtk_widget_class_bind_template_child (widget_class, DdCampaignWizard, window_title);
  gtk_widget_class_bind_template_child (widget_class, DdCampaignWizard, back_button);
  gtk_widget_class_bind_template_child (widget_class, DdCampaignWizard, next_button);
  gtk_widget_class_bind_template_child (widget_class, DdCampaignWizard, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, DdCampaignWizard, stack);
  gtk_widget_class_bind_template_child (widget_class, DdCampaignWizard, problem_label);
  gtk_widget_class_bind_template_child (widget_class, DdCampaignWizard, name_row);
  gtk_widget_class_bind_template_child (widget_class, DdCampaignWizard, filter_row);
  gtk_widget_class_bind_template_child (widget_class, DdCampaignWizard, mobile_switch);
  gtk_widget_class_bind_template_child (widget_class, DdCampaignWizard, count_row);
  gtk_widget_class_bind_template_child (widget_class, DdCampaignWizard, count_spinner);
  gtk_widget_class_bind_template_child (widget_class, DdCampaignWizard, sms_check);
  gtk_widget_class_bind_template_child (widget_class, DdCampaignWizard, voice_check);
  gtk_widget_class_bind_template_child (widget_class, DdCampaignWizard, chips_box);
  gtk_widget_class_bind_template_child (widget_class, DdCampaignWizard, template_view);
  gtk_widget_class_bind_template_child (widget_class, DdCampaignWizard, counter_label);
  gtk_widget_class_bind_template_child (widget_class, DdCampaignWizard, ucs2_box);
  gtk_widget_class_bind_template_child (widget_class, DdCampaignWizard, ucs2_label);
  gtk_widget_class_bind_template_child (widget_class, DdCampaignWizard, preview_to_label);
  gtk_widget_class_bind_template_child (widget_class, DdCampaignWizard, preview_label);
  gtk_widget_class_bind_template_child (widget_class, DdCampaignWizard, sender_row);
  gtk_widget_class_bind_template_child (widget_class, DdCampaignWizard, now_check);
  gtk_widget_class_bind_template_child (widget_class, DdCampaignWizard, later_check);
  gtk_widget_class_bind_template_child (widget_class, DdCampaignWizard, at_row);
  gtk_widget_class_bind_template_child (widget_class, DdCampaignWizard, from_spin);
  gtk_widget_class_bind_template_child (widget_class, DdCampaignWizard, until_spin);
  gtk_widget_class_bind_template_child (widget_class, DdCampaignWizard, throttle_spin);
  gtk_widget_class_bind_template_child (widget_class, DdCampaignWizard, review_group);
  gtk_widget_class_bind_template_child (widget_class, DdCampaignWizard, hold_out_row);
  gtk_widget_class_bind_template_child (widget_class, DdCampaignWizard, hold_out_spin);
  gtk_widget_class_bind_template_callback (widget_class, on_hold_out_changed);
  gtk_widget_class_bind_template_child (widget_class, DdCampaignWizard, test_number_row);
  gtk_widget_class_bind_template_child (widget_class, DdCampaignWizard, started_page);
  gtk_widget_class_bind_template_child (widget_class, DdCampaignWizard, voice_row);
  gtk_widget_class_bind_template_child (widget_class, DdCampaignWizard, setup_line_button);
  gtk_widget_class_bind_template_child (widget_class, DdCampaignWizard, flow_row);
  gtk_widget_class_bind_template_child (widget_class, DdCampaignWizard, flow_language_row);
  gtk_widget_class_bind_template_child (widget_class, DdCampaignWizard, flow_issues_group);
  gtk_widget_class_bind_template_child (widget_class, DdCampaignWizard, lines_group);
  gtk_widget_class_bind_template_child (widget_class, DdCampaignWizard, caller_ids_row);
  gtk_widget_class_bind_template_child (widget_class, DdCampaignWizard, concurrency_spin);
  gtk_widget_class_bind_template_child (widget_class, DdCampaignWizard, concurrency_row);
  gtk_widget_class_bind_template_child (widget_class, DdCampaignWizard, per_day_spin);
  gtk_widget_class_bind_template_child (widget_class, DdCampaignWizard, interval_spin);
  gtk_widget_class_bind_template_child (widget_class, DdCampaignWizard, max_attempts_spin);
  gtk_widget_class_bind_template_child (widget_class, DdCampaignWizard, machine_row);
  gtk_widget_class_bind_template_child (widget_class, DdCampaignWizard, confirm_switch);
  gtk_widget_class_bind_template_child (widget_class, DdCampaignWizard, test_call_group);
  gtk_widget_class_bind_template_child (widget_class, DdCampaignWizard, test_message_group);
  gtk_widget_class_bind_template_child (widget_class, DdCampaignWizard, hours_group);
  gtk_widget_class_bind_template_child (widget_class, DdCampaignWizard, test_call_row);
  gtk_widget_class_bind_template_child (widget_class, DdCampaignWizard, test_call_number_row);
  gtk_widget_class_bind_template_child (widget_class, DdCampaignWizard, prompts_group);
  gtk_widget_class_bind_template_callback (widget_class, on_setup_line_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_flow_selected);
  gtk_widget_class_bind_template_callback (widget_class, on_call_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_name_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_audience_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_check_numbers_clicked);
  gtk_widget_class_bind_template_child (widget_class, DdCampaignWizard, check_numbers_row);
  gtk_widget_class_bind_template_child (widget_class, DdCampaignWizard, check_numbers_button);
  gtk_widget_class_bind_template_child (widget_class, DdCampaignWizard, check_numbers_progress);
  gtk_widget_class_bind_template_callback (widget_class, on_channel_toggled);
  gtk_widget_class_bind_template_callback (widget_class, on_sender_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_schedule_changed);

  gtk_widget_class_install_action (widget_class, "wizard.next", NULL, next_activated);
  gtk_widget_class_install_action (widget_class, "wizard.back", NULL, back_activated);
  gtk_widget_class_install_action (widget_class, "wizard.transliterate", NULL,
                                   transliterate_activated);
  gtk_widget_class_install_action (widget_class, "wizard.preview-next", NULL, preview_activated);
  gtk_widget_class_install_action (widget_class, "wizard.preview-previous", NULL,
                                   preview_activated);
  gtk_widget_class_install_action (widget_class, "wizard.send-test", NULL, send_test_activated);
  gtk_widget_class_install_action (widget_class, "wizard.test-call", NULL, test_call_activated);
  gtk_widget_class_install_action (widget_class, "wizard.dial-test", NULL, dial_test_activated);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
dd_campaign_wizard_init (DdCampaignWizard *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->checking.button = self->check_numbers_button;
  self->checking.progress = self->check_numbers_progress;
  self->checking.done = on_numbers_checked;
  dd_campaign_flow_init (&self->flow);
  self->flow.now = g_get_real_time () / G_USEC_PER_SEC;
  self->queries = g_ptr_array_new_with_free_func ((GDestroyNotify) dd_case_query_free);
  self->review_rows = g_ptr_array_new ();
  self->accounts = g_ptr_array_new_with_free_func ((GDestroyNotify) dd_sip_account_info_free);
  self->line_checks = g_ptr_array_new ();
  self->line_rows = g_ptr_array_new ();
  self->issue_rows = g_ptr_array_new ();
  self->prompt_rows = g_ptr_array_new ();
  self->prompt_files = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_signal_connect_object (gtk_text_view_get_buffer (self->template_view), "changed",
                           G_CALLBACK (on_template_changed), self, G_CONNECT_SWAPPED);
}

DdCampaignWizard *
dd_campaign_wizard_new (GtkWindow         *parent,
                        DdContext         *context,
                        const DdCaseQuery *query)
{
  DdCampaignWizard *self;

  g_return_val_if_fail (DD_IS_CONTEXT (context), NULL);

  self = g_object_new (DD_TYPE_CAMPAIGN_WIZARD,
                       "transient-for", parent,
                       "context", context,
                       NULL);
  self->list_query = query != NULL ? dd_case_query_copy (query) : NULL;
  setup (self);
  return self;
}

const char *
dd_campaign_wizard_get_help_page (DdCampaignWizard *self)
{
  g_return_val_if_fail (DD_IS_CAMPAIGN_WIZARD (self), NULL);

  return self->flow.channel == DD_CAMPAIGN_CHANNEL_VOICE ? "voice-campaigns" : "campaigns";
}

const DdCampaignFlow *
_dd_campaign_wizard_get_flow (DdCampaignWizard *self)
{
  return &self->flow;
}

gboolean
_dd_campaign_wizard_is_counting (DdCampaignWizard *self)
{
  return self->flow.counting;
}

void
_dd_campaign_wizard_set_template (DdCampaignWizard *self,
                                  const char       *text)
{
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->template_view), text, -1);
}

gint64
_dd_campaign_wizard_get_campaign_id (DdCampaignWizard *self)
{
  return self->campaign_id;
}

void
_dd_campaign_wizard_get_voice_plan (DdCampaignWizard    *self,
                                    DdCampaignVoicePlan *out_plan)
{
  *out_plan = self->voice_plan;
}

void
_dd_campaign_wizard_get_plan (DdCampaignWizard    *self,
                              DdContactPlanCounts *out_plan)
{
  *out_plan = self->plan;
}

void
_dd_campaign_wizard_set_recording (DdCampaignWizard *self,
                                   const char       *node_id,
                                   const char       *path)
{
  g_return_if_fail (DD_IS_CAMPAIGN_WIZARD (self));
  g_return_if_fail (node_id != NULL);

  if (path != NULL)
    g_hash_table_insert (self->prompt_files, g_strdup (node_id), g_strdup (path));
  else
    g_hash_table_remove (self->prompt_files, node_id);
  for (guint i = 0; i < self->prompt_rows->len; i++)
    {
      AdwComboRow *row = g_ptr_array_index (self->prompt_rows, i);

      if (g_strcmp0 (g_object_get_data (G_OBJECT (row), "dd-node-id"), node_id) == 0)
        update_prompt_row (self, row);
    }
}

DdCall *
_dd_campaign_wizard_get_test_call (DdCampaignWizard *self)
{
  g_return_val_if_fail (DD_IS_CAMPAIGN_WIZARD (self), NULL);

  return self->test_call;
}
