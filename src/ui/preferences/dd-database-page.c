/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "dd-database-page"

#include "config.h"

#include "dd-database-page.h"

#include "dd-a11y.h"
#include "dd-pg-database.h"
#include "dd-secret-store.h"

#include <glib/gi18n-lib.h>
#include <string.h>

struct _DdDatabasePage
{
  AdwPreferencesPage  parent_instance;

  GSettings    *settings;
  GtkWidget    *local_check;
  GtkWidget    *shared_check;
  GtkWidget    *server_group;
  GtkWidget    *host_row;
  GtkWidget    *port_row;
  GtkWidget    *name_row;
  GtkWidget    *user_row;
  GtkWidget    *password_row;
  GtkWidget    *tls_switch;
  GtkWidget    *status_row;
  GtkWidget    *status_icon;
  GtkWidget    *test_button;
  GtkWidget    *use_button;
  GCancellable *cancellable;
  GPtrArray    *groups;       /* mode, server, buttons */
};

G_DEFINE_FINAL_TYPE (DdDatabasePage, dd_database_page, ADW_TYPE_PREFERENCES_PAGE)

gboolean
_dd_database_host_is_local (const char *host)
{
  return host == NULL || *host == '\0' || *host == '/' || g_str_equal (host, "localhost") ||
         g_str_equal (host, "127.0.0.1") || g_str_equal (host, "::1");
}

static const char *
text_of (GtkWidget *row)
{
  return gtk_editable_get_text (GTK_EDITABLE (row));
}

char *
_dd_database_page_build_uri (DdDatabasePage *self,
                             const char     *password)
{
  g_autofree char *host = g_strstrip (g_strdup (text_of (self->host_row)));
  g_autofree char *name = g_strstrip (g_strdup (text_of (self->name_row)));
  g_autofree char *user = g_strstrip (g_strdup (text_of (self->user_row)));
  g_autofree char *path = NULL;
  g_autoptr(GUri) uri = NULL;
  const char *port_text = text_of (self->port_row);
  gint port = *port_text != '\0' ? (gint) g_ascii_strtoll (port_text, NULL, 10) : -1;
  gboolean tls = gtk_switch_get_active (GTK_SWITCH (self->tls_switch)) ||
                 !_dd_database_host_is_local (host);

  path = g_strconcat ("/", name, NULL);
  uri = g_uri_build_with_user (G_URI_FLAGS_HAS_PASSWORD, "postgresql",
                               *user != '\0' ? user : NULL,
                               password != NULL && *password != '\0' ? password : NULL, NULL,
                               host, port > 0 && port < 65536 ? port : -1, path,
                               tls ? "sslmode=require" : "sslmode=prefer", NULL);
  return g_uri_to_string (uri);
}

static void
show_status (DdDatabasePage *self,
             const char     *message,
             gboolean        ok)
{
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->status_row), message);
  gtk_image_set_from_icon_name (GTK_IMAGE (self->status_icon),
                                ok ? "emblem-ok-symbolic" : "dialog-warning-symbolic");
  gtk_widget_remove_css_class (self->status_row, ok ? "error" : "success");
  gtk_widget_add_css_class (self->status_row, ok ? "success" : "error");
  gtk_widget_set_visible (self->status_row, TRUE);
}

/* Inline checks of the fields: a missing host, database or user is said where it is. */
static gboolean
fields_valid (DdDatabasePage *self)
{
  struct { GtkWidget *row; const char *missing; } required[] = {
    { self->host_row, N_("Enter the name or address of the database server") },
    { self->name_row, N_("Enter the name of the office database on the server") },
    { self->user_row, N_("Enter the database user of this desk") },
  };
  const char *port = text_of (self->port_row);

  for (guint i = 0; i < G_N_ELEMENTS (required); i++)
    gtk_widget_remove_css_class (required[i].row, "error");
  gtk_widget_remove_css_class (self->port_row, "error");
  for (guint i = 0; i < G_N_ELEMENTS (required); i++)
    {
      g_autofree char *value = g_strstrip (g_strdup (text_of (required[i].row)));

      if (*value == '\0')
        {
          gtk_widget_add_css_class (required[i].row, "error");
          show_status (self, _(required[i].missing), FALSE);
          gtk_widget_grab_focus (required[i].row);
          return FALSE;
        }
    }
  for (const char *p = port; *p; p++)
    if (!g_ascii_isdigit (*p) || g_ascii_strtoll (port, NULL, 10) > 65535)
      {
        gtk_widget_add_css_class (self->port_row, "error");
        show_status (self, _("The port is a number from 1 to 65535 (usually 5432)"), FALSE);
        gtk_widget_grab_focus (self->port_row);
        return FALSE;
      }
  return TRUE;
}

static void
update_sensitivity (DdDatabasePage *self)
{
  gboolean shared = gtk_check_button_get_active (GTK_CHECK_BUTTON (self->shared_check));
  gboolean local = _dd_database_host_is_local (text_of (self->host_row));

  gtk_widget_set_sensitive (self->server_group, shared);
  gtk_widget_set_sensitive (self->test_button, shared);
  /* only a server on this computer may be reached without encryption */
  gtk_widget_set_sensitive (self->tls_switch, shared && local);
  if (!local)
    gtk_switch_set_active (GTK_SWITCH (self->tls_switch), TRUE);
}

static void
on_tested (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(DdDatabasePage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(DdDatabase) database = dd_pg_database_open_finish (result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  gtk_widget_set_sensitive (self->test_button, TRUE);
  if (database == NULL)
    {
      show_status (self, error->message, FALSE);
      return;
    }
  {
    /* Translators: a connection test worked; %s is the database's name, %u its version */
    g_autofree char *message = g_strdup_printf (_("Connected to “%s” (office schema %u)"),
                                                text_of (self->name_row),
                                                dd_database_get_schema_version (database));

    show_status (self, message, TRUE);
  }
}

static void
on_test_clicked (DdDatabasePage *self)
{
  g_autofree char *uri = NULL;

  if (!fields_valid (self))
    return;
  uri = _dd_database_page_build_uri (self, text_of (self->password_row));
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  gtk_widget_set_sensitive (self->test_button, FALSE);
  show_status (self, _("Connecting…"), TRUE);
  dd_pg_database_open_async (uri, self->cancellable, on_tested, g_object_ref (self));
}

static void
on_password_stored (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(DdDatabasePage) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!dd_secret_store_finish (result, &error))
    show_status (self, error->message, FALSE);
}

static void
on_use_clicked (DdDatabasePage *self)
{
  if (gtk_check_button_get_active (GTK_CHECK_BUTTON (self->local_check)))
    {
      g_settings_set_string (self->settings, "database-path", "");
      show_status (self, _("The office opens from this computer’s file at the next start"),
                   TRUE);
      return;
    }
  if (!fields_valid (self))
    return;
  {
    g_autofree char *uri = _dd_database_page_build_uri (self, NULL);
    const char *attributes[] = { "uri", uri, NULL };

    /* the password goes to the keyring, never to the settings */
    dd_secret_store (DD_SECRET_SHARED_DATABASE, attributes, _("Dunning Desk shared database"),
                     text_of (self->password_row), self->cancellable, on_password_stored,
                     g_object_ref (self));
    g_settings_set_string (self->settings, "database-path", uri);
    show_status (self, _("The office opens from the shared database at the next start"), TRUE);
  }
}

static void
load_settings (DdDatabasePage *self)
{
  g_autofree char *path = g_settings_get_string (self->settings, "database-path");
  g_autoptr(GUri) uri = NULL;

  if (!dd_pg_database_is_uri (path) ||
      (uri = g_uri_parse (path, G_URI_FLAGS_HAS_PASSWORD, NULL)) == NULL)
    {
      gtk_check_button_set_active (GTK_CHECK_BUTTON (self->local_check), TRUE);
      return;
    }
  gtk_check_button_set_active (GTK_CHECK_BUTTON (self->shared_check), TRUE);
  gtk_editable_set_text (GTK_EDITABLE (self->host_row),
                         g_uri_get_host (uri) != NULL ? g_uri_get_host (uri) : "");
  if (g_uri_get_port (uri) > 0)
    {
      g_autofree char *port = g_strdup_printf ("%d", g_uri_get_port (uri));

      gtk_editable_set_text (GTK_EDITABLE (self->port_row), port);
    }
  gtk_editable_set_text (GTK_EDITABLE (self->name_row),
                         g_uri_get_path (uri)[0] == '/' ? g_uri_get_path (uri) + 1 : "");
  gtk_editable_set_text (GTK_EDITABLE (self->user_row),
                         g_uri_get_user (uri) != NULL ? g_uri_get_user (uri) : "");
  gtk_switch_set_active (GTK_SWITCH (self->tls_switch),
                         g_uri_get_query (uri) == NULL ||
                         strstr (g_uri_get_query (uri), "sslmode=require") != NULL);
}

static GtkWidget *
entry_row (GtkWidget  *group,
           const char *title,
           GType       type)
{
  GtkWidget *row = g_object_new (type, "title", title, NULL);

  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), row);
  return row;
}

static GtkWidget *
choice_row (GtkWidget  *group,
            const char *title,
            const char *subtitle,
            GtkWidget  *check)
{
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), check);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), check);
  gtk_accessible_update_property (GTK_ACCESSIBLE (check), GTK_ACCESSIBLE_PROPERTY_LABEL, title,
                                  -1);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), row);
  return row;
}

static void
dd_database_page_dispose (GObject *object)
{
  DdDatabasePage *self = DD_DATABASE_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->settings);
  g_clear_pointer (&self->groups, g_ptr_array_unref);

  G_OBJECT_CLASS (dd_database_page_parent_class)->dispose (object);
}

static void
dd_database_page_class_init (DdDatabasePageClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = dd_database_page_dispose;
}

static void
dd_database_page_init (DdDatabasePage *self)
{
  GtkWidget *mode_group, *tls_row, *buttons;

  self->cancellable = g_cancellable_new ();
  self->groups = g_ptr_array_new ();
  adw_preferences_page_set_title (ADW_PREFERENCES_PAGE (self), _("Database"));
  adw_preferences_page_set_icon_name (ADW_PREFERENCES_PAGE (self), "network-server-symbolic");
  gtk_widget_set_name (GTK_WIDGET (self), "database");

  mode_group = adw_preferences_group_new ();
  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (mode_group), _("Where the Office Lives"));
  self->local_check = gtk_check_button_new ();
  self->shared_check = gtk_check_button_new ();
  gtk_check_button_set_group (GTK_CHECK_BUTTON (self->shared_check),
                              GTK_CHECK_BUTTON (self->local_check));
  choice_row (mode_group, _("This Computer Only"),
              _("One desk: the office is a file on this computer"), self->local_check);
  choice_row (mode_group, _("Shared Office Database"),
              _("Several desks work the same cases on one PostgreSQL server"),
              self->shared_check);
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (self), ADW_PREFERENCES_GROUP (mode_group));
  g_ptr_array_add (self->groups, mode_group);

  self->server_group = adw_preferences_group_new ();
  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (self->server_group),
                                   _("Shared Database"));
  adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (self->server_group),
    _("The password is kept in this computer’s keyring. An empty database gets the office’s "
      "tables when it is first reached."));
  self->host_row = entry_row (self->server_group, _("Server"), ADW_TYPE_ENTRY_ROW);
  self->port_row = entry_row (self->server_group, _("Port"), ADW_TYPE_ENTRY_ROW);
  gtk_editable_set_text (GTK_EDITABLE (self->port_row), "5432");
  self->name_row = entry_row (self->server_group, _("Database"), ADW_TYPE_ENTRY_ROW);
  self->user_row = entry_row (self->server_group, _("User"), ADW_TYPE_ENTRY_ROW);
  self->password_row = entry_row (self->server_group, _("Password"), ADW_TYPE_PASSWORD_ENTRY_ROW);
  dd_a11y_name_buttons_from_tooltips (self->password_row);

  tls_row = adw_action_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (tls_row), _("Encrypted Connection"));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (tls_row),
                               _("Required unless the server is this computer"));
  self->tls_switch = gtk_switch_new ();
  gtk_switch_set_active (GTK_SWITCH (self->tls_switch), TRUE);
  gtk_widget_set_valign (self->tls_switch, GTK_ALIGN_CENTER);
  adw_action_row_add_suffix (ADW_ACTION_ROW (tls_row), self->tls_switch);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (tls_row), self->tls_switch);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (self->server_group), tls_row);

  self->status_row = adw_action_row_new ();
  self->status_icon = gtk_image_new ();
  adw_action_row_add_prefix (ADW_ACTION_ROW (self->status_row), self->status_icon);
  gtk_widget_set_visible (self->status_row, FALSE);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (self->server_group), self->status_row);
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (self),
                            ADW_PREFERENCES_GROUP (self->server_group));
  g_ptr_array_add (self->groups, self->server_group);

  buttons = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  gtk_widget_set_halign (buttons, GTK_ALIGN_END);
  gtk_widget_set_margin_top (buttons, 12);
  self->test_button = gtk_button_new_with_mnemonic (_("_Test Connection"));
  self->use_button = gtk_button_new_with_mnemonic (_("_Use This Database"));
  gtk_widget_add_css_class (self->use_button, "suggested-action");
  gtk_box_append (GTK_BOX (buttons), self->test_button);
  gtk_box_append (GTK_BOX (buttons), self->use_button);
  {
    GtkWidget *group = adw_preferences_group_new ();

    adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), buttons);
    adw_preferences_page_add (ADW_PREFERENCES_PAGE (self), ADW_PREFERENCES_GROUP (group));
    g_ptr_array_add (self->groups, group);
  }

  g_signal_connect_swapped (self->test_button, "clicked", G_CALLBACK (on_test_clicked), self);
  g_signal_connect_swapped (self->use_button, "clicked", G_CALLBACK (on_use_clicked), self);
  g_signal_connect_swapped (self->shared_check, "toggled", G_CALLBACK (update_sensitivity), self);
  g_signal_connect_swapped (self->host_row, "changed", G_CALLBACK (update_sensitivity), self);
}

void
dd_database_page_move_to (DdDatabasePage     *self,
                          AdwPreferencesPage *page)
{
  g_return_if_fail (DD_IS_DATABASE_PAGE (self));
  g_return_if_fail (ADW_IS_PREFERENCES_PAGE (page));

  for (guint i = 0; i < self->groups->len; i++)
    {
      AdwPreferencesGroup *group = g_object_ref (g_ptr_array_index (self->groups, i));

      adw_preferences_page_remove (ADW_PREFERENCES_PAGE (self), group);
      adw_preferences_page_add (page, group);
      g_object_unref (group);
    }
}

GtkWidget *
dd_database_page_new (GSettings *settings)
{
  DdDatabasePage *self = g_object_new (DD_TYPE_DATABASE_PAGE, NULL);

  if (settings != NULL)
    {
      self->settings = g_object_ref (settings);
      load_settings (self);
    }
  else
    gtk_check_button_set_active (GTK_CHECK_BUTTON (self->local_check), TRUE);
  gtk_widget_set_sensitive (self->use_button, settings != NULL);
  update_sensitivity (self);
  return GTK_WIDGET (self);
}
