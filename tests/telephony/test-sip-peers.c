/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The peers the telephony tests start (sip-peers.c) die with the test that started them: a
 * test killed or aborted by a failed assertion leaves no sipp or baresip running. */

#include "config.h"

#include "dd-test-util.h"
#include "sip-peers.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define HOLD_PEER "--hold-peer"

/* A sipp that waits for a REGISTER that never comes. */
static GSubprocess *
start_waiting_sipp (const char  *dir,
                    GError     **error)
{
  g_autofree char *path = g_build_filename (dir, "wait.xml", NULL);

  if (!g_file_set_contents (path,
                            "<?xml version=\"1.0\" encoding=\"ISO-8859-1\" ?>\n"
                            "<scenario name=\"wait\">\n"
                            "<recv request=\"REGISTER\"/>\n"
                            "</scenario>\n", -1, error))
    return NULL;
  return dd_sipp_spawn (dd_test_free_port (G_SOCKET_PROTOCOL_UDP), path, NULL, NULL, error);
}

/* The stand-in for a test (this binary run with --hold-peer DIR): starts a peer, says its pid
 * on stdout and waits to be killed. */
static int
hold_peer (const char *dir)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) sipp = start_waiting_sipp (dir, &error);

  if (sipp == NULL)
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }
  printf ("%s\n", g_subprocess_get_identifier (sipp));
  fflush (stdout);
  for (;;)
    pause ();
  return 0;
}

static gboolean
process_gone (pid_t pid)
{
  g_autofree char *stat_path = g_strdup_printf ("/proc/%d/stat", (int) pid);
  g_autofree char *stat = NULL;
  const char *paren;

  if (kill (pid, 0) != 0 && errno == ESRCH)
    return TRUE;
  /* a zombie not yet reaped by whoever inherited it is gone too */
  if (!g_file_get_contents (stat_path, &stat, NULL, NULL))
    return TRUE;
  paren = strrchr (stat, ')');
  return paren != NULL && (paren[1] == ' ' && (paren[2] == 'Z' || paren[2] == 'X'));
}

/* The test (here its stand-in) is killed with SIGKILL: no handler of its own runs, and its
 * sipp goes with it. */
static void
test_peer_dies_with_test (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) holder = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *line = NULL;
  const char *argv[] = { "/proc/self/exe", HOLD_PEER, NULL, NULL };
  gint64 pid, deadline;

  if (!dd_test_have_program ("sipp"))
    {
      g_test_skip ("sipp (sip-tester) is not installed");
      return;
    }
  dir = g_dir_make_tmp ("dd-sip-peers-XXXXXX", &error);
  g_assert_no_error (error);
  argv[2] = dir;
  holder = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error);
  g_assert_no_error (error);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (holder));
  line = g_data_input_stream_read_line (out, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (line);
  pid = g_ascii_strtoll (line, NULL, 10);
  g_assert_cmpint (pid, >, 1);
  /* the peer runs while its test lives */
  dd_test_iterate_for (300);
  g_assert_false (process_gone ((pid_t) pid));

  g_subprocess_force_exit (holder);
  g_assert_true (g_subprocess_wait (holder, NULL, &error));
  g_assert_no_error (error);
  deadline = g_get_monotonic_time () + 5 * G_TIME_SPAN_SECOND;
  while (!process_gone ((pid_t) pid) && g_get_monotonic_time () < deadline)
    g_usleep (20 * 1000);
  if (!process_gone ((pid_t) pid))
    {
      /* do not leave it behind even when the check fails */
      kill ((pid_t) pid, SIGKILL);
      g_error ("sipp (pid %" G_GINT64_FORMAT ") outlived its killed test", pid);
    }
  dd_test_remove_tree (dir);
}

int
main (int   argc,
      char *argv[])
{
  if (argc == 3 && strcmp (argv[1], HOLD_PEER) == 0)
    return hold_peer (argv[2]);

  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/dd/sip-peers/die-with-test", test_peer_dies_with_test);

  return g_test_run ();
}
