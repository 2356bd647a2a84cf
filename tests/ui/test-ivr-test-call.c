/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-ivr-test-call"

#include "config.h"

#include <adwaita.h>
#include <string.h>

#include "dd-test-ui.h"
#include "dd-context.h"
#include "dd-database.h"
#include "dd-ivr-test-call.h"

#define SCREENSHOT_PREFIX "test-ivr-test-call"

static void
on_node_entered (DdIvrTestCall *call,
                 const char    *node_id,
                 GString       *path)
{
  g_string_append_printf (path, "%s ", node_id);
}

static void
test_call (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DdTestOffice) office = dd_test_office_new_with_context ("ivr-call", FALSE);
  g_autoptr(GString) nodes = g_string_new (NULL);
  DdDatabase *database = office->database;
  DdContext *context = office->context;
  DdIvrFlow *flow;
  DdIvrTestCall *call;
  GtkWidget *widget;
  DdIvrSimulator *simulator;
  GPtrArray *transcript;
  gint64 deadline;
  gboolean said_name = FALSE;

  g_assert_no_error (error);
  g_assert_true (dd_database_exec (database,
    "INSERT INTO creditor (id, name, created_at) VALUES (1, 'Wodociągi Miejskie', 'x');"
    "INSERT INTO debtor (id, dedup_key, name, language, created_at, updated_at)"
    " VALUES (1, 'k1', 'Anna Nowak', 'en', 'x', 'x');"
    "INSERT INTO debt_case (id, debtor_id, creditor_id, balance_minor, currency, debtor_name,"
    " created_at, updated_at) VALUES (1, 1, 1, 45000, 'PLN', 'Anna Nowak', 'x', 'x');"
    "INSERT INTO liability (case_id, invoice_no, due_on, amount_minor, currency, created_at,"
    " updated_at) VALUES (1, 'FV/7/2026', '2026-10-15', 45000, 'PLN', 'x', 'x');",
    &error));
  g_assert_no_error (error);
  flow = dd_ivr_flow_new_from_template ("payment-reminder", &error);
  g_assert_no_error (error);

  call = dd_ivr_test_call_new (NULL, context, flow);
  widget = GTK_WIDGET (call);
  g_object_add_weak_pointer (G_OBJECT (call), (gpointer *) &widget);
  g_signal_connect (call, "node-entered", G_CALLBACK (on_node_entered), nodes);
  gtk_window_present (GTK_WINDOW (call));
  dd_ivr_test_call_set_speak (call, FALSE);   /* timed prompts: the speaker has its own test */

  dd_ivr_test_call_start (call);
  simulator = dd_ivr_test_call_get_simulator (call);
  g_assert_nonnull (simulator);
  dd_ivr_simulator_set_speech_rate (simulator, 1);
  deadline = g_get_monotonic_time () + 20 * G_TIME_SPAN_SECOND;
  while (g_strcmp0 (dd_ivr_simulator_get_current_node (simulator), "menu") != 0 &&
         g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpstr (dd_ivr_simulator_get_current_node (simulator), ==, "menu");
  g_assert_true (g_str_has_prefix (nodes->str, "greeting details menu"));

  /* the debtor's own data is spoken */
  transcript = dd_ivr_test_call_get_transcript (call);
  for (guint i = 0; i < transcript->len; i++)
    said_name = said_name || strstr (g_ptr_array_index (transcript, i), "Anna Nowak") != NULL;
  g_assert_true (said_name);
  dd_test_save_screenshot (SCREENSHOT_PREFIX, "menu");

  /* a key of the keyboard works like the keypad: 2 = consultant */
  {
    GdkDisplay *display = gtk_widget_get_display (widget);

    g_assert_nonnull (display);
  }
  dd_ivr_simulator_press (simulator, '2');
  g_assert_true (dd_ivr_simulator_is_transferring (simulator));
  dd_ivr_simulator_transfer_result (simulator, FALSE);
  deadline = g_get_monotonic_time () + 20 * G_TIME_SPAN_SECOND;
  while (dd_ivr_simulator_is_running (simulator) && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (dd_ivr_simulator_is_running (simulator));
  g_assert_nonnull (strstr (nodes->str, "consultant busy hang-up"));
  dd_test_save_screenshot (SCREENSHOT_PREFIX, "ended");

  gtk_window_destroy (GTK_WINDOW (call));
  while (widget != NULL)
    g_main_context_iteration (NULL, FALSE);
  g_object_unref (flow);
}

/* Depth first, the first widget of @type after @after (all of them when %NULL). */
static GtkWidget *
find_after (GtkWidget *widget,
            GType      type,
            GtkWidget *after,
            gboolean  *passed)
{
  GtkWidget *found = NULL;

  if (widget == after)
    {
      *passed = TRUE;
      return NULL;
    }
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type) && *passed)
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL && found == NULL;
       child = gtk_widget_get_next_sibling (child))
    found = find_after (child, type, after, passed);
  return found;
}

static GtkWidget *
find_descendant (GtkWidget *widget,
                 GType      type,
                 GtkWidget *after)
{
  gboolean passed = after == NULL;

  return find_after (widget, type, after, &passed);
}

static GtkWidget *
keypad_button (GtkWidget  *window,
               const char *label)
{
  GtkWidget *grid = find_descendant (window, GTK_TYPE_GRID, NULL);

  g_assert_nonnull (grid);
  for (GtkWidget *child = gtk_widget_get_first_child (grid); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (GTK_IS_BUTTON (child) && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (child)), label) == 0)
      return child;
  g_assert_not_reached ();
}

static void
wait_for_node (DdIvrSimulator *simulator,
               const char     *node_id)
{
  gint64 deadline = g_get_monotonic_time () + 20 * G_TIME_SPAN_SECOND;

  while (g_strcmp0 (dd_ivr_simulator_get_current_node (simulator), node_id) != 0 &&
         g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpstr (dd_ivr_simulator_get_current_node (simulator), ==, node_id);
}

/* Issue 12, item 11: the keys pressed show in the transcript, which keeps its newest line in
 * view. */
static void
test_transcript (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DdTestOffice) office = dd_test_office_new_with_context ("ivr-call", FALSE);
  DdDatabase *database = office->database;
  DdContext *context = office->context;
  DdIvrFlow *flow;
  DdIvrTestCall *call;
  GtkWidget *widget, *scroller, *list, *last;
  GtkAdjustment *adjustment;
  DdIvrSimulator *simulator;
  GPtrArray *transcript;
  graphene_rect_t bounds;
  guint pressed = 0;

  g_assert_no_error (error);
  g_assert_true (dd_database_exec (database,
    "INSERT INTO creditor (id, name, created_at) VALUES (1, 'Wodociągi Miejskie', 'x');"
    "INSERT INTO debtor (id, dedup_key, name, language, created_at, updated_at)"
    " VALUES (1, 'k1', 'Anna Nowak', 'pl', 'x', 'x');"
    "INSERT INTO debt_case (id, debtor_id, creditor_id, balance_minor, currency, debtor_name,"
    " created_at, updated_at) VALUES (1, 1, 1, 45000, 'PLN', 'Anna Nowak', 'x', 'x');"
    "INSERT INTO liability (case_id, invoice_no, due_on, amount_minor, currency, created_at,"
    " updated_at) VALUES (1, 'FV/7/2026', '2026-10-15', 45000, 'PLN', 'x', 'x');",
    &error));
  g_assert_no_error (error);
  flow = dd_ivr_flow_new_from_template ("payment-reminder", &error);
  g_assert_no_error (error);

  call = dd_ivr_test_call_new (NULL, context, flow);
  widget = GTK_WIDGET (call);
  g_object_add_weak_pointer (G_OBJECT (call), (gpointer *) &widget);
  gtk_window_set_default_size (GTK_WINDOW (call), 480, 560);
  gtk_window_present (GTK_WINDOW (call));
  dd_ivr_test_call_set_speak (call, FALSE);
  dd_ivr_test_call_start (call);
  simulator = dd_ivr_test_call_get_simulator (call);
  dd_ivr_simulator_set_speech_rate (simulator, 1);
  wait_for_node (simulator, "menu");

  /* "1" (hear the details again) on the keypad, over and over: more lines than fit */
  for (guint round = 0; round < 8; round++)
    {
      /* once during the prompt (barge-in), once after it */
      g_signal_emit_by_name (keypad_button (widget, "1"), "clicked");
      pressed++;
      wait_for_node (simulator, "menu");
    }
  {
    gint64 end = g_get_monotonic_time () + 500 * G_TIME_SPAN_MILLISECOND;

    while (g_get_monotonic_time () < end)
      g_main_context_iteration (NULL, FALSE);
  }

  /* every key pressed is a line of the transcript, in the order of the call */
  transcript = dd_ivr_test_call_get_transcript (call);
  {
    guint keys = 0;

    for (guint i = 0; i < transcript->len; i++)
      {
        const char *line = g_ptr_array_index (transcript, i);

        g_test_message ("%s", line);
        if (g_strcmp0 (line, "You pressed 1") == 0)
          {
            keys++;
            /* the details follow the key */
            g_assert_cmpuint (i + 1, <, transcript->len);
            g_assert_true (g_str_has_prefix (g_ptr_array_index (transcript, i + 1), "Invoice"));
          }
      }
    g_assert_cmpuint (keys, ==, pressed);
  }

  /* the newest line is in view, at the bottom of the scrolled transcript */
  list = NULL;
  for (GtkWidget *l = find_descendant (widget, GTK_TYPE_LIST_BOX, NULL); l != NULL;
       l = find_descendant (widget, GTK_TYPE_LIST_BOX, l))
    if (gtk_list_box_get_row_at_index (GTK_LIST_BOX (l), (int) transcript->len - 1) != NULL)
      list = l;
  g_assert_nonnull (list);
  scroller = gtk_widget_get_ancestor (list, GTK_TYPE_SCROLLED_WINDOW);
  g_assert_nonnull (scroller);
  adjustment = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scroller));
  g_test_message ("scrolled to %.0f of %.0f, page %.0f", gtk_adjustment_get_value (adjustment),
                  gtk_adjustment_get_upper (adjustment), gtk_adjustment_get_page_size (adjustment));
  g_assert_cmpfloat (gtk_adjustment_get_upper (adjustment), >,
                     gtk_adjustment_get_page_size (adjustment));
  last = GTK_WIDGET (gtk_list_box_get_row_at_index (GTK_LIST_BOX (list),
                                                    (int) transcript->len - 1));
  g_assert_true (gtk_widget_compute_bounds (last, scroller, &bounds));
  g_test_message ("the newest line: %.0f to %.0f in %d", bounds.origin.y,
                  bounds.origin.y + bounds.size.height, gtk_widget_get_height (scroller));
  g_assert_cmpfloat (bounds.origin.y, >=, 0);
  g_assert_cmpfloat (bounds.origin.y + bounds.size.height, <=,
                     gtk_widget_get_height (scroller) + 0.5);
  /* and the keypad is still there to press */
  g_assert_true (gtk_widget_compute_bounds (keypad_button (widget, "#"), widget, &bounds));
  g_assert_cmpfloat (bounds.origin.y, >=, 0);
  g_assert_cmpfloat (bounds.origin.y + bounds.size.height, <=, gtk_widget_get_height (widget));
  dd_test_save_screenshot (SCREENSHOT_PREFIX, "transcript");

  dd_ivr_simulator_hang_up (simulator);
  gtk_window_destroy (GTK_WINDOW (call));
  while (widget != NULL)
    g_main_context_iteration (NULL, FALSE);
  g_object_unref (flow);
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add_func ("/dd/ui/ivr-test-call/call", test_call);
  g_test_add_func ("/dd/ui/ivr-test-call/transcript", test_transcript);

  return g_test_run ();
}
