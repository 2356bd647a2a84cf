/* SPDX-License-Identifier: GPL-3.0-or-later */
/* "Talk to a consultant" in a voice campaign the window runs: a real sipp debtor on 127.0.0.1
 * answers and presses 2; the window comes forward on the debtor's case and asks to answer.
 * Answered, the call goes to the desk's headset (a test tone for a microphone, a fake sink for
 * a speaker) and the flow lets go of it until the desk hangs up; not answered in time, the
 * debtor hears the flow's message and the case gets a callback request. */
#define G_LOG_DOMAIN "test-desk-transfer"

#include "config.h"

#include <adwaita.h>
#define G_SETTINGS_ENABLE_BACKEND
#include <gio/gsettingsbackend.h>

#include "dd-call-attempts.h"
#include "dd-campaign-store.h"
#include "dd-case-page.h"
#include "dd-cases-view-private.h"
#include "dd-headset.h"
#include "dd-ivr-flow-store.h"
#include "dd-test-ui.h"
#include "dd-window-private.h"
#include "sip-peers.h"

#include <string.h>

typedef struct
{
  char        *dir;
  GSubprocess *sipp;
  guint        port;
  DdTestOffice *office;
  GSettings   *settings;
  DdWindow    *window;
  DdHeadset   *headset;
  gint64       campaign_id;
  gboolean     ended;
} Desk;

static gboolean
dialog_shown (gpointer data)
{
  return _dd_window_get_transfer_dialog (((Desk *) data)->window) != NULL;
}

static gboolean
attempt_ended (gpointer data)
{
  return ((Desk *) data)->ended;
}

static gboolean
headset_on_call (gpointer data)
{
  DdCall *call = dd_headset_get_call (((Desk *) data)->headset);

  return call != NULL && dd_call_get_state (call) == DD_CALL_STATE_ANSWERED;
}

static gboolean
line_ready (gpointer data)
{
  DdSipEngine *engine = dd_context_peek_sip_engine (dd_window_get_context (((Desk *) data)->window));

  return engine != NULL &&
         dd_sip_engine_get_account_state (engine, "Biuro", NULL, NULL) != DD_SIP_ACCOUNT_UNKNOWN;
}

static void
on_attempt_ended (DdVoiceCampaign *runner,
                  gint64           campaign_id,
                  gint64           attempt_id,
                  Desk            *desk)
{
  desk->ended = TRUE;
}

/* sipp as the debtor (a number ending in 3: answers, presses 2 after 0.8 s, waits for our
 * BYE), the office's line at it, and the window with a headset for tests. */
static void
desk_open (Desk  *desk,
           guint  ring_seconds)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSettingsBackend) backend = g_memory_settings_backend_new ();
  g_autofree char *scenario = NULL;
  g_autofree char *keys = dd_sipp_declare_keys ();
  g_autofree char *media = g_strdup_printf ("%u", dd_test_free_port (G_SOCKET_PROTOCOL_UDP));
  g_autofree char *accounts = NULL;
  g_autofree char *flow = NULL;
  g_autofree char *flow_path = g_test_build_filename (G_TEST_DIST, "telephony",
                                                      "voice-flow-pl.json", NULL);
  const char *extra[] = { "-mp", media, NULL };
  DdVoiceCampaign *runner;

  desk->dir = g_dir_make_tmp ("dd-desk-transfer-XXXXXX", &error);
  scenario = g_build_filename (desk->dir, "debtor.xml", NULL);
  g_assert_true (dd_sipp_write_debtor_callee (scenario, keys, &error));
  desk->port = dd_test_free_port (G_SOCKET_PROTOCOL_UDP);
  desk->sipp = dd_sipp_spawn (desk->port, scenario, NULL, extra, &error);
  g_assert_no_error (error);
  g_usleep (500 * 1000);

  desk->office = dd_test_office_new ("desk-transfer");
  g_assert_true (dd_database_exec (desk->office->database,
    "INSERT INTO creditor (id, name, created_at) VALUES (1, 'Alfa Energia', 'x');"
    "INSERT INTO debtor (id, dedup_key, name, language, created_at, updated_at)"
    " VALUES (1, 'k1', 'Jan Kowalski', 'pl', 'x', 'x'), (2, 'k2', 'Anna Nowak', 'pl', 'x', 'x');"
    "INSERT INTO phone (debtor_id, e164, kind, created_at)"
    " VALUES (1, '+48600000003', 'mobile', 'x'), (2, '+48600000009', 'mobile', 'x');"
    "INSERT INTO debt_case (id, debtor_id, creditor_id, balance_minor, currency, debtor_name,"
    " created_at, updated_at) VALUES (1, 2, 1, 9900, 'PLN', 'Anna Nowak', 'x', 'x'),"
    " (7, 1, 1, 45000, 'PLN', 'Jan Kowalski', 'x', 'x');", &error));
  g_assert_no_error (error);

  desk->settings = g_settings_new_with_backend (APPLICATION_ID, backend);
  accounts = g_strdup_printf ("[{\"name\": \"Biuro\", \"aor\": \"sip:48221110001@127.0.0.1:%u\"}]",
                              desk->port);
  g_settings_set_string (desk->settings, "sip-accounts", accounts);
  g_settings_set_string (desk->settings, "sip-local-address", "127.0.0.1");
  g_settings_set_uint (desk->settings, "transfer-ring-seconds", ring_seconds);

  desk->window = dd_window_new (NULL, desk->office->database, desk->settings);
  gtk_window_set_default_size (GTK_WINDOW (desk->window), 1000, 650);
  gtk_window_present (GTK_WINDOW (desk->window));
  dd_test_wait_until_mapped (GTK_WIDGET (desk->window));
  /* another section in front: the transfer brings the cases forward */
  gtk_list_box_select_row (desk->window->sidebar_list, desk->window->campaigns_row);

  desk->headset = dd_headset_new ("audiotestsrc is-live=true wave=sine freq=700 volume=0.2",
                                  "fakesink sync=false", &error);
  g_assert_no_error (error);
  dd_context_set_headset (dd_window_get_context (desk->window), desk->headset);
  runner = dd_context_peek_voice_campaign (dd_window_get_context (desk->window));
  g_assert_nonnull (runner);
  g_assert_true (dd_test_wait_until (line_ready, desk, 10000));
  /* the office's calling hours do not matter to the test */
  dd_voice_campaign_set_contact_policy (runner, NULL);
  dd_voice_campaign_set_tick (runner, 100);
  g_signal_connect (runner, "attempt-ended", G_CALLBACK (on_attempt_ended), desk);

  /* a campaign calling Jan, whose flow's 2 is "a consultant" */
  {
    g_autoptr(DdIvrFlowStore) flows = dd_ivr_flow_store_new (desk->office->database);
    g_autoptr(DdCampaignStore) campaigns = dd_campaign_store_new (desk->office->database);
    g_autoptr(DdCallAttempts) attempts = dd_call_attempts_new (desk->office->database);
    g_autoptr(DdVoiceSettings) voice = dd_voice_settings_new ();
    g_autoptr(GPtrArray) recipients = g_ptr_array_new ();
    DdCampaign campaign = { .name = (char *) "Telefony", .kind = (char *) "voice" };
    DdRecipient jan = { .case_id = 7, .debtor_id = 1, .phone_id = 1,
                        .e164 = (char *) "+48600000003" };
    gint64 flow_id = 0;

    g_assert_true (g_file_get_contents (flow_path, &flow, NULL, &error));
    g_assert_true (dd_ivr_flow_store_save (flows, "Przypomnienie", flow, &flow_id, NULL,
                                           &error));
    g_assert_true (dd_campaign_store_create (campaigns, &campaign, 0, &desk->campaign_id,
                                             &error));
    voice->flow_id = flow_id;
    voice->max_attempts = 1;
    voice->ring_timeout_s = 5;
    g_assert_true (dd_campaign_store_set_voice (campaigns, desk->campaign_id, voice, &error));
    g_ptr_array_add (recipients, &jan);
    g_assert_true (dd_call_attempts_plan (attempts, desk->campaign_id, recipients,
                                          g_get_real_time () / G_USEC_PER_SEC, NULL, &error));
    g_assert_true (dd_campaign_store_set_state (campaigns, desk->campaign_id,
                                                DD_CAMPAIGN_RUNNING, NULL, 0, &error));
    g_assert_no_error (error);
  }
  dd_voice_campaign_wake (runner);
}

static void
desk_close (Desk *desk)
{
  dd_test_destroy_window (GTK_WINDOW (desk->window));
  g_clear_object (&desk->headset);
  g_clear_object (&desk->settings);
  g_clear_pointer (&desk->office, dd_test_office_free);
  g_subprocess_force_exit (desk->sipp);
  g_subprocess_wait (desk->sipp, NULL, NULL);
  g_clear_object (&desk->sipp);
  dd_test_remove_tree (desk->dir);
  g_free (desk->dir);
}

static DdCallAttempt *
the_attempt (Desk *desk)
{
  g_autoptr(DdCallAttempts) attempts = dd_call_attempts_new (desk->office->database);
  g_autoptr(GPtrArray) all = dd_call_attempts_list (attempts, desk->campaign_id, NULL);
  DdCallAttempt *a;

  g_assert_nonnull (all);
  g_assert_cmpuint (all->len, ==, 1);
  a = g_ptr_array_steal_index (all, 0);
  return a;
}

static void
test_answer (void)
{
  Desk desk = { 0 };
  g_autoptr(DdCallAttempt) attempt = NULL;
  GtkWindow *dialog;
  DdCasesView *cases;

  if (!dd_test_have_program ("sipp"))
    {
      g_test_skip ("sipp (sip-tester) is not installed");
      return;
    }
  desk_open (&desk, 30);
  g_assert_true (dd_test_wait_until (dialog_shown, &desk, 60 * 1000));

  /* the window on Jan's case, asking */
  dialog = _dd_window_get_transfer_dialog (desk.window);
  dd_test_wait_until_mapped (GTK_WIDGET (dialog));
  g_assert_true (gtk_window_get_transient_for (dialog) == GTK_WINDOW (desk.window));
  g_assert_nonnull (strstr (adw_message_dialog_get_body (ADW_MESSAGE_DIALOG (dialog)),
                            "Jan Kowalski (+48600000003)"));
  g_assert_cmpstr (gtk_stack_get_visible_child_name (desk.window->sections), ==, "cases");
  cases = DD_CASES_VIEW (desk.window->cases_view);
  g_assert_cmpint (dd_case_page_get_case_id (_dd_cases_view_get_case_page (cases)), ==, 7);
  g_assert_null (dd_headset_get_call (desk.headset));
  dd_test_save_screenshot ("test-desk-transfer", "ringing");

  /* answered: the headset has the debtor; the flow says nothing more and leaves the call */
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "answer");
  g_assert_null (_dd_window_get_transfer_dialog (desk.window));
  g_assert_true (dd_test_wait_until (headset_on_call, &desk, 5000));
  g_assert_nonnull (strstr (_dd_window_get_last_toast (desk.window), "Jan Kowalski"));
  /* a few seconds on the line: the flow would have hung up by now */
  {
    gint64 until = g_get_monotonic_time () + 3 * G_USEC_PER_SEC;

    while (g_get_monotonic_time () < until)
      g_main_context_iteration (NULL, FALSE), g_usleep (1000);
  }
  g_assert_false (desk.ended);
  g_assert_true (headset_on_call (&desk));
  dd_test_save_screenshot ("test-desk-transfer", "on-the-line");

  dd_headset_hang_up (desk.headset);
  g_assert_true (dd_test_wait_until (attempt_ended, &desk, 10000));
  attempt = the_attempt (&desk);
  g_assert_cmpint (attempt->state, ==, DD_CALL_ATTEMPT_COMPLETED);
  g_assert_cmpstr (attempt->transfer, ==, "answered");
  g_assert_cmpstr (attempt->result, ==, "transferred");
  g_assert_cmpstr (attempt->keys, ==, "2");
  g_assert_cmpint (dd_test_query_int (desk.office->database,
                                      "SELECT COUNT(*) FROM activity WHERE case_id = 7"
                                      " AND kind = 'callback-request'"), ==, 0);
  desk_close (&desk);
}

static void
test_no_answer (void)
{
  Desk desk = { 0 };
  g_autoptr(DdCallAttempt) attempt = NULL;
  gint64 rang;

  if (!dd_test_have_program ("sipp"))
    {
      g_test_skip ("sipp (sip-tester) is not installed");
      return;
    }
  desk_open (&desk, 3);
  g_assert_true (dd_test_wait_until (dialog_shown, &desk, 60 * 1000));
  rang = g_get_monotonic_time ();
  /* nobody at the desk: after 3 s the question goes, the debtor hears "we will call back" */
  g_assert_true (dd_test_wait_until (attempt_ended, &desk, 30 * 1000));
  g_assert_cmpint (g_get_monotonic_time () - rang, >=, 3 * G_USEC_PER_SEC - 200000);
  g_assert_null (_dd_window_get_transfer_dialog (desk.window));
  g_assert_null (dd_headset_get_call (desk.headset));
  attempt = the_attempt (&desk);
  g_assert_cmpstr (attempt->transfer, ==, "no-agent");
  g_assert_cmpstr (attempt->result, ==, "callback");
  g_assert_nonnull (strstr (attempt->ivr_path, "consultant:failed sorry"));
  g_assert_cmpint (dd_test_query_int (desk.office->database,
                                      "SELECT COUNT(*) FROM activity WHERE case_id = 7"
                                      " AND kind = 'callback-request'"), ==, 1);
  desk_close (&desk);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  adw_init ();
  dd_test_use_app_style ();

  g_test_add_func ("/dd/ui/desk-transfer/answer", test_answer);
  g_test_add_func ("/dd/ui/desk-transfer/no-answer", test_no_answer);
  return g_test_run ();
}
