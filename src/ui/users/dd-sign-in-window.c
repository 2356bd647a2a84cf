/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "dd-sign-in"

#include "config.h"

#include "dd-sign-in-window.h"

#include "dd-agent-store.h"
#include "dd-inline-error.h"
#include "dd-users.h"

#include <glib/gi18n.h>

struct _DdSignInWindow
{
  AdwApplicationWindow  parent_instance;

  DdDatabase           *database;
  GSettings            *settings;
  DdAgentStore         *agents;
  GPtrArray            *users;      /* DdAgent, by position in user_row */

  /* template children */
  AdwWindowTitle       *window_title;
  AdwComboRow          *user_row;
  AdwEntryRow          *password_row;
  GtkLabel             *error_label;
  GtkButton            *sign_in_button;
};

G_DEFINE_FINAL_TYPE (DdSignInWindow, dd_sign_in_window, ADW_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_DATABASE,
  PROP_SETTINGS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  SIGNAL_SIGNED_IN,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static const DdAgent *
selected_user (DdSignInWindow *self)
{
  guint position = adw_combo_row_get_selected (self->user_row);

  if (self->users == NULL || position >= self->users->len)
    return NULL;
  return g_ptr_array_index (self->users, position);
}

static void
show_error (DdSignInWindow *self,
            const char     *text)
{
  dd_show_message (self->error_label, text);
}

static void
on_user_row_selected (DdSignInWindow *self)
{
  const DdAgent *agent = selected_user (self);

  gboolean needs_password = agent != NULL && agent->has_password;
  GtkWidget *focus = gtk_window_get_focus (GTK_WINDOW (self));

  show_error (self, NULL);
  /* a user without a password signs in without one: the keyboard goes to Sign In */
  if (!needs_password && focus != NULL
      && (focus == GTK_WIDGET (self->password_row)
          || gtk_widget_is_ancestor (focus, GTK_WIDGET (self->password_row))))
    gtk_widget_grab_focus (GTK_WIDGET (self->sign_in_button));
  gtk_widget_set_sensitive (GTK_WIDGET (self->password_row), needs_password);
}

static void
on_sign_in_clicked (DdSignInWindow *self)
{
  g_autoptr(GError) error = NULL;
  const DdAgent *agent = selected_user (self);

  if (agent == NULL)
    return;
  if (!dd_users_check_password (self->agents, agent->id,
                                gtk_editable_get_text (GTK_EDITABLE (self->password_row)),
                                &error))
    {
      show_error (self, error->message);
      gtk_editable_set_text (GTK_EDITABLE (self->password_row), "");
      gtk_widget_grab_focus (GTK_WIDGET (self->password_row));
      return;
    }

  gtk_editable_set_text (GTK_EDITABLE (self->password_row), "");
  if (self->settings != NULL)
    g_settings_set_int64 (self->settings, "last-agent-id", agent->id);
  g_signal_emit (self, signals[SIGNAL_SIGNED_IN], 0, agent->id);
}

static void
load_users (DdSignInWindow *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);
  gint64 last_id = self->settings != NULL
                   ? g_settings_get_int64 (self->settings, "last-agent-id") : 0;
  guint selected = 0;

  g_clear_pointer (&self->users, g_ptr_array_unref);
  self->users = dd_agent_store_list (self->agents, FALSE, &error);
  if (self->users == NULL)
    {
      show_error (self, error->message);
      gtk_widget_set_sensitive (GTK_WIDGET (self->sign_in_button), FALSE);
      return;
    }
  for (guint i = 0; i < self->users->len; i++)
    {
      const DdAgent *agent = g_ptr_array_index (self->users, i);

      gtk_string_list_append (names, agent->name);
      if (agent->id == last_id)
        selected = i;
    }
  adw_combo_row_set_model (self->user_row, G_LIST_MODEL (names));
  adw_combo_row_set_selected (self->user_row, selected);
  on_user_row_selected (self);
}

static void
dd_sign_in_window_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  DdSignInWindow *self = DD_SIGN_IN_WINDOW (object);

  switch (prop_id)
    {
    case PROP_DATABASE:
      g_value_set_object (value, self->database);
      break;
    case PROP_SETTINGS:
      g_value_set_object (value, self->settings);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dd_sign_in_window_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  DdSignInWindow *self = DD_SIGN_IN_WINDOW (object);

  switch (prop_id)
    {
    case PROP_DATABASE:
      self->database = g_value_dup_object (value);
      break;
    case PROP_SETTINGS:
      self->settings = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dd_sign_in_window_constructed (GObject *object)
{
  DdSignInWindow *self = DD_SIGN_IN_WINDOW (object);
  g_autofree char *office = NULL;

  G_OBJECT_CLASS (dd_sign_in_window_parent_class)->constructed (object);

  g_return_if_fail (DD_IS_DATABASE (self->database));

  self->agents = dd_agent_store_new (self->database);
  if (self->settings != NULL)
    office = g_settings_get_string (self->settings, "office-name");
  if (office != NULL && *office != '\0')
    adw_window_title_set_subtitle (self->window_title, office);
  load_users (self);
  gtk_widget_grab_focus (GTK_WIDGET (self->password_row));
}

static void
dd_sign_in_window_dispose (GObject *object)
{
  DdSignInWindow *self = DD_SIGN_IN_WINDOW (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), DD_TYPE_SIGN_IN_WINDOW);
  g_clear_pointer (&self->users, g_ptr_array_unref);
  g_clear_object (&self->agents);
  g_clear_object (&self->settings);
  g_clear_object (&self->database);

  G_OBJECT_CLASS (dd_sign_in_window_parent_class)->dispose (object);
}

static void
dd_sign_in_window_class_init (DdSignInWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = dd_sign_in_window_get_property;
  object_class->set_property = dd_sign_in_window_set_property;
  object_class->constructed = dd_sign_in_window_constructed;
  object_class->dispose = dd_sign_in_window_dispose;

  properties[PROP_DATABASE] =
    g_param_spec_object ("database", NULL, NULL, DD_TYPE_DATABASE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SETTINGS] =
    g_param_spec_object ("settings", NULL, NULL, G_TYPE_SETTINGS,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[SIGNAL_SIGNED_IN] =
    g_signal_new ("signed-in", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 1, G_TYPE_INT64);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/dunningdesk/DunningDesk/dd-sign-in-window.ui");
  gtk_widget_class_bind_template_child (widget_class, DdSignInWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, DdSignInWindow, user_row);
  gtk_widget_class_bind_template_child (widget_class, DdSignInWindow, password_row);
  gtk_widget_class_bind_template_child (widget_class, DdSignInWindow, error_label);
  gtk_widget_class_bind_template_child (widget_class, DdSignInWindow, sign_in_button);
  gtk_widget_class_bind_template_callback (widget_class, on_user_row_selected);
  gtk_widget_class_bind_template_callback (widget_class, on_sign_in_clicked);
}

static void
dd_sign_in_window_init (DdSignInWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_window_set_default_widget (GTK_WINDOW (self), GTK_WIDGET (self->sign_in_button));
}

DdSignInWindow *
dd_sign_in_window_new (GtkApplication *application,
                       DdDatabase     *database,
                       GSettings      *settings)
{
  g_return_val_if_fail (DD_IS_DATABASE (database), NULL);

  return g_object_new (DD_TYPE_SIGN_IN_WINDOW,
                       "application", application,
                       "database", database,
                       "settings", settings,
                       NULL);
}

DdDatabase *
dd_sign_in_window_get_database (DdSignInWindow *self)
{
  g_return_val_if_fail (DD_IS_SIGN_IN_WINDOW (self), NULL);

  return self->database;
}

gboolean
dd_sign_in_window_select_user (DdSignInWindow *self,
                               const char     *name)
{
  g_return_val_if_fail (DD_IS_SIGN_IN_WINDOW (self), FALSE);

  for (guint i = 0; self->users != NULL && i < self->users->len; i++)
    {
      const DdAgent *agent = g_ptr_array_index (self->users, i);

      if (g_strcmp0 (agent->name, name) == 0)
        {
          adw_combo_row_set_selected (self->user_row, i);
          return TRUE;
        }
    }
  return FALSE;
}
