/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Try the Line, in a SIP account's editor: a real test call through the line (to sipp), spoken
 * with the text-to-speech voice. Its own program: speaking loads GStreamer, whose start-up
 * allocations LeakSanitizer recognises only with full stack unwinds (see meson.build). */
#define G_LOG_DOMAIN "test-sip-lines"

#include "config.h"

#include <adwaita.h>
#define G_SETTINGS_ENABLE_BACKEND
#include <gio/gsettingsbackend.h>
#include <glib/gstdio.h>

#include "dd-test-ui.h"
#include "sip-peers.h"
#include "dd-context.h"
#include "dd-database.h"
#include "dd-preferences-window.h"
#include "dd-sip-account-editor-private.h"

#define SCREENSHOT_PREFIX "test-sip-lines"

/* sipp as the callee of a test call: @answer TRUE answers and waits for our BYE, FALSE says
 * busy. */
static GSubprocess *
start_callee (const char *dir,
              guint       port,
              gboolean    answer)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (dir, answer ? "answer.xml" : "busy.xml", NULL);
  g_autofree char *port_text = g_strdup_printf ("%u", port);
  GSubprocess *process;
  const char *scenario = answer
    ? "<?xml version=\"1.0\" encoding=\"ISO-8859-1\" ?>\n<scenario name=\"answer\">\n"
      "<recv request=\"INVITE\"/>\n"
      "<send><![CDATA[\nSIP/2.0 200 OK\n[last_Via:]\n[last_From:]\n"
      "[last_To:];tag=[pid]SIPpTag01[call_number]\n[last_Call-ID:]\n[last_CSeq:]\n"
      "Contact: <sip:debtor@[local_ip]:[local_port]>\nContent-Type: application/sdp\n"
      "Content-Length: [len]\n\nv=0\no=- 1 1 IN IP4 [media_ip]\ns=-\nc=IN IP4 [media_ip]\n"
      "t=0 0\nm=audio [media_port] RTP/AVP 0\na=rtpmap:0 PCMU/8000\n]]></send>\n"
      "<recv request=\"ACK\"/>\n<recv request=\"BYE\" timeout=\"20000\"/>\n"
      "<send><![CDATA[\nSIP/2.0 200 OK\n[last_Via:]\n[last_From:]\n[last_To:]\n"
      "[last_Call-ID:]\n[last_CSeq:]\nContent-Length: 0\n\n]]></send>\n</scenario>\n"
    : "<?xml version=\"1.0\" encoding=\"ISO-8859-1\" ?>\n<scenario name=\"busy\">\n"
      "<recv request=\"INVITE\"/>\n"
      "<send><![CDATA[\nSIP/2.0 486 Busy Here\n[last_Via:]\n[last_From:]\n"
      "[last_To:];tag=[pid]SIPpTag01[call_number]\n[last_Call-ID:]\n[last_CSeq:]\n"
      "Content-Length: 0\n\n]]></send>\n<recv request=\"ACK\"/>\n</scenario>\n";

  g_assert_true (g_file_set_contents (path, scenario, -1, NULL));
  {
    const char *extra[] = { "-m", "1", NULL };

    process = dd_sipp_spawn (port, path, NULL, extra, &error);
  }
  g_assert_no_error (error);
  dd_test_iterate_for (400);
  return process;
}

static char *
try_and_wait (DdSipAccountEditor *editor,
              const char         *number)
{
  gint64 until = g_get_monotonic_time () + 20 * G_TIME_SPAN_SECOND;

  _dd_sip_account_editor_try (editor, number);
  while (_dd_sip_account_editor_is_calling (editor) && g_get_monotonic_time () < until)
    dd_test_iterate_for (20);
  g_assert_false (_dd_sip_account_editor_is_calling (editor));
  return g_strdup (_dd_sip_account_editor_get_try_result (editor));
}

/* Try the Line in the account's editor: a test call through the saved line says how it went,
 * in words (busy with the operator's status; answered and completed). */
static void
test_sip_try_line (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DdTestOffice) f = dd_test_office_new_with_context ("sip-lines", TRUE);
  g_autofree char *dir = NULL;
  g_autofree char *busy_uri = NULL;
  g_autofree char *answer_uri = NULL;
  g_autofree char *result = NULL;
  DdPreferencesWindow *window;
  GtkWidget *editor;
  DdSipEngine *engine;
  g_autofree char *sipp = g_find_program_in_path ("sipp");
  guint port;
  gint64 until;

  if (sipp == NULL)
    {
      g_test_skip ("sipp (sip-tester) is not installed");
      return;
    }
  dir = g_dir_make_tmp ("dd-try-line-XXXXXX", &error);
  g_assert_no_error (error);
  g_settings_set_string (f->settings, "sip-local-address", "127.0.0.1");
  g_settings_set_string (f->settings, "sip-accounts",
                         "[{\"name\": \"Operator\", \"aor\": \"sip:48221110001@127.0.0.1\"}]");
  window = dd_test_show_window (dd_preferences_window_new (NULL, f->context));
  adw_preferences_window_set_visible_page_name (ADW_PREFERENCES_WINDOW (window), "sip-accounts");
  /* the line is in the engine once its (absent) password has been looked up */
  until = g_get_monotonic_time () + 10 * G_TIME_SPAN_SECOND;
  while (((engine = dd_context_peek_sip_engine (f->context)) == NULL ||
          dd_sip_engine_get_account_state (engine, "Operator", NULL, NULL) ==
          DD_SIP_ACCOUNT_UNKNOWN) && g_get_monotonic_time () < until)
    dd_test_iterate_for (20);
  g_assert_nonnull (engine);

  editor = dd_sip_account_editor_new (f->context, "Operator");
  gtk_window_set_transient_for (GTK_WINDOW (editor), GTK_WINDOW (window));
  gtk_window_present (GTK_WINDOW (editor));
  dd_test_iterate_for (100);

  /* not a number */
  _dd_sip_account_editor_try (DD_SIP_ACCOUNT_EDITOR (editor), "mój telefon");
  g_assert_cmpstr (_dd_sip_account_editor_get_try_result (DD_SIP_ACCOUNT_EDITOR (editor)), ==,
                   "Type the number to call, such as your own mobile.");
  g_assert_false (_dd_sip_account_editor_is_calling (DD_SIP_ACCOUNT_EDITOR (editor)));

  /* busy */
  port = dd_test_free_port (G_SOCKET_PROTOCOL_UDP);
  busy_uri = g_strdup_printf ("sip:debtor@127.0.0.1:%u", port);
  {
    g_autoptr(GSubprocess) callee = start_callee (dir, port, FALSE);

    result = try_and_wait (DD_SIP_ACCOUNT_EDITOR (editor), busy_uri);
    g_assert_cmpstr (result, ==, "Busy (486 Busy Here)");
    g_subprocess_wait (callee, NULL, NULL);
  }

  /* answered: the whole message plays, then the desk hangs up */
  port = dd_test_free_port (G_SOCKET_PROTOCOL_UDP);
  answer_uri = g_strdup_printf ("sip:debtor@127.0.0.1:%u", port);
  {
    g_autoptr(GSubprocess) callee = start_callee (dir, port, TRUE);

    g_free (result);
    result = try_and_wait (DD_SIP_ACCOUNT_EDITOR (editor), answer_uri);
    g_assert_cmpstr (result, ==, "Answered and completed");
    g_assert_true (g_subprocess_wait (callee, NULL, NULL));
    g_assert_cmpint (g_subprocess_get_exit_status (callee), ==, 0);
  }
  dd_test_save_screenshot (SCREENSHOT_PREFIX, "try-line");

  gtk_window_destroy (GTK_WINDOW (editor));
  dd_test_destroy_window (GTK_WINDOW (window));
  dd_test_remove_tree (dir);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  adw_init ();
  g_test_add_func ("/dd/ui/sip-lines/try-the-line", test_sip_try_line);
  return g_test_run ();
}
