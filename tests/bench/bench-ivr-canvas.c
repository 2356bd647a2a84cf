/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Call flow canvas benchmark (issue 6): a generated flow of DD_BENCH_IVR_NODES nodes (default
 * 200: menus with several keys connected, plays, transfers...) shown whole in a 1280×800
 * window, then DD_BENCH_IVR_FRAMES frames (default 100) of the canvas:
 *   - snapshot: building the render nodes (cards, texts, and the edges drawn with cairo),
 *   - render: the window's renderer turning those nodes into a texture,
 * each with the selection moving so that no frame is cached. Goal: one frame < 16 ms.
 * Run under Xvfb (tests/ui/run-under-xvfb.sh); results go to docs/PERFORMANCE.md. With
 * DD_BENCH_IVR_PNG=PREFIX it also saves a picture of each case as PREFIX-CASE.png.
 */
#include "config.h"

#include <adwaita.h>

#include "dd-ivr-canvas.h"

#include <stdlib.h>

static double
now_ms (void)
{
  return g_get_monotonic_time () / 1000.0;
}

static guint
env_uint (const char *name,
          guint       fallback)
{
  const char *value = g_getenv (name);

  return value != NULL && atoi (value) > 0 ? (guint) atoi (value) : fallback;
}

static DdIvrFlow *
generate (guint n)
{
  static const DdIvrNodeType types[] = {
    DD_IVR_NODE_PLAY, DD_IVR_NODE_MENU, DD_IVR_NODE_SAY_AMOUNT, DD_IVR_NODE_COLLECT_DIGITS,
    DD_IVR_NODE_TRANSFER, DD_IVR_NODE_SEND_SMS, DD_IVR_NODE_TIME_SWITCH,
    DD_IVR_NODE_DECLARE_PAYMENT,
  };
  DdIvrFlow *flow = dd_ivr_flow_new ("Bench");
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  guint columns = 20;

  for (guint i = 0; i < n; i++)
    {
      DdIvrNodeType type = i + 1 == n ? DD_IVR_NODE_HANG_UP : types[i % G_N_ELEMENTS (types)];
      g_autofree char *id = g_strdup_printf ("n%u", i);
      g_autofree char *text = g_strdup_printf ("Step %u: hello {name}, you owe {amount} "
                                               "since {due_date}. Press 1 to pay.", i);

      if (dd_ivr_flow_add_node (flow, type, id, (i % columns) * 260.0, (i / columns) * 150.0,
                                NULL) == NULL)
        g_error ("could not add node %u", i);
      dd_ivr_flow_set_param_string (flow, id, type == DD_IVR_NODE_MENU ? "prompt" : "text", text,
                                    NULL);
      g_ptr_array_add (ids, g_steal_pointer (&id));
    }
  /* every exit leads somewhere: the next nodes, so that edges cross rows */
  for (guint i = 0; i + 1 < n; i++)
    {
      const DdIvrNode *node = dd_ivr_flow_get_node (flow, g_ptr_array_index (ids, i));
      const char * const *exits = dd_ivr_node_type_get_exits (node->type);
      guint limit = node->type == DD_IVR_NODE_MENU ? 5 : 3;

      for (guint j = 0; exits[j] != NULL && j < limit; j++)
        dd_ivr_flow_connect (flow, node->id, exits[j],
                             g_ptr_array_index (ids, MIN (n - 1, i + 1 + j * 7)), NULL);
    }
  return flow;
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

static void
report (const char *what,
        GArray     *times)
{
  double sum = 0;

  g_array_sort (times, compare_doubles);
  for (guint i = 0; i < times->len; i++)
    sum += g_array_index (times, double, i);
  g_print ("%-28s mean %6.2f ms  median %6.2f ms  p95 %6.2f ms  max %6.2f ms\n", what,
           sum / times->len, g_array_index (times, double, times->len / 2),
           g_array_index (times, double, (times->len * 95) / 100),
           g_array_index (times, double, times->len - 1));
}

static void
measure (DdIvrCanvas *canvas,
         GskRenderer *renderer,
         GPtrArray   *ids,
         guint        frames,
         const char  *label)
{
  g_autoptr(GArray) snapshot_times = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) render_times = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) frame_times = g_array_new (FALSE, FALSE, sizeof (double));
  int width = gtk_widget_get_width (GTK_WIDGET (canvas));
  int height = gtk_widget_get_height (GTK_WIDGET (canvas));
  g_autofree char *snapshot_label = g_strdup_printf ("%s: snapshot", label);
  g_autofree char *render_label = g_strdup_printf ("%s: render", label);
  g_autofree char *frame_label = g_strdup_printf ("%s: frame", label);
  g_autofree guchar *pixels = g_malloc ((gsize) width * height * 4);

  for (guint i = 0; i < frames + 5; i++)
    {
      GtkSnapshot *snapshot = gtk_snapshot_new ();
      g_autoptr(GskRenderNode) node = NULL;
      g_autoptr(GdkTexture) texture = NULL;
      double t0, t1, t2;

      /* a different selection each frame: highlighted card and edges change */
      dd_ivr_canvas_select (canvas, g_ptr_array_index (ids, (i * 37) % ids->len));
      t0 = now_ms ();
      GTK_WIDGET_GET_CLASS (canvas)->snapshot (GTK_WIDGET (canvas), snapshot);
      node = gtk_snapshot_free_to_node (snapshot);
      t1 = now_ms ();
      texture = gsk_renderer_render_texture (renderer, node,
                                             &GRAPHENE_RECT_INIT (0, 0, width, height));
      /* make sure the pixels exist */
      gdk_texture_download (texture, pixels, (gsize) width * 4);
      t2 = now_ms ();
      /* DD_BENCH_IVR_PNG=prefix: a picture of the first frame of each case */
      if (i == 0 && g_getenv ("DD_BENCH_IVR_PNG") != NULL)
        {
          g_autofree char *path = g_strdup_printf ("%s-%s.png", g_getenv ("DD_BENCH_IVR_PNG"),
                                                   label);

          gdk_texture_save_to_png (texture, path);
        }
      if (i < 5)
        continue;   /* warm-up: glyph caches, shaders */
      g_array_append_vals (snapshot_times, &(double) { t1 - t0 }, 1);
      g_array_append_vals (render_times, &(double) { t2 - t1 }, 1);
      g_array_append_vals (frame_times, &(double) { t2 - t0 }, 1);
    }
  report (snapshot_label, snapshot_times);
  report (render_label, render_times);
  report (frame_label, frame_times);
}

int
main (int   argc,
      char *argv[])
{
  guint n = env_uint ("DD_BENCH_IVR_NODES", 200);
  guint frames = env_uint ("DD_BENCH_IVR_FRAMES", 100);
  g_autoptr(DdIvrFlow) flow = NULL;
  g_autoptr(GPtrArray) ids = NULL;
  GtkWindow *window;
  GtkWidget *canvas;
  GskRenderer *renderer;
  gint64 deadline;
  double t0;

  adw_init ();

  t0 = now_ms ();
  flow = generate (n);
  ids = dd_ivr_flow_get_node_ids (flow);
  g_print ("flow: %u nodes generated in %.1f ms\n", n, now_ms () - t0);

  window = GTK_WINDOW (adw_window_new ());
  canvas = dd_ivr_canvas_new ();
  adw_window_set_content (ADW_WINDOW (window), canvas);
  gtk_window_set_default_size (window, 1280, 800);
  gtk_window_present (window);
  deadline = g_get_monotonic_time () + 20 * G_TIME_SPAN_SECOND;
  while ((!gtk_widget_get_mapped (canvas) || gtk_widget_get_width (canvas) < 100)
         && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, FALSE);
  if (!gtk_widget_get_mapped (canvas))
    g_error ("the window did not show");

  /* what any frame of that size costs: an empty flow */
  {
    g_autoptr(DdIvrFlow) empty = dd_ivr_flow_new ("Empty");
    g_autoptr(GPtrArray) none = g_ptr_array_new ();

    dd_ivr_canvas_set_flow (DD_IVR_CANVAS (canvas), empty);
    g_ptr_array_add (none, NULL);
    g_print ("baseline (no nodes):\n");
    measure (DD_IVR_CANVAS (canvas), gtk_native_get_renderer (GTK_NATIVE (window)), none,
             frames, "empty");
  }

  dd_ivr_canvas_set_flow (DD_IVR_CANVAS (canvas), flow);
  renderer = gtk_native_get_renderer (GTK_NATIVE (window));
  g_print ("renderer: %s, canvas %d×%d\n", G_OBJECT_TYPE_NAME (renderer),
           gtk_widget_get_width (canvas), gtk_widget_get_height (canvas));

  /* at the zoom a user first sees (the top left of the flow, readable) */
  dd_ivr_canvas_zoom_fit (DD_IVR_CANVAS (canvas));
  g_print ("zoom %.2f:\n", dd_ivr_editor_state_get_zoom (
                             dd_ivr_canvas_get_state (DD_IVR_CANVAS (canvas))));
  measure (DD_IVR_CANVAS (canvas), renderer, ids, frames, "readable");

  /* zoomed out so far that all nodes and edges are on screen: the worst case */
  dd_ivr_editor_state_zoom_at (dd_ivr_canvas_get_state (DD_IVR_CANVAS (canvas)), 0.25, 0, 0);
  dd_ivr_editor_state_set_pan (dd_ivr_canvas_get_state (DD_IVR_CANVAS (canvas)), 0, 0);
  g_print ("zoom 0.25 (all %u nodes visible, no text):\n", n);
  measure (DD_IVR_CANVAS (canvas), renderer, ids, frames, "all-visible");

  /* all visible with text: the lowest zoom that still draws text */
  dd_ivr_editor_state_zoom_at (dd_ivr_canvas_get_state (DD_IVR_CANVAS (canvas)), 0.4, 0, 0);
  dd_ivr_editor_state_set_pan (dd_ivr_canvas_get_state (DD_IVR_CANVAS (canvas)), 0, 0);
  g_print ("zoom 0.40 (about %u nodes visible, with text):\n", n / 2);
  measure (DD_IVR_CANVAS (canvas), renderer, ids, frames, "text");

  gtk_window_destroy (window);
  return 0;
}
