/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "sip-peers.h"

#include "dd-test-util.h"

#include <math.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

/* The peers die with the test: a test that aborts (a failed assertion) or is killed leaves no
 * sipp or baresip behind. Runs in the child between fork and exec; @user_data is the test's
 * pid, in case the test died before the child asked to be told. The kernel sends the signal
 * when the thread that started the peer ends: peers are started from the test's main thread. */
static void
die_with_test (gpointer user_data)
{
  pid_t test = (pid_t) GPOINTER_TO_INT (user_data);

  if (prctl (PR_SET_PDEATHSIG, SIGKILL) != 0 || getppid () != test)
    _exit (127);
}

/* A launcher whose children die with the test, their output silenced or into @log. */
static GSubprocessLauncher *
peer_launcher (const char *log)
{
  GSubprocessLauncher *launcher;

  if (log == NULL)
    launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE |
                                          G_SUBPROCESS_FLAGS_STDERR_SILENCE);
  else
    {
      launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_NONE);
      g_subprocess_launcher_set_stdout_file_path (launcher, log);
      g_subprocess_launcher_set_stderr_file_path (launcher, log);
    }
  g_subprocess_launcher_set_child_setup (launcher, die_with_test,
                                         GINT_TO_POINTER ((int) getpid ()), NULL);
  return launcher;
}

/* sipp */

GSubprocess *
dd_sipp_spawn (guint                port,
               const char          *scenario_path,
               const char          *log,
               const char * const  *extra,
               GError             **error)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autofree char *port_text = g_strdup_printf ("%u", port);
  const char * const base[] = { "sipp", "-i", "127.0.0.1", "-mi", "127.0.0.1", "-p", NULL,
                                "-sf", NULL, "-nostdin" };

  for (guint i = 0; i < G_N_ELEMENTS (base); i++)
    g_ptr_array_add (argv, (gpointer) base[i]);
  argv->pdata[6] = port_text;
  argv->pdata[8] = (gpointer) scenario_path;
  for (guint i = 0; extra != NULL && extra[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) extra[i]);
  g_ptr_array_add (argv, NULL);

  launcher = peer_launcher (log);
  return g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, error);
}

/* baresip */

static gboolean
make_tone (const char              *path,
           const DdBaresipOptions  *options,
           GError                 **error)
{
  g_autofree char *seconds = g_strdup_printf ("%u", options->tone_seconds ? options->tone_seconds
                                                                          : 60);
  g_autofree char *hz = g_strdup_printf ("%u", options->tone_hz ? options->tone_hz : 300);
  char volume[G_ASCII_DTOSTR_BUF_SIZE];
  const char *argv[] = { "sox", "-n", "-r", "8000", "-c", "1", "-b", "16", path,
                         "synth", seconds, "sine", hz, "vol", volume, NULL };
  int wait_status = 0;

  g_ascii_dtostr (volume, sizeof volume, options->tone_volume > 0 ? options->tone_volume : 0.05);
  return g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL,
                       &wait_status, error)
         && g_spawn_check_wait_status (wait_status, error);
}

static gboolean
write_config (DdBaresip               *b,
              const DdBaresipOptions  *options,
              GError                 **error)
{
  g_autofree char *source = g_build_filename (b->dir, "source.wav", NULL);
  g_autofree char *config_path = g_build_filename (b->dir, "config", NULL);
  g_autofree char *accounts_path = g_build_filename (b->dir, "accounts", NULL);
  g_autofree char *accounts = NULL;
  g_autoptr(GString) config = g_string_new (NULL);

  if (options->source_pcm != NULL)
    {
      gsize size = 0;
      const gint16 *pcm = g_bytes_get_data (options->source_pcm, &size);
      DdWavWriter *writer = dd_wav_writer_open (source, 8000, 1, error);

      if (writer == NULL)
        return FALSE;
      dd_wav_writer_write (writer, pcm, size / sizeof (gint16));
      if (!dd_wav_writer_close (writer, error))
        return FALSE;
    }
  else if (!make_tone (source, options, error))
    return FALSE;
  g_string_append_printf (config,
                          "poll_method epoll\n"
                          "sip_listen 127.0.0.1:%u\nnet_interface 127.0.0.1\n"
                          "dns_server 127.0.0.1:53\n"
                          "audio_player aubridge,nil\naudio_alert aubridge,nil\n"
                          "audio_source aufile,%s\n"
                          "module_path /usr/lib/baresip/modules\n"
                          "module g711.so\nmodule aufile.so\nmodule aubridge.so\n",
                          b->sip_port, source);
  if (options->record)
    g_string_append (config, "module sndfile.so\n");
  g_string_append_printf (config,
                          "module_app account.so\nmodule_app menu.so\nmodule_app ctrl_tcp.so\n"
                          "ctrl_tcp_listen 127.0.0.1:%u\n", b->ctrl_port);
  if (options->record)
    g_string_append_printf (config, "snd_path %s\n", b->dir);
  if (options->extra_config != NULL)
    g_string_append (config, options->extra_config);
  accounts = g_strdup_printf ("%s\n", options->account != NULL
                                        ? options->account
                                        : "<sip:bob@127.0.0.1>;regint=0;answermode=auto");
  return g_file_set_contents (config_path, config->str, -1, error)
         && g_file_set_contents (accounts_path, accounts, -1, error);
}

static GSubprocess *
spawn_baresip (DdBaresip               *b,
               const DdBaresipOptions  *options,
               GError                 **error)
{
  g_autofree char *log = options->quiet ? NULL : g_build_filename (b->dir, "baresip.log", NULL);
  g_autoptr(GSubprocessLauncher) launcher = peer_launcher (log);
  const char *argv[] = { "baresip", "-f", b->dir, NULL };

  return g_subprocess_launcher_spawnv (launcher, argv, error);
}

DdBaresip *
dd_baresip_start (const DdBaresipOptions  *options,
                  GError                 **error)
{
  static const DdBaresipOptions defaults = { 0 };
  g_autoptr(DdBaresip) b = g_new0 (DdBaresip, 1);
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  gint64 deadline;

  if (options == NULL)
    options = &defaults;
  b->said = g_string_new (NULL);
  b->dir = g_dir_make_tmp ("dd-baresip-XXXXXX", error);
  if (b->dir == NULL)
    return NULL;
  /* A port found free may be taken before baresip binds it (by another test's connection,
   * whose source ports come from the same range): baresip then exits or runs without its
   * control socket. Start it again on other ports, three times at most. */
  for (guint attempt = 0; attempt < 3 && b->ctrl == NULL; attempt++)
    {
      if (b->process != NULL)
        {
          g_subprocess_force_exit (b->process);
          g_subprocess_wait (b->process, NULL, NULL);
          g_clear_object (&b->process);
        }
      b->sip_port = dd_test_free_port (G_SOCKET_PROTOCOL_UDP);
      b->ctrl_port = dd_test_free_port (G_SOCKET_PROTOCOL_TCP);
      if (!write_config (b, options, error))
        return NULL;
      b->process = spawn_baresip (b, options, error);
      if (b->process == NULL)
        return NULL;

      /* ready when its control socket answers */
      deadline = g_get_monotonic_time () + 15 * G_TIME_SPAN_SECOND;
      while (b->ctrl == NULL && g_get_monotonic_time () < deadline &&
             g_subprocess_get_identifier (b->process) != NULL)
        {
          b->ctrl = g_socket_client_connect_to_host (client, "127.0.0.1",
                                                     (guint16) b->ctrl_port, NULL, NULL);
          if (b->ctrl == NULL)
            g_usleep (100 * G_TIME_SPAN_MILLISECOND);
        }
    }
  if (b->ctrl == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
                   "baresip in %s did not open its control socket on port %u", b->dir,
                   b->ctrl_port);
      return NULL;
    }
  g_socket_set_blocking (g_socket_connection_get_socket (b->ctrl), FALSE);
  return g_steal_pointer (&b);
}

void
dd_baresip_stop (DdBaresip *b)
{
  if (b == NULL)
    return;
  g_clear_object (&b->ctrl);
  if (b->process != NULL)
    {
      g_subprocess_send_signal (b->process, SIGTERM);
      g_subprocess_wait (b->process, NULL, NULL);
      g_clear_object (&b->process);
    }
  if (b->dir != NULL)
    dd_test_remove_tree (b->dir);
  g_string_free (b->said, TRUE);
  g_free (b->dir);
  g_free (b);
}

/* ctrl_tcp speaks JSON in netstrings */
gboolean
dd_baresip_command (DdBaresip  *b,
                    const char *command,
                    const char *params,
                    const char *token)
{
  g_autofree char *json = g_strdup_printf ("{\"command\":\"%s\",\"params\":\"%s\","
                                           "\"token\":\"%s\"}", command,
                                           params != NULL ? params : "",
                                           token != NULL ? token : "t");
  g_autofree char *netstring = g_strdup_printf ("%zu:%s,", strlen (json), json);
  GOutputStream *out = g_io_stream_get_output_stream (G_IO_STREAM (b->ctrl));

  return g_output_stream_write_all (out, netstring, strlen (netstring), NULL, NULL, NULL);
}

static void
read_said (DdBaresip *b)
{
  char buffer[8192];
  gssize n;

  while ((n = g_socket_receive (g_socket_connection_get_socket (b->ctrl), buffer,
                                sizeof buffer, NULL, NULL)) > 0)
    g_string_append_len (b->said, buffer, n);
}

gboolean
dd_baresip_said (DdBaresip  *b,
                 const char *needle)
{
  read_said (b);
  return strstr (b->said->str, needle) != NULL;
}

guint
dd_baresip_count_said (DdBaresip  *b,
                       const char *needle)
{
  guint count = 0;

  read_said (b);
  for (const char *p = b->said->str; (p = strstr (p, needle)) != NULL; p++)
    count++;
  return count;
}

gboolean
dd_baresip_wait_said (DdBaresip  *b,
                      const char *needle,
                      guint       seconds)
{
  gint64 deadline = g_get_monotonic_time () + seconds * G_TIME_SPAN_SECOND;

  while (!dd_baresip_said (b, needle) && g_get_monotonic_time () < deadline)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (10 * G_TIME_SPAN_MILLISECOND);
    }
  return dd_baresip_said (b, needle);
}

/* The engine's events */

static void
event_free (DdSipEvent *event)
{
  g_free (event->reason);
  g_free (event->text);
  g_free (event->text2);
  g_free (event->name);
  g_free (event);
}

void
dd_sip_event_log_init (DdSipEventLog *log)
{
  log->events = g_ptr_array_new_with_free_func ((GDestroyNotify) event_free);
}

DdSipCore *
dd_sip_event_log_start_core (DdSipEventLog *log)
{
  g_autoptr(GError) error = NULL;
  DdSipCore *core;

  dd_sip_event_log_init (log);
  core = dd_sip_core_start ("127.0.0.1", 0, NULL, NULL, dd_sip_event_log_add, log, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (dd_sip_core_get_port (core), >, 0);
  return core;
}

void
dd_sip_event_log_clear (DdSipEventLog *log)
{
  g_clear_pointer (&log->events, g_ptr_array_unref);
}

void
dd_sip_event_log_add (const DdSipEvent *event,
                      gpointer          user_data)
{
  DdSipEventLog *log = user_data;
  DdSipEvent *copy = g_new0 (DdSipEvent, 1);

  *copy = *event;
  copy->reason = g_strdup (event->reason);
  copy->text = g_strdup (event->text);
  copy->text2 = g_strdup (event->text2);
  copy->name = g_strdup (event->name);
  g_ptr_array_add (log->events, copy);
}

const DdSipEvent *
dd_sip_event_log_find (DdSipEventLog  *log,
                       guint           call_id,
                       DdSipEventKind  kind)
{
  for (guint i = 0; i < log->events->len; i++)
    {
      const DdSipEvent *event = g_ptr_array_index (log->events, i);

      if (event->call_id == call_id && event->kind == kind)
        return event;
    }
  return NULL;
}

const DdSipEvent *
dd_sip_event_log_wait (DdSipEventLog  *log,
                       guint           call_id,
                       DdSipEventKind  kind,
                       guint           ms)
{
  gint64 deadline = g_get_monotonic_time () + ms * G_TIME_SPAN_MILLISECOND;
  const DdSipEvent *event;

  while ((event = dd_sip_event_log_find (log, call_id, kind)) == NULL &&
         g_get_monotonic_time () < deadline)
    {
      while (g_main_context_iteration (NULL, FALSE))
        ;
      g_usleep (G_TIME_SPAN_MILLISECOND);
    }
  return event;
}

/* Pieces of the scenario: an answer without a body to the INVITE (with the callee's tag),
 * and a BYE received and answered, which ends the call. */
#define REPLY(status) \
  "<send><![CDATA[\n" \
  "SIP/2.0 " status "\n" \
  "[last_Via:]\n" \
  "[last_From:]\n" \
  "[last_To:];tag=[pid]SIPpTag01[call_number]\n" \
  "[last_Call-ID:]\n" \
  "[last_CSeq:]\n" \
  "Content-Length: 0\n" \
  "\n" \
  "]]></send>\n"
#define BYE_ANSWERED \
  "<recv request=\"BYE\"/>\n" \
  "<send next=\"end\"><![CDATA[\n" \
  "SIP/2.0 200 OK\n" \
  "[last_Via:]\n" \
  "[last_From:]\n" \
  "[last_To:]\n" \
  "[last_Call-ID:]\n" \
  "[last_CSeq:]\n" \
  "Content-Length: 0\n" \
  "\n" \
  "]]></send>\n"

/* The debtors' phones: see sip-peers.h. @KEYS@ is replaced by the declaration's keys. */
static const char debtor_callee[] =
  "<?xml version=\"1.0\" encoding=\"ISO-8859-1\" ?>\n"
  "<scenario name=\"debtors\">\n"
  "<recv request=\"INVITE\">\n"
  "<action>\n"
  "<ereg regexp=\"INVITE sip:[0-9]*[012]@\" search_in=\"msg\" check_it=\"false\" assign_to=\"declare\"/>\n"
  "<ereg regexp=\"INVITE sip:[0-9]*3@\" search_in=\"msg\" check_it=\"false\" assign_to=\"consultant\"/>\n"
  "<ereg regexp=\"INVITE sip:[0-9]*4@\" search_in=\"msg\" check_it=\"false\" assign_to=\"noanswer\"/>\n"
  "<ereg regexp=\"INVITE sip:[0-9]*5@\" search_in=\"msg\" check_it=\"false\" assign_to=\"busy\"/>\n"
  "<ereg regexp=\"INVITE sip:[0-9]*6@\" search_in=\"msg\" check_it=\"false\" assign_to=\"reject\"/>\n"
  "<ereg regexp=\"INVITE sip:[0-9]*7@\" search_in=\"msg\" check_it=\"false\" assign_to=\"hangup\"/>\n"
  "<ereg regexp=\"&lt;sip:[^&gt;]*&gt;;tag=[^;\\r\\n]*\" search_in=\"hdr\" header=\"From:\" check_it=\"false\" assign_to=\"remote\"/>\n"
  "<ereg regexp=\"sip:[^&gt;;]*\" search_in=\"hdr\" header=\"Contact:\" check_it=\"false\" assign_to=\"contact\"/>\n"
  "</action>\n"
  "</recv>\n"
  "<nop next=\"busy\" test=\"busy\"/>\n"
  "<nop next=\"reject\" test=\"reject\"/>\n"
  REPLY ("180 Ringing")
  "<pause milliseconds=\"200\"/>\n"
  "<nop next=\"noanswer\" test=\"noanswer\"/>\n"
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
  "m=audio [media_port] RTP/AVP 0 101\n"
  "a=rtpmap:0 PCMU/8000\n"
  "a=rtpmap:101 telephone-event/8000\n"
  "a=fmtp:101 0-15\n"
  "\n"
  "]]></send>\n"
  "<recv request=\"ACK\"/>\n"
  "@VOICE@"
  "<nop next=\"declare\" test=\"declare\"/>\n"
  "<nop next=\"consultant\" test=\"consultant\"/>\n"
  "<nop next=\"hangup\" test=\"hangup\"/>\n"
  BYE_ANSWERED
  "\n"
  "<label id=\"declare\"/>\n"
  "<pause milliseconds=\"800\"/>\n"
  "@KEYS@" BYE_ANSWERED
  "\n"
  "<label id=\"consultant\"/>\n"
  "<pause milliseconds=\"800\"/>\n"
  "<nop><action><exec play_pcap_audio=\"/usr/share/sip-tester/dtmf_2833_2.pcap\"/></action></nop>\n"
  "<pause milliseconds=\"400\"/>\n"
  BYE_ANSWERED
  "\n"
  "<label id=\"hangup\"/>\n"
  "<pause milliseconds=\"1200\"/>\n"
  "<send retrans=\"500\"><![CDATA[\n"
  "BYE [$contact] SIP/2.0\n"
  "Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]\n"
  "From: <sip:callee@[local_ip]:[local_port]>;tag=[pid]SIPpTag01[call_number]\n"
  "To: [$remote]\n"
  "Call-ID: [call_id]\n"
  "CSeq: 2 BYE\n"
  "Contact: <sip:callee@[local_ip]:[local_port]>\n"
  "Max-Forwards: 70\n"
  "Content-Length: 0\n"
  "\n"
  "]]></send>\n"
  "<recv response=\"200\" next=\"end\"/>\n"
  "\n"
  "<label id=\"noanswer\"/>\n"
  "<recv request=\"CANCEL\"/>\n"
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
  REPLY ("487 Request Terminated")
  "<recv request=\"ACK\" next=\"end\"/>\n"
  "\n"
  "<label id=\"busy\"/>\n"
  REPLY ("486 Busy Here")
  "<recv request=\"ACK\" next=\"end\"/>\n"
  "\n"
  "<label id=\"reject\"/>\n"
  REPLY ("603 Decline")
  "<recv request=\"ACK\" next=\"end\"/>\n"
  "\n"
  "<label id=\"end\"/>\n"
  "</scenario>\n"
  "\n";

#undef REPLY
#undef BYE_ANSWERED

char *
dd_sipp_declare_keys (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();

  /* "1" (the menu), the date as DDMM then #, 250# (the amount), 1 (confirmed): the first day
   * from 3 days on whose keys never repeat one key twice in a row (one DTMF recording per key:
   * the same key twice would be one press) */
  for (guint days = 3; days < 60; days++)
    {
      g_autoptr(GDateTime) day = g_date_time_add_days (now, (int) days);
      g_autofree char *keys = g_date_time_format (day, "1%d%m#250#1");
      gboolean repeats = FALSE;

      for (guint i = 0; keys[i + 1] != '\0'; i++)
        repeats = repeats || keys[i] == keys[i + 1];
      if (!repeats)
        return g_steal_pointer (&keys);
    }
  g_return_val_if_reached (NULL);
}

/* G.711 mu-law of one sample (the standard segment encoding). */
static guint8
ulaw_encode (gint16 sample)
{
  int value = sample;
  int sign = value < 0 ? 0x80 : 0;
  int magnitude = MIN (ABS (value), 32635) + 0x84;
  int exponent = 7;

  while (exponent > 0 && (magnitude & (0x4000 >> (7 - exponent))) == 0)
    exponent--;
  return (guint8) ~(sign | (exponent << 4) | ((magnitude >> (exponent + 3)) & 0x0f));
}

/* What an answering debtor's phone sends, raw mu-law for sipp's rtp_stream, played in a loop:
 * 0.2 s of quiet, a short "Halo?" (0.3 s of a 400 Hz sine, a word to the answering-machine
 * detector), then the quiet of someone listening, 8 s a round. A debtor who answers is there:
 * a line that sends nothing at all is dead air (dd-voice-campaign.c). */
static gboolean
write_debtor_voice (const char  *path,
                    GError     **error)
{
  gsize n = 8 * 8000;
  g_autofree guint8 *ulaw = g_new (guint8, n);

  for (gsize i = 0; i < n; i++)
    {
      gboolean word = i >= 1600 && i < 4000;

      ulaw[i] = ulaw_encode (word ? (gint16) (6000 * sin (2 * G_PI * 400 * (double) i / 8000))
                                  : 0);
    }
  return g_file_set_contents (path, (const char *) ulaw, (gssize) n, error);
}

gboolean
dd_sipp_write_debtor_callee (const char  *path,
                             const char  *declare_keys,
                             GError     **error)
{
  g_autoptr(GString) keys = g_string_new (NULL);
  g_autoptr(GString) scenario = g_string_new (debtor_callee);
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *voice = g_build_filename (dir, "debtor-voice.ul", NULL);
  g_autofree char *stream = NULL;

  if (!write_debtor_voice (voice, error))
    return FALSE;
  stream = g_strdup_printf ("<nop><action><exec rtp_stream=\"%s,-1,0\"/></action></nop>\n", voice);
  g_string_replace (scenario, "@VOICE@", stream, 1);

  for (const char *k = declare_keys; *k != '\0'; k++)
    g_string_append_printf (keys,
                            "<nop><action><exec play_pcap_audio=\"/usr/share/sip-tester/dtmf_2833_%s.pcap\"/>"
                            "</action></nop>\n<pause milliseconds=\"400\"/>\n",
                            *k == '#' ? "pound" : *k == '*' ? "star" : (char[]) { *k, '\0' });
  g_string_replace (scenario, "@KEYS@", keys->str, 1);
  return g_file_set_contents (path, scenario->str, -1, error);
}

/* Tones in what a peer heard */

double
dd_tone_power (const gint16 *samples,
               gsize         n,
               double        hz)
{
  double coeff = 2 * cos (2 * G_PI * hz / 8000.0), s1 = 0, s2 = 0;

  for (gsize i = 0; i < n; i++)
    {
      double s0 = samples[i] + coeff * s1 - s2;

      s2 = s1;
      s1 = s0;
    }
  return (s1 * s1 + s2 * s2 - coeff * s1 * s2) / ((double) n * n);
}

gsize
dd_wav_tone_windows (const char *path,
                     double      hz,
                     double      other_hz)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) received = NULL;
  const gint16 *samples;
  gsize n = 0, loud = 0;
  guint rate = 0, channels = 0;

  received = dd_wav_read (path, &rate, &channels, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rate, ==, 8000);
  samples = g_bytes_get_data (received, &n);
  n /= sizeof (gint16) * channels;
  for (gsize i = 0; i + 160 <= n; i += 160)
    {
      double power = dd_tone_power (samples + i * channels, 160, hz);

      if (power > 1e4 && power > 10 * dd_tone_power (samples + i * channels, 160, other_hz))
        loud++;
    }
  g_test_message ("%s: %zu windows of %.0f Hz in %zu samples", path, loud, hz, n);
  return loud;
}

char *
dd_baresip_heard_path (DdBaresip *b)
{
  g_autoptr(GDir) dir = g_dir_open (b->dir, 0, NULL);
  char *path = NULL;
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    if (g_str_has_suffix (name, "-dec.wav"))
      {
        g_free (path);
        path = g_build_filename (b->dir, name, NULL);
      }
  g_assert_nonnull (path);
  return path;
}

gsize
dd_baresip_heard_windows (DdBaresip *b,
                          double     hz,
                          double     other_hz)
{
  g_autofree char *path = dd_baresip_heard_path (b);

  return dd_wav_tone_windows (path, hz, other_hz);
}

DdBaresip *
dd_baresip_start_party (const char *user,
                        gboolean    answers,
                        guint       tone_hz,
                        guint       seconds)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *account = g_strdup_printf ("<sip:%s@127.0.0.1>;regint=0%s", user,
                                              answers ? ";answermode=auto" : "");
  DdBaresipOptions options = { 0 };
  DdBaresip *b;

  options.account = account;
  options.tone_hz = tone_hz;
  options.tone_volume = 0.2;
  options.tone_seconds = seconds;
  options.record = TRUE;
  options.quiet = TRUE;
  b = dd_baresip_start (&options, &error);
  g_assert_no_error (error);
  return b;
}

guint
dd_hostile_peer_count (const char *log,
                       const char *prefix)
{
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;
  guint n = 0;

  g_assert_true (g_file_get_contents (log, &text, NULL, NULL));
  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *space = strchr (lines[i], ' ');

      if (space != NULL && g_str_has_prefix (space + 1, prefix))
        n++;
    }
  return n;
}

void
dd_voice_office_fill (DdDatabase *db,
                      guint       n_cases,
                      guint       russian_every)
{
  g_autoptr(GString) sql = g_string_new ("BEGIN;"
                                         "INSERT INTO creditor (id, name, created_at)"
                                         " VALUES (1, 'Alfa Energia', 'x');");
  g_autoptr(GError) error = NULL;

  for (guint i = 1; i <= n_cases; i++)
    {
      gboolean russian = russian_every != 0 && i % russian_every == 0;

      g_string_append_printf (sql,
                              "INSERT INTO debtor (id, dedup_key, name, language, created_at,"
                              " updated_at) VALUES (%u, 'k%u', 'Dłużnik %u', '%s', 'x', 'x');"
                              "INSERT INTO phone (debtor_id, e164, kind, created_at)"
                              " VALUES (%u, '+48600%06u', 'mobile', 'x');"
                              "INSERT INTO debt_case (id, debtor_id, creditor_id, balance_minor,"
                              " currency, debtor_name, created_at, updated_at)"
                              " VALUES (%u, %u, 1, %u, 'PLN', 'Dłużnik %u', 'x', 'x');"
                              "INSERT INTO liability (case_id, invoice_no, due_on, amount_minor,"
                              " currency, created_at, updated_at) VALUES (%u, 'FV/%u', '2026-10-01',"
                              " %u, 'PLN', 'x', 'x');",
                              i, i, i, russian ? "ru" : "pl", i, i,
                              i, i, 100000 + i, i, i, i, 100000 + i);
    }
  g_string_append (sql, "COMMIT;");
  g_assert_true (dd_database_exec (db, sql->str, &error));
  g_assert_no_error (error);
}
