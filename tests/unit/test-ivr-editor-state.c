/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "dd-ivr-editor-state.h"

#include <math.h>

static char *
flow_json (DdIvrEditorState *state)
{
  return dd_ivr_flow_to_data (dd_ivr_editor_state_get_flow (state), NULL);
}

static DdIvrEditorState *
empty_state (void)
{
  g_autoptr(DdIvrFlow) flow = dd_ivr_flow_new ("Test");

  g_assert_cmpuint (dd_ivr_flow_get_n_nodes (flow), ==, 0);
  return dd_ivr_editor_state_new (flow);
}

static const DdIvrNode *
node (DdIvrEditorState *state,
      const char       *id)
{
  return dd_ivr_flow_get_node (dd_ivr_editor_state_get_flow (state), id);
}

/* Every command undoes to exactly the flow before it and redoes to exactly the flow after. */
static void
test_undo_redo (void)
{
  g_autoptr(DdIvrEditorState) state = empty_state ();
  g_autoptr(GPtrArray) snapshots = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  g_autofree char *play = NULL;
  g_autofree char *menu = NULL;
  g_autofree char *bye = NULL;
  DdIvrFlow *flow = dd_ivr_editor_state_get_flow (state);

  g_assert_false (dd_ivr_editor_state_can_undo (state));
  g_assert_false (dd_ivr_editor_state_undo (state));
  g_assert_false (dd_ivr_editor_state_is_modified (state));
  g_ptr_array_add (snapshots, flow_json (state));

  play = g_strdup (dd_ivr_editor_state_add_node (state, DD_IVR_NODE_PLAY, 40, 60, &error));
  g_assert_no_error (error);
  g_assert_nonnull (play);
  g_assert_cmpstr (dd_ivr_editor_state_get_selected (state), ==, play);
  /* the first node of an empty flow becomes the start */
  g_assert_cmpstr (dd_ivr_flow_get_start (flow), ==, play);
  g_assert_true (dd_ivr_editor_state_is_modified (state));
  g_ptr_array_add (snapshots, flow_json (state));

  menu = g_strdup (dd_ivr_editor_state_add_node (state, DD_IVR_NODE_MENU, 40, 240, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (dd_ivr_flow_get_start (flow), ==, play);
  g_ptr_array_add (snapshots, flow_json (state));

  bye = g_strdup (dd_ivr_editor_state_add_node (state, DD_IVR_NODE_HANG_UP, 300, 400, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (play, !=, menu);
  g_assert_cmpstr (menu, !=, bye);
  g_ptr_array_add (snapshots, flow_json (state));

  g_assert_true (dd_ivr_editor_state_connect (state, play, "done", menu, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (dd_ivr_node_get_exit (node (state, play), "done"), ==, menu);
  g_ptr_array_add (snapshots, flow_json (state));

  g_assert_true (dd_ivr_editor_state_connect (state, menu, "1", bye, &error));
  g_ptr_array_add (snapshots, flow_json (state));
  g_assert_true (dd_ivr_editor_state_connect (state, menu, "timeout", menu, &error));
  g_ptr_array_add (snapshots, flow_json (state));
  /* reconnecting an exit elsewhere is one command */
  g_assert_true (dd_ivr_editor_state_connect (state, menu, "timeout", bye, &error));
  g_ptr_array_add (snapshots, flow_json (state));
  g_assert_true (dd_ivr_editor_state_disconnect (state, menu, "1", &error));
  g_assert_null (dd_ivr_node_get_exit (node (state, menu), "1"));
  g_ptr_array_add (snapshots, flow_json (state));

  g_assert_true (dd_ivr_editor_state_move_node (state, bye, 320, 420, &error));
  g_assert_cmpfloat (node (state, bye)->x, ==, 320);
  g_ptr_array_add (snapshots, flow_json (state));

  g_assert_true (dd_ivr_editor_state_set_param_string (state, play, "text", "Hello {name}.",
                                                       &error));
  g_assert_cmpstr (dd_ivr_node_get_string (node (state, play), "text", NULL), ==, "Hello {name}.");
  g_ptr_array_add (snapshots, flow_json (state));
  g_assert_true (dd_ivr_editor_state_set_param_int (state, menu, "timeout_ms", 8000, &error));
  g_assert_cmpint (dd_ivr_node_get_int (node (state, menu), "timeout_ms", 0), ==, 8000);
  g_ptr_array_add (snapshots, flow_json (state));

  g_assert_true (dd_ivr_editor_state_set_start (state, menu, &error));
  g_assert_cmpstr (dd_ivr_flow_get_start (flow), ==, menu);
  g_ptr_array_add (snapshots, flow_json (state));

  /* deleting the menu takes the edges that led to it, and undo brings them back */
  g_assert_true (dd_ivr_editor_state_delete_node (state, menu, &error));
  g_assert_no_error (error);
  g_assert_null (node (state, menu));
  g_assert_null (dd_ivr_node_get_exit (node (state, play), "done"));
  g_ptr_array_add (snapshots, flow_json (state));

  for (guint i = snapshots->len - 1; i > 0; i--)
    {
      g_autofree char *json = NULL;

      g_assert_true (dd_ivr_editor_state_undo (state));
      json = flow_json (state);
      g_assert_cmpstr (json, ==, g_ptr_array_index (snapshots, i - 1));
    }
  g_assert_false (dd_ivr_editor_state_can_undo (state));
  g_assert_false (dd_ivr_editor_state_is_modified (state));
  g_assert_null (dd_ivr_editor_state_get_selected (state));

  for (guint i = 1; i < snapshots->len; i++)
    {
      g_autofree char *json = NULL;

      g_assert_true (dd_ivr_editor_state_redo (state));
      json = flow_json (state);
      g_assert_cmpstr (json, ==, g_ptr_array_index (snapshots, i));
    }
  g_assert_false (dd_ivr_editor_state_can_redo (state));
  g_assert_false (dd_ivr_editor_state_redo (state));

  /* a new command after an undo drops what could be redone */
  g_assert_true (dd_ivr_editor_state_undo (state));
  g_assert_true (dd_ivr_editor_state_can_redo (state));
  g_assert_true (dd_ivr_editor_state_move_node (state, play, 0, 0, &error));
  g_assert_false (dd_ivr_editor_state_can_redo (state));

  /* errors leave no command behind */
  g_assert_false (dd_ivr_editor_state_delete_node (state, "nope", &error));
  g_assert_error (error, DD_IVR_FLOW_ERROR, DD_IVR_FLOW_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_false (dd_ivr_editor_state_connect (state, play, "9", bye, &error));
  g_assert_nonnull (error);
  g_clear_error (&error);
  {
    g_autofree char *before = flow_json (state);
    g_autofree char *after = NULL;

    g_assert_true (dd_ivr_editor_state_undo (state));
    after = flow_json (state);
    g_assert_cmpstr (before, !=, after);
    g_assert_cmpfloat (node (state, play)->x, ==, 40);
  }
}

static void
test_delete_start (void)
{
  g_autoptr(DdIvrEditorState) state = empty_state ();
  g_autoptr(GError) error = NULL;
  g_autofree char *a = NULL;
  g_autofree char *b = NULL;
  g_autofree char *c = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  DdIvrFlow *flow = dd_ivr_editor_state_get_flow (state);

  a = g_strdup (dd_ivr_editor_state_add_node (state, DD_IVR_NODE_PLAY, 0, 0, &error));
  b = g_strdup (dd_ivr_editor_state_add_node (state, DD_IVR_NODE_PLAY, 0, 200, &error));
  c = g_strdup (dd_ivr_editor_state_add_node (state, DD_IVR_NODE_PLAY, 300, 0, &error));
  g_assert_true (dd_ivr_editor_state_connect (state, a, "done", b, &error));
  g_assert_true (dd_ivr_editor_state_connect (state, c, "done", b, &error));
  g_assert_true (dd_ivr_editor_state_connect (state, b, "done", a, &error));
  g_assert_true (dd_ivr_editor_state_set_start (state, b, &error));
  g_assert_true (dd_ivr_editor_state_select (state, b));
  before = flow_json (state);

  g_assert_true (dd_ivr_editor_state_delete_node (state, b, &error));
  g_assert_null (dd_ivr_editor_state_get_selected (state));
  g_assert_null (dd_ivr_node_get_exit (node (state, a), "done"));
  g_assert_null (dd_ivr_node_get_exit (node (state, c), "done"));
  g_assert_cmpstr (dd_ivr_flow_get_start (flow), !=, b);

  g_assert_true (dd_ivr_editor_state_undo (state));
  after = flow_json (state);
  g_assert_cmpstr (after, ==, before);
  g_assert_cmpstr (dd_ivr_flow_get_start (flow), ==, b);
  g_assert_cmpstr (dd_ivr_node_get_exit (node (state, c), "done"), ==, b);
  g_assert_cmpstr (dd_ivr_editor_state_get_selected (state), ==, b);

  /* selecting what is not there fails and keeps the selection */
  g_assert_false (dd_ivr_editor_state_select (state, "ghost"));
  g_assert_cmpstr (dd_ivr_editor_state_get_selected (state), ==, b);
  g_assert_true (dd_ivr_editor_state_select (state, NULL));
  g_assert_null (dd_ivr_editor_state_get_selected (state));
}

/* Typing into a prompt is one command; another selection or a seal starts a new one. */
static void
test_param_merge (void)
{
  g_autoptr(DdIvrEditorState) state = empty_state ();
  g_autoptr(GError) error = NULL;
  g_autofree char *a = NULL;
  g_autofree char *b = NULL;

  a = g_strdup (dd_ivr_editor_state_add_node (state, DD_IVR_NODE_PLAY, 0, 0, &error));
  b = g_strdup (dd_ivr_editor_state_add_node (state, DD_IVR_NODE_SEND_SMS, 0, 200, &error));
  dd_ivr_editor_state_select (state, a);
  g_assert_true (dd_ivr_editor_state_set_param_string (state, a, "text", "H", &error));
  g_assert_true (dd_ivr_editor_state_set_param_string (state, a, "text", "He", &error));
  g_assert_true (dd_ivr_editor_state_set_param_string (state, a, "text", "Hey", &error));
  /* the same value again is no command at all */
  g_assert_true (dd_ivr_editor_state_set_param_string (state, a, "text", "Hey", &error));
  g_assert_true (dd_ivr_editor_state_undo (state));
  g_assert_null (dd_ivr_node_get_string (node (state, a), "text", NULL));
  g_assert_true (dd_ivr_editor_state_redo (state));
  g_assert_cmpstr (dd_ivr_node_get_string (node (state, a), "text", NULL), ==, "Hey");

  /* after a redo the next edit is a command of its own */
  g_assert_true (dd_ivr_editor_state_set_param_string (state, a, "text", "Hey!", &error));
  g_assert_true (dd_ivr_editor_state_undo (state));
  g_assert_cmpstr (dd_ivr_node_get_string (node (state, a), "text", NULL), ==, "Hey");

  /* another parameter, another command */
  g_assert_true (dd_ivr_editor_state_set_param_string (state, a, "text", "One", &error));
  g_assert_true (dd_ivr_editor_state_set_param_string (state, a, "file", "/tmp/x.wav", &error));
  g_assert_true (dd_ivr_editor_state_set_param_string (state, a, "text", "Two", &error));
  g_assert_true (dd_ivr_editor_state_undo (state));
  g_assert_cmpstr (dd_ivr_node_get_string (node (state, a), "text", NULL), ==, "One");
  g_assert_true (dd_ivr_editor_state_undo (state));
  g_assert_null (dd_ivr_node_get_string (node (state, a), "file", NULL));

  /* selecting another node seals */
  g_assert_true (dd_ivr_editor_state_set_param_string (state, b, "text", "Pay", &error));
  dd_ivr_editor_state_select (state, a);
  dd_ivr_editor_state_select (state, b);
  g_assert_true (dd_ivr_editor_state_set_param_string (state, b, "text", "Pay now", &error));
  g_assert_true (dd_ivr_editor_state_undo (state));
  g_assert_cmpstr (dd_ivr_node_get_string (node (state, b), "text", NULL), ==, "Pay");

  /* removing a parameter */
  g_assert_true (dd_ivr_editor_state_set_param (state, b, "text", NULL, &error));
  g_assert_null (dd_ivr_node_get_string (node (state, b), "text", NULL));
  g_assert_true (dd_ivr_editor_state_undo (state));
  g_assert_cmpstr (dd_ivr_node_get_string (node (state, b), "text", NULL), ==, "Pay");
}

static void
test_modified (void)
{
  g_autoptr(DdIvrEditorState) state = empty_state ();
  g_autoptr(GError) error = NULL;
  g_autoptr(DdIvrFlow) other = dd_ivr_flow_new ("Other");
  g_autofree char *a = NULL;

  a = g_strdup (dd_ivr_editor_state_add_node (state, DD_IVR_NODE_PLAY, 0, 0, &error));
  g_assert_true (dd_ivr_editor_state_set_param_string (state, a, "text", "x", &error));
  dd_ivr_editor_state_mark_saved (state);
  g_assert_false (dd_ivr_editor_state_is_modified (state));
  /* typing on after a save is a change, not part of the saved command */
  g_assert_true (dd_ivr_editor_state_set_param_string (state, a, "text", "xy", &error));
  g_assert_true (dd_ivr_editor_state_is_modified (state));
  g_assert_true (dd_ivr_editor_state_undo (state));
  g_assert_false (dd_ivr_editor_state_is_modified (state));
  g_assert_cmpstr (dd_ivr_node_get_string (node (state, a), "text", NULL), ==, "x");
  g_assert_true (dd_ivr_editor_state_undo (state));
  g_assert_true (dd_ivr_editor_state_is_modified (state));
  g_assert_true (dd_ivr_editor_state_redo (state));
  g_assert_false (dd_ivr_editor_state_is_modified (state));

  /* another flow: no history, not modified, nothing selected */
  g_assert_no_error (error);
  dd_ivr_editor_state_set_flow (state, other);
  g_assert_true (dd_ivr_editor_state_get_flow (state) == other);
  g_assert_false (dd_ivr_editor_state_can_undo (state));
  g_assert_false (dd_ivr_editor_state_can_redo (state));
  g_assert_false (dd_ivr_editor_state_is_modified (state));
  g_assert_null (dd_ivr_editor_state_get_selected (state));
}

static void
test_drag (void)
{
  g_autoptr(DdIvrEditorState) state = empty_state ();
  g_autoptr(GError) error = NULL;
  g_autofree char *a = NULL;

  a = g_strdup (dd_ivr_editor_state_add_node (state, DD_IVR_NODE_PLAY, 10, 10, &error));
  g_assert_false (dd_ivr_editor_state_begin_drag (state, "ghost"));
  g_assert_true (dd_ivr_editor_state_begin_drag (state, a));
  for (int i = 1; i <= 10; i++)
    dd_ivr_editor_state_drag_to (state, 10 + i * 5, 10 + i * 3);
  g_assert_cmpfloat (node (state, a)->x, ==, 60);
  dd_ivr_editor_state_end_drag (state);
  g_assert_true (dd_ivr_editor_state_undo (state));
  g_assert_cmpfloat (node (state, a)->x, ==, 10);
  g_assert_cmpfloat (node (state, a)->y, ==, 10);
  /* the undo before it was the add */
  g_assert_true (dd_ivr_editor_state_redo (state));
  g_assert_cmpfloat (node (state, a)->y, ==, 40);
  g_assert_true (dd_ivr_editor_state_undo (state));
  g_assert_true (dd_ivr_editor_state_undo (state));
  g_assert_null (node (state, a));

  /* a drag that ends where it began records nothing */
  g_assert_true (dd_ivr_editor_state_redo (state));
  g_assert_true (dd_ivr_editor_state_begin_drag (state, a));
  dd_ivr_editor_state_drag_to (state, 99, 99);
  dd_ivr_editor_state_drag_to (state, 10, 10);
  dd_ivr_editor_state_end_drag (state);
  g_assert_true (dd_ivr_editor_state_undo (state));
  g_assert_null (node (state, a));
}

static void
test_view (void)
{
  g_autoptr(DdIvrEditorState) state = empty_state ();
  g_autoptr(GError) error = NULL;
  DdIvrPoint m, v;
  double pan_x, pan_y;

  g_assert_cmpfloat (dd_ivr_editor_state_get_zoom (state), ==, 1.0);
  dd_ivr_editor_state_set_pan (state, 100, 50);
  m = dd_ivr_editor_state_to_model (state, 150, 80);
  g_assert_cmpfloat (m.x, ==, 50);
  g_assert_cmpfloat (m.y, ==, 30);

  /* zooming keeps the point under the pointer where it is */
  dd_ivr_editor_state_zoom_at (state, 2.0, 150, 80);
  g_assert_cmpfloat (dd_ivr_editor_state_get_zoom (state), ==, 2.0);
  v = dd_ivr_editor_state_to_view (state, 50, 30);
  g_assert_cmpfloat_with_epsilon (v.x, 150, 1e-9);
  g_assert_cmpfloat_with_epsilon (v.y, 80, 1e-9);
  m = dd_ivr_editor_state_to_model (state, 350, 280);
  g_assert_cmpfloat_with_epsilon (m.x, 150, 1e-9);
  g_assert_cmpfloat_with_epsilon (m.y, 130, 1e-9);

  dd_ivr_editor_state_zoom_at (state, 100, 0, 0);
  g_assert_cmpfloat (dd_ivr_editor_state_get_zoom (state), ==, DD_IVR_ZOOM_MAX);
  dd_ivr_editor_state_zoom_at (state, 0.01, 0, 0);
  g_assert_cmpfloat (dd_ivr_editor_state_get_zoom (state), ==, DD_IVR_ZOOM_MIN);

  dd_ivr_editor_state_pan_by (state, 10, -10);
  dd_ivr_editor_state_get_pan (state, &pan_x, &pan_y);
  m = dd_ivr_editor_state_to_model (state, pan_x, pan_y);
  g_assert_cmpfloat_with_epsilon (m.x, 0, 1e-9);
  g_assert_cmpfloat_with_epsilon (m.y, 0, 1e-9);

  /* centring and fitting */
  {
    g_autofree char *a = g_strdup (dd_ivr_editor_state_add_node (state, DD_IVR_NODE_PLAY,
                                                                 1000, 2000, &error));
    g_autofree char *b = g_strdup (dd_ivr_editor_state_add_node (state, DD_IVR_NODE_PLAY,
                                                                 1400, 2300, &error));
    DdIvrRect bounds;

    g_assert_true (dd_ivr_editor_state_center_on (state, a, 800, 600));
    v = dd_ivr_editor_state_to_view (state, 1000 + DD_IVR_CARD_WIDTH / 2,
                                     2000 + DD_IVR_CARD_HEIGHT / 2);
    g_assert_cmpfloat_with_epsilon (v.x, 400, 1e-9);
    g_assert_cmpfloat_with_epsilon (v.y, 300, 1e-9);
    g_assert_false (dd_ivr_editor_state_center_on (state, "ghost", 800, 600));

    g_assert_true (dd_ivr_editor_state_get_bounds (state, &bounds));
    g_assert_cmpfloat (bounds.x, ==, 1000);
    g_assert_cmpfloat (bounds.width, ==, 400 + DD_IVR_CARD_WIDTH);
    g_assert_cmpfloat (bounds.height, ==, 300 + DD_IVR_CARD_HEIGHT);
    dd_ivr_editor_state_fit (state, 800, 600);
    g_assert_cmpfloat (dd_ivr_editor_state_get_zoom (state), <=, 1.0);
    v = dd_ivr_editor_state_to_view (state, bounds.x, bounds.y);
    g_assert_cmpfloat (v.x, >=, 0);
    g_assert_cmpfloat (v.y, >=, 0);
    v = dd_ivr_editor_state_to_view (state, bounds.x + bounds.width, bounds.y + bounds.height);
    g_assert_cmpfloat (v.x, <=, 800);
    g_assert_cmpfloat (v.y, <=, 600);
  }
}

static void
test_geometry (void)
{
  g_autoptr(DdIvrEditorState) state = empty_state ();
  g_autoptr(GError) error = NULL;
  g_autofree char *play = NULL;
  g_autofree char *menu = NULL;
  g_autofree char *bye = NULL;
  g_autofree char *right = NULL;
  const DdIvrNode *menu_node;
  DdIvrPoint port, input, prev = { -1, -1 };
  DdIvrHit hit;
  DdIvrCurve curve;
  guint n_menu_exits;

  play = g_strdup (dd_ivr_editor_state_add_node (state, DD_IVR_NODE_PLAY, 0, 0, &error));
  menu = g_strdup (dd_ivr_editor_state_add_node (state, DD_IVR_NODE_MENU, 0, 200, &error));
  bye = g_strdup (dd_ivr_editor_state_add_node (state, DD_IVR_NODE_HANG_UP, 0, 400, &error));
  right = g_strdup (dd_ivr_editor_state_add_node (state, DD_IVR_NODE_PLAY, 400, 220, &error));
  menu_node = node (state, menu);

  /* ports: one per exit of the type, spread along the bottom edge, left to right */
  g_assert_cmpuint (dd_ivr_node_n_ports (node (state, play)), ==, 1);
  g_assert_cmpuint (dd_ivr_node_n_ports (node (state, bye)), ==, 0);
  n_menu_exits = g_strv_length ((char **) dd_ivr_node_type_get_exits (DD_IVR_NODE_MENU));
  g_assert_cmpuint (dd_ivr_node_n_ports (menu_node), ==, n_menu_exits);
  g_assert_true (dd_ivr_node_port (node (state, play), "done", &port));
  g_assert_cmpfloat (port.x, ==, DD_IVR_CARD_WIDTH / 2);
  g_assert_cmpfloat (port.y, ==, DD_IVR_CARD_HEIGHT);
  g_assert_false (dd_ivr_node_port (node (state, play), "1", NULL));
  for (guint i = 0; i < n_menu_exits; i++)
    {
      DdIvrPoint p = dd_ivr_node_port_at (menu_node, i);

      g_assert_cmpfloat (p.x, >, MAX (prev.x, 0));
      g_assert_cmpfloat (p.x, <, DD_IVR_CARD_WIDTH);
      g_assert_cmpfloat (p.y, ==, 200 + DD_IVR_CARD_HEIGHT);
      prev = p;
    }
  input = dd_ivr_node_input (menu_node);
  g_assert_cmpfloat (input.x, ==, DD_IVR_CARD_WIDTH / 2);
  g_assert_cmpfloat (input.y, ==, 200);

  /* hit testing: a port, a card, nothing */
  g_assert_true (dd_ivr_node_port (menu_node, "timeout", &port));
  hit = dd_ivr_editor_state_hit_test (state, port.x + 2, port.y + 3);
  g_assert_cmpint (hit.kind, ==, DD_IVR_HIT_PORT);
  g_assert_cmpstr (hit.node_id, ==, menu);
  g_assert_cmpstr (hit.outcome, ==, "timeout");
  hit = dd_ivr_editor_state_hit_test (state, 10, 210);
  g_assert_cmpint (hit.kind, ==, DD_IVR_HIT_NODE);
  g_assert_cmpstr (hit.node_id, ==, menu);
  hit = dd_ivr_editor_state_hit_test (state, 300, 150);
  g_assert_cmpint (hit.kind, ==, DD_IVR_HIT_NONE);
  g_assert_null (hit.node_id);

  /* a connection dropped near a card lands on it */
  g_assert_cmpstr (dd_ivr_editor_state_nearest_node (state, 50, 420, 0, NULL), ==, bye);
  g_assert_cmpstr (dd_ivr_editor_state_nearest_node (state, 50, 400 + DD_IVR_CARD_HEIGHT + 10,
                                                     24, NULL), ==, bye);
  g_assert_null (dd_ivr_editor_state_nearest_node (state, 50, 400 + DD_IVR_CARD_HEIGHT + 30,
                                                   24, NULL));
  g_assert_null (dd_ivr_editor_state_nearest_node (state, 50, 420, 24, bye));

  /* keyboard neighbours */
  g_assert_cmpstr (dd_ivr_editor_state_neighbour (state, play, DD_IVR_DIRECTION_DOWN), ==, menu);
  g_assert_cmpstr (dd_ivr_editor_state_neighbour (state, menu, DD_IVR_DIRECTION_DOWN), ==, bye);
  g_assert_cmpstr (dd_ivr_editor_state_neighbour (state, menu, DD_IVR_DIRECTION_UP), ==, play);
  g_assert_cmpstr (dd_ivr_editor_state_neighbour (state, menu, DD_IVR_DIRECTION_RIGHT), ==, right);
  g_assert_cmpstr (dd_ivr_editor_state_neighbour (state, right, DD_IVR_DIRECTION_LEFT), ==, menu);
  g_assert_null (dd_ivr_editor_state_neighbour (state, menu, DD_IVR_DIRECTION_LEFT));
  g_assert_null (dd_ivr_editor_state_neighbour (state, play, DD_IVR_DIRECTION_UP));

  /* tab order */
  g_assert_cmpstr (dd_ivr_editor_state_next_node (state, NULL, FALSE), ==, play);
  g_assert_cmpstr (dd_ivr_editor_state_next_node (state, play, FALSE), ==, menu);
  g_assert_cmpstr (dd_ivr_editor_state_next_node (state, right, FALSE), ==, NULL);
  g_assert_cmpstr (dd_ivr_editor_state_next_node (state, NULL, TRUE), ==, right);
  g_assert_cmpstr (dd_ivr_editor_state_next_node (state, menu, TRUE), ==, play);
  g_assert_null (dd_ivr_editor_state_next_node (state, play, TRUE));

  /* edges: a curve leaving the port downwards and entering the target from above */
  g_assert_true (dd_ivr_node_port (node (state, play), "done", &port));
  input = dd_ivr_node_input (node (state, right));
  curve = dd_ivr_edge_curve (port, input);
  g_assert_cmpfloat (curve.p0.x, ==, port.x);
  g_assert_cmpfloat (curve.p3.y, ==, input.y);
  g_assert_cmpfloat (curve.p1.x, ==, port.x);
  g_assert_cmpfloat (curve.p1.y, >, port.y);
  g_assert_cmpfloat (curve.p2.x, ==, input.x);
  g_assert_cmpfloat (curve.p2.y, <, input.y);
  {
    DdIvrPoint start = dd_ivr_curve_point (&curve, 0);
    DdIvrPoint end = dd_ivr_curve_point (&curve, 1);
    DdIvrPoint mid = dd_ivr_curve_point (&curve, 0.5);

    g_assert_cmpfloat_with_epsilon (start.x, port.x, 1e-9);
    g_assert_cmpfloat_with_epsilon (end.y, input.y, 1e-9);
    g_assert_cmpfloat_with_epsilon (mid.x, (port.x + input.x) / 2, 1e-9);
  }
  /* back up to a node above: the curve bends out below the port and above the target */
  input = dd_ivr_node_input (node (state, play));
  g_assert_true (dd_ivr_node_port (node (state, bye == NULL ? play : menu), "1", &port));
  curve = dd_ivr_edge_curve (port, input);
  g_assert_cmpfloat (curve.p1.y, >, port.y);
  g_assert_cmpfloat (curve.p2.y, <, input.y);
}

/* Issue 12, item 10: Fit shows every card of a flow as wide as the payment reminder (seven
 * steps in a row) even in the canvas of a 1024-pixel window. */
static void
test_fit_wide_flow (void)
{
  g_autoptr(DdIvrEditorState) state = empty_state ();
  g_autoptr(GError) error = NULL;
  const double sizes[][2] = { { 592, 596 }, { 400, 300 }, { 1600, 900 } };

  for (guint i = 0; i < 7; i++)
    g_assert_nonnull (dd_ivr_editor_state_add_node (state, DD_IVR_NODE_PLAY, 40 + 240.0 * i,
                                                    i % 2 == 0 ? 200 : 40, &error));
  g_assert_no_error (error);

  for (guint s = 0; s < G_N_ELEMENTS (sizes); s++)
    {
      double width = sizes[s][0], height = sizes[s][1];
      DdIvrRect bounds;
      DdIvrPoint a, b;

      dd_ivr_editor_state_fit (state, width, height);
      g_assert_true (dd_ivr_editor_state_get_bounds (state, &bounds));
      a = dd_ivr_editor_state_to_view (state, bounds.x, bounds.y);
      b = dd_ivr_editor_state_to_view (state, bounds.x + bounds.width, bounds.y + bounds.height);
      g_test_message ("%.0f×%.0f: zoom %.2f, cards from %.0f,%.0f to %.0f,%.0f", width, height,
                      dd_ivr_editor_state_get_zoom (state), a.x, a.y, b.x, b.y);
      g_assert_cmpfloat (a.x, >=, 0);
      g_assert_cmpfloat (a.y, >=, 0);
      g_assert_cmpfloat (b.x, <=, width);
      g_assert_cmpfloat (b.y, <=, height);
      /* never bigger than life */
      g_assert_cmpfloat (dd_ivr_editor_state_get_zoom (state), <=, 1.0);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/dd/ivr-editor-state/undo-redo", test_undo_redo);
  g_test_add_func ("/dd/ivr-editor-state/delete-start", test_delete_start);
  g_test_add_func ("/dd/ivr-editor-state/param-merge", test_param_merge);
  g_test_add_func ("/dd/ivr-editor-state/modified", test_modified);
  g_test_add_func ("/dd/ivr-editor-state/drag", test_drag);
  g_test_add_func ("/dd/ivr-editor-state/view", test_view);
  g_test_add_func ("/dd/ivr-editor-state/geometry", test_geometry);
  g_test_add_func ("/dd/ivr-editor-state/fit-wide-flow", test_fit_wide_flow);

  return g_test_run ();
}
