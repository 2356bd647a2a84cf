/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "dd-test-ui.h"

#include "dd-context.h"

#include <locale.h>
#include <glib/gi18n.h>

void
dd_test_wait_until_mapped (GtkWidget *widget)
{
  gint64 deadline = g_get_monotonic_time () + 20 * G_TIME_SPAN_SECOND;

  while (!gtk_widget_get_mapped (widget) && g_get_monotonic_time () < deadline)
    {
      if (!g_main_context_iteration (NULL, FALSE))
        g_usleep (G_TIME_SPAN_MILLISECOND);
    }
  g_assert_true (gtk_widget_get_mapped (widget));
}

void
dd_test_destroy_window (GtkWindow *window)
{
  GtkWidget *widget = GTK_WIDGET (window);

  g_object_add_weak_pointer (G_OBJECT (window), (gpointer *) &widget);
  gtk_window_destroy (window);
  while (widget != NULL)
    g_main_context_iteration (NULL, FALSE);
}

void
dd_test_use_app_style (void)
{
  g_autoptr(GtkCssProvider) provider = gtk_css_provider_new ();
  GdkDisplay *display = gdk_display_get_default ();

  gtk_icon_theme_add_resource_path (gtk_icon_theme_get_for_display (display),
                                    "/io/github/dunningdesk/DunningDesk/icons");
  gtk_css_provider_load_from_resource (provider, "/io/github/dunningdesk/DunningDesk/style.css");
  gtk_style_context_add_provider_for_display (display, GTK_STYLE_PROVIDER (provider),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
}

gpointer
dd_test_show_window (gpointer window)
{
  gtk_window_present (GTK_WINDOW (window));
  dd_test_wait_until_mapped (GTK_WIDGET (window));
  return window;
}

GtkWidget *
dd_test_template_child (gpointer    widget,
                        GType       type,
                        const char *name)
{
  GObject *child = gtk_widget_get_template_child (GTK_WIDGET (widget), type, name);

  g_assert_true (GTK_IS_WIDGET (child));
  return GTK_WIDGET (child);
}

GtkWidget *
dd_test_find_widget (GtkWidget  *root,
                     gboolean  (*match) (GtkWidget *widget,
                                         gpointer   data),
                     gpointer    data)
{
  if (match (root, data))
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = dd_test_find_widget (child, match, data);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static gboolean
is_of_type (GtkWidget *widget,
            gpointer   type)
{
  return G_TYPE_CHECK_INSTANCE_TYPE (widget, GPOINTER_TO_SIZE (type));
}

GtkWidget *
dd_test_find_descendant (GtkWidget *root,
                         GType      type)
{
  return dd_test_find_widget (root, is_of_type, GSIZE_TO_POINTER (type));
}

static gboolean
is_button_labelled (GtkWidget *widget,
                    gpointer   label)
{
  return GTK_IS_BUTTON (widget) &&
         g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)), label) == 0;
}

GtkWidget *
dd_test_find_button (GtkWidget  *root,
                     const char *label)
{
  return dd_test_find_widget (root, is_button_labelled, (gpointer) label);
}

GtkWindow *
dd_test_find_toplevel (GType      type,
                       GtkWindow *except)
{
  GListModel *model = gtk_window_get_toplevels ();
  GtkWindow *found = NULL;

  for (guint i = 0; i < g_list_model_get_n_items (model) && found == NULL; i++)
    {
      g_autoptr(GtkWindow) toplevel = g_list_model_get_item (model, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (toplevel, type) && toplevel != except)
        found = toplevel;
    }
  return found;
}

DdTestOffice *
dd_test_office_new_with_context (const char *name,
                                 gboolean    with_settings)
{
  DdTestOffice *office = dd_test_office_new (name);

  if (with_settings)
    {
      office->backend = g_memory_settings_backend_new ();
      office->settings = g_settings_new_with_backend (APPLICATION_ID, office->backend);
    }
  office->context = dd_context_new (office->database, office->settings);
  return office;
}

gboolean
dd_test_use_language (const char *language)
{
  g_autofree char *dir = g_test_build_filename (G_TEST_BUILT, "..", "po", NULL);
  g_autofree char *mo = g_build_filename (dir, language, "LC_MESSAGES", GETTEXT_PACKAGE ".mo",
                                          NULL);

  if (!g_file_test (mo, G_FILE_TEST_EXISTS))
    return FALSE;
  bindtextdomain (GETTEXT_PACKAGE, dir);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  g_setenv ("LANGUAGE", language, TRUE);
  setlocale (LC_ALL, "");
  return TRUE;
}

void
dd_test_collect_cut_labels (GtkWidget *widget,
                            gboolean   skip_lists,
                            GString   *cut)
{
  if (!gtk_widget_get_mapped (widget)
      || (skip_lists && (GTK_IS_COLUMN_VIEW (widget) || GTK_IS_LIST_VIEW (widget))))
    return;
  if (GTK_IS_LABEL (widget)
      && pango_layout_is_ellipsized (gtk_label_get_layout (GTK_LABEL (widget))))
    g_string_append_printf (cut, "%s\n", gtk_label_get_text (GTK_LABEL (widget)));
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    dd_test_collect_cut_labels (child, skip_lists, cut);
}

guint
dd_test_find_string (GListModel *model,
                     const char *text)
{
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(GtkStringObject) item = g_list_model_get_item (model, i);

      if (g_str_equal (gtk_string_object_get_string (item), text))
        return i;
    }
  g_assert_not_reached ();
}
