/* SPDX-License-Identifier: GPL-3.0-or-later */
/* twilio-stand-in: the Twilio stand-in as its own process, for the command line's tests.
 * Prints its URL on the first line of stdout; on SIGTERM/SIGINT prints, one per line, the
 * recipients of the messages it accepted, and ends. */
#include <glib-unix.h>
#include <stdio.h>

#include "dd-twilio-stand-in.h"

static gboolean
on_signal (gpointer user_data)
{
  g_main_loop_quit (user_data);
  return G_SOURCE_REMOVE;
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *sid = NULL;
  g_autofree char *token = NULL;
  g_autofree char *number = NULL;
  GOptionEntry entries[] = {
    { "sid", 0, 0, G_OPTION_ARG_STRING, &sid, "Account SID to accept", "AC…" },
    { "token", 0, 0, G_OPTION_ARG_STRING, &token, "Auth token to accept", "TOKEN" },
    { "number", 0, 0, G_OPTION_ARG_STRING, &number, "The account's number", "E164" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(DdTwilioStandIn) stand_in = NULL;
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  GPtrArray *accepted;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }
  stand_in = dd_twilio_stand_in_new (sid ? sid : "AC00000000000000000000000000000000",
                                     token ? token : "test-token",
                                     number ? number : "+48500100200", &error);
  if (stand_in == NULL)
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }
  printf ("%s\n", dd_twilio_stand_in_get_url (stand_in));
  fflush (stdout);
  g_unix_signal_add (SIGTERM, on_signal, loop);
  g_unix_signal_add (SIGINT, on_signal, loop);
  g_main_loop_run (loop);

  accepted = dd_twilio_stand_in_get_accepted (stand_in);
  for (guint i = 0; i < accepted->len; i++)
    printf ("%s\n", ((DdTwilioAccepted *) g_ptr_array_index (accepted, i))->to);
  fflush (stdout);
  return 0;
}
