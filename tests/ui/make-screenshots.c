/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The screenshots of the metainfo: the main window on an office database, one PNG per
 * section, drawn by GTK itself (no window manager, no screen grab).
 *   make-screenshots DATABASE OUTDIR
 * build-aux/make-screenshots.sh runs it on a demo office under Xvfb. */
#define G_LOG_DOMAIN "make-screenshots"

#include "config.h"

#include <adwaita.h>
#include <locale.h>
#include <glib/gi18n.h>

#include "dd-database.h"
#include "dd-test-ui.h"
#include "dd-window.h"

static const struct {
  const char *row;
  const char *file;
} shots[] = {
  { "cases_row", "cases.png" },
  { "ladder_row", "ladder.png" },
  { "call_flows_row", "call-flows.png" },
};

static gboolean
save_window (GtkWidget   *window,
             const char  *path,
             GError     **error)
{
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (window);
  g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  int width = gtk_widget_get_width (window);
  int height = gtk_widget_get_height (window);

  gdk_paintable_snapshot (paintable, snapshot, width, height);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  if (node == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "the window drew nothing");
      return FALSE;
    }
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (window)), node,
                                         &GRAPHENE_RECT_INIT (0, 0, width, height));
  if (!gdk_texture_save_to_png (texture, path))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "cannot write %s", path);
      return FALSE;
    }
  return TRUE;
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DdDatabase) database = NULL;
  DdWindow *window;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  if (argc != 3)
    {
      g_printerr ("usage: make-screenshots DATABASE OUTDIR\n");
      return 2;
    }
  adw_init ();
  dd_test_use_app_style ();

  database = dd_database_open (argv[1], &error);
  if (database == NULL)
    {
      g_printerr ("%s: %s\n", argv[1], error->message);
      return 1;
    }
  g_mkdir_with_parents (argv[2], 0755);

  window = dd_window_new (NULL, database, NULL);
  /* wide enough for the sidebar beside the content */
  gtk_window_set_default_size (GTK_WINDOW (window), 1100, 680);
  dd_test_show_window (window);

  for (guint i = 0; i < G_N_ELEMENTS (shots); i++)
    {
      g_autofree char *path = g_build_filename (argv[2], shots[i].file, NULL);

      g_signal_emit_by_name (dd_test_template_child (window, DD_TYPE_WINDOW, shots[i].row),
                             "activate");
      /* let the view load its rows and settle its transitions */
      dd_test_iterate_for (1500);
      if (!save_window (GTK_WIDGET (window), path, &error))
        {
          g_printerr ("%s\n", error->message);
          return 1;
        }
      g_print ("%s\n", path);
    }

  dd_test_destroy_window (GTK_WINDOW (window));
  return 0;
}
