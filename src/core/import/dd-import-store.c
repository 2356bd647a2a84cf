/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "dd-import-store"

#include "config.h"

#include "dd-import-store.h"

DD_DEFINE_STORE (DdImportStore, dd_import_store)

gboolean
dd_import_store_begin_run (DdImportStore  *self,
                           const char     *file_name,
                           const char     *encoding,
                           const char     *delimiter,
                           gint64         *out_run_id,
                           GError        **error)
{
  g_autofree char *now = dd_timestamp_now ();
  DdStatement *stmt;

  stmt = dd_database_cached (dd_store_db (self),
                             "INSERT INTO import_run (file_name, encoding, delimiter, started_at)"
                             " VALUES (?, ?, ?, ?)",
                             error);
  if (stmt == NULL)
    return FALSE;
  dd_statement_bind_text (stmt, 1, file_name);
  dd_statement_bind_text (stmt, 2, encoding);
  dd_statement_bind_text (stmt, 3, delimiter);
  dd_statement_bind_text (stmt, 4, now);
  return dd_statement_run_insert (stmt, out_run_id, error);
}

gboolean
dd_import_store_finish_run (DdImportStore  *self,
                            gint64          run_id,
                            const char     *summary_json,
                            GError        **error)
{
  g_autofree char *now = dd_timestamp_now ();
  DdStatement *stmt;

  stmt = dd_database_cached (dd_store_db (self),
                             "UPDATE import_run SET finished_at = ?, summary = ? WHERE id = ?",
                             error);
  if (stmt == NULL)
    return FALSE;
  dd_statement_bind_text (stmt, 1, now);
  dd_statement_bind_text (stmt, 2, summary_json);
  dd_statement_bind_int64 (stmt, 3, run_id);
  return dd_statement_run (stmt, error);
}

gboolean
dd_import_store_save_preset (DdImportStore  *self,
                             const char     *name,
                             const char     *mapping_json,
                             GError        **error)
{
  g_autofree char *now = dd_timestamp_now ();
  DdStatement *stmt;

  stmt = dd_database_cached (dd_store_db (self),
                             "INSERT INTO import_preset (name, mapping, created_at, updated_at)"
                             " VALUES (?, ?, ?, ?) ON CONFLICT (name) DO UPDATE"
                             " SET mapping = excluded.mapping, updated_at = excluded.updated_at",
                             error);
  if (stmt == NULL)
    return FALSE;
  dd_statement_bind_text (stmt, 1, name);
  dd_statement_bind_text (stmt, 2, mapping_json);
  dd_statement_bind_text (stmt, 3, now);
  dd_statement_bind_text (stmt, 4, now);
  return dd_statement_run (stmt, error);
}

char *
dd_import_store_load_preset (DdImportStore  *self,
                             const char     *name,
                             GError        **error)
{
  g_autoptr(GError) local_error = NULL;
  DdStatement *stmt;
  char *mapping = NULL;

  stmt = dd_database_cached (dd_store_db (self),
                             "SELECT mapping FROM import_preset WHERE name = ?", error);
  if (stmt == NULL)
    return NULL;
  dd_statement_bind_text (stmt, 1, name);
  if (dd_statement_step (stmt, &local_error))
    mapping = g_strdup (dd_statement_get_text (stmt, 0));
  dd_statement_reset (stmt);
  if (local_error != NULL)
    g_propagate_error (error, g_steal_pointer (&local_error));
  return mapping;
}

GStrv
dd_import_store_list_presets (DdImportStore  *self,
                              GError        **error)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_autoptr(GError) local_error = NULL;
  DdStatement *stmt;

  stmt = dd_database_cached (dd_store_db (self),
                             "SELECT name FROM import_preset ORDER BY name", error);
  if (stmt == NULL)
    return NULL;
  while (dd_statement_step (stmt, &local_error))
    g_strv_builder_add (builder, dd_statement_get_text (stmt, 0));
  dd_statement_reset (stmt);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  return g_strv_builder_end (builder);
}

gboolean
dd_import_store_delete_preset (DdImportStore  *self,
                               const char     *name,
                               GError        **error)
{
  DdStatement *stmt;

  stmt = dd_database_cached (dd_store_db (self), "DELETE FROM import_preset WHERE name = ?", error);
  if (stmt == NULL)
    return FALSE;
  dd_statement_bind_text (stmt, 1, name);
  return dd_statement_run (stmt, error);
}
