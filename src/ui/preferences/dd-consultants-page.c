/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "dd-consultants-page"

#include "config.h"

#include "dd-consultants-page.h"

#include "dd-agent-state-store.h"
#include "dd-agent-store.h"
#include "dd-inbound-store.h"
#include "dd-inline-error.h"
#include "dd-file-chooser.h"
#include "dd-question.h"
#include "dd-sip-accounts.h"

#include <glib/gi18n.h>

struct _DdConsultantsPage
{
  AdwPreferencesPage   parent_instance;

  DdContext           *context;
  GPtrArray           *rows;          /* AdwExpanderRow, owned by the group */
  char                *add_error;     /* the Add dialog's last refusal */

  AdwPreferencesGroup *consultants_group;
  AdwPreferencesGroup *empty_group;
  GtkButton           *add_button;

  /* the inbound line and its queues */
  DdInboundStore      *inbound;
  GPtrArray           *account_names;  /* of the account row's items after "None" */
  GArray              *flow_ids;       /* of the flow row's items after "None" */
  GPtrArray           *queue_rows;     /* AdwExpanderRow, owned by the group */
  gboolean             loading_line;
  AdwPreferencesGroup *line_group;
  AdwComboRow         *account_row;
  AdwComboRow         *flow_row;
  AdwActionRow        *max_waiting_row;
  GtkSpinButton       *max_waiting_spin;
  GtkLabel            *line_error_label;
  AdwPreferencesGroup *queues_group;
  GtkButton           *add_queue_button;
};

G_DEFINE_FINAL_TYPE (DdConsultantsPage, dd_consultants_page, ADW_TYPE_PREFERENCES_PAGE)

enum {
  SIGNAL_CONSULTANTS_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void load_line   (DdConsultantsPage *self);
static void load_queues (DdConsultantsPage *self);

static void
changed (DdConsultantsPage *self)
{
  g_signal_emit (self, signals[SIGNAL_CONSULTANTS_CHANGED], 0);
}

static gboolean
may_edit (DdConsultantsPage *self)
{
  return self->context != NULL && dd_context_get_is_manager (self->context);
}

static void
toast (DdConsultantsPage *self,
       const char        *message)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  if (ADW_IS_PREFERENCES_WINDOW (root))
    adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (root), adw_toast_new (message));
  else
    g_message ("%s", message);
}

/* Where the consultant takes calls, as the row's subtitle. */
static void
set_where (AdwExpanderRow *row,
           const char     *uri)
{
  adw_expander_row_set_subtitle (row, uri != NULL && *uri != '\0' ? uri
                                      : _("This desk’s headset"));
}

static void
show_row_error (GtkWidget  *row,
                const char *message)
{
  gtk_label_set_text (g_object_get_data (G_OBJECT (row), "dd-error-label"),
                      message != NULL ? message : "");
  gtk_widget_set_visible (g_object_get_data (G_OBJECT (row), "dd-error-row"), message != NULL);
}

/* An entry of a consultant's row, checked or stored: refused (@error set), it turns red and the
 * reason shows under it; taken, both clear. */
static gboolean
entry_result (GtkWidget    *entry,
              GtkWidget    *row,
              const GError *error)
{
  dd_mark_wrong (entry, error != NULL);
  show_row_error (row, error != NULL ? error->message : NULL);
  return error == NULL;
}

/* The consultant's row a widget of it belongs to, and the consultant's id. */
static GtkWidget *
expander_of (gpointer  widget,
             gint64   *agent_id)
{
  GtkWidget *row = g_object_get_data (G_OBJECT (widget), "dd-expander");

  *agent_id = *(gint64 *) g_object_get_data (G_OBJECT (row), "dd-agent-id");
  return row;
}

/* The address is checked as it is typed: the row turns red and says why at once. */
static void
on_uri_changed (GtkEditable *editable,
                GtkWidget   *row)
{
  g_autoptr(GError) error = NULL;

  dd_agent_state_store_check_sip_uri (gtk_editable_get_text (editable), &error);
  entry_result (GTK_WIDGET (editable), row, error);
}

/* The name or the address of a consultant's row, applied: stored, and shown in the row (the
 * name as its title, the address as stored as its subtitle). */
static void
on_entry_applied (AdwEntryRow       *entry,
                  DdConsultantsPage *self)
{
  gint64 agent_id;
  GtkWidget *row = expander_of (entry, &agent_id);
  DdDatabase *db = dd_context_get_database (self->context);
  const char *text = gtk_editable_get_text (GTK_EDITABLE (entry));
  g_autoptr(GError) error = NULL;

  if (GTK_WIDGET (entry) == g_object_get_data (G_OBJECT (row), "dd-name-row"))
    {
      g_autoptr(DdAgentStore) agents = dd_agent_store_new (db);
      g_autofree char *name = g_strstrip (g_strdup (text));

      if (dd_agent_store_rename (agents, agent_id, name, &error))
        adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), name);
    }
  else
    {
      g_autoptr(DdAgentStateStore) states = dd_agent_state_store_new (db);

      if (dd_agent_state_store_set_sip_uri (states, agent_id, text, &error))
        {
          g_autofree char *stored = dd_agent_state_store_get_sip_uri (states, agent_id, NULL);

          set_where (ADW_EXPANDER_ROW (row), stored);
        }
    }
  if (entry_result (GTK_WIDGET (entry), row, error))
    changed (self);
}

static void
on_remove_clicked (GtkButton         *button,
                   DdConsultantsPage *self)
{
  gint64 agent_id;
  GtkWidget *row = expander_of (button, &agent_id);
  g_autoptr(DdAgentStore) agents = dd_agent_store_new (dd_context_get_database (self->context));
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;

  if (!dd_agent_store_set_active (agents, agent_id, FALSE, &error))
    {
      show_row_error (row, error->message);
      return;
    }
  /* Translators: %s is a consultant's name */
  message = g_strdup_printf (_("%s no longer takes calls"),
                             adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)));
  dd_consultants_page_reload (self);
  toast (self, message);
  changed (self);
}

/* An entry of @expander, with its apply button. */
static GtkWidget *
add_entry_row (GtkWidget  *expander,
               const char *title,
               const char *text)
{
  GtkWidget *entry = adw_entry_row_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (entry), title);
  adw_preferences_row_set_use_underline (ADW_PREFERENCES_ROW (entry), TRUE);
  adw_entry_row_set_show_apply_button (ADW_ENTRY_ROW (entry), TRUE);
  gtk_editable_set_text (GTK_EDITABLE (entry), text != NULL ? text : "");
  g_object_set_data (G_OBJECT (entry), "dd-expander", expander);
  adw_expander_row_add_row (ADW_EXPANDER_ROW (expander), entry);
  return entry;
}

/* The last rows of @expander (dd-consultants-row-tail.ui): the reason one of its entries was
 * refused (show_row_error(); hidden), then what removing does, with the button
 * ("dd-remove-button"). Returns the latter row. */
static GtkWidget *
add_error_and_remove_rows (GtkWidget  *expander,
                           const char *remove_title,
                           const char *remove_subtitle)
{
  g_autoptr(GtkBuilder) builder =
    gtk_builder_new_from_resource ("/io/github/dunningdesk/DunningDesk/dd-consultants-row-tail.ui");
  GtkWidget *error_row = GTK_WIDGET (gtk_builder_get_object (builder, "error_row"));
  GtkWidget *remove_row = GTK_WIDGET (gtk_builder_get_object (builder, "remove_row"));
  GObject *remove_button = gtk_builder_get_object (builder, "remove_button");

  g_object_set_data (G_OBJECT (expander), "dd-error-row", error_row);
  g_object_set_data (G_OBJECT (expander), "dd-error-label",
                     gtk_builder_get_object (builder, "error_label"));
  adw_expander_row_add_row (ADW_EXPANDER_ROW (expander), error_row);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (remove_row), remove_title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (remove_row), remove_subtitle);
  g_object_set_data (remove_button, "dd-expander", expander);
  g_object_set_data (G_OBJECT (expander), "dd-remove-button", remove_button);
  adw_expander_row_add_row (ADW_EXPANDER_ROW (expander), remove_row);
  return remove_row;
}

static GtkWidget *
add_row (DdConsultantsPage *self,
         const DdAgent     *agent,
         const char        *uri)
{
  GtkWidget *row = adw_expander_row_new ();
  GtkWidget *name_row, *uri_row, *remove_row;
  gint64 *id = g_new (gint64, 1);

  *id = agent->id;
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), agent->name);
  set_where (ADW_EXPANDER_ROW (row), uri);
  g_object_set_data_full (G_OBJECT (row), "dd-agent-id", id, g_free);

  name_row = add_entry_row (row, _("_Name"), agent->name);
  g_signal_connect_object (name_row, "apply", G_CALLBACK (on_entry_applied), self, 0);

  uri_row = add_entry_row (row, _("_SIP Address (empty: this desk’s headset)"), uri);
  adw_entry_row_set_input_purpose (ADW_ENTRY_ROW (uri_row), GTK_INPUT_PURPOSE_URL);
  g_signal_connect (uri_row, "changed", G_CALLBACK (on_uri_changed), row);
  g_signal_connect_object (uri_row, "apply", G_CALLBACK (on_entry_applied), self, 0);

  /* the reason an entry was refused, under it */
  remove_row = add_error_and_remove_rows (row, _("Remove from the Desk"),
                                          _("The user is deactivated; cases and calls keep "
                                            "the name."));
  g_signal_connect_object (g_object_get_data (G_OBJECT (row), "dd-remove-button"), "clicked",
                           G_CALLBACK (on_remove_clicked), self, 0);

  g_object_set_data (G_OBJECT (row), "dd-name-row", name_row);
  g_object_set_data (G_OBJECT (row), "dd-uri-row", uri_row);
  gtk_widget_set_sensitive (name_row, may_edit (self));
  gtk_widget_set_sensitive (uri_row, may_edit (self));
  gtk_widget_set_sensitive (remove_row, may_edit (self));

  adw_preferences_group_add (self->consultants_group, row);
  g_ptr_array_add (self->rows, row);
  return row;
}

void
dd_consultants_page_reload (DdConsultantsPage *self)
{
  g_autoptr(DdAgentStore) agents = NULL;
  g_autoptr(DdAgentStateStore) states = NULL;
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(GError) error = NULL;

  g_return_if_fail (DD_IS_CONSULTANTS_PAGE (self));

  for (guint i = 0; i < self->rows->len; i++)
    adw_preferences_group_remove (self->consultants_group, g_ptr_array_index (self->rows, i));
  g_ptr_array_set_size (self->rows, 0);

  agents = dd_agent_store_new (dd_context_get_database (self->context));
  states = dd_agent_state_store_new (dd_context_get_database (self->context));
  list = dd_agent_store_list (agents, FALSE, &error);
  if (list == NULL)
    {
      g_warning ("Cannot read the consultants: %s", error->message);
      return;
    }
  for (guint i = 0; i < list->len; i++)
    {
      const DdAgent *agent = g_ptr_array_index (list, i);
      g_autofree char *uri = dd_agent_state_store_get_sip_uri (states, agent->id, NULL);

      add_row (self, agent, uri);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->empty_group), list->len == 0);
  gtk_widget_set_sensitive (GTK_WIDGET (self->add_button), may_edit (self));
  load_line (self);
  load_queues (self);
}

gboolean
_dd_consultants_page_add (DdConsultantsPage  *self,
                          const char         *name,
                          const char         *sip_uri,
                          const char        **out_error_text)
{
  g_autoptr(DdAgentStore) agents = NULL;
  g_autoptr(DdAgentStateStore) states = NULL;
  g_autoptr(GError) error = NULL;
  DdDatabase *db;
  gint64 id = 0;

  g_return_val_if_fail (DD_IS_CONSULTANTS_PAGE (self), FALSE);

  g_clear_pointer (&self->add_error, g_free);
  db = dd_context_get_database (self->context);
  agents = dd_agent_store_new (db);
  states = dd_agent_state_store_new (db);
  /* the address first: nothing is stored when it is wrong */
  if (!dd_agent_state_store_check_sip_uri (sip_uri, &error)
      || !dd_database_begin (db, &error)
      || !dd_agent_store_add (agents, name, DD_AGENT_ROLE_CONSULTANT, &id, &error)
      || !dd_agent_state_store_set_sip_uri (states, id, sip_uri, &error)
      || !dd_database_commit (db, &error))
    {
      if (dd_database_in_transaction (db))
        dd_database_rollback (db, NULL);
      self->add_error = g_strdup (error->message);
      if (out_error_text != NULL)
        *out_error_text = self->add_error;
      return FALSE;
    }
  dd_consultants_page_reload (self);
  changed (self);
  return TRUE;
}

typedef struct
{
  DdConsultantsPage *self;
  GtkEditable       *name;
  GtkEditable       *uri;
  GtkLabel          *error;
} AddDialog;

static void
add_dialog_free (gpointer data)
{
  AddDialog *dialog = data;

  g_object_unref (dialog->self);
  g_free (dialog);
}

static void
on_add_input_changed (AdwMessageDialog *message)
{
  AddDialog *dialog = g_object_get_data (G_OBJECT (message), "dd-add");
  g_autoptr(GError) error = NULL;
  g_autofree char *name = g_strstrip (g_strdup (gtk_editable_get_text (dialog->name)));
  gboolean uri_ok = dd_agent_state_store_check_sip_uri (gtk_editable_get_text (dialog->uri),
                                                        &error);

  dd_mark_wrong (GTK_WIDGET (dialog->uri), !uri_ok);
  gtk_label_set_text (dialog->error, uri_ok ? "" : error->message);
  gtk_widget_set_visible (GTK_WIDGET (dialog->error), !uri_ok);
  adw_message_dialog_set_response_enabled (message, "add", uri_ok && *name != '\0');
}

static void
on_add_response (AdwMessageDialog *message,
                 const char       *response)
{
  AddDialog *dialog = g_object_get_data (G_OBJECT (message), "dd-add");
  const char *why = NULL;

  if (g_strcmp0 (response, "add") != 0)
    return;
  if (!_dd_consultants_page_add (dialog->self, gtk_editable_get_text (dialog->name),
                                 gtk_editable_get_text (dialog->uri), &why))
    toast (dialog->self, why);
}

static void
on_add_clicked (DdConsultantsPage *self)
{
  GtkWidget *message, *box, *list, *name_row, *uri_row, *error_label;
  AddDialog *dialog = g_new0 (AddDialog, 1);

  message = GTK_WIDGET (dd_question_new (GTK_WIDGET (self), _("Add Consultant"),
                                         _("Leave the address empty for someone who takes "
                                           "calls on the headset at this desk."),
                                         "add", _("_Add"), ADW_RESPONSE_SUGGESTED, TRUE));
  adw_message_dialog_set_response_enabled (ADW_MESSAGE_DIALOG (message), "add", FALSE);

  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  list = gtk_list_box_new ();
  gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (list, "boxed-list");
  name_row = adw_entry_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (name_row), _("_Name"));
  adw_preferences_row_set_use_underline (ADW_PREFERENCES_ROW (name_row), TRUE);
  uri_row = adw_entry_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (uri_row), _("_SIP Address"));
  adw_preferences_row_set_use_underline (ADW_PREFERENCES_ROW (uri_row), TRUE);
  adw_entry_row_set_input_purpose (ADW_ENTRY_ROW (uri_row), GTK_INPUT_PURPOSE_URL);
  gtk_list_box_append (GTK_LIST_BOX (list), name_row);
  gtk_list_box_append (GTK_LIST_BOX (list), uri_row);
  error_label = gtk_label_new (NULL);
  gtk_label_set_wrap (GTK_LABEL (error_label), TRUE);
  gtk_label_set_xalign (GTK_LABEL (error_label), 0);
  gtk_widget_add_css_class (error_label, "error");
  gtk_widget_set_visible (error_label, FALSE);
  gtk_box_append (GTK_BOX (box), list);
  gtk_box_append (GTK_BOX (box), error_label);
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (message), box);

  dialog->self = g_object_ref (self);
  dialog->name = GTK_EDITABLE (name_row);
  dialog->uri = GTK_EDITABLE (uri_row);
  dialog->error = GTK_LABEL (error_label);
  g_object_set_data_full (G_OBJECT (message), "dd-add", dialog, add_dialog_free);
  g_signal_connect_swapped (name_row, "changed", G_CALLBACK (on_add_input_changed), message);
  g_signal_connect_swapped (uri_row, "changed", G_CALLBACK (on_add_input_changed), message);
  g_signal_connect (message, "response", G_CALLBACK (on_add_response), NULL);
  gtk_window_present (GTK_WINDOW (message));
}

/* The inbound line */

static void
show_line_error (DdConsultantsPage *self,
                 const char        *message)
{
  dd_show_message (self->line_error_label, message);
}

static void
on_line_changed (DdConsultantsPage *self)
{
  g_autoptr(GError) error = NULL;
  guint account = adw_combo_row_get_selected (self->account_row);
  guint flow = adw_combo_row_get_selected (self->flow_row);

  if (self->loading_line)
    return;
  if (!dd_inbound_store_set_line (self->inbound,
                                  account > 0 && account <= self->account_names->len
                                  ? g_ptr_array_index (self->account_names, account - 1) : NULL,
                                  flow > 0 && flow <= self->flow_ids->len
                                  ? g_array_index (self->flow_ids, gint64, flow - 1) : 0,
                                  &error))
    show_line_error (self, error->message);
  else
    show_line_error (self, NULL);
}

static void
on_max_waiting_changed (DdConsultantsPage *self)
{
  g_autoptr(GError) error = NULL;

  if (self->loading_line)
    return;
  if (!dd_inbound_store_set_max_waiting (self->inbound,
                                         (guint) gtk_spin_button_get_value_as_int (self->max_waiting_spin),
                                         &error))
    show_line_error (self, error->message);
  else
    show_line_error (self, NULL);
}

static void
add_flow (DdStatement *stmt,
          gpointer     user_data)
{
  DdConsultantsPage *self = user_data;
  GtkStringList *names = GTK_STRING_LIST (adw_combo_row_get_model (self->flow_row));
  gint64 id = dd_statement_get_int64 (stmt, 0);

  gtk_string_list_append (names, dd_statement_get_text (stmt, 1));
  g_array_append_val (self->flow_ids, id);
}

static void
load_line (DdConsultantsPage *self)
{
  GSettings *settings = dd_context_get_settings (self->context);
  g_autoptr(GtkStringList) accounts = gtk_string_list_new (NULL);
  g_autoptr(GtkStringList) flows = gtk_string_list_new (NULL);
  g_autoptr(GPtrArray) infos = settings != NULL ? dd_sip_accounts_load (settings) : NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *account = NULL;
  gint64 flow_id = 0;
  guint max_waiting = DD_INBOUND_DEFAULT_MAX_WAITING;

  self->loading_line = TRUE;
  g_ptr_array_set_size (self->account_names, 0);
  g_array_set_size (self->flow_ids, 0);
  gtk_string_list_append (accounts, _("None: the office takes no calls"));
  for (guint i = 0; infos != NULL && i < infos->len; i++)
    {
      DdSipAccountInfo *info = g_ptr_array_index (infos, i);

      gtk_string_list_append (accounts, info->name);
      g_ptr_array_add (self->account_names, g_strdup (info->name));
    }
  adw_combo_row_set_model (self->account_row, G_LIST_MODEL (accounts));
  gtk_string_list_append (flows, _("None: straight into the first queue"));
  adw_combo_row_set_model (self->flow_row, G_LIST_MODEL (flows));
  if (!dd_database_query_each (dd_context_get_database (self->context), add_flow, self, &error,
                               "SELECT MAX(id), name FROM ivr_flow GROUP BY name ORDER BY name",
                               DD_END))
    g_warning ("Cannot read the call flows: %s", error->message);
  g_clear_error (&error);

  if (dd_inbound_store_get_line (self->inbound, &account, &flow_id, &error))
    {
      adw_combo_row_set_selected (self->account_row, 0);
      for (guint i = 0; account != NULL && i < self->account_names->len; i++)
        if (g_strcmp0 (account, g_ptr_array_index (self->account_names, i)) == 0)
          adw_combo_row_set_selected (self->account_row, i + 1);
      adw_combo_row_set_selected (self->flow_row, 0);
      for (guint i = 0; i < self->flow_ids->len; i++)
        if (g_array_index (self->flow_ids, gint64, i) == flow_id)
          adw_combo_row_set_selected (self->flow_row, i + 1);
    }
  else
    g_warning ("Cannot read the inbound line: %s", error->message);
  g_clear_error (&error);
  if (dd_inbound_store_get_max_waiting (self->inbound, &max_waiting, &error))
    gtk_spin_button_set_value (self->max_waiting_spin, max_waiting);
  else
    g_warning ("Cannot read the cap on waiting callers: %s", error->message);
  gtk_widget_set_sensitive (GTK_WIDGET (self->account_row), may_edit (self));
  gtk_widget_set_sensitive (GTK_WIDGET (self->flow_row), may_edit (self));
  gtk_widget_set_sensitive (GTK_WIDGET (self->max_waiting_row), may_edit (self));
  self->loading_line = FALSE;
}

/* The queues */

static gint64
queue_id_of (GtkWidget *row)
{
  return *(gint64 *) g_object_get_data (G_OBJECT (row), "dd-queue-id");
}

static char *
describe_queue (const DdInboundQueue *queue)
{
  g_autofree char *announce = NULL;

  if (queue->announce_every_s == 0)
    announce = g_strdup (_("no announcements"));
  else
    /* Translators: how often a waiting caller hears their place in the queue */
    announce = g_strdup_printf (_("place told every %u s"), queue->announce_every_s);
  /* Translators: a queue's summary: ring strategy · announcements · longest wait, then what */
  return g_strdup_printf (_("%s · %s · at most %u s, then %s"),
                          dd_inbound_ring_strategy_to_label (queue->strategy), announce,
                          queue->max_wait_s,
                          dd_inbound_on_max_wait_to_label (queue->on_max_wait));
}

/* The queue of @row as its widgets say. */
static DdInboundQueue *
queue_of_row (GtkWidget *row)
{
  DdInboundQueue *queue;
  GtkEditable *name = g_object_get_data (G_OBJECT (row), "dd-name-row");
  g_autofree char *clean = g_strstrip (g_strdup (gtk_editable_get_text (name)));
  const char *music = g_object_get_data (G_OBJECT (row), "dd-hold-music");

  queue = dd_inbound_queue_new (clean);
  queue->id = queue_id_of (row);
  queue->position = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (row), "dd-position"));
  queue->strategy = adw_combo_row_get_selected (g_object_get_data (G_OBJECT (row),
                                                                   "dd-strategy-row"))
                    == 1 ? DD_INBOUND_RING_LONGEST_IDLE : DD_INBOUND_RING_ALL;
  g_free (queue->hold_music);
  queue->hold_music = g_strdup (music);
  queue->announce_every_s = (guint) gtk_spin_button_get_value_as_int (
    g_object_get_data (G_OBJECT (row), "dd-announce-spin"));
  queue->max_wait_s = (guint) gtk_spin_button_get_value_as_int (
    g_object_get_data (G_OBJECT (row), "dd-max-wait-spin"));
  queue->on_max_wait = adw_combo_row_get_selected (g_object_get_data (G_OBJECT (row),
                                                                      "dd-on-max-wait-row"))
                       == 1 ? DD_INBOUND_ON_MAX_WAIT_VOICEMAIL : DD_INBOUND_ON_MAX_WAIT_CALLBACK;
  return queue;
}

/* Saves the queue of @row; a setting out of its limits is said under it and not stored. */
static gboolean
save_queue (DdConsultantsPage *self,
            GtkWidget         *row)
{
  g_autoptr(DdInboundQueue) queue = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *summary = NULL;

  if (g_object_get_data (G_OBJECT (row), "dd-loading") != NULL)
    return TRUE;
  queue = queue_of_row (row);
  if (!dd_inbound_queue_validate (queue, &error)
      || !dd_inbound_store_update_queue (self->inbound, queue, &error))
    {
      show_row_error (row, error->message);
      return FALSE;
    }
  show_row_error (row, NULL);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), queue->name);
  summary = describe_queue (queue);
  adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (row), summary);
  return TRUE;
}

static void
on_queue_setting_changed (GtkWidget *widget)
{
  GtkWidget *row = g_object_get_data (G_OBJECT (widget), "dd-expander");
  DdConsultantsPage *self = g_object_get_data (G_OBJECT (row), "dd-page");

  save_queue (self, row);
}

static void
show_hold_music (GtkWidget *row)
{
  const char *music = g_object_get_data (G_OBJECT (row), "dd-hold-music");
  g_autofree char *base = music != NULL ? g_path_get_basename (music) : NULL;

  adw_action_row_set_subtitle (g_object_get_data (G_OBJECT (row), "dd-music-row"),
                               base != NULL ? base : _("The tune that comes with the app"));
  gtk_widget_set_visible (g_object_get_data (G_OBJECT (row), "dd-music-reset"), music != NULL);
}

static void
set_hold_music (GtkWidget  *row,
                const char *path)
{
  g_object_set_data_full (G_OBJECT (row), "dd-hold-music", g_strdup (path), g_free);
  show_hold_music (row);
  save_queue (g_object_get_data (G_OBJECT (row), "dd-page"), row);
}

static void
on_music_chosen (gpointer    row,
                 const char *path,
                 gpointer    unused)
{
  set_hold_music (row, path);
}

static void
on_choose_music_clicked (GtkButton *button,
                         GtkWidget *row)
{
  dd_file_chooser_choose_sound (row, _("Hold Music"), _("Sound files"), on_music_chosen, NULL,
                                NULL);
}

static void
on_reset_music_clicked (GtkButton *button,
                        GtkWidget *row)
{
  set_hold_music (row, NULL);
}

static void
on_remove_queue_clicked (GtkButton *button,
                         GtkWidget *row)
{
  DdConsultantsPage *self = g_object_get_data (G_OBJECT (row), "dd-page");
  g_autoptr(GError) error = NULL;

  if (!dd_inbound_store_remove_queue (self->inbound, queue_id_of (row), &error))
    {
      show_row_error (row, error->message);
      return;
    }
  dd_consultants_page_reload (self);
}

static GtkWidget *
spin_row (const char *title,
          const char *subtitle,
          double      lower,
          double      upper,
          double      step,
          guint       value,
          GtkWidget  *expander,
          const char *key)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *spin = gtk_spin_button_new_with_range (lower, upper, step);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_preferences_row_set_use_underline (ADW_PREFERENCES_ROW (row), TRUE);
  if (subtitle != NULL)
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (spin), value);
  gtk_widget_set_valign (spin, GTK_ALIGN_CENTER);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), spin);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), spin);
  g_object_set_data (G_OBJECT (spin), "dd-expander", expander);
  g_object_set_data (G_OBJECT (expander), key, spin);
  g_signal_connect (spin, "value-changed", G_CALLBACK (on_queue_setting_changed), NULL);
  return row;
}

static GtkWidget *
combo_row (const char  *title,
           const char  *first,
           const char  *second,
           guint        selected,
           GtkWidget   *expander,
           const char  *key)
{
  GtkWidget *row = adw_combo_row_new ();
  const char *items[] = { first, second, NULL };
  g_autoptr(GtkStringList) model = gtk_string_list_new (items);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_preferences_row_set_use_underline (ADW_PREFERENCES_ROW (row), TRUE);
  adw_combo_row_set_model (ADW_COMBO_ROW (row), G_LIST_MODEL (model));
  adw_combo_row_set_selected (ADW_COMBO_ROW (row), selected);
  g_object_set_data (G_OBJECT (row), "dd-expander", expander);
  g_object_set_data (G_OBJECT (expander), key, row);
  g_signal_connect (row, "notify::selected", G_CALLBACK (on_queue_setting_changed), NULL);
  return row;
}

static void
add_queue_row (DdConsultantsPage    *self,
               const DdInboundQueue *queue)
{
  GtkWidget *row = adw_expander_row_new ();
  GtkWidget *name_row, *error_row;
  GtkWidget *music_row = adw_action_row_new ();
  GtkWidget *choose = gtk_button_new_with_mnemonic (_("C_hoose…"));
  GtkWidget *reset = gtk_button_new_from_icon_name ("edit-undo-symbolic");
  g_autofree char *summary = describe_queue (queue);
  gint64 *id = g_new (gint64, 1);
  gboolean edit = may_edit (self);

  *id = queue->id;
  g_object_set_data (G_OBJECT (row), "dd-loading", GINT_TO_POINTER (1));
  g_object_set_data_full (G_OBJECT (row), "dd-queue-id", id, g_free);
  g_object_set_data (G_OBJECT (row), "dd-page", self);
  g_object_set_data (G_OBJECT (row), "dd-position", GUINT_TO_POINTER (queue->position));
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), queue->name);
  adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (row), summary);

  name_row = add_entry_row (row, _("_Name"), queue->name);
  g_object_set_data (G_OBJECT (row), "dd-name-row", name_row);
  g_signal_connect (name_row, "apply", G_CALLBACK (on_queue_setting_changed), NULL);

  adw_expander_row_add_row (ADW_EXPANDER_ROW (row),
    combo_row (_("_Ring"), dd_inbound_ring_strategy_to_label (DD_INBOUND_RING_ALL),
               dd_inbound_ring_strategy_to_label (DD_INBOUND_RING_LONGEST_IDLE),
               queue->strategy == DD_INBOUND_RING_LONGEST_IDLE ? 1 : 0, row,
               "dd-strategy-row"));

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (music_row), _("Hold Music"));
  gtk_widget_set_valign (choose, GTK_ALIGN_CENTER);
  gtk_widget_set_valign (reset, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (reset, _("Use the tune that comes with the app"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (reset), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Use the tune that comes with the app"), -1);
  gtk_widget_add_css_class (reset, "flat");
  g_signal_connect (choose, "clicked", G_CALLBACK (on_choose_music_clicked), row);
  g_signal_connect (reset, "clicked", G_CALLBACK (on_reset_music_clicked), row);
  adw_action_row_add_suffix (ADW_ACTION_ROW (music_row), reset);
  adw_action_row_add_suffix (ADW_ACTION_ROW (music_row), choose);
  g_object_set_data (G_OBJECT (row), "dd-music-row", music_row);
  g_object_set_data (G_OBJECT (row), "dd-music-reset", reset);
  g_object_set_data_full (G_OBJECT (row), "dd-hold-music", g_strdup (queue->hold_music), g_free);
  show_hold_music (row);
  adw_expander_row_add_row (ADW_EXPANDER_ROW (row), music_row);

  adw_expander_row_add_row (ADW_EXPANDER_ROW (row),
    spin_row (_("_Announce Place and Wait Every (s)"), _("0: never"), 0, 600, 5,
              queue->announce_every_s, row, "dd-announce-spin"));
  adw_expander_row_add_row (ADW_EXPANDER_ROW (row),
    spin_row (_("_Longest Wait (s)"), NULL, DD_INBOUND_MAX_WAIT_MIN_S, DD_INBOUND_MAX_WAIT_MAX_S,
              10, queue->max_wait_s, row, "dd-max-wait-spin"));
  adw_expander_row_add_row (ADW_EXPANDER_ROW (row),
    combo_row (_("_Then"), dd_inbound_on_max_wait_to_label (DD_INBOUND_ON_MAX_WAIT_CALLBACK),
               dd_inbound_on_max_wait_to_label (DD_INBOUND_ON_MAX_WAIT_VOICEMAIL),
               queue->on_max_wait == DD_INBOUND_ON_MAX_WAIT_VOICEMAIL ? 1 : 0, row,
               "dd-on-max-wait-row"));

  add_error_and_remove_rows (row, _("Remove the Queue"), _("Its past calls stay in the figures."));
  error_row = g_object_get_data (G_OBJECT (row), "dd-error-row");
  g_signal_connect (g_object_get_data (G_OBJECT (row), "dd-remove-button"), "clicked",
                    G_CALLBACK (on_remove_queue_clicked), row);

  /* a consultant sees the queues; a manager changes them */
  for (GtkWidget *w = name_row; w != NULL; w = gtk_widget_get_next_sibling (w))
    if (w != error_row)
      gtk_widget_set_sensitive (w, edit);

  adw_preferences_group_add (self->queues_group, row);
  g_ptr_array_add (self->queue_rows, row);
  g_object_set_data (G_OBJECT (row), "dd-loading", NULL);
}

static void
load_queues (DdConsultantsPage *self)
{
  g_autoptr(GPtrArray) queues = NULL;
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < self->queue_rows->len; i++)
    adw_preferences_group_remove (self->queues_group, g_ptr_array_index (self->queue_rows, i));
  g_ptr_array_set_size (self->queue_rows, 0);
  queues = dd_inbound_store_list_queues (self->inbound, &error);
  if (queues == NULL)
    {
      g_warning ("Cannot read the queues: %s", error->message);
      return;
    }
  for (guint i = 0; i < queues->len; i++)
    add_queue_row (self, g_ptr_array_index (queues, i));
  gtk_widget_set_sensitive (GTK_WIDGET (self->add_queue_button),
                            may_edit (self) && queues->len < DD_INBOUND_MAX_QUEUES);
}

static void
on_add_queue_clicked (DdConsultantsPage *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DdInboundQueue) queue = NULL;
  g_autofree char *name = NULL;
  guint n = self->queue_rows->len + 1;

  /* Translators: the name a new queue gets until it is renamed */
  name = g_strdup_printf (_("Queue %u"), n);
  queue = dd_inbound_queue_new (name);
  if (!dd_inbound_store_add_queue (self->inbound, queue, NULL, &error))
    {
      toast (self, error->message);
      return;
    }
  load_queues (self);
  if (self->queue_rows->len > 0)
    adw_expander_row_set_expanded (g_ptr_array_index (self->queue_rows,
                                                      self->queue_rows->len - 1), TRUE);
}

GPtrArray *
_dd_consultants_page_get_queue_rows (DdConsultantsPage *self)
{
  g_return_val_if_fail (DD_IS_CONSULTANTS_PAGE (self), NULL);

  return self->queue_rows;
}

void
_dd_consultants_page_set_hold_music (DdConsultantsPage *self,
                                     GtkWidget         *queue_row,
                                     const char        *path)
{
  g_return_if_fail (DD_IS_CONSULTANTS_PAGE (self));

  set_hold_music (queue_row, path);
}

static void
on_map (DdConsultantsPage *self)
{
  /* the Users page may have changed who works here */
  if (self->context != NULL)
    dd_consultants_page_reload (self);
}

static void
dd_consultants_page_dispose (GObject *object)
{
  DdConsultantsPage *self = DD_CONSULTANTS_PAGE (object);

  g_clear_object (&self->context);
  g_clear_object (&self->inbound);
  gtk_widget_dispose_template (GTK_WIDGET (self), DD_TYPE_CONSULTANTS_PAGE);

  G_OBJECT_CLASS (dd_consultants_page_parent_class)->dispose (object);
}

static void
dd_consultants_page_finalize (GObject *object)
{
  DdConsultantsPage *self = DD_CONSULTANTS_PAGE (object);

  g_ptr_array_unref (self->rows);
  g_ptr_array_unref (self->queue_rows);
  g_ptr_array_unref (self->account_names);
  g_array_unref (self->flow_ids);
  g_free (self->add_error);

  G_OBJECT_CLASS (dd_consultants_page_parent_class)->finalize (object);
}

static void
dd_consultants_page_class_init (DdConsultantsPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = dd_consultants_page_dispose;
  object_class->finalize = dd_consultants_page_finalize;

  signals[SIGNAL_CONSULTANTS_CHANGED] =
    g_signal_new ("consultants-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                  NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/dunningdesk/DunningDesk/dd-consultants-page.ui");
  gtk_widget_class_bind_template_child (widget_class, DdConsultantsPage, consultants_group);
  gtk_widget_class_bind_template_child (widget_class, DdConsultantsPage, empty_group);
  gtk_widget_class_bind_template_child (widget_class, DdConsultantsPage, add_button);
  gtk_widget_class_bind_template_child (widget_class, DdConsultantsPage, line_group);
  gtk_widget_class_bind_template_child (widget_class, DdConsultantsPage, account_row);
  gtk_widget_class_bind_template_child (widget_class, DdConsultantsPage, flow_row);
  gtk_widget_class_bind_template_child (widget_class, DdConsultantsPage, max_waiting_row);
  gtk_widget_class_bind_template_child (widget_class, DdConsultantsPage, max_waiting_spin);
  gtk_widget_class_bind_template_child (widget_class, DdConsultantsPage, line_error_label);
  gtk_widget_class_bind_template_child (widget_class, DdConsultantsPage, queues_group);
  gtk_widget_class_bind_template_child (widget_class, DdConsultantsPage, add_queue_button);
  gtk_widget_class_bind_template_callback (widget_class, on_add_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_add_queue_clicked);
}

static void
dd_consultants_page_init (DdConsultantsPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->rows = g_ptr_array_new ();
  self->queue_rows = g_ptr_array_new ();
  self->account_names = g_ptr_array_new_with_free_func (g_free);
  self->flow_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_signal_connect (self, "map", G_CALLBACK (on_map), NULL);
  g_signal_connect_swapped (self->account_row, "notify::selected", G_CALLBACK (on_line_changed),
                            self);
  g_signal_connect_swapped (self->max_waiting_spin, "value-changed",
                            G_CALLBACK (on_max_waiting_changed), self);
  g_signal_connect_swapped (self->flow_row, "notify::selected", G_CALLBACK (on_line_changed),
                            self);
}

GtkWidget *
dd_consultants_page_new (DdContext *context)
{
  DdConsultantsPage *self;

  g_return_val_if_fail (DD_IS_CONTEXT (context), NULL);

  self = g_object_new (DD_TYPE_CONSULTANTS_PAGE, NULL);
  self->context = g_object_ref (context);
  self->inbound = dd_inbound_store_new (dd_context_get_database (context));
  dd_consultants_page_reload (self);
  return GTK_WIDGET (self);
}

GPtrArray *
_dd_consultants_page_get_rows (DdConsultantsPage *self)
{
  g_return_val_if_fail (DD_IS_CONSULTANTS_PAGE (self), NULL);

  return self->rows;
}
