/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "sip-peers.h"

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

  if (log == NULL)
    launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE |
                                          G_SUBPROCESS_FLAGS_STDERR_SILENCE);
  else
    {
      launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_NONE);
      g_subprocess_launcher_set_stdout_file_path (launcher, log);
      g_subprocess_launcher_set_stderr_file_path (launcher, log);
    }
  return g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, error);
}

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
  "<send><![CDATA[\n"
  "SIP/2.0 180 Ringing\n"
  "[last_Via:]\n"
  "[last_From:]\n"
  "[last_To:];tag=[pid]SIPpTag01[call_number]\n"
  "[last_Call-ID:]\n"
  "[last_CSeq:]\n"
  "Content-Length: 0\n"
  "\n"
  "]]></send>\n"
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
  "<nop next=\"declare\" test=\"declare\"/>\n"
  "<nop next=\"consultant\" test=\"consultant\"/>\n"
  "<nop next=\"hangup\" test=\"hangup\"/>\n"
  "<recv request=\"BYE\"/>\n"
  "<send next=\"end\"><![CDATA[\n"
  "SIP/2.0 200 OK\n"
  "[last_Via:]\n"
  "[last_From:]\n"
  "[last_To:]\n"
  "[last_Call-ID:]\n"
  "[last_CSeq:]\n"
  "Content-Length: 0\n"
  "\n"
  "]]></send>\n"
  "\n"
  "<label id=\"declare\"/>\n"
  "<pause milliseconds=\"800\"/>\n"
  "@KEYS@<recv request=\"BYE\"/>\n"
  "<send next=\"end\"><![CDATA[\n"
  "SIP/2.0 200 OK\n"
  "[last_Via:]\n"
  "[last_From:]\n"
  "[last_To:]\n"
  "[last_Call-ID:]\n"
  "[last_CSeq:]\n"
  "Content-Length: 0\n"
  "\n"
  "]]></send>\n"
  "\n"
  "<label id=\"consultant\"/>\n"
  "<pause milliseconds=\"800\"/>\n"
  "<nop><action><exec play_pcap_audio=\"/usr/share/sip-tester/dtmf_2833_2.pcap\"/></action></nop>\n"
  "<pause milliseconds=\"400\"/>\n"
  "<recv request=\"BYE\"/>\n"
  "<send next=\"end\"><![CDATA[\n"
  "SIP/2.0 200 OK\n"
  "[last_Via:]\n"
  "[last_From:]\n"
  "[last_To:]\n"
  "[last_Call-ID:]\n"
  "[last_CSeq:]\n"
  "Content-Length: 0\n"
  "\n"
  "]]></send>\n"
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
  "<send><![CDATA[\n"
  "SIP/2.0 487 Request Terminated\n"
  "[last_Via:]\n"
  "[last_From:]\n"
  "[last_To:];tag=[pid]SIPpTag01[call_number]\n"
  "[last_Call-ID:]\n"
  "[last_CSeq:]\n"
  "Content-Length: 0\n"
  "\n"
  "]]></send>\n"
  "<recv request=\"ACK\" next=\"end\"/>\n"
  "\n"
  "<label id=\"busy\"/>\n"
  "<send><![CDATA[\n"
  "SIP/2.0 486 Busy Here\n"
  "[last_Via:]\n"
  "[last_From:]\n"
  "[last_To:];tag=[pid]SIPpTag01[call_number]\n"
  "[last_Call-ID:]\n"
  "[last_CSeq:]\n"
  "Content-Length: 0\n"
  "\n"
  "]]></send>\n"
  "<recv request=\"ACK\" next=\"end\"/>\n"
  "\n"
  "<label id=\"reject\"/>\n"
  "<send><![CDATA[\n"
  "SIP/2.0 603 Decline\n"
  "[last_Via:]\n"
  "[last_From:]\n"
  "[last_To:];tag=[pid]SIPpTag01[call_number]\n"
  "[last_Call-ID:]\n"
  "[last_CSeq:]\n"
  "Content-Length: 0\n"
  "\n"
  "]]></send>\n"
  "<recv request=\"ACK\" next=\"end\"/>\n"
  "\n"
  "<label id=\"end\"/>\n"
  "</scenario>\n"
  "\n";

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

gboolean
dd_sipp_write_debtor_callee (const char  *path,
                             const char  *declare_keys,
                             GError     **error)
{
  g_autoptr(GString) keys = g_string_new (NULL);
  g_autoptr(GString) scenario = g_string_new (debtor_callee);

  for (const char *k = declare_keys; *k != '\0'; k++)
    g_string_append_printf (keys,
                            "<nop><action><exec play_pcap_audio=\"/usr/share/sip-tester/dtmf_2833_%s.pcap\"/>"
                            "</action></nop>\n<pause milliseconds=\"400\"/>\n",
                            *k == '#' ? "pound" : *k == '*' ? "star" : (char[]) { *k, '\0' });
  g_string_replace (scenario, "@KEYS@", keys->str, 1);
  return g_file_set_contents (path, scenario->str, -1, error);
}
