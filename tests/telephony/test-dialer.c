/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The outbound dialer against real peers on 127.0.0.1 (issue 18): a baresip debtor answers and
 * talks to a baresip consultant (auto-answer) reached at their SIP URI, the audio relayed both
 * ways and checked in both recordings; sipp debtors who answer, are busy or never answer; a call
 * answered with nobody free hears the office's message and its number rests 72 hours. */

#include "amd-samples.h"
#include "dd-agent-state-store.h"
#include "dd-dialer-store.h"
#include "dd-dialer.h"
#include "dd-media-wav.h"
#include "dd-test-util.h"
#include "sip-peers.h"

#include <locale.h>
#include <math.h>

typedef struct
{
  guint   connected;
  guint   abandoned;
  guint   ended;
  gint64  connected_agent;
  gint64  connected_case;
  gint64  answered_us;
  gint64  abandoned_us;
  gboolean finished;
  DdAgentStateStore *pause_on_dial;  /* pauses agent 1 as soon as a call is out */
} Watch;

static void
on_connected (DdDialer *dialer,
              gint64    agent_id,
              gint64    case_id,
              Watch    *w)
{
  w->connected++;
  w->connected_agent = agent_id;
  w->connected_case = case_id;
}

static void
on_abandoned (DdDialer *dialer,
              gint64    case_id,
              Watch    *w)
{
  w->abandoned++;
  w->abandoned_us = g_get_monotonic_time ();
}

static void
on_ended (DdDialer *dialer,
          gint64    agent_id,
          gint64    case_id,
          Watch    *w)
{
  w->ended++;
}

static void
on_finished (DdDialer *dialer,
             Watch    *w)
{
  w->finished = TRUE;
}

static void
on_figures (DdDialer *dialer,
            Watch    *w)
{
  DdDialerCounts counts;

  dd_dialer_get_counts (dialer, &counts);
  if (w->pause_on_dial != NULL && counts.dialled > 0)
    {
      g_autoptr(GError) error = NULL;

      g_assert_true (dd_agent_state_store_pause (w->pause_on_dial, 1, "coffee", &error));
      g_assert_no_error (error);
      w->pause_on_dial = NULL;
    }
}

static gboolean
finished (gpointer data)
{
  return ((Watch *) data)->finished;
}

static gboolean
ended_once (gpointer data)
{
  return ((Watch *) data)->ended >= 1;
}

static void
fill_office (DdDatabase *db)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (dd_database_exec (db,
    "INSERT INTO creditor (id, name, created_at) VALUES (1, 'Alfa Energia', 'x');"
    "INSERT INTO agent (id, name, role, created_at, sip_uri)"
    " VALUES (1, 'Anna Konsultant', 'consultant', 'x', NULL);"
    "INSERT INTO campaign (id, name, kind, created_at, updated_at)"
    " VALUES (1, 'Dialer', 'voice', 'x', 'x');"
    "INSERT INTO debtor (id, dedup_key, name, created_at, updated_at) VALUES"
    " (1, 'k1', 'Jan Kowalski', 'x', 'x'), (2, 'k2', 'Anna Nowak', 'x', 'x'),"
    " (3, 'k3', 'Piotr Wiśniewski', 'x', 'x');"
    "INSERT INTO debt_case (id, debtor_id, creditor_id, balance_minor, currency, created_at,"
    " updated_at) VALUES (1, 1, 1, 1000, 'PLN', 'x', 'x'), (2, 2, 1, 2000, 'PLN', 'x', 'x'),"
    " (3, 3, 1, 3000, 'PLN', 'x', 'x');", &error));
  g_assert_no_error (error);
}

static DdAgentState
state_of (DdDialer *dialer,
          gint64    agent_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DdAgentStatus) status = dd_agent_state_store_get (dd_dialer_get_states (dialer),
                                                              agent_id, &error);

  g_assert_no_error (error);
  return status->state;
}

/* sipp on 127.0.0.1:@port playing @scenario, its media on a free port of its own; half a second
 * for it to listen. */
static GSubprocess *
spawn_callee (guint       port,
              const char *scenario)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *media = g_strdup_printf ("%u", dd_test_free_port (G_SOCKET_PROTOCOL_UDP));
  const char *extra[] = { "-mp", media, NULL };
  GSubprocess *sipp = dd_sipp_spawn (port, scenario, NULL, extra, &error);

  g_assert_no_error (error);
  g_usleep (500 * 1000);
  return sipp;
}

/* sipp as the debtors (dd_sipp_write_debtor_callee(), the keys that declare a payment) on
 * 127.0.0.1:@port; its scenario in a new temporary folder, @out_dir. */
static GSubprocess *
start_debtors (guint   port,
               char  **out_dir)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *keys = dd_sipp_declare_keys ();
  g_autofree char *scenario = NULL;

  *out_dir = g_dir_make_tmp ("dd-dialer-XXXXXX", &error);
  g_assert_no_error (error);
  scenario = g_build_filename (*out_dir, "debtors.xml", NULL);
  g_assert_true (dd_sipp_write_debtor_callee (scenario, keys, &error));
  return spawn_callee (port, scenario);
}

/* A dialer on @engine calling through a line to 127.0.0.1:@port, reporting into @w. */
static DdDialer *
new_dialer (DdDatabase  *database,
            DdSipEngine *engine,
            guint        port,
            Watch       *w)
{
  g_autofree char *line = g_strdup_printf ("sip:office@127.0.0.1:%u", port);
  DdDialer *dialer = dd_dialer_new (database, engine);

  dd_dialer_set_line (dialer, line);
  dd_dialer_set_office (dialer, "Windykacja Test", "+48 22 100 20 30", "pl");
  dd_dialer_set_tick (dialer, 50);
  g_signal_connect (dialer, "call-connected", G_CALLBACK (on_connected), w);
  g_signal_connect (dialer, "call-abandoned", G_CALLBACK (on_abandoned), w);
  g_signal_connect (dialer, "call-ended", G_CALLBACK (on_ended), w);
  g_signal_connect (dialer, "finished", G_CALLBACK (on_finished), w);
  return dialer;
}

/* A debtor (baresip, 440 Hz) answers; the consultant (baresip at their SIP URI, auto-answer,
 * 1000 Hz) gets the call with the case; each hears the other; the debtor hangs up after 4 s of
 * talk and the consultant goes to wrap-up. */
static void
test_bridge (void)
{
  g_autoptr(DdTestOffice) office = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(DdSipEngine) engine = NULL;
  g_autoptr(DdDialer) dialer = NULL;
  g_autoptr(GPtrArray) numbers = g_ptr_array_new_with_free_func ((GDestroyNotify) dd_dialer_number_free);
  g_autofree char *consultant_uri = NULL;
  DdBaresip *debtor, *consultant;
  Watch w = { 0 };

  if (!dd_test_have_program ("baresip"))
    {
      g_test_skip ("baresip is not installed");
      return;
    }

  /* the debtor hangs up at the end of its 5 s of sound */
  debtor = dd_baresip_start_party ("48600000001", TRUE, 440, 5);
  consultant = dd_baresip_start_party ("anna", TRUE, 1000, 0);

  office = dd_test_office_new ("dialer");
  fill_office (office->database);
  engine = dd_sip_engine_new ("127.0.0.1", 0, &error);
  g_assert_no_error (error);
  dialer = new_dialer (office->database, engine, debtor->sip_port, &w);
  consultant_uri = g_strdup_printf ("sip:anna@127.0.0.1:%u", consultant->sip_port);
  dd_dialer_add_consultant (dialer, 1, consultant_uri);
  g_assert_true (dd_agent_state_store_set_ready (dd_dialer_get_states (dialer), 1, &error));
  g_assert_no_error (error);

  g_ptr_array_add (numbers, dd_dialer_number_new (1, "+48600000001"));
  g_assert_true (dd_dialer_start (dialer, 1, numbers, &error));
  g_assert_no_error (error);

  g_assert_true (dd_test_wait_until (ended_once, &w, 30 * 1000));
  g_assert_cmpuint (w.connected, ==, 1);
  g_assert_cmpint (w.connected_agent, ==, 1);
  g_assert_cmpint (w.connected_case, ==, 1);
  g_assert_cmpuint (w.abandoned, ==, 0);
  g_assert_cmpint (state_of (dialer, 1), ==, DD_AGENT_STATE_WRAP_UP);
  g_assert_true (dd_test_wait_until (finished, &w, 10 * 1000));
  g_assert_true (dd_baresip_wait_said (consultant, "CALL_CLOSED", 5));
  g_assert_true (dd_baresip_wait_said (debtor, "CALL_CLOSED", 5));
  dd_test_iterate_for (300);

  g_assert_cmpint (dd_test_query_int (office->database,
                                      "SELECT COUNT(*) FROM dialer_answer WHERE campaign_id = 1"
                                      " AND case_id = 1 AND agent_id = 1 AND abandoned = 0"), ==, 1);
  /* The consultant heard the debtor, and the debtor the consultant: seconds of each tone */
  g_assert_cmpuint (dd_baresip_heard_windows (consultant, 440, 1000), >=, 100);
  g_assert_cmpuint (dd_baresip_heard_windows (debtor, 1000, 440), >=, 100);

  g_clear_object (&dialer);
  dd_baresip_stop (consultant);
  dd_baresip_stop (debtor);
}

/* sipp debtors: 8 answers (nobody free: the office's message, abandoned), 5 busy, 4 never
 * answers (rings 15 s, the least); the abandoned number is not rung again. */
static void
test_busy_no_answer_abandoned (void)
{
  g_autoptr(DdTestOffice) office = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(DdSipEngine) engine = NULL;
  g_autoptr(DdDialer) dialer = NULL;
  g_autoptr(GSubprocess) sipp = NULL;
  g_autoptr(GPtrArray) numbers = g_ptr_array_new_with_free_func ((GDestroyNotify) dd_dialer_number_free);
  g_autofree char *dir = NULL;
  guint port = dd_test_free_port (G_SOCKET_PROTOCOL_UDP);
  DdDialerCounts counts;
  Watch w = { 0 };
  gint64 started;

  if (!dd_test_have_program ("sipp"))
    {
      g_test_skip ("sipp (sip-tester) is not installed");
      return;
    }
  sipp = start_debtors (port, &dir);

  office = dd_test_office_new ("dialer");
  fill_office (office->database);
  engine = dd_sip_engine_new ("127.0.0.1", 0, &error);
  g_assert_no_error (error);
  dialer = new_dialer (office->database, engine, port, &w);
  dd_dialer_set_ring_timeout (dialer, 5);   /* raised to the 15 s minimum */
  dd_dialer_set_wrap_up (dialer, 1);
  dd_dialer_add_consultant (dialer, 1, "sip:anna@127.0.0.1:9");
  g_assert_true (dd_agent_state_store_set_ready (dd_dialer_get_states (dialer), 1, &error));
  g_assert_no_error (error);

  g_signal_connect (dialer, "figures-changed", G_CALLBACK (on_figures), &w);

  /* The consultant pauses while the first number rings: it is answered with nobody free */
  w.pause_on_dial = dd_dialer_get_states (dialer);
  g_ptr_array_add (numbers, dd_dialer_number_new (1, "+48600000008"));
  g_assert_true (dd_dialer_start (dialer, 1, numbers, &error));
  g_assert_no_error (error);
  g_assert_true (dd_test_wait_until (finished, &w, 30 * 1000));
  g_assert_cmpuint (w.abandoned, ==, 1);
  g_assert_cmpuint (w.connected, ==, 0);
  g_assert_cmpint (dd_test_query_int (office->database,
                                      "SELECT COUNT(*) FROM dialer_answer WHERE e164 ="
                                      " '+48600000008' AND abandoned = 1"), ==, 1);
  g_assert_cmpfloat (dd_dialer_get_abandon_rate (dialer), ==, 1.0);

  /* Busy and no answer, with the consultant back; the abandoned number rests */
  g_assert_true (dd_agent_state_store_set_ready (dd_dialer_get_states (dialer), 1, &error));
  g_ptr_array_set_size (numbers, 0);
  g_ptr_array_add (numbers, dd_dialer_number_new (1, "+48600000008"));
  g_ptr_array_add (numbers, dd_dialer_number_new (2, "+48600000005"));
  g_ptr_array_add (numbers, dd_dialer_number_new (3, "+48600000004"));
  w.finished = FALSE;
  w.ended = 0;
  started = g_get_monotonic_time ();
  g_assert_true (dd_dialer_start (dialer, 1, numbers, &error));
  g_assert_no_error (error);
  g_assert_true (dd_test_wait_until (finished, &w, 60 * 1000));
  dd_dialer_get_counts (dialer, &counts);
  g_assert_cmpuint (counts.dialled, ==, 2);   /* not the abandoned one */
  g_assert_cmpuint (counts.answered, ==, 0);
  g_assert_cmpuint (w.ended, ==, 2);
  /* The unanswered number rang 15 s at least */
  g_assert_cmpint (g_get_monotonic_time () - started, >=, 15 * G_USEC_PER_SEC);
  g_assert_cmpint (state_of (dialer, 1), ==, DD_AGENT_STATE_READY);
  /* The history counts: 1 answered and abandoned in the window */
  g_assert_cmpfloat (dd_dialer_get_abandon_rate (dialer), ==, 1.0);

  g_clear_object (&dialer);
  g_subprocess_force_exit (sipp);
  dd_test_remove_tree (dir);
}

/* The campaign rang a number (its counts start with it) */
static gboolean
dialled_one (gpointer data)
{
  DdDialerCounts counts;

  dd_dialer_get_counts (data, &counts);
  return counts.dialled >= 1;
}

/* Progressive beside a consultant's own call: consultant 1 calls a debtor back (a preview
 * line, ringing unanswered); consultant 2, free, gets a line of the campaign at once, not when
 * the other line stops ringing (the preview line has its consultant, who is not free). */
static void
test_progressive_beside_preview (void)
{
  g_autoptr(DdTestOffice) office = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(DdSipEngine) engine = NULL;
  g_autoptr(DdDialer) dialer = NULL;
  g_autoptr(GSubprocess) sipp = NULL;
  g_autoptr(GPtrArray) numbers = g_ptr_array_new_with_free_func ((GDestroyNotify) dd_dialer_number_free);
  g_autofree char *dir = NULL;
  guint port = dd_test_free_port (G_SOCKET_PROTOCOL_UDP);
  Watch w = { 0 };

  if (!dd_test_have_program ("sipp"))
    {
      g_test_skip ("sipp (sip-tester) is not installed");
      return;
    }
  sipp = start_debtors (port, &dir);

  office = dd_test_office_new ("dialer");
  fill_office (office->database);
  g_assert_true (dd_database_exec (office->database,
                                   "INSERT INTO agent (id, name, role, created_at)"
                                   " VALUES (2, 'Marek Konsultant', 'consultant', 'x')", &error));
  g_assert_no_error (error);
  engine = dd_sip_engine_new ("127.0.0.1", 0, &error);
  g_assert_no_error (error);
  dialer = new_dialer (office->database, engine, port, &w);
  g_assert_cmpint (dd_dialer_get_mode (dialer), ==, DD_DIAL_MODE_PROGRESSIVE);
  dd_dialer_set_ring_timeout (dialer, 15);
  dd_dialer_set_wrap_up (dialer, 1);
  dd_dialer_add_consultant (dialer, 1, "sip:anna@127.0.0.1:9");
  dd_dialer_add_consultant (dialer, 2, "sip:marek@127.0.0.1:9");
  g_assert_true (dd_agent_state_store_set_ready (dd_dialer_get_states (dialer), 1, &error));
  g_assert_true (dd_agent_state_store_set_ready (dd_dialer_get_states (dialer), 2, &error));
  g_assert_no_error (error);

  /* consultant 1 calls a number that rings and is never answered */
  g_assert_true (dd_dialer_dial_preview (dialer, 1, 3, "+48600000004", &error));
  g_assert_no_error (error);
  g_assert_cmpint (state_of (dialer, 1), ==, DD_AGENT_STATE_ON_CALL);
  /* the campaign rings one number for consultant 2 within a few ticks, while that call still
   * rings (it rings 15 s) */
  g_ptr_array_add (numbers, dd_dialer_number_new (2, "+48600000005"));
  g_assert_true (dd_dialer_start (dialer, 1, numbers, &error));
  g_assert_no_error (error);
  g_assert_true (dd_test_wait_until (dialled_one, dialer, 5 * 1000));

  dd_dialer_hang_up (dialer, 1);
  g_assert_true (dd_test_wait_until (finished, &w, 30 * 1000));

  g_clear_object (&dialer);
  g_subprocess_force_exit (sipp);
  dd_test_remove_tree (dir);
}

/* A sipp callee that answers and plays @ulaw_path (raw µ-law, 8 kHz) from the answer on,
 * then waits for our hang-up. */
static const char speaking_callee[] =
  "<?xml version=\"1.0\" encoding=\"ISO-8859-1\" ?>\n"
  "<scenario name=\"speaking callee\">\n"
  "<recv request=\"INVITE\"/>\n"
  "<send><![CDATA[\n"
  "SIP/2.0 200 OK\n"
  "[last_Via:]\n"
  "[last_From:]\n"
  "[last_To:];tag=[pid]SIPpTag01[call_number]\n"
  "[last_Call-ID:]\n"
  "[last_CSeq:]\n"
  "Contact: <sip:callee@[local_ip]:[local_port]>\n"
  "Content-Type: application/sdp\n"
  "Content-Length: [len]\n"
  "\n"
  "v=0\n"
  "o=- 1 1 IN IP4 [local_ip]\n"
  "s=-\n"
  "c=IN IP4 [media_ip]\n"
  "t=0 0\n"
  "m=audio [media_port] RTP/AVP 0\n"
  "a=rtpmap:0 PCMU/8000\n"
  "\n"
  "]]></send>\n"
  "<recv request=\"ACK\"/>\n"
  "<nop><action><exec rtp_stream=\"@AUDIO@,1,0\"/></action></nop>\n"
  "<recv request=\"BYE\"/>\n"
  "<send><![CDATA[\n"
  "SIP/2.0 200 OK\n"
  "[last_Via:]\n"
  "[last_From:]\n"
  "[last_To:]\n"
  "[last_Call-ID:]\n"
  "[last_CSeq:]\n"
  "Content-Length: 0\n"
  "\n"
  "]]></send>\n"
  "</scenario>\n";

typedef struct
{
  Watch  w;
  guint  machines;
  gint64 machine_case;
} MachineWatch;

static void
on_machine (DdDialer     *dialer,
            gint64        case_id,
            MachineWatch *m)
{
  m->machines++;
  m->machine_case = case_id;
}

/* The consultant at this desk got the call: hang it up (no headset in this test). */
static void
on_connected_hang_up (DdDialer *dialer,
                      gint64    agent_id,
                      gint64    case_id,
                      gpointer  data)
{
  dd_dialer_hang_up (dialer, agent_id);
}

/* Dials one number of a sipp callee saying @text (Polish, after 300 ms, then 10 s of
 * silence) with @policy; the counts after the dialer finished. */
static void
dial_speaker (const char            *text,
              DdDialerMachinePolicy  policy,
              MachineWatch          *m,
              DdDialerCounts        *counts,
              DdDatabase           **out_database,
              DdTestOffice         **out_office)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) speech = dd_amd_sample_make ("pl", text, 300, 10000, 0, 1, &error);
  g_autoptr(DdSipEngine) engine = NULL;
  g_autoptr(DdDialer) dialer = NULL;
  g_autoptr(GSubprocess) sipp = NULL;
  g_autoptr(GSubprocess) sox = NULL;
  g_autoptr(GPtrArray) numbers = g_ptr_array_new_with_free_func ((GDestroyNotify) dd_dialer_number_free);
  g_autoptr(GString) scenario_text = g_string_new (speaking_callee);
  g_autofree char *dir = g_dir_make_tmp ("dd-dialer-amd-XXXXXX", &error);
  g_autofree char *pcm_path = g_build_filename (dir, "speech.raw", NULL);
  g_autofree char *ulaw_path = g_build_filename (dir, "speech.ul", NULL);
  g_autofree char *scenario = g_build_filename (dir, "callee.xml", NULL);
  guint port = dd_test_free_port (G_SOCKET_PROTOCOL_UDP);
  DdTestOffice *office;

  g_assert_no_error (error);
  g_assert_true (g_file_set_contents (pcm_path, g_bytes_get_data (speech, NULL),
                                      (gssize) g_bytes_get_size (speech), &error));
  sox = g_subprocess_new (G_SUBPROCESS_FLAGS_NONE, &error, "sox", "-t", "raw", "-r", "8000",
                          "-e", "signed", "-b", "16", "-c", "1", pcm_path, "-t", "ul", ulaw_path,
                          NULL);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_wait_check (sox, NULL, &error));
  g_assert_no_error (error);
  g_string_replace (scenario_text, "@AUDIO@", ulaw_path, 1);
  g_assert_true (g_file_set_contents (scenario, scenario_text->str, -1, &error));
  sipp = spawn_callee (port, scenario);

  office = dd_test_office_new ("dialer-amd");
  fill_office (office->database);
  engine = dd_sip_engine_new ("127.0.0.1", 0, &error);
  g_assert_no_error (error);
  dialer = new_dialer (office->database, engine, port, &m->w);
  dd_dialer_set_machine_policy (dialer, policy);
  dd_dialer_set_wrap_up (dialer, 1);
  dd_dialer_add_consultant (dialer, 1, NULL);
  g_signal_connect (dialer, "machine-answered", G_CALLBACK (on_machine), m);
  g_signal_connect (dialer, "call-connected", G_CALLBACK (on_connected_hang_up), NULL);
  g_assert_true (dd_agent_state_store_set_ready (dd_dialer_get_states (dialer), 1, &error));
  g_ptr_array_add (numbers, dd_dialer_number_new (2, "+48600000002"));
  g_assert_true (dd_dialer_start (dialer, 1, numbers, &error));
  g_assert_no_error (error);
  g_assert_true (dd_test_wait_until (finished, &m->w, 60 * 1000));
  dd_dialer_get_counts (dialer, counts);

  g_clear_object (&dialer);
  g_subprocess_force_exit (sipp);
  dd_test_remove_tree (dir);
  *out_database = office->database;
  *out_office = office;
}

/* Answering machines: a person's short "Halo?" goes to the consultant; a long voicemail
 * greeting is not handed to anyone, hears the office's message (or is hung up on), and counts
 * apart: not answered by a person, not abandoned. */
static void
test_machines (void)
{
  MachineWatch m = { 0 };
  DdDialerCounts counts;
  DdDatabase *db;
  DdTestOffice *office;

  if (!dd_test_have_program ("sipp") || !dd_amd_samples_available ())
    {
      g_test_skip ("sipp, espeak-ng or sox is not installed");
      return;
    }

  /* A person */
  dial_speaker ("Halo?", DD_DIALER_MACHINES_LEAVE_MESSAGE, &m, &counts, &db, &office);
  g_assert_cmpuint (m.w.connected, ==, 1);
  g_assert_cmpuint (m.machines, ==, 0);
  g_assert_cmpuint (counts.answered, ==, 1);
  g_assert_cmpuint (counts.machines, ==, 0);
  g_assert_cmpint (dd_test_query_int (db, "SELECT COUNT(*) FROM dialer_answer WHERE case_id = 2"
                                          " AND agent_id = 1 AND abandoned = 0"), ==, 1);
  dd_test_office_free (office);

  /* A machine, left the office's message */
  memset (&m, 0, sizeof m);
  dial_speaker ("Dzień dobry, dodzwoniłeś się do poczty głosowej Jana Kowalskiego, proszę "
                "zostawić wiadomość po sygnale", DD_DIALER_MACHINES_LEAVE_MESSAGE, &m, &counts,
                &db, &office);
  g_assert_cmpuint (m.w.connected, ==, 0);
  g_assert_cmpuint (m.w.abandoned, ==, 0);
  g_assert_cmpuint (m.machines, ==, 1);
  g_assert_cmpint (m.machine_case, ==, 2);
  g_assert_cmpuint (counts.machines, ==, 1);
  g_assert_cmpuint (counts.answered, ==, 0);
  g_assert_cmpuint (counts.abandoned, ==, 0);
  g_assert_cmpint (dd_test_query_int (db, "SELECT COUNT(*) FROM dialer_answer"), ==, 0);
  /* nobody was taken from the consultants */
  g_assert_cmpint (dd_test_query_int (db, "SELECT COUNT(*) FROM agent_state WHERE agent_id = 1"
                                          " AND state = 'ready'"), ==, 1);
  dd_test_office_free (office);

  /* A machine, hung up on */
  memset (&m, 0, sizeof m);
  dial_speaker ("Dzień dobry, dodzwoniłeś się do poczty głosowej Jana Kowalskiego, proszę "
                "zostawić wiadomość po sygnale", DD_DIALER_MACHINES_HANG_UP, &m, &counts,
                &db, &office);
  g_assert_cmpuint (m.machines, ==, 1);
  g_assert_cmpuint (m.w.connected, ==, 0);
  g_assert_cmpuint (counts.abandoned, ==, 0);
  dd_test_office_free (office);
}

/* The answering-machine policies by the names the settings keep. */
static void
test_machine_policy_names (void)
{
  static const char * const names[] = { "connect", "hang-up", "leave-message" };
  DdDialerMachinePolicy policy = DD_DIALER_MACHINES_CONNECT;

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_assert_cmpstr (dd_dialer_machine_policy_to_string (i), ==, names[i]);
      g_assert_true (dd_dialer_machine_policy_from_string (names[i], &policy));
      g_assert_cmpint (policy, ==, i);
    }
  g_assert_false (dd_dialer_machine_policy_from_string ("voicemail", &policy));
  g_assert_false (dd_dialer_machine_policy_from_string (NULL, &policy));
  g_assert_cmpint (policy, ==, DD_DIALER_MACHINES_LEAVE_MESSAGE);
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "C.UTF-8");
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/dd/dialer/machine-policy-names", test_machine_policy_names);
  g_test_add_func ("/dd/dialer/bridge", test_bridge);
  g_test_add_func ("/dd/dialer/busy-no-answer-abandoned", test_busy_no_answer_abandoned);
  g_test_add_func ("/dd/dialer/progressive-beside-preview", test_progressive_beside_preview);
  g_test_add_func ("/dd/dialer/answering-machines", test_machines);

  return g_test_run ();
}
