/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The SIP engine against a hostile callee (hostile-peer.py, raw UDP on 127.0.0.1): endless
 * digest challenges, early media then busy, a BYE before our ACK, DTMF floods and endless
 * events, RTP from an unexpected port or of another payload type. Every call ends by itself
 * within a bound, with an honest cause, and the engine takes the next call. Run under the
 * sanitizers with criticals fatal. */
#include "config.h"

#include "dd-call.h"
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

static guint ring_ms = RING_MS;

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
  params.ring_timeout_ms = ring_ms;
  params.auth_user = password != NULL ? "office" : NULL;
  params.password = password;
  dd_sip_core_dial (f->core, id, &params);
  return id;
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

/* How many lines of the peer's log start with @prefix. */
static guint
peer_count (Fixture    *f,
            const char *prefix)
{
  return dd_hostile_peer_count (f->log, prefix);
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
 * hangs; a DTMF flood gives digits but no crash. RTP only of a payload type we did not agree
 * on (nothing we can play or hear) is dead air as much as no RTP at all: the RTP timeout ends
 * the call, not the maximum length an hour later. */
static void
test_media_abuse (Fixture       *f,
                  gconstpointer  data)
{
  static const struct { const char *user; int cause; } cases[] = {
    { "dtmfflood", -1 },
    { "dtmfhuge", -1 },
    { "otherport", DD_SIP_CAUSE_MAX_LENGTH },   /* its audio is taken from another port */
    { "otherpt", DD_SIP_CAUSE_NETWORK_ERROR },
    { "deadair", DD_SIP_CAUSE_NETWORK_ERROR },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      guint id;
      gint64 start = g_get_monotonic_time ();
      const DdSipEvent *ended = call_to_end (f, cases[i].user, NULL, MAX_CALL_MS + 8000, &id);
      gint64 took_ms = (g_get_monotonic_time () - start) / 1000;

      g_assert_cmpint (ended->cause, !=, DD_SIP_CAUSE_NONE);
      if (cases[i].cause >= 0)
        g_assert_cmpint (ended->cause, ==, cases[i].cause);
      if (cases[i].cause == DD_SIP_CAUSE_NETWORK_ERROR)
        g_assert_cmpint (took_ms, <, MAX_CALL_MS);
      g_assert_nonnull (dd_sip_event_log_find (&f->collector, id, DD_SIP_EVENT_ANSWERED));
    }
  assert_line_works (f);
}

/* Inbound: a caller of our own, raw UDP */

typedef struct
{
  GSocket        *socket;
  GSocketAddress *target;
  guint           port;
  guint           target_port;
} Caller;

static void
caller_open (Caller    *caller,
             DdSipCore *core)
{
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;

  caller->socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_DATAGRAM,
                                 G_SOCKET_PROTOCOL_UDP, NULL);
  g_assert_true (g_socket_bind (caller->socket, any, TRUE, NULL));
  bound = g_socket_get_local_address (caller->socket, NULL);
  caller->port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
  caller->target_port = dd_sip_core_get_port (core);
  caller->target = g_inet_socket_address_new (loopback, caller->target_port);
  g_socket_set_timeout (caller->socket, 1);
}

static void
caller_close (Caller *caller)
{
  g_clear_object (&caller->socket);
  g_clear_object (&caller->target);
}

static void
caller_send_call (Caller     *caller,
                  const char *call_id,
                  const char *method,
                  guint       cseq,
                  const char *branch,
                  const char *to_tag,
                  const char *body)
{
  g_autofree char *text = g_strdup_printf (
    "%s sip:desk@127.0.0.1:%u SIP/2.0\r\n"
    "Via: SIP/2.0/UDP 127.0.0.1:%u;branch=z9hG4bK%s\r\n"
    "From: \"Debtor\" <sip:debtor@127.0.0.1>;tag=caller1\r\n"
    "To: <sip:desk@127.0.0.1>%s%s\r\n"
    "Call-ID: %s@127.0.0.1\r\n"
    "CSeq: %u %s\r\n"
    "Contact: <sip:debtor@127.0.0.1:%u>\r\n"
    "Max-Forwards: 70\r\n"
    "%s"
    "Content-Length: %zu\r\n\r\n%s",
    method, caller->target_port, caller->port, branch,
    to_tag != NULL ? ";tag=" : "", to_tag != NULL ? to_tag : "", call_id,
    cseq, method, caller->port,
    body != NULL ? "Content-Type: application/sdp\r\n" : "",
    body != NULL ? strlen (body) : 0, body != NULL ? body : "");

  g_assert_cmpint (g_socket_send_to (caller->socket, caller->target, text, strlen (text), NULL,
                                     NULL), ==, (gssize) strlen (text));
}

static void
caller_send (Caller     *caller,
             const char *method,
             guint       cseq,
             const char *branch,
             const char *to_tag,
             const char *body)
{
  caller_send_call (caller, "hostile-inbound", method, cseq, branch, to_tag, body);
}

/* The next message that starts with @prefix within @ms (others skipped), or NULL. */
static char *
caller_receive (Caller     *caller,
                const char *prefix,
                guint       ms)
{
  gint64 deadline = g_get_monotonic_time () + ms * 1000;

  while (g_get_monotonic_time () < deadline)
    {
      char buf[8192];
      gssize n;

      while (g_main_context_iteration (NULL, FALSE))
        ;
      if (!g_socket_condition_timed_wait (caller->socket, G_IO_IN, 20000, NULL, NULL))
        continue;
      n = g_socket_receive (caller->socket, buf, sizeof buf - 1, NULL, NULL);
      if (n <= 0)
        continue;
      buf[n] = '\0';
      if (g_str_has_prefix (buf, prefix))
        return g_strdup (buf);
    }
  return NULL;
}

/* The To tag of a response. */
static char *
to_tag_of (const char *response)
{
  const char *to = strstr (response, "\r\nTo:");
  const char *tag = to != NULL ? strstr (to, ";tag=") : NULL;
  const char *end;

  g_assert_nonnull (tag);
  tag += 5;
  end = tag + strcspn (tag, ";\r\n");
  return g_strndup (tag, end - tag);
}

/* A caller that makes no offer (our 200 offers) and acknowledges without an answer: the call
 * cannot have media; it ends at once, hung up (BYE), not by the RTP timeout. */
static void
test_inbound_ack_without_answer (Fixture       *f,
                                 gconstpointer  data)
{
  Caller caller = { 0 };
  const DdSipEvent *incoming = NULL;
  const DdSipEvent *ended;
  g_autofree char *ok = NULL;
  g_autofree char *tag = NULL;
  g_autofree char *bye = NULL;
  gint64 deadline;

  dd_sip_core_set_inbound (f->core, TRUE, 5000);
  caller_open (&caller, f->core);
  caller_send (&caller, "INVITE", 1, "inv1", NULL, NULL);
  deadline = g_get_monotonic_time () + 5 * G_TIME_SPAN_SECOND;
  while (incoming == NULL && g_get_monotonic_time () < deadline)
    {
      while (g_main_context_iteration (NULL, FALSE))
        ;
      for (guint i = 0; i < f->collector.events->len && incoming == NULL; i++)
        {
          const DdSipEvent *event = g_ptr_array_index (f->collector.events, i);

          if (event->kind == DD_SIP_EVENT_INCOMING)
            incoming = event;
        }
      g_usleep (10000);
    }
  g_assert_nonnull (incoming);
  dd_sip_core_answer (f->core, incoming->call_id);
  ok = caller_receive (&caller, "SIP/2.0 200", 5000);
  g_assert_nonnull (ok);
  g_assert_nonnull (strstr (ok, "m=audio"));
  tag = to_tag_of (ok);
  caller_send (&caller, "ACK", 1, "ack1", tag, NULL);
  bye = caller_receive (&caller, "BYE ", RTP_TIMEOUT_MS / 2);
  ended = dd_sip_event_log_wait (&f->collector, incoming->call_id, DD_SIP_EVENT_ENDED,
                                 RTP_TIMEOUT_MS + 8000);
  g_assert_nonnull (ended);
  g_test_message ("inbound, ACK without SDP: %s", dd_sip_cause_to_string (ended->cause));
  g_assert_nonnull (bye);
  g_assert_cmpint (ended->cause, ==, DD_SIP_CAUSE_NO_MEDIA);
  caller_close (&caller);
  assert_line_works (f);
}

/* The callee picks up just as our ring time runs out: its 200 OK crosses our CANCEL. The call
 * is over for us (no answer), so the 200 is acknowledged and hung up at once — the debtor's
 * phone is not left connected to nobody. */
static void
test_cancel_race (Fixture       *f,
                  gconstpointer  data)
{
  const DdSipEvent *ended;
  gint64 deadline;

  ring_ms = 1000;
  ended = call_to_end (f, "late200", NULL, 5000, NULL);
  ring_ms = RING_MS;
  g_assert_cmpint (ended->cause, ==, DD_SIP_CAUSE_NO_ANSWER);
  deadline = g_get_monotonic_time () + 3 * G_TIME_SPAN_SECOND;
  while (peer_count (f, "BYE") == 0 && g_get_monotonic_time () < deadline)
    {
      while (g_main_context_iteration (NULL, FALSE))
        ;
      g_usleep (20000);
    }
  g_test_message ("CANCEL %u, ACK %u, BYE %u", peer_count (f, "CANCEL"), peer_count (f, "ACK"),
                  peer_count (f, "BYE"));
  g_assert_cmpuint (peer_count (f, "CANCEL"), ==, 1);
  g_assert_cmpuint (peer_count (f, "ACK"), >=, 1);
  g_assert_cmpuint (peer_count (f, "BYE"), ==, 1);
  assert_line_works (f);
}

/* How many events of @kind the call @id had. */
static guint
count_events (Fixture         *f,
              guint            id,
              DdSipEventKind   kind)
{
  guint n = 0;

  for (guint i = 0; i < f->collector.events->len; i++)
    {
      const DdSipEvent *event = g_ptr_array_index (f->collector.events, i);

      n += event->call_id == id && event->kind == kind;
    }
  return n;
}

/* Three 200 OKs with three To tags (a forked INVITE answered thrice), each retransmitted by
 * the peer until acknowledged: the first is the call, which goes on; each other one is
 * acknowledged (the peer stops retransmitting it) and hung up at once with a BYE (RFC 3261
 * 13.2.2.4), along its own route set. The call ends by itself (its maximum length), with a
 * BYE of its own. */
static void
test_forked_answers (Fixture       *f,
                     gconstpointer  data)
{
  static const char *const extra[] = { "forkB", "forkC" };
  guint id = dial (f, "fork200", NULL);
  const DdSipEvent *ended;
  DdSipCoreStats stats;
  gint64 deadline;

  g_assert_nonnull (dd_sip_event_log_wait (&f->collector, id, DD_SIP_EVENT_ANSWERED, 5000));
  /* the peer logs what it receives from its own thread: on a loaded machine a line may come
   * a little after the next one's, so wait for all of them (forkC's 200 came twice) */
  deadline = g_get_monotonic_time () + 5 * G_TIME_SPAN_SECOND;
  while ((peer_count (f, "dialog BYE forkB") == 0 || peer_count (f, "dialog BYE forkC") == 0
          || peer_count (f, "dialog ACK forkC") < 2)
         && g_get_monotonic_time () < deadline)
    {
      while (g_main_context_iteration (NULL, FALSE))
        ;
      g_usleep (20000);
    }
  for (guint i = 0; i < G_N_ELEMENTS (extra); i++)
    {
      g_autofree char *ack = g_strdup_printf ("dialog ACK %s", extra[i]);
      g_autofree char *bye = g_strdup_printf ("dialog BYE %s", extra[i]);

      g_test_message ("%s: ACK %u, BYE %u", extra[i], peer_count (f, ack), peer_count (f, bye));
      g_assert_cmpuint (peer_count (f, ack), >=, 1);
      g_assert_cmpuint (peer_count (f, bye), ==, 1);
    }
  /* forkB's 200 came through two proxies that recorded their route: our requests in its
   * dialog take the route set, the Record-Route in reverse (RFC 3261 12.1.2) */
  g_assert_cmpuint (peer_count (f, "route ACK forkB rr2 rr1"), >=, 1);
  g_assert_cmpuint (peer_count (f, "route BYE forkB rr2 rr1"), ==, 1);
  g_assert_cmpuint (peer_count (f, "route BYE forkC"), ==, 0);
  /* forkC's 200 came twice: acknowledged each time (and each retransmission too, on a loaded
   * machine), hung up once */
  g_assert_cmpuint (peer_count (f, "dialog ACK forkC"), >=, 2);
  /* one call goes on: the first answer's */
  g_assert_cmpuint (peer_count (f, "dialog ACK forkA"), >=, 1);
  g_assert_cmpuint (peer_count (f, "dialog BYE forkA"), ==, 0);
  g_assert_null (dd_sip_event_log_find (&f->collector, id, DD_SIP_EVENT_ENDED));

  ended = dd_sip_event_log_wait (&f->collector, id, DD_SIP_EVENT_ENDED, MAX_CALL_MS + 8000);
  g_assert_nonnull (ended);
  g_usleep (300 * 1000);
  g_test_message ("fork200: %s; retransmitted 200s %u (forkB %u, forkC %u)",
                  dd_sip_cause_to_string (ended->cause), peer_count (f, "retransmit 200"),
                  peer_count (f, "retransmit 200 forkB"), peer_count (f, "retransmit 200 forkC"));
  g_assert_cmpint (ended->cause, ==, DD_SIP_CAUSE_MAX_LENGTH);
  g_assert_cmpuint (count_events (f, id, DD_SIP_EVENT_ANSWERED), ==, 1);
  g_assert_cmpuint (peer_count (f, "dialog BYE forkA"), ==, 1);
  g_assert_cmpuint (peer_count (f, "dialog BYE forkB"), ==, 1);
  g_assert_cmpuint (peer_count (f, "dialog BYE forkC"), ==, 1);
  /* acknowledged at once: the peer's first retransmission (after 500 ms) is not needed */
  g_assert_cmpuint (peer_count (f, "retransmit 200 forkB"), <=, 1);
  g_assert_cmpuint (peer_count (f, "retransmit 200 forkC"), <=, 1);
  dd_sip_core_get_stats (f->core, &stats);
  g_assert_cmpuint (stats.forks_refused, ==, 2);
  assert_line_works (f);
}

/* The second fork answers after we hung up the first call: still acknowledged and hung up
 * (the call is gone, the answers to its INVITE are not). */
static void
test_forked_late (Fixture       *f,
                  gconstpointer  data)
{
  guint id = dial (f, "forklate", NULL);
  DdSipCoreStats stats;
  gint64 deadline;

  g_assert_nonnull (dd_sip_event_log_wait (&f->collector, id, DD_SIP_EVENT_ANSWERED, 5000));
  dd_sip_core_hangup (f->core, id, 0);
  g_assert_nonnull (dd_sip_event_log_wait (&f->collector, id, DD_SIP_EVENT_ENDED, 2000));
  deadline = g_get_monotonic_time () + 4 * G_TIME_SPAN_SECOND;
  while (peer_count (f, "dialog BYE forkD") == 0 && g_get_monotonic_time () < deadline)
    {
      while (g_main_context_iteration (NULL, FALSE))
        ;
      g_usleep (20000);
    }
  g_usleep (200 * 1000);
  g_test_message ("forklate: ACK %u, BYE %u, retransmitted %u", peer_count (f, "dialog ACK forkD"),
                  peer_count (f, "dialog BYE forkD"), peer_count (f, "retransmit 200 forkD"));
  g_assert_cmpuint (peer_count (f, "dialog BYE forkA"), ==, 1);
  g_assert_cmpuint (peer_count (f, "dialog ACK forkD"), >=, 1);
  g_assert_cmpuint (peer_count (f, "dialog BYE forkD"), ==, 1);
  g_assert_cmpuint (peer_count (f, "retransmit 200 forkD"), <=, 1);
  dd_sip_core_get_stats (f->core, &stats);
  g_assert_cmpuint (stats.forks_refused, ==, 1);
  assert_line_works (f);
}

/* A re-INVITE without SDP (the peer asks us to offer, RFC 3261 14.2): our 200 carries an
 * offer, and the call goes on. */
static void
test_empty_reinvite (Fixture       *f,
                     gconstpointer  data)
{
  const DdSipEvent *ended = call_to_end (f, "emptyreinvite", NULL, MAX_CALL_MS + 8000, NULL);

  g_test_message ("emptyreinvite: %s; offers %u, no-sdp %u",
                  dd_sip_cause_to_string (ended->cause), peer_count (f, "answer 2 INVITE offer"),
                  peer_count (f, "answer 2 INVITE no-sdp"));
  g_assert_cmpuint (peer_count (f, "answer 2 INVITE offer"), >=, 1);
  g_assert_cmpint (ended->cause, ==, DD_SIP_CAUSE_MAX_LENGTH);
  assert_line_works (f);
}

/* SIP over TCP to our port: an endless header (100 KB without an end), a Content-Length far
 * beyond what comes, garbage, and 200 connections left open. No crash, and calls go on. */
static void
test_tcp_abuse (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GPtrArray) held = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autofree char *host = g_strdup_printf ("127.0.0.1:%u", dd_sip_core_get_port (f->core));
  g_autoptr(GString) header = g_string_new ("INVITE sip:desk@127.0.0.1 SIP/2.0\r\nSubject: ");
  static const char *const messages[] = {
    "INVITE sip:desk@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/TCP 127.0.0.1:9;branch=z9hG4bKt\r\n"
    "Content-Length: 99999999\r\n\r\nv=0\r\n",
    "\x00\x01\x02\x03 garbage \xff\xfe\r\n\r\n\r\n",
    "SIP/2.0 200 OK\r\nContent-Length: -1\r\n\r\n",
  };

  g_socket_client_set_enable_proxy (client, FALSE);
  for (guint i = 0; i < 100 * 1024; i++)
    g_string_append_c (header, 'x');
  for (guint i = 0; i < 200 + G_N_ELEMENTS (messages) + 1; i++)
    {
      g_autoptr(GError) error = NULL;
      GSocketConnection *connection = g_socket_client_connect_to_host (client, host, 0, NULL,
                                                                       &error);

      g_assert_no_error (error);
      if (i == 0)
        (void) g_output_stream_write_all (g_io_stream_get_output_stream (G_IO_STREAM (connection)),
                                          header->str, header->len, NULL, NULL, NULL);
      else if (i <= G_N_ELEMENTS (messages))
        (void) g_output_stream_write_all (g_io_stream_get_output_stream (G_IO_STREAM (connection)),
                                          messages[i - 1], strlen (messages[i - 1]) + 1, NULL,
                                          NULL, NULL);
      g_ptr_array_add (held, connection);
    }
  g_usleep (300 * 1000);
  assert_line_works (f);
  assert_line_works (f);
}

static void
on_call_ended (DdCall   *call,
               gpointer  user_data)
{
  gboolean *ended = user_data;

  *ended = TRUE;
}

/* The endless challenge through DdCall: the words say what to do (the login is refused: check
 * the line's user name and password), not a bare "Failed". */
static void
test_auth_loop_words (Fixture       *f,
                      gconstpointer  data)
{
  static const struct { const char *user; const char *words; } cases[] = {
    { "authloop", "The provider refused the line's login: check its user name and password "
                  "(401 Unauthorized)" },
    { "authstale", "The provider refused the line's login: check its user name and password "
                   "(407 Proxy Authentication Required)" },
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(DdSipEngine) engine = NULL;

  /* one libre per process: the engine's replaces the fixture's */
  g_clear_pointer (&f->core, dd_sip_core_stop);
  engine = dd_sip_engine_new ("127.0.0.1", 0, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *to = g_strdup_printf ("sip:%s@127.0.0.1:%u", cases[i].user, f->port);
      g_autoptr(DdCall) call = NULL;
      g_autofree char *words = NULL;
      DdCallOptions options = { 0 };
      gboolean ended = FALSE;
      gint64 deadline = g_get_monotonic_time () + 10 * G_TIME_SPAN_SECOND;

      options.from_uri = "sip:office@127.0.0.1";
      options.auth_user = "office";
      options.password = "secret";
      options.ring_timeout_s = 8;
      call = g_object_ref (dd_sip_engine_dial (engine, to, &options));
      g_signal_connect (call, "ended", G_CALLBACK (on_call_ended), &ended);
      while (!ended && g_get_monotonic_time () < deadline)
        {
          while (g_main_context_iteration (NULL, FALSE))
            ;
          g_usleep (10000);
        }
      g_assert_true (ended);
      g_assert_cmpint (dd_call_get_end_cause (call), ==, DD_CALL_END_FAILED);
      words = dd_call_describe_end (call);
      g_assert_cmpstr (words, ==, cases[i].words);
    }
}

/* A scanner's flood: 500 INVITEs, each its own call, none acknowledged nor cancelled; they ring
 * out (480) and are forgotten; nothing leaks, and the line still calls out. */
static void
test_invite_flood (Fixture       *f,
                   gconstpointer  data)
{
  Caller caller = { 0 };
  DdSipCoreStats stats;
  gint64 deadline;

  dd_sip_core_set_inbound (f->core, TRUE, 1000);
  caller_open (&caller, f->core);
  for (guint i = 0; i < 500; i++)
    {
      g_autofree char *call_id = g_strdup_printf ("flood%u", i);

      caller_send_call (&caller, call_id, "INVITE", 1, call_id, NULL, NULL);
      if (i % 50 == 49)
        g_usleep (20000);
    }
  deadline = g_get_monotonic_time () + 40 * G_TIME_SPAN_SECOND;
  do
    {
      while (g_main_context_iteration (NULL, FALSE))
        ;
      g_usleep (50000);
      dd_sip_core_get_stats (f->core, &stats);
    }
  while ((stats.calls_started < 500 || stats.calls_active > 0) && g_get_monotonic_time () < deadline);
  g_test_message ("flood: %u started, %u active", (guint) stats.calls_started,
                  (guint) stats.calls_active);
  g_assert_cmpuint (stats.calls_active, ==, 0);
  caller_close (&caller);
  dd_sip_core_set_inbound (f->core, FALSE, 0);
  assert_line_works (f);
}

/* The same race on the command line, which quits as soon as the call ended: the 200 that
 * crosses its CANCEL is still acknowledged and hung up before it exits. */
static void
test_cli_cancel_race (Fixture       *f,
                      gconstpointer  data)
{
  const char *cli = g_getenv ("DD_CLI");
  g_autofree char *to = g_strdup_printf ("sip:late200@127.0.0.1:%u", f->port);
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  gint64 start = g_get_monotonic_time ();

  if (cli == NULL)
    {
      g_test_skip ("DD_CLI is not set");
      return;
    }
  process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_SILENCE,
                              &error, cli, "call", "--json", "--ring-timeout", "1", to, NULL);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_communicate_utf8 (process, NULL, NULL, &out, NULL, &error));
  g_assert_no_error (error);
  g_test_message ("%s", out);
  g_assert_nonnull (strstr (out, "\"no-answer\""));
  g_assert_cmpint (g_get_monotonic_time () - start, <, 8 * G_TIME_SPAN_SECOND);
  g_usleep (300 * 1000);
  g_test_message ("CANCEL %u, ACK %u, BYE %u", peer_count (f, "CANCEL"), peer_count (f, "ACK"),
                  peer_count (f, "BYE"));
  g_assert_cmpuint (peer_count (f, "CANCEL"), ==, 1);
  g_assert_cmpuint (peer_count (f, "ACK"), >=, 1);
  g_assert_cmpuint (peer_count (f, "BYE"), ==, 1);
}

/* Broken 200s (no Call-ID; the CSeq number of another request; no Via; cut in half) are not
 * taken for an answer: the call goes on waiting, and a final response from another address
 * (its branch is ours) is taken, as RFC 3261 matches responses by branch. A 200 with only a
 * codec we do not have is refused with a BYE. */
static void
test_bad_responses (Fixture       *f,
                    gconstpointer  data)
{
  const DdSipEvent *ended;
  DdSipCoreStats stats;
  guint id;

  ended = call_to_end (f, "badresp0", NULL, RING_MS + 5000, &id);
  g_assert_null (dd_sip_event_log_find (&f->collector, id, DD_SIP_EVENT_ANSWERED));
  g_assert_cmpint (ended->cause, ==, DD_SIP_CAUSE_BUSY);
  ended = call_to_end (f, "badresp1", NULL, RING_MS + 5000, &id);
  g_assert_null (dd_sip_event_log_find (&f->collector, id, DD_SIP_EVENT_ANSWERED));
  g_assert_cmpint (ended->cause, ==, DD_SIP_CAUSE_BUSY);
  g_usleep (200 * 1000);
  /* no answer taken: none acknowledged (only the 486s, To tag "x"), none hung up */
  g_assert_cmpuint (peer_count (f, "dialog ACK bad"), ==, 0);
  g_assert_cmpuint (peer_count (f, "dialog ACK x"), ==, 2);
  g_assert_cmpuint (peer_count (f, "BYE"), ==, 0);
  dd_sip_core_get_stats (f->core, &stats);
  g_assert_cmpuint (stats.sip_ignored, ==, 2);
  ended = call_to_end (f, "badresp2", NULL, RING_MS + 5000, NULL);
  g_assert_cmpint (ended->cause, ==, DD_SIP_CAUSE_BUSY);
  ended = call_to_end (f, "badresp3", NULL, RING_MS + 5000, NULL);
  g_assert_cmpint (ended->cause, ==, DD_SIP_CAUSE_BUSY);
  ended = call_to_end (f, "g729only", NULL, 5000, &id);
  g_assert_cmpint (ended->cause, ==, DD_SIP_CAUSE_NO_CODEC);
  g_usleep (200 * 1000);
  g_assert_cmpuint (peer_count (f, "BYE"), ==, 1);
  assert_line_works (f);
}

/* Datagrams that are no SIP message, and a response to no request of ours, while the call
 * rings: dropped and counted, the call goes on (busy). */
static void
test_malformed (Fixture       *f,
                gconstpointer  data)
{
  const DdSipEvent *ended = call_to_end (f, "garbage", NULL, RING_MS + 5000, NULL);
  DdSipCoreStats stats;

  dd_sip_core_get_stats (f->core, &stats);
  g_test_message ("garbage: %s; %u malformed", dd_sip_cause_to_string (ended->cause),
                  (guint) stats.sip_malformed);
  g_assert_cmpint (ended->cause, ==, DD_SIP_CAUSE_BUSY);
  g_assert_cmpuint (stats.sip_malformed, >=, 2);
  assert_line_works (f);
}

/* The same on the command line: its stderr stays clean (libre printed "sip: msg decode err"
 * and "unhandeled response" there); with G_MESSAGES_DEBUG the drops are in the debug log. */
static void
test_cli_malformed (Fixture       *f,
                    gconstpointer  data)
{
  const char *cli = g_getenv ("DD_CLI");
  g_autofree char *to = g_strdup_printf ("sip:garbage@127.0.0.1:%u", f->port);
  g_autoptr(GError) error = NULL;

  if (cli == NULL)
    {
      g_test_skip ("DD_CLI is not set");
      return;
    }
  for (guint debug = 0; debug < 2; debug++)
    {
      g_autoptr(GSubprocessLauncher) launcher = NULL;
      g_autoptr(GSubprocess) process = NULL;
      g_autofree char *out = NULL;
      g_autofree char *err = NULL;

      launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE
                                            | G_SUBPROCESS_FLAGS_STDERR_PIPE);
      g_subprocess_launcher_unsetenv (launcher, "G_MESSAGES_DEBUG");
      if (debug)
        g_subprocess_launcher_setenv (launcher, "G_MESSAGES_DEBUG", "dd-sip-guard", TRUE);
      process = g_subprocess_launcher_spawn (launcher, &error, cli, "call", "--json",
                                             "--ring-timeout", "8", to, NULL);
      g_assert_no_error (error);
      g_assert_true (g_subprocess_communicate_utf8 (process, NULL, NULL, &out, &err, &error));
      g_assert_no_error (error);
      g_test_message ("stdout: %s\nstderr: %s", out, err);
      g_assert_nonnull (strstr (out, "\"busy\""));
      g_assert_null (strstr (err, "decode"));
      g_assert_null (strstr (err, "unhandeled"));
      g_assert_cmpstr (err, ==, "");
      /* GLib's debug messages go to stdout */
      if (debug)
        g_assert_nonnull (strstr (out, "no SIP message"));
    }
}

/* Waits for the first INCOMING event after @after events. */
static const DdSipEvent *
wait_incoming (Fixture *f,
               guint    after)
{
  gint64 deadline = g_get_monotonic_time () + 5 * G_TIME_SPAN_SECOND;

  while (g_get_monotonic_time () < deadline)
    {
      while (g_main_context_iteration (NULL, FALSE))
        ;
      for (guint i = after; i < f->collector.events->len; i++)
        {
          const DdSipEvent *event = g_ptr_array_index (f->collector.events, i);

          if (event->kind == DD_SIP_EVENT_INCOMING)
            return event;
        }
      g_usleep (10000);
    }
  return NULL;
}

#define CALLER_SDP "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n" \
                   "m=audio 9 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n"

/* Inbound callers who misbehave: a BYE right after our 200, before any ACK; a CANCEL the
 * moment the call rings, our answer coming after it. Each call ends at once with its cause,
 * and the next caller is taken. */
static void
test_inbound_races (Fixture       *f,
                    gconstpointer  data)
{
  Caller caller = { 0 };
  const DdSipEvent *incoming;
  const DdSipEvent *ended;
  g_autofree char *ok = NULL;
  g_autofree char *tag = NULL;
  g_autofree char *bye_ok = NULL;
  g_autofree char *cancel_ok = NULL;
  g_autofree char *terminated = NULL;
  guint call_id;

  dd_sip_core_set_inbound (f->core, TRUE, 5000);
  caller_open (&caller, f->core);

  /* BYE before ACK */
  caller_send_call (&caller, "race-bye", "INVITE", 1, "rb1", NULL, CALLER_SDP);
  incoming = wait_incoming (f, 0);
  g_assert_nonnull (incoming);
  call_id = incoming->call_id;
  dd_sip_core_answer (f->core, call_id);
  ok = caller_receive (&caller, "SIP/2.0 200", 5000);
  g_assert_nonnull (ok);
  tag = to_tag_of (ok);
  caller_send_call (&caller, "race-bye", "BYE", 2, "rb2", tag, NULL);
  bye_ok = caller_receive (&caller, "SIP/2.0 200", 2000);
  ended = dd_sip_event_log_wait (&f->collector, call_id, DD_SIP_EVENT_ENDED, 3000);
  g_assert_nonnull (ended);
  g_test_message ("BYE before ACK: %s; %s", dd_sip_cause_to_string (ended->cause),
                  bye_ok != NULL ? "BYE answered" : "BYE not answered");
  g_assert_cmpint (ended->cause, ==, DD_SIP_CAUSE_COMPLETED);

  /* CANCEL as it rings; our answer comes after it */
  {
    guint before = f->collector.events->len;

    caller_send_call (&caller, "race-cancel", "INVITE", 1, "rc1", NULL, CALLER_SDP);
    incoming = wait_incoming (f, before);
    g_assert_nonnull (incoming);
    call_id = incoming->call_id;
    caller_send_call (&caller, "race-cancel", "CANCEL", 1, "rc1", NULL, NULL);
    cancel_ok = caller_receive (&caller, "SIP/2.0 200", 2000);
    dd_sip_core_answer (f->core, call_id);
    terminated = caller_receive (&caller, "SIP/2.0 487", 2000);
    ended = dd_sip_event_log_wait (&f->collector, call_id, DD_SIP_EVENT_ENDED, 3000);
    g_assert_nonnull (ended);
    g_test_message ("CANCEL while ringing: %s; %s", dd_sip_cause_to_string (ended->cause),
                    terminated != NULL ? "487" : "no 487");
    g_assert_nonnull (cancel_ok);
    g_assert_nonnull (terminated);
    g_assert_cmpint (ended->cause, ==, DD_SIP_CAUSE_CANCELLED);
  }
  caller_close (&caller);
  dd_sip_core_set_inbound (f->core, FALSE, 0);
  assert_line_works (f);
}

/* A callee that never answers at all, not even 100 Trying: our ring time ends the call as not
 * answered (no CANCEL can go before a provisional response), and the line goes on. So does
 * one whose answers are too big to read. */
static void
test_black_hole (Fixture       *f,
                 gconstpointer  data)
{
  const DdSipEvent *ended;
  gint64 start = g_get_monotonic_time ();

  ring_ms = 2000;
  ended = call_to_end (f, "blackhole", NULL, 8000, NULL);
  g_assert_cmpint (ended->cause, ==, DD_SIP_CAUSE_NO_ANSWER);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 5 * G_TIME_SPAN_SECOND);
  g_assert_cmpuint (peer_count (f, "CANCEL"), ==, 0);
  /* its 180 and 200 come with a 60 KB header each: too big to read, as good as none */
  ended = call_to_end (f, "hugeresp", NULL, 8000, NULL);
  ring_ms = RING_MS;
  g_assert_cmpint (ended->cause, ==, DD_SIP_CAUSE_NO_ANSWER);
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
  g_test_add ("/dd/sip-hostile/auth-loop-words", Fixture, NULL, fixture_setup,
              test_auth_loop_words, fixture_teardown);
  g_test_add ("/dd/sip-hostile/bye-before-ack", Fixture, NULL, fixture_setup,
              test_bye_before_ack, fixture_teardown);
  g_test_add ("/dd/sip-hostile/media-abuse", Fixture, NULL, fixture_setup, test_media_abuse,
              fixture_teardown);
  g_test_add ("/dd/sip-hostile/inbound-ack-without-answer", Fixture, NULL, fixture_setup,
              test_inbound_ack_without_answer, fixture_teardown);
  g_test_add ("/dd/sip-hostile/cancel-race", Fixture, NULL, fixture_setup, test_cancel_race,
              fixture_teardown);
  g_test_add ("/dd/sip-hostile/cli-cancel-race", Fixture, NULL, fixture_setup,
              test_cli_cancel_race, fixture_teardown);
  g_test_add ("/dd/sip-hostile/forked-answers", Fixture, NULL, fixture_setup,
              test_forked_answers, fixture_teardown);
  g_test_add ("/dd/sip-hostile/forked-late", Fixture, NULL, fixture_setup, test_forked_late,
              fixture_teardown);
  g_test_add ("/dd/sip-hostile/empty-reinvite", Fixture, NULL, fixture_setup,
              test_empty_reinvite, fixture_teardown);
  g_test_add ("/dd/sip-hostile/tcp-abuse", Fixture, NULL, fixture_setup, test_tcp_abuse,
              fixture_teardown);
  g_test_add ("/dd/sip-hostile/invite-flood", Fixture, NULL, fixture_setup, test_invite_flood,
              fixture_teardown);
  g_test_add ("/dd/sip-hostile/bad-responses", Fixture, NULL, fixture_setup, test_bad_responses,
              fixture_teardown);
  g_test_add ("/dd/sip-hostile/malformed", Fixture, NULL, fixture_setup, test_malformed,
              fixture_teardown);
  g_test_add ("/dd/sip-hostile/cli-malformed", Fixture, NULL, fixture_setup,
              test_cli_malformed, fixture_teardown);
  g_test_add ("/dd/sip-hostile/inbound-races", Fixture, NULL, fixture_setup, test_inbound_races,
              fixture_teardown);
  g_test_add ("/dd/sip-hostile/black-hole", Fixture, NULL, fixture_setup, test_black_hole,
              fixture_teardown);
  return g_test_run ();
}
