/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The SIP engine against real peers on 127.0.0.1: the baresip binary as an auto-answering
 * callee (our prompt reaches it, DTMF both ways, hang-up from either side) and sipp scenarios
 * for the ways a call fails. */
#include "config.h"

#include "dd-test-util.h"
#include "sip-peers.h"
#include "dd-media-wav.h"
#include "dd-call.h"
#include "dd-headset.h"
#include "dd-media-dtmf.h"
#include "dd-sip-core.h"

#include <gio/gio.h>
#include <json-glib/json-glib.h>
#include <math.h>
#include <signal.h>
#include <string.h>

/* The engine's event of @kind for call @call_id, waited for at most @seconds. */
static const DdSipEvent *
wait_event (DdSipEventLog  *log,
            guint           call_id,
            DdSipEventKind  kind,
            guint           seconds)
{
  return dd_sip_event_log_wait (log, call_id, kind, seconds * 1000);
}

/* A tone: what we play, and what baresip must hear. */
static GBytes *
tone (double hz,
      guint  ms)
{
  gsize n = 8 * ms;
  gint16 *samples = g_new (gint16, n);

  for (gsize i = 0; i < n; i++)
    samples[i] = (gint16) (8000 * sin (2 * G_PI * hz * i / 8000.0));
  return g_bytes_new_take (samples, n * sizeof (gint16));
}

/* baresip, auto-answering, recording what it hears */
static DdBaresip *
baresip_start_with (const char *extra_config)
{
  DdBaresipOptions options = { .record = TRUE, .extra_config = extra_config };
  g_autoptr(GError) error = NULL;
  DdBaresip *b = dd_baresip_start (&options, &error);

  g_assert_no_error (error);
  return b;
}

static DdBaresip *
baresip_start (void)
{
  return baresip_start_with (NULL);
}

typedef struct
{
  DdSipEventLog  collector;
  DdSipCore     *core;
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  f->core = dd_sip_event_log_start_core (&f->collector);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  dd_sip_core_stop (f->core);
  /* events still queued for the main context are dropped, not delivered */
  while (g_main_context_iteration (NULL, FALSE))
    ;
  dd_sip_event_log_clear (&f->collector);
}

static guint
dial (Fixture    *f,
      const char *to,
      guint       ring_ms)
{
  guint id = dd_sip_core_new_call_id (f->core);
  DdSipDialParams params = { 0 };

  params.to_uri = to;
  params.from_name = "Biuro Windykacji";
  params.from_uri = "sip:office@127.0.0.1";
  params.contact_user = "office";
  params.ring_timeout_ms = ring_ms;
  dd_sip_core_dial (f->core, id, &params);
  return id;
}

static void
test_baresip_call (Fixture       *f,
                   gconstpointer  data)
{
  DdBaresip *b;
  g_autofree char *to = NULL;
  g_autoptr(GBytes) prompt = tone (1000, 1500);
  const DdSipEvent *event;
  guint id;

  if (!dd_test_have_program ("baresip") || !dd_test_have_program ("sox"))
    {
      g_test_skip ("baresip (baresip-core) or sox is not installed");
      return;
    }
  b = baresip_start ();
  to = g_strdup_printf ("sip:bob@127.0.0.1:%u", b->sip_port);

  id = dial (f, to, 10000);
  event = wait_event (&f->collector, id, DD_SIP_EVENT_ANSWERED, 10);
  g_assert_nonnull (event);
  g_assert_cmpuint (event->status, ==, 200);
  g_assert_true (g_str_equal (event->text, "PCMU") || g_str_equal (event->text, "PCMA"));
  g_assert_true (dd_baresip_wait_said (b, "CALL_ESTABLISHED", 5));

  /* our prompt plays to the end */
  dd_sip_core_play (f->core, id, prompt, 7, TRUE);
  event = wait_event (&f->collector, id, DD_SIP_EVENT_PLAYBACK_FINISHED, 5);
  g_assert_nonnull (event);
  g_assert_cmpuint (event->play_id, ==, 7);
  g_assert_false (event->interrupted);

  /* the debtor presses 5 at baresip: it arrives as an RFC 4733 digit */
  dd_baresip_command (b, "sndcode", "5", NULL);
  event = wait_event (&f->collector, id, DD_SIP_EVENT_DTMF, 5);
  g_assert_nonnull (event);
  g_assert_cmpint (event->digit, ==, '5');

  /* our digits reach baresip */
  dd_sip_core_send_dtmf (f->core, id, "7");
  g_assert_true (dd_baresip_wait_said (b, "CALL_DTMF_START", 5));
  g_assert_true (dd_baresip_said (b, "\"param\":\"7\""));

  /* we hang up: ended, completed, by us; baresip saw the BYE */
  dd_sip_core_hangup (f->core, id, 0);
  event = wait_event (&f->collector, id, DD_SIP_EVENT_ENDED, 5);
  g_assert_nonnull (event);
  g_assert_cmpint (event->cause, ==, DD_SIP_CAUSE_COMPLETED);
  g_assert_true (event->local);
  g_assert_cmpuint (event->rtp_sent, >, 75);       /* 1.5 s of prompt and more */
  g_assert_cmpuint (event->rtp_received, >, 50);
  g_assert_true (dd_baresip_wait_said (b, "CALL_CLOSED", 5));

  /* baresip heard the prompt: its recording of what it received holds 1.5 s of our 1000 Hz */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(GBytes) received = NULL;
    g_autofree char *path = dd_baresip_heard_path (b);
    const gint16 *samples;
    gsize n = 0, loud = 0;
    guint rate = 0, channels = 0;

    received = dd_wav_read (path, &rate, &channels, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (rate, ==, 8000);
    samples = g_bytes_get_data (received, &n);
    n /= sizeof (gint16) * channels;
    /* 20 ms windows where the 1000 Hz tone dominates */
    for (gsize i = 0; i + 160 <= n; i += 160)
      if (dd_tone_power (samples + i * channels, 160, 1000) > 1e5 &&
          dd_tone_power (samples + i * channels, 160, 1000) >
          10 * dd_tone_power (samples + i * channels, 160, 300))
        loud++;
    g_test_message ("baresip heard %zu windows of the prompt in %zu samples", loud, n);
    g_assert_cmpuint (loud, >=, 70);    /* 1.5 s = 75 windows, give or take the edges */
    g_assert_cmpuint (loud, <=, 80);
  }

  /* a second call, hung up by the far end */
  id = dial (f, to, 10000);
  g_assert_nonnull (wait_event (&f->collector, id, DD_SIP_EVENT_ANSWERED, 10));
  g_usleep (300 * 1000);
  dd_baresip_command (b, "hangup", NULL, NULL);
  event = wait_event (&f->collector, id, DD_SIP_EVENT_ENDED, 5);
  g_assert_nonnull (event);
  g_assert_cmpint (event->cause, ==, DD_SIP_CAUSE_COMPLETED);
  g_assert_false (event->local);

  dd_baresip_stop (b);
}

/* dunning-desk-cli call: speaks, collects the keys, records, reports */
static void
test_cli_call (void)
{
  const char *cli = g_getenv ("DD_CLI");
  DdBaresip *b;
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GBytes) out = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GBytes) recorded = NULL;
  g_autofree char *to = NULL;
  g_autofree char *record = NULL;
  JsonObject *result;
  guint rate = 0, channels = 0;

  if (cli == NULL || !dd_test_have_program ("baresip") || !dd_test_have_program ("sox"))
    {
      g_test_skip ("needs DD_CLI, baresip and sox");
      return;
    }
  b = baresip_start ();
  to = g_strdup_printf ("sip:bob@127.0.0.1:%u", b->sip_port);
  record = g_build_filename (b->dir, "heard.wav", NULL);
  {
    const char *argv[] = { cli, "call", to, "--say", "Dzień dobry. Naciśnij jeden, aby usłyszeć "
                           "szczegóły faktury.", "--voice", "pl", "--expect-digits", "2",
                           "--record", record, "--json", NULL };

    process = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error);
    g_assert_no_error (error);
  }
  g_assert_true (dd_baresip_wait_said (b, "CALL_ESTABLISHED", 15));
  g_usleep (800 * 1000);
  dd_baresip_command (b, "sndcode", "4", NULL);
  g_usleep (400 * 1000);
  dd_baresip_command (b, "sndcode", "2", NULL);
  g_assert_true (g_subprocess_communicate (process, NULL, NULL, &out, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 0);
  g_assert_true (json_parser_load_from_data (parser, g_bytes_get_data (out, NULL),
                                             (gssize) g_bytes_get_size (out), &error));
  result = json_node_get_object (json_parser_get_root (parser));
  g_assert_true (json_object_get_boolean_member (result, "answered"));
  g_assert_cmpstr (json_object_get_string_member (result, "digits"), ==, "42");
  g_assert_cmpstr (json_object_get_string_member (result, "cause"), ==, "completed");
  g_assert_true (dd_baresip_wait_said (b, "CALL_CLOSED", 5));

  /* what baresip sent us was recorded: its tone, for about as long as the call lasted */
  recorded = dd_wav_read (record, &rate, &channels, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rate, ==, 8000);
  g_assert_cmpuint (g_bytes_get_size (recorded), >, 8000 * 2);
  {
    gsize size = 0;
    const gint16 *samples = g_bytes_get_data (recorded, &size);
    double sum = 0;

    for (gsize i = 0; i < size / 2; i++)
      sum += (double) samples[i] * samples[i];
    g_assert_cmpfloat (sqrt (sum / (size / 2)), >, 300);
  }
  dd_baresip_stop (b);
}

/* sipp as a callee that answers each INVITE with @status (after ringing when @ring). */
static GSubprocess *
sipp_uas (const char *dir,
          guint       port,
          guint       status,
          gboolean    never_answer)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *scenario = NULL;
  g_autofree char *path = g_strdup_printf ("%s/uas-%u.xml", dir, status);
  g_autofree char *log = g_strdup_printf ("%s/sipp-%u.log", dir, status);
  const char * const extra[] = { "-m", "1", NULL };
  GSubprocess *process;

  if (never_answer)
    scenario = g_strdup (
      "<?xml version=\"1.0\" encoding=\"ISO-8859-1\" ?>\n"
      "<scenario name=\"ring\">\n"
      "<recv request=\"INVITE\"/>\n"
      "<send><![CDATA[\nSIP/2.0 180 Ringing\n[last_Via:]\n[last_From:]\n[last_To:];tag=[pid]SIPpTag01[call_number]\n"
      "[last_Call-ID:]\n[last_CSeq:]\nContact: <sip:[local_ip]:[local_port];transport=[transport]>\nContent-Length: 0\n\n]]></send>\n"
      "<recv request=\"CANCEL\"/>\n"
      "<send><![CDATA[\nSIP/2.0 200 OK\n[last_Via:]\n[last_From:]\n[last_To:]\n[last_Call-ID:]\n[last_CSeq:]\nContent-Length: 0\n\n]]></send>\n"
      "<send><![CDATA[\nSIP/2.0 487 Request Terminated\n[last_Via:]\n[last_From:]\n[last_To:];tag=[pid]SIPpTag01[call_number]\n"
      "[last_Call-ID:]\nCSeq: [cseq] INVITE\nContent-Length: 0\n\n]]></send>\n"
      "<recv request=\"ACK\"/>\n"
      "</scenario>\n");
  else
    scenario = g_strdup_printf (
      "<?xml version=\"1.0\" encoding=\"ISO-8859-1\" ?>\n"
      "<scenario name=\"reject\">\n"
      "<recv request=\"INVITE\"/>\n"
      "<send><![CDATA[\nSIP/2.0 %u Refused Here\n[last_Via:]\n[last_From:]\n[last_To:];tag=[pid]SIPpTag01[call_number]\n"
      "[last_Call-ID:]\n[last_CSeq:]\nContent-Length: 0\n\n]]></send>\n"
      "<recv request=\"ACK\"/>\n"
      "</scenario>\n", status);
  g_assert_true (g_file_set_contents (path, scenario, -1, NULL));
  process = dd_sipp_spawn (port, path, log, extra, &error);
  g_assert_no_error (error);
  g_usleep (400 * 1000);
  return process;
}

static void
test_sipp_failures (Fixture       *f,
                    gconstpointer  data)
{
  static const struct { guint status; DdSipCause cause; } cases[] = {
    { 486, DD_SIP_CAUSE_BUSY },
    { 603, DD_SIP_CAUSE_REJECTED },
    { 404, DD_SIP_CAUSE_INVALID_NUMBER },
    { 480, DD_SIP_CAUSE_NO_ANSWER },
    { 503, DD_SIP_CAUSE_UNREACHABLE },
  };
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;

  if (!dd_test_have_program ("sipp"))
    {
      g_test_skip ("sipp (sip-tester) is not installed");
      return;
    }
  dir = g_dir_make_tmp ("dd-sipp-XXXXXX", &error);
  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      guint port = dd_test_free_port (G_SOCKET_PROTOCOL_UDP);
      g_autoptr(GSubprocess) sipp = sipp_uas (dir, port, cases[i].status, FALSE);
      g_autofree char *to = g_strdup_printf ("sip:debtor@127.0.0.1:%u", port);
      guint id = dial (f, to, 10000);
      const DdSipEvent *event = wait_event (&f->collector, id, DD_SIP_EVENT_ENDED, 10);

      g_test_message ("status %u", cases[i].status);
      g_assert_nonnull (event);
      g_assert_cmpuint (event->status, ==, cases[i].status);
      g_assert_cmpint (event->cause, ==, cases[i].cause);
      g_assert_false (event->local);
      g_subprocess_wait (sipp, NULL, NULL);
    }

  /* ringing that nobody answers: our ring timeout cancels the call */
  {
    guint port = dd_test_free_port (G_SOCKET_PROTOCOL_UDP);
    g_autoptr(GSubprocess) sipp = sipp_uas (dir, port, 180, TRUE);
    g_autofree char *to = g_strdup_printf ("sip:debtor@127.0.0.1:%u", port);
    guint id = dial (f, to, 1500);
    const DdSipEvent *event;

    g_assert_nonnull (wait_event (&f->collector, id, DD_SIP_EVENT_RINGING, 5));
    event = wait_event (&f->collector, id, DD_SIP_EVENT_ENDED, 10);
    g_assert_nonnull (event);
    g_assert_cmpint (event->cause, ==, DD_SIP_CAUSE_NO_ANSWER);
    g_subprocess_wait (sipp, NULL, NULL);
    g_assert_true (g_subprocess_get_if_exited (sipp));
    g_assert_cmpint (g_subprocess_get_exit_status (sipp), ==, 0);   /* it saw our CANCEL */
  }
  dd_test_remove_tree (dir);
}

/* G.711 µ-law, for the file sipp streams */
static guint8
ulaw (gint16 sample)
{
  const int bias = 0x84;
  int sign = sample < 0 ? 0x80 : 0;
  int value = sample < 0 ? -(int) sample : sample;
  int exponent = 7;

  value = MIN (value, 32635) + bias;
  for (int mask = 0x4000; exponent > 0 && !(value & mask); exponent--, mask >>= 1)
    ;
  return (guint8) ~(sign | (exponent << 4) | ((value >> (exponent + 3)) & 0x0f));
}

/* Early media (183 with SDP), then an answer and keys pressed as tones (no RFC 4733): sipp. */
static void
test_early_media_in_band (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *audio = NULL;
  g_autofree char *scenario_path = NULL;
  g_autofree char *scenario = NULL;
  g_autofree char *to = NULL;
  g_autofree char *media_port_text = NULL;
  g_autofree char *log = NULL;
  g_autoptr(GByteArray) ul = g_byte_array_new ();
  g_autoptr(GSubprocess) sipp = NULL;
  g_autoptr(GString) heard = g_string_new (NULL);
  const DdSipEvent *event;
  guint port = dd_test_free_port (G_SOCKET_PROTOCOL_UDP), media_port = dd_test_free_port (G_SOCKET_PROTOCOL_UDP);
  gint64 deadline;
  guint id;

  if (!dd_test_have_program ("sipp"))
    {
      g_test_skip ("sipp (sip-tester) is not installed");
      return;
    }
  dir = g_dir_make_tmp ("dd-sipp-XXXXXX", &error);
  g_assert_no_error (error);

  /* half a second of silence, then 5, 0 and # as 120 ms tones with 120 ms gaps */
  for (guint i = 0; i < 4000; i++)
    g_byte_array_append (ul, (guint8[]) { ulaw (0) }, 1);
  for (const char *p = "50#"; *p; p++)
    {
      gint16 tone[960];

      g_assert_true (dd_dtmf_synthesize (*p, 8000, 0.25, tone, G_N_ELEMENTS (tone)));
      for (guint i = 0; i < G_N_ELEMENTS (tone); i++)
        g_byte_array_append (ul, (guint8[]) { ulaw (tone[i]) }, 1);
      for (guint i = 0; i < 960; i++)
        g_byte_array_append (ul, (guint8[]) { ulaw (0) }, 1);
    }
  audio = g_build_filename (dir, "keys.ul", NULL);
  g_assert_true (g_file_set_contents (audio, (const char *) ul->data, ul->len, NULL));

  scenario = g_strdup_printf (
    "<?xml version=\"1.0\" encoding=\"ISO-8859-1\" ?>\n"
    "<scenario name=\"early-media-in-band\">\n"
    "<recv request=\"INVITE\"/>\n"
    "<send><![CDATA[\nSIP/2.0 183 Session Progress\n[last_Via:]\n[last_From:]\n"
    "[last_To:];tag=[pid]SIPpTag01[call_number]\n[last_Call-ID:]\n[last_CSeq:]\n"
    "Contact: <sip:[local_ip]:[local_port];transport=[transport]>\nContent-Type: application/sdp\n"
    "Content-Length: [len]\n\nv=0\no=- 1 1 IN IP4 [media_ip]\ns=-\nc=IN IP4 [media_ip]\nt=0 0\n"
    "m=audio [media_port] RTP/AVP 0\na=rtpmap:0 PCMU/8000\n]]></send>\n"
    "<pause milliseconds=\"300\"/>\n"
    "<send><![CDATA[\nSIP/2.0 200 OK\n[last_Via:]\n[last_From:]\n"
    "[last_To:];tag=[pid]SIPpTag01[call_number]\n[last_Call-ID:]\n[last_CSeq:]\n"
    "Contact: <sip:[local_ip]:[local_port];transport=[transport]>\nContent-Type: application/sdp\n"
    "Content-Length: [len]\n\nv=0\no=- 1 1 IN IP4 [media_ip]\ns=-\nc=IN IP4 [media_ip]\nt=0 0\n"
    "m=audio [media_port] RTP/AVP 0\na=rtpmap:0 PCMU/8000\n]]></send>\n"
    "<recv request=\"ACK\"/>\n"
    "<nop><action><exec rtp_stream=\"%s,1,0\"/></action></nop>\n"
    "<recv request=\"BYE\"/>\n"
    "<send><![CDATA[\nSIP/2.0 200 OK\n[last_Via:]\n[last_From:]\n[last_To:]\n[last_Call-ID:]\n"
    "[last_CSeq:]\nContent-Length: 0\n\n]]></send>\n"
    "</scenario>\n", audio);
  scenario_path = g_build_filename (dir, "early.xml", NULL);
  g_assert_true (g_file_set_contents (scenario_path, scenario, -1, NULL));
  media_port_text = g_strdup_printf ("%u", media_port);
  log = g_build_filename (dir, "sipp.log", NULL);
  {
    const char * const extra[] = { "-mp", media_port_text, "-m", "1", NULL };

    sipp = dd_sipp_spawn (port, scenario_path, log, extra, &error);
    g_assert_no_error (error);
  }
  g_usleep (400 * 1000);

  to = g_strdup_printf ("sip:debtor@127.0.0.1:%u", port);
  id = dial (f, to, 10000);
  g_assert_nonnull (wait_event (&f->collector, id, DD_SIP_EVENT_EARLY_MEDIA, 10));
  g_assert_nonnull (wait_event (&f->collector, id, DD_SIP_EVENT_ANSWERED, 10));
  g_assert_cmpstr (wait_event (&f->collector, id, DD_SIP_EVENT_ANSWERED, 1)->text, ==, "PCMU");

  deadline = g_get_monotonic_time () + 10 * G_TIME_SPAN_SECOND;
  while (heard->len < 3 && g_get_monotonic_time () < deadline)
    {
      g_string_truncate (heard, 0);
      for (guint i = 0; i < f->collector.events->len; i++)
        {
          const DdSipEvent *e = g_ptr_array_index (f->collector.events, i);

          if (e->call_id == id && e->kind == DD_SIP_EVENT_DTMF)
            {
              g_assert_true (e->in_band);
              g_string_append_c (heard, e->digit);
            }
        }
      g_main_context_iteration (NULL, FALSE);
      g_usleep (5000);
    }
  g_assert_cmpstr (heard->str, ==, "50#");

  dd_sip_core_hangup (f->core, id, 0);
  event = wait_event (&f->collector, id, DD_SIP_EVENT_ENDED, 5);
  g_assert_nonnull (event);
  g_assert_cmpint (event->cause, ==, DD_SIP_CAUSE_COMPLETED);
  g_assert_true (g_subprocess_wait (sipp, NULL, NULL));
  g_assert_cmpint (g_subprocess_get_exit_status (sipp), ==, 0);
  dd_test_remove_tree (dir);
}

/* A UDP socket on 127.0.0.1 (the RTP port even, its RTCP neighbour bound too). */
static GSocket *
udp_socket (guint16  port,
            GError **error)
{
  g_autoptr(GSocket) socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_DATAGRAM,
                                            G_SOCKET_PROTOCOL_UDP, error);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, port);

  if (socket == NULL || !g_socket_bind (socket, address, FALSE, error))
    return NULL;
  g_socket_set_blocking (socket, FALSE);
  return g_steal_pointer (&socket);
}

static guint16
socket_port (GSocket *socket)
{
  g_autoptr(GSocketAddress) address = g_socket_get_local_address (socket, NULL);

  return g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (address));
}

/* Waits for a datagram (running the main context meanwhile); its length, or -1. */
static gssize
receive_within (GSocket         *socket,
                guint8          *buffer,
                gsize            size,
                GSocketAddress **from,
                guint            ms)
{
  gint64 deadline = g_get_monotonic_time () + ms * 1000;

  while (g_get_monotonic_time () < deadline)
    {
      gssize n = g_socket_receive_from (socket, from, (char *) buffer, size, NULL, NULL);

      if (n >= 0)
        return n;
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
  return -1;
}

/* The media path against sipp answering with our own sockets as its media: what we send is
 * paced RTP with RTCP sender reports; what arrives out of order, twice or not at all goes
 * through the jitter buffer into the recording in order, the lost frame as silence; a
 * re-INVITE moving the peer's media is followed at once. */
static void
test_media_path (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocket) rtp_a = NULL;
  g_autoptr(GSocket) rtcp_a = NULL;
  g_autoptr(GSocket) rtp_b = NULL;
  g_autoptr(GSocketAddress) ours = NULL;
  g_autoptr(GSocketAddress) ours_rtcp = NULL;
  g_autoptr(GSubprocess) sipp = NULL;
  g_autoptr(GBytes) recorded = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *scenario = NULL;
  g_autofree char *scenario_path = NULL;
  g_autofree char *wav = NULL;
  g_autofree char *log = NULL;
  g_autofree char *to = NULL;
  g_autoptr(GArray) levels = g_array_new (FALSE, FALSE, sizeof (gint16));
  DdWavWriter *writer;
  const DdSipEvent *event;
  guint8 packet[1500];
  guint32 our_ssrc;
  gssize n;
  guint port = dd_test_free_port (G_SOCKET_PROTOCOL_UDP);
  guint id;
  gint64 start;
  const gint16 *samples;
  gsize size = 0, run = 0;

  if (!dd_test_have_program ("sipp"))
    {
      g_test_skip ("sipp (sip-tester) is not installed");
      return;
    }
  /* the peer's media: A (with its RTCP port next to it) at first, B after the re-INVITE */
  for (guint tries = 0; rtcp_a == NULL && tries < 50; tries++)
    {
      g_clear_object (&rtp_a);
      rtp_a = udp_socket (0, NULL);
      g_assert_nonnull (rtp_a);
      rtcp_a = udp_socket (socket_port (rtp_a) + 1, NULL);
    }
  g_assert_nonnull (rtcp_a);
  rtp_b = udp_socket (0, &error);
  g_assert_no_error (error);

  dir = g_dir_make_tmp ("dd-sipp-XXXXXX", &error);
  g_assert_no_error (error);
  scenario = g_strdup_printf (
    "<?xml version=\"1.0\" encoding=\"ISO-8859-1\" ?>\n"
    "<scenario name=\"media-path\">\n"
    "<recv request=\"INVITE\">\n"
    "  <action>\n"
    "    <ereg regexp=\".*\" search_in=\"hdr\" header=\"From:\" assign_to=\"from\"/>\n"
    "    <ereg regexp=\"sip:[^>;]*\" search_in=\"hdr\" header=\"Contact:\" assign_to=\"contact\"/>\n"
    "  </action>\n"
    "</recv>\n"
    "<send><![CDATA[\nSIP/2.0 200 OK\n[last_Via:]\n[last_From:]\n"
    "[last_To:];tag=[pid]SIPpTag01[call_number]\n[last_Call-ID:]\n[last_CSeq:]\n"
    "Contact: <sip:debtor@[local_ip]:[local_port]>\nContent-Type: application/sdp\n"
    "Content-Length: [len]\n\nv=0\no=- 1 1 IN IP4 127.0.0.1\ns=-\nc=IN IP4 127.0.0.1\nt=0 0\n"
    "m=audio %u RTP/AVP 0\na=rtpmap:0 PCMU/8000\n]]></send>\n"
    "<recv request=\"ACK\"/>\n"
    "<pause milliseconds=\"7500\"/>\n"
    "<send retrans=\"500\"><![CDATA[\nINVITE [$contact] SIP/2.0\n"
    "Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]\n"
    "From: <sip:debtor@[local_ip]:[local_port]>;tag=[pid]SIPpTag01[call_number]\n"
    "To:[$from]\nCall-ID: [call_id]\nCSeq: 1 INVITE\n"
    "Contact: <sip:debtor@[local_ip]:[local_port]>\nMax-Forwards: 70\n"
    "Content-Type: application/sdp\nContent-Length: [len]\n\n"
    "v=0\no=- 1 2 IN IP4 127.0.0.1\ns=-\nc=IN IP4 127.0.0.1\nt=0 0\n"
    "m=audio %u RTP/AVP 0\na=rtpmap:0 PCMU/8000\n]]></send>\n"
    "<recv response=\"100\" optional=\"true\"/>\n"
    "<recv response=\"200\"/>\n"
    "<send><![CDATA[\nACK [$contact] SIP/2.0\n"
    "Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]\n"
    "From: <sip:debtor@[local_ip]:[local_port]>;tag=[pid]SIPpTag01[call_number]\n"
    "To:[$from]\nCall-ID: [call_id]\nCSeq: 1 ACK\nMax-Forwards: 70\nContent-Length: 0\n\n]]></send>\n"
    "<recv request=\"BYE\"/>\n"
    "<send><![CDATA[\nSIP/2.0 200 OK\n[last_Via:]\n[last_From:]\n[last_To:]\n[last_Call-ID:]\n"
    "[last_CSeq:]\nContent-Length: 0\n\n]]></send>\n"
    "</scenario>\n", socket_port (rtp_a), socket_port (rtp_b));
  scenario_path = g_build_filename (dir, "media.xml", NULL);
  g_assert_true (g_file_set_contents (scenario_path, scenario, -1, NULL));
  log = g_build_filename (dir, "sipp.log", NULL);
  {
    const char * const extra[] = { "-m", "1", "-trace_err", NULL };

    sipp = dd_sipp_spawn (port, scenario_path, log, extra, &error);
    g_assert_no_error (error);
  }
  g_usleep (400 * 1000);

  to = g_strdup_printf ("sip:debtor@127.0.0.1:%u", port);
  id = dial (f, to, 10000);
  g_assert_nonnull (wait_event (&f->collector, id, DD_SIP_EVENT_ANSWERED, 10));
  start = g_get_monotonic_time ();
  wav = g_build_filename (dir, "heard.wav", NULL);
  writer = dd_wav_writer_open (wav, 8000, 1, &error);
  g_assert_no_error (error);
  dd_sip_core_record (f->core, id, writer);

  /* our RTP: PCMU, 160 bytes every 20 ms, from the port the SDP offered */
  n = receive_within (rtp_a, packet, sizeof packet, &ours, 2000);
  g_assert_cmpint (n, ==, 12 + 160);
  g_assert_cmpint (packet[0] >> 6, ==, 2);
  g_assert_cmpint (packet[1] & 0x7f, ==, 0);
  our_ssrc = GUINT32_FROM_BE (*(guint32 *) (packet + 8));

  /* 60 frames back: frame k is one µ-law code, rising; pairs swapped and sent together, frame
   * 30 never, frame 40 twice */
  for (guint k = 0; k < 60; k += 2)
    {
      gint64 due = g_get_monotonic_time () + 40000;

      for (guint j = 0; j < 2; j++)
        {
          guint frame = k + 1 - j;
          guint8 rtp[12 + 160];
          guint16 seq = (guint16) (65500 + frame);   /* across the wrap-around */
          guint32 ts = 8000 + frame * 160;

          if (frame == 30)
            continue;
          rtp[0] = 0x80;
          rtp[1] = 0;
          rtp[2] = seq >> 8;
          rtp[3] = seq & 0xff;
          rtp[4] = ts >> 24;
          rtp[5] = (ts >> 16) & 0xff;
          rtp[6] = (ts >> 8) & 0xff;
          rtp[7] = ts & 0xff;
          memcpy (rtp + 8, (guint8[]) { 0x12, 0x34, 0x56, 0x78 }, 4);
          memset (rtp + 12, 0xfd - frame, 160);
          for (guint copies = frame == 40 ? 2 : 1; copies > 0; copies--)
            g_assert_cmpint (g_socket_send_to (rtp_a, ours, (char *) rtp, sizeof rtp, NULL,
                                               &error), ==, sizeof rtp);
        }
      while (g_get_monotonic_time () < due)
        {
          while (g_socket_receive (rtp_a, (char *) packet, sizeof packet, NULL, NULL) > 0)
            ;
          g_main_context_iteration (NULL, FALSE);
          g_usleep (1000);
        }
    }

  /* a receiver report of ours to the engine's RTCP port (its RTP port + 1) */
  ours_rtcp = g_inet_socket_address_new (
    g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (ours)),
    g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (ours)) + 1);
  {
    const guint8 rr[] = { 0x80, 201, 0x00, 0x01, 0x12, 0x34, 0x56, 0x78 };

    g_assert_cmpint (g_socket_send_to (rtcp_a, ours_rtcp, (const char *) rr, sizeof rr, NULL,
                                       &error), ==, sizeof rr);
  }

  /* a sender report from us within about 5 s of the start, about our stream */
  n = receive_within (rtcp_a, packet, sizeof packet, NULL,
                      (guint) MAX (0, 7000 - (g_get_monotonic_time () - start) / 1000));
  g_assert_cmpint (n, >=, 28);
  g_assert_cmpint (packet[0] >> 6, ==, 2);
  g_assert_cmpint (packet[1], ==, 200);
  g_assert_cmpuint (GUINT32_FROM_BE (*(guint32 *) (packet + 4)), ==, our_ssrc);
  g_assert_cmpuint (GUINT32_FROM_BE (*(guint32 *) (packet + 20)), >, 100);   /* packets sent */

  /* the re-INVITE moves the peer's media to B: our stream follows, the same SSRC */
  n = receive_within (rtp_b, packet, sizeof packet, NULL, 5000);
  g_assert_cmpint (n, ==, 12 + 160);
  g_assert_cmpuint (GUINT32_FROM_BE (*(guint32 *) (packet + 8)), ==, our_ssrc);

  dd_sip_core_hangup (f->core, id, 0);
  event = wait_event (&f->collector, id, DD_SIP_EVENT_ENDED, 5);
  g_assert_nonnull (event);
  g_assert_cmpint (event->cause, ==, DD_SIP_CAUSE_COMPLETED);
  g_assert_cmpuint (event->rtp_lost, ==, 1);        /* frame 30 */
  g_assert_cmpuint (event->rtp_late, ==, 1);        /* frame 40's copy */
  g_assert_cmpuint (event->rtcp_received, >=, 1);
  g_assert_true (dd_wav_writer_close (writer, &error));
  g_assert_no_error (error);
  g_assert_true (g_subprocess_wait (sipp, NULL, NULL));
  g_assert_cmpint (g_subprocess_get_exit_status (sipp), ==, 0);

  /* the recording: 160-sample runs, in order, rising, with one frame of silence for 30 */
  recorded = dd_wav_read (wav, NULL, NULL, &error);
  g_assert_no_error (error);
  samples = g_bytes_get_data (recorded, &size);
  size /= sizeof (gint16);
  for (gsize i = 0; i <= size; i++)
    {
      if (i > 0 && (i == size || samples[i] != samples[i - 1]))
        {
          g_assert_cmpuint (run % 160, ==, 0);
          for (gsize r = 0; r < run / 160; r++)
            g_array_append_val (levels, samples[i - 1]);
          run = 0;
        }
      run++;
    }
  g_assert_cmpuint (levels->len, ==, 60);
  for (guint k = 0; k < 60; k++)
    {
      gint16 level = g_array_index (levels, gint16, k);

      if (k == 30)
        g_assert_cmpint (level, ==, 0);
      else
        g_assert_cmpint (level, >, k == 31 ? g_array_index (levels, gint16, 29)
                                           : k > 0 ? g_array_index (levels, gint16, k - 1) : 0);
    }
  dd_test_remove_tree (dir);
}

/* Inbound calls */

typedef struct
{
  const char *action;      /* what the desk does: "answer", "reject", "ring" */
  DdCall     *call;        /* the incoming call (a reference) */
} Desk;

static void
on_incoming_call (DdSipEngine *engine,
                  DdCall      *call,
                  Desk        *desk)
{
  g_assert_true (dd_call_is_inbound (call));
  g_assert_cmpint (dd_call_get_state (call), ==, DD_CALL_STATE_RINGING);
  g_set_object (&desk->call, call);
  if (g_strcmp0 (desk->action, "answer") == 0)
    dd_call_answer (call);
  else if (g_strcmp0 (desk->action, "reject") == 0)
    dd_call_reject (call, 603);
}

/* sipp as the caller: @body is the scenario after the INVITE and its provisional responses;
 * INVITE, CANCEL and a non-2xx ACK share one branch, as RFC 3261 asks. */
static GSubprocess *
sipp_uac (const char *dir,
          const char *name,
          guint       target_port,
          gboolean    rings,
          const char *body)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *scenario = NULL;
  g_autofree char *path = g_strdup_printf ("%s/%s.xml", dir, name);
  g_autofree char *log = g_strdup_printf ("%s/%s.log", dir, name);
  g_autofree char *target = g_strdup_printf ("127.0.0.1:%u", target_port);
  const char * const extra[] = { "-m", "1", "-trace_err", target, NULL };
  GSubprocess *process;

  scenario = g_strdup_printf (
    "<?xml version=\"1.0\" encoding=\"ISO-8859-1\" ?>\n"
    "<scenario name=\"%s\">\n"
    "<send retrans=\"500\"><![CDATA[\nINVITE sip:desk@[remote_ip]:[remote_port] SIP/2.0\n"
    "Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=z9hG4bK-dd-invite\n"
    "From: \"Jan Kowalski\" <sip:48600100200@[local_ip]:[local_port]>;tag=caller[call_number]\n"
    "To: <sip:desk@[remote_ip]:[remote_port]>\nCall-ID: [call_id]\nCSeq: 1 INVITE\n"
    "Contact: <sip:48600100200@[local_ip]:[local_port]>\nMax-Forwards: 70\n"
    "Content-Type: application/sdp\nContent-Length: [len]\n\n"
    "v=0\no=- 1 1 IN IP4 [local_ip]\ns=-\nc=IN IP4 [media_ip]\nt=0 0\n"
    "m=audio [media_port] RTP/AVP 8 101\na=rtpmap:8 PCMA/8000\n"
    "a=rtpmap:101 telephone-event/8000\n]]></send>\n"
    "<recv response=\"100\" optional=\"true\"/>\n"
    "%s"
    "%s"
    "</scenario>\n", name, rings ? "<recv response=\"180\"/>\n" : "", body);
  g_assert_true (g_file_set_contents (path, scenario, -1, NULL));
  process = dd_sipp_spawn (dd_test_free_port (G_SOCKET_PROTOCOL_UDP), path, log, extra, &error);
  g_assert_no_error (error);
  return process;
}

#define SIPP_ACK_NON_2XX \
  "<send><![CDATA[\nACK sip:desk@[remote_ip]:[remote_port] SIP/2.0\n" \
  "Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=z9hG4bK-dd-invite\n" \
  "[last_From:]\n[last_To:]\nCall-ID: [call_id]\nCSeq: 1 ACK\nMax-Forwards: 70\n" \
  "Content-Length: 0\n\n]]></send>\n"

static DdCall *
wait_ended_call (Desk  *desk,
                 guint  seconds)
{
  gint64 deadline = g_get_monotonic_time () + seconds * G_TIME_SPAN_SECOND;

  while ((desk->call == NULL || dd_call_get_state (desk->call) != DD_CALL_STATE_ENDED) &&
         g_get_monotonic_time () < deadline)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (2000);
    }
  return desk->call;
}

static void
finish_sipp (GSubprocess *sipp)
{
  gint64 deadline = g_get_monotonic_time () + 10 * G_TIME_SPAN_SECOND;

  while (g_subprocess_get_identifier (sipp) != NULL && g_get_monotonic_time () < deadline)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (5000);
    }
  g_assert_true (g_subprocess_wait (sipp, NULL, NULL));
  g_assert_true (g_subprocess_get_if_exited (sipp));
  g_assert_cmpint (g_subprocess_get_exit_status (sipp), ==, 0);
}

/* Calls to the desk from sipp: answered and hung up by the caller, declined, cancelled by the
 * caller, unanswered until the ring timeout, and refused busy with nobody to take them. */
static void
test_inbound_sipp (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DdSipEngine) engine = NULL;
  g_autofree char *dir = NULL;
  Desk desk = { 0 };
  gulong handler;
  guint port;

  if (!dd_test_have_program ("sipp"))
    {
      g_test_skip ("sipp (sip-tester) is not installed");
      return;
    }
  dir = g_dir_make_tmp ("dd-sipp-XXXXXX", &error);
  g_assert_no_error (error);
  engine = dd_sip_engine_new ("127.0.0.1", 0, &error);
  g_assert_no_error (error);
  port = dd_sip_engine_get_port (engine);
  dd_sip_engine_set_inbound (engine, TRUE, 0);
  handler = g_signal_connect (engine, "incoming-call", G_CALLBACK (on_incoming_call), &desk);

  /* answered; the caller hangs up after a second */
  {
    g_autoptr(GSubprocess) sipp = NULL;
    DdCall *call;

    desk.action = "answer";
    sipp = sipp_uac (dir, "answered", port, TRUE,
      "<recv response=\"200\" rtd=\"true\"/>\n"
      "<send><![CDATA[\nACK sip:desk@[remote_ip]:[remote_port] SIP/2.0\n"
      "Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]\n"
      "[last_From:]\n[last_To:]\nCall-ID: [call_id]\nCSeq: 1 ACK\nMax-Forwards: 70\n"
      "Content-Length: 0\n\n]]></send>\n"
      "<pause milliseconds=\"1000\"/>\n"
      "<send retrans=\"500\"><![CDATA[\nBYE sip:desk@[remote_ip]:[remote_port] SIP/2.0\n"
      "Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]\n"
      "[last_From:]\n[last_To:]\nCall-ID: [call_id]\nCSeq: 2 BYE\nMax-Forwards: 70\n"
      "Content-Length: 0\n\n]]></send>\n"
      "<recv response=\"200\"/>\n");
    call = wait_ended_call (&desk, 10);
    g_assert_nonnull (call);
    g_assert_cmpint (dd_call_get_state (call), ==, DD_CALL_STATE_ENDED);
    g_assert_cmpint (dd_call_get_end_cause (call), ==, DD_CALL_END_COMPLETED);
    g_assert_cmpstr (dd_call_get_remote_name (call), ==, "Jan Kowalski");
    g_assert_true (g_str_has_prefix (dd_call_get_uri (call), "sip:48600100200@127.0.0.1"));
    {
      g_autofree char *local = g_strdup_printf ("sip:desk@127.0.0.1:%u", port);

      g_assert_cmpstr (dd_call_get_local_uri (call), ==, local);
    }
    finish_sipp (sipp);
    g_clear_object (&desk.call);
  }

  /* declined (603) */
  {
    g_autoptr(GSubprocess) sipp = NULL;
    DdCall *call;

    desk.action = "reject";
    sipp = sipp_uac (dir, "declined", port, TRUE, "<recv response=\"603\"/>\n" SIPP_ACK_NON_2XX);
    call = wait_ended_call (&desk, 10);
    g_assert_nonnull (call);
    g_assert_cmpint (dd_call_get_end_cause (call), ==, DD_CALL_END_REJECTED);
    g_assert_cmpuint (dd_call_get_sip_status (call), ==, 603);
    finish_sipp (sipp);
    g_clear_object (&desk.call);
  }

  /* the caller gives up while it rings */
  {
    g_autoptr(GSubprocess) sipp = NULL;
    DdCall *call;

    desk.action = "ring";
    sipp = sipp_uac (dir, "cancelled", port, TRUE,
      "<pause milliseconds=\"500\"/>\n"
      "<send><![CDATA[\nCANCEL sip:desk@[remote_ip]:[remote_port] SIP/2.0\n"
      "Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=z9hG4bK-dd-invite\n"
      "From: \"Jan Kowalski\" <sip:48600100200@[local_ip]:[local_port]>;tag=caller[call_number]\n"
      "To: <sip:desk@[remote_ip]:[remote_port]>\nCall-ID: [call_id]\nCSeq: 1 CANCEL\n"
      "Max-Forwards: 70\nContent-Length: 0\n\n]]></send>\n"
      "<recv response=\"200\"/>\n"
      "<recv response=\"487\"/>\n" SIPP_ACK_NON_2XX);
    call = wait_ended_call (&desk, 10);
    g_assert_nonnull (call);
    g_assert_cmpint (dd_call_get_end_cause (call), ==, DD_CALL_END_CANCELLED);
    finish_sipp (sipp);
    g_clear_object (&desk.call);
  }

  /* nobody answers: after the ring timeout, 480 */
  {
    g_autoptr(GSubprocess) sipp = NULL;
    DdCall *call;

    desk.action = "ring";
    dd_sip_engine_set_inbound (engine, TRUE, 1);
    sipp = sipp_uac (dir, "unanswered", port, TRUE, "<recv response=\"480\"/>\n" SIPP_ACK_NON_2XX);
    call = wait_ended_call (&desk, 10);
    g_assert_nonnull (call);
    g_assert_cmpint (dd_call_get_end_cause (call), ==, DD_CALL_END_NO_ANSWER);
    g_assert_cmpuint (dd_call_get_sip_status (call), ==, 480);
    finish_sipp (sipp);
    g_clear_object (&desk.call);
  }

  /* the desk takes no calls: busy at once, without ringing */
  {
    g_autoptr(GSubprocess) sipp = NULL;

    dd_sip_engine_set_inbound (engine, FALSE, 0);
    g_signal_handler_disconnect (engine, handler);
    sipp = sipp_uac (dir, "busy", port, FALSE, "<recv response=\"486\"/>\n" SIPP_ACK_NON_2XX);
    finish_sipp (sipp);
    g_assert_null (desk.call);
  }
  g_assert_cmpuint (dd_sip_engine_get_n_active (engine), ==, 0);
  dd_test_remove_tree (dir);
}

static void
on_digit (DdCall   *call,
          char      digit,
          gboolean  in_band,
          GString  *digits)
{
  g_string_append_c (digits, digit);
}

/* baresip calls the desk: we answer, hear its key, it hears our keys, it hangs up. */
static void
test_inbound_baresip (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DdSipEngine) engine = NULL;
  g_autoptr(GString) digits = g_string_new (NULL);
  g_autofree char *uri = NULL;
  DdBaresip *b;
  Desk desk = { "answer", NULL };
  gint64 deadline;

  if (!dd_test_have_program ("baresip") || !dd_test_have_program ("sox"))
    {
      g_test_skip ("baresip (baresip-core) or sox is not installed");
      return;
    }
  engine = dd_sip_engine_new ("127.0.0.1", 0, &error);
  g_assert_no_error (error);
  g_signal_connect (engine, "incoming-call", G_CALLBACK (on_incoming_call), &desk);
  dd_sip_engine_set_inbound (engine, TRUE, 0);
  b = baresip_start ();
  uri = g_strdup_printf ("sip:desk@127.0.0.1:%u", dd_sip_engine_get_port (engine));
  dd_baresip_command (b, "dial", uri, NULL);
  g_assert_true (dd_baresip_wait_said (b, "CALL_ESTABLISHED", 10));
  g_assert_nonnull (desk.call);
  g_assert_true (g_str_has_prefix (dd_call_get_uri (desk.call), "sip:bob@127.0.0.1"));
  deadline = g_get_monotonic_time () + 5 * G_TIME_SPAN_SECOND;
  while (dd_call_get_state (desk.call) != DD_CALL_STATE_ANSWERED &&
         g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, FALSE), g_usleep (2000);
  g_assert_cmpint (dd_call_get_state (desk.call), ==, DD_CALL_STATE_ANSWERED);
  g_signal_connect (desk.call, "dtmf", G_CALLBACK (on_digit), digits);

  dd_baresip_command (b, "sndcode", "8", NULL);
  deadline = g_get_monotonic_time () + 5 * G_TIME_SPAN_SECOND;
  while (digits->len == 0 && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, FALSE), g_usleep (2000);
  g_assert_cmpstr (digits->str, ==, "8");
  dd_call_send_dtmf (desk.call, "3");
  g_assert_true (dd_baresip_wait_said (b, "CALL_DTMF_START", 5));
  g_assert_true (dd_baresip_said (b, "\"param\":\"3\""));

  dd_baresip_command (b, "hangup", NULL, NULL);
  deadline = g_get_monotonic_time () + 5 * G_TIME_SPAN_SECOND;
  while (dd_call_get_state (desk.call) != DD_CALL_STATE_ENDED &&
         g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, FALSE), g_usleep (2000);
  g_assert_cmpint (dd_call_get_end_cause (desk.call), ==, DD_CALL_END_COMPLETED);
  g_clear_object (&desk.call);
  dd_baresip_stop (b);
}

/* sipp as a callee on @transport ("u1" or "t1") that rings 300 ms, then refuses each call with
 * @status and the caller's user as the reason. */
static GSubprocess *
sipp_refuser (const char *dir,
              guint       port,
              const char *transport,
              guint       status)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_strdup_printf ("%s/refuse-%s.xml", dir, transport);
  g_autofree char *scenario = NULL;
  GSubprocess *process;

  scenario = g_strdup_printf (
    "<?xml version=\"1.0\" encoding=\"ISO-8859-1\" ?>\n<scenario name=\"refuse\">\n"
    "<recv request=\"INVITE\">\n<action>\n"
    "<ereg regexp=\"sip:([^@]*)@\" search_in=\"hdr\" header=\"From:\" assign_to=\"all,user\"/>\n"
    "</action>\n</recv>\n"
    "<send><![CDATA[\nSIP/2.0 180 Ringing\n[last_Via:]\n[last_From:]\n"
    "[last_To:];tag=[pid]SIPpTag01[call_number]\n[last_Call-ID:]\n[last_CSeq:]\nContent-Length: 0\n\n]]></send>\n"
    "<pause milliseconds=\"300\"/>\n"
    "<send><![CDATA[\nSIP/2.0 %u From [$user]\n[last_Via:]\n[last_From:]\nX-Matched: [$all]\n"
    "[last_To:];tag=[pid]SIPpTag01[call_number]\n[last_Call-ID:]\n[last_CSeq:]\nContent-Length: 0\n\n]]></send>\n"
    "<recv request=\"ACK\"/>\n</scenario>\n", status);
  g_assert_true (g_file_set_contents (path, scenario, -1, NULL));
  {
    const char *extra[] = { "-t", transport, NULL };

    process = dd_sipp_spawn (port, path, NULL, extra, &error);
  }
  g_assert_no_error (error);
  return process;
}

typedef struct
{
  DdSipEngine *engine;
  guint        max_a;
  guint        max_b;
  guint        ended;
} AccountWatch;

static void
on_account_call_state (DdCall       *call,
                       GParamSpec   *pspec,
                       AccountWatch *watch)
{
  watch->max_a = MAX (watch->max_a, dd_sip_engine_get_account_calls (watch->engine, "trunk-a"));
  watch->max_b = MAX (watch->max_b, dd_sip_engine_get_account_calls (watch->engine, "trunk-b"));
  if (dd_call_get_state (call) == DD_CALL_STATE_ENDED)
    watch->ended++;
}

/* Two accounts: one over UDP that takes one call at a time, one over TCP that takes two. The
 * calls take the accounts in turn as they have room; each goes out with its account's caller
 * ID over its account's transport (one sipp listens on UDP, another on TCP, the same port). */
static void
test_accounts (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DdSipEngine) engine = NULL;
  g_autoptr(GSubprocess) udp = NULL;
  g_autoptr(GSubprocess) tcp = NULL;
  g_autoptr(GPtrArray) calls = g_ptr_array_new_with_free_func (g_object_unref);
  g_autofree char *dir = NULL;
  g_autofree char *to = NULL;
  DdSipAccountConfig a = { "trunk-a", "sip:48221110001@127.0.0.1", "Biuro", NULL, NULL, NULL,
                           NULL, DD_SIP_TRANSPORT_UDP, 1, 0 };
  DdSipAccountConfig b = { "trunk-b", "sip:48221110002@127.0.0.1", "Biuro", NULL, NULL, NULL,
                           NULL, DD_SIP_TRANSPORT_TCP, 2, 0 };
  DdSipAccountConfig bad = { "bad", "48221110003", NULL, NULL, NULL, NULL, NULL,
                             DD_SIP_TRANSPORT_UDP, 0, 0 };
  DdCallOptions options = { NULL, NULL, NULL, NULL, 10, NULL };
  AccountWatch watch = { 0 };
  guint port = dd_test_free_port (G_SOCKET_PROTOCOL_UDP);
  guint via_a = 0, via_b = 0;
  gint64 deadline;

  if (!dd_test_have_program ("sipp"))
    {
      g_test_skip ("sipp (sip-tester) is not installed");
      return;
    }
  dir = g_dir_make_tmp ("dd-sipp-XXXXXX", &error);
  g_assert_no_error (error);
  udp = sipp_refuser (dir, port, "u1", 486);
  tcp = sipp_refuser (dir, port, "t1", 600);
  g_usleep (500 * 1000);

  engine = dd_sip_engine_new ("127.0.0.1", 0, &error);
  g_assert_no_error (error);
  watch.engine = engine;
  g_assert_true (dd_sip_engine_add_account (engine, &a, &error));
  g_assert_true (dd_sip_engine_add_account (engine, &b, &error));
  g_assert_false (dd_sip_engine_add_account (engine, &bad, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_cmpint (dd_sip_engine_get_account_state (engine, "trunk-a", NULL, NULL), ==,
                   DD_SIP_ACCOUNT_UNREGISTERED);   /* no registrar: nothing to register */
  g_assert_cmpint (dd_sip_engine_get_account_state (engine, "no-such", NULL, NULL), ==,
                   DD_SIP_ACCOUNT_UNKNOWN);

  to = g_strdup_printf ("sip:debtor@127.0.0.1:%u", port);
  for (guint i = 0; i < 6; i++)
    {
      DdCall *call = dd_sip_engine_dial (engine, to, &options);

      g_signal_connect (call, "notify::state", G_CALLBACK (on_account_call_state), &watch);
      g_ptr_array_add (calls, call);
    }
  /* three go out at once: one through A, two through B */
  g_assert_cmpuint (dd_sip_engine_get_account_calls (engine, "trunk-a"), ==, 1);
  g_assert_cmpuint (dd_sip_engine_get_account_calls (engine, "trunk-b"), ==, 2);
  deadline = g_get_monotonic_time () + 20 * G_TIME_SPAN_SECOND;
  while (watch.ended < calls->len && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, FALSE), g_usleep (2000);
  g_assert_cmpuint (watch.ended, ==, calls->len);
  g_assert_cmpuint (watch.max_a, ==, 1);
  g_assert_cmpuint (watch.max_b, ==, 2);
  for (guint i = 0; i < calls->len; i++)
    {
      DdCall *call = g_ptr_array_index (calls, i);

      if (g_strcmp0 (dd_call_get_account (call), "trunk-a") == 0)
        {
          /* UDP, with A's number as the caller ID */
          g_assert_cmpuint (dd_call_get_sip_status (call), ==, 486);
          g_assert_cmpstr (dd_call_get_sip_reason (call), ==, "From 48221110001");
          via_a++;
        }
      else
        {
          g_assert_cmpstr (dd_call_get_account (call), ==, "trunk-b");
          g_assert_cmpuint (dd_call_get_sip_status (call), ==, 600);
          g_assert_cmpstr (dd_call_get_sip_reason (call), ==, "From 48221110002");
          via_b++;
        }
    }
  g_assert_cmpuint (via_a, >=, 1);
  g_assert_cmpuint (via_b, >=, 2);
  g_assert_cmpuint (via_a + via_b, ==, 6);

  /* a call may name its account */
  {
    DdCallOptions named = { NULL, NULL, NULL, NULL, 10, "trunk-a" };
    g_autoptr(DdCall) call = dd_sip_engine_dial (engine, to, &named);

    deadline = g_get_monotonic_time () + 10 * G_TIME_SPAN_SECOND;
    while (dd_call_get_state (call) != DD_CALL_STATE_ENDED && g_get_monotonic_time () < deadline)
      g_main_context_iteration (NULL, FALSE), g_usleep (2000);
    g_assert_cmpuint (dd_call_get_sip_status (call), ==, 486);
    g_assert_cmpstr (dd_call_get_account (call), ==, "trunk-a");
  }

  g_subprocess_force_exit (udp);
  g_subprocess_force_exit (tcp);
  g_subprocess_wait (udp, NULL, NULL);
  g_subprocess_wait (tcp, NULL, NULL);
  dd_test_remove_tree (dir);
}

static void
on_account_changed (DdSipEngine *engine,
                    const char  *name,
                    GString     *states)
{
  guint status = 0;
  DdSipAccountState state = dd_sip_engine_get_account_state (engine, name, &status, NULL);

  g_string_append_printf (states, "%d:%u ", state, status);
}

/* An account's registration: digest authentication, refreshed before it expires; when the
 * registrar fails a refresh (503), the account shows it and registers again on its own; a wrong
 * password is shown and not retried. */
static void
test_account_reregister (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DdSipEngine) engine = NULL;
  g_autoptr(GSubprocess) sipp = NULL;
  g_autoptr(GString) states = g_string_new (NULL);
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  g_autofree char *registrar = NULL;
  g_autofree char *expected = NULL;
  DdSipAccountConfig account = { "office", "sip:alice@dd.test", "Biuro", NULL, NULL, NULL,
                                 "s3cret", DD_SIP_TRANSPORT_UDP, 0, 2 };
  guint port = dd_test_free_port (G_SOCKET_PROTOCOL_UDP);
  const char *reason = NULL;
  guint status = 0;
  gint64 deadline;

  if (!dd_test_have_program ("sipp"))
    {
      g_test_skip ("sipp (sip-tester) is not installed");
      return;
    }
  dir = g_dir_make_tmp ("dd-sipp-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (dir, "registrar.xml", NULL);
  /* per registration (Call-ID): challenge, accept for 2 s, fail the refresh, accept the
   * un-REGISTER that follows */
#define REPLY(status, extra) \
  "<send><![CDATA[\nSIP/2.0 " status "\n[last_Via:]\n[last_From:]\n" \
  "[last_To:];tag=[pid]SIPpTag01[call_number]\n[last_Call-ID:]\n[last_CSeq:]\n" extra \
  "Content-Length: 0\n\n]]></send>\n"
  g_assert_true (g_file_set_contents (path,
    "<?xml version=\"1.0\" encoding=\"ISO-8859-1\" ?>\n"
    "<scenario name=\"flaky-registrar\">\n"
    "<recv request=\"REGISTER\"/>\n"
    REPLY ("401 Unauthorized",
           "WWW-Authenticate: Digest realm=\"dd.test\", nonce=\"0123456789abcdef\", algorithm=MD5\n")
    "<recv request=\"REGISTER\" check_it=\"true\">\n"
    "<action><verifyauth assign_to=\"valid\" username=\"alice\" password=\"s3cret\"/></action>\n"
    "</recv>\n"
    "<nop test=\"valid\" next=\"good\"/>\n"
    REPLY ("403 Forbidden", "")
    "<label id=\"good\"/>\n"
    REPLY ("200 OK", "[last_Contact:];expires=2\n")
    "<recv request=\"REGISTER\"/>\n"
    REPLY ("503 Service Unavailable", "")
    "<recv request=\"REGISTER\"/>\n"
    REPLY ("200 OK", "")
    "</scenario>\n", -1, NULL));
#undef REPLY
  {
    const char *extra[] = { NULL };

    sipp = dd_sipp_spawn (port, path, NULL, extra, &error);
    g_assert_no_error (error);
  }
  g_usleep (400 * 1000);

  engine = dd_sip_engine_new ("127.0.0.1", 0, &error);
  g_assert_no_error (error);
  dd_sip_engine_set_registration_retry (engine, 300);
  g_signal_connect (engine, "account-changed", G_CALLBACK (on_account_changed), states);
  registrar = g_strdup_printf ("sip:127.0.0.1:%u", port);
  account.registrar = registrar;
  g_assert_true (dd_sip_engine_add_account (engine, &account, &error));
  g_assert_no_error (error);

  /* registering, registered, refresh refused, registering again, registered again */
  expected = g_strdup_printf ("%d:0 %d:200 %d:503 %d:0 %d:200 ", DD_SIP_ACCOUNT_REGISTERING,
                              DD_SIP_ACCOUNT_REGISTERED, DD_SIP_ACCOUNT_FAILED,
                              DD_SIP_ACCOUNT_REGISTERING, DD_SIP_ACCOUNT_REGISTERED);
  deadline = g_get_monotonic_time () + 15 * G_TIME_SPAN_SECOND;
  while (!g_str_has_prefix (states->str, expected) && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, FALSE), g_usleep (5000);
  g_assert_cmpstr (states->str, ==, expected);

  /* the wrong password: failed with the registrar's word, and left alone */
  g_string_truncate (states, 0);
  account.password = "wrong";
  account.name = "office-2";
  g_assert_true (dd_sip_engine_add_account (engine, &account, &error));
  deadline = g_get_monotonic_time () + 10 * G_TIME_SPAN_SECOND;
  while (dd_sip_engine_get_account_state (engine, "office-2", NULL, NULL) !=
         DD_SIP_ACCOUNT_FAILED && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, FALSE), g_usleep (5000);
  g_assert_cmpint (dd_sip_engine_get_account_state (engine, "office-2", &status, &reason), ==,
                   DD_SIP_ACCOUNT_FAILED);
  g_assert_cmpuint (status, ==, 403);
  g_assert_cmpstr (reason, ==, "Forbidden");
  /* no retry: still failed a while later */
  deadline = g_get_monotonic_time () + G_TIME_SPAN_SECOND;
  while (g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, FALSE), g_usleep (5000);
  g_assert_cmpint (dd_sip_engine_get_account_state (engine, "office-2", NULL, NULL), ==,
                   DD_SIP_ACCOUNT_FAILED);

  dd_sip_engine_remove_account (engine, "office");
  dd_sip_engine_remove_account (engine, "office-2");
  g_assert_cmpint (dd_sip_engine_get_account_state (engine, "office", NULL, NULL), ==,
                   DD_SIP_ACCOUNT_UNKNOWN);
  g_subprocess_force_exit (sipp);
  g_subprocess_wait (sipp, NULL, NULL);
  dd_test_remove_tree (dir);
}

/* The desk talks to a debtor (baresip): the debtor's voice (its 300 Hz tone) plays on the
 * desk's speaker (a WAV file here), the desk's microphone (a 1000 Hz tone) reaches the debtor,
 * mute silences it, hang-up ends the call and lets go of the sound card. */
static void
test_headset (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DdSipEngine) engine = NULL;
  g_autoptr(DdHeadset) headset = NULL;
  g_autoptr(DdCall) call = NULL;
  g_autoptr(GBytes) heard = NULL;
  g_autofree char *to = NULL;
  g_autofree char *wav = NULL;
  g_autofree char *sink = NULL;
  g_autofree char *received_path = NULL;
  g_autoptr(GBytes) received = NULL;
  DdCallOptions options = { "sip:office@127.0.0.1", "Biuro", NULL, NULL, 10, NULL };
  const gint16 *samples;
  gsize size = 0;
  guint rate = 0, channels = 0;
  DdBaresip *b;
  gint64 deadline;

  if (!dd_test_have_program ("baresip") || !dd_test_have_program ("sox"))
    {
      g_test_skip ("baresip (baresip-core) or sox is not installed");
      return;
    }
  b = baresip_start ();
  engine = dd_sip_engine_new ("127.0.0.1", 0, &error);
  g_assert_no_error (error);
  to = g_strdup_printf ("sip:bob@127.0.0.1:%u", b->sip_port);
  call = g_object_ref (dd_sip_engine_dial (engine, to, &options));
  deadline = g_get_monotonic_time () + 10 * G_TIME_SPAN_SECOND;
  while (dd_call_get_state (call) != DD_CALL_STATE_ANSWERED && g_get_monotonic_time () < deadline)
    dd_test_iterate_for (5);
  g_assert_cmpint (dd_call_get_state (call), ==, DD_CALL_STATE_ANSWERED);

  wav = g_build_filename (b->dir, "desk-speaker.wav", NULL);
  sink = g_strdup_printf ("wavenc ! filesink location=\"%s\"", wav);
  headset = dd_headset_new ("audiotestsrc is-live=true wave=sine freq=1000 volume=0.3", sink,
                            &error);
  g_assert_no_error (error);
  g_assert_true (dd_headset_take_call (headset, call, &error));
  g_assert_no_error (error);
  g_assert_true (dd_headset_get_call (headset) == call);
  dd_test_iterate_for (2000);
  dd_headset_set_muted (headset, TRUE);
  g_assert_true (dd_headset_get_muted (headset));
  dd_test_iterate_for (2000);
  dd_headset_set_volume (headset, 0.5);
  g_assert_cmpfloat (dd_headset_get_volume (headset), ==, 0.5);
  dd_headset_hang_up (headset);
  deadline = g_get_monotonic_time () + 5 * G_TIME_SPAN_SECOND;
  while (dd_headset_get_call (headset) != NULL && g_get_monotonic_time () < deadline)
    dd_test_iterate_for (5);
  g_assert_null (dd_headset_get_call (headset));
  g_assert_cmpint (dd_call_get_end_cause (call), ==, DD_CALL_END_COMPLETED);
  g_assert_true (dd_baresip_wait_said (b, "CALL_CLOSED", 5));

  /* the speaker played the debtor: about 4 s of its 300 Hz tone */
  heard = dd_wav_read (wav, &rate, &channels, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rate, ==, 8000);
  g_assert_cmpuint (channels, ==, 1);
  samples = g_bytes_get_data (heard, &size);
  size /= sizeof (gint16);
  g_assert_cmpuint (size, >, 8000 * 3);
  g_assert_cmpfloat (dd_tone_power (samples + 8000, 8000, 300), >,
                     20 * dd_tone_power (samples + 8000, 8000, 1000));

  /* the debtor heard the desk's 1000 Hz before the mute, and not after */
  {
    g_autoptr(GDir) dir = g_dir_open (b->dir, 0, NULL);
    const char *name;

    while ((name = g_dir_read_name (dir)) != NULL)
      {
        g_test_message ("baresip wrote %s", name);
        if (g_str_has_suffix (name, "-dec.wav"))
          received_path = g_build_filename (b->dir, name, NULL);
      }
  }
  g_assert_nonnull (received_path);
  received = dd_wav_read (received_path, &rate, &channels, &error);
  g_assert_no_error (error);
  samples = g_bytes_get_data (received, &size);
  size /= sizeof (gint16) * channels;
  g_test_message ("baresip received %zu samples at %u Hz", size, rate);
  g_assert_cmpuint (size, >, rate * 3);
  {
    double before = dd_tone_power (samples + rate / 2, rate, 1000);
    double after = dd_tone_power (samples + size - rate - rate / 4, rate, 1000);

    g_test_message ("1000 Hz before the mute %g, after %g", before, after);
    g_assert_cmpfloat (before, >, 1000 * MAX (after, 1.0));
    g_assert_cmpfloat (before, >, 1e4);
  }
  dd_baresip_stop (b);
}

static void
run_openssl (const char *dir,
             const char *command)
{
  g_autofree char *line = g_strdup_printf ("cd '%s' && openssl %s >/dev/null 2>&1", dir, command);

  g_assert_cmpint (system (line), ==, 0);
}

/* SIP over TLS to baresip (TLS on its SIP port + 1) with a certificate from a test authority:
 * trusted when we are given that authority, refused (no call) when we are not. */
static void
test_tls (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *ca = NULL;
  g_autofree char *cert = NULL;
  g_autofree char *extra = NULL;
  g_autofree char *to = NULL;
  g_autofree char *key_pem = NULL;
  g_autofree char *cert_pem = NULL;
  DdSipEventLog trusted = { NULL };
  DdSipEventLog untrusted = { NULL };
  DdSipCore *core;
  DdSipDialParams params = { 0 };
  const DdSipEvent *event;
  DdBaresip *b;
  guint id;

  if (!dd_test_have_program ("baresip") || !dd_test_have_program ("sox") || !dd_test_have_program ("openssl"))
    {
      g_test_skip ("baresip (baresip-core), sox or openssl is not installed");
      return;
    }
  dir = g_dir_make_tmp ("dd-tls-XXXXXX", &error);
  g_assert_no_error (error);
  run_openssl (dir, "req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.pem -days 2 "
                    "-subj '/CN=Dunning Desk Test CA'");
  run_openssl (dir, "req -newkey rsa:2048 -nodes -keyout server.key -out server.csr "
                    "-subj '/CN=127.0.0.1'");
  {
    g_autofree char *ext = g_build_filename (dir, "ext.cnf", NULL);

    g_assert_true (g_file_set_contents (ext, "subjectAltName=IP:127.0.0.1\n"
                                             "basicConstraints=CA:FALSE\n", -1, NULL));
  }
  run_openssl (dir, "x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial "
                    "-out server.pem -days 2 -extfile ext.cnf");
  ca = g_build_filename (dir, "ca.pem", NULL);
  cert = g_build_filename (dir, "baresip.pem", NULL);
  {
    g_autofree char *server_pem = g_build_filename (dir, "server.pem", NULL);
    g_autofree char *server_key = g_build_filename (dir, "server.key", NULL);
    g_autofree char *both = NULL;

    g_assert_true (g_file_get_contents (server_pem, &cert_pem, NULL, NULL));
    g_assert_true (g_file_get_contents (server_key, &key_pem, NULL, NULL));
    both = g_strconcat (cert_pem, key_pem, NULL);
    g_assert_true (g_file_set_contents (cert, both, -1, NULL));
  }
  extra = g_strdup_printf ("sip_certificate %s\n", cert);
  b = baresip_start_with (extra);
  to = g_strdup_printf ("sip:bob@127.0.0.1:%u;transport=tls", b->sip_port + 1);
  params.to_uri = to;
  params.from_uri = "sip:office@127.0.0.1";
  params.contact_user = "office";
  params.ring_timeout_ms = 10000;

  dd_sip_event_log_init (&trusted);
  dd_sip_event_log_init (&untrusted);

  /* trusted: the call goes through, over TLS */
  core = dd_sip_core_start ("127.0.0.1", 0, ca, NULL, dd_sip_event_log_add, &trusted, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (dd_sip_core_get_tls_port (core), >, 0);
  id = dd_sip_core_new_call_id (core);
  dd_sip_core_dial (core, id, &params);
  g_assert_nonnull (wait_event (&trusted, id, DD_SIP_EVENT_ANSWERED, 10));
  g_assert_true (dd_baresip_wait_said (b, "CALL_ESTABLISHED", 5));
  dd_sip_core_hangup (core, id, 0);
  event = wait_event (&trusted, id, DD_SIP_EVENT_ENDED, 5);
  g_assert_nonnull (event);
  g_assert_cmpint (event->cause, ==, DD_SIP_CAUSE_COMPLETED);
  g_assert_true (dd_baresip_wait_said (b, "CALL_CLOSED", 5));
  dd_sip_core_stop (core);

  /* not trusted: the handshake fails, no call */
  core = dd_sip_core_start ("127.0.0.1", 0, NULL, NULL, dd_sip_event_log_add, &untrusted,
                            &error);
  g_assert_no_error (error);
  id = dd_sip_core_new_call_id (core);
  dd_sip_core_dial (core, id, &params);
  event = wait_event (&untrusted, id, DD_SIP_EVENT_ENDED, 40);
  g_assert_nonnull (event);
  g_assert_null (dd_sip_event_log_find (&untrusted, id, DD_SIP_EVENT_ANSWERED));
  g_assert_cmpint (event->cause, !=, DD_SIP_CAUSE_COMPLETED);
  dd_sip_core_stop (core);
  while (g_main_context_iteration (NULL, FALSE))
    ;

  dd_baresip_stop (b);
  dd_sip_event_log_clear (&trusted);
  dd_sip_event_log_clear (&untrusted);
  dd_test_remove_tree (dir);
}

/* REGISTER with digest authentication against a sipp registrar: the right password
 * registers, a wrong one is refused with a clear status. */
static void
test_register_digest (Fixture       *f,
                      gconstpointer  data)
{
  static const char *const passwords[] = { "s3cret", "wrong" };
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;

  if (!dd_test_have_program ("sipp"))
    {
      g_test_skip ("sipp (sip-tester) is not installed");
      return;
    }
  dir = g_dir_make_tmp ("dd-sipp-XXXXXX", &error);
  path = g_build_filename (dir, "registrar.xml", NULL);
  g_assert_true (g_file_set_contents (path,
    "<?xml version=\"1.0\" encoding=\"ISO-8859-1\" ?>\n"
    "<scenario name=\"registrar\">\n"
    "<recv request=\"REGISTER\"/>\n"
    "<send><![CDATA[\nSIP/2.0 401 Unauthorized\n[last_Via:]\n[last_From:]\n"
    "[last_To:];tag=[pid]SIPpTag01[call_number]\n[last_Call-ID:]\n[last_CSeq:]\n"
    "WWW-Authenticate: Digest realm=\"dd.test\", nonce=\"0123456789abcdef\", algorithm=MD5\n"
    "Content-Length: 0\n\n]]></send>\n"
    "<recv request=\"REGISTER\" check_it=\"true\">\n"
    "<action><verifyauth assign_to=\"valid\" username=\"alice\" password=\"s3cret\"/></action>\n"
    "</recv>\n"
    "<nop test=\"valid\" next=\"good\"/>\n"
    "<send next=\"end\"><![CDATA[\nSIP/2.0 403 Forbidden\n[last_Via:]\n[last_From:]\n"
    "[last_To:];tag=[pid]SIPpTag01[call_number]\n[last_Call-ID:]\n[last_CSeq:]\n"
    "Content-Length: 0\n\n]]></send>\n"
    "<label id=\"good\"/>\n"
    "<send><![CDATA[\nSIP/2.0 200 OK\n[last_Via:]\n[last_From:]\n"
    "[last_To:];tag=[pid]SIPpTag01[call_number]\n[last_Call-ID:]\n[last_CSeq:]\n"
    "[last_Contact:];expires=600\nContent-Length: 0\n\n]]></send>\n"
    "<label id=\"end\"/>\n"
    "</scenario>\n", -1, NULL));

  for (guint i = 0; i < G_N_ELEMENTS (passwords); i++)
    {
      guint port = dd_test_free_port (G_SOCKET_PROTOCOL_UDP);
      g_autofree char *registrar = g_strdup_printf ("sip:127.0.0.1:%u", port);
      g_autofree char *key = g_strdup_printf ("account-%u", i);
      g_autoptr(GSubprocess) sipp = NULL;
      DdSipRegisterParams params = { 0 };
      const DdSipEvent *event = NULL;
      gint64 deadline;
      const char * const extra[] = { "-m", "1", NULL };

      sipp = dd_sipp_spawn (port, path, NULL, extra, &error);
      g_assert_no_error (error);
      g_usleep (400 * 1000);
      params.key = key;
      params.registrar_uri = registrar;
      params.aor = "sip:alice@dd.test";
      params.contact_user = "alice";
      params.password = passwords[i];
      params.expires = 600;
      dd_sip_core_register (f->core, &params);
      deadline = g_get_monotonic_time () + 10 * G_TIME_SPAN_SECOND;
      while (event == NULL && g_get_monotonic_time () < deadline)
        {
          for (guint j = 0; j < f->collector.events->len; j++)
            {
              const DdSipEvent *e = g_ptr_array_index (f->collector.events, j);

              if (e->kind == DD_SIP_EVENT_REGISTRATION && g_strcmp0 (e->text, key) == 0)
                event = e;
            }
          g_main_context_iteration (NULL, FALSE);
          g_usleep (5000);
        }
      g_assert_nonnull (event);
      if (i == 0)
        {
          g_assert_true (event->local);
          g_assert_cmpuint (event->status, ==, 200);
        }
      else
        {
          g_assert_false (event->local);
          g_assert_cmpuint (event->status, ==, 403);
          g_assert_cmpstr (event->reason, ==, "Forbidden");
        }
      dd_sip_core_unregister (f->core, key);
      g_subprocess_force_exit (sipp);
      g_subprocess_wait (sipp, NULL, NULL);
    }
  dd_test_remove_tree (dir);
}

/* DdSipEngine and DdCall: the main thread's objects, with a concurrency limit. */
typedef struct
{
  guint ringing;
  guint max_ringing;
  GPtrArray *ended;
} Watch;

static void
on_state (DdCall     *call,
          GParamSpec *pspec,
          Watch      *watch)
{
  if (dd_call_get_state (call) == DD_CALL_STATE_RINGING)
    {
      watch->ringing++;
      watch->max_ringing = MAX (watch->max_ringing, watch->ringing);
    }
}

static void
on_ended (DdCall *call,
          Watch  *watch)
{
  if (watch->ringing > 0)
    watch->ringing--;
  g_ptr_array_add (watch->ended, call);
}

static void
test_engine_limit (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DdSipEngine) engine = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  g_autofree char *to = NULL;
  g_autoptr(GSubprocess) sipp = NULL;
  DdCallOptions options = { "sip:office@127.0.0.1", "Biuro", NULL, NULL, 10, NULL };
  DdCall *calls[3];
  Watch watch = { 0, 0, g_ptr_array_new () };
  guint port = dd_test_free_port (G_SOCKET_PROTOCOL_UDP);
  gint64 deadline;

  if (!dd_test_have_program ("sipp"))
    {
      g_test_skip ("sipp (sip-tester) is not installed");
      g_ptr_array_unref (watch.ended);
      return;
    }
  dir = g_dir_make_tmp ("dd-sipp-XXXXXX", &error);
  path = g_build_filename (dir, "busy.xml", NULL);
  /* each call rings for 300 ms, then is busy */
  g_assert_true (g_file_set_contents (path,
    "<?xml version=\"1.0\" encoding=\"ISO-8859-1\" ?>\n<scenario name=\"busy\">\n"
    "<recv request=\"INVITE\"/>\n"
    "<send><![CDATA[\nSIP/2.0 180 Ringing\n[last_Via:]\n[last_From:]\n"
    "[last_To:];tag=[pid]SIPpTag01[call_number]\n[last_Call-ID:]\n[last_CSeq:]\nContent-Length: 0\n\n]]></send>\n"
    "<pause milliseconds=\"300\"/>\n"
    "<send><![CDATA[\nSIP/2.0 486 Busy Here\n[last_Via:]\n[last_From:]\n"
    "[last_To:];tag=[pid]SIPpTag01[call_number]\n[last_Call-ID:]\n[last_CSeq:]\nContent-Length: 0\n\n]]></send>\n"
    "<recv request=\"ACK\"/>\n</scenario>\n", -1, NULL));
  {
    const char *extra[] = { "-m", "3", NULL };

    sipp = dd_sipp_spawn (port, path, NULL, extra, &error);
    g_assert_no_error (error);
  }
  g_usleep (400 * 1000);

  engine = dd_sip_engine_new ("127.0.0.1", 0, &error);
  g_assert_no_error (error);
  dd_sip_engine_set_max_calls (engine, 1);
  to = g_strdup_printf ("sip:debtor@127.0.0.1:%u", port);
  for (guint i = 0; i < G_N_ELEMENTS (calls); i++)
    {
      calls[i] = dd_sip_engine_dial (engine, to, &options);
      g_signal_connect (calls[i], "notify::state", G_CALLBACK (on_state), &watch);
      g_signal_connect (calls[i], "ended", G_CALLBACK (on_ended), &watch);
    }
  g_assert_cmpuint (dd_sip_engine_get_n_active (engine), ==, 3);
  deadline = g_get_monotonic_time () + 20 * G_TIME_SPAN_SECOND;
  while (watch.ended->len < 3 && g_get_monotonic_time () < deadline)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (2000);
    }
  g_assert_cmpuint (watch.ended->len, ==, 3);
  /* one at a time, in the order asked */
  g_assert_cmpuint (watch.max_ringing, ==, 1);
  for (guint i = 0; i < G_N_ELEMENTS (calls); i++)
    {
      g_assert_true (g_ptr_array_index (watch.ended, i) == calls[i]);
      g_assert_cmpint (dd_call_get_state (calls[i]), ==, DD_CALL_STATE_ENDED);
      g_assert_cmpint (dd_call_get_end_cause (calls[i]), ==, DD_CALL_END_BUSY);
      g_assert_cmpuint (dd_call_get_sip_status (calls[i]), ==, 486);
      g_assert_cmpstr (dd_call_get_sip_reason (calls[i]), ==, "Busy Here");
    }
  g_assert_cmpuint (dd_sip_engine_get_n_active (engine), ==, 0);

  /* a waiting call hung up before its turn never goes out */
  {
    g_autoptr(DdCall) first = NULL;
    g_autoptr(DdCall) second = NULL;

    dd_sip_engine_set_max_calls (engine, 1);
    first = dd_sip_engine_dial (engine, "sip:nobody@127.0.0.1:9", &options);
    second = dd_sip_engine_dial (engine, to, &options);
    dd_call_hangup (second);
    g_assert_cmpint (dd_call_get_state (second), ==, DD_CALL_STATE_ENDED);
    g_assert_cmpint (dd_call_get_end_cause (second), ==, DD_CALL_END_CANCELLED);
    dd_call_hangup (first);
    deadline = g_get_monotonic_time () + 5 * G_TIME_SPAN_SECOND;
    while (dd_call_get_state (first) != DD_CALL_STATE_ENDED && g_get_monotonic_time () < deadline)
      g_main_context_iteration (NULL, FALSE), g_usleep (2000);
    g_assert_cmpint (dd_call_get_state (first), ==, DD_CALL_STATE_ENDED);
  }

  g_subprocess_wait (sipp, NULL, NULL);
  for (guint i = 0; i < G_N_ELEMENTS (calls); i++)
    g_object_unref (calls[i]);
  g_ptr_array_unref (watch.ended);

  /* caller-ID rotation: three calls without a From take the pool's numbers in turn */
  {
    const char *pool[] = { "sip:48221110001@127.0.0.1", "sip:48221110002@127.0.0.1", NULL };
    DdCallOptions rotating = { NULL, "Biuro", NULL, NULL, 10, NULL };
    g_autofree char *log = g_build_filename (dir, "from.log", NULL);
    g_autofree char *from_scenario = g_build_filename (dir, "from.xml", NULL);
    g_autofree char *rotation_port = NULL;
    g_autofree char *from_log = NULL;
    g_autoptr(GSubprocess) recorder = NULL;
    g_autoptr(GPtrArray) rotated = g_ptr_array_new_with_free_func (g_object_unref);
    guint rport = dd_test_free_port (G_SOCKET_PROTOCOL_UDP);

    g_assert_true (g_file_set_contents (from_scenario,
      "<?xml version=\"1.0\" encoding=\"ISO-8859-1\" ?>\n<scenario name=\"from\">\n"
      "<recv request=\"INVITE\"/>\n"
      "<send><![CDATA[\nSIP/2.0 486 Busy Here\n[last_Via:]\n[last_From:]\n"
      "[last_To:];tag=[pid]SIPpTag01[call_number]\n[last_Call-ID:]\n[last_CSeq:]\nContent-Length: 0\n\n]]></send>\n"
      "<recv request=\"ACK\"/>\n</scenario>\n", -1, NULL));
    rotation_port = g_strdup_printf ("%u", rport);
    {
      const char *extra[] = { "-m", "3", "-trace_msg", "-message_file", log, NULL };

      recorder = dd_sipp_spawn (rport, from_scenario, NULL, extra, &error);
      g_assert_no_error (error);
    }
    g_usleep (400 * 1000);
    g_free (to);
    to = g_strdup_printf ("sip:debtor@127.0.0.1:%u", rport);
    dd_sip_engine_set_caller_ids (engine, pool);
    dd_sip_engine_set_max_calls (engine, 1);
    for (guint i = 0; i < 3; i++)
      g_ptr_array_add (rotated, dd_sip_engine_dial (engine, to, &rotating));
    deadline = g_get_monotonic_time () + 20 * G_TIME_SPAN_SECOND;
    while (dd_sip_engine_get_n_active (engine) > 0 && g_get_monotonic_time () < deadline)
      g_main_context_iteration (NULL, FALSE), g_usleep (2000);
    g_subprocess_wait (recorder, NULL, NULL);
    g_assert_true (g_file_get_contents (log, &from_log, NULL, NULL));
    /* the INVITEs' From, in order: first, second, first again */
    {
      const char *first = strstr (from_log, "<sip:48221110001@127.0.0.1>");
      const char *second = first != NULL ? strstr (first, "<sip:48221110002@127.0.0.1>") : NULL;
      const char *third = second != NULL ? strstr (second, "<sip:48221110001@127.0.0.1>") : NULL;

      g_assert_nonnull (first);
      g_assert_nonnull (second);
      g_assert_nonnull (third);
    }
  }
  dd_test_remove_tree (dir);
}

/* A callee that answers and then vanishes (no RTP, no BYE): the RTP timeout ends the call as
 * a network error, and it still gets our BYE. */
static void
test_vanish (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  g_autofree char *media_text = NULL;
  g_autofree char *to = NULL;
  g_autoptr(GSubprocess) sipp = NULL;
  const DdSipEvent *event;
  guint port = dd_test_free_port (G_SOCKET_PROTOCOL_UDP), media = dd_test_free_port (G_SOCKET_PROTOCOL_UDP);
  guint id;

  if (!dd_test_have_program ("sipp"))
    {
      g_test_skip ("sipp (sip-tester) is not installed");
      return;
    }
  dir = g_dir_make_tmp ("dd-sipp-XXXXXX", &error);
  path = g_build_filename (dir, "vanish.xml", NULL);
  g_assert_true (g_file_set_contents (path,
    "<?xml version=\"1.0\" encoding=\"ISO-8859-1\" ?>\n<scenario name=\"vanish\">\n"
    "<recv request=\"INVITE\"/>\n"
    "<send><![CDATA[\nSIP/2.0 200 OK\n[last_Via:]\n[last_From:]\n"
    "[last_To:];tag=[pid]SIPpTag01[call_number]\n[last_Call-ID:]\n[last_CSeq:]\n"
    "Contact: <sip:[local_ip]:[local_port];transport=[transport]>\nContent-Type: application/sdp\n"
    "Content-Length: [len]\n\nv=0\no=- 1 1 IN IP4 [media_ip]\ns=-\nc=IN IP4 [media_ip]\nt=0 0\n"
    "m=audio [media_port] RTP/AVP 8\na=rtpmap:8 PCMA/8000\n]]></send>\n"
    "<recv request=\"ACK\"/>\n"
    "<recv request=\"BYE\" timeout=\"20000\"/>\n"
    "<send><![CDATA[\nSIP/2.0 200 OK\n[last_Via:]\n[last_From:]\n[last_To:]\n[last_Call-ID:]\n"
    "[last_CSeq:]\nContent-Length: 0\n\n]]></send>\n"
    "</scenario>\n", -1, NULL));
  media_text = g_strdup_printf ("%u", media);
  {
    const char *extra[] = { "-mp", media_text, "-m", "1", NULL };

    sipp = dd_sipp_spawn (port, path, NULL, extra, &error);
    g_assert_no_error (error);
  }
  g_usleep (400 * 1000);

  dd_sip_core_set_rtp_timeout (f->core, 2000);
  to = g_strdup_printf ("sip:debtor@127.0.0.1:%u", port);
  id = dial (f, to, 10000);
  event = wait_event (&f->collector, id, DD_SIP_EVENT_ANSWERED, 10);
  g_assert_nonnull (event);
  g_assert_cmpstr (event->text, ==, "PCMA");
  /* nothing comes back: after 2 s without RTP the call ends, and sipp gets our BYE */
  event = wait_event (&f->collector, id, DD_SIP_EVENT_ENDED, 10);
  g_assert_nonnull (event);
  g_assert_cmpint (event->cause, ==, DD_SIP_CAUSE_NETWORK_ERROR);
  g_assert_false (event->local);
  g_assert_true (g_subprocess_wait (sipp, NULL, NULL));
  /* sipp got our BYE: its scenario ended well */
  g_assert_cmpint (g_subprocess_get_exit_status (sipp), ==, 0);
  dd_test_remove_tree (dir);
}

/* Malformed SIP from a raw UDP sender never brings the engine down. */
static void
test_malformed_sip (Fixture       *f,
                    gconstpointer  data)
{
  static const char *const messages[] = {
    "",
    "\r\n\r\n",
    "INVITE\r\n\r\n",
    "INVITE sip:a@127.0.0.1 SIP/2.0\r\n\r\n",
    "INVITE sip:a@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:1;branch=z9hG4bKx\r\n"
    "Content-Length: 99999\r\n\r\nv=0",
    "INVITE sip:a@127.0.0.1 SIP/2.0\r\nVia: garbage\r\nFrom: <\r\nTo: >\r\nCall-ID:\r\n"
    "CSeq: x INVITE\r\nMax-Forwards: -1\r\nContent-Length: -5\r\n\r\n",
    "SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bKnone\r\nCSeq: 1 INVITE\r\n"
    "Call-ID: nobody\r\nContent-Length: 0\r\n\r\n",
    "BYE sip:a@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:1;branch=z9hG4bKb\r\n"
    "From: <sip:x@y>;tag=1\r\nTo: <sip:a@127.0.0.1>;tag=2\r\nCall-ID: unknown\r\n"
    "CSeq: 2 BYE\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n\r\n",
    "OPTIONS sip:a@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/UDP [::1:1;branch=\r\n\r\n",
    "\x00\x01\x02\xff\xfe SIP/2.0 \xc3\x28\r\n\r\n",
  };
  g_autoptr(GSocket) socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_DATAGRAM,
                                            G_SOCKET_PROTOCOL_UDP, NULL);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) target = g_inet_socket_address_new (loopback,
                                                                dd_sip_core_get_port (f->core));
  g_autoptr(GRand) rand = g_rand_new_with_seed (4475);
  g_autoptr(GString) long_header = g_string_new ("INVITE sip:a@127.0.0.1 SIP/2.0\r\nSubject: ");

  for (guint i = 0; i < 70000; i++)
    g_string_append_c (long_header, 'x');
  g_string_append (long_header, "\r\n\r\n");
  g_socket_send_to (socket, target, long_header->str, MIN (long_header->len, 65000), NULL, NULL);
  for (guint i = 0; i < G_N_ELEMENTS (messages); i++)
    g_socket_send_to (socket, target, messages[i], strlen (messages[i]) + (i == 0), NULL, NULL);
  for (guint i = 0; i < 300; i++)
    {
      char noise[512];
      gsize n = (gsize) g_rand_int_range (rand, 1, sizeof noise);

      for (gsize j = 0; j < n; j++)
        noise[j] = (char) g_rand_int_range (rand, 0, 256);
      g_socket_send_to (socket, target, noise, n, NULL, NULL);
    }
  g_usleep (300 * 1000);

  /* still working: a call to a sipp callee that is busy ends as busy */
  if (dd_test_have_program ("sipp"))
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *dir = g_dir_make_tmp ("dd-sipp-XXXXXX", &error);
      guint port = dd_test_free_port (G_SOCKET_PROTOCOL_UDP);
      g_autoptr(GSubprocess) sipp = sipp_uas (dir, port, 486, FALSE);
      g_autofree char *to = g_strdup_printf ("sip:debtor@127.0.0.1:%u", port);
      guint id = dial (f, to, 5000);
      const DdSipEvent *event = wait_event (&f->collector, id, DD_SIP_EVENT_ENDED, 10);
      g_autofree char *cmd = g_strdup_printf ("rm -rf '%s'", dir);

      g_assert_nonnull (event);
      g_assert_cmpint (event->cause, ==, DD_SIP_CAUSE_BUSY);
      g_subprocess_wait (sipp, NULL, NULL);
      g_assert_cmpint (system (cmd), ==, 0);
    }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add ("/dd/sip-core/baresip-call", Fixture, NULL, fixture_setup, test_baresip_call,
              fixture_teardown);
  g_test_add ("/dd/sip-core/sipp-failures", Fixture, NULL, fixture_setup, test_sipp_failures,
              fixture_teardown);
  g_test_add_func ("/dd/sip-core/cli-call", test_cli_call);
  g_test_add_func ("/dd/sip-core/engine-limit", test_engine_limit);
  g_test_add ("/dd/sip-core/vanish", Fixture, NULL, fixture_setup,
              test_vanish, fixture_teardown);
  g_test_add ("/dd/sip-core/register-digest", Fixture, NULL, fixture_setup, test_register_digest,
              fixture_teardown);
  g_test_add ("/dd/sip-core/early-media-in-band", Fixture, NULL, fixture_setup,
              test_early_media_in_band, fixture_teardown);
  g_test_add ("/dd/sip-core/media-path", Fixture, NULL, fixture_setup, test_media_path,
              fixture_teardown);
  g_test_add_func ("/dd/sip-core/inbound-sipp", test_inbound_sipp);
  g_test_add_func ("/dd/sip-core/inbound-baresip", test_inbound_baresip);
  g_test_add_func ("/dd/sip-core/accounts", test_accounts);
  g_test_add_func ("/dd/sip-core/account-reregister", test_account_reregister);
  g_test_add_func ("/dd/sip-core/headset", test_headset);
  g_test_add_func ("/dd/sip-core/tls", test_tls);
  g_test_add ("/dd/sip-core/malformed-sip", Fixture, NULL, fixture_setup, test_malformed_sip,
              fixture_teardown);
  return g_test_run ();
}
