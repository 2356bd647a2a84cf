/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "dd-ivr-simulator.h"

#include <string.h>

typedef struct
{
  GString  *transcript;
  gboolean  finished;
  guint     said;
} Log;

static void
on_event (DdIvrSimulator *sim,
          const char     *kind,
          const char     *text,
          Log            *log)
{
  g_string_append_printf (log->transcript, "%s: %s\n", kind, text);
}

static void
on_said (DdIvrSimulator *sim,
         const char     *text,
         const char     *file,
         const char     *language,
         Log            *log)
{
  log->said++;
}

static void
on_finished (DdIvrSimulator *sim,
             Log            *log)
{
  log->finished = TRUE;
}

static void
wait_for_node (DdIvrSimulator *sim,
               const char     *node)
{
  gint64 deadline = g_get_monotonic_time () + 10 * G_TIME_SPAN_SECOND;

  while (g_strcmp0 (dd_ivr_simulator_get_current_node (sim), node) != 0 &&
         g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpstr (dd_ivr_simulator_get_current_node (sim), ==, node);
}

static DdIvrSimulator *
new_simulator (Log *log)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DdIvrFlow) flow = dd_ivr_flow_new_from_template ("payment-reminder", &error);
  g_autoptr(DdIvrCaseInfo) info = dd_ivr_case_info_new ();
  DdIvrSimulator *sim;

  g_assert_no_error (error);
  info->name = g_strdup ("Anna Nowak");
  info->amount_minor = 123456;
  g_strlcpy (info->currency, "PLN", sizeof info->currency);
  g_date_set_dmy (&info->due_date, 15, G_DATE_MARCH, 2026);
  info->invoice = g_strdup ("FV/1/2026");
  info->creditor = g_strdup ("Wodociągi");
  g_free (info->language);
  info->language = g_strdup ("en");
  sim = dd_ivr_simulator_new (flow, info);
  dd_ivr_simulator_set_speech_rate (sim, 0);   /* prompts "end" at once */
  log->transcript = g_string_new (NULL);
  g_signal_connect (sim, "event", G_CALLBACK (on_event), log);
  g_signal_connect (sim, "said", G_CALLBACK (on_said), log);
  g_signal_connect (sim, "finished", G_CALLBACK (on_finished), log);
  return sim;
}

static void
test_transfer (void)
{
  Log log = { 0 };
  g_autoptr(DdIvrSimulator) sim = new_simulator (&log);
  g_autofree char *trace = NULL;
  GPtrArray *path;

  dd_ivr_simulator_start (sim);
  g_assert_true (dd_ivr_simulator_is_running (sim));
  wait_for_node (sim, "menu");
  g_assert_cmpuint (log.said, >=, 3);   /* greeting, details, the menu's prompt */
  g_assert_nonnull (strstr (log.transcript->str, "Anna Nowak"));

  dd_ivr_simulator_press (sim, '2');
  g_assert_true (dd_ivr_simulator_is_transferring (sim));
  g_assert_nonnull (strstr (log.transcript->str, "transfer: "));
  dd_ivr_simulator_transfer_result (sim, TRUE);
  g_assert_true (log.finished);
  g_assert_false (dd_ivr_simulator_is_running (sim));

  path = dd_ivr_simulator_get_path (sim);
  g_assert_cmpstr (g_ptr_array_index (path, 0), ==, "greeting");
  g_assert_cmpstr (g_ptr_array_index (path, path->len - 1), ==, "consultant");
  trace = dd_ivr_simulator_get_trace_string (sim);
  g_assert_nonnull (strstr (trace, "menu:2"));
  g_string_free (log.transcript, TRUE);
}

static void
test_declaration_and_timeout (void)
{
  Log log = { 0 };
  g_autoptr(DdIvrSimulator) sim = new_simulator (&log);
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(GDateTime) later = g_date_time_add_days (now, 10);
  g_autofree char *date = g_date_time_format (later, "%d%m%Y");

  dd_ivr_simulator_start (sim);
  wait_for_node (sim, "menu");
  dd_ivr_simulator_press (sim, '3');
  wait_for_node (sim, "declaration");
  /* date (8 digits), amount 250*00#, confirmed with 1 */
  for (const char *p = date; *p; p++)
    dd_ivr_simulator_press (sim, *p);
  for (const char *p = "250*00#"; *p; p++)
    dd_ivr_simulator_press (sim, *p);
  {
    gint64 deadline = g_get_monotonic_time () + 5 * G_TIME_SPAN_SECOND;

    /* the read-back plays, then 1 confirms */
    while (strstr (log.transcript->str, "declaration: ") == NULL &&
           g_get_monotonic_time () < deadline)
      {
        g_main_context_iteration (NULL, FALSE);
        dd_ivr_simulator_press (sim, '1');
      }
  }
  g_assert_nonnull (strstr (log.transcript->str, "declaration: "));
  g_assert_nonnull (strstr (log.transcript->str, "250"));
  {
    gint64 deadline = g_get_monotonic_time () + 5 * G_TIME_SPAN_SECOND;

    while (!log.finished && g_get_monotonic_time () < deadline)
      g_main_context_iteration (NULL, TRUE);
  }
  g_assert_true (log.finished);
  g_assert_nonnull (strstr (log.transcript->str, "status: "));
  g_string_free (log.transcript, TRUE);
}

static void
test_hang_up (void)
{
  Log log = { 0 };
  g_autoptr(DdIvrSimulator) sim = new_simulator (&log);

  dd_ivr_simulator_start (sim);
  wait_for_node (sim, "menu");
  dd_ivr_simulator_hang_up (sim);
  g_assert_true (log.finished);
  g_assert_false (dd_ivr_simulator_is_running (sim));
  /* keys after the end do nothing */
  dd_ivr_simulator_press (sim, '1');
  g_string_free (log.transcript, TRUE);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/dd/ivr-simulator/transfer", test_transfer);
  g_test_add_func ("/dd/ivr-simulator/declaration", test_declaration_and_timeout);
  g_test_add_func ("/dd/ivr-simulator/hang-up", test_hang_up);

  return g_test_run ();
}
