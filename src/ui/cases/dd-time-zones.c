/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "dd-time-zones.h"

#include <string.h>

#define ZONE_TAB "/usr/share/zoneinfo/tzdata.zi"

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return g_strcmp0 (*(const char **) a, *(const char **) b);
}

/* The IANA zone names of tzdata ("Europe/Warsaw"), sorted, after "" for the system's. */
GPtrArray *
dd_time_zone_names (const char *current)
{
  g_autoptr(GPtrArray) zones = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;
  gboolean found = current == NULL || *current == '\0';

  if (g_file_get_contents (ZONE_TAB, &contents, NULL, NULL))
    {
      lines = g_strsplit (contents, "\n", -1);
      for (guint i = 0; lines[i] != NULL; i++)
        {
          g_auto(GStrv) fields = NULL;
          const char *name = NULL;

          /* "Z Europe/Warsaw 1:24 ..." a zone, "L Europe/Warsaw Europe/Lisbon..." a link:
           * links are old names kept for compatibility, so only zones are offered */
          if (!g_str_has_prefix (lines[i], "Z "))
            continue;
          fields = g_strsplit (lines[i], " ", 3);
          name = fields[1];
          if (name == NULL || strchr (name, '/') == NULL || g_str_has_prefix (name, "Etc/"))
            continue;
          g_ptr_array_add (zones, g_strdup (name));
          found = found || g_strcmp0 (name, current) == 0;
        }
    }
  if (!found)
    g_ptr_array_add (zones, g_strdup (current));
  g_ptr_array_sort (zones, compare_strings);
  g_ptr_array_insert (zones, 0, g_strdup (""));

  return g_steal_pointer (&zones);
}

