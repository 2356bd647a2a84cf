/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "dunning-desk-cli"

#include "config.h"

#include "dd-cli-private.h"

/* call: one call, for tests and support */

static char *opt_say;
static char *opt_voice;
static char *opt_record;
static char *opt_from;
static char *opt_listen;
static int opt_expect_digits;
static int opt_ring_timeout = 30;
static int opt_digit_timeout = 5;

static GOptionEntry call_entries[] = {
  { "say", 0, 0, G_OPTION_ARG_STRING, &opt_say, N_("Text to speak when answered"), N_("TEXT") },
  { "voice", 0, 0, G_OPTION_ARG_STRING, &opt_voice, N_("Voice: pl, ru or en (default: pl)"),
    N_("LANG") },
  { "expect-digits", 0, 0, G_OPTION_ARG_INT, &opt_expect_digits,
    N_("Wait for this many keys pressed, then hang up"), N_("N") },
  { "digit-timeout", 0, 0, G_OPTION_ARG_INT, &opt_digit_timeout,
    N_("Seconds to wait for keys after the prompt (default: 5)"), N_("SECONDS") },
  { "record", 0, 0, G_OPTION_ARG_FILENAME, &opt_record,
    N_("Record what the called party sends to a WAV file"), N_("FILE") },
  { "from", 0, 0, G_OPTION_ARG_STRING, &opt_from,
    N_("Caller URI (default: sip:dunning-desk@ADDRESS)"), N_("URI") },
  { "listen", 0, 0, G_OPTION_ARG_STRING, &opt_listen,
    N_("Local address for SIP and RTP (default: 127.0.0.1)"), N_("ADDRESS") },
  { "ring-timeout", 0, 0, G_OPTION_ARG_INT, &opt_ring_timeout,
    N_("Seconds to let it ring (default: 30)"), N_("SECONDS") },
  DD_CLI_JSON_ENTRY,
  { NULL }
};

typedef struct
{
  GMainLoop   *loop;
  DdSipCore   *core;
  guint        call_id;
  GBytes      *prompt;
  DdWavWriter *writer;
  GString     *digits;
  gboolean     answered;
  char        *codec;
  DdSipCause   cause;
  guint        status;
  char        *reason;
  guint        digit_timer;
} CallRun;

static gboolean
on_digit_timeout (gpointer user_data)
{
  CallRun *run = user_data;

  run->digit_timer = 0;
  dd_sip_core_hangup (run->core, run->call_id, 0);
  return G_SOURCE_REMOVE;
}

static void
on_call_event (const DdSipEvent *event,
               gpointer          user_data)
{
  CallRun *run = user_data;

  if (event->call_id != run->call_id)
    return;
  switch (event->kind)
    {
    case DD_SIP_EVENT_ANSWERED:
      run->answered = TRUE;
      run->codec = g_strdup (event->text);
      if (run->writer != NULL)
        dd_sip_core_record (run->core, run->call_id, run->writer);
      if (run->prompt != NULL)
        dd_sip_core_play (run->core, run->call_id, run->prompt, 1, TRUE);
      else if (opt_expect_digits > 0)
        run->digit_timer = g_timeout_add_seconds ((guint) MAX (opt_digit_timeout, 1),
                                                  on_digit_timeout, run);
      else
        dd_sip_core_hangup (run->core, run->call_id, 0);
      break;
    case DD_SIP_EVENT_DTMF:
      g_string_append_c (run->digits, event->digit);
      if (opt_expect_digits > 0 && run->digits->len >= (gsize) opt_expect_digits)
        dd_sip_core_hangup (run->core, run->call_id, 0);
      break;
    case DD_SIP_EVENT_PLAYBACK_FINISHED:
      if (opt_expect_digits > 0 && run->digits->len < (gsize) opt_expect_digits)
        {
          if (run->digit_timer == 0)
            run->digit_timer = g_timeout_add_seconds ((guint) MAX (opt_digit_timeout, 1),
                                                      on_digit_timeout, run);
        }
      else if (!event->interrupted || opt_expect_digits <= 0)
        dd_sip_core_hangup (run->core, run->call_id, 0);
      break;
    case DD_SIP_EVENT_ENDED:
      run->cause = event->cause;
      run->status = event->status;
      run->reason = g_strdup (event->reason);
      g_main_loop_quit (run->loop);
      break;
    default:
      break;
    }
}

int
dd_cli_call (int    argc,
             char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (_("URI — place one call"));
  g_autoptr(GError) error = NULL;
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autofree char *from = NULL;
  CallRun run = { 0 };
  DdSipDialParams params = { 0 };
  int status;

  if (!dd_cli_parse_options (context, call_entries, &argc, &argv))
    return 2;
  if (argc != 2 || !g_str_has_prefix (argv[1], "sip:"))
    return dd_cli_usage_error (_("Give the number to call as a SIP URI, such as sip:48601000111@pbx.example."));
  if (opt_say != NULL)
    {
      run.prompt = dd_tts_prompt (opt_say, opt_voice != NULL ? opt_voice : "pl", &error);
      if (run.prompt == NULL)
        return dd_cli_fail (error);
    }
  if (opt_record != NULL)
    {
      run.writer = dd_wav_writer_open (opt_record, 8000, 1, &error);
      if (run.writer == NULL)
        {
          dd_cli_print_error (error->message);
          g_clear_pointer (&run.prompt, g_bytes_unref);
          return 1;
        }
    }
  run.loop = loop;
  run.digits = g_string_new (NULL);
  run.core = dd_sip_core_start (opt_listen != NULL ? opt_listen : "127.0.0.1", 0, NULL, NULL,
                                on_call_event, &run, &error);
  if (run.core == NULL)
    {
      dd_cli_print_error (error->message);
      status = 1;
      goto out;
    }
  from = opt_from != NULL ? g_strdup (opt_from)
                          : g_strdup_printf ("sip:dunning-desk@%s",
                                             dd_sip_core_get_address (run.core));
  run.call_id = dd_sip_core_new_call_id (run.core);
  params.to_uri = argv[1];
  params.from_uri = from;
  params.from_name = "Dunning Desk";
  params.contact_user = "dunning-desk";
  params.ring_timeout_ms = (guint) MAX (opt_ring_timeout, 1) * 1000;
  dd_sip_core_dial (run.core, run.call_id, &params);
  g_main_loop_run (loop);
  g_clear_handle_id (&run.digit_timer, g_source_remove);
  dd_sip_core_stop (run.core);

  if (dd_cli_json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_object (builder);
      dd_json_add_boolean (builder, "answered", run.answered);
      dd_json_add_string (builder, "cause", dd_sip_cause_to_string (run.cause));
      dd_json_add_int (builder, "status", run.status);
      dd_json_add_string (builder, "reason", run.reason);
      dd_json_add_string (builder, "codec", run.codec);
      dd_json_add_string (builder, "digits", run.digits->str);
      json_builder_end_object (builder);
      dd_cli_print_json (builder);
    }
  else
    /* Translators: the result of one call on the command line: answered or not, why it ended
     * (a code such as "busy"), the SIP status, the keys pressed */
    g_print (_("%s; ended: %s (SIP %u %s); keys: %s\n"),
             run.answered ? _("Answered") : _("Not answered"), dd_sip_cause_to_string (run.cause),
             run.status, run.reason != NULL ? run.reason : "",
             run.digits->len > 0 ? run.digits->str : _("none"));
  status = run.answered ? 0 : 1;

out:
  if (run.writer != NULL && !dd_wav_writer_close (run.writer, &error))
    dd_cli_print_error (error->message);
  g_clear_pointer (&run.prompt, g_bytes_unref);
  g_string_free (run.digits, TRUE);
  g_free (run.codec);
  g_free (run.reason);
  return status;
}
