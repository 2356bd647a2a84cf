/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-ladder-view"

#include "config.h"

#include <adwaita.h>
#include <stdlib.h>
#include <string.h>

#include "dd-test-ui.h"
#include "dd-context.h"
#include "dd-database.h"
#include "dd-ladder-view-private.h"
#include "dd-window.h"

/* Jan (two cases, due 2026-12-10), Anna (due 2026-12-04), Piotr (due 2026-11-27), Ewa (opted
 * out, due 2026-12-07), Olga (disputed, due 2026-12-01). */
static const char office_sql[] =
  "INSERT INTO creditor (id, name, created_at) VALUES (1, 'Alfa', 'x'), (2, 'Beta', 'x');"
  "INSERT INTO debtor (id, dedup_key, name, language, opt_out, created_at, updated_at) VALUES"
  " (1, 'k1', 'Jan Kowalski', 'pl', 0, 'x', 'x'), (2, 'k2', 'Anna Nowak', 'pl', 0, 'x', 'x'),"
  " (3, 'k3', 'Piotr Zieliński', 'pl', 0, 'x', 'x'), (4, 'k4', 'Ewa Wiśniewska', 'pl', 1, 'x', 'x'),"
  " (5, 'k5', 'Olga Ivanova', 'ru', 0, 'x', 'x');"
  "INSERT INTO phone (debtor_id, e164, created_at) VALUES (1, '+48601000001', 'x'),"
  " (2, '+48601000002', 'x'), (3, '+48601000003', 'x'), (4, '+48601000004', 'x'),"
  " (5, '+79161000005', 'x');"
  "INSERT INTO debt_case (id, debtor_id, creditor_id, balance_minor, currency, oldest_due_on,"
  " debtor_name, ladder_excluded, created_at, updated_at) VALUES"
  " (1, 1, 1, 10000, 'PLN', '2026-12-10', 'Jan Kowalski', NULL, 'x', 'x'),"
  " (2, 1, 2, 2550, 'PLN', '2026-12-10', 'Jan Kowalski', NULL, 'x', 'x'),"
  " (3, 2, 1, 5000, 'PLN', '2026-12-04', 'Anna Nowak', NULL, 'x', 'x'),"
  " (4, 3, 1, 7000, 'PLN', '2026-11-27', 'Piotr Zieliński', NULL, 'x', 'x'),"
  " (5, 4, 1, 9900, 'PLN', '2026-12-07', 'Ewa Wiśniewska', NULL, 'x', 'x'),"
  " (6, 5, 1, 8800, 'RUB', '2026-12-01', 'Olga Ivanova', 'dispute', 'x', 'x');"
  "INSERT INTO liability (case_id, invoice_no, due_on, amount_minor, currency, created_at,"
  " updated_at) VALUES (1, 'FV/1', '2026-12-10', 10000, 'PLN', 'x', 'x'),"
  " (2, 'FV/2', '2026-12-10', 2550, 'PLN', 'x', 'x'), (3, 'FV/3', '2026-12-04', 5000, 'PLN', 'x', 'x'),"
  " (4, 'FV/4', '2026-11-27', 7000, 'PLN', 'x', 'x'), (5, 'FV/5', '2026-12-07', 9900, 'PLN', 'x', 'x'),"
  " (6, 'СЧ/6', '2026-12-01', 8800, 'RUB', 'x', 'x');"
  /* the flow of the default policy's voice steps */
  "INSERT INTO ivr_flow (name, version, json, created_at) VALUES ('payment-reminder', 1,"
  " '{\"format\": 1, \"language\": \"pl\", \"start\": \"bye\","
  " \"nodes\": [{\"id\": \"bye\", \"type\": \"hang-up\"}]}', 'x');";

static void
on_signal (gboolean *flag)
{
  *flag = TRUE;
}

static DdLadderView *the_view;

static void
wait_for (gboolean *flag)
{
  gint64 deadline = g_get_monotonic_time () + 20 * G_TIME_SPAN_SECOND;

  while (!*flag && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, FALSE);
  if (!*flag && the_view != NULL)
    g_test_message ("still waiting; the view says: %s / %s", _dd_ladder_view_get_summary (the_view),
                    gtk_label_get_label (GTK_LABEL (gtk_widget_get_template_child (GTK_WIDGET (the_view),
                                                                                     DD_TYPE_LADDER_VIEW,
                                                                                     "last_run_label"))));
  g_assert_true (*flag);
  *flag = FALSE;
}

static guint
count_rows (GtkWidget *list)
{
  guint n = 0;

  for (GtkWidget *c = gtk_widget_get_first_child (list); c != NULL; c = gtk_widget_get_next_sibling (c))
    n++;
  return n;
}

static const char *
row_title (GtkWidget *list,
           guint      index)
{
  GtkWidget *c = gtk_widget_get_first_child (list);

  while (index-- > 0 && c != NULL)
    c = gtk_widget_get_next_sibling (c);
  g_assert_nonnull (c);
  return adw_preferences_row_get_title (ADW_PREFERENCES_ROW (c));
}

static void
test_plan_and_run (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("dd-test-ladder-view-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "office.db", NULL);
  g_autofree char *cmd = g_strdup_printf ("rm -rf '%s'", dir);
  g_autoptr(DdDatabase) database = dd_database_open (path, &error);
  g_autoptr(DdContext) context = NULL;
  GtkWidget *window, *steps, *excluded, *policy;
  DdLadderView *view;
  const DdLadderPlan *plan;
  const DdLadderRunResult *run;
  gboolean shown = FALSE, ran = FALSE;
  gint64 n = -1;

  g_assert_no_error (error);
  g_assert_true (dd_database_exec (database, office_sql, &error));
  g_assert_no_error (error);
  context = dd_context_new (database, NULL);

  window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (window), 1024, 700);
  /* the expander rows open at once */
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);
  view = DD_LADDER_VIEW (dd_ladder_view_new (context));
  the_view = view;
  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (view));
  g_signal_connect_swapped (view, "plan-shown", G_CALLBACK (on_signal), &shown);
  g_signal_connect_swapped (view, "ladder-ran", G_CALLBACK (on_signal), &ran);
  gtk_window_present (GTK_WINDOW (window));
  dd_test_wait_until_mapped (GTK_WIDGET (view));
  wait_for (&shown);   /* tomorrow's, by the clock */

  _dd_ladder_view_set_today (view, "2026-12-07");
  dd_ladder_view_set_day (view, "2026-12-07");
  wait_for (&shown);
  g_assert_cmpstr (dd_ladder_view_get_day (view), ==, "2026-12-07");
  plan = _dd_ladder_view_get_plan (view);
  g_assert_nonnull (plan);
  /* Jan −3 SMS (both cases), Anna +3 voice, Piotr +10 task; Ewa opted out, Olga disputed */
  g_assert_cmpuint (plan->items->len, ==, 3);
  g_assert_cmpstr (_dd_ladder_view_get_summary (view), ==, "3 contacts and tasks covering 4 cases");

  steps = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (view), DD_TYPE_LADDER_VIEW,
                                                     "steps_list"));
  excluded = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (view), DD_TYPE_LADDER_VIEW,
                                                        "excluded_list"));
  policy = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (view), DD_TYPE_LADDER_VIEW,
                                                      "policy_list"));
  g_assert_cmpuint (count_rows (steps), ==, 3);
  g_assert_cmpstr (row_title (steps, 0), ==, "SMS");
  g_assert_cmpstr (row_title (steps, 1), ==, "Voice call");
  g_assert_cmpstr (row_title (steps, 2), ==, "Consultant call task");
  g_assert_cmpuint (count_rows (excluded), ==, 2);
  g_assert_cmpstr (row_title (excluded, 0), ==, "Excluded (dispute)");
  g_assert_cmpstr (row_title (excluded, 1), ==, "Opted out");
  adw_expander_row_set_expanded (ADW_EXPANDER_ROW (gtk_widget_get_first_child (excluded)), TRUE);
  adw_expander_row_set_expanded (ADW_EXPANDER_ROW (gtk_widget_get_last_child (excluded)), TRUE);
  g_assert_cmpuint (count_rows (policy), ==, 7);
  g_assert_cmpstr (row_title (policy, 6), ==, "Hand-over list");
  dd_test_iterate_for (1000);
  {
    /* the names of the excluded cases are listed under their reason */
    GtkWidget *w = gtk_widget_get_first_child (excluded);
    guint found = 0;

    for (GtkWidget *d = w; d != NULL;)
      {
        if (ADW_IS_ACTION_ROW (d) && gtk_widget_get_mapped (d) &&
            g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (d)),
                       "Olga Ivanova — СЧ/6") == 0)
          found++;
        if (gtk_widget_get_first_child (d) != NULL)
          d = gtk_widget_get_first_child (d);
        else
          {
            while (d != NULL && d != excluded && gtk_widget_get_next_sibling (d) == NULL)
              d = gtk_widget_get_parent (d);
            d = d == NULL || d == excluded ? NULL : gtk_widget_get_next_sibling (d);
          }
      }
    g_assert_cmpuint (found, ==, 1);
  }
  dd_test_save_screenshot ("test-ladder-view", "plan");

  /* run today's steps: done, and the same day has nothing due any more */
  g_signal_emit_by_name (gtk_widget_get_template_child (GTK_WIDGET (view), DD_TYPE_LADDER_VIEW,
                                                       "run_button"), "clicked");
  wait_for (&ran);
  run = _dd_ladder_view_get_last_run (view);
  g_assert_cmpuint (run->done[DD_LADDER_SMS], ==, 1);
  g_assert_cmpuint (run->done[DD_LADDER_CONSULTANT_CALL], ==, 1);
  /* the voice step: a call of the day's ladder voice campaign, for the voice runner */
  g_assert_cmpuint (run->done[DD_LADDER_VOICE], ==, 1);
  g_assert_cmpuint (run->waiting_voice, ==, 0);
  g_assert_true (dd_database_query_int64 (database, "SELECT COUNT(*) FROM call_attempt a"
                                          " JOIN campaign c ON c.id = a.campaign_id"
                                          " WHERE c.kind = 'voice' AND c.state = 'running'"
                                          " AND a.plan_key LIKE 'ladder-%'", &n, &error));
  g_assert_cmpint (n, ==, 1);
  g_assert_true (dd_database_query_int64 (database, "SELECT COUNT(*) FROM message", &n, &error));
  g_assert_cmpint (n, ==, 1);
  wait_for (&shown);
  g_assert_cmpuint (_dd_ladder_view_get_plan (view)->items->len, ==, 0);
  g_assert_cmpstr (_dd_ladder_view_get_summary (view), ==, "Nothing is due on this day.");

  /* tomorrow: Jan's second SMS is not due before the 10th; Ewa, Olga still excluded */
  dd_ladder_view_set_day (view, "2026-12-10");
  wait_for (&shown);
  g_assert_cmpuint (_dd_ladder_view_get_plan (view)->items->len, ==, 1);
  dd_test_save_screenshot ("test-ladder-view", "after-run");

  /* the date picker */
  {
    GtkMenuButton *date_button = GTK_MENU_BUTTON (gtk_widget_get_template_child (GTK_WIDGET (view),
                                                                                 DD_TYPE_LADDER_VIEW,
                                                                                 "date_button"));
    g_autoptr(GDateTime) day = g_date_time_new_utc (2026, 12, 14, 12, 0, 0);
    GtkWidget *calendar;

    gtk_menu_button_popup (date_button);
    calendar = gtk_popover_get_child (gtk_menu_button_get_popover (date_button));
    g_assert_true (GTK_IS_CALENDAR (calendar));
    gtk_calendar_select_day (GTK_CALENDAR (calendar), day);
    g_signal_emit_by_name (calendar, "day-selected");
    wait_for (&shown);
    g_assert_cmpstr (dd_ladder_view_get_day (view), ==, "2026-12-14");
  }

  dd_test_destroy_window (GTK_WINDOW (window));
  g_clear_object (&context);
  g_clear_object (&database);
  g_assert_cmpint (system (cmd), ==, 0);
}

static void
collect (GtkWidget *root,
         GType      type,
         GPtrArray *found)
{
  for (GtkWidget *c = gtk_widget_get_first_child (root); c != NULL; c = gtk_widget_get_next_sibling (c))
    {
      if (G_TYPE_CHECK_INSTANCE_TYPE (c, type))
        g_ptr_array_add (found, c);
      collect (c, type, found);
    }
}

/* The @nth widget of @type under @root, depth first. */
static GtkWidget *
find_descendant (GtkWidget *root,
                 GType      type,
                 guint      nth)
{
  g_autoptr(GPtrArray) found = g_ptr_array_new ();

  collect (root, type, found);
  return nth < found->len ? g_ptr_array_index (found, nth) : NULL;
}

/* The office's steps are edited in place and saved; an invalid ladder is refused with the
 * reason. */
static void
test_edit_policy (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("dd-test-ladder-edit-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "office.db", NULL);
  g_autofree char *cmd = g_strdup_printf ("rm -rf '%s'", dir);
  g_autoptr(DdDatabase) database = dd_database_open (path, &error);
  g_autoptr(DdContext) context = NULL;
  g_autoptr(DdLadderStore) store = NULL;
  g_autoptr(GPtrArray) policies = NULL;
  GtkWidget *window, *policy, *save, *spin, *flow;
  DdLadderView *view;
  gboolean shown = FALSE;

  g_assert_no_error (error);
  g_assert_true (dd_database_exec (database, office_sql, &error));
  context = dd_context_new (database, NULL);
  store = dd_ladder_store_new (database);
  window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (window), 1024, 700);
  view = DD_LADDER_VIEW (dd_ladder_view_new (context));
  g_signal_connect_swapped (view, "plan-shown", G_CALLBACK (on_signal), &shown);
  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (view));
  gtk_window_present (GTK_WINDOW (window));
  wait_for (&shown);

  policy = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (view), DD_TYPE_LADDER_VIEW,
                                                      "policy_list"));
  save = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (view), DD_TYPE_LADDER_VIEW,
                                                    "save_policy_button"));
  g_assert_false (gtk_widget_get_sensitive (save));
  spin = find_descendant (policy, GTK_TYPE_SPIN_BUTTON, 0);
  g_assert_nonnull (spin);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (spin), -5);
  g_assert_true (gtk_widget_get_sensitive (save));
  g_signal_emit_by_name (save, "clicked");
  wait_for (&shown);
  policies = dd_ladder_store_load_policies (store, &error);
  g_assert_cmpint (dd_ladder_policy_get_step (g_ptr_array_index (policies, 0), 0)->offset_days,
                   ==, -5);
  g_assert_cmpuint (dd_ladder_policy_get_n_steps (g_ptr_array_index (policies, 0)), ==, 7);
  g_assert_false (gtk_widget_get_sensitive (save));

  /* the first voice step (the third step) without its flow */
  flow = find_descendant (policy, ADW_TYPE_ENTRY_ROW, 2);
  g_assert_nonnull (flow);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (flow)), ==, "payment-reminder");
  gtk_editable_set_text (GTK_EDITABLE (flow), "");
  g_assert_false (_dd_ladder_view_save_policy (view, &error));
  g_assert_error (error, DD_LADDER_POLICY_ERROR, DD_LADDER_POLICY_ERROR_INVALID);
  g_signal_emit_by_name (save, "clicked");
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (view),
                                                                                    DD_TYPE_LADDER_VIEW,
                                                                                    "policy_error_label"))));

  /* a look at the steps being edited */
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);
  adw_expander_row_set_expanded (ADW_EXPANDER_ROW (find_descendant (policy, ADW_TYPE_EXPANDER_ROW, 2)),
                                 TRUE);
  dd_test_iterate_for (300);
  {
    GtkAdjustment *adj = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (find_descendant (GTK_WIDGET (view),
                                                                                                    GTK_TYPE_SCROLLED_WINDOW,
                                                                                                    0)));

    gtk_adjustment_set_value (adj, gtk_adjustment_get_upper (adj));
  }
  dd_test_save_screenshot ("test-ladder-view", "edit-policy");

  dd_test_destroy_window (GTK_WINDOW (window));
  g_clear_object (&store);
  g_clear_object (&context);
  g_assert_finalize_object (g_steal_pointer (&database));
  g_assert_cmpint (system (cmd), ==, 0);
}

/* With ladder-automatic on, the view runs the day's steps by itself after start-up, once. */
static void
test_runs_by_itself (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("dd-test-ladder-auto-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "office.db", NULL);
  g_autofree char *cmd = g_strdup_printf ("rm -rf '%s'", dir);
  g_autoptr(DdDatabase) database = dd_database_open (path, &error);
  g_autoptr(GSettings) settings = g_settings_new (APPLICATION_ID);
  g_autoptr(DdContext) context = NULL;
  GtkWidget *window;
  DdLadderView *view;
  gboolean ran = FALSE, shown = FALSE;
  gint64 n = -1;

  g_assert_no_error (error);
  g_assert_true (dd_database_exec (database, office_sql, &error));
  g_assert_true (g_settings_get_boolean (settings, "ladder-automatic"));
  context = dd_context_new (database, settings);

  _dd_ladder_view_set_start_up_delay (300);
  window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (window), 1024, 700);
  view = DD_LADDER_VIEW (dd_ladder_view_new (context));
  _dd_ladder_view_set_start_up_delay (0);
  _dd_ladder_view_set_today (view, "2026-12-07");
  g_signal_connect_swapped (view, "ladder-ran", G_CALLBACK (on_signal), &ran);
  g_signal_connect_swapped (view, "plan-shown", G_CALLBACK (on_signal), &shown);
  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (view));
  gtk_window_present (GTK_WINDOW (window));
  wait_for (&ran);
  g_assert_true (dd_database_query_int64 (database,
                                          "SELECT COUNT(*) FROM ladder_day WHERE day = '2026-12-07'",
                                          &n, &error));
  g_assert_cmpint (n, ==, 1);
  g_assert_true (dd_database_query_int64 (database, "SELECT COUNT(*) FROM message", &n, &error));
  g_assert_cmpint (n, ==, 1);
  g_assert_cmpuint (_dd_ladder_view_get_last_run (view)->done[DD_LADDER_SMS], ==, 1);

  /* the button runs again on demand; by itself it would not (the day ran) */
  dd_ladder_view_run_today (view);
  wait_for (&ran);
  g_assert_cmpuint (_dd_ladder_view_get_last_run (view)->done[DD_LADDER_SMS], ==, 0);
  g_assert_true (dd_database_query_int64 (database, "SELECT COUNT(*) FROM message", &n, &error));
  g_assert_cmpint (n, ==, 1);

  dd_test_destroy_window (GTK_WINDOW (window));
  g_clear_object (&context);
  g_assert_finalize_object (g_steal_pointer (&database));
  g_assert_cmpint (system (cmd), ==, 0);
}

/* The demand-letter step's letters: written as one batch when the ladder runs, recorded on
 * the case, and offered on the page to print. */
static void
test_letters (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("dd-test-ladder-letters-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "office.db", NULL);
  g_autofree char *cmd = g_strdup_printf ("rm -rf '%s'", dir);
  g_autofree char *pdf = g_build_filename (g_get_user_data_dir (), "dunning-desk", "letters",
                                           "2026-12-11", "letters-2026-12-11.pdf", NULL);
  g_autoptr(DdDatabase) database = dd_database_open (path, &error);
  g_autoptr(GSettings) settings = g_settings_new (APPLICATION_ID);
  g_autoptr(DdContext) context = NULL;
  GtkWidget *window;
  GtkWidget *button;
  DdLadderView *view;
  gboolean ran = FALSE, shown = FALSE;
  gint64 n = -1;

  g_assert_no_error (error);
  g_assert_true (dd_database_exec (database, office_sql, &error));
  g_settings_set_string (settings, "office-name", "Kancelaria Windykacyjna");
  g_settings_set_string (settings, "letter-signature", "Anna Kowalska, radca prawny");
  context = dd_context_new (database, settings);

  _dd_ladder_view_set_start_up_delay (300);
  window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (window), 1024, 700);
  view = DD_LADDER_VIEW (dd_ladder_view_new (context));
  _dd_ladder_view_set_start_up_delay (0);
  /* Piotr's invoice fell due 2026-11-27: his +14 demand letter is due on 2026-12-11 */
  _dd_ladder_view_set_today (view, "2026-12-11");
  g_signal_connect_swapped (view, "ladder-ran", G_CALLBACK (on_signal), &ran);
  g_signal_connect_swapped (view, "plan-shown", G_CALLBACK (on_signal), &shown);
  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (view));
  gtk_window_present (GTK_WINDOW (window));
  wait_for (&ran);
  /* the page is shown again after the run */
  shown = FALSE;
  wait_for (&shown);
  g_assert_cmpuint (_dd_ladder_view_get_last_run (view)->done[DD_LADDER_DEMAND_LETTER], ==, 1);
  g_assert_cmpuint (_dd_ladder_view_get_last_run (view)->letters, ==, 1);
  g_assert_true (dd_database_query_int64 (database,
                                          "SELECT COUNT(*) FROM letter WHERE case_id = 4"
                                          " AND letter_date = '2026-12-11' AND pdf_path LIKE"
                                          " '%/letter-%.pdf'", &n, &error));
  g_assert_cmpint (n, ==, 1);
  g_assert_true (g_file_test (pdf, G_FILE_TEST_EXISTS));
  button = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (view), DD_TYPE_LADDER_VIEW,
                                                      "letters_button"));
  g_assert_true (gtk_widget_get_visible (button));
  g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (button)), ==, "1 Demand Letter to Print");
  dd_test_iterate_for (500);
  g_assert_true (gtk_widget_get_visible (button));
  dd_test_save_screenshot ("test-ladder-view", "letters");

  dd_test_destroy_window (GTK_WINDOW (window));
  g_clear_object (&context);
  g_assert_finalize_object (g_steal_pointer (&database));
  g_assert_cmpint (system (cmd), ==, 0);
}

/* A demand letter the ladder cannot make (the office has no name yet) is not only logged: the
 * page says why, with the way to Preferences; once the office has a name the next run makes it
 * and the message goes. */
static void
test_letters_no_office (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("dd-test-ladder-letters-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "office.db", NULL);
  g_autofree char *cmd = g_strdup_printf ("rm -rf '%s'", dir);
  g_autoptr(DdDatabase) database = dd_database_open (path, &error);
  g_autoptr(GSettings) settings = g_settings_new (APPLICATION_ID);
  g_autoptr(DdContext) context = NULL;
  GtkWidget *window;
  GtkWidget *box, *label, *button;
  DdLadderView *view;
  gboolean ran = FALSE, shown = FALSE;
  gint64 n = -1;

  g_assert_no_error (error);
  g_assert_true (dd_database_exec (database, office_sql, &error));
  g_settings_set_string (settings, "office-name", "");
  context = dd_context_new (database, settings);

  _dd_ladder_view_set_start_up_delay (300);
  window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (window), 1024, 700);
  view = DD_LADDER_VIEW (dd_ladder_view_new (context));
  _dd_ladder_view_set_start_up_delay (0);
  _dd_ladder_view_set_today (view, "2026-12-11");
  g_signal_connect_swapped (view, "ladder-ran", G_CALLBACK (on_signal), &ran);
  g_signal_connect_swapped (view, "plan-shown", G_CALLBACK (on_signal), &shown);
  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (view));
  gtk_window_present (GTK_WINDOW (window));
  wait_for (&ran);
  shown = FALSE;
  wait_for (&shown);
  box = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (view), DD_TYPE_LADDER_VIEW,
                                                   "letters_error_box"));
  label = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (view), DD_TYPE_LADDER_VIEW,
                                                     "letters_error_label"));
  button = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (view), DD_TYPE_LADDER_VIEW,
                                                      "letters_error_button"));
  g_assert_cmpuint (_dd_ladder_view_get_last_run (view)->done[DD_LADDER_DEMAND_LETTER], ==, 1);
  g_assert_cmpuint (_dd_ladder_view_get_last_run (view)->letters, ==, 0);
  g_assert_cmpuint (_dd_ladder_view_get_last_run (view)->failed, >=, 1);
  g_assert_true (_dd_ladder_view_get_last_run (view)->letters_need_office);
  g_assert_true (gtk_widget_get_mapped (box));
  g_assert_nonnull (strstr (gtk_label_get_label (GTK_LABEL (label)),
                            "Preferences › General › Office"));
  g_assert_true (g_str_has_prefix (gtk_label_get_label (GTK_LABEL (label)),
                                   "The demand letters were not made"));
  g_assert_true (gtk_widget_get_visible (button));
  g_assert_cmpstr (gtk_actionable_get_action_name (GTK_ACTIONABLE (button)), ==,
                   "win.preferences");
  g_assert_true (dd_database_query_int64 (database, "SELECT COUNT(*) FROM letter", &n, &error));
  g_assert_cmpint (n, ==, 0);
  dd_test_iterate_for (300);
  dd_test_save_screenshot ("test-ladder-view", "letters-no-office");

  /* with the office's name the next run makes the letter, and the message goes */
  g_settings_set_string (settings, "office-name", "Kancelaria Windykacyjna");
  dd_ladder_view_run_today (view);
  wait_for (&ran);
  g_assert_cmpuint (_dd_ladder_view_get_last_run (view)->letters, ==, 1);
  g_assert_false (gtk_widget_get_visible (box));
  g_assert_true (dd_database_query_int64 (database, "SELECT COUNT(*) FROM letter", &n, &error));
  g_assert_cmpint (n, ==, 1);

  dd_test_destroy_window (GTK_WINDOW (window));
  g_clear_object (&context);
  g_assert_finalize_object (g_steal_pointer (&database));
  g_assert_cmpint (system (cmd), ==, 0);
}

/* The message of letters not made, in Polish and Russian at 1024×700 and 1280×800
 * (screenshots): it wraps beside its button. */
static void
test_letters_no_office_languages (void)
{
  static const struct { const char *language; int width, height; } cases[] = {
    { "pl", 1024, 700 }, { "pl", 1280, 800 }, { "ru", 1024, 700 }, { "ru", 1280, 800 },
  };
  g_autoptr(GSettings) settings = g_settings_new (APPLICATION_ID);

  g_settings_set_string (settings, "office-name", "");
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *dir = g_dir_make_tmp ("dd-test-ladder-letters-XXXXXX", &error);
      g_autofree char *path = g_build_filename (dir, "office.db", NULL);
      g_autofree char *cmd = g_strdup_printf ("rm -rf '%s'", dir);
      g_autofree char *name = NULL;
      g_autoptr(DdDatabase) database = dd_database_open (path, &error);
      g_autoptr(DdContext) context = NULL;
      g_autoptr(GString) cut = g_string_new (NULL);
      GtkWidget *window;
      DdLadderView *view;
      gboolean ran = FALSE;

      g_assert_no_error (error);
      if (!dd_test_use_language (cases[i].language))
        {
          g_test_message ("no %s catalog in this build", cases[i].language);
          g_assert_cmpint (system (cmd), ==, 0);
          continue;
        }
      g_assert_true (dd_database_exec (database, office_sql, &error));
      context = dd_context_new (database, settings);
      _dd_ladder_view_set_start_up_delay (300);
      window = gtk_window_new ();
      gtk_window_set_default_size (GTK_WINDOW (window), cases[i].width, cases[i].height);
      view = DD_LADDER_VIEW (dd_ladder_view_new (context));
      _dd_ladder_view_set_start_up_delay (0);
      _dd_ladder_view_set_today (view, "2026-12-11");
      g_signal_connect_swapped (view, "ladder-ran", G_CALLBACK (on_signal), &ran);
      gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (view));
      gtk_window_present (GTK_WINDOW (window));
      wait_for (&ran);
      dd_test_iterate_for (500);
      g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (gtk_widget_get_template_child (
        GTK_WIDGET (view), DD_TYPE_LADDER_VIEW, "letters_error_box"))));
      dd_test_collect_cut_labels (GTK_WIDGET (gtk_widget_get_template_child (
        GTK_WIDGET (view), DD_TYPE_LADDER_VIEW, "letters_error_box")), FALSE, cut);
      g_assert_cmpstr (cut->str, ==, "");
      name = g_strdup_printf ("letters-no-office-%s-%dx%d", cases[i].language, cases[i].width,
                              cases[i].height);
      dd_test_save_screenshot ("test-ladder-view", name);

      dd_test_destroy_window (GTK_WINDOW (window));
      g_clear_object (&context);
      g_assert_finalize_object (g_steal_pointer (&database));
      g_assert_cmpint (system (cmd), ==, 0);
    }
}

/* The window's sidebar has the Ladder section, and its page is the ladder's view. */
static void
test_window_section (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("dd-test-ladder-window-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "office.db", NULL);
  g_autofree char *cmd = g_strdup_printf ("rm -rf '%s'", dir);
  g_autoptr(DdDatabase) database = dd_database_open (path, &error);
  GtkStack *sections;
  GtkWidget *page, *view = NULL;
  GtkWindow *window;

  g_assert_no_error (error);
  g_assert_true (dd_database_exec (database, office_sql, &error));
  window = GTK_WINDOW (dd_window_new (NULL, database, NULL));
  gtk_window_set_default_size (window, 1024, 700);
  gtk_window_present (window);
  dd_test_wait_until_mapped (GTK_WIDGET (window));

  g_signal_emit_by_name (gtk_widget_get_template_child (GTK_WIDGET (window), DD_TYPE_WINDOW,
                                                        "ladder_row"), "activate");
  sections = GTK_STACK (gtk_widget_get_template_child (GTK_WIDGET (window), DD_TYPE_WINDOW,
                                                       "sections"));
  g_assert_cmpstr (gtk_stack_get_visible_child_name (sections), ==, "ladder");
  page = gtk_stack_get_visible_child (sections);
  for (GtkWidget *w = page; w != NULL; w = gtk_widget_get_first_child (w))
    if (DD_IS_LADDER_VIEW (w))
      view = w;
  g_assert_nonnull (view);
  g_assert_true (gtk_widget_get_mapped (view));
  dd_test_iterate_for (1500);
  dd_test_save_screenshot ("test-ladder-view", "window");

  dd_test_destroy_window (window);
  g_assert_finalize_object (database);
  g_steal_pointer (&database);
  g_assert_cmpint (system (cmd), ==, 0);
}

int
main (int    argc,
      char **argv)
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  g_test_add_func ("/dd/ladder-view/plan-and-run", test_plan_and_run);
  g_test_add_func ("/dd/ladder-view/edit-policy", test_edit_policy);
  g_test_add_func ("/dd/ladder-view/runs-by-itself", test_runs_by_itself);
  g_test_add_func ("/dd/ladder-view/letters-no-office", test_letters_no_office);
  g_test_add_func ("/dd/ladder-view/letters", test_letters);
  g_test_add_func ("/dd/ladder-view/window-section", test_window_section);
  /* last: it switches the messages to Polish and Russian */
  g_test_add_func ("/dd/ladder-view/letters-no-office-languages",
                   test_letters_no_office_languages);
  return g_test_run ();
}
