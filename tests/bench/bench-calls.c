/* SPDX-License-Identifier: GPL-3.0-or-later */
/* 100 concurrent answered calls with two-way G.711 (issue: telephony): the engine dials 100
 * calls to a sipp callee on loopback that answers and echoes every RTP packet back, plays a
 * prompt on each for DD_BENCH_CALL_SECONDS (default 10), then hangs up. Figures: the set-up
 * rate, our process's CPU per call, the RTP send lateness against the 20 ms clock, calls that
 * were not answered or not completed. */
#include "config.h"

#include "dd-test-util.h"
#include "sip-peers.h"
#include "dd-sip-core.h"

#include <gio/gio.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#define N_CALLS 100

typedef struct
{
  guint answered;
  guint ended;
  guint completed;
  guint failed;
  gint64 first_answer_us;
  gint64 last_answer_us;
} Counts;

static void
on_event (const DdSipEvent *event,
          gpointer          user_data)
{
  Counts *counts = user_data;

  if (event->kind == DD_SIP_EVENT_ANSWERED)
    {
      if (counts->answered++ == 0)
        counts->first_answer_us = g_get_monotonic_time ();
      counts->last_answer_us = g_get_monotonic_time ();
    }
  else if (event->kind == DD_SIP_EVENT_ENDED)
    {
      counts->ended++;
      if (event->cause == DD_SIP_CAUSE_COMPLETED)
        counts->completed++;
      else
        counts->failed++;
    }
}

static double
cpu_seconds (void)
{
  struct rusage usage;

  getrusage (RUSAGE_SELF, &usage);
  return usage.ru_utime.tv_sec + usage.ru_utime.tv_usec / 1e6 +
         usage.ru_stime.tv_sec + usage.ru_stime.tv_usec / 1e6;
}

/* CPU seconds a process used so far (/proc/PID/stat: utime + stime). */
static double
process_cpu (const char *pid)
{
  g_autofree char *path = g_strdup_printf ("/proc/%s/stat", pid);
  g_autofree char *text = NULL;
  g_auto(GStrv) fields = NULL;
  const char *after;

  if (!g_file_get_contents (path, &text, NULL, NULL) || (after = strrchr (text, ')')) == NULL)
    return -1;
  fields = g_strsplit (after + 2, " ", -1);
  /* after the name: state is field 3, utime 14 and stime 15 of the whole line */
  if (g_strv_length (fields) < 13)
    return -1;
  return (g_ascii_strtod (fields[11], NULL) + g_ascii_strtod (fields[12], NULL)) /
         sysconf (_SC_CLK_TCK);
}

/* The anchor: the baresip binary places the same 100 calls to the same kind of callee. */
static double
baresip_anchor (const char *dir,
                guint       seconds)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *scenario = g_build_filename (dir, "uas.xml", NULL);
  g_autofree char *max_calls = g_strdup_printf ("call_max_calls %u\n", N_CALLS + 10);
  g_autoptr(DdBaresip) baresip = NULL;
  g_autoptr(GSubprocess) sipp = NULL;
  guint port = dd_test_free_port (G_SOCKET_PROTOCOL_UDP);
  g_autofree char *media_text = g_strdup_printf ("%u", dd_test_free_port (G_SOCKET_PROTOCOL_UDP));
  g_autofree char *max = g_strdup_printf ("%u", N_CALLS);
  DdBaresipOptions options = { 0 };
  const char *pid;
  guint established = 0;
  double cpu_start, cpu_end;
  gint64 deadline, start;

  if (!dd_test_have_program ("baresip") || !dd_test_have_program ("sox"))
    {
      printf ("baresip-anchor: baresip or sox is not installed: skipped\n");
      return -1;
    }
  {
    const char *extra[] = { "-mp", media_text, "-rtp_echo", "-m", max, NULL };

    sipp = dd_sipp_spawn (port, scenario, NULL, extra, &error);
  }
  if (sipp == NULL)
    return -1;
  options.account = "<sip:office@127.0.0.1>;regint=0";
  options.tone_hz = 440;
  options.tone_volume = 0.2;
  options.tone_seconds = seconds + 30;
  options.quiet = TRUE;
  options.extra_config = max_calls;
  baresip = dd_baresip_start (&options, &error);
  if (baresip == NULL)
    {
      printf ("baresip-anchor: %s\n", error->message);
      return -1;
    }
  pid = g_subprocess_get_identifier (baresip->process);

  cpu_start = process_cpu (pid);
  start = g_get_monotonic_time ();
  for (guint i = 0; i < N_CALLS; i++)
    {
      g_autofree char *uri = g_strdup_printf ("sip:debtor@127.0.0.1:%u", port);
      g_autofree char *token = g_strdup_printf ("%u", i);

      dd_baresip_command (baresip, "dial", uri, token);
    }
  deadline = g_get_monotonic_time () + 30 * G_TIME_SPAN_SECOND;
  while ((established = dd_baresip_count_said (baresip, "CALL_ESTABLISHED")) < N_CALLS &&
         g_get_monotonic_time () < deadline)
    g_usleep (2000);
  {
    double setup_s = (g_get_monotonic_time () - start) / 1e6;

    cpu_start = process_cpu (pid);
    g_usleep (seconds * G_USEC_PER_SEC);
    cpu_end = process_cpu (pid);
    printf ("baresip-anchor: %u of %d calls established in %.2f s; %u s of two-way G.711 each: "
            "baresip CPU %.2f s = %.1f ms per call per second of call (%.2f%% of one core per "
            "call)\n", established, N_CALLS, setup_s, seconds, cpu_end - cpu_start,
            (cpu_end - cpu_start) * 1000 / N_CALLS / seconds,
            (cpu_end - cpu_start) * 100 / N_CALLS / seconds);
  }
  g_clear_pointer (&baresip, dd_baresip_stop);
  g_subprocess_force_exit (sipp);
  g_subprocess_wait (sipp, NULL, NULL);
  return established == N_CALLS ? (cpu_end - cpu_start) * 1000 / N_CALLS / seconds : -1;
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("dd-bench-calls-XXXXXX", &error);
  g_autofree char *scenario = g_build_filename (dir, "uas.xml", NULL);
  g_autofree char *media_text = NULL;
  g_autofree char *to = NULL;
  g_autoptr(GSubprocess) sipp = NULL;
  g_autoptr(GBytes) prompt = NULL;
  const char *seconds_env = g_getenv ("DD_BENCH_CALL_SECONDS");
  guint seconds = seconds_env != NULL ? (guint) atoi (seconds_env) : 10;
  guint port = dd_test_free_port (G_SOCKET_PROTOCOL_UDP), media = dd_test_free_port (G_SOCKET_PROTOCOL_UDP);
  guint ids[N_CALLS];
  Counts counts = { 0 };
  double ours = 0, theirs;
  gboolean calls_ok;
  DdSipCore *core;
  DdSipCoreStats stats;
  double cpu_start, cpu_end;
  gint64 start, deadline;

  if (!dd_test_have_program ("sipp"))
    {
      printf ("sipp is not installed: skipped\n");
      return 77;
    }
  g_file_set_contents (scenario,
    "<?xml version=\"1.0\" encoding=\"ISO-8859-1\" ?>\n<scenario name=\"answer-echo\">\n"
    "<recv request=\"INVITE\"/>\n"
    "<send><![CDATA[\nSIP/2.0 200 OK\n[last_Via:]\n[last_From:]\n"
    "[last_To:];tag=[pid]SIPpTag01[call_number]\n[last_Call-ID:]\n[last_CSeq:]\n"
    "Contact: <sip:[local_ip]:[local_port];transport=[transport]>\nContent-Type: application/sdp\n"
    "Content-Length: [len]\n\nv=0\no=- 1 1 IN IP4 [media_ip]\ns=-\nc=IN IP4 [media_ip]\nt=0 0\n"
    "m=audio [media_port] RTP/AVP 0\na=rtpmap:0 PCMU/8000\n]]></send>\n"
    "<recv request=\"ACK\"/>\n<recv request=\"BYE\"/>\n"
    "<send><![CDATA[\nSIP/2.0 200 OK\n[last_Via:]\n[last_From:]\n[last_To:]\n[last_Call-ID:]\n"
    "[last_CSeq:]\nContent-Length: 0\n\n]]></send>\n</scenario>\n", -1, NULL);
  media_text = g_strdup_printf ("%u", media);
  {
    g_autofree char *max = g_strdup_printf ("%u", N_CALLS);
    const char *extra[] = { "-mp", media_text, "-rtp_echo", "-m", max, NULL };

    sipp = dd_sipp_spawn (port, scenario, NULL, extra, &error);
    if (sipp == NULL)
      {
        g_printerr ("%s\n", error->message);
        return 1;
      }
  }
  g_usleep (500 * 1000);

  {
    gsize n = 8000 * (seconds + 2);
    gint16 *samples = g_new (gint16, n);

    for (gsize i = 0; i < n; i++)
      samples[i] = (gint16) (6000 * sin (2 * G_PI * 440 * i / 8000.0));
    prompt = g_bytes_new_take (samples, n * sizeof (gint16));
  }
  core = dd_sip_core_start ("127.0.0.1", 0, NULL, NULL, on_event, &counts, &error);
  if (core == NULL)
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }
  to = g_strdup_printf ("sip:debtor@127.0.0.1:%u", port);

  cpu_start = cpu_seconds ();
  start = g_get_monotonic_time ();
  for (guint i = 0; i < N_CALLS; i++)
    {
      DdSipDialParams params = { 0 };

      ids[i] = dd_sip_core_new_call_id (core);
      params.to_uri = to;
      params.from_uri = "sip:office@127.0.0.1";
      params.contact_user = "office";
      params.ring_timeout_ms = 30000;
      dd_sip_core_dial (core, ids[i], &params);
    }
  deadline = g_get_monotonic_time () + 30 * G_TIME_SPAN_SECOND;
  while (counts.answered + counts.ended < N_CALLS && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, FALSE), g_usleep (1000);
  for (guint i = 0; i < N_CALLS; i++)
    dd_sip_core_play (core, ids[i], prompt, 1, FALSE);
  /* the calls last their time, all at once */
  deadline = g_get_monotonic_time () + seconds * G_TIME_SPAN_SECOND;
  while (g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, FALSE), g_usleep (5000);
  dd_sip_core_get_stats (core, &stats);
  cpu_end = cpu_seconds ();
  for (guint i = 0; i < N_CALLS; i++)
    dd_sip_core_hangup (core, ids[i], 0);
  deadline = g_get_monotonic_time () + 20 * G_TIME_SPAN_SECOND;
  while (counts.ended < N_CALLS && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, FALSE), g_usleep (1000);

  {
    double setup_s = (counts.last_answer_us - start) / 1e6;
    double cpu = cpu_end - cpu_start;
    double wall = (g_get_monotonic_time () - start) / 1e6;

    printf ("calls-100: %u of %d answered in %.2f s (%.0f calls/s), %u completed, %u failed\n",
            counts.answered, N_CALLS, setup_s, counts.answered / MAX (setup_s, 0.001),
            counts.completed, counts.failed);
    printf ("calls-100: %u s of two-way G.711 each: our CPU %.2f s = %.1f ms per call per "
            "second of call (%.2f%% of one core per call); RTP sent %" G_GUINT64_FORMAT
            ", lateness vs the 20 ms clock: mean %.2f ms, max %.2f ms; wall %.1f s\n",
            seconds, cpu, cpu * 1000 / N_CALLS / seconds, cpu * 100 / N_CALLS / seconds,
            stats.rtp_sent,
            stats.rtp_sent > 0 ? stats.send_late_sum_us / 1000.0 / stats.rtp_sent : 0,
            stats.max_send_late_us / 1000.0, wall);
    ours = cpu * 1000 / N_CALLS / seconds;
    calls_ok = counts.answered == N_CALLS && counts.completed == N_CALLS &&
               counts.answered / MAX (setup_s, 0.001) >= 20;
  }
  dd_sip_core_stop (core);
  g_subprocess_force_exit (sipp);
  g_subprocess_wait (sipp, NULL, NULL);
  theirs = baresip_anchor (dir, seconds);
  printf ("GOAL %s: >= 20 new calls/s, no dropped calls, our CPU per call (%.1f ms/s) <= "
          "baresip's (%.1f ms/s)\n",
          calls_ok && theirs > 0 && ours <= theirs ? "MET" : "NOT MET", ours, theirs);
  {
    g_autofree char *cmd = g_strdup_printf ("rm -rf '%s'", dir);

    if (system (cmd) != 0)
      return 1;
  }
  return counts.completed == N_CALLS ? 0 : 1;
}
