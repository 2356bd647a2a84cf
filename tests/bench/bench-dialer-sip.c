/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The dialer against real callees (issue 18): DdDialer and the real SIP engine ring
 * DD_BENCH_DEBTORS debtors (default 100) in DD_BENCH_MODE (default predictive) through a line
 * to a sipp callee on 127.0.0.1 (tests/telephony/sip-peers.h: what it does follows the last
 * digit of the number; in each ten, 3 answer and listen, 3 never answer, 2 are busy, 2
 * decline; the order shuffled with DD_BENCH_SEED), and hand every answered call to one of
 * DD_BENCH_CONSULTANTS consultants (default 5), each reached at their own SIP URI: a sipp
 * that answers, holds the call DD_BENCH_TALK_MIN_MS..DD_BENCH_TALK_MAX_MS (uniform, default
 * 4–12 s) and hangs up; then DD_BENCH_WRAP_UP_S of wrap-up (default 3). The application's own
 * tick (250 ms), ring time (25 s), cap (3 %) and window (30 days).
 *
 * Figures: calls placed, answered by a person, abandoned (the rate against the cap), handed
 * to consultants, the consultants' idle share (ready, waiting for a call, over their time
 * signed in: the states polled every 100 ms), their talking and wrap-up shares, calls and
 * connects per hour, the mean dial level, the most numbers ringing at once, wall and CPU
 * time. Fails when the campaign does not finish, when a count does not add up, or when the
 * abandoned rate exceeds the cap. */
#include "config.h"

#include "dd-agent-state-store.h"
#include "dd-dialer-store.h"
#include "dd-dialer.h"
#include "dd-test-util.h"
#include "sip-peers.h"

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>

/* A consultant's phone: answers at once, talks for a while, hangs up. */
static const char consultant_phone[] =
  "<?xml version=\"1.0\" encoding=\"ISO-8859-1\" ?>\n"
  "<scenario name=\"consultant\">\n"
  "<recv request=\"INVITE\">\n"
  "<action>\n"
  "<ereg regexp=\"&lt;sip:[^&gt;]*&gt;;tag=[^;\\r\\n]*\" search_in=\"hdr\" header=\"From:\" check_it=\"true\" assign_to=\"remote\"/>\n"
  "<ereg regexp=\"sip:[^&gt;;]*\" search_in=\"hdr\" header=\"Contact:\" check_it=\"true\" assign_to=\"contact\"/>\n"
  "</action>\n"
  "</recv>\n"
  "<send><![CDATA[\n"
  "SIP/2.0 180 Ringing\n"
  "[last_Via:]\n"
  "[last_From:]\n"
  "[last_To:];tag=[pid]SIPpTag02[call_number]\n"
  "[last_Call-ID:]\n"
  "[last_CSeq:]\n"
  "Content-Length: 0\n"
  "\n"
  "]]></send>\n"
  "<pause milliseconds=\"100\"/>\n"
  "<send><![CDATA[\n"
  "SIP/2.0 200 OK\n"
  "[last_Via:]\n"
  "[last_From:]\n"
  "[last_To:];tag=[pid]SIPpTag02[call_number]\n"
  "[last_Call-ID:]\n"
  "[last_CSeq:]\n"
  "Contact: <sip:consultant@[local_ip]:[local_port]>\n"
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
  "<pause distribution=\"uniform\" min=\"@MIN@\" max=\"@MAX@\"/>\n"
  "<send retrans=\"500\"><![CDATA[\n"
  "BYE [$contact] SIP/2.0\n"
  "Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]\n"
  "From: <sip:consultant@[local_ip]:[local_port]>;tag=[pid]SIPpTag02[call_number]\n"
  "To: [$remote]\n"
  "Call-ID: [call_id]\n"
  "CSeq: 2 BYE\n"
  "Contact: <sip:consultant@[local_ip]:[local_port]>\n"
  "Max-Forwards: 70\n"
  "Content-Length: 0\n"
  "\n"
  "]]></send>\n"
  "<recv response=\"200\"/>\n"
  "</scenario>\n";

typedef struct
{
  DdDialer  *dialer;
  gboolean   finished;
  guint      connected;
  guint      abandoned;
  guint      max_ringing;
  gint64     last_us;
  double     ready_s;      /* summed over the consultants */
  double     on_call_s;
  double     wrap_up_s;
  double     ready_left_s; /* ready while numbers were left to ring */
  double     signed_in_left_s;
  double     level_sum;    /* the dial level, weighted by time */
  double     level_s;
} Run;

static void
on_connected (DdDialer *dialer,
              gint64    agent_id,
              gint64    case_id,
              Run      *run)
{
  run->connected++;
}

static void
on_abandoned (DdDialer *dialer,
              gint64    case_id,
              Run      *run)
{
  run->abandoned++;
}

static void
on_finished (DdDialer *dialer,
             Run      *run)
{
  run->finished = TRUE;
}

static gboolean
finished (gpointer data)
{
  return ((Run *) data)->finished;
}

/* Adds the time since the last look to each consultant's state of now. */
static gboolean
poll_states (gpointer data)
{
  Run *run = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) states = NULL;
  gint64 now_us = g_get_monotonic_time ();
  double dt = (now_us - run->last_us) / 1e6;
  DdDialerCounts counts;

  run->last_us = now_us;
  if (run->finished)
    return G_SOURCE_REMOVE;
  dd_dialer_get_counts (run->dialer, &counts);
  states = dd_agent_state_store_list (dd_dialer_get_states (run->dialer), &error);
  g_assert_no_error (error);
  for (guint i = 0; i < states->len; i++)
    {
      DdAgentStatus *status = g_ptr_array_index (states, i);

      if (counts.left > 0)
        run->signed_in_left_s += dt;
      if (status->state == DD_AGENT_STATE_READY)
        {
          run->ready_s += dt;
          if (counts.left > 0)
            run->ready_left_s += dt;
        }
      else if (status->state == DD_AGENT_STATE_ON_CALL)
        run->on_call_s += dt;
      else if (status->state == DD_AGENT_STATE_WRAP_UP)
        run->wrap_up_s += dt;
    }
  run->max_ringing = MAX (run->max_ringing, counts.ringing);
  if (counts.left > 0)
    {
      run->level_sum += dd_dialer_get_dial_level (run->dialer) * dt;
      run->level_s += dt;
    }
  return G_SOURCE_CONTINUE;
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
  g_autoptr(DdDialer) dialer = NULL;
  g_autoptr(GSubprocess) callee = NULL;
  g_autoptr(GPtrArray) phones = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) numbers =
    g_ptr_array_new_with_free_func ((GDestroyNotify) dd_dialer_number_free);
  g_autoptr(GString) sql = g_string_new ("BEGIN; INSERT INTO creditor (id, name, created_at)"
                                         " VALUES (1, 'Alfa Energia', 'x');"
                                         "INSERT INTO campaign (id, name, kind, created_at,"
                                         " updated_at) VALUES (1, 'Dialer', 'voice', 'x', 'x');");
  g_autoptr(GString) phone = g_string_new (consultant_phone);
  g_autoptr(GRand) rand = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *callee_path = NULL;
  g_autofree char *phone_path = NULL;
  g_autofree char *keys = dd_sipp_declare_keys ();
  g_autofree char *line = NULL;
  g_autofree char *media = NULL;
  g_autofree char *min_ms = NULL;
  g_autofree char *max_ms = NULL;
  g_autofree gint64 *agents = NULL;
  const char *mode_text = g_getenv ("DD_BENCH_MODE");
  /* in each ten numbers: 8, 9 answer and listen until we hang up; 4 rings and never
   * answers; 5 busy; 6 declines (tests/telephony/sip-peers.h) */
  const char tens[10] = { '8', '9', '8', '4', '4', '4', '5', '5', '6', '6' };
  guint debtors = env_uint ("DD_BENCH_DEBTORS", 100);
  guint n_agents = MAX (env_uint ("DD_BENCH_CONSULTANTS", 5), 1);
  guint talk_min = env_uint ("DD_BENCH_TALK_MIN_MS", 4000);
  guint talk_max = MAX (env_uint ("DD_BENCH_TALK_MAX_MS", 12000), talk_min);
  guint wrap_up = MAX (env_uint ("DD_BENCH_WRAP_UP_S", 3), 1);
  guint seed = env_uint ("DD_BENCH_SEED", 1);
  guint port = dd_test_free_port (G_SOCKET_PROTOCOL_UDP);
  DdDialMode mode = DD_DIAL_MODE_PREDICTIVE;
  DdDialerCounts counts;
  Run run = { 0 };
  guint rested, not_answered;
  gint64 start_us;
  double cpu_start, wall, cpu, signed_in, rate;
  gboolean ok = TRUE;
  char *digits;

  setlocale (LC_ALL, "C.UTF-8");
  if (mode_text != NULL && *mode_text != '\0' && !dd_dial_mode_from_string (mode_text, &mode))
    {
      printf ("dialer-sip: DD_BENCH_MODE is preview, progressive or predictive\n");
      return 1;
    }
  if (mode == DD_DIAL_MODE_PREVIEW)
    {
      printf ("dialer-sip: preview calls are dialled by people: not benchmarked here\n");
      return 77;
    }
  if (!dd_test_have_program ("sipp"))
    {
      printf ("dialer-sip: sipp is not installed: skipped\n");
      return 77;
    }
  dir = g_dir_make_tmp ("dd-bench-dialer-XXXXXX", &error);
  g_assert_no_error (error);

  /* The debtors' callee */
  callee_path = g_build_filename (dir, "debtors.xml", NULL);
  g_assert_true (dd_sipp_write_debtor_callee (callee_path, keys, &error));
  media = g_strdup_printf ("%u", dd_test_free_port (G_SOCKET_PROTOCOL_UDP));
  {
    const char *extra[] = { "-mp", media, NULL };

    callee = dd_sipp_spawn (port, callee_path, NULL, extra, &error);
  }
  g_assert_no_error (error);

  /* The consultants' phones, one sipp each */
  min_ms = g_strdup_printf ("%u", talk_min);
  max_ms = g_strdup_printf ("%u", talk_max);
  g_string_replace (phone, "@MIN@", min_ms, 1);
  g_string_replace (phone, "@MAX@", max_ms, 1);
  phone_path = g_build_filename (dir, "consultant.xml", NULL);
  g_assert_true (g_file_set_contents (phone_path, phone->str, -1, &error));
  agents = g_new0 (gint64, n_agents);
  for (guint a = 0; a < n_agents; a++)
    {
      guint phone_port = dd_test_free_port (G_SOCKET_PROTOCOL_UDP);
      g_autofree char *phone_media = g_strdup_printf ("%u",
                                                      dd_test_free_port (G_SOCKET_PROTOCOL_UDP));
      const char *extra[] = { "-mp", phone_media, NULL };
      GSubprocess *process = dd_sipp_spawn (phone_port, phone_path, NULL, extra, &error);

      g_assert_no_error (error);
      g_ptr_array_add (phones, process);
      agents[a] = a + 1;
      g_string_append_printf (sql,
                              "INSERT INTO agent (id, name, role, created_at, sip_uri) VALUES"
                              " (%u, 'Konsultant %u', 'consultant', 'x',"
                              " 'sip:konsultant%u@127.0.0.1:%u');",
                              a + 1, a + 1, a + 1, phone_port);
    }
  g_usleep (500 * 1000);

  /* The office: one case and number per debtor, the kinds of answer shuffled */
  rand = g_rand_new_with_seed (seed);
  digits = g_new (char, debtors);
  for (guint i = 0; i < debtors; i++)
    digits[i] = tens[i % 10];
  for (guint i = debtors; i > 1; i--)
    {
      guint j = g_rand_int_range (rand, 0, i);
      char swap = digits[i - 1];

      digits[i - 1] = digits[j];
      digits[j] = swap;
    }
  for (guint i = 1; i <= debtors; i++)
    {
      g_autofree char *e164 = g_strdup_printf ("+48600%05u%c", i, digits[i - 1]);

      g_string_append_printf (sql,
                              "INSERT INTO debtor (id, dedup_key, name, language, created_at,"
                              " updated_at) VALUES (%u, 'k%u', 'Dłużnik %u', 'pl', 'x', 'x');"
                              "INSERT INTO phone (debtor_id, e164, kind, created_at)"
                              " VALUES (%u, '%s', 'mobile', 'x');"
                              "INSERT INTO debt_case (id, debtor_id, creditor_id, balance_minor,"
                              " currency, debtor_name, created_at, updated_at)"
                              " VALUES (%u, %u, 1, %u, 'PLN', 'Dłużnik %u', 'x', 'x');",
                              i, i, i, i, e164, i, i, 100000 + i, i);
      g_ptr_array_add (numbers, dd_dialer_number_new (i, e164));
    }
  g_free (digits);
  g_string_append (sql, "COMMIT;");
  office = dd_test_office_new ("bench-dialer-sip");
  g_assert_true (dd_database_exec (office->database, sql->str, &error));
  g_assert_no_error (error);

  engine = dd_sip_engine_new ("127.0.0.1", 0, &error);
  g_assert_no_error (error);
  dialer = dd_dialer_new (office->database, engine);
  line = g_strdup_printf ("sip:office@127.0.0.1:%u", port);
  dd_dialer_set_line (dialer, line);
  dd_dialer_set_office (dialer, "Windykacja Test", "+48 22 100 20 30", "pl");
  dd_dialer_set_pacing (dialer, mode, DD_DIALER_DEFAULT_CAP, DD_DIALER_WINDOW_30_DAYS_S, 0.3);
  dd_dialer_set_wrap_up (dialer, wrap_up);
  for (guint a = 0; a < n_agents; a++)
    {
      g_autofree char *uri = dd_agent_state_store_get_sip_uri (dd_dialer_get_states (dialer),
                                                               agents[a], &error);

      g_assert_no_error (error);
      dd_dialer_add_consultant (dialer, agents[a], uri);
      g_assert_true (dd_agent_state_store_set_ready (dd_dialer_get_states (dialer), agents[a],
                                                     &error));
      g_assert_no_error (error);
    }
  run.dialer = dialer;
  g_signal_connect (dialer, "call-connected", G_CALLBACK (on_connected), &run);
  g_signal_connect (dialer, "call-abandoned", G_CALLBACK (on_abandoned), &run);
  g_signal_connect (dialer, "finished", G_CALLBACK (on_finished), &run);

  start_us = g_get_monotonic_time ();
  cpu_start = cpu_seconds ();
  run.last_us = start_us;
  g_assert_true (dd_dialer_start (dialer, 1, numbers, &error));
  g_assert_no_error (error);
  g_timeout_add (100, poll_states, &run);
  if (!dd_test_wait_until (finished, &run, 1200 * 1000))
    {
      printf ("dialer-sip: not finished within 20 minutes\n");
      return 1;
    }
  wall = (g_get_monotonic_time () - start_us) / 1e6;
  cpu = cpu_seconds () - cpu_start;
  poll_states (&run);
  dd_dialer_get_counts (dialer, &counts);
  rested = (guint) dd_test_query_int (office->database, "SELECT COUNT(*) FROM dialer_answer"
                                                        " WHERE campaign_id = 1");
  not_answered = counts.dialled - counts.answered;
  signed_in = run.ready_s + run.on_call_s + run.wrap_up_s;
  rate = counts.answered > 0 ? (double) counts.abandoned / counts.answered : 0.0;

  printf ("dialer-sip: %u debtors (answer 30 %%, no answer 30 %%, busy 20 %%, declined 20 %%),"
          " %u consultants at their SIP URIs (sipp: talk %.1f-%.1f s, wrap-up %u s), %s\n",
          debtors, n_agents, talk_min / 1000.0, talk_max / 1000.0, wrap_up,
          dd_dial_mode_to_string (mode));
  printf ("dialer-sip: placed %u, answered by a person %u (stored %u), not answered %u;"
          " handed to consultants %u, abandoned %u\n",
          counts.dialled, counts.answered, rested, not_answered, run.connected, counts.abandoned);
  printf ("dialer-sip: abandoned rate %.2f %% (the dialer's window: %.2f %%), cap %.0f %%: %s\n",
          100.0 * rate, 100.0 * dd_dialer_get_abandon_rate (dialer), 100 * DD_DIALER_DEFAULT_CAP,
          rate <= DD_DIALER_DEFAULT_CAP ? "kept" : "EXCEEDED");
  printf ("dialer-sip: consultants idle %.1f %%, talking %.1f %%, wrap-up %.1f %% of %.0f s"
          " signed in; idle %.1f %% while numbers were left to ring\n",
          100.0 * run.ready_s / MAX (signed_in, 1e-9),
          100.0 * run.on_call_s / MAX (signed_in, 1e-9),
          100.0 * run.wrap_up_s / MAX (signed_in, 1e-9), signed_in,
          100.0 * run.ready_left_s / MAX (run.signed_in_left_s, 1e-9));
  printf ("dialer-sip: %.0f calls/h, %.0f connects/h, mean dial level %.2f, at most %u ringing;"
          " wall %.1f s, CPU %.2f s\n",
          counts.dialled * 3600.0 / wall, run.connected * 3600.0 / wall,
          run.level_s > 0 ? run.level_sum / run.level_s : 0.0, run.max_ringing, wall, cpu);
  printf ("\n| consultants | mode | placed | answered | abandoned (rate) | idle (numbers left) |"
          " talking | calls/h | connects/h | dial level | wall |\n");
  printf ("|---|---|---|---|---|---|---|---|---|---|---|\n");
  printf ("| %u | %s | %u | %u | %u (%.2f %%) | %.1f %% (%.1f %%) | %.1f %% | %.0f | %.0f |"
          " %.2f | %.0f s |\n",
          n_agents, dd_dial_mode_to_string (mode), counts.dialled, counts.answered,
          counts.abandoned, 100.0 * rate, 100.0 * run.ready_s / MAX (signed_in, 1e-9),
          100.0 * run.ready_left_s / MAX (run.signed_in_left_s, 1e-9),
          100.0 * run.on_call_s / MAX (signed_in, 1e-9), counts.dialled * 3600.0 / wall,
          run.connected * 3600.0 / wall, run.level_s > 0 ? run.level_sum / run.level_s : 0.0,
          wall);

  if (counts.dialled != debtors)
    {
      printf ("dialer-sip: %u numbers placed, not %u\n", counts.dialled, debtors);
      ok = FALSE;
    }
  if (run.connected + counts.abandoned != counts.answered || rested != counts.answered
      || run.abandoned != counts.abandoned)
    {
      printf ("dialer-sip: the counts do not add up\n");
      ok = FALSE;
    }
  if (rate > DD_DIALER_DEFAULT_CAP)
    ok = FALSE;

  g_clear_object (&dialer);
  g_clear_object (&engine);
  for (guint a = 0; a < phones->len; a++)
    {
      g_subprocess_force_exit (g_ptr_array_index (phones, a));
      g_subprocess_wait (g_ptr_array_index (phones, a), NULL, NULL);
    }
  g_subprocess_force_exit (callee);
  g_subprocess_wait (callee, NULL, NULL);
  dd_test_remove_tree (dir);
  return ok ? EXIT_SUCCESS : EXIT_FAILURE;
}
