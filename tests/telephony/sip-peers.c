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
