/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A voice campaign of 200 cases (DdVoiceCampaign with the real SIP engine) against a sipp
 * callee on 127.0.0.1 whose behaviour follows the last digit of the number called (see
 * sip-peers.h): debtors who declare a payment by keys, ask for a consultant, do not answer,
 * are busy, decline, hang up during the first prompt or listen to the end. Every result lands
 * on the right case: attempts, retries, declarations with their SMS confirmations, callback
 * requests, timeline rows; a Russian-speaking debtor in a Polish flow hears Polish only. */
#include "config.h"

#include "dd-call-attempts.h"
#include "dd-campaign-audience.h"
#include "dd-campaign-store.h"
#include "dd-case-query.h"
#include "dd-ivr-flow-store.h"
#include "dd-speech.h"
#include "dd-test-util.h"
#include "dd-voice-campaign.h"
#include "sip-peers.h"

#include <stdlib.h>
#include <string.h>

#define N_CASES 200
#define INTERVAL_S 2

typedef struct
{
  gboolean    finished;
  GHashTable *said;        /* attempt id → GString of "language|text\n" */
  guint       answered_signals;
  guint       ended_signals;
  guint       counts_signals;
} Watch;

static void
on_finished (DdVoiceCampaign *runner,
             gint64           campaign_id,
             Watch           *w)
{
  w->finished = TRUE;
}

static void
on_said (DdVoiceCampaign *runner,
         gint64           attempt_id,
         const char      *text,
         const char      *language,
         Watch           *w)
{
  GString *s = g_hash_table_lookup (w->said, &attempt_id);

  if (s == NULL)
    {
      gint64 *key = g_new (gint64, 1);

      *key = attempt_id;
      s = g_string_new (NULL);
      g_hash_table_insert (w->said, key, s);
    }
  g_string_append_printf (s, "%s|%s\n", language, text);
}

static void
on_answered (DdVoiceCampaign *runner,
             DdCall          *call,
             gint64           attempt_id,
             Watch           *w)
{
  g_assert_true (DD_IS_CALL (call));
  w->answered_signals++;
}

static void
on_ended (DdVoiceCampaign *runner,
          gint64           campaign_id,
          gint64           attempt_id,
          Watch           *w)
{
  w->ended_signals++;
}

static void
on_counts (DdVoiceCampaign *runner,
           gint64           campaign_id,
           Watch           *w)
{
  w->counts_signals++;
}

static gboolean
finished (gpointer data)
{
  return ((Watch *) data)->finished;
}

static void
string_free (gpointer s)
{
  g_string_free (s, TRUE);
}

static gint64
count (DdDatabase *db,
       const char *sql)
{
  g_autoptr(GError) error = NULL;
  gint64 n = -1;

  g_assert_true (dd_database_query_int64 (db, sql, &n, &error));
  g_assert_no_error (error);
  return n;
}

static gint64
create_campaign (DdDatabase      *db,
                 guint            n_cases,
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
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "telephony", "voice-flow-pl.json", NULL);
  DdCampaign campaign = { .name = (char *) "Grudzień, telefony", .kind = (char *) "voice" };
  gint64 flow_id = 0, id = 0;
  guint added = 0;

  g_assert_true (g_file_get_contents (path, &json, NULL, &error));
  g_assert_true (dd_ivr_flow_store_save (flows, "Przypomnienie", json, &flow_id, NULL, &error));
  g_assert_no_error (error);
  recipients = dd_campaign_audience_collect (db, query, 0, TRUE, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (recipients->len, ==, n_cases);
  g_assert_true (dd_campaign_store_create (campaigns, &campaign, 0, &id, &error));
  voice->flow_id = flow_id;
  voice->concurrency = 20;
  voice->attempts_per_day = 0;
  voice->interval_s = INTERVAL_S;
  voice->max_attempts = 2;
  voice->ring_timeout_s = 2;
  voice->machine = machine;
  voice->confirm_sms = g_strdup ("Dziękujemy, {name}: {declared_amount} do {declared_date}.");
  g_assert_true (dd_campaign_store_set_voice (campaigns, id, voice, &error));
  g_assert_true (dd_call_attempts_plan (attempts, id, recipients,
                                        g_get_real_time () / G_USEC_PER_SEC, &added, &error));
  g_assert_cmpuint (added, ==, n_cases);
  g_assert_true (dd_campaign_store_set_state (campaigns, id, DD_CAMPAIGN_RUNNING, NULL, 0,
                                              &error));
  g_assert_no_error (error);
  return id;
}

/* The attempts of case @case_id, by attempt. */
static GPtrArray *
attempts_of (GPtrArray *all,
             gint64     case_id)
{
  GPtrArray *mine = g_ptr_array_new ();

  for (guint i = 0; i < all->len; i++)
    {
      DdCallAttempt *a = g_ptr_array_index (all, i);

      if (a->case_id == case_id)
        g_ptr_array_add (mine, a);
    }
  return mine;
}

static void
test_campaign (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DdTestOffice) office = NULL;
  g_autoptr(DdSipEngine) engine = NULL;
  g_autoptr(DdVoiceCampaign) runner = NULL;
  g_autoptr(DdCallAttempts) store = NULL;
  g_autoptr(GSubprocess) sipp = NULL;
  g_autoptr(GPtrArray) all = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *scenario = NULL;
  g_autofree char *keys = dd_sipp_declare_keys ();
  g_autofree char *line = NULL;
  g_autofree char *log = NULL;
  g_autofree char *media = NULL;
  guint port = dd_test_free_port (G_SOCKET_PROTOCOL_UDP);
  Watch w = { 0 };
  gint64 campaign_id;
  guint russian_checked = 0;
  DdCallCounts counts;

  if (!dd_test_have_program ("sipp"))
    {
      g_test_skip ("sipp (sip-tester) is not installed");
      return;
    }
  dir = g_dir_make_tmp ("dd-voice-XXXXXX", &error);
  g_assert_no_error (error);
  scenario = g_build_filename (dir, "debtors.xml", NULL);
  log = g_build_filename (dir, "sipp.log", NULL);
  g_assert_true (dd_sipp_write_debtor_callee (scenario, keys, &error));
  media = g_strdup_printf ("%u", dd_test_free_port (G_SOCKET_PROTOCOL_UDP));
  {
    const char *extra[] = { "-mp", media, NULL };

    sipp = dd_sipp_spawn (port, scenario, log, extra, &error);
  }
  g_assert_no_error (error);
  g_usleep (500 * 1000);

  office = dd_test_office_new ("voice");
  /* the number's last digit is i % 10; every fifth debtor speaks Russian */
  dd_voice_office_fill (office->database, N_CASES, 5);
  campaign_id = create_campaign (office->database, N_CASES, DD_MACHINE_HANGUP_RETRY);

  engine = dd_sip_engine_new ("127.0.0.1", 0, &error);
  g_assert_no_error (error);
  runner = dd_voice_campaign_new (office->database, engine);
  line = g_strdup_printf ("sip:office@127.0.0.1:%u", port);
  dd_voice_campaign_add_line (runner, line, NULL, NULL);
  {
    const char *ids[] = { "48221110001", "48221110002", NULL };

    dd_voice_campaign_set_caller_ids (runner, ids);
  }
  dd_voice_campaign_set_tick (runner, 100);
  w.said = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, string_free);
  g_signal_connect (runner, "campaign-finished", G_CALLBACK (on_finished), &w);
  g_signal_connect (runner, "said", G_CALLBACK (on_said), &w);
  g_signal_connect (runner, "call-answered", G_CALLBACK (on_answered), &w);
  g_signal_connect (runner, "attempt-ended", G_CALLBACK (on_ended), &w);
  g_signal_connect (runner, "counts-changed", G_CALLBACK (on_counts), &w);
  g_assert_true (dd_voice_campaign_start (runner, &error));
  g_assert_no_error (error);
  g_assert_true (dd_test_wait_until (finished, &w, 280 * 1000));
  g_assert_cmpuint (dd_voice_campaign_get_n_active (runner), ==, 0);

  store = dd_call_attempts_new (office->database);
  all = dd_call_attempts_list (store, campaign_id, &error);
  g_assert_no_error (error);
  for (gint64 case_id = 1; case_id <= N_CASES; case_id++)
    {
      g_autoptr(GPtrArray) mine = attempts_of (all, case_id);
      guint digit = (guint) (case_id % 10);
      DdCallAttempt *first;
      g_autofree char *sql = NULL;

      g_assert_cmpuint (mine->len, >=, 1);
      first = g_ptr_array_index (mine, 0);
      g_assert_cmpint (first->e164[strlen (first->e164) - 1] - '0', ==, digit);
      g_assert_true (g_str_has_prefix (first->caller_id, "sip:4822111000"));
      g_assert_cmpstr (first->line, ==, line);
      for (guint i = 0; i < mine->len; i++)
        {
          DdCallAttempt *a = g_ptr_array_index (mine, i);

          g_assert_cmpuint (a->attempt_no, ==, i + 1);
          g_assert_nonnull (a->started_at);
          g_assert_nonnull (a->ended_at);
          if (i > 0)
            {
              DdCallAttempt *before = g_ptr_array_index (mine, i - 1);

              g_assert_cmpint (dd_call_attempts_parse_time (a->started_at) -
                               dd_call_attempts_parse_time (before->started_at), >=, INTERVAL_S);
            }
        }
      /* one timeline row per call */
      sql = g_strdup_printf ("SELECT COUNT(*) FROM activity WHERE case_id = %" G_GINT64_FORMAT
                             " AND kind = 'call' AND channel = 'voice'", case_id);
      g_assert_cmpint (count (office->database, sql), ==, mine->len);
      g_clear_pointer (&sql, g_free);

      switch (digit)
        {
        case 0:
        case 1:
        case 2:
          g_assert_cmpuint (mine->len, ==, 1);
          g_assert_cmpint (first->state, ==, DD_CALL_ATTEMPT_COMPLETED);
          g_assert_cmpstr (first->result, ==, "declared");
          g_assert_cmpstr (first->keys, ==, keys);
          g_assert_cmpint (first->answered_by, ==, DD_ANSWERED_BY_PERSON);
          g_assert_true (first->heard_to_end);
          g_assert_cmpint (first->declaration_id, >, 0);
          g_assert_nonnull (strstr (first->ivr_path, "declare:done"));
          sql = g_strdup_printf ("SELECT COUNT(*) FROM declaration d JOIN debt_case c"
                                 " ON c.id = d.case_id WHERE d.case_id = %" G_GINT64_FORMAT
                                 " AND d.id = %" G_GINT64_FORMAT " AND d.amount_minor = 25000"
                                 " AND d.currency = 'PLN' AND d.channel = 'ivr'"
                                 " AND d.promised_on LIKE '%%-%c%c-%c%c'"
                                 " AND c.status = 'payment-declaration'",
                                 case_id, first->declaration_id, keys[3], keys[4], keys[1],
                                 keys[2]);
          g_assert_cmpint (count (office->database, sql), ==, 1);
          g_clear_pointer (&sql, g_free);
          /* the SMS confirmation, queued once for the debtor's number */
          sql = g_strdup_printf ("SELECT COUNT(*) FROM message WHERE case_id = %" G_GINT64_FORMAT
                                 " AND e164 = '%s' AND state = 'queued'"
                                 " AND body LIKE 'Dziękujemy, Dłużnik %" G_GINT64_FORMAT
                                 ": 250,00%%zł do %%.'",
                                 case_id, first->e164, case_id);
          g_assert_cmpint (count (office->database, sql), ==, 1);
          break;
        case 3:
          g_assert_cmpuint (mine->len, ==, 1);
          g_assert_cmpstr (first->result, ==, "callback");
          g_assert_cmpstr (first->transfer, ==, "no-agent");
          g_assert_cmpstr (first->keys, ==, "2");
          g_assert_true (first->heard_to_end);
          sql = g_strdup_printf ("SELECT COUNT(*) FROM activity WHERE case_id = %" G_GINT64_FORMAT
                                 " AND kind = 'callback-request'", case_id);
          g_assert_cmpint (count (office->database, sql), ==, 1);
          break;
        case 4:
        case 5:
        case 6:
          {
            DdCallAttemptState expected = digit == 4 ? DD_CALL_ATTEMPT_NO_ANSWER
                                          : digit == 5 ? DD_CALL_ATTEMPT_BUSY
                                          : DD_CALL_ATTEMPT_REJECTED;

            /* not reached: called again after the interval, up to the maximum */
            g_assert_cmpuint (mine->len, ==, 2);
            for (guint i = 0; i < mine->len; i++)
              {
                DdCallAttempt *a = g_ptr_array_index (mine, i);

                g_assert_cmpint (a->state, ==, expected);
                g_assert_null (a->answered_at);
                if (digit == 5)
                  g_assert_cmpuint (a->sip_status, ==, 486);
                if (digit == 6)
                  g_assert_cmpuint (a->sip_status, ==, 603);
              }
          }
          break;
        case 7:
          /* hung up after 1.2 s, during the first prompt (or while the flow still waited for
           * the machine detector's verdict): not heard, so called again */
          g_assert_cmpuint (mine->len, ==, 2);
          for (guint i = 0; i < mine->len; i++)
            {
              DdCallAttempt *a = g_ptr_array_index (mine, i);

              g_assert_cmpint (a->state, ==, DD_CALL_ATTEMPT_COMPLETED);
              g_assert_cmpstr (a->result, ==, "hung-up");
              g_assert_false (a->heard_to_end);
              if (a->ivr_path != NULL)
                g_assert_cmpstr (a->ivr_path, ==, "greeting:hung-up");
              g_assert_cmpint (a->answered_by, !=, DD_ANSWERED_BY_MACHINE);
            }
          break;
        case 8:
        case 9:
        default:
          /* the detector runs (the default) and the callee says a short "Halo?", then
           * listens: a person, and the flow goes on to its end */
          g_assert_cmpuint (mine->len, ==, 1);
          g_assert_cmpint (first->answered_by, ==, DD_ANSWERED_BY_PERSON);
          g_assert_cmpstr (first->result, ==, "heard");
          g_assert_true (first->heard_to_end);
          g_assert_cmpstr (first->ivr_path, ==, "greeting:done amount:done menu:timeout bye");
          break;
        }

      /* a Russian-speaking debtor in a Polish flow: Polish only, amounts in złoty */
      if (case_id % 5 == 0 && digit == 0)
        {
          GString *said = g_hash_table_lookup (w.said, &first->id);
          g_auto(GStrv) rows = NULL;

          g_assert_nonnull (said);
          rows = g_strsplit (said->str, "\n", -1);
          for (guint i = 0; rows[i] != NULL && rows[i][0] != '\0'; i++)
            g_assert_true (g_str_has_prefix (rows[i], "pl|"));
          g_assert_nonnull (strstr (said->str, "złot"));
          g_assert_null (strstr (said->str, "рубл"));
          russian_checked++;
        }
    }
  g_assert_cmpuint (russian_checked, >=, 4);

  g_assert_true (dd_call_attempts_get_counts (store, campaign_id, &counts, &error));
  g_assert_cmpuint (counts.numbers, ==, N_CASES);
  g_assert_cmpuint (counts.numbers_done, ==, N_CASES);
  g_assert_cmpuint (counts.declared, ==, 60);
  g_assert_cmpuint (counts.scheduled + counts.dialing, ==, 0);
  g_assert_cmpuint (w.ended_signals, ==, all->len);
  g_assert_cmpuint (w.answered_signals, ==, counts.completed);
  g_assert_cmpuint (w.counts_signals, >=, all->len);
  g_assert_cmpint (count (office->database, "SELECT COUNT(*) FROM campaign"
                                             " WHERE state = 'completed'"), ==, 1);

  g_hash_table_unref (w.said);
  g_clear_object (&runner);
  g_clear_object (&engine);
  g_clear_object (&store);
  g_subprocess_force_exit (sipp);
  g_subprocess_wait (sipp, NULL, NULL);
  {
    g_autofree char *cmd = g_strdup_printf ("rm -rf '%s'", dir);

    g_assert_cmpint (system (cmd), ==, 0);
  }
}

/* The answering-machine detector's place (another part writes it): a stand-in gives its
 * verdict on ::call-answered — numbers ending in 8 are machines, 9 people — while the flow
 * waits for it. Hang up and retry: the machines are hung up on before a word and called again;
 * voicemail: they hear the flow, and a message left is not repeated. */
typedef struct
{
  DdVoiceCampaign *runner;
  gboolean         finished;
} MachineRun;

static gboolean
machine_finished (gpointer data)
{
  return ((MachineRun *) data)->finished;
}

static void
on_machine_finished (DdVoiceCampaign *runner,
                     gint64           campaign_id,
                     MachineRun      *run)
{
  run->finished = TRUE;
}

typedef struct
{
  DdVoiceCampaign *runner;
  DdCall          *call;
  DdAnsweredBy     by;
} Verdict;

static gboolean
give_verdict (gpointer data)
{
  Verdict *v = data;

  dd_voice_campaign_set_answered_by (v->runner, v->call, v->by);
  g_object_unref (v->call);
  g_free (v);
  return G_SOURCE_REMOVE;
}

static void
on_machine_answered (DdVoiceCampaign *runner,
                     DdCall          *call,
                     gint64           attempt_id,
                     MachineRun      *run)
{
  const char *uri = dd_call_get_uri (call);
  const char *at = strchr (uri, '@');
  Verdict *v = g_new0 (Verdict, 1);

  v->runner = runner;
  v->call = g_object_ref (call);
  v->by = at[-1] == '8' ? DD_ANSWERED_BY_MACHINE : DD_ANSWERED_BY_PERSON;
  /* the detector needs a moment of audio */
  g_timeout_add (300, give_verdict, v);
}

static void
machine_campaign (DdMachinePolicy policy)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DdTestOffice) office = NULL;
  g_autoptr(DdSipEngine) engine = NULL;
  g_autoptr(DdVoiceCampaign) runner = NULL;
  g_autoptr(DdCallAttempts) store = NULL;
  g_autoptr(GSubprocess) sipp = NULL;
  g_autoptr(GPtrArray) all = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *scenario = NULL;
  g_autofree char *keys = dd_sipp_declare_keys ();
  g_autofree char *line = NULL;
  g_autofree char *media = g_strdup_printf ("%u", dd_test_free_port (G_SOCKET_PROTOCOL_UDP));
  guint port = dd_test_free_port (G_SOCKET_PROTOCOL_UDP);
  MachineRun run = { 0 };
  gint64 campaign_id;
  guint machines = 0, people = 0;

  if (!dd_test_have_program ("sipp"))
    {
      g_test_skip ("sipp (sip-tester) is not installed");
      return;
    }
  dir = g_dir_make_tmp ("dd-voice-XXXXXX", &error);
  scenario = g_build_filename (dir, "debtors.xml", NULL);
  g_assert_true (dd_sipp_write_debtor_callee (scenario, keys, &error));
  {
    const char *extra[] = { "-mp", media, NULL };

    sipp = dd_sipp_spawn (port, scenario, NULL, extra, &error);
  }
  g_assert_no_error (error);
  g_usleep (500 * 1000);
  office = dd_test_office_new ("voice-machine");
  dd_voice_office_fill (office->database, 20, 5);
  campaign_id = create_campaign (office->database, 20, policy);
  engine = dd_sip_engine_new ("127.0.0.1", 0, &error);
  g_assert_no_error (error);
  runner = dd_voice_campaign_new (office->database, engine);
  line = g_strdup_printf ("sip:office@127.0.0.1:%u", port);
  dd_voice_campaign_add_line (runner, line, NULL, NULL);
  dd_voice_campaign_set_tick (runner, 100);
  dd_voice_campaign_set_machine_wait (runner, 5000);
  /* the stand-in gives the verdicts, not the detector */
  dd_voice_campaign_set_machine_detection (runner, FALSE);
  run.runner = runner;
  g_signal_connect (runner, "campaign-finished", G_CALLBACK (on_machine_finished), &run);
  g_signal_connect (runner, "call-answered", G_CALLBACK (on_machine_answered), &run);
  g_assert_true (dd_voice_campaign_start (runner, &error));
  g_assert_true (dd_test_wait_until (machine_finished, &run, 120 * 1000));

  store = dd_call_attempts_new (office->database);
  all = dd_call_attempts_list (store, campaign_id, &error);
  for (guint i = 0; i < all->len; i++)
    {
      DdCallAttempt *a = g_ptr_array_index (all, i);
      char digit = a->e164[strlen (a->e164) - 1];

      if (digit == '8')
        {
          g_assert_cmpint (a->answered_by, ==, DD_ANSWERED_BY_MACHINE);
          if (policy == DD_MACHINE_HANGUP_RETRY)
            {
              /* hung up before a word, called again up to the maximum */
              g_assert_cmpstr (a->result, ==, "machine");
              g_assert_false (a->heard_to_end);
              g_assert_null (a->ivr_path);
            }
          else
            {
              g_assert_cmpuint (a->attempt_no, ==, 1);
              g_assert_cmpstr (a->result, ==, "voicemail");
              g_assert_true (a->heard_to_end);
            }
          machines++;
        }
      else if (digit == '9')
        {
          g_assert_cmpint (a->answered_by, ==, DD_ANSWERED_BY_PERSON);
          g_assert_cmpstr (a->result, ==, "heard");
          people++;
        }
    }
  g_assert_cmpuint (machines, ==, policy == DD_MACHINE_HANGUP_RETRY ? 4 : 2);
  g_assert_cmpuint (people, ==, 2);

  g_clear_object (&runner);
  g_clear_object (&engine);
  g_clear_object (&store);
  g_subprocess_force_exit (sipp);
  g_subprocess_wait (sipp, NULL, NULL);
  {
    g_autofree char *cmd = g_strdup_printf ("rm -rf '%s'", dir);

    g_assert_cmpint (system (cmd), ==, 0);
  }
}

static void
test_machine_hangup (void)
{
  machine_campaign (DD_MACHINE_HANGUP_RETRY);
}

static void
test_machine_voicemail (void)
{
  machine_campaign (DD_MACHINE_VOICEMAIL);
}

/* A ladder call covering two cases of one debtor with two creditors: the call speaks of their
 * whole debt — both creditors, both invoices, the total, the oldest due date — not only the
 * lead case. The runner detects machines as by default (the flow waits for the verdict) and
 * the sipp callee sends no sound: not sure within a second, and the flow goes on as for a
 * person. */
static const char ladder_flow[] =
  "{\"format\": 1, \"language\": \"pl\", \"start\": \"debt\", \"nodes\": ["
  " {\"id\": \"debt\", \"type\": \"play\", \"params\": {\"text\":"
  "   \"{creditor}. Faktury {invoice}. Razem {amount}, od {due_date}.\"},"
  "  \"exits\": {\"done\": \"bye\"}},"
  " {\"id\": \"bye\", \"type\": \"hang-up\"}]}";

static void
test_ladder_call (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DdTestOffice) office = NULL;
  g_autoptr(DdSipEngine) engine = NULL;
  g_autoptr(DdVoiceCampaign) runner = NULL;
  g_autoptr(DdIvrFlowStore) flows = NULL;
  g_autoptr(DdCampaignStore) campaigns = NULL;
  g_autoptr(DdCallAttempts) attempts = NULL;
  g_autoptr(DdVoiceSettings) voice = dd_voice_settings_new ();
  g_autoptr(GSubprocess) sipp = NULL;
  g_autoptr(DdCallAttempt) attempt = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *scenario = NULL;
  g_autofree char *keys = dd_sipp_declare_keys ();
  g_autofree char *line = NULL;
  g_autofree char *media = g_strdup_printf ("%u", dd_test_free_port (G_SOCKET_PROTOCOL_UDP));
  g_autofree char *total = dd_speech_amount (12550, "PLN", "pl");
  g_autofree char *invoices = dd_speech_characters ("FV/1, FV/2", "pl");
  g_autofree char *oldest = NULL;
  guint port = dd_test_free_port (G_SOCKET_PROTOCOL_UDP);
  DdRecipient recipient = { .case_id = 1, .debtor_id = 1, .phone_id = 1,
                            .e164 = (char *) "+48600000009" };
  const gint64 cases[] = { 1, 2 };
  DdCampaign campaign = { .name = (char *) "Ladder calls", .kind = (char *) "voice" };
  Watch w = { 0 };
  gint64 flow_id = 0, campaign_id = 0, attempt_id = 0;
  GString *said;
  GDate due;

  if (!dd_test_have_program ("sipp"))
    {
      g_test_skip ("sipp (sip-tester) is not installed");
      return;
    }
  dir = g_dir_make_tmp ("dd-voice-XXXXXX", &error);
  scenario = g_build_filename (dir, "debtors.xml", NULL);
  g_assert_true (dd_sipp_write_debtor_callee (scenario, keys, &error));
  {
    const char *extra[] = { "-mp", media, NULL };

    sipp = dd_sipp_spawn (port, scenario, NULL, extra, &error);
  }
  g_assert_no_error (error);
  g_usleep (500 * 1000);

  office = dd_test_office_new ("voice-ladder");
  g_assert_true (dd_database_exec (office->database,
    "INSERT INTO creditor (id, name, created_at) VALUES (1, 'Alfa Energia', 'x'),"
    " (2, 'Beta Telekom', 'x');"
    "INSERT INTO debtor (id, dedup_key, name, language, created_at, updated_at)"
    " VALUES (1, 'k1', 'Jan Kowalski', 'pl', 'x', 'x');"
    "INSERT INTO phone (id, debtor_id, e164, kind, created_at)"
    " VALUES (1, 1, '+48600000009', 'mobile', 'x');"
    "INSERT INTO debt_case (id, debtor_id, creditor_id, balance_minor, currency, debtor_name,"
    " created_at, updated_at) VALUES (1, 1, 1, 10000, 'PLN', 'Jan Kowalski', 'x', 'x'),"
    " (2, 1, 2, 2550, 'PLN', 'Jan Kowalski', 'x', 'x');"
    "INSERT INTO liability (case_id, invoice_no, due_on, amount_minor, currency, created_at,"
    " updated_at) VALUES (1, 'FV/1', '2026-10-01', 10000, 'PLN', 'x', 'x'),"
    " (2, 'FV/2', '2026-09-15', 2550, 'PLN', 'x', 'x');", &error));
  g_assert_no_error (error);
  g_date_clear (&due, 1);
  g_date_set_dmy (&due, 15, 9, 2026);
  oldest = dd_speech_date (&due, "pl");

  flows = dd_ivr_flow_store_new (office->database);
  campaigns = dd_campaign_store_new (office->database);
  attempts = dd_call_attempts_new (office->database);
  g_assert_true (dd_ivr_flow_store_save (flows, "Drabinka", ladder_flow, &flow_id, NULL, &error));
  g_assert_true (dd_campaign_store_create (campaigns, &campaign, 0, &campaign_id, &error));
  voice->flow_id = flow_id;
  voice->max_attempts = 1;
  voice->ring_timeout_s = 5;
  g_assert_true (dd_campaign_store_set_voice (campaigns, campaign_id, voice, &error));
  g_assert_true (dd_call_attempts_plan_keyed (attempts, campaign_id, &recipient, cases, 2,
                                              "ladder-1-s2", g_get_real_time () / G_USEC_PER_SEC,
                                              &attempt_id, &error));
  g_assert_true (dd_campaign_store_set_state (campaigns, campaign_id, DD_CAMPAIGN_RUNNING, NULL,
                                              0, &error));
  g_assert_no_error (error);

  engine = dd_sip_engine_new ("127.0.0.1", 0, &error);
  g_assert_no_error (error);
  runner = dd_voice_campaign_new (office->database, engine);
  line = g_strdup_printf ("sip:office@127.0.0.1:%u", port);
  dd_voice_campaign_add_line (runner, line, NULL, NULL);
  dd_voice_campaign_set_tick (runner, 100);
  w.said = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, string_free);
  g_signal_connect (runner, "campaign-finished", G_CALLBACK (on_finished), &w);
  g_signal_connect (runner, "said", G_CALLBACK (on_said), &w);
  g_assert_true (dd_voice_campaign_start (runner, &error));
  g_assert_true (dd_test_wait_until (finished, &w, 60 * 1000));

  said = g_hash_table_lookup (w.said, &attempt_id);
  g_assert_nonnull (said);
  g_test_message ("said: %s", said->str);
  g_assert_nonnull (strstr (said->str, "Alfa Energia, Beta Telekom."));
  g_assert_nonnull (strstr (said->str, invoices));
  g_assert_nonnull (strstr (said->str, total));
  g_assert_nonnull (strstr (said->str, oldest));

  attempt = dd_call_attempts_get (attempts, attempt_id, &error);
  g_assert_no_error (error);
  g_assert_cmpint (attempt->state, ==, DD_CALL_ATTEMPT_COMPLETED);
  /* sipp's debtor says a short "Halo?" and listens: a person, who heard the flow to its end */
  g_assert_cmpint (attempt->answered_by, ==, DD_ANSWERED_BY_PERSON);
  g_assert_cmpstr (attempt->ivr_path, ==, "debt:done bye");
  g_assert_true (attempt->heard_to_end);

  g_hash_table_unref (w.said);
  g_clear_object (&runner);
  g_clear_object (&engine);
  g_subprocess_force_exit (sipp);
  g_subprocess_wait (sipp, NULL, NULL);
  {
    g_autofree char *cmd = g_strdup_printf ("rm -rf '%s'", dir);

    g_assert_cmpint (system (cmd), ==, 0);
  }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/dd/voice-campaign/ladder-call", test_ladder_call);
  g_test_add_func ("/dd/voice-campaign/200-cases", test_campaign);
  g_test_add_func ("/dd/voice-campaign/machine-hangup-retry", test_machine_hangup);
  g_test_add_func ("/dd/voice-campaign/machine-voicemail", test_machine_voicemail);
  return g_test_run ();
}
