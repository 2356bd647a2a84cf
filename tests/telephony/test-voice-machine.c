/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Answering machines on real calls: a voice campaign (DdVoiceCampaign as `campaign run` and the
 * window use it, with no detector code of their own) calls a real baresip that answers with
 * speech made at test time by espeak-ng and sox — a short "Halo?" (a person) or a 6-second
 * voicemail greeting (a machine). The detector runs on the received audio in the engine's
 * thread (dd_call_detect_answering_machine()); its verdict lands on the attempt, and the
 * campaign's machine policy applies: hang up and call again later, or leave the flow as a
 * voicemail. */
#include "config.h"

#include "amd-samples.h"
#include "dd-call-attempts.h"
#include "dd-campaign-audience.h"
#include "dd-campaign-store.h"
#include "dd-case-query.h"
#include "dd-ivr-flow-store.h"
#include "dd-test-util.h"
#include "dd-voice-campaign.h"
#include "sip-peers.h"

#define NUMBER "48600000001"
#define GREETING "Dzień dobry, dodzwoniłeś się do poczty głosowej Jana Kowalskiego, " \
                 "proszę zostawić wiadomość po sygnale"

typedef struct
{
  gboolean finished;
  guint    answered_by_signals;
  DdAnsweringMachineVerdict last_verdict;
} Run;

static gboolean
run_finished (gpointer data)
{
  return ((Run *) data)->finished;
}

static void
on_finished (DdVoiceCampaign *runner,
             gint64           campaign_id,
             Run             *run)
{
  run->finished = TRUE;
}

static void
on_call_answered_by (DdCall                    *call,
                     DdAnsweringMachineVerdict  verdict,
                     DdAnsweringMachineReason   reason,
                     guint                      elapsed_ms,
                     Run                       *run)
{
  g_test_message ("%s: %s (%s) after %u ms", dd_call_get_uri (call),
                  dd_answering_machine_verdict_to_string (verdict),
                  dd_answering_machine_reason_to_string (reason), elapsed_ms);
  g_assert_cmpint (dd_call_get_answering_machine_verdict (call), ==, verdict);
  run->answered_by_signals++;
  run->last_verdict = verdict;
}

/* The detector's signal on the runner's own calls: it reports once per answered call. */
static void
on_answered (DdVoiceCampaign *runner,
             DdCall          *call,
             gint64           attempt_id,
             Run             *run)
{
  g_signal_connect (call, "answered-by", G_CALLBACK (on_call_answered_by), run);
}

/* One debtor, one case, one number. */
static gint64
create_campaign (DdDatabase      *db,
                 DdMachinePolicy  machine)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DdIvrFlowStore) flows = dd_ivr_flow_store_new (db);
  g_autoptr(DdCampaignStore) campaigns = dd_campaign_store_new (db);
  g_autoptr(DdCallAttempts) attempts = dd_call_attempts_new (db);
  g_autoptr(DdCaseQuery) query = dd_case_query_new ();
  g_autoptr(GPtrArray) recipients = NULL;
  g_autoptr(DdVoiceSettings) voice = dd_voice_settings_new ();
  g_autofree char *json = NULL;
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "telephony", "voice-flow-pl.json",
                                                 NULL);
  DdCampaign campaign = { .name = (char *) "Automaty", .kind = (char *) "voice" };
  gint64 flow_id = 0, id = 0;
  guint added = 0;

  g_assert_true (dd_database_exec (db,
                                   "INSERT INTO creditor (id, name, created_at)"
                                   " VALUES (1, 'Alfa Energia', 'x');"
                                   "INSERT INTO debtor (id, dedup_key, name, language, created_at,"
                                   " updated_at) VALUES (1, 'k1', 'Jan Kowalski', 'pl', 'x', 'x');"
                                   "INSERT INTO phone (debtor_id, e164, kind, created_at)"
                                   " VALUES (1, '+" NUMBER "', 'mobile', 'x');"
                                   "INSERT INTO debt_case (id, debtor_id, creditor_id,"
                                   " balance_minor, currency, debtor_name, created_at, updated_at)"
                                   " VALUES (1, 1, 1, 123400, 'PLN', 'Jan Kowalski', 'x', 'x');"
                                   "INSERT INTO liability (case_id, invoice_no, due_on,"
                                   " amount_minor, currency, created_at, updated_at)"
                                   " VALUES (1, 'FV/1', '2026-10-01', 123400, 'PLN', 'x', 'x');",
                                   &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (path, &json, NULL, &error));
  g_assert_true (dd_ivr_flow_store_save (flows, "Przypomnienie", json, &flow_id, NULL, &error));
  g_assert_no_error (error);
  recipients = dd_campaign_audience_collect (db, query, 0, TRUE, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (recipients->len, ==, 1);
  g_assert_true (dd_campaign_store_create (campaigns, &campaign, 0, &id, &error));
  voice->flow_id = flow_id;
  voice->concurrency = 1;
  voice->attempts_per_day = 0;
  voice->interval_s = 1;
  voice->max_attempts = 2;
  voice->ring_timeout_s = 5;
  voice->machine = machine;
  g_assert_true (dd_campaign_store_set_voice (campaigns, id, voice, &error));
  g_assert_true (dd_call_attempts_plan (attempts, id, recipients,
                                        g_get_real_time () / G_USEC_PER_SEC, &added, &error));
  g_assert_cmpuint (added, ==, 1);
  g_assert_true (dd_campaign_store_set_state (campaigns, id, DD_CAMPAIGN_RUNNING, NULL, 0,
                                              &error));
  g_assert_no_error (error);
  return id;
}

/* Runs the campaign against a baresip answering with @text after 300 ms (then 40 s of
 * silence); the attempts it made. */
static GPtrArray *
call_baresip (const char      *text,
              DdMachinePolicy  policy,
              Run             *run)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DdTestOffice) office = dd_test_office_new ("voice-machine");
  g_autoptr(GBytes) speech = dd_amd_sample_make ("pl", text, 300, 40000, 0, 1, &error);
  g_autoptr(DdBaresip) baresip = NULL;
  g_autoptr(DdSipEngine) engine = NULL;
  g_autoptr(DdVoiceCampaign) runner = NULL;
  g_autoptr(DdCallAttempts) store = NULL;
  g_autofree char *line = NULL;
  DdBaresipOptions options = { 0 };
  gint64 campaign_id;

  g_assert_no_error (error);
  options.account = "<sip:" NUMBER "@127.0.0.1>;regint=0;answermode=auto";
  options.source_pcm = speech;
  baresip = dd_baresip_start (&options, &error);
  g_assert_no_error (error);

  campaign_id = create_campaign (office->database, policy);
  engine = dd_sip_engine_new ("127.0.0.1", 0, &error);
  g_assert_no_error (error);
  runner = dd_voice_campaign_new (office->database, engine);
  line = g_strdup_printf ("sip:office@127.0.0.1:%u", baresip->sip_port);
  dd_voice_campaign_add_line (runner, line, NULL, NULL);
  dd_voice_campaign_set_tick (runner, 100);
  g_signal_connect (runner, "campaign-finished", G_CALLBACK (on_finished), run);
  g_signal_connect (runner, "call-answered", G_CALLBACK (on_answered), run);
  g_assert_true (dd_voice_campaign_start (runner, &error));
  g_assert_no_error (error);
  g_assert_true (dd_test_wait_until (run_finished, run, 90 * 1000));
  dd_voice_campaign_stop (runner);

  store = dd_call_attempts_new (office->database);
  return dd_call_attempts_list (store, campaign_id, &error);
}

static gboolean
skip_without_tools (void)
{
  if (!dd_amd_samples_available ())
    {
      g_test_skip ("espeak-ng or sox is not installed");
      return TRUE;
    }
  if (!dd_test_have_program ("baresip"))
    {
      g_test_skip ("baresip is not installed");
      return TRUE;
    }
  return FALSE;
}

/* "Halo?": a person; the flow speaks to them (not hung up on), one call. */
static void
test_person (void)
{
  g_autoptr(GPtrArray) attempts = NULL;
  DdCallAttempt *a;
  Run run = { 0 };

  if (skip_without_tools ())
    return;
  attempts = call_baresip ("Halo?", DD_MACHINE_HANGUP_RETRY, &run);
  g_assert_cmpuint (attempts->len, ==, 1);
  a = g_ptr_array_index (attempts, 0);
  g_assert_cmpuint (run.answered_by_signals, ==, 1);
  g_assert_cmpint (run.last_verdict, ==, DD_ANSWERING_MACHINE_VERDICT_HUMAN);
  g_assert_cmpint (a->answered_by, ==, DD_ANSWERED_BY_PERSON);
  g_assert_cmpstr (a->result, ==, "heard");
  g_assert_true (a->heard_to_end);
  g_assert_nonnull (a->ivr_path);
}

/* A 6-second greeting: a machine, hung up on as soon as the detector knows, and called again
 * (then the maximum of attempts is reached). */
static void
test_machine_hangup_retry (void)
{
  g_autoptr(GPtrArray) attempts = NULL;
  Run run = { 0 };

  if (skip_without_tools ())
    return;
  attempts = call_baresip (GREETING, DD_MACHINE_HANGUP_RETRY, &run);
  g_assert_cmpuint (attempts->len, ==, 2);
  g_assert_cmpuint (run.answered_by_signals, ==, 2);
  g_assert_cmpint (run.last_verdict, ==, DD_ANSWERING_MACHINE_VERDICT_MACHINE);
  for (guint i = 0; i < attempts->len; i++)
    {
      DdCallAttempt *a = g_ptr_array_index (attempts, i);

      g_assert_cmpint (a->answered_by, ==, DD_ANSWERED_BY_MACHINE);
      g_assert_cmpstr (a->result, ==, "machine");
      g_assert_false (a->heard_to_end);
    }
}

/* A 6-second greeting with the voicemail policy: the flow plays to its end, once. */
static void
test_machine_voicemail (void)
{
  g_autoptr(GPtrArray) attempts = NULL;
  DdCallAttempt *a;
  Run run = { 0 };

  if (skip_without_tools ())
    return;
  attempts = call_baresip (GREETING, DD_MACHINE_VOICEMAIL, &run);
  g_assert_cmpuint (attempts->len, ==, 1);
  a = g_ptr_array_index (attempts, 0);
  g_assert_cmpuint (run.answered_by_signals, ==, 1);
  g_assert_cmpint (a->answered_by, ==, DD_ANSWERED_BY_MACHINE);
  g_assert_cmpstr (a->result, ==, "voicemail");
  g_assert_true (a->heard_to_end);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/dd/voice-machine/person", test_person);
  g_test_add_func ("/dd/voice-machine/machine-hangup-retry", test_machine_hangup_retry);
  g_test_add_func ("/dd/voice-machine/machine-voicemail", test_machine_voicemail);
  return g_test_run ();
}
