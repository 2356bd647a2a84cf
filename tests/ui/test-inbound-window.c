/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The office's inbound line in the window (issue 18): with a line that takes calls set up,
 * the window's context runs the queue as soon as the lines are up. A caller (baresip on
 * 127.0.0.1, calling from a debtor's number) waits until the consultant at this desk is ready,
 * then goes to the desk's headset (a test tone and a fake sink); the window comes forward on
 * the caller's case with a toast to hang up, and the call is in the store as answered by the
 * desk's consultant. A line whose account is gone is said in a toast. */
#define G_LOG_DOMAIN "test-inbound-window"

#include "config.h"

#include <adwaita.h>
#define G_SETTINGS_ENABLE_BACKEND
#include <gio/gsettingsbackend.h>

#include "dd-agent-state-store.h"
#include "dd-cases-view-private.h"
#include "dd-headset.h"
#include "dd-inbound-queue.h"
#include "dd-test-ui.h"
#include "dd-window-private.h"
#include "sip-peers.h"

#include <string.h>

typedef struct
{
  DdTestOffice *office;
  GSettings    *settings;
  DdWindow     *window;
  DdHeadset    *headset;
  gint64        connected_case;
} Desk;

static void
fill_office (DdDatabase *db,
             const char *account)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DdInboundStore) store = dd_inbound_store_new (db);
  g_autoptr(DdInboundQueue) queue = dd_inbound_queue_new ("Płatności");

  g_assert_true (dd_database_exec (db,
    "INSERT INTO creditor (id, name, created_at) VALUES (1, 'Alfa Energia', 'x');"
    "INSERT INTO agent (id, name, role, created_at) VALUES (1, 'Zofia Nowak', 'manager', 'x');"
    "INSERT INTO debtor (id, dedup_key, name, created_at, updated_at) VALUES"
    " (1, 'k1', 'Jan Kowalski', 'x', 'x');"
    "INSERT INTO phone (debtor_id, e164, kind, position, valid, created_at) VALUES"
    " (1, '+48601234567', 'mobile', 0, 1, 'x');"
    "INSERT INTO debt_case (id, debtor_id, creditor_id, balance_minor, currency, debtor_name,"
    " created_at, updated_at) VALUES (7, 1, 1, 120000, 'PLN', 'Jan Kowalski', 'x', 'x');",
    &error));
  g_assert_no_error (error);
  queue->max_wait_s = 120;
  g_assert_true (dd_inbound_store_add_queue (store, queue, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (dd_inbound_store_set_line (store, account, 0, &error));
  g_assert_no_error (error);
}

static void
on_connected (DdInboundRunner *runner,
              gint64           case_id,
              gint64           agent_id,
              Desk            *desk)
{
  desk->connected_case = case_id;
}

static gboolean
inbound_running (gpointer data)
{
  DdInboundRunner *runner = dd_context_peek_inbound (dd_window_get_context (((Desk *) data)->window));

  return runner != NULL && dd_inbound_runner_is_running (runner);
}

static gboolean
headset_on_call (gpointer data)
{
  DdCall *call = dd_headset_get_call (((Desk *) data)->headset);

  return call != NULL && dd_call_get_state (call) == DD_CALL_STATE_ANSWERED;
}

static gboolean
case_shown (gpointer data)
{
  Desk *desk = data;

  return desk->connected_case == 7 &&
         gtk_list_box_get_selected_row (desk->window->sidebar_list) == desk->window->cases_row;
}

static void
desk_open (Desk       *desk,
           const char *line_account)
{
  g_autoptr(GSettingsBackend) backend = g_memory_settings_backend_new ();

  desk->office = dd_test_office_new ("inbound-window");
  fill_office (desk->office->database, line_account);
  desk->settings = g_settings_new_with_backend (APPLICATION_ID, backend);
  g_settings_set_string (desk->settings, "sip-accounts",
                         "[{\"name\": \"Biuro\", \"aor\": \"sip:office@127.0.0.1\"}]");
  g_settings_set_string (desk->settings, "sip-local-address", "127.0.0.1");
  g_settings_set_string (desk->settings, "office-language", "pl");
  g_settings_set_uint (desk->settings, "wrap-up-seconds", 3);

  desk->window = dd_window_new (NULL, desk->office->database, desk->settings);
  gtk_window_set_default_size (GTK_WINDOW (desk->window), 1000, 650);
  gtk_window_present (GTK_WINDOW (desk->window));
  dd_test_wait_until_mapped (GTK_WIDGET (desk->window));
  /* another section in front: the call brings the cases forward */
  gtk_list_box_select_row (desk->window->sidebar_list, desk->window->campaigns_row);
}

static void
desk_close (Desk *desk)
{
  dd_test_destroy_window (GTK_WINDOW (desk->window));
  g_clear_object (&desk->headset);
  g_clear_object (&desk->settings);
  g_clear_pointer (&desk->office, dd_test_office_free);
}

static void
test_caller_on_headset (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DdAgentStateStore) states = NULL;
  g_autoptr(GPtrArray) calls = NULL;
  g_autofree char *uri = NULL;
  DdBaresipOptions options = { 0 };
  DdInboundRunner *runner;
  DdBaresip *caller;
  DdInboundCall *call;
  Desk desk = { 0 };

  if (!dd_test_have_program ("baresip"))
    {
      g_test_skip ("baresip is not installed");
      return;
    }
  desk_open (&desk, "Biuro");
  g_assert_true (dd_test_wait_until (inbound_running, &desk, 10000));
  runner = dd_context_peek_inbound (dd_window_get_context (desk.window));
  g_assert_cmpint (dd_context_get_agent_id (dd_window_get_context (desk.window)), ==, 1);
  g_signal_connect (runner, "call-connected", G_CALLBACK (on_connected), &desk);
  desk.headset = dd_headset_new ("audiotestsrc is-live=true wave=sine freq=700 volume=0.2",
                                 "fakesink sync=false", &error);
  g_assert_no_error (error);
  dd_context_set_headset (dd_window_get_context (desk.window), desk.headset);

  /* Jan calls the office's line from his number */
  options.account = "<sip:48601234567@127.0.0.1>;regint=0";
  options.tone_hz = 440;
  options.tone_volume = 0.2;
  options.tone_seconds = 30;
  options.quiet = TRUE;
  caller = dd_baresip_start (&options, &error);
  g_assert_no_error (error);
  uri = g_strdup_printf ("sip:office@127.0.0.1:%u",
                         dd_sip_engine_get_port (dd_context_peek_sip_engine (
                           dd_window_get_context (desk.window))));
  g_assert_true (dd_baresip_command (caller, "dial", uri, NULL));
  dd_test_iterate_for (2000);
  /* nobody ready yet: the caller waits; the desk's consultant gets ready */
  g_assert_false (headset_on_call (&desk));
  states = dd_agent_state_store_new (desk.office->database);
  g_assert_true (dd_agent_state_store_set_ready (states, 1, &error));
  g_assert_no_error (error);

  g_assert_true (dd_test_wait_until (headset_on_call, &desk, 30000));
  g_assert_true (dd_test_wait_until (case_shown, &desk, 10000));
  g_assert_nonnull (desk.window->last_toast);
  g_assert_nonnull (strstr (desk.window->last_toast, "Jan Kowalski"));
  dd_test_save_screenshot ("test-inbound-window", "caller-on-headset");

  /* the desk hangs up: the call is the store's, answered by the desk's consultant */
  dd_headset_hang_up (desk.headset);
  g_assert_true (dd_baresip_wait_said (caller, "CALL_CLOSED", 10));
  dd_test_iterate_for (500);
  calls = dd_inbound_store_list_calls (dd_inbound_runner_get_store (runner), 0,
                                       g_get_real_time () / G_USEC_PER_SEC + 3600,
                                       &error);
  g_assert_no_error (error);
  g_assert_cmpuint (calls->len, ==, 1);
  call = g_ptr_array_index (calls, 0);
  g_assert_cmpint (call->case_id, ==, 7);
  g_assert_cmpint (call->agent_id, ==, 1);
  g_assert_cmpint (call->outcome, ==, DD_INBOUND_OUTCOME_ANSWERED);
  dd_baresip_stop (caller);
  g_clear_object (&states);
  desk_close (&desk);
}

/* The line names an account that is not among the office's lines: said, nothing taken. */
static void
test_line_gone (void)
{
  Desk desk = { 0 };

  desk_open (&desk, "Stara linia");
  dd_test_iterate_for (500);
  g_assert_null (dd_context_peek_inbound (dd_window_get_context (desk.window)) != NULL &&
                 dd_inbound_runner_is_running (dd_context_peek_inbound (
                   dd_window_get_context (desk.window))) ? "running" : NULL);
  g_assert_nonnull (desk.window->last_toast);
  g_assert_nonnull (strstr (desk.window->last_toast, "Incoming calls are not taken"));
  desk_close (&desk);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  adw_init ();
  dd_test_use_app_style ();

  g_test_add_func ("/dd/ui/inbound-window/caller-on-headset", test_caller_on_headset);
  g_test_add_func ("/dd/ui/inbound-window/line-gone", test_line_gone);
  return g_test_run ();
}
