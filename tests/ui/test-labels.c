/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Long Polish and Russian labels are not cut off at the default sizes: the IVR editor's
 * palette, the Preferences tabs and the SMS provider list. Runs with this build's catalogs. */
#define G_LOG_DOMAIN "test-labels"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <locale.h>
#include <string.h>

#include "dd-test-ui.h"
#include "dd-context.h"
#include "dd-database.h"
#include "dd-ivr-editor-private.h"
#include "dd-preferences-window.h"
#include "dd-window.h"

static gboolean
is_mapped_of_type (GtkWidget *widget,
                   gpointer   type)
{
  return G_TYPE_CHECK_INSTANCE_TYPE (widget, GPOINTER_TO_SIZE (type)) &&
         gtk_widget_get_mapped (widget);
}

/* The first widget of @type under @root that is on screen. */
static GtkWidget *
find_mapped (GtkWidget *root,
             GType      type)
{
  return dd_test_find_widget (root, is_mapped_of_type, GSIZE_TO_POINTER (type));
}

static void
check_language (gconstpointer data)
{
  const char *language = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(DdTestOffice) office = NULL;
  g_autoptr(GString) cut = g_string_new (NULL);
  DdDatabase *database;
  DdContext *context;

  if (!dd_test_use_language (language))
    {
      g_test_skip ("the catalogs of this build are not there");
      return;
    }
  office = dd_test_office_new_with_context ("labels", FALSE);
  database = office->database;
  context = office->context;

  /* the IVR editor's palette, in a window of the main window's default size */
  {
    GtkWindow *window = GTK_WINDOW (gtk_window_new ());
    GtkWidget *palette;

    gtk_window_set_default_size (window, 1180, 720);
    gtk_window_set_child (window, dd_ivr_editor_new (context));
    gtk_window_present (window);
    dd_test_iterate_for (800);
    palette = GTK_WIDGET (_dd_ivr_editor_get_palette (DD_IVR_EDITOR (gtk_window_get_child (window))));
    g_assert_true (gtk_widget_get_mapped (palette));
    dd_test_collect_cut_labels (palette, FALSE, cut);
    g_assert_cmpstr (cut->str, ==, "");
    dd_test_destroy_window (window);
  }

  /* Preferences at its default size: the tabs, and the provider list */
  {
    DdPreferencesWindow *preferences = dd_preferences_window_new (NULL, context);
    GtkWidget *switcher;
    GObject *provider_row;

    gtk_window_present (GTK_WINDOW (preferences));
    dd_test_iterate_for (800);
    switcher = find_mapped (GTK_WIDGET (preferences), ADW_TYPE_VIEW_SWITCHER);
    g_assert_nonnull (switcher);
    dd_test_collect_cut_labels (switcher, FALSE, cut);
    g_assert_cmpstr (cut->str, ==, "");

    /* the chosen provider shown whole, and the list of providers too (the default list cuts
     * at twenty characters: "Skrzynka testowa (nic…") */
    provider_row = gtk_widget_get_template_child (GTK_WIDGET (preferences),
                                                  DD_TYPE_PREFERENCES_WINDOW, "provider_row");
    g_assert_true (ADW_IS_COMBO_ROW (provider_row));
    g_assert_true (adw_combo_row_get_use_subtitle (ADW_COMBO_ROW (provider_row)));
    g_assert_nonnull (adw_combo_row_get_list_factory (ADW_COMBO_ROW (provider_row)));
    dd_test_destroy_window (GTK_WINDOW (preferences));
  }

  /* the cases list at 1024×700 (the sidebar beside it): the long Russian headers make the
   * columns of least use give way, only as many as needed, and none is cut */
  {
    DdWindow *window;
    GtkWidget *view;
    GListModel *columns;
    g_autoptr(GString) hidden = g_string_new (NULL);

    g_assert_true (dd_database_exec (database,
      "INSERT INTO creditor (id, name, created_at) VALUES (1, 'Own receivables', 'x');"
      "INSERT INTO debtor (id, dedup_key, name, created_at, updated_at)"
      " VALUES (1, 'name:1', 'Иван Петров', 'x', 'x');"
      "INSERT INTO debt_case (debtor_id, creditor_id, status, currency, balance_minor,"
      " created_at, updated_at) VALUES (1, 1, 'new', 'RUB', 100000, 'x', 'x');", &error));
    g_assert_no_error (error);
    window = dd_window_new (NULL, database, NULL);
    gtk_window_set_default_size (GTK_WINDOW (window), 1024, 700);
    gtk_window_present (GTK_WINDOW (window));
    dd_test_iterate_for (1500);
    view = find_mapped (GTK_WIDGET (window), GTK_TYPE_COLUMN_VIEW);
    g_assert_nonnull (view);
    columns = gtk_column_view_get_columns (GTK_COLUMN_VIEW (view));
    for (guint i = 0; i < g_list_model_get_n_items (columns); i++)
      {
        g_autoptr(GtkColumnViewColumn) column = g_list_model_get_item (columns, i);

        if (!gtk_column_view_column_get_visible (column))
          g_string_append_printf (hidden, "%u ", i);
      }
    /* at most Last Activity, Next Contact and Oldest Due (6 5 3) give way */
    g_test_message ("hidden columns: %s", hidden->str);
    g_assert_null (strstr (hidden->str, "1 "));
    g_assert_null (strstr (hidden->str, "4 "));
    {
      GtkAdjustment *h = gtk_scrollable_get_hadjustment (GTK_SCROLLABLE (view));

      g_assert_cmpfloat (gtk_adjustment_get_upper (h), <=, gtk_adjustment_get_page_size (h) + 0.5);
    }
    dd_test_destroy_window (GTK_WINDOW (window));
  }
}

/* Every section of the main window on a demo office, at the smallest size it is made for
 * (1024×700) and at 1280×800: no label cut off. A screenshot of each. */
typedef struct
{
  const char *language;
  int         width;
  int         height;
} SectionsCase;

static void
check_sections (gconstpointer data)
{
  const SectionsCase *c = data;
  static const char * const rows[] = {
    "cases_row", "campaigns_row", "payments_row", "ladder_row", "call_flows_row",
    "agent_console_row", "reports_row",
  };
  g_autoptr(DdTestOffice) office = NULL;
  g_autoptr(GString) cut = g_string_new (NULL);
  DdWindow *window;

  if (!dd_test_use_language (c->language))
    {
      g_test_skip ("the catalogs of this build are not there");
      return;
    }
  office = dd_test_office_new_with_context ("labels-sections", FALSE);
  dd_test_office_import_demo (office, 40, c->language, 7);

  window = dd_window_new (NULL, office->database, NULL);
  gtk_window_set_default_size (GTK_WINDOW (window), c->width, c->height);
  dd_test_show_window (window);
  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      g_autofree char *name = g_strdup_printf ("%s-%dx%d-%s", c->language, c->width, c->height,
                                               rows[i]);
      GString *here = g_string_new (NULL);

      g_signal_emit_by_name (dd_test_template_child (window, DD_TYPE_WINDOW, rows[i]), "activate");
      dd_test_iterate_for (1200);
      dd_test_collect_cut_labels (GTK_WIDGET (window), TRUE, here);
      if (here->len > 0)
        {
          /* a title cut while the section slides in is not cut: look again when it settled */
          dd_test_iterate_for (2000);
          g_string_truncate (here, 0);
          dd_test_collect_cut_labels (GTK_WIDGET (window), TRUE, here);
        }
      if (here->len > 0)
        g_string_append_printf (cut, "%s:\n%s", rows[i], here->str);
      g_string_free (here, TRUE);
      dd_test_save_screenshot ("test-labels", name);
    }
  dd_test_destroy_window (GTK_WINDOW (window));
  g_assert_cmpstr (cut->str, ==, "");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add_data_func ("/dd/ui/labels/polish", "pl", check_language);
  g_test_add_data_func ("/dd/ui/labels/russian", "ru", check_language);
  {
    static const SectionsCase cases[] = {
      { "pl", 1024, 700 }, { "pl", 1280, 800 }, { "ru", 1024, 700 }, { "ru", 1280, 800 },
    };

    for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
      {
        g_autofree char *path = g_strdup_printf ("/dd/ui/labels/sections/%s/%dx%d",
                                                 cases[i].language, cases[i].width,
                                                 cases[i].height);

        g_test_add_data_func (path, &cases[i], check_sections);
      }
  }

  return g_test_run ();
}
