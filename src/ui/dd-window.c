/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "dd-window"

#include "config.h"

#include "dd-window.h"

#include "dd-case-store.h"
#include "dd-cases-view.h"
#include "dd-context.h"
#include "dd-import-assistant.h"

#include <glib/gi18n.h>

struct _DdWindow
{
  AdwApplicationWindow  parent_instance;

  DdDatabase           *database;
  GSettings            *settings;
  DdCaseStore          *case_store;
  DdContext            *context;
  GtkWidget            *cases_view;

  /* template children */
  AdwWindowTitle       *window_title;
  GtkStack             *stack;
  AdwBin               *cases_bin;
  AdwStatusPage        *empty_page;
  AdwStatusPage        *error_page;
};

G_DEFINE_FINAL_TYPE (DdWindow, dd_window, ADW_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_DATABASE,
  PROP_SETTINGS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static char *
format_count (gint64 n)
{
  /* %' groups the digits as the locale does: "1,234", "1 234", "1.234" */
  return g_strdup_printf ("%'" G_GINT64_FORMAT, n);
}

static gboolean
has_office_name (DdWindow *self)
{
  g_autofree char *office_name = g_settings_get_string (self->settings, "office-name");

  return office_name != NULL && *office_name != '\0';
}

static void
show_counts (DdWindow *self,
             gint64    total,
             gint64    open)
{
  g_autofree char *total_text = NULL;
  g_autofree char *open_text = NULL;
  g_autofree char *title = NULL;
  g_autofree char *description = NULL;
  g_autofree char *file_name = NULL;
  const char *location;

  if (total == 0)
    {
      adw_window_title_set_title (self->window_title, _("Dunning Desk"));
      gtk_stack_set_visible_child_name (self->stack, "empty");
      return;
    }

  total_text = format_count (total);
  open_text = format_count (open);
  location = dd_database_get_location (self->database);
  file_name = location != NULL ? g_path_get_basename (location) : g_strdup ("");

  /* Translators: the title of the main window's overview; %s is the number of debtor
   * cases in the office database, already formatted ("1,234"). */
  title = g_strdup_printf (ngettext ("%s case", "%s cases", (gulong) MIN (total, G_MAXLONG)),
                           total_text);
  /* Translators: below the number of cases; the first %s is the number of cases that are
   * not closed ("980"), the second the name of the database file ("office.db"). */
  description = g_markup_printf_escaped (ngettext ("%s open, in %s", "%s open, in %s",
                                                   (gulong) MIN (open, G_MAXLONG)),
                                         open_text, file_name);

  /* The counts head the window; the office name, when set, takes the second line. */
  adw_window_title_set_title (self->window_title, title);
  if (self->settings == NULL || !has_office_name (self))
    adw_window_title_set_subtitle (self->window_title, description);
  gtk_stack_set_visible_child_name (self->stack, "cases");
}

static void
show_error (DdWindow     *self,
            const GError *error)
{
  g_autofree char *description = NULL;

  description = g_markup_escape_text (error->message, -1);
  adw_status_page_set_description (self->error_page, description);
  gtk_stack_set_visible_child_name (self->stack, "error");
}

static void
on_settings_office_name_changed (DdWindow   *self,
                                 const char *key,
                                 GSettings  *settings)
{
  g_autofree char *office_name = g_settings_get_string (settings, "office-name");

  adw_window_title_set_subtitle (self->window_title, office_name);
  if (office_name == NULL || *office_name == '\0')
    dd_window_reload (self);
}

static void
open_import (DdWindow *self,
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
  open_import (DD_WINDOW (widget), NULL);
}

static gboolean
on_drop (GtkDropTarget *target,
         const GValue  *value,
         double         x,
         double         y,
         DdWindow      *self)
{
  GSList *files;

  if (!G_VALUE_HOLDS (value, GDK_TYPE_FILE_LIST))
    return FALSE;
  files = g_value_get_boxed (value);
  if (files == NULL)
    return FALSE;
  open_import (self, G_FILE (files->data));
  return TRUE;
}

/* Runs as the first active manager; a new office gets one named after the system user, so
 * that every action is at hand at once. Switching users comes with the users page. */
static void
choose_agent (DdWindow *self)
{
  g_autoptr(GError) error = NULL;
  DdStatement *stmt;
  gint64 count = 0;

  if (!dd_database_query_int64 (self->database, "SELECT COUNT(*) FROM agent", &count, &error))
    {
      g_warning ("Could not read the users: %s", error->message);
      return;
    }
  if (count == 0)
    {
      g_autofree char *now = dd_timestamp_now ();
      const char *name = g_get_real_name ();

      if (name == NULL || *name == '\0' || g_str_equal (name, "Unknown"))
        name = g_get_user_name ();
      stmt = dd_database_cached (self->database,
                                 "INSERT INTO agent (name, role, created_at) VALUES (?, 'manager', ?)",
                                 &error);
      if (stmt != NULL)
        {
          dd_statement_bind_text (stmt, 1, name);
          dd_statement_bind_text (stmt, 2, now);
          dd_statement_run (stmt, &error);
        }
      if (error != NULL)
        {
          g_warning ("Could not create the first user: %s", error->message);
          return;
        }
    }

  stmt = dd_database_cached (self->database,
                             "SELECT id, name, role FROM agent WHERE active = 1"
                             " ORDER BY role = 'manager' DESC, id LIMIT 1",
                             &error);
  if (stmt == NULL)
    return;
  if (dd_statement_step (stmt, &error))
    dd_context_set_agent (self->context, dd_statement_get_int64 (stmt, 0),
                          dd_statement_get_text (stmt, 1),
                          g_strcmp0 (dd_statement_get_text (stmt, 2), "manager") == 0);
  dd_statement_reset (stmt);
  if (error != NULL)
    g_warning ("Could not read the users: %s", error->message);
}

static void
on_cases_changed (DdWindow  *self,
                  DdContext *context)
{
  dd_window_reload (self);
}

static void
load_window_state (DdWindow *self)
{
  int width;
  int height;

  if (self->settings == NULL)
    return;

  width = g_settings_get_int (self->settings, "window-width");
  height = g_settings_get_int (self->settings, "window-height");
  gtk_window_set_default_size (GTK_WINDOW (self), width, height);
  if (g_settings_get_boolean (self->settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));
}

static void
save_window_state (DdWindow *self)
{
  int width;
  int height;
  gboolean maximized;

  if (self->settings == NULL)
    return;

  maximized = gtk_window_is_maximized (GTK_WINDOW (self));
  g_settings_set_boolean (self->settings, "window-maximized", maximized);
  /* The default size is the unmaximized size. */
  gtk_window_get_default_size (GTK_WINDOW (self), &width, &height);
  if (width > 0 && height > 0)
    {
      g_settings_set_int (self->settings, "window-width", width);
      g_settings_set_int (self->settings, "window-height", height);
    }
}

static gboolean
dd_window_close_request (GtkWindow *window)
{
  DdWindow *self = DD_WINDOW (window);

  save_window_state (self);

  return GTK_WINDOW_CLASS (dd_window_parent_class)->close_request (window);
}

static void
dd_window_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  DdWindow *self = DD_WINDOW (object);

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
dd_window_set_property (GObject      *object,
                        guint         prop_id,
                        const GValue *value,
                        GParamSpec   *pspec)
{
  DdWindow *self = DD_WINDOW (object);

  switch (prop_id)
    {
    case PROP_DATABASE:
      g_assert (self->database == NULL);
      self->database = g_value_dup_object (value);
      break;

    case PROP_SETTINGS:
      g_assert (self->settings == NULL);
      self->settings = g_value_dup_object (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dd_window_constructed (GObject *object)
{
  DdWindow *self = DD_WINDOW (object);

  G_OBJECT_CLASS (dd_window_parent_class)->constructed (object);

  g_return_if_fail (DD_IS_DATABASE (self->database));

  self->case_store = dd_case_store_new (self->database);
  self->context = dd_context_new (self->database, self->settings);
  choose_agent (self);
  g_signal_connect_object (self->context, "cases-changed", G_CALLBACK (on_cases_changed), self,
                           G_CONNECT_SWAPPED);
  self->cases_view = dd_cases_view_new (self->context);
  adw_bin_set_child (self->cases_bin, self->cases_view);

  {
    GtkDropTarget *drop = gtk_drop_target_new (GDK_TYPE_FILE_LIST, GDK_ACTION_COPY);

    g_signal_connect (drop, "drop", G_CALLBACK (on_drop), self);
    gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drop));
  }

  if (self->settings != NULL)
    {
      g_signal_connect_object (self->settings, "changed::office-name",
                               G_CALLBACK (on_settings_office_name_changed), self,
                               G_CONNECT_SWAPPED);
      on_settings_office_name_changed (self, "office-name", self->settings);
    }
  load_window_state (self);

  dd_window_reload (self);
}

static void
dd_window_dispose (GObject *object)
{
  DdWindow *self = DD_WINDOW (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), DD_TYPE_WINDOW);

  g_clear_object (&self->case_store);
  g_clear_object (&self->context);
  g_clear_object (&self->settings);
  g_clear_object (&self->database);

  G_OBJECT_CLASS (dd_window_parent_class)->dispose (object);
}

static void
dd_window_class_init (DdWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->get_property = dd_window_get_property;
  object_class->set_property = dd_window_set_property;
  object_class->constructed = dd_window_constructed;
  object_class->dispose = dd_window_dispose;

  window_class->close_request = dd_window_close_request;

  /**
   * DdWindow:database:
   *
   * The office database whose cases the window shows.
   */
  properties[PROP_DATABASE] =
    g_param_spec_object ("database", NULL, NULL,
                         DD_TYPE_DATABASE,
                         (G_PARAM_READWRITE |
                          G_PARAM_CONSTRUCT_ONLY |
                          G_PARAM_EXPLICIT_NOTIFY |
                          G_PARAM_STATIC_STRINGS));

  /**
   * DdWindow:settings:
   *
   * The application settings (office name, window size), or %NULL.
   */
  properties[PROP_SETTINGS] =
    g_param_spec_object ("settings", NULL, NULL,
                         G_TYPE_SETTINGS,
                         (G_PARAM_READWRITE |
                          G_PARAM_CONSTRUCT_ONLY |
                          G_PARAM_EXPLICIT_NOTIFY |
                          G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/dunningdesk/DunningDesk/dd-window.ui");
  gtk_widget_class_bind_template_child (widget_class, DdWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, DdWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, DdWindow, cases_bin);

  gtk_widget_class_install_action (widget_class, "win.import", NULL, import_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_i, GDK_CONTROL_MASK, "win.import", NULL);
  gtk_widget_class_bind_template_child (widget_class, DdWindow, empty_page);
  gtk_widget_class_bind_template_child (widget_class, DdWindow, error_page);
}

static void
dd_window_init (DdWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

DdWindow *
dd_window_new (GtkApplication *application,
               DdDatabase     *database,
               GSettings      *settings)
{
  g_return_val_if_fail (application == NULL || GTK_IS_APPLICATION (application), NULL);
  g_return_val_if_fail (DD_IS_DATABASE (database), NULL);
  g_return_val_if_fail (settings == NULL || G_IS_SETTINGS (settings), NULL);

  return g_object_new (DD_TYPE_WINDOW,
                       "application", application,
                       "database", database,
                       "settings", settings,
                       NULL);
}

DdContext *
dd_window_get_context (DdWindow *self)
{
  g_return_val_if_fail (DD_IS_WINDOW (self), NULL);

  return self->context;
}

DdDatabase *
dd_window_get_database (DdWindow *self)
{
  g_return_val_if_fail (DD_IS_WINDOW (self), NULL);

  return self->database;
}

GSettings *
dd_window_get_settings (DdWindow *self)
{
  g_return_val_if_fail (DD_IS_WINDOW (self), NULL);

  return self->settings;
}

void
dd_window_reload (DdWindow *self)
{
  g_autoptr(GError) error = NULL;
  gint64 total = 0;
  gint64 open = 0;

  g_return_if_fail (DD_IS_WINDOW (self));

  if (!dd_case_store_count (self->case_store, &total, &open, &error))
    {
      g_warning ("Could not count the cases in %s: %s",
                 dd_database_get_location (self->database), error->message);
      show_error (self, error);
      return;
    }

  show_counts (self, total, open);
}
