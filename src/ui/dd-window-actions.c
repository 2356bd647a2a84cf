/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "dd-window"

#include "config.h"

#include "dd-window-private.h"

#include "dd-campaign-wizard.h"
#include "dd-campaigns-view.h"
#include "dd-cases-view.h"
#include "dd-import-assistant.h"
#include "dd-manager-unlock.h"
#include "dd-preferences-window.h"
#include "dd-question.h"
#include "dd-users.h"

#include <glib/gi18n.h>

/* Every way to import (menu, Ctrl+I, the empty state, a dropped file) comes here. */
void
_dd_window_open_import (DdWindow *self,
                        GFile    *file)
{
  DdImportAssistant *assistant;

  assistant = dd_import_assistant_new (GTK_WINDOW (self), self->context, file);
  gtk_window_present (GTK_WINDOW (assistant));
}

static void
import_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  _dd_window_open_import (DD_WINDOW (widget), NULL);
}

/* Campaigns */

GtkWidget *
_dd_window_get_campaigns_view (DdWindow *self)
{
  return adw_bin_get_child (ADW_BIN (gtk_widget_get_template_child (GTK_WIDGET (self),
                                                                    DD_TYPE_WINDOW,
                                                                    "campaigns_page")));
}

static void
on_campaign_started (DdCampaignWizard *wizard,
                     gint64            campaign_id,
                     DdWindow         *self)
{
  dd_campaigns_view_reload (DD_CAMPAIGNS_VIEW (_dd_window_get_campaigns_view (self)));
  g_signal_emit_by_name (self->campaigns_row, "activate");
  dd_context_campaigns_changed (self->context);
}

static void
new_campaign_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  DdWindow *self = DD_WINDOW (widget);
  const DdCaseQuery *query = DD_IS_CASES_VIEW (self->cases_view)
                             ? dd_cases_view_get_query (DD_CASES_VIEW (self->cases_view))
                             : NULL;
  DdCampaignWizard *wizard = dd_campaign_wizard_new (GTK_WINDOW (self), self->context, query);

  g_signal_connect_object (wizard, "campaign-started", G_CALLBACK (on_campaign_started), self, 0);
  gtk_window_present (GTK_WINDOW (wizard));
}

void
_dd_window_on_new_campaign_requested (DdWindow *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "win.new-campaign", NULL);
}

static void
export_cases_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  DdWindow *self = DD_WINDOW (widget);

  if (DD_IS_CASES_VIEW (self->cases_view))
    dd_cases_view_export (DD_CASES_VIEW (self->cases_view), FALSE);
}

/* Users */

void
_dd_window_update_user (DdWindow *self)
{
  const char *name = dd_context_get_agent_name (self->context);
  DdAgentRole role;
  g_autofree char *tooltip = NULL;

  role = dd_context_get_is_manager (self->context) ? DD_AGENT_ROLE_MANAGER
                                                   : DD_AGENT_ROLE_CONSULTANT;
  adw_avatar_set_text (self->user_avatar, name);
  adw_avatar_set_text (self->user_popover_avatar, name);
  gtk_label_set_label (self->user_name_label, name != NULL ? name : "");
  /* a consultant whose desk a manager's password unlocked says so, not "Manager" */
  if (dd_users_gate_is_unlocked (dd_manager_unlock_get_gate (self->context)))
    gtk_label_set_label (self->user_role_label, _("Consultant, with the manager’s actions"));
  else
    gtk_label_set_label (self->user_role_label, dd_agent_role_get_label (role));
  /* Translators: the tooltip of the user button; %s is the name of the user */
  tooltip = g_strdup_printf (_("Working as %s"), name != NULL ? name : "");
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->user_button), tooltip);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->user_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, tooltip, -1);
}

static void
set_agent (DdWindow      *self,
           const DdAgent *agent)
{
  dd_context_set_agent (self->context, agent->id, agent->name,
                        agent->role == DD_AGENT_ROLE_MANAGER);
  if (self->settings != NULL)
    g_settings_set_int64 (self->settings, "last-agent-id", agent->id);
}

/* Runs as the user who was at the desk last time, else as the first active manager; a new
 * office gets a manager named after the system user, so that every action is at hand. */
void
_dd_window_choose_agent (DdWindow *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) agents = NULL;
  g_autoptr(DdAgent) last = NULL;
  const DdAgent *chosen = NULL;

  if (!dd_agent_store_ensure_first (self->agent_store, NULL, NULL, &error))
    {
      g_warning ("Could not create the first user: %s", error->message);
      g_clear_error (&error);
    }

  if (self->settings != NULL)
    {
      gint64 last_id = g_settings_get_int64 (self->settings, "last-agent-id");

      if (last_id > 0)
        last = dd_agent_store_get (self->agent_store, last_id, NULL);
      if (last != NULL && last->active)
        chosen = last;
    }

  if (chosen == NULL)
    {
      agents = dd_agent_store_list (self->agent_store, FALSE, &error);
      if (agents == NULL)
        {
          g_warning ("Could not read the users: %s", error->message);
          return;
        }
      for (guint i = 0; i < agents->len && chosen == NULL; i++)
        {
          const DdAgent *agent = g_ptr_array_index (agents, i);

          if (agent->role == DD_AGENT_ROLE_MANAGER)
            chosen = agent;
        }
      if (chosen == NULL && agents->len > 0)
        chosen = g_ptr_array_index (agents, 0);
    }

  if (chosen != NULL)
    dd_context_set_agent (self->context, chosen->id, chosen->name,
                          chosen->role == DD_AGENT_ROLE_MANAGER);
}

static void
switch_to (DdWindow      *self,
           const DdAgent *agent)
{
  g_autofree char *text = NULL;

  set_agent (self, agent);
  /* Translators: a notification after switching users; %s is the user's name */
  text = g_strdup_printf (_("Now working as %s"), agent->name);
  _dd_window_show_toast (self, text);
}

static void
on_password_dialog_response (AdwMessageDialog *dialog,
                             const char       *response,
                             DdWindow         *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DdAgent) agent = NULL;
  GtkEditable *entry = GTK_EDITABLE (adw_message_dialog_get_extra_child (dialog));
  gint64 id = GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (dialog), "dd-agent-id"));

  if (g_strcmp0 (response, "sign-in") != 0)
    return;
  if (!dd_users_check_password (self->agent_store, id, gtk_editable_get_text (entry), &error)
      || (agent = dd_agent_store_get (self->agent_store, id, &error)) == NULL)
    {
      _dd_window_show_toast (self, error->message);
      return;
    }
  switch_to (self, agent);
}

/* Switching to a user with a password asks for it. */
static void
ask_password (DdWindow      *self,
              const DdAgent *agent)
{
  GtkWidget *dialog;
  GtkWidget *entry = gtk_password_entry_new ();

  gtk_password_entry_set_show_peek_icon (GTK_PASSWORD_ENTRY (entry), TRUE);
  g_object_set (entry, "activates-default", TRUE, NULL);
  gtk_accessible_update_property (GTK_ACCESSIBLE (entry), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Password"), -1);
  dialog = GTK_WIDGET (dd_question_new (GTK_WIDGET (self), NULL,
                                        _("Type the password of this user."),
                                        "sign-in", _("_Sign In"), ADW_RESPONSE_SUGGESTED, TRUE));
  /* Translators: the heading of the question for a user's password; %s is the user's name */
  adw_message_dialog_format_heading (ADW_MESSAGE_DIALOG (dialog), _("Sign In as %s"),
                                     agent->name);
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), entry);
  g_object_set_data (G_OBJECT (dialog), "dd-agent-id", GSIZE_TO_POINTER ((gsize) agent->id));
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_password_dialog_response), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
  gtk_widget_grab_focus (entry);
}

static void
on_user_row_activated (GtkListBox    *list,
                       GtkListBoxRow *row,
                       DdWindow      *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DdAgent) agent = NULL;
  gint64 id;

  id = GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (row), "dd-agent-id"));
  agent = dd_agent_store_get (self->agent_store, id, &error);
  if (agent != NULL && !agent->active)
    {
      g_clear_pointer (&agent, dd_agent_free);
      g_set_error_literal (&error, DD_AGENT_STORE_ERROR, DD_AGENT_STORE_ERROR_NOT_FOUND,
                           _("The user can no longer work at the desk."));
    }

  gtk_window_close (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (list))));

  if (agent == NULL)
    {
      _dd_window_show_toast (self, error->message);
      return;
    }

  if (agent->id == dd_context_get_agent_id (self->context))
    return;
  if (agent->has_password)
    ask_password (self, agent);
  else
    switch_to (self, agent);
}

static GtkWidget *
create_user_row (DdWindow      *self,
                 const DdAgent *agent)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *avatar = adw_avatar_new (32, agent->name, TRUE);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), agent->name);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), dd_agent_role_get_label (agent->role));
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), avatar);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
  if (agent->id == dd_context_get_agent_id (self->context))
    {
      GtkWidget *check = gtk_image_new_from_icon_name ("object-select-symbolic");

      gtk_accessible_update_property (GTK_ACCESSIBLE (check), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      _("Current user"), -1);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), check);
    }
  g_object_set_data (G_OBJECT (row), "dd-agent-id", GSIZE_TO_POINTER ((gsize) agent->id));
  return row;
}

static void
switch_user_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  DdWindow *self = DD_WINDOW (widget);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) agents = NULL;
  GtkWidget *dialog;
  GtkWidget *list;
  GtkWidget *scrolled;

  agents = dd_agent_store_list (self->agent_store, FALSE, &error);
  if (agents == NULL)
    {
      _dd_window_show_toast (self, error->message);
      return;
    }

  list = gtk_list_box_new ();
  gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (list, "boxed-list");
  gtk_widget_set_valign (list, GTK_ALIGN_START);
  for (guint i = 0; i < agents->len; i++)
    gtk_list_box_append (GTK_LIST_BOX (list),
                         create_user_row (self, g_ptr_array_index (agents, i)));
  g_signal_connect_object (list, "row-activated", G_CALLBACK (on_user_row_activated), self, 0);

  scrolled = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled), GTK_POLICY_NEVER,
                                  GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_propagate_natural_height (GTK_SCROLLED_WINDOW (scrolled), TRUE);
  gtk_scrolled_window_set_max_content_height (GTK_SCROLLED_WINDOW (scrolled), 320);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), list);

  dialog = adw_message_dialog_new (GTK_WINDOW (self), _("Switch User"),
                                   _("Who is working at this desk now?"));
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), scrolled);
  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "cancel", _("_Cancel"));
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
preferences_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  DdWindow *self = DD_WINDOW (widget);
  DdPreferencesWindow *preferences;

  preferences = dd_preferences_window_new (GTK_WINDOW (self), self->context);
  gtk_window_present (GTK_WINDOW (preferences));
}

/* Sidebar */

static void
show_sidebar_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  DdWindow *self = DD_WINDOW (widget);

  adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_BACK);
}

void
_dd_window_class_install_actions (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "win.import", NULL, import_action);
  gtk_widget_class_install_action (widget_class, "win.export-cases", NULL, export_cases_action);
  gtk_widget_class_install_action (widget_class, "win.new-campaign", NULL, new_campaign_action);
  gtk_widget_class_install_action (widget_class, "win.switch-user", NULL, switch_user_action);
  gtk_widget_class_install_action (widget_class, "win.preferences", NULL, preferences_action);
  gtk_widget_class_install_action (widget_class, "win.show-sidebar", NULL, show_sidebar_action);
}
