/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "dd-manager-unlock"

#include "config.h"

#include "dd-manager-unlock.h"

#include "dd-agent-store.h"
#include "dd-question.h"

#include <glib/gi18n.h>

#define GATE_KEY "dd-manager-gate"

static void
on_agent_changed (DdContext   *context,
                  GParamSpec  *pspec,
                  DdUsersGate *gate)
{
  /* another user at the desk: a new session, the unlock is forgotten */
  dd_users_gate_start_session (gate, dd_context_get_agent_id (context));
}

DdUsersGate *
dd_manager_unlock_get_gate (DdContext *context)
{
  DdUsersGate *gate;

  g_return_val_if_fail (DD_IS_CONTEXT (context), NULL);

  gate = g_object_get_data (G_OBJECT (context), GATE_KEY);
  if (gate != NULL)
    return gate;
  gate = dd_users_gate_new ();
  dd_users_gate_start_session (gate, dd_context_get_agent_id (context));
  g_object_set_data_full (G_OBJECT (context), GATE_KEY, gate,
                          (GDestroyNotify) dd_users_gate_free);
  g_signal_connect (context, "notify::agent-id", G_CALLBACK (on_agent_changed), gate);
  return gate;
}

gboolean
dd_manager_unlock_allows (DdContext *context)
{
  g_return_val_if_fail (DD_IS_CONTEXT (context), FALSE);

  /* the context's role is the manager's for a manager, and for an unlocked desk */
  return dd_context_get_agent_id (context) > 0 && dd_context_get_is_manager (context);
}

gint64
dd_manager_unlock_acting_agent (DdContext *context)
{
  DdUsersGate *gate;

  g_return_val_if_fail (DD_IS_CONTEXT (context), 0);

  gate = g_object_get_data (G_OBJECT (context), GATE_KEY);
  if (gate != NULL && dd_users_gate_is_unlocked (gate) &&
      dd_users_gate_get_agent (gate) == dd_context_get_agent_id (context) &&
      dd_users_gate_get_unlocked_by (gate) > 0)
    return dd_users_gate_get_unlocked_by (gate);
  return dd_context_get_agent_id (context);
}

static GPtrArray *
list_managers (DdContext  *context,
               GError    **error)
{
  g_autoptr(DdAgentStore) agents = dd_agent_store_new (dd_context_get_database (context));

  return dd_users_gate_list_managers (agents, error);
}

gboolean
dd_manager_unlock_can_ask (DdContext *context)
{
  g_autoptr(GPtrArray) managers = NULL;

  g_return_val_if_fail (DD_IS_CONTEXT (context), FALSE);

  if (dd_context_get_agent_id (context) <= 0 || dd_manager_unlock_allows (context))
    return FALSE;
  managers = list_managers (context, NULL);
  return managers != NULL && managers->len > 0;
}

/* What the dialog runs once unlocked. */
typedef struct
{
  GWeakRef             widget;
  DdContext           *context;
  DdManagerUnlockFunc  func;
  GPtrArray           *managers;   /* DdAgent */
  GtkWidget           *drop_down;  /* NULL with one manager */
  GtkWidget           *entry;
} Request;

static void
request_free (Request *request)
{
  g_weak_ref_clear (&request->widget);
  g_clear_object (&request->context);
  g_clear_pointer (&request->managers, g_ptr_array_unref);
  g_free (request);
}

static void ask (GtkWidget *widget, DdContext *context, DdManagerUnlockFunc func,
                 const char *error_text, guint selected);

static void
on_response (AdwMessageDialog *dialog,
             const char       *response,
             Request          *request)
{
  g_autoptr(GtkWidget) widget = g_weak_ref_get (&request->widget);
  g_autoptr(DdAgentStore) agents = NULL;
  g_autoptr(GError) error = NULL;
  guint selected = request->drop_down != NULL
                   ? gtk_drop_down_get_selected (GTK_DROP_DOWN (request->drop_down)) : 0;
  const DdAgent *manager;
  DdUsersGate *gate;

  /* the dialog goes: the password entry must not keep the focus of a window being disposed
   * (GTK 4.8's password entry would hear of it after it is gone) */
  gtk_window_set_focus (GTK_WINDOW (dialog), NULL);
  if (g_strcmp0 (response, "unlock") != 0 || widget == NULL
      || selected >= request->managers->len)
    return;
  manager = g_ptr_array_index (request->managers, selected);
  agents = dd_agent_store_new (dd_context_get_database (request->context));
  gate = dd_manager_unlock_get_gate (request->context);
  if (!dd_users_gate_unlock (gate, agents, manager->id,
                             gtk_editable_get_text (GTK_EDITABLE (request->entry)), &error))
    {
      /* asked again, saying why */
      ask (widget, request->context, request->func, error->message, selected);
      return;
    }
  /* the desk works with the manager's rights until the session ends */
  dd_context_set_agent (request->context, dd_context_get_agent_id (request->context),
                        dd_context_get_agent_name (request->context), TRUE);
  if (request->func != NULL)
    request->func (widget);
}

static GtkWidget *
managers_drop_down (GPtrArray *managers,
                    guint      selected)
{
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);
  GtkWidget *drop_down;

  for (guint i = 0; i < managers->len; i++)
    gtk_string_list_append (names, ((DdAgent *) g_ptr_array_index (managers, i))->name);
  drop_down = gtk_drop_down_new (G_LIST_MODEL (g_steal_pointer (&names)), NULL);
  gtk_drop_down_set_selected (GTK_DROP_DOWN (drop_down), MIN (selected, managers->len - 1));
  gtk_accessible_update_property (GTK_ACCESSIBLE (drop_down), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Manager"), -1);
  return drop_down;
}

static void
ask (GtkWidget           *widget,
     DdContext           *context,
     DdManagerUnlockFunc  func,
     const char          *error_text,
     guint                selected)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) managers = list_managers (context, &error);
  AdwMessageDialog *dialog;
  GtkWidget *box;
  Request *request;

  if (managers == NULL || managers->len == 0)
    {
      /* nobody to ask: the roles cannot be told apart by a password */
      dd_notice_show (widget, _("Manager’s Password"),
                      managers == NULL ? error->message
                      : _("This is the manager’s to do, and no manager has a "
                          "password yet: the manager sets one in Preferences › "
                          "Users, or takes the desk with Switch User."));
      return;
    }

  request = g_new0 (Request, 1);
  g_weak_ref_init (&request->widget, widget);
  request->context = g_object_ref (context);
  request->func = func;
  request->managers = g_steal_pointer (&managers);

  dialog = dd_question_new (widget, _("Manager’s Password"),
                            _("Closing and reopening cases, the users, the contact policy and "
                              "the providers are the manager’s. Once a manager’s password is "
                              "typed, this desk does not ask again until the app quits or "
                              "another user takes the desk."),
                            "unlock", _("_Unlock"), ADW_RESPONSE_SUGGESTED, TRUE);
  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  if (request->managers->len > 1)
    {
      request->drop_down = managers_drop_down (request->managers, selected);
      gtk_box_append (GTK_BOX (box), request->drop_down);
    }
  request->entry = gtk_password_entry_new ();
  gtk_password_entry_set_show_peek_icon (GTK_PASSWORD_ENTRY (request->entry), TRUE);
  g_object_set (request->entry, "activates-default", TRUE, NULL);
  {
    /* Translators: the accessible name of the password entry; %s is the manager's name */
    g_autofree char *label = g_strdup_printf (_("Password of %s"),
                                              request->managers->len == 1
                                              ? ((DdAgent *) g_ptr_array_index (request->managers, 0))->name
                                              : _("the manager"));

    gtk_accessible_update_property (GTK_ACCESSIBLE (request->entry),
                                    GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
    g_object_set (request->entry, "placeholder-text", label, NULL);
  }
  gtk_box_append (GTK_BOX (box), request->entry);
  if (error_text != NULL)
    {
      GtkWidget *label = gtk_label_new (error_text);

      gtk_label_set_wrap (GTK_LABEL (label), TRUE);
      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_widget_add_css_class (label, "error");
      gtk_widget_set_name (label, "unlock-error");
      gtk_box_append (GTK_BOX (box), label);
      gtk_accessible_update_relation (GTK_ACCESSIBLE (request->entry),
                                      GTK_ACCESSIBLE_RELATION_DESCRIBED_BY, label, NULL, -1);
    }
  adw_message_dialog_set_extra_child (dialog, box);
  g_object_set_data_full (G_OBJECT (dialog), "dd-unlock-request", request,
                          (GDestroyNotify) request_free);
  g_signal_connect (dialog, "response", G_CALLBACK (on_response), request);
  gtk_window_present (GTK_WINDOW (dialog));
  gtk_widget_grab_focus (request->entry);
}

void
dd_manager_unlock_run (GtkWidget           *widget,
                       DdContext           *context,
                       DdManagerUnlockFunc  func)
{
  g_return_if_fail (GTK_IS_WIDGET (widget));
  g_return_if_fail (DD_IS_CONTEXT (context));

  /* the gate follows the desk's sessions from now on */
  dd_manager_unlock_get_gate (context);
  if (dd_manager_unlock_allows (context))
    {
      if (func != NULL)
        func (widget);
      return;
    }
  ask (widget, context, func, NULL, 0);
}
