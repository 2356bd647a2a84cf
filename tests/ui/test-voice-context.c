/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The window's voice campaigns: DdContext makes the runner on the office's SIP engine with the
 * SIP accounts of Preferences as its lines; a running campaign is called through the account
 * (its number as the caller ID) to a sipp callee on 127.0.0.1. Run by run-with-keyring.sh (the
 * accounts' passwords are looked up). */
#include "config.h"

#include "dd-call-attempts.h"
#include "dd-campaign-audience.h"
#include "dd-campaign-store.h"
#include "dd-case-query.h"
#include "dd-context.h"
#include "dd-ivr-flow-store.h"
#include "dd-sip-accounts.h"
#include "dd-test-util.h"
#include "dd-voice-campaign.h"
#include "sip-peers.h"

#include <stdlib.h>
#include <string.h>

#define N_CASES 10

typedef struct
{
  DdSipEngine *engine;
  gboolean     finished;
} Wait;

static gboolean
account_ready (gpointer data)
{
  Wait *w = data;

  return dd_sip_engine_get_account_state (w->engine, "Biuro", NULL, NULL) ==
         DD_SIP_ACCOUNT_UNREGISTERED;
}

static gboolean
finished (gpointer data)
{
  return ((Wait *) data)->finished;
}

static void
on_finished (DdVoiceCampaign *runner,
             gint64           campaign_id,
             Wait            *w)
{
  w->finished = TRUE;
}

static gint64
voice_campaign (DdDatabase *db)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) sql = g_string_new ("BEGIN; INSERT INTO creditor (id, name, created_at)"
                                         " VALUES (1, 'Alfa', 'x');");
  g_autoptr(DdIvrFlowStore) flows = dd_ivr_flow_store_new (db);
  g_autoptr(DdCampaignStore) campaigns = dd_campaign_store_new (db);
  g_autoptr(DdCallAttempts) attempts = dd_call_attempts_new (db);
  g_autoptr(DdCaseQuery) query = dd_case_query_new ();
  g_autoptr(GPtrArray) recipients = NULL;
  g_autoptr(DdVoiceSettings) voice = dd_voice_settings_new ();
  g_autofree char *json = NULL;
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "telephony", "voice-flow-pl.json",
                                                 NULL);
  DdCampaign campaign = { .name = (char *) "Telefony", .kind = (char *) "voice" };
  gint64 flow_id = 0, id = 0;

  for (guint i = 1; i <= N_CASES; i++)
    g_string_append_printf (sql,
                            "INSERT INTO debtor (id, dedup_key, name, created_at, updated_at)"
                            " VALUES (%u, 'k%u', 'Dłużnik %u', 'x', 'x');"
                            "INSERT INTO phone (debtor_id, e164, created_at)"
                            " VALUES (%u, '+48600%06u', 'x');"
                            "INSERT INTO debt_case (id, debtor_id, creditor_id, balance_minor,"
                            " currency, created_at, updated_at)"
                            " VALUES (%u, %u, 1, 5000, 'PLN', 'x', 'x');",
                            i, i, i, i, i, i, i);
  g_string_append (sql, "COMMIT;");
  g_assert_true (dd_database_exec (db, sql->str, &error));
  g_assert_true (g_file_get_contents (path, &json, NULL, &error));
  g_assert_true (dd_ivr_flow_store_save (flows, "Przypomnienie", json, &flow_id, NULL, &error));
  recipients = dd_campaign_audience_collect (db, query, 0, TRUE, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (dd_campaign_store_create (campaigns, &campaign, 0, &id, &error));
  voice->flow_id = flow_id;
  voice->concurrency = 5;
  voice->attempts_per_day = 0;
  voice->interval_s = 1;
  voice->max_attempts = 1;
  voice->ring_timeout_s = 2;
  g_assert_true (dd_campaign_store_set_voice (campaigns, id, voice, &error));
  g_assert_true (dd_call_attempts_plan (attempts, id, recipients,
                                        g_get_real_time () / G_USEC_PER_SEC, NULL, &error));
  g_assert_true (dd_campaign_store_set_state (campaigns, id, DD_CAMPAIGN_RUNNING, NULL, 0,
                                              &error));
  g_assert_no_error (error);
  return id;
}

static void
test_context_lines (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSettings) settings = g_settings_new (APPLICATION_ID);
  g_autoptr(GPtrArray) accounts = g_ptr_array_new_with_free_func ((GDestroyNotify) dd_sip_account_info_free);
  g_autoptr(DdTestOffice) office = NULL;
  g_autoptr(DdContext) context = NULL;
  g_autoptr(DdCallAttempts) store = NULL;
  g_autoptr(GPtrArray) all = NULL;
  g_autoptr(GSubprocess) sipp = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *scenario = NULL;
  g_autofree char *keys = dd_sipp_declare_keys ();
  g_autofree char *aor = NULL;
  g_autofree char *media = g_strdup_printf ("%u", dd_test_free_port (G_SOCKET_PROTOCOL_UDP));
  guint port = dd_test_free_port (G_SOCKET_PROTOCOL_UDP);
  DdVoiceCampaign *runner;
  Wait w = { 0 };
  gint64 campaign_id;

  if (!dd_test_have_program ("sipp"))
    {
      g_test_skip ("sipp (sip-tester) is not installed");
      return;
    }
  dir = g_dir_make_tmp ("dd-voice-context-XXXXXX", &error);
  scenario = g_build_filename (dir, "debtors.xml", NULL);
  g_assert_true (dd_sipp_write_debtor_callee (scenario, keys, &error));
  {
    const char *extra[] = { "-mp", media, NULL };

    sipp = dd_sipp_spawn (port, scenario, NULL, extra, &error);
  }
  g_assert_no_error (error);
  g_usleep (500 * 1000);

  /* Preferences › SIP Accounts: one line, by address (no registrar), at the callee */
  aor = g_strdup_printf ("sip:48221110001@127.0.0.1:%u", port);
  g_ptr_array_add (accounts, dd_sip_account_info_new ("Biuro", aor));
  g_settings_set_string (settings, "sip-local-address", "127.0.0.1");
  dd_sip_accounts_save (settings, accounts);

  office = dd_test_office_new ("voice-context");
  campaign_id = voice_campaign (office->database);
  context = dd_context_new (office->database, settings);
  w.engine = dd_context_get_sip_engine (context, &error);
  g_assert_no_error (error);
  g_assert_true (dd_test_wait_until (account_ready, &w, 10000));

  runner = dd_context_get_voice_campaign (context, &error);
  g_assert_no_error (error);
  g_assert_true (DD_IS_VOICE_CAMPAIGN (runner));
  g_assert_true (dd_context_get_voice_campaign (context, NULL) == runner);
  /* it keeps the office's calling hours; the test calls at any hour */
  dd_voice_campaign_set_contact_policy (runner, NULL);
  g_signal_connect (runner, "campaign-finished", G_CALLBACK (on_finished), &w);
  g_assert_true (dd_voice_campaign_start (runner, &error));
  g_assert_true (dd_test_wait_until (finished, &w, 120 * 1000));

  store = dd_call_attempts_new (office->database);
  all = dd_call_attempts_list (store, campaign_id, &error);
  g_assert_cmpuint (all->len, ==, N_CASES);
  for (guint i = 0; i < all->len; i++)
    {
      DdCallAttempt *a = g_ptr_array_index (all, i);
      char digit = a->e164[strlen (a->e164) - 1];

      /* through the account, with its number */
      g_assert_cmpstr (a->line, ==, "Biuro");
      g_assert_cmpstr (a->caller_id, ==, aor);
      if (digit == '5')
        g_assert_cmpint (a->state, ==, DD_CALL_ATTEMPT_BUSY);
      else if (digit == '8' || digit == '9')
        g_assert_cmpstr (a->result, ==, "heard");
    }

  g_clear_object (&context);
  g_settings_reset (settings, "sip-local-address");
  g_settings_reset (settings, "sip-accounts");
  g_subprocess_force_exit (sipp);
  g_subprocess_wait (sipp, NULL, NULL);
  {
    g_autofree char *cmd = g_strdup_printf ("rm -rf '%s'", dir);

    g_assert_cmpint (system (cmd), ==, 0);
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/dd/voice-context/lines", test_context_lines);
  return g_test_run ();
}
