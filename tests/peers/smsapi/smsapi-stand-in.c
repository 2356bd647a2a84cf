/* SPDX-License-Identifier: GPL-3.0-or-later */
/* smsapi-stand-in: the SMSAPI stand-in as its own process, for tests that kill the sender.
 * Prints its URL on the first line of stdout, serves until SIGTERM/SIGINT. */
#include <glib-unix.h>
#include <stdio.h>

#include "dd-smsapi-stand-in.h"

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
  g_autofree char *token = NULL;
  int port = 0;
  int answer_ms = 0;
  int delivery_ms = 0;
  GOptionEntry entries[] = {
    { "token", 0, 0, G_OPTION_ARG_STRING, &token, "Bearer token to accept", "TOKEN" },
    { "port", 0, 0, G_OPTION_ARG_INT, &port, "Port on 127.0.0.1 (0: any)", "PORT" },
    { "answer-ms", 0, 0, G_OPTION_ARG_INT, &answer_ms, "Delay of each answer", "MS" },
    { "delivery-ms", 0, 0, G_OPTION_ARG_INT, &delivery_ms, "Delay until delivered", "MS" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(DdSmsapiStandIn) stand_in = NULL;
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }
  stand_in = dd_smsapi_stand_in_new (token ? token : "test-token", (guint) MAX (port, 0), &error);
  if (stand_in == NULL)
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }
  dd_smsapi_stand_in_add_sender (stand_in, "Windykacja");
  dd_smsapi_stand_in_set_delays (stand_in, (guint) MAX (answer_ms, 0), (guint) MAX (delivery_ms, 0));
  printf ("%s\n", dd_smsapi_stand_in_get_url (stand_in));
  fflush (stdout);
  g_unix_signal_add (SIGTERM, on_signal, loop);
  g_unix_signal_add (SIGINT, on_signal, loop);
  g_main_loop_run (loop);
  return 0;
}
