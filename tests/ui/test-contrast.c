/* SPDX-License-Identifier: GPL-3.0-or-later */
/* High contrast and large text (issue 17): the desktop's high contrast setting
 * (org.gnome.desktop.a11y.interface high-contrast, as GNOME's Accessibility panel sets it)
 * turned on under a running app: the call flow canvas draws its lines, borders and texts in
 * the theme's foreground at full strength and the report chart its texts; the first start
 * assistant's pages keep every label whole with text scaled by 1.5 (the Large Text setting),
 * and so do the main window's sidebar (title and sections) and the call flow editor's name
 * entry, in English, Polish and Russian at 1024×700 and 1280×800; screenshots of the views in
 * both. */
#define G_LOG_DOMAIN "test-contrast"

#include "config.h"

#include <adwaita.h>
#include <math.h>

#include "dd-context.h"
#include "dd-ivr-canvas.h"
#include "dd-ivr-editor.h"
#include "dd-ivr-flow.h"
#include "dd-ivr-flows-view.h"
#include "dd-onboarding.h"
#include "dd-report-chart.h"
#include "dd-reports-view.h"
#include "dd-reports-view-private.h"
#include "dd-test-ui.h"
#include "dd-window.h"

#define SCREENSHOT_PREFIX "test-contrast"

static GSettings *a11y_settings;

static void
set_high_contrast (gboolean on)
{
  g_settings_set_boolean (a11y_settings, "high-contrast", on);
  dd_test_iterate_for (300);
  g_assert_cmpint (adw_style_manager_get_high_contrast (adw_style_manager_get_default ()), ==,
                   on);
}

/* How many pixels of @widget, as it draws now, are @color (within 1/16 a channel). */
static guint
count_color (GtkWidget     *widget,
             const GdkRGBA *color)
{
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (widget);
  GtkSnapshot *snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree guchar *data = NULL;
  GskRenderer *renderer = gtk_native_get_renderer (gtk_widget_get_native (widget));
  guint count = 0;

  g_assert_cmpint (width, >, 0);
  gdk_paintable_snapshot (paintable, snapshot, width, height);
  node = gtk_snapshot_free_to_node (snapshot);
  g_assert_nonnull (node);
  texture = gsk_renderer_render_texture (renderer, node, &GRAPHENE_RECT_INIT (0, 0, width, height));
  width = gdk_texture_get_width (texture);
  height = gdk_texture_get_height (texture);
  data = g_malloc ((gsize) width * height * 4);
  /* CAIRO_FORMAT_ARGB32 (premultiplied), native endianness: B G R A on this machine */
  gdk_texture_download (texture, data, (gsize) width * 4);
  for (gsize i = 0; i < (gsize) width * height; i++)
    {
      const guchar *p = data + i * 4;

      if (p[3] == 255 && fabs (p[2] / 255.0 - color->red) < 1 / 16.0
          && fabs (p[1] / 255.0 - color->green) < 1 / 16.0
          && fabs (p[0] / 255.0 - color->blue) < 1 / 16.0)
        count++;
    }
  return count;
}

static void
foreground (GtkWidget *widget,
            GdkRGBA   *color)
{
  gtk_style_context_get_color (gtk_widget_get_style_context (widget), color);
}

static GtkWidget *
show_in_window (GtkWidget *child,
                int        width,
                int        height)
{
  GtkWidget *window = adw_window_new ();

  gtk_window_set_default_size (GTK_WINDOW (window), width, height);
  adw_window_set_content (ADW_WINDOW (window), child);
  return dd_test_show_window (window);
}

/* The call flow canvas: in high contrast its lines and texts are the foreground's colour. */
static void
test_canvas (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DdIvrFlow) flow = dd_ivr_flow_new_from_template ("payment-reminder", &error);
  GtkWidget *canvas = dd_ivr_canvas_new ();
  GtkWidget *window;
  GdkRGBA fg;
  guint normal, high;

  g_assert_no_error (error);
  window = show_in_window (canvas, 1024, 700);
  dd_ivr_canvas_set_flow (DD_IVR_CANVAS (canvas), flow);
  dd_test_iterate_for (300);

  foreground (canvas, &fg);
  normal = count_color (canvas, &fg);
  dd_test_save_screenshot (SCREENSHOT_PREFIX, "canvas");

  set_high_contrast (TRUE);
  foreground (canvas, &fg);
  high = count_color (canvas, &fg);
  dd_test_save_screenshot (SCREENSHOT_PREFIX, "canvas-high-contrast");
  g_test_message ("canvas pixels of the foreground: %u, in high contrast %u", normal, high);
  /* the edges, the cards' borders and their texts: many pixels, not a faded few */
  g_assert_cmpuint (high, >, 500);
  g_assert_cmpuint (high, >, 3 * normal);

  set_high_contrast (FALSE);
  dd_test_destroy_window (GTK_WINDOW (window));
}

static gboolean
report_made (gpointer data)
{
  return g_strcmp0 (_dd_reports_view_get_state (data), "loading") != 0;
}

/* The reports: the ageing chart's texts are the foreground's colour in high contrast too. */
static void
test_reports (void)
{
  g_autoptr(DdTestOffice) office = dd_test_office_new_with_context ("contrast-reports", TRUE);
  GtkWidget *view;
  GtkWidget *window;
  GtkWidget *chart;
  GdkRGBA fg;

  dd_test_office_import_demo (office, 40, "pl", 5);
  view = dd_reports_view_new (office->context);
  window = show_in_window (view, 1024, 700);
  dd_reports_view_set_report (DD_REPORTS_VIEW (view), DD_REPORTS_VIEW_AGEING);
  g_assert_true (dd_test_wait_until (report_made, view, 60000));
  dd_test_iterate_for (300);

  set_high_contrast (TRUE);
  chart = dd_test_find_descendant (view, DD_TYPE_REPORT_CHART);
  g_assert_nonnull (chart);
  g_assert_true (gtk_widget_get_mapped (chart));
  dd_test_save_screenshot (SCREENSHOT_PREFIX, "reports-high-contrast");
  foreground (chart, &fg);
  {
    g_autofree char *fg_text = gdk_rgba_to_string (&fg);

    g_test_message ("chart %dx%d, foreground %s: %u pixels", gtk_widget_get_width (chart),
                    gtk_widget_get_height (chart), fg_text, count_color (chart, &fg));
  }
  /* its labels and values: before, a translucent grey (no pixel of the foreground) */
  g_assert_cmpuint (count_color (chart, &fg), >, 100);
  set_high_contrast (FALSE);
  dd_test_destroy_window (GTK_WINDOW (window));
}

/* Large text: the first start assistant's pages, text scaled by 1.5 at its default size, keep
 * every label whole (high contrast on as well, as people who need one often need both). */
static void
test_large_text (void)
{
  g_autoptr(DdTestOffice) office = dd_test_office_new_with_context ("contrast-large", TRUE);
  g_autoptr(GString) cut = g_string_new (NULL);
  GtkSettings *settings = gtk_settings_get_default ();
  int dpi = 0;
  DdOnboarding *onboarding;

  g_object_get (settings, "gtk-xft-dpi", &dpi, NULL);
  /* the Large Text switch: text-scaling-factor 1.5, which the desktop hands to GTK as DPI */
  g_object_set (settings, "gtk-xft-dpi", (int) (96 * 1.5 * 1024), NULL);
  set_high_contrast (TRUE);

  onboarding = dd_test_show_window (dd_onboarding_new (NULL, office->context));
  for (guint i = 0; i < 7; i++)
    {
      g_autofree char *name = g_strdup_printf ("large-%u-%s", i + 1,
                                               dd_onboarding_get_step (onboarding));

      dd_test_iterate_for (400);
      dd_test_collect_cut_labels (GTK_WIDGET (onboarding), FALSE, cut);
      dd_test_save_screenshot (SCREENSHOT_PREFIX, name);
      if (g_str_equal (dd_onboarding_get_step (onboarding), "manager"))
        gtk_widget_activate_action (GTK_WIDGET (onboarding), "onboarding.skip", NULL);
      else if (i < 6)
        gtk_widget_activate_action (GTK_WIDGET (onboarding), "onboarding.next", NULL);
    }
  g_assert_cmpstr (cut->str, ==, "");
  dd_test_destroy_window (GTK_WINDOW (onboarding));

  set_high_contrast (FALSE);
  g_object_set (settings, "gtk-xft-dpi", dpi, NULL);
}

/* The main window's sections on a demo office, in high contrast with large text at 1280×800:
 * a screenshot of each, and the labels cut off listed (the views' owners see them). */
static void
test_sections (void)
{
  static const char * const rows[] = {
    "cases_row", "campaigns_row", "payments_row", "ladder_row", "call_flows_row",
    "agent_console_row", "reports_row",
  };
  g_autoptr(DdTestOffice) office = dd_test_office_new_with_context ("contrast-sections", FALSE);
  g_autoptr(GString) cut = g_string_new (NULL);
  GtkSettings *settings = gtk_settings_get_default ();
  int dpi = 0;
  DdWindow *window;

  dd_test_office_import_demo (office, 40, "pl", 7);
  g_object_get (settings, "gtk-xft-dpi", &dpi, NULL);
  g_object_set (settings, "gtk-xft-dpi", (int) (96 * 1.5 * 1024), NULL);
  set_high_contrast (TRUE);

  window = dd_window_new (NULL, office->database, NULL);
  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 800);
  dd_test_show_window (window);
  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      g_autofree char *name = g_strdup_printf ("sections-%s", rows[i]);

      g_signal_emit_by_name (dd_test_template_child (window, DD_TYPE_WINDOW, rows[i]), "activate");
      dd_test_iterate_for (2000);
      g_string_append_printf (cut, "%s:\n", rows[i]);
      dd_test_collect_cut_labels (GTK_WIDGET (window), TRUE, cut);
      dd_test_save_screenshot (SCREENSHOT_PREFIX, name);
    }
  g_test_message ("cut at 1280×800 with text scaled by 1.5:\n%s", cut->str);
  dd_test_destroy_window (GTK_WINDOW (window));

  set_high_contrast (FALSE);
  g_object_set (settings, "gtk-xft-dpi", dpi, NULL);
}

/* A header bar's title, on screen */
static gboolean
is_title_label (GtkWidget *widget,
                gpointer   data)
{
  return GTK_IS_LABEL (widget) && gtk_widget_has_css_class (widget, "title")
         && gtk_widget_get_mapped (widget);
}

/* Whether @widget shows anything: a box (or a squeezer) only through its children, which an
 * empty one has none of. */
static gboolean
shows_something (GtkWidget *widget)
{
  if (!gtk_widget_get_mapped (widget) || gtk_widget_get_width (widget) <= 0)
    return FALSE;
  if (!GTK_IS_BOX (widget) && !ADW_IS_SQUEEZER (widget))
    return TRUE;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (shows_something (child))
      return TRUE;
  return FALSE;
}

/* The call flow editor's toolbar has no hole: its buttons (and the name entry, when it is
 * there) follow each other at the same spacing, with one gap only, the expanding one that
 * puts the last buttons at the end; nothing holds a place empty. */
static void
assert_toolbar_closed_up (GtkWidget *toolbar)
{
  GtkWidget *previous = NULL;
  guint holes = 0;
  double spacing = -1;

  for (GtkWidget *child = gtk_widget_get_first_child (toolbar); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      graphene_rect_t bounds;

      if (!gtk_widget_get_visible (child))
        continue;
      g_assert_true (gtk_widget_compute_bounds (child, toolbar, &bounds));
      if (!shows_something (child))
        {
          /* the expanding space between the two groups, and nothing else */
          g_test_message ("toolbar: a space %g wide at %g%s", bounds.size.width, bounds.origin.x,
                          gtk_widget_get_hexpand (child) ? " (expanding)" : "");
          g_assert_true (gtk_widget_get_hexpand (child));
          holes++;
          continue;
        }
      if (previous != NULL)
        {
          graphene_rect_t before;
          double gap;

          g_assert_true (gtk_widget_compute_bounds (previous, toolbar, &before));
          gap = bounds.origin.x - (before.origin.x + before.size.width);
          if (spacing < 0)
            spacing = gap;
          /* after the expanding space, the gap is wider; elsewhere the box's spacing */
          if (gtk_widget_get_hexpand (gtk_widget_get_prev_sibling (child)) == FALSE)
            g_assert_cmpfloat (fabs (gap - spacing), <, 0.5);
        }
      previous = child;
    }
  g_assert_cmpuint (holes, <=, 1);
}

/* How wide @entry is, with its padding and border, as gtk_widget_measure() counts */
static int
entry_width (GtkWidget *entry)
{
  graphene_rect_t bounds;

  if (!gtk_widget_compute_bounds (entry, entry, &bounds))
    return 0;
  return (int) (bounds.size.width + 0.5);
}

/* The name entry shown as wide as it asks */
static gboolean
name_entry_settled (gpointer data)
{
  GtkWidget *entry = data;
  int natural = 0;

  gtk_widget_measure (entry, GTK_ORIENTATION_HORIZONTAL, -1, NULL, &natural, NULL, NULL);
  return gtk_widget_get_mapped (entry) && entry_width (entry) >= natural;
}

/* Large text in the main window, at 1024×700 and 1280×800 (@data: the language, "en" for the
 * source strings): the sidebar's title is whole, and the call flow editor's name entry gets
 * the width it asks for, in the toolbar or in its own bar, and the toolbar has no hole where
 * the entry was. */
static void
test_large_text_window (gconstpointer data)
{
  const char *language = data;
  const struct { int width, height; } sizes[] = { { 1024, 700 }, { 1280, 800 } };
  GtkSettings *settings = gtk_settings_get_default ();
  int dpi = 0;

  if (!g_str_equal (language, "en") && !dd_test_use_language (language))
    {
      g_test_skip ("the catalogs of this build are not there");
      return;
    }
  g_object_get (settings, "gtk-xft-dpi", &dpi, NULL);
  g_object_set (settings, "gtk-xft-dpi", (int) (96 * 1.5 * 1024), NULL);

  for (guint i = 0; i < G_N_ELEMENTS (sizes); i++)
    {
      g_autoptr(DdTestOffice) office = dd_test_office_new_with_context ("contrast-window", FALSE);
      g_autofree char *shot = g_strdup_printf ("large-window-%s-%d", language, sizes[i].width);
      DdWindow *window = dd_window_new (NULL, office->database, NULL);
      GtkWidget *sidebar_bar, *title_label, *view, *entry, *toolbar;
      AdwLeaflet *leaflet;
      DdIvrEditor *editor;
      int minimum = 0, natural = 0;

      g_test_message ("%s, %d×%d", language, sizes[i].width, sizes[i].height);
      gtk_window_set_default_size (GTK_WINDOW (window), sizes[i].width, sizes[i].height);
      dd_test_show_window (window);
      dd_test_iterate_for (600);

      /* the sidebar's title, whole */
      sidebar_bar = gtk_widget_get_ancestor (dd_test_template_child (window, DD_TYPE_WINDOW,
                                                                     "user_button"),
                                             ADW_TYPE_HEADER_BAR);
      g_assert_nonnull (sidebar_bar);
      /* folded (the longer texts of a language), the sidebar is a page of its own */
      leaflet = ADW_LEAFLET (dd_test_template_child (window, DD_TYPE_WINDOW, "leaflet"));
      if (adw_leaflet_get_folded (leaflet))
        {
          g_test_message ("folded");
          adw_leaflet_set_visible_child_name (leaflet, "sidebar");
          dd_test_iterate_for (600);
        }
      title_label = dd_test_find_widget (sidebar_bar, is_title_label, NULL);
      g_assert_nonnull (title_label);
      g_test_message ("sidebar %d wide, its title %d", gtk_widget_get_width (sidebar_bar),
                      gtk_widget_get_width (title_label));
      g_assert_false (pango_layout_is_ellipsized (gtk_label_get_layout (GTK_LABEL (title_label))));
      /* and the sections' names */
      {
        g_autoptr(GString) cut = g_string_new (NULL);

        dd_test_collect_cut_labels (dd_test_template_child (window, DD_TYPE_WINDOW, "sidebar_list"),
                                    FALSE, cut);
        g_assert_cmpstr (cut->str, ==, "");
      }

      /* the call flow editor's name entry, as wide as it asks */
      g_signal_emit_by_name (dd_test_template_child (window, DD_TYPE_WINDOW, "call_flows_row"),
                             "activate");
      view = dd_test_find_descendant (dd_test_template_child (window, DD_TYPE_WINDOW,
                                                              "call_flows_page"),
                                      DD_TYPE_IVR_FLOWS_VIEW);
      g_assert_nonnull (view);
      editor = dd_ivr_flows_view_get_editor (DD_IVR_FLOWS_VIEW (view));
      entry = dd_test_template_child (editor, DD_TYPE_IVR_EDITOR, "name_entry");
      gtk_editable_set_text (GTK_EDITABLE (entry), "Payment reminder");
      /* the editor laid out, the name in its place (slow under the sanitizers on a busy
       * machine; a folded window slides to the editor, whose toolbar gets wider as it comes
       * in): a layout that holds for a while, at most about 20 s */
      for (guint tries = 0; tries < 10; tries++)
        {
          dd_test_iterate_for (700);
          if (dd_test_wait_until (name_entry_settled, entry, 1000) && name_entry_settled (entry))
            {
              dd_test_iterate_for (700);
              if (name_entry_settled (entry))
                break;
            }
        }
      /* in the toolbar, or in its own bar below when the toolbar has no room for it whole */
      toolbar = dd_test_template_child (editor, DD_TYPE_IVR_EDITOR, "toolbar");
      if (!gtk_widget_is_ancestor (entry, toolbar))
        {
          g_assert_true (gtk_widget_get_parent (entry)
                         == dd_test_template_child (editor, DD_TYPE_IVR_EDITOR, "name_bar"));
          g_test_message ("the name in its own bar");
        }
      g_assert_true (gtk_widget_get_mapped (entry));
      assert_toolbar_closed_up (toolbar);
      /* the sidebar beside the flows: the sections not shown (the agent console, 926 px wide
       * in Polish) do not fold the window */
      g_assert_false (adw_leaflet_get_folded (leaflet));
      g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry)), ==, "Payment reminder");
      gtk_widget_measure (entry, GTK_ORIENTATION_HORIZONTAL, -1, &minimum, &natural, NULL, NULL);
      g_test_message ("name entry %d wide (minimum %d, natural %d)", entry_width (entry),
                      minimum, natural);
      dd_test_save_screenshot (SCREENSHOT_PREFIX, shot);
      g_assert_cmpint (entry_width (entry), >=, natural);
      /* the window is no wider than asked (its frame takes a few pixels), and the toolbar's
       * last button is inside it */
      g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (window)), <=, sizes[i].width);
      {
        GtkWidget *last = dd_test_template_child (editor, DD_TYPE_IVR_EDITOR, "inspector_button");
        graphene_rect_t bounds;

        g_assert_true (gtk_widget_get_mapped (last));
        g_assert_true (gtk_widget_compute_bounds (last, GTK_WIDGET (window), &bounds));
        g_assert_cmpfloat (bounds.origin.x + bounds.size.width, <=,
                           gtk_widget_get_width (GTK_WIDGET (window)) + 0.5);
      }

      dd_test_destroy_window (GTK_WINDOW (window));
    }
  g_object_set (settings, "gtk-xft-dpi", dpi, NULL);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  /* before libadwaita reads it */
  a11y_settings = g_settings_new ("org.gnome.desktop.a11y.interface");
  g_settings_set_boolean (a11y_settings, "high-contrast", FALSE);
  adw_init ();
  dd_test_use_app_style ();

  g_test_add_func ("/dd/ui/contrast/canvas", test_canvas);
  g_test_add_func ("/dd/ui/contrast/reports", test_reports);
  g_test_add_func ("/dd/ui/contrast/large-text", test_large_text);
  g_test_add_func ("/dd/ui/contrast/sections", test_sections);
  /* English first: the others change the language of the process */
  g_test_add_data_func ("/dd/ui/contrast/large-text-window/en", "en", test_large_text_window);
  g_test_add_data_func ("/dd/ui/contrast/large-text-window/pl", "pl", test_large_text_window);
  g_test_add_data_func ("/dd/ui/contrast/large-text-window/ru", "ru", test_large_text_window);

  {
    int status = g_test_run ();

    g_clear_object (&a11y_settings);
    return status;
  }
}
