/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The SIP engine against a hostile callee (hostile-peer.py, raw UDP on 127.0.0.1): endless
 * digest challenges, early media then busy, a BYE before our ACK, DTMF floods and endless
 * events, RTP from an unexpected port or of another payload type. Every call ends by itself
 * within a bound, with an honest cause, and the engine takes the next call. Run under the
 * sanitizers with criticals fatal. */
#include "config.h"

#include "dd-sip-core.h"
#include "dd-test-util.h"
#include "sip-peers.h"

#include <gio/gio.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

const char *__ubsan_default_options (void);

const char *
__ubsan_default_options (void)
{
  return "halt_on_error=1:print_stacktrace=1";
}

#define RING_MS        8000
#define RTP_TIMEOUT_MS 1500
#define MAX_CALL_MS    6000

typedef struct
{
  DdSipEventLog  collector;
  DdSipCore     *core;
  GSubprocess   *peer;
  char          *dir;
  char          *log;
  guint          port;
} Fixture;

static void
die_with_test (gpointer user_data)
{
  if (prctl (PR_SET_PDEATHSIG, SIGKILL) != 0 || getppid () != (pid_t) GPOINTER_TO_INT (user_data))
    _exit (127);
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_NONE);
  g_autofree char *script = g_test_build_filename (G_TEST_DIST, "hostile-peer.py", NULL);
  g_autofree char *port = NULL;
  gint64 deadline;

  f->dir = g_dir_make_tmp ("dd-hostile-XXXXXX", &error);
  g_assert_no_error (error);
  f->log = g_build_filename (f->dir, "peer.log", NULL);
  f->port = dd_test_free_port (G_SOCKET_PROTOCOL_UDP);
  port = g_strdup_printf ("%u", f->port);
  g_subprocess_launcher_set_child_setup (launcher, die_with_test,
                                         GINT_TO_POINTER ((int) getpid ()), NULL);
  f->peer = g_subprocess_launcher_spawn (launcher, &error, "python3", script, port, f->log, NULL);
  g_assert_no_error (error);
  deadline = g_get_monotonic_time () + 10 * G_TIME_SPAN_SECOND;
  while (!g_file_test (f->log, G_FILE_TEST_EXISTS) && g_get_monotonic_time () < deadline)
    g_usleep (20000);
  g_assert_true (g_file_test (f->log, G_FILE_TEST_EXISTS));

  f->core = dd_sip_event_log_start_core (&f->collector);
  dd_sip_core_set_rtp_timeout (f->core, RTP_TIMEOUT_MS);
  dd_sip_core_set_max_call_length (f->core, MAX_CALL_MS);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  dd_sip_core_stop (f->core);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  dd_sip_event_log_clear (&f->collector);
  g_subprocess_force_exit (f->peer);
  g_subprocess_wait (f->peer, NULL, NULL);
  g_clear_object (&f->peer);
  dd_test_remove_tree (f->dir);
  g_free (f->dir);
  g_free (f->log);
}

static guint
dial (Fixture    *f,
      const char *user,
      const char *password)
{
  guint id = dd_sip_core_new_call_id (f->core);
  DdSipDialParams params = { 0 };
  g_autofree char *to = g_strdup_printf ("sip:%s@127.0.0.1:%u", user, f->port);

  params.to_uri = to;
  params.from_name = "Biuro Windykacji";
  params.from_uri = "sip:office@127.0.0.1";
  params.contact_user = "office";
  params.ring_timeout_ms = RING_MS;
  params.auth_user = password != NULL ? "office" : NULL;
  params.password = password;
  dd_sip_core_dial (f->core, id, &params);
  return id;
}

/* How many lines of the peer's log start with @prefix. */
static guint
peer_count (Fixture    *f,
            const char *prefix)
{
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;
  guint n = 0;

  g_assert_true (g_file_get_contents (f->log, &text, NULL, NULL));
  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *space = strchr (lines[i], ' ');

      if (space != NULL && g_str_has_prefix (space + 1, prefix))
        n++;
    }
  return n;
}

/* Dials @user and waits at most @ms for the end. */
static const DdSipEvent *
call_to_end (Fixture    *f,
             const char *user,
             const char *password,
             guint       ms,
             guint      *idp)
{
  guint id = dial (f, user, password);
  const DdSipEvent *ended = dd_sip_event_log_wait (&f->collector, id, DD_SIP_EVENT_ENDED, ms);

  if (ended == NULL)
    g_error ("The call to %s did not end within %u ms", user, ms);
  g_test_message ("%s: %s (%u %s)", user, dd_sip_cause_to_string (ended->cause), ended->status,
                  ended->reason != NULL ? ended->reason : "");
  if (idp != NULL)
    *idp = id;
  return ended;
}

/* After a hostile call the engine still places calls: early media then busy ends as busy. */
static void
assert_line_works (Fixture *f)
{
  const DdSipEvent *ended = call_to_end (f, "early486", NULL, 10000, NULL);
  DdSipCoreStats stats;

  g_assert_cmpint (ended->cause, ==, DD_SIP_CAUSE_BUSY);
  g_assert_cmpuint (ended->status, ==, 486);
  dd_sip_core_get_stats (f->core, &stats);
  g_assert_cmpuint (stats.calls_active, ==, 0);
}

static void
test_early_busy (Fixture       *f,
                 gconstpointer  data)
{
  assert_line_works (f);
}

/* A peer that challenges every INVITE again, a new realm each time or the same realm with
 * stale=true: the call ends soon as refused authentication (the SIP status kept), well before
 * the ring time. A new realm each time is answered twice at most (3 INVITEs, not libre's 16);
 * stale=true is answered by libre itself without asking us, and it stops at 16 INVITEs. */
static void
test_auth_loop (Fixture       *f,
                gconstpointer  data)
{
  static const struct { const char *user; guint max_invites; } cases[] = {
    { "authloop", 3 },
    { "authstale", 16 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      guint before = peer_count (f, "INVITE");
      gint64 start = g_get_monotonic_time ();
      const DdSipEvent *ended = call_to_end (f, cases[i].user, "secret", RING_MS + 5000, NULL);
      gint64 took_ms = (g_get_monotonic_time () - start) / 1000;
      guint invites;

      g_usleep (200 * 1000);   /* what was still on its way */
      invites = peer_count (f, "INVITE") - before;

      g_test_message ("%u INVITEs in %d ms", invites, (int) took_ms);
      g_assert_cmpuint (ended->status, >=, 401);
      g_assert_cmpuint (ended->status, <=, 407);
      g_assert_cmpint (ended->cause, ==, DD_SIP_CAUSE_FAILED);
      g_assert_cmpuint (invites, <=, cases[i].max_invites);
      g_assert_cmpint (took_ms, <, RING_MS);
    }
  assert_line_works (f);
}

/* A BYE from the peer right after its 200, before our ACK: the call completes at once. */
static void
test_bye_before_ack (Fixture       *f,
                     gconstpointer  data)
{
  const DdSipEvent *ended = call_to_end (f, "byebeforeack", NULL, 5000, NULL);

  g_assert_cmpint (ended->cause, ==, DD_SIP_CAUSE_COMPLETED);
  assert_line_works (f);
}

/* Media abuse after the answer: the call ends by the maximum length or the RTP timeout, never
 * hangs; a DTMF flood gives digits but no crash. */
static void
test_media_abuse (Fixture       *f,
                  gconstpointer  data)
{
  static const char *const users[] = { "dtmfflood", "dtmfhuge", "otherport", "otherpt",
                                       "deadair" };

  for (guint i = 0; i < G_N_ELEMENTS (users); i++)
    {
      guint id;
      const DdSipEvent *ended = call_to_end (f, users[i], NULL, MAX_CALL_MS + 8000, &id);

      g_assert_cmpint (ended->cause, !=, DD_SIP_CAUSE_NONE);
      g_assert_nonnull (dd_sip_event_log_find (&f->collector, id, DD_SIP_EVENT_ANSWERED));
    }
  assert_line_works (f);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  if (!dd_test_have_program ("python3"))
    {
      g_test_skip ("python3 is not installed");
      return g_test_run ();
    }
  g_test_add ("/dd/sip-hostile/early-busy", Fixture, NULL, fixture_setup, test_early_busy,
              fixture_teardown);
  g_test_add ("/dd/sip-hostile/auth-loop", Fixture, NULL, fixture_setup, test_auth_loop,
              fixture_teardown);
  g_test_add ("/dd/sip-hostile/bye-before-ack", Fixture, NULL, fixture_setup,
              test_bye_before_ack, fixture_teardown);
  g_test_add ("/dd/sip-hostile/media-abuse", Fixture, NULL, fixture_setup, test_media_abuse,
              fixture_teardown);
  return g_test_run ();
}
