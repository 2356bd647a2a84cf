/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A voice campaign (DdVoiceCampaign with the real SIP engine) against hostile-peer.py on
 * 127.0.0.1: a line that refuses its login (401 to our answer to its challenge) pauses the
 * campaign with the reason "sip-auth" and puts the attempts back as they were; with the right
 * password, resuming calls every debtor once. A DTMF flood during a whole call stores the
 * first 64 keys and a mark that more came. A callee that answers and sends no sound (no RTP,
 * another payload type, or silence throughout) and no key is dead air: not answered, called
 * again; one that speaks (and presses a key) is answered and heard. */
#include "config.h"

#include "dd-call-attempts.h"
#include "dd-campaign-audience.h"
#include "dd-campaign-store.h"
#include "dd-case-query.h"
#include "dd-ivr-flow-store.h"
#include "dd-test-util.h"
#include "sip-peers.h"
#include "dd-voice-campaign.h"

#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

#define N_CASES 6

typedef struct
{
  GSubprocess *peer;
  char        *dir;
  char        *log;
  guint        port;
} Peer;

static void
die_with_test (gpointer user_data)
{
  if (prctl (PR_SET_PDEATHSIG, SIGKILL) != 0 || getppid () != (pid_t) GPOINTER_TO_INT (user_data))
    _exit (127);
}

static void
peer_start (Peer       *p,
            const char *numbers)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_NONE);
  g_autofree char *script = g_test_build_filename (G_TEST_DIST, "hostile-peer.py", NULL);
  g_autofree char *port = NULL;
  gint64 deadline;

  p->dir = g_dir_make_tmp ("dd-voice-guards-XXXXXX", &error);
  g_assert_no_error (error);
  p->log = g_build_filename (p->dir, "peer.log", NULL);
  p->port = dd_test_free_port (G_SOCKET_PROTOCOL_UDP);
  port = g_strdup_printf ("%u", p->port);
  g_subprocess_launcher_set_child_setup (launcher, die_with_test,
                                         GINT_TO_POINTER ((int) getpid ()), NULL);
  p->peer = g_subprocess_launcher_spawn (launcher, &error, "python3", script, port, p->log,
                                         numbers, NULL);
  g_assert_no_error (error);
  deadline = g_get_monotonic_time () + 10 * G_TIME_SPAN_SECOND;
  while (!g_file_test (p->log, G_FILE_TEST_EXISTS) && g_get_monotonic_time () < deadline)
    g_usleep (20000);
  g_assert_true (g_file_test (p->log, G_FILE_TEST_EXISTS));
}

static void
peer_stop (Peer *p)
{
  g_subprocess_force_exit (p->peer);
  g_subprocess_wait (p->peer, NULL, NULL);
  g_clear_object (&p->peer);
  dd_test_remove_tree (p->dir);
  g_clear_pointer (&p->dir, g_free);
  g_clear_pointer (&p->log, g_free);
}

/* A flow that says a few sentences, listening to no key, then hangs up: a call of some
 * seconds whatever the callee presses. */
static const char long_flow[] =
  "{ \"format\": 1, \"name\": \"Komunikat\", \"language\": \"pl\", \"start\": \"notice\","
  "  \"nodes\": ["
  "    { \"id\": \"notice\", \"type\": \"play\", \"params\": { \"text\":"
  "      \"Dzień dobry, {name}. Przypominamy o zaległej płatności za fakturę. Prosimy o wpłatę"
  "       w ciągu siedmiu dni. Dziękujemy i życzymy miłego dnia.\" },"
  "      \"exits\": { \"done\": \"bye\" } },"
  "    { \"id\": \"bye\", \"type\": \"hang-up\" } ] }";

static gint64
create_campaign (DdDatabase      *db,
                 guint            n_cases,
                 guint            concurrency,
                 const char      *flow_json,
                 guint            max_attempts,
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
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "voice-flow-pl.json", NULL);
  DdCampaign campaign = { .name = (char *) "Grudzień, telefony", .kind = (char *) "voice" };
  gint64 flow_id = 0, id = 0;
  guint added = 0;

  if (flow_json != NULL)
    json = g_strdup (flow_json);
  else
    g_assert_true (g_file_get_contents (path, &json, NULL, &error));
  g_assert_true (dd_ivr_flow_store_save (flows, "Przypomnienie", json, &flow_id, NULL, &error));
  g_assert_no_error (error);
  recipients = dd_campaign_audience_collect (db, query, 0, TRUE, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (recipients->len, ==, n_cases);
  g_assert_true (dd_campaign_store_create (campaigns, &campaign, 0, &id, &error));
  voice->flow_id = flow_id;
  voice->concurrency = concurrency;
  voice->attempts_per_day = 0;
  voice->interval_s = 1;
  voice->max_attempts = max_attempts;
  voice->ring_timeout_s = 5;
  voice->machine = machine;
  g_assert_true (dd_campaign_store_set_voice (campaigns, id, voice, &error));
  g_assert_true (dd_call_attempts_plan (attempts, id, recipients,
                                        g_get_real_time () / G_USEC_PER_SEC, &added, &error));
  g_assert_cmpuint (added, ==, n_cases);
  g_assert_true (dd_campaign_store_set_state (campaigns, id, DD_CAMPAIGN_RUNNING, NULL, 0,
                                              &error));
  g_assert_no_error (error);
  return id;
}

typedef struct
{
  DdVoiceCampaign *runner;
  guint            paused;
  char            *reason;
  char            *detail;
  gboolean         finished;
} Watch;

static void
on_paused (DdVoiceCampaign *runner,
           gint64           campaign_id,
           const char      *reason,
           const char      *detail,
           Watch           *w)
{
  w->paused++;
  g_free (w->reason);
  w->reason = g_strdup (reason);
  g_free (w->detail);
  w->detail = g_strdup (detail);
}

static void
on_finished (DdVoiceCampaign *runner,
             gint64           campaign_id,
             Watch           *w)
{
  w->finished = TRUE;
}

static gboolean
paused_and_quiet (gpointer data)
{
  Watch *w = data;

  return w->paused > 0 && dd_voice_campaign_get_n_active (w->runner) == 0;
}

static gboolean
finished (gpointer data)
{
  Watch *w = data;

  return w->finished && dd_voice_campaign_get_n_active (w->runner) == 0;
}

/* @detect: the answering-machine detector runs (the product's default). */
static DdVoiceCampaign *
make_runner (DdDatabase  *db,
             DdSipEngine *engine,
             guint        port,
             const char  *password,
             gboolean     detect,
             Watch       *w)
{
  DdVoiceCampaign *runner = dd_voice_campaign_new (db, engine);
  g_autofree char *line = g_strdup_printf ("sip:office@127.0.0.1:%u", port);

  dd_voice_campaign_add_line (runner, line, NULL, password);
  dd_voice_campaign_set_tick (runner, 100);
  if (!detect)
    {
      dd_voice_campaign_set_machine_detection (runner, FALSE);
      dd_voice_campaign_set_machine_wait (runner, 0);
    }
  w->runner = runner;
  g_signal_connect (runner, "campaign-paused", G_CALLBACK (on_paused), w);
  g_signal_connect (runner, "campaign-finished", G_CALLBACK (on_finished), w);
  return runner;
}

/* A line whose password is wrong: every INVITE is challenged, our answer refused again. */
static void
test_line_refuses_login (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DdTestOffice) office = dd_test_office_new ("voice-guards-login");
  g_autoptr(DdSipEngine) engine = NULL;
  g_autoptr(DdVoiceCampaign) runner = NULL;
  g_autoptr(DdCampaignStore) campaigns = NULL;
  g_autoptr(DdCampaign) campaign = NULL;
  g_autoptr(DdCallAttempts) store = NULL;
  g_autoptr(GPtrArray) all = NULL;
  Peer peer = { 0 };
  Watch w = { 0 };
  gint64 campaign_id;
  guint invites;

  peer_start (&peer, "login:right");
  dd_voice_office_fill (office->database, N_CASES, 0);
  campaign_id = create_campaign (office->database, N_CASES, 2, NULL, 1, DD_MACHINE_HANGUP_RETRY);
  engine = dd_sip_engine_new ("127.0.0.1", 0, &error);
  g_assert_no_error (error);
  runner = make_runner (office->database, engine, peer.port, "wrong", FALSE, &w);
  g_assert_true (dd_voice_campaign_start (runner, &error));
  g_assert_true (dd_test_wait_until (paused_and_quiet, &w, 30 * 1000));
  /* a little longer: no call after the pause */
  {
    gint64 until = g_get_monotonic_time () + 1500 * 1000;

    while (g_get_monotonic_time () < until)
      g_main_context_iteration (NULL, FALSE), g_usleep (10000);
  }
  g_assert_cmpuint (w.paused, ==, 1);
  g_assert_cmpstr (w.reason, ==, "sip-auth");
  g_assert_true (g_str_has_prefix (w.detail, "401"));
  g_assert_cmpuint (dd_voice_campaign_get_n_active (runner), ==, 0);

  campaigns = dd_campaign_store_new (office->database);
  campaign = dd_campaign_store_get (campaigns, campaign_id, &error);
  g_assert_no_error (error);
  g_assert_cmpint (campaign->state, ==, DD_CAMPAIGN_PAUSED);
  g_assert_cmpstr (campaign->state_reason, ==, "sip-auth");
  g_assert_true (dd_campaign_reason_is_account (campaign->state_reason));
  g_assert_nonnull (dd_campaign_reason_to_label (campaign->state_reason));

  /* the attempts as they were: one per debtor, scheduled, never started */
  store = dd_call_attempts_new (office->database);
  all = dd_call_attempts_list (store, campaign_id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (all->len, ==, N_CASES);
  for (guint i = 0; i < all->len; i++)
    {
      DdCallAttempt *a = g_ptr_array_index (all, i);

      g_assert_cmpint (a->state, ==, DD_CALL_ATTEMPT_SCHEDULED);
      g_assert_cmpuint (a->attempt_no, ==, 1);
      g_assert_null (a->started_at);
    }
  /* the calls on their way when the first refusal came (the concurrency: 2), no more; each is
   * an INVITE and its answer to the challenge */
  invites = dd_hostile_peer_count (peer.log, "INVITE");
  g_test_message ("INVITEs before the pause: %u", invites);
  g_assert_cmpuint (invites, <=, 2 * 2 * 3);
  dd_voice_campaign_stop (runner);
  g_clear_object (&runner);
  g_clear_pointer (&all, g_ptr_array_unref);

  /* the password fixed, the campaign resumed: every debtor called once (busy, the peer says) */
  g_clear_pointer (&w.reason, g_free);
  g_clear_pointer (&w.detail, g_free);
  w.paused = 0;
  g_assert_true (dd_campaign_store_set_state (campaigns, campaign_id, DD_CAMPAIGN_RUNNING, NULL,
                                              0, &error));
  runner = make_runner (office->database, engine, peer.port, "right", FALSE, &w);
  g_assert_true (dd_voice_campaign_start (runner, &error));
  g_assert_true (dd_test_wait_until (finished, &w, 60 * 1000));
  g_assert_cmpuint (w.paused, ==, 0);
  all = dd_call_attempts_list (store, campaign_id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (all->len, ==, N_CASES);
  for (guint i = 0; i < all->len; i++)
    {
      DdCallAttempt *a = g_ptr_array_index (all, i);

      g_assert_cmpint (a->state, ==, DD_CALL_ATTEMPT_BUSY);
      g_assert_cmpuint (a->attempt_no, ==, 1);
      g_assert_cmpint (a->sip_status, ==, 486);
      g_assert_nonnull (a->started_at);
    }
  g_clear_object (&runner);
  g_clear_object (&engine);
  g_free (w.reason);
  g_free (w.detail);
  peer_stop (&peer);
}

/* A callee that presses a new DTMF key every 2 ms for the whole call (the flow's own key
 * handling under such keys: test-voice-campaign, whose debtors declare by keys). */
static void
test_dtmf_flood (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DdTestOffice) office = dd_test_office_new ("voice-guards-dtmf");
  g_autoptr(DdSipEngine) engine = NULL;
  g_autoptr(DdVoiceCampaign) runner = NULL;
  g_autoptr(DdCallAttempts) store = NULL;
  g_autoptr(GPtrArray) all = NULL;
  Peer peer = { 0 };
  Watch w = { 0 };
  DdCallAttempt *a;
  gint64 campaign_id;

  peer_start (&peer, "dtmfstorm");
  dd_voice_office_fill (office->database, 1, 0);
  campaign_id = create_campaign (office->database, 1, 1, long_flow, 1, DD_MACHINE_HANGUP_RETRY);
  engine = dd_sip_engine_new ("127.0.0.1", 0, &error);
  g_assert_no_error (error);
  runner = make_runner (office->database, engine, peer.port, NULL, FALSE, &w);
  g_assert_true (dd_voice_campaign_start (runner, &error));
  g_assert_true (dd_test_wait_until (finished, &w, 60 * 1000));

  store = dd_call_attempts_new (office->database);
  all = dd_call_attempts_list (store, campaign_id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (all->len, ==, 1);
  a = g_ptr_array_index (all, 0);
  g_test_message ("keys: %s; path: %s", a->keys, a->ivr_path);
  g_assert_nonnull (a->answered_at);
  /* the first 64 keys, then the mark that more came */
  g_assert_nonnull (a->keys);
  g_assert_cmpuint (strlen (a->keys), ==, 64 + strlen ("…"));
  g_assert_true (g_str_has_suffix (a->keys, "…"));
  g_assert_nonnull (strstr (a->keys, "1234567890"));
  /* the flow went its way to the end */
  g_assert_cmpstr (a->ivr_path, ==, "notice:done bye");
  g_assert_true (a->heard_to_end);
  g_clear_object (&runner);
  g_clear_object (&engine);
  peer_stop (&peer);
}

/* One debtor called by a campaign of @max_attempts calls (interval 1 s) with the long flow,
 * the answering-machine detector on (the default), against a callee that answers as @mode
 * says (hostile-peer.py); every attempt made, in order. @out_timeline: the case's call
 * activities, a row each. */
static GPtrArray *
call_callee (const char       *mode,
             guint             max_attempts,
             DdMachinePolicy   machine,
             DdCallCounts     *out_counts,
             char            **out_timeline)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DdTestOffice) office = dd_test_office_new ("voice-guards-dead-air");
  g_autoptr(DdSipEngine) engine = NULL;
  g_autoptr(DdVoiceCampaign) runner = NULL;
  g_autoptr(DdCallAttempts) store = NULL;
  g_autoptr(GString) timeline = g_string_new (NULL);
  GPtrArray *all;
  DdStatement *stmt;
  Peer peer = { 0 };
  Watch w = { 0 };
  gint64 campaign_id;

  peer_start (&peer, mode);
  dd_voice_office_fill (office->database, 1, 0);
  campaign_id = create_campaign (office->database, 1, 1, long_flow, max_attempts, machine);
  engine = dd_sip_engine_new ("127.0.0.1", 0, &error);
  g_assert_no_error (error);
  runner = make_runner (office->database, engine, peer.port, NULL, TRUE, &w);
  g_assert_true (dd_voice_campaign_start (runner, &error));
  g_assert_true (dd_test_wait_until (finished, &w, 90 * 1000));

  store = dd_call_attempts_new (office->database);
  all = dd_call_attempts_list (store, campaign_id, &error);
  g_assert_no_error (error);
  g_assert_true (dd_call_attempts_get_counts (store, campaign_id, out_counts, &error));
  g_assert_no_error (error);
  stmt = dd_database_query (office->database, &error,
                            "SELECT body FROM activity WHERE kind = 'call' ORDER BY id", DD_END);
  g_assert_no_error (error);
  while (dd_statement_step (stmt, &error))
    g_string_append_printf (timeline, "%s\n", dd_statement_get_text (stmt, 0));
  g_assert_no_error (error);
  dd_statement_reset (stmt);
  *out_timeline = g_string_free (g_steal_pointer (&timeline), FALSE);
  for (guint i = 0; i < all->len; i++)
    {
      DdCallAttempt *a = g_ptr_array_index (all, i);

      g_test_message ("%s: attempt %u %s, result %s, by %s, keys %s, path %s", mode,
                      a->attempt_no, dd_call_attempt_state_to_string (a->state), a->result,
                      dd_answered_by_to_string (a->answered_by), a->keys, a->ivr_path);
    }
  g_test_message ("timeline:\n%s", *out_timeline);
  g_clear_object (&runner);
  g_clear_object (&engine);
  peer_stop (&peer);
  return all;
}

/* Asserts that every attempt of @all is dead air: picked up, settled as not answered
 * ("silent"), not heard, nobody known to have answered; and that the campaign counts none of
 * them as completed. */
static void
assert_dead_air (GPtrArray          *all,
                 const DdCallCounts *counts,
                 const char         *timeline)
{
  for (guint i = 0; i < all->len; i++)
    {
      DdCallAttempt *a = g_ptr_array_index (all, i);

      g_assert_cmpuint (a->attempt_no, ==, i + 1);
      g_assert_nonnull (a->answered_at);
      g_assert_cmpint (a->state, ==, DD_CALL_ATTEMPT_NO_ANSWER);
      g_assert_cmpstr (a->result, ==, "silent");
      g_assert_false (a->heard_to_end);
      g_assert_cmpint (a->answered_by, ==, DD_ANSWERED_BY_UNKNOWN);
      g_assert_null (a->keys);
    }
  g_assert_cmpuint (counts->completed, ==, 0);
  g_assert_cmpuint (counts->not_reached, ==, all->len);
  /* the timeline says so, a row per call */
  g_assert_nonnull (strstr (timeline, "the line stayed silent"));
  g_assert_null (strstr (timeline, "heard to the end"));
  g_assert_null (strstr (timeline, "voicemail"));
}

/* A callee that answers and sends no RTP at all: dead air, called again per the policy (two
 * attempts), never "heard". */
static void
test_dead_air (void)
{
  g_autoptr(GPtrArray) all = NULL;
  g_autofree char *timeline = NULL;
  DdCallCounts counts;

  all = call_callee ("deadair", 2, DD_MACHINE_HANGUP_RETRY, &counts, &timeline);
  g_assert_cmpuint (all->len, ==, 2);
  assert_dead_air (all, &counts, timeline);
}

/* Only RTP of a payload type we did not agree on (nothing we can hear): dead air too. */
static void
test_dead_air_other_payload (void)
{
  g_autoptr(GPtrArray) all = NULL;
  g_autofree char *timeline = NULL;
  DdCallCounts counts;

  all = call_callee ("otherpt", 1, DD_MACHINE_HANGUP_RETRY, &counts, &timeline);
  g_assert_cmpuint (all->len, ==, 1);
  assert_dead_air (all, &counts, timeline);
}

/* PCMU of digital silence for the whole call: the detector takes the line for a machine (2.5 s
 * of initial silence) and, under the voicemail policy, the flow plays as for a voicemail — but
 * nothing ever spoke: dead air, called again, not "voicemail left". */
static void
test_dead_air_silence (void)
{
  g_autoptr(GPtrArray) all = NULL;
  g_autofree char *timeline = NULL;
  DdCallCounts counts;

  all = call_callee ("silence", 2, DD_MACHINE_VOICEMAIL, &counts, &timeline);
  g_assert_cmpuint (all->len, ==, 2);
  assert_dead_air (all, &counts, timeline);
  g_assert_cmpuint (counts.machines, ==, 0);
}

/* A person: a short word, the quiet of listening, a key pressed — answered and heard, once. */
static void
test_voice_and_keys (void)
{
  g_autoptr(GPtrArray) all = NULL;
  g_autofree char *timeline = NULL;
  DdCallCounts counts;
  DdCallAttempt *a;

  all = call_callee ("voicekeys", 2, DD_MACHINE_HANGUP_RETRY, &counts, &timeline);
  g_assert_cmpuint (all->len, ==, 1);
  a = g_ptr_array_index (all, 0);
  g_assert_cmpint (a->state, ==, DD_CALL_ATTEMPT_COMPLETED);
  g_assert_cmpstr (a->result, ==, "heard");
  g_assert_true (a->heard_to_end);
  g_assert_cmpstr (a->keys, ==, "1");
  g_assert_cmpint (a->answered_by, ==, DD_ANSWERED_BY_PERSON);
  g_assert_cmpuint (counts.completed, ==, 1);
  g_assert_nonnull (strstr (timeline, "message heard to the end"));
}

/* A person who speaks and presses nothing: sound came, so the call is heard as before. */
static void
test_voice_no_keys (void)
{
  g_autoptr(GPtrArray) all = NULL;
  g_autofree char *timeline = NULL;
  DdCallCounts counts;
  DdCallAttempt *a;

  all = call_callee ("voice", 2, DD_MACHINE_HANGUP_RETRY, &counts, &timeline);
  g_assert_cmpuint (all->len, ==, 1);
  a = g_ptr_array_index (all, 0);
  g_assert_cmpint (a->state, ==, DD_CALL_ATTEMPT_COMPLETED);
  g_assert_cmpstr (a->result, ==, "heard");
  g_assert_true (a->heard_to_end);
  g_assert_null (a->keys);
  g_assert_cmpuint (counts.completed, ==, 1);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/dd/voice-guards/line-refuses-login", test_line_refuses_login);
  g_test_add_func ("/dd/voice-guards/dtmf-flood", test_dtmf_flood);
  g_test_add_func ("/dd/voice-guards/dead-air", test_dead_air);
  g_test_add_func ("/dd/voice-guards/dead-air-other-payload", test_dead_air_other_payload);
  g_test_add_func ("/dd/voice-guards/dead-air-silence", test_dead_air_silence);
  g_test_add_func ("/dd/voice-guards/voice-and-keys", test_voice_and_keys);
  g_test_add_func ("/dd/voice-guards/voice-no-keys", test_voice_no_keys);
  return g_test_run ();
}
