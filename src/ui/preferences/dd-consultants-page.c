/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "dd-consultants-page"

#include "config.h"

#include "dd-consultants-page.h"

#include "dd-agent-state-store.h"
#include "dd-agent-store.h"

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
};

G_DEFINE_FINAL_TYPE (DdConsultantsPage, dd_consultants_page, ADW_TYPE_PREFERENCES_PAGE)

enum {
  SIGNAL_CONSULTANTS_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

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

static void
mark (GtkWidget *widget,
      gboolean   bad)
{
  if (bad)
    gtk_widget_add_css_class (widget, "error");
  else
    gtk_widget_remove_css_class (widget, "error");
}

/* The address is checked as it is typed: the row turns red and says why at once. */
static void
on_uri_changed (GtkEditable *editable,
                GtkWidget   *row)
{
  g_autoptr(GError) error = NULL;
  gboolean ok = dd_agent_state_store_check_sip_uri (gtk_editable_get_text (editable), &error);

  mark (GTK_WIDGET (editable), !ok);
  show_row_error (row, ok ? NULL : error->message);
}

static void
on_uri_applied (AdwEntryRow       *entry,
                DdConsultantsPage *self)
{
  GtkWidget *row = g_object_get_data (G_OBJECT (entry), "dd-expander");
  gint64 agent_id = *(gint64 *) g_object_get_data (G_OBJECT (row), "dd-agent-id");
  g_autoptr(DdAgentStateStore) states = dd_agent_state_store_new (dd_context_get_database (self->context));
  g_autoptr(GError) error = NULL;
  g_autofree char *stored = NULL;

  if (!dd_agent_state_store_set_sip_uri (states, agent_id,
                                         gtk_editable_get_text (GTK_EDITABLE (entry)), &error))
    {
      mark (GTK_WIDGET (entry), TRUE);
      show_row_error (row, error->message);
      return;
    }
  mark (GTK_WIDGET (entry), FALSE);
  show_row_error (row, NULL);
  stored = dd_agent_state_store_get_sip_uri (states, agent_id, NULL);
  set_where (ADW_EXPANDER_ROW (row), stored);
  changed (self);
}

static void
on_name_applied (AdwEntryRow       *entry,
                 DdConsultantsPage *self)
{
  GtkWidget *row = g_object_get_data (G_OBJECT (entry), "dd-expander");
  gint64 agent_id = *(gint64 *) g_object_get_data (G_OBJECT (row), "dd-agent-id");
  g_autoptr(DdAgentStore) agents = dd_agent_store_new (dd_context_get_database (self->context));
  g_autoptr(GError) error = NULL;
  g_autofree char *name = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (entry))));

  if (!dd_agent_store_rename (agents, agent_id, name, &error))
    {
      mark (GTK_WIDGET (entry), TRUE);
      show_row_error (row, error->message);
      return;
    }
  mark (GTK_WIDGET (entry), FALSE);
  show_row_error (row, NULL);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), name);
  changed (self);
}

static void
on_remove_clicked (GtkButton         *button,
                   DdConsultantsPage *self)
{
  GtkWidget *row = g_object_get_data (G_OBJECT (button), "dd-expander");
  gint64 agent_id = *(gint64 *) g_object_get_data (G_OBJECT (row), "dd-agent-id");
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

static GtkWidget *
add_row (DdConsultantsPage *self,
         const DdAgent     *agent,
         const char        *uri)
{
  GtkWidget *row = adw_expander_row_new ();
  GtkWidget *name_row = adw_entry_row_new ();
  GtkWidget *uri_row = adw_entry_row_new ();
  GtkWidget *error_row = adw_action_row_new ();
  GtkWidget *error_label = gtk_label_new (NULL);
  GtkWidget *remove_row = adw_action_row_new ();
  GtkWidget *remove_button = gtk_button_new_with_mnemonic (_("_Remove"));
  gint64 *id = g_new (gint64, 1);

  *id = agent->id;
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), agent->name);
  set_where (ADW_EXPANDER_ROW (row), uri);
  g_object_set_data_full (G_OBJECT (row), "dd-agent-id", id, g_free);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (name_row), _("_Name"));
  adw_preferences_row_set_use_underline (ADW_PREFERENCES_ROW (name_row), TRUE);
  adw_entry_row_set_show_apply_button (ADW_ENTRY_ROW (name_row), TRUE);
  gtk_editable_set_text (GTK_EDITABLE (name_row), agent->name);
  g_object_set_data (G_OBJECT (name_row), "dd-expander", row);
  g_signal_connect_object (name_row, "apply", G_CALLBACK (on_name_applied), self, 0);
  adw_expander_row_add_row (ADW_EXPANDER_ROW (row), name_row);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (uri_row),
                                 _("_SIP Address (empty: this desk’s headset)"));
  adw_preferences_row_set_use_underline (ADW_PREFERENCES_ROW (uri_row), TRUE);
  adw_entry_row_set_show_apply_button (ADW_ENTRY_ROW (uri_row), TRUE);
  adw_entry_row_set_input_purpose (ADW_ENTRY_ROW (uri_row), GTK_INPUT_PURPOSE_URL);
  gtk_editable_set_text (GTK_EDITABLE (uri_row), uri != NULL ? uri : "");
  g_object_set_data (G_OBJECT (uri_row), "dd-expander", row);
  g_signal_connect (uri_row, "changed", G_CALLBACK (on_uri_changed), row);
  g_signal_connect_object (uri_row, "apply", G_CALLBACK (on_uri_applied), self, 0);
  adw_expander_row_add_row (ADW_EXPANDER_ROW (row), uri_row);

  /* the reason an entry was refused, under it */
  gtk_label_set_wrap (GTK_LABEL (error_label), TRUE);
  gtk_label_set_xalign (GTK_LABEL (error_label), 0);
  gtk_widget_set_margin_top (error_label, 6);
  gtk_widget_set_margin_bottom (error_label, 6);
  gtk_widget_add_css_class (error_label, "error");
  adw_action_row_add_prefix (ADW_ACTION_ROW (error_row), error_label);
  gtk_widget_set_visible (error_row, FALSE);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (error_row), FALSE);
  adw_expander_row_add_row (ADW_EXPANDER_ROW (row), error_row);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (remove_row), _("Remove from the Desk"));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (remove_row),
                               _("The user is deactivated; cases and calls keep the name."));
  gtk_widget_set_valign (remove_button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (remove_button, "destructive-action");
  g_object_set_data (G_OBJECT (remove_button), "dd-expander", row);
  g_signal_connect_object (remove_button, "clicked", G_CALLBACK (on_remove_clicked), self, 0);
  adw_action_row_add_suffix (ADW_ACTION_ROW (remove_row), remove_button);
  adw_expander_row_add_row (ADW_EXPANDER_ROW (row), remove_row);

  g_object_set_data (G_OBJECT (row), "dd-name-row", name_row);
  g_object_set_data (G_OBJECT (row), "dd-uri-row", uri_row);
  g_object_set_data (G_OBJECT (row), "dd-error-row", error_row);
  g_object_set_data (G_OBJECT (row), "dd-error-label", error_label);
  g_object_set_data (G_OBJECT (row), "dd-remove-button", remove_button);
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

  mark (GTK_WIDGET (dialog->uri), !uri_ok);
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

  message = adw_message_dialog_new (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))),
                                    _("Add Consultant"),
                                    _("Leave the address empty for someone who takes calls on "
                                      "the headset at this desk."));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (message),
                                    "cancel", _("_Cancel"), "add", _("_Add"), NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (message), "add",
                                              ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (message), "add");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (message), "cancel");
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
  gtk_widget_dispose_template (GTK_WIDGET (self), DD_TYPE_CONSULTANTS_PAGE);

  G_OBJECT_CLASS (dd_consultants_page_parent_class)->dispose (object);
}

static void
dd_consultants_page_finalize (GObject *object)
{
  DdConsultantsPage *self = DD_CONSULTANTS_PAGE (object);

  g_ptr_array_unref (self->rows);
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
  gtk_widget_class_bind_template_callback (widget_class, on_add_clicked);
}

static void
dd_consultants_page_init (DdConsultantsPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->rows = g_ptr_array_new ();
  g_signal_connect (self, "map", G_CALLBACK (on_map), NULL);
}

GtkWidget *
dd_consultants_page_new (DdContext *context)
{
  DdConsultantsPage *self;

  g_return_val_if_fail (DD_IS_CONTEXT (context), NULL);

  self = g_object_new (DD_TYPE_CONSULTANTS_PAGE, NULL);
  self->context = g_object_ref (context);
  dd_consultants_page_reload (self);
  return GTK_WIDGET (self);
}

GPtrArray *
_dd_consultants_page_get_rows (DdConsultantsPage *self)
{
  g_return_val_if_fail (DD_IS_CONSULTANTS_PAGE (self), NULL);

  return self->rows;
}
