/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "dd-claim"

#include "config.h"

#include "dd-claim.h"

#include <string.h>
#include <unistd.h>

/* The start time of process @pid (clock ticks since boot, /proc/PID/stat field 22), or NULL
 * when there is no such process (or it has ended). */
static char *
process_start (gint64 pid)
{
  g_autofree char *path = g_strdup_printf ("/proc/%" G_GINT64_FORMAT "/stat", pid);
  g_autofree char *contents = NULL;
  g_auto(GStrv) fields = NULL;
  const char *after;

  if (!g_file_get_contents (path, &contents, NULL, NULL))
    return NULL;
  /* the command name (field 2) may hold spaces and parentheses: the fields follow its last ')' */
  after = strrchr (contents, ')');
  if (after == NULL)
    return NULL;
  fields = g_strsplit (after + 1, " ", 0);
  /* fields[0] is empty (the space after ')'), fields[1] is field 3 (the state): a zombie
   * (killed, not yet waited for) is gone too */
  if (g_strv_length (fields) < 21 || g_str_equal (fields[1], "Z") || g_str_equal (fields[1], "X"))
    return NULL;
  return g_strdup (fields[20]);
}

static char *
boot_id (void)
{
  g_autofree char *contents = NULL;

  if (!g_file_get_contents ("/proc/sys/kernel/random/boot_id", &contents, NULL, NULL))
    return g_strdup ("-");
  return g_strdup (g_strstrip (contents));
}

const char *
dd_claim_owner (void)
{
  static char *owner;

  if (g_once_init_enter (&owner))
    {
      g_autofree char *host = g_strdelimit (g_strdup (g_get_host_name ()), " ", '_');
      g_autofree char *boot = boot_id ();
      g_autofree char *start = process_start ((gint64) getpid ());

      g_once_init_leave (&owner, g_strdup_printf ("%s %s %" G_GINT64_FORMAT " %s", host,
                                                          boot, (gint64) getpid (),
                                                          start != NULL ? start : "-"));
    }
  return owner;
}

gboolean
dd_claim_is_abandoned (const char *owner,
                       const char *heartbeat_at,
                       gint64      now,
                       guint       lease_seconds)
{
  g_auto(GStrv) mine = NULL;
  g_auto(GStrv) theirs = NULL;
  g_autoptr(GDateTime) heard = NULL;

  if (owner == NULL || *owner == '\0' || g_str_equal (owner, dd_claim_owner ()))
    return TRUE;

  mine = g_strsplit (dd_claim_owner (), " ", 4);
  theirs = g_strsplit (owner, " ", 4);
  if (g_strv_length (theirs) == 4 && g_str_equal (mine[0], theirs[0]) &&
      g_str_equal (mine[1], theirs[1]) && !g_str_equal (theirs[3], "-"))
    {
      /* a process of this computer since its last start: is it still running? (the start time
       * tells it from a later process given the same pid) */
      g_autofree char *start = process_start (g_ascii_strtoll (theirs[2], NULL, 10));

      return g_strcmp0 (start, theirs[3]) != 0;
    }

  /* another computer: alive while it says so */
  heard = heartbeat_at != NULL ? g_date_time_new_from_iso8601 (heartbeat_at, NULL) : NULL;
  if (heard == NULL)
    return TRUE;
  return now - g_date_time_to_unix (heard) > (gint64) lease_seconds;
}

gboolean
dd_claim_take_over (DdDatabase  *database,
                    const char  *update,
                    const char  *now,
                    gint64       id,
                    const char  *previous_owner,
                    gboolean    *out_taken,
                    GError     **error)
{
  const char *previous = previous_owner != NULL ? previous_owner : "";
  gboolean ok;

  if (now != NULL)
    ok = dd_database_execute (database, error, update, DD_TEXT (dd_claim_owner ()),
                              DD_TEXT (now), DD_INT (id), DD_TEXT (previous), DD_END);
  else
    ok = dd_database_execute (database, error, update, DD_TEXT (dd_claim_owner ()),
                              DD_INT (id), DD_TEXT (previous), DD_END);
  *out_taken = ok && dd_database_changes (database) > 0;
  return ok;
}
