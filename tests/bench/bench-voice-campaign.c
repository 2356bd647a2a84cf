/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A voice campaign of DD_BENCH_DEBTORS debtors (default 1,000) with DD_BENCH_LINES calls at once
 * (default 30) against one sipp callee on 127.0.0.1 (tests/telephony/sip-peers.h: by the last
 * digit of the number, declarations by keys, a consultant asked for, no answer, busy, declined,
 * hung up mid-prompt, listened to the end), through DdVoiceCampaign and the real SIP engine:
 * the call flow of the tests (tests/telephony/voice-flow-pl.json), its prompts by espeak-ng,
 * every attempt claimed and settled in the database. Figures: calls per minute (attempts
 * ended / wall time), our process's CPU per call (getrusage), the most calls on the line at
 * once, and how the calls ended. */
#include "config.h"

#include "dd-call-attempts.h"
#include "dd-campaign-audience.h"
#include "dd-campaign-store.h"
#include "dd-case-query.h"
#include "dd-ivr-flow-store.h"
#include "dd-test-util.h"
#include "dd-voice-campaign.h"
#include "sip-peers.h"

#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>

typedef struct
{
  DdVoiceCampaign *runner;
  gboolean         finished;
  guint            ended;
  guint            max_active;
} Run;

static void
on_finished (DdVoiceCampaign *runner,
             gint64           campaign_id,
             Run             *run)
{
  run->finished = TRUE;
}

static void
on_counts (DdVoiceCampaign *runner,
           gint64           campaign_id,
           Run             *run)
{
  run->max_active = MAX (run->max_active, dd_voice_campaign_get_n_active (runner));
}

static void
on_ended (DdVoiceCampaign *runner,
          gint64           campaign_id,
          gint64           attempt_id,
          Run             *run)
{
  run->ended++;
}

static gboolean
finished (gpointer data)
{
  return ((Run *) data)->finished;
}

static double
cpu_seconds (void)
{
  struct rusage usage;

  getrusage (RUSAGE_SELF, &usage);
  return usage.ru_utime.tv_sec + usage.ru_utime.tv_usec / 1e6 +
         usage.ru_stime.tv_sec + usage.ru_stime.tv_usec / 1e6;
}

static guint
env_uint (const char *name,
          guint       fallback)
{
  const char *text = g_getenv (name);

  return text != NULL && *text != '\0' ? (guint) g_ascii_strtoull (text, NULL, 10) : fallback;
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DdTestOffice) office = NULL;
  g_autoptr(DdSipEngine) engine = NULL;
  g_autoptr(DdVoiceCampaign) runner = NULL;
  g_autoptr(DdCallAttempts) attempts = NULL;
  g_autoptr(DdCampaignStore) campaigns = NULL;
  g_autoptr(DdIvrFlowStore) flows = NULL;
  g_autoptr(DdCaseQuery) query = dd_case_query_new ();
  g_autoptr(GPtrArray) recipients = NULL;
  g_autoptr(DdVoiceSettings) voice = dd_voice_settings_new ();
  g_autoptr(GSubprocess) sipp = NULL;
  g_autoptr(GString) sql = g_string_new ("BEGIN; INSERT INTO creditor (id, name, created_at)"
                                         " VALUES (1, 'Alfa Energia', 'x');");
  g_autofree char *dir = NULL;
  g_autofree char *scenario = NULL;
  g_autofree char *keys = dd_sipp_declare_keys ();
  g_autofree char *line = NULL;
  g_autofree char *json = NULL;
  g_autofree char *flow_path = NULL;
  g_autofree char *media = NULL;
  guint debtors = env_uint ("DD_BENCH_DEBTORS", 1000);
  guint lines = env_uint ("DD_BENCH_LINES", 30);
  guint port = dd_test_free_port (G_SOCKET_PROTOCOL_UDP);
  DdCampaign campaign = { .name = (char *) "Benchmark", .kind = (char *) "voice" };
  DdCallCounts counts;
  Run run = { 0 };
  gint64 campaign_id = 0, flow_id = 0, start_us;
  double cpu_start, wall, cpu;

  if (!dd_test_have_program ("sipp"))
    {
      printf ("voice-campaign: sipp is not installed: skipped\n");
      return 77;
    }
  dir = g_dir_make_tmp ("dd-bench-voice-XXXXXX", &error);
  g_assert_no_error (error);
  scenario = g_build_filename (dir, "debtors.xml", NULL);
  g_assert_true (dd_sipp_write_debtor_callee (scenario, keys, &error));
  media = g_strdup_printf ("%u", dd_test_free_port (G_SOCKET_PROTOCOL_UDP));
  {
    const char *extra[] = { "-mp", media, NULL };

    sipp = dd_sipp_spawn (port, scenario, NULL, extra, &error);
  }
  g_assert_no_error (error);
  g_usleep (500 * 1000);

  office = dd_test_office_new ("bench-voice");
  for (guint i = 1; i <= debtors; i++)
    g_string_append_printf (sql,
                            "INSERT INTO debtor (id, dedup_key, name, language, created_at,"
                            " updated_at) VALUES (%u, 'k%u', 'Dłużnik %u', 'pl', 'x', 'x');"
                            "INSERT INTO phone (debtor_id, e164, kind, created_at)"
                            " VALUES (%u, '+48600%06u', 'mobile', 'x');"
                            "INSERT INTO debt_case (id, debtor_id, creditor_id, balance_minor,"
                            " currency, debtor_name, created_at, updated_at)"
                            " VALUES (%u, %u, 1, %u, 'PLN', 'Dłużnik %u', 'x', 'x');"
                            "INSERT INTO liability (case_id, invoice_no, due_on, amount_minor,"
                            " currency, created_at, updated_at) VALUES (%u, 'FV/%u', '2026-10-01',"
                            " %u, 'PLN', 'x', 'x');",
                            i, i, i, i, i, i, i, 100000 + i, i, i, i, 100000 + i);
  g_string_append (sql, "COMMIT;");
  g_assert_true (dd_database_exec (office->database, sql->str, &error));

  flows = dd_ivr_flow_store_new (office->database);
  flow_path = g_build_filename (g_getenv ("G_TEST_SRCDIR") != NULL ? g_getenv ("G_TEST_SRCDIR")
                                                                   : "tests",
                                "telephony", "voice-flow-pl.json", NULL);
  g_assert_true (g_file_get_contents (flow_path, &json, NULL, &error));
  g_assert_true (dd_ivr_flow_store_save (flows, "Przypomnienie", json, &flow_id, NULL, &error));
  campaigns = dd_campaign_store_new (office->database);
  attempts = dd_call_attempts_new (office->database);
  recipients = dd_campaign_audience_collect (office->database, query, 0, TRUE, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (dd_campaign_store_create (campaigns, &campaign, 0, &campaign_id, &error));
  voice->flow_id = flow_id;
  voice->concurrency = lines;
  voice->attempts_per_day = 0;
  voice->interval_s = 2;
  voice->max_attempts = 2;
  voice->ring_timeout_s = 3;
  voice->confirm_sms = g_strdup ("Dziękujemy, {name}: {declared_amount} do {declared_date}.");
  g_assert_true (dd_campaign_store_set_voice (campaigns, campaign_id, voice, &error));
  g_assert_true (dd_call_attempts_plan (attempts, campaign_id, recipients,
                                        g_get_real_time () / G_USEC_PER_SEC, NULL, &error));
  g_assert_true (dd_campaign_store_set_state (campaigns, campaign_id, DD_CAMPAIGN_RUNNING, NULL,
                                              0, &error));
  g_assert_no_error (error);

  engine = dd_sip_engine_new ("127.0.0.1", 0, &error);
  g_assert_no_error (error);
  runner = dd_voice_campaign_new (office->database, engine);
  line = g_strdup_printf ("sip:office@127.0.0.1:%u", port);
  dd_voice_campaign_add_line (runner, line, NULL, NULL);
  dd_voice_campaign_set_tick (runner, 100);
  run.runner = runner;
  g_signal_connect (runner, "campaign-finished", G_CALLBACK (on_finished), &run);
  g_signal_connect (runner, "counts-changed", G_CALLBACK (on_counts), &run);
  g_signal_connect (runner, "attempt-ended", G_CALLBACK (on_ended), &run);

  start_us = g_get_monotonic_time ();
  cpu_start = cpu_seconds ();
  g_assert_true (dd_voice_campaign_start (runner, &error));
  if (!dd_test_wait_until (finished, &run, 3600 * 1000))
    {
      printf ("voice-campaign: not finished within an hour\n");
      return 1;
    }
  wall = (g_get_monotonic_time () - start_us) / 1e6;
  cpu = cpu_seconds () - cpu_start;
  g_assert_true (dd_call_attempts_get_counts (attempts, campaign_id, &counts, &error));

  printf ("voice-campaign: %u debtors, %u lines: %u calls in %.1f s = %.0f calls/min; "
          "CPU %.2f s = %.1f ms per call; at most %u calls at once\n",
          debtors, lines, run.ended, wall, run.ended * 60.0 / wall, cpu,
          cpu * 1000.0 / MAX (run.ended, 1), run.max_active);
  printf ("voice-campaign: answered %u (declarations %u), not reached %u; numbers done %u of %u\n",
          counts.completed, counts.declared, counts.not_reached, counts.numbers_done,
          counts.numbers);

  g_clear_object (&runner);
  g_clear_object (&engine);
  g_subprocess_force_exit (sipp);
  g_subprocess_wait (sipp, NULL, NULL);
  {
    g_autofree char *cmd = g_strdup_printf ("rm -rf '%s'", dir);

    if (system (cmd) != 0)
      return 1;
  }
  return counts.numbers_done == counts.numbers ? 0 : 1;
}
