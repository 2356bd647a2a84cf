/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The inbound queue against real peers on 127.0.0.1 (issue 18). The office's line registers
 * with a registrar stand-in (sipp); callers are baresip instances that dial the line:
 *   - a recognised caller, with the office open (the flow's time switch), waits in the queue
 *     and is answered by a consultant (baresip, auto-answer) at their SIP URI: the case is
 *     reported, the audio goes both ways (checked in both recordings);
 *   - a caller who hangs up while queued (hearing the hold music): abandoned, in the missed
 *     list;
 *   - a caller who waits past the longest wait leaves a voicemail (a WAV file with their
 *     voice); on a callback queue they are told so: a callback request;
 *   - a caller out of office hours hears the flow's message: closed, in the missed list;
 *   - callers over the line's cap on waiting callers are refused 486 Busy Here, recorded as
 *     missed ("queue-full"), and the waiting ones go on waiting. */

#include "dd-agent-state-store.h"
#include "dd-inbound-queue.h"
#include "dd-inbound-store.h"
#include "dd-ivr-flow-store.h"
#include "dd-media-wav.h"
#include "dd-test-util.h"
#include "sip-peers.h"

#include <locale.h>
#include <math.h>
#include <string.h>

typedef struct
{
  guint   offered;
  guint   connected;
  guint   ended;
  guint   missed;
  gint64  offered_case;
  gint64  offered_agent;
  gint64  connected_case;
  gint64  ended_call;
  gint    outcome;
  guint   max_queued;
  guint   announced;
  guint   announced_positions;   /* bit n: position n was announced */
  DdInboundRunner *runner;
} Watch;

static void
on_announced (DdInboundRunner *runner,
              gint64           call_id,
              guint            position,
              guint            wait_s,
              Watch           *w)
{
  w->announced++;
  w->announced_positions |= 1u << MIN (position, 31);
  g_assert_cmpuint (wait_s, >=, 10 * position);
}

static void
on_offered (DdInboundRunner *runner,
            gint64           case_id,
            gint64           agent_id,
            Watch           *w)
{
  w->offered++;
  w->offered_case = case_id;
  w->offered_agent = agent_id;
}

static void
on_connected (DdInboundRunner *runner,
              gint64           case_id,
              gint64           agent_id,
              Watch           *w)
{
  w->connected++;
  w->connected_case = case_id;
}

static void
on_ended (DdInboundRunner *runner,
          gint64           call_id,
          gint             outcome,
          Watch           *w)
{
  w->ended++;
  w->ended_call = call_id;
  w->outcome = outcome;
}

static void
on_missed (DdInboundRunner *runner,
           Watch           *w)
{
  w->missed++;
}

static void
on_queue_changed (DdInboundRunner *runner,
                  Watch           *w)
{
  g_autoptr(GPtrArray) callers = dd_inbound_runner_list_callers (runner);

  for (guint i = 0; i < callers->len; i++)
    {
      DdInboundCaller *c = g_ptr_array_index (callers, i);

      w->max_queued = MAX (w->max_queued, c->position);
    }
}

static gboolean
ended_once (gpointer data)
{
  return ((Watch *) data)->ended >= 1;
}

static gboolean
queued (gpointer data)
{
  return ((Watch *) data)->max_queued >= 1;
}

/* 20 ms windows of @path that are not silent. */
static gsize
sound_windows (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) received = NULL;
  const gint16 *samples;
  gsize n = 0, loud = 0;
  guint rate = 0, channels = 0;

  received = dd_wav_read (path, &rate, &channels, &error);
  g_assert_no_error (error);
  samples = g_bytes_get_data (received, &n);
  n /= sizeof (gint16) * channels;
  for (gsize i = 0; i + 160 <= n; i += 160)
    {
      double energy = 0;

      for (gsize j = 0; j < 160; j++)
        energy += (double) samples[(i + j) * channels] * samples[(i + j) * channels];
      if (sqrt (energy / 160) > 300)
        loud++;
    }
  g_test_message ("%s: %zu windows of sound in %zu samples", path, loud, n);
  return loud;
}

static void
fill_office (DdDatabase *db)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (dd_database_exec (db,
    "INSERT INTO creditor (id, name, created_at) VALUES (1, 'Alfa Energia', 'x');"
    "INSERT INTO agent (id, name, role, created_at) VALUES"
    " (1, 'Anna Konsultant', 'consultant', 'x'), (2, 'Ola Konsultant', 'consultant', 'x');"
    "INSERT INTO debtor (id, dedup_key, name, created_at, updated_at) VALUES"
    " (1, 'k1', 'Jan Kowalski', 'x', 'x');"
    "INSERT INTO phone (debtor_id, e164, kind, position, valid, created_at) VALUES"
    " (1, '+48601234567', 'mobile', 0, 1, 'x');"
    "INSERT INTO debt_case (id, debtor_id, creditor_id, balance_minor, currency, debtor_name,"
    " created_at, updated_at) VALUES (7, 1, 1, 1000, 'PLN', 'Jan Kowalski', 'x', 'x');",
    &error));
  g_assert_no_error (error);
}

/* An inbound flow: a time switch (open every day, or closed today: a holiday), open → the
 * queue "Payments", closed → a message and hang up. */
static gint64
save_flow (DdDatabase *db,
           gboolean    open)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DdIvrFlowStore) flows = dd_ivr_flow_store_new (db);
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(GString) holidays = g_string_new ("");
  g_autofree char *json = NULL;
  gint64 id = 0;

  /* yesterday, today and tomorrow: whatever the time zones */
  for (int d = -1; d <= 1 && !open; d++)
    {
      g_autoptr(GDateTime) day = g_date_time_add_days (now, d);
      g_autofree char *text = g_date_time_format (day, "%Y-%m-%d");

      g_string_append_printf (holidays, "%s\"%s\"", d == -1 ? "" : ", ", text);
    }
  json = g_strdup_printf (
    "{ \"format\": 1, \"name\": \"Inbound\", \"language\": \"en\", \"start\": \"hours\","
    "  \"nodes\": ["
    "  { \"id\": \"hours\", \"type\": \"time-switch\","
    "    \"params\": { \"timezone\": \"Europe/Warsaw\", \"holidays\": [%s],"
    "      \"hours\": { \"mon\": [\"00:00-23:59\"], \"tue\": [\"00:00-23:59\"],"
    "        \"wed\": [\"00:00-23:59\"], \"thu\": [\"00:00-23:59\"], \"fri\": [\"00:00-23:59\"],"
    "        \"sat\": [\"00:00-23:59\"], \"sun\": [\"00:00-23:59\"] } },"
    "    \"position\": { \"x\": 0, \"y\": 0 },"
    "    \"exits\": { \"open\": \"queue\", \"closed\": \"closed\" } },"
    "  { \"id\": \"queue\", \"type\": \"transfer\", \"params\": { \"queue\": \"payments\" },"
    "    \"position\": { \"x\": 0, \"y\": 0 }, \"exits\": {} },"
    "  { \"id\": \"closed\", \"type\": \"play\", \"params\": { \"text\": \"We are closed.\" },"
    "    \"position\": { \"x\": 0, \"y\": 0 }, \"exits\": { \"done\": \"bye\" } },"
    "  { \"id\": \"bye\", \"type\": \"hang-up\", \"params\": {},"
    "    \"position\": { \"x\": 0, \"y\": 0 }, \"exits\": {} } ] }", holidays->str);
  g_assert_true (dd_ivr_flow_store_save (flows, open ? "Inbound open" : "Inbound closed", json,
                                         &id, NULL, &error));
  g_assert_no_error (error);
  return id;
}

typedef struct
{
  DdTestOffice    *office;
  DdSipEngine     *engine;
  DdInboundRunner *runner;
  GSubprocess     *registrar;
  char            *dir;
  Watch            w;
} Line;

/* A sipp registrar that accepts every REGISTER for 10 minutes. */
static GSubprocess *
start_registrar (const char *dir,
                 guint       port)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (dir, "registrar.xml", NULL);
  const char *extra[] = { NULL };
  GSubprocess *process;

  g_assert_true (g_file_set_contents (path,
    "<?xml version=\"1.0\" encoding=\"ISO-8859-1\" ?>\n"
    "<scenario name=\"registrar\">\n"
    "<recv request=\"REGISTER\"/>\n"
    "<send><![CDATA[\nSIP/2.0 200 OK\n[last_Via:]\n[last_From:]\n"
    "[last_To:];tag=[pid]SIPpTag01[call_number]\n[last_Call-ID:]\n[last_CSeq:]\n"
    "[last_Contact:];expires=600\nContent-Length: 0\n\n]]></send>\n"
    "<recv request=\"REGISTER\" optional=\"true\"/>\n"
    "</scenario>\n", -1, NULL));
  process = dd_sipp_spawn (port, path, NULL, extra, &error);
  g_assert_no_error (error);
  return process;
}

/* The office's line registered with the stand-in, the runner on it with one queue. */
static void
line_start (Line               *line,
            DdInboundRingStrategy strategy,
            DdInboundOnMaxWait  on_max_wait,
            guint               max_wait_s,
            gint64              flow_open)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DdInboundQueue) queue = dd_inbound_queue_new ("Payments");
  g_autofree char *registrar = NULL;
  g_autofree char *voicemail = NULL;
  guint port = dd_test_free_port (G_SOCKET_PROTOCOL_UDP);
  DdSipAccountConfig account = { "Office line", "sip:office@127.0.0.1", "Biuro", NULL, NULL,
                                 NULL, NULL, DD_SIP_TRANSPORT_UDP, 0, 600 };
  gint64 deadline;
  gint64 flow_id;

  line->dir = g_dir_make_tmp ("dd-inbound-XXXXXX", &error);
  g_assert_no_error (error);
  line->registrar = start_registrar (line->dir, port);
  g_usleep (300 * 1000);

  line->office = dd_test_office_new ("inbound");
  fill_office (line->office->database);
  flow_id = flow_open >= 0 ? save_flow (line->office->database, flow_open != 0) : 0;
  line->engine = dd_sip_engine_new ("127.0.0.1", 0, &error);
  g_assert_no_error (error);
  registrar = g_strdup_printf ("sip:127.0.0.1:%u", port);
  account.registrar = registrar;
  g_assert_true (dd_sip_engine_add_account (line->engine, &account, &error));
  g_assert_no_error (error);
  deadline = g_get_monotonic_time () + 10 * G_TIME_SPAN_SECOND;
  while (dd_sip_engine_get_account_state (line->engine, "Office line", NULL, NULL) !=
         DD_SIP_ACCOUNT_REGISTERED && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, FALSE), g_usleep (5000);
  g_assert_cmpint (dd_sip_engine_get_account_state (line->engine, "Office line", NULL, NULL),
                   ==, DD_SIP_ACCOUNT_REGISTERED);

  line->runner = dd_inbound_runner_new (line->office->database, line->engine);
  queue->strategy = strategy;
  queue->on_max_wait = on_max_wait;
  queue->max_wait_s = max_wait_s;
  queue->announce_every_s = 10;
  g_assert_true (dd_inbound_store_add_queue (dd_inbound_runner_get_store (line->runner), queue,
                                             NULL, &error));
  g_assert_no_error (error);
  g_assert_true (dd_inbound_store_set_line (dd_inbound_runner_get_store (line->runner),
                                            "Office line", flow_id, &error));
  g_assert_no_error (error);
  dd_inbound_runner_set_office (line->runner, "en", "PL");
  voicemail = g_build_filename (line->dir, "voicemail", NULL);
  dd_inbound_runner_set_voicemail_dir (line->runner, voicemail);
  dd_inbound_runner_set_voicemail_length (line->runner, 3);
  dd_inbound_runner_set_wrap_up (line->runner, 1);
  line->w.runner = line->runner;
  g_signal_connect (line->runner, "call-offered", G_CALLBACK (on_offered), &line->w);
  g_signal_connect (line->runner, "call-connected", G_CALLBACK (on_connected), &line->w);
  g_signal_connect (line->runner, "call-ended", G_CALLBACK (on_ended), &line->w);
  g_signal_connect (line->runner, "missed-changed", G_CALLBACK (on_missed), &line->w);
  g_signal_connect (line->runner, "queue-changed", G_CALLBACK (on_queue_changed), &line->w);
  g_signal_connect (line->runner, "announced", G_CALLBACK (on_announced), &line->w);
  /* the line's account found among the office's accounts; disabled, it takes no calls */
  {
    g_autoptr(GPtrArray) accounts = g_ptr_array_new_with_free_func ((GDestroyNotify) dd_sip_account_info_free);
    DdSipAccountInfo *info = dd_sip_account_info_new ("Office line", account.aor);

    g_ptr_array_add (accounts, dd_sip_account_info_new ("Other line", "sip:other@127.0.0.1"));
    g_ptr_array_add (accounts, info);
    info->enabled = FALSE;
    g_assert_false (dd_inbound_runner_start_with_accounts (line->runner, accounts, &error));
    g_assert_error (error, DD_INBOUND_ERROR, DD_INBOUND_ERROR_NOT_FOUND);
    g_clear_error (&error);
    info->enabled = TRUE;
    g_assert_true (dd_inbound_runner_start_with_accounts (line->runner, accounts, &error));
    g_assert_no_error (error);
  }
}

static void
line_stop (Line *line)
{
  g_clear_object (&line->runner);
  g_clear_object (&line->engine);
  g_subprocess_force_exit (line->registrar);
  g_clear_object (&line->registrar);
  g_clear_pointer (&line->office, dd_test_office_free);
  dd_test_remove_tree (line->dir);
  g_free (line->dir);
}

static void
dial_line (Line      *line,
           DdBaresip *caller)
{
  g_autofree char *uri = g_strdup_printf ("sip:office@127.0.0.1:%u",
                                          dd_sip_engine_get_port (line->engine));

  g_assert_true (dd_baresip_command (caller, "dial", uri, NULL));
}

static DdInboundCall *
the_call (Line *line)
{
  g_autoptr(GError) error = NULL;
  DdInboundCall *call = dd_inbound_store_get_call (dd_inbound_runner_get_store (line->runner),
                                                   line->w.ended_call, &error);

  g_assert_no_error (error);
  return call;
}

static gboolean
have_programs (void)
{
  if (!dd_test_have_program ("baresip") || !dd_test_have_program ("sipp")
      || !dd_test_have_program ("sox"))
    {
      g_test_skip ("baresip, sipp or sox is not installed");
      return FALSE;
    }
  return TRUE;
}

/* A recognised caller (440 Hz) in the open office's queue; the consultant (baresip at their
 * SIP URI, 1000 Hz) is ready 3 s later, answers, and each hears the other. */
static void
test_answered (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DdInboundCall) call = NULL;
  g_autofree char *consultant_uri = NULL;
  DdBaresip *caller, *consultant;
  DdAgentStateStore *states;
  Line line = { 0 };

  if (!have_programs ())
    return;
  consultant = dd_baresip_start_party ("anna", TRUE, 1000, 0);
  caller = dd_baresip_start_party ("48601234567", FALSE, 440, 12);

  line_start (&line, DD_INBOUND_RING_ALL, DD_INBOUND_ON_MAX_WAIT_CALLBACK, 60, TRUE);
  states = dd_inbound_runner_get_states (line.runner);
  consultant_uri = g_strdup_printf ("sip:anna@127.0.0.1:%u", consultant->sip_port);
  g_assert_true (dd_agent_state_store_set_sip_uri (states, 1, consultant_uri, &error));
  g_assert_no_error (error);

  dial_line (&line, caller);
  g_assert_true (dd_test_wait_until (queued, &line.w, 15 * 1000));
  /* nobody is ready: the caller waits */
  dd_test_iterate_for (2000);
  g_assert_cmpuint (line.w.offered, ==, 0);
  g_assert_true (dd_agent_state_store_set_ready (states, 1, &error));
  g_assert_no_error (error);

  /* the caller's sound ends after 12 s and baresip hangs up */
  g_assert_true (dd_test_wait_until (ended_once, &line.w, 30 * 1000));
  g_assert_cmpuint (line.w.offered, ==, 1);
  g_assert_cmpint (line.w.offered_case, ==, 7);
  g_assert_cmpint (line.w.offered_agent, ==, 1);
  g_assert_cmpuint (line.w.connected, ==, 1);
  g_assert_cmpint (line.w.connected_case, ==, 7);
  g_assert_cmpint (line.w.outcome, ==, DD_INBOUND_OUTCOME_ANSWERED);
  g_assert_true (dd_baresip_wait_said (consultant, "CALL_CLOSED", 5));
  g_assert_true (dd_baresip_wait_said (caller, "CALL_CLOSED", 5));
  dd_test_iterate_for (300);

  call = the_call (&line);
  g_assert_cmpstr (call->caller, ==, "48601234567");
  g_assert_cmpstr (call->e164, ==, "+48601234567");
  g_assert_cmpint (call->case_id, ==, 7);
  g_assert_cmpint (call->agent_id, ==, 1);
  g_assert_cmpint (call->outcome, ==, DD_INBOUND_OUTCOME_ANSWERED);
  g_assert_cmpint (call->queued_at, >, 0);
  g_assert_cmpint (call->answered_at - call->queued_at, >=, 2);
  g_assert_cmpint (dd_test_query_int (line.office->database,
                                      "SELECT COUNT(*) FROM inbound_missed"), ==, 0);
  {
    g_autoptr(DdAgentStatus) status = dd_agent_state_store_get (states, 1, &error);

    g_assert_cmpint (status->state, !=, DD_AGENT_STATE_ON_CALL);
  }

  /* each heard the other: seconds of each tone */
  g_assert_cmpuint (dd_baresip_heard_windows (consultant, 440, 1000), >=, 100);
  g_assert_cmpuint (dd_baresip_heard_windows (caller, 1000, 440), >=, 100);

  line_stop (&line);
  dd_baresip_stop (consultant);
  dd_baresip_stop (caller);
}

/* Nobody ready: two callers hear the hold music, are told their places (1 and 2) after 10 s,
 * and hang up: abandoned, both in the missed list. */
static gboolean
two_ended (gpointer data)
{
  return ((Watch *) data)->ended >= 2;
}

static gboolean
both_announced (gpointer data)
{
  return ((Watch *) data)->announced >= 2;
}

static void
test_abandoned (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) missed = NULL;
  g_autofree char *heard = NULL;
  DdBaresip *caller, *second;
  DdInboundMissed *m;
  Line line = { 0 };

  if (!have_programs ())
    return;
  caller = dd_baresip_start_party ("48500100200", FALSE, 440, 30);
  second = dd_baresip_start_party ("48500100300", FALSE, 440, 30);
  line_start (&line, DD_INBOUND_RING_LONGEST_IDLE, DD_INBOUND_ON_MAX_WAIT_CALLBACK, 60, -1);

  dial_line (&line, caller);
  g_assert_true (dd_test_wait_until (queued, &line.w, 15 * 1000));
  dial_line (&line, second);
  g_assert_true (dd_test_wait_until (both_announced, &line.w, 20 * 1000));
  g_assert_cmpuint (line.w.max_queued, ==, 2);
  g_assert_cmpuint (line.w.announced_positions, ==, (1u << 1) | (1u << 2));
  g_assert_true (dd_baresip_command (caller, "hangup", NULL, NULL));
  g_assert_true (dd_baresip_command (second, "hangup", NULL, NULL));
  g_assert_true (dd_test_wait_until (two_ended, &line.w, 10 * 1000));
  g_assert_cmpint (line.w.outcome, ==, DD_INBOUND_OUTCOME_ABANDONED);
  g_assert_cmpuint (line.w.missed, ==, 2);
  g_assert_cmpuint (line.w.offered, ==, 0);
  g_assert_cmpint (dd_test_query_int (line.office->database,
                                      "SELECT COUNT(*) FROM inbound_call WHERE outcome ="
                                      " 'abandoned' AND answered_at IS NULL AND case_id IS NULL"),
                   ==, 2);
  missed = dd_inbound_store_list_missed (dd_inbound_runner_get_store (line.runner), TRUE,
                                         &error);
  g_assert_no_error (error);
  g_assert_cmpuint (missed->len, ==, 2);
  for (guint i = 0; i < missed->len; i++)
    {
      m = missed->pdata[i];
      g_assert_cmpint (m->kind, ==, DD_INBOUND_OUTCOME_ABANDONED);
      g_assert_cmpstr (m->queue_name, ==, "Payments");
      g_assert_cmpuint (m->waited_s, >=, 9);
    }

  /* the caller heard the hold music and the announcement: sound most of the time */
  g_assert_true (dd_baresip_wait_said (caller, "CALL_CLOSED", 5));
  heard = dd_baresip_heard_path (caller);
  g_assert_cmpuint (sound_windows (heard), >=, 250);

  line_stop (&line);
  dd_baresip_stop (second);
  dd_baresip_stop (caller);
}

/* The longest wait (10 s) with nobody ready: a voicemail with the caller's voice; on a
 * callback queue, a callback request. */
static void
test_max_wait (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) missed = NULL;
  DdBaresip *caller;
  DdInboundMissed *m;
  Line line = { 0 };

  if (!have_programs ())
    return;
  caller = dd_baresip_start_party ("48601234567", FALSE, 440, 40);
  line_start (&line, DD_INBOUND_RING_ALL, DD_INBOUND_ON_MAX_WAIT_VOICEMAIL, 10, -1);

  dial_line (&line, caller);
  g_assert_true (dd_test_wait_until (ended_once, &line.w, 40 * 1000));
  g_assert_cmpint (line.w.outcome, ==, DD_INBOUND_OUTCOME_VOICEMAIL);
  missed = dd_inbound_store_list_missed (dd_inbound_runner_get_store (line.runner), TRUE,
                                         &error);
  g_assert_no_error (error);
  g_assert_cmpuint (missed->len, ==, 1);
  m = missed->pdata[0];
  g_assert_cmpint (m->kind, ==, DD_INBOUND_OUTCOME_VOICEMAIL);
  g_assert_cmpint (m->case_id, ==, 7);
  g_assert_cmpstr (m->debtor_name, ==, "Jan Kowalski");
  g_assert_cmpuint (m->waited_s, >=, 10);
  g_assert_nonnull (m->voicemail_path);
  g_assert_true (g_file_test (m->voicemail_path, G_FILE_TEST_EXISTS));
  /* the message is the caller's voice (the 440 Hz tone): most of the 3 s */
  g_assert_cmpuint (dd_wav_tone_windows (m->voicemail_path, 440, 1000), >=, 80);
  g_assert_true (dd_baresip_wait_said (caller, "CALL_CLOSED", 5));

  line_stop (&line);
  dd_baresip_stop (caller);

  /* the same on a callback queue, which plays its own hold music (a 600 Hz tone) */
  memset (&line, 0, sizeof line);
  caller = dd_baresip_start_party ("48601234567", FALSE, 440, 40);
  line_start (&line, DD_INBOUND_RING_ALL, DD_INBOUND_ON_MAX_WAIT_CALLBACK, 10, -1);
  {
    DdInboundStore *store = dd_inbound_runner_get_store (line.runner);
    g_autoptr(GPtrArray) queues = dd_inbound_store_list_queues (store, &error);
    g_autoptr(GSubprocess) sox = NULL;
    DdInboundQueue *queue = queues->pdata[0];

    queue->hold_music = g_build_filename (line.dir, "tone.wav", NULL);
    sox = g_subprocess_new (G_SUBPROCESS_FLAGS_NONE, &error, "sox", "-n", "-r", "16000", "-c",
                            "1", queue->hold_music, "synth", "3", "sine", "600", "vol", "0.3",
                            NULL);
    g_assert_no_error (error);
    g_assert_true (g_subprocess_wait_check (sox, NULL, &error));
    g_assert_no_error (error);
    g_assert_true (dd_inbound_store_update_queue (store, queue, &error));
    g_assert_no_error (error);
    /* started again: the queues as they are now */
    g_assert_true (dd_inbound_runner_start (line.runner, &error));
    g_assert_no_error (error);
  }
  dial_line (&line, caller);
  g_assert_true (dd_test_wait_until (ended_once, &line.w, 40 * 1000));
  g_assert_cmpint (line.w.outcome, ==, DD_INBOUND_OUTCOME_CALLBACK_REQUESTED);
  g_assert_true (dd_baresip_wait_said (caller, "CALL_CLOSED", 5));
  /* most of the 10 s wait */
  g_assert_cmpuint (dd_baresip_heard_windows (caller, 600, 440), >=, 300);
  g_assert_cmpint (dd_test_query_int (line.office->database,
                                      "SELECT COUNT(*) FROM inbound_missed"
                                      " WHERE kind = 'callback-requested' AND status = 'open'"),
                   ==, 1);
  line_stop (&line);
  dd_baresip_stop (caller);
}

/* Out of hours (today is a holiday in the flow): the closed message, then hung up. */
static void
test_closed (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DdInboundCall) call = NULL;
  DdBaresip *caller;
  Line line = { 0 };

  if (!have_programs ())
    return;
  caller = dd_baresip_start_party ("48601234567", FALSE, 440, 30);
  line_start (&line, DD_INBOUND_RING_ALL, DD_INBOUND_ON_MAX_WAIT_CALLBACK, 60, FALSE);
  g_assert_true (dd_agent_state_store_set_ready (dd_inbound_runner_get_states (line.runner), 1,
                                                 &error));

  dial_line (&line, caller);
  g_assert_true (dd_test_wait_until (ended_once, &line.w, 20 * 1000));
  g_assert_cmpint (line.w.outcome, ==, DD_INBOUND_OUTCOME_CLOSED_HOURS);
  g_assert_cmpuint (line.w.offered, ==, 0);
  g_assert_cmpuint (line.w.max_queued, ==, 0);
  call = the_call (&line);
  g_assert_cmpint (call->queue_id, ==, 0);
  g_assert_cmpint (call->case_id, ==, 7);
  g_assert_cmpint (dd_test_query_int (line.office->database,
                                      "SELECT COUNT(*) FROM inbound_missed"
                                      " WHERE kind = 'closed-hours'"), ==, 1);
  /* the caller heard the message */
  g_assert_true (dd_baresip_wait_said (caller, "CALL_CLOSED", 5));
  {
    g_autofree char *heard = dd_baresip_heard_path (caller);

    g_assert_cmpuint (sound_windows (heard), >=, 20);
  }

  line_stop (&line);
  dd_baresip_stop (caller);
}

/* A sipp caller on a longest-idle queue: the consultant idle longest (agent 1, whose phone
 * never answers) rings first for the ring time, then the next (agent 2, baresip,
 * auto-answer) takes the call; the caller hangs up after 16 s. */
static void
test_longest_idle_sipp (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) sipp = NULL;
  g_autoptr(DdInboundCall) call = NULL;
  g_autofree char *scenario = NULL;
  g_autofree char *path = NULL;
  g_autofree char *log = NULL;
  g_autofree char *target = NULL;
  g_autofree char *consultant_uri = NULL;
  DdBaresipOptions consultant_options = { 0 };
  DdBaresip *consultant;
  DdAgentStateStore *states;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  Line line = { 0 };

  if (!have_programs ())
    return;
  consultant_options.account = "<sip:ola@127.0.0.1>;regint=0;answermode=auto";
  consultant_options.quiet = TRUE;
  consultant = dd_baresip_start (&consultant_options, &error);
  g_assert_no_error (error);

  line_start (&line, DD_INBOUND_RING_LONGEST_IDLE, DD_INBOUND_ON_MAX_WAIT_CALLBACK, 60, -1);
  dd_inbound_runner_set_ring_timeout (line.runner, 5);
  states = dd_inbound_runner_get_states (line.runner);
  consultant_uri = g_strdup_printf ("sip:ola@127.0.0.1:%u", consultant->sip_port);
  g_assert_true (dd_agent_state_store_set_sip_uri (states, 1, "sip:nobody@127.0.0.1:9", &error));
  g_assert_true (dd_agent_state_store_set_sip_uri (states, 2, consultant_uri, &error));
  g_assert_no_error (error);
  /* agent 1 has been ready longer */
  dd_agent_state_store_set_clock (states, now - 100);
  g_assert_true (dd_agent_state_store_set_ready (states, 1, &error));
  dd_agent_state_store_set_clock (states, now - 50);
  g_assert_true (dd_agent_state_store_set_ready (states, 2, &error));
  g_assert_no_error (error);
  dd_agent_state_store_set_clock (states, 0);

  path = g_build_filename (line.dir, "caller.xml", NULL);
  log = g_build_filename (line.dir, "caller.log", NULL);
  scenario = g_strdup (
    "<?xml version=\"1.0\" encoding=\"ISO-8859-1\" ?>\n"
    "<scenario name=\"caller\">\n"
    "<send retrans=\"500\"><![CDATA[\nINVITE sip:office@[remote_ip]:[remote_port] SIP/2.0\n"
    "Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=z9hG4bK-dd-invite\n"
    "From: \"Jan Kowalski\" <sip:+48601234567@[local_ip]:[local_port]>;tag=caller[call_number]\n"
    "To: <sip:office@[remote_ip]:[remote_port]>\nCall-ID: [call_id]\nCSeq: 1 INVITE\n"
    "Contact: <sip:48601234567@[local_ip]:[local_port]>\nMax-Forwards: 70\n"
    "Content-Type: application/sdp\nContent-Length: [len]\n\n"
    "v=0\no=- 1 1 IN IP4 [local_ip]\ns=-\nc=IN IP4 [media_ip]\nt=0 0\n"
    "m=audio [media_port] RTP/AVP 8 101\na=rtpmap:8 PCMA/8000\n"
    "a=rtpmap:101 telephone-event/8000\n]]></send>\n"
    "<recv response=\"100\" optional=\"true\"/>\n"
    "<recv response=\"180\" optional=\"true\"/>\n"
    "<recv response=\"200\" rtd=\"true\"/>\n"
    "<send><![CDATA[\nACK sip:office@[remote_ip]:[remote_port] SIP/2.0\n"
    "Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]\n"
    "[last_From:]\n[last_To:]\nCall-ID: [call_id]\nCSeq: 1 ACK\nMax-Forwards: 70\n"
    "Content-Length: 0\n\n]]></send>\n"
    "<pause milliseconds=\"16000\"/>\n"
    "<send retrans=\"500\"><![CDATA[\nBYE sip:office@[remote_ip]:[remote_port] SIP/2.0\n"
    "Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]\n"
    "[last_From:]\n[last_To:]\nCall-ID: [call_id]\nCSeq: 2 BYE\nMax-Forwards: 70\n"
    "Content-Length: 0\n\n]]></send>\n"
    "<recv response=\"200\"/>\n"
    "</scenario>\n");
  g_assert_true (g_file_set_contents (path, scenario, -1, NULL));
  target = g_strdup_printf ("127.0.0.1:%u", dd_sip_engine_get_port (line.engine));
  {
    const char * const extra[] = { "-m", "1", "-trace_err", target, NULL };

    sipp = dd_sipp_spawn (dd_test_free_port (G_SOCKET_PROTOCOL_UDP), path, log, extra,
                          &error);
    g_assert_no_error (error);
  }

  g_assert_true (dd_test_wait_until (ended_once, &line.w, 30 * 1000));
  g_assert_cmpuint (line.w.offered, ==, 2);
  g_assert_cmpint (line.w.offered_agent, ==, 2);   /* the last offered */
  g_assert_cmpuint (line.w.connected, ==, 1);
  g_assert_cmpint (line.w.connected_case, ==, 7);
  g_assert_cmpint (line.w.outcome, ==, DD_INBOUND_OUTCOME_ANSWERED);
  call = the_call (&line);
  g_assert_cmpint (call->agent_id, ==, 2);
  g_assert_cmpstr (call->e164, ==, "+48601234567");
  /* the first consultant rang the whole ring time */
  g_assert_cmpint (call->answered_at - call->queued_at, >=, 4);
  g_assert_true (dd_baresip_wait_said (consultant, "CALL_CLOSED", 5));
  g_subprocess_wait (sipp, NULL, NULL);

  line_stop (&line);
  dd_baresip_stop (consultant);
}

/* The consultant at this desk (no SIP URI of their own) takes the call on the headset: the
 * caller (440 Hz) hears the desk's microphone (1000 Hz) and the desk's speaker the caller. */
static void
test_headset (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DdHeadset) headset = NULL;
  g_autoptr(DdInboundCall) call = NULL;
  g_autofree char *speaker = NULL;
  g_autofree char *sink = NULL;
  DdBaresip *caller;
  Line line = { 0 };

  if (!have_programs ())
    return;
  caller = dd_baresip_start_party ("48601234567", FALSE, 440, 8);
  line_start (&line, DD_INBOUND_RING_ALL, DD_INBOUND_ON_MAX_WAIT_CALLBACK, 60, -1);
  speaker = g_build_filename (line.dir, "desk-speaker.wav", NULL);
  sink = g_strdup_printf ("wavenc ! filesink location=\"%s\"", speaker);
  headset = dd_headset_new ("audiotestsrc is-live=true wave=sine freq=1000 volume=0.3", sink,
                            &error);
  g_assert_no_error (error);
  dd_inbound_runner_set_desk (line.runner, 1, headset);
  g_assert_true (dd_agent_state_store_set_ready (dd_inbound_runner_get_states (line.runner), 1,
                                                 &error));
  g_assert_no_error (error);

  dial_line (&line, caller);
  g_assert_true (dd_test_wait_until (ended_once, &line.w, 30 * 1000));
  g_assert_cmpuint (line.w.connected, ==, 1);
  g_assert_cmpint (line.w.offered_agent, ==, 1);
  g_assert_cmpint (line.w.connected_case, ==, 7);
  g_assert_cmpint (line.w.outcome, ==, DD_INBOUND_OUTCOME_ANSWERED);
  g_assert_null (dd_headset_get_call (headset));
  call = the_call (&line);
  g_assert_cmpint (call->agent_id, ==, 1);
  g_assert_true (dd_baresip_wait_said (caller, "CALL_CLOSED", 5));
  g_assert_cmpuint (dd_baresip_heard_windows (caller, 1000, 440), >=, 100);

  /* the speaker's file is complete once the headset is gone */
  g_clear_object (&line.runner);
  g_clear_object (&headset);
  g_assert_cmpuint (dd_wav_tone_windows (speaker, 440, 1000), >=, 100);
  line_stop (&line);
  dd_baresip_stop (caller);
}

/* A raw SIP caller on 127.0.0.1 (UDP): INVITEs from numbers of its own, ACKs to the final
 * answers. */
typedef struct
{
  GSocket *sip;
  GSocket *media;
  guint    port;
  guint    media_port;
  guint    line_port;
} RawCaller;

static guint
socket_port (GSocket *socket)
{
  g_autoptr(GSocketAddress) address = g_socket_get_local_address (socket, NULL);

  return g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (address));
}

static GSocket *
loopback_socket (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GInetAddress) lo = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new (lo, 0);
  GSocket *socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_DATAGRAM,
                                  G_SOCKET_PROTOCOL_UDP, &error);

  g_assert_no_error (error);
  g_assert_true (g_socket_bind (socket, any, TRUE, &error));
  g_assert_no_error (error);
  return socket;
}

static void
raw_send (RawCaller  *rc,
          const char *text)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GInetAddress) lo = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) to = g_inet_socket_address_new (lo, rc->line_port);

  g_assert_cmpint (g_socket_send_to (rc->sip, to, text, strlen (text), NULL, &error), ==,
                   (gssize) strlen (text));
  g_assert_no_error (error);
}

/* The value of header @name in @msg (a copy), or NULL. */
static char *
raw_header (const char *msg,
            const char *name)
{
  g_auto(GStrv) lines = g_strsplit (msg, "\r\n", -1);
  gsize n = strlen (name);

  for (guint i = 0; lines[i] != NULL && lines[i][0] != '\0'; i++)
    if (g_ascii_strncasecmp (lines[i], name, n) == 0 && lines[i][n] == ':')
      return g_strdup (g_strstrip (lines[i] + n + 1));
  return NULL;
}

/* Calls the line from +4860000000@n and returns the final answer's status (the call is
 * ACKed: a 200 stays up). */
static guint
raw_call (RawCaller *rc,
          guint      n)
{
  g_autofree char *sdp = g_strdup_printf (
    "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
    "m=audio %u RTP/AVP 8 101\r\na=rtpmap:8 PCMA/8000\r\na=rtpmap:101 telephone-event/8000\r\n",
    rc->media_port);
  g_autofree char *invite = g_strdup_printf (
    "INVITE sip:office@127.0.0.1:%u SIP/2.0\r\n"
    "Via: SIP/2.0/UDP 127.0.0.1:%u;branch=z9hG4bK-cap-%u\r\n"
    "From: <sip:+4860000000%u@127.0.0.1:%u>;tag=cap%u\r\n"
    "To: <sip:office@127.0.0.1:%u>\r\nCall-ID: cap-%u@127.0.0.1\r\nCSeq: 1 INVITE\r\n"
    "Contact: <sip:4860000000%u@127.0.0.1:%u>\r\nMax-Forwards: 70\r\n"
    "Content-Type: application/sdp\r\nContent-Length: %zu\r\n\r\n%s",
    rc->line_port, rc->port, n, n, rc->port, n, rc->line_port, n, n, rc->port, strlen (sdp),
    sdp);
  g_autofree char *call_id = g_strdup_printf ("cap-%u@127.0.0.1", n);
  gint64 deadline = g_get_monotonic_time () + 10 * G_TIME_SPAN_SECOND;

  raw_send (rc, invite);
  while (g_get_monotonic_time () < deadline)
    {
      char buffer[8192];
      gssize got;
      guint status;

      /* the runner lives on this thread's main context */
      while (g_main_context_iteration (NULL, FALSE))
        ;
      if (!g_socket_condition_timed_wait (rc->sip, G_IO_IN, 10000, NULL, NULL))
        continue;
      got = g_socket_receive (rc->sip, buffer, sizeof buffer - 1, NULL, NULL);
      if (got <= 0)
        continue;
      buffer[got] = '\0';
      if (!g_str_has_prefix (buffer, "SIP/2.0 "))
        continue;
      {
        g_autofree char *cid = raw_header (buffer, "Call-ID");
        g_autofree char *to = raw_header (buffer, "To");
        g_autofree char *ack = NULL;

        status = (guint) g_ascii_strtoull (buffer + 8, NULL, 10);
        if (g_strcmp0 (cid, call_id) != 0 || status < 200)
          continue;
        /* a 2xx's ACK is a request of its own; a failure's, of the INVITE's transaction */
        ack = g_strdup_printf (
          "ACK sip:office@127.0.0.1:%u SIP/2.0\r\n"
          "Via: SIP/2.0/UDP 127.0.0.1:%u;branch=z9hG4bK-cap-%s%u\r\n"
          "From: <sip:+4860000000%u@127.0.0.1:%u>;tag=cap%u\r\nTo: %s\r\n"
          "Call-ID: %s\r\nCSeq: 1 ACK\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n\r\n",
          rc->line_port, rc->port, status < 300 ? "ack-" : "", n, n, rc->port, n, to, call_id);
        raw_send (rc, ack);
        return status;
      }
    }
  g_error ("No final answer to INVITE %u", n);
  return 0;
}

static gboolean
n_ended (gpointer data)
{
  return ((Watch *) data)->ended >= 2;
}

/* The line takes 2 waiting callers (nobody is ready to answer them): the third and fourth are
 * refused 486 Busy Here at once, recorded as missed "queue-full" and counted in the figures;
 * the 2 waiting stay in the queue. A flood over the cap is refused, recorded 20 a minute. */
static void
test_queue_full (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) calls = NULL;
  g_autoptr(GPtrArray) missed = NULL;
  g_autoptr(GPtrArray) callers = NULL;
  g_autoptr(GPtrArray) figures = NULL;
  DdInboundStore *store;
  RawCaller rc = { 0 };
  guint max = 0, refused = 0, full_missed = 0;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  Line line = { 0 };

  if (!have_programs ())
    return;
  line_start (&line, DD_INBOUND_RING_ALL, DD_INBOUND_ON_MAX_WAIT_CALLBACK, 120, -1);
  store = dd_inbound_runner_get_store (line.runner);
  g_assert_true (dd_inbound_store_get_max_waiting (store, &max, &error));
  g_assert_cmpuint (max, ==, DD_INBOUND_DEFAULT_MAX_WAITING);
  g_assert_false (dd_inbound_store_set_max_waiting (store, 0, &error));
  g_assert_error (error, DD_INBOUND_ERROR, DD_INBOUND_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_true (dd_inbound_store_set_max_waiting (store, 2, &error));
  g_assert_no_error (error);
  /* the line's settings saved again keep the cap */
  g_assert_true (dd_inbound_store_set_line (store, "Office line", 0, &error));
  g_assert_true (dd_inbound_store_get_max_waiting (store, &max, &error));
  g_assert_cmpuint (max, ==, 2);

  rc.sip = loopback_socket ();
  rc.media = loopback_socket ();
  rc.port = socket_port (rc.sip);
  rc.media_port = socket_port (rc.media);
  rc.line_port = dd_sip_engine_get_port (line.engine);
  g_assert_cmpuint (raw_call (&rc, 1), ==, 200);
  g_assert_cmpuint (raw_call (&rc, 2), ==, 200);
  g_assert_cmpuint (raw_call (&rc, 3), ==, 486);
  g_assert_cmpuint (raw_call (&rc, 4), ==, 486);
  g_assert_true (dd_test_wait_until (n_ended, &line.w, 5000));
  g_assert_cmpint (line.w.outcome, ==, DD_INBOUND_OUTCOME_QUEUE_FULL);

  /* the waiting ones wait on, in the queue */
  callers = dd_inbound_runner_list_callers (line.runner);
  g_assert_cmpuint (callers->len, ==, 2);
  for (guint i = 0; i < callers->len; i++)
    {
      DdInboundCaller *c = g_ptr_array_index (callers, i);

      g_assert_cmpint (c->queue_id, >, 0);
      g_assert_cmpuint (c->position, >=, 1);
      g_assert_cmpint (c->agent_id, ==, 0);
    }

  calls = dd_inbound_store_list_calls (store, now - 60, now + 60, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (calls->len, ==, 4);
  for (guint i = 0; i < calls->len; i++)
    {
      DdInboundCall *call = g_ptr_array_index (calls, i);

      if (call->outcome == DD_INBOUND_OUTCOME_QUEUE_FULL)
        {
          refused++;
          g_assert_true (g_str_has_suffix (call->e164, "3") || g_str_has_suffix (call->e164, "4"));
          g_assert_cmpint (call->ended_at, >, 0);
          g_assert_cmpint (call->queue_id, ==, 0);
        }
      else
        g_assert_cmpint (call->outcome, ==, DD_INBOUND_OUTCOME_NONE);
    }
  g_assert_cmpuint (refused, ==, 2);
  missed = dd_inbound_store_list_missed (store, TRUE, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < missed->len; i++)
    full_missed += ((DdInboundMissed *) g_ptr_array_index (missed, i))->kind ==
                   DD_INBOUND_OUTCOME_QUEUE_FULL;
  g_assert_cmpuint (full_missed, ==, 2);
  g_clear_pointer (&missed, g_ptr_array_unref);

  /* a flood over the cap: every call refused, at most 20 a minute recorded */
  for (guint n = 10; n < 40; n++)
    g_assert_cmpuint (raw_call (&rc, n), ==, 486);
  missed = dd_inbound_store_list_missed (store, TRUE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (missed->len, ==, 20);
  callers = (g_ptr_array_unref (callers), dd_inbound_runner_list_callers (line.runner));
  g_assert_cmpuint (callers->len, ==, 2);
  g_assert_cmpstr (dd_inbound_outcome_to_string (DD_INBOUND_OUTCOME_QUEUE_FULL), ==,
                   "queue-full");
  figures = dd_inbound_store_figures (store, now - 3600, now + 3600, NULL, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < figures->len; i++)
    {
      DdInboundFigures *f = g_ptr_array_index (figures, i);

      if (f->queue_id == 0 && f->hour == -1)
        {
          g_assert_cmpuint (f->refused, ==, 20);
          g_assert_cmpuint (f->offered, ==, 2);
        }
    }

  line_stop (&line);
  g_clear_object (&rc.sip);
  g_clear_object (&rc.media);
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "C.UTF-8");
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/dd/inbound/answered", test_answered);
  g_test_add_func ("/dd/inbound/longest-idle-sipp", test_longest_idle_sipp);
  g_test_add_func ("/dd/inbound/headset", test_headset);
  g_test_add_func ("/dd/inbound/abandoned", test_abandoned);
  g_test_add_func ("/dd/inbound/max-wait", test_max_wait);
  g_test_add_func ("/dd/inbound/closed", test_closed);
  g_test_add_func ("/dd/inbound/queue-full", test_queue_full);

  return g_test_run ();
}
