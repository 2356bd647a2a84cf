/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "dd-migrations.h"
#include "dd-core-resources.h"
#include "dd-database.h"

#include <glib/gi18n-lib.h>
#include <stdlib.h>

static void
migration_clear (gpointer data)
{
  g_free (((DdMigration *) data)->name);
}

static int
migration_compare (gconstpointer a,
                   gconstpointer b)
{
  const DdMigration *ma = a, *mb = b;

  return (ma->version > mb->version) - (ma->version < mb->version);
}

GArray *
dd_migrations_list (const char *dir)
{
  g_auto(GStrv) names = NULL;
  GArray *migrations;

  migrations = g_array_new (FALSE, TRUE, sizeof (DdMigration));
  g_array_set_clear_func (migrations, migration_clear);

  names = g_resource_enumerate_children (dd_core_get_resource (), dir,
                                         G_RESOURCE_LOOKUP_FLAGS_NONE, NULL);
  for (guint i = 0; names != NULL && names[i] != NULL; i++)
    {
      DdMigration m;
      char *end = NULL;

      m.version = (guint) strtoul (names[i], &end, 10);
      if (m.version == 0 || end == names[i] || !g_str_has_suffix (names[i], ".sql"))
        continue;
      m.name = g_strdup (names[i]);
      g_array_append_val (migrations, m);
    }
  g_array_sort (migrations, migration_compare);

  for (guint i = 1; i < migrations->len; i++)
    g_assert (g_array_index (migrations, DdMigration, i).version >
              g_array_index (migrations, DdMigration, i - 1).version);

  return migrations;
}

guint
dd_migrations_latest (GArray *migrations)
{
  return migrations->len > 0
         ? g_array_index (migrations, DdMigration, migrations->len - 1).version : 0;
}

char *
dd_migrations_load (const char         *dir,
                    const DdMigration  *migration,
                    GError            **error)
{
  g_autofree char *path = g_strconcat (dir, migration->name, NULL);
  g_autoptr(GBytes) bytes = NULL;

  bytes = g_resource_lookup_data (dd_core_get_resource (), path,
                                  G_RESOURCE_LOOKUP_FLAGS_NONE, error);
  if (bytes == NULL)
    return NULL;
  return g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
}

gboolean
dd_migrations_run (GArray                *migrations,
                   guint                  current,
                   guint                  target,
                   DdMigrationApplyFunc   apply,
                   gpointer               db,
                   GError               **error)
{
  guint latest = dd_migrations_latest (migrations);

  if (target == 0 || target > latest)
    target = latest;
  if (current > latest)
    {
      g_set_error (error, DD_DATABASE_ERROR, DD_DATABASE_ERROR_TOO_NEW,
                   _("The office database was created by a newer version of Dunning Desk "
                     "(schema %u; this version knows up to %u). Please update the application."),
                   current, latest);
      return FALSE;
    }
  for (guint i = 0; i < migrations->len; i++)
    {
      const DdMigration *m = &g_array_index (migrations, DdMigration, i);

      if (m->version > current && m->version <= target && !apply (db, m, error))
        return FALSE;
    }
  return TRUE;
}

void
dd_migrations_set_error (GError             **error,
                         const DdMigration   *migration,
                         const GError        *cause)
{
  g_set_error (error, DD_DATABASE_ERROR, DD_DATABASE_ERROR_MIGRATION,
               _("Could not update the office database to version %u: %s"),
               migration->version, cause->message);
}
