/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-window"

#include "config.h"

#include <adwaita.h>
#define G_SETTINGS_ENABLE_BACKEND
#include <gio/gsettingsbackend.h>
#include <glib/gstdio.h>

#include "dd-database.h"
#include "dd-import-assistant.h"
#include "dd-window.h"

#define TIMESTAMP "'2026-11-23T08:00:00Z'"

typedef struct
{
  char       *dir;
  char       *path;
  DdDatabase *database;
} Office;

static void
office_free (Office *office)
{
  g_autofree char *wal = NULL;
  g_autofree char *shm = NULL;

  if (office->database != NULL)
    g_assert_finalize_object (office->database);

  wal = g_strconcat (office->path, "-wal", NULL);
  shm = g_strconcat (office->path, "-shm", NULL);
  g_unlink (wal);
  g_unlink (shm);
  g_unlink (office->path);
  g_rmdir (office->dir);

  g_free (office->path);
  g_free (office->dir);
  g_free (office);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Office, office_free)

/* A fresh office database with @n_cases cases of distinct debtors, the first @n_closed of
 * them closed. */
static Office *
office_new (guint n_cases,
            guint n_closed)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) sql = g_string_new (NULL);
  Office *office = g_new0 (Office, 1);

  office->dir = g_dir_make_tmp ("dd-test-window-XXXXXX", &error);
  g_assert_no_error (error);
  office->path = g_build_filename (office->dir, "office.db", NULL);
  office->database = dd_database_open (office->path, &error);
  g_assert_no_error (error);
  g_assert_nonnull (office->database);

  if (n_cases == 0)
    return office;

  g_string_append (sql, "INSERT INTO creditor (id, name, created_at)"
                        " VALUES (1, 'Hurtownia Nowak', " TIMESTAMP ");\n");
  for (guint i = 1; i <= n_cases; i++)
    {
      g_string_append_printf (sql,
                              "INSERT INTO debtor (id, dedup_key, name, created_at, updated_at)"
                              " VALUES (%u, 'name:debtor %u', 'Debtor %u', "
                              TIMESTAMP ", " TIMESTAMP ");\n",
                              i, i, i);
      g_string_append_printf (sql,
                              "INSERT INTO debt_case (debtor_id, creditor_id, status, currency,"
                              " balance_minor, created_at, updated_at)"
                              " VALUES (%u, 1, '%s', 'PLN', %u, " TIMESTAMP ", " TIMESTAMP ");\n",
                              i, i <= n_closed ? "closed" : "new", i * 10000);
    }

  g_assert_true (dd_database_begin (office->database, &error));
  g_assert_no_error (error);
  g_assert_true (dd_database_exec (office->database, sql->str, &error));
  g_assert_no_error (error);
  g_assert_true (dd_database_commit (office->database, &error));
  g_assert_no_error (error);

  return office;
}

static void
iterate_for (guint milliseconds)
{
  gint64 end = g_get_monotonic_time () + milliseconds * G_TIME_SPAN_MILLISECOND;

  while (g_get_monotonic_time () < end)
    {
      if (!g_main_context_iteration (NULL, FALSE))
        g_usleep (G_TIME_SPAN_MILLISECOND);
    }
}

static void
wait_until_mapped (GtkWidget *widget)
{
  gint64 deadline = g_get_monotonic_time () + 20 * G_TIME_SPAN_SECOND;

  while (!gtk_widget_get_mapped (widget) && g_get_monotonic_time () < deadline)
    {
      if (!g_main_context_iteration (NULL, FALSE))
        g_usleep (G_TIME_SPAN_MILLISECOND);
    }

  g_assert_true (gtk_widget_get_mapped (widget));
}

static void
destroy_window (DdWindow *window)
{
  GtkWidget *widget = GTK_WIDGET (window);

  g_object_add_weak_pointer (G_OBJECT (window), (gpointer *) &widget);
  gtk_window_destroy (GTK_WINDOW (window));
  while (widget != NULL)
    g_main_context_iteration (NULL, FALSE);
}

/* Saves a picture of the screen next to the test, when ImageMagick is there. */
static void
save_screenshot (const char *name)
{
  g_autofree char *import = g_find_program_in_path ("import");
  g_autofree char *file_name = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;
  int wait_status = 0;

  if (import == NULL || g_getenv ("DISPLAY") == NULL)
    return;

  /* let the window draw its first frames */
  iterate_for (500);

  file_name = g_strdup_printf ("test-window-%s.png", name);
  path = g_test_build_filename (G_TEST_BUILT, file_name, NULL);
  {
    const char *argv[] = { import, "-window", "root", path, NULL };

    if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL,
                       NULL, NULL, &wait_status, &error)
        || !g_spawn_check_wait_status (wait_status, &error))
      g_test_message ("no screenshot: %s", error->message);
    else
      g_test_message ("screenshot: %s", path);
  }
}

static DdWindow *
show_window (DdDatabase *database,
             GSettings  *settings)
{
  DdWindow *window = dd_window_new (NULL, database, settings);

  gtk_window_set_default_size (GTK_WINDOW (window), 800, 560);
  gtk_window_present (GTK_WINDOW (window));
  wait_until_mapped (GTK_WIDGET (window));

  return window;
}

static GtkWidget *
template_child (DdWindow   *window,
                const char *name)
{
  GObject *child = gtk_widget_get_template_child (GTK_WIDGET (window), DD_TYPE_WINDOW, name);

  g_assert_true (GTK_IS_WIDGET (child));

  return GTK_WIDGET (child);
}

static void
test_window_counts_cases (void)
{
  g_autoptr(Office) office = office_new (3, 1);
  DdWindow *window = show_window (office->database, NULL);
  GtkStack *stack = GTK_STACK (template_child (window, "stack"));
  AdwWindowTitle *title = ADW_WINDOW_TITLE (template_child (window, "window_title"));
  AdwBin *bin = ADW_BIN (template_child (window, "cases_bin"));
  GListModel *model;

  /* The cases list fills the window; the counts head it. */
  g_assert_cmpstr (gtk_stack_get_visible_child_name (stack), ==, "cases");
  g_assert_true (gtk_widget_get_mapped (adw_bin_get_child (bin)));
  g_assert_cmpstr (adw_window_title_get_title (title), ==, "3 cases");
  g_assert_cmpstr (adw_window_title_get_subtitle (title), ==, "2 open, in office.db");
  g_assert_true (dd_window_get_database (window) == office->database);
  g_assert_true (dd_context_get_database (dd_window_get_context (window)) == office->database);
  /* A new office runs as a manager created for the person at the desk. */
  g_assert_cmpint (dd_context_get_agent_id (dd_window_get_context (window)), >, 0);
  g_assert_true (dd_context_get_is_manager (dd_window_get_context (window)));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.import", NULL));
  model = gtk_window_get_toplevels ();
  {
    GtkWindow *assistant = NULL;

    for (guint i = 0; i < g_list_model_get_n_items (model); i++)
      {
        g_autoptr(GtkWindow) toplevel = g_list_model_get_item (model, i);

        if (DD_IS_IMPORT_ASSISTANT (toplevel))
          assistant = toplevel;
      }
    g_assert_nonnull (assistant);
    g_assert_true (gtk_window_get_transient_for (assistant) == GTK_WINDOW (window));
    gtk_window_destroy (assistant);
  }

  save_screenshot ("cases");
  destroy_window (window);
}

static void
test_window_one_case (void)
{
  g_autoptr(Office) office = office_new (1, 0);
  DdWindow *window = show_window (office->database, NULL);
  AdwWindowTitle *title = ADW_WINDOW_TITLE (template_child (window, "window_title"));

  g_assert_cmpstr (adw_window_title_get_title (title), ==, "1 case");
  g_assert_cmpstr (adw_window_title_get_subtitle (title), ==, "1 open, in office.db");

  destroy_window (window);
}

static void
test_window_reload (void)
{
  g_autoptr(Office) office = office_new (2, 2);
  g_autoptr(GError) error = NULL;
  DdWindow *window = show_window (office->database, NULL);
  AdwWindowTitle *title = ADW_WINDOW_TITLE (template_child (window, "window_title"));

  g_assert_cmpstr (adw_window_title_get_title (title), ==, "2 cases");
  g_assert_cmpstr (adw_window_title_get_subtitle (title), ==, "0 open, in office.db");

  g_assert_true (dd_database_exec (office->database,
                                   "UPDATE debt_case SET status = 'new' WHERE debtor_id = 1",
                                   &error));
  g_assert_no_error (error);
  dd_window_reload (window);
  g_assert_cmpstr (adw_window_title_get_subtitle (title), ==, "1 open, in office.db");

  destroy_window (window);
}

static void
test_window_empty_state (void)
{
  g_autoptr(Office) office = office_new (0, 0);
  DdWindow *window = show_window (office->database, NULL);
  GtkStack *stack = GTK_STACK (template_child (window, "stack"));
  AdwStatusPage *page = ADW_STATUS_PAGE (template_child (window, "empty_page"));

  g_assert_cmpstr (gtk_stack_get_visible_child_name (stack), ==, "empty");
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (page)));
  g_assert_cmpstr (adw_status_page_get_title (page), ==, "No Cases Yet");
  g_assert_false (gtk_widget_get_mapped (template_child (window, "cases_bin")));

  save_screenshot ("empty");
  destroy_window (window);
}

static void
test_window_saves_size (void)
{
  g_autoptr(Office) office = office_new (0, 0);
  g_autoptr(GSettingsBackend) backend = g_memory_settings_backend_new ();
  g_autoptr(GSettings) settings = g_settings_new_with_backend (APPLICATION_ID, backend);
  DdWindow *window;
  GtkWidget *widget;

  g_settings_set_int (settings, "window-width", 700);
  g_settings_set_int (settings, "window-height", 500);
  g_settings_set_string (settings, "office-name", "Biuro Rachunkowe Kowalski");

  window = dd_window_new (NULL, office->database, settings);
  widget = GTK_WIDGET (window);
  g_object_add_weak_pointer (G_OBJECT (window), (gpointer *) &widget);
  {
    int width;
    int height;

    gtk_window_get_default_size (GTK_WINDOW (window), &width, &height);
    g_assert_cmpint (width, ==, 700);
    g_assert_cmpint (height, ==, 500);
  }
  g_assert_cmpstr (adw_window_title_get_subtitle (ADW_WINDOW_TITLE (template_child (window,
                                                                              "window_title"))),
                   ==, "Biuro Rachunkowe Kowalski");

  gtk_window_present (GTK_WINDOW (window));
  wait_until_mapped (GTK_WIDGET (window));
  gtk_window_set_default_size (GTK_WINDOW (window), 820, 610);

  gtk_window_close (GTK_WINDOW (window));
  while (widget != NULL)
    g_main_context_iteration (NULL, FALSE);

  g_assert_cmpint (g_settings_get_int (settings, "window-width"), ==, 820);
  g_assert_cmpint (g_settings_get_int (settings, "window-height"), ==, 610);
  g_assert_false (g_settings_get_boolean (settings, "window-maximized"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  adw_init ();

  /* What DdApplication does for the windows of the application: icons and style. */
  {
    g_autoptr(GtkCssProvider) provider = gtk_css_provider_new ();

    gtk_icon_theme_add_resource_path (gtk_icon_theme_get_for_display (gdk_display_get_default ()),
                                      "/io/github/dunningdesk/DunningDesk/icons");
    gtk_css_provider_load_from_resource (provider, "/io/github/dunningdesk/DunningDesk/style.css");
    gtk_style_context_add_provider_for_display (gdk_display_get_default (),
                                                GTK_STYLE_PROVIDER (provider),
                                                GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
  }

  g_test_add_func ("/dd/ui/window/counts-cases", test_window_counts_cases);
  g_test_add_func ("/dd/ui/window/one-case", test_window_one_case);
  g_test_add_func ("/dd/ui/window/reload", test_window_reload);
  g_test_add_func ("/dd/ui/window/empty-state", test_window_empty_state);
  g_test_add_func ("/dd/ui/window/saves-size", test_window_saves_size);

  return g_test_run ();
}
