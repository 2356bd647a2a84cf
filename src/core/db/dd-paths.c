/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "dd-paths"

#include "config.h"

#include "dd-paths.h"

char *
dd_paths_get_data_dir (void)
{
  return g_build_filename (g_get_user_data_dir (), "dunning-desk", NULL);
}

char *
dd_paths_get_default_database (void)
{
  g_autofree char *dir = dd_paths_get_data_dir ();

  return g_build_filename (dir, "office.db", NULL);
}
