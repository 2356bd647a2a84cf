/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-queues-report"

/* Reports › Queues (issue 18): service level within 20 s, abandoned calls and the average wait
 * per queue and per hour, from calls recorded in the inbound store; the empty state says
 * where the queues are set up. Screenshots at 1024×700 and 1280×800. */

#include "config.h"

#include <adwaita.h>

#include "dd-context.h"
#include "dd-database.h"
#include "dd-inbound-store.h"
#include "dd-report-table.h"
#include "dd-reports-view-private.h"
#include "dd-test-ui.h"
#include "dd-test-util.h"

static gboolean
report_made (gpointer data)
{
  return g_strcmp0 (_dd_reports_view_get_state (data), "loading") != 0;
}

static void
call (DdInboundStore   *store,
      gint64            at,
      gint64            queue_id,
      guint             wait_s,
      DdInboundOutcome  outcome)
{
  g_autoptr(GError) error = NULL;
  gint64 id = 0;

  dd_inbound_store_set_clock (store, at);
  g_assert_true (dd_inbound_store_call_arrived (store, "48601000001", "+48601000001", 0, &id,
                                                &error));
  g_assert_true (dd_inbound_store_call_queued (store, id, queue_id, &error));
  dd_inbound_store_set_clock (store, at + wait_s);
  if (outcome == DD_INBOUND_OUTCOME_ANSWERED)
    g_assert_true (dd_inbound_store_call_answered (store, id, 0, &error));
  dd_inbound_store_set_clock (store, at + wait_s + 60);
  g_assert_true (dd_inbound_store_call_ended (store, id, outcome, NULL, &error));
  g_assert_no_error (error);
}

static void
test_queues_report (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DdTestOffice) office = dd_test_office_new_with_context ("queues-report", FALSE);
  g_autoptr(DdInboundStore) store = dd_inbound_store_new (office->database);
  g_autoptr(DdInboundQueue) queue = dd_inbound_queue_new ("Płatności");
  g_autoptr(GDateTime) ten = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *today = g_date_time_format (now, "%Y-%m-%d");
  GtkWidget *window;
  DdReportsView *view;
  const DdReportTable *summary, *hours;
  gint64 queue_id = 0;

  window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (window), 1024, 700);
  view = DD_REPORTS_VIEW (dd_reports_view_new (office->context));
  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (view));
  gtk_window_present (GTK_WINDOW (window));
  dd_test_wait_until_mapped (GTK_WIDGET (view));

  /* No calls yet: the empty state says where the queues are set up */
  dd_reports_view_set_report (view, DD_REPORTS_VIEW_QUEUES);
  _dd_reports_view_set_period (view, today, today);
  g_assert_true (dd_test_wait_until (report_made, view, 60000));
  g_assert_cmpstr (_dd_reports_view_get_state (view), ==, "empty");

  /* Today at 10:00: answered after 10 s and 30 s, one hung up after 40 s */
  g_assert_true (dd_inbound_store_add_queue (store, queue, &queue_id, &error));
  g_assert_no_error (error);
  ten = g_date_time_new_local (g_date_time_get_year (now), g_date_time_get_month (now),
                               g_date_time_get_day_of_month (now), 10, 0, 0);
  call (store, g_date_time_to_unix (ten), queue_id, 10, DD_INBOUND_OUTCOME_ANSWERED);
  call (store, g_date_time_to_unix (ten) + 300, queue_id, 30, DD_INBOUND_OUTCOME_ANSWERED);
  call (store, g_date_time_to_unix (ten) + 600, queue_id, 40, DD_INBOUND_OUTCOME_ABANDONED);

  _dd_reports_view_set_period (view, today, today);
  g_assert_true (dd_test_wait_until (report_made, view, 60000));
  g_assert_cmpstr (_dd_reports_view_get_state (view), ==, "report");
  summary = g_ptr_array_index (_dd_reports_view_get_tables (view), 0);
  hours = g_ptr_array_index (_dd_reports_view_get_tables (view), 1);
  g_assert_cmpstr (summary->key, ==, "queues");
  g_assert_cmpuint (summary->rows->len, ==, 2);   /* all queues, Płatności */
  for (guint r = 0; r < 2; r++)
    {
      g_assert_cmpstr (dd_report_table_cell (summary, r, 0)->text, ==,
                       r == 0 ? "All queues" : "Płatności");
      g_assert_cmpint (dd_report_table_cell (summary, r, 1)->value, ==, 3);   /* offered */
      g_assert_cmpint (dd_report_table_cell (summary, r, 2)->value, ==, 2);   /* answered */
      g_assert_cmpfloat_with_epsilon (dd_report_table_cell (summary, r, 3)->share, 1.0 / 3,
                                      1e-9);                                  /* within 20 s */
      g_assert_cmpint (dd_report_table_cell (summary, r, 4)->value, ==, 1);   /* abandoned */
      g_assert_cmpint (dd_report_table_cell (summary, r, 6)->value, ==, 20);  /* average wait */
    }
  /* by hour: the 10 o'clock row, for all queues and for the queue */
  g_assert_cmpuint (hours->rows->len, ==, 2);
  g_assert_cmpstr (dd_report_table_cell (hours, 0, 1)->text, ==, "10:00");
  g_assert_cmpint (dd_report_table_cell (hours, 0, 2)->value, ==, 3);
  dd_test_iterate_for (500);
  dd_test_save_screenshot ("queues-report", "1024x700");
  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 800);
  dd_test_iterate_for (500);
  dd_test_save_screenshot ("queues-report", "1280x800");

  dd_test_destroy_window (GTK_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  dd_test_use_app_style ();

  g_test_add_func ("/dd/ui/reports/queues", test_queues_report);

  return g_test_run ();
}
