/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-console-view"

/* The Agent Console (issue 18): ready and pause with a reason, a call's case card with the
 * script, the wrap-up's countdown and outcome codes (a refused promise, then one recorded),
 * and the dialer settings' simulator; Start Dialing of a voice campaign against a baresip
 * debtor on 127.0.0.1, its answer bridged to a baresip consultant and the case card open.
 * Screenshots at 1024×700. */

#include "config.h"

#include <adwaita.h>

#include "dd-agent-state-store.h"
#include "dd-console-view.h"
#include "dd-context.h"
#include "dd-database.h"
#include "dd-dialer-settings.h"
#include "dd-inbound-store.h"
#include "dd-test-ui.h"
#include <glib/gi18n.h>
#include "dd-test-util.h"
#include "sip-peers.h"

#define SCREENSHOT_PREFIX "console-view"

static const char office_sql[] =
  "INSERT INTO creditor (id, name, created_at) VALUES (1, 'Alfa Energia', 'x');"
  "INSERT INTO agent (id, name, role, created_at) VALUES (1, 'Anna Konsultant', 'consultant', 'x');"
  "INSERT INTO debtor (id, dedup_key, name, language, created_at, updated_at) VALUES"
  " (1, 'k1', 'Jan Kowalski', 'pl', 'x', 'x');"
  "INSERT INTO phone (debtor_id, e164, created_at) VALUES (1, '+48601000001', 'x');"
  "INSERT INTO debt_case (id, debtor_id, creditor_id, balance_minor, currency, oldest_due_on,"
  " debtor_name, created_at, updated_at) VALUES"
  " (1, 1, 1, 125000, 'PLN', '2026-10-10', 'Jan Kowalski', 'x', 'x');"
  "INSERT INTO liability (case_id, invoice_no, due_on, amount_minor, currency, created_at,"
  " updated_at) VALUES (1, 'FV/2026/10/17', '2026-10-10', 125000, 'PLN', 'x', 'x');"
  "INSERT INTO campaign (id, name, kind, created_at, updated_at, agent_script) VALUES"
  " (1, 'Grudzień', 'voice', 'x', 'x', 'Dzień dobry, dzwonię w sprawie faktury FV/2026/10/17.');";

static GtkWidget *
child (gpointer    view,
       const char *name)
{
  GtkWidget *widget = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (view),
                                                                  DD_TYPE_CONSOLE_VIEW, name));

  g_assert_nonnull (widget);
  return widget;
}

static const char *
label_of (gpointer    view,
          const char *name)
{
  return gtk_label_get_label (GTK_LABEL (child (view, name)));
}

static DdAgentState
state_of (DdDatabase *database)
{
  g_autoptr(DdAgentStateStore) states = dd_agent_state_store_new (database);
  g_autoptr(DdAgentStatus) status = dd_agent_state_store_get (states, 1, NULL);

  return status->state;
}

static char *
promise_day (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(GDateTime) later = g_date_time_add_days (now, 5);

  return g_date_time_format (later, "%Y-%m-%d");
}

static void
test_console (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DdTestOffice) office = dd_test_office_new ("console");
  g_autoptr(DdContext) context = NULL;
  g_autofree char *day = promise_day ();
  GtkWidget *window, *settings;
  DdConsoleView *view;

  g_assert_true (dd_database_exec (office->database, office_sql, &error));
  g_assert_no_error (error);
  context = dd_context_new (office->database, NULL);
  dd_context_set_agent (context, 1, "Anna Konsultant", FALSE);

  window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (window), 1024, 700);
  view = DD_CONSOLE_VIEW (dd_console_view_new (context));
  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (view));
  gtk_window_present (GTK_WINDOW (window));
  dd_test_wait_until_mapped (GTK_WIDGET (view));

  /* Signed out at first; Ready; a pause takes the reason chosen */
  g_assert_cmpstr (label_of (view, "state_label"), ==, "Signed out");
  g_assert_cmpstr (label_of (view, "figures_label"), ==, "No dialer campaign running");
  g_signal_emit_by_name (child (view, "ready_button"), "clicked");
  g_assert_cmpint (state_of (office->database), ==, DD_AGENT_STATE_READY);
  g_assert_cmpstr (label_of (view, "state_label"), ==, "Ready");
  g_assert_false (gtk_widget_get_sensitive (child (view, "ready_button")));
  gtk_drop_down_set_selected (GTK_DROP_DOWN (child (view, "reason_dropdown")), 1);
  g_signal_emit_by_name (child (view, "pause_button"), "clicked");
  g_assert_cmpint (state_of (office->database), ==, DD_AGENT_STATE_PAUSED);
  g_assert_cmpstr (label_of (view, "state_label"), ==, "Paused: Lunch");
  g_signal_emit_by_name (child (view, "ready_button"), "clicked");

  /* A call reaches the consultant: the case card with the campaign's script */
  {
    g_autoptr(DdAgentStateStore) states = dd_agent_state_store_new (office->database);

    g_assert_true (dd_agent_state_store_start_call (states, 1, 1, &error));
    g_assert_no_error (error);
  }
  dd_console_view_open_call (view, 1, 1);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (child (view, "card_stack"))), ==,
                   "case");
  g_assert_cmpstr (label_of (view, "script_label"), ==,
                   "Dzień dobry, dzwonię w sprawie faktury FV/2026/10/17.");
  g_assert_cmpstr (label_of (view, "state_label"), ==, "On a call");
  dd_test_iterate_for (500);
  dd_test_save_screenshot (SCREENSHOT_PREFIX, "on-call");

  /* The call ends: the wrap-up counts down from 15 s */
  dd_console_view_end_call (view);
  g_assert_cmpint (state_of (office->database), ==, DD_AGENT_STATE_WRAP_UP);
  g_assert_true (g_str_has_prefix (label_of (view, "countdown_label"), "Wrap-up: 1"));
  g_assert_true (gtk_widget_get_visible (child (view, "countdown_bar")));

  /* A promise without an amount is refused, inline */
  gtk_editable_set_text (GTK_EDITABLE (child (view, "promise_date_entry")), day);
  g_assert_false (dd_console_view_choose_outcome (view, 2 /* promise */));
  g_assert_true (gtk_widget_get_visible (child (view, "error_label")));
  g_assert_cmpstr (label_of (view, "error_label"), ==, "Enter the promised amount, such as 250.00.");
  dd_test_iterate_for (300);
  dd_test_save_screenshot (SCREENSHOT_PREFIX, "wrap-up");

  /* With the amount: Payment declaration, and ready for the next call */
  gtk_editable_set_text (GTK_EDITABLE (child (view, "promise_amount_entry")), "500.00");
  if (!dd_console_view_choose_outcome (view, 2))
    g_error ("refused: %s", label_of (view, "error_label"));
  g_assert_false (gtk_widget_get_visible (child (view, "error_label")));
  g_assert_cmpint (dd_test_query_int (office->database,
                                      "SELECT COUNT(*) FROM debt_case WHERE id = 1"
                                      " AND status = 'payment-declaration'"), ==, 1);
  g_assert_cmpint (dd_test_query_int (office->database,
                                      "SELECT amount_minor FROM declaration WHERE case_id = 1"), ==,
                   50000);
  g_assert_cmpint (dd_test_query_int (office->database,
                                      "SELECT COUNT(*) FROM activity WHERE case_id = 1"
                                      " AND kind = 'call-outcome' AND agent_id = 1"), ==, 1);
  g_assert_cmpint (state_of (office->database), ==, DD_AGENT_STATE_READY);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (child (view, "card_stack"))), ==,
                   "waiting");
  dd_test_iterate_for (300);
  dd_test_save_screenshot (SCREENSHOT_PREFIX, "ready");

  /* The dialer settings: what a dial level would do */
  settings = dd_dialer_settings_new (context);
  gtk_window_set_transient_for (GTK_WINDOW (settings), GTK_WINDOW (window));
  gtk_window_set_default_size (GTK_WINDOW (settings), 1024, 700);
  gtk_window_present (GTK_WINDOW (settings));
  dd_test_wait_until_mapped (settings);
  dd_dialer_settings_simulate (DD_DIALER_SETTINGS (settings), 10, 30, 1.0);
  g_test_message ("level 1.0: %s", dd_dialer_settings_get_result (DD_DIALER_SETTINGS (settings)));
  g_assert_true (g_str_has_prefix (dd_dialer_settings_get_result (DD_DIALER_SETTINGS (settings)),
                                   "0.0 % of answered calls abandoned"));
  dd_dialer_settings_simulate (DD_DIALER_SETTINGS (settings), 10, 30, 3.0);
  g_test_message ("level 3.0: %s", dd_dialer_settings_get_result (DD_DIALER_SETTINGS (settings)));
  g_assert_false (g_str_has_prefix (dd_dialer_settings_get_result (DD_DIALER_SETTINGS (settings)),
                                    "0.0 %"));
  dd_test_iterate_for (500);
  dd_test_save_screenshot (SCREENSHOT_PREFIX, "dialer-settings");

  dd_test_destroy_window (GTK_WINDOW (settings));
  dd_test_destroy_window (GTK_WINDOW (window));
  g_clear_object (&context);
}

static gboolean
card_open (gpointer view)
{
  return g_strcmp0 (gtk_stack_get_visible_child_name (GTK_STACK (child (view, "card_stack"))),
                    "case") == 0;
}

/* The dialer rang the campaign's every number: Start Dialing again (nothing left to dial) */
static gboolean
dialing_done (gpointer view)
{
  return g_strcmp0 (gtk_button_get_label (GTK_BUTTON (child (view, "dial_button"))),
                    "Start _Dialing") == 0;
}

static gboolean
in_wrap_up (gpointer database)
{
  return state_of (database) == DD_AGENT_STATE_WRAP_UP;
}

/* Start Dialing with the campaign chosen: the context's dialer rings the campaign's planned
 * number through the line; a baresip debtor answers, the consultant's baresip (at their SIP
 * address, auto-answer) gets the call and the case card opens with the campaign's script; the
 * debtor hangs up and the consultant goes to wrap-up. */
static void
test_start_dialing (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DdTestOffice) office = NULL;
  g_autoptr(DdContext) context = NULL;
  g_autoptr(GSettings) settings = NULL;
  g_autofree char *consultant_uri = NULL;
  g_autofree char *sql = NULL;
  g_autofree char *line = NULL;
  DdBaresip *debtor, *consultant;
  GtkWidget *window;
  DdConsoleView *view;
  DdDialer *dialer;

  if (!dd_test_have_program ("baresip"))
    {
      g_test_skip ("baresip is not installed");
      return;
    }
  /* the debtor hangs up at the end of its sound */
  debtor = dd_baresip_start_party ("48601000001", TRUE, 440, 6);
  consultant = dd_baresip_start_party ("anna", TRUE, 1000, 0);

  office = dd_test_office_new ("console-dialing");
  g_assert_true (dd_database_exec (office->database, office_sql, &error));
  consultant_uri = g_strdup_printf ("sip:anna@127.0.0.1:%u", consultant->sip_port);
  /* the campaign planned one call (the voice campaign's attempt, not rung yet), and one to
   * Ewa, who paid since: not offered, not rung */
  sql = g_strdup_printf ("UPDATE agent SET sip_uri = '%s' WHERE id = 1;"
                         "INSERT INTO call_attempt (campaign_id, case_id, phone_id, state)"
                         " SELECT 1, 1, id, 'scheduled' FROM phone WHERE debtor_id = 1;"
                         "INSERT INTO debtor (id, dedup_key, name, language, created_at,"
                         " updated_at) VALUES (2, 'k2', 'Ewa Nowak', 'pl', 'x', 'x');"
                         "INSERT INTO phone (id, debtor_id, e164, created_at)"
                         " VALUES (2, 2, '+48601000002', 'x');"
                         "INSERT INTO debt_case (id, debtor_id, creditor_id, balance_minor,"
                         " currency, oldest_due_on, created_at, updated_at)"
                         " VALUES (2, 2, 1, 0, 'PLN', '2026-10-10', 'x', 'x');"
                         "INSERT INTO call_attempt (campaign_id, case_id, phone_id, state)"
                         " VALUES (1, 2, 2, 'scheduled');",
                         consultant_uri);
  g_assert_true (dd_database_exec (office->database, sql, &error));
  g_assert_no_error (error);

  settings = g_settings_new (APPLICATION_ID);
  g_settings_set_string (settings, "sip-local-address", "127.0.0.1");
  g_settings_set_string (settings, "office-name", "Windykacja Test");
  g_settings_set_string (settings, "office-phone", "+48 22 100 20 30");
  g_settings_set_string (settings, "office-language", "pl");
  /* the debtor answers with a steady tone, which the detector takes for a machine */
  g_settings_set_string (settings, "dialer-machines", "connect");
  context = dd_context_new (office->database, settings);
  dd_context_set_agent (context, 1, "Anna Konsultant", FALSE);
  /* the line (in the app: the first SIP account of Preferences) reaches the debtor's baresip */
  dialer = dd_context_get_dialer (context, &error);
  g_assert_no_error (error);
  line = g_strdup_printf ("sip:office@127.0.0.1:%u", debtor->sip_port);
  dd_dialer_set_line (dialer, line);
  dd_dialer_set_tick (dialer, 50);

  window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (window), 1024, 700);
  view = DD_CONSOLE_VIEW (dd_console_view_new (context));
  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (view));
  gtk_window_present (GTK_WINDOW (window));
  dd_test_wait_until_mapped (GTK_WIDGET (view));

  /* The campaign is offered with its one number */
  {
    GListModel *names = G_LIST_MODEL (gtk_drop_down_get_model (GTK_DROP_DOWN (child (view, "campaign_dropdown"))));

    g_assert_cmpuint (g_list_model_get_n_items (names), ==, 1);
    g_assert_cmpstr (gtk_string_list_get_string (GTK_STRING_LIST (names), 0), ==,
                     "Grudzień (1 number)");
  }
  g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (child (view, "dial_button"))), ==,
                   "Start _Dialing");

  g_signal_emit_by_name (child (view, "ready_button"), "clicked");
  g_signal_emit_by_name (child (view, "dial_button"), "clicked");
  g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (child (view, "dial_button"))), ==,
                   "Stop _Dialing");
  g_assert_true (g_str_has_prefix (label_of (view, "figures_label"), "Dial level "));

  /* The debtor answers: the call comes to the consultant with the case card */
  g_assert_true (dd_test_wait_until (card_open, view, 30 * 1000));
  g_assert_cmpint (state_of (office->database), ==, DD_AGENT_STATE_ON_CALL);
  g_assert_cmpstr (label_of (view, "script_label"), ==,
                   "Dzień dobry, dzwonię w sprawie faktury FV/2026/10/17.");
  g_assert_true (dd_baresip_wait_said (consultant, "CALL_ESTABLISHED", 10));
  dd_test_iterate_for (500);
  dd_test_save_screenshot (SCREENSHOT_PREFIX, "dialing-case");

  /* The debtor hangs up: wrap-up; the campaign has no number left */
  g_assert_true (dd_test_wait_until (in_wrap_up, office->database, 30 * 1000));
  g_assert_cmpint (dd_test_query_int (office->database,
                                      "SELECT COUNT(*) FROM dialer_answer WHERE campaign_id = 1"
                                      " AND case_id = 1 AND agent_id = 1 AND abandoned = 0"), ==, 1);
  g_assert_cmpint (dd_test_query_int (office->database,
                                      "SELECT COUNT(*) FROM call_attempt WHERE campaign_id = 1"
                                      " AND case_id = 1 AND state = 'completed'"), ==, 1);
  g_assert_true (dd_test_wait_until (dialing_done, view, 10 * 1000));
  g_assert_false (gtk_widget_get_sensitive (child (view, "dial_button")));
  dd_test_iterate_for (500);
  dd_test_save_screenshot (SCREENSHOT_PREFIX, "dialing-wrap-up");

  /* Closing the window and its context stops the dialer */
  dd_test_destroy_window (GTK_WINDOW (window));
  g_clear_object (&context);
  dd_baresip_stop (consultant);
  dd_baresip_stop (debtor);
}

static gboolean
preview_shows_case_2 (gpointer view)
{
  return gtk_widget_get_visible (child (view, "preview_bar"))
         && g_str_has_prefix (label_of (view, "preview_label"), "Next: Ewa Nowak");
}

/* Preview mode: Start Dialing rings nothing; the card shows the first case with Call and
 * Skip; Skip shows the next one (the skipped case stays planned); Call rings it through the
 * line, the baresip debtor answers and the call goes to the consultant's baresip with the
 * case card; after the wrap-up's outcome, the campaign has nothing left to show. */
static void
test_preview (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DdTestOffice) office = NULL;
  g_autoptr(DdContext) context = NULL;
  g_autoptr(GSettings) settings = NULL;
  g_autofree char *sql = NULL;
  g_autofree char *line = NULL;
  DdBaresip *debtor, *consultant;
  DdDialerCounts counts;
  GtkWidget *window;
  DdConsoleView *view;
  DdDialer *dialer;

  if (!dd_test_have_program ("baresip"))
    {
      g_test_skip ("baresip is not installed");
      return;
    }
  /* the debtor hangs up at the end of its sound */
  debtor = dd_baresip_start_party ("48601000002", TRUE, 440, 4);
  consultant = dd_baresip_start_party ("anna", TRUE, 1000, 0);

  office = dd_test_office_new ("console-preview");
  g_assert_true (dd_database_exec (office->database, office_sql, &error));
  sql = g_strdup_printf ("UPDATE agent SET sip_uri = 'sip:anna@127.0.0.1:%u' WHERE id = 1;"
                         "INSERT INTO debtor (id, dedup_key, name, language, created_at,"
                         " updated_at) VALUES (2, 'k2', 'Ewa Nowak', 'pl', 'x', 'x');"
                         "INSERT INTO phone (debtor_id, e164, created_at)"
                         " VALUES (2, '+48601000002', 'x');"
                         "INSERT INTO debt_case (id, debtor_id, creditor_id, balance_minor,"
                         " currency, debtor_name, created_at, updated_at) VALUES"
                         " (2, 2, 1, 48000, 'PLN', 'Ewa Nowak', 'x', 'x');"
                         "INSERT INTO call_attempt (campaign_id, case_id, phone_id, state)"
                         " SELECT 1, debtor_id, id, 'scheduled' FROM phone;",
                         consultant->sip_port);
  g_assert_true (dd_database_exec (office->database, sql, &error));
  g_assert_no_error (error);

  settings = g_settings_new (APPLICATION_ID);
  g_settings_set_string (settings, "sip-local-address", "127.0.0.1");
  g_settings_set_string (settings, "dialer-mode", "preview");
  g_settings_set_uint (settings, "wrap-up-seconds", 60);
  context = dd_context_new (office->database, settings);
  dd_context_set_agent (context, 1, "Anna Konsultant", FALSE);
  dialer = dd_context_get_dialer (context, &error);
  g_assert_no_error (error);
  g_assert_cmpint (dd_dialer_get_mode (dialer), ==, DD_DIAL_MODE_PREVIEW);
  line = g_strdup_printf ("sip:office@127.0.0.1:%u", debtor->sip_port);
  dd_dialer_set_line (dialer, line);
  dd_dialer_set_tick (dialer, 50);

  window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (window), 1024, 700);
  view = DD_CONSOLE_VIEW (dd_console_view_new (context));
  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (view));
  gtk_window_present (GTK_WINDOW (window));
  dd_test_wait_until_mapped (GTK_WIDGET (view));

  /* Start: the first case on the card, nothing rung; Call only once ready */
  g_signal_emit_by_name (child (view, "dial_button"), "clicked");
  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (child (view, "card_stack"))), ==,
                   "case");
  g_assert_true (gtk_widget_get_visible (child (view, "preview_bar")));
  g_assert_cmpstr (label_of (view, "preview_label"), ==, "Next: Jan Kowalski, +48601000001");
  g_assert_false (gtk_widget_get_sensitive (child (view, "call_button")));
  g_signal_emit_by_name (child (view, "ready_button"), "clicked");
  g_assert_true (gtk_widget_get_sensitive (child (view, "call_button")));
  dd_test_iterate_for (400);
  dd_dialer_get_counts (dialer, &counts);
  g_assert_cmpuint (counts.dialled, ==, 0);
  dd_test_save_screenshot (SCREENSHOT_PREFIX, "preview");

  /* Skip: the next case; the first stays planned */
  g_signal_emit_by_name (child (view, "skip_button"), "clicked");
  g_assert_true (preview_shows_case_2 (view));
  g_assert_cmpint (dd_test_query_int (office->database,
                                      "SELECT COUNT(*) FROM call_attempt WHERE case_id = 1"
                                      " AND state = 'scheduled'"), ==, 1);

  /* Call: rung through the line, answered, handed to the consultant with the case card */
  g_signal_emit_by_name (child (view, "call_button"), "clicked");
  dd_dialer_get_counts (dialer, &counts);
  g_assert_cmpuint (counts.dialled, ==, 1);
  g_assert_cmpint (state_of (office->database), ==, DD_AGENT_STATE_ON_CALL);
  g_assert_true (dd_baresip_wait_said (consultant, "CALL_ESTABLISHED", 20));
  g_assert_false (gtk_widget_get_visible (child (view, "preview_bar")));
  g_assert_cmpint (dd_test_query_int (office->database,
                                      "SELECT COUNT(*) FROM dialer_answer WHERE case_id = 2"
                                      " AND agent_id = 1 AND abandoned = 0"), ==, 1);

  /* The debtor hangs up: wrap-up; the outcome recorded; no case left (case 1 was skipped) */
  g_assert_true (dd_test_wait_until (in_wrap_up, office->database, 30 * 1000));
  g_assert_true (dd_console_view_choose_outcome (view, 0 /* right party */));
  g_assert_true (dd_test_wait_until (dialing_done, view, 10 * 1000));
  g_assert_false (gtk_widget_get_visible (child (view, "preview_bar")));
  g_assert_cmpint (dd_test_query_int (office->database,
                                      "SELECT COUNT(*) FROM call_attempt WHERE case_id = 2"
                                      " AND state = 'completed'"), ==, 1);

  dd_test_destroy_window (GTK_WINDOW (window));
  g_clear_object (&context);
  dd_baresip_stop (consultant);
  dd_baresip_stop (debtor);
}

static GtkWidget *
first_missed_row (gpointer view)
{
  return gtk_widget_get_first_child (child (view, "missed_list"));
}

/* Missed calls: an abandoned caller of a queue in the list (name, number, queue, what
 * happened) and another caller still waiting, counted live; Call Back rings the caller
 * through the dialer for this consultant (their baresip answers, the consultant's baresip
 * gets the call) and the entry is done. */
static void
test_missed_calls (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DdTestOffice) office = NULL;
  g_autoptr(DdContext) context = NULL;
  g_autoptr(GSettings) settings = NULL;
  g_autoptr(DdInboundStore) inbound = NULL;
  g_autoptr(DdInboundQueue) queue = dd_inbound_queue_new ("Płatności");
  g_autofree char *sql = NULL;
  g_autofree char *line = NULL;
  DdBaresip *debtor, *consultant;
  gint64 queue_id = 0, call_id = 0, waiting_id = 0;
  guint open = 0;
  GtkWidget *window, *row;
  DdConsoleView *view;
  DdDialer *dialer;

  if (!dd_test_have_program ("baresip"))
    {
      g_test_skip ("baresip is not installed");
      return;
    }
  debtor = dd_baresip_start_party ("48601000001", TRUE, 440, 4);
  consultant = dd_baresip_start_party ("anna", TRUE, 1000, 0);

  office = dd_test_office_new ("console-missed");
  g_assert_true (dd_database_exec (office->database, office_sql, &error));
  sql = g_strdup_printf ("UPDATE agent SET sip_uri = 'sip:anna@127.0.0.1:%u' WHERE id = 1;",
                         consultant->sip_port);
  g_assert_true (dd_database_exec (office->database, sql, &error));
  g_assert_no_error (error);

  /* Jan Kowalski hung up while waiting; an unknown caller waits now */
  inbound = dd_inbound_store_new (office->database);
  g_assert_true (dd_inbound_store_add_queue (inbound, queue, &queue_id, &error));
  g_assert_true (dd_inbound_store_call_arrived (inbound, "48601000001", "+48601000001", 1,
                                                &call_id, &error));
  g_assert_true (dd_inbound_store_call_queued (inbound, call_id, queue_id, &error));
  g_assert_true (dd_inbound_store_call_ended (inbound, call_id, DD_INBOUND_OUTCOME_ABANDONED,
                                              NULL, &error));
  g_assert_true (dd_inbound_store_call_arrived (inbound, "48609000009", "+48609000009", 0,
                                                &waiting_id, &error));
  g_assert_true (dd_inbound_store_call_queued (inbound, waiting_id, queue_id, &error));
  g_assert_no_error (error);

  settings = g_settings_new (APPLICATION_ID);
  g_settings_set_string (settings, "sip-local-address", "127.0.0.1");
  context = dd_context_new (office->database, settings);
  dd_context_set_agent (context, 1, "Anna Konsultant", FALSE);
  dialer = dd_context_get_dialer (context, &error);
  g_assert_no_error (error);
  line = g_strdup_printf ("sip:office@127.0.0.1:%u", debtor->sip_port);
  dd_dialer_set_line (dialer, line);
  dd_dialer_set_tick (dialer, 50);

  window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (window), 1024, 700);
  view = DD_CONSOLE_VIEW (dd_console_view_new (context));
  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (view));
  gtk_window_present (GTK_WINDOW (window));
  dd_test_wait_until_mapped (GTK_WIDGET (view));

  /* The list and the waiting count */
  g_assert_cmpstr (adw_preferences_group_get_description (ADW_PREFERENCES_GROUP (child (view, "missed_group"))),
                   ==, "1 caller is waiting in the queues.");
  row = first_missed_row (view);
  g_assert_true (ADW_IS_ACTION_ROW (row));
  g_assert_null (gtk_widget_get_next_sibling (row));
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), ==, "Jan Kowalski");
  g_assert_true (g_str_has_prefix (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)),
                                   "+48601000001 · Płatności · "));
  dd_test_iterate_for (300);
  dd_test_save_screenshot (SCREENSHOT_PREFIX, "missed-calls");

  /* The waiting caller is answered elsewhere: the count follows within a second */
  g_assert_true (dd_inbound_store_call_answered (inbound, waiting_id, 0, &error));
  dd_test_iterate_for (1300);
  g_assert_cmpstr (adw_preferences_group_get_description (ADW_PREFERENCES_GROUP (child (view, "missed_group"))),
                   ==, "Nobody is waiting in the queues.");

  /* Call Back: rung through the dialer for this consultant; the entry is done */
  g_signal_emit_by_name (child (view, "ready_button"), "clicked");
  g_signal_emit_by_name (g_object_get_data (G_OBJECT (first_missed_row (view)),
                                            "dd-call-back-button"), "clicked");
  g_assert_cmpint (state_of (office->database), ==, DD_AGENT_STATE_ON_CALL);
  g_assert_true (dd_inbound_store_count_open (inbound, &open, &error));
  g_assert_cmpuint (open, ==, 0);
  g_assert_true (dd_baresip_wait_said (consultant, "CALL_ESTABLISHED", 20));
  g_assert_true (dd_test_wait_until (card_open, view, 10 * 1000));
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (first_missed_row (view))),
                   ==, "No missed calls to return");
  g_assert_true (dd_test_wait_until (in_wrap_up, office->database, 30 * 1000));

  dd_test_destroy_window (GTK_WINDOW (window));
  g_clear_object (&context);
  dd_baresip_stop (consultant);
  dd_baresip_stop (debtor);
}

/* The preview bar and the missed calls in English, Polish and Russian at 1024×700 and
 * 1280×800: nothing cut; a screenshot of each. */
static void
test_languages (void)
{
  static const struct { const char *language; int width, height; } cases[] = {
    { "en", 1024, 700 }, { "en", 1280, 800 }, { "pl", 1024, 700 }, { "pl", 1280, 800 },
    { "ru", 1024, 700 }, { "ru", 1280, 800 },
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(DdTestOffice) office = dd_test_office_new ("console-languages");
  g_autoptr(DdContext) context = NULL;
  g_autoptr(GSettings) settings = NULL;
  g_autoptr(DdInboundStore) inbound = NULL;
  g_autoptr(DdInboundQueue) queue = dd_inbound_queue_new ("Płatności");
  gint64 queue_id = 0, call_id = 0;
  DdDialer *dialer;

  g_assert_true (dd_database_exec (office->database, office_sql, &error));
  g_assert_true (dd_database_exec (office->database,
                                   "INSERT INTO call_attempt (campaign_id, case_id, phone_id, state)"
                                   " SELECT 1, 1, id, 'scheduled' FROM phone;"
                                   "UPDATE agent SET sip_uri = 'sip:anna@127.0.0.1:9';", &error));
  g_assert_no_error (error);
  inbound = dd_inbound_store_new (office->database);
  g_assert_true (dd_inbound_store_add_queue (inbound, queue, &queue_id, &error));
  g_assert_true (dd_inbound_store_call_arrived (inbound, "48601000001", "+48601000001", 1,
                                                &call_id, &error));
  g_assert_true (dd_inbound_store_call_queued (inbound, call_id, queue_id, &error));
  g_assert_true (dd_inbound_store_call_ended (inbound, call_id,
                                              DD_INBOUND_OUTCOME_CALLBACK_REQUESTED, NULL, &error));
  g_assert_no_error (error);

  settings = g_settings_new (APPLICATION_ID);
  g_settings_set_string (settings, "sip-local-address", "127.0.0.1");
  g_settings_set_string (settings, "dialer-mode", "preview");
  context = dd_context_new (office->database, settings);
  dd_context_set_agent (context, 1, "Anna Konsultant", FALSE);
  dialer = dd_context_get_dialer (context, &error);
  g_assert_no_error (error);
  dd_dialer_set_line (dialer, "sip:office@127.0.0.1:9");

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GString) cut = g_string_new (NULL);
      g_autofree char *name = NULL;
      GtkWidget *window;
      DdConsoleView *view;

      if (g_strcmp0 (cases[i].language, "en") != 0 && !dd_test_use_language (cases[i].language))
        {
          g_test_message ("no %s catalog in this build", cases[i].language);
          continue;
        }
      window = gtk_window_new ();
      gtk_window_set_default_size (GTK_WINDOW (window), cases[i].width, cases[i].height);
      view = DD_CONSOLE_VIEW (dd_console_view_new (context));
      gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (view));
      gtk_window_present (GTK_WINDOW (window));
      dd_test_wait_until_mapped (GTK_WIDGET (view));
      dd_test_iterate_for (300);
      dd_test_collect_cut_labels (child (view, "missed_group"), FALSE, cut);
      name = g_strdup_printf ("missed-%s-%dx%d", cases[i].language, cases[i].width,
                              cases[i].height);
      dd_test_save_screenshot (SCREENSHOT_PREFIX, name);

      /* preview: the first case with Call and Skip */
      g_signal_emit_by_name (child (view, "dial_button"), "clicked");
      g_assert_true (gtk_widget_get_visible (child (view, "preview_bar")));
      dd_test_iterate_for (300);
      dd_test_collect_cut_labels (child (view, "preview_bar"), FALSE, cut);
      g_free (name);
      name = g_strdup_printf ("preview-%s-%dx%d", cases[i].language, cases[i].width,
                              cases[i].height);
      dd_test_save_screenshot (SCREENSHOT_PREFIX, name);
      g_test_message ("%s %d×%d cut: %s", cases[i].language, cases[i].width, cases[i].height,
                      cut->str);
      g_assert_cmpstr (cut->str, ==, "");
      dd_console_view_stop_dialing (view);
      dd_test_destroy_window (GTK_WINDOW (window));
    }
  g_clear_object (&context);
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  dd_test_use_app_style ();

  g_test_add_func ("/dd/ui/console/states-call-wrap-up", test_console);
  g_test_add_func ("/dd/ui/console/start-dialing", test_start_dialing);
  g_test_add_func ("/dd/ui/console/preview", test_preview);
  g_test_add_func ("/dd/ui/console/missed-calls", test_missed_calls);
  g_test_add_func ("/dd/ui/console/languages", test_languages);

  return g_test_run ();
}
