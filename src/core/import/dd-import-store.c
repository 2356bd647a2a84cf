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

  return dd_database_insert (dd_store_db (self), out_run_id, error,
                             "INSERT INTO import_run (file_name, encoding, delimiter, started_at)"
                             " VALUES (?, ?, ?, ?)",
                             DD_TEXT (file_name), DD_TEXT (encoding), DD_TEXT (delimiter),
                             DD_TEXT (now), DD_END);
}

gboolean
dd_import_store_finish_run (DdImportStore  *self,
                            gint64          run_id,
                            const char     *summary_json,
                            GError        **error)
{
  g_autofree char *now = dd_timestamp_now ();

  return dd_database_execute (dd_store_db (self), error,
                              "UPDATE import_run SET finished_at = ?, summary = ? WHERE id = ?",
                              DD_TEXT (now), DD_TEXT (summary_json), DD_INT (run_id), DD_END);
}

gboolean
dd_import_store_save_preset (DdImportStore  *self,
                             const char     *name,
                             const char     *mapping_json,
                             GError        **error)
{
  g_autofree char *now = dd_timestamp_now ();

  return dd_database_execute (dd_store_db (self), error,
                              "INSERT INTO import_preset (name, mapping, created_at, updated_at)"
                              " VALUES (?, ?, ?, ?) ON CONFLICT (name) DO UPDATE"
                              " SET mapping = excluded.mapping, updated_at = excluded.updated_at",
                              DD_TEXT (name), DD_TEXT (mapping_json), DD_TEXT (now),
                              DD_TEXT (now), DD_END);
}

char *
dd_import_store_load_preset (DdImportStore  *self,
                             const char     *name,
                             GError        **error)
{
  char *mapping = NULL;

  if (!dd_database_fetch_text (dd_store_db (self), &mapping, error,
                               "SELECT mapping FROM import_preset WHERE name = ?",
                               DD_TEXT (name), DD_END))
    return NULL;
  return mapping;
}

static void
add_preset_name (DdStatement *stmt,
                 gpointer     builder)
{
  g_strv_builder_add (builder, dd_statement_get_text (stmt, 0));
}

GStrv
dd_import_store_list_presets (DdImportStore  *self,
                              GError        **error)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  if (!dd_database_query_each (dd_store_db (self), add_preset_name, builder, error,
                               "SELECT name FROM import_preset ORDER BY name", DD_END))
    return NULL;
  return g_strv_builder_end (builder);
}

gboolean
dd_import_store_delete_preset (DdImportStore  *self,
                               const char     *name,
                               GError        **error)
{
  return dd_database_execute (dd_store_db (self), error,
                              "DELETE FROM import_preset WHERE name = ?", DD_TEXT (name), DD_END);
}
