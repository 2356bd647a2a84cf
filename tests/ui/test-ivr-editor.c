/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-ivr-editor"

#include "config.h"

#include <adwaita.h>
#define G_SETTINGS_ENABLE_BACKEND
#include <gio/gsettingsbackend.h>

#include "dd-test-ui.h"
#include "dd-context.h"
#include "dd-database.h"
#include "dd-ivr-canvas-private.h"
#include "dd-ivr-editor-private.h"
#include "dd-ivr-flow-store.h"
#include "dd-ivr-flows-view-private.h"
#include "dd-window.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#define SCREENSHOT_PREFIX "test-ivr-editor"

static GtkWindow *
show_editor (DdContext    *context,
             const char   *title,
             DdIvrEditor **out_editor)
{
  GtkWindow *window = GTK_WINDOW (adw_window_new ());
  GtkWidget *editor = dd_ivr_editor_new (context);

  gtk_window_set_title (window, title);
  adw_window_set_content (ADW_WINDOW (window), editor);
  gtk_window_set_default_size (window, 1280, 800);
  gtk_window_present (window);
  dd_test_wait_until_mapped (GTK_WIDGET (dd_ivr_editor_get_canvas (DD_IVR_EDITOR (editor))));
  dd_test_iterate_for (100);
  *out_editor = DD_IVR_EDITOR (editor);
  return window;
}

/* The text of the version button. */
static GtkLabel *
version_label (GtkMenuButton *button)
{
  GtkWidget *box = gtk_menu_button_get_child (button);

  g_assert_true (GTK_IS_BOX (box));
  g_assert_true (GTK_IS_LABEL (gtk_widget_get_first_child (box)));
  return GTK_LABEL (gtk_widget_get_first_child (box));
}

static const DdIvrNode *
get_node (DdIvrEditor *editor,
          const char  *id)
{
  return dd_ivr_flow_get_node (dd_ivr_editor_get_flow (editor), id);
}

static void
set_prompt (DdIvrEditor *editor,
            const char  *text)
{
  GtkWidget *view = _dd_ivr_editor_get_param_widget (editor, "text");

  g_assert_true (GTK_IS_TEXT_VIEW (view));
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (GTK_TEXT_VIEW (view)), text, -1);
}

static char *
shown_prompt (DdIvrEditor *editor)
{
  GtkWidget *view = _dd_ivr_editor_get_param_widget (editor, "text");
  GtkTextBuffer *buffer;
  GtkTextIter start, end;

  g_assert_true (GTK_IS_TEXT_VIEW (view));
  buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (view));
  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

static void
on_listen (DdIvrEditor *editor,
           const char  *text,
           char       **out_text)
{
  g_free (*out_text);
  *out_text = g_strdup (text);
  /* the text is checked here; not spoken through the sound card in a test */
  g_signal_stop_emission_by_name (editor, "listen-requested");
}

/* Drop, connect, edit a prompt, undo, save, reload, compare. */
static void
test_edit_save_reload (void)
{
  g_autoptr(DdTestOffice) office = dd_test_office_new_with_context ("ivr-editor", FALSE);
  g_autoptr(GError) error = NULL;
  g_autoptr(DdIvrFlowStore) store = dd_ivr_flow_store_new (office->database);
  g_autoptr(GPtrArray) list = NULL;
  g_autofree char *play = NULL;
  g_autofree char *bye = NULL;
  g_autofree char *json = NULL;
  g_autofree char *reloaded_json = NULL;
  g_autofree char *text = NULL;
  g_autofree char *heard = NULL;
  DdIvrEditor *editor, *again;
  GtkWindow *window, *window2;
  DdIvrCanvas *canvas;
  double width, height, x, y;
  gint64 version = 0;

  window = show_editor (office->context, "IVR editor test", &editor);
  canvas = dd_ivr_editor_get_canvas (editor);
  width = gtk_widget_get_width (GTK_WIDGET (canvas));
  height = gtk_widget_get_height (GTK_WIDGET (canvas));

  /* an empty flow to begin with */
  g_assert_true (dd_ivr_editor_new_from_template (editor, "empty", &error));
  g_assert_no_error (error);
  g_assert_cmpuint (dd_ivr_flow_get_n_nodes (dd_ivr_editor_get_flow (editor)), ==, 0);
  g_assert_false (dd_ivr_editor_get_modified (editor));

  /* drop two steps from the palette: the first becomes the start and is selected */
  play = g_strdup (_dd_ivr_canvas_drop_type (canvas, "play", width / 2, height / 3));
  g_assert_nonnull (play);
  g_assert_cmpstr (dd_ivr_canvas_get_selected (canvas), ==, play);
  g_assert_cmpstr (dd_ivr_flow_get_start (dd_ivr_editor_get_flow (editor)), ==, play);
  g_assert_true (_dd_ivr_canvas_get_point (canvas, play, NULL, &x, &y));
  g_assert_cmpfloat (fabs (x - width / 2), <, 10);
  g_assert_cmpfloat (fabs (y - height / 3), <, 10);
  g_assert_null (_dd_ivr_canvas_drop_type (canvas, "no-such-type", 10, 10));
  bye = g_strdup (_dd_ivr_canvas_drop_type (canvas, "hang-up", width / 2, height / 3 + 200));
  g_assert_nonnull (bye);
  g_assert_cmpuint (dd_ivr_flow_get_n_nodes (dd_ivr_editor_get_flow (editor)), ==, 2);
  g_assert_true (dd_ivr_editor_get_modified (editor));

  /* connect: a drag from the play step's port to the hang-up card */
  g_assert_true (_dd_ivr_canvas_get_point (canvas, bye, NULL, &x, &y));
  g_assert_true (_dd_ivr_canvas_drag_port (canvas, play, "done", x, y));
  g_assert_cmpstr (dd_ivr_node_get_exit (get_node (editor, play), "done"), ==, bye);
  /* the inspector follows: the exit's row shows the target */
  g_assert_cmpstr (dd_ivr_canvas_get_selected (canvas), ==, play);
  {
    GtkWidget *exit_row = _dd_ivr_editor_get_exit_widget (editor, "done");

    g_assert_true (ADW_IS_COMBO_ROW (exit_row));
    g_assert_cmpuint (adw_combo_row_get_selected (ADW_COMBO_ROW (exit_row)), ==, 2);
  }

  /* edit the prompt in the inspector; the Listen button hands over the text */
  set_prompt (editor, "Hello {name}.");
  g_assert_cmpstr (dd_ivr_node_get_string (get_node (editor, play), "text", NULL), ==,
                   "Hello {name}.");
  set_prompt (editor, "Hello {name}, you owe {amount}.");
  g_signal_connect (editor, "listen-requested", G_CALLBACK (on_listen), &heard);
  {
    GtkWidget *view = _dd_ivr_editor_get_param_widget (editor, "text");
    GtkWidget *listen = gtk_widget_get_ancestor (view, GTK_TYPE_BOX);

    /* the Listen button sits in the row's header, before the text */
    listen = gtk_widget_get_last_child (gtk_widget_get_first_child (listen));
    g_assert_true (GTK_IS_BUTTON (listen));
    g_signal_emit_by_name (listen, "clicked");
  }
  g_assert_cmpstr (heard, ==, "Hello {name}, you owe {amount}.");

  /* another selection ends that edit; a second edit, then undo brings back the first */
  dd_ivr_canvas_select (canvas, bye);
  dd_ivr_canvas_select (canvas, play);
  set_prompt (editor, "Changed my mind.");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (editor), "editor.undo", NULL));
  g_assert_cmpstr (dd_ivr_node_get_string (get_node (editor, play), "text", NULL), ==,
                   "Hello {name}, you owe {amount}.");
  text = shown_prompt (editor);
  g_assert_cmpstr (text, ==, "Hello {name}, you owe {amount}.");
  dd_test_save_screenshot (SCREENSHOT_PREFIX, "edited");

  /* save: version 1 of the flow's name */
  gtk_editable_set_text (GTK_EDITABLE (gtk_widget_get_template_child (GTK_WIDGET (editor),
                                                                      DD_TYPE_IVR_EDITOR,
                                                                      "name_entry")),
                         "Test reminder");
  g_assert_cmpstr (dd_ivr_flow_get_name (dd_ivr_editor_get_flow (editor)), ==, "Test reminder");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (editor), "editor.save", NULL));
  g_assert_cmpint (dd_ivr_editor_get_version (editor), ==, 1);
  g_assert_false (dd_ivr_editor_get_modified (editor));
  json = dd_ivr_flow_to_data (dd_ivr_editor_get_flow (editor), NULL);
  list = dd_ivr_flow_store_list (store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 1);
  g_assert_cmpstr (((DdIvrFlowRecord *) g_ptr_array_index (list, 0))->name, ==,
                   "Test reminder");

  /* reload in a new editor: the same flow */
  window2 = show_editor (office->context, "IVR editor test 2", &again);
  g_assert_true (dd_ivr_editor_load (again, "Test reminder", 0, &error));
  g_assert_no_error (error);
  g_assert_cmpint (dd_ivr_editor_get_version (again), ==, 1);
  g_assert_false (dd_ivr_editor_get_modified (again));
  reloaded_json = dd_ivr_flow_to_data (dd_ivr_editor_get_flow (again), NULL);
  g_assert_cmpstr (reloaded_json, ==, json);
  g_assert_true (dd_ivr_flow_equal (dd_ivr_editor_get_flow (again),
                                    dd_ivr_editor_get_flow (editor)));

  /* a second save is version 2; the first stays */
  dd_ivr_canvas_select (dd_ivr_editor_get_canvas (again), play);
  set_prompt (again, "Version two.");
  g_assert_true (dd_ivr_editor_save (again, &version, &error));
  g_assert_cmpint (version, ==, 2);
  /* the version button lists both versions */
  {
    GtkMenuButton *button = GTK_MENU_BUTTON (gtk_widget_get_template_child (GTK_WIDGET (again),
                                                                           DD_TYPE_IVR_EDITOR,
                                                                           "version_button"));
    GtkWidget *versions;

    g_assert_cmpstr (gtk_label_get_text (version_label (button)), ==, "Version 2");
    gtk_menu_button_popup (button);
    dd_test_iterate_for (100);
    versions = gtk_scrolled_window_get_child (
      GTK_SCROLLED_WINDOW (gtk_popover_get_child (gtk_menu_button_get_popover (button))));
    if (GTK_IS_VIEWPORT (versions))
      versions = gtk_viewport_get_child (GTK_VIEWPORT (versions));
    g_assert_true (GTK_IS_LIST_BOX (versions));
    g_assert_nonnull (gtk_list_box_get_row_at_index (GTK_LIST_BOX (versions), 1));
    g_assert_null (gtk_list_box_get_row_at_index (GTK_LIST_BOX (versions), 2));
    /* the newest first: choosing the other one opens version 1 (nothing to discard) */
    g_signal_emit_by_name (versions, "row-activated",
                           gtk_list_box_get_row_at_index (GTK_LIST_BOX (versions), 1));
    g_assert_cmpint (dd_ivr_editor_get_version (again), ==, 1);
    g_assert_cmpstr (gtk_label_get_text (version_label (button)), ==, "Version 1");
  }
  g_assert_true (dd_ivr_editor_load (editor, "Test reminder", 1, &error));
  g_assert_cmpstr (dd_ivr_node_get_string (get_node (editor, play), "text", NULL), ==,
                   "Hello {name}, you owe {amount}.");

  /* export and import JSON */
  {
    g_autofree char *path = g_build_filename (office->dir, "flow.json", NULL);
    g_autoptr(GFile) file = g_file_new_for_path (path);
    g_autofree char *a = NULL;
    g_autofree char *b = NULL;
    const char *future = "{\"format\": 99, \"nodes\": []}";

    g_assert_true (_dd_ivr_editor_export_file (again, file, &error));
    g_assert_no_error (error);
    g_assert_true (_dd_ivr_editor_import_file (editor, file, &error));
    g_assert_no_error (error);
    g_assert_cmpint (dd_ivr_editor_get_version (editor), ==, 0);
    a = dd_ivr_flow_to_data (dd_ivr_editor_get_flow (editor), NULL);
    b = dd_ivr_flow_to_data (dd_ivr_editor_get_flow (again), NULL);
    g_assert_cmpstr (a, ==, b);
    g_assert_true (g_file_replace_contents (file, future, strlen (future), NULL, FALSE,
                                            G_FILE_CREATE_NONE, NULL, NULL, &error));
    g_assert_false (_dd_ivr_editor_import_file (editor, file, &error));
    g_assert_error (error, DD_IVR_FLOW_ERROR, DD_IVR_FLOW_ERROR_FUTURE_FORMAT);
    g_clear_error (&error);
  }

  dd_test_destroy_window (window2);
  dd_test_destroy_window (window);
}

/* Every action of the canvas without a mouse. */
static void
test_keyboard (void)
{
  g_autoptr(DdTestOffice) office = dd_test_office_new_with_context ("ivr-editor", FALSE);
  g_autoptr(GError) error = NULL;
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  DdIvrEditor *editor;
  GtkWindow *window;
  DdIvrCanvas *canvas;
  DdIvrEditorState *state;
  const DdIvrNode *node;
  double x0, zoom;
  guint n;

  window = show_editor (office->context, "IVR keyboard test", &editor);
  canvas = dd_ivr_editor_get_canvas (editor);
  state = dd_ivr_canvas_get_state (canvas);
  g_assert_true (dd_ivr_editor_new_from_template (editor, "payment-reminder", &error));
  g_assert_no_error (error);
  n = dd_ivr_flow_get_n_nodes (dd_ivr_editor_get_flow (editor));
  g_assert_cmpuint (n, >, 3);
  gtk_widget_grab_focus (GTK_WIDGET (canvas));
  g_assert_true (gtk_widget_has_focus (GTK_WIDGET (canvas)));

  /* Tab selects the first node, Tab again the next */
  g_assert_true (_dd_ivr_canvas_press_key (canvas, GDK_KEY_Tab, 0));
  first = g_strdup (dd_ivr_canvas_get_selected (canvas));
  g_assert_nonnull (first);
  g_assert_true (_dd_ivr_canvas_press_key (canvas, GDK_KEY_Tab, 0));
  second = g_strdup (dd_ivr_canvas_get_selected (canvas));
  g_assert_cmpstr (first, !=, second);
  g_assert_true (_dd_ivr_canvas_press_key (canvas, GDK_KEY_ISO_Left_Tab, GDK_SHIFT_MASK));
  g_assert_cmpstr (dd_ivr_canvas_get_selected (canvas), ==, first);

  /* an arrow goes to a neighbour */
  g_assert_true (_dd_ivr_canvas_press_key (canvas, GDK_KEY_Right, 0));
  g_assert_cmpstr (dd_ivr_canvas_get_selected (canvas), !=, first);
  g_assert_true (_dd_ivr_canvas_press_key (canvas, GDK_KEY_Left, 0));
  g_assert_cmpstr (dd_ivr_canvas_get_selected (canvas), ==, first);

  /* Shift+arrow moves, Ctrl+Z puts it back, Ctrl+Shift+Z again */
  node = get_node (editor, first);
  x0 = node->x;
  g_assert_true (_dd_ivr_canvas_press_key (canvas, GDK_KEY_Right, GDK_SHIFT_MASK));
  g_assert_cmpfloat (get_node (editor, first)->x, ==, x0 + DD_IVR_NUDGE);
  g_assert_true (dd_ivr_editor_get_modified (editor));
  g_assert_true (_dd_ivr_canvas_press_key (canvas, GDK_KEY_z, GDK_CONTROL_MASK));
  g_assert_cmpfloat (get_node (editor, first)->x, ==, x0);
  g_assert_true (_dd_ivr_canvas_press_key (canvas, GDK_KEY_z,
                                           GDK_CONTROL_MASK | GDK_SHIFT_MASK));
  g_assert_cmpfloat (get_node (editor, first)->x, ==, x0 + DD_IVR_NUDGE);

  /* C connects an exit: choose the target with the arrows, Enter */
  before = g_strdup (dd_ivr_node_get_exit (get_node (editor, first), "done"));
  g_assert_true (_dd_ivr_canvas_press_key (canvas, GDK_KEY_c, 0));
  g_assert_nonnull (_dd_ivr_canvas_get_connect_target (canvas));
  dd_test_save_screenshot (SCREENSHOT_PREFIX, "connect-mode");
  g_assert_true (_dd_ivr_canvas_press_key (canvas, GDK_KEY_Tab, 0));
  g_assert_true (_dd_ivr_canvas_press_key (canvas, GDK_KEY_Tab, 0));
  after = g_strdup (_dd_ivr_canvas_get_connect_target (canvas));
  g_assert_true (_dd_ivr_canvas_press_key (canvas, GDK_KEY_Return, 0));
  g_assert_null (_dd_ivr_canvas_get_connect_target (canvas));
  g_assert_cmpstr (dd_ivr_node_get_exit (get_node (editor, first), "done"), ==, after);
  /* C, Delete disconnects; Escape leaves connect mode without a change */
  g_assert_true (_dd_ivr_canvas_press_key (canvas, GDK_KEY_c, 0));
  g_assert_true (_dd_ivr_canvas_press_key (canvas, GDK_KEY_Delete, 0));
  g_assert_null (dd_ivr_node_get_exit (get_node (editor, first), "done"));
  g_assert_true (_dd_ivr_canvas_press_key (canvas, GDK_KEY_c, 0));
  g_assert_true (_dd_ivr_canvas_press_key (canvas, GDK_KEY_Escape, 0));
  g_assert_null (_dd_ivr_canvas_get_connect_target (canvas));
  g_assert_true (dd_ivr_editor_state_undo (state));
  dd_ivr_canvas_state_changed (canvas);
  g_assert_cmpstr (dd_ivr_node_get_exit (get_node (editor, first), "done"), ==, after);
  g_assert_true (dd_ivr_editor_state_undo (state));
  dd_ivr_canvas_state_changed (canvas);
  g_assert_cmpstr (dd_ivr_node_get_exit (get_node (editor, first), "done"), ==, before);

  /* S makes the start; Delete removes the node, Ctrl+Z brings it back */
  dd_ivr_canvas_select (canvas, second);
  g_assert_true (_dd_ivr_canvas_press_key (canvas, GDK_KEY_s, 0));
  g_assert_cmpstr (dd_ivr_flow_get_start (dd_ivr_editor_get_flow (editor)), ==, second);
  g_assert_true (_dd_ivr_canvas_press_key (canvas, GDK_KEY_Delete, 0));
  g_assert_null (get_node (editor, second));
  g_assert_cmpuint (dd_ivr_flow_get_n_nodes (dd_ivr_editor_get_flow (editor)), ==, n - 1);
  g_assert_nonnull (dd_ivr_canvas_get_selected (canvas));
  g_assert_true (_dd_ivr_canvas_press_key (canvas, GDK_KEY_z, GDK_CONTROL_MASK));
  g_assert_nonnull (get_node (editor, second));
  g_assert_cmpstr (dd_ivr_flow_get_start (dd_ivr_editor_get_flow (editor)), ==, second);

  /* + and - zoom, 0 fits */
  g_assert_true (_dd_ivr_canvas_press_key (canvas, GDK_KEY_0, 0));
  zoom = dd_ivr_editor_state_get_zoom (state);
  g_assert_true (_dd_ivr_canvas_press_key (canvas, GDK_KEY_plus, 0));
  g_assert_cmpfloat (dd_ivr_editor_state_get_zoom (state), >, zoom);
  g_assert_true (_dd_ivr_canvas_press_key (canvas, GDK_KEY_minus, 0));
  g_assert_true (_dd_ivr_canvas_press_key (canvas, GDK_KEY_minus, 0));
  g_assert_cmpfloat (dd_ivr_editor_state_get_zoom (state), <, zoom);
  g_assert_true (_dd_ivr_canvas_press_key (canvas, GDK_KEY_0, 0));
  g_assert_cmpfloat_with_epsilon (dd_ivr_editor_state_get_zoom (state), zoom, 1e-9);

  /* Enter on a node takes the focus to the inspector */
  dd_ivr_canvas_select (canvas, first);
  g_assert_true (_dd_ivr_canvas_press_key (canvas, GDK_KEY_Return, 0));
  g_assert_false (gtk_widget_has_focus (GTK_WIDGET (canvas)));

  /* the palette adds a step in the middle from the keyboard */
  {
    GtkListBox *palette = _dd_ivr_editor_get_palette (editor);
    GtkListBoxRow *row = gtk_list_box_get_row_at_index (palette, 0);

    g_signal_emit_by_name (palette, "row-activated", row);
    g_assert_cmpuint (dd_ivr_flow_get_n_nodes (dd_ivr_editor_get_flow (editor)), ==, n + 1);
    g_assert_true (gtk_widget_has_focus (GTK_WIDGET (canvas)));
  }

  /* a problem in the list takes the canvas to its node */
  {
    g_autoptr(GPtrArray) issues = dd_ivr_editor_validate (editor);
    GtkListBox *list = _dd_ivr_editor_get_issues_list (editor);
    GtkListBoxRow *row = NULL;
    const char *node_id = NULL;

    /* the new step is not set up and leads nowhere */
    g_assert_cmpuint (issues->len, >, 0);
    for (int i = 0; (row = gtk_list_box_get_row_at_index (list, i)) != NULL; i++)
      if ((node_id = g_object_get_data (G_OBJECT (row), "dd-node")) != NULL)
        break;
    g_assert_nonnull (row);
    dd_ivr_canvas_select (canvas, NULL);
    g_signal_emit_by_name (list, "row-activated", row);
    g_assert_cmpstr (dd_ivr_canvas_get_selected (canvas), ==, node_id);
  }

  dd_test_destroy_window (window);
}

/* Screenshots of the editor with each template. */
static void
test_templates (void)
{
  g_autoptr(DdTestOffice) office = dd_test_office_new_with_context ("ivr-editor", FALSE);
  const char * const *names = dd_ivr_flow_get_template_names ();

  for (guint i = 0; names[i] != NULL; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(DdIvrFlow) expected = dd_ivr_flow_new_from_template (names[i], &error);
      g_autofree char *shot = g_strdup_printf ("template-%s", names[i]);
      DdIvrEditor *editor;
      GtkWindow *window = show_editor (office->context, names[i], &editor);

      g_assert_true (dd_ivr_editor_new_from_template (editor, names[i], &error));
      g_assert_no_error (error);
      g_assert_cmpuint (dd_ivr_flow_get_n_nodes (dd_ivr_editor_get_flow (editor)), ==,
                        dd_ivr_flow_get_n_nodes (expected));
      if (g_strcmp0 (names[i], "empty") != 0)
        {
          g_autoptr(GPtrArray) issues = dd_ivr_editor_validate (editor);

          g_assert_cmpuint (dd_ivr_flow_get_n_nodes (expected), >, 3);
          /* the shipped templates are ready for calls */
          g_assert_false (dd_ivr_flow_has_errors (issues));
          dd_ivr_canvas_select (dd_ivr_editor_get_canvas (editor),
                                dd_ivr_flow_get_start (dd_ivr_editor_get_flow (editor)));
        }
      dd_test_save_screenshot (SCREENSHOT_PREFIX, shot);
      dd_test_destroy_window (window);
    }
}

static void
store_template (DdIvrFlowStore *store,
                const char     *template_name,
                const char     *name)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DdIvrFlow) flow = dd_ivr_flow_new_from_template (template_name, &error);
  g_autofree char *json = NULL;

  g_assert_no_error (error);
  dd_ivr_flow_set_name (flow, name);
  json = dd_ivr_flow_to_data (flow, NULL);
  g_assert_true (dd_ivr_flow_store_save (store, name, json, NULL, NULL, &error));
  g_assert_no_error (error);
}

static const char *
row_name (GtkListBox *list,
          int         index)
{
  GtkListBoxRow *row = gtk_list_box_get_row_at_index (list, index);

  return row != NULL ? g_object_get_data (G_OBJECT (row), "dd-name") : NULL;
}

/* The Call Flows section: the stored flows next to the editor. */
static void
test_flows_view (void)
{
  g_autoptr(DdTestOffice) office = dd_test_office_new_with_context ("ivr-editor", FALSE);
  g_autoptr(DdIvrFlowStore) store = dd_ivr_flow_store_new (office->database);
  GtkWindow *window = GTK_WINDOW (adw_window_new ());
  GtkWidget *view;
  GtkListBox *list;
  DdIvrEditor *editor;
  gint64 version = 0;
  g_autoptr(GError) error = NULL;

  store_template (store, "inbound-hotline", "Hotline");
  store_template (store, "payment-reminder", "Autumn reminder");

  view = dd_ivr_flows_view_new (office->context);
  adw_window_set_content (ADW_WINDOW (window), view);
  gtk_window_set_default_size (window, 1280, 800);
  gtk_window_present (window);
  editor = dd_ivr_flows_view_get_editor (DD_IVR_FLOWS_VIEW (view));
  dd_test_wait_until_mapped (GTK_WIDGET (dd_ivr_editor_get_canvas (editor)));
  list = _dd_ivr_flows_view_get_list (DD_IVR_FLOWS_VIEW (view));

  /* by name; the first is open */
  g_assert_cmpstr (row_name (list, 0), ==, "Autumn reminder");
  g_assert_cmpstr (row_name (list, 1), ==, "Hotline");
  g_assert_null (row_name (list, 2));
  g_assert_cmpstr (dd_ivr_flow_get_name (dd_ivr_editor_get_flow (editor)), ==,
                   "Autumn reminder");
  g_assert_cmpint (dd_ivr_editor_get_version (editor), ==, 1);
  dd_test_save_screenshot (SCREENSHOT_PREFIX, "flows-view");

  /* another one opens from the list */
  g_signal_emit_by_name (list, "row-activated", gtk_list_box_get_row_at_index (list, 1));
  g_assert_cmpstr (dd_ivr_flow_get_name (dd_ivr_editor_get_flow (editor)), ==, "Hotline");
  g_assert_nonnull (dd_ivr_flow_get_node (dd_ivr_editor_get_flow (editor), "office-hours"));

  /* saving a new version and a new flow shows in the list */
  g_assert_true (dd_ivr_editor_save (editor, &version, &error));
  g_assert_no_error (error);
  g_assert_cmpint (version, ==, 2);
  g_assert_cmpstr (row_name (list, 1), ==, "Hotline");
  g_assert_true (dd_ivr_editor_new_from_template (editor, "empty", &error));
  dd_ivr_flow_set_name (dd_ivr_editor_get_flow (editor), "Blank");
  g_assert_true (dd_ivr_editor_save (editor, &version, &error));
  g_assert_cmpint (version, ==, 1);
  g_assert_cmpstr (row_name (list, 1), ==, "Blank");
  g_assert_cmpstr (row_name (list, 2), ==, "Hotline");
  g_assert_true (gtk_list_box_get_selected_row (list) == gtk_list_box_get_row_at_index (list, 1));

  dd_test_destroy_window (window);
}

/* A real pointer drag from the palette onto the canvas, with xdotool. */
static gboolean
run_xdotool (const char * const *args)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *xdotool = g_find_program_in_path ("xdotool");
  GPid pid;
  int status = -1;
  gboolean done = FALSE;

  if (xdotool == NULL)
    return FALSE;
  g_ptr_array_add (argv, xdotool);
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);
  if (!g_spawn_async (NULL, (char **) argv->pdata, NULL, G_SPAWN_DO_NOT_REAP_CHILD,
                      NULL, NULL, &pid, &error))
    return FALSE;
  /* keep the main loop turning while xdotool drives the pointer */
  while (!done)
    {
      int wait_status;

      g_main_context_iteration (NULL, FALSE);
      if (waitpid (pid, &wait_status, WNOHANG) == pid)
        {
          status = wait_status;
          done = TRUE;
        }
      else
        g_usleep (G_TIME_SPAN_MILLISECOND);
    }
  g_spawn_close_pid (pid);
  return status == 0;
}

static void
move_to (double x,
         double y)
{
  g_autofree char *sx = g_strdup_printf ("%d", (int) x);
  g_autofree char *sy = g_strdup_printf ("%d", (int) y);
  const char *args[] = { "mousemove", sx, sy, NULL };

  g_assert_true (run_xdotool (args));
  dd_test_iterate_for (60);
}

static void
test_real_drag (void)
{
  g_autoptr(DdTestOffice) office = dd_test_office_new_with_context ("ivr-editor", FALSE);
  g_autoptr(GError) error = NULL;
  DdIvrEditor *editor;
  GtkWindow *window;
  DdIvrCanvas *canvas;
  GtkListBoxRow *row;
  graphene_point_t from, to;
  const char *down[] = { "mousedown", "1", NULL };
  const char *up[] = { "mouseup", "1", NULL };
  g_autofree char *xdotool = g_find_program_in_path ("xdotool");

  if (xdotool == NULL || g_getenv ("DISPLAY") == NULL)
    {
      g_test_skip ("xdotool or an X display is missing");
      return;
    }

  window = show_editor (office->context, "IVR drag test", &editor);
  canvas = dd_ivr_editor_get_canvas (editor);
  g_assert_true (dd_ivr_editor_new_from_template (editor, "empty", &error));
  dd_test_iterate_for (300);

  /* without a window manager the window sits at the top left corner of the screen */
  row = gtk_list_box_get_row_at_index (_dd_ivr_editor_get_palette (editor),
                                       DD_IVR_NODE_HANG_UP);
  g_assert_true (gtk_widget_compute_point (GTK_WIDGET (row), GTK_WIDGET (window),
                                           &GRAPHENE_POINT_INIT (40, 10), &from));
  g_assert_true (gtk_widget_compute_point (GTK_WIDGET (canvas), GTK_WIDGET (window),
                                           &GRAPHENE_POINT_INIT (300, 250), &to));
  move_to (from.x, from.y);
  g_assert_true (run_xdotool (down));
  dd_test_iterate_for (100);
  for (int i = 1; i <= 12; i++)
    move_to (from.x + (to.x - from.x) * i / 12, from.y + (to.y - from.y) * i / 12);
  dd_test_iterate_for (200);
  g_assert_true (run_xdotool (up));
  dd_test_iterate_for (500);

  if (dd_ivr_flow_get_n_nodes (dd_ivr_editor_get_flow (editor)) == 0)
    {
      /* a window manager may have placed the window elsewhere */
      g_test_incomplete ("the pointer drag did not reach the canvas");
    }
  else
    {
      g_autoptr(GPtrArray) ids = dd_ivr_flow_get_node_ids (dd_ivr_editor_get_flow (editor));
      const DdIvrNode *node = get_node (editor, g_ptr_array_index (ids, 0));
      double x, y;

      g_assert_cmpuint (ids->len, ==, 1);
      g_assert_cmpint (node->type, ==, DD_IVR_NODE_HANG_UP);
      g_assert_true (_dd_ivr_canvas_get_point (canvas, node->id, NULL, &x, &y));
      g_assert_cmpfloat (fabs (x - 300), <, 12);
      g_assert_cmpfloat (fabs (y - 250), <, 12);

      /* and a real drag of the card moves it */
      {
        double x0 = node->x;

        g_assert_true (gtk_widget_compute_point (GTK_WIDGET (canvas), GTK_WIDGET (window),
                                                 &GRAPHENE_POINT_INIT (x, y), &from));
        move_to (from.x, from.y);
        g_assert_true (run_xdotool (down));
        dd_test_iterate_for (50);
        for (int i = 1; i <= 6; i++)
          move_to (from.x + i * 20, from.y);
        g_assert_true (run_xdotool (up));
        dd_test_iterate_for (200);
        node = get_node (editor, g_ptr_array_index (ids, 0));
        g_assert_cmpfloat (fabs (node->x - (x0 + 120 / dd_ivr_editor_state_get_zoom (
                                                dd_ivr_canvas_get_state (canvas)))), <, 2);
      }
    }
  dd_test_destroy_window (window);
}

/* @widget is shown and lies wholly inside @within (the window, or the canvas). */
static void
assert_inside (GtkWidget  *widget,
               GtkWidget  *within,
               const char *what)
{
  graphene_rect_t bounds;
  double width = gtk_widget_get_width (within);
  double height = gtk_widget_get_height (within);

  if (!gtk_widget_get_mapped (widget))
    g_error ("%s is not shown", what);
  g_assert_true (gtk_widget_compute_bounds (widget, within, &bounds));
  g_test_message ("%s: %.0f,%.0f %.0f×%.0f in %.0f×%.0f", what, bounds.origin.x, bounds.origin.y,
                  bounds.size.width, bounds.size.height, width, height);
  if (bounds.origin.x < -0.5 || bounds.origin.y < -0.5
      || bounds.origin.x + bounds.size.width > width + 0.5
      || bounds.origin.y + bounds.size.height > height + 0.5)
    g_error ("%s (%.0f,%.0f %.0f×%.0f) is not inside %.0f×%.0f", what, bounds.origin.x,
             bounds.origin.y, bounds.size.width, bounds.size.height, width, height);
}

/* After Fit every card of the flow lies inside the canvas as shown. */
static void
assert_flow_fits (DdIvrEditor *editor)
{
  DdIvrCanvas *canvas = dd_ivr_editor_get_canvas (editor);
  g_autoptr(GPtrArray) ids = dd_ivr_flow_get_node_ids (dd_ivr_editor_get_flow (editor));
  double zoom, width, height;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (editor), "editor.zoom-fit", NULL));
  zoom = dd_ivr_editor_state_get_zoom (dd_ivr_canvas_get_state (canvas));
  width = gtk_widget_get_width (GTK_WIDGET (canvas));
  height = gtk_widget_get_height (GTK_WIDGET (canvas));
  g_assert_cmpuint (ids->len, >, 3);
  for (guint i = 0; i < ids->len; i++)
    {
      const char *id = g_ptr_array_index (ids, i);
      double x, y;

      g_assert_true (_dd_ivr_canvas_get_point (canvas, id, NULL, &x, &y));
      if (x - DD_IVR_CARD_WIDTH * zoom / 2 < 0 || x + DD_IVR_CARD_WIDTH * zoom / 2 > width
          || y - DD_IVR_CARD_HEIGHT * zoom / 2 < 0 || y + DD_IVR_CARD_HEIGHT * zoom / 2 > height)
        g_error ("after Fit the card of “%s” (middle %.0f,%.0f at zoom %.2f) is not inside "
                 "the canvas of %.0f×%.0f", id, x, y, zoom, width, height);
    }
}

/* Issue 12, item 10: the Call Flows section of the real window at 1024×700 and 1280×800. No
 * sideways scrolling; the "+" the empty page points to, Save and the inspector's toggle are in
 * the window; the inspector comes out inside it; Fit shows every step. */
static void
test_narrow_window (void)
{
  const struct { int width, height; } sizes[] = { { 1024, 700 }, { 1280, 800 } };

  for (guint i = 0; i < G_N_ELEMENTS (sizes); i++)
    {
      g_autoptr(DdTestOffice) office = dd_test_office_new_with_context ("ivr-editor", FALSE);
      g_autofree char *shot = NULL;
      DdWindow *window = dd_window_new (NULL, office->database, NULL);
      GtkWidget *win = GTK_WIDGET (window);
      GtkWidget *view, *scroller, *inspector_button;
      GtkAdjustment *hadjustment;
      DdIvrEditor *editor;

      g_test_message ("window of %d×%d", sizes[i].width, sizes[i].height);
      gtk_window_set_default_size (GTK_WINDOW (window), sizes[i].width, sizes[i].height);
      gtk_window_present (GTK_WINDOW (window));
      dd_test_wait_until_mapped (win);
      g_signal_emit_by_name (dd_test_template_child (window, DD_TYPE_WINDOW, "call_flows_row"),
                             "activate");
      view = dd_test_find_descendant (dd_test_template_child (window, DD_TYPE_WINDOW,
                                                              "call_flows_page"),
                                      DD_TYPE_IVR_FLOWS_VIEW);
      g_assert_nonnull (view);
      editor = dd_ivr_flows_view_get_editor (DD_IVR_FLOWS_VIEW (view));
      dd_test_wait_until_mapped (GTK_WIDGET (dd_ivr_editor_get_canvas (editor)));
      dd_test_iterate_for (600);
      /* the window is no wider than asked (its frame takes a few pixels) */
      g_assert_cmpint (gtk_widget_get_width (win), <=, sizes[i].width);
      g_assert_cmpint (gtk_widget_get_width (win), >=, sizes[i].width - 20);

      /* nothing to scroll sideways */
      scroller = gtk_widget_get_ancestor (view, GTK_TYPE_SCROLLED_WINDOW);
      if (scroller != NULL)
        {
          hadjustment = gtk_scrolled_window_get_hadjustment (GTK_SCROLLED_WINDOW (scroller));
          g_test_message ("section: %.0f wide in a view of %.0f",
                          gtk_adjustment_get_upper (hadjustment),
                          gtk_adjustment_get_page_size (hadjustment));
          g_assert_cmpfloat (gtk_adjustment_get_upper (hadjustment), <=,
                             gtk_adjustment_get_page_size (hadjustment) + 0.5);
        }
      assert_inside (GTK_WIDGET (dd_ivr_editor_get_canvas (editor)), win, "the canvas");
      assert_inside (dd_test_template_child (editor, DD_TYPE_IVR_EDITOR, "save_button"), win,
                     "Save");
      inspector_button = dd_test_template_child (editor, DD_TYPE_IVR_EDITOR, "inspector_button");
      assert_inside (inspector_button, win, "the inspector's toggle");
      assert_inside (dd_test_template_child (editor, DD_TYPE_IVR_EDITOR, "palette_button"), win,
                     "the palette's toggle");

      /* Fit shows the whole payment reminder */
      assert_flow_fits (editor);
      shot = g_strdup_printf ("section-%d", sizes[i].width);
      dd_test_save_screenshot (SCREENSHOT_PREFIX, shot);

      /* the inspector comes out inside the window; the canvas stays in it */
      gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (inspector_button), TRUE);
      dd_test_iterate_for (600);
      assert_inside (dd_test_template_child (editor, DD_TYPE_IVR_EDITOR, "side_scroll"), win,
                     "the inspector");
      assert_inside (GTK_WIDGET (dd_ivr_editor_get_canvas (editor)), win, "the canvas");
      assert_flow_fits (editor);
      g_free (shot);
      shot = g_strdup_printf ("section-%d-inspector", sizes[i].width);
      dd_test_save_screenshot (SCREENSHOT_PREFIX, shot);

      /* the "+" the empty list points to (back to the list when the editor is alone) */
      if (!gtk_widget_get_mapped (dd_test_template_child (view, DD_TYPE_IVR_FLOWS_VIEW,
                                                          "new_button")))
        {
          GtkWidget *back = dd_test_template_child (view, DD_TYPE_IVR_FLOWS_VIEW, "back_button");

          assert_inside (back, win, "the way back to the list");
          g_signal_emit_by_name (back, "clicked");
          dd_test_iterate_for (600);
        }
      assert_inside (dd_test_template_child (view, DD_TYPE_IVR_FLOWS_VIEW, "new_button"), win,
                     "the + button");
      g_assert_cmpstr (gtk_stack_get_visible_child_name (
                         GTK_STACK (dd_test_template_child (view, DD_TYPE_IVR_FLOWS_VIEW,
                                                            "list_stack"))),
                       ==, "empty");
      assert_inside (dd_test_template_child (view, DD_TYPE_IVR_FLOWS_VIEW, "list_stack"), win,
                     "the empty list");
      g_free (shot);
      shot = g_strdup_printf ("section-%d-list", sizes[i].width);
      dd_test_save_screenshot (SCREENSHOT_PREFIX, shot);

      dd_test_destroy_window (GTK_WINDOW (window));
    }
}

/* Issue 12, item 11: a flow's language is a property of the flow in the editor: new flows
 * speak the office's, the inspector changes it, it is saved and loaded; an old flow without
 * one gets the office's. */
static void
test_flow_language (void)
{
  g_autoptr(DdTestOffice) office = dd_test_office_new_with_context ("ivr-editor", FALSE);
  g_autoptr(GError) error = NULL;
  g_autoptr(GSettingsBackend) backend = g_memory_settings_backend_new ();
  g_autoptr(GSettings) settings = g_settings_new_with_backend (APPLICATION_ID, backend);
  g_autoptr(DdContext) context = NULL;
  g_autoptr(DdIvrFlowStore) store = dd_ivr_flow_store_new (office->database);
  DdIvrEditor *editor, *again;
  GtkWindow *window, *window2;
  GtkWidget *row;

  /* a Polish office: the templates come in Polish */
  g_settings_set_string (settings, "default-country", "PL");
  context = dd_context_new (office->database, settings);
  window = show_editor (context, "IVR language test", &editor);
  g_assert_true (dd_ivr_editor_new_from_template (editor, "payment-reminder", &error));
  g_assert_no_error (error);
  g_assert_cmpstr (dd_ivr_flow_get_language (dd_ivr_editor_get_flow (editor)), ==, "pl");
  g_assert_cmpstr (dd_ivr_flow_get_name (dd_ivr_editor_get_flow (editor)), ==,
                   "Przypomnienie o płatności");
  g_assert_cmpstr (dd_ivr_node_get_string (get_node (editor, "details"), "text", NULL), ==,
                   "Faktura numer {invoice} na kwotę {amount}, termin płatności {due_date}.");

  /* with no step selected the inspector shows the flow's language; English, then save */
  dd_ivr_canvas_select (dd_ivr_editor_get_canvas (editor), NULL);
  row = _dd_ivr_editor_get_param_widget (editor, "language");
  g_assert_true (ADW_IS_COMBO_ROW (row));
  g_assert_cmpuint (adw_combo_row_get_selected (ADW_COMBO_ROW (row)), ==, 0);
  adw_combo_row_set_selected (ADW_COMBO_ROW (row), 2);
  g_assert_cmpstr (dd_ivr_flow_get_language (dd_ivr_editor_get_flow (editor)), ==, "en");
  g_assert_true (dd_ivr_editor_save (editor, NULL, &error));
  g_assert_no_error (error);
  dd_test_save_screenshot (SCREENSHOT_PREFIX, "flow-language");

  window2 = show_editor (context, "IVR language test 2", &again);
  g_assert_true (dd_ivr_editor_load (again, "Przypomnienie o płatności", 0, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (dd_ivr_flow_get_language (dd_ivr_editor_get_flow (again)), ==, "en");
  dd_ivr_canvas_select (dd_ivr_editor_get_canvas (again), NULL);
  row = _dd_ivr_editor_get_param_widget (again, "language");
  g_assert_cmpuint (adw_combo_row_get_selected (ADW_COMBO_ROW (row)), ==, 2);

  /* a flow stored before flows had a language speaks the office's */
  g_assert_true (dd_ivr_flow_store_save (store, "Old", "{\"format\": 1, \"nodes\": []}", NULL,
                                         NULL, &error));
  g_assert_no_error (error);
  g_assert_true (dd_ivr_editor_load (again, "Old", 0, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (dd_ivr_flow_get_language (dd_ivr_editor_get_flow (again)), ==, "pl");

  dd_test_destroy_window (window2);
  dd_test_destroy_window (window);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add_func ("/dd/ui/ivr-editor/edit-save-reload", test_edit_save_reload);
  g_test_add_func ("/dd/ui/ivr-editor/keyboard", test_keyboard);
  g_test_add_func ("/dd/ui/ivr-editor/templates", test_templates);
  g_test_add_func ("/dd/ui/ivr-editor/flows-view", test_flows_view);
  g_test_add_func ("/dd/ui/ivr-editor/real-drag", test_real_drag);
  g_test_add_func ("/dd/ui/ivr-editor/narrow-window", test_narrow_window);
  g_test_add_func ("/dd/ui/ivr-editor/flow-language", test_flow_language);

  return g_test_run ();
}
